"""Opening a store's database safely: recognise it, connect, then migrate it with Alembic.

An SQLite store is ours when its header carries our ``application_id``; ``user_version`` is the
number of migrations applied (:data:`~reader_ext.store.schema.REVISIONS`). Everything about a
file that is not ours — not SQLite, another program's database, or ours from a newer reader-ext —
is found out through a read-only connection before anything is written, so such a file is never
modified. Every SQLite connection runs in WAL mode with a busy timeout and ``synchronous=FULL``:
a commit is on disk before the call that made it returns.

A PostgreSQL store (``postgresql+psycopg://...``) is a database whose tables the migrations
made; a database holding other tables, or an ``alembic_version`` from a newer reader-ext, is
refused.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from reader_ext.errors import StoreError
from reader_ext.store.migrate import check_version, migrate
from reader_ext.store.schema import APPLICATION_ID, SCHEMA_VERSION

BUSY_TIMEOUT_MS = 10_000
_SQLITE_MAGIC = b"SQLite format 3\x00"
# The execution option that makes the next transaction take SQLite's write lock at BEGIN.
WRITE = "reader_ext_write"


def is_url(location: str | os.PathLike[str]) -> bool:
    """Whether a store location is a database URL (else the path of an SQLite file)."""
    return isinstance(location, str) and "://" in location


def location(text: str) -> str | Path:
    """A store given on the command line: a database URL as it is, anything else a path."""
    return text if is_url(text) else Path(text)


def masked(location: str | os.PathLike[str]) -> str:
    """A store location fit to print: a URL's password is replaced by ``***``."""
    if not is_url(location):
        return str(location)
    text = str(location)
    try:
        return make_url(text).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        # Not parsable: hide whatever stands between the scheme and the host.
        scheme, rest = text.split("://", 1)
        return f"{scheme}://***@{rest.rsplit('@', 1)[1]}" if "@" in rest else text


def store_exists(location: str | os.PathLike[str]) -> bool:
    """Whether there is a store to read at ``location`` (a file, or a database holding one),
    without creating or migrating anything."""
    if not is_url(location):
        return Path(location).is_file()
    url, path = store_url(str(location))
    if path is not None:
        return path.is_file()
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return "annotations" in inspect(conn).get_table_names()
    except SQLAlchemyError as exc:
        msg = f"{masked(location)}: cannot reach the database ({_cause(exc)})"
        raise StoreError(msg) from exc
    finally:
        engine.dispose()


def store_url(path_or_url: str | Path) -> tuple[URL, Path | None]:
    """The database URL for a store path or URL, and the file for SQLite."""
    if isinstance(path_or_url, str) and "://" in path_or_url:
        shown = masked(path_or_url)
        try:
            url = make_url(path_or_url)
        except (ArgumentError, ValueError) as exc:
            msg = f"{shown!r}: not a database URL"
            raise StoreError(msg) from exc
        if url.get_backend_name() == "sqlite":
            if not url.database or url.database == ":memory:":
                msg = f"{shown!r}: give the path of an SQLite file"
                raise StoreError(msg)
            return url.set(drivername="sqlite+pysqlite"), Path(url.database)
        if url.get_backend_name() != "postgresql":
            msg = f"{shown!r}: the store runs on SQLite or PostgreSQL (postgresql+psycopg://)"
            raise StoreError(msg)
        return url.set(drivername="postgresql+psycopg"), None
    path = Path(path_or_url)
    return URL.create("sqlite+pysqlite", database=str(path)), path


def open_engine(url: URL, path: Path | None, shown: str) -> Engine:
    """An engine on the store's database, migrated to the latest schema."""
    at_head = False
    if path is not None:
        # A file whose header says it is at the latest schema needs no migration (most opens).
        at_head = _inspect(path) == SCHEMA_VERSION
        engine = create_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            # Every use of a connection ends in its own COMMIT or ROLLBACK.
            pool_reset_on_return=None,
        )
        _sqlite_events(engine, path)
    else:
        engine = create_engine(url, pool_pre_ping=True)
        _postgresql_events(engine)
    try:
        if not at_head:
            with engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
                migrate(conn, shown)
    except (SQLAlchemyError, sqlite3.Error) as exc:
        engine.dispose()
        msg = f"{shown}: cannot open the annotation store ({_cause(exc)})"
        if path is not None:
            msg = denied(path, _cause(exc)) or msg + "; check the file and its folder"
        raise StoreError(msg) from exc
    except BaseException:
        engine.dispose()
        raise
    return engine


def _cause(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc).strip().splitlines()[0]


def _sqlite_events(engine: Engine, path: Path) -> None:
    @event.listens_for(engine, "connect")
    def connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # The driver's own transaction handling is off: the "begin" hook below says BEGIN.
        dbapi_conn.isolation_level = None
        dbapi_conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _enable_wal(dbapi_conn, path)
        # FULL: a commit is on disk before add() returns, even across a power cut.
        dbapi_conn.execute("PRAGMA synchronous = FULL")

    @event.listens_for(engine, "begin")
    def begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock up front (waiting up to the busy timeout), so a write
        # never fails half-way because another process wrote meanwhile; reads take a snapshot.
        write = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _postgresql_events(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def begin(conn: Connection) -> None:
        if conn.get_execution_options().get(WRITE, False):
            # Writers take one lock for the transaction, as SQLite's BEGIN IMMEDIATE does, so
            # ``seq`` grows in commit order: a reader catching up from a seq misses nothing.
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%(key)s)", {"key": APPLICATION_ID})


def _enable_wal(conn: sqlite3.Connection, path: Path) -> None:
    # Switching a new file to WAL can report "database is locked" at once, without waiting
    # on the busy timeout, while another process is creating the same file: retry until then.
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            mode = str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)
            continue
        if mode.lower() != "wal":
            msg = f"{path}: this file system does not support SQLite's WAL mode; move the store"
            raise StoreError(msg)
        return


def _inspect(path: Path) -> int:
    """Raise StoreError unless ``path`` is missing, empty, or one of our stores; its version."""
    if path.is_dir():
        msg = f"{path}: is a folder; give the path of an annotation store file inside it"
        raise StoreError(msg)
    if not path.exists():
        if not path.parent.is_dir():
            msg = f"{path}: folder {path.parent} does not exist; create it first"
            raise StoreError(msg)
        return 0
    try:
        with path.open("rb") as f:
            header = f.read(len(_SQLITE_MAGIC))
    except PermissionError as exc:
        msg = f"{path}: no permission to read this file; check its permissions"
        raise StoreError(msg) from exc
    except OSError as exc:
        msg = f"{path}: cannot read the annotation store ({exc.strerror})"
        raise StoreError(msg) from exc
    if not header:
        return 0
    if header != _SQLITE_MAGIC:
        msg = (
            f"{path}: is not an annotation store (not an SQLite database); "
            "it was left untouched — choose another file name"
        )
        raise StoreError(msg)
    app_id, version, objects = _read_identity(path)
    if app_id == 0 and version == 0 and objects == 0:
        return 0  # an empty SQLite file, e.g. one being created by another process right now
    if app_id != APPLICATION_ID:
        msg = (
            f"{path}: is an SQLite database of another program, not an annotation store; "
            "it was left untouched — choose another file name"
        )
        raise StoreError(msg)
    check_version(str(path), version)
    return version


def denied(path: Path | None, cause: str) -> str | None:
    """The sentence for a permission or read-only failure on ``path``, else None."""
    if path is None:
        return None
    if "readonly" in cause.replace("-", "").replace(" ", "").lower():
        return (
            f"{path}: the file or its folder {path.parent} is read-only; nothing could be "
            "saved (make it writable, or use another store)"
        )
    folder = path.parent if str(path.parent) else Path()
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        return f"{path}: no permission to read and write this file; check its permissions"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"{path}: no permission to write in its folder {folder}; check its permissions"
    return None


def _read_identity(path: Path) -> tuple[int, int, int]:
    if not os.access(path, os.R_OK):
        msg = f"{path}: no permission to read this file; check its permissions"
        raise StoreError(msg)
    uri = path.resolve().as_uri() + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        msg = (
            denied(path, str(exc))
            or f"{path}: cannot be read as SQLite ({exc}); it was left untouched"
        )
        raise StoreError(msg) from exc
    try:
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        objects = int(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
    except sqlite3.Error as exc:
        # A store in WAL mode is read through files beside it: a read-only folder or file
        # shows here first, and is worded as such, not as a damaged file.
        msg = (
            denied(path, str(exc))
            or f"{path}: cannot be read as SQLite ({exc}); it was left untouched"
        )
        raise StoreError(msg) from exc
    finally:
        conn.close()
    return app_id, version, objects
