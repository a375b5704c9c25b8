"""``reader-ext validate``, ``render``, ``build`` and ``lab``: the author's commands.

Problems print as ``file:line: message``, warnings as ``file:line: warning: message``; paths
under the working directory are shown relative to it.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from reader_ext.course.notebook import build_notebook
from reader_ext.errors import LessonError, Problem
from reader_ext.lessons.layout import NOTEBOOK_FILE, STORE_FILE
from reader_ext.lessons.load import is_course, load_any, unlisted_modules
from reader_ext.lessons.model import Lesson
from reader_ext.widget.payload import lesson_payload


def shown(path: Path) -> str:
    """``path`` as the author typed it: relative to the working directory when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive, on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def print_problems(problems: Sequence[Problem], warnings: Sequence[Problem] = ()) -> None:
    for warning in dict.fromkeys(warnings):
        print(f"{shown(warning.file)}:{warning.line}: warning: {warning.message}", file=sys.stderr)
    unique = list(dict.fromkeys(problems))
    for problem in unique:
        print(f"{shown(problem.file)}:{problem.line}: {problem.message}", file=sys.stderr)
    if unique:
        print(f"{len(unique)} problem(s) found", file=sys.stderr)


def _load(path: Path, warnings: list[Problem]) -> list[Lesson]:
    try:
        return load_any(path, warnings=warnings)
    except LessonError:
        print_problems([], warnings)
        raise


def validate_command(paths: Sequence[Path], *, strict: bool = False) -> int:
    problems: list[Problem] = []
    warnings: list[Problem] = []
    lessons: list[Lesson] = []
    for path in paths:
        try:
            lessons += load_any(path, warnings=warnings)
        except LessonError as exc:
            problems += exc.problems
    warnings = list(dict.fromkeys(warnings))
    print_problems(problems, warnings)
    if problems:
        return 1
    if strict and warnings:
        print(f"{len(warnings)} warning(s), refused by --strict", file=sys.stderr)
        return 1
    glosses = sum(len(lesson.glossary) for lesson in lessons)
    prompts = sum(len(lesson.prompts) for lesson in lessons)
    tail = f"{len(warnings)} warning(s)" if warnings else "no problems"
    print(f"ok: {len(lessons)} module(s), {glosses} glosses, {prompts} prompts, {tail}")
    return 0


def warn_unlisted(path: Path) -> None:
    """Before a command that takes a whole course: say which module folders it leaves out."""
    if path.is_dir() and is_course(path):
        print_problems([], unlisted_modules(path.absolute()))


def render_command(path: Path, fmt: str) -> int:
    warnings: list[Problem] = []
    lessons = _load(path, warnings)
    print_problems([], warnings)
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
    warnings: list[Problem] = []
    lessons = _load(path, warnings)
    print_problems([], warnings)
    for lesson in lessons:
        result = build_notebook(lesson)
        state = "written" if result.changed else "up to date"
        print(f"{shown(result.path)}: {state}")
    return 0


def lab_command(path: Path, lab_args: Sequence[str]) -> int:
    warnings: list[Problem] = []
    lessons = _load(path, warnings)
    print_problems([], warnings)
    for lesson in lessons:
        build_notebook(lesson)
    root = (path if is_course(path) else path.parent).resolve()
    # An absolute path: JupyterLab reads a relative one from the working directory.
    first = (lessons[0].path / NOTEBOOK_FILE).resolve()
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}", str(first)]
    command += list(lab_args)
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in command:
        command.append("--allow-root")  # containers run as root; JupyterLab refuses otherwise
    print(
        f"note: annotations made here are stored in each module folder ({STORE_FILE});"
        " they are not lesson sources (keep them out of git)",
        file=sys.stderr,
    )
    print("starting:", " ".join(command), file=sys.stderr)
    os.execv(sys.executable, command)
    return 0  # pragma: no cover - execv does not return
