"""The records a loaded lesson is made of."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from reader_ext.errors import Problem
from reader_ext.text.document import Document

# Quotation marks, brackets and similar marks before a term: "“Tehran”" sorts under T.
_LEADING_MARKS = re.compile(r"^[\W_]+")


def term_sort_key(term: str) -> tuple[str, str]:
    """How glossary terms sort, wherever they are listed: by their first letter, whatever
    quotation marks or brackets come before it, without regard to case or accents."""
    bare = _LEADING_MARKS.sub("", term) or term
    plain = "".join(c for c in unicodedata.normalize("NFD", bare) if not unicodedata.combining(c))
    return plain.casefold(), term


@dataclass(slots=True)
class Source:
    """Where the reading comes from, as far as it can be established."""

    title: str | None = None
    author: str | None = None
    venue: str | None = None
    publisher: str | None = None
    place: str | None = None
    edition: str | None = None
    pages: str | None = None
    date: str | None = None
    circa: bool = False
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
    original_lang: str | None = None
    """The BCP 47 language tag of ``original`` (``"sa"``, ``"uk"``, ``"zh-Hant"``)."""
    transliteration: str | None = None
    as_of: str | None = None
    note: str | None = None
    sources: list[Link] = field(default_factory=list)
    case_sensitive: bool = False
    first: str | None = None  # "reading" or "section": gloss only the first occurrence


@dataclass(slots=True)
class Prompt:
    id: str
    quote: str
    question: str
    bloom: str
    kind: str
    occurrence: int | None = None  # which of several places the quote occurs, from 1
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
    sources: list[Source] = field(default_factory=list)
    """Every source or printing of the reading; ``source`` is the first (or an empty one)."""
    paragraph_numbers: bool = False
    assets: list[Path] = field(default_factory=list)
    """Files the lesson shows besides its text files (images), to be copied with it."""
    warnings: list[Problem] = field(default_factory=list)
    """What ``validate`` reports as ``file:line: warning: ...``; the lesson loads anyway."""

    def gloss(self, key: str) -> Gloss | None:
        return next((g for g in self.glossary if g.key == key), None)

    def prompt_number(self, prompt_id: str) -> int | None:
        """A prompt's number, from 1, in the order of its quote in the reading (the order of
        ``prompts``, which the loader sorts): the one numbering of the reader, the preview, the
        report and ``students.csv``. ``None`` for an id not in the lesson."""
        return next((n for n, p in enumerate(self.prompts, 1) if p.id == prompt_id), None)


@dataclass(slots=True)
class Course:
    id: str
    title: str
    summary: str
    path: Path
    modules: list[Lesson]
    warnings: list[Problem] = field(default_factory=list)
