"""The class store's LISTEN connection: every NOTIFY of a write, as a :class:`Notice`.

Only the class service listens; it is apart from :mod:`.classroom` so that what reads a class
store without listening (``reader-ext report``, ``class-import``) never loads psycopg's own
connection.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

import psycopg
import sqlalchemy as sa

from reader_ext.store.notice import NOTIFY_CHANNEL, Notice


class Listener:
    """One LISTEN connection (psycopg, autocommit) that reconnects if PostgreSQL restarts."""

    def __init__(self, url: sa.URL, on_notify: Callable[[Notice], None]) -> None:
        self._dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._on_notify = on_notify
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        conn = await self._connect()
        self._task = asyncio.get_running_loop().create_task(self._run(conn))

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _connect(self) -> psycopg.AsyncConnection[Any]:
        conn = await psycopg.AsyncConnection.connect(self._dsn, autocommit=True)
        await conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
        return conn

    async def _run(self, conn: psycopg.AsyncConnection[Any]) -> None:
        while True:
            try:
                async for note in conn.notifies():
                    notice = Notice.from_payload(note.payload)
                    if notice is not None:
                        self._on_notify(notice)
            except psycopg.OperationalError:
                await _close_quietly(conn)
                conn = await self._reconnect()
                # What was written while we were away: deliver from the cursors.
                self._on_notify(Notice("", resync=True))

    async def _reconnect(self) -> psycopg.AsyncConnection[Any]:
        delay = 0.2
        while True:
            try:
                return await self._connect()
            except psycopg.OperationalError:
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)


async def _close_quietly(conn: psycopg.AsyncConnection[Any]) -> None:
    with contextlib.suppress(Exception):
        await conn.close()
