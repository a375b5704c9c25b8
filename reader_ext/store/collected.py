"""Collect's record of each student's last merge, so that an unchanged submission is not read.

A collect with nothing new used to decode and check every annotation again only to find each
unchanged. After a student's clean merge (nothing refused, nothing to report) it records here,
in the same transaction as the merge:

- ``digest``: a digest of the bytes of every store the student submitted (computed by the
  collect from the bytes it read: a file cannot claim it; see
  :func:`reader_ext.course.submissions.student_digest`);
- ``state``: the state of the student's rows in this store right after the merge — how many
  annotations they have and the largest ``seq`` among them, how many events and the largest
  event id. Every write of an annotation gives it a new ``seq`` (an edit, a deletion, a
  restore, by any writer), and events are only ever added, so any change to the student's rows
  since changes the state;
- the local author the merge found, and what it counted (annotations merged, published copies).

A later collect skips reading a student only if the digest of their files is the same, the state
of their rows is the same, and the author is still nobody else of the class: then merging would
find every annotation unchanged and write nothing. Anything else reads and checks everything
as before.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass

from sqlalchemy import Connection, bindparam, func, select, update

from reader_ext.store.rows import batches
from reader_ext.store.schema import (
    annotation_table,
    collected_table,
    event_table,
    submissions_seen_table,
)


@dataclass(frozen=True, slots=True)
class Collected:
    """What the last clean merge of a student left."""

    student: str
    digest: str
    state: str
    author: str | None
    annotations: int
    published_copies: int


def records(conn: Connection) -> dict[str, Collected]:
    """Every student's record, by student."""
    found = conn.execute(select(collected_table)).mappings()
    return {str(r["student"]): Collected(**r) for r in found}


def states(conn: Connection, students: Collection[str] | None = None) -> dict[str, str]:
    """The state of each student's rows (see the module's docstring); every student asked for
    is in the answer (``students=None``: every creator and user of the store)."""
    a, e = annotation_table, event_table
    wanted = None if students is None else list(dict.fromkeys(students))
    chunks: list[list[str] | None] = [None] if wanted is None else list(batches(wanted))
    notes: dict[str, tuple[int, int]] = {}
    events: dict[str, tuple[int, int]] = {}
    for chunk in chunks:
        by_creator = select(a.c.creator, func.count(), func.max(a.c.seq)).group_by(a.c.creator)
        by_user = select(e.c.user, func.count(), func.max(e.c.id)).group_by(e.c.user)
        if chunk is not None:
            by_creator = by_creator.where(a.c.creator.in_(chunk))
            by_user = by_user.where(e.c.user.in_(chunk))
        notes |= {str(w): (int(n), int(m)) for w, n, m in conn.execute(by_creator)}
        events |= {str(w): (int(n), int(m)) for w, n, m in conn.execute(by_user)}
    names = set(notes) | set(events) if wanted is None else wanted
    return {s: _state(notes.get(s, (0, 0)), events.get(s, (0, 0))) for s in names}


def _state(notes: tuple[int, int], events: tuple[int, int]) -> str:
    return f"{notes[0]}:{notes[1]}:{events[0]}:{events[1]}"


def record(conn: Connection, students: Sequence[Collected]) -> None:
    """Replace the records of these students."""
    forget(conn, [s.student for s in students])
    if students:
        conn.execute(collected_table.insert(), [asdict(s) for s in students])


def forget(conn: Connection, students: Iterable[str]) -> None:
    """Drop these students' records: their next collect reads everything."""
    for chunk in batches(students):
        conn.execute(collected_table.delete().where(collected_table.c.student.in_(chunk)))


def last_seen(conn: Connection, students: Collection[str]) -> dict[tuple[str, str], str]:
    """When a collect last saw each (student, submission) of these students (the collection's
    clock, :func:`reader_ext.store.rows.mark_seen`), read once for a group of them."""
    seen = submissions_seen_table
    found: dict[tuple[str, str], str] = {}
    for chunk in batches(students):
        query = select(seen.c.student, seen.c.submission, seen.c.last_seen).where(
            seen.c.student.in_(chunk)
        )
        found |= {(str(s), str(n)): str(t) for s, n, t in conn.execute(query)}
    return found


def mark_seen(
    conn: Connection,
    submissions: Sequence[tuple[str, str]],
    previous: Mapping[tuple[str, str], str],
    at: str,
) -> None:
    """Record that a collect sees these (student, submission) ``at``: first and last seen for a
    new one, ``last_seen`` moved on (never back) for one in ``previous`` (:func:`last_seen`, read
    in the same transaction). Two statements for a group of students, not two for each."""
    seen = submissions_seen_table
    pairs = list(dict.fromkeys(submissions))
    new = [p for p in pairs if p not in previous]
    if new:
        conn.execute(
            seen.insert(),
            [{"student": s, "submission": n, "first_seen": at, "last_seen": at} for s, n in new],
        )
    again = [p for p in pairs if p in previous and previous[p] < at]
    if not again:
        return
    statement = (
        update(seen)
        .where(seen.c.student == bindparam("s_student"))
        .where(seen.c.submission == bindparam("s_submission"))
        .values(last_seen=bindparam("s_at"))
    )
    conn.execute(statement, [{"s_student": s, "s_submission": n, "s_at": at} for s, n in again])
