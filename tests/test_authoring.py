"""The authoring tools and the format's newer parts: new, preview, --strict, did you mean,
help, limits, hostile files, and what the reading can now say."""

from __future__ import annotations

import base64
import os
import shutil
import struct
import zlib
from pathlib import Path

import pytest

from reader_ext import LessonError, load_course, load_lesson
from reader_ext.cli.main import _parser, main
from reader_ext.course.notebook import notebook_text
from reader_ext.lessons import limits
from reader_ext.lessons.citation import citation
from reader_ext.lessons.model import Source
from reader_ext.text.document import build_document
from reader_ext.text.glossmatch import GlossMatcher


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


# -- reader-ext new / preview ------------------------------------------------------------------


def test_new_course_validates_strictly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "my-course"
    assert main(["new", str(target)]) == 0
    assert main(["validate", "--strict", str(target)]) == 0
    assert "ok: 1 module(s), 1 glosses, 1 prompts, no problems" in capsys.readouterr().out
    module = (target / "01-first-module" / "module.toml").read_text(encoding="utf-8")
    assert module.count("#") >= 10  # every field explained
    assert "annotations.sqlite" in (target / ".gitignore").read_text(encoding="utf-8")


def test_new_refuses_a_folder_with_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "x").write_text("keep me")
    assert main(["new", str(tmp_path)]) == 1
    assert "not empty" in capsys.readouterr().err
    assert (tmp_path / "x").read_text() == "keep me"


def test_preview_is_one_offline_page(course: Path, tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    before = sorted(p.name for p in (course / "m1").iterdir())
    assert main(["preview", str(course / "m1"), "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert sorted(p.name for p in (course / "m1").iterdir()) == before  # nothing written there
    for part in (
        "A small module",
        "A made-up note",
        "Test Author",
        "Glossary",
        "An economic union of five",
        "Prompt 1",
        "Why would a route",
        "Reader comments",
    ):
        assert part in page, part
    assert '<a class="ar-gloss" href="#gloss-eaeu">' in page
    assert 'id="gloss-eaeu"' in page
    assert "<script" not in page
    assert 'src="http' not in page
    assert "@media print" in page
    assert "SECRET" not in page  # instructor material stays out


def test_preview_needs_one_module(course: Path, tmp_path: Path) -> None:
    shutil.copytree(course / "m1", course / "m2")
    edit(course / "m2" / "module.toml", 'id = "m1"', 'id = "m2"')
    edit(course / "course.toml", '["m1"]', '["m1", "m2"]')
    assert main(["preview", str(course), "--out", str(tmp_path / "p.html")]) == 1


# -- the command line --------------------------------------------------------------------------


def test_mistyped_command_gets_did_you_mean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["valdate", "lessons"]) == 2
    assert "did you mean 'validate'?" in capsys.readouterr().err


@pytest.mark.parametrize(
    "command",
    [
        "new",
        "validate",
        "render",
        "preview",
        "build",
        "assign",
        "export",
        "import",
        "collect",
        "report",
        "publish",
        "lab",
    ],
)
def test_every_command_help_has_description_arguments_and_example(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = capsys.readouterr().out
    assert f"examples:\n  reader-ext {command}" in text
    sub = next(a for a in _parser()._actions if hasattr(a, "choices") and a.choices)
    parser = sub.choices[command]  # type: ignore[index]
    assert parser.description
    for action in parser._actions:
        assert action.help, f"{command}: {action.dest} has no help"


def test_path_that_does_not_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("render", "build", "preview"):
        args = [command, str(tmp_path / "nope")]
        if command == "preview":
            args += ["--out", str(tmp_path / "p.html")]
        assert main(args) == 1
        err = capsys.readouterr().err
        assert "no such file or folder" in err
        assert "create module.toml" not in err


def test_strict_refuses_warnings(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(course / "m1", course / "m2")
    edit(course / "m2" / "module.toml", 'id = "m1"', 'id = "m2"')
    assert main(["validate", str(course)]) == 0
    captured = capsys.readouterr()
    assert ": warning: folder 'm2' holds a module" in captured.err
    assert "1 warning(s)" in captured.out
    assert main(["validate", "--strict", str(course)]) == 1


def test_shared_file_problem_reported_once_with_clean_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = Path(__file__).resolve().parents[1] / "lessons"
    shutil.copytree(root, tmp_path / "lessons")
    glossary = tmp_path / "lessons" / "shared" / "glossary.toml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\n[[gloss]]\nkey = 1\n")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "lessons"]) == 1
    err = capsys.readouterr().err.splitlines()
    bad = [line for line in err if "'key'" in line]
    assert len(bad) == 1, err
    assert bad[0].startswith("lessons/shared/glossary.toml:")
    assert ".." not in bad[0]


# -- hostile files (issue 12) -----------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.timeout(10)
def test_fifo_as_reading_does_not_hang(course: Path) -> None:
    reading = course / "m1" / "reading.md"
    reading.unlink()
    os.mkfifo(reading)
    with pytest.raises(LessonError) as info:
        load_course(course)
    assert "pipe or device, not a regular file" in str(info.value)


def test_reading_over_the_size_limit_names_the_limit(course: Path) -> None:
    reading = course / "m1" / "reading.md"
    with reading.open("a", encoding="utf-8") as f:
        f.write("word " * (limits.READING_BYTES // 5 + 10))
    with pytest.raises(LessonError) as info:
        load_course(course)
    message = str(info.value)
    assert "larger than the limit of 4.0 MiB for a reading" in message


def test_assign_refuses_prompts_linked_outside(course: Path, tmp_path: Path) -> None:
    from reader_ext.course.assign import assign

    outside = tmp_path / "elsewhere.toml"
    shutil.copyfile(course / "m1" / "prompts.toml", outside)
    (course / "m1" / "prompts.toml").unlink()
    (course / "m1" / "prompts.toml").symlink_to(outside)
    with pytest.raises(LessonError, match="outside the course folder"):
        assign(course, tmp_path / "release")
    assert not (tmp_path / "release" / "m1" / "prompts.toml").exists()


def test_notebook_shows_html_title_as_text(course: Path) -> None:
    edit(
        course / "m1" / "module.toml",
        'title = "A small module"',
        "title = '<img src=\"https://x.example/t.png\"> ![t](https://x.example/t.png)'",
    )
    cell = notebook_text(load_lesson(course / "m1"))
    assert "<img" not in cell.replace("\\\\<img", "")
    assert "\\\\!\\\\[t\\\\]" in cell


# -- what the format can say now --------------------------------------------------------------


def test_analyze_is_analyse(course: Path) -> None:
    edit(course / "m1" / "prompts.toml", 'bloom = "analyse"', 'bloom = "analyze"')
    lesson = load_lesson(course / "m1")
    assert lesson.prompts[1].bloom == "analyse"


def test_occurrence_chooses_one_place(course: Path) -> None:
    path = course / "m1" / "prompts.toml"
    edit(
        path,
        'quote = "India’s choice is its own"',
        'quote = "Eurasian Economic Union"\noccurrence = 2',
    )
    lesson = load_lesson(course / "m1")
    prompt = lesson.prompts[1]
    assert prompt.start > lesson.document.blocks[0].end


def test_wrapped_quote_matches_across_white_space(course: Path) -> None:
    path = course / "m1" / "prompts.toml"
    edit(
        path,
        'quote = "North-South Transport Corridor via Iran"',
        'quote = """North-South Transport\n   Corridor via Iran"""',
    )
    prompt = load_lesson(course / "m1").prompts[0]
    assert prompt.quote == "North-South Transport Corridor via Iran"


def test_several_sources_and_a_print_source(course: Path) -> None:
    path = course / "m1" / "module.toml"
    text = path.read_text(encoding="utf-8").replace("[source]", "[[source]]")
    text += '\n[[source]]\ntitle = "A printed edition"\npublisher = "Penguin"\nplace = "London"\n'
    text += 'pages = "3–17"\ndate = "1796"\ncirca = true\n'
    path.write_text(text, encoding="utf-8")
    lesson = load_lesson(course / "m1")
    assert [s.title for s in lesson.sources] == ["A made-up note", "A printed edition"]
    assert citation(lesson.sources[1]) == "A printed edition. Penguin, London, pp. 3–17. c. 1796"
    assert lesson.source.title == "A made-up note"


def test_citation_order() -> None:
    source = Source(title="T", author="A", venue="V", date="2023-06-22", url="https://x.org/")
    assert citation(source) == "A. T. V. 2023-06-22. https://x.org/"


def test_image_in_module_folder_is_embedded(course: Path) -> None:
    (course / "m1" / "images").mkdir()
    (course / "m1" / "images" / "map.png").write_bytes(png())
    with (course / "m1" / "reading.md").open("a", encoding="utf-8") as f:
        f.write("\n![a map](images/map.png)\n")
    lesson = load_lesson(course / "m1")
    assert f'src="data:image/png;base64,{base64.b64encode(png()).decode()}"' in lesson.document.html
    assert lesson.assets == [course / "m1" / "images" / "map.png"]


def test_image_that_is_not_an_image(course: Path) -> None:
    (course / "m1" / "map.png").write_text("<svg onload=alert(1)>")
    with (course / "m1" / "reading.md").open("a", encoding="utf-8") as f:
        f.write("\n![a map](map.png)\n")
    with pytest.raises(LessonError, match="not a PNG, JPEG, GIF or WebP"):
        load_lesson(course / "m1")


def test_paragraph_numbers_are_drawn_not_text(course: Path) -> None:
    edit(course / "m1" / "module.toml", "minutes = 10", "minutes = 10\nparagraph_numbers = true")
    lesson = load_lesson(course / "m1")
    assert 'data-para="2"' in lesson.document.html
    assert [b.number for b in lesson.document.blocks] == [1, 2]
    assert "¶" not in lesson.document.text


MATCHER = GlossMatcher([("pa", ["permanent alliances"]), ("alliance", ["alliance"])])


def test_gloss_matches_across_emphasis() -> None:
    doc = build_document("Two *permanent* alliances and one alliance.", MATCHER)
    spans = [(o.key, doc.text[o.start : o.end]) for o in doc.occurrences]
    assert spans == [("pa", "permanent alliances"), ("alliance", "alliance")]


def test_first_occurrence_only_per_reading_and_section() -> None:
    source = "# A\n\nalliance alliance\n\n# B\n\nalliance"
    per_reading = build_document(source, MATCHER, first={"alliance": "reading"})
    assert len(per_reading.occurrences) == 1
    per_section = build_document(source, MATCHER, first={"alliance": "section"})
    assert len(per_section.occurrences) == 2


def test_case_sensitive_senses() -> None:
    matcher = GlossMatcher(
        [("god", ["Providence"]), ("foresight", ["providence"])],
        case_sensitive=["god", "foresight"],
    )
    doc = build_document("Providence, not providence.", matcher)
    assert [(o.key, o.start) for o in doc.occurrences] == [("god", 0), ("foresight", 16)]


def test_footnotes_render_and_keep_offsets() -> None:
    doc = build_document("Text.[^1]\n\n[^1]: The note.\n")
    assert doc.text == "Text.[1]\n\nThe note."
    assert 'class="ar-footnotes"' in doc.html
    assert "[^1]" not in doc.html


def test_omission_marker_is_the_editors() -> None:
    doc = build_document("one [...] two")
    assert doc.text == "one [...] two"
    assert '<span class="ar-editorial" title="omitted by the editor">[...]</span>' in doc.html


def test_explicit_gloss_with_spaces() -> None:
    doc = build_document("[the Union]{ gloss = eaeu }", None)
    assert doc.text == "the Union"
    assert doc.occurrences[0].key == "eaeu"
