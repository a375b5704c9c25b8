"""The instructor's reader in class mode, without a hub: the role decides the mode, the roster
gives the instructor's choices, and the session checks a 1:1 note and private feedback.
Through the real hub: tests/hub/test_class_instructor.py and test_class_instructor_browser.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from reader_ext.errors import MessageError
from reader_ext.widget.chosen import chosen_audience, reply_audience
from reader_ext.widget.class_client import ONE_STUDENT, audience_choices
from reader_ext.widget.protocol import RosterPayload, SectionPayload
from reader_ext.widget.reader import _class_role

ROSTER = RosterPayload(
    students=["ana", "ben", "cem"],
    groups=[
        SectionPayload(name="section-a", students=["ana", "ben"]),
        SectionPayload(name="section-b", students=["cem"]),
    ],
    complete=True,
)
PROF: dict[str, Any] = {
    "name": "prof",
    "role": "instructor",
    "groups": [],
    "visibilities": ["private", "group", "class", "instructors"],
    "default_visibility": "class",
}


def test_the_role_is_the_hubs() -> None:
    assert _class_role(None, "instructor", "n.") == ("instructor", "n.")
    assert _class_role("student", "instructor", "n.") == ("student", "n.")  # a preview
    mode, notice = _class_role("instructor", "student", "n.")
    assert mode == "student" and "Instructor mode is for the course's instructors" in notice
    assert _class_role(None, "student", "n.") == ("student", "n.")


def test_an_instructor_posts_to_each_group_or_one_student() -> None:
    choices = audience_choices(PROF, ROSTER)
    assert [(c["visibility"], c["group"], c["label"]) for c in choices] == [
        ("private", None, "Only me and the instructors"),
        ("group", "section-a", "Discussion group section-a"),
        ("group", "section-b", "Discussion group section-b"),
        ("class", None, "The class"),
        ("instructors", None, ONE_STUDENT),
    ]
    assert [c["label"] for c in audience_choices(PROF)] == [  # no roster: no 1:1, no groups
        "Only me and the instructors",
        "The class",
    ]
    one = {"visibility": "instructors"}
    assert chosen_audience(one | {"student": "cem"}, choices, ROSTER) == {
        "visibility": "instructors",
        "student": "cem",
    }
    with pytest.raises(MessageError, match="choose the student"):
        chosen_audience(one, choices, ROSTER)
    with pytest.raises(MessageError, match="'dee' is not a student"):
        chosen_audience(one | {"student": "dee"}, choices, ROSTER)
    partial = RosterPayload(students=[], groups=[], complete=False)  # the service checks it
    assert chosen_audience(one | {"student": "dee"}, choices, partial)["student"] == "dee"


def test_only_an_instructors_reply_is_private_feedback() -> None:
    feedback = {"visibility": "instructors"}
    assert reply_audience("reply", feedback, ROSTER) == {"visibility": "instructors"}
    assert reply_audience("reply", {}, None) == {}
    for kind, roster in (("reply", None), ("comment-reply", ROSTER)):
        with pytest.raises(MessageError, match="private feedback"):
            reply_audience(kind, feedback, roster)
    with pytest.raises(MessageError, match="private feedback"):
        reply_audience("reply", {"visibility": "class"}, ROSTER)
