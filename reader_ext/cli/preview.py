"""``reader-ext preview MODULE --out FILE.html``: the lesson as one page, offline and printable."""

from __future__ import annotations

import sys
from pathlib import Path

from reader_ext.cli.lessons import print_problems, shown
from reader_ext.errors import Problem
from reader_ext.files import write_text_atomically
from reader_ext.lessons.load import load_any
from reader_ext.lessons.preview import preview_html


def preview_command(path: Path, out: Path) -> int:
    warnings: list[Problem] = []
    lessons = load_any(path, warnings=warnings)
    print_problems([], warnings)
    if len(lessons) != 1:
        print(
            f"{shown(path)}: a course of {len(lessons)} modules: preview one module folder",
            file=sys.stderr,
        )
        return 1
    if not out.parent.is_dir():
        print(f"{shown(out)}: folder {shown(out.parent)} does not exist", file=sys.stderr)
        return 1
    write_text_atomically(out, preview_html(lessons[0]))
    print(f"{shown(out)}: written")
    return 0
