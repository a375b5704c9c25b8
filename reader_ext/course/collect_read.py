"""Collecting a class, phase 1: each student's stores found, read and checked, writing nothing.

The rules are :mod:`reader_ext.course.collect`'s; a student whose files and rows are as their last
clean merge left them is not read at all (:mod:`reader_ext.store.collected`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reader_ext.course.collect_report import StudentResult
from reader_ext.course.submissions import (
    Opened,
    Submitted,
    folder_problem,
    open_store,
    read_opened,
    real_below,
    store_paths,
    student_digest,
    why,
)
from reader_ext.errors import AnnotationError, StoreError
from reader_ext.lessons.layout import STORE_FILE
from reader_ext.store.collected import Collected
from reader_ext.store.untrusted import Budget, Held

__all__ = ["ReadStudent", "Reading", "read_guarded", "skip"]


@dataclass(slots=True)
class ReadStudent:
    """A student whose stores were read and checked, ready to merge."""

    result: StudentResult
    stores: list[Submitted]
    author: str | None
    digest: str | None = None
    """Of every store they submitted (:func:`student_digest`), if each could be read."""
    unchanged: Collected | None = None
    """Their record, when their files and rows are as their last clean merge left them: then
    nothing of theirs is read or merged (:mod:`reader_ext.store.collected`)."""
    seen: list[str] = field(default_factory=list)
    """The names of their stores (for the collection's clock, when ``unchanged``)."""


@dataclass(slots=True)
class Reading:
    """What reading every student needs."""

    root: Path
    budget: Budget
    recorded: dict[str, Collected]
    states: dict[str, str]
    held: Held = "vouched"
    """How what is read is held for the merge (:data:`~reader_ext.store.untrusted.Held`)."""


def read_guarded(folder: Path, name: str, work: Path, reading: Reading) -> ReadStudent:
    """One student's submission read; whatever goes wrong skips that student alone."""
    if name.startswith("\x00"):
        result = StudentResult(folder.name, "skipped")
        result.reason = (
            "another folder's name is the same student id once normalised (NFKC); "
            "rename one of them"
        )
        return ReadStudent(result, [], None)
    try:
        return _read_student(folder, name, work, reading)
    except (StoreError, AnnotationError, OSError, ValueError, RuntimeError, RecursionError) as exc:
        result = StudentResult(name, "skipped", f"could not be read ({why(exc)})")
        return ReadStudent(result, [], None)


def _read_student(folder: Path, name: str, work: Path, reading: Reading) -> ReadStudent:
    result = StudentResult(name)
    student = ReadStudent(result, [], None)
    reason = folder_problem(folder, reading.root, name)
    if reason is None:
        paths = store_paths(folder)
        real_folder = real_below(folder.parent, reading.root, folder)
        if not paths:
            reason = f"no {STORE_FILE} in the folder or its module folders"
        opened: list[Opened] = []
        for k, path in enumerate(paths):
            shown = path.relative_to(folder).as_posix()
            try:
                copy = work / f"{k}.sqlite"
                opened.append(open_store(path, shown, real_folder, copy, listed=folder))
            except (StoreError, OSError, ValueError) as exc:
                result.problems.append(f"{shown}: skipped — {why(exc)}")
        student.digest = student_digest(opened) if len(opened) == len(paths) else None
        if _unchanged(student, reading, opened):
            return student
        for one in opened:
            try:
                submitted = read_opened(one, reading.budget, held=reading.held)
            except (StoreError, OSError, ValueError) as exc:
                result.problems.append(f"{one.name}: skipped — {why(exc)}")
                continue
            student.stores.append(submitted)
            result.problems += [f"{one.name}: {p}" for p in submitted.problems]
            result.skipped += submitted.skipped
        result.stores = len(student.stores)
        if paths and not student.stores:
            reason = "no readable annotation store (" + "; ".join(result.problems) + ")"
            result.problems.clear()
        elif paths and result.skipped and not any(s.ids for s in student.stores):
            reason = (
                f"no readable annotation: {result.skipped} row(s) skipped "
                f"({result.problems[0] if result.problems else 'damaged'})"
            )
        elif paths and not any(s.ids or s.deleted or s.event_users for s in student.stores):
            reason = "the annotation store is empty: nothing was written"
    if reason is not None:
        skip(student, reason)
    return student


def _unchanged(student: ReadStudent, reading: Reading, opened: Sequence[Opened]) -> bool:
    """Whether the student's files are byte for byte those of their last clean merge, onto rows
    nobody changed since: then merging them would find every annotation unchanged."""
    result = student.result
    last = reading.recorded.get(result.student)
    if last is None or student.digest is None or student.digest != last.digest:
        return False
    if reading.states.get(result.student) != last.state:
        return False
    student.unchanged = last
    student.seen = [one.name for one in opened]
    result.stores, result.unchanged = len(opened), last.annotations
    result.published_copies = last.published_copies
    return True


def skip(student: ReadStudent, reason: str) -> None:
    result = student.result
    result.status, result.reason, result.stores = "skipped", reason, 0
    result.problems.clear()
    result.skipped = result.unchanged = result.published_copies = 0
    student.unchanged = None
