"""Lesson content is test data: every module in lessons/ loads, validates and renders."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reader_ext import load_course
from reader_ext.cli.main import main
from reader_ext.lessons.model import Lesson
from reader_ext.widget.payload import lesson_payload

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
SEED = ROOT.parent / "shared" / "seed" / "000_eca573eb8b39a174.txt"
READING = LESSONS / "shared" / "reading.md"
COURSE = load_course(LESSONS)
MODULES = {m.id: m for m in COURSE.modules}
ARTICLE_MODULES = ["reading-the-argument", "a-theory-lens", "reading-critically"]
SECOND = LESSONS / "04-a-second-text"
# The exact lines of the cited edition (Project Gutenberg eBook #25889, 25889-0.txt, 16786–16967).
SECOND_SOURCE = SECOND / "source" / "lossing-1870-vol3-chXXXIII-note103-excerpt.txt"
OMISSION = "[…]"
REQUIRED_GLOSSES = [
    "vasudhaiva-kutumbakam", "eaeu", "instc", "neo-realism", "strategic-autonomy",
    "multi-alignment", "multipolarity", "post-unipolar", "bifurcation", "global-south",
    "liberal-globalism", "alt-media-community", "denis-alipov", "jaishankar", "lavrov-rupee",
    "modi-us-visit", "xi-moscow-visit", "hindustan-times", "military-technical",
    "india-china-border", "special-operation", "proxy-war-framing", "kiev-kyiv",
]  # fmt: skip


def seed_lines() -> list[str]:
    """The seed: 15 article paragraphs, then four reader comments (one per line)."""
    if SEED.exists():
        return SEED.read_text(encoding="utf-8").split("\n")
    # The seed lives beside the repo (../shared); the verbatim copy in lessons/ stands in.
    return READING.read_text(encoding="utf-8").strip().split("\n\n")


def module_ids() -> list[str]:
    return list(MODULES)


def test_course_has_four_modules_in_order() -> None:
    assert list(MODULES) == [*ARTICLE_MODULES, "washington-farewell"]


def test_validate_command_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(LESSONS)]) == 0
    assert capsys.readouterr().out.startswith("ok: 4 module(s)")


@pytest.mark.parametrize("module_id", module_ids())
def test_module_renders(module_id: str) -> None:
    lesson = MODULES[module_id]
    payload = lesson_payload(lesson)
    paragraphs = 15 if module_id in ARTICLE_MODULES else len(second_paragraphs()) + 2
    assert payload["html"].count("data-block=") == len(lesson.document.blocks) == paragraphs
    assert lesson.objectives and lesson.minutes > 0
    assert lesson.intro and lesson.intro.strip()


@pytest.mark.skipif(not SEED.exists(), reason="needs ../shared/seed beside the repo")
def test_reading_is_the_seed_verbatim_paragraph_by_paragraph() -> None:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    article, comments = lines[:15], lines[15:]
    text = MODULES["reading-the-argument"].document.text
    assert text.split("\n\n") == article
    assert article[0] == article[9]  # the repeated opening paragraph is kept
    assert "past 16 month " in text
    assert "haven’t notice " in text
    assert "It's no longer" in text  # the one straight apostrophe
    assert [c.text for c in MODULES["reading-the-argument"].comments] == comments


@pytest.mark.parametrize("module_id", ARTICLE_MODULES)
def test_every_article_module_reads_the_same_verbatim_text(module_id: str) -> None:
    expected = READING.read_text(encoding="utf-8").strip().split("\n\n")
    assert MODULES[module_id].document.text.split("\n\n") == expected


def test_required_glosses_exist_and_occur() -> None:
    lesson = MODULES["reading-the-argument"]
    used = {o.key for o in lesson.document.occurrences}
    missing = [k for k in REQUIRED_GLOSSES if lesson.gloss(k) is None]
    assert missing == []
    assert set(REQUIRED_GLOSSES) <= used


@pytest.mark.parametrize("module_id", module_ids())
def test_every_gloss_occurs_and_is_sourced_and_dated(module_id: str) -> None:
    lesson = MODULES[module_id]
    used = {o.key for o in lesson.document.occurrences}
    for gloss in lesson.glossary:
        assert gloss.key in used, gloss.key
        assert gloss.sources, f"{gloss.key} has no source"
        for source in gloss.sources:
            assert source.title.strip()
            assert re.match(r"^https?://[^\s/]+\.[^\s]+$", source.url), source.url
        assert gloss.as_of or re.search(r"\b(19|20)\d\d\b", gloss.definition), gloss.key


def test_vasudhaiva_kutumbakam_shows_devanagari_and_origin() -> None:
    gloss = MODULES["reading-the-argument"].gloss("vasudhaiva-kutumbakam")
    assert gloss is not None
    assert gloss.original == "वसुधैव कुटुम्बकम्"
    assert gloss.transliteration
    assert "Upanishad" in gloss.definition


def test_eaeu_gloss_matches_the_full_name() -> None:
    lesson = MODULES["reading-the-argument"]
    text = lesson.document.text
    forms = {text[o.start : o.end] for o in lesson.document.occurrences if o.key == "eaeu"}
    assert "Eurasian Economic Union" in forms
    realist = {text[o.start : o.end] for o in lesson.document.occurrences if o.key == "neo-realism"}
    assert "Neo-Realist" in realist


@pytest.mark.parametrize("module_id", module_ids())
def test_prompts_anchor_once_and_span_bloom_levels(module_id: str) -> None:
    lesson: Lesson = MODULES[module_id]
    assert len(lesson.prompts) >= 5
    for prompt in lesson.prompts:
        assert lesson.document.find(prompt.quote) == [prompt.start]
    levels = {p.bloom for p in lesson.prompts}
    assert {"remember", "understand", "analyse", "evaluate", "create"} <= levels | {"remember"}
    assert len(levels) >= 5


@pytest.mark.parametrize("module_id", module_ids())
def test_instructor_material_exists_and_never_reaches_students(module_id: str) -> None:
    lesson = MODULES[module_id]
    assert lesson.instructor.notes and lesson.instructor.guide
    assert {g.prompt for g in lesson.instructor.guide} == {p.id for p in lesson.prompts}
    payload = json.dumps(lesson_payload(lesson), ensure_ascii=False)
    for entry in lesson.instructor.guide:
        probe = entry.answer.strip().splitlines()[0][:60]
        assert probe not in payload, f"guide text for {entry.prompt} leaked into the payload"
    first_note_line = next(line for line in lesson.instructor.notes.splitlines() if len(line) > 40)
    assert first_note_line[:60] not in payload


def test_source_attribution_states_its_certainty() -> None:
    for module_id in ARTICLE_MODULES:
        lesson = MODULES[module_id]
        assert lesson.source.certainty and "not established" in lesson.source.certainty.lower()


def second_paragraphs() -> list[str]:
    """The cited edition's lines, joined into paragraphs (lines only re-wrapped, never edited)."""
    text = SECOND_SOURCE.read_text(encoding="utf-8")
    return [" ".join(line.strip() for line in block.splitlines()) for block in text.split("\n\n")]


def test_second_reading_is_the_cited_edition_verbatim() -> None:
    lesson = MODULES["washington-farewell"]
    blocks = lesson.document.text.split("\n\n")
    assert blocks[0] == blocks[-1] == OMISSION  # an excerpt, marked as one at both ends
    source = [p.replace("_constantly_", "constantly").replace("_political_", "political")
              for p in second_paragraphs()]  # fmt: skip
    assert blocks[1:-1] == source
    assert blocks[1].startswith('"Observe good faith and justice towards all Nations;')
    assert blocks[-2].endswith("the command of its own fortunes.")
    # The edition's own readings are kept, not corrected.
    assert "facilitating the allusion of an imaginary" in lesson.document.text
    assert "in some decree a slave" in lesson.document.text


def test_second_reading_states_its_provenance() -> None:
    source = MODULES["washington-farewell"].source
    assert source.url == "https://www.gutenberg.org/ebooks/25889"
    assert source.date == "1796-09-19"
    assert source.certainty is not None and source.venue is not None and source.licence is not None
    for fact in ["Lossing", "1870", "footnote 103", "#25889", "16786–16967", "3f0e06c"]:
        assert fact in source.certainty + source.venue, fact
    assert "public domain" in source.licence.lower()


def test_no_student_facing_text_names_a_likely_author() -> None:
    """One attribution policy: students trace authorship (Module 3); only instructors see a name."""
    for lesson in MODULES.values():
        assert lesson.source.certainty is not None, lesson.id
        visible = json.dumps(lesson_payload(lesson), ensure_ascii=False) + lesson.source.certainty
        assert "Korybko" not in visible and "Global Times" not in visible, lesson.id
    trace = next(p for p in MODULES["reading-critically"].prompts if p.id == "trace-the-author")
    assert "lateral reading" in trace.question
    notes = MODULES["reading-critically"].instructor.notes
    assert notes is not None
    assert "Korybko" in notes


def test_the_interview_comparison_is_a_required_prompt() -> None:
    prompt = next(p for p in MODULES["reading-the-argument"].prompts
                  if p.id == "compare-with-the-interview")  # fmt: skip
    assert prompt.question.strip().startswith("**Required")


@pytest.mark.parametrize("module_id", module_ids())
def test_every_rubric_has_a_zero_level_and_a_weight(module_id: str) -> None:
    guide = MODULES[module_id].instructor.guide
    totals = set()
    weights = 0
    for entry in guide:
        assert [r[0] for r in entry.rubric] == ["3", "2", "1", "0"], entry.prompt
        found = re.search(r"\*\*Weight ×(\d)\*\*.*total (\d+) points", entry.answer)
        assert found, f"{entry.prompt} has no weight"
        weights += int(found[1])
        totals.add(int(found[2]))
    assert totals == {3 * weights}
