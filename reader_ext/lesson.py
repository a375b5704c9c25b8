"""Lessons and courses: plain files loaded, validated and rendered into a :class:`Lesson`.

Every problem is collected (not just the first) and reported with its file, line and a hint,
so an author fixes a lesson in one pass. See ``lessons/README.md`` for the format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader_ext.document import Document, build_document
from reader_ext.errors import LessonError, Problem
from reader_ext.glossmatch import GlossMatcher
from reader_ext.schema import (
    BLOOM_LEVELS,
    COMMENT,
    COURSE,
    GLOSS,
    GUIDE,
    LEVELS,
    MODULE,
    PROMPT,
    PROMPT_KINDS,
    SOURCE,
    SOURCE_LINK,
)
from reader_ext.tomlsrc import TomlFile, check_table, read_text, read_toml

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
INSTRUCTOR_DIR = "instructor"
COURSE_FILE = "course.toml"
MODULE_FILE = "module.toml"


@dataclass(slots=True)
class Source:
    """Where the reading comes from, as far as it can be established."""

    title: str | None = None
    author: str | None = None
    venue: str | None = None
    date: str | None = None
    url: str | None = None
    certainty: str | None = None
    licence: str | None = None


@dataclass(slots=True)
class Link:
    title: str
    url: str


@dataclass(slots=True)
class Gloss:
    key: str
    term: str
    match: list[str]
    definition: str
    original: str | None = None
    transliteration: str | None = None
    as_of: str | None = None
    note: str | None = None
    sources: list[Link] = field(default_factory=list)


@dataclass(slots=True)
class Prompt:
    id: str
    quote: str
    question: str
    bloom: str
    kind: str
    start: int = 0
    end: int = 0
    block: str = ""


@dataclass(slots=True)
class Comment:
    id: str
    text: str
    author: str = "Anonymous reader"


@dataclass(slots=True)
class GuideEntry:
    prompt: str
    answer: str
    rubric: list[str] = field(default_factory=list)


@dataclass(slots=True)
class InstructorMaterial:
    """Instructor-only: never sent to a student's reader, never copied into a release."""

    notes: str | None = None
    guide: list[GuideEntry] = field(default_factory=list)


@dataclass(slots=True)
class Lesson:
    """A loaded, validated and rendered module."""

    id: str
    title: str
    summary: str
    level: str
    minutes: int
    objectives: list[str]
    source: Source
    uri: str
    path: Path
    reading: str
    document: Document
    intro: str | None = None
    glossary: list[Gloss] = field(default_factory=list)
    prompts: list[Prompt] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    instructor: InstructorMaterial = field(default_factory=InstructorMaterial)
    course_id: str | None = None

    def gloss(self, key: str) -> Gloss | None:
        return next((g for g in self.glossary if g.key == key), None)


@dataclass(slots=True)
class Course:
    id: str
    title: str
    summary: str
    path: Path
    modules: list[Lesson]


def is_course(path: Path) -> bool:
    return (path / COURSE_FILE).is_file()


def load_lesson(path: str | Path, *, course_id: str | None = None) -> Lesson:
    """Load the module folder at ``path``; raise :class:`LessonError` listing every problem."""
    folder = Path(path)
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
    folder = Path(path)
    problems: list[Problem] = []
    src = read_toml(folder / COURSE_FILE, problems, what="course file")
    if src is None:
        raise LessonError(problems)
    check_table(src.data, COURSE, src, problems)
    course_id = _str(src.data.get("id"), "course")
    _check_id(course_id, src, problems, key="id")
    modules: list[Lesson] = []
    names = src.data.get("modules", [])
    ids: dict[str, str] = {}
    for name in names if isinstance(names, list) else []:
        if not isinstance(name, str):
            continue
        module_dir = folder / name
        if not _inside(module_dir, folder) or not (module_dir / MODULE_FILE).is_file():
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
    folder = Path(path)
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
    _check_id(module_id, src, problems, key="id")
    if meta.get("level") is not None and meta.get("level") not in LEVELS:
        problems.append(
            Problem(src.path, src.line_of(None, 0, "level"), f"level must be one of {LEVELS}")
        )
    if isinstance(meta.get("minutes"), int) and not 1 <= meta["minutes"] <= 600:
        problems.append(
            Problem(src.path, src.line_of(None, 0, "minutes"), "minutes must be 1 to 600")
        )
    source = _load_source(meta.get("source"), src, problems)
    root = folder.parent if is_course(folder.parent) else folder

    reading_path = _resolve(folder, meta.get("reading"), "reading.md", root, src, problems)
    reading = read_text(reading_path, problems, what="reading") if reading_path else None
    glossary = _load_glossaries(folder, meta, root, src, problems)
    comments_path = _optional(folder, meta, "comments", "comments.toml", root, src, problems)
    comments = _load_comments(comments_path, problems) if comments_path else []
    intro_path = _optional(folder, meta, "intro", "intro.md", root, src, problems)
    intro = read_text(intro_path, problems, what="introduction") if intro_path else None
    prompts_src = read_toml(folder / "prompts.toml", problems, what="prompts file")
    prompts = _load_prompts(prompts_src, problems) if prompts_src else []
    instructor = _load_instructor(folder / INSTRUCTOR_DIR, prompts, problems)
    if reading is None:
        return None

    matcher = GlossMatcher((g.key, g.match) for g, _, _ in glossary)
    document = build_document(reading, matcher)
    _check_glosses(glossary, document, reading_path, problems)
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


def _check_id(value: str, src: TomlFile, problems: list[Problem], **where: Any) -> None:
    if not ID_PATTERN.match(value):
        line = src.line_of(where.get("array"), where.get("index", 0), where.get("key", "id"))
        problems.append(
            Problem(src.path, line, f"bad id '{value}': use lower-case letters, digits and hyphens")
        )


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def _resolve(
    folder: Path, value: Any, default: str, root: Path, src: TomlFile, problems: list[Problem]
) -> Path | None:
    name = value if isinstance(value, str) else default
    path = folder / name
    if not _inside(path, root):
        key = next((k for k, v in src.data.items() if v == value), None)
        problems.append(
            Problem(
                src.path,
                src.line_of(None, 0, key),
                f"path '{name}' leaves the course folder {root}: keep lesson files inside it",
            )
        )
        return None
    return path


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
    return _resolve(folder, meta.get(key), default, root, src, problems)


def _load_source(value: Any, src: TomlFile, problems: list[Problem]) -> Source:
    if not isinstance(value, dict):
        return Source()
    check_table(value, SOURCE, src, problems, array="source", where="[source]")
    url = value.get("url")
    if isinstance(url, str) and not url.startswith(("https://", "http://")):
        line = src.line_of(None, 0, "url")
        problems.append(Problem(src.path, line, "source url must start with https:// or http://"))
    return Source(**{k: v for k, v in value.items() if k in SOURCE and isinstance(v, str)})


def _load_glossaries(
    folder: Path, meta: dict[str, Any], root: Path, src: TomlFile, problems: list[Problem]
) -> list[tuple[Gloss, Path, int]]:
    names = meta.get("glossaries")
    if not isinstance(names, list):
        names = ["glossary.toml"] if (folder / "glossary.toml").exists() else []
    entries: list[tuple[Gloss, Path, int]] = []
    keys: dict[str, str] = {}
    for name in names:
        path = _resolve(folder, name, "glossary.toml", root, src, problems)
        gsrc = read_toml(path, problems, what="glossary") if path else None
        if gsrc is None:
            continue
        _only_keys(gsrc, {"gloss"}, problems)
        for i, item in enumerate(_array(gsrc, "gloss", problems)):
            line = gsrc.line_of("gloss", i)
            if not check_table(item, GLOSS, gsrc, problems, array="gloss", index=i, where="gloss"):
                continue
            _check_id(item["key"], gsrc, problems, array="gloss", index=i, key="key")
            if item["key"] in keys:
                problems.append(
                    Problem(
                        gsrc.path,
                        line,
                        f"duplicate gloss key '{item['key']}' (first in {keys[item['key']]})",
                    )
                )
                continue
            keys[item["key"]] = f"{gsrc.path}:{line}"
            sources = _links(item.get("sources", []), gsrc, i, problems)
            gloss = Gloss(
                key=item["key"],
                term=item["term"],
                match=list(item.get("match") or [item["term"]]),
                definition=item["definition"],
                original=item.get("original"),
                transliteration=item.get("transliteration"),
                as_of=item.get("as_of"),
                note=item.get("note"),
                sources=sources,
            )
            entries.append((gloss, gsrc.path, line))
    return entries


def _links(value: Any, src: TomlFile, index: int, problems: list[Problem]) -> list[Link]:
    links: list[Link] = []
    for item in value if isinstance(value, list) else []:
        line = src.line_of("gloss", index, "sources")
        if not isinstance(item, dict) or not check_table(
            item, SOURCE_LINK, src, problems, array="gloss", index=index, where="gloss source"
        ):
            continue
        if not item["url"].startswith(("https://", "http://")):
            problems.append(
                Problem(src.path, line, f"source url '{item['url']}' must be http(s)://")
            )
            continue
        links.append(Link(item["title"], item["url"]))
    return links


def _only_keys(src: TomlFile, allowed: set[str], problems: list[Problem]) -> None:
    import difflib

    for key in src.data:
        if key not in allowed:
            close = difflib.get_close_matches(key, list(allowed), n=1)
            hint = f"did you mean '[[{close[0]}]]'?" if close else f"use [[{next(iter(allowed))}]]"
            problems.append(
                Problem(src.path, src.line_of(None, 0, key), f"unknown key '{key}': {hint}")
            )


def _array(src: TomlFile, name: str, problems: list[Problem]) -> list[dict[str, Any]]:
    value = src.data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        problems.append(Problem(src.path, src.line_of(None, 0, name), f"use [[{name}]] tables"))
        return []
    return value


def _load_comments(path: Path, problems: list[Problem]) -> list[Comment]:
    src = read_toml(path, problems, what="comments file")
    if src is None:
        return []
    _only_keys(src, {"comment"}, problems)
    comments: list[Comment] = []
    seen: set[str] = set()
    for i, item in enumerate(_array(src, "comment", problems)):
        if not check_table(item, COMMENT, src, problems, array="comment", index=i, where="comment"):
            continue
        _check_id(item["id"], src, problems, array="comment", index=i)
        if item["id"] in seen:
            problems.append(
                Problem(
                    src.path,
                    src.line_of("comment", i, "id"),
                    f"duplicate comment id '{item['id']}'",
                )
            )
        seen.add(item["id"])
        comments.append(Comment(item["id"], item["text"], item.get("author", "Anonymous reader")))
    return comments


def _load_prompts(src: TomlFile, problems: list[Problem]) -> list[Prompt]:
    _only_keys(src, {"prompt"}, problems)
    prompts: list[Prompt] = []
    seen: set[str] = set()
    for i, item in enumerate(_array(src, "prompt", problems)):
        if not check_table(item, PROMPT, src, problems, array="prompt", index=i, where="prompt"):
            continue
        _check_id(item["id"], src, problems, array="prompt", index=i)
        for key, allowed in (("bloom", BLOOM_LEVELS), ("kind", PROMPT_KINDS)):
            if item[key] not in allowed:
                problems.append(
                    Problem(
                        src.path,
                        src.line_of("prompt", i, key),
                        f"{key} '{item[key]}' is not one of: {', '.join(allowed)}",
                    )
                )
        if item["id"] in seen:
            problems.append(
                Problem(
                    src.path, src.line_of("prompt", i, "id"), f"duplicate prompt id '{item['id']}'"
                )
            )
        seen.add(item["id"])
        prompts.append(
            Prompt(item["id"], item["quote"], item["question"], item["bloom"], item["kind"])
        )
    return prompts


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


def _load_instructor(
    folder: Path, prompts: list[Prompt], problems: list[Problem]
) -> InstructorMaterial:
    material = InstructorMaterial()
    notes = folder / "notes.md"
    if notes.exists():
        material.notes = read_text(notes, problems, what="instructor notes")
    guide_path = folder / "guide.toml"
    if not guide_path.exists():
        return material
    src = read_toml(guide_path, problems, what="instructor guide")
    if src is None:
        return material
    _only_keys(src, {"guide"}, problems)
    ids = {p.id for p in prompts}
    for i, item in enumerate(_array(src, "guide", problems)):
        if not check_table(item, GUIDE, src, problems, array="guide", index=i, where="guide"):
            continue
        if ids and item["prompt"] not in ids:
            problems.append(
                Problem(
                    src.path,
                    src.line_of("guide", i, "prompt"),
                    f"guide for unknown prompt '{item['prompt']}'"
                    f" (prompts: {', '.join(sorted(ids))})",
                )
            )
        material.guide.append(
            GuideEntry(item["prompt"], item["answer"], list(item.get("rubric", [])))
        )
    return material
