"""The reader's session over the class service: the same messages, the service's rules."""

from __future__ import annotations

from typing import Any

import pytest

from reader_ext import load_lesson
from reader_ext.hub.demo import DemoHub
from reader_ext.lessons.model import Lesson
from reader_ext.widget.class_client import ClassClient
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
