"""Row-level SQL of the annotation store: one function per statement, no policy.

:mod:`reader_ext.store.annotation_store` decides who may do what; these functions run inside
its transactions.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from typing import Any

from reader_ext.annotations.shape import (
    KEY_ORDER,
    check_annotation,
    check_size,
    content_id,
    creator_for,
    format_time,
    parse_time,
    target_info,
    utc_now,
)
from reader_ext.errors import AnnotationError, AnnotationNotFoundError

Annotation = dict[str, Any]
_COLUMNS = "id, source, creator, motivation, target_id, prompt_id, created, modified, seq, json"
_MAX_DOC_HASH_CHARS = 128


def import_one(conn: sqlite3.Connection, item: object) -> str:
    """Store one imported item; return "added", "updated" or "unchanged"."""
    clean = check_annotation(item)
    clean.setdefault("creator", creator_for("unknown"))
    stamp = clean.get("modified", clean.get("created"))
    if "id" not in clean:
        clean["id"] = content_id(clean)
    clean.setdefault("created", utc_now())
    clean.setdefault("modified", clean["created"])
    clean = ordered(clean)
    check_size(clean)
    existing = fetch(conn, clean["id"])
    if existing is None:
        insert(conn, clean, None, live_target=False)
        return "added"
    if existing["creator"] != clean["creator"]["nickname"]:
        msg = f"id: {clean['id']} already belongs to {existing['creator']!r}; not replaced"
        raise AnnotationError(msg)
    if stamp is None or parse_time(stamp, "modified") <= parse_time(existing["modified"], "x"):
        return "unchanged"
    source, target_id, prompt_id = index_target(conn, clean, live_target=False)
    conn.execute(
        "UPDATE annotations SET source = ?, motivation = ?, target_id = ?, prompt_id = ?, "
        "created = ?, modified = ?, seq = ?, json = ? WHERE id = ?",
        (
            source,
            clean["motivation"],
            target_id,
            prompt_id,
            clean["created"],
            clean["modified"],
            next_seq(conn),
            dump(clean),
            clean["id"],
        ),
    )
    return "updated"


def insert(
    conn: sqlite3.Connection, clean: Annotation, doc_hash: str | None, *, live_target: bool
) -> None:
    source, target_id, prompt_id = index_target(conn, clean, live_target=live_target)
    conn.execute(
        "INSERT INTO annotations (id, source, creator, motivation, target_id, prompt_id, "
        "created, modified, deleted_at, doc_hash, seq, json) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)",
        (
            clean["id"],
            source,
            clean["creator"]["nickname"],
            clean["motivation"],
            target_id,
            prompt_id,
            clean["created"],
            clean["modified"],
            doc_hash,
            next_seq(conn),
            dump(clean),
        ),
    )


def index_target(
    conn: sqlite3.Connection, clean: Annotation, *, live_target: bool
) -> tuple[str | None, str | None, str | None]:
    """(source, target_id, prompt_id) columns; a reply takes its lesson from what it answers."""
    info = target_info(clean["target"])
    if info.kind != "annotation":
        return info.source, info.target_id, info.prompt_id
    row = fetch(conn, str(info.target_id))
    if live_target and (row is None or row["deleted_at"] is not None):
        msg = f"target: no annotation {info.target_id!r} to reply to"
        raise AnnotationNotFoundError(msg)
    return (row["source"] if row else None), info.target_id, None


def fill_reply_sources(conn: sqlite3.Connection) -> None:
    # Imported replies may precede what they answer; each pass resolves one more reply level.
    while (
        conn.execute(
            "UPDATE annotations SET source = (SELECT t.source FROM annotations t "
            "WHERE t.id = annotations.target_id) WHERE source IS NULL AND target_id IS NOT NULL "
            "AND (SELECT t.source FROM annotations t WHERE t.id = annotations.target_id) "
            "IS NOT NULL"
        ).rowcount
        > 0
    ):
        pass


def filters(
    *,
    source: str | None = None,
    creator: str | None = None,
    include_deleted: bool = False,
    since: int | None = None,
) -> tuple[str, tuple[object, ...]]:
    clauses: list[str] = []
    params: list[object] = []
    if source is not None:
        clauses.append("source = ?")
        params.append(source)
    if creator is not None:
        clauses.append("creator = ?")
        params.append(creator)
    if since is not None:
        clauses.append("seq > ?")
        params.append(since)
    if not include_deleted:
        clauses.append("deleted_at IS NULL")
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)


def fetch(conn: sqlite3.Connection, annotation_id: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        f"SELECT {_COLUMNS}, deleted_at FROM annotations WHERE id = ?", (annotation_id,)
    ).fetchone()
    return row


def next_seq(conn: sqlite3.Connection) -> int:
    # Writers are serialised by BEGIN IMMEDIATE, so MAX + 1 only ever grows.
    return int(conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM annotations").fetchone()[0])


def later_than(previous: str) -> str:
    """Now, or just after ``previous`` if the clock says otherwise: edits always sort later."""
    now = utc_now()
    before = parse_time(previous, "modified")
    if parse_time(now, "now") > before:
        return now
    return format_time(before + timedelta(milliseconds=1))


def valid_doc_hash(doc_hash: str | None) -> str | None:
    if doc_hash is not None and (
        not isinstance(doc_hash, str) or not 0 < len(doc_hash) <= _MAX_DOC_HASH_CHARS
    ):
        msg = f"doc_hash: a text hash of at most {_MAX_DOC_HASH_CHARS} characters"
        raise AnnotationError(msg)
    return doc_hash


def ordered(annotation: Annotation) -> Annotation:
    return {k: annotation[k] for k in KEY_ORDER if k in annotation}


def dump(annotation: Annotation) -> str:
    return json.dumps(annotation, ensure_ascii=False, separators=(",", ":"))
