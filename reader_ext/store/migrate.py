"""Bringing a store's database to the latest schema with Alembic, inside a locked transaction.

Stores written before Alembic carry their schema version only in SQLite's ``user_version``
(1 or 2): they are stamped with the matching revision, then migrated on like any other. In an
SQLite file ``user_version`` keeps mirroring the number of revisions applied, which is how a
store from a newer reader-ext is recognised before it is opened for writing.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, inspect, text

from reader_ext.errors import StoreError
from reader_ext.store.schema import APPLICATION_ID, HEAD, REVISIONS, SCHEMA_VERSION

MIGRATIONS = Path(__file__).with_name("migrations")
_VERSION_TABLE = "alembic_version"


def migrate(conn: Connection, shown: str) -> None:
    """Migrate the database of ``conn`` (in a write transaction) to :data:`HEAD`."""
    if conn.dialect.name == "sqlite":
        current, stamped = _sqlite_revision(conn, shown)
    else:
        current, stamped = _sql_revision(conn, shown)
    if current == HEAD and stamped:
        return
    # Alembic is imported only when a migration runs (0.2 s; most opens need none).
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    if current is not None and not stamped:
        command.stamp(config, current)
    command.upgrade(config, HEAD)
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _sqlite_revision(conn: Connection, shown: str) -> tuple[str | None, bool]:
    """(revision, whether alembic_version records it); None for a new file."""
    app_id = int(conn.exec_driver_sql("PRAGMA application_id").scalar_one())
    version = int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())
    if app_id not in (0, APPLICATION_ID) or (app_id == 0 and version != 0):
        msg = f"{shown}: is not an annotation store; it was left untouched"
        raise StoreError(msg)
    check_version(shown, version)
    if app_id == 0:
        return None, False
    has_table = conn.exec_driver_sql(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", (_VERSION_TABLE,)
    ).scalar_one()
    if has_table:
        return _recorded(conn, shown), True
    return (REVISIONS[version - 1] if version else None), False


def _sql_revision(conn: Connection, shown: str) -> tuple[str | None, bool]:
    tables = set(inspect(conn).get_table_names())
    if _VERSION_TABLE in tables:
        return _recorded(conn, shown), True
    if {"annotations", "events"} & tables:
        msg = (
            f"{shown}: holds tables named like a store's but no {_VERSION_TABLE}: not an "
            "annotation store (or one damaged); it was left untouched"
        )
        raise StoreError(msg)
    return None, False


def _recorded(conn: Connection, shown: str) -> str | None:
    rows = conn.execute(text(f"SELECT version_num FROM {_VERSION_TABLE}")).scalars().all()
    if not rows:
        return None
    if len(rows) != 1 or rows[0] not in REVISIONS:
        msg = (
            f"{shown}: was written by a newer reader-ext (store revision {', '.join(rows)}, this "
            f"one reads up to {HEAD}); upgrade reader-ext (pip install -U reader-ext)"
        )
        raise StoreError(msg)
    return str(rows[0])


def check_version(shown: str, version: object) -> None:
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        msg = (
            f"{shown}: was written by a newer reader-ext (store schema {version}, this one reads "
            f"up to {SCHEMA_VERSION}); upgrade reader-ext (pip install -U reader-ext)"
        )
        raise StoreError(msg)
