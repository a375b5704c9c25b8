"""An annotation already in its clean stored form, read and checked in one pass (msgspec).

What reader-ext writes is what :func:`reader_ext.annotations.shape.check_annotation` returned,
in :data:`~reader_ext.annotations.shape.KEY_ORDER`: a submitted store's rows nearly always are.
:func:`decode_clean` decodes such a row's JSON straight into typed structs (types, allowed values
and lengths checked by msgspec's decoder, in C), checks in Python what a type cannot say (uris,
times, usernames, control characters, which bodies and selectors come in which order), and gives
the clean dict — exactly what ``rows.ordered(check_annotation(json.loads(text)))`` gives.

It never refuses with a message of its own: for anything it does not vouch for (an error, or a
form that the full check would rewrite: a single body object, a tag with spaces, a selector list
with the position first...) it answers ``None``, and the caller decodes and checks the row the
full way, which gives the clean copy or the exact error naming the field
(``tests/test_shape_fast.py`` holds the two equal).
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Annotated, Any, Literal, cast

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from reader_ext.annotations import limits
from reader_ext.annotations.shape import ANNO_CONTEXT, target_info
from reader_ext.annotations.values import (
    STORED_TIME_PATTERN,
    URI_PATTERN,
    check_username,
    has_control,
    is_uri,
)
from reader_ext.errors import AnnotationError

__all__ = ["Checked", "Vouched", "as_checked", "decode_clean", "decode_vouched", "id_and_author"]


class Checked(dict[str, Any]):
    """A clean annotation (:func:`decode_clean`): the store need not check its shape again."""

    __slots__ = ()


# The uri and time checks of values.py, run by the decoder (a lesson's uri and a creator's id,
# the same in most annotations, are left to is_uri, which remembers its answers).
_Uri = Annotated[str, Meta(max_length=limits.MAX_URI_CHARS)]
_Id = Annotated[str, Meta(max_length=limits.MAX_URI_CHARS, pattern=rf"\A(?:{URI_PATTERN})\Z")]
_Time = Annotated[str, Meta(pattern=rf"\A{STORED_TIME_PATTERN}\Z")]


class _Agent(Struct, forbid_unknown_fields=True, kw_only=True):
    id: _Uri
    type: Literal["Person"] = "Person"
    nickname: str


class _Generator(Struct, forbid_unknown_fields=True):
    id: _Uri
    type: Literal["Software"] = "Software"
    name: UnsetType | Annotated[str, Meta(min_length=1, max_length=limits.MAX_TAG_CHARS)] = UNSET


class _Body(Struct, forbid_unknown_fields=True):
    type: Literal["TextualBody"]
    value: Annotated[str, Meta(min_length=1, max_length=limits.MAX_BODY_CHARS)]
    format: UnsetType | Literal["text/markdown", "text/plain"] = UNSET
    purpose: Literal["commenting", "tagging"] = "commenting"


class _Quote(Struct, tag_field="type", tag="TextQuoteSelector", forbid_unknown_fields=True):
    exact: Annotated[str, Meta(min_length=1, max_length=limits.MAX_QUOTE_CHARS)]
    prefix: UnsetType | Annotated[str, Meta(max_length=limits.MAX_CONTEXT_CHARS)] = UNSET
    suffix: UnsetType | Annotated[str, Meta(max_length=limits.MAX_CONTEXT_CHARS)] = UNSET


_Offset = Annotated[int, Meta(ge=0, le=limits.MAX_OFFSET)]


class _Position(Struct, tag_field="type", tag="TextPositionSelector", forbid_unknown_fields=True):
    start: _Offset
    end: _Offset


class _Target(Struct, forbid_unknown_fields=True):
    source: _Uri
    selector: UnsetType | list[_Quote | _Position] = UNSET


class _Annotation(Struct, forbid_unknown_fields=True, kw_only=True):
    # In KEY_ORDER: encoded (to_builtins) in this order, absent (UNSET) fields left out.
    context: Literal["http://www.w3.org/ns/anno.jsonld"] = msgspec.field(
        default=cast(Literal["http://www.w3.org/ns/anno.jsonld"], ANNO_CONTEXT), name="@context"
    )
    id: UnsetType | _Id = UNSET
    type: Literal["Annotation"] = "Annotation"
    motivation: Literal["highlighting", "commenting", "replying"]
    creator: UnsetType | _Agent = UNSET
    created: UnsetType | _Time = UNSET
    modified: UnsetType | _Time = UNSET
    generator: UnsetType | _Generator = UNSET
    body: UnsetType | list[_Body] = UNSET
    target: _Uri | _Target


_DECODER = msgspec.json.Decoder(_Annotation)

Vouched = _Annotation
"""A clean annotation as the one pass decoded it (:func:`decode_vouched`): the dict of it is
:func:`as_checked`'s, and it holds it in about 60 % of the memory."""


def decode_clean(text: str | bytes) -> Checked | None:
    """The clean annotation stored as ``text``, or ``None`` if it is not one this pass vouches
    for (then decode and check it the full way, which says why)."""
    found = decode_vouched(text)
    return None if found is None else as_checked(found)


def decode_vouched(text: str | bytes) -> Vouched | None:
    """:func:`decode_clean`'s answer before it becomes a dict (:func:`as_checked`)."""
    try:
        found = _DECODER.decode(text)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    try:
        if not _good(found):
            return None
    except AnnotationError:
        return None
    return found


def as_checked(found: Vouched) -> Checked:
    """The clean dict of an annotation :func:`decode_vouched` vouched for."""
    return Checked(msgspec.to_builtins(found))


def id_and_author(found: Vouched) -> tuple[str, str]:
    """Its id and its creator's username, as ``str(item.get("id"))`` and
    :func:`reader_ext.annotations.fields.author` give them of its dict."""
    creator = found.creator
    author = "unknown" if creator is UNSET or not creator.nickname else creator.nickname
    return str(None if found.id is UNSET else found.id), author


def _good(a: _Annotation) -> bool:
    """Whether the full check accepts ``a`` unchanged (filling in a note's format)."""
    for value in (a.created, a.modified):
        if value is not UNSET and not _real_date(value):
            return False
    creator = a.creator
    if creator is not UNSET:
        check_username(creator.nickname, "creator.nickname")  # raises: not vouched for
        if not is_uri(creator.id):
            return False
    generator = a.generator
    if generator is not UNSET and not is_uri(generator.id):
        return False
    if a.body is UNSET:
        if a.motivation != "highlighting":
            return False  # a note or a reply needs its text
    elif not _good_body(a.body, a.motivation):
        return False
    target = a.target
    if a.motivation == "replying":
        if not isinstance(target, str) or not is_uri(target):
            return False
        target_info(target)  # raises for an empty #prompt- or #comment-
        return True
    return isinstance(target, _Target) and _good_target(target, a.motivation)


@functools.lru_cache(maxsize=4096)
def _real_date(stored: str) -> bool:
    """Whether a time of the stored form is a real one (not the 30th of February): what
    :func:`~reader_ext.annotations.values.normalise_time` asks of it (times repeat: ``created``
    and ``modified`` are often one)."""
    try:
        datetime.fromisoformat(stored[:-1])
    except ValueError:
        return False
    return True


def _good_body(body: list[_Body], motivation: str) -> bool:
    if not body:
        return False  # the full check leaves an empty body out
    notes = tags = 0
    seen: set[str] = set()
    for item in body:
        value = item.value
        if item.purpose == "commenting":
            if tags or notes or not value.strip() or has_control(value, allowed="\t\n\r"):
                return False  # a note after a tag is moved first; two notes are refused
            notes += 1
            if item.format is UNSET:
                item.format = "text/markdown"
        else:
            if (
                item.format is not UNSET
                or len(value) > limits.MAX_TAG_CHARS
                or value != value.strip()
                or value in seen
                or has_control(value)
            ):
                return False
            seen.add(value)
            tags += 1
    if tags > limits.MAX_TAGS:
        return False
    if motivation == "highlighting":
        return not notes
    return notes == 1


def _good_target(target: _Target, motivation: str) -> bool:
    if not is_uri(target.source):
        return False
    selectors = target.selector
    if selectors is UNSET:
        return motivation == "commenting"  # a note about the whole lesson
    if not selectors or not isinstance(selectors[0], _Quote) or len(selectors) > 2:
        return False
    if len(selectors) == 2:
        position = selectors[1]
        return isinstance(position, _Position) and position.start <= position.end
    return True
