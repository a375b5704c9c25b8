"""One numbering of prompts: text order, whatever the order of ``prompts.toml``, the same in
the lesson, the reader's payload, the preview, ``report.html`` and ``students.csv``."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from reader_ext import load_lesson
from reader_ext.cli.interop import export_command
from reader_ext.course.report import report
from reader_ext.lessons.model import Lesson
from reader_ext.lessons.preview import preview_html
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.widget.payload import lesson_payload
from reader_ext.widget.session import ReaderSession


@pytest.fixture
def reordered(course: Path) -> Lesson:
    """The fixture module with its prompts written in the reverse of their text order."""
    path = course / "m1" / "prompts.toml"
    blocks = [b for b in path.read_text(encoding="utf-8").split("[[prompt]]") if b.strip()]
    in_text = [p.id for p in load_lesson(course / "m1").prompts]
    blocks.sort(key=lambda b: -in_text.index(re.findall(r'id = "([^"]+)"', b)[0]))
    path.write_text("".join(f"[[prompt]]{b}" for b in blocks), encoding="utf-8")
    lesson = load_lesson(course / "m1")
    assert len(lesson.prompts) >= 2
    return lesson


def test_prompts_are_in_text_order_whatever_the_file_says(reordered: Lesson) -> None:
    starts = [p.start for p in reordered.prompts]
    assert starts == sorted(starts)
    file_order = re.findall(r'id = "([^"]+)"', (reordered.path / "prompts.toml").read_text())
    assert file_order != [p.id for p in reordered.prompts], "the fixture must be out of order"
    assert [reordered.prompt_number(p.id) for p in reordered.prompts] == [1, 2]
    assert reordered.prompt_number("no-such-prompt") is None


def test_the_reader_and_the_preview_number_as_the_lesson(reordered: Lesson) -> None:
    assert [p["id"] for p in lesson_payload(reordered)["prompts"]] == [
        p.id for p in reordered.prompts
    ]
    page = preview_html(reordered)
    for n, prompt in enumerate(reordered.prompts, 1):
        assert re.search(rf'id="prompt-{prompt.id}"><p><strong>Prompt {n}</strong>', page)


def test_report_and_students_csv_number_as_the_reader(reordered: Lesson, tmp_path: Path) -> None:
    second = reordered.prompts[1].id
    store_path = tmp_path / "class.sqlite"
    with AnnotationStore(store_path) as store:
        session = ReaderSession(reordered, store, "ana")
        reply = session.handle(
            {"type": "create", "kind": "answer", "prompt": second, "body": "Ana's answer"}
        )
        assert reply["type"] == "saved", reply
    files = report(store_path, tmp_path / "report", lessons=reordered.path.parent)
    page = files.html.read_text(encoding="utf-8")
    headings = re.findall(r"<h4>Prompt (\d+) <code>([^<]+)</code></h4>", page)
    assert headings == [(str(n), p.id) for n, p in enumerate(reordered.prompts, 1)]
    with (tmp_path / "report" / "students.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = {(r["student"], r["module"]): r for r in csv.DictReader(f)}
    ana = rows["ana", reordered.path.name]
    assert ana["prompts_answered"] == "1"
    assert ana["answered_prompts"] == f"2 ({second})"
    assert rows["ana", "all"]["answered_prompts"] == ""
    assert f'1 of 2 <span class="muted">(2 ({second}))</span>' in page


def test_csv_export_numbers_answers_as_the_reader(reordered: Lesson, tmp_path: Path) -> None:
    second = reordered.prompts[1].id
    store_path = tmp_path / "class.sqlite"
    with AnnotationStore(store_path) as store:
        answer = {"type": "create", "kind": "answer", "prompt": second, "body": "Ana's answer"}
        assert ReaderSession(reordered, store, "ana").handle(answer)["type"] == "saved"
    out = tmp_path / "notes.csv"
    assert export_command(store_path, "csv", out, reordered.path) == 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        (row,) = csv.DictReader(f)
    assert (row["prompt_id"], row["prompt_number"]) == (second, "2")
    assert export_command(store_path, "csv", out) == 0  # without the lessons: no number
    with out.open(encoding="utf-8-sig", newline="") as f:
        (row,) = csv.DictReader(f)
    assert (row["prompt_id"], row["prompt_number"]) == (second, "")
