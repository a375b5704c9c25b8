"""The report on a hostile class store: made-up lessons, deep reply chains, inflated opens."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from reader_ext import load_lesson
from reader_ext.annotations.shape import creator_for
from reader_ext.course.report import MAX_REPLY_DEPTH, build_report, lesson_sources, report
from reader_ext.course.report_model import MAX_OPENS_PER_STUDENT
from reader_ext.store.annotation_store import AnnotationStore


def note(ident: str, user: str, target: Any, text: str = "a note") -> dict[str, Any]:
    return {
        "id": ident,
        "type": "Annotation",
        "motivation": "replying" if isinstance(target, str) else "commenting",
        "creator": creator_for(user),
        "created": "2024-03-01T10:00:00.000Z",
        "modified": "2024-03-01T10:00:00.000Z",
        "body": [{"type": "TextualBody", "value": text, "purpose": "commenting"}],
        "target": target,
    }


def on_text(uri: str) -> dict[str, Any]:
    return {"source": uri, "selector": [{"type": "TextQuoteSelector", "exact": "the"}]}


def test_made_up_lessons_are_counted_not_reported(course: Path, tmp_path: Path) -> None:
    lesson = load_lesson(course / "m1")
    path = tmp_path / "class.sqlite"
    with AnnotationStore(path) as store:
        store.import_annotations(
            [note("urn:x:real", "ana", on_text(lesson.uri))]
            + [note(f"urn:x:fake{i}", "ana", on_text(f"urn:made:up:{i}")) for i in range(50)]
        )
        for i in range(200):
            store.record_event("gloss-open", user="ana", source=f"urn:made:up:{i}", key="k")
    data = build_report(path, course)
    assert {m.uri for m in data.modules} <= {m.uri for m in data.modules if m.lesson}
    assert data.unknown == (50, 200)
    files = report(path, tmp_path / "out", lessons=course)
    assert "50 annotation(s) and 200 event(s)" in files.html.read_text(encoding="utf-8")


def test_a_deep_reply_chain_is_linear_and_bounded(tmp_path: Path) -> None:
    depth = 8000
    chain = [note("urn:x:0", "ana", on_text("urn:x:lesson"))]
    chain += [note(f"urn:x:{i}", "ana", f"urn:x:{i - 1}") for i in range(1, depth)]
    start = time.monotonic()
    sources = lesson_sources(list(reversed(chain)))
    assert time.monotonic() - start < 2
    assert sources["urn:x:0"] == sources[f"urn:x:{MAX_REPLY_DEPTH}"] == "urn:x:lesson"
    assert sources[f"urn:x:{MAX_REPLY_DEPTH + 1}"] is None
    assert sources[f"urn:x:{depth - 1}"] is None
    path = tmp_path / "class.sqlite"
    with AnnotationStore(path) as store:
        assert store.import_annotations(chain).skipped == []
    (tmp_path / "no-lessons").mkdir()
    start = time.monotonic()
    data = build_report(path, tmp_path / "no-lessons")
    assert time.monotonic() - start < 10
    assert data.unknown[0] == depth - MAX_REPLY_DEPTH - 1


def test_a_loop_of_replies_is_on_no_lesson() -> None:
    loop = [note("urn:x:a", "ana", "urn:x:b"), note("urn:x:b", "ana", "urn:x:a")]
    assert lesson_sources(loop) == {"urn:x:a": None, "urn:x:b": None}


def test_one_student_cannot_inflate_a_gloss(course: Path, tmp_path: Path) -> None:
    lesson = load_lesson(course / "m1")
    key = lesson.glossary[0].key
    path = tmp_path / "class.sqlite"
    with AnnotationStore(path) as store:
        for _ in range(500):
            store.record_event("gloss-open", user="zoe", source=lesson.uri, key=key)
        store.record_event("gloss-open", user="ana", source=lesson.uri, key=key)
    module = next(m for m in build_report(path, course).modules if m.uri == lesson.uri)
    use = next(g for g in module.glosses if g.key == key)
    assert (use.students, use.opens) == (2, MAX_OPENS_PER_STUDENT + 1)


def test_lesson_level_notes_are_notes_and_the_csv_has_a_bom(course: Path, tmp_path: Path) -> None:
    lesson = load_lesson(course / "m1")
    path = tmp_path / "class.sqlite"
    with AnnotationStore(path) as store:
        store.import_annotations(
            [
                note("urn:x:page", "Ελένη", {"source": lesson.uri}),
                note("urn:x:reply", "Ελένη", "urn:x:page"),
            ]
        )
    data = build_report(path, course)
    row = next(r for m in data.modules for r in m.stats if m.uri == lesson.uri)
    assert (row.student, row.notes, row.replies) == ("Ελένη", 1, 1)
    files = report(path, tmp_path / "out", lessons=course)
    raw = files.csv.read_bytes()
    assert raw.startswith("\ufeff".encode()) and "Ελένη".encode() in raw
