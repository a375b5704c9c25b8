"""Reading a store file nobody vouches for (a student's submission) as data, within budgets.

:class:`~reader_ext.store.annotation_store.AnnotationStore` trusts its file: it migrates it, and
SQLite runs whatever the file's schema says (views, triggers, generated columns). A submitted
store is read here instead, through the plain ``sqlite3`` driver:

- **Only what we expect.** The file must carry our ``application_id`` and a schema version this
  reader-ext knows; its schema may hold only our tables (those of :mod:`reader_ext.store.schema`,
  and ``alembic_version``) and indexes on them. A view, a trigger, a virtual table, a generated
  column or any other table refuses the file: nothing in it is computed on read.
- **Nothing computed on read, whatever the file says.** ``PRAGMA trusted_schema=OFF`` (no
  function runs from the schema), ``cell_size_check=ON`` (a damaged page is an error, not a
  crash), ``query_only=ON``, and a value longer than :data:`MAX_VALUE_BYTES` is an error.
- **A row budget and a time budget.** Past :data:`MAX_SUBMISSION_ROWS` rows (annotations and
  events) or :data:`SUBMISSION_SECONDS` seconds of SQLite work (a progress handler interrupts
  it), the file is refused with :class:`SubmissionRefused` naming the budget.
- **Read in one pass.** A row in the clean form reader-ext writes is decoded and checked at once
  (:func:`reader_ext.annotations.clean.decode_vouched`); any other goes through ``json`` and the
  store's full checks, which name what is wrong.
- **A bad row is skipped alone.** A ``json`` cell that is not JSON, nests too deep, or is valid
  JSON but not an object (``[]``, ``1``, ``"s"``) is named in the problems and skipped.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from reader_ext.annotations.clean import Vouched, as_checked, decode_vouched, id_and_author
from reader_ext.annotations.fields import author as author_of
from reader_ext.errors import StoreError
from reader_ext.store.rows import decode_json
from reader_ext.store.schema import APPLICATION_ID, SCHEMA_VERSION, metadata

MAX_SUBMISSION_ROWS = 200_000
"""Rows (annotations plus events) one submitted store may hold."""
SUBMISSION_SECONDS = 20.0
"""Seconds of reading one submitted store may take."""
MAX_VALUE_BYTES = 1_000_000
"""The longest single value (SQLite's ``SQLITE_LIMIT_LENGTH`` while reading a submission)."""

_SQLITE_MAGIC = b"SQLite format 3\x00"
# Our own tables, as the schema defines them (one home: a migration adding one adds it here too).
_TABLES = {*metadata.tables, "alembic_version", "sqlite_sequence"}
_INTERNAL = ("sqlite_autoindex_", "sqlite_stat")
_PROGRESS_EVERY = 100  # SQLite VM instructions between two looks at the clock
_FETCH = 1_000
_SHOWN_ROW_PROBLEMS = 50
IMAGES = hasattr(sqlite3.Connection, "deserialize")
"""Whether this Python can read a store from its bytes (:func:`read_submitted_image`)."""


class SubmissionRefused(StoreError):
    """The whole file is refused: not ours, built to be slow or huge, or damaged."""


@dataclass(slots=True)
class Budget:
    rows: int = MAX_SUBMISSION_ROWS
    seconds: float = SUBMISSION_SECONDS


Held = Literal["dicts", "vouched", "text"]
"""How a read keeps the live annotations (:class:`SubmittedContents`): as dicts, ready to merge;
as the one pass decoded them (``Vouched``, about 60 % of a dict's memory); or as the JSON text
they were read from (about 35 %, decoded again for the merge)."""


@dataclass(slots=True)
class SubmittedContents:
    live: list[dict[str, Any]] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    events: list[dict[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """One line per row skipped (the first few; ``skipped`` counts them all)."""
    skipped: int = 0
    ids: list[tuple[str, str]] = field(default_factory=list)
    """(id, author) of each live annotation, in order."""
    packed: list[Vouched | str | dict[str, Any]] | None = None
    """The live annotations when not read as dicts (``live`` is then empty, :meth:`unpacked`
    gives it): each one read in one pass as ``Vouched`` or as its text (the same text decodes
    the same way again), and any other as the dict it decoded to."""
    packed_chars: int = 0
    """The characters of the texts in :attr:`packed`."""
    form: Held = "dicts"
    """How the live annotations are held."""

    def unpacked(self) -> SubmittedContents:
        """These contents with every live annotation a dict (a new object if packed)."""
        if self.packed is None:
            return self
        live = [_unpack(item) for item in self.packed]
        return SubmittedContents(live, self.deleted, self.events, self.problems, self.skipped)


def read_submitted(
    path: Path, budget: Budget | None = None, *, held: Held = "dicts"
) -> SubmittedContents:
    """Read a submitted store file (a private copy: SQLite may add a ``-shm`` beside it),
    keeping its annotations as ``held`` says."""
    with path.open("rb") as f:
        _check_header(f.read(len(_SQLITE_MAGIC)))
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=1)
    except sqlite3.Error as exc:
        msg = f"{path}: cannot be read as SQLite ({exc})"
        raise SubmissionRefused(msg) from exc
    return _read_connection(conn, budget or Budget(), held)


def read_submitted_image(
    image: bytes, budget: Budget | None = None, *, held: Held = "dicts"
) -> SubmittedContents:
    """The same, of a store file's bytes: read in memory (``sqlite3`` ``deserialize``), so the
    submission needs no private copy on disk. Its ``-wal``, if it has one, is not read here."""
    _check_header(image[: len(_SQLITE_MAGIC)])
    if image[18:20] == b"\x02\x02":
        # A WAL-mode file: an in-memory image has no WAL, and reads as the file's pages alone
        # once its header says so (the caller reads a store with a -wal from disk instead).
        image = image[:18] + b"\x01\x01" + image[20:]
    conn = sqlite3.connect(":memory:")
    try:
        getattr(conn, "deserialize")(image)  # noqa: B009 (Python 3.11+: see IMAGES)
    except sqlite3.Error as exc:
        conn.close()
        msg = f"cannot be read as an annotation store ({exc})"
        raise SubmissionRefused(msg) from exc
    return _read_connection(conn, budget or Budget(), held)


def _check_header(header: bytes) -> None:
    if not header:
        msg = "the file is empty (0 bytes): nothing was written"
        raise SubmissionRefused(msg)
    if header != _SQLITE_MAGIC:
        msg = "is not an annotation store (not an SQLite database)"
        raise SubmissionRefused(msg)


def _read_connection(conn: sqlite3.Connection, budget: Budget, held: Held) -> SubmittedContents:
    deadline = time.monotonic() + budget.seconds
    timed_out = False

    def progress() -> int:
        nonlocal timed_out
        timed_out = time.monotonic() > deadline
        return 1 if timed_out else 0

    try:
        setlimit = getattr(conn, "setlimit", None)  # Python 3.11+
        if setlimit is not None:
            setlimit(getattr(sqlite3, "SQLITE_LIMIT_LENGTH"), MAX_VALUE_BYTES)  # noqa: B009
        conn.set_progress_handler(progress, _PROGRESS_EVERY)
        for pragma in ("trusted_schema = OFF", "cell_size_check = ON", "query_only = ON"):
            conn.execute(f"PRAGMA {pragma}")
        _check_schema(conn)
        return _read_rows(conn, budget, held)
    except sqlite3.Error as exc:
        if timed_out:
            msg = (
                f"reading took over {budget.seconds:g} s, the time budget of one submission "
                "(a store built to be slow?)"
            )
        elif "too big" in str(exc):
            msg = f"a value over {MAX_VALUE_BYTES:,} bytes (a store built to be huge?)"
        else:
            msg = f"cannot be read as an annotation store ({exc})"
        raise SubmissionRefused(msg) from exc
    finally:
        conn.close()


def _check_schema(conn: sqlite3.Connection) -> None:
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if app_id != APPLICATION_ID:
        msg = "an SQLite database of another program, not an annotation store"
        raise SubmissionRefused(msg)
    if version > SCHEMA_VERSION:
        msg = f"written by a newer reader-ext (schema {version}, this one reads {SCHEMA_VERSION})"
        raise SubmissionRefused(msg)
    objects = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    seen = tuple(objects)
    if seen in _GOOD_SCHEMAS:
        return  # the same schema text, parsed the same way: refused or not, as it was
    _check_objects(conn, objects)
    if len(_GOOD_SCHEMAS) < _SCHEMAS_KEPT:
        _GOOD_SCHEMAS.add(seen)


# The schemas found good (as the text of sqlite_master, which is all SQLite parses a schema
# from): every store of a class has one of a few, so each is checked in full once per process.
_GOOD_SCHEMAS: set[tuple[Any, ...]] = set()
_SCHEMAS_KEPT = 64


def _check_objects(conn: sqlite3.Connection, objects: list[Any]) -> None:
    objects.sort(key=lambda o: o[0] in ("table", "index"))  # views and triggers named first
    for kind, name, table, sql in objects:
        shown = str(name)[:60]
        if kind not in ("table", "index"):
            msg = f"its schema holds a {kind} ({shown!r}); a store holds only tables: refused"
            raise SubmissionRefused(msg)
        if table not in _TABLES:
            msg = f"its schema holds a table {str(table)[:60]!r} an annotation store has not"
            raise SubmissionRefused(msg)
        if kind == "table" and str(sql or "").lstrip().upper().startswith("CREATE VIRTUAL"):
            msg = f"its table {shown!r} is a virtual table; refused"
            raise SubmissionRefused(msg)
        if kind == "index" and sql is None and not str(name).startswith(_INTERNAL):
            msg = f"its schema holds an unknown index {shown!r}"
            raise SubmissionRefused(msg)
    for table in ("annotations", "events"):
        # hidden: 0 a plain column, 2 and 3 generated ones (computed on read or on write).
        hidden = [r[1] for r in conn.execute(f"PRAGMA table_xinfo({table})") if r[6] != 0]
        if hidden:
            msg = f"its table {table} has generated or hidden columns ({hidden[0]!r}); refused"
            raise SubmissionRefused(msg)


def _read_rows(conn: sqlite3.Connection, budget: Budget, held: Held) -> SubmittedContents:
    found = SubmittedContents()
    packed: list[Vouched | str | dict[str, Any]] | None = None if held == "dicts" else []
    chars = 0
    rows = 0
    cursor = conn.execute("SELECT id, deleted_at, json FROM annotations ORDER BY seq")
    while batch := cursor.fetchmany(_FETCH):
        rows += len(batch)
        _over_budget(rows, budget)
        for ident, gone, text in batch:
            if gone is not None:
                found.deleted.append(str(ident))
                continue
            vouched = decode_vouched(text) if isinstance(text, str) else None
            if vouched is not None:
                found.ids.append(id_and_author(vouched))
                if packed is None:
                    found.live.append(as_checked(vouched))
                elif held == "text":
                    packed.append(text)
                    chars += len(text)
                else:
                    packed.append(vouched)
                continue
            item = _object(ident, text, found)
            if item is not None:
                found.ids.append((str(item.get("id")), author_of(item)))
                (found.live if packed is None else packed).append(item)
    found.packed, found.packed_chars, found.form = packed, chars, held
    cursor = conn.execute('SELECT kind, "user", source, key, at FROM events ORDER BY id')
    while batch := cursor.fetchmany(_FETCH):
        rows += len(batch)
        _over_budget(rows, budget)
        found.events += [
            {"kind": str(k), "user": str(u), "source": str(s), "key": str(e), "at": str(a)}
            for k, u, s, e, a in batch
        ]
    return found


def _over_budget(rows: int, budget: Budget) -> None:
    if rows > budget.rows:
        msg = (
            f"over {budget.rows:,} rows, the row budget of one submission "
            "(a store built to be huge?)"
        )
        raise SubmissionRefused(msg)


def _unpack(item: Vouched | str | dict[str, Any]) -> dict[str, Any]:
    if isinstance(item, dict):
        return item
    if isinstance(item, str):
        vouched = decode_vouched(item)
        if vouched is None:  # it was vouched for when read, and the same text decodes the same
            msg = "an annotation read in one pass could not be decoded again"
            raise StoreError(msg)
        item = vouched
    return as_checked(item)


def _object(ident: object, text: object, found: SubmittedContents) -> dict[str, Any] | None:
    """The row's annotation as decoded, for the store's checks to refuse or clean (one not in
    the clean form that is read in one pass), or ``None``, counted and named, if it is no
    JSON object."""
    shown = str(ident)[:80]
    problem: str | None = None
    try:
        value = decode_json(text) if isinstance(text, str | bytes) else None
    except (ValueError, RecursionError):
        problem = "is not readable JSON"
    else:
        if isinstance(value, dict):
            return value
        problem = f"is JSON but not an object ({type(value).__name__})"
    found.skipped += 1
    if len(found.problems) < _SHOWN_ROW_PROBLEMS:
        found.problems.append(f"annotation {shown} {problem}; skipped")
    return None
