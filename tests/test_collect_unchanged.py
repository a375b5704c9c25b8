"""Collecting again: a submission byte for byte as last collected, onto rows nobody changed
since, is not read again (reader_ext.store.collected); anything else is read and checked whole."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from reader_ext.course import collect as collect_module
from reader_ext.course import collect_read, submissions
from reader_ext.course.collect import CollectReport, collect
from reader_ext.course.submissions import Opened, Submitted
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.store.schema import submissions_seen_table
from tests.test_collect import class_notes, note, result, student_store, write


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The stores collect reads (decodes and checks), as ``student/store``."""
    seen: list[str] = []
    real = submissions.read_opened

    def read(opened: Opened, budget: Any = None, **kw: Any) -> Submitted:
        seen.append(f"{opened.copy.parent.name}:{opened.name}")
        return real(opened, budget, **kw)

    monkeypatch.setattr(collect_read, "read_opened", read)  # as collect calls it
    return seen


def counts(report: CollectReport) -> dict[str, int]:
    keys = ("added", "updated", "deleted", "unchanged", "skipped", "published_copies", "events")
    return {k: report.total(k) for k in keys}


def test_an_unchanged_class_is_not_read_again_and_reports_what_a_full_merge_would(
    subs: Path, into: Path, reads: list[str]
) -> None:
    write(student_store(subs, "ana"), "one", "two")
    write(student_store(subs, "ben"), "three")
    write(student_store(subs, "ben", "m2"), "four")
    first = collect(subs, into)
    assert len(reads) == 3
    reads.clear()
    again = collect(subs, into)
    assert reads == []
    assert counts(again) == {**dict.fromkeys(counts(first), 0), "unchanged": 4}
    assert [(s.student, s.status, s.stores) for s in again.students] == [
        ("ana", "collected", 1),
        ("ben", "collected", 2),
    ]
    assert len(class_notes(into)) == 4


def test_a_changed_byte_a_new_note_or_a_new_store_is_read_again(
    subs: Path, into: Path, reads: list[str]
) -> None:
    ana_path = student_store(subs, "ana")
    write(ana_path, "one")
    write(student_store(subs, "ben"), "two")
    collect(subs, into)
    reads.clear()
    write(ana_path, "three")  # a new note: the file's bytes change
    report = collect(subs, into)
    assert [r.split(":")[1] for r in reads] == ["m1/annotations.sqlite"]
    assert (result(report, "ana").added, result(report, "ben").unchanged) == (1, 1)
    reads.clear()
    write(student_store(subs, "ben", "m2"), "four")  # ben's old store is the same, a new one
    report = collect(subs, into)
    assert len(reads) == 2 and result(report, "ben").added == 1
    reads.clear()
    with closing(sqlite3.connect(ana_path)) as conn:  # a change that adds no row
        conn.execute("PRAGMA user_version = 7")
        conn.commit()
    report = collect(subs, into)
    assert len(reads) == 1 and result(report, "ana").unchanged == 2


def test_a_store_copied_from_a_recorded_classmate_is_read_and_refused(
    subs: Path, into: Path, reads: list[str]
) -> None:
    """The record is the student's own: another student's bytes, even byte for byte those of a
    recorded submission, are read and checked (and the copy refused, as always)."""
    write(student_store(subs, "ana"), "one", "two")
    collect(subs, into)
    reads.clear()
    shutil.copyfile(student_store(subs, "ana"), student_store(subs, "ben"))
    report = collect(subs, into)
    assert reads == ["1:m1/annotations.sqlite"]  # ben's, not ana's
    assert result(report, "ana").unchanged == 2
    assert result(report, "ben").added == 0 and result(report, "ben").skipped == 2
    assert {c for c, _ in class_notes(into).values()} == {"ana"}


def test_a_change_to_the_students_rows_in_the_class_store_reads_the_submission_again(
    subs: Path, into: Path, reads: list[str]
) -> None:
    """A deletion in the class store (by anyone) changes the student's rows: the submission is
    merged again, and restores its live note as it did before."""
    ids = write(student_store(subs, "ana"), "one", "two")
    collect(subs, into)
    with AnnotationStore(into) as store:
        store.delete(ids[0], user="ana")
    reads.clear()
    report = collect(subs, into)
    assert len(reads) == 1
    assert (result(report, "ana").updated, result(report, "ana").unchanged) == (1, 1)
    assert set(class_notes(into)) == set(ids)
    with AnnotationStore(into) as store:
        store.add(note("posted in class"), user="ana")  # a new row of hers, not submitted
    reads.clear()
    collect(subs, into)
    assert len(reads) == 1
    reads.clear()
    collect(subs, into)
    assert reads == []


def test_a_submission_with_problems_is_read_and_reported_every_time(
    subs: Path, into: Path, reads: list[str]
) -> None:
    path = student_store(subs, "ana")
    write(path, "one")
    write(path, "by someone else", user="mallory")
    write(path, "two")
    for _ in range(2):
        reads.clear()
        report = collect(subs, into)
        assert len(reads) == 1
        assert result(report, "ana").skipped == 1 and result(report, "ana").problems


def test_a_store_with_writes_in_its_wal_is_always_read(
    subs: Path, into: Path, reads: list[str]
) -> None:
    path = student_store(subs, "ana")
    write(path, "one")
    conn = sqlite3.connect(path)  # a kernel holding the store open, its last write in the -wal
    try:
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        conn.execute("UPDATE events SET key = 'sco'")
        conn.commit()
        assert path.with_name(path.name + "-wal").stat().st_size > 0
        for _ in range(2):
            reads.clear()
            report = collect(subs, into)
            assert len(reads) == 1 and result(report, "ana").status == "collected"
    finally:
        conn.close()


def test_an_unchanged_store_whose_author_joins_the_class_is_still_refused(
    subs: Path, into: Path, reads: list[str]
) -> None:
    """ben's store is written as 'carla'; once a student carla submits, ben's unchanged store is
    someone else's work and skipped whole, as a full read finds it."""
    write(student_store(subs, "ben"), "one", user="carla")
    assert result(collect(subs, into), "ben").added == 1
    write(student_store(subs, "carla"), "two", user="carla")
    reads.clear()
    report = collect(subs, into)
    assert reads == ["1:m1/annotations.sqlite"]  # carla's only
    ben = result(report, "ben")
    assert ben.status == "skipped" and "another student of this class" in str(ben.reason)
    assert report.total("unchanged") == 0


def test_the_clock_of_an_unchanged_store_moves_on(subs: Path, into: Path) -> None:
    write(student_store(subs, "ana"), "one")
    collect(subs, into)
    with AnnotationStore(into) as store, store.reading() as conn:
        (first,) = conn.execute(submissions_seen_table.select()).mappings().all()
    collect(subs, into)
    with AnnotationStore(into) as store, store.reading() as conn:
        (again,) = conn.execute(submissions_seen_table.select()).mappings().all()
    assert again["first_seen"] == first["first_seen"]
    assert again["last_seen"] > first["last_seen"]


def test_groups_cut_short_by_the_clock_still_merge_every_student_once(
    subs: Path, into: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A group of students ends after _COMMIT_SECONDS (here at once: one student a commit)."""
    monkeypatch.setattr(collect_module, "_COMMIT_SECONDS", 0.0)
    for name in ("ana", "ben", "carla"):
        write(student_store(subs, name), f"{name}'s note")
    report = collect(subs, into)
    assert [(s.student, s.added) for s in report.students] == [("ana", 1), ("ben", 1), ("carla", 1)]
    assert sorted(c for c, _ in class_notes(into).values()) == ["ana", "ben", "carla"]
    assert counts(collect(subs, into))["unchanged"] == 3
