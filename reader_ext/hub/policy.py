"""Who may see and change what in a class: the rules the class service enforces.

Pure functions over small records, no database and no network, so every rule is tested on its
own. The service calls :func:`can_see` for every annotation it sends — on a read, on catch-up
from a cursor and on every live push — and :func:`can_change` before every write; nothing a
student's kernel or browser says can widen them (design, decision 8).

Visibility is chosen when an annotation is posted and never widened afterwards:

- ``private``: the author, and the instructors. A course's instructors see everything in it
  (as in Perusall, and as the report, which reads the class database, must): the reader labels
  this choice "Only me and the instructors", so nobody is misled about who reads it.
- ``group``: the author's discussion group (a Hub group), and the instructors.
- ``class``: everyone in the course.
- ``instructors``: a 1:1 thread between one student and the instructors.

A reply takes its thread's audience: it is seen by exactly those who see the annotation it
answers (a reply in a 1:1 thread stays 1:1, a reply to a group note stays in the group). The
one exception narrows, never widens: an instructor may reply to a student's note as *private
feedback*, a 1:1 thread with that student (:func:`private_feedback`).

*Hide until posted*: a lesson may hide classmates' shared notes from a student until the student
has posted ``reveal_after`` notes of their own on it, or until ``reveal_at``. Instructors' notes
are never hidden (they guide the reading), and nobody's own notes are.

An instructor may *hide* an annotation: it is kept (for audit) and seen only by the instructors
and, marked as hidden, by its author.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from reader_ext.annotations.audience import VISIBILITIES, Audience, Reveal, Role, Visibility


@dataclass(frozen=True, slots=True)
class Member:
    """A person in the course, as the Hub says: name, role and discussion groups."""

    name: str
    role: Role
    groups: frozenset[str] = frozenset()

    @property
    def is_instructor(self) -> bool:
        return self.role == "instructor"


@dataclass(slots=True)
class Viewer:
    """A member reading one lesson: how many notes they have posted there decides reveal."""

    member: Member
    own_posts: int = 0
    reveal: Reveal = field(default_factory=Reveal)
    now: datetime = field(default_factory=lambda: _utc_now())


def audience_for(
    author: Member,
    visibility: Visibility,
    *,
    group: str | None = None,
    student: str | None = None,
    thread: Audience | None = None,
) -> Audience:
    """The audience of a new annotation by ``author``; raises ``ValueError`` when not allowed.

    ``thread`` is the audience of the annotation replied to, if this is a reply: the reply
    takes it whatever ``visibility`` asked for, after checking the author may see the thread.
    """
    if thread is not None:
        if not can_see(Viewer(author), thread):
            msg = "target: you cannot reply to an annotation you cannot see"
            raise ValueError(msg)
        if (
            visibility == "instructors"
            and author.is_instructor
            and thread.visibility != "instructors"
        ):
            return private_feedback(author, thread)
        return Audience(
            author.name,
            author.role,
            thread.visibility,
            group=thread.group,
            student=thread.student,
        )
    if visibility not in VISIBILITIES:
        msg = f"visibility: expected one of {', '.join(VISIBILITIES)}"
        raise ValueError(msg)
    if visibility == "group":
        if group is None and len(author.groups) == 1:
            group = next(iter(author.groups))
        if group is None or (group not in author.groups and not author.is_instructor):
            msg = (
                "visibility: you are not in that discussion group"
                if group
                else ("visibility: say which of your discussion groups to post to")
            )
            raise ValueError(msg)
        return Audience(author.name, author.role, "group", group=group)
    if visibility == "instructors":
        if author.is_instructor:
            if not student:
                msg = "student: an instructor's 1:1 note names the student it is for"
                raise ValueError(msg)
            return Audience(author.name, author.role, "instructors", student=student)
        return Audience(author.name, author.role, "instructors", student=author.name)
    return Audience(author.name, author.role, visibility)


def private_feedback(author: Member, thread: Audience) -> Audience:
    """An instructor's private reply to a student's note: a 1:1 thread with the note's author,
    narrower than the thread it answers (that student sees the note; nobody else the reply)."""
    if thread.author_role != "student":
        msg = "visibility: private feedback answers a student's note"
        raise ValueError(msg)
    return Audience(author.name, author.role, "instructors", student=thread.author)


def can_see(viewer: Viewer, audience: Audience) -> bool:
    """Whether ``viewer`` may receive an annotation with this audience, now."""
    me = viewer.member
    if audience.author == me.name or me.is_instructor:
        return True
    if audience.visibility == "private":
        return False
    if audience.hidden:
        return False
    if audience.visibility == "instructors":
        return audience.student == me.name
    if audience.visibility == "group" and audience.group not in me.groups:
        return False
    if audience.author_role == "instructor":
        return True
    return viewer.reveal.revealed(viewer.own_posts, viewer.now)


def hidden_state(viewer: Viewer) -> dict[str, int | str | None] | None:
    """What hides classmates' notes from ``viewer`` now (``None``: nothing does), for the
    reader to say so: the posts it takes, the posts made, the reveal time."""
    reveal = viewer.reveal
    if viewer.member.is_instructor or reveal.revealed(viewer.own_posts, viewer.now):
        return None
    return {
        "after_posts": reveal.after_posts,
        "own_posts": viewer.own_posts,
        "at": reveal.at.isoformat() if reveal.at else None,
    }


def sight(viewer: Viewer, names: frozenset[str]) -> Hashable:
    """What :func:`can_see` reads of ``viewer``, for audiences that name (as author or student)
    only people in ``names``: two viewers with the same sight see the same of those audiences.

    So a delivery asks :func:`can_see` once per sight, not once per reader. Change it with
    :func:`can_see`.
    """
    me = viewer.member
    return (
        me.name if me.name in names else None,
        me.is_instructor,
        me.groups,
        viewer.reveal.revealed(viewer.own_posts, viewer.now),
    )


def can_change(member: Member, audience: Audience) -> bool:
    """Edit, delete, restore: the author only (instructors hide, they do not rewrite)."""
    return audience.author == member.name


def can_hide(member: Member) -> bool:
    return member.is_instructor


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)
