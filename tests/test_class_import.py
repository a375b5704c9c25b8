"""``reader-ext class-import``: offline students' stores into the class database, on both engines.

Authors come from the submission (the folder's student id, or the author collect gave), never
from a field the student wrote; each note gets the ``--visibility`` asked for (a reply: its
thread's); a bad file is named and skipped alone; running it twice imports nothing new.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reader_ext.annotations.audience import Audience
from reader_ext.annotations.values import creator_for
from reader_ext.cli.main import main
from reader_ext.course.collect import collect
from reader_ext.hub.policy import Member, Viewer, can_see
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.store.classroom import ClassStore

LESSON = "urn:reader-ext:course:module"


def note(text: str, target: Any = None) -> dict[str, Any]:
    return {
        "motivation": "replying" if isinstance(target, str) else "commenting",
        "body": [{"type": "TextualBody", "value": text, "purpose": "commenting"}],
        "target": target
        or {"source": LESSON, "selector": [{"type": "TextQuoteSelector", "exact": "x"}]},
    }


def student_store(subs: Path, folder: str, *texts: str, user: str = "jovyan") -> list[str]:
    path = subs / folder / "m1" / "annotations.sqlite"
    path.parent.mkdir(parents=True, exist_ok=True)
    with AnnotationStore(path) as store:
        ids = [store.add(note(t), user=user)["id"] for t in texts]
        store.record_event("gloss-open", user=user, source=LESSON, key="k")
    return ids


def audiences(into: str) -> dict[str, tuple[str, Audience]]:
    """Each annotation's creator and audience in the class database."""
    classroom = ClassStore(into)
    try:
        changes = classroom.changes(LESSON, 0)
        return {
            a["id"]: (a["creator"]["nickname"], audience) for a, audience in changes.annotations
        }
    finally:
        classroom.close()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out, out.err


def test_a_folder_of_submissions_moves_into_class_mode(
    tmp_path: Path, store_location: str, capsys: pytest.CaptureFixture[str]
) -> None:
    subs = tmp_path / "subs"
    (ana,) = student_store(subs, "ana", "ana's note")
    # ben's kernel wrote under another name: the folder, not the file, says who he is.
    (ben,) = student_store(subs, "ben", "ben's note", user="benji")
    broken = subs / "cem" / "m1" / "annotations.sqlite"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"this is not a database" * 10)

    code, out, _ = run(capsys, "class-import", str(subs), "--into", store_location,
                       "--visibility", "class")  # fmt: skip
    assert code == 0, out
    assert "ana: collected from 1 store(s) — 1 added" in out
    assert "ben: collected from 1 store(s) — 1 added" in out
    assert "cem: skipped — no readable annotation store" in out and "not an annotation store" in out
    assert "2 annotation(s) new to class mode given an audience (class" in out
    held = audiences(store_location)
    assert held[ana][0] == "ana" and held[ben][0] == "ben"
    assert {a.visibility for _, a in held.values()} == {"class"}
    assert {a.author for _, a in held.values()} == {"ana", "ben"}
    with AnnotationStore(store_location) as store:
        assert {e["user"] for e in store.events()} == {"ana", "ben"}

    # Twice: nothing new, and nothing given an audience again.
    code, out, _ = run(capsys, "class-import", str(subs), "--into", store_location,
                       "--visibility", "private")  # fmt: skip
    assert code == 0 and "0 added" in out and "1 unchanged" in out
    assert "0 annotation(s) new to class mode" in out
    assert {a.visibility for _, a in audiences(store_location).values()} == {"class"}


def test_a_collected_class_store_keeps_its_authors_and_threads(
    tmp_path: Path, store_location: str, capsys: pytest.CaptureFixture[str]
) -> None:
    subs, offline = tmp_path / "subs", tmp_path / "class.sqlite"
    (ana,) = student_store(subs, "ana", "ana's question")
    student_store(subs, "ben", "ben's note")
    collect(subs, offline)
    with AnnotationStore(offline) as store:
        # A reply collected later (ben answered ana's published note).
        store.import_annotations([{**note("ben answers", ana), "id": "urn:x:reply",
                                   "creator": creator_for("ben")}])  # fmt: skip
    garbage = tmp_path / "old.sqlite"
    garbage.write_bytes(b"\x00" * 100)

    code, out, err = run(capsys, "class-import", str(garbage), str(offline), "--into",
                         store_location)  # fmt: skip
    assert code == 1
    assert f"{garbage}: skipped — could not be read (is not an annotation store" in out
    assert f"error: {garbage}:" in err
    assert "ana: 1 added" in out and "ben: 2 added" in out
    held = audiences(store_location)
    assert held[ana] == ("ana", Audience("ana", "student", "private"))
    # The reply takes its thread's audience: private to ana's, so ben's reply is ben's alone.
    assert held["urn:x:reply"] == ("ben", Audience("ben", "student", "private"))
    ben_viewer = Viewer(Member("ben", "student"))
    assert not can_see(ben_viewer, held[ana][1])
    assert can_see(Viewer(Member("prof", "instructor")), held[ana][1])

    code, out, _ = run(capsys, "class-import", str(offline), "--into", store_location)
    assert (
        code == 0
        and "ana: 0 added" in out
        and "ben: 0 added, 0 updated, 0 deleted, 2 unchanged" in out
    )
    assert "0 annotation(s) new to class mode" in out


def test_group_visibility_takes_each_students_group(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    subs, into = tmp_path / "subs", str(tmp_path / "class-db.sqlite")
    (ana,) = student_store(subs, "ana", "a")
    (ben,) = student_store(subs, "ben", "b")
    groups = tmp_path / "groups.csv"
    groups.write_text("student,group\nana,section-1\n", encoding="utf-8")
    code, out, _ = run(capsys, "class-import", str(subs), "--into", into, "--visibility", "group",
                       "--groups", str(groups))  # fmt: skip
    assert code == 0
    held = audiences(into)
    assert held[ana][1] == Audience("ana", "student", "group", group="section-1")
    assert held[ben][1].visibility == "private"
    assert "no discussion group given for ben" in out

    code, _, err = run(capsys, "class-import", str(subs), "--into", into, "--visibility", "group")
    assert code == 1 and "--groups FILE.csv" in err
    groups.write_text("ana,section-1\nana,section-2\n", encoding="utf-8")
    code, _, err = run(capsys, "class-import", str(subs), "--into", into, "--visibility", "group",
                       "--groups", str(groups))  # fmt: skip
    assert code == 1 and f"{groups}:2: 'ana' is in two groups" in err


def test_a_missing_source_and_the_database_itself_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    into = tmp_path / "class-db.sqlite"
    student_store(tmp_path / "subs", "ana", "a")
    code, out, _ = run(capsys, "class-import", str(tmp_path / "nope"), str(into),
                       str(tmp_path / "subs"), "--into", str(into))  # fmt: skip
    assert code == 1
    assert f"{tmp_path / 'nope'}: skipped — no such file or folder" in out
    assert "ana: collected" in out
