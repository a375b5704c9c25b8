"""The student release never holds instructor material or annotations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reader_ext import load_course, load_lesson
from reader_ext.cli.main import main
from reader_ext.course.assign import assign
from reader_ext.errors import ReleaseError
from reader_ext.lessons.model import Lesson

LESSONS = Path(__file__).resolve().parents[1] / "lessons"


def instructor_snippets(course_dir: Path) -> list[str]:
    """Distinctive lines of every module's instructor notes and guide (that students never see
    elsewhere: a source URL also given in a gloss is public)."""
    snippets: list[str] = []
    public = all_text(course_dir, skip="instructor")
    for lesson in load_course(course_dir).modules:
        notes = lesson.instructor.notes or ""
        snippets += [line.strip() for line in notes.splitlines() if len(line.strip()) > 40]
        for entry in lesson.instructor.guide:
            snippets.append(entry.answer.strip().splitlines()[0])
            snippets += [r for r in entry.rubric if len(r) > 40]
    snippets = [s for s in snippets if s not in public]
    assert len(snippets) > 30
    return snippets


def all_text(root: Path, skip: str | None = None) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in root.rglob("*")
        if p.is_file() and (skip is None or skip not in p.parts)
    )


def test_course_release_has_no_instructor_material(tmp_path: Path) -> None:
    out = tmp_path / "release"
    assert main(["assign", str(LESSONS), "--out", str(out)]) == 0
    text = all_text(out)
    leaked = [s for s in instructor_snippets(LESSONS) if s in text]
    assert leaked == []
    assert not list(out.rglob("instructor"))
    assert not list(out.rglob("*.sqlite*"))
    released = load_course(out)
    original = load_course(LESSONS)
    assert [m.uri for m in released.modules] == [m.uri for m in original.modules]
    assert [m.document.text for m in released.modules] == [
        m.document.text for m in original.modules
    ]
    assert all((m.path / "lesson.ipynb").exists() for m in released.modules)
    assert all(not m.instructor.notes and not m.instructor.guide for m in released.modules)


def test_module_release_in_nbgrader_layout(tmp_path: Path) -> None:
    release = assign(LESSONS / "02-a-theory-lens", tmp_path, nbgrader=True)
    folder = tmp_path / "source" / "02-a-theory-lens"
    assert release.modules == [folder]
    lesson = load_lesson(folder)
    assert lesson.uri == "urn:reader-ext:india-russia-2023:a-theory-lens"
    assert (folder / "lesson.ipynb").exists()
    assert [s for s in instructor_snippets(LESSONS) if s in all_text(tmp_path)] == []


def test_release_leaves_annotations_behind(course: Path, tmp_path: Path) -> None:
    (course / "m1" / "annotations.sqlite").write_bytes(b"student data")
    release = assign(course, tmp_path / "out")
    assert not list(release.root.rglob("*.sqlite"))


def test_a_release_bug_that_leaks_is_refused(
    course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader_ext.course.assign as assign_module

    write = assign_module._write_module

    def leaky(lesson: Lesson, target: Path) -> None:
        write(lesson, target)
        shutil.copyfile(lesson.path / "instructor" / "notes.md", target / "notes.md")

    earlier = assign(course, tmp_path / "out")
    before = {p: p.read_bytes() for p in earlier.root.rglob("*") if p.is_file()}
    monkeypatch.setattr(assign_module, "_write_module", leaky)
    with pytest.raises(ReleaseError, match="instructor-only text found"):
        assign(course, tmp_path / "out")
    after = {p: p.read_bytes() for p in earlier.root.rglob("*") if p.is_file()}
    assert after == before  # the refused release changed nothing; no staging folder is left


def test_assign_refuses_invalid_lesson(course: Path, tmp_path: Path) -> None:
    shutil.rmtree(course / "m1" / "instructor")
    (course / "m1" / "prompts.toml").write_text("[[prompt]]\nid = 1\n", encoding="utf-8")
    assert main(["assign", str(course), "--out", str(tmp_path / "out")]) == 1
    assert not (tmp_path / "out").exists()
