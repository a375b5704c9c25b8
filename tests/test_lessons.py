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


def test_course_has_three_modules_in_order() -> None:
    assert list(MODULES) == ["reading-the-argument", "a-theory-lens", "reading-critically"]


def test_validate_command_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(LESSONS)]) == 0
    assert capsys.readouterr().out.startswith("ok: 3 module(s)")


@pytest.mark.parametrize("module_id", module_ids())
def test_module_renders(module_id: str) -> None:
    lesson = MODULES[module_id]
    payload = lesson_payload(lesson)
    assert payload["html"].count("data-block=") == len(lesson.document.blocks) == 15
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


@pytest.mark.parametrize("module_id", module_ids())
def test_every_module_reads_the_same_verbatim_text(module_id: str) -> None:
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
    for lesson in MODULES.values():
        assert lesson.source.certainty and "not established" in lesson.source.certainty.lower()
