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
- **Submissions are never modified and never trusted.** Each store's bytes are read into memory
  and opened from there (a store with a ``-wal`` file, which holds the latest writes of a store
  still open in a kernel, is copied with it to a private temporary folder): opening a WAL
  database in place, even read-only, creates a ``-shm`` file beside it. Past a first memory
  bound what was read is held as its JSON text (decoded again for the merge); a store let go
  past a second is read again for its merge and taken only if byte for byte what was checked
  (SHA-256); one that changed meanwhile is skipped, named. Files resolving outside their
  student's folder (symlinks), files over
  :data:`reader_ext.annotations.limits.MAX_IMPORT_FILE_BYTES`, other programs' databases and
  newer schemas are refused; every annotation goes through the store's checks (shape and size
  limits).
- **A bad submission never harms the others.** Everything of a student is read and checked first,
  then merged in one transaction (a savepoint, committed with a group of students); a failure
  rolls back that student only, and the run goes on. A group holds the class store's write lock
  only for its writes (:mod:`reader_ext.course.collect_merge`).
- **Idempotent.** Ids are kept: collecting again adds what is new, updates what has a newer
  ``modified``, soft-deletes what the student deleted, restores what they restored. Events are
  deduplicated on (student, kind, source, key, time). A student whose files are byte for byte
  those of their last clean merge (SHA-256 of the bytes read, per student), onto rows of theirs
  nobody changed since, is not decoded or checked again (:mod:`reader_ext.store.collected`).
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
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from reader_ext.annotations.values import utc_now
from reader_ext.course.collect_merge import (
    Again,
    Before,
    Group,
    insert_waiting,
    merge_student,
    record,
)
from reader_ext.course.collect_read import Reading, ReadStudent, read_guarded, skip
from reader_ext.course.collect_report import CollectReport, Progress, StudentResult
from reader_ext.course.submissions import HELD_ANNOTATIONS, PACKED_CHARS
from reader_ext.errors import BatchStale, CollectError
from reader_ext.gcpause import gc_paused
from reader_ext.store import collected
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.store.untrusted import MAX_SUBMISSION_ROWS, SUBMISSION_SECONDS, Budget

__all__ = ["CollectReport", "StudentResult", "collect"]

NBGRADER_SUBMITTED = "submitted"
# Students merged between two commits of the class store: each commit writes every changed page
# (and syncs it), the indexes' pages again at each commit (ids are random), so one per student
# wrote 20 times the store's size, one per 100 students 3.4 times, one per 250 2.5 times at
# 1,000 students and 5.8 times at 5,000. A group is merged from a snapshot without the write
# lock (SQLite), its writes waiting for its end; it takes the lock for them, or at the first
# write that cannot wait (an edit of a row already in the class store), and ends
# _COMMIT_SECONDS after that, which keeps the lock short enough for a kernel saving a note
# meanwhile (it waits, up to the busy timeout of 10 s). Unlocked, it ends after
# _SNAPSHOT_SECONDS (or WAITING_ROWS new rows): if another writer commits meanwhile, the group
# is merged again under the lock, so a longer one risks more work done twice.
_STUDENTS_PER_COMMIT = 1000
_COMMIT_SECONDS = 2.0
_SNAPSHOT_SECONDS = 10.0


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
    with gc_paused():
        return _collect(submissions, into, progress, max_rows, max_seconds)


def _collect(
    submissions: Path,
    into: Path | str,
    progress: bool | None,
    max_rows: int,
    max_seconds: float,
) -> CollectReport:
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
    bar = Progress(2 * len(folders), sys.stderr.isatty() if progress is None else progress)
    budget = Budget(max_rows, max_seconds)
    seen = utc_now()  # the collection's own clock: no claimed time is later than this run
    ids = _student_ids(folders)
    try:
        with (
            AnnotationStore(into) as store,
            tempfile.TemporaryDirectory(prefix="reader-ext-collect-") as tmp,
        ):
            known = {ids[p.name] for p in folders if p.is_dir()} | store.creators()
            with store.reading() as conn:
                recorded = collected.records(conn)
                states = collected.states(conn, recorded)
            reading = Reading(root_real, budget, recorded, states)
            students: list[ReadStudent] = []
            held = packed = 0
            for n, folder in enumerate(folders):
                bar.step("reading")
                work = Path(tmp) / str(n)  # made if a store needs a copy on disk
                # Past HELD_ANNOTATIONS decoded, what is read is held as its text.
                texts = held > HELD_ANNOTATIONS
                reading.held = "text" if texts else "vouched"
                student = read_guarded(folder, ids[folder.name], work, reading)
                merged = student.result.status == "collected"
                for submitted in student.stores:
                    held += submitted.held_annotations
                    packed += submitted.held_chars
                    if not merged or (packed > PACKED_CHARS if texts else held > HELD_ANNOTATIONS):
                        submitted.let_go(merged=merged)  # the merge reads its image again
                    elif submitted.held is not None:
                        submitted.image = None  # the merge takes what was read: no bytes kept
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
            owners = _own_ids(holders, students)
            start, defer = 0, True
            while start < len(students):
                # One commit for a group of students; each is still a savepoint of its own.
                chunk = students[start : start + _STUDENTS_PER_COMMIT]
                before = [Before(s) for s in chunk]
                try:
                    with store.batch(lock_late=defer):
                        group = Group(chunk, store, defer)
                        begun = time.monotonic()
                        for n, student in enumerate(group.students):
                            if n and (_over_time(store, begun) or group.full()):
                                group.students = group.students[:n]
                                break
                            bar.step("merging")
                            if student.result.status == "collected" and student.unchanged is None:
                                merge_student(store, student, owners, budget, seen, group)
                        insert_waiting(store, group)
                        record(store, group, recorded, seen)
                except (Again, BatchStale):
                    # Nothing of the group was kept (its rows could not be inserted together,
                    # or another writer committed since its snapshot): merge it again under the
                    # lock, each student's new rows inserted in their own savepoint (a failure
                    # there skips them alone).
                    for one in before:
                        one.restore()
                    defer = False
                    continue
                report.students += [s.result for s in group.students]
                start, defer = start + len(group.students), True
    finally:
        bar.done()
    return report


def _over_time(store: AnnotationStore, begun: float) -> bool:
    """Whether a group has run long enough: _COMMIT_SECONDS with the write lock held, else
    _SNAPSHOT_SECONDS since it began."""
    now, locked = time.monotonic(), store.batch_locked_at
    if locked is not None:
        return now > locked + _COMMIT_SECONDS
    return now > begun + _SNAPSHOT_SECONDS


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


def _attribute(student: ReadStudent, holders: dict[str, str], known: set[str]) -> None:
    """The local author of a student's stores, once every submission is read; a store whose
    author is another student of the class is skipped whole."""
    if student.result.status != "collected":
        return
    name = student.result.student
    if student.unchanged is not None:
        student.author = student.unchanged.author
    else:
        student.author = _local_author(holders, student)
    if student.author not in (None, name) and student.author in known:
        skip(
            student,
            f"its annotations are by {student.author!r}, another student of this class "
            "(a copy of their store?); nothing of it was collected",
        )


def _local_author(owners: dict[str, str], student: ReadStudent) -> str | None:
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


def _own_ids(held: dict[str, str], students: Iterable[ReadStudent]) -> dict[str, set[str]]:
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
