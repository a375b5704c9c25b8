"""Collecting a class: every student's annotation store merged into one class store.

docs/design.md, decision 7. Submissions come in our layout (``SUBMISSIONS/<student>/<module>/
annotations.sqlite``, or the store directly in ``<student>/``) or nbgrader's
(``submitted/<student>/<assignment>/annotations.sqlite``). Rules, and why:

- **The student is the submission folder's name** (nbgrader's student id), and becomes each
  annotation's creator in the class store. On a shared JupyterHub image every student may run as
  the same OS user (``jovyan``), so the name a store records says nothing about who submitted it;
  the submission system's id does.
- **One local author per store.** The author of most annotations in a store is its local author.
  Annotations by anyone else claim another person and are skipped and reported, except *published
  copies*: annotations the class store already holds under the author they name (``publish``
  gave them to every student), which are skipped silently. A store whose local author is
  another student of the class is someone else's work and is skipped whole.
- **An id submitted by two students is nobody's.** A copied store would otherwise credit
  whichever student sorts first; such annotations are skipped for both and reported.
- **Submissions are never modified and never trusted.** Each store (and its ``-wal`` file, which
  holds the latest writes of a store still open in a kernel) is copied to a private temporary
  folder and read from there: opening a WAL database in place, even read-only, creates a
  ``-shm`` file beside it. Files resolving outside their student's folder (symlinks), files over
  :data:`reader_ext.annotations.limits.MAX_IMPORT_FILE_BYTES`, other programs' databases and
  newer schemas are refused; every annotation goes through the store's checks (shape and size
  limits).
- **A bad submission never harms the others.** Everything of a student is read and checked first,
  then merged in one transaction (a savepoint, committed with a group of students); a failure
  rolls back that student only, and the run goes on.
- **Idempotent.** Ids are kept: collecting again adds what is new, updates what has a newer
  ``modified``, soft-deletes what the student deleted, restores what they restored. Events are
  deduplicated on (student, kind, source, key, time).
- **The collection's own clock.** The class store records when each submitted store (a student's
  ``<module>/annotations.sqlite``) was first and last collected. A claimed ``created`` or
  ``modified`` is never later than this run nor earlier than 2020; what is new since the last
  collection of that store (a new annotation, an edit) is not dated before it; and the
  ``created`` of an annotation already collected never changes.

This module finds, reads and attributes the submissions; the merging itself, with the rules it
applies to each annotation, is the store's (:class:`reader_ext.store.merge.StoreTransaction`):
one :meth:`~reader_ext.store.annotation_store.AnnotationStore.transaction` per student.
"""

from __future__ import annotations

import sys
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from reader_ext.annotations.shape import utc_now
from reader_ext.course.submissions import (
    HELD_ANNOTATIONS,
    Submitted,
    folder_problem,
    merge_contents,
    read_store,
    store_paths,
    why,
)
from reader_ext.errors import AnnotationError, CollectError, StoreError
from reader_ext.lessons.layout import STORE_FILE
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.store.engine import masked
from reader_ext.store.merge import MergeResult
from reader_ext.store.untrusted import MAX_SUBMISSION_ROWS, SUBMISSION_SECONDS, Budget

__all__ = ["CollectReport", "StudentResult", "collect"]

NBGRADER_SUBMITTED = "submitted"
# A hostile store can hold thousands of refused items: the summary shows the first few of each.
_SHOWN_PROBLEMS = 10
# Students merged between two commits of the class store: each commit writes every changed page
# (and syncs it), so one per student wrote 20 times the store's size; a group keeps the lock
# short enough for a kernel saving a note meanwhile (it waits, up to the busy timeout).
_STUDENTS_PER_COMMIT = 100
_COUNTS = ("added", "updated", "deleted", "unchanged", "skipped", "published_copies", "events")


@dataclass(slots=True)
class StudentResult:
    """What happened to one student's submission."""

    student: str
    status: Literal["collected", "skipped"] = "collected"
    reason: str | None = None
    stores: int = 0
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    skipped: int = 0
    """Annotations refused (bad shape, over a limit, claiming someone else)."""
    published_copies: int = 0
    events: int = 0
    """New events (e.g. gloss opens)."""
    problems: list[str] = field(default_factory=list)

    def add(self, merged: MergeResult, problems: Iterable[str]) -> None:
        """Count what merging one of the student's stores did."""
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + getattr(merged, name))
        self.problems.extend(problems)

    def line(self) -> str:
        if self.status == "skipped":
            return f"{self.student}: skipped — {self.reason}"
        counts = ", ".join(f"{getattr(self, k)} {k.replace('_', ' ')}" for k in _COUNTS)
        return f"{self.student}: collected from {self.stores} store(s) — {counts}"


@dataclass(slots=True)
class CollectReport:
    submissions: Path
    into: Path | str
    layout: Literal["ours", "nbgrader"]
    students: list[StudentResult] = field(default_factory=list)

    def total(self, what: str) -> int:
        if what not in _COUNTS:
            msg = f"what: one of {', '.join(_COUNTS)}, got {what!r}"
            raise ValueError(msg)
        return sum(int(getattr(s, what)) for s in self.students)

    @property
    def collected(self) -> list[StudentResult]:
        return [s for s in self.students if s.status == "collected"]

    @property
    def refused(self) -> list[StudentResult]:
        return [s for s in self.students if s.status == "skipped"]

    def summary(self) -> str:
        counts = ", ".join(f"{self.total(k)} {k.replace('_', ' ')}" for k in _COUNTS)
        lines = [
            f"collected {len(self.collected)} of {len(self.students)} submission(s) from "
            f"{self.submissions} ({self.layout} layout) into {masked(self.into)}: {counts}"
        ]
        for student in self.students:
            lines.append("  " + student.line())
            lines += [f"      {p}" for p in student.problems[:_SHOWN_PROBLEMS]]
            if len(student.problems) > _SHOWN_PROBLEMS:
                more = len(student.problems) - _SHOWN_PROBLEMS
                lines.append(f"      ... and {more} more problem(s)")
        return "\n".join(lines)


@dataclass(slots=True)
class _Student:
    """A student whose stores were read and checked, ready to merge."""

    result: StudentResult
    stores: list[Submitted]
    author: str | None


def collect(
    submissions: Path,
    into: Path | str,
    *,
    progress: bool | None = None,
    max_rows: int = MAX_SUBMISSION_ROWS,
    max_seconds: float = SUBMISSION_SECONDS,
) -> CollectReport:
    """Merge every student's store under ``submissions`` into the class store ``into``.

    ``into`` is an SQLite file (created with its folder if missing) or a database URL
    (``postgresql+psycopg://...``). ``max_rows`` and ``max_seconds`` are the budgets of one
    submitted store (:mod:`reader_ext.store.untrusted`): past either it is reported and skipped.
    """
    root, layout = _submissions_root(submissions)
    root_real = root.resolve()
    if not (isinstance(into, str) and "://" in into):
        into = Path(into)
        if into.resolve().is_relative_to(root_real):
            msg = f"{into}: the class store must not be inside the submissions folder {root}"
            raise CollectError(msg)
        into.parent.mkdir(parents=True, exist_ok=True)
    folders = sorted(p for p in root.iterdir() if not p.name.startswith("."))
    report = CollectReport(submissions, into, layout)
    bar = _Progress(2 * len(folders), sys.stderr.isatty() if progress is None else progress)
    budget = Budget(max_rows, max_seconds)
    seen = utc_now()  # the collection's own clock: no claimed time is later than this run
    ids = _student_ids(folders)
    try:
        with (
            AnnotationStore(into) as store,
            tempfile.TemporaryDirectory(prefix="reader-ext-collect-") as tmp,
        ):
            known = {ids[p.name] for p in folders if p.is_dir()} | store.creators()
            students: list[_Student] = []
            held = 0
            for n, folder in enumerate(folders):
                bar.step("reading")
                work = Path(tmp) / str(n)  # made if a store needs a copy on disk
                student = _read_guarded(folder, ids[folder.name], root_real, work, budget)
                merged = student.result.status == "collected"
                for submitted in student.stores:
                    held += submitted.held_annotations
                    if held > HELD_ANNOTATIONS or not merged:
                        submitted.let_go(merged=merged)  # the merge reads its image again
                students.append(student)
            # Who holds each submitted id already: one look-up for the class, not one a student.
            holders = store.owners(
                ident for s in students for submitted in s.stores for ident, _ in submitted.ids
            )
            for student in students:
                _attribute(student, holders, known)
                merged = student.result.status == "collected"
                for submitted in student.stores:
                    if not merged:
                        submitted.let_go(merged=False)
                    elif submitted.held is not None:
                        submitted.image = None  # the merge takes what was read: no bytes kept
            owners = _own_ids(holders, students)
            for start in range(0, len(students), _STUDENTS_PER_COMMIT):
                # One commit for a group of students; each is still a savepoint of its own.
                with store.batch():
                    for student in students[start : start + _STUDENTS_PER_COMMIT]:
                        bar.step("merging")
                        if student.result.status == "collected":
                            _merge(store, student, owners, budget, seen)
                        report.students.append(student.result)
    finally:
        bar.done()
    return report


def _submissions_root(submissions: Path) -> tuple[Path, Literal["ours", "nbgrader"]]:
    if not submissions.is_dir():
        msg = f"{submissions}: no such folder; give the folder holding the student submissions"
        raise CollectError(msg)
    if submissions.name == NBGRADER_SUBMITTED:
        return submissions, "nbgrader"
    if (submissions / NBGRADER_SUBMITTED).is_dir():
        return submissions / NBGRADER_SUBMITTED, "nbgrader"
    return submissions, "ours"


# -- phase 1: read and check each student's stores, writing nothing ----------------------------


def _student_ids(folders: Iterable[Path]) -> dict[str, str]:
    """Each folder's student id: its name in NFKC (a folder copied from macOS is in NFD).

    Two folders whose names are the same student id get an id that no student can have (it
    holds a control character), so both are refused and named.
    """
    ids = {p.name: unicodedata.normalize("NFKC", p.name) for p in folders}
    counts = Counter(ids.values())
    return {name: ident if counts[ident] == 1 else "\x00" + name for name, ident in ids.items()}


def _read_guarded(folder: Path, name: str, root: Path, work: Path, budget: Budget) -> _Student:
    """One student's submission read; whatever goes wrong skips that student alone."""
    if name.startswith("\x00"):
        result = StudentResult(folder.name, "skipped")
        result.reason = (
            "another folder's name is the same student id once normalised (NFKC); "
            "rename one of them"
        )
        return _Student(result, [], None)
    try:
        return _read_student(folder, name, root, work, budget)
    except (StoreError, AnnotationError, OSError, ValueError, RuntimeError, RecursionError) as exc:
        result = StudentResult(name, "skipped", f"could not be read ({why(exc)})")
        return _Student(result, [], None)


def _read_student(folder: Path, name: str, root: Path, work: Path, budget: Budget) -> _Student:
    result = StudentResult(name)
    student = _Student(result, [], None)
    reason = folder_problem(folder, root, name)
    if reason is None:
        paths = store_paths(folder)
        real_folder = folder.resolve()
        if not paths:
            reason = f"no {STORE_FILE} in the folder or its module folders"
        for k, path in enumerate(paths):
            shown = path.relative_to(folder).as_posix()
            try:
                copy = work / f"{k}.sqlite"
                submitted = read_store(path, shown, real_folder, copy, budget)
            except (StoreError, OSError, ValueError) as exc:
                result.problems.append(f"{shown}: skipped — {why(exc)}")
                continue
            student.stores.append(submitted)
            result.problems += [f"{shown}: {p}" for p in submitted.problems]
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
        _skip(student, reason)
    return student


def _skip(student: _Student, reason: str) -> None:
    result = student.result
    result.status, result.reason, result.stores = "skipped", reason, 0
    result.problems.clear()
    result.skipped = 0


def _attribute(student: _Student, holders: dict[str, str], known: set[str]) -> None:
    """The local author of a student's stores, once every submission is read; a store whose
    author is another student of the class is skipped whole."""
    if student.result.status != "collected":
        return
    name = student.result.student
    student.author = _local_author(holders, student)
    if student.author not in (None, name) and student.author in known:
        _skip(
            student,
            f"its annotations are by {student.author!r}, another student of this class "
            "(a copy of their store?); nothing of it was collected",
        )


def _local_author(owners: dict[str, str], student: _Student) -> str | None:
    """The author of most of the student's own annotations (else of their events);
    ``owners``: the class store's creator of each id it holds."""
    name = student.result.student
    authors: Counter[str] = Counter()
    handed_back: Counter[str] = Counter()
    for submitted in student.stores:
        for ident, author in submitted.ids:
            owner = owners.get(ident)
            if owner == name == author:
                # Maybe the student's own annotation handed back by publish under their class
                # id: it must not outvote the local name they write under.
                handed_back[author] += 1
            elif owner is None or owner == name:
                authors[author] += 1
    if not authors:
        authors = handed_back
    if not authors:
        authors.update(u for s in student.stores for u in s.event_users)
    if not authors:
        return None
    # Most annotations first; a tie goes to the folder's own name, then alphabetically.
    return min(authors, key=lambda a: (-authors[a], a != name, a))


def _own_ids(held: dict[str, str], students: Iterable[_Student]) -> dict[str, set[str]]:
    """Which students submit each id as their own and new to the class store (``held``: the
    ids it holds)."""
    claims = [
        (ident, student.result.student)
        for student in students
        if student.result.status == "collected"
        for submitted in student.stores
        for ident, author in submitted.ids
        if author == student.author
    ]
    owners: dict[str, set[str]] = {}
    for ident, name in claims:
        if ident not in held:
            owners.setdefault(ident, set()).add(name)
    return owners


# -- phase 2: merge one student in one transaction ----------------------------------------------


def _merge(
    store: AnnotationStore,
    student: _Student,
    owners: dict[str, set[str]],
    budget: Budget,
    seen: str,
) -> None:
    name = student.result.student
    counts = StudentResult(
        name,
        stores=student.result.stores,
        problems=student.result.problems,
        skipped=student.result.skipped,
    )
    try:
        with store.transaction() as tx:
            for submitted in student.stores:
                found = merge_contents(submitted, budget)
                since = tx.mark_seen(name, submitted.name, seen)
                merged = tx.merge_submission(
                    found.live,
                    student=name,
                    author=student.author,
                    shared=owners,
                    seen=seen,
                    since=since,
                )
                merged.deleted = tx.apply_deletions(found.deleted, student=name)
                merged.events, problems = tx.import_events(
                    found.events, user=name, author=student.author, seen_at=seen
                )
                counts.add(merged, [f"{submitted.name}: {p}" for p in merged.problems + problems])
    except (StoreError, ValueError, OSError, AnnotationError, RecursionError) as exc:
        student.result.status = "skipped"
        student.result.reason = f"could not be merged ({exc}); nothing of it was kept"
        student.result.problems = []
        return
    student.result = counts


class _Progress:
    """One self-rewriting stderr line; tqdm would be a dependency for this alone."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled, self.n = total, enabled and total > 0, 0

    def step(self, label: str) -> None:
        self.n += 1
        if self.enabled:
            sys.stderr.write(f"\rcollect: {label} {self.n}/{self.total} ")
            sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()
