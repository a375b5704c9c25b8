"""Lessons and courses: plain files loaded, validated and rendered into a :class:`Lesson`.

Every problem is collected (not just the first) and reported with its file, line and a hint,
so an author fixes a lesson in one pass. See ``lessons/README.md`` for the format.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reader_ext.errors import LessonError, Problem
from reader_ext.lessons.layout import COURSE_FILE, MODULE_FILE
from reader_ext.lessons.model import (
    Course,
    Gloss,
    Lesson,
    Prompt,
)
from reader_ext.lessons.parts import (
    check_id,
    inside,
    load_comments,
    load_glossaries,
    load_instructor,
    load_prompts,
    load_source,
    resolve,
)
from reader_ext.lessons.schema import COURSE, LEVELS, MODULE
from reader_ext.lessons.tomlsrc import TomlFile, check_table, read_text, read_toml
from reader_ext.text.document import Document, build_document
from reader_ext.text.glossmatch import GlossMatcher

INSTRUCTOR_DIR = "instructor"

__all__ = ["COURSE_FILE", "MODULE_FILE", "is_course", "load_any", "load_course", "load_lesson"]


def is_course(path: Path) -> bool:
    return (path / COURSE_FILE).is_file()


def load_lesson(path: str | Path, *, course_id: str | None = None) -> Lesson:
    """Load the module folder at ``path``; raise :class:`LessonError` listing every problem."""
    folder = Path(path).absolute()
    if folder.is_file() and folder.name == MODULE_FILE:
        folder = folder.parent
    problems: list[Problem] = []
    if course_id is None and is_course(folder.parent):
        course_src = read_toml(folder.parent / COURSE_FILE, [], what="course file")
        if course_src is not None and isinstance(course_src.data.get("id"), str):
            course_id = course_src.data["id"]
    lesson = _load_module(folder, problems, course_id=course_id)
    if problems or lesson is None:
        raise LessonError(problems)
    return lesson


def load_course(path: str | Path) -> Course:
    """Load a course folder and every module it lists; raise :class:`LessonError` if any fail."""
    folder = Path(path).absolute()
    problems: list[Problem] = []
    src = read_toml(folder / COURSE_FILE, problems, what="course file")
    if src is None:
        raise LessonError(problems)
    check_table(src.data, COURSE, src, problems)
    course_id = _str(src.data.get("id"), "course")
    check_id(course_id, src, problems, key="id")
    modules: list[Lesson] = []
    names = src.data.get("modules", [])
    ids: dict[str, str] = {}
    for name in names if isinstance(names, list) else []:
        if not isinstance(name, str):
            continue
        module_dir = folder / name
        if not inside(module_dir, folder) or not (module_dir / MODULE_FILE).is_file():
            problems.append(
                Problem(
                    src.path,
                    src.line_of(None, 0, "modules"),
                    f"module '{name}' does not exist: expected {module_dir / MODULE_FILE}"
                    " (check the folder name in 'modules')",
                )
            )
            continue
        lesson = _load_module(module_dir, problems, course_id=course_id)
        if lesson is None:
            continue
        if lesson.id in ids:
            problems.append(
                Problem(
                    module_dir / MODULE_FILE,
                    1,
                    f"duplicate module id '{lesson.id}' (also used by {ids[lesson.id]})",
                )
            )
        ids[lesson.id] = name
        modules.append(lesson)
    if problems:
        raise LessonError(problems)
    return Course(
        course_id,
        _str(src.data.get("title"), ""),
        _str(src.data.get("summary"), ""),
        folder,
        modules,
    )


def load_any(path: str | Path) -> list[Lesson]:
    """The modules of a course folder, or the one module at ``path``."""
    folder = Path(path).absolute()
    if is_course(folder):
        return load_course(folder).modules
    return [load_lesson(folder)]


def _load_module(folder: Path, problems: list[Problem], *, course_id: str | None) -> Lesson | None:
    before = len(problems)
    src = read_toml(folder / MODULE_FILE, problems, what="module file")
    if src is None:
        return None
    meta = src.data
    check_table(meta, MODULE, src, problems)
    module_id = _str(meta.get("id"), folder.name)
    check_id(module_id, src, problems, key="id")
    if meta.get("level") is not None and meta.get("level") not in LEVELS:
        problems.append(
            Problem(src.path, src.line_of(None, 0, "level"), f"level must be one of {LEVELS}")
        )
    if isinstance(meta.get("minutes"), int) and not 1 <= meta["minutes"] <= 600:
        problems.append(
            Problem(src.path, src.line_of(None, 0, "minutes"), "minutes must be 1 to 600")
        )
    source = load_source(meta.get("source"), src, problems)
    root = folder.parent if is_course(folder.parent) else folder

    reading_path = resolve(folder, meta.get("reading"), "reading.md", root, src, problems)
    reading = read_text(reading_path, problems, what="reading") if reading_path else None
    before_glossary = len(problems)
    glossary = load_glossaries(folder, meta, root, src, problems)
    glossary_complete = len(problems) == before_glossary
    comments_path = _optional(folder, meta, "comments", "comments.toml", root, src, problems)
    comments = load_comments(comments_path, problems) if comments_path else []
    intro_path = _optional(folder, meta, "intro", "intro.md", root, src, problems)
    intro = read_text(intro_path, problems, what="introduction") if intro_path else None
    prompts_src = read_toml(folder / "prompts.toml", problems, what="prompts file")
    prompts = load_prompts(prompts_src, problems) if prompts_src else []
    instructor = load_instructor(folder / INSTRUCTOR_DIR, prompts, problems)
    if reading is None:
        return None

    matcher = GlossMatcher((g.key, g.match) for g, _, _ in glossary)
    document = build_document(reading, matcher)
    # An entry lost to a broken glossary file must not also be reported as unknown.
    _check_glosses(glossary, document, reading_path if glossary_complete else None, problems)
    if prompts_src is not None:
        _anchor_prompts(prompts, document, prompts_src, problems)
    if len(problems) > before:
        return None
    default_uri = (
        f"urn:reader-ext:{course_id}:{module_id}" if course_id else f"urn:reader-ext:{module_id}"
    )
    return Lesson(
        id=module_id,
        title=_str(meta.get("title"), module_id),
        summary=_str(meta.get("summary"), ""),
        level=_str(meta.get("level"), "introductory"),
        minutes=int(meta.get("minutes", 30)),
        objectives=[str(o) for o in meta.get("objectives", [])],
        source=source,
        uri=_str(meta.get("uri"), default_uri),
        path=folder,
        reading=reading,
        document=document,
        intro=intro,
        glossary=[g for g, _, _ in glossary],
        prompts=prompts,
        comments=comments,
        instructor=instructor,
        course_id=course_id,
    )


def _str(value: Any, default: str) -> str:
    return value if isinstance(value, str) else default


def _optional(
    folder: Path,
    meta: dict[str, Any],
    key: str,
    default: str,
    root: Path,
    src: TomlFile,
    problems: list[Problem],
) -> Path | None:
    if key not in meta and not (folder / default).exists():
        return None
    return resolve(folder, meta.get(key), default, root, src, problems)


def _anchor_prompts(
    prompts: list[Prompt], document: Document, src: TomlFile, problems: list[Problem]
) -> None:
    for i, prompt in enumerate(prompts):
        line = src.line_of("prompt", i, "quote")
        found = document.find(prompt.quote)
        if not found:
            problems.append(
                Problem(
                    src.path,
                    line,
                    f"prompt '{prompt.id}': quote not found in the reading — copy it exactly "
                    "(apostrophes and dashes too)",
                )
            )
            continue
        if len(found) > 1:
            problems.append(
                Problem(
                    src.path,
                    line,
                    f"prompt '{prompt.id}': quote found {len(found)} times — lengthen it until it "
                    "is unique",
                )
            )
            continue
        prompt.start, prompt.end = found[0], found[0] + len(prompt.quote)
        block = document.block_at(prompt.start)
        prompt.block = block.id if block else ""


def _check_glosses(
    glossary: list[tuple[Gloss, Path, int]],
    document: Document,
    reading_path: Path | None,
    problems: list[Problem],
) -> None:
    used = {o.key for o in document.occurrences}
    known = {g.key for g, _, _ in glossary}
    for gloss, path, line in glossary:
        if gloss.key not in used:
            forms = ", ".join(repr(f) for f in gloss.match)
            problems.append(
                Problem(
                    path,
                    line,
                    f"gloss '{gloss.key}': none of its forms ({forms}) occurs in the reading — "
                    "add a 'match' form that does, or remove the entry",
                )
            )
    for occurrence in document.occurrences:
        if occurrence.key not in known and reading_path is not None:
            block = next(b for b in document.blocks if b.id == occurrence.block)
            problems.append(
                Problem(
                    reading_path,
                    block.line,
                    f"explicit gloss '{occurrence.key}' has no glossary entry with that key",
                )
            )
