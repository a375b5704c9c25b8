"""The live broker's fan-out: readers of one lesson get what they may see, sharing encoded bytes.

No server: a class store in memory and the real visibility rules (:func:`policy.can_see`).
"""

from __future__ import annotations

import asyncio
import json
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, cast

import pytest

from reader_ext.annotations.audience import Audience, Reveal, Visibility
from reader_ext.annotations.shape import target_info
from reader_ext.hub import live
from reader_ext.hub.live import TOO_SLOW, Broker, Outbox, Subscriber
from reader_ext.hub.policy import Member, Viewer, can_see, sight
from reader_ext.hub.service import Service, present
from reader_ext.store.classroom import Changes, ClassStore
from reader_ext.store.notice import Notice

SOURCE = "urn:lesson"
MEMBERS = {
    "ana": Member("ana", "student", frozenset({"section-a"})),
    "ben": Member("ben", "student", frozenset({"section-a"})),
    "cem": Member("cem", "student", frozenset({"section-b"})),
    "dan": Member("dan", "student", frozenset({"section-b"})),
    "prof": Member("prof", "instructor"),
}


class Store:
    """Annotations with their audiences, in order of change, as the class store returns them."""

    def __init__(self, reveal: Reveal | None = None) -> None:
        self.rows: list[tuple[dict[str, Any], Audience]] = []
        self.reveal = reveal or Reveal()

    def write(self, text: str, audience: Audience) -> None:
        self.rows.append(({"id": text}, audience))

    def own_posts(self, user: str) -> int:
        return sum(1 for _, audience in self.rows if audience.author == user)

    def changes(self, source: str, since: int) -> Changes:
        return Changes(len(self.rows), self.rows[since:], [])


class Reader:
    def __init__(self, name: str) -> None:
        self.name = name
        self.messages: list[bytes] = []
        self.sub = Subscriber(SOURCE, name, self.messages.append)

    def seen(self) -> list[str]:
        return [a["annotation"]["id"] for m in self.messages for a in json.loads(m)["annotations"]]


def _broker(store: Store, threads: list[str] | None = None) -> Broker:
    def viewer(user: str, source: str) -> Viewer:
        if threads is not None:
            threads.append(threading.current_thread().name)
        return Viewer(MEMBERS[user], own_posts=store.own_posts(user), reveal=store.reveal)

    return Broker(cast(ClassStore, store), present, viewer)


async def _deliver(broker: Broker) -> None:
    broker.poke(SOURCE)
    for _ in range(300):
        await asyncio.sleep(0.01)
        if not broker._lessons[SOURCE].pending and not broker._lock.locked():
            return


async def _follow(service: Service, *readers: Reader) -> None:
    """Readers join their lessons through the service's broker, as its websockets do."""
    for reader in readers:
        service.members[reader.name] = MEMBERS[reader.name]
        await service.broker.join(reader.sub)


def _class(author: str, **extra: Any) -> Audience:
    return Audience(author, MEMBERS[author].role, "class", **extra)


def test_readers_who_may_see_different_notes_get_different_messages() -> None:
    async def scenario() -> dict[str, Reader]:
        store = Store()
        broker = _broker(store)
        readers = {name: Reader(name) for name in MEMBERS}
        for reader in readers.values():
            await broker.join(reader.sub)
        store.write("class", _class("ana"))
        store.write("private", Audience("ana", "student", "private"))
        store.write("group a", Audience("ana", "student", "group", group="section-a"))
        store.write("group b", Audience("cem", "student", "group", group="section-b"))
        store.write("1:1 ben", Audience("prof", "instructor", "instructors", student="ben"))
        store.write("1:1 cem", Audience("cem", "student", "instructors", student="cem"))
        store.write("hidden", _class("dan", hidden=True))
        await _deliver(broker)
        return readers

    readers = asyncio.run(scenario())
    assert readers["ana"].seen() == ["class", "private", "group a"]
    assert readers["ben"].seen() == ["class", "group a", "1:1 ben"]
    assert readers["cem"].seen() == ["class", "group b", "1:1 cem"]
    # An instructor's hidden note stays with its author (and the instructors).
    assert readers["dan"].seen() == ["class", "group b", "hidden"]
    assert len(readers["prof"].seen()) == 7
    # The delivery after the (empty) catch-up: one message each, with the lesson's cursor.
    assert {json.loads(r.messages[-1])["cursor"] for r in readers.values()} == {7}
    assert all(len(r.messages) == 2 for r in readers.values())


def test_readers_who_may_see_the_same_share_one_encoded_message() -> None:
    async def scenario() -> dict[str, Reader]:
        store = Store()
        store.write("welcome", _class("prof"))
        broker = _broker(store)
        readers = {name: Reader(name) for name in ("ana", "ben", "cem", "dan")}
        for reader in readers.values():
            await broker.join(reader.sub)
        store.write("for b", Audience("prof", "instructor", "group", group="section-b"))
        await _deliver(broker)
        return readers

    readers = asyncio.run(scenario())
    # Section b's two students receive the very same bytes; section a receives nothing.
    assert readers["cem"].messages[-1] is readers["dan"].messages[-1]
    assert readers["cem"].seen() == ["welcome", "for b"]
    assert readers["ana"].seen() == readers["ben"].seen() == ["welcome"]
    assert len(readers["ana"].messages) == 1  # the catch-up only: nothing to tell
    message = json.loads(readers["cem"].messages[-1])
    assert message["type"] == "changes"
    assert message["deleted"] == []
    assert message["annotations"][0]["audience"]["group"] == "section-b"


def test_a_student_who_posts_then_sees_classmates_notes() -> None:
    async def scenario() -> tuple[Reader, Reader, list[str]]:
        store, threads = Store(Reveal(after_posts=1)), list[str]()
        broker = _broker(store, threads)
        ben, dan = Reader("ben"), Reader("dan")
        await broker.join(ben.sub)
        await broker.join(dan.sub)
        store.write("ana before", _class("ana"))
        store.write("prof's guide", _class("prof"))
        await _deliver(broker)
        # ben posts his first note; the service forgets his view, as after every post.
        store.write("ben's own", _class("ben"))
        broker.forget(SOURCE, "ben")
        threads.clear()
        await _deliver(broker)
        store.write("ana after", _class("ana"))
        await _deliver(broker)
        return ben, dan, threads

    ben, dan, threads = asyncio.run(scenario())
    assert ben.seen() == ["prof's guide", "ben's own", "ana after"]
    assert dan.seen() == ["prof's guide"]  # dan has not posted: classmates stay hidden
    # ben's view was read again once, off the event loop.
    assert len(threads) == 1
    assert threads[0] != threading.main_thread().name


def test_a_reader_whose_socket_stops_draining_is_closed_not_buffered_forever() -> None:
    async def scenario() -> tuple[list[int], list[tuple[int, str]], int]:
        loop = asyncio.get_running_loop()
        futures: list[asyncio.Future[None]] = []
        closed: list[tuple[int, str]] = []

        def write(data: bytes) -> asyncio.Future[None]:
            futures.append(loop.create_future())
            return futures[-1]

        outbox = Outbox(write, lambda code, reason: closed.append((code, reason)), limit=10)
        outbox(b"123456")
        futures[0].set_result(None)  # written: no longer owed
        await asyncio.sleep(0)
        owed = [outbox.unsent]
        outbox(b"123456")
        outbox(b"123456")  # the socket does not drain
        owed.append(outbox.unsent)
        outbox(b"123456")  # over the limit: closed instead of queued
        outbox(b"123456")  # closed once, however many deliveries follow before it goes
        return owed, closed, len(futures)

    owed, closed, writes = asyncio.run(scenario())
    assert owed == [0, 12]
    assert closed == [(1013, TOO_SLOW)]
    assert writes == 3


def test_a_reader_never_finds_a_note_before_its_audience(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A note and who it is for are one commit: a delivery reading between the two would take
    the note for private, and its cursor would pass it by for every classmate."""
    store = ClassStore(str(tmp_path / "class.sqlite"))
    found: list[Changes] = []

    def read_meanwhile(target: Any) -> Any:
        # Called by post() once the note is written and before its audience is: a delivery
        # reads now (waiting for the write to commit, if it must; 0.5 s at most here).
        reader = threading.Thread(target=lambda: found.append(store.changes(SOURCE, 0)))
        reader.start()
        reader.join(0.5)
        readers.append(reader)
        return target_info(target)

    readers: list[threading.Thread] = []
    monkeypatch.setattr("reader_ext.store.classroom.target_info", read_meanwhile)
    note = {
        "motivation": "commenting",
        "body": [{"type": "TextualBody", "value": "for all", "purpose": "commenting"}],
        "target": {"source": SOURCE, "selector": [{"type": "TextQuoteSelector", "exact": "x"}]},
    }
    try:
        store.post(note, user="ana", audience=_class("ana"), doc_hash=None)
        readers[0].join(5)
    finally:
        store.close()
    assert [audience for _, audience in found[0].annotations] == [_class("ana")]


def test_notes_posted_close_together_reach_a_reader_in_one_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(live, "BATCH_SECONDS", 1.0)  # generous, for a loaded machine

    async def scenario() -> list[list[str]]:
        store = Store()
        broker = _broker(store)
        ben = Reader("ben")
        await broker.join(ben.sub)
        store.write("first", _class("ana"))
        await _deliver(broker)  # at once: nothing was delivered just before
        store.write("second", _class("ana"))
        broker.poke(SOURCE)
        await asyncio.sleep(0.05)
        store.write("third", _class("cem"))
        await _deliver(broker)
        return [[a["annotation"]["id"] for a in json.loads(m)["annotations"]] for m in ben.messages]

    assert asyncio.run(scenario()) == [[], ["first"], ["second", "third"]]


def test_viewers_with_the_same_sight_see_the_same() -> None:
    """The fan-out asks can_see once per sight: every pair of viewers sharing one must agree on
    every audience (each visibility, group, 1:1 thread, hidden, author role), hidden-until-
    posted or revealed."""
    people = ["ana", "ben", "cem", "dan", "prof"]
    viewers = [
        Viewer(member, own_posts=posts, reveal=Reveal(after_posts=1))
        for member in [*MEMBERS.values(), Member("eve", "student", frozenset({"section-a"}))]
        for posts in (0, 1)
    ]
    kinds: list[tuple[Visibility, dict[str, Any]]] = [
        ("private", {}),
        ("class", {}),
        ("class", {"hidden": True}),
        ("group", {"group": "section-a"}),
        ("group", {"group": "section-b"}),
        *(("instructors", {"student": s}) for s in people),
    ]
    audiences = [
        Audience(author, "instructor" if author == "prof" else "student", visibility, **extra)
        for author in people
        for visibility, extra in kinds
    ]
    compared = 0
    for audience in audiences:
        names = frozenset(n for n in (audience.author, audience.student) if n)
        for one in viewers:
            for other in viewers:
                if sight(one, names) == sight(other, names):
                    assert can_see(one, audience) == can_see(other, audience), (one, other)
                    compared += one is not other
    assert compared > 100  # viewers do share sights: the test compares something


def test_at_the_reveal_time_readers_get_the_lesson_afresh(class_service: Service) -> None:
    """The service keeps each lesson's reveal time (:meth:`Service.schedule_reveal`): at that
    time its readers are told to load it afresh; a reveal time taken back tells nobody."""
    service = class_service

    async def scenario() -> tuple[list[bytes], list[bytes]]:
        ben, cem = Reader("ben"), Reader("cem")
        cem.sub.source = "urn:other"
        await _follow(service, ben, cem)
        caught_up = len(ben.messages)
        soon = datetime.now(timezone.utc) + timedelta(seconds=0.2)
        service.schedule_reveal(SOURCE, soon)
        service.schedule_reveal("urn:other", soon)
        service.schedule_reveal("urn:other", None)  # taken back before the time
        for _ in range(300):
            if len(ben.messages) > caught_up:
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.3)
        return ben.messages[caught_up:], cem.messages[1:]

    ben_got, cem_got = asyncio.run(scenario())
    assert ben_got == [live.RESYNC]
    assert cem_got == []


def test_a_post_on_another_replica_resyncs_the_posters_readers_here(class_service: Service) -> None:
    """Behind the proxy a student may post through one replica while their reader follows on
    another: the NOTIFY says whose view changed, and this replica forgets that view and sends
    only their readers the lesson afresh. Its own echo does nothing twice."""
    service = class_service

    async def scenario() -> tuple[list[bytes], list[bytes], list[bytes]]:
        ben, cem = Reader("ben"), Reader("cem")
        await _follow(service, ben, cem)
        seen = {r.name: len(r.messages) for r in (ben, cem)}
        service.on_notify(Notice(SOURCE, resync=True, user="ben", origin="another-replica"))
        await asyncio.sleep(0.1)
        echo_from = len(ben.messages)
        service.on_notify(Notice(SOURCE, resync=True, user="ben", origin=service.replica))
        await asyncio.sleep(0.1)
        return ben.messages[seen["ben"] : echo_from], ben.messages[echo_from:], cem.messages[1:]

    ben_got, echo, cem_got = asyncio.run(scenario())
    assert ben_got == [live.RESYNC]  # his view changed on the other replica
    assert echo == []  # this replica's own echo: it resynced him itself
    assert cem_got == []  # nobody else's view changed
