"""The reader's session over the class service: the same messages, the service's rules."""

from __future__ import annotations

from typing import Any

import pytest

from reader_ext import load_lesson
from reader_ext.hub.demo import DemoHub
from reader_ext.lessons.model import Lesson
from reader_ext.widget.class_client import ClassClient, audience_choices
from reader_ext.widget.session import ReaderSession
from tests.conftest import LESSONS
from tests.hub.conftest import Client

pytestmark = pytest.mark.hub


@pytest.fixture(scope="module")
def lesson() -> Lesson:
    return load_lesson(LESSONS / "01-reading-the-argument")


def session(lesson: Lesson, client: Client) -> ReaderSession:
    store = ClassClient(client.hub.service_url, client.token)
    return ReaderSession(lesson, store, client.name)  # type: ignore[arg-type]


def create_note(lesson: Lesson, s: ReaderSession, text: str) -> dict[str, Any]:
    start = lesson.document.text.index("strategic partnership")
    reply = s.handle(
        {
            "type": "create",
            "req": 1,
            "kind": "note",
            "start": start,
            "end": start + len("strategic partnership"),
            "body": text,
            "tags": [],
        }
    )
    return dict(reply)


def test_a_note_written_in_one_reader_is_in_a_classmates_snapshot(
    lesson: Lesson, people: dict[str, Client]
) -> None:
    ana, ben = session(lesson, people["ana"]), session(lesson, people["ben"])
    reply = create_note(lesson, ana, "seen by the class")
    assert reply["type"] == "saved", reply
    views = {v["id"]: v for v in ben.snapshot()}
    view = views[reply["annotation"]["id"]]
    assert view["author"] == "ana" and view["mine"] is False
    assert view["body_html"] == "<p>seen by the class</p>\n"
    # ben's session asks to edit ana's note: the service refuses, the reader says so
    answer = ben.handle(
        {"type": "edit", "req": 2, "id": view["id"], "body": "mine now", "tags": []}
    )
    assert answer["type"] == "error" and "own" in answer["message"]


def test_a_service_that_cannot_be_reached_never_pretends_a_save(
    lesson: Lesson, people: dict[str, Client], hub: DemoHub
) -> None:
    client = people["ana"]
    store = ClassClient("http://127.0.0.1:9/services/reader-class/", client.token, timeout=2)
    store._me = {"name": "ana"}
    s = ReaderSession(lesson, store, "ana")  # type: ignore[arg-type]
    reply = create_note(lesson, s, "lost?")
    assert reply["type"] == "error"
    assert "cannot be reached" in reply["message"] and "nothing was saved" in reply["message"]


def chosen_session(lesson: Lesson, client: Client) -> ReaderSession:
    """A reader's session as ``Reader`` makes it in class mode: with the choices of ``api/me``."""
    store = ClassClient(client.hub.service_url, client.token)
    return ReaderSession(lesson, store, client.name, audiences=audience_choices(store.me()))  # type: ignore[arg-type]


def create_with(lesson: Lesson, s: ReaderSession, text: str, **audience: str) -> dict[str, Any]:
    start = lesson.document.text.index("strategic partnership")
    note = {"type": "create", "req": 1, "kind": "note", "start": start,
            "end": start + len("strategic partnership"), "body": text, "tags": []}  # fmt: skip
    return dict(s.handle(note | audience))


def test_the_visibility_chosen_in_the_reader_is_stored_and_enforced(
    lesson: Lesson, people: dict[str, Client], hub: DemoHub
) -> None:
    ana, ben, cem = (chosen_session(lesson, people[n]) for n in ("ana", "ben", "cem"))
    prof = chosen_session(lesson, people["prof"])
    hello = ana.handle({"type": "hello"})
    assert hello["type"] == "snapshot"
    assert [(c["visibility"], c["group"]) for c in hello["audiences"]] == [
        ("private", None), ("group", "section-a"), ("class", None), ("instructors", None)
    ]  # fmt: skip

    private = create_with(lesson, ana, "only for me and prof", visibility="private")
    group = create_with(lesson, ana, "for section a", visibility="group", group="section-a")
    one_to_one = create_with(lesson, ana, "a question to prof", visibility="instructors")
    default = create_with(lesson, ana, "for everyone")  # no choice: the course's default
    made = {"private": private, "group": group, "1:1": one_to_one, "default": default}
    ids = {k: r["annotation"]["id"] for k, r in made.items()}

    # Stored with that audience, as the service reports it to the author...
    status, data = people["ana"].call("GET", f"api/annotations?source={lesson.uri}&since=0")
    assert status == 200
    audiences = {a["annotation"]["id"]: a["audience"] for a in data["annotations"]}
    assert audiences[ids["private"]]["visibility"] == "private"
    assert audiences[ids["group"]]["visibility"] == "group"
    assert audiences[ids["group"]]["group"] == "section-a"
    assert audiences[ids["1:1"]]["visibility"] == "instructors"
    assert audiences[ids["default"]]["visibility"] == "class"

    # ...and enforced on every classmate's snapshot.
    seen = {name: {v["id"] for v in s.snapshot()} for name, s in
            (("ben", ben), ("cem", cem), ("prof", prof))}  # fmt: skip
    assert ids["private"] not in seen["ben"] | seen["cem"] and ids["private"] in seen["prof"]
    assert ids["group"] in seen["ben"] and ids["group"] not in seen["cem"]
    assert ids["1:1"] not in seen["ben"] | seen["cem"] and ids["1:1"] in seen["prof"]
    assert ids["default"] in seen["ben"] and ids["default"] in seen["cem"]

    # cem is in section-b: ana's group is not offered to him, and forcing it is refused.
    forged = create_with(lesson, cem, "into a", visibility="group", group="section-a")
    assert forged["type"] == "error" and "not one you can post to" in forged["message"]
    # A kernel skipping the session's check meets the service's.
    status, data = people["cem"].note("into a", visibility="group", group="section-a")
    assert status == 400 and "group" in data["error"]
