"""What a collect did, student by student, and its progress line (see
:mod:`reader_ext.course.collect`)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from reader_ext.store.engine import masked
from reader_ext.store.merge import MergeResult

__all__ = ["CollectReport", "StudentResult"]

# A hostile store can hold thousands of refused items: the summary shows the first few of each.
_SHOWN_PROBLEMS = 10
_COUNTS = ("added", "updated", "deleted", "unchanged", "skipped", "published_copies", "events")


@dataclass(slots=True)
class StudentResult:
    """What happened to one student's submission."""

    student: str
    status: Literal["collected", "skipped"] = "collected"
    reason: str | None = None
    stores: int = 0
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    skipped: int = 0
    """Annotations refused (bad shape, over a limit, claiming someone else)."""
    published_copies: int = 0
    events: int = 0
    """New events (e.g. gloss opens)."""
    problems: list[str] = field(default_factory=list)

    def add(self, merged: MergeResult, problems: Iterable[str]) -> None:
        """Count what merging one of the student's stores did."""
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + getattr(merged, name))
        self.problems.extend(problems)

    def line(self) -> str:
        if self.status == "skipped":
            return f"{self.student}: skipped — {self.reason}"
        counts = ", ".join(f"{getattr(self, k)} {k.replace('_', ' ')}" for k in _COUNTS)
        return f"{self.student}: collected from {self.stores} store(s) — {counts}"


@dataclass(slots=True)
class CollectReport:
    submissions: Path
    into: Path | str
    layout: Literal["ours", "nbgrader"]
    students: list[StudentResult] = field(default_factory=list)

    def total(self, what: str) -> int:
        if what not in _COUNTS:
            msg = f"what: one of {', '.join(_COUNTS)}, got {what!r}"
            raise ValueError(msg)
        return sum(int(getattr(s, what)) for s in self.students)

    @property
    def collected(self) -> list[StudentResult]:
        return [s for s in self.students if s.status == "collected"]

    @property
    def refused(self) -> list[StudentResult]:
        return [s for s in self.students if s.status == "skipped"]

    def summary(self) -> str:
        counts = ", ".join(f"{self.total(k)} {k.replace('_', ' ')}" for k in _COUNTS)
        lines = [
            f"collected {len(self.collected)} of {len(self.students)} submission(s) from "
            f"{self.submissions} ({self.layout} layout) into {masked(self.into)}: {counts}"
        ]
        for student in self.students:
            lines.append("  " + student.line())
            lines += [f"      {p}" for p in student.problems[:_SHOWN_PROBLEMS]]
            if len(student.problems) > _SHOWN_PROBLEMS:
                more = len(student.problems) - _SHOWN_PROBLEMS
                lines.append(f"      ... and {more} more problem(s)")
        return "\n".join(lines)


class Progress:
    """One self-rewriting stderr line; tqdm would be a dependency for this alone."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled, self.n = total, enabled and total > 0, 0

    def step(self, label: str) -> None:
        self.n += 1
        if self.enabled:
            sys.stderr.write(f"\rcollect: {label} {self.n}/{self.total} ")
            sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()
