"""The last check before a release is written: no instructor material, no annotations.

It does not trust how the release was made: every file of the staged release is read, and it is
refused if it holds an ``instructor`` folder, an annotation store, or any sentence of the
instructor's notes or guide (answers and rubrics) that students do not see anyway.

Sentences are compared after normalising both sides the same way (Unicode NFKC, case folded,
every run of whitespace one space, comment and quote markers at line starts removed), so a
sentence re-wrapped over two lines, pasted into a TOML ``#`` comment or a Markdown quote, or
JSON-escaped inside the notebook, is still found. A sentence also in what students are shown
anyway (the reading, a gloss, a prompt; not the intro, which the instructor writes) is no
secret; very short ones ("Yes.", "See above.") are ignored, since they would match everywhere.
"""

from __future__ import annotations

import contextlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from reader_ext.errors import ReleaseError
from reader_ext.lessons.model import Lesson
from reader_ext.widget.payload import lesson_payload

MIN_SECRET_CHARS = 20
"""A sentence shorter than this (after normalising) is not checked: too common to be a leak."""
MIN_SECRET_WORDS = 4
_SENTENCE_END = re.compile(r"(?<=[.!?;:…])\s+|\n\s*\n")
_LINE_MARKERS = re.compile(r"^[ \t]*(?:#+|//|>+|[-*+]\s|\d+[.)]\s)?[ \t]*", re.MULTILINE)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """``text`` as compared: NFKC, case folded, line markers removed, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = _LINE_MARKERS.sub("", text)
    return _SPACE.sub(" ", text).casefold().strip()


def sentences(text: str) -> Iterator[str]:
    """The normalised sentences of ``text`` that are long enough to be checked."""
    for part in _SENTENCE_END.split(unicodedata.normalize("NFKC", text)):
        sentence = normalise(part)
        if len(sentence) >= MIN_SECRET_CHARS and len(sentence.split()) >= MIN_SECRET_WORDS:
            yield sentence


def secrets(lesson: Lesson) -> set[str]:
    """The instructor's sentences for ``lesson`` that students must not find in a release."""
    material = lesson.instructor
    texts = [material.notes or ""]
    for entry in material.guide:
        texts += [entry.answer, *entry.rubric]
    payload = dict(lesson_payload(lesson))
    # The intro is the instructor's own writing for students, the likeliest place for a pasted
    # answer: it proves nothing public. The reading, glosses and prompts do.
    payload.pop("intro_html", None)
    public = normalise("\n".join([*_strings(payload), lesson.reading]))
    return {s for text in texts for s in sentences(text) if s not in public}


def check_clean(root: Path, lessons: Iterable[Lesson]) -> None:
    """Raise ReleaseError if the release at ``root`` holds instructor material or a store."""
    hidden = set().union(*(secrets(lesson) for lesson in lessons))
    for path in sorted(root.rglob("*")):
        if path.is_dir() and path.name == "instructor":
            msg = f"release holds an instructor folder: {path}"
            raise ReleaseError(msg)
        if path.suffix in {".sqlite", ".db"} or path.name.endswith(("-wal", "-shm")):
            msg = f"release holds an annotation store: {path}"
            raise ReleaseError(msg)
        if path.is_file():
            readable = _readable(path)  # once per file, not once per hidden sentence
            leaked = next((s for s in hidden if s in readable), None)
            if leaked:
                msg = f"instructor-only text found in {path}: {leaked[:60]!r}"
                raise ReleaseError(msg)


def _readable(path: Path) -> str:
    """The file's text normalised; for JSON (a notebook) its strings too, unescaped."""
    text = path.read_text(encoding="utf-8", errors="replace")
    found = [text]
    if path.suffix in {".ipynb", ".json", ".jsonld"}:
        with contextlib.suppress(ValueError):
            found += list(_strings(json.loads(text)))
    return "\n".join(normalise(t) for t in found)


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
