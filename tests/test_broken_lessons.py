"""Broken lessons: each folder in ``tests/fixtures/broken/`` beside the message it must give.

A case folder holds ``course/`` — only the files that differ from ``tests/fixtures/course-ok``
(symlinks kept) — and anything the case needs beside the course, and ``expected.txt``: what
``reader-ext validate course`` prints on stderr, run from the case's copy, then ``exit N``.
``REGENERATE=1 pytest tests/test_broken_lessons.py`` rewrites the expectations (read the diff).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from reader_ext.cli.main import main

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(p.name for p in (FIXTURES / "broken").iterdir() if p.is_dir())


def run_case(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    case = FIXTURES / "broken" / name
    shutil.copytree(FIXTURES / "course-ok", tmp_path / "course")
    for item in case.rglob("*"):
        target = tmp_path / item.relative_to(case)
        if item.name == "expected.txt" and item.parent == case:
            continue
        if item.is_symlink():
            target.unlink(missing_ok=True)
            target.symlink_to(item.readlink())
        elif item.is_dir():
            target.mkdir(exist_ok=True)
        else:
            shutil.copyfile(item, target)
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        code = main(["validate", "course"])
    finally:
        os.chdir(cwd)
    return capsys.readouterr().err + f"exit {code}\n"


def test_there_are_cases() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("name", CASES)
def test_broken_lesson_gives_its_message(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    got = run_case(name, tmp_path, capsys)
    expected = FIXTURES / "broken" / name / "expected.txt"
    if os.environ.get("REGENERATE"):
        expected.write_text(got, encoding="utf-8")
    assert got == expected.read_text(encoding="utf-8")
    assert "Traceback" not in got
