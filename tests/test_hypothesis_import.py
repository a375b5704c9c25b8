"""Hypothesis annotations into a lesson: its API result, its client export and its W3C form.

The fixtures (``fixtures/hypothesis/``) are eight annotations on the article's web page, in the
three shapes Hypothesis gives them out (h's JSON and JSON-LD presenters, the client's export):
a highlight, a note with Markdown, non-Latin text and tags, a reply and a reply to that reply,
a page note, a note whose quote has a typo (found by the fuzzy match), a note on text that is
not in the lesson (an orphan), and a tags-only page note (refused: it has no text).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reader_ext.anchoring import anchor
from reader_ext.cli.main import main
from reader_ext.errors import AnnotationError
from reader_ext.interop.hypothesis import from_row
from reader_ext.interop.importing import onto_lesson, read_import
from reader_ext.lessons.load import load_lesson
from reader_ext.store.annotation_store import AnnotationStore

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "hypothesis"
MODULE = ROOT / "lessons" / "01-reading-the-argument"
PAGE = "https://korybko.substack.com/p/the-russian-ambassador-to-india"
FORMS = ("search.json", "client-export.json", "w3c.jsonld")


def rows() -> list[dict[str, object]]:
    data = json.loads((FIXTURES / "search.json").read_text(encoding="utf-8"))
    return list(data["rows"])


def run_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, *extra: str
) -> tuple[int, str, str]:
    store = tmp_path / "s.sqlite"
    code = main(["import", str(FIXTURES / name), "--store", str(store), *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def by_id(store_path: Path) -> dict[str, dict[str, Any]]:
    with AnnotationStore(store_path) as store:
        return {str(a["id"]): a for a in store.list()}


def test_a_row_maps_user_text_tags_and_id() -> None:
    note = from_row(rows()[1])
    assert note["id"] == "https://hypothes.is/a/hyp02AbCdEfGhIjKlMnOp"
    assert note["creator"] == {"id": "acct:kim@hypothes.is", "type": "Person", "nickname": "kim"}
    assert note["motivation"] == "commenting"
    assert note["body"][0]["format"] == "text/markdown"
    assert note["body"][0]["value"].startswith("Sanskrit: *the world is one family*")
    assert [b["value"] for b in note["body"][1:]] == ["concepts", "India; foreign policy"]
    assert note["created"] == "2024-03-01T10:05:00.000Z"
    assert note["target"]["source"] == PAGE
    # The web page's DOM RangeSelector means nothing here; quote and position are kept.
    assert [s["type"] for s in note["target"]["selector"]] == [
        "TextQuoteSelector",
        "TextPositionSelector",
    ]


def test_references_make_threads_and_page_notes_lesson_level_notes() -> None:
    reply, deeper, page_note = (from_row(r) for r in rows()[2:5])
    assert reply["motivation"] == deeper["motivation"] == "replying"
    assert reply["target"] == "https://hypothes.is/a/hyp02AbCdEfGhIjKlMnOp"
    assert deeper["target"] == "https://hypothes.is/a/hyp03AbCdEfGhIjKlMnOp"  # its direct parent
    assert page_note["motivation"] == "commenting"
    assert page_note["target"] == {"source": PAGE}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"user": "kim"}, "user: expected 'acct:name@host'"),
        ({"id": "../../etc"}, "id: expected a Hypothesis annotation id"),
        ({"tags": "a, b"}, "tags: expected a list of strings"),
        ({"references": ["hyp02AbCdEfGhIjKlMnOp"], "text": ""}, "a reply with no text"),
        ({"target": [{"source": PAGE, "selector": [{"type": "RangeSelector"}]}]}, "no TextQuote"),
    ],
)
def test_a_row_that_cannot_be_read_faithfully_is_refused(
    change: dict[str, object], message: str
) -> None:
    with pytest.raises(AnnotationError, match=message):
        from_row(rows()[1] | change)


@pytest.mark.parametrize("name", FORMS)
def test_each_form_imports_onto_the_lesson_with_a_full_summary(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_import(tmp_path, capsys, name, "--lesson", str(MODULE))
    assert code == 0, err
    assert "7 added, 0 updated, 0 unchanged, 1 skipped" in out
    assert "8 items" in out
    if name == "w3c.jsonld":
        # Hypothesis's W3C form has no references: its replies arrive as page notes.
        assert "imported: 1 highlight, 3 notes, 3 lesson-level notes onto" in out
    else:
        assert "imported: 1 highlight, 3 notes, 1 lesson-level note, 2 replies onto" in out
    assert "kept as orphans: 1 of them" in out
    assert "refused: 1" in out
    assert "orphan item 6: 'Subscribe now for weekly analysis" in err
    assert "skipped item 7:" in err

    lesson = load_lesson(MODULE)
    text = lesson.document.text
    stored = by_id(tmp_path / "s.sqlite")
    assert len(stored) == 7
    for annotation in stored.values():
        target = annotation["target"]
        if isinstance(target, dict):
            assert target["source"] == lesson.uri
    highlight = stored["https://hypothes.is/a/hyp01AbCdEfGhIjKlMnOp"]
    found = anchor(text, highlight["target"]["selector"])
    assert found is not None and found.method == "position"
    assert text[found.start : found.end] == "The traditional military and newfound energy ties"
    typo = stored["https://hypothes.is/a/hyp06AbCdEfGhIjKlMnOp"]
    found = anchor(text, typo["target"]["selector"])
    assert found is not None
    assert "resilience of the Russian-Indian Strategic Partnership" in text[found.start : found.end]
    orphan = stored["https://hypothes.is/a/hyp07AbCdEfGhIjKlMnOp"]
    assert anchor(text, orphan["target"]["selector"]) is None
    assert orphan["body"][0]["value"] == "This was in the newsletter's sidebar."


def test_the_three_forms_are_one_set_of_annotations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in FORMS[:2]:
        assert run_import(tmp_path, capsys, name, "--lesson", str(MODULE))[0] == 0
    code, out, _ = run_import(tmp_path, capsys, FORMS[1], "--lesson", str(MODULE))
    assert code == 0
    assert "0 added, 0 updated, 7 unchanged" in out


def test_without_a_lesson_the_page_is_kept_and_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_import(tmp_path, capsys, "search.json")
    assert code == 0
    assert "kept as orphans: 0" in out
    assert "on 1 web page(s); move one onto a lesson with --lesson MODULE --uri URI" in out
    stored = by_id(tmp_path / "s.sqlite")
    assert stored["https://hypothes.is/a/hyp01AbCdEfGhIjKlMnOp"]["target"]["source"] == PAGE


def test_several_pages_need_a_uri() -> None:
    data = json.loads((FIXTURES / "search.json").read_text(encoding="utf-8"))
    other = "https://example.org/another-article"
    data["rows"][0] = data["rows"][0] | {
        "uri": other,
        "target": [{"source": other, "selector": data["rows"][0]["target"][0]["selector"]}],
    }
    lesson = load_lesson(MODULE)
    with pytest.raises(AnnotationError, match="on 2 pages; choose one with --uri"):
        onto_lesson(read_import(data), lesson)
    plan = read_import(data)
    onto_lesson(plan, lesson, PAGE)
    moved = [i for i in plan.items if isinstance(i.annotation["target"], dict)]
    assert {i.annotation["target"]["source"] for i in moved} == {lesson.uri, other}
    with pytest.raises(AnnotationError, match="no annotation in the file is on"):
        onto_lesson(read_import(data), lesson, "https://example.org/none")
