"""Every error the package raises, on one base class.

A caller that wants "anything reader-ext refused" catches :class:`ReaderExtError`; each subclass
says which layer refused and why, and its message names the file, field or id involved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


class ReaderExtError(Exception):
    """Base of every error reader-ext raises on purpose."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a lesson, located in a file (line 1 when no better line is known)."""

    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class LessonError(ReaderExtError, ValueError):
    """A lesson or course could not be loaded; ``problems`` lists every reason found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class AnnotationError(ReaderExtError, ValueError):
    """An annotation that does not have the documented shape; the message names the field."""


class AnnotationNotFoundError(AnnotationError):
    """No (live) annotation has this id."""


class NotYourAnnotationError(AnnotationError):
    """The user asked to change an annotation somebody else wrote (only its author may)."""


class StoreError(ReaderExtError):
    """The store cannot be used; the message names the file or database and what to do."""


class BatchStale(ReaderExtError):
    """A store batch begun without the write lock could not take it: another writer committed
    since the batch's snapshot. Not a :class:`StoreError`: nothing is wrong with the data; the
    batch is undone, and its caller does it again (:meth:`AnnotationStore.lock_batch`)."""


class MessageError(ReaderExtError, ValueError):
    """A message from the browser that is not of the documented shape."""


class ReleaseError(ReaderExtError):
    """A student release cannot be written safely; the message says what and where."""


class CollectError(ReaderExtError):
    """The collection as a whole cannot run (one bad submission is skipped, never this)."""


class ReportError(ReaderExtError):
    """The report cannot be made (no class store, no lessons folder where one was given)."""


class PublishError(ReaderExtError):
    """The class's annotations cannot be published into this release."""
