"""The annotation store: W3C Web Annotations in one database (docs/design.md, decision 3).

An SQLite file by default (beside the lesson), or a PostgreSQL database (a class's, on a hub):
one schema for both (:mod:`reader_ext.store.schema`), SQLAlchemy Core, migrated by Alembic when
the store opens. Every write is one transaction committed before the method returns, with
writers serialised, so two processes on one store lose none of each other's writes, and a write
that returned survives the process being killed. Deletion is soft: the row stays for undo and
audit. :meth:`AnnotationStore.transaction` groups several merges into one transaction.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from reader_ext.annotations import limits
from reader_ext.annotations.shape import GENERATOR, check_annotation, check_size, target_info
from reader_ext.annotations.values import check_username, creator_for, utc_now
from reader_ext.errors import (
    AnnotationError,
    AnnotationNotFoundError,
    BatchStale,
    NotYourAnnotationError,
    StoreError,
)
from reader_ext.store import driver, rows
from reader_ext.store.engine import WRITE, denied, open_engine, store_url
from reader_ext.store.merge import ImportResult, StoreTransaction
from reader_ext.store.rows import Annotation
from reader_ext.store.schema import annotation_table, rendered_table, view_table

__all__ = [
    "AnnotationError",
    "AnnotationNotFoundError",
    "AnnotationStore",
    "StoreError",
]

_Annotations = list[Annotation]
_Ids = list[str]
_Events = list[dict[str, str]]
_ViewRows = list[tuple[bytes, bytes, str | None, bytes | None]]


class AnnotationStore:
    """Annotations of one class or one student, in the SQLite file at ``path_or_url`` (or the
    PostgreSQL database of a ``postgresql+psycopg://`` URL).

    A missing file is created (its folder must exist). A file that is not SQLite, another
    program's database, or a store from a newer reader-ext raises :class:`StoreError` and is left
    untouched. Methods acting for a user check that the user is the annotation's creator.
    """

    def __init__(self, path_or_url: str | os.PathLike[str]) -> None:
        url, self._path = store_url(
            path_or_url if isinstance(path_or_url, str) else Path(path_or_url)
        )
        self._shown = str(self._path) if self._path else url.render_as_string(hide_password=True)
        self._lock = threading.RLock()
        self._engine: Engine | None = open_engine(url, self._path, self._shown)
        self._batch: Connection | None = None
        self._batch_locked_at: float | None = None

    @property
    def path(self) -> Path:
        """The SQLite file (a PostgreSQL store has none: see :attr:`name`)."""
        if self._path is None:
            msg = f"{self._shown}: a PostgreSQL store has no file"
            raise StoreError(msg)
        return self._path

    @property
    def name(self) -> str:
        """The file's name, or the PostgreSQL database's."""
        if self._path is not None:
            return self._path.name
        return self._shown.rsplit("/", 1)[-1]

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None

    def __enter__(self) -> AnnotationStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"AnnotationStore({self._shown!r})"

    # -- writes on behalf of a user ------------------------------------------------------------

    def add(
        self, annotation: Mapping[str, Any], *, user: str, doc_hash: str | None = None
    ) -> Annotation:
        """Check and store a new annotation by ``user``; return it as stored."""
        check_username(user)
        creator = creator_for(user)
        if not isinstance(annotation, Mapping):
            msg = f"annotation: expected a JSON object, got {type(annotation).__name__}"
            raise AnnotationError(msg)
        _check_claimed_creator(annotation.get("creator"), creator, user)
        clean = check_annotation({**annotation, "creator": creator})
        now = utc_now()
        clean.update(created=now, modified=now, generator=dict(GENERATOR))
        clean.setdefault("id", f"urn:uuid:{uuid.uuid4()}")
        clean = rows.ordered(clean)
        check_size(clean)
        with self.transaction() as tx:
            if rows.fetch(tx.conn, clean["id"]) is not None:
                msg = f"id: an annotation {clean['id']} already exists"
                raise AnnotationError(msg)
            info = target_info(clean["target"])
            source = info.source
            if info.kind == "annotation":
                target = rows.fetch(tx.conn, str(info.target_id))
                if target is None or target["deleted_at"] is not None:
                    msg = f"target: no annotation {info.target_id!r} to reply to"
                    raise AnnotationNotFoundError(msg)
                source = target["source"]
            values = rows.row_values(clean, (source, info.target_id, info.prompt_id), tx.seq.next())
            values["doc_hash"] = rows.valid_doc_hash(doc_hash)
            tx.conn.execute(insert(annotation_table), values)
        return clean

    def edit(
        self,
        annotation_id: str,
        *,
        user: str,
        body: list[dict[str, Any]] | None = None,
        target: Mapping[str, Any] | str | None = None,
    ) -> Annotation:
        """Replace the body and/or the target (re-anchoring) of ``user``'s annotation.

        Adding a note to a highlight makes it ``commenting``; removing it makes it a highlight.
        A reply's target and a note's lesson cannot change.
        """
        with self.transaction() as tx:
            row = _own_row(tx.conn, annotation_id, user, live=True)
            new = rows.load(row)
            motivation = new["motivation"]
            if body is not None:
                new["body"] = body
                if motivation != "replying":
                    has_note = any(
                        isinstance(b, Mapping) and b.get("purpose", "commenting") == "commenting"
                        for b in body
                    )
                    new["motivation"] = "commenting" if has_note else "highlighting"
            if target is not None:
                if motivation == "replying":
                    msg = "target: the target of a reply cannot be changed"
                    raise AnnotationError(msg)
                new["target"] = target
            clean = check_annotation(new)
            if target is not None and target_info(clean["target"]).source != row["source"]:
                msg = f"target.source: must stay {row['source']!r}; an annotation cannot move"
                raise AnnotationError(msg)
            clean["modified"] = rows.later_than(row["modified"])
            clean = rows.ordered(clean)
            check_size(clean)
            tx.conn.execute(
                update(annotation_table)
                .where(annotation_table.c.id == row["id"])
                .values(
                    motivation=clean["motivation"],
                    modified=clean["modified"],
                    seq=tx.seq.next(),
                    json=rows.dump(clean),
                )
            )
        return clean

    def delete(self, annotation_id: str, *, user: str) -> None:
        """Hide ``user``'s annotation (soft delete: kept for undo and audit)."""
        with self.transaction() as tx:
            row = _own_row(tx.conn, annotation_id, user, live=False)
            if row["deleted_at"] is None:
                rows.set_deleted(tx.conn, [row["id"]], tx.seq, deleted=True)

    def restore(self, annotation_id: str, *, user: str) -> Annotation:
        """Undo :meth:`delete`; return the annotation."""
        with self.transaction() as tx:
            row = _own_row(tx.conn, annotation_id, user, live=False)
            if row["deleted_at"] is not None:
                rows.set_deleted(tx.conn, [row["id"]], tx.seq, deleted=False)
        return rows.load(row)

    # -- reads ---------------------------------------------------------------------------------

    def get(self, annotation_id: str, *, include_deleted: bool = False) -> Annotation | None:
        with self._read() as conn:
            row = rows.fetch(conn, annotation_id)
        if row is None or (row["deleted_at"] is not None and not include_deleted):
            return None
        return rows.load(row)

    def list(
        self,
        *,
        source: str | None = None,
        creator: str | None = None,
        include_deleted: bool = False,
    ) -> _Annotations:
        """Annotations ordered by ``created``, then ``id``; ``creator`` is a username."""
        where = rows.filters(source=source, creator=creator, include_deleted=include_deleted)
        query = select(annotation_table.c.json).where(where)
        with self._read() as conn:
            found = conn.execute(query.order_by(annotation_table.c.created, annotation_table.c.id))
            return [rows.load_json(j) for j in found.scalars()]

    def list_chunks(self, *, source: str | None = None, size: int = 1000) -> Iterator[_Annotations]:
        """:meth:`list` (live ones only) in chunks of ``size``, all from one read: for callers
        that need not hold every annotation at once (opening a lesson with 100,000)."""
        where = rows.filters(source=source)
        query = select(annotation_table.c.json).where(where)
        query = query.order_by(annotation_table.c.created, annotation_table.c.id)
        with self._read() as conn:
            for part in conn.execute(query).scalars().partitions(size):
                yield [rows.load_json(j) for j in part]

    def changes_since(
        self, seq: int, *, source: str | None = None
    ) -> tuple[int, _Annotations, _Ids]:
        """``(latest seq, annotations changed after seq, ids deleted after seq)``.

        Pass the returned seq next time to get only what changed since this call.
        """
        where = rows.filters(source=source, include_deleted=True, since=seq)
        query = select(
            annotation_table.c.id, annotation_table.c.deleted_at, annotation_table.c.json
        )
        with self._read() as conn:
            latest = rows.SeqCounter(conn).latest()
            found = conn.execute(query.where(where).order_by(annotation_table.c.seq)).all()
        changed = [rows.load({"json": j}) for _, gone, j in found if gone is None]
        deleted = [str(i) for i, gone, _ in found if gone is not None]
        return latest, changed, deleted

    def snapshot(self) -> tuple[_Annotations, _Ids, _Events]:
        """Everything at once, from one read: ``(live annotations in seq order, ids of the
        deleted ones, every event)``, as collect reads a submitted store."""
        with self._read() as conn:
            return rows.snapshot(conn)

    def count(self, *, source: str | None = None, include_deleted: bool = False) -> int:
        where = rows.filters(source=source, include_deleted=include_deleted)
        with self._read() as conn:
            return int(conn.execute(select(func.count()).where(where)).scalar_one())

    def creators(self) -> set[str]:
        """Every username with an annotation in the store (deleted ones included)."""
        with self._read() as conn:
            return rows.creators(conn)

    def owners(self, ids: Iterable[str]) -> dict[str, str]:
        """The creator of each of ``ids`` the store holds (deleted ones included)."""
        with self._read() as conn:
            return {i: str(r["creator"]) for i, r in rows.fetch_many(conn, ids).items()}

    # -- merges (not on behalf of a user) ------------------------------------------------------

    def import_annotations(self, annotations: Iterable[Mapping[str, Any]]) -> ImportResult:
        """Merge annotations written elsewhere, keeping their creators; idempotent by id.

        See :meth:`reader_ext.store.merge.StoreTransaction.import_annotations`.
        """
        with self.transaction() as tx:
            return tx.import_annotations(annotations)

    @contextmanager
    def transaction(self) -> Iterator[StoreTransaction]:
        """One write transaction: what is done through it is committed together, or not at all.

        Writers are serialised (other processes wait up to the busy timeout); an exception
        rolls everything back, and a database error is raised as :class:`StoreError`.
        """
        with self._lock:
            try:
                if self._batch is not None:
                    # Inside batch(): a savepoint, undone alone, committed with the batch.
                    with driver.savepoint(self._batch):
                        tx = StoreTransaction(self._batch)
                        yield tx
                        tx.flush()
                    return
                with self._connect(write=True) as conn, conn.begin():
                    tx = StoreTransaction(conn)
                    yield tx
                    tx.flush()
            except (SQLAlchemyError, sqlite3.Error) as exc:
                raise StoreError(self._not_saved(exc)) from exc

    @contextmanager
    def batch(self, *, lock_late: bool = False) -> Iterator[None]:
        """Many transactions, one commit: each :meth:`transaction` inside is a savepoint (its
        failure undoes it alone), and what they did is committed together when the batch ends
        (or not at all, if the batch raises). Reads inside see the batch's writes.

        For many small merges in a row (collecting a class): one commit, and one write of each
        changed page, instead of one per transaction. Other writers wait meanwhile.

        ``lock_late`` (SQLite): the batch reads from one snapshot without the write lock, and
        takes it at :meth:`lock_batch`, called before its first write; if another writer
        committed meanwhile, that raises :class:`BatchStale` and the caller does the batch
        again (a collect merges a group of students this way, holding the lock only for the
        group's writes). On PostgreSQL the lock is taken at once, as without it.
        """
        with self._lock:
            if self._batch is not None:
                yield
                return
            late = lock_late and self._path is not None  # SQLite
            try:
                with self._connect(write=not late) as conn, conn.begin():
                    self._batch = conn
                    self._batch_locked_at = None if late else time.monotonic()
                    try:
                        yield
                    finally:
                        self._batch = None
                        self._batch_locked_at = None
            except (SQLAlchemyError, sqlite3.Error) as exc:
                raise StoreError(self._not_saved(exc)) from exc

    @property
    def batch_locked_at(self) -> float | None:
        """When (``time.monotonic``) the open batch took the write lock; ``None`` if not yet."""
        return self._batch_locked_at

    def lock_batch(self) -> None:
        """Take the write lock for a batch begun with ``lock_late`` (waiting up to the busy
        timeout while another writer holds it): a statement that writes nothing does. Raise
        :class:`BatchStale` if another writer committed since the batch's snapshot."""
        batch = self._batch
        if batch is None or self._batch_locked_at is not None:
            return
        conn = batch.connection.driver_connection
        if not isinstance(conn, sqlite3.Connection):
            raise TypeError("a batch begun with lock_late is SQLite's")
        try:
            conn.execute("DELETE FROM events WHERE 0")
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorname", "") == "SQLITE_BUSY_SNAPSHOT":
                raise BatchStale(self._shown) from exc
            raise StoreError(self._not_saved(exc)) from exc
        self._batch_locked_at = time.monotonic()

    def _not_saved(self, exc: Exception) -> str:
        return denied(self._path, _cause(exc)) or (
            f"{self._shown}: the annotation store could not save ({_cause(exc)}); try again"
        )

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """One read transaction (one snapshot) for the store's own modules, such as the class
        store's tables beside the annotations."""
        with self._read() as conn:
            yield conn

    # -- private events ------------------------------------------------------------------------

    def record_event(self, kind: str, *, user: str, source: str, key: str) -> None:
        """Remember a private reading event, e.g. ``record_event("gloss-opened", ...)``."""
        check_username(user)
        for name, value in (("kind", kind), ("source", source), ("key", key)):
            if not isinstance(value, str) or not 0 < len(value) <= limits.MAX_EVENT_FIELD_CHARS:
                msg = f"{name}: 1 to {limits.MAX_EVENT_FIELD_CHARS} characters"
                raise AnnotationError(msg)
        row = {"kind": kind, "user": user, "source": source, "key": key, "at": utc_now()}
        with self.transaction() as tx:
            rows.insert_events(tx.conn, [row])

    def events(self, kind: str | None = None) -> _Events:
        with self._read() as conn:
            return rows.event_rows(conn, kind)

    # -- derived data --------------------------------------------------------------------------

    def rendered(self, versions: Mapping[str, str]) -> dict[str, str]:
        """Cached HTML for the annotation ids in ``versions`` whose cached version matches."""
        with self._read() as conn:
            found = rows.rendered_many(conn, versions)
        return {i: html for i, (version, html) in found.items() if versions[i] == version}

    def save_rendered(self, items: Iterable[tuple[str, str, str]]) -> None:
        """Cache ``(id, version, html)`` triples (replacing older versions)."""
        self._keep(rendered_table, items)

    def view_rows(self, *, source: str, size: int = 1000) -> Iterator[_ViewRows]:
        """The live annotations of ``source`` as :meth:`list_chunks` orders them, each as its
        ``(id, stored JSON, context, sealed view)``, the last two ``None`` where no view is
        kept: one query, from one read, in chunks of ``size``. The id, JSON and view come as
        their UTF-8 bytes, never decoded: the reader checks the view's seal over the JSON and
        sends the view as it is (:mod:`reader_ext.widget.views`); to the store they are text."""
        with self._read() as conn:
            query = rows.view_rows(source, postgresql=conn.dialect.name == "postgresql")
            for part in conn.execute(query).partitions(size):
                yield cast(_ViewRows, part)  # rows unpack as tuples: not copied

    def save_views(self, items: Iterable[tuple[str, str, str]]) -> None:
        """Keep ``(id, context, sealed view)`` triples (replacing what was kept for those ids)."""
        self._keep(view_table, items)

    def _keep(self, table: Table, items: Iterable[tuple[str, str, str]]) -> None:
        """Derived rows put in ``table`` (:func:`rows.replace`); nothing to keep, no write."""
        items = list(items)
        if items:
            with self.transaction() as tx:
                rows.replace(tx.conn, table, items)

    # -- plumbing ------------------------------------------------------------------------------

    def _connect(self, *, write: bool) -> Connection:
        if self._engine is None:
            msg = f"{self._shown}: the annotation store is closed"
            raise StoreError(msg)
        conn = self._engine.connect()
        if write:
            # Read committed (PostgreSQL's default) under the writers' lock: every statement
            # sees all that was committed before the lock was taken.
            return conn.execution_options(**{WRITE: True})
        if conn.dialect.name == "postgresql":
            # One snapshot for all the queries of a read, as SQLite's read transaction gives.
            return conn.execution_options(isolation_level="REPEATABLE READ")
        return conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        # One read transaction: all queries of a call see the same snapshot.
        with self._lock:
            if self._batch is not None:
                yield self._batch
                return
            try:
                with self._connect(write=False) as conn, conn.begin():
                    yield conn
            except (SQLAlchemyError, sqlite3.Error) as exc:
                msg = f"{self._shown}: the annotation store could not be read ({_cause(exc)})"
                raise StoreError(msg) from exc


def _cause(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc).strip().splitlines()[0]


def _own_row(conn: Connection, annotation_id: str, user: str, *, live: bool) -> Any:
    row = rows.fetch(conn, annotation_id)
    if row is None or (live and row["deleted_at"] is not None):
        msg = f"no annotation {annotation_id!r}" + (" (it was deleted)" if row else "")
        raise AnnotationNotFoundError(msg)
    if row["creator"] != user:
        msg = f"{user!r} may not change annotation {annotation_id!r}: only its creator may"
        raise NotYourAnnotationError(msg)
    return row


def _check_claimed_creator(claimed: object, creator: dict[str, str], user: str) -> None:
    if claimed is None:
        return
    if isinstance(claimed, Mapping):
        nickname, claimed_id = claimed.get("nickname"), claimed.get("id")
        if nickname in (None, user) and claimed_id in (None, creator["id"]):
            return
    elif claimed == creator["id"]:
        return
    msg = f"creator: the annotation names another creator than the current user {user!r}"
    raise NotYourAnnotationError(msg)
