"""A throwaway class on this machine: PostgreSQL, JupyterHub, the class service (``make demo-hub``).

Everything lives in one temporary folder and binds to 127.0.0.1 on free ports: a PostgreSQL
cluster made with Debian's ``initdb``/``pg_ctl`` (as the ``postgres`` user when run as root,
since ``initdb`` refuses root), a JupyterHub with the dummy authenticator (any password), the
simple local spawner and configurable-http-proxy from the project's ``node_modules``, and the
class service registered as a managed Hub service. The test suite starts the same parts through
:class:`Postgres` and :class:`DemoHub`; ``main`` adds a course and waits for Ctrl+C.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader_ext.course.assign import assign
from reader_ext.errors import ReaderExtError

SERVICE = "reader-class"
POSTGRESQL = Path("/usr/lib/postgresql")
ROOT = Path(__file__).resolve().parents[2]


class DemoError(ReaderExtError):
    """A part of the demo class could not start; the message says which and how to fix it."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(check: Any, what: str, timeout: float, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if check():
                return
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    msg = f"{what} did not start within {timeout:.0f} s" + (
        f"; its log ends:\n{tail}" if tail else ""
    )
    raise DemoError(msg)


@dataclass
class Postgres:
    """A PostgreSQL cluster in ``folder``, on 127.0.0.1, stopped by :meth:`stop`."""

    folder: Path
    port: int = field(default_factory=free_port)
    fast: bool = False
    """``fsync=off``: for speed-only tests, never for durability tests."""
    user: str = "reader"

    @staticmethod
    def binaries() -> Path:
        """The newest installed server's ``bin`` folder (Debian keeps one per major version)."""
        found = [p.parent for p in POSTGRESQL.glob("*/bin/pg_ctl") if p.parts[-3].isdigit()]
        if not found:
            msg = (
                f"PostgreSQL's server (initdb, pg_ctl under {POSTGRESQL}/*/bin) is not "
                "installed: run 'make test' (it installs postgresql)"
            )
            raise DemoError(msg)
        return max(found, key=lambda p: int(p.parts[-2]))

    @property
    def url(self) -> str:
        return self.url_for("postgres")

    def url_for(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = list(args)
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)

    def start(self) -> Postgres:
        bins = self.binaries()
        self.folder.mkdir(parents=True, exist_ok=True)
        data = self.folder / "data"
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(self.folder, pw.pw_uid, pw.pw_gid)
        initdb = [str(bins / "initdb"), "-D", str(data), "-A", "trust", "-U", self.user]
        initdb += ["-E", "UTF8", "--locale=C.UTF-8"] + (["--no-sync"] if self.fast else [])
        done = self._run(*initdb)
        if done.returncode:
            raise DemoError(f"initdb failed: {done.stderr.strip() or done.stdout.strip()}")
        self._launch()
        return self

    def _launch(self) -> None:
        bins = self.binaries()
        options = f"-k {self.folder} -p {self.port} -c listen_addresses=127.0.0.1"
        if self.fast:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        log = self.folder / "postgres.log"
        # -l: the server's output goes to its log, never to our pipe (which would then never
        # close, and the call never return).
        done = self._run(
            str(bins / "pg_ctl"),
            "-D",
            str(self.folder / "data"),
            "-o",
            options,
            "-l",
            str(log),
            "-w",
            "-t",
            "60",
            "start",
        )
        if done.returncode:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else done.stderr
            raise DemoError(f"PostgreSQL did not start: {tail}")

    def restart(self) -> None:
        """Stop (fast: open connections are cut) and start again on the same port."""
        self.stop()
        self._launch()

    def stop(self) -> None:
        bins = self.binaries()
        self._run(str(bins / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")


def proxy_command() -> list[str]:
    """configurable-http-proxy from the project's node_modules (``make`` runs ``npm ci``)."""
    local = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
    found = str(local) if local.exists() else shutil.which("configurable-http-proxy")
    if not found:
        msg = "configurable-http-proxy is missing: run 'npm ci' in the project (make does)"
        raise DemoError(msg)
    return [found]


@dataclass
class DemoHub:
    """A JupyterHub with the class service, on free ports under ``folder``."""

    folder: Path
    database: str
    instructors: Sequence[str] = ("prof",)
    groups: Mapping[str, Sequence[str]] = field(
        default_factory=lambda: {"section-a": ("ana", "ben"), "section-b": ("cem",)}
    )
    course: str = "india-russia-2023"
    service_config: Mapping[str, Any] = field(default_factory=dict)
    lab_args: Sequence[str] = ()
    """More arguments for each user's JupyterLab (tests pass ``--LabApp.expose_app_in_browser``)."""
    lessons: Path | None = None
    """A course folder: each user's home gets its student release (``reader-ext assign``)."""
    port: int = field(default_factory=free_port)
    admin_token: str = field(default_factory=lambda: os.urandom(16).hex())
    proc: subprocess.Popen[bytes] | None = None

    @property
    def students(self) -> list[str]:
        return sorted({s for members in self.groups.values() for s in members})

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def service_url(self) -> str:
        return f"{self.url}/services/{SERVICE}/"

    def write_config(self) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        service_toml = self.folder / "class-service.toml"
        lines = [
            f"database = {json.dumps(self.database)}",
            f"course = {json.dumps(self.course)}",
        ]
        for key, value in self.service_config.items():
            if key != "limits":
                lines.append(f"{key} = {json.dumps(value)}")
        limits = self.service_config.get("limits", {})
        if limits:
            lines.append("[limits]")
            lines += [f"{k} = {int(v)}" for k, v in limits.items()]
        service_toml.write_text("\n".join(lines) + "\n", encoding="utf-8")
        homes = self.folder / "homes"
        homes.mkdir(exist_ok=True)
        bindir = Path(sys.executable).parent
        users = [*self.instructors, *self.students]
        groups = {
            "instructors": {"users": list(self.instructors)},
            "students": {"users": self.students},
        }
        groups.update({name: {"users": list(members)} for name, members in self.groups.items()})
        scope = f"access:services!service={SERVICE}"
        config = f"""
import sys
c = get_config()  # noqa
c.JupyterHub.bind_url = "http://127.0.0.1:{self.port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.command = {proxy_command()!r}
c.ConfigurableHTTPProxy.pid_file = {str(self.folder / "proxy.pid")!r}
c.JupyterHub.db_url = {"sqlite:///" + str(self.folder / "hub.sqlite")!r}
c.JupyterHub.cookie_secret_file = {str(self.folder / "cookie_secret")!r}
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allowed_users = set({users!r})
c.Authenticator.admin_users = set()
c.JupyterHub.load_groups = {groups!r}
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(homes / "{username}")!r}
c.Spawner.cmd = [{str(bindir / "jupyterhub-singleuser")!r}]
c.Spawner.args = ["--allow-root", *{list(self.lab_args)!r}]
c.Spawner.default_url = "/lab"
c.Spawner.http_timeout = 30
c.Spawner.environment = {{"READER_EXT_CLASS_SERVICE": "{self.service_url}",
                          "JUPYTERHUB_PUBLIC_URL": "{self.url}/"}}
c.Spawner.server_token_scopes = ["users:activity!user", "access:servers!server",
                                 "read:users:groups!user", "read:users:name!user", {scope!r}]
c.JupyterHub.load_roles = [
    {{"name": "user", "scopes": ["self", {scope!r}]}},
    {{"name": "demo-admin", "scopes": ["admin:users", "tokens", "servers", "admin:groups"],
      "services": ["demo-admin"]}},
    # The class service reads the course's groups (its roster, for instructors' readers).
    {{"name": "reader-class-service", "scopes": ["list:groups", "read:groups"],
      "services": [{SERVICE!r}]}},
]
c.JupyterHub.services = [
    {{"name": "demo-admin", "api_token": {self.admin_token!r}}},
    {{"name": {SERVICE!r}, "url": "http://127.0.0.1:{free_port()}",
      "command": [sys.executable, "-m", "reader_ext.hub"],
      "environment": {{"READER_EXT_CLASS_CONFIG": {str(service_toml)!r}}},
      "oauth_no_confirm": True}},
]
"""
        path = self.folder / "jupyterhub_config.py"
        path.write_text(config, encoding="utf-8")
        return path

    def give_course(self) -> None:
        """Put the student release of ``lessons`` in every user's home, as ``course/``."""
        if self.lessons is None:
            return
        for user in [*self.instructors, *self.students]:
            home = self.folder / "homes" / user
            home.mkdir(parents=True, exist_ok=True)
            assign(self.lessons, home / "course")

    def start(self) -> DemoHub:
        config = self.write_config()
        self.give_course()
        log = self.folder / "hub.log"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        with log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "jupyterhub", "-f", str(config)],
                cwd=self.folder,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        _wait(lambda: self.api("GET", "/hub/api/") is not None, "JupyterHub", 60, log)
        _wait(lambda: self.service_up(), "the class service", 30, log)
        return self

    def service_up(self) -> bool:
        try:
            with urllib.request.urlopen(self.service_url + "api/me", timeout=2):
                return True
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code in (302, 401, 403)

    def api(self, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Authorization", f"token {token or self.admin_token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read()
        return json.loads(text) if text else {}

    def token_for(self, user: str) -> str:
        """A Hub API token of ``user``'s, scoped as a kernel's is."""
        scopes = [
            f"access:services!service={SERVICE}",
            "read:users:groups!user",
            "read:users:name!user",
        ]
        made = self.api(
            "POST", f"/hub/api/users/{user}/tokens", {"note": "reader-ext test", "scopes": scopes}
        )
        return str(made["token"])

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        pid_file = self.folder / "proxy.pid"
        with contextlib.suppress(OSError, ValueError):
            os.kill(int(pid_file.read_text()), signal.SIGTERM)


@contextlib.contextmanager
def demo_class(
    folder: Path,
    *,
    postgres: bool = True,
    database: str | None = None,
    fast: bool = False,
    **hub: Any,
) -> Iterator[DemoHub]:
    """A hub with the class service on ``database`` — by default a throwaway PostgreSQL cluster
    started here (or, with ``postgres=False``, a SQLite file) — all stopped on exit.

    ``fast`` turns PostgreSQL's fsync off: for benchmarks of speed only.
    """
    pg = Postgres(folder / "pg", fast=fast).start() if postgres and database is None else None
    if database is None:
        database = pg.url if pg else str(folder / "class.sqlite")
    server = DemoHub(folder / "hub", database, **hub)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        if pg is not None:
            pg.stop()


def main() -> int:
    """``make demo-hub``: a class of one instructor and three students until Ctrl+C."""
    folder = Path(tempfile.mkdtemp(prefix="reader-ext-demo-"))
    if os.geteuid() == 0:
        folder.chmod(0o755)
    try:
        with demo_class(folder, lessons=ROOT / "lessons") as hub:
            print(f"\nAnnotated Reader class demo: {hub.url}/hub/login")
            print("Each user's home holds the course: open course/<module>/lesson.ipynb.")
            print("Log in with any password as:")
            print(f"  instructor: {', '.join(hub.instructors)} (sees the whole class live)")
            for name, members in hub.groups.items():
                print(f"  students in {name}: {', '.join(members)}")
            print(f"Class database: {hub.database}\nPress Ctrl+C to stop everything.\n")
            signal.sigwait({signal.SIGINT, signal.SIGTERM})
    except KeyboardInterrupt:
        pass
    except DemoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
