"""AnnotationStore: shape checks, authorship, soft delete, changes, import, safety of the file."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reader_ext.annotations import limits
from reader_ext.errors import (
    AnnotationError,
    AnnotationNotFoundError,
    NotYourAnnotationError,
    StoreError,
)
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.store.schema import APPLICATION_ID, SCHEMA_VERSION

LESSON = "urn:reader-ext:india-russia-2023:reading-the-argument"
OTHER_LESSON = "urn:reader-ext:india-russia-2023:second-reading"


def text_target(exact: str = "strategic autonomy", source: str = LESSON) -> dict[str, Any]:
    return {
        "source": source,
        "selector": [
            {"type": "TextQuoteSelector", "exact": exact, "prefix": "India's ", "suffix": " is"},
            {"type": "TextPositionSelector", "start": 120, "end": 120 + len(exact)},
        ],
    }


def highlight(**target: Any) -> dict[str, Any]:
    return {"motivation": "highlighting", "target": text_target(**target)}


def note(text: str = "Compare *non-alignment*.", tags: tuple[str, ...] = ()) -> dict[str, Any]:
    body = [{"type": "TextualBody", "value": text, "format": "text/markdown"}]
    body += [{"type": "TextualBody", "value": t, "purpose": "tagging"} for t in tags]
    return {"motivation": "commenting", "body": body, "target": text_target()}


def reply(target: str, text: str = "I agree.") -> dict[str, Any]:
    body = [{"type": "TextualBody", "value": text, "purpose": "commenting"}]
    return {"motivation": "replying", "body": body, "target": target}


@pytest.fixture
def store(store_location: str) -> Iterator[AnnotationStore]:
    """A new store, on SQLite and on PostgreSQL (conftest's ``store_location``)."""
    with AnnotationStore(store_location) as s:
        yield s


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- add and the annotation shape --------------------------------------------------------------


def test_add_fills_in_id_dates_creator_and_generator(store: AnnotationStore) -> None:
    stored = store.add(highlight(), user="ana")
    assert stored["id"].startswith("urn:uuid:")
    assert stored["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert stored["type"] == "Annotation"
    assert stored["creator"] == {
        "id": "urn:reader-ext:user:ana",
        "type": "Person",
        "nickname": "ana",
    }
    assert stored["created"] == stored["modified"]
    assert stored["created"].endswith("Z")
    assert stored["generator"]["type"] == "Software"
    assert "body" not in stored
    assert store.get(stored["id"]) == stored


def test_creator_id_is_a_uri_for_any_username(store: AnnotationStore) -> None:
    stored = store.add(highlight(), user="Ana María / 3")
    assert stored["creator"]["id"] == "urn:reader-ext:user:Ana%20Mar%C3%ADa%20%2F%203"
    assert stored["creator"]["nickname"] == "Ana María / 3"


def test_note_keeps_markdown_and_deduplicates_tags(store: AnnotationStore) -> None:
    stored = store.add(note(tags=("india", "india", " russia ")), user="ana")
    assert [b["value"] for b in stored["body"]] == ["Compare *non-alignment*.", "india", "russia"]
    assert stored["body"][0]["purpose"] == "commenting"


def test_given_id_is_kept_and_must_be_new(store: AnnotationStore) -> None:
    given = {**highlight(), "id": "urn:uuid:0b7f6c3e-1c1e-4a8e-9d53-5a3f2f4b3a10"}
    assert store.add(given, user="ana")["id"] == given["id"]
    with pytest.raises(AnnotationError, match="already exists"):
        store.add(given, user="ana")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"motivation": "bookmarking"}, "motivation"),
        ({"target": None}, "target"),
        ({"target": {"source": "not a uri", "selector": []}}, "target.source"),
        (
            {"target": {"source": LESSON, "selector": [{"type": "TextPositionSelector"}]}},
            "target.selector[0]",
        ),
        ({"target": {"source": LESSON, "selector": []}}, "target.selector"),
        ({"target": text_target(exact="")}, "target.selector[0].exact"),
        (
            {"target": text_target(exact="x" * (limits.MAX_QUOTE_CHARS + 1))},
            "target.selector[0].exact",
        ),
        ({"target": LESSON}, "target"),
        ({"colour": "yellow"}, "annotation: unknown key 'colour'"),
        ({"type": "Note"}, "type"),
        ({"@context": "http://example.org/ctx"}, "@context"),
        ({"body": [{"type": "TextualBody", "value": "no note on a highlight"}]}, "body"),
        ({"body": "a string"}, "body"),
        ({"body": [{"type": "SpecificResource", "source": LESSON}]}, "body[0]"),
        ({"created": "yesterday"}, "created"),
        ({"id": "not a uri"}, "id"),
    ],
)
def test_add_rejects_malformed_annotations_naming_the_field(
    store: AnnotationStore, change: dict[str, Any], field: str
) -> None:
    with pytest.raises(AnnotationError, match="^" + re.escape(field)):
        store.add({**highlight(), **change}, user="ana")
    assert store.count() == 0


@pytest.mark.parametrize(
    ("annotation", "field"),
    [
        (note(text="x" * (limits.MAX_BODY_CHARS + 1)), r"body\[0\].value"),
        (note(text="   "), r"body\[0\].value"),
        (note(text="bell \x07"), r"body\[0\].value"),
        (note(tags=tuple(f"t{i}" for i in range(limits.MAX_TAGS + 1))), "tags"),
        (note(tags=("x" * (limits.MAX_TAG_CHARS + 1),)), r"body\[1\].value"),
        ({**note(), "body": note()["body"] * 2}, "at most one"),
        ({**note(), "body": []}, "commenting body"),
        (reply(LESSON + "#prompt-"), "prompt id"),
        # 20 000 four-byte characters fit the body limit but not the total JSON size.
        (note(text="\U0001f600" * limits.MAX_BODY_CHARS), "bytes of JSON"),
    ],
)
def test_add_enforces_documented_limits(
    store: AnnotationStore, annotation: dict[str, Any], field: str
) -> None:
    with pytest.raises(AnnotationError, match=field):
        store.add(annotation, user="ana")


@pytest.mark.parametrize("user", ["", "x" * (limits.MAX_USERNAME_CHARS + 1), "tab\tname", 7])
def test_add_rejects_bad_usernames(store: AnnotationStore, user: Any) -> None:
    with pytest.raises(AnnotationError, match="user"):
        store.add(highlight(), user=user)


@pytest.mark.parametrize(
    "creator",
    [
        {"id": "urn:reader-ext:user:bob", "type": "Person", "nickname": "bob"},
        {"nickname": "bob"},
        "urn:reader-ext:user:bob",
    ],
)
def test_add_refuses_an_annotation_claiming_another_creator(
    store: AnnotationStore, creator: object
) -> None:
    with pytest.raises(NotYourAnnotationError, match="ana"):
        store.add({**highlight(), "creator": creator}, user="ana")


def test_add_accepts_the_users_own_creator(store: AnnotationStore) -> None:
    own = {"id": "urn:reader-ext:user:ana", "type": "Person", "nickname": "ana"}
    assert store.add({**highlight(), "creator": own}, user="ana")["creator"] == own


# -- replies -----------------------------------------------------------------------------------


def test_replies_to_annotations_prompts_and_comments(store: AnnotationStore) -> None:
    first = store.add(note(), user="ana")
    answer = store.add(reply(first["id"]), user="bob")
    store.add(reply(answer["id"], "And a reply to the reply."), user="ana")
    store.add(reply(LESSON + "#prompt-why-now", "Because of 2022."), user="bob")
    store.add(reply(LESSON + "#comment-c7", "Good point."), user="bob")
    assert len(store.list(source=LESSON)) == 5
    assert store.list(source=OTHER_LESSON) == []


def test_reply_target_must_exist_and_be_live(store: AnnotationStore) -> None:
    with pytest.raises(AnnotationNotFoundError, match="urn:uuid:missing"):
        store.add(reply("urn:uuid:missing"), user="bob")
    first = store.add(note(), user="ana")
    store.delete(first["id"], user="ana")
    with pytest.raises(AnnotationNotFoundError):
        store.add(reply(first["id"]), user="bob")


# -- edit, delete, restore ---------------------------------------------------------------------


def test_edit_by_creator_bumps_modified_and_seq(store: AnnotationStore) -> None:
    first = store.add(note(), user="ana")
    seq, _, _ = store.changes_since(0)
    body = [{"type": "TextualBody", "value": "Revised.", "purpose": "commenting"}]
    edited = store.edit(first["id"], user="ana", body=body)
    assert edited["body"][0]["value"] == "Revised."
    assert edited["modified"] > first["modified"]
    assert edited["created"] == first["created"]
    _, changed, _ = store.changes_since(seq)
    assert [a["id"] for a in changed] == [first["id"]]
    assert store.get(first["id"]) == edited


def test_edit_by_another_user_is_refused(store: AnnotationStore) -> None:
    first = store.add(note(), user="ana")
    with pytest.raises(NotYourAnnotationError, match="only its creator"):
        store.edit(first["id"], user="bob", body=[])
    assert store.get(first["id"]) == first


def test_adding_a_note_to_a_highlight_makes_it_a_note_and_back(store: AnnotationStore) -> None:
    mark = store.add(highlight(), user="ana")
    with_note = store.edit(mark["id"], user="ana", body=note()["body"])
    assert with_note["motivation"] == "commenting"
    tags_only = [{"type": "TextualBody", "value": "key", "purpose": "tagging"}]
    assert store.edit(mark["id"], user="ana", body=tags_only)["motivation"] == "highlighting"
    assert "body" not in store.edit(mark["id"], user="ana", body=[])


def test_edit_target_reanchors_within_the_same_lesson(store: AnnotationStore) -> None:
    mark = store.add(highlight(), user="ana")
    moved = store.edit(mark["id"], user="ana", target=text_target(exact="autonomy"))
    assert moved["target"]["selector"][0]["exact"] == "autonomy"
    with pytest.raises(AnnotationError, match=r"target\.source"):
        store.edit(mark["id"], user="ana", target=text_target(source=OTHER_LESSON))
    answer = store.add(reply(mark["id"]), user="bob")
    with pytest.raises(AnnotationError, match="reply"):
        store.edit(answer["id"], user="bob", target=text_target())


def test_edit_rejects_bad_body_and_keeps_the_old_one(store: AnnotationStore) -> None:
    first = store.add(note(), user="ana")
    with pytest.raises(AnnotationError, match="body"):
        store.edit(first["id"], user="ana", body=[{"type": "Image"}])
    assert store.get(first["id"]) == first


def test_delete_is_soft_and_restore_undoes_it(store: AnnotationStore) -> None:
    first = store.add(note(), user="ana")
    with pytest.raises(NotYourAnnotationError):
        store.delete(first["id"], user="bob")
    store.delete(first["id"], user="ana")
    store.delete(first["id"], user="ana")  # deleting twice is harmless
    assert store.get(first["id"]) is None
    assert store.get(first["id"], include_deleted=True) == first
    assert store.list() == []
    assert store.list(include_deleted=True) == [first]
    assert store.count() == 0
    assert store.count(include_deleted=True) == 1
    with pytest.raises(AnnotationNotFoundError, match="deleted"):
        store.edit(first["id"], user="ana", body=[])
    with pytest.raises(NotYourAnnotationError):
        store.restore(first["id"], user="bob")
    assert store.restore(first["id"], user="ana") == first
    assert store.list() == [first]


def test_unknown_ids_raise_not_found(store: AnnotationStore) -> None:
    assert store.get("urn:uuid:nope") is None
    for call in (store.edit, store.delete, store.restore):
        with pytest.raises(AnnotationNotFoundError, match="urn:uuid:nope"):
            call("urn:uuid:nope", user="ana")


# -- reading -----------------------------------------------------------------------------------


def test_list_filters_and_orders_by_created_then_id(store: AnnotationStore) -> None:
    a = store.add(highlight(), user="ana")
    b = store.add(highlight(source=OTHER_LESSON), user="bob")
    c = store.add(note(), user="ana")
    expected = sorted([a, b, c], key=lambda x: (x["created"], x["id"]))
    assert store.list() == expected
    assert store.list(creator="ana") == [x for x in expected if x is not b]
    assert store.list(source=OTHER_LESSON) == [b]
    assert store.list(source=LESSON, creator="bob") == []


def test_changes_since_reports_changes_and_deletions(store: AnnotationStore) -> None:
    assert store.changes_since(0) == (0, [], [])
    a = store.add(highlight(), user="ana")
    b = store.add(highlight(source=OTHER_LESSON), user="ana")
    seq, changed, deleted = store.changes_since(0)
    assert (seq, [x["id"] for x in changed], deleted) == (2, [a["id"], b["id"]], [])
    store.delete(a["id"], user="ana")
    seq2, changed, deleted = store.changes_since(seq)
    assert (seq2, changed, deleted) == (3, [], [a["id"]])
    assert store.changes_since(seq2) == (3, [], [])
    store.restore(a["id"], user="ana")
    _, changed, _ = store.changes_since(seq2, source=OTHER_LESSON)
    assert changed == []
    _, changed, _ = store.changes_since(seq2, source=LESSON)
    assert [x["id"] for x in changed] == [a["id"]]


def test_events_are_recorded_and_filtered(store: AnnotationStore) -> None:
    store.record_event("gloss-opened", user="ana", source=LESSON, key="non-alignment")
    store.record_event("prompt-viewed", user="bob", source=LESSON, key="why-now")
    events = store.events("gloss-opened")
    assert [(e["user"], e["key"]) for e in events] == [("ana", "non-alignment")]
    assert events[0]["at"].endswith("Z")
    assert len(store.events()) == 2
    with pytest.raises(AnnotationError, match="key"):
        store.record_event("gloss-opened", user="ana", source=LESSON, key="")


# -- import ------------------------------------------------------------------------------------


def test_import_is_idempotent_and_keeps_creators(store: AnnotationStore, tmp_path: Path) -> None:
    with AnnotationStore(tmp_path / "student.sqlite") as student:
        first = student.add(note(), user="ana")
        student.add(reply(first["id"]), user="bob")
        exported = student.list()
    result = store.import_annotations(exported)
    assert (result.added, result.updated, result.unchanged, result.skipped) == (2, 0, 0, [])
    assert store.list() == exported
    again = store.import_annotations(exported)
    assert (again.added, again.unchanged) == (0, 2)
    assert again.summary() == "0 added, 0 updated, 2 unchanged, 0 skipped"


def test_import_updates_only_with_a_newer_modified(store: AnnotationStore) -> None:
    first = store.add(note(), user="ana")
    older = {**first, "body": [{"type": "TextualBody", "value": "old", "purpose": "commenting"}]}
    older["modified"] = "2001-01-01T00:00:00Z"
    assert store.import_annotations([older]).unchanged == 1
    newer = {**older, "modified": "2999-01-01T00:00:00Z"}
    assert store.import_annotations([newer]).updated == 1
    assert store.get(first["id"])["body"][0]["value"] == "old"  # type: ignore[index]


def test_import_without_ids_derives_stable_ids(store: AnnotationStore) -> None:
    foreign = {**note(), "creator": {"id": "https://example.org/u/7", "nickname": "kim"}}
    assert store.import_annotations([foreign, foreign]).added == 1
    assert store.import_annotations([foreign]).unchanged == 1
    assert store.list()[0]["creator"]["nickname"] == "kim"


def test_import_never_overwrites_another_creators_annotation(store: AnnotationStore) -> None:
    first = store.add(note(), user="ana")
    forged = {**first, "creator": {"id": "urn:reader-ext:user:eve", "nickname": "eve"}}
    forged["modified"] = "2999-01-01T00:00:00Z"
    result = store.import_annotations([forged])
    assert [s.reason for s in result.skipped] == [
        f"id: {first['id']} already belongs to 'ana'; not replaced"
    ]
    assert store.get(first["id"]) == first


def test_import_skips_bad_items_with_reasons(store: AnnotationStore) -> None:
    items: list[Any] = [note(), "junk", {**note(), "motivation": "bookmarking"}, highlight()]
    result = store.import_annotations(items)
    assert (result.added, [s.index for s in result.skipped]) == (2, [1, 2])
    assert "motivation" in result.skipped[1].reason


def test_imported_replies_before_their_targets_get_the_lesson(store: AnnotationStore) -> None:
    target = {**note(), "id": "urn:uuid:11111111-1111-4111-8111-111111111111"}
    answer = reply(target["id"])
    store.import_annotations([answer, target])
    assert len(store.list(source=LESSON)) == 2


# -- the file ----------------------------------------------------------------------------------


def test_new_file_is_marked_as_ours(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    AnnotationStore(path).close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_reopening_keeps_annotations(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    with AnnotationStore(path) as s:
        first = s.add(note(), user="ana")
    with AnnotationStore(str(path)) as s:
        assert s.list() == [first]
        assert s.path == path


def test_empty_file_becomes_a_store(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite"
    path.touch()
    with AnnotationStore(path) as s:
        assert s.count() == 0


def test_refuses_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("my precious notes\n" * 100)
    before = digest(path)
    with pytest.raises(StoreError, match="not an SQLite database") as info:
        AnnotationStore(path)
    assert str(path) in str(info.value)
    assert digest(path) == before


def test_refuses_another_programs_database(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER)")
    conn.execute("INSERT INTO accounts VALUES (1, 100)")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(StoreError, match="another program") as info:
        AnnotationStore(path)
    assert str(path) in str(info.value)
    assert digest(path) == before
    assert not Path(f"{path}-wal").exists()


def test_refuses_a_store_from_a_newer_version(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite"
    AnnotationStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = digest(path)
    with pytest.raises(StoreError, match=r"newer reader-ext.*upgrade") as info:
        AnnotationStore(path)
    assert str(path) in str(info.value)
    assert digest(path) == before


def test_refuses_a_missing_folder_and_a_folder(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        AnnotationStore(tmp_path / "no" / "such.sqlite")
    assert not (tmp_path / "no").exists()
    with pytest.raises(StoreError, match="is a folder"):
        AnnotationStore(tmp_path)


def test_a_closed_store_says_so(tmp_path: Path) -> None:
    s = AnnotationStore(tmp_path / "a.sqlite")
    s.close()
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.list()


# -- concurrency and durability ----------------------------------------------------------------


def test_two_connections_see_and_keep_each_others_writes(store_location: str) -> None:
    with AnnotationStore(store_location) as one, AnnotationStore(store_location) as two:
        for i in range(20):
            one.add(highlight(exact=f"one {i}"), user="ana")
            two.add(highlight(exact=f"two {i}"), user="bob")
        assert one.count() == two.count() == 40
        seq, _, _ = one.changes_since(0)
        assert seq == 40


# argv: store path, user, number of highlights; with 1 it then waits to be killed.
WRITER = """
import sys, time
from reader_ext.store.annotation_store import AnnotationStore
path, user, n, lesson = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
target = {"source": lesson, "selector": [{"type": "TextQuoteSelector", "exact": "x"}]}
with AnnotationStore(path) as store:
    for i in range(n):
        store.add({"motivation": "highlighting", "target": target}, user=user)
        if i == 0:
            print("saved", flush=True)
    if n == 1:
        time.sleep(60)
"""


def test_two_processes_writing_at_once_lose_nothing(store_location: str) -> None:
    # Both create the store at once (a new file, an empty database): migrated exactly once.
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, store_location, user, "200", LESSON])
        for user in ("ana", "bob")
    ]
    assert [w.wait(timeout=240) for w in writers] == [0, 0]
    with AnnotationStore(store_location) as s:
        assert s.count() == 400
        assert len(s.list(creator="ana")) == len(s.list(creator="bob")) == 200
        assert s.changes_since(0)[0] == 400


def test_a_write_reported_done_survives_kill(tmp_path: Path) -> None:
    path = tmp_path / "student.sqlite"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), "ana", "1", LESSON],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "saved"
    finally:
        writer.kill()
        writer.wait(timeout=30)
        if writer.stdout is not None:
            writer.stdout.close()
    with AnnotationStore(path) as s:
        assert [a["creator"]["nickname"] for a in s.list()] == ["ana"]
