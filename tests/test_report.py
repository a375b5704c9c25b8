"""The class report: figures, heat map, answers, glosses, and a safe self-contained page."""

from __future__ import annotations

import csv
import itertools
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from reader_ext.cli.course import report_command
from reader_ext.course.heatmap import coverage, heat_html, legend
from reader_ext.course.report import build_report, report
from reader_ext.errors import ReportError
from reader_ext.lessons.model import Lesson
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.text.document import Block
from reader_ext.text.markup import RENDERER_VERSION
from reader_ext.text.sealed import seal, unseal
from reader_ext.widget.session import ReaderSession
from tests.test_session import span


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, as a browser would see them."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


HOSTILE = '<img src="https://evil.example/x.png" onerror="alert(1)"><script>alert(2)</script>'


def act(lesson: Lesson, store: AnnotationStore, user: str, *messages: dict[str, Any]) -> None:
    session = ReaderSession(lesson, store, user)
    for message in messages:
        reply = session.handle(message)
        assert reply["type"] in ("saved", "recorded"), reply


@pytest.fixture
def class_store(tmp_path: Path, lesson: Lesson) -> Path:
    path = tmp_path / "class.sqlite"
    text = lesson.document.text
    first = text.split()[0]
    gloss = lesson.glossary[0].key
    prompt = lesson.prompts[0].id
    with AnnotationStore(path) as store:
        act(lesson, store, "ana",
            {"type": "create", "kind": "note", **span(lesson, first), "body": "two words"},
            {"type": "create", "kind": "answer", "prompt": prompt, "body": "Ana *thinks* so"},
            {"type": "gloss-open", "key": gloss},
            {"type": "gloss-open", "key": gloss})  # fmt: skip
        act(lesson, store, "=cmd|' /C calc'!A0",
            {"type": "create", "kind": "highlight", **span(lesson, first)},
            {"type": "create", "kind": "answer", "prompt": prompt,
             "body": f"![x](https://evil.example/track.png) {HOSTILE}"},
            {"type": "gloss-open", "key": gloss})  # fmt: skip
    return path


def test_figures_per_student_and_module(class_store: Path, course: Path, tmp_path: Path) -> None:
    files = report(class_store, tmp_path / "out", lessons=course)
    with files.csv.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    ana = next(r for r in rows if r["student"] == "ana" and r["module"] == "m1")
    assert ana["annotations"] == ana["notes"] == "1" and ana["highlights"] == "0"
    assert ana["prompts_answered"] == "1" and ana["words"] == str(2 + 3)
    assert ana["glosses_opened"] == "1"
    # A student id that a spreadsheet would run as a formula is defused.
    assert any(r["student"] == "'=cmd|' /C calc'!A0" for r in rows)
    assert {r["module"] for r in rows} >= {"m1", "all"}


def test_heat_counts_students_not_annotations(lesson: Lesson) -> None:
    text = lesson.document.text
    quote = {"type": "TextQuoteSelector", "exact": text[0:10]}
    one = {"motivation": "highlighting", "creator": {"nickname": "ana"},
           "target": {"source": lesson.uri, "selector": [quote]}}  # fmt: skip
    nowhere = {"type": "TextQuoteSelector", "exact": "nowhere at all"}
    lost = {"motivation": "highlighting", "creator": {"nickname": "ben"},
            "target": {"source": lesson.uri, "selector": [nowhere]}}  # fmt: skip
    heat = coverage(text, [one, one, lost], students=4)
    assert heat.counts[:10] == [1] * 10 and heat.counts[10] == 0
    assert (heat.annotators, heat.orphans) == (1, 1)
    assert heat.level(0) == 2 and heat.hottest() == (0, 10, 1)
    assert [label for _, label in legend(4)] == ["1 of 4 students", "2 of 4 students",
                                                 "3 of 4 students", "4 of 4 students"]  # fmt: skip


def test_heat_html_escapes_the_text() -> None:
    heat = coverage("<b>&", [], students=1)
    assert heat_html(heat, [Block("b", "p", 0, 4, 1)]) == "<p>&lt;b&gt;&amp;</p>"


def test_the_page_is_self_contained_and_safe(
    class_store: Path, course: Path, tmp_path: Path
) -> None:
    files = report(class_store, tmp_path / "out", lessons=course)
    page = files.html.read_text(encoding="utf-8")
    elements = Elements(page).found
    assert not [t for t, _ in elements if t in ("script", "iframe", "object", "embed", "link")]
    assert not [a for _, attrs in elements for a in attrs if a.startswith("on") or a == "style"]
    sources = [attrs.get("src") or "" for _, attrs in elements if "src" in attrs]
    assert sources and all(src.startswith("data:image/png;base64,") for src in sources)
    links = [attrs.get("href") or "" for t, attrs in elements if "href" in attrs]
    # Only plain links (a student's link stays a link, opened by a click): nothing is fetched.
    assert all(t == "a" for t, attrs in elements if "href" in attrs)
    assert all(h.startswith(("#", "http://", "https://", "mailto:")) for h in links)
    assert "evil.example/track.png" not in page
    assert "&lt;script&gt;" in page  # the student's markup is shown as text
    assert "Ana <em>thinks</em> so" in page
    assert re.search(r'<img src="data:image/png;base64,[^"]+" alt="Heat map of the reading', page)
    assert "prefers-color-scheme: dark" in page and "default-src 'none'" in page
    assert files.heatmaps[0].read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def answer_cards(page: str) -> list[str]:
    return re.findall(r'<article class="answer".*?</article>', page, flags=re.S)


def test_answers_are_rendered_once_and_a_forged_cache_is_never_shown(
    class_store: Path, course: Path, tmp_path: Path
) -> None:
    """The report keeps its answers' HTML in the class store, sealed under this user's key, and
    reuses it; an entry the key did not seal for that very text (a student's store is where a
    class store comes from) is rendered again, never shown."""
    first = report(class_store, tmp_path / "one", lessons=course).html.read_text(encoding="utf-8")
    with AnnotationStore(class_store) as store:
        answers = [a for a in store.list() if "#prompt-" in str(a["target"])]
        versions = {a["id"]: f"{a['modified']}; {RENDERER_VERSION}" for a in answers}
        cached = store.rendered(versions)
        assert set(cached) == set(versions)  # every answer shown is kept
        by_text = {a["body"][0]["value"]: a["id"] for a in answers}
        ana = by_text["Ana *thinks* so"]
        context = (ana, versions[ana], "Ana *thinks* so")
        assert unseal(context, cached[ana]) == "<p>Ana <em>thinks</em> so</p>\n"
    again = report(class_store, tmp_path / "two", lessons=course).html.read_text(encoding="utf-8")
    assert answer_cards(again) == answer_cards(first)
    planted = '<script>alert(3)</script><img src="https://planted.example/x.png">'
    other = next(i for t, i in by_text.items() if i != ana)
    with AnnotationStore(class_store) as store:
        store.save_rendered(
            [
                (ana, versions[ana], seal(context, planted, secret=b"k" * 32)),  # another key
                # This key, but sealed for another note's text: not this note's rendering.
                (other, versions[other], seal(context, planted)),
            ]
        )
    page = report(class_store, tmp_path / "three", lessons=course).html.read_text(encoding="utf-8")
    assert answer_cards(page) == answer_cards(first)
    assert "alert(3)" not in page and "planted.example" not in page


def test_headings_are_in_order_and_tables_have_scoped_headers(
    class_store: Path, course: Path, tmp_path: Path
) -> None:
    page = report(class_store, tmp_path / "out", lessons=course).html.read_text(encoding="utf-8")
    levels = [int(h) for h in re.findall(r"<h([1-6])\b", page)]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))
    assert "<th>" not in page and page.count("<caption>") >= 3
    assert re.findall(r"<th(?=[\s>])(?! scope=)", page) == []


def test_glosses_are_counted_by_opens_and_students(
    class_store: Path, course: Path, lesson: Lesson
) -> None:
    data = build_report(class_store, course)
    module = next(m for m in data.modules if m.lesson is not None and m.lesson.id == lesson.id)
    top = module.glosses[0]
    assert (top.key, top.opens, top.students) == (lesson.glossary[0].key, 3, 2)
    assert [a.student for a in module.answers[lesson.prompts[0].id]] == ["=cmd|' /C calc'!A0",
                                                                         "ana"]  # fmt: skip


def test_without_lessons_the_figures_remain(
    class_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no lessons/ here
    files = report(class_store, tmp_path / "out")
    assert files.heatmaps == []
    assert "--lessons" in files.html.read_text(encoding="utf-8")
    assert "ana" in files.csv.read_text(encoding="utf-8")


def test_errors(tmp_path: Path, class_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ReportError, match="run `reader-ext collect` first"):
        report(tmp_path / "none.sqlite", tmp_path / "out")
    assert report_command(class_store, tmp_path / "out", tmp_path / "no-lessons") == 1
    assert "no lessons folder" in capsys.readouterr().err
