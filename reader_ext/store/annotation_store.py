"""The annotation store: W3C Web Annotations in one SQLite file (DESIGN.md, decision 3).

Each annotation is kept as its W3C JSON plus indexed columns for the questions the reader and the
instructor ask (by lesson, by author, replies to an annotation, answers to a prompt, changes since
a sequence number). Every write is one ``BEGIN IMMEDIATE`` transaction committed before the
method returns, so two processes on one file lose none of each other's writes, and a write that
returned survives the process being killed. Deletion is soft: the row stays for undo and audit.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from reader_ext.annotations import limits
from reader_ext.annotations.shape import (
    GENERATOR,
    check_annotation,
    check_size,
    check_username,
    creator_for,
    target_info,
    utc_now,
)
from reader_ext.errors import (
    AnnotationError,
    AnnotationNotFoundError,
    NotYourAnnotationError,
    StoreError,
)
from reader_ext.store.rows import (
    Annotation,
    dump,
    fetch,
    fill_reply_sources,
    filters,
    import_one,
    insert,
    later_than,
    next_seq,
    ordered,
    valid_doc_hash,
)
from reader_ext.store.schema import open_database

__all__ = [
    "AnnotationError",
    "AnnotationNotFoundError",
    "AnnotationStore",
    "ImportResult",
    "SkippedItem",
    "StoreError",
]

_Annotations = list[Annotation]
_Events = list[dict[str, str]]
_Ids = list[str]


@dataclass(slots=True)
class SkippedItem:
    """An imported item that was not stored, and why."""

    index: int
    id: str | None
    reason: str


@dataclass(slots=True)
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[SkippedItem] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.skipped)} skipped"
        )


class AnnotationStore:
    """Annotations of one class or one student, in the SQLite file at ``path``.

    A missing file is created (its folder must exist). A file that is not SQLite, another
    program's database, or a store from a newer reader-ext raises :class:`StoreError` and is left
    untouched. Methods acting for a user check that the user is the annotation's creator.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._path = Path(path)
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = open_database(self._path)
        self._conn.row_factory = sqlite3.Row

    @property
    def path(self) -> Path:
        return self._path

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

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
        return f"AnnotationStore({str(self._path)!r})"

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
        clean = ordered(clean)
        check_size(clean)
        with self._write() as conn:
            if fetch(conn, clean["id"]) is not None:
                msg = f"id: an annotation {clean['id']} already exists"
                raise AnnotationError(msg)
            insert(conn, clean, valid_doc_hash(doc_hash), live_target=True)
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
        with self._write() as conn:
            row = self._own_row(conn, annotation_id, user, live=True)
            new = json.loads(row["json"])
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
            clean["modified"] = later_than(row["modified"])
            clean = ordered(clean)
            check_size(clean)
            conn.execute(
                "UPDATE annotations SET motivation = ?, modified = ?, seq = ?, json = ? "
                "WHERE id = ?",
                (clean["motivation"], clean["modified"], next_seq(conn), dump(clean), row["id"]),
            )
        return clean

    def delete(self, annotation_id: str, *, user: str) -> None:
        """Hide ``user``'s annotation (soft delete: kept for undo and audit)."""
        with self._write() as conn:
            row = self._own_row(conn, annotation_id, user, live=False)
            if row["deleted_at"] is None:
                conn.execute(
                    "UPDATE annotations SET deleted_at = ?, seq = ? WHERE id = ?",
                    (utc_now(), next_seq(conn), row["id"]),
                )

    def restore(self, annotation_id: str, *, user: str) -> Annotation:
        """Undo :meth:`delete`; return the annotation."""
        with self._write() as conn:
            row = self._own_row(conn, annotation_id, user, live=False)
            if row["deleted_at"] is not None:
                conn.execute(
                    "UPDATE annotations SET deleted_at = NULL, seq = ? WHERE id = ?",
                    (next_seq(conn), row["id"]),
                )
        result: Annotation = json.loads(row["json"])
        return result

    # -- reads ---------------------------------------------------------------------------------

    def get(self, annotation_id: str, *, include_deleted: bool = False) -> Annotation | None:
        with self._read() as conn:
            row = fetch(conn, annotation_id)
        if row is None or (row["deleted_at"] is not None and not include_deleted):
            return None
        result: Annotation = json.loads(row["json"])
        return result

    def list(
        self,
        *,
        source: str | None = None,
        creator: str | None = None,
        include_deleted: bool = False,
    ) -> _Annotations:
        """Annotations ordered by ``created``, then ``id``; ``creator`` is a username."""
        where, params = filters(source=source, creator=creator, include_deleted=include_deleted)
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT json FROM annotations {where} ORDER BY created, id", params
            ).fetchall()
        return [json.loads(r["json"]) for r in rows]

    def changes_since(
        self, seq: int, *, source: str | None = None
    ) -> tuple[int, _Annotations, _Ids]:
        """``(latest seq, annotations changed after seq, ids deleted after seq)``.

        Pass the returned seq next time to get only what changed since this call.
        """
        where, params = filters(source=source, include_deleted=True, since=seq)
        with self._read() as conn:
            latest = int(
                conn.execute("SELECT COALESCE(MAX(seq), 0) FROM annotations").fetchone()[0]
            )
            rows = conn.execute(
                f"SELECT id, deleted_at, json FROM annotations {where} ORDER BY seq", params
            ).fetchall()
        changed = [json.loads(r["json"]) for r in rows if r["deleted_at"] is None]
        deleted = [str(r["id"]) for r in rows if r["deleted_at"] is not None]
        return latest, changed, deleted

    def count(self, *, include_deleted: bool = False) -> int:
        where, params = filters(include_deleted=include_deleted)
        with self._read() as conn:
            return int(
                conn.execute(f"SELECT count(*) FROM annotations {where}", params).fetchone()[0]
            )

    # -- import (not on behalf of a user) ------------------------------------------------------

    def import_annotations(self, annotations: Iterable[Mapping[str, Any]]) -> ImportResult:
        """Merge annotations written elsewhere, keeping their creators; idempotent by id.

        An item without an id gets one derived from its content, so importing the same file
        twice adds nothing. An existing id is updated only by a newer ``modified`` from the same
        creator. Items that fail the checks are skipped and listed in the result.
        """
        result = ImportResult()
        with self._write() as conn:
            for index, item in enumerate(annotations):
                raw_id = item.get("id") if isinstance(item, Mapping) else None
                try:
                    outcome = import_one(conn, item)
                except AnnotationError as exc:
                    shown = raw_id if isinstance(raw_id, str) else None
                    result.skipped.append(SkippedItem(index, shown, str(exc)))
                    continue
                setattr(result, outcome, getattr(result, outcome) + 1)
            fill_reply_sources(conn)
        return result

    # -- private events ------------------------------------------------------------------------

    def record_event(self, kind: str, *, user: str, source: str, key: str) -> None:
        """Remember a private reading event, e.g. ``record_event("gloss-opened", ...)``."""
        check_username(user)
        for name, value in (("kind", kind), ("source", source), ("key", key)):
            if not isinstance(value, str) or not 0 < len(value) <= limits.MAX_EVENT_FIELD_CHARS:
                msg = f"{name}: 1 to {limits.MAX_EVENT_FIELD_CHARS} characters"
                raise AnnotationError(msg)
        with self._write() as conn:
            conn.execute(
                "INSERT INTO events (kind, user, source, key, at) VALUES (?, ?, ?, ?, ?)",
                (kind, user, source, key, utc_now()),
            )

    def events(self, kind: str | None = None) -> _Events:
        query = "SELECT kind, user, source, key, at FROM events"
        params: tuple[str, ...] = ()
        if kind is not None:
            query, params = query + " WHERE kind = ?", (kind,)
        with self._read() as conn:
            rows = conn.execute(query + " ORDER BY id", params).fetchall()
        return [dict(r) for r in rows]

    # -- derived data --------------------------------------------------------------------------

    def rendered(self, versions: Mapping[str, str]) -> dict[str, str]:
        """Cached HTML for the annotation ids in ``versions`` whose cached version matches."""
        found: dict[str, str] = {}
        ids = list(versions)
        with self._read() as conn:
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    f"SELECT id, version, html FROM rendered WHERE id IN ({marks})", chunk
                ).fetchall()
                found |= {r["id"]: r["html"] for r in rows if versions[r["id"]] == r["version"]}
        return found

    def save_rendered(self, items: Iterable[tuple[str, str, str]]) -> None:
        """Cache ``(id, version, html)`` triples (replacing older versions)."""
        with self._write() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO rendered (id, version, html) VALUES (?, ?, ?)", items
            )

    # -- plumbing ------------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            msg = f"{self._path}: the annotation store is closed"
            raise StoreError(msg)
        return self._conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        # IMMEDIATE takes the write lock up front (waiting up to the busy timeout), so a
        # transaction never fails half-way because another process wrote meanwhile.
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("BEGIN IMMEDIATE")
                yield conn
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback(conn)
                msg = f"{self._path}: the annotation store could not save ({exc}); try again"
                raise StoreError(msg) from exc
            except BaseException:
                self._rollback(conn)
                raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        # One read transaction: all queries of a call see the same snapshot.
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("BEGIN")
                yield conn
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback(conn)
                msg = f"{self._path}: the annotation store could not be read ({exc})"
                raise StoreError(msg) from exc
            except BaseException:
                self._rollback(conn)
                raise

    @staticmethod
    def _rollback(conn: sqlite3.Connection) -> None:
        if conn.in_transaction:
            conn.execute("ROLLBACK")

    def _own_row(
        self, conn: sqlite3.Connection, annotation_id: str, user: str, *, live: bool
    ) -> sqlite3.Row:
        row = fetch(conn, annotation_id)
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
