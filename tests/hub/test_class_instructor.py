"""The instructor's side of the class service, through a real Hub: the roster, private feedback
(1:1) and a reveal time, each checked as a student's own token (their kernel) meets it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from reader_ext import load_lesson
from reader_ext.errors import AnnotationError, NotYourAnnotationError
from reader_ext.widget.class_client import ONE_STUDENT, ClassClient, audience_choices
from reader_ext.widget.session import ReaderSession
from tests.conftest import LESSONS
from tests.hub.conftest import LESSON, Client
from tests.hub.test_class_service import _close, _connect, _next, _texts

pytestmark = pytest.mark.hub
REVEALED = "urn:reader-ext:india-russia-2023:revealed-at-a-time"


def test_only_instructors_get_the_roster_from_the_hubs_groups(people: dict[str, Client]) -> None:
    status, roster = people["prof"].call("GET", "api/roster")
    assert status == 200, roster
    assert roster == {
        "students": ["ana", "ben", "cem"],
        "groups": {"section-a": ["ana", "ben"], "section-b": ["cem"]},
        "complete": True,
    }
    status, refused = people["ana"].call("GET", "api/roster")
    assert status == 403
    assert "instructors" in refused["error"]


def test_an_instructor_replies_privately_to_a_students_class_note(
    people: dict[str, Client],
) -> None:
    _, note = people["ana"].note("ana's reading, for the class")
    reply = {"motivation": "replying", "target": note["annotation"]["id"]}
    status, data = people["prof"].note(
        "FEEDBACK-for-ana", visibility="instructors", annotation=reply
    )
    assert status == 201, data
    assert (data["audience"]["visibility"], data["audience"]["student"]) == ("instructors", "ana")
    assert "FEEDBACK-for-ana" in people["ana"].texts()
    assert "FEEDBACK-for-ana" not in people["ben"].texts()
    assert "ana's reading, for the class" in people["ben"].texts()  # the note stays the class's
    # ana answers in the thread: it stays 1:1
    answer = {"motivation": "replying", "target": data["annotation"]["id"]}
    status, data = people["ana"].note("thanks, ANA-private-answer", annotation=answer)
    assert status == 201 and data["audience"]["visibility"] == "instructors"
    assert "thanks, ANA-private-answer" not in people["ben"].texts()
    # A student's reply takes the thread's audience, whatever it asks; private feedback answers
    # a student's note, not an instructor's
    status, data = people["ben"].note("x", visibility="instructors", annotation=reply)
    assert status == 201 and data["audience"]["visibility"] == "class"
    _, own = people["prof"].note("prof's own note")
    to_own = {"motivation": "replying", "target": own["annotation"]["id"]}
    status, data = people["prof"].note("y", visibility="instructors", annotation=to_own)
    assert status == 400 and "student's note" in data["error"]


def test_an_instructors_note_to_one_student_reaches_only_them_live(
    people: dict[str, Client], loop: asyncio.AbstractEventLoop
) -> None:
    async def run() -> tuple[set[str], set[str]]:
        ana, ben = await _connect(people["ana"]), await _connect(people["ben"])
        await _next(ana), await _next(ben)  # the catch-ups
        status, data = people["prof"].note(
            "ONE-TO-ONE-for-ana", visibility="instructors", student="ana"
        )
        assert status == 201, data
        people["prof"].note("a class note after it")
        got_ana, got_ben = set[str](), set[str]()
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and "a class note after it" not in got_ben:
            got_ben |= _texts(await _next(ben, 0.5))
        while time.monotonic() < deadline and "ONE-TO-ONE-for-ana" not in got_ana:
            got_ana |= _texts(await _next(ana, 0.5))
        await _close(ana)
        await _close(ben)
        return got_ana, got_ben

    got_ana, got_ben = loop.run_until_complete(run())
    assert "ONE-TO-ONE-for-ana" in got_ana
    assert "a class note after it" in got_ben and "ONE-TO-ONE-for-ana" not in got_ben
    # Addressed to nobody in the course: refused, not stored for no one
    status, data = people["prof"].note("lost", visibility="instructors", student="anna")
    assert status == 400 and "'anna'" in data["error"]


def test_notes_appear_live_at_the_reveal_time(
    people: dict[str, Client], loop: asyncio.AbstractEventLoop
) -> None:
    at = datetime.now(timezone.utc) + timedelta(seconds=3)
    at_text = at.isoformat()
    status, _ = people["prof"].call(
        "PUT", f"api/lessons/reveal?source={REVEALED}", {"at": at.isoformat()}
    )
    assert status == 200
    assert people["ana"].note("REVEALED-later", source=REVEALED)[0] == 201

    async def run() -> tuple[set[str], float]:
        ws = await _connect(people["cem"], source=REVEALED)
        first = await _next(ws)
        seen = _texts(first)
        assert "REVEALED-later" not in seen  # hidden before the time, and the catch-up says so
        assert first and first["hidden"] == {"after_posts": None, "own_posts": 0, "at": at_text}
        while time.monotonic() < deadline:
            message = await _next(ws, 0.5)
            if message and message.get("type") == "resync":
                break
        await _close(ws)
        return seen, time.monotonic()

    deadline = time.monotonic() + 8
    _, told = loop.run_until_complete(run())
    assert told < deadline, "no resync came at the reveal time"
    assert datetime.now(timezone.utc) >= at
    assert "REVEALED-later" in people["cem"].texts(REVEALED)
    assert people["cem"].visible(REVEALED)["hidden"] is None
    assert LESSON != REVEALED


def test_the_instructors_reader_writes_one_to_one_and_gives_private_feedback(
    people: dict[str, Client],
) -> None:
    """The instructor's session as ``Reader`` makes it: the roster, the 1:1 choice, feedback."""
    lesson = load_lesson(LESSONS / "01-reading-the-argument")
    store = ClassClient(people["prof"].hub.service_url, people["prof"].token)
    roster = store.roster()
    assert [g["name"] for g in roster["groups"]] == ["section-a", "section-b"]
    choices = audience_choices(store.me(), roster)
    assert [c["label"] for c in choices] == [
        "Only me and the instructors",
        "Discussion group section-a",
        "Discussion group section-b",
        "The class",
        ONE_STUDENT,
    ]
    prof = ReaderSession(lesson, store, "prof", audiences=choices, roster=roster)  # type: ignore[arg-type]
    start = lesson.document.text.index("strategic partnership")
    note = {"type": "create", "req": 1, "kind": "note", "start": start,
            "end": start + len("strategic partnership"), "tags": []}  # fmt: skip
    unnamed = prof.handle(note | {"body": "to whom?", "visibility": "instructors"})
    assert unnamed["type"] == "error" and "choose the student" in unnamed["message"]
    made = prof.handle(
        note | {"body": "READER-1to1-cem", "visibility": "instructors", "student": "cem"}
    )
    assert made["type"] == "saved", made
    view = made["annotation"]
    assert (view["visibility"], view["for_student"]) == ("instructors", "cem")
    assert "READER-1to1-cem" in people["cem"].texts()
    assert "READER-1to1-cem" not in people["ana"].texts()

    _, ana_note = people["ana"].note("ana, on the partnership")
    prof.snapshot()  # what the reader shows: the note replied to
    reply = prof.handle(
        {
            "type": "create",
            "req": 2,
            "kind": "reply",
            "body": "READER-feedback-ana",
            "reply_to": ana_note["annotation"]["id"],
            "visibility": "instructors",
        }
    )
    assert reply["type"] == "saved", reply
    assert (reply["annotation"]["visibility"], reply["annotation"]["for_student"]) == (
        "instructors",
        "ana",
    )
    assert "READER-feedback-ana" in people["ana"].texts()
    assert "READER-feedback-ana" not in people["ben"].texts()
    # A student's session cannot make a reply private feedback
    ben_store = ClassClient(people["ben"].hub.service_url, people["ben"].token)
    ben = ReaderSession(lesson, ben_store, "ben")  # type: ignore[arg-type]
    ben.snapshot()
    refused = ben.handle(
        {
            "type": "create",
            "req": 3,
            "kind": "reply",
            "body": "psst",
            "reply_to": ana_note["annotation"]["id"],
            "visibility": "instructors",
        }
    )
    assert refused["type"] == "error" and "private feedback" in refused["message"]


def test_an_instructor_sets_hide_until_posted_from_the_notebook(people: dict[str, Client]) -> None:
    source = "urn:reader-ext:india-russia-2023:set-from-a-notebook"
    prof = ClassClient(people["prof"].hub.service_url, people["prof"].token)
    assert prof.set_reveal(source, after_posts=1)["after_posts"] == 1
    people["ana"].note("NOTEBOOK-hidden", source=source)
    assert people["ben"].visible(source)["hidden"] == {
        "after_posts": 1,
        "own_posts": 0,
        "at": None,
    }
    assert "NOTEBOOK-hidden" not in people["ben"].texts(source)
    ben = ClassClient(people["ben"].hub.service_url, people["ben"].token)
    with pytest.raises(NotYourAnnotationError, match="only instructors"):
        ben.set_reveal(source)
    with pytest.raises(AnnotationError, match="offset"):
        prof.set_reveal(source, at="2026-12-02T10:00:00")
    prof.set_reveal(source)  # nothing hidden
    assert "NOTEBOOK-hidden" in people["ben"].texts(source)


def test_a_hidden_students_reader_is_told_what_is_left_to_post(
    people: dict[str, Client], loop: asyncio.AbstractEventLoop
) -> None:
    source = "urn:reader-ext:india-russia-2023:two-posts-to-go"
    assert (
        people["prof"].call("PUT", f"api/lessons/reveal?source={source}", {"after_posts": 2})[0]
        == 200
    )

    async def run() -> list[dict[str, object] | None]:
        said = []
        ws = await _connect(people["ben"], source=source)
        first = await _next(ws)
        said.append(first and first["hidden"])
        people["ben"].note("one of two", source=source)
        resync = await _next(ws)
        assert resync and resync["type"] == "resync"
        await _close(ws)
        ws = await _connect(people["ben"], source=source)
        again = await _next(ws)
        said.append(again and again["hidden"])
        await _close(ws)
        return said

    before, after = loop.run_until_complete(run())
    assert before == {"after_posts": 2, "own_posts": 0, "at": None}
    assert after == {"after_posts": 2, "own_posts": 1, "at": None}


def test_the_instructors_reader_sets_hide_until_posted(people: dict[str, Client]) -> None:
    """The reader's own messages (get-reveal, set-reveal), as its panel sends them: the
    instructor reads and sets the lesson's setting; a student's reader is refused by the
    service, whatever its kernel sends."""
    lesson = load_lesson(LESSONS / "01-reading-the-argument")

    def reader(name: str) -> Callable[..., dict[str, Any]]:
        client = ClassClient(people[name].hub.service_url, people[name].token)
        session = ReaderSession(lesson, client, name)  # type: ignore[arg-type]
        return lambda **msg: dict(session.handle(msg))

    prof, ben = reader("prof"), reader("ben")
    try:
        at = (datetime.now(timezone.utc) + timedelta(days=1)).replace(microsecond=0)
        got = prof(type="set-reveal", req=1, after_posts=2, at=at.isoformat())
        assert got["type"] == "reveal", got
        assert got["reveal"]["after_posts"] == 2
        assert datetime.fromisoformat(str(got["reveal"]["at"])) == at
        assert prof(type="get-reveal", req=2)["reveal"] == got["reveal"]
        assert ben(type="get-reveal", req=3) == {
            "type": "error",
            "req": 3,
            "message": "Only instructors see when notes are revealed",
        }
        refused = ben(type="set-reveal", req=4, after_posts=None, at=None)
        assert refused["type"] == "error" and "Only instructors" in refused["message"]
        bad = prof(type="set-reveal", req=5, after_posts=0, at=None)
        assert bad["message"] == "Posts before classmates’ notes show: from 1 to 50, or none"
        assert prof(type="get-reveal", req=6)["reveal"]["after_posts"] == 2
    finally:
        assert prof(type="set-reveal", req=7, after_posts=None, at=None)["type"] == "reveal"
