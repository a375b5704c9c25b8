"""Opening an annotation store's SQLite file safely: recognise it, then migrate it.

A file is ours when its SQLite header carries our ``application_id``; ``user_version`` is the
number of migrations applied. Everything about a file that is not ours — not SQLite, another
program's database, or ours from a newer reader-ext — is found out through a read-only
connection before anything is written, so such a file is never modified.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from reader_ext.errors import StoreError

APPLICATION_ID = 0x52445841  # "RDXA": reader-ext annotations
BUSY_TIMEOUT_MS = 10_000
_SQLITE_MAGIC = b"SQLite format 3\x00"

# Append only: a store at version N has had MIGRATIONS[:N] applied, in order.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE annotations (
            id TEXT PRIMARY KEY,
            source TEXT,
            creator TEXT NOT NULL,
            motivation TEXT NOT NULL,
            target_id TEXT,
            prompt_id TEXT,
            created TEXT NOT NULL,
            modified TEXT NOT NULL,
            deleted_at TEXT,
            doc_hash TEXT,
            seq INTEGER NOT NULL UNIQUE,
            json TEXT NOT NULL
        )""",
        "CREATE INDEX annotations_source ON annotations (source, created)",
        "CREATE INDEX annotations_creator ON annotations (creator)",
        "CREATE INDEX annotations_target ON annotations (target_id)",
        "CREATE INDEX annotations_created ON annotations (created, id)",
        """CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            user TEXT NOT NULL,
            source TEXT NOT NULL,
            key TEXT NOT NULL,
            at TEXT NOT NULL
        )""",
        "CREATE INDEX events_kind ON events (kind, id)",
    ),
    (
        # Rendered note bodies: derived data, so opening a large store does not re-render
        # every note. Keyed by the annotation's `modified` and the renderer's version.
        """CREATE TABLE rendered (
            id TEXT PRIMARY KEY,
            version TEXT NOT NULL,
            html TEXT NOT NULL
        )""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


def open_database(path: Path) -> sqlite3.Connection:
    """Connect to the store at ``path`` (creating it if missing), migrated to SCHEMA_VERSION."""
    _inspect(path)
    try:
        conn = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        msg = f"{path}: cannot open the annotation store ({exc}); check the folder's permissions"
        raise StoreError(msg) from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _enable_wal(conn, path)
        # FULL: a commit is on disk before add() returns, even across a power cut.
        conn.execute("PRAGMA synchronous = FULL")
        _migrate(conn, path)
    except sqlite3.Error as exc:
        conn.close()
        msg = f"{path}: cannot open the annotation store ({exc})"
        raise StoreError(msg) from exc
    except BaseException:
        conn.close()
        raise
    return conn


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


def _inspect(path: Path) -> None:
    """Raise StoreError unless ``path`` is missing, empty, or one of our stores."""
    if path.is_dir():
        msg = f"{path}: is a folder; give the path of an annotation store file inside it"
        raise StoreError(msg)
    if not path.exists():
        if not path.parent.is_dir():
            msg = f"{path}: folder {path.parent} does not exist; create it first"
            raise StoreError(msg)
        return
    try:
        with path.open("rb") as f:
            header = f.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        msg = f"{path}: cannot read the annotation store ({exc.strerror})"
        raise StoreError(msg) from exc
    if not header:
        return
    if header != _SQLITE_MAGIC:
        msg = (
            f"{path}: is not an annotation store (not an SQLite database); "
            "it was left untouched — choose another file name"
        )
        raise StoreError(msg)
    app_id, version, objects = _read_identity(path)
    if app_id == 0 and version == 0 and objects == 0:
        return  # an empty SQLite file, e.g. one being created by another process right now
    if app_id != APPLICATION_ID:
        msg = (
            f"{path}: is an SQLite database of another program, not an annotation store; "
            "it was left untouched — choose another file name"
        )
        raise StoreError(msg)
    _check_version(path, version)


def _read_identity(path: Path) -> tuple[int, int, int]:
    uri = path.resolve().as_uri() + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        msg = f"{path}: cannot be read as SQLite ({exc}); it was left untouched"
        raise StoreError(msg) from exc
    try:
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        objects = int(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
    except sqlite3.Error as exc:
        msg = f"{path}: cannot be read as SQLite ({exc}); it was left untouched"
        raise StoreError(msg) from exc
    finally:
        conn.close()
    return app_id, version, objects


def _check_version(path: Path, version: int) -> None:
    if version > SCHEMA_VERSION:
        msg = (
            f"{path}: was written by a newer reader-ext (store schema {version}, this one reads "
            f"up to {SCHEMA_VERSION}); upgrade reader-ext (pip install -U reader-ext)"
        )
        raise StoreError(msg)


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    # IMMEDIATE takes the write lock first, so two processes opening a new file at once
    # apply the migrations exactly once: the second sees the first's user_version.
    conn.execute("BEGIN IMMEDIATE")
    try:
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if app_id not in (0, APPLICATION_ID) or (app_id == 0 and version != 0):
            msg = f"{path}: is not an annotation store; it was left untouched"
            raise StoreError(msg)
        _check_version(path, version)
        for steps in MIGRATIONS[version:]:
            for statement in steps:
                conn.execute(statement)
        if version < SCHEMA_VERSION or app_id == 0:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
