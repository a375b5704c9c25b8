"""A throwaway PostgreSQL server for the tests: Debian's initdb and pg_ctl in a temporary folder.

As root (CI), the cluster runs as the ``postgres`` system user (``initdb`` refuses root) and its
folder is owned by that user. It listens on 127.0.0.1 on a free port and on a Unix socket in its
folder, with ``fsync`` off for speed (no durability test runs against it), and is stopped and
deleted when the test session ends. Each test gets a fresh database.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psycopg

POSTGRESQL = Path("/usr/lib/postgresql")
BINARIES = f"{POSTGRESQL}/*/bin"
USER = "test"
MISSING = (
    "PostgreSQL's server (initdb, pg_ctl under {where}) is not installed; the store's tests run "
    "against it: `make test` installs it (apt-get install -y postgresql)"
)


@dataclass
class PostgresServer:
    folder: Path
    port: int
    run_as: list[str]
    _names = itertools.count(1)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

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


def bin_dir() -> Path | None:
    found = [p for p in POSTGRESQL.glob("*/bin/initdb") if p.parts[-3].isdigit()]
    found.sort(key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


def start() -> PostgresServer:
    where = bin_dir()
    if where is None:
        raise RuntimeError(MISSING.format(where=BINARIES))
    folder = Path(tempfile.mkdtemp(prefix="reader-ext-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", _free_port()
    _run([*run_as, str(where / "initdb"), "-D", str(data), "-A", "trust", "-U", USER,
          "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], folder)  # fmt: skip
    options = (
        f"-k {folder} -p {port} -c listen_addresses=127.0.0.1 "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    _run([*run_as, str(where / "pg_ctl"), "-D", str(data), "-o", options,
          "-l", str(folder / "log"), "-w", "-t", "60", "start"], folder)  # fmt: skip
    return PostgresServer(folder, port, run_as)


def stop(server: PostgresServer) -> None:
    where = bin_dir()
    try:
        if where is not None:
            subprocess.run(
                [*server.run_as, str(where / "pg_ctl"), "-D", str(server.folder / "data"),
                 "-m", "fast", "-w", "stop"],
                check=False, capture_output=True, timeout=60,
            )  # fmt: skip
    finally:
        shutil.rmtree(server.folder, ignore_errors=True)


def _run(command: list[str], folder: Path) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        log = folder / "log"
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        msg = f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}{done.stderr}{tail}"
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(msg)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
