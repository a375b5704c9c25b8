"""Lesson notebooks, generated from the lesson sources (never edited by hand).

Building is idempotent: the notebook's bytes depend only on the lesson, and a notebook whose
content is already right is not rewritten (so its modification time and any open editor are
left alone).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from reader_ext.files import write_text_atomically
from reader_ext.lessons.layout import NOTEBOOK_FILE
from reader_ext.lessons.model import Lesson


@dataclass(frozen=True, slots=True)
class BuildResult:
    path: Path
    changed: bool


_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_literal(text: str) -> str:
    """``text`` shown as it is in a Markdown cell: every ASCII punctuation mark backslash-escaped.

    A title is plain text; in the notebook's Markdown cell a ``<img src=...>`` or
    ``![](https://...)`` in it would load its URL (JupyterLab renders raw HTML in Markdown), so
    nothing in it may be read as markup. Line breaks become spaces, so it stays one line.
    """
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


def notebook_text(lesson: Lesson) -> str:
    """The notebook for ``lesson`` as JSON text."""
    intro = [f"# {markdown_literal(lesson.title)}", ""]
    if lesson.summary:
        intro += [markdown_literal(lesson.summary), ""]
    intro += [
        f"*{lesson.level.capitalize()} · about {lesson.minutes} minutes.*",
        "",
        "Run the cell below (Shift+Enter) to open the reading. Glossed terms are underlined:",
        "hover, click or tab to one and press Enter to read its gloss; Escape closes it.",
    ]
    notebook = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {
                "name": "python3",
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
            },
            "language_info": {"name": "python"},
            "reader_ext": {"lesson": lesson.id, "generated": True},
        },
        "cells": [
            {
                "cell_type": "markdown",
                "id": "lesson-intro",
                "metadata": {},
                "source": "\n".join(intro),
            },
            {
                "cell_type": "code",
                "id": "reader",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": 'from reader_ext import Reader\n\nReader(".")',
            },
        ],
    }
    return json.dumps(notebook, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def build_notebook(lesson: Lesson, out_dir: Path | None = None) -> BuildResult:
    """Write ``lesson.ipynb`` into the module folder (or ``out_dir``) if it changed."""
    path = (out_dir or lesson.path) / NOTEBOOK_FILE
    text = notebook_text(lesson)
    try:
        current = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        current = None
    if current == text:
        return BuildResult(path, changed=False)
    write_text_atomically(path, text)
    return BuildResult(path, changed=True)
