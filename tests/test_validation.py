"""Every validation error names the file, the line and what to do."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reader_ext import LessonError, load_course, load_lesson
from reader_ext.errors import Problem
from reader_ext.lessons import checks
from reader_ext.text.document import Document


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(LessonError) as info:
        load_course(path)
    return info.value.problems


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_fixture_course_is_valid(course: Path) -> None:
    loaded = load_course(course)
    assert [m.id for m in loaded.modules] == ["m1"]


def test_missing_file(course: Path) -> None:
    (course / "m1" / "prompts.toml").unlink()
    p = only(problems_of(course))
    assert p.file == course / "m1" / "prompts.toml"
    assert "missing prompts file" in p.message
    assert "create prompts.toml" in p.message


def test_unreadable_file(course: Path) -> None:
    target = course / "m1" / "reading.md"
    target.unlink()
    target.mkdir()  # a folder where a file should be: unreadable even as root
    p = only(problems_of(course))
    assert p.file == target
    assert "cannot read reading" in p.message


def test_not_utf8(course: Path) -> None:
    path = course / "m1" / "glossary.toml"
    path.write_bytes(path.read_bytes() + b"\n# caf\xe9\n")
    p = only(problems_of(course))
    assert (p.file, p.line) == (path, len(path.read_bytes().splitlines()))
    assert "UTF-8" in p.message


def test_bad_toml_has_line_and_column(course: Path) -> None:
    path = course / "m1" / "prompts.toml"
    edit(path, 'bloom = "analyse"', 'bloom = "analyse')
    p = only(problems_of(course))
    assert p.file == path
    assert p.line == line_of(path, 'bloom = "analyse')
    assert re.search(r"bad TOML at column \d+", p.message)


def test_unknown_key_suggests(course: Path) -> None:
    path = course / "m1" / "glossary.toml"
    edit(path, 'definition = "Structural', 'defintion = "Structural')
    problems = problems_of(course)
    unknown = [p for p in problems if "unknown key" in p.message]
    assert len(unknown) == 1
    assert unknown[0].line == line_of(path, "defintion")
    assert "did you mean 'definition'?" in unknown[0].message
    assert any("missing required key 'definition'" in p.message for p in problems)


def test_unknown_top_level_key_in_module(course: Path) -> None:
    path = course / "m1" / "module.toml"
    edit(path, "minutes = 10", "minuts = 10")
    p = only(problems_of(course))
    assert (p.file, p.line) == (path, line_of(path, "minuts"))
    assert "did you mean 'minutes'?" in p.message


def test_wrong_type(course: Path) -> None:
    path = course / "m1" / "module.toml"
    edit(path, "minutes = 10", 'minutes = "ten"')
    p = only(problems_of(course))
    assert p.line == line_of(path, "minutes =")
    assert "'minutes' must be a whole number" in p.message


def test_duplicate_gloss_key(course: Path) -> None:
    path = course / "m1" / "glossary.toml"
    edit(path, 'key = "instc"', 'key = "eaeu"')
    p = only(problems_of(course))
    assert p.file == path
    assert p.line == 12  # the second [[gloss]] header
    assert "duplicate gloss key 'eaeu'" in p.message
    assert f"{path}:1" in p.message


def test_duplicate_prompt_id(course: Path) -> None:
    path = course / "m1" / "prompts.toml"
    edit(path, 'id = "choice"', 'id = "corridor"')
    p = only(problems_of(course))
    assert p.line == line_of(path, 'id = "corridor"') + 7
    assert "duplicate prompt id 'corridor'" in p.message


def test_duplicate_comment_id(course: Path) -> None:
    path = course / "m1" / "comments.toml"
    edit(path, 'id = "c2"', 'id = "c1"')
    p = only(problems_of(course))
    assert "duplicate comment id 'c1'" in p.message


def test_gloss_matching_nothing(course: Path) -> None:
    path = course / "m1" / "glossary.toml"
    edit(path, 'match = ["Neo-Realist", "neo-realism"]', 'match = ["Classical Realist"]')
    p = only(problems_of(course))
    assert (p.file, p.line) == (path, 18)
    assert "gloss 'neo-realism'" in p.message
    assert "'Classical Realist'" in p.message
    assert "add a 'match' form" in p.message


def test_prompt_quote_not_found(course: Path) -> None:
    path = course / "m1" / "prompts.toml"
    edit(path, "India’s choice is its own", "India's choice is its own")
    p = only(problems_of(course))
    assert (p.file, p.line) == (path, line_of(path, "India's choice"))
    assert "quote not found" in p.message
    assert "apostrophes" in p.message


def test_prompt_quote_found_twice(course: Path) -> None:
    path = course / "m1" / "prompts.toml"
    edit(path, 'quote = "India’s choice is its own"', 'quote = "Eurasian Economic Union"')
    p = only(problems_of(course))
    assert "found twice, in ¶ 1 and ¶ 2" in p.message
    assert "lengthen it" in p.message
    assert "occurrence = 2" in p.message


def test_course_lists_missing_module(course: Path) -> None:
    path = course / "course.toml"
    edit(path, 'modules = ["m1"]', 'modules = ["m1", "m2"]')
    p = only(problems_of(course))
    assert (p.file, p.line) == (path, line_of(path, "modules"))
    assert "module 'm2' does not exist" in p.message


def test_path_escaping_course(course: Path) -> None:
    path = course / "m1" / "module.toml"
    edit(path, "minutes = 10", 'minutes = 10\nreading = "../../outside.md"')
    p = only(problems_of(course))
    assert p.line == line_of(path, "reading =")
    assert "leaves the course folder" in p.message


def test_bad_enum_values(course: Path) -> None:
    path = course / "m1" / "prompts.toml"
    edit(path, 'bloom = "analyse"', 'bloom = "analysis"')
    p = only(problems_of(course))
    assert "bloom 'analysis' is not one of" in p.message


def test_bad_source_url(course: Path) -> None:
    path = course / "m1" / "glossary.toml"
    edit(path, 'url = "https://eec.eaeunion.org/en/"', 'url = "javascript:alert(1)"')
    p = only(problems_of(course))
    assert "must be http(s)://" in p.message


def test_explicit_gloss_with_unknown_key(course: Path) -> None:
    path = course / "m1" / "reading.md"
    edit(path, "[the Union]{gloss=eaeu}", "[the Union]{gloss=eu}")
    p = only(problems_of(course))
    assert (p.file, p.line) == (path, 3)
    assert "explicit gloss 'eu'" in p.message


def test_guide_for_unknown_prompt(course: Path) -> None:
    path = course / "m1" / "instructor" / "guide.toml"
    edit(path, 'prompt = "corridor"', 'prompt = "coridor"')
    p = only(problems_of(course))
    assert "guide for unknown prompt 'coridor'" in p.message


def test_many_problems_reported_at_once(course: Path) -> None:
    edit(course / "m1" / "module.toml", "minutes = 10", "minuts = 10")
    edit(course / "m1" / "prompts.toml", 'bloom = "analyse"', 'bloom = "analysing"')
    assert len(problems_of(course)) == 2


def test_load_lesson_single_module(course: Path) -> None:
    lesson = load_lesson(course / "m1")
    assert lesson.uri == "urn:reader-ext:fixture-course:m1"
    assert lesson.course_id == "fixture-course"


def test_problem_formats_as_file_line_message(course: Path) -> None:
    edit(course / "m1" / "module.toml", "minutes = 10", "minuts = 10")
    text = str(only(problems_of(course)))
    assert re.match(r"^.+module\.toml:\d+: unknown key 'minuts'", text)


def test_relative_module_path_inside_a_course(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The lesson notebook runs Reader(".") with the module folder as the working directory.
    import shutil

    course = tmp_path / "lessons"
    shutil.copytree(Path(__file__).resolve().parents[1] / "lessons", course)
    monkeypatch.chdir(course / "01-reading-the-argument")
    lesson = load_lesson(".")
    assert lesson.uri == "urn:reader-ext:india-russia-2023:reading-the-argument"
    assert lesson.path == course / "01-reading-the-argument"


@pytest.mark.parametrize("alone", [0, 10**9])
def test_prompt_quotes_are_found_in_one_pass_where_find_finds_them(
    alone: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Overlapping, repeated, non-ASCII and astral quotes: the places Document.find gives, by the
    # automaton (alone = 0) and by one search per quote.
    monkeypatch.setattr(checks, "_SEARCH_ALONE", alone)
    text = "aaa \U0001f600 \u00e9 b \U0001f600aa\u0301 \u00e9 b aaa\x00 tab\t end aa"
    quotes = ["aa", "\u00e9 b", "\U0001f600a", "aa", "a\u0301", "\t end", "zz", "aaa\x00", " "]
    document = Document("", text)
    places = checks._exact_places(document, quotes)
    assert all(places[q] == document.find(q) for q in quotes if q.strip())
    assert places["aa"] == [0, 1, 11, 19, 20, 33]
    assert " " not in places
