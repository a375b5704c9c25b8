"""Sealed HTML: a rendering this user's reader made and sanitised itself, provably.

The reader caches readers' rendered notes in the annotation store, so that opening a lesson
does not render and sanitise every note again. But a store file may come from anyone (a
classmate's copy, a collected submission, a file edited by hand), so cached HTML read from one
is only trusted when it carries a seal: an HMAC-SHA256, under a key only this user has, of the
HTML together with what it was rendered from (the annotation's id and version, the renderer's
version, and the Markdown itself). Anything else, a forged or a foreign entry, is rendered
again from its source, never reused.

The key is 32 random bytes in ``<Jupyter data dir>/reader-ext/html-seal.key`` (``jupyter
--data-dir``; ``JUPYTER_DATA_DIR`` moves it), created on first use, readable by its owner only.
Where that folder cannot be written, a key for this process alone is used: the cache still
works within the process, and nothing is trusted that it did not seal.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import lru_cache
from pathlib import Path

KEY_FILE = "html-seal.key"
_KEY_BYTES = 32
_TAG_CHARS = 64  # hex of an HMAC-SHA256
_SEPARATOR = ":"


def key_path() -> Path:
    """Where this user's sealing key is kept."""
    from jupyter_core.paths import jupyter_data_dir

    return Path(jupyter_data_dir()) / "reader-ext" / KEY_FILE


@lru_cache(maxsize=4)
def _key(path: Path) -> bytes:
    try:
        return _read_or_create(path)
    except OSError:
        return secrets.token_bytes(_KEY_BYTES)


def _read_or_create(path: Path) -> bytes:
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh = secrets.token_bytes(_KEY_BYTES)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            key = path.read_bytes()  # another kernel created it first: use theirs
        else:
            with os.fdopen(fd, "wb") as out:
                out.write(fresh)
            return fresh
    if len(key) < _KEY_BYTES:
        # Truncated (a full disk when it was written): a short key would be a weak one.
        msg = f"{path}: the sealing key is damaged"
        raise OSError(msg)
    return key


def key() -> bytes:
    """This user's sealing key (created on first use)."""
    where = tuple(os.environ.get(name) for name in _PATH_FROM)
    return _key(_key_path(where))


# What jupyter_data_dir() reads; finding the path costs 0.3 ms, so it is found once for each.
_PATH_FROM = ("JUPYTER_DATA_DIR", "XDG_DATA_HOME", "HOME", "JUPYTER_PLATFORM_DIRS", "APPDATA")


@lru_cache(maxsize=4)
def _key_path(_where: tuple[str | None, ...]) -> Path:
    return key_path()


def _tag(secret: bytes, context: tuple[str, ...], html: str) -> str:
    message = "\x00".join((*context, html)).encode("utf-8", "surrogatepass")
    return hmac.digest(secret, message, hashlib.sha256).hex()


def _tag_bytes(secret: bytes, context: tuple[bytes, ...], content: bytes) -> bytes:
    # The same message as _tag's, already UTF-8: what the store hands back as bytes.
    return hmac.digest(secret, b"\x00".join((*context, content)), hashlib.sha256).hex().encode()


def seal(context: tuple[str, ...], html: str, *, secret: bytes | None = None) -> str:
    """``html`` with a seal binding it to ``context`` (what it was rendered from), for storing."""
    return _tag(secret or key(), context, html) + _SEPARATOR + html


def unseal(context: tuple[str, ...], sealed: str, *, secret: bytes | None = None) -> str | None:
    """The HTML of a value :func:`seal` made with this key and this ``context``, else ``None``."""
    tag, sep, html = sealed.partition(_SEPARATOR)
    if not sep or len(tag) != _TAG_CHARS or not tag.isascii():
        return None
    if not hmac.compare_digest(tag, _tag(secret or key(), context, html)):
        return None
    return html


def unseal_bytes(
    context: tuple[bytes, ...], sealed: bytes, *, secret: bytes | None = None
) -> bytes | None:
    """:func:`unseal` of UTF-8 (a value and its context as a database hands them over): the
    content's bytes, else ``None``. For the many values of a lesson's opening, nothing decoded."""
    tag, sep, content = sealed.partition(b":")
    if not sep or len(tag) != _TAG_CHARS:
        return None
    if not hmac.compare_digest(tag, _tag_bytes(secret or key(), context, content)):
        return None
    return content
