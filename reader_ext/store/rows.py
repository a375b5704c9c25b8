"""Row-level statements of the annotation store, in SQLAlchemy Core: no policy.

:mod:`reader_ext.store.annotation_store` and :mod:`reader_ext.store.merge` decide who may do
what; these functions read and write rows inside their transactions, in bulk where they can.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from datetime import timedelta
from typing import Any, TypeVar

import msgspec
from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Connection,
    LargeBinary,
    RowMapping,
    Table,
    Text,
    and_,
    any_,
    bindparam,
    cast,
    column,
    func,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.sql import Select

from reader_ext.annotations.shape import KEY_ORDER
from reader_ext.annotations.values import format_time, parse_time, utc_now
from reader_ext.errors import AnnotationError
from reader_ext.store.schema import (
    annotation_table,
    event_table,
    rendered_table,
    view_table,
)

Annotation = dict[str, Any]
Event = dict[str, str]
_MAX_DOC_HASH_CHARS = 128
_CHUNK = 5000  # ids per statement in fetch_many
IN_LIST = 500
"""Keys per ``IN (...)`` list: a statement per few hundred keeps each one small (and far under
SQLite's limit of 32,766 parameters)."""

_K = TypeVar("_K", bound=Hashable)


def batches(keys: Iterable[_K], size: int = IN_LIST) -> Iterator[list[_K]]:
    """``keys`` without repeats, in their order, in lists of at most ``size``."""
    unique = list(dict.fromkeys(keys))
    for i in range(0, len(unique), size):
        yield unique[i : i + size]


_ROW = select(*(c for c in annotation_table.c if c.name not in ("doc_hash",)))
_BY_IDS_SQLITE = _ROW.where(
    annotation_table.c.id.in_(
        select(column("value", Text)).select_from(func.json_each(bindparam("ids", type_=Text)))
    )
)
_BY_IDS_PG = _ROW.where(annotation_table.c.id == any_(bindparam("ids", type_=ARRAY(Text))))
_RENDERED_SQLITE = select(rendered_table).where(
    rendered_table.c.id.in_(
        select(column("value", Text)).select_from(func.json_each(bindparam("ids", type_=Text)))
    )
)
_RENDERED_PG = select(rendered_table).where(
    rendered_table.c.id == any_(bindparam("ids", type_=ARRAY(Text)))
)
EVENT_KEYS = ("kind", "user", "source", "key", "at")
_VIEWS_JOINED = annotation_table.outerjoin(view_table, view_table.c.id == annotation_table.c.id)


def utf8(text_column: ColumnElement[str], postgresql: bool) -> ColumnElement[bytes]:
    """A text column's UTF-8 bytes as stored, not decoded (PostgreSQL's ``text::bytea`` would
    read backslashes as escapes: ``convert_to`` does not)."""
    if postgresql:
        return func.convert_to(text_column, literal("UTF8"), type_=LargeBinary)
    return cast(text_column, LargeBinary)


def fetch(conn: Connection, annotation_id: str) -> RowMapping | None:
    return conn.execute(_ROW.where(annotation_table.c.id == annotation_id)).mappings().first()


def fetch_many(conn: Connection, ids: Iterable[str]) -> dict[str, RowMapping]:
    """The rows of those ``ids`` that exist, by id: one SELECT per 5,000 ids.

    The ids travel as one parameter (a JSON array for SQLite's ``json_each``, an array for
    PostgreSQL's ``= ANY``), so the statement is the same whatever their number and is compiled
    once per engine.
    """
    query = _BY_IDS_PG if conn.dialect.name == "postgresql" else _BY_IDS_SQLITE
    found: dict[str, RowMapping] = {}
    for chunk in batches(ids, _CHUNK):
        value = chunk if conn.dialect.name == "postgresql" else json.dumps(chunk)
        found |= {str(r["id"]): r for r in conn.execute(query, {"ids": value}).mappings()}
    return found


def rendered_many(conn: Connection, ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """``id: (version, html)`` of the cached renderings of those ``ids``: one SELECT per
    5,000 ids, the ids in one parameter as in :func:`fetch_many`."""
    postgresql = conn.dialect.name == "postgresql"
    query = _RENDERED_PG if postgresql else _RENDERED_SQLITE
    found: dict[str, tuple[str, str]] = {}
    for chunk in batches(ids, _CHUNK):
        value = chunk if postgresql else json.dumps(chunk)
        found |= {r.id: (r.version, r.html) for r in conn.execute(query, {"ids": value})}
    return found


def view_rows(
    source: str, *, postgresql: bool
) -> Select[tuple[bytes, bytes, str | None, bytes | None]]:
    """The live annotations of ``source`` in :func:`filters` order (``created``, ``id``), each
    as ``(id, json, context, sealed)`` with its kept view if there is one (else two None); the
    id, JSON and view as their UTF-8 bytes (see :meth:`AnnotationStore.view_rows`)."""
    query = select(
        utf8(annotation_table.c.id, postgresql),
        utf8(annotation_table.c.json, postgresql),
        view_table.c.context,
        utf8(view_table.c.sealed, postgresql),
    ).select_from(_VIEWS_JOINED)
    query = query.where(filters(source=source))
    return query.order_by(annotation_table.c.created, annotation_table.c.id)


def replace(conn: Connection, table: Table, items: Iterable[tuple[str, str, str]]) -> None:
    """Put ``items`` (rows of derived data: an ``id`` and the table's two other columns, in its
    order) in ``table``, replacing the rows of the same ids (the last of an id given wins).

    One upsert, which SQLite and PostgreSQL spell alike, the rows as the driver's own tuples:
    a first report keeps 50,000 at once, and SQLAlchemy's per-row parameter handling and a
    delete per few hundred ids were most of the cost."""
    values = [(i, a, b) for i, (a, b) in {i: (a, b) for i, a, b in items}.items()]
    if not values:
        return
    ident, first, second = (c.name for c in table.c)
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    conn.exec_driver_sql(
        f"INSERT INTO {table.name} ({ident}, {first}, {second}) VALUES ({mark}, {mark}, {mark}) "
        f"ON CONFLICT ({ident}) DO UPDATE SET {first} = excluded.{first}, "
        f"{second} = excluded.{second}",
        values,
    )


def creators(conn: Connection) -> set[str]:
    return {str(c) for c in conn.execute(select(annotation_table.c.creator).distinct()).scalars()}


class SeqCounter:
    """The next ``seq`` of one write transaction: read once, then counted up.

    Writers are serialised (SQLite's ``BEGIN IMMEDIATE``, a PostgreSQL advisory lock), so
    ``MAX(seq) + 1`` read at the first write of a transaction only ever grows.
    """

    def __init__(self, conn: Connection) -> None:
        self._conn, self._last = conn, -1

    def latest(self) -> int:
        if self._last < 0:
            query = select(func.coalesce(func.max(annotation_table.c.seq), 0))
            self._last = int(self._conn.execute(query).scalar_one())
        return self._last

    def next(self) -> int:
        self._last = self.latest() + 1
        return self._last


def row_values(
    clean: Annotation,
    index: tuple[str | None, str | None, str | None],
    seq: int,
    dumped: bytes | None = None,
) -> dict[str, Any]:
    """Every column but ``doc_hash`` and ``deleted_at`` of an annotation's row (``dumped``: its
    :func:`encode`, if the caller has it)."""
    source, target_id, prompt_id = index
    return {
        "id": clean["id"],
        "source": source,
        "creator": clean["creator"]["nickname"],
        "motivation": clean["motivation"],
        "target_id": target_id,
        "prompt_id": prompt_id,
        "created": clean["created"],
        "modified": clean["modified"],
        "seq": seq,
        "json": dump(clean) if dumped is None else dumped.decode("utf-8"),
    }


def insert_rows(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    if not rows:
        return
    if conn.dialect.name == "sqlite":
        # The driver's executemany with one tuple a row: SQLAlchemy's own builds and processes
        # every row's parameters in Python (half the cost of inserting a collected class). The
        # columns are plain text and integers, which need no processing.
        names = [c.name for c in annotation_table.c]
        values = [tuple(map(r.get, names)) for r in rows]
        conn.exec_driver_sql(_INSERT_SQLITE, values)
        return
    conn.execute(annotation_table.insert(), [{"doc_hash": None, **r} for r in rows])


_INSERT_SQLITE = "INSERT INTO annotations ({}) VALUES ({})".format(
    ", ".join(f'"{c.name}"' for c in annotation_table.c),
    ", ".join("?" for _ in annotation_table.c),
)


def update_rows(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Update rows by id: one executemany per set of columns changed."""
    groups: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(k for k in row if k != "id"), []).append(row)
    for names, group in groups.items():
        statement = (
            update(annotation_table)
            .where(annotation_table.c.id == bindparam("row_id"))
            .values({n: bindparam(f"new_{n}") for n in names})
        )
        params = [{"row_id": r["id"], **{f"new_{n}": r[n] for n in names}} for r in group]
        conn.execute(statement, params)


def set_deleted(conn: Connection, ids: Sequence[str], seq: SeqCounter, *, deleted: bool) -> None:
    """Soft-delete (or restore) the rows of ``ids``, each with a new seq."""
    stamp = utc_now() if deleted else None
    update_rows(conn, [{"id": i, "deleted_at": stamp, "seq": seq.next()} for i in ids])


MAX_REPLY_PASSES = 100
"""Reply levels :func:`fill_reply_sources` resolves at most per write (a hostile chain written
deepest first would otherwise cost one pass over the table per level)."""


def fill_reply_sources(conn: Connection) -> None:
    # Imported replies may precede what they answer; each pass resolves one more reply level.
    # Replies still without a lesson after the bound stay without (the report shows none).
    for _ in range(MAX_REPLY_PASSES):
        if conn.execute(_FILL_REPLY_SOURCES).rowcount == 0:
            break


def _fill_reply_sources() -> Any:
    target = annotation_table.alias("t")
    target_source = (
        select(target.c.source).where(target.c.id == annotation_table.c.target_id).scalar_subquery()
    )
    return (
        update(annotation_table)
        .where(
            annotation_table.c.source.is_(None),
            annotation_table.c.target_id.is_not(None),
            target_source.is_not(None),
        )
        .values(source=target_source)
    )


# Built once: a statement built per call costs SQLAlchemy its cache key and more on every write.
_FILL_REPLY_SOURCES = _fill_reply_sources()


def filters(
    *,
    source: str | None = None,
    creator: str | None = None,
    include_deleted: bool = False,
    since: int | None = None,
) -> ColumnElement[bool]:
    clauses: list[ColumnElement[bool]] = []
    if source is not None:
        clauses.append(annotation_table.c.source == source)
    if creator is not None:
        clauses.append(annotation_table.c.creator == creator)
    if since is not None:
        clauses.append(annotation_table.c.seq > since)
    if not include_deleted:
        clauses.append(annotation_table.c.deleted_at.is_(None))
    return and_(True, *clauses)


def event_rows(conn: Connection, kind: str | None = None) -> list[Event]:
    query: Select[Any] = select(*(event_table.c[k] for k in EVENT_KEYS)).order_by(event_table.c.id)
    if kind is not None:
        query = query.where(event_table.c.kind == kind)
    # Plain tuples: a mapping row per event costs more than the event (20,000 in a class).
    return [dict(zip(EVENT_KEYS, map(str, r), strict=True)) for r in conn.execute(query)]


# A whole store, as collect reads each submitted one: fixed statements, which SQLAlchemy
# compiles in microseconds where a select() costs a millisecond per new engine (one per file).
_ALL_ANNOTATIONS = text("SELECT id, deleted_at, json FROM annotations ORDER BY seq")
_ALL_EVENTS = text('SELECT kind, "user", source, key, at FROM events ORDER BY id')


def snapshot(conn: Connection) -> tuple[list[Annotation], list[str], list[Event]]:
    """(live annotations in seq order, ids of the deleted ones, every event)."""
    found = conn.execute(_ALL_ANNOTATIONS).all()
    live = [load({"json": j}) for _, gone, j in found if gone is None]
    deleted = [str(i) for i, gone, _ in found if gone is not None]
    found_events = conn.execute(_ALL_EVENTS).mappings()
    return live, deleted, [{k: str(v) for k, v in r.items()} for r in found_events]


def event_keys(conn: Connection, user: str) -> set[tuple[str, str, str, str]]:
    """(kind, source, key, at) of every event of ``user``."""
    return event_keys_many(conn, [user])[user]


def event_keys_many(
    conn: Connection, users: Iterable[str]
) -> dict[str, set[tuple[str, str, str, str]]]:
    """:func:`event_keys` of each of ``users`` (every one in the answer), one query a 500."""
    names = list(dict.fromkeys(users))
    found: dict[str, set[tuple[str, str, str, str]]] = {u: set() for u in names}
    e = event_table
    for chunk in batches(names):
        query = select(e.c.user, e.c.kind, e.c.source, e.c.key, e.c.at).where(e.c.user.in_(chunk))
        for u, k, s, key, a in conn.execute(query):
            found[str(u)].add((str(k), str(s), str(key), str(a)))
    return found


def insert_events(conn: Connection, rows: Sequence[Mapping[str, str]]) -> None:
    if not rows:
        return
    if conn.dialect.name == "sqlite":
        # The driver's executemany, as insert_rows (one statement a student in a collect).
        driver = conn.connection.driver_connection
        assert driver is not None
        driver.executemany(_INSERT_EVENTS_SQLITE, [tuple(r[k] for k in EVENT_KEYS) for r in rows])
        return
    conn.execute(event_table.insert(), list(rows))


_INSERT_EVENTS_SQLITE = "INSERT INTO events ({}) VALUES ({})".format(
    ", ".join(f'"{k}"' for k in EVENT_KEYS), ", ".join("?" for _ in EVENT_KEYS)
)


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
    encoded = encode(annotation)
    if encoded is not None:
        return encoded.decode("utf-8")
    return json.dumps(annotation, ensure_ascii=False, separators=(",", ":"))


_ENCODER = msgspec.json.Encoder()


def encode(annotation: Annotation) -> bytes | None:
    """The annotation as stored, compact JSON in UTF-8, or ``None`` if msgspec cannot write it
    (a lone surrogate: :func:`dump` then gives ``json``'s text, as before). For a checked
    annotation (strings, integers, lists and objects) msgspec writes byte for byte what
    ``json.dumps(..., ensure_ascii=False, separators=(",", ":"))`` writes, several times faster.
    """
    try:
        return _ENCODER.encode(annotation)
    except (TypeError, ValueError, OverflowError, msgspec.EncodeError):
        return None


def load(row: Mapping[Any, Any]) -> Annotation:
    return load_json(row["json"])


def load_json(stored: str) -> Annotation:
    result: Annotation = decode_json(stored)  # type: ignore[assignment]
    return result


_DECODER = msgspec.json.Decoder()


def decode_json(text: str | bytes) -> object:
    """``json.loads``, three times faster for what a store holds: msgspec decodes strict JSON to
    the same values; what it refuses (NaN, 1e400, a lone surrogate, malformed text) is given to
    ``json`` as before, which decides."""
    try:
        return _DECODER.decode(text)
    except msgspec.DecodeError:
        return json.loads(text)
