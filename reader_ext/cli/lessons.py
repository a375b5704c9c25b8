"""``reader-ext validate``, ``render``, ``build`` and ``lab``: the author's commands."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from reader_ext.course.notebook import build_notebook
from reader_ext.errors import LessonError
from reader_ext.lessons.layout import NOTEBOOK_FILE
from reader_ext.lessons.load import is_course, load_any
from reader_ext.lessons.model import Lesson
from reader_ext.widget.payload import lesson_payload


def validate_command(paths: Sequence[Path]) -> int:
    problems = []
    lessons: list[Lesson] = []
    for path in paths:
        if not path.is_dir():
            print(f"{path}:1: not a folder: give a lesson or course folder", file=sys.stderr)
            return 1
        try:
            lessons += load_any(path)
        except LessonError as exc:
            problems += exc.problems
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    glosses = sum(len(lesson.glossary) for lesson in lessons)
    prompts = sum(len(lesson.prompts) for lesson in lessons)
    print(f"ok: {len(lessons)} module(s), {glosses} glosses, {prompts} prompts, no problems")
    return 0


def render_command(path: Path, fmt: str) -> int:
    lessons = load_any(path)
    for lesson in lessons:
        doc = lesson.document
        if fmt == "text":
            sys.stdout.write(doc.text + "\n")
        elif fmt == "html":
            sys.stdout.write(doc.html)
        else:
            payload = {
                "uri": lesson.uri,
                "id": lesson.id,
                "title": lesson.title,
                **doc.to_json(),
                "prompts": lesson_payload(lesson)["prompts"],
            }
            sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    return 0


def build_command(path: Path) -> int:
    for lesson in load_any(path):
        result = build_notebook(lesson)
        state = "written" if result.changed else "up to date"
        print(f"{result.path}: {state}")
    return 0


def lab_command(path: Path, lab_args: Sequence[str]) -> int:
    lessons = load_any(path)
    for lesson in lessons:
        build_notebook(lesson)
    root = (path if is_course(path) else path.parent).resolve()
    # An absolute path: JupyterLab reads a relative one from the working directory.
    first = (lessons[0].path / NOTEBOOK_FILE).resolve()
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}", str(first)]
    command += list(lab_args)
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in command:
        command.append("--allow-root")  # containers run as root; JupyterLab refuses otherwise
    print("starting:", " ".join(command), file=sys.stderr)
    os.execv(sys.executable, command)
    return 0  # pragma: no cover - execv does not return
