"""The small values an annotation is made of, each checked: times as stored, usernames, uris.

Every check raises :class:`~reader_ext.errors.AnnotationError` naming the field. The shape of a
whole annotation, built from these, is :mod:`reader_ext.annotations.shape`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import datetime, timezone
from urllib.parse import quote

from reader_ext.annotations import limits
from reader_ext.errors import AnnotationError

USER_URN_PREFIX = "urn:reader-ext:user:"

_URI_CHARS = r"A-Za-z0-9\-._~:/?@!$&'()*+,;=%"
# A scheme, a colon, then unreserved, reserved and %-escaped characters, with at most one "#":
# every "%" followed by two hex digits is checked once, ahead, rather than trying the escape
# against each character (the same strings, four times faster for an annotation's id).
URI_PATTERN = (
    r"(?s:(?!.*%(?![0-9A-Fa-f]{2})))"
    rf"[A-Za-z][A-Za-z0-9+.\-]*:[{_URI_CHARS}]*(?:#[{_URI_CHARS}]*)?"
)
"""What :func:`is_uri` accepts (besides the length limit), for a whole string."""
_URI_RE = re.compile(URI_PATTERN)


def utc_now() -> str:
    """Now as stored: UTC, millisecond precision, ``Z`` suffix (so strings sort by time)."""
    return format_time(datetime.now(timezone.utc))


def format_time(moment: datetime) -> str:
    moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_time(value: object, field: str) -> datetime:
    """An ISO 8601 date-time with a time zone; naive times are ambiguous and refused."""
    if not isinstance(value, str):
        msg = f"{field}: expected an ISO 8601 date-time string, got {type(value).__name__}"
        raise AnnotationError(msg)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        msg = f"{field}: {value[:40]!r} is not an ISO 8601 date-time like 2026-11-29T15:00:00Z"
        raise AnnotationError(msg) from None
    if moment.tzinfo is None:
        msg = f"{field}: {value[:40]!r} has no time zone; add Z for UTC"
        raise AnnotationError(msg)
    return moment


def normalise_time(value: object, field: str) -> str:
    if isinstance(value, str) and _STORED_TIME.fullmatch(value):
        # Already as stored (what this reader-ext writes): only check that it is a real date.
        try:
            datetime.fromisoformat(value[:-1])
        except ValueError:
            pass
        else:
            return value
    return format_time(parse_time(value, field))


# What format_time writes, for years 1000 to 9999 (strftime does not pad shorter years).
STORED_TIME_PATTERN = r"[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z"
"""A whole string of that form (the date itself may still not exist: see
:func:`normalise_time`)."""
_STORED_TIME = re.compile(STORED_TIME_PATTERN)


def check_username(user: object, field: str = "user") -> str:
    if isinstance(user, str):
        return _check_username(user, field)
    msg = f"{field}: a username is 1 to {limits.MAX_USERNAME_CHARS} characters"
    raise AnnotationError(msg)


# A class has a few hundred names, each checked once per annotation of theirs: remember the good
# ones (a refused name raises, and is not remembered).
@functools.lru_cache(maxsize=4096)
def _check_username(user: str, field: str) -> str:
    if not 1 <= len(user) <= limits.MAX_USERNAME_CHARS:
        msg = f"{field}: a username is 1 to {limits.MAX_USERNAME_CHARS} characters"
        raise AnnotationError(msg)
    if has_control(user):
        msg = f"{field}: a username cannot contain control characters"
        raise AnnotationError(msg)
    invisible = next((c for c in user if unicodedata.category(c) in _INVISIBLE), None)
    if invisible is not None:
        msg = (
            f"{field}: a username cannot contain invisible or direction-changing characters "
            f"(U+{ord(invisible):04X} {unicodedata.name(invisible, 'unnamed')})"
        )
        raise AnnotationError(msg)
    normal = unicodedata.normalize("NFKC", user)
    if normal != user:
        msg = f"{field}: a username must be written in its normal form (NFKC): {normal!r}"
        raise AnnotationError(msg)
    if user != user.strip():
        msg = f"{field}: a username cannot begin or end with a space"
        raise AnnotationError(msg)
    scripts = {_script(c) for c in user if c.isalpha()} - {None}
    if len(scripts) > 1:
        msg = (
            f"{field}: a username mixes the letters of {' and '.join(sorted(map(str, scripts)))}, "
            "which look alike; write it in one alphabet"
        )
        raise AnnotationError(msg)
    return user


# Cf: format characters (bidi overrides and isolates, zero-width space, joiners, BOM);
# Zl, Zp: line and paragraph separators; Co, Cs, Cn: private, surrogates, unassigned.
_INVISIBLE = frozenset({"Cf", "Zl", "Zp", "Co", "Cs", "Cn"})
# Alphabets whose letters are homoglyphs of one another ("а" Cyrillic, "a" Latin, "α" Greek).
_CONFUSABLE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def _script(char: str) -> str | None:
    name = unicodedata.name(char, "")
    return next((s for s in _CONFUSABLE_SCRIPTS if name.startswith(s)), None)


def creator_for(user: str) -> dict[str, str]:
    """The W3C creator of ``user``; the id percent-encodes the name so it is always a uri."""
    uri = _user_uri(user) if isinstance(user, str) else check_username(user)
    return {"id": uri, "type": "Person", "nickname": user}


# A collect asks for the same student's creator once per annotation of theirs.
@functools.lru_cache(maxsize=4096)
def _user_uri(user: str) -> str:
    check_username(user)
    return USER_URN_PREFIX + quote(user, safe="")


def is_uri(value: object) -> bool:
    return isinstance(value, str) and _is_uri(value)


# A lesson's uri and a student's creator id come with each of their annotations: remember the
# last few thousand answers (a uri is at most MAX_URI_CHARS, a longer string is not remembered).
@functools.lru_cache(maxsize=4096)
def _is_uri(value: str) -> bool:
    return len(value) <= limits.MAX_URI_CHARS and _URI_RE.fullmatch(value) is not None


def check_uri(value: object, field: str) -> str:
    if not is_uri(value):
        shown = repr(value)[:80]
        msg = (
            f"{field}: expected an absolute uri (RFC 3986 characters, at most "
            f"{limits.MAX_URI_CHARS}), got {shown}"
        )
        raise AnnotationError(msg)
    assert isinstance(value, str)
    return value


def has_control(text: str, allowed: str = "") -> bool:
    return _control_pattern(allowed).search(text) is not None


# Unicode's Cc category is exactly these 65 characters (C0, DEL and C1); a compiled class finds
# one in a note 20 times faster than asking unicodedata about every character.
_CONTROL = frozenset(map(chr, [*range(0x20), *range(0x7F, 0xA0)]))


@functools.lru_cache(maxsize=8)
def _control_pattern(allowed: str) -> re.Pattern[str]:
    chars = "".join(sorted(_CONTROL - set(allowed)))
    return re.compile("[" + re.escape(chars) + "]")
