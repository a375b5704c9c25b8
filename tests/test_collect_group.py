"""A group of students merged in one commit inserts its new rows together, in the order of their
ids, at the group's end: what each student's merge sees and writes is as if each had inserted
their own, and a group whose rows cannot be inserted together is merged again, student by
student, with nothing of the first attempt kept."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from reader_ext.course import collect_merge
from reader_ext.course.collect import collect
from reader_ext.store import rows
from reader_ext.store.annotation_store import AnnotationStore
from tests.test_collect import SHARED_USER, class_notes, note, result, student_store, write


def events(path: Path) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(path)) as conn:
        return sorted(conn.execute('SELECT "user", key FROM events'))


def failing_inserts(monkeypatch: pytest.MonkeyPatch, fails: Any) -> list[int]:
    """rows.insert_rows raising where ``fails(rows)`` says; the sizes of the calls made."""
    calls: list[int] = []
    insert = rows.insert_rows

    def insert_rows(conn: Any, values: Sequence[Any]) -> None:
        calls.append(len(values))
        if fails(values):
            raise sqlite3.OperationalError("disk I/O error (a test)")
        insert(conn, values)

    monkeypatch.setattr(rows, "insert_rows", insert_rows)
    return calls


def test_a_class_is_inserted_once_a_group_in_the_order_of_its_ids(
    subs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("ana", "ben", "carla"):
        write(student_store(subs, name), f"{name}'s note", f"{name}'s other note")
    calls = failing_inserts(monkeypatch, lambda values: False)
    into = tmp_path / "class.sqlite"
    report = collect(subs, into)
    assert calls == [6]  # one statement for the group
    assert [(s.student, s.added, s.events) for s in report.students] == [
        ("ana", 2, 1), ("ben", 2, 1), ("carla", 2, 1)
    ]  # fmt: skip
    with closing(sqlite3.connect(into)) as conn:
        seqs = [s for (s,) in conn.execute("SELECT seq FROM annotations ORDER BY seq")]
    assert seqs == list(range(seqs[0], seqs[0] + 6))  # one count of seq for the group


def test_a_group_whose_rows_cannot_be_inserted_together_is_merged_again_one_by_one(
    subs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("ana", "ben", "carla"):
        write(student_store(subs, name), f"{name}'s note")
    calls = failing_inserts(monkeypatch, lambda values: len(values) > 1)
    into = tmp_path / "class.sqlite"
    report = collect(subs, into)
    assert calls == [3, 1, 1, 1]
    assert [(s.student, s.status, s.added, s.events) for s in report.students] == [
        ("ana", "collected", 1, 1), ("ben", "collected", 1, 1), ("carla", "collected", 1, 1)
    ]  # fmt: skip
    assert sorted(c for c, _ in class_notes(into).values()) == ["ana", "ben", "carla"]
    assert events(into) == [("ana", "eaeu"), ("ben", "eaeu"), ("carla", "eaeu")]  # once each


def test_once_merged_one_by_one_a_student_whose_rows_fail_is_skipped_alone(
    subs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("ana", "ben", "carla"):
        write(student_store(subs, name), f"{name}'s note")
    failing_inserts(monkeypatch, lambda values: len(values) > 1 or values[0]["creator"] == "ben")
    into = tmp_path / "class.sqlite"
    report = collect(subs, into)
    ben = result(report, "ben")
    assert ben.status == "skipped"
    assert ben.reason is not None and "could not be merged" in ben.reason
    assert [result(report, n).added for n in ("ana", "carla")] == [1, 1]
    assert sorted(c for c, _ in class_notes(into).values()) == ["ana", "carla"]
    assert events(into) == [("ana", "eaeu"), ("carla", "eaeu")]  # nothing of ben's kept


def test_a_students_second_store_edits_and_deletes_what_the_first_adds(
    subs: Path, tmp_path: Path
) -> None:
    """Rows waiting to be inserted are changed where they wait: an edit and a deletion in a
    later store of the same student apply to what an earlier store added (as when each store's
    rows were inserted at once)."""
    first = student_store(subs, "ana", "m1")
    kept, gone = write(first, "to be edited", "to be deleted")
    second = student_store(subs, "ana", "m2")
    shutil.copyfile(first, second)
    with AnnotationStore(second) as store:
        body = [{"type": "TextualBody", "value": "edited", "purpose": "commenting"}]
        store.edit(kept, user=SHARED_USER, body=body)
        store.delete(gone, user=SHARED_USER)
    into = tmp_path / "class.sqlite"
    report = collect(subs, into)
    ana = result(report, "ana")
    assert (ana.added, ana.updated, ana.deleted) == (2, 1, 1), ana
    assert class_notes(into) == {kept: ("ana", "edited")}
    with closing(sqlite3.connect(into)) as conn:
        found = dict(conn.execute("SELECT id, deleted_at IS NOT NULL FROM annotations"))
    assert found == {kept: 0, gone: 1}


def test_a_group_ends_once_its_waiting_rows_are_as_many_as_it_may_hold(
    subs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(collect_merge, "WAITING_ROWS", 3)
    for name in ("ana", "ben", "carla"):
        write(student_store(subs, name), f"{name}'s note", f"{name}'s other note")
    calls = failing_inserts(monkeypatch, lambda values: False)
    report = collect(subs, tmp_path / "class.sqlite")
    assert calls == [4, 2]  # ana and ben (4 >= 3: the group ends), then carla
    assert [s.added for s in report.students] == [2, 2, 2]


def test_a_group_is_merged_without_the_write_lock_and_again_if_another_writer_came_first(
    subs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # While a group is merged (reading its snapshot, its writes waiting for its end), the class
    # store's write lock is free: a kernel saving a note does not wait. Its commit makes the
    # group's snapshot stale, so the group takes nothing from it: it is merged again, under the
    # lock, and the kernel's note and every student's work are all in the class store once.
    for name in ("ana", "ben", "carla"):
        write(student_store(subs, name), f"{name}'s note")
    into = tmp_path / "class.sqlite"
    with AnnotationStore(into) as store:
        store.add(note("the instructor's first note"), user="teacher")
    merged: list[str] = []
    real_merge = collect_merge.merge_student

    def merge_student(store: AnnotationStore, student: Any, *args: Any) -> None:
        merged.append(student.result.student)
        if len(merged) == 2:  # in the middle of the group, a kernel writes (busy timeout 0)
            with closing(sqlite3.connect(into, timeout=0)) as kernel:
                kernel.execute(
                    "INSERT INTO events (kind, user, source, key, at) VALUES ('gloss-open', "
                    "'teacher', 'urn:x', 'eaeu', '2026-01-01T00:00:00.000Z')"
                )
                kernel.commit()
        real_merge(store, student, *args)

    monkeypatch.setattr(collect_merge, "merge_student", merge_student)
    monkeypatch.setattr("reader_ext.course.collect.merge_student", merge_student)
    report = collect(subs, into)
    assert merged == ["ana", "ben", "carla", "ana", "ben", "carla"]  # the group, then again
    assert [(s.student, s.status, s.added, s.events) for s in report.students] == [
        ("ana", "collected", 1, 1), ("ben", "collected", 1, 1), ("carla", "collected", 1, 1)
    ]  # fmt: skip
    notes = sorted(text for _, text in class_notes(into).values())
    assert notes == ["ana's note", "ben's note", "carla's note", "the instructor's first note"]
    assert events(into) == [
        ("ana", "eaeu"), ("ben", "eaeu"), ("carla", "eaeu"), ("teacher", "eaeu")
    ]  # fmt: skip
