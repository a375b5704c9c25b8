"""Opening from kept views: the rows sent are the views derived afresh, and a view the store
brings is used only under this user's seal, for this very annotation and lesson text."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from reader_ext import load_lesson
from reader_ext.lessons.model import Lesson
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.text.sealed import seal, unseal
from reader_ext.widget import views
from reader_ext.widget.session import ReaderSession
from reader_ext.widget.views import _DOMAIN, context, snapshot_rows
from reader_ext.widget.wire import pack_rows, unpack
from tests.test_session import span
from tests.xss import dangers

SCRIPT = '<script>alert(1)</script><p onclick="steal()">hi</p><a href="javascript:x()">x</a>'


@pytest.fixture
def store(tmp_path: Path) -> Any:
    with AnnotationStore(tmp_path / "a.sqlite") as s:
        yield s


def sent(s: ReaderSession) -> list[dict[str, Any]]:
    """The annotations of the snapshot the widget sends, unpacked as the browser does."""
    head: dict[str, Any] = {"type": "snapshot", "req": None, "user": s.user}
    head |= {"lesson": None, "audiences": []}
    content, buffers = pack_rows(head, snapshot_rows(s))
    return list(unpack(content, buffers)["annotations"])


def kept(store: AnnotationStore) -> dict[str, tuple[str, str]]:
    with sqlite3.connect(store.path) as conn:
        return {i: (c, v) for i, c, v in conn.execute("SELECT id, context, sealed FROM views")}


def every_kind(lesson: Lesson, store: AnnotationStore) -> dict[str, str]:
    """One annotation of each kind, by ana and by ben; their ids by name."""
    ana, ben = ReaderSession(lesson, store, "ana"), ReaderSession(lesson, store, "ben")
    made = {
        "highlight": ana.handle({"type": "create", "kind": "highlight", **span(lesson, "Iran")}),
        "note": ana.handle(
            {
                "type": "create",
                "kind": "note",
                **span(lesson, "founded in 2014"),
                "body": "*a* [l](https://example.org) <b>raw</b>",
                "tags": ["claim", "é"],
            }
        ),
        "ben's note": ben.handle(
            {"type": "create", "kind": "note", **span(lesson, "2014"), "body": "**b**"}
        ),
        "answer": ana.handle(
            {"type": "create", "kind": "answer", "prompt": "corridor", "body": "c"}
        ),
        "comment reply": ben.handle(
            {"type": "create", "kind": "comment-reply", "comment": "c1", "body": "d"}
        ),
    }
    ids = {name: str(reply["annotation"]["id"]) for name, reply in made.items()}  # type: ignore[typeddict-item]
    reply = ben.handle({"type": "create", "kind": "reply", "reply_to": ids["note"], "body": "e"})
    ids["reply"] = str(reply["annotation"]["id"])  # type: ignore[typeddict-item]
    return ids


def test_the_rows_sent_are_the_views_derived_afresh(lesson: Lesson, store: AnnotationStore) -> None:
    every_kind(lesson, store)
    ana, ben = ReaderSession(lesson, store, "ana"), ReaderSession(lesson, store, "ben")
    derived = ana.snapshot()
    assert {v["kind"] for v in derived} == {
        "highlight",
        "note",
        "answer",
        "comment-reply",
        "reply",
    }
    assert kept(store) == {}
    assert sent(ana) == derived  # derived, sealed and kept
    assert len(kept(store)) == len(derived)
    assert sent(ana) == derived  # from what was kept
    # Kept once, read by anyone: ``mine`` and the Markdown are each reader's own.
    assert sent(ben) == ben.snapshot()
    assert [v["mine"] for v in sent(ben)] == [not v["mine"] for v in derived]
    assert all(v["body"] == "" for v in sent(ben) if not v["mine"])


def test_a_view_is_derived_again_when_its_annotation_or_the_text_changes(
    course: Path, lesson: Lesson, store: AnnotationStore
) -> None:
    ids = every_kind(lesson, store)
    ana = ReaderSession(lesson, store, "ana")
    sent(ana)
    before = kept(store)
    ana.handle({"type": "edit", "id": ids["note"], "body": "now *this*", "tags": []})
    (edited,) = [v for v in sent(ana) if v["id"] == ids["note"]]
    assert (edited["body"], edited["body_html"], edited["tags"]) == (
        "now *this*",
        "<p>now <em>this</em></p>\n",
        [],
    )
    assert kept(store)[ids["note"]] != before[ids["note"]]
    ana.handle({"type": "delete", "id": ids["highlight"]})
    assert ids["highlight"] not in {v["id"] for v in sent(ana)}
    # The reading changed: every text target is anchored again, in the new text.
    reading = course / "m1" / "reading.md"
    reading.write_text(
        "A new opening paragraph.\n\n" + reading.read_text(encoding="utf-8"), encoding="utf-8"
    )
    changed = ReaderSession(load_lesson(course / "m1"), store, "ana")
    assert context(changed) != context(ana)
    moved = sent(changed)
    assert moved == changed.snapshot()
    (note,) = [v for v in moved if v["id"] == ids["note"]]
    assert note["start"] == changed.lesson.document.text.index("founded in 2014")
    # (the deleted highlight's view stays as it was: nothing reads it, and undo derives it again)
    live = {i: c for i, (c, _) in kept(store).items() if i != ids["highlight"]}
    assert set(live.values()) == {context(changed)}


def test_a_forged_or_foreign_view_is_never_sent(lesson: Lesson, store: AnnotationStore) -> None:
    """A store from anyone else, or edited by hand, cannot make its views skip deriving: only
    a seal of this user's, over this annotation's stored JSON and this context, is believed."""
    ids = every_kind(lesson, store)
    ana = ReaderSession(lesson, store, "ana")
    honest = sent(ana)
    note, other = ids["note"], ids["ben's note"]
    here = context(ana)
    with sqlite3.connect(store.path) as conn:
        stored = dict(conn.execute("SELECT id, json FROM annotations"))
    genuine = kept(store)
    leading = genuine[note][1].partition(":")[2].split("\x1f")[0]
    planted = leading.replace("<em>a</em>", SCRIPT.replace('"', '\\"'))
    assert planted != leading
    forgeries = [
        (here, planted + '\x1f""\x1fana'),  # no seal at all
        (here, "0" * 64 + ":" + planted + '\x1f""\x1fana'),  # a made-up seal
        (here, seal((_DOMAIN, here, note, stored[note]), planted, secret=b"k" * 32)),
        (here, genuine[other][1]),  # a genuine seal, moved from another annotation
        ("1; old; hash", genuine[note][1]),  # under another context
        (here, seal((note, "v", "x"), planted)),  # this user's seal, of something else
    ]
    for forged_context, forged in forgeries:
        with sqlite3.connect(store.path) as conn:
            conn.execute(
                "UPDATE views SET context = ?, sealed = ? WHERE id = ?",
                (forged_context, forged, note),
            )
        shown = sent(ana)
        assert shown == honest
        assert all(dangers(v["body_html"]) == [] for v in shown)
        # ... and what was forged is replaced by a sealed view of the real annotation.
        again_context, again = kept(store)[note]
        assert again_context == here
        assert unseal((_DOMAIN, here, note, stored[note]), again) is not None


def test_an_annotation_edited_by_hand_is_shown_as_it_is_stored(
    lesson: Lesson, store: AnnotationStore
) -> None:
    """Its kept view was sealed over the JSON it was derived from: edited JSON is derived again
    (so a stale view is never shown for it), and its note is rendered and sanitised."""
    ids = every_kind(lesson, store)
    ana = ReaderSession(lesson, store, "ana")
    sent(ana)
    with sqlite3.connect(store.path) as conn:
        (stored,) = conn.execute("SELECT json FROM annotations WHERE id = ?", (ids["note"],))
        edited = stored[0].replace("*a* [l](https://example.org)", SCRIPT.replace('"', '\\"'))
        assert edited != stored[0]
        conn.execute("UPDATE annotations SET json = ? WHERE id = ?", (edited, ids["note"]))
    (note,) = [v for v in sent(ana) if v["id"] == ids["note"]]
    assert note == next(v for v in ana.snapshot() if v["id"] == ids["note"])
    assert "alert" in note["body"]  # the Markdown as stored, for editing...
    assert dangers(note["body_html"]) == []  # ... and never as markup


def test_a_store_that_cannot_keep_views_still_opens(
    lesson: Lesson, store: AnnotationStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    every_kind(lesson, store)
    ana = ReaderSession(lesson, store, "ana")
    from reader_ext.errors import StoreError

    def full(_items: object) -> None:
        raise StoreError("a.sqlite: the annotation store could not save (disk full); try again")

    monkeypatch.setattr(store, "save_views", full)
    monkeypatch.setattr(store, "save_rendered", full)
    assert sent(ana) == ana.snapshot()
    assert kept(store) == {}


def test_kept_views_on_either_engine_are_the_bytes_stored(
    lesson: Lesson, store_location: str
) -> None:  # (store_location: an SQLite file, then a PostgreSQL database)
    """The store hands the JSON and views over as their UTF-8 bytes (SQLite's ``CAST AS BLOB``,
    PostgreSQL's ``convert_to``, which reads no backslash as an escape): what is sent is what
    was derived, backslashes, quotes and all."""
    with AnnotationStore(store_location) as store:
        every_kind(lesson, store)
        ana = ReaderSession(lesson, store, "ana")
        body = 'a \\\\ back\\slash, a "quote", \\n not a newline, ग and \\u0041'
        ana.handle({"type": "create", "kind": "note", **span(lesson, "Iran"), "body": body})
        derived = ana.snapshot()
        assert body in {v["body"] for v in derived}
        assert sent(ana) == derived  # derived and kept
        derive = ana.view
        calls: list[object] = []
        ana.view = lambda *args: calls.append(args) or derive(*args)  # type: ignore[method-assign,func-returns-value]
        assert sent(ana) == derived  # from the kept views, their seals holding
        assert calls == []
        assert (
            sent(ReaderSession(lesson, store, "ben"))
            == ReaderSession(lesson, store, "ben").snapshot()
        )


def test_views_are_kept_as_the_reading_goes_on(
    lesson: Lesson, store_location: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first opening of a large store saves its views a few thousand at a time, beside the
    read still under way (here: two at a time, in chunks of two), on either engine."""
    with AnnotationStore(store_location) as store:
        every_kind(lesson, store)
        ana = ReaderSession(lesson, store, "ana")
        derived = ana.snapshot()
        monkeypatch.setattr(views, "_KEEP_AT_ONCE", 2)
        reading = store.view_rows
        monkeypatch.setattr(store, "view_rows", lambda source: reading(source=source, size=2))
        saves: list[int] = []
        save = store.save_views

        def counted(items: list[tuple[str, str, str]]) -> None:
            saves.append(len(items))
            save(items)

        monkeypatch.setattr(store, "save_views", counted)
        assert sent(ana) == derived
        assert saves == [2, 2, 2] and len(derived) == 6
        assert sent(ana) == derived
        assert saves == [2, 2, 2]  # every view was kept: nothing more to derive


# The views of a fixed store (notes' HTML aside: the renderer's version keys it), as derived
# under each views.VERSION. A change to how views are derived changes the digest: bump
# views.VERSION (kept views are then derived again) and pin the new digest under it. A change
# to the fixture lesson changes it too: then pin the new digest alone.
PINNED = {"2": "a947366460f92c1e715c2dbac81bb5ffee9f56814068aa45e3f2d442e9e8b806"}


def test_a_change_to_how_views_are_derived_bumps_their_version(
    lesson: Lesson, store: AnnotationStore
) -> None:
    text, uri = lesson.document.text, lesson.uri
    start = text.index("founded in 2014")

    def made(n: int, target: object, motivation: str, body: str | None = None) -> dict[str, Any]:
        annotation: dict[str, Any] = {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "id": f"urn:uuid:00000000-0000-4000-8000-{n:012d}",
            "type": "Annotation",
            "motivation": motivation,
            "creator": {
                "id": f"acct:{'ana' if n % 2 else 'ben'}@reader-ext",
                "type": "Person",
                "nickname": "ana" if n % 2 else "ben",
            },
            "created": f"2026-09-01T08:00:0{n}.000Z",
            "modified": f"2026-09-01T08:00:0{n}.000Z",
            "target": target,
        }
        if body is not None:
            annotation["body"] = [
                {"type": "TextualBody", "value": body, "format": "text/markdown",
                 "purpose": "commenting"},
                {"type": "TextualBody", "value": "tag", "purpose": "tagging"},
            ]  # fmt: skip
        return annotation

    quote = {"type": "TextQuoteSelector", "exact": "founded in 2014"}
    position = {"type": "TextPositionSelector", "start": start, "end": start + 15}
    moved = {"type": "TextPositionSelector", "start": start + 3, "end": start + 18}
    store.import_annotations(
        [
            made(1, {"source": uri, "selector": [quote, position]}, "highlighting"),
            made(2, {"source": uri, "selector": [quote, moved]}, "commenting", "*a*"),
            made(
                3,
                {"source": uri, "selector": [{**quote, "exact": "fonded in 2014"}]},
                "commenting",
                "b",
            ),
            made(
                4,
                {"source": uri, "selector": [{**quote, "exact": "not in the text"}]},
                "highlighting",
            ),
            made(5, "urn:uuid:00000000-0000-4000-8000-000000000002", "replying", "c"),
            made(6, f"{uri}#prompt-corridor", "replying", "d"),
            made(7, f"{uri}#comment-c1", "replying", "e"),
            made(8, {"source": uri}, "commenting", "f"),
        ]
    )
    views_now = [
        {k: v for k, v in view.items() if k != "body_html"}
        for view in ReaderSession(lesson, store, "ana").snapshot()
    ]
    assert len(views_now) == 8
    assert {v["kind"] for v in views_now} == {
        "highlight", "note", "reply", "answer", "comment-reply", "lesson-note",
    }  # fmt: skip
    assert {v["anchor"] for v in views_now} >= {"position", "quote", "fuzzy", "orphan"}
    digest = hashlib.sha256(json.dumps(views_now, sort_keys=True).encode()).hexdigest()
    assert PINNED.get(views.VERSION) == digest, (
        f"the views derived changed (digest {digest}): bump reader_ext.widget.views.VERSION "
        "and pin the digest under it (or, if only the fixture lesson changed, pin it alone)"
    )
