"""The report on a hostile class store: reply chains at depth, loops, lesson-level notes.

Made-up lessons, inflated gloss opens, scripts in answers and the chains and loops as whole
class stores are the corpus tests/hostile/report (tests/test_report_corpus.py).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from reader_ext import load_lesson
from reader_ext.annotations.values import creator_for
from reader_ext.course.report import MAX_REPLY_DEPTH, build_report, lesson_sources, report
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
