"""Collecting submissions into a class store: attribution, idempotence, and bad submissions."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from reader_ext.annotations import limits
from reader_ext.annotations.shape import KEY_ORDER
from reader_ext.cli.course import collect_command
from reader_ext.course import collect as collect_module
from reader_ext.course import submissions
from reader_ext.course.collect import CollectReport, StudentResult, collect
from reader_ext.errors import CollectError, StoreError
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.store.merge import StoreTransaction
from reader_ext.store.schema import SCHEMA_VERSION
from reader_ext.store.untrusted import SubmittedContents

LESSON = "urn:reader-ext:course:module"
SHARED_USER = "jovyan"


def note(text: str, exact: str = "the passage") -> dict[str, Any]:
    return {
        "motivation": "commenting",
        "body": [{"type": "TextualBody", "value": text, "purpose": "commenting"}],
        "target": {"source": LESSON, "selector": [{"type": "TextQuoteSelector", "exact": exact}]},
    }


def student_store(root: Path, student: str, module: str | None = "m1") -> Path:
    folder = root / student / module if module else root / student
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "annotations.sqlite"


def write(path: Path, *texts: str, user: str = SHARED_USER) -> list[str]:
    with AnnotationStore(path) as store:
        ids = [store.add(note(t), user=user)["id"] for t in texts]
        store.record_event("gloss-open", user=user, source=LESSON, key="eaeu")
    return ids


def result(report: CollectReport, student: str) -> StudentResult:
    return next(s for s in report.students if s.student == student)


def class_notes(store_path: Path) -> dict[str, tuple[str, str]]:
    """id -> (creator, note text) of the live annotations."""
    with AnnotationStore(store_path) as store:
        return {a["id"]: (a["creator"]["nickname"], a["body"][0]["value"]) for a in store.list()}


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_annotations_and_events_are_attributed_to_the_submission_folder(
    subs: Path, into: Path
) -> None:
    ana = write(student_store(subs, "ana"), "one", "two")
    ben = write(student_store(subs, "ben"), "three")
    report = collect(subs, into)
    assert [s.status for s in report.students] == ["collected", "collected"]
    assert (report.total("added"), report.total("events")) == (3, 2)
    notes = class_notes(into)
    assert {notes[i][0] for i in ana} == {"ana"} and {notes[i][0] for i in ben} == {"ben"}
    with AnnotationStore(into) as store:
        assert sorted(e["user"] for e in store.events("gloss-open")) == ["ana", "ben"]
        stored = store.get(ana[0])
    assert stored is not None
    assert stored["creator"] == {
        "id": "urn:reader-ext:user:ana",
        "type": "Person",
        "nickname": "ana",
    }
    assert list(stored) == [k for k in KEY_ORDER if k in stored]  # stored in the one order
    assert "collected 2 of 2 submission(s)" in report.summary()


def test_collecting_again_changes_nothing(subs: Path, into: Path) -> None:
    write(student_store(subs, "ana"), "one", "two")
    collect(subs, into)
    again = collect(subs, into)
    assert again.total("unchanged") == 2
    assert sum(again.total(k) for k in ("added", "updated", "deleted", "events")) == 0
    with AnnotationStore(into) as store:
        assert len(store.events()) == 1


def test_a_late_submission_adds_only_what_is_new(subs: Path, into: Path) -> None:
    write(student_store(subs, "ana"), "one")
    collect(subs, into)
    write(student_store(subs, "zoe"), "late")
    report = collect(subs, into)
    assert (result(report, "ana").unchanged, result(report, "ana").added) == (1, 0)
    assert (result(report, "zoe").added, result(report, "zoe").events) == (1, 1)


def test_edits_deletions_and_restores_are_followed(subs: Path, into: Path) -> None:
    path = student_store(subs, "ana")
    first, second = write(path, "one", "two")
    collect(subs, into)
    with AnnotationStore(path) as store:
        store.edit(first, user=SHARED_USER, body=note("one, edited")["body"])
        store.delete(second, user=SHARED_USER)
    report = collect(subs, into)
    assert (report.total("updated"), report.total("deleted")) == (1, 1)
    assert class_notes(into) == {first: ("ana", "one, edited")}
    with AnnotationStore(into) as store:
        assert store.get(second, include_deleted=True) is not None  # soft: kept for audit
    with AnnotationStore(path) as store:
        store.restore(second, user=SHARED_USER)
    assert collect(subs, into).total("updated") == 1
    assert set(class_notes(into)) == {first, second}


def test_nbgrader_layout_given_as_parent_or_as_submitted(tmp_path: Path) -> None:
    course = tmp_path / "course"
    write(student_store(course / "submitted", "s001", "01-reading"), "one")
    report = collect(course, tmp_path / "a.sqlite")
    assert (report.layout, report.total("added")) == ("nbgrader", 1)
    report = collect(course / "submitted", tmp_path / "b.sqlite")
    assert (report.layout, report.total("added")) == ("nbgrader", 1)


def test_a_store_directly_in_the_student_folder(subs: Path, into: Path) -> None:
    write(student_store(subs, "ana", module=None), "one")
    assert collect(subs, into).total("added") == 1


def test_the_store_of_a_running_kernel_is_read_with_its_wal_and_left_unchanged(
    subs: Path, into: Path
) -> None:
    path = student_store(subs, "ana")
    with AnnotationStore(path) as open_store:
        open_store.add(note("still in the WAL"), user=SHARED_USER)
        assert Path(str(path) + "-wal").stat().st_size > 0
        before = digest(subs)
        report = collect(subs, into)
        assert digest(subs) == before
    assert report.total("added") == 1
    assert list(class_notes(into).values()) == [("ana", "still in the WAL")]


def test_a_closed_store_is_read_in_memory_and_a_live_wal_from_a_copy(
    subs: Path, into: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No private copy on disk for a store whose -wal is absent or empty (opening a store in
    # place leaves an empty one); a store with writes in its -wal is copied, both files.
    write(student_store(subs, "ana"), "closed")
    Path(str(student_store(subs, "ana")) + "-wal").write_bytes(b"")
    copied: list[str] = []
    real_copy = shutil.copyfile

    def copyfile(src: Path, dst: Path) -> object:
        copied.append(Path(src).name)
        return real_copy(src, dst)

    monkeypatch.setattr(shutil, "copyfile", copyfile)
    assert collect(subs, into).total("added") == 1 and copied == []
    path = student_store(subs, "bob")
    with AnnotationStore(path) as open_store:
        open_store.add(note("in the WAL"), user=SHARED_USER)
        report = collect(subs, into)
    assert result(report, "bob").added == 1
    assert copied == ["annotations.sqlite", "annotations.sqlite-wal"]


def test_past_the_memory_bound_a_store_is_read_again_and_merged_only_if_unchanged(
    subs: Path, into: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What reading found is let go past HELD_ANNOTATIONS, and the store's bytes too: the merge
    # reads the submitted file again (no private copy is written) and takes it only if its bytes
    # are the ones read and checked (their SHA-256).
    write(student_store(subs, "ana"), "one", "two")
    write(student_store(subs, "bob"), "three")
    write(student_store(subs, "cy"), "four")
    monkeypatch.setattr(collect_module, "HELD_ANNOTATIONS", 0)
    monkeypatch.setattr(collect_module, "PACKED_CHARS", 0)
    read: list[Path] = []
    real_read, real_copy = submissions.read_image, submissions.contents
    copies: list[Path] = []

    def read_image(path: Path) -> bytes:
        read.append(path)
        return real_read(path)

    def contents(copy: Path, budget: object = None, **kw: Any) -> object:
        copies.append(copy)
        return real_copy(copy, budget, **kw)  # type: ignore[arg-type]

    real_attribute = collect_module._attribute

    def attribute(student: object, holders: object, known: object) -> None:
        # Between reading and merging, bob's store changes (a kernel still writing to it).
        if not changed:
            changed.append(True)
            with AnnotationStore(student_store(subs, "bob")) as store:
                store.add(note("written meanwhile"), user=SHARED_USER)
        real_attribute(student, holders, known)  # type: ignore[arg-type]

    changed: list[bool] = []
    monkeypatch.setattr(submissions, "read_image", read_image)
    monkeypatch.setattr(submissions, "contents", contents)
    monkeypatch.setattr(collect_module, "_attribute", attribute)
    report = collect(subs, into)
    assert (result(report, "ana").added, result(report, "cy").added) == (2, 1)
    bob = result(report, "bob")
    assert bob.status == "skipped" and bob.added == 0
    assert "m1/annotations.sqlite: changed while the class was being collected" in str(bob.reason)
    assert "nothing of it was kept" in str(bob.reason)
    assert copies == [] and read.count(student_store(subs, "ana").resolve()) == 2
    assert sorted(text for _, text in class_notes(into).values()) == ["four", "one", "two"]
    monkeypatch.setattr(collect_module, "_attribute", real_attribute)
    assert result(collect(subs, into), "bob").added == 2  # collected again: all of it


def test_what_was_read_is_held_decoded_then_as_text_and_merged_the_same(
    subs: Path, into: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What is read is held for the merge as the one pass decoded it (Vouched); past
    # HELD_ANNOTATIONS, as the JSON text it was read from, decoded again for the merge; past
    # that too, not at all (the store is read again). Either way the class store gets the same.
    write(student_store(subs, "ana"), "one", "two")
    write(student_store(subs, "bob"), "three", "four")
    ids = write(student_store(subs, "cy"), "five", "six")
    # One row of cy's in a form the one-pass decoder does not vouch for (a single body object,
    # which the full check accepts and puts in a list): held as its decoded object.
    with closing(sqlite3.connect(student_store(subs, "cy"))) as conn:
        (text,) = conn.execute("SELECT json FROM annotations WHERE id = ?", [ids[0]]).fetchone()
        item = json.loads(text)
        item["body"] = item["body"][0]
        conn.execute("UPDATE annotations SET json = ? WHERE id = ?", [json.dumps(item), ids[0]])
        conn.commit()
    forms: list[tuple[str, int]] = []
    real_unpacked = SubmittedContents.unpacked

    def unpacked(self: SubmittedContents) -> SubmittedContents:
        if self.packed is not None:
            forms.append((self.form, len(self.packed)))
        return real_unpacked(self)

    monkeypatch.setattr(SubmittedContents, "unpacked", unpacked)
    whole = tmp_path / "held-decoded.sqlite"
    collect(subs, whole)
    assert forms == [("vouched", 2)] * 3
    forms.clear()
    monkeypatch.setattr(collect_module, "HELD_ANNOTATIONS", 1)
    read: list[Path] = []
    real_read = submissions.read_image

    def read_image(path: Path) -> bytes:
        read.append(path)
        return real_read(path)

    monkeypatch.setattr(submissions, "read_image", read_image)
    report = collect(subs, into)
    # ana's two fill the first bound (she is let go and read again); bob and cy are texts.
    assert forms == [("text", 2), ("text", 2)]
    assert read.count(student_store(subs, "ana").resolve()) == 2
    assert read.count(student_store(subs, "bob").resolve()) == 1
    assert [result(report, s).added for s in ("ana", "bob", "cy")] == [2, 2, 2]
    assert class_notes(into) == class_notes(whole)
    assert class_notes(into)[ids[0]] == ("cy", "five")


def test_submissions_are_never_modified(subs: Path, into: Path) -> None:
    write(student_store(subs, "ana"), "one")
    (subs / "bad" / "m1").mkdir(parents=True)
    (subs / "bad" / "m1" / "annotations.sqlite").write_bytes(b"not a database")
    before = digest(subs)
    collect(subs, into)
    collect(subs, into)
    assert digest(subs) == before
    assert sorted(p.name for p in (subs / "ana" / "m1").iterdir()) == ["annotations.sqlite"]


def foreign(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER)")
        conn.commit()


def newer(path: Path) -> None:
    write(path, "from the future")
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.commit()


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p.write_bytes(b"\x00garbage" * 100), "not an SQLite database"),
        (lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\xff" * 600), "cannot be read"),
        (foreign, "another program"),
        (newer, "newer reader-ext"),
        (lambda p: p.write_bytes(b""), "empty"),
        (lambda p: p.mkdir(), "not a regular file"),
    ],
    ids=["not-sqlite", "corrupt", "foreign", "newer-schema", "zero-bytes", "a-folder"],
)
def test_a_bad_store_is_reported_and_the_others_are_collected(
    subs: Path, into: Path, make: Any, reason: str
) -> None:
    write(student_store(subs, "ana"), "one")
    collect(subs, into)
    make(student_store(subs, "bad"))
    write(student_store(subs, "zoe"), "two")
    report = collect(subs, into)
    bad = result(report, "bad")
    assert bad.status == "skipped" and reason in str(bad.reason), bad.reason
    assert (result(report, "zoe").added, result(report, "ana").unchanged) == (1, 1)
    assert sorted(c for c, _ in class_notes(into).values()) == ["ana", "zoe"]


def test_missing_and_empty_submissions_are_reported(subs: Path, into: Path) -> None:
    (subs / "empty").mkdir()
    (subs / "nostore" / "m1").mkdir(parents=True)
    (subs / "stray.txt").write_text("not a folder")
    (subs / ".ipynb_checkpoints").mkdir()
    report = collect(subs, into)
    reasons = {s.student: s.reason for s in report.students}
    assert set(reasons) == {"empty", "nostore", "stray.txt"}
    assert "empty" in str(reasons["empty"])
    assert "no annotations.sqlite" in str(reasons["nostore"])
    assert "not a folder" in str(reasons["stray.txt"])
    with pytest.raises(CollectError, match="no such folder"):
        collect(subs / "missing", into)


def test_a_good_store_beside_a_bad_one_is_still_collected(subs: Path, into: Path) -> None:
    write(student_store(subs, "ana", "m1"), "one")
    student_store(subs, "ana", "m2").write_bytes(b"garbage")
    ana = result(collect(subs, into), "ana")
    assert (ana.status, ana.added) == ("collected", 1)
    assert ana.problems == ["m2/annotations.sqlite: skipped — is not an annotation store "
                            "(not an SQLite database)"]  # fmt: skip


def test_an_annotation_over_the_limits_is_skipped_alone(subs: Path, into: Path) -> None:
    path = student_store(subs, "ana")
    small, big = write(path, "fine", "soon too big")
    creator = {"id": "urn:reader-ext:user:jovyan", "type": "Person", "nickname": SHARED_USER}
    huge = json.dumps(note("x" * (limits.MAX_BODY_CHARS + 1)) | {"id": big, "creator": creator})
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE annotations SET json = ? WHERE id = ?", (huge, big))
        conn.commit()
    ana = result(collect(subs, into), "ana")
    assert (ana.added, ana.skipped) == (1, 1)
    assert "over the limit" in ana.problems[0]
    assert list(class_notes(into)) == [small]


def test_a_damaged_row_is_skipped_alone_and_named(subs: Path, into: Path) -> None:
    path = student_store(subs, "ana")
    good, bad = write(path, "fine", "damaged")
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE annotations SET json = '{not json' WHERE id = ?", (bad,))
        conn.commit()
    ana = result(collect(subs, into), "ana")
    assert (ana.status, ana.added, ana.skipped) == ("collected", 1, 1)
    assert ana.problems == [
        f"m1/annotations.sqlite: annotation {bad} is not readable JSON; skipped"
    ]
    assert list(class_notes(into)) == [good]


def test_a_store_with_only_damaged_rows_is_skipped(subs: Path, into: Path) -> None:
    path = student_store(subs, "ana")
    write(path, "fine")
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE annotations SET json = '[]'")
        conn.commit()
    ana = result(collect(subs, into), "ana")
    assert ana.status == "skipped" and "not an object" in str(ana.reason)


def test_links_out_of_the_submissions_are_refused(tmp_path: Path, subs: Path, into: Path) -> None:
    outside = tmp_path / "outside"
    write(student_store(outside, "secret"), "private")
    (subs / "linked").symlink_to(outside / "secret")
    (subs / "storelink" / "m1").mkdir(parents=True)
    (subs / "storelink" / "m1" / "annotations.sqlite").symlink_to(
        outside / "secret" / "m1" / "annotations.sqlite"
    )
    (subs / "dangling" / "m1").mkdir(parents=True)
    (subs / "dangling" / "m1" / "annotations.sqlite").symlink_to(tmp_path / "nothing")
    report = collect(subs, into)
    assert all(s.status == "skipped" for s in report.students)
    assert "outside the submissions folder" in str(result(report, "linked").reason)
    assert "outside the student's folder" in str(result(report, "storelink").reason)
    assert "outside the student's folder" in str(result(report, "dangling").reason)
    assert class_notes(into) == {}


def test_links_anywhere_below_a_student_folder_are_followed_and_checked(
    tmp_path: Path, subs: Path, into: Path
) -> None:
    """Each part below a student's folder is looked at (not the whole path resolved each time):
    a module folder or a -wal that is a link is followed, refused if it leaves the folder,
    taken if it stays inside; a module folder that is a link loop is no module."""
    outside = tmp_path / "outside"
    write(student_store(outside, "secret"), "private")
    (subs / "modlink").mkdir(parents=True)
    (subs / "modlink" / "m1").symlink_to(outside / "secret" / "m1")
    wal_store = student_store(subs, "wallink")
    write(wal_store, "mine", user="wallink")
    (outside / "w").write_bytes(b"x" * 4096)
    wal_store.with_name("annotations.sqlite-wal").unlink(missing_ok=True)
    wal_store.with_name("annotations.sqlite-wal").symlink_to(outside / "w")
    inside = student_store(subs, "inside", "real")
    (ident,) = write(inside, "kept", user="inside")
    (subs / "inside" / "m2").symlink_to(subs / "inside" / "real")
    looped = student_store(subs, "looped")
    (looped_id,) = write(looped, "looped", user="looped")
    (subs / "looped" / "loop").symlink_to(subs / "looped" / "loop")
    report = collect(subs, into)
    assert "outside the student's folder" in str(result(report, "modlink").reason)
    assert "outside the student's folder" in str(result(report, "wallink").reason)
    # The same store twice (m2 is a link to real): read from both names, the one store's notes.
    inside_result = result(report, "inside")
    assert inside_result.status == "collected" and inside_result.stores == 2
    looped_result = result(report, "looped")
    assert looped_result.status == "collected" and looped_result.stores == 1
    assert set(class_notes(into)) == {ident, looped_id}


def test_an_oversized_file_is_refused_before_it_is_copied(
    subs: Path, into: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(student_store(subs, "ana"), "one")
    monkeypatch.setattr(limits, "MAX_IMPORT_FILE_BYTES", 1024)
    ana = result(collect(subs, into), "ana")
    assert ana.status == "skipped" and "over the limit" in str(ana.reason)


def test_an_unreadable_file_is_reported(
    subs: Path, into: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(student_store(subs, "ana"), "one")

    def denied(src: Path, dst: Path) -> None:
        raise PermissionError(13, "Permission denied", str(src))

    def denied_image(src: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(src))

    monkeypatch.setattr(shutil, "copyfile", denied)  # a store with a -wal is copied
    monkeypatch.setattr(submissions, "read_image", denied_image)  # one without is read in memory
    ana = result(collect(subs, into), "ana")
    assert ana.status == "skipped" and "no permission to read" in str(ana.reason)
    assert "annotations.sqlite" in str(ana.reason) and "read access" in str(ana.reason)


def test_a_store_by_another_student_is_refused_whole(subs: Path, into: Path) -> None:
    write(student_store(subs, "ana"), "mine", user="ana")
    write(student_store(subs, "eve"), "pretending", "to be ana", user="ana")
    report = collect(subs, into)
    eve = result(report, "eve")
    assert eve.status == "skipped" and "'ana', another student" in str(eve.reason)
    assert [c for c, _ in class_notes(into).values()] == ["ana"]


def test_annotations_by_a_second_author_are_skipped_and_reported(subs: Path, into: Path) -> None:
    path = student_store(subs, "ana")
    mine = write(path, "one", "two")
    write(path, "slipped in", user="mallory")
    ana = result(collect(subs, into), "ana")
    assert (ana.added, ana.skipped) == (2, 1)
    assert "is by 'mallory'" in ana.problems[0]
    assert sorted(class_notes(into)) == sorted(mine)


def test_one_id_in_two_submissions_is_credited_to_neither(subs: Path, into: Path) -> None:
    own = write(student_store(subs, "ana"), "one")
    shutil.copytree(subs / "ana", subs / "bob")
    write(student_store(subs, "bob"), "bob's own")
    report = collect(subs, into)
    assert result(report, "ana").skipped == 1 and result(report, "bob").skipped == 1
    assert "also submitted by bob" in result(report, "ana").problems[0]
    assert [c for c, _ in class_notes(into).values()] == ["bob"]
    assert own[0] not in class_notes(into)


def test_published_copies_are_skipped_silently(subs: Path, into: Path) -> None:
    write(student_store(subs, "ana"), "ana's note")
    bob = student_store(subs, "bob")
    write(bob, "bob's note")
    collect(subs, into)
    with AnnotationStore(into) as store:
        published = store.list()
    with AnnotationStore(bob) as store:  # what the reader does with the published file
        # bob's own note is already there (under his local name): only ana's is added.
        assert store.import_annotations(published).added == 1
    report = collect(subs, into)
    bob_result = result(report, "bob")
    assert (bob_result.published_copies, bob_result.skipped, bob_result.problems) == (1, 0, [])
    assert bob_result.unchanged == 1
    assert sorted(c for c, _ in class_notes(into).values()) == ["ana", "bob"]


def test_a_failed_merge_rolls_back_that_student_only(
    subs: Path, into: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(student_store(subs, "ana"), "one")
    write(student_store(subs, "bob"), "two", "three")
    real = StoreTransaction.import_events

    def flaky(tx: StoreTransaction, events: Any, *, user: str, **kw: Any) -> Any:
        if user == "bob":  # after bob's annotations were merged, in the same transaction
            raise OperationalError("INSERT INTO events", {}, Exception("disk I/O error"))
        return real(tx, events, user=user, **kw)

    monkeypatch.setattr(StoreTransaction, "import_events", flaky)
    report = collect(subs, into)
    assert result(report, "bob").status == "skipped"
    assert "disk I/O error" in str(result(report, "bob").reason)
    assert "nothing of it was kept" in str(result(report, "bob").reason)
    assert [c for c, _ in class_notes(into).values()] == ["ana"]
    with AnnotationStore(into) as store:
        assert [e["user"] for e in store.events()] == ["ana"]


def test_the_class_store_may_not_live_in_the_submissions(subs: Path) -> None:
    with pytest.raises(CollectError, match="must not be inside"):
        collect(subs, subs / "class.sqlite")


def test_progress_is_shown_when_asked(
    subs: Path, into: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(student_store(subs, "ana"), "one")
    collect(subs, into, progress=True)
    assert "merging 2/2" in capsys.readouterr().err
    collect(subs, into)  # stderr is not a terminal under pytest
    assert capsys.readouterr().err == ""


def test_the_command_prints_the_summary(
    subs: Path, into: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(student_store(subs, "ana"), "one")
    (subs / "empty").mkdir()
    assert collect_command(subs, into, progress=False) == 0
    out = capsys.readouterr().out
    assert "ana: collected from 1 store(s) — 1 added" in out
    assert "empty: skipped — the folder is empty" in out
    assert collect_command(subs / "missing", into) == 1
    assert "no such folder" in capsys.readouterr().err


def test_own_annotations_handed_back_under_the_class_id_are_not_doubled(
    subs: Path, into: Path
) -> None:
    bob = student_store(subs, "bob")
    write(bob, "bob's note")
    collect(subs, into)
    with AnnotationStore(into) as store:
        published = store.list()
    bob.unlink()  # a fresh store: the reader imports the published file into it
    with AnnotationStore(bob) as store:
        assert store.import_annotations(published).added == 1
        store.add(note("written after"), user=SHARED_USER)
    report = result(collect(subs, into), "bob")
    assert (report.added, report.published_copies, report.problems) == (1, 1, [])


def test_an_id_taken_from_another_students_annotation_is_refused(subs: Path, into: Path) -> None:
    (taken,) = write(student_store(subs, "ana"), "ana's")
    collect(subs, into)
    with AnnotationStore(student_store(subs, "eve")) as store:
        store.add(note("overwrite ana") | {"id": taken}, user=SHARED_USER)
        store.add(note("eve's own"), user=SHARED_USER)
    eve = result(collect(subs, into), "eve")
    assert (eve.added, eve.skipped) == (1, 1)
    assert "has the id of 'ana'" in eve.problems[0]
    assert class_notes(into)[taken] == ("ana", "ana's")


def test_a_store_file_is_read_whole_up_to_the_limit_even_if_it_grows_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "annotations.sqlite"
    monkeypatch.setattr(limits, "MAX_IMPORT_FILE_BYTES", 1024)
    for size in (0, 1, 1023, 1024):
        path.write_bytes(b"y" * size)
        assert submissions.read_image(path) == path.read_bytes()
    path.write_bytes(b"z" * 1025)
    with pytest.raises(StoreError, match="over 1024 bytes"):
        submissions.read_image(path)
    # The size it had when looked at is not the size read: a file that grew since is read on
    # (and refused past the limit), not cut short.
    real_fstat = os.fstat

    def earlier(fd: int) -> os.stat_result:
        st = list(real_fstat(fd))
        st[6] = 10  # st_size
        return os.stat_result(st)

    monkeypatch.setattr(os, "fstat", earlier)
    path.write_bytes(b"a" * 600)
    assert submissions.read_image(path) == b"a" * 600
    path.write_bytes(b"b" * 2000)
    with pytest.raises(StoreError, match="over 1024 bytes"):
        submissions.read_image(path)
