"""The class store: one course's annotations with who each is for, in the class database.

The annotations themselves live in an :class:`AnnotationStore` on the same database (so
``reader-ext report`` and ``export`` read a class database as they read any store); beside them
this module keeps, per annotation, its :class:`~reader_ext.hub.policy.Audience` — fixed when it
is posted — and per lesson its *hide until posted* setting. The class service opens it, and
``reader-ext class-import`` (:meth:`ClassStore.adopt`) to give imported offline notes theirs.

An annotation whose audience row is missing (a crash between the two writes) is treated as
private to its author: the rules fail closed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from reader_ext.annotations.audience import Audience, Reveal, Role, Visibility
from reader_ext.annotations.fields import author
from reader_ext.annotations.shape import target_info
from reader_ext.annotations.values import utc_now
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.store.notice import NOTIFY_CHANNEL, Notice
from reader_ext.store.rows import batches
from reader_ext.store.schema import annotation_table, class_audience_table, class_reveal_table

if TYPE_CHECKING:
    from reader_ext.store.listener import Listener

audiences = class_audience_table
reveals = class_reveal_table


@dataclass(frozen=True, slots=True)
class Changes:
    """What changed on a lesson after a cursor: annotations with their audience, deleted ids."""

    cursor: int
    annotations: list[tuple[dict[str, Any], Audience]]
    deleted: list[tuple[str, Audience]]


class ClassStore:
    """The class database as the service uses it; every method is one short transaction."""

    def __init__(self, database: str) -> None:
        self._database = database
        self.annotations = AnnotationStore(database if "://" in database else Path(database))

    def close(self) -> None:
        self.annotations.close()

    # -- writes --------------------------------------------------------------------------------

    def post(
        self, annotation: Mapping[str, Any], *, user: str, audience: Audience, doc_hash: str | None
    ) -> dict[str, Any]:
        # One commit for the note and its audience: a reader between the two would take the
        # note for private (no audience yet), and its cursor would pass it by for good.
        with self.annotations.batch():
            stored = self.annotations.add(annotation, user=user, doc_hash=doc_hash)
            info = target_info(stored["target"])
            source = info.source or self._source_of(info.target_id)
            with self.annotations.transaction() as tx:
                tx.conn.execute(
                    audiences.insert().values(
                        annotation_id=stored["id"],
                        source=source or "",
                        author=audience.author,
                        author_role=audience.author_role,
                        visibility=audience.visibility,
                        group_name=audience.group,
                        student=audience.student,
                        is_post=stored.get("motivation") != "highlighting",
                    )
                )
        return stored

    def adopt(
        self,
        students: Iterable[str],
        visibility: Visibility,
        *,
        groups: Mapping[str, str] | None = None,
    ) -> Adopted:
        """Give every annotation by ``students`` that has no audience yet one (an import from
        offline stores): ``visibility`` for each, a reply its thread's. Idempotent.

        ``group`` needs each student's discussion group in ``groups``; a student without one
        gets ``private`` and is named in :attr:`Adopted.ungrouped`.
        """
        wanted = set(students)
        adopted = Adopted()
        a = annotation_table
        with self.annotations.transaction() as tx:
            # Oldest first, so a thread's audience is known before its replies'.
            rows = [
                r
                for r in tx.conn.execute(
                    sa.select(a.c.id, a.c.source, a.c.creator, a.c.motivation, a.c.target_id)
                    .outerjoin(audiences, audiences.c.annotation_id == a.c.id)
                    .where(audiences.c.annotation_id.is_(None))
                    .order_by(a.c.seq)
                )
                if r.creator in wanted
            ]
            known = self._audiences({str(r.target_id) for r in rows if r.target_id})
            values = []
            for row in rows:
                thread = known.get(str(row.target_id)) if row.target_id else None
                chosen = thread or _adopted(row.creator, visibility, groups, adopted)
                audience = Audience(
                    row.creator,
                    "student",
                    chosen.visibility,
                    group=chosen.group,
                    student=chosen.student,
                )
                known[row.id] = audience
                values.append(
                    {
                        "annotation_id": row.id,
                        "source": row.source or "",
                        "author": audience.author,
                        "author_role": audience.author_role,
                        "visibility": audience.visibility,
                        "group_name": audience.group,
                        "student": audience.student,
                        "is_post": row.motivation != "highlighting",
                    }
                )
                adopted.by_student[row.creator] = adopted.by_student.get(row.creator, 0) + 1
                adopted.sources.add(row.source or "")
            for start in range(0, len(values), 1000):
                tx.conn.execute(audiences.insert(), values[start : start + 1000])
        return adopted

    def set_hidden(self, annotation_id: str, *, hidden: bool, by: str) -> bool:
        with self.annotations.transaction() as tx:
            result = tx.conn.execute(
                audiences.update()
                .where(audiences.c.annotation_id == annotation_id)
                .values(hidden_at=utc_now() if hidden else None, hidden_by=by if hidden else None)
            )
        return bool(result.rowcount)

    def set_reveal(self, source: str, reveal: Reveal) -> None:
        values = {
            "after_posts": reveal.after_posts,
            "reveal_at": reveal.at.isoformat() if reveal.at else None,
        }
        with self.annotations.transaction() as tx:
            done = tx.conn.execute(
                reveals.update().where(reveals.c.source == source).values(**values)
            ).rowcount
            if not done:
                tx.conn.execute(reveals.insert().values(source=source, **values))

    # -- reads ---------------------------------------------------------------------------------

    def audience(self, annotation_id: str) -> Audience | None:
        with self.annotations.reading() as conn:
            row = conn.execute(
                sa.select(audiences).where(audiences.c.annotation_id == annotation_id)
            ).first()
        return _audience(row._mapping) if row is not None else None

    def reveal(self, source: str) -> Reveal:
        with self.annotations.reading() as conn:
            row = conn.execute(sa.select(reveals).where(reveals.c.source == source)).first()
        if row is None:
            return Reveal()
        at = row.reveal_at
        return Reveal(row.after_posts, datetime.fromisoformat(at) if at else None)

    def own_posts(self, user: str, source: str) -> int:
        """Notes, replies and answers ``user`` has posted on the lesson (highlights do not count:
        a bare highlight should not reveal classmates' notes)."""
        with self.annotations.reading() as conn:
            count = conn.execute(
                sa.select(sa.func.count()).where(
                    audiences.c.author == user,
                    audiences.c.source == source,
                    audiences.c.is_post.is_(True),
                )
            ).scalar_one()
        return int(count)

    def changes(self, source: str, since: int) -> Changes:
        cursor, changed, deleted = self.annotations.changes_since(since, source=source)
        ids = [a["id"] for a in changed] + list(deleted)
        known = self._audiences(ids)
        return Changes(
            cursor,
            [(a, known.get(a["id"]) or _private(a)) for a in changed],
            [(i, known[i]) for i in deleted if i in known],
        )

    def hidden(self, source: str) -> list[tuple[str, Audience]]:
        with self.annotations.reading() as conn:
            rows = conn.execute(
                sa.select(audiences).where(
                    audiences.c.source == source, audiences.c.hidden_at.is_not(None)
                )
            ).all()
        return [(r.annotation_id, _audience(r._mapping)) for r in rows]

    def _audiences(self, ids: Iterable[str]) -> dict[str, Audience]:
        found: dict[str, Audience] = {}
        with self.annotations.reading() as conn:
            for chunk in batches(ids):
                for row in conn.execute(
                    sa.select(audiences).where(audiences.c.annotation_id.in_(chunk))
                ):
                    found[row.annotation_id] = _audience(row._mapping)
        return found

    def source_of(self, annotation: Mapping[str, Any]) -> str:
        """The lesson an annotation belongs to (a reply: that of the annotation it answers)."""
        info = target_info(annotation["target"])
        return info.source or self._source_of(info.target_id) or ""

    # -- telling the other replicas ------------------------------------------------------------

    @property
    def is_postgresql(self) -> bool:
        return self._database.startswith("postgresql")

    def notify(self, notice: Notice) -> None:
        """NOTIFY every replica listening (PostgreSQL; one SQLite service has no others).

        The payload is only the lesson's uri and whose view changed: NOTIFY payloads are small
        and never replayed, so listeners read what changed from their own cursor.
        """
        if not self.is_postgresql:
            return
        payload = notice.payload()
        with self.annotations.reading() as conn:
            conn.execute(
                sa.text("SELECT pg_notify(:channel, :payload)"),
                {"channel": NOTIFY_CHANNEL, "payload": payload},
            )

    async def listen(self, on_notify: Callable[[Notice], None]) -> Listener | None:
        """Call ``on_notify`` with every NOTIFY's :class:`Notice`; ``None`` on SQLite."""
        if not self.is_postgresql:
            return None
        # psycopg's own connection, imported here: the CLI's commands that open a class store
        # (report, class-import) never listen.
        from reader_ext.store.listener import Listener

        listener = Listener(sa.make_url(self._database), on_notify)
        await listener.start()
        return listener

    def _source_of(self, annotation_id: str | None) -> str | None:
        if annotation_id is None:
            return None
        parent = self.annotations.get(annotation_id, include_deleted=True)
        if parent is None:
            return None
        info = target_info(parent["target"])
        return info.source or self._source_of(info.target_id)


@dataclass(slots=True)
class Adopted:
    """What :meth:`ClassStore.adopt` did: annotations given an audience, by student."""

    by_student: dict[str, int] = field(default_factory=dict)
    ungrouped: set[str] = field(default_factory=set)
    """Students asked for ``group`` with no group given: their notes became ``private``."""
    sources: set[str] = field(default_factory=set)


def _adopted(
    student: str, visibility: Visibility, groups: Mapping[str, str] | None, adopted: Adopted
) -> Audience:
    if visibility == "group":
        group = (groups or {}).get(student)
        if group is None:
            adopted.ungrouped.add(student)
            return Audience(student, "student", "private")
        return Audience(student, "student", "group", group=group)
    if visibility == "instructors":
        return Audience(student, "student", "instructors", student=student)
    return Audience(student, "student", visibility)


def _audience(row: Mapping[Any, Any]) -> Audience:
    role: Role = "instructor" if row["author_role"] == "instructor" else "student"
    visibility: Visibility = row["visibility"]
    return Audience(
        row["author"],
        role,
        visibility,
        group=row["group_name"],
        student=row["student"],
        hidden=row["hidden_at"] is not None,
    )


def _private(annotation: Mapping[str, Any]) -> Audience:
    return Audience(author(annotation) or "", "student", "private")
