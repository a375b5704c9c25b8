"""Reading one student's submission safely: find its stores, copy them privately, check them.

Nothing here writes to a submission or to the class store (see :mod:`reader_ext.course.collect`
for the rules this serves).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader_ext.annotations import limits
from reader_ext.annotations.fields import author as author_of
from reader_ext.annotations.shape import check_username
from reader_ext.errors import AnnotationError, StoreError
from reader_ext.lessons.layout import STORE_FILE
from reader_ext.store.annotation_store import AnnotationStore


@dataclass(slots=True)
class Submitted:
    """One submitted store: its private copy, and who wrote what in it.

    Only ids and authors stay in memory between reading and merging (a class of a thousand
    students would otherwise hold every annotation twice); the merge reads the copy again.
    """

    name: str
    copy: Path
    ids: list[tuple[str, str]]
    """(id, author) of each live annotation."""
    event_users: list[str]
    deleted: int


def folder_problem(folder: Path, root: Path) -> str | None:
    try:
        check_username(folder.name, "folder name")
    except AnnotationError:
        return f"the folder name is not a valid student id (1 to {limits.MAX_USERNAME_CHARS} chars)"
    if not folder.resolve().is_relative_to(root):
        return "the folder is a link pointing outside the submissions folder; refused"
    if not folder.is_dir():
        return "not a folder (each student's submission is a folder named by their id)"
    if not any(folder.iterdir()):
        return "the folder is empty: nothing was submitted"
    return None


def store_paths(folder: Path) -> list[Path]:
    candidates = [folder / STORE_FILE] + [
        module / STORE_FILE
        for module in sorted(folder.iterdir())
        if module.is_dir() and not module.name.startswith(".")
    ]
    # A dangling link is kept, to be reported as refused rather than silently missed.
    return [c for c in candidates if c.exists() or c.is_symlink()]


def read_store(path: Path, name: str, folder: Path, copy: Path) -> Submitted:
    """Copy the store (and its -wal) privately, then read it through the store's checks."""
    total = 0
    for src, dst in ((path, copy), (_wal(path), _wal(copy))):
        if src != path and not (src.exists() or src.is_symlink()):
            continue
        real = src.resolve()
        if not real.is_relative_to(folder):
            msg = f"{src.name} is a link pointing outside the student's folder; refused"
            raise StoreError(msg)
        if not real.is_file():
            msg = f"{src.name} is not a regular file"
            raise StoreError(msg)
        total += real.stat().st_size
        if total > limits.MAX_IMPORT_FILE_BYTES:
            msg = f"{total} bytes, over the limit of {limits.MAX_IMPORT_FILE_BYTES}"
            raise StoreError(msg)
        shutil.copyfile(real, dst)
    live, deleted, events = contents(copy)
    ids = [(str(a.get("id")), author_of(a)) for a in live]
    return Submitted(name, copy, ids, [e["user"] for e in events], len(deleted))


def contents(copy: Path) -> tuple[list[dict[str, Any]], list[str], list[dict[str, str]]]:
    with AnnotationStore(copy) as store:
        return store.snapshot()


def _wal(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def why(exc: BaseException) -> str:
    text = str(exc)
    if isinstance(exc, StoreError):
        # The message names our temporary copy (the caller names the student's file)
        # and its advice is about opening a file, not about a submission: keep the finding.
        text = text.split(": ", 1)[-1].split(";")[0]
    elif isinstance(exc, OSError):
        text = f"cannot read ({exc.strerror or exc})"
    elif isinstance(exc, ValueError):
        text = f"a damaged store ({text[:80]})"
    return text
