"""``reader-ext new PATH``: a course with one module skeleton that validates as it is.

The files are written from the templates in ``reader_ext/lessons/skeleton/``, each field
explained by a comment; ``tests/test_new.py`` checks that the result validates.
"""

from __future__ import annotations

import re
import sys
from importlib import resources
from pathlib import Path

from reader_ext.lessons.layout import COURSE_FILE

MODULE = "01-first-module"
_FILES = {
    COURSE_FILE: COURSE_FILE,
    ".gitignore": "gitignore",
    f"{MODULE}/module.toml": "module.toml",
    f"{MODULE}/reading.md": "reading.md",
    f"{MODULE}/intro.md": "intro.md",
    f"{MODULE}/glossary.toml": "glossary.toml",
    f"{MODULE}/prompts.toml": "prompts.toml",
    f"{MODULE}/comments.toml": "comments.toml",
    f"{MODULE}/instructor/notes.md": "notes.md",
    f"{MODULE}/instructor/guide.toml": "guide.toml",
}


def new_command(path: Path) -> int:
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        print(f"{path}: already exists and is not empty: give a new folder", file=sys.stderr)
        return 1
    course_id = re.sub(r"[^a-z0-9]+", "-", path.absolute().name.lower()).strip("-") or "course"
    templates = resources.files("reader_ext.lessons") / "skeleton"
    for target, name in _FILES.items():
        text = (templates / name).read_text(encoding="utf-8").replace("COURSE_ID", course_id)
        out = path / target
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    print(f"{path}: course '{course_id}' with module {MODULE}/ written")
    print(f"next: edit {path / MODULE / 'reading.md'}, then run: reader-ext validate {path}")
    return 0
