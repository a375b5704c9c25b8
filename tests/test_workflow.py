"""The instructor's workflow end to end on the real course: assign, students annotate, collect
(with a corrupt, a hostile and a late submission), report, publish."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from reader_ext import load_lesson
from reader_ext.course.assign import assign
from reader_ext.course.collect import collect
from reader_ext.course.publish import publish
from reader_ext.course.report import report
from reader_ext.lessons.layout import PUBLISHED_FILE
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.widget.protocol import KernelMessage
from reader_ext.widget.session import ReaderSession

LESSONS = Path(__file__).resolve().parents[1] / "lessons"
# Everyone runs as the same OS user on a shared JupyterHub image: the submission folder's name
# must be what identifies the student in the class store.
SHARED_USER = "jovyan"
PHRASES = [
    "bifurcation of International Relations",
    "junior partners",
    "Strategic Partnership",
    "state visit to the US this week",
]


@dataclass
class Written:
    """What one student wrote in one module, counted as the test writes it."""

    highlights: int = 0
    notes: int = 0
    replies: int = 0
    prompts: set[str] = field(default_factory=set)
    words: int = 0
    glosses: set[str] = field(default_factory=set)


def ok(reply: KernelMessage) -> Mapping[str, object]:
    assert reply["type"] in ("saved", "recorded"), reply
    return reply


def work(folder: Path, student: int, module: int) -> Written:
    """A student's session in one released module folder, through the reader's Python API."""
    lesson = load_lesson(folder)
    written = Written()
    with AnnotationStore(folder / "annotations.sqlite") as store:
        session = ReaderSession(lesson, store, SHARED_USER)
        text = lesson.document.text
        # The article's modules share PHRASES; a module with another reading uses its quotes.
        phrases = [p for p in PHRASES if p in text] or [p.quote for p in lesson.prompts]
        for k, phrase in enumerate(phrases[: 1 + (student + module) % 4]):
            start = text.index(phrase)
            span = {"start": start, "end": start + len(phrase)}
            if k % 2 == 0:
                body = f"Student {student} on {phrase}: see module {module} *again*"
                saved = ok(session.handle({"type": "create", "kind": "note", **span, "body": body,
                                           "tags": ["theme"]}))  # fmt: skip
                written.notes += 1
                written.words += len(body.split())
                reply = f"Following up on my own note {k}"
                annotation = saved["annotation"]
                assert isinstance(annotation, dict)
                ok(session.handle({"type": "create", "kind": "reply",
                                   "reply_to": annotation["id"], "body": reply}))  # fmt: skip
                written.replies += 1
                written.words += len(reply.split())
            else:
                ok(session.handle({"type": "create", "kind": "highlight", **span}))
                written.highlights += 1
        for prompt in lesson.prompts[: student + 1]:
            answer = f"My answer to {prompt.id}, written by student {student}."
            ok(session.handle({"type": "create", "kind": "answer", "prompt": prompt.id,
                               "body": answer}))  # fmt: skip
            written.prompts.add(prompt.id)
            written.words += len(answer.split())
        key = "eaeu" if lesson.gloss("eaeu") else lesson.glossary[0].key
        for _ in range(student + 1):
            ok(session.handle({"type": "gloss-open", "key": key}))
            written.glosses.add(key)
    return written


def submit(release: list[Path], submissions: Path, name: str, student: int) -> dict[str, Written]:
    written: dict[str, Written] = {}
    for module, folder in enumerate(release):
        copy = submissions / name / folder.name
        shutil.copytree(folder, copy)
        written[folder.name] = work(copy, student, module)
    return written


def test_assign_collect_report_publish(tmp_path: Path) -> None:
    release = assign(LESSONS, tmp_path / "release").modules
    assert [p.name for p in release] == [p.name for p in sorted(LESSONS.glob("0*/"))]
    n_prompts = {p.name: len(load_lesson(p).prompts) for p in release}
    subs = tmp_path / "submissions"
    expected = {name: submit(release, subs, name, i) for i, name in enumerate(["ana", "ben"])}
    expected["chloe"] = submit(release, subs, "chloe", 2)
    # Corrupt: a file that is not a database. Hostile: a store whose author is "ana".
    (subs / "dan" / release[0].name).mkdir(parents=True)
    (subs / "dan" / release[0].name / "annotations.sqlite").write_bytes(b"\x00" * 4096)
    shutil.copytree(release[0], subs / "eve" / release[0].name)
    with AnnotationStore(subs / "eve" / release[0].name / "annotations.sqlite") as store:
        session = ReaderSession(load_lesson(release[0]), store, "ana")
        ok(session.handle({"type": "create", "kind": "answer",
                           "prompt": "structure", "body": "Not really ana"}))  # fmt: skip
    class_store = tmp_path / "class" / "class.sqlite"

    first = collect(subs, class_store)
    status = {s.student: s.status for s in first.students}
    assert status == {
        "ana": "collected",
        "ben": "collected",
        "chloe": "collected",
        "dan": "skipped",
        "eve": "skipped",
    }
    assert "another student" in str(next(s for s in first.students if s.student == "eve").reason)
    added = first.total("added")

    expected["fay"] = submit(release, subs, "fay", 1)  # late
    second = collect(subs, class_store)
    assert second.total("unchanged") == added
    fay = next(s for s in second.students if s.student == "fay")
    assert fay.added == second.total("added") > 0
    assert second.total("updated") == second.total("deleted") == 0

    out = tmp_path / "report"
    files = report(class_store, out, lessons=LESSONS)
    with files.csv.open(encoding="utf-8-sig", newline="") as f:
        rows = {(r["student"], r["module"]): r for r in csv.DictReader(f)}
    assert {s for s, _ in rows} == {"ana", "ben", "chloe", "fay"}
    for name, modules in expected.items():
        for module, w in modules.items():
            row = rows[(name, module)]
            assert int(row["highlights"]) == w.highlights
            assert int(row["notes"]) == w.notes
            assert int(row["annotations"]) == w.highlights + w.notes
            assert int(row["replies"]) == w.replies
            assert int(row["prompts_answered"]) == len(w.prompts)
            assert int(row["prompts"]) == n_prompts[module]
            assert int(row["words"]) == w.words
            assert int(row["glosses_opened"]) == len(w.glosses)
            assert row["last_activity"].endswith("Z")
        total = rows[(name, "all")]
        assert int(total["words"]) == sum(w.words for w in modules.values())
        assert int(total["prompts_answered"]) == sum(len(w.prompts) for w in modules.values())
        assert int(total["prompts"]) == sum(n_prompts.values())
    assert [p.name for p in files.heatmaps] == [f"heatmap-{m.name}.png" for m in release]
    page = files.html.read_text(encoding="utf-8")
    assert "Not really ana" not in page
    assert "My answer to occasion-and-source, written by student 2." in page

    with AnnotationStore(class_store) as store:
        live = store.count()
    assert publish(class_store, tmp_path / "release") == live
    published = json.loads((release[0] / PUBLISHED_FILE).read_text(encoding="utf-8"))
    assert published["type"] == "AnnotationCollection"
    assert {a["creator"]["nickname"] for a in published["first"]["items"]} == {
        "ana",
        "ben",
        "chloe",
        "fay",
    }
