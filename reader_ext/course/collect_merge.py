"""Collecting a class, phase 2: each student merged in a transaction of their own, a group of
them in one commit.

On SQLite a group is merged from one snapshot without the write lock: its new rows and events
wait for its end and are written then, in one burst under the lock (taken earlier only by a
write that cannot wait: an edit of a row the class store holds). A kernel saving a note meanwhile
does not wait for the group's merging, only for that burst; its commit makes the group's
snapshot stale, so the group is undone and merged again under the lock
(:class:`~reader_ext.errors.BatchStale`, :meth:`AnnotationStore.lock_batch`). Fewer, larger
commits are what keeps the writes of a large class near twice the class store's size.

The rules are :mod:`reader_ext.course.collect`'s; the merging of each annotation is the store's
(:class:`reader_ext.store.merge.StoreTransaction`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from reader_ext.course.collect_read import ReadStudent
from reader_ext.course.collect_report import StudentResult
from reader_ext.course.submissions import merge_contents
from reader_ext.errors import AnnotationError, StoreError
from reader_ext.store import collected, rows
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.store.collected import Collected
from reader_ext.store.untrusted import Budget

__all__ = ["Again", "Before", "Group", "insert_waiting", "merge_student", "record"]

# New rows a group holds until its end (about 1.5 KB each): a group ends after the student
# who brings it to this many, so that its memory stays bounded whatever the submissions hold.
WAITING_ROWS = 50_000


class Group:
    """Students merged in one commit, and what their merges need of the class store, read once
    for them all inside it: when each of their stores was last seen, their events' keys."""

    def __init__(
        self, students: Sequence[ReadStudent], store: AnnotationStore, defer: bool = True
    ) -> None:
        self.students = students
        names = [s.result.student for s in students if s.result.status == "collected"]
        with store.transaction() as tx:
            self.last_seen = collected.last_seen(tx.conn, names)
            self.event_keys = rows.event_keys_many(tx.conn, names)
        self.seen: list[tuple[str, str]] = []
        """(student, store) merged, or unchanged: the stores whose clock moves on."""
        self.seq: rows.SeqCounter | None = None
        self.waiting: dict[str, dict[str, Any]] | None = {} if defer else None
        """The new rows of the students merged so far, inserted together at the group's end
        (:func:`insert_waiting`); ``None``: each student's are inserted in their savepoint."""
        self.events: list[dict[str, str]] = []
        """Their new events, inserted with the rows (when they wait)."""

    def full(self) -> bool:
        """Whether the group's waiting rows are as many as one group may hold in memory."""
        return self.waiting is not None and len(self.waiting) >= WAITING_ROWS


class Again(Exception):
    """The new rows of a group could not be inserted together: merge the group again."""


class Before:
    """What merging a student changes of them, as it was before: if their group is merged
    again (:class:`Again`), it starts from this."""

    def __init__(self, student: ReadStudent) -> None:
        self.student, self.result = student, replace(student.result)
        self.problems = list(student.result.problems)
        self.held = [s.held for s in student.stores]

    def restore(self) -> None:
        self.student.result = replace(self.result, problems=list(self.problems))
        for submitted, held in zip(self.student.stores, self.held, strict=True):
            submitted.held = held


def insert_waiting(store: AnnotationStore, group: Group) -> None:
    """The group's new rows, in the order of their ids, and its new events, under the write
    lock: ids are random, and an index filled in order touches each of its pages once, where one
    student after another touches them all again (2.3 times less CPU for the inserts of a
    class). Replies then get their lessons."""
    if not group.waiting and not group.events:
        return
    store.lock_batch()  # BatchStale if another writer committed since the group began
    waiting = sorted((group.waiting or {}).values(), key=lambda r: str(r["id"]))
    try:
        with store.transaction() as tx:
            rows.insert_rows(tx.conn, waiting)
            rows.insert_events(tx.conn, group.events)
            rows.fill_reply_sources(tx.conn)
    except StoreError as exc:
        raise Again from exc


def record(store: AnnotationStore, group: Group, recorded: dict[str, Collected], seen: str) -> None:
    """After a group's merges, in their commit: the clock of every store merged or unchanged
    moves on, each clean merge is recorded with the state it left, and every other record of
    the group is dropped (such a student is read whole next time)."""
    students = group.students
    group.seen += [(s.result.student, name) for s in students if s.unchanged for name in s.seen]
    store.lock_batch()
    with store.transaction() as tx:
        # Not caught: a store that cannot keep the collection's clock commits nothing of them.
        collected.mark_seen(tx.conn, group.seen, group.last_seen, seen)
    clean = [
        s
        for s in students
        if s.unchanged is None
        and s.digest is not None
        and s.result.status == "collected"
        and not s.result.problems
        and not s.result.skipped
    ]
    kept = {s.result.student for s in clean} | {s.result.student for s in students if s.unchanged}
    stale = [s.result.student for s in students if s.result.student in recorded]
    try:
        with store.transaction() as tx:
            collected.forget(tx.conn, [name for name in stale if name not in kept])
            states = collected.states(tx.conn, [s.result.student for s in clean])
            collected.record(tx.conn, [_collected(s, states[s.result.student]) for s in clean])
    except StoreError:
        # Only the records are lost: the next collect reads these students whole.
        return


def _collected(student: ReadStudent, state: str) -> Collected:
    result = student.result
    assert student.digest is not None
    merged = result.added + result.updated + result.unchanged
    return Collected(
        result.student, student.digest, state, student.author, merged, result.published_copies
    )


def merge_student(
    store: AnnotationStore,
    student: ReadStudent,
    owners: dict[str, set[str]],
    budget: Budget,
    seen: str,
    group: Group,
) -> None:
    name = student.result.student
    marks: list[tuple[str, str]] = []
    counts = StudentResult(
        name,
        stores=student.result.stores,
        problems=student.result.problems,
        skipped=student.result.skipped,
    )
    try:
        with store.transaction() as tx:
            waiting = tx.deferred = None if group.waiting is None else {}
            events = tx.deferred_events = None if group.waiting is None else []
            tx.before_write = store.lock_batch  # a group read without the lock takes it now
            if waiting is not None:
                # The rows waiting are not in the table yet: one count of seq for the group.
                group.seq = tx.seq = group.seq or tx.seq
                tx.elsewhere = group.waiting or {}
            for submitted in student.stores:
                found = merge_contents(submitted, budget)
                since = group.last_seen.get((name, submitted.name))
                marks.append((name, submitted.name))
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
                    found.events,
                    user=name,
                    author=student.author,
                    seen_at=seen,
                    known=group.event_keys.get(name),
                )
                counts.add(merged, [f"{submitted.name}: {p}" for p in merged.problems + problems])
    except (StoreError, ValueError, OSError, AnnotationError, RecursionError) as exc:
        student.result.status = "skipped"
        student.result.reason = f"could not be merged ({exc}); nothing of it was kept"
        student.result.problems = []
        group.event_keys.pop(name, None)  # what its merge added to them was undone
        return
    group.seen += marks
    if waiting and group.waiting is not None:
        group.waiting.update(waiting)
    if events:
        group.events += events
    student.result = counts
