"""The live broker's ordering, without a server: writes racing a reader's join are never lost."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any, cast

import pytest

from reader_ext.annotations.audience import Audience
from reader_ext.errors import StoreError
from reader_ext.hub import live
from reader_ext.hub.live import Broker, Subscriber
from reader_ext.hub.policy import Member, Viewer
from reader_ext.store.classroom import Changes, ClassStore

SOURCE = "urn:lesson"
CLASS = Audience("ana", "student", "class")


class Store:
    """A class store in memory whose reads can be held open, to interleave a write with them."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, dict[str, Any]]] = []
        self.hold = threading.Event()
        self.hold.set()
        self.reading = threading.Event()

    def write(self, text: str) -> None:
        self.rows.append((len(self.rows) + 1, {"id": text}))

    def changes(self, source: str, since: int) -> Changes:
        latest = len(self.rows)  # read first, as the real store does
        found = [row for seq, row in self.rows if seq > since]
        self.reading.set()
        self.hold.wait(5)
        return Changes(latest, [(row, CLASS) for row in found], [])


def _broker(store: Store) -> Broker:
    return Broker(
        cast(ClassStore, store),
        lambda annotation, audience: annotation,
        lambda user, source: Viewer(Member(user, "student")),
    )


def _reader(name: str, inbox: list[str]) -> Subscriber:
    def send(data: bytes) -> None:
        inbox.extend(a["id"] for a in json.loads(data).get("annotations", []))

    return Subscriber(SOURCE, name, send)


def test_a_write_committed_while_a_reader_joins_reaches_it() -> None:
    async def scenario() -> list[str]:
        store, inbox = Store(), list[str]()
        broker = _broker(store)
        store.hold.clear()
        join = asyncio.ensure_future(broker.join(_reader("ben", inbox)))
        await asyncio.to_thread(store.reading.wait, 5)
        # The join has read (and missed) the table; a note is written and its poke arrives now.
        store.write("written during the join")
        broker.poke(SOURCE)
        store.hold.set()
        await join
        for _ in range(100):
            if inbox:
                break
            await asyncio.sleep(0.01)
        return inbox

    assert asyncio.run(scenario()) == ["written during the join"]


def test_the_last_reader_leaving_during_a_join_does_not_drop_the_newcomer() -> None:
    async def scenario() -> list[str]:
        store, inbox, gone = Store(), list[str](), list[str]()
        broker = _broker(store)
        first = _reader("cem", gone)
        await broker.join(first)
        store.hold.clear()
        store.reading.clear()
        join = asyncio.ensure_future(broker.join(_reader("ben", inbox)))
        await asyncio.to_thread(store.reading.wait, 5)
        broker.leave(first)  # the only other reader closes while ben is being caught up
        store.hold.set()
        await join
        assert broker.subscribers(SOURCE) == 1
        store.write("after both")
        broker.poke(SOURCE)
        for _ in range(100):
            if inbox:
                break
            await asyncio.sleep(0.01)
        return inbox

    assert asyncio.run(scenario()) == ["after both"]


def test_a_delivery_that_meets_the_database_down_is_tried_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(live, "RETRY_SECONDS", 0.05)

    class Flaky(Store):
        down = 0

        def changes(self, source: str, since: int) -> Changes:
            if self.down:
                self.down -= 1
                raise StoreError("the class database cannot be reached")
            return super().changes(source, since)

    async def scenario() -> list[str]:
        store, inbox = Flaky(), list[str]()
        broker = _broker(store)
        await broker.join(_reader("ben", inbox))
        store.write("written while the database restarts")
        store.down = 2  # the next two reads fail, as during a restart
        broker.poke(SOURCE)
        for _ in range(200):
            if inbox:
                break
            await asyncio.sleep(0.01)
        assert store.down == 0
        return inbox

    assert asyncio.run(scenario()) == ["written while the database restarts"]
