"""Reading one student's submission safely: find its stores, read them privately, check them.

Nothing here writes to a submission or to the class store (see :mod:`reader_ext.course.collect`
for the rules this serves).
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reader_ext._version import __version__
from reader_ext.annotations import limits
from reader_ext.annotations.values import check_username
from reader_ext.errors import AnnotationError, StoreError
from reader_ext.lessons.layout import STORE_FILE
from reader_ext.store.untrusted import (
    IMAGES,
    Budget,
    Held,
    SubmissionRefused,
    SubmittedContents,
    read_submitted,
    read_submitted_image,
)


@dataclass(slots=True)
class Submitted:
    """One submitted store: its private image, and who wrote what in it.

    What was read is kept (``held``) for the merge, which otherwise reads the store again (the
    submitted file, taken only if byte for byte what was checked; or the private copy of a store
    with a ``-wal``): the collect keeps it as decoded for as many annotations as
    :data:`HELD_ANNOTATIONS`, then as their text for :data:`PACKED_CHARS`, and drops it beyond,
    so that a class of any size is never all in memory at once.
    """

    name: str
    copy: Path
    ids: list[tuple[str, str]]
    """(id, author) of each live annotation."""
    event_users: list[str]
    deleted: int
    problems: list[str]
    """Rows of the store skipped while reading it (e.g. a ``json`` cell that is no object)."""
    skipped: int
    held: SubmittedContents | None = None
    """What reading found, until the merge uses it (``None``: read the store again)."""
    image: bytes | None = None
    """The store's bytes as read (``None``: read again from ``source``, or its private copy is
    the file at ``copy``)."""
    source: Path | None = None
    """The submitted file the bytes were read from; ``digest``: their SHA-256."""
    digest: str | None = None

    @property
    def held_annotations(self) -> int:
        """The annotations held decoded (as dicts or ``Vouched``), not as their text."""
        found = self.held
        if found is None:
            return 0
        return len(found.live) + (len(found.packed or ()) if found.form == "vouched" else 0)

    @property
    def held_chars(self) -> int:
        """The characters of JSON text held (annotations held as their text)."""
        return self.held.packed_chars if self.held is not None else 0

    def let_go(self, *, merged: bool) -> None:
        """Keep less in memory: drop what reading found, and the bytes of the store too. If it
        is still to be ``merged``, the merge reads the submitted file again and takes it only
        if its bytes are those read and checked now (their SHA-256); writing a private copy
        instead wrote the whole class's submissions to disk a second time at 5,000 students."""
        self.held = None
        if self.image is not None and merged and (self.source is None or self.digest is None):
            self.copy.parent.mkdir(parents=True, exist_ok=True)
            self.copy.write_bytes(self.image)
            self.source = None
        self.image = None


HELD_ANNOTATIONS = 160_000
"""Annotations of read submissions kept in memory for their merge as the one pass decoded them
(``Vouched``: about 1.25 KB each, made a dict by the merge)."""
PACKED_CHARS = 150_000_000
"""Past :data:`HELD_ANNOTATIONS`, the characters of JSON text of the annotations kept for their
merge as the text they were read from (about 0.7 KB each, decoded again for the merge: a third
of the cost of reading the store again)."""


def real_path(path: Path) -> Path:
    """``path`` with its links resolved; a link loop is a :class:`StoreError` naming it."""
    try:
        return path.resolve()
    except (RuntimeError, OSError) as exc:
        msg = f"{path.name} is a symbolic link loop (it points back to itself); refused"
        raise StoreError(msg) from exc


def real_below(folder: Path, real_folder: Path, path: Path) -> Path:
    """The real path of ``path``, which is inside ``folder`` (whose real path is
    ``real_folder``): each part below the folder is looked at once (``lstat``), and the path is
    resolved whole only if one of them is a link. (Resolving each path whole looks at every
    part from ``/`` down: a quarter of the time of reading a store that holds a few notes, and
    more on a network home folder.)"""
    # Paths as text (os.path), not pathlib's objects, which cost more here than the lstat.
    prefix, whole = os.path.join(folder, ""), os.fspath(path)  # noqa: PTH118
    if not whole.startswith(prefix):
        return real_path(path)
    parts = whole[len(prefix) :].split(os.sep)  # noqa: PTH206
    at = prefix
    for part in parts:
        at = os.path.join(at, part)  # noqa: PTH118
        try:
            if stat.S_ISLNK(os.lstat(at).st_mode):
                return real_path(path)
        except OSError as exc:
            if exc.errno not in _ABSENT:
                raise
    return Path(os.path.join(real_folder, *parts))  # noqa: PTH118


def _inside(real: Path, folder: Path) -> bool:
    """``real.is_relative_to(folder)`` for two real paths (normalised, absolute), by their text:
    pathlib's compares them part by part, a tenth of the time of reading a small store."""
    whole, inner = os.fspath(real), os.path.join(folder, "")  # noqa: PTH118
    return whole == os.fspath(folder) or whole.startswith(inner)


def folder_problem(folder: Path, root: Path, student: str) -> str | None:
    """Why the folder cannot be a student's submission, or None; ``student`` is its id and
    ``root`` the real path of the submissions folder listing it."""
    try:
        check_username(student, "folder name")
    except AnnotationError as exc:
        return f"the folder name is not a valid student id ({str(exc).split(': ', 1)[-1]})"
    try:
        real = real_below(folder.parent, root, folder)
    except StoreError as exc:
        return str(exc)
    if not _inside(real, root):
        return "the folder is a link pointing outside the submissions folder; refused"
    if not folder.is_dir():
        return "not a folder (each student's submission is a folder named by their id)"
    if not any(folder.iterdir()):
        return "the folder is empty: nothing was submitted"
    return None


def store_paths(folder: Path) -> list[Path]:
    with os.scandir(folder) as entries:
        modules = sorted(e.name for e in entries if not e.name.startswith(".") and _is_dir(e))
    candidates = [folder / STORE_FILE] + [folder / m / STORE_FILE for m in modules]
    # A dangling link is kept, to be reported as refused rather than silently missed.
    return [c for c in candidates if _listed(c)]


# The errors that mean "not there" to pathlib's exists() and is_dir() (a link loop among them).
_ABSENT = (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """Whether the entry is a folder, after links (``Path.is_dir``, from what listing knew)."""
    try:
        return entry.is_dir()
    except OSError as exc:
        if exc.errno in _ABSENT:
            return False
        raise


def _listed(path: Path) -> bool:
    """Whether ``path`` is there, as a file, a folder or a link (dangling or not)."""
    try:
        os.lstat(path)
    except OSError as exc:
        if exc.errno in _ABSENT:
            return False
        raise
    return True


@dataclass(slots=True)
class Opened:
    """A submitted store taken into private hands (its bytes, or a copy), not yet read."""

    name: str
    copy: Path
    image: bytes | None
    """Its bytes (``None``: it has a ``-wal``, and both files were copied to ``copy``)."""
    source: Path | None = None
    """The file its bytes were read from (resolved, inside the student's folder)."""
    digest: str | None = None
    """SHA-256 of its bytes, as read (``None`` for a copy: such a store is always read)."""

    def __post_init__(self) -> None:
        if self.image is not None and self.digest is None:
            self.digest = hashlib.sha256(self.image).hexdigest()


DIGEST_FORMAT = f"reader-ext {__version__} collect 1"
"""Part of every :func:`student_digest`: another reader-ext (whose checks may differ) reads
every submission again once."""


def student_digest(stores: Sequence[Opened]) -> str | None:
    """One digest of everything a student submitted: each store's path in their folder and the
    SHA-256 of its bytes (``None`` if a store has no image, or there is none)."""
    digests = [(s.name, s.digest) for s in stores]
    if not digests or any(d is None for _, d in digests):
        return None
    total = hashlib.sha256(DIGEST_FORMAT.encode())
    for name, digest in sorted(digests):
        shown = name.encode("utf-8", "surrogateescape")
        total.update(b"\x00" + shown + b"\x00" + str(digest).encode())
    return total.hexdigest()


def open_store(
    path: Path, name: str, folder: Path, copy: Path, *, listed: Path | None = None
) -> Opened:
    """Take a submitted store into private hands: its bytes in memory, or, for a store with a
    ``-wal`` (a kernel still had it open) or on a Python without ``sqlite3`` ``deserialize``, a
    copy of both files at ``copy``. Links leaving the student's ``folder`` (its real path),
    other than regular files and files over the size limit are refused (:class:`StoreError`).
    ``listed``: the student's folder as listed, holding ``path`` (:func:`real_below`; else
    ``path`` is resolved whole)."""
    files: list[tuple[Path, Path]] = []
    total = 0
    for src, dst in ((path, copy), (_wal(path), _wal(copy))):
        if src != path and not _listed(src):
            continue
        real = real_path(src) if listed is None else real_below(listed, folder, src)
        if not _inside(real, folder):
            msg = f"{src.name} is a link pointing outside the student's folder; refused"
            raise StoreError(msg)
        size = _regular_size(real)
        if size is None:
            msg = f"{src.name} is not a regular file"
            raise StoreError(msg)
        total += size
        if total > limits.MAX_IMPORT_FILE_BYTES:
            msg = f"{total} bytes, over the limit of {limits.MAX_IMPORT_FILE_BYTES}"
            raise StoreError(msg)
        if size or src == path:  # an empty -wal holds nothing (opening a store leaves one)
            files.append((real, dst))
    if len(files) == 1 and IMAGES:
        return Opened(name, copy, read_image(files[0][0]), files[0][0])
    copy.parent.mkdir(parents=True, exist_ok=True)
    for real, dst in files:
        shutil.copyfile(real, dst)
    return Opened(name, copy, None)


def _regular_size(path: Path) -> int | None:
    """The size of ``path`` if it is a regular file (after links), else ``None``; an error
    other than its absence (no permission, say) is raised."""
    try:
        info = os.stat(path)  # noqa: PTH116
    except OSError as exc:
        if exc.errno in _ABSENT:
            return None
        raise
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def read_opened(opened: Opened, budget: Budget | None = None, *, held: Held = "dicts") -> Submitted:
    """Read a store taken by :func:`open_store` as untrusted data, in budget, holding its
    annotations as ``held`` says (:class:`~reader_ext.store.untrusted.SubmittedContents`)."""
    if opened.image is not None:
        found = read_submitted_image(opened.image, budget, held=held)
    else:
        found = contents(opened.copy, budget, held=held)
    ids = found.ids
    users = [e["user"] for e in found.events]
    return Submitted(
        opened.name,
        opened.copy,
        ids,
        users,
        len(found.deleted),
        found.problems,
        found.skipped,
        found,
        opened.image,
        opened.source,
        opened.digest,
    )


def read_store(
    path: Path, name: str, folder: Path, copy: Path, budget: Budget | None = None
) -> Submitted:
    """Read the store as untrusted data, in budget, from a private image of it
    (:func:`open_store`, then :func:`read_opened`)."""
    return read_opened(open_store(path, name, folder, copy), budget)


def read_image(path: Path) -> bytes:
    """The bytes of a store file, within the size limit (checked again: it may have grown)."""
    limit = limits.MAX_IMPORT_FILE_BYTES
    with path.open("rb") as f:
        # Read what the file holds now (plus a byte, to see it grew): a read of the limit
        # itself allocates the limit (64 MB) first, which cost more than reading a store.
        size = min(os.fstat(f.fileno()).st_size, limit) + 1
        image = f.read(size)
        if len(image) == size:  # it grew since: read on, up to the limit and a byte
            image += f.read(limit + 1 - size)
    if len(image) > limit:
        msg = f"over {limits.MAX_IMPORT_FILE_BYTES} bytes, the limit"
        raise StoreError(msg)
    return image


def contents(
    copy: Path, budget: Budget | None = None, *, held: Held = "dicts"
) -> SubmittedContents:
    return read_submitted(copy, budget, held=held)


def merge_contents(submitted: Submitted, budget: Budget | None = None) -> SubmittedContents:
    """What the merge needs of a submitted store: what reading it found, if it was kept (and
    then it is let go), else the store read again."""
    found, submitted.held = submitted.held, None
    if found is not None:
        return found.unpacked()
    if submitted.image is not None:
        return read_submitted_image(submitted.image, budget)
    if submitted.source is not None:
        return read_submitted_image(_read_again(submitted, submitted.source), budget)
    return contents(submitted.copy, budget)


def _read_again(submitted: Submitted, source: Path) -> bytes:
    """The bytes of ``source``, the submitted file, once more for its merge: the same bytes as
    were read and checked before (the same SHA-256), or a :class:`StoreError` naming the store."""
    try:
        image = read_image(source)
    except (OSError, StoreError) as exc:
        msg = f"{submitted.name}: could not be read again to merge it ({why(exc)}); collect again"
        raise StoreError(msg) from exc
    if hashlib.sha256(image).hexdigest() != submitted.digest:
        msg = (
            f"{submitted.name}: changed while the class was being collected; "
            "collect again once it is no longer being written"
        )
        raise StoreError(msg)
    return image


def _wal(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def why(exc: BaseException) -> str:
    text = str(exc)
    if isinstance(exc, SubmissionRefused):
        text = text.removesuffix("; refused")
    elif isinstance(exc, StoreError):
        # The message names our temporary copy (the caller names the student's file)
        # and its advice is about opening a file, not about a submission: keep the finding.
        text = text.split(": ", 1)[-1].split(";")[0]
    elif isinstance(exc, PermissionError):
        where = exc.filename or "it"
        text = (
            f"no permission to read {where}; give the account running reader-ext read access"
            " (chmod -R u+rX, or run as the owner of the submissions)"
        )
    elif isinstance(exc, OSError):
        text = f"cannot read ({exc.strerror or exc})"
    elif isinstance(exc, ValueError):
        text = f"a damaged store ({text[:80]})"
    return text
