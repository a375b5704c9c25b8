"""Class mode when parts fail: another replica writes, the service restarts, PostgreSQL restarts."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from reader_ext.annotations.audience import Audience
from reader_ext.hub.demo import DemoHub, Postgres, demo_class
from reader_ext.store.classroom import ClassStore
from reader_ext.store.notice import Notice
from reader_ext.widget.class_client import ClassClient
from tests.hub.conftest import LESSON, Client

pytestmark = pytest.mark.hub


def _note(text: str) -> dict[str, Any]:
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "motivation": "commenting",
        "body": [{"type": "TextualBody", "value": text, "purpose": "commenting"}],
        "target": {"source": LESSON, "selector": [{"type": "TextQuoteSelector", "exact": "x"}]},
    }


class Follower:
    """A reader's kernel following the lesson live, in a thread with its own event loop."""

    def __init__(self, client: ClassClient) -> None:
        self.texts: list[str] = []
        self.loop = asyncio.new_event_loop()
        self._client = client
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self._task = self.loop.create_task(self._client.follow(LESSON, self._on))
        try:
            self.loop.run_until_complete(self._task)
        except asyncio.CancelledError:
            pass
        finally:
            self.loop.close()

    def _on(self, changes: dict[str, Any]) -> None:
        for item in changes.get("annotations", []):
            self.texts.append(item["annotation"]["body"][0]["value"])

    def wait_for(self, text: str, timeout: float = 15.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.texts:
                return True
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self._task.cancel)
        self._thread.join(timeout=10)


@pytest.fixture
def follower(hub: DemoHub, people: dict[str, Client]) -> Iterator[Follower]:
    ben = people["ben"]
    f = Follower(ClassClient(hub.service_url, ben.token))
    try:
        yield f
    finally:
        f.stop()


def test_a_write_by_another_replica_arrives_through_notify(
    hub: DemoHub, follower: Follower, class_database: str
) -> None:
    time.sleep(0.5)  # the follower's catch-up
    other = ClassStore(class_database)  # another replica of the service, on the same database
    try:
        audience = Audience("cem", "student", "class")
        other.post(_note("from replica two"), user="cem", audience=audience, doc_hash=None)
        other.notify(Notice(LESSON))
    finally:
        other.close()
    assert follower.wait_for("from replica two", timeout=5.0)


def service_process(hub: DemoHub) -> psutil.Process:
    config = str(hub.folder / "class-service.toml")
    for proc in psutil.process_iter(["cmdline", "environ"]):
        cmd = proc.info.get("cmdline") or []
        env = proc.info.get("environ") or {}
        alive = proc.status() != psutil.STATUS_ZOMBIE
        if "reader_ext.hub" in cmd and env.get("READER_EXT_CLASS_CONFIG") == config and alive:
            return proc
    raise AssertionError("the class service is not running")


def test_after_the_service_restarts_readers_reconnect_and_catch_up(
    hub: DemoHub, people: dict[str, Client], follower: Follower
) -> None:
    assert people["ana"].note("before the crash")[0] == 201
    assert follower.wait_for("before the crash")
    old = service_process(hub)
    os.kill(old.pid, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the Hub restarts a managed service that died
        try:
            if service_process(hub).pid != old.pid and hub.service_up():
                break
        except AssertionError:
            pass
        time.sleep(0.2)
    else:
        raise AssertionError("the Hub did not restart the class service")
    assert people["ana"].note("after the crash")[0] == 201
    assert follower.wait_for("after the crash", timeout=20.0)


def test_postgresql_restarting_mid_run_loses_no_acknowledged_write(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    folder = tmp_path_factory.mktemp("pg-restart")
    if os.geteuid() == 0:
        folder.chmod(0o755)
    # The cluster's folder must be reachable by the postgres user, unlike pytest's.
    cluster = Path(tempfile.mkdtemp(prefix="reader-ext-pg-restart-"))
    cluster.chmod(0o755)
    pg = Postgres(cluster / "pg").start()  # durable: fsync on
    try:
        limits = {"writes_per_minute": 6000, "write_burst": 200}
        with demo_class(Path(folder), database=pg.url, service_config={"limits": limits}) as hub:
            ana = Client(hub, "ana", hub.token_for("ana"))
            acknowledged: list[str] = []
            refused = 0

            def restart_soon() -> None:
                time.sleep(0.5)
                pg.restart()

            restart = threading.Thread(target=restart_soon)
            restart.start()
            deadline = time.monotonic() + 6.0
            n = 0
            while time.monotonic() < deadline:
                status, data = ana.note(f"write {n}")
                if status == 201:
                    acknowledged.append(data["annotation"]["id"])
                else:
                    assert status in (503, 429), data  # said, never pretended
                    refused += 1
                n += 1
            restart.join()
            stored = {a["annotation"]["id"] for a in ana.visible()["annotations"]}
        assert acknowledged and set(acknowledged) <= stored
        assert refused < n  # the service came back: most writes went through
    finally:
        pg.stop()
        shutil.rmtree(cluster, ignore_errors=True)
