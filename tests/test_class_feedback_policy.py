"""The instructor's rules of class mode, as pure functions: private feedback, what hides notes,
and the roster from the Hub's groups."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from reader_ext.annotations.audience import Audience, Reveal
from reader_ext.hub.config import config_from_dict
from reader_ext.hub.policy import Member, Viewer, audience_for, can_see, hidden_state
from reader_ext.hub.roster import roster_from_groups, roster_from_members

PROF = Member("prof", "instructor")
ANA = Member("ana", "student", frozenset({"section-a"}))
BEN = Member("ben", "student", frozenset({"section-a"}))
NOW = datetime(2026, 12, 1, 17, 0, tzinfo=timezone.utc)


def test_private_feedback_narrows_a_class_thread_to_its_student() -> None:
    note = Audience("ana", "student", "class")
    reply = audience_for(PROF, "instructors", thread=note)
    assert (reply.visibility, reply.student) == ("instructors", "ana")
    assert can_see(Viewer(ANA), reply) and not can_see(Viewer(BEN), reply)
    # ana's answer in it stays 1:1, whatever she asks for
    answer = audience_for(ANA, "class", thread=reply)
    assert (answer.visibility, answer.student) == ("instructors", "ana")
    assert not can_see(Viewer(BEN), answer)


def test_only_an_instructor_narrows_and_only_on_a_students_note() -> None:
    note = Audience("ana", "student", "class")
    assert audience_for(BEN, "instructors", thread=note).visibility == "class"
    with pytest.raises(ValueError, match="student's note"):
        audience_for(PROF, "instructors", thread=Audience("prof", "instructor", "class"))
    group = Audience("ana", "student", "group", group="section-a")
    assert audience_for(PROF, "class", thread=group).visibility == "group"  # no widening


def test_what_hides_classmates_notes_is_said_until_it_no_longer_does() -> None:
    reveal = Reveal(after_posts=2, at=NOW + timedelta(minutes=5))
    assert hidden_state(Viewer(ANA, own_posts=1, reveal=reveal, now=NOW)) == {
        "after_posts": 2,
        "own_posts": 1,
        "at": "2026-12-01T17:05:00+00:00",
    }
    assert hidden_state(Viewer(ANA, own_posts=2, reveal=reveal, now=NOW)) is None
    later = NOW + timedelta(minutes=6)
    assert hidden_state(Viewer(ANA, own_posts=0, reveal=reveal, now=later)) is None
    assert hidden_state(Viewer(PROF, reveal=reveal, now=NOW)) is None
    assert hidden_state(Viewer(ANA, now=NOW)) is None


def test_the_roster_comes_from_the_courses_hub_groups() -> None:
    config = config_from_dict({"database": "x.sqlite", "course": "c"})
    groups: list[dict[str, object]] = [
        {"name": "instructors", "users": ["prof"]},
        {"name": "students", "users": ["ana", "ben", "cem", "prof"]},
        {"name": "section-a", "users": ["ana", "ben", "someone-else"]},
        {"name": "section-b", "users": ["cem"]},
        {"name": "hub-admins", "users": ["root"]},
        {"name": "broken", "users": "not a list"},
    ]
    roster = roster_from_groups(config, groups)
    assert roster.complete and roster.students == ("ana", "ben", "cem")
    assert dict(roster.groups) == {"section-a": ("ana", "ben"), "section-b": ("cem",)}
    met = roster_from_members([ANA, PROF, Member("cem", "student", frozenset({"section-b"}))])
    assert not met.complete and met.students == ("ana", "cem")
    assert dict(met.groups) == {"section-a": ("ana",), "section-b": ("cem",)}
