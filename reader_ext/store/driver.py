"""Statements sent through the SQLite driver itself where a collect sends one per student.

SQLAlchemy's own cost per statement (compiling, cache keys, result processing) is several times
SQLite's for these small statements; PostgreSQL keeps SQLAlchemy's. No policy here, as in
:mod:`reader_ext.store.rows`.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection

from reader_ext.store import rows

_CHUNK = 5000  # ids per statement, as rows.fetch_many

KNOWN = ("id", "creator", "modified", "deleted_at", "source", "created", "json")
"""The columns :func:`known_many` gives, in its tuples' order."""
_KNOWN_SQLITE = (
    f"SELECT {', '.join(KNOWN)} FROM annotations WHERE id IN (SELECT value FROM json_each(?))"
)


def known_many(conn: Connection, ids: Iterable[str]) -> list[tuple[Any, ...]]:
    """What a merge needs of the rows of those ``ids`` that exist, as tuples of :data:`KNOWN`:
    on SQLite one statement of the driver's per 5,000 ids (a merge asks once per student, and
    SQLAlchemy's own cost per statement is several times SQLite's here)."""
    if conn.dialect.name != "sqlite":
        found = rows.fetch_many(conn, ids)
        return [tuple(r[k] for k in KNOWN) for r in found.values()]
    driver = conn.connection.driver_connection
    assert driver is not None
    return [
        row
        for chunk in rows.batches(ids, _CHUNK)
        for row in driver.execute(_KNOWN_SQLITE, (json.dumps(chunk),))
    ]


_SAVEPOINTS = itertools.count(1)


@contextmanager
def savepoint(conn: Connection) -> Iterator[None]:
    """A savepoint in ``conn``'s transaction: undone alone if the block raises. On SQLite the
    driver's own statements: a collect takes one per student, and SQLAlchemy's nested
    transaction costs several times the two statements it sends."""
    if conn.dialect.name != "sqlite":
        with conn.begin_nested():
            yield
        return
    driver = conn.connection.driver_connection
    assert driver is not None
    name = f"reader_ext_{next(_SAVEPOINTS)}"
    driver.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        driver.execute(f"ROLLBACK TO {name}")
        driver.execute(f"RELEASE {name}")
        raise
    driver.execute(f"RELEASE {name}")
