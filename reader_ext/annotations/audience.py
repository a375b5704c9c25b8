"""Who an annotation is for, in class mode: the records the class store keeps beside it.

The rules that use them — who may see, post, change or hide what — are
:mod:`reader_ext.hub.policy`'s; these are only the data, fixed when an annotation is posted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Visibility = Literal["private", "group", "class", "instructors"]
VISIBILITIES: tuple[Visibility, ...] = ("private", "group", "class", "instructors")
Role = Literal["instructor", "student"]


@dataclass(frozen=True, slots=True)
class Audience:
    """Who an annotation is for, fixed when it is posted (a reply copies its thread's)."""

    author: str
    author_role: Role
    visibility: Visibility
    group: str | None = None
    """The discussion group of a ``group`` annotation."""
    student: str | None = None
    """The student of an ``instructors`` thread (the author, or whom an instructor wrote to)."""
    hidden: bool = False


MAX_REVEAL_POSTS = 50
"""The most posts of their own a lesson may ask of a student before classmates' notes show."""


def reveal_posts_ok(after: object) -> bool:
    """Whether ``after`` is a *hide until posted* count: none, or a whole number from 1 to
    ``MAX_REVEAL_POSTS`` (0 would hide nothing; a bool is not a count)."""
    if after is None:
        return True
    return isinstance(after, int) and not isinstance(after, bool) and 1 <= after <= MAX_REVEAL_POSTS


@dataclass(frozen=True, slots=True)
class Reveal:
    """A lesson's *hide until posted* setting (``None`` and ``None``: nothing is hidden)."""

    after_posts: int | None = None
    at: datetime | None = None

    def revealed(self, own_posts: int, now: datetime) -> bool:
        if self.after_posts is None and self.at is None:
            return True
        if self.after_posts is not None and own_posts >= self.after_posts:
            return True
        return self.at is not None and now >= self.at
