"""The records a loaded lesson is made of."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reader_ext.errors import Problem
from reader_ext.text.document import Document


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


@dataclass(slots=True)
class Course:
    id: str
    title: str
    summary: str
    path: Path
    modules: list[Lesson]
    warnings: list[Problem] = field(default_factory=list)
