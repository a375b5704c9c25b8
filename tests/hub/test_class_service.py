"""Class mode through a real JupyterHub, configurable-http-proxy and the class service.

Each student calls the service with their own Hub token, exactly as code in their kernel can:
what holds here holds against a student's own scripts.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect

from reader_ext.course.class_import import class_import
from reader_ext.hub.demo import DemoHub
from reader_ext.store.annotation_store import AnnotationStore
from tests.hub.conftest import LESSON, Client

pytestmark = pytest.mark.hub
OTHER = "urn:reader-ext:india-russia-2023:a-theory-lens"


async def _connect(
    client: Client, source: str = LESSON, since: int = 0
) -> WebSocketClientConnection:
    url = (
        client.hub.service_url.replace("http://", "ws://")
        + f"api/live?source={source}&since={since}"
    )
    request = HTTPRequest(url, headers={"Authorization": f"token {client.token}"})
    return await websocket_connect(request)


async def _close(ws: WebSocketClientConnection) -> None:
    """Close and wait until the socket is closed, so nothing is left for the collector."""
    ws.close()
    with contextlib.suppress(asyncio.TimeoutError):
        while await asyncio.wait_for(ws.read_message(), 2.0) is not None:
            pass


async def _next(ws: WebSocketClientConnection, timeout: float = 2.0) -> dict[str, Any] | None:
    try:
        message = await asyncio.wait_for(ws.read_message(), timeout)
    except asyncio.TimeoutError:
        return None
    return json.loads(message) if message is not None else None


def _texts(message: dict[str, Any] | None) -> set[str]:
    if not message:
        return set()
    return {
        a["annotation"]["body"][0]["value"]
        for a in message.get("annotations", [])
        if a["annotation"].get("body")
    }


def test_who_am_i_comes_from_the_hub(people: dict[str, Client]) -> None:
    status, me = people["ana"].call("GET", "api/me")
    assert status == 200
    assert (me["name"], me["role"], me["groups"]) == ("ana", "student", ["section-a"])
    status, me = people["prof"].call("GET", "api/me")
    assert me["role"] == "instructor"


def test_a_class_note_reaches_a_classmate_live_within_a_second(
    people: dict[str, Client], loop: asyncio.AbstractEventLoop
) -> None:
    async def run() -> tuple[float, set[str]]:
        ws = await _connect(people["ben"])
        await _next(ws)  # the catch-up
        start = time.monotonic()
        status, _ = await asyncio.to_thread(people["ana"].note, "live for the class")
        assert status == 201
        seen: set[str] = set()
        while "live for the class" not in seen:
            message = await _next(ws, 2.0)
            assert message is not None, "nothing arrived"
            seen |= _texts(message)
        await _close(ws)
        return time.monotonic() - start, seen

    elapsed, seen = loop.run_until_complete(run())
    assert "live for the class" in seen
    assert elapsed < 1.0


def test_the_author_is_the_token_user_never_a_field(people: dict[str, Client]) -> None:
    forged = {"creator": {"id": "urn:reader-ext:user:ben", "type": "Person", "nickname": "ben"}}
    status, data = people["ana"].note("signed as ben", annotation=forged)
    assert status == 403, data
    assert "another creator" in data["error"]
    status, data = people["ana"].note("mine")
    assert data["annotation"]["creator"]["nickname"] == "ana"


def test_only_the_author_edits_or_deletes(people: dict[str, Client]) -> None:
    status, data = people["ana"].note("do not touch")
    annotation_id = data["annotation"]["id"]
    body = [{"type": "TextualBody", "value": "defaced", "purpose": "commenting"}]
    assert people["ben"].call("PATCH", f"api/annotations/{annotation_id}", {"body": body})[0] == 403
    assert people["ben"].call("DELETE", f"api/annotations/{annotation_id}")[0] == 403
    assert people["prof"].call("DELETE", f"api/annotations/{annotation_id}")[0] == 403
    assert "do not touch" in people["ben"].texts()
    status, _ = people["ana"].call("PATCH", f"api/annotations/{annotation_id}", {"body": body})
    assert status == 200
    assert "defaced" in people["ben"].texts()


def test_a_private_note_reaches_no_classmate(
    people: dict[str, Client], loop: asyncio.AbstractEventLoop
) -> None:
    async def run() -> list[dict[str, Any]]:
        ws = await _connect(people["ben"])
        await _next(ws)
        status, _ = await asyncio.to_thread(people["ana"].note, "only mine", visibility="private")
        assert status == 201
        received = []
        while (message := await _next(ws, 1.0)) is not None:
            received.append(message)
        await _close(ws)
        return received

    received = loop.run_until_complete(run())
    assert all("only mine" not in json.dumps(m) for m in received)
    assert "only mine" in people["ana"].texts()
    assert "only mine" not in people["ben"].texts()
    assert "only mine" not in people["cem"].texts()
    assert "only mine" in people["prof"].texts()  # instructors see their whole course


def test_a_group_note_stays_in_its_group(people: dict[str, Client]) -> None:
    assert people["ana"].note("section a only", visibility="group")[0] == 201
    assert "section a only" in people["ben"].texts()
    assert "section a only" not in people["cem"].texts()
    assert "section a only" in people["prof"].texts()
    status, data = people["ana"].note("into b", visibility="group", group="section-b")
    assert status == 400 and "group" in data["error"]


def test_a_one_to_one_thread_with_the_instructors(people: dict[str, Client]) -> None:
    status, data = people["ana"].note("a question for you", visibility="instructors")
    assert status == 201
    question = data["annotation"]["id"]
    assert "a question for you" in people["prof"].texts()
    assert "a question for you" not in people["ben"].texts()
    reply = {"motivation": "replying", "target": question}
    status, data = people["prof"].note("my answer", visibility="class", annotation=reply)
    assert status == 201, data
    assert data["audience"]["visibility"] == "instructors"  # a reply keeps its thread's audience
    assert "my answer" in people["ana"].texts()
    assert "my answer" not in people["ben"].texts()
    # ben cannot reply into a thread he cannot see, nor learn that it exists
    status, _ = people["ben"].note(
        "me too", annotation={"motivation": "replying", "target": question}
    )
    assert status == 400


def test_an_instructor_hides_a_note_kept_for_audit(people: dict[str, Client]) -> None:
    _, data = people["ben"].note("off topic")
    annotation_id = data["annotation"]["id"]
    assert people["ana"].call("POST", f"api/annotations/{annotation_id}/hide", {})[0] == 403
    assert people["prof"].call("POST", f"api/annotations/{annotation_id}/hide", {})[0] == 200
    assert "off topic" not in people["ana"].texts()
    own = [
        a for a in people["ben"].visible()["annotations"] if a["annotation"]["id"] == annotation_id
    ]
    assert own and own[0]["audience"]["hidden"] is True
    assert "off topic" in people["prof"].texts()


def test_hide_until_posted(people: dict[str, Client]) -> None:
    reveal = f"api/lessons/reveal?source={OTHER}"
    # The service holds the bound, not only the reader: none, or 1 to 50 posts.
    for bad in (0, -1, 51, True, "2", 1.5):
        assert people["prof"].call("PUT", reveal, {"after_posts": bad})[0] == 400, bad
    status, _ = people["prof"].call("PUT", reveal, {"after_posts": 1})
    assert status == 200
    assert people["ana"].note("my reading of realism", source=OTHER)[0] == 201
    assert people["prof"].note("instructors are never hidden", source=OTHER)[0] == 201
    before = people["cem"].visible(OTHER)
    texts = people["cem"].texts(OTHER)
    assert before["revealed"] is False
    assert "my reading of realism" not in texts
    assert "instructors are never hidden" in texts
    assert people["cem"].note("cem's own view", source=OTHER)[0] == 201
    assert "my reading of realism" in people["cem"].texts(OTHER)


def test_writes_are_rate_limited_per_user(hub: DemoHub, people: dict[str, Client]) -> None:
    codes = [
        people["cem"].note(f"flood {i}", source="urn:reader-ext:x:flood")[0] for i in range(60)
    ]
    assert 429 in codes
    assert people["ana"].note("others still write")[0] == 201


def test_bad_requests_get_clear_errors(people: dict[str, Client]) -> None:
    status, data = people["ana"].call("POST", "api/annotations", {"annotation": "nope"})
    assert status == 400 and "annotation" in data["error"]
    status, data = people["ana"].call("GET", "api/annotations?source=&since=0")
    assert status == 400
    status, data = people["ana"].call("GET", f"api/annotations?source={LESSON}&since=-1")
    assert status == 400
    status, data = people["ana"].note("x", visibility="everyone")
    assert status == 400 and "visibility" in data["error"]


def test_a_reconnecting_client_catches_up_from_its_cursor(
    people: dict[str, Client], loop: asyncio.AbstractEventLoop
) -> None:
    async def run() -> set[str]:
        ws = await _connect(people["ben"])
        first = await _next(ws)
        assert first is not None
        cursor = first["cursor"]
        await _close(ws)
        await asyncio.to_thread(people["ana"].note, "while you were away")
        ws = await _connect(people["ben"], since=cursor)
        message = await _next(ws)
        await _close(ws)
        return _texts(message)

    assert loop.run_until_complete(run()) == {"while you were away"}


def test_offline_stores_imported_into_the_running_class_reach_readers_live(
    people: dict[str, Client],
    class_database: str,
    loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
) -> None:
    """``class-import`` into the live class database: the service delivers the notes, each to
    whom its visibility allows, to readers already connected (NOTIFY, then their cursors)."""

    def offline(root: Path, student: str, text: str) -> Path:
        path = root / student / "m1" / "annotations.sqlite"
        path.parent.mkdir(parents=True)
        with AnnotationStore(path) as store:
            store.add(
                {
                    "motivation": "commenting",
                    "body": [{"type": "TextualBody", "value": text, "purpose": "commenting"}],
                    "target": {"source": LESSON, "selector": [{"type": "TextQuoteSelector",
                                                              "exact": "strategic partnership"}]},
                },
                user="jovyan",
            )  # fmt: skip
        return root

    shared = offline(tmp_path / "shared", "ana", "IMPORTED-for-the-class")
    private = offline(tmp_path / "private", "cem", "IMPORTED-cem-private")

    async def run() -> set[str]:
        ws = await _connect(people["ben"])
        await _next(ws)  # the catch-up
        done = await asyncio.to_thread(class_import, [shared], class_database, visibility="class")
        assert not done.failed and done.audiences == {"ana": 1}
        done = await asyncio.to_thread(class_import, [private], class_database)
        assert done.audiences == {"cem": 1}
        seen: set[str] = set()
        deadline = time.monotonic() + 5
        while "IMPORTED-for-the-class" not in seen and time.monotonic() < deadline:
            seen |= _texts(await _next(ws, 1.0))
        seen |= _texts(await _next(ws, 1.0))  # anything after it, too
        await _close(ws)
        return seen

    seen = loop.run_until_complete(run())
    assert "IMPORTED-for-the-class" in seen and "IMPORTED-cem-private" not in seen
    assert "IMPORTED-cem-private" not in people["ben"].texts()
    assert "IMPORTED-cem-private" in people["cem"].texts()
    assert {"IMPORTED-cem-private", "IMPORTED-for-the-class"} <= people["prof"].texts()
