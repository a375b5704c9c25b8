"""The reader-ext command, called in-process through main()."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from reader_ext.cli.main import main
from reader_ext.lessons.layout import NOTEBOOK_FILE


def test_validate_ok(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(course)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ok: 1 module(s), 4 glosses, 2 prompts")
    assert out.count("\n") == 1


def test_validate_reports_file_line_message(
    course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = course / "m1" / "module.toml"
    path.write_text(path.read_text().replace("minutes = 10", "minuts = 10"))
    assert main(["validate", str(course)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{path}:")
    assert "unknown key 'minuts'" in err[0]
    assert err[-1] == "1 problem(s) found"


def test_validate_not_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nope")]) == 1
    assert "no such file or folder: check the path" in capsys.readouterr().err


def test_render_text(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(course / "m1"), "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Russia wants free trade talks")
    assert "[the Union]" not in out
    assert "the Union differs" in out


def test_render_json(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(course / "m1"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["uri"] == "urn:reader-ext:fixture-course:m1"
    text = data["text"]
    for occ in data["occurrences"]:
        assert occ["key"] in {"eaeu", "instc", "neo-realism", "vasudhaiva-kutumbakam"}
        assert text[occ["start"] : occ["end"]]
    prompt = data["prompts"][0]
    assert text[prompt["start"] : prompt["end"]] == prompt["quote"]
    assert {b["id"] for b in data["blocks"]} >= {prompt["block"]}
    assert "SECRET" not in json.dumps(data)


def test_render_html(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(course / "m1"), "--format", "html"]) == 0
    assert '<span class="ar-gloss" data-gloss="eaeu">' in capsys.readouterr().out


def test_build_is_idempotent(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(course)]) == 0
    notebook = course / "m1" / NOTEBOOK_FILE
    first = notebook.read_bytes()
    stat = notebook.stat()
    assert "written" in capsys.readouterr().out
    assert main(["build", str(course)]) == 0
    assert "up to date" in capsys.readouterr().out
    assert notebook.read_bytes() == first
    assert notebook.stat().st_mtime_ns == stat.st_mtime_ns


def test_built_notebook_is_valid(course: Path) -> None:
    import nbformat

    main(["build", str(course)])
    nb = nbformat.read(course / "m1" / NOTEBOOK_FILE, as_version=4)
    nbformat.validate(nb)
    assert nb.cells[1].source == 'from reader_ext import Reader\n\nReader(".")'
    assert "SECRET" not in (course / "m1" / NOTEBOOK_FILE).read_text()


def test_build_stops_on_invalid_lesson(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (course / "m1" / "reading.md").unlink()
    assert main(["build", str(course)]) == 1
    assert "missing reading" in capsys.readouterr().err
    assert not (course / "m1" / NOTEBOOK_FILE).exists()


def test_lab_builds_and_starts_jupyterlab(course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []

    def fake_execv(path: str, argv: list[str]) -> None:
        calls.append(argv)

    monkeypatch.setattr(os, "execv", fake_execv)
    assert main(["lab", str(course), "--no-browser"]) == 0
    argv = calls[0]
    assert argv[1:3] == ["-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={course.resolve()}" in argv
    assert str((course / "m1" / "lesson.ipynb").resolve()) in argv
    assert "--no-browser" in argv
    assert ("--allow-root" in argv) == (os.geteuid() == 0)
    assert (course / "m1" / NOTEBOOK_FILE).exists()


def test_export_and_import_round_trip(course: Path, tmp_path: Path) -> None:
    from reader_ext import load_lesson
    from reader_ext.store.annotation_store import AnnotationStore
    from reader_ext.widget.session import ReaderSession

    lesson = load_lesson(course / "m1")
    store_path = tmp_path / "a.sqlite"
    with AnnotationStore(store_path) as store:
        session = ReaderSession(lesson, store, "ana")
        start = lesson.document.text.index("Iran")
        session.handle(
            {"type": "create", "kind": "note", "start": start, "end": start + 4, "body": "=1+1"}
        )
        session.handle({"type": "create", "kind": "answer", "prompt": "corridor", "body": "Suez"})
    out = tmp_path / "export.jsonld"
    assert main(["export", "--store", str(store_path), "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "AnnotationCollection"
    assert data["total"] == 2
    csv_out = tmp_path / "export.csv"
    assert (
        main(["export", "--store", str(store_path), "--format", "csv", "--out", str(csv_out)]) == 0
    )
    csv_text = csv_out.read_text(encoding="utf-8")
    assert "'=1+1" in csv_text  # spreadsheet formula injection is defused
    other = tmp_path / "b.sqlite"
    assert main(["import", str(out), "--store", str(other)]) == 0
    assert main(["import", str(out), "--store", str(other)]) == 0  # idempotent
    with AnnotationStore(other) as store:
        assert store.count() == 2


def test_import_of_a_broken_file_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["import", str(bad), "--store", str(tmp_path / "s.sqlite")]) == 1
    assert f"{bad}: not valid JSON (line 1" in capsys.readouterr().err


def test_instructor_commands_end_to_end(course: Path, tmp_path: Path) -> None:
    from reader_ext import load_lesson
    from reader_ext.store.annotation_store import AnnotationStore
    from reader_ext.widget.session import ReaderSession

    release = tmp_path / "release"
    assert main(["assign", str(course), "--out", str(release)]) == 0
    for student in ("ana", "ben"):
        copy = tmp_path / "submissions" / student / "m1"
        shutil.copytree(release / "m1", copy)
        lesson = load_lesson(copy)
        with AnnotationStore(copy / "annotations.sqlite") as store:
            ReaderSession(lesson, store, "jovyan").handle(
                {
                    "type": "create",
                    "kind": "answer",
                    "prompt": "corridor",
                    "body": f"{student} says",
                }
            )
    klass = tmp_path / "class.sqlite"
    assert (
        main(["collect", str(tmp_path / "submissions"), "--into", str(klass), "--no-progress"]) == 0
    )
    out = tmp_path / "report"
    assert main(["report", str(klass), "--out", str(out), "--lessons", str(course)]) == 0
    assert (out / "report.html").exists()
    rows = (out / "students.csv").read_text(encoding="utf-8")
    assert "ana" in rows and "ben" in rows
    assert main(["publish", str(klass), "--to", str(release)]) == 0
    published = json.loads((release / "m1" / "published-annotations.jsonld").read_text())
    assert published["total"] == 2
