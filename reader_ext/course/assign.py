"""The student release: lesson sources and notebooks, with every instructor-only file left out.

Each released module is made self-contained (its reading, glossaries and comments copied in
beside ``module.toml``) so that it works on its own in nbgrader's ``source/<assignment>/``
layout as well as in ours; its ``uri`` is written out so that the students' annotations target
exactly the IRI the instructor's copy uses, and can be collected against it later.

Assigning again replaces only what assign wrote. It records the files it wrote in
:data:`MANIFEST_FILE` at the release root; on the next run it removes those of them it no longer
writes and overwrites the rest, and leaves every other file alone (a student's
``annotations.sqlite``, a ``published-annotations.jsonld``, the instructor's own additions). A
module folder it did not make that is not empty is refused, naming the files that would be
overwritten, unless ``force`` is given; even then only those files are replaced.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from reader_ext.course.nbgrader_config import CONFIG_MARK, CONFIG_TEXT
from reader_ext.course.notebook import build_notebook
from reader_ext.course.release_check import check_clean
from reader_ext.errors import ReleaseError
from reader_ext.files import write_text_atomically
from reader_ext.lessons.layout import COURSE_FILE, MODULE_FILE
from reader_ext.lessons.load import is_course, load_course, load_lesson
from reader_ext.lessons.model import Lesson
from reader_ext.lessons.tomlsrc import read_toml

MANIFEST_FILE = ".reader-ext-release.json"
"""At the release root: the files assign wrote, relative to it (what it may replace later)."""
NBGRADER_CONFIG = "nbgrader_config.py"


@dataclass(slots=True)
class Release:
    root: Path
    modules: list[Path] = field(default_factory=list)
    replaced: list[Path] = field(default_factory=list)
    """Files assign did not write that ``force`` let it overwrite."""
    notes: list[str] = field(default_factory=list)
    """What the instructor should know (e.g. an nbgrader config that needs two lines)."""


def assign(source: Path, out: Path, *, nbgrader: bool = False, force: bool = False) -> Release:
    """Write the student release of a course or module folder ``source`` into ``out``.

    With ``nbgrader``, ``out`` is the nbgrader course folder: each module becomes
    ``source/<module>/`` for ``nbgrader generate_assignment``, and a ``nbgrader_config.py``
    keeping annotation stores out of releases is written there if there is none.
    """
    if is_course(source):
        course = load_course(source)
        lessons, course_data = course.modules, _course_table(source)
    else:
        lessons, course_data = [load_lesson(source)], None
    base = out / "source" if nbgrader else out
    base.mkdir(parents=True, exist_ok=True)
    ours = _manifest(base)
    # Our own release root is a folder we make; nbgrader's source/ holds other assignments too.
    root_too = not nbgrader and not ours and any(base.iterdir())
    # Everything is written and checked in a staging folder first: a release that fails the
    # check, or would overwrite what is not ours, leaves the existing release exactly as it was.
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
        check_clean(staged.root, lessons)
        written = sorted(
            p.relative_to(staged.root).as_posix() for p in staged.root.rglob("*") if p.is_file()
        )
        replaced = _not_ours(base, written, ours, root_too=root_too, force=force)
        release = Release(base, replaced=replaced)
        _install(staged.root, base, written, ours)
        release.modules = [base / m.name for m in staged.modules]
    if nbgrader:
        release.notes += _nbgrader_config(out)
    return release


def _manifest(base: Path) -> set[str]:
    try:
        data = json.loads((base / MANIFEST_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return set()
    except (OSError, ValueError) as exc:
        msg = f"{base / MANIFEST_FILE}: unreadable ({exc}); remove it to release here anew"
        raise ReleaseError(msg) from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        msg = f"{base / MANIFEST_FILE}: not a list of files; remove it to release here anew"
        raise ReleaseError(msg)
    return set(files)


def _not_ours(
    base: Path, written: list[str], ours: set[str], *, root_too: bool, force: bool
) -> list[Path]:
    """Existing files that writing ``written`` would overwrite though assign never wrote them.

    Those, and a non-empty folder assign did not make (the release root itself if ``root_too``),
    are refused with a ReleaseError naming them unless ``force``.
    """
    strangers = [base / f for f in written if f not in ours and (base / f).exists()]
    # A file where a module folder goes.
    strangers += [base / top for top in {f.split("/", 1)[0] for f in written if "/" in f}
                  if (base / top).is_file()]  # fmt: skip
    folders = sorted({f.split("/", 1)[0] for f in written if "/" in f})
    foreign = [
        base / d
        for d in folders
        if (base / d).is_dir()
        and not any(o.startswith(f"{d}/") for o in ours)
        and any((base / d).iterdir())
    ]
    if root_too:
        foreign.insert(0, base)
    if (strangers or foreign) and not force:
        what = [f"the folder {d} (not made by reader-ext assign)" for d in foreign]
        what += [str(p) for p in sorted(set(strangers))]
        shown = "; ".join(what[:8]) + (f"; and {len(what) - 8} more" if len(what) > 8 else "")
        overwritten = (
            f"these files would be overwritten: {', '.join(str(p) for p in strangers[:8])}"
            if strangers
            else "no file would be overwritten"
        )
        msg = (
            f"{base} holds what reader-ext assign did not write: {shown}. Nothing was changed. "
            f"With --force, {overwritten}; no other file is ever removed"
        )
        raise ReleaseError(msg)
    return sorted(set(strangers))


def _install(staged: Path, base: Path, written: list[str], ours: set[str]) -> None:
    # Files assign wrote last time and no longer writes (a renamed glossary) are removed;
    # nothing else is.
    for name in sorted(ours - set(written)):
        old = base / name
        if old.is_file() and not old.is_symlink():
            old.unlink()
    for name in written:
        final = base / name
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.is_dir() and not final.is_symlink():
            msg = f"{final}: a folder where the release has a file; move it away"
            raise ReleaseError(msg)
        final.unlink(missing_ok=True)  # a symlink is replaced, never written through
        (staged / name).replace(final)
    manifest = {"written-by": "reader-ext assign", "files": written}
    write_text_atomically(base / MANIFEST_FILE, json.dumps(manifest, indent=1) + "\n")


def _nbgrader_config(course: Path) -> list[str]:
    config = course / NBGRADER_CONFIG
    if not config.exists():
        write_text_atomically(config, CONFIG_TEXT)
        return [f"{config}: written (keeps annotation stores out of nbgrader's releases)"]
    if CONFIG_MARK in config.read_text(encoding="utf-8", errors="replace"):
        return []
    return [
        f"{config} does not keep annotation stores out of releases; add these lines to it:\n"
        f"    from reader_ext.course.nbgrader_config import configure\n"
        f"    configure(get_config(), Path(__file__).parent)"
    ]


def _course_table(source: Path) -> dict[str, Any]:
    src = read_toml(source / COURSE_FILE, [], what="course file")
    return dict(src.data) if src else {}


def _write_module(lesson: Lesson, target: Path) -> None:
    target.mkdir(parents=True)
    src = read_toml(lesson.path / MODULE_FILE, [], what="module file")
    meta: dict[str, Any] = dict(src.data) if src else {}
    meta["uri"] = lesson.uri
    reading = lesson.path / str(meta.get("reading", "reading.md"))
    reading_dir = reading.parent
    meta["reading"] = _copy(reading, target, "reading.md")
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
    _copy_assets(lesson, reading_dir, target)
    (target / MODULE_FILE).write_text(tomli_w.dumps(meta), encoding="utf-8")


def _copy_assets(lesson: Lesson, reading_dir: Path, target: Path) -> None:
    """Copy the lesson's images (``Lesson.assets``, checked by the loader) into the release.

    An image keeps its path: the reading's relative to the reading (now ``reading.md`` beside
    ``module.toml``), the intro's, definitions' and questions' relative to the module folder.
    """
    for asset in lesson.assets:
        places = {
            rel
            for base in (reading_dir, lesson.path)
            if (rel := _relative(asset, base)) is not None
        }
        if not places:
            msg = (
                f"{asset}: an image of {lesson.path.name} outside its module folder and the"
                " reading's folder; move it into the module folder (e.g. images/) and write"
                " that path"
            )
            raise ReleaseError(msg)
        for rel in sorted(places):
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(asset, target / rel)


def _relative(path: Path, base: Path) -> Path | None:
    try:
        return path.resolve().relative_to(base.resolve())
    except ValueError:
        return None


def _copy(path: Path, target: Path, name: str) -> str:
    shutil.copyfile(path, target / name)
    return name
