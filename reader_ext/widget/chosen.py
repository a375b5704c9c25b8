"""Who a new annotation is for, as the browser chose it: checked against what was offered.

Class mode only. The reader offers the choices of :func:`reader_ext.widget.class_client.
audience_choices` (and, to an instructor, the students of the roster); a message from the
browser naming anything else is refused here with a message that says what may be chosen. The
class service checks every choice again (its rules are :mod:`reader_ext.hub.policy`'s).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reader_ext.errors import MessageError
from reader_ext.widget.protocol import AudienceChoice, RosterPayload


def chosen_audience(
    msg: Mapping[str, Any], audiences: list[AudienceChoice], roster: RosterPayload | None
) -> dict[str, str]:
    """The chosen ``visibility`` (and ``group``, or an instructor's ``student``), one of
    ``audiences``; none chosen: the course's default, which the service applies."""
    visibility, group = msg.get("visibility"), msg.get("group")
    if visibility is None and group is None:
        return {}
    if not audiences:
        raise MessageError("visibility: only in class mode (here notes stay in your file)")
    for choice in audiences:
        if choice["visibility"] == visibility and choice["group"] == group:
            if visibility == "instructors" and roster is not None:
                return {"visibility": visibility, "student": _student(msg, roster)}
            return {"visibility": visibility} | ({"group": group} if group else {})
    offered = ", ".join(c["label"] for c in audiences)
    raise MessageError(f"visibility: not one you can post to here (choose: {offered})")


def reply_audience(
    kind: str, msg: Mapping[str, Any], roster: RosterPayload | None
) -> dict[str, str]:
    """A reply takes its thread's audience; an instructor's (who has the ``roster``) may instead
    be private feedback, a 1:1 thread with the student whose note it answers (the service finds
    who)."""
    visibility = msg.get("visibility")
    if visibility is None:
        return {}
    if kind != "reply" or roster is None or visibility != "instructors":
        raise MessageError(
            "visibility: a reply goes to its thread's readers (only an instructor's reply "
            "to a student's note can be private feedback)"
        )
    return {"visibility": "instructors"}


def _student(msg: Mapping[str, Any], roster: RosterPayload) -> str:
    """The student an instructor's 1:1 note is for: one of the roster's."""
    student = msg.get("student")
    if not isinstance(student, str) or not student:
        raise MessageError("student: choose the student this 1:1 note is for")
    if roster["complete"] and student not in roster["students"]:
        raise MessageError(f"student: {student!r} is not a student in this course")
    return student
