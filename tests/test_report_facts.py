"""The class report's kept facts and heat maps: derived once, sealed, and never believed unsealed.

A class store is made of students' files, so every kept entry is checked against the stored
JSON, the lesson text and this user's key; what fails is derived again, as if nothing were kept.
"""

from __future__ import annotations

import base64
import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from reader_ext.course import report_facts
from reader_ext.course.assign import assign
from reader_ext.course.publish import publish
from reader_ext.course.report import build_report, report
from reader_ext.course.report_model import ClassReport
from reader_ext.errors import StoreError
from reader_ext.lessons.layout import PUBLISHED_FILE
from reader_ext.lessons.model import Lesson
from reader_ext.store import report_facts as kept_rows
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.store.schema import SCHEMA_VERSION
from reader_ext.text.sealed import seal
from tests.test_report import act
from tests.test_session import span


def note_on(lesson: Lesson, word: int, body: str = "x") -> dict[str, object]:
    return {"type": "create", "kind": "note", **span(lesson, lesson.document.text.split()[word]),
            "body": body}  # fmt: skip


@pytest.fixture
def class_store(store_location: str, lesson: Lesson) -> str:
    """Two students on the small lesson: notes, a highlight, a reply, answers, a gloss open."""
    words = lesson.document.text.split()
    prompt = lesson.prompts[0].id
    answer = {"type": "create", "kind": "answer", "prompt": prompt}
    with AnnotationStore(store_location) as store:
        act(lesson, store, "ana",
            note_on(lesson, 0, "two words"),
            {"type": "create", "kind": "highlight", **span(lesson, words[3])},
            {**answer, "body": "Ana *thinks* so"},
            {"type": "gloss-open", "key": lesson.glossary[0].key})  # fmt: skip
        note = next(a["id"] for a in store.list() if a["motivation"] == "commenting")
        act(lesson, store, "ben",
            {"type": "create", "kind": "highlight", **span(lesson, words[0])},
            {"type": "create", "kind": "reply", "reply_to": note, "body": "I agree, mostly"},
            {**answer, "body": "Ben *doubts* it"})  # fmt: skip
    return store_location


def figures(data: ClassReport) -> list[object]:
    """Everything the page and the CSV show, but the time it was made and the images."""
    shown: list[object] = [data.students, [t.row() for t in data.totals], data.unknown]
    for m in data.modules:
        heat = m.heat
        shown += [[s.row() for s in m.stats], m.annotations, m.glosses]
        shown += [{p: [(a.student, a.text, a.html) for a in v] for p, v in m.answers.items()}]
        shown += [None if heat is None else (heat.counts, heat.notes, heat.orphans)]
    return shown


def derived(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the annotations whose facts are derived from now on."""
    seen: list[str] = []
    derive = report_facts.derive

    def spy(annotation: dict[str, object], lessons: dict[str, Lesson]) -> report_facts.Fact:
        seen.append(str(annotation.get("id")))
        return derive(annotation, lessons)

    monkeypatch.setattr(report_facts, "derive", spy)
    return seen


def kept(location: str) -> dict[str, tuple[str, str]]:
    with AnnotationStore(location) as store:
        return kept_rows.read(store).heatmaps | {
            i.decode(): (str(c), s.decode())
            for i, _, c, s in kept_rows.read(store).annotations
            if c is not None and s is not None
        }


def forge(location: str, items: list[tuple[str, str, str]], *, heat: bool = False) -> None:
    with AnnotationStore(location) as store:
        save = kept_rows.save_heatmaps if heat else kept_rows.save_facts
        save(store, items)


def test_a_repeated_report_derives_nothing_and_is_the_same(
    class_store: str, course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = derived(monkeypatch)
    first = build_report(class_store, course)
    assert len(seen) == 6  # every annotation, once
    with AnnotationStore(class_store) as store:
        ids = {a["id"] for a in store.list()}
    assert set(kept(class_store)) == ids | {m.uri for m in first.modules if m.png}
    entries = kept(class_store)
    for _ in range(2):  # and what was kept stays kept
        seen.clear()
        again = build_report(class_store, course)
        assert seen == []
        assert figures(again) == figures(first)
        assert [m.png for m in again.modules] == [m.png for m in first.modules]
        assert kept(class_store) == entries


def test_a_forged_foreign_or_stale_fact_is_never_used(
    class_store: str, course: Path, lesson: Lesson, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Facts sealed under another key (a classmate's or a TA's store), this key's facts of
    another annotation, facts of another lesson text, and facts of a JSON edited since are all
    derived again: the report is what it would be with nothing kept."""
    first = build_report(class_store, course)
    entries = kept(class_store)
    with AnnotationStore(class_store) as store:
        annotations = store.list()
    answer, other = (a for a in annotations if "#prompt-" in str(a["target"]))
    stored = {a["id"]: a for a in annotations}
    lie = report_facts.derive(stored[answer["id"]], {lesson.uri: lesson})
    lie.text, lie.words, lie.author = "<script>alert(1)</script>", 999, "mallory"
    forged_json = report_facts._ENCODER.encode(lie).decode()
    context = entries[answer["id"]][0]
    forgeries = [
        # Another key: what a student's own reader-ext would seal.
        (
            context,
            seal(
                ("reader-ext report facts", context, answer["id"], "{}"),
                forged_json,
                secret=b"k" * 32,
            ),
        ),
        # This key's entry for another annotation, copied over this one's.
        entries[other["id"]],
        # This key, sealed for another context (another lesson text).
        ("0" * 32, entries[answer["id"]][1]),
        # Not a seal at all.
        (context, forged_json),
    ]
    seen = derived(monkeypatch)
    for forged_context, forged in forgeries:
        forge(class_store, [(answer["id"], forged_context, forged)])
        seen.clear()
        data = build_report(class_store, course)
        assert seen == [answer["id"]]
        assert figures(data) == figures(first)
        assert kept(class_store)[answer["id"]] == entries[answer["id"]]  # derived, kept again
    # The stored JSON edited in place (by hand, or a store file whose rows were changed) after
    # its facts were kept: the seal no longer holds, and the edit is what the report shows.
    if class_store.startswith("postgresql"):
        return
    with closing(sqlite3.connect(class_store)) as conn:
        conn.execute(
            "UPDATE annotations SET json = replace(json, 'Ana *thinks* so', 'Ana edited it')"
        )
        conn.commit()
    seen.clear()
    data = build_report(class_store, course)
    assert seen == [answer["id"]]
    texts = [a.text for m in data.modules for v in m.answers.values() for a in v]
    assert "Ana edited it" in texts and "Ana *thinks* so" not in texts


def test_the_facts_of_a_deleted_annotation_are_forgotten(class_store: str, course: Path) -> None:
    build_report(class_store, course)
    with AnnotationStore(class_store) as store:
        note = next(a["id"] for a in store.list() if a["motivation"] == "commenting")
        assert note in kept(class_store)
        store.delete(note, user="ana")
    left = set(kept(class_store)) - {note}
    build_report(class_store, course)
    assert set(kept(class_store)) == left


def test_a_forged_or_stale_heat_map_is_never_shown(
    class_store: str, course: Path, lesson: Lesson
) -> None:
    first = build_report(class_store, course)
    module = next(m for m in first.modules if m.uri == lesson.uri)
    assert module.png is not None
    context, sealed = kept(class_store)[lesson.uri]
    planted = base64.b64encode(b"\x89PNG forged").decode()
    for forged in [
        (
            context,
            seal(("reader-ext report heat map", lesson.uri, context), planted, secret=b"k" * 32),
        ),
        ("f" * 32, seal(("reader-ext report heat map", lesson.uri, "f" * 32), planted)),
        (context, "0" * 64 + ":" + planted),
    ]:
        forge(class_store, [(lesson.uri, *forged)], heat=True)
        again = next(m for m in build_report(class_store, course).modules if m.uri == lesson.uri)
        assert again.png == module.png
        assert kept(class_store)[lesson.uri] == (context, sealed)


def test_a_changed_reading_derives_its_facts_and_heat_map_again(
    class_store: str, course: Path, lesson: Lesson, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = build_report(class_store, course)
    reading = next(lesson.path.glob("*.md"))
    reading.write_text("Added first. " + reading.read_text(encoding="utf-8"), encoding="utf-8")
    seen = derived(monkeypatch)
    again = build_report(class_store, course)
    with AnnotationStore(class_store) as store:
        on_text = [a["id"] for a in store.list() if isinstance(a["target"], dict)]
    assert set(on_text) <= set(seen)
    before = next(m for m in first.modules if m.uri == lesson.uri)
    after = next(m for m in again.modules if m.uri == lesson.uri)
    assert after.heat is not None and before.heat is not None
    assert after.heat.text != before.heat.text and after.png != before.png
    # The passages moved with the text: the same students cover the same words.
    assert sum(1 for c in after.heat.counts if c) == sum(1 for c in before.heat.counts if c)


def test_a_class_store_that_cannot_keep_facts_still_reports(
    class_store: str, course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = build_report(class_store, course)
    with AnnotationStore(class_store) as store:
        ids = [i.decode() for i, *_ in kept_rows.read(store).annotations]
    forge(class_store, [(i, "0" * 32, "not a seal") for i in ids])  # nothing believable kept

    def full(*_args: object) -> None:
        raise StoreError("class.sqlite: the annotation store could not save (disk full)")

    for name in ("save_facts", "save_heatmaps"):
        monkeypatch.setattr(kept_rows, name, full)
    monkeypatch.setattr(AnnotationStore, "save_rendered", full)
    assert figures(build_report(class_store, course)) == figures(first)
    assert {i: e for i, e in kept(class_store).items() if i in ids} == dict.fromkeys(
        ids, ("0" * 32, "not a seal")
    )


def test_a_class_store_from_before_the_report_kept_facts_is_migrated(
    tmp_path: Path, lesson: Lesson, course: Path
) -> None:
    path = tmp_path / "class.sqlite"
    with AnnotationStore(path) as store:
        act(lesson, store, "ana", note_on(lesson, 0))
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("DROP TABLE report_facts")
        conn.execute("DROP TABLE report_heatmaps")
        conn.execute("UPDATE alembic_version SET version_num = '0007'")
        conn.execute("PRAGMA user_version = 7")
        conn.commit()
        annotations = conn.execute("SELECT * FROM annotations").fetchall()
    files = report(path, tmp_path / "out", lessons=course)
    assert "ana" in files.csv.read_text(encoding="utf-8")
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT count(*) FROM report_facts").fetchone()[0] == 1
        assert conn.execute("SELECT * FROM annotations").fetchall() == annotations


def test_kept_facts_never_reach_what_students_get(
    class_store: str, course: Path, tmp_path: Path
) -> None:
    """Publishing writes the class's annotations only: nothing the report keeps (answers' text,
    the heat maps) goes with them."""
    release = assign(course, tmp_path / "release").root
    publish(class_store, release)
    before = (release / "m1" / PUBLISHED_FILE).read_bytes()
    build_report(class_store, course)
    publish(class_store, release)
    after = (release / "m1" / PUBLISHED_FILE).read_bytes()
    assert after == before
    assert b"reader-ext report" not in after


# A digest of the facts derived from a fixed set of annotations on the fixture lesson, pinned
# under each report_facts.VERSION. A change to how facts are derived changes the digest: bump
# report_facts.VERSION (kept facts are then derived again) and pin the new digest under it. A
# change to the fixture lesson changes it too: then pin the new digest alone.
PINNED = {"1": "1716a8882ffd7ff6d7b6a6849fc830a7fc9758be88204885f048fbd656faafe4"}


def test_a_change_to_how_facts_are_derived_bumps_their_version(lesson: Lesson) -> None:
    text, uri = lesson.document.text, lesson.uri
    start = text.index("founded in 2014")
    quote = {"type": "TextQuoteSelector", "exact": "founded in 2014"}
    position = {"type": "TextPositionSelector", "start": start, "end": start + 15}

    def made(n: int, target: object, motivation: str, body: str | None = None) -> dict[str, Any]:
        annotation: dict[str, Any] = {
            "id": f"urn:uuid:00000000-0000-4000-8000-{n:012d}",
            "motivation": motivation,
            "creator": {"nickname": "ana" if n % 2 else "ben"},
            "created": f"2026-09-01T08:00:0{n}.000Z",
            "modified": f"2026-09-01T08:00:1{n}.000Z",
            "target": target,
        }
        if body is not None:
            annotation["body"] = [{"type": "TextualBody", "value": body, "purpose": "commenting"}]
        return annotation

    annotations = [
        made(1, {"source": uri, "selector": [quote, position]}, "highlighting"),
        made(2, {"source": uri, "selector": [quote]}, "commenting", "a *short* note"),
        made(
            3,
            {"source": uri, "selector": [{**quote, "exact": "nowhere at all"}]},
            "commenting",
            "lost",
        ),
        made(4, "urn:uuid:00000000-0000-4000-8000-000000000002", "replying", "a reply"),
        made(5, f"{uri}#prompt-{lesson.prompts[0].id}", "replying", "an answer, four words"),
        made(6, {"source": uri}, "commenting", "on the lesson"),
    ]
    facts = [report_facts.derive(a, {uri: lesson}) for a in annotations]
    assert [f.kind for f in facts] == ["text", "text", "text", "annotation", "prompt", "lesson"]
    assert facts[0].span == (start, start + 15) and facts[2].span is None and facts[2].heat
    assert facts[4].text == "an answer, four words" and facts[4].words == 4 and facts[1].text == ""
    encoded = b"\n".join(report_facts._ENCODER.encode(f) for f in facts)
    assert PINNED.get(report_facts.VERSION) == hashlib.sha256(encoded).hexdigest()
