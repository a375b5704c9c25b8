"""Rebuild this corpus: ``python tests/hostile/collect/make.py`` (from the repository root).

Each case is a folder of submissions (``CASE/<student>/...``) beside ``CASE.expected``: its
first line is ``budget ROWS SECONDS`` (the collect budgets to run with), every further line a
text the collect summary must contain. ``tests/test_collect_hostile.py`` runs each.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from reader_ext.store.annotation_store import AnnotationStore

HERE = Path(__file__).parent
LESSON = "urn:reader-ext:course:module"


def note(text: str) -> dict[str, object]:
    return {
        "motivation": "commenting",
        "body": [{"type": "TextualBody", "value": text, "purpose": "commenting"}],
        "target": {"source": LESSON, "selector": [{"type": "TextQuoteSelector", "exact": "x"}]},
    }


def good(path: Path, *texts: str) -> list[str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with AnnotationStore(path) as store:
        ids = [store.add(note(t), user="jovyan")["id"] for t in texts]
        store.record_event("gloss-open", user="jovyan", source=LESSON, key="k")
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal
    return ids


def sql(path: Path, *statements: str) -> None:
    with closing(sqlite3.connect(path)) as conn:
        for s in statements:
            conn.execute(s)
        conn.commit()


def case(name: str, expected: list[str], budget: str = "budget 200000 20") -> Path:
    root = HERE / name
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    (HERE / f"{name}.expected").write_text("\n".join([budget, *expected]) + "\n", "utf-8")
    good(root / "ana" / "m1" / "annotations.sqlite", "ana's own note")
    return root


def main() -> None:
    root = case(
        "json-not-an-object",
        [
            "ana: collected",
            "bob: collected from 1 store(s) — 1 added",
            "is JSON but not an object (list); skipped",
            "is JSON but not an object (int); skipped",
            "is JSON but not an object (str); skipped",
        ],
    )
    ids = good(root / "bob" / "m1" / "annotations.sqlite", "kept", "a", "b", "c")
    for ident, value in zip(ids[1:], ("[]", "1", '"s"'), strict=True):
        sql(root / "bob/m1/annotations.sqlite", f"UPDATE annotations SET json = '{value}' "
            f"WHERE id = '{ident}'")  # fmt: skip

    root = case("symlink-loop-folder", ["ana: collected", "loop: skipped", "symbolic link loop"])
    (root / "loop").symlink_to("loop")

    root = case("symlink-loop-store", ["ana: collected", "bob: skipped", "symbolic link loop"])
    (root / "bob" / "m1").mkdir(parents=True)
    (root / "bob" / "m1" / "annotations.sqlite").symlink_to("annotations.sqlite")

    root = case("symlink-loop-wal", ["ana: collected", "bob: skipped", "symbolic link loop"])
    good(root / "bob" / "m1" / "annotations.sqlite", "bob")
    (root / "bob" / "m1" / "annotations.sqlite-wal").symlink_to("annotations.sqlite-wal")

    root = case("view-computed-on-read", ["ana: collected", "bob: skipped", "holds a view"])
    store = root / "bob" / "m1" / "annotations.sqlite"
    good(store, "bob")
    sql(store, "ALTER TABLE annotations RENAME TO real_annotations",
        "CREATE VIEW annotations AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
        "FROM n) SELECT i AS id, NULL AS deleted_at, '{}' AS json, i AS seq FROM n")  # fmt: skip

    root = case("trigger", ["ana: collected", "bob: skipped", "holds a trigger"])
    store = root / "bob" / "m1" / "annotations.sqlite"
    good(store, "bob")
    sql(store, "CREATE TRIGGER t AFTER INSERT ON events BEGIN DELETE FROM annotations; END")

    root = case("generated-column", ["ana: collected", "bob: skipped", "generated or hidden"])
    store = root / "bob" / "m1" / "annotations.sqlite"
    good(store, "bob")
    sql(store, "ALTER TABLE events ADD COLUMN big TEXT AS (printf('%.*c', 900000000, 'x'))")

    root = case("another-table", ["ana: collected", "bob: skipped", "a table 'photos'"])
    store = root / "bob" / "m1" / "annotations.sqlite"
    good(store, "bob")
    sql(store, "CREATE TABLE photos (id INTEGER)")

    root = case(
        "too-many-rows",
        ["ana: collected", "bob: skipped", "over 20 rows, the row budget of one submission"],
        "budget 20 20",
    )
    store = root / "bob" / "m1" / "annotations.sqlite"
    good(store, "bob")
    sql(store, *["INSERT INTO events (kind, user, source, key, at) VALUES "
                 f"('gloss-open', 'jovyan', '{LESSON}', 'k{i}', '2024-01-01T00:00:00.000Z')"
                 for i in range(30)])  # fmt: skip

    root = case(
        "bidi-and-invisible-names",
        ["ana: collected", "invisible or direction-changing characters", "U+202E", "U+200B"],
    )
    good(root / "ana\u202e" / "m1" / "annotations.sqlite", "looks like ana")
    good(root / "a\u200bna" / "m1" / "annotations.sqlite", "looks like ana too")

    root = case(
        "names-alike-once-normalised",
        ["ana: collected", "kim: skipped", "same student id once normalised", "mixes the letters"],
    )
    good(root / "kim" / "m1" / "annotations.sqlite", "kim")
    good(root / "\uff4b\uff49\uff4d" / "m1" / "annotations.sqlite", "fullwidth kim")
    good(root / "\u0430na" / "m1" / "annotations.sqlite", "cyrillic a")

    root = case("not-sqlite", ["ana: collected", "bob: skipped", "not an SQLite database"])
    (root / "bob" / "m1").mkdir(parents=True)
    (root / "bob" / "m1" / "annotations.sqlite").write_bytes(b"\x00garbage" * 100)


if __name__ == "__main__":
    main()
