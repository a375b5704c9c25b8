"""The student release never holds instructor material or annotations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reader_ext import load_course, load_lesson
from reader_ext.cli.main import main
from reader_ext.course.assign import assign
from reader_ext.errors import ReleaseError
from reader_ext.lessons.layout import PUBLISHED_FILE
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


# -- assigning again, into folders assign did not make -----------------------------------------


def test_assign_again_keeps_what_it_did_not_write(course: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assign(course, out)
    module = out / "m1"
    (module / "annotations.sqlite").write_bytes(b"a student's store")
    (module / PUBLISHED_FILE).write_text("{}", encoding="utf-8")
    (course / "m1" / "intro.md").write_text("Read slowly.\n", encoding="utf-8")
    assign(course, out)
    assert (module / "annotations.sqlite").read_bytes() == b"a student's store"
    assert (module / PUBLISHED_FILE).read_text(encoding="utf-8") == "{}"
    assert (module / "intro.md").is_file()
    (course / "m1" / "intro.md").unlink()
    assign(course, out)
    assert not (module / "intro.md").exists()  # assign wrote it, and writes it no more
    assert (module / "annotations.sqlite").is_file()


def test_a_folder_assign_did_not_make_is_refused_then_forced(
    course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    (out / "m1").mkdir(parents=True)
    (out / "m1" / "reading.md").write_text("my own reading", encoding="utf-8")
    (out / "m1" / "mine.txt").write_text("keep me", encoding="utf-8")
    assert main(["assign", str(course), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "not made by reader-ext assign" in err
    assert f"these files would be overwritten: {out / 'm1' / 'reading.md'}" in err
    assert "Nothing was changed" in err
    assert sorted(p.name for p in out.rglob("*")) == ["m1", "mine.txt", "reading.md"]
    assert main(["assign", str(course), "--out", str(out), "--force"]) == 0
    assert f"{out / 'm1' / 'reading.md'}: overwritten (--force)" in capsys.readouterr().out
    assert (out / "m1" / "mine.txt").read_text(encoding="utf-8") == "keep me"
    assert load_lesson(out / "m1").reading != "my own reading"
    assert main(["assign", str(course), "--out", str(out)]) == 0  # ours now: no --force needed


def test_a_nonempty_release_root_not_made_by_assign_is_refused(
    course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "home"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work", encoding="utf-8")
    assert main(["assign", str(course), "--out", str(out)]) == 1
    assert "the folder" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["thesis.tex"]


def test_nbgrader_source_beside_other_assignments(course: Path, tmp_path: Path) -> None:
    other = tmp_path / "nb" / "source" / "ps1"
    other.mkdir(parents=True)
    (other / "ps1.ipynb").write_text("{}", encoding="utf-8")
    release = assign(course, tmp_path / "nb", nbgrader=True)
    assert [m.name for m in release.modules] == ["m1"]
    assert (other / "ps1.ipynb").read_text(encoding="utf-8") == "{}"
    config = (tmp_path / "nb" / "nbgrader_config.py").read_text(encoding="utf-8")
    assert "reader_ext.course.nbgrader_config" in config
    mine = tmp_path / "mine"
    (mine / "nbgrader_config.py").parent.mkdir()
    (mine / "nbgrader_config.py").write_text("c = get_config()\n", encoding="utf-8")
    notes = assign(course, mine, nbgrader=True).notes
    assert "add these lines" in notes[0]
    assert (mine / "nbgrader_config.py").read_text(encoding="utf-8") == "c = get_config()\n"


# -- the hostile corpus ------------------------------------------------------------------------

HOSTILE = Path(__file__).parent / "hostile" / "release"


@pytest.mark.parametrize("case", sorted(p.name for p in HOSTILE.iterdir() if p.is_dir()))
def test_hostile_release_gives_its_error(
    case: str, course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in (HOSTILE / case).rglob("*"):
        if path.is_file():
            shutil.copyfile(path, course / path.relative_to(HOSTILE / case))
    load_course(course)  # a valid course: only the leak is wrong
    status, *messages = (HOSTILE / f"{case}.expected").read_text(encoding="utf-8").splitlines()
    out = tmp_path / "out"
    code = main(["assign", str(course), "--out", str(out)])
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert f"exit {code}" == status, output
    for message in messages:
        assert message in output
    assert [p for p in out.rglob("*") if p.is_file()] == []


def _png() -> bytes:
    from tests.test_authoring import png

    return png()


def _with_images(module: Path) -> bytes:
    """A reading image, and images in the intro, a definition and a question."""
    data = _png()
    (module / "images").mkdir()
    for name in ("map.png", "intro.png", "union.png", "route.png"):
        (module / "images" / name).write_bytes(data)
    with (module / "reading.md").open("a", encoding="utf-8") as f:
        f.write("\n![a map](images/map.png)\n")
    (module / "intro.md").write_text("Before you read:\n\n![where](images/intro.png)\n")
    glossary = module / "glossary.toml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8").replace(
            "since **2015**.", "since **2015**. ![members](images/union.png)", 1
        ),
        encoding="utf-8",
    )
    prompts = module / "prompts.toml"
    prompts.write_text(
        prompts.read_text(encoding="utf-8").replace(
            "matter to India?", "matter to India? ![route](images/route.png)", 1
        ),
        encoding="utf-8",
    )
    return data


def test_assign_copies_the_lessons_images(course: Path, tmp_path: Path) -> None:
    data = _with_images(course / "m1")
    lesson = load_lesson(course / "m1")
    assert sorted(p.name for p in lesson.assets) == [
        "intro.png",
        "map.png",
        "route.png",
        "union.png",
    ]
    out = tmp_path / "release"
    assert main(["assign", str(course), "--out", str(out)]) == 0
    for name in ("map.png", "intro.png", "union.png", "route.png"):
        assert (out / "m1" / "images" / name).read_bytes() == data
    released = load_lesson(out / "m1")  # the release loads: no "missing image"
    assert "data:image/png;base64," in released.document.html
    again = release_files(out)
    assert main(["assign", str(course), "--out", str(out)]) == 0  # and assigns again
    assert release_files(out) == again


def release_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
