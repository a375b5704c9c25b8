"""Lessons and courses: plain files loaded, validated and rendered into a :class:`Lesson`.

Every problem is collected (not just the first) and reported with its file, line and a hint,
so an author fixes a lesson in one pass. Warnings (the lesson works, but probably not as meant)
are collected apart: on ``Lesson.warnings``, ``Course.warnings`` and in a ``warnings`` list the
caller may pass. Every file is read under the rules of :func:`~reader_ext.lessons.tomlsrc.
read_text`: regular files only, inside the course folder, within the limits of
:mod:`reader_ext.lessons.limits`. See ``lessons/README.md`` for the format.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from reader_ext.errors import LessonError, Problem
from reader_ext.lessons import limits
from reader_ext.lessons.checks import anchor_prompts, check_glosses, check_stray_syntax, check_uri
from reader_ext.lessons.layout import COURSE_FILE, MODULE_FILE
from reader_ext.lessons.model import Course, Lesson, Source
from reader_ext.lessons.parts import (
    check_id,
    load_comments,
    load_glossaries,
    load_instructor,
    load_prompts,
    load_sources,
    resolve,
)
from reader_ext.lessons.schema import COURSE, LEVELS, MODULE
from reader_ext.lessons.tomlsrc import (
    TomlFile,
    check_table,
    inside,
    read_bytes,
    read_text,
    read_toml,
)
from reader_ext.text.document import build_document
from reader_ext.text.glossmatch import GlossMatcher
from reader_ext.text.images import media_type
from reader_ext.text.marks import holds
from reader_ext.text.markup import image_path, image_refs

INSTRUCTOR_DIR = "instructor"
_WEB = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//)")

__all__ = [
    "COURSE_FILE",
    "MODULE_FILE",
    "is_course",
    "load_any",
    "load_course",
    "load_lesson",
    "unlisted_modules",
]


def is_course(path: Path) -> bool:
    return (path / COURSE_FILE).is_file()


def load_lesson(
    path: str | Path,
    *,
    course_id: str | None = None,
    warnings: list[Problem] | None = None,
) -> Lesson:
    """Load the module folder at ``path``; raise :class:`LessonError` listing every problem."""
    folder = _clean(path)
    if folder.is_file() and folder.name == MODULE_FILE:
        folder = folder.parent
    _exists(folder)
    problems: list[Problem] = []
    found: list[Problem] = []
    if course_id is None and is_course(folder.parent):
        course_src = read_toml(folder.parent / COURSE_FILE, [], what="course file")
        if course_src is not None and isinstance(course_src.data.get("id"), str):
            course_id = course_src.data["id"]
    lesson = _load_module(folder, problems, found, course_id=course_id)
    if warnings is not None:
        warnings.extend(found)
    if problems or lesson is None:
        raise LessonError(problems)
    return lesson


def load_course(path: str | Path, *, warnings: list[Problem] | None = None) -> Course:
    """Load a course folder and every module it lists; raise :class:`LessonError` if any fail."""
    folder = _clean(path)
    _exists(folder)
    problems: list[Problem] = []
    found: list[Problem] = []
    src = read_toml(folder / COURSE_FILE, problems, what="course file", root=folder)
    if src is None:
        raise LessonError(problems)
    check_table(src.data, COURSE, src, problems)
    course_id = _str(src.data.get("id"), "course")
    check_id(course_id, src, problems, key="id")
    modules: list[Lesson] = []
    names = src.data.get("modules", [])
    names = names if isinstance(names, list) else []
    if len(names) > limits.MODULES:
        problems.append(
            Problem(
                src.path,
                src.line_of(None, 0, "modules"),
                f"{len(names)} modules: more than the limit of {limits.MODULES} (limit MODULES,"
                " see lessons/README.md, Limits)",
            )
        )
        names = []
    ids: dict[str, str] = {}
    uris: dict[str, str] = {}
    for name in names:
        if not isinstance(name, str):
            continue
        module_dir = Path(os.path.normpath(folder / name))
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
        lesson = _load_module(module_dir, problems, found, course_id=course_id)
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
        if lesson.uri in uris:
            module_src = read_toml(module_dir / MODULE_FILE, [], what="module file")
            line = module_src.line_of(None, 0, "uri") if module_src else 1
            problems.append(
                Problem(
                    module_dir / MODULE_FILE,
                    line,
                    f"uri '{lesson.uri}' is also the uri of module '{uris[lesson.uri]}': two"
                    " modules would share their annotations — give each its own uri",
                )
            )
        ids[lesson.id] = name
        uris[lesson.uri] = name
        modules.append(lesson)
    found += unlisted_modules(folder, src)
    found = _once(found)
    if warnings is not None:
        warnings.extend(found)
    if problems:
        raise LessonError(_once(problems))
    return Course(
        course_id,
        _str(src.data.get("title"), ""),
        _str(src.data.get("summary"), ""),
        folder,
        modules,
        warnings=found,
    )


def load_any(path: str | Path, *, warnings: list[Problem] | None = None) -> list[Lesson]:
    """The modules of a course folder, or the one module at ``path``."""
    folder = _clean(path)
    if is_course(folder):
        return load_course(folder, warnings=warnings).modules
    return [load_lesson(folder, warnings=warnings)]


def unlisted_modules(folder: Path, src: TomlFile | None = None) -> list[Problem]:
    """A warning for each module folder of a course that ``course.toml`` does not list."""
    if src is None:
        src = read_toml(folder / COURSE_FILE, [], what="course file")
        if src is None:
            return []
    names = src.data.get("modules")
    listed = {
        os.path.normpath(folder / n)
        for n in (names if isinstance(names, list) else [])
        if isinstance(n, str)
    }
    found: list[Problem] = []
    for child in sorted(folder.iterdir()):
        if (child / MODULE_FILE).is_file() and os.path.normpath(child) not in listed:
            found.append(
                Problem(
                    src.path,
                    src.line_of(None, 0, "modules"),
                    f"folder '{child.name}' holds a module but is not listed in 'modules': add"
                    " it, or validate, build and assign leave it out",
                )
            )
    return found


def _clean(path: str | Path) -> Path:
    return Path(os.path.normpath(Path(path).absolute()))


def _exists(folder: Path) -> None:
    if not folder.exists():
        raise LessonError([Problem(folder, 1, "no such file or folder: check the path")])
    if not folder.is_dir():
        raise LessonError(
            [Problem(folder, 1, "not a folder: give a lesson (module) or course folder")]
        )
    if not (folder / MODULE_FILE).is_file() and not is_course(folder):
        raise LessonError(
            [
                Problem(
                    folder,
                    1,
                    f"neither a module ({MODULE_FILE}) nor a course ({COURSE_FILE}) folder:"
                    " give the folder that holds one, or make one with `reader-ext new`",
                )
            ]
        )


def _once(found: list[Problem]) -> list[Problem]:
    """Each problem once: a shared file's problems are found once per module using it."""
    return list(dict.fromkeys(found))


def _load_module(
    folder: Path,
    problems: list[Problem],
    warnings: list[Problem],
    *,
    course_id: str | None,
) -> Lesson | None:
    before = len(problems)
    root = folder.parent if is_course(folder.parent) else folder
    src = read_toml(folder / MODULE_FILE, problems, what="module file", root=root)
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
    default_uri = (
        f"urn:reader-ext:{course_id}:{module_id}" if course_id else f"urn:reader-ext:{module_id}"
    )
    uri = _str(meta.get("uri"), default_uri)
    check_uri(uri, src, problems)
    sources = load_sources(meta.get("source"), src, problems)

    reading_path = resolve(folder, meta.get("reading"), "reading.md", root, src, problems)
    reading = (
        read_text(reading_path, problems, what="reading", root=root, limit=limits.READING_BYTES)
        if reading_path
        else None
    )
    before_glossary = len(problems)
    glossary = load_glossaries(folder, meta, root, src, problems)
    glossary_complete = len(problems) == before_glossary
    comments_path = _optional(folder, meta, "comments", "comments.toml", root, src, problems)
    comments = load_comments(comments_path, problems, root=root) if comments_path else []
    intro_path = _optional(folder, meta, "intro", "intro.md", root, src, problems)
    intro = read_text(intro_path, problems, what="introduction", root=root) if intro_path else None
    prompts_src = read_toml(
        folder / "prompts.toml", problems, what="prompts file", root=root, arrays=("prompt",)
    )
    prompts = load_prompts(prompts_src, problems) if prompts_src else []
    instructor = load_instructor(folder / INSTRUCTOR_DIR, prompts, problems, root=root)
    if reading is None or reading_path is None:
        return None

    images = _ImageFiles(reading_path.parent, root, problems)
    entries = [g for g, _, _ in glossary]
    matcher = GlossMatcher(
        ((g.key, g.match) for g in entries),
        case_sensitive=[g.key for g in entries if g.case_sensitive],
    )
    document = build_document(
        reading,
        matcher,
        first={g.key: g.first for g in entries if g.first},
        images=images,
        numbered=meta.get("paragraph_numbers") is True,
    )
    # An entry lost to a broken glossary file must not also be reported as unknown.
    check_glosses(
        glossary, document, reading_path if glossary_complete else None, problems, warnings
    )
    check_stray_syntax(reading, reading_path, warnings)
    if prompts_src is not None:
        anchor_prompts(prompts, document, prompts_src, problems)
    # Images in the intro, definitions and questions: from the module folder, checked as the
    # reading's are (never fetched from the web), embedded by render_markdown(folder_images).
    images.where, images.base = None, folder
    if intro is not None and intro_path is not None:
        _check_images(intro, intro_path, 0, images)
    for gloss, gloss_path, gloss_line in glossary:
        for text in (gloss.definition, gloss.note or ""):
            _check_images(text, gloss_path, gloss_line - 1, images, one_line=True)
    if prompts_src is not None:
        for i, prompt in enumerate(prompts):
            line = prompts_src.line_of("prompt", i, "question")
            _check_images(prompt.question, prompts_src.path, line - 1, images, one_line=True)
    if len(problems) > before:
        return None
    return Lesson(
        id=module_id,
        title=_str(meta.get("title"), module_id),
        summary=_str(meta.get("summary"), ""),
        level=_str(meta.get("level"), "introductory"),
        minutes=int(meta.get("minutes", 30)),
        objectives=[str(o) for o in meta.get("objectives", [])],
        source=sources[0] if sources else _no_source(),
        uri=uri,
        path=folder,
        reading=reading,
        document=document,
        intro=intro,
        glossary=entries,
        # Text order, whatever the file's order: the one numbering (Lesson.prompt_number).
        prompts=sorted(prompts, key=lambda p: (p.start, p.end)),
        comments=comments,
        instructor=instructor,
        course_id=course_id,
        sources=sources,
        paragraph_numbers=meta.get("paragraph_numbers") is True,
        assets=images.used,
        warnings=[w for w in warnings if _in_module(w, folder, reading_path)],
    )


def _no_source() -> Source:
    return Source()


def _in_module(warning: Problem, folder: Path, reading: Path) -> bool:
    return warning.file == reading or str(warning.file).startswith(str(folder) + os.sep)


class _ImageFiles:
    """The images a reading shows, read from the folder of the reading (see text/images.py)."""

    def __init__(self, base: Path, root: Path, problems: list[Problem]) -> None:
        self.base, self.root, self.problems = base, root, problems
        self.used: list[Path] = []
        self.total = 0
        self.reading = base
        self.where: Path | None = None
        """The file the Markdown being checked is in (the reading when None)."""

    def __call__(self, src: str, line: int) -> bytes | None:
        where = self.where or self.base / "reading.md"
        if _WEB.match(src):
            self.problems.append(
                Problem(
                    where,
                    line,
                    f"image '{src}' is on the web, and a student's browser must not fetch it:"
                    " save it into the module folder and write its path, e.g."
                    " ![a map](images/map.png)",
                )
            )
            return None
        path = image_path(self.base, src)
        found = read_bytes(
            path, self.problems, what="image", root=self.root, limit=limits.IMAGE_BYTES
        )
        if found is None:
            return None
        if media_type(found) is None:
            self.problems.append(
                Problem(path, 1, "image is not a PNG, JPEG, GIF or WebP file: convert it")
            )
            return None
        self.total += len(found)
        if self.total > limits.IMAGES_BYTES:
            self.problems.append(
                Problem(
                    path,
                    1,
                    "the reading's images add up to more than"
                    f" {limits.describe(limits.IMAGES_BYTES)} (limit IMAGES_BYTES, see"
                    " lessons/README.md, Limits): make them smaller",
                )
            )
            return None
        if path not in self.used:
            self.used.append(path)
        return found


def _check_images(
    text: str, path: Path, offset: int, images: _ImageFiles, *, one_line: bool = False
) -> None:
    """Check the images of Markdown found in ``path`` from line ``offset + 1`` (a TOML string's
    lines are not the file's: ``one_line`` reports them all at its key's line)."""
    if not holds(text, "!["):  # how every image begins: most definitions and questions have none
        return
    images.where = path
    for src, line in image_refs(text):
        images(src, offset + (1 if one_line else line))
    images.where = None


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
    if key not in meta and not (folder / default).exists() and not (folder / default).is_symlink():
        return None
    return resolve(folder, meta.get(key), default, root, src, problems)
