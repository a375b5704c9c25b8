"""A throwaway PostgreSQL server for the tests: the demo's own cluster (:class:`Postgres`).

As root (CI), the cluster runs as the ``postgres`` system user (``initdb`` refuses root) and its
folder is owned by that user. It listens on 127.0.0.1 on a free port and on a Unix socket in its
folder, with ``fsync`` off for speed (durability tests start a cluster of their own with it on),
and is stopped and deleted when the test session ends. Each test gets a fresh database.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psycopg

from reader_ext.hub.demo import Postgres

USER = "test"


@dataclass
class PostgresServer:
    cluster: Postgres
    _names = itertools.count(1)

    @property
    def port(self) -> int:
        return self.cluster.port

    def url(self, database: str) -> str:
        return self.cluster.url_for(database)

    def admin(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=USER, dbname="postgres", autocommit=True
        )

    def create_database(self) -> str:
        name = f"store_{os.getpid()}_{next(self._names)}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start() -> PostgresServer:
    """Start a cluster (a :class:`~reader_ext.hub.demo.DemoError` says what is missing)."""
    folder = Path(tempfile.mkdtemp(prefix="reader-ext-pg-"))
    try:
        return PostgresServer(Postgres(folder, fast=True, user=USER).start())
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def stop(server: PostgresServer) -> None:
    try:
        server.cluster.stop()
    finally:
        shutil.rmtree(server.cluster.folder, ignore_errors=True)
