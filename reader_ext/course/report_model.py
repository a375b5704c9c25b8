"""What a class report holds: its records and its few fixed names, apart from how it is made.

:mod:`reader_ext.course.report` computes these from a class store; :mod:`.report_html` and
``students.csv`` show them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reader_ext.course.heatmap import Heat
from reader_ext.lessons.model import Lesson

MAX_OPENS_PER_STUDENT = 10
"""At most this many opens of one gloss by one student count in its "times opened"."""

STRAY_SHOWN = 50
"""Answers to prompt ids the lesson does not have, shown at most: a renamed or removed prompt
leaves a few; a store written by hand can hold thousands, which must not make the report huge."""

GLOSS_OPEN = "gloss-open"
"""The event kind the reader records when a student opens a gloss."""
ALL_MODULES = "all"
STUDENT_COLUMNS = (
    "student",
    "module",
    "annotations",
    "highlights",
    "notes",
    "replies",
    "prompts_answered",
    "prompts",
    "answered_prompts",
    "words",
    "glosses_opened",
    "last_activity",
)


@dataclass(slots=True)
class StudentStats:
    """One row of ``students.csv``: a student in one module, or in all (``module == "all"``)."""

    student: str
    module: str
    highlights: int = 0
    notes: int = 0
    replies: int = 0
    prompts_answered: int = 0
    prompts: int = 0
    answered_prompts: str = ""
    """Which prompts, by number and id in text order: ``"1 (claim); 3 (nato)"`` (empty in the
    ``all`` rows, where numbers of different modules would mix)."""
    words: int = 0
    glosses_opened: int = 0
    last_activity: str = ""

    @property
    def annotations(self) -> int:
        """Highlights and notes: what a student marked in the text."""
        return self.highlights + self.notes

    def row(self) -> list[str | int]:
        return [getattr(self, c) for c in STUDENT_COLUMNS]


@dataclass(slots=True)
class Answer:
    student: str
    created: str
    text: str
    id: str = ""
    modified: str = ""
    html: str = ""
    """The answer's Markdown as sanitised HTML, no images (:func:`reader_ext.text.markup.
    render_note`): filled in by the report for the answers it shows."""


@dataclass(slots=True)
class GlossUse:
    key: str
    term: str
    opens: int
    students: int


@dataclass(slots=True)
class ModuleReport:
    uri: str
    name: str
    """The module folder's name (or a slug of the uri): used in file names."""
    title: str
    lesson: Lesson | None
    stats: list[StudentStats] = field(default_factory=list)
    heat: Heat | None = None
    png: bytes | None = None
    answers: dict[str, list[Answer]] = field(default_factory=dict)
    glosses: list[GlossUse] = field(default_factory=list)
    annotations: int = 0

    def stray_answers(self) -> list[tuple[str, Answer]]:
        """(prompt id, answer) of every answer to a prompt id the lesson does not have: by id,
        then as :attr:`answers` orders them. The report shows the first :data:`STRAY_SHOWN`."""
        known = {p.id for p in self.lesson.prompts} if self.lesson else set()
        stray = sorted(pid for pid in self.answers if pid not in known)
        return [(pid, a) for pid in stray for a in self.answers[pid]]

    def shown_answers(self) -> list[Answer]:
        """The answers ``report.html`` shows: every answer to the lesson's prompts, and the first
        :data:`STRAY_SHOWN` of :meth:`stray_answers`."""
        prompts = self.lesson.prompts if self.lesson else []
        shown = [a for p in prompts for a in self.answers.get(p.id, [])]
        return shown + [a for _, a in self.stray_answers()[:STRAY_SHOWN]]


@dataclass(slots=True)
class ClassReport:
    title: str
    store: Path
    students: list[str]
    totals: list[StudentStats]
    modules: list[ModuleReport]
    generated: str
    unknown: tuple[int, int] = (0, 0)
    """(annotations, events) on lessons that are not the course's (when lessons are given),
    or on no lesson at all."""


@dataclass(slots=True)
class ReportFiles:
    html: Path
    csv: Path
    heatmaps: list[Path]
