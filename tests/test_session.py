"""Browser messages in, replies out: every rule of the reader enforced in Python."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reader_ext import load_lesson
from reader_ext.anchoring import describe
from reader_ext.annotations import limits
from reader_ext.lessons.model import Lesson
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.text.markup import RENDERER_VERSION
from reader_ext.text.sealed import seal, unseal
from reader_ext.widget.payload import lesson_payload
from reader_ext.widget.protocol import ANNOTATION_KINDS, KernelMessage
from reader_ext.widget.session import ReaderSession
from tests.xss import dangers


@pytest.fixture
def store(tmp_path: Path) -> Any:
    with AnnotationStore(tmp_path / "a.sqlite") as s:
        yield s


def session(lesson: Lesson, store: AnnotationStore, user: str = "ana") -> ReaderSession:
    return ReaderSession(lesson, store, user)


def span(lesson: Lesson, phrase: str) -> dict[str, int]:
    start = lesson.document.text.index(phrase)
    return {"start": start, "end": start + len(phrase)}


def saved(reply: KernelMessage) -> dict[str, Any]:
    assert reply["type"] == "saved", reply
    return dict(reply["annotation"])


def test_highlight_and_note(lesson: Lesson, store: AnnotationStore) -> None:
    s = session(lesson, store)
    hl = saved(s.handle({"type": "create", "req": 1, "kind": "highlight", **span(lesson, "Iran")}))
    assert (hl["kind"], hl["quote"], hl["anchor"], hl["mine"]) == (
        "highlight",
        "Iran",
        "position",
        True,
    )
    note = saved(
        s.handle(
            {
                "type": "create",
                "kind": "note",
                **span(lesson, "free trade talks"),
                "body": "**why** now?",
                "tags": ["trade", " Trade ", "eaeu"],
            }
        )
    )
    assert note["kind"] == "note"
    assert note["body_html"] == "<p><strong>why</strong> now?</p>\n"
    assert note["tags"] == ["trade", "eaeu"]
    stored = store.get(note["id"])
    assert stored is not None and stored["motivation"] == "commenting"
    assert stored["creator"]["nickname"] == "ana"
    assert {v["id"] for v in s.snapshot()} == {hl["id"], note["id"]}


def test_hello_is_answered_with_the_snapshot(lesson: Lesson, store: AnnotationStore) -> None:
    s = session(lesson, store)
    assert s.handle({"type": "hello"}) == {
        "type": "snapshot",
        "req": None,
        "user": "ana",
        "lesson": lesson_payload(lesson),
        "annotations": [],
        "audiences": [],  # offline: notes stay in the file, no choice is offered
        "roster": None,  # offline: no class, no roster
        "hidden": None,  # offline: nothing is hidden
    }
    hl = saved(s.handle({"type": "create", "kind": "highlight", **span(lesson, "Iran")}))
    reply = s.handle({"type": "hello", "req": 2})
    assert reply["type"] == "snapshot"
    assert reply["req"] == 2
    assert reply["annotations"] == [hl]


def test_every_kind_the_protocol_names_can_be_created(
    lesson: Lesson, store: AnnotationStore
) -> None:
    s = session(lesson, store)
    note = saved(s.handle({"type": "create", "kind": "note", **span(lesson, "Iran"), "body": "n"}))
    fields: dict[str, dict[str, Any]] = {
        "highlight": span(lesson, "free trade talks"),
        "note": {**span(lesson, "free trade talks"), "body": "x"},
        "reply": {"reply_to": note["id"], "body": "x"},
        "answer": {"prompt": lesson.prompts[0].id, "body": "x"},
        "comment-reply": {"comment": lesson.comments[0].id, "body": "x"},
    }
    assert set(fields) == set(ANNOTATION_KINDS)
    for kind in ANNOTATION_KINDS:
        assert saved(s.handle({"type": "create", "kind": kind, **fields[kind]}))["kind"] == kind


def test_selection_is_trimmed_of_white_space(lesson: Lesson, store: AnnotationStore) -> None:
    where = span(lesson, " via Iran.")
    hl = saved(session(lesson, store).handle({"type": "create", "kind": "highlight", **where}))
    assert hl["quote"] == "via Iran."
    assert hl["start"] == where["start"] + 1


def test_unicode_offsets_are_code_points(lesson: Lesson, store: AnnotationStore) -> None:
    hl = saved(
        session(lesson, store).handle(
            {"type": "create", "kind": "highlight", **span(lesson, "मराठी")}
        )
    )
    assert lesson.document.text[hl["start"] : hl["end"]] == "मराठी"
    assert lesson.document.text[hl["start"] - 2] == "🌏"


def test_replies_answers_and_comment_replies(lesson: Lesson, store: AnnotationStore) -> None:
    ana, ben = session(lesson, store, "ana"), session(lesson, store, "ben")
    note = saved(
        ana.handle({"type": "create", "kind": "note", **span(lesson, "Iran"), "body": "x"})
    )
    reply = saved(
        ben.handle({"type": "create", "kind": "reply", "reply_to": note["id"], "body": "y"})
    )
    assert (reply["kind"], reply["reply_to"], reply["mine"]) == ("reply", note["id"], True)
    nested = saved(
        ana.handle({"type": "create", "kind": "reply", "reply_to": reply["id"], "body": "z"})
    )
    assert nested["reply_to"] == reply["id"]
    answer = saved(
        ana.handle({"type": "create", "kind": "answer", "prompt": "corridor", "body": "Suez"})
    )
    assert (answer["kind"], answer["prompt"]) == ("answer", "corridor")
    to_comment = saved(
        ben.handle({"type": "create", "kind": "comment-reply", "comment": "c1", "body": "ok"})
    )
    assert (to_comment["kind"], to_comment["comment"]) == ("comment-reply", "c1")
    stored = store.get(answer["id"])
    assert stored is not None
    assert stored["target"] == "urn:reader-ext:fixture-course:m1#prompt-corridor"
    mine = {v["id"]: v["mine"] for v in ana.snapshot()}
    assert mine == {
        note["id"]: True,
        reply["id"]: False,
        nested["id"]: True,
        answer["id"]: True,
        to_comment["id"]: False,
    }


@pytest.mark.parametrize(
    ("msg", "message"),
    [
        ("not an object", "Message: expected an object"),
        ({"type": "explode"}, "unknown message type"),
        ({"type": "refresh"}, "unknown message type"),  # never sent: gone from the protocol
        ({"type": "create", "kind": "poem"}, "Kind: expected one of"),
        ({"type": "create", "kind": "highlight", "start": -1, "end": 3}, "inside the text"),
        ({"type": "create", "kind": "highlight", "start": 5, "end": 5}, "inside the text"),
        ({"type": "create", "kind": "highlight", "start": 0, "end": 10**9}, "inside the text"),
        (
            {"type": "create", "kind": "highlight", "start": True, "end": 3},
            "Start: expected a whole",
        ),
        (
            {"type": "create", "kind": "highlight", "start": "0", "end": 3},
            "Start: expected a whole",
        ),
        ({"type": "create", "kind": "note", "start": 0, "end": 4, "body": " "}, "write something"),
        (
            {"type": "create", "kind": "note", "start": 0, "end": 4, "body": 5},
            "Body: expected text",
        ),
        (
            {"type": "create", "kind": "note", "start": 0, "end": 4, "body": "x", "tags": "a,b"},
            "Tags: expected a list",
        ),
        (
            {"type": "create", "kind": "reply", "reply_to": "urn:uuid:nope", "body": "x"},
            "does not exist",
        ),
        ({"type": "create", "kind": "answer", "prompt": "nope", "body": "x"}, "no prompt 'nope'"),
        (
            {"type": "create", "kind": "comment-reply", "comment": "c9", "body": "x"},
            "no reader comment",
        ),
        ({"type": "edit", "id": "urn:uuid:nope", "body": "x"}, "no such annotation"),
        ({"type": "gloss-open", "key": "nope"}, "no gloss 'nope'"),
    ],
)
def test_bad_messages_get_clear_errors(
    lesson: Lesson, store: AnnotationStore, msg: object, message: str
) -> None:
    reply = session(lesson, store).handle(msg if not isinstance(msg, dict) else {**msg, "req": 7})
    assert reply["type"] == "error"
    assert message in reply["message"]
    assert reply["req"] == (7 if isinstance(msg, dict) else None)
    assert store.count() == 0


def test_body_over_the_limit_says_so_and_keeps_nothing(
    lesson: Lesson, store: AnnotationStore
) -> None:
    body = "x" * (limits.MAX_BODY_CHARS + 1)
    reply = session(lesson, store).handle(
        {"type": "create", "kind": "note", **span(lesson, "Iran"), "body": body}
    )
    assert reply["type"] == "error"
    assert f"over the limit of {limits.MAX_BODY_CHARS:,}" in reply["message"]
    assert "your text is kept" in reply["message"]
    assert store.count() == 0


def test_author_is_always_the_session_user(lesson: Lesson, store: AnnotationStore) -> None:
    reply = session(lesson, store, "ana").handle(
        {
            "type": "create",
            "kind": "highlight",
            **span(lesson, "Iran"),
            "creator": {"nickname": "ben"},
        }
    )
    view = saved(reply)
    assert view["author"] == "ana"


def test_only_the_author_may_change(lesson: Lesson, store: AnnotationStore) -> None:
    ana, ben = session(lesson, store, "ana"), session(lesson, store, "ben")
    note = saved(
        ana.handle({"type": "create", "kind": "note", **span(lesson, "Iran"), "body": "mine"})
    )
    for msg in (
        {"type": "edit", "id": note["id"], "body": "hijacked"},
        {"type": "delete", "id": note["id"]},
    ):
        reply = ben.handle(msg)
        assert reply == {
            "type": "error",
            "req": None,
            "message": "You can only change your own annotations.",
        }
    stored = store.get(note["id"])
    assert stored is not None and stored["body"][0]["value"] == "mine"


def test_edit_delete_and_undo(lesson: Lesson, store: AnnotationStore) -> None:
    s = session(lesson, store)
    note = saved(s.handle({"type": "create", "kind": "note", **span(lesson, "Iran"), "body": "a"}))
    edited = saved(s.handle({"type": "edit", "id": note["id"], "body": "b", "tags": ["t"]}))
    assert (edited["body"], edited["tags"]) == ("b", ["t"])
    assert s.handle({"type": "delete", "req": 2, "id": note["id"]}) == {
        "type": "deleted",
        "req": 2,
        "id": note["id"],
    }
    assert s.snapshot() == []
    assert store.get(note["id"], include_deleted=True) is not None  # soft: kept for undo/audit
    restored = saved(s.handle({"type": "restore", "id": note["id"]}))
    assert restored["body"] == "b"
    assert len(s.snapshot()) == 1


def test_gloss_open_is_recorded_privately(lesson: Lesson, store: AnnotationStore) -> None:
    assert (
        session(lesson, store).handle({"type": "gloss-open", "key": "eaeu"})["type"] == "recorded"
    )
    events = store.events("gloss-open")
    assert len(events) == 1
    assert events[0]["key"] == "eaeu"


def test_annotations_re_anchor_when_the_text_changes(
    course: Path, lesson: Lesson, store: AnnotationStore
) -> None:
    s = session(lesson, store)
    kept = saved(
        s.handle({"type": "create", "kind": "highlight", **span(lesson, "founded in 2014")})
    )
    lost = saved(
        s.handle({"type": "create", "kind": "highlight", **span(lesson, "more traffic on")})
    )
    reading = course / "m1" / "reading.md"
    text = reading.read_text(encoding="utf-8")
    edited = text.replace("and more traffic on", "and less on")
    reading.write_text("A new opening paragraph.\n\n" + edited, encoding="utf-8")
    changed = load_lesson(course / "m1")
    views = {v["id"]: v for v in session(changed, store).snapshot()}
    moved = views[kept["id"]]
    assert moved["anchor"] in ("quote", "fuzzy")
    assert changed.document.text[moved["start"] : moved["end"]] == "founded in 2014"
    orphan = views[lost["id"]]
    assert (orphan["anchor"], orphan["start"], orphan["quote"]) == (
        "orphan",
        None,
        "more traffic on",
    )


def test_rendered_notes_are_cached_and_a_poisoned_cache_is_sanitised(
    lesson: Lesson, store: AnnotationStore
) -> None:
    s = session(lesson, store)
    note = saved(
        s.handle({"type": "create", "kind": "note", **span(lesson, "Iran"), "body": "*a*"})
    )
    first = s.snapshot()[0]["body_html"]
    assert first == "<p><em>a</em></p>\n"
    version = f"{store.get(note['id'])['modified']}; {RENDERER_VERSION}"  # type: ignore[index]
    versions = {note["id"]: version}
    (cached,) = store.rendered(versions).values()
    assert unseal((note["id"], version, "*a*"), cached) == first
    # Someone edits the store file by hand to plant markup in the cache: it never reaches a page.
    store.save_rendered([(note["id"], version, '<img src=x onerror="x()"><p>b</p>')])
    assert s.snapshot()[0]["body_html"] == first
    # Another user's view carries the rendering but not the Markdown source.
    other = session(lesson, store, "ben").snapshot()[0]
    assert (other["body"], other["mine"]) == ("", False)


SCRIPT = '<script>alert(1)</script><p onclick="steal()">hi</p><a href="javascript:x()">x</a>'


def test_a_forged_cache_entry_is_never_shown_however_it_is_sealed(
    lesson: Lesson, store: AnnotationStore
) -> None:
    """The cache is trusted only under this user's key, for this very note: a store from
    anyone else (or edited by hand) cannot make its HTML skip rendering and sanitising."""
    s = session(lesson, store)
    one = saved(s.handle({"type": "create", "kind": "note", **span(lesson, "Iran"), "body": "x"}))
    two = saved(s.handle({"type": "create", "kind": "note", **span(lesson, "2014"), "body": "*y*"}))
    honest = {v["id"]: v["body_html"] for v in s.snapshot()}
    versions = {
        a["id"]: f"{a['modified']}; {RENDERER_VERSION}"
        for a in (store.get(one["id"]), store.get(two["id"]))
        if a
    }
    other_key = b"k" * 32
    forgeries = [
        SCRIPT,  # no seal at all
        "0" * 64 + ":" + SCRIPT,  # a made-up seal
        seal((one["id"], versions[one["id"]], "x"), SCRIPT, secret=other_key),  # another key
        "é" * 64 + ":" + SCRIPT,  # not even hex
    ]
    # A genuine seal of this user's, moved from the note it was made for onto another one.
    (moved,) = store.rendered({two["id"]: versions[two["id"]]}).values()
    for forged in [*forgeries, moved]:
        store.save_rendered([(one["id"], versions[one["id"]], forged)])
        shown = {v["id"]: v["body_html"] for v in s.snapshot()}
        assert shown == honest
        assert dangers(shown[one["id"]]) == []
        # ... and the forged entry was replaced by a sealed rendering of the real note.
        (again,) = store.rendered({one["id"]: versions[one["id"]]}).values()
        assert unseal((one["id"], versions[one["id"]], "x"), again) == honest[one["id"]]


def test_views_are_the_same_with_and_without_the_cache(
    lesson: Lesson, store: AnnotationStore, tmp_path: Path
) -> None:
    s = session(lesson, store)
    for phrase, body in (("Iran", "*a* [l](https://example.org)"), ("2014", "- one\n- two")):
        s.handle({"type": "create", "kind": "note", **span(lesson, phrase), "body": body})
    s.handle({"type": "create", "kind": "highlight", **span(lesson, "Iran")})
    cold = s.snapshot()  # renders, seals and caches
    warm = s.snapshot()  # from the cache
    with AnnotationStore(tmp_path / "copy.sqlite") as fresh:
        fresh.import_annotations(store.list())
        uncached = ReaderSession(lesson, fresh, "ana").snapshot()
    assert cold == warm == uncached
    versions = {v["id"]: f"{v['modified']}; {RENDERER_VERSION}" for v in cold}
    assert len(store.rendered(versions)) == 2  # the two notes; a highlight has nothing to cache


def test_images_in_notes_are_not_fetched_by_classmates(
    lesson: Lesson, store: AnnotationStore
) -> None:
    body = "look ![pixel](https://tracker.example/p.png) here"
    s = session(lesson, store)
    note = saved(s.handle({"type": "create", "kind": "note", **span(lesson, "Iran"), "body": body}))
    assert "<img" not in note["body_html"]
    assert "<img" not in session(lesson, store, "ben").snapshot()[0]["body_html"]


def test_a_note_on_the_whole_lesson_is_a_lesson_note(
    lesson: Lesson, store: AnnotationStore
) -> None:
    # What the Hypothesis import makes of a page note: the lesson as target, no selector.
    body = [{"type": "TextualBody", "value": "Read with *care*.", "purpose": "commenting"}]
    note = store.add(
        {"type": "Annotation", "motivation": "commenting", "target": {"source": lesson.uri},
         "body": body},
        user="kim",
    )  # fmt: skip
    s = session(lesson, store)
    reply = saved(
        s.handle({"type": "create", "kind": "reply", "reply_to": note["id"], "body": "Yes"})
    )
    assert reply["kind"] == "reply" and reply["reply_to"] == note["id"]
    snapshot = s.handle({"type": "hello"})
    assert snapshot["type"] == "snapshot"
    view = next(a for a in snapshot["annotations"] if a["id"] == note["id"])
    assert view["kind"] == "lesson-note"
    assert (view["reply_to"], view["prompt"], view["comment"], view["quote"]) == (None,) * 4
    assert (view["start"], view["end"], view["anchor"]) == (None, None, None)
    assert "<em>care</em>" in view["body_html"]
    assert not view["mine"] and view["author"] == "kim"


def test_lesson_notes_are_shown_not_created(lesson: Lesson, store: AnnotationStore) -> None:
    reply = session(lesson, store).handle({"type": "create", "kind": "lesson-note", "body": "x"})
    assert reply["type"] == "error" and "Kind: expected one of" in reply["message"]


def test_a_snapshot_built_in_chunks_is_the_whole_store_in_order(
    lesson: Lesson, store: AnnotationStore
) -> None:
    """Past a thousand annotations the snapshot is read and built a chunk at a time: it is
    still every live annotation once, in the store's order."""
    text = lesson.document.text
    start = text.index("Iran")
    items = [
        {
            "id": f"urn:uuid:00000000-0000-4000-8000-{n:012d}",
            "type": "Annotation",
            "motivation": "commenting",
            "creator": {"id": "urn:reader-ext:user:ana", "nickname": "ana"},
            "created": f"2026-09-01T08:{n // 60 % 60:02d}:{n % 60:02d}.000Z",
            "body": [{"type": "TextualBody", "value": f"note {n}", "purpose": "commenting"}],
            "target": {"source": lesson.uri, "selector": describe(text, start, start + 4)},
        }
        for n in range(2_345)
    ]
    assert store.import_annotations(items).added == len(items)
    chunks = list(session(lesson, store).snapshot_chunks())
    assert [len(c) for c in chunks] == [1000, 1000, 345]
    views = [v for c in chunks for v in c]
    assert [v["id"] for v in views] == [a["id"] for a in store.list(source=lesson.uri)]
    assert views[2_000]["body_html"] == "<p>note 2000</p>\n"
    assert views == session(lesson, store).snapshot()  # the second time from the cache
