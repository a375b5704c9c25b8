"""Choosing who sees a note in class mode: the choices offered, and the session's checks.

The choices come from the service's ``api/me`` (the course's visibilities, the reader's groups);
the session refuses any other, and outside class mode any at all. Through the real hub:
tests/hub/test_class_reader.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from reader_ext import load_lesson
from reader_ext.hub.config import ConfigError, config_from_dict
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.widget.class_client import audience_choices
from reader_ext.widget.session import ReaderSession
from tests.conftest import FIXTURES

ALL = ["private", "group", "class", "instructors"]


def me(**fields: Any) -> dict[str, Any]:
    return {"name": "ana", "role": "student", "groups": [], "visibilities": ALL,
            "default_visibility": "class"} | fields  # fmt: skip


def offered(**fields: Any) -> list[tuple[str, str | None, str, bool]]:
    return [
        (c["visibility"], c["group"], c["label"], c["default"])
        for c in audience_choices(me(**fields))
    ]


def test_a_student_in_one_group_gets_every_choice() -> None:
    assert offered(groups=["section-a"]) == [
        ("private", None, "Only me and the instructors", False),
        ("group", "section-a", "My group", False),
        ("class", None, "The class", True),
        ("instructors", None, "Private to the instructors (1:1)", False),
    ]


def test_only_what_the_course_and_the_groups_allow() -> None:
    # No group: no group choice. Several: one each, named.
    assert [c[0] for c in offered()] == ["private", "class", "instructors"]
    assert [c[2] for c in offered(groups=["section-a", "section-b"]) if c[0] == "group"] == [
        "My group: section-a",
        "My group: section-b",
    ]
    # A course allowing only private and group notes, group by default.
    narrow = offered(groups=["s1"], visibilities=["private", "group"], default_visibility="group")
    assert narrow == [("private", None, "Only me and the instructors", False),
                      ("group", "s1", "My group", True)]  # fmt: skip
    # The default is a group note but the student has no group: the narrowest choice.
    assert offered(visibilities=["private", "group"], default_visibility="group") == [
        ("private", None, "Only me and the instructors", True)
    ]
    # An instructor writes 1:1 from a student's thread, not from a new note.
    assert "instructors" not in [c[0] for c in offered(role="instructor")]


def test_the_course_config_names_its_visibilities() -> None:
    base = {"database": "x.sqlite", "course": "c"}
    assert config_from_dict(base).visibilities == tuple(ALL)
    config = config_from_dict(
        base | {"visibilities": ["class", "private"], "default_visibility": "private"}
    )
    assert config.visibilities == ("private", "class")
    with pytest.raises(ConfigError, match="'default_visibility' 'class' is not in 'visibilities'"):
        config_from_dict(base | {"visibilities": ["private"]})
    with pytest.raises(ConfigError, match="'visibilities' must be a list of some of"):
        config_from_dict(base | {"visibilities": ["everyone"]})


def test_the_session_sends_the_choices_and_refuses_others(tmp_path: Any) -> None:
    lesson = load_lesson(FIXTURES / "course-ok" / "m1")
    start = lesson.document.text.index("the")
    note = {"type": "create", "req": 1, "kind": "note", "start": start, "end": start + 3,
            "body": "mine", "tags": []}  # fmt: skip
    with AnnotationStore(tmp_path / "a.sqlite") as store:
        offline = ReaderSession(lesson, store, "ana")
        hello = offline.handle({"type": "hello"})
        assert hello["type"] == "snapshot" and hello["audiences"] == []
        refused = offline.handle(note | {"visibility": "class"})
        assert refused["type"] == "error" and "only in class mode" in refused["message"]

        choices = audience_choices(me(groups=["section-a"]))
        session = ReaderSession(lesson, store, "ana", audiences=choices)
        hello = session.handle({"type": "hello"})
        assert hello["type"] == "snapshot" and hello["audiences"] == choices
        for forged in ({"visibility": "group", "group": "section-b"}, {"visibility": "everyone"},
                       {"group": "section-a"}):  # fmt: skip
            answer = session.handle(note | forged)
            assert answer["type"] == "error" and "not one you can post to" in answer["message"]
        assert store.count() == 0
