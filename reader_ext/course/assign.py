"""The student release: lesson sources and notebooks, with every instructor-only file left out.

Each released module is made self-contained (its reading, glossaries and comments copied in
beside ``module.toml``) so that it works on its own in nbgrader's ``release/<assignment>/``
layout as well as in ours; its ``uri`` is written out so that the students' annotations target
exactly the IRI the instructor's copy uses, and can be collected against it later.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from reader_ext.course.notebook import build_notebook
from reader_ext.errors import ReleaseError
from reader_ext.lessons.layout import COURSE_FILE, MODULE_FILE
from reader_ext.lessons.load import is_course, load_course, load_lesson
from reader_ext.lessons.model import Lesson
from reader_ext.lessons.tomlsrc import read_toml
from reader_ext.widget.payload import lesson_payload


@dataclass(slots=True)
class Release:
    root: Path
    modules: list[Path] = field(default_factory=list)


def assign(source: Path, out: Path, *, nbgrader: bool = False) -> Release:
    """Write the student release of a course or module folder ``source`` into ``out``."""
    if is_course(source):
        course = load_course(source)
        lessons, course_data = course.modules, _course_table(source)
    else:
        lessons, course_data = [load_lesson(source)], None
    base = out / "release" if nbgrader else out
    base.mkdir(parents=True, exist_ok=True)
    # Everything is written and checked in a staging folder first: a release that fails the
    # check leaves the existing release exactly as it was.
    with tempfile.TemporaryDirectory(dir=base, prefix=".assign-") as tmp:
        staged = Release(Path(tmp))
        for lesson in lessons:
            target = staged.root / lesson.path.name
            _write_module(lesson, target)
            build_notebook(load_lesson(target))
            staged.modules.append(target)
        if course_data is not None and not nbgrader:
            course_data["modules"] = [p.name for p in staged.modules]
            (staged.root / COURSE_FILE).write_text(tomli_w.dumps(course_data), encoding="utf-8")
        _check_clean(staged, lessons)
        release = Release(base)
        for module in staged.modules:
            final = base / module.name
            if final.exists():
                shutil.rmtree(final)
            module.replace(final)
            release.modules.append(final)
        if (staged.root / COURSE_FILE).exists():
            (staged.root / COURSE_FILE).replace(base / COURSE_FILE)
    return release


def _course_table(source: Path) -> dict[str, Any]:
    src = read_toml(source / COURSE_FILE, [], what="course file")
    return dict(src.data) if src else {}


def _write_module(lesson: Lesson, target: Path) -> None:
    target.mkdir(parents=True)
    src = read_toml(lesson.path / MODULE_FILE, [], what="module file")
    meta: dict[str, Any] = dict(src.data) if src else {}
    meta["uri"] = lesson.uri
    meta["reading"] = _copy(
        lesson.path / str(meta.get("reading", "reading.md")), target, "reading.md"
    )
    glossaries = meta.get("glossaries")
    if glossaries is None and (lesson.path / "glossary.toml").exists():
        glossaries = ["glossary.toml"]
    if glossaries is not None:
        names = (
            ["glossary.toml"]
            if len(glossaries) == 1
            else [f"glossary-{i + 1}.toml" for i in range(len(glossaries))]
        )
        meta["glossaries"] = [
            _copy(lesson.path / g, target, name) for g, name in zip(glossaries, names, strict=True)
        ]
    for key, default in (("comments", "comments.toml"), ("intro", "intro.md")):
        path = lesson.path / str(meta.get(key, default))
        if key in meta or path.exists():
            meta[key] = _copy(path, target, default)
    prompts = lesson.path / "prompts.toml"
    if prompts.exists():
        shutil.copyfile(prompts, target / "prompts.toml")
    (target / MODULE_FILE).write_text(tomli_w.dumps(meta), encoding="utf-8")


def _copy(path: Path, target: Path, name: str) -> str:
    shutil.copyfile(path, target / name)
    return name


def _check_clean(release: Release, lessons: Iterable[Lesson]) -> None:
    """Refuse a release that holds instructor material or annotations, whatever the cause."""
    secrets: list[str] = []
    for lesson in lessons:
        material = lesson.instructor
        found: list[str] = []
        if material.notes:
            found += [line.strip() for line in material.notes.splitlines()]
        for entry in material.guide:
            found += [entry.answer.strip()[:80], *entry.rubric]
        # A line the students may see anyway (a source URL also given in a gloss) is no secret.
        public = json.dumps(lesson_payload(lesson), ensure_ascii=False) + lesson.reading
        secrets += [s for s in found if len(s) > 30 and s not in public]
    for path in release.root.rglob("*"):
        if path.is_dir() and path.name == "instructor":
            msg = f"release holds an instructor folder: {path}"
            raise ReleaseError(msg)
        if path.suffix in {".sqlite", ".db"} or path.name.endswith(("-wal", "-shm")):
            msg = f"release holds an annotation store: {path}"
            raise ReleaseError(msg)
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            leaked = next((s for s in secrets if s and s in text), None)
            if leaked:
                msg = f"instructor-only text found in {path}: {leaked[:60]!r}"
                raise ReleaseError(msg)
