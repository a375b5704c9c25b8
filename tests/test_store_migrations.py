"""The store's schema over time: old files migrate with nothing lost, the migrations build the
tables the code uses, and databases that are not stores are refused untouched (both engines)."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any
from unittest.mock import ANY

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, event, text

from reader_ext import load_lesson
from reader_ext.errors import StoreError
from reader_ext.hub import demo
from reader_ext.hub.demo import DemoError
from reader_ext.store import collected
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.store.schema import APPLICATION_ID, HEAD, SCHEMA_VERSION, metadata
from reader_ext.widget.session import ReaderSession
from tests import pg
from tests.test_views import sent

FIXTURES = Path(__file__).parent / "fixtures" / "store"
V2 = FIXTURES / "v2.sqlite"


def rows(path: Path, table: str) -> list[dict[str, Any]]:
    with closing(sqlite3.connect(path)) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY rowid")]


def pragma(path: Path, name: str) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute(f"PRAGMA {name}").fetchone()[0])


@pytest.fixture
def v2(tmp_path: Path) -> Path:
    """A private copy of the store file written by the last version before Alembic."""
    copy = tmp_path / "annotations.sqlite"
    shutil.copyfile(V2, copy)
    return copy


def test_a_store_written_before_alembic_migrates_with_nothing_lost(v2: Path) -> None:
    before = json.loads((FIXTURES / "v2.json").read_text(encoding="utf-8"))
    assert before["pragmas"] == {"application_id": APPLICATION_ID, "user_version": 2}
    fixture_digest = hashlib.sha256(V2.read_bytes()).hexdigest()
    with AnnotationStore(v2) as store:
        stored = store.list(include_deleted=True)
        live = store.list()
        events = store.events()
        latest, _, deleted = store.changes_since(0)
    # Every row of every table, column for column, as the old version wrote it.
    for table in ("annotations", "events", "rendered"):
        assert rows(v2, table) == before[table], table
    assert pragma(v2, "user_version") == SCHEMA_VERSION
    assert pragma(v2, "application_id") == APPLICATION_ID
    with closing(sqlite3.connect(v2)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
    # ... and through the store's API.
    old = before["annotations"]
    by_created = sorted(old, key=lambda r: (r["created"], r["id"]))
    assert stored == [json.loads(r["json"]) for r in by_created]
    assert [a["id"] for a in live] == [r["id"] for r in by_created if r["deleted_at"] is None]
    assert deleted == [r["id"] for r in old if r["deleted_at"] is not None] != []
    assert latest == max(r["seq"] for r in old)
    assert events == [{k: e[k] for k in ("kind", "user", "source", "key", "at")}
                      for e in before["events"]]  # fmt: skip
    assert hashlib.sha256(V2.read_bytes()).hexdigest() == fixture_digest


def test_a_migrated_store_keeps_working(v2: Path) -> None:
    before = json.loads((FIXTURES / "v2.json").read_text(encoding="utf-8"))
    note = next(r for r in before["annotations"] if r["motivation"] == "commenting")
    cached = {r["id"]: r for r in before["rendered"]}
    with AnnotationStore(v2) as store:
        body = [{"type": "TextualBody", "value": "Still here.", "purpose": "commenting"}]
        answer = store.add({"motivation": "replying", "body": body, "target": note["id"]},
                           user="zoe")  # fmt: skip
        assert store.changes_since(max(r["seq"] for r in before["annotations"]))[1] == [answer]
        assert store.list(source=note["source"])[-1] == answer
        versions = {i: r["version"] for i, r in cached.items()}
        assert store.rendered(versions) == {i: r["html"] for i, r in cached.items()}
    with AnnotationStore(v2) as store:  # opening again: already at the latest schema
        assert store.get(answer["id"]) == answer


def test_a_schema_version_1_store_is_migrated_too(v2: Path) -> None:
    with closing(sqlite3.connect(v2)) as conn:
        conn.execute("DROP TABLE rendered")
        conn.execute("PRAGMA user_version = 1")
        conn.commit()
    with AnnotationStore(v2) as store:
        assert store.rendered({"urn:x": "v"}) == {}
        store.save_rendered([("urn:x", "v", "<p>x</p>")])
        assert store.rendered({"urn:x": "v"}) == {"urn:x": "<p>x</p>"}
    assert pragma(v2, "user_version") == SCHEMA_VERSION


def test_a_store_from_before_kept_views_opens_with_nothing_lost_and_keeps_them(
    tmp_path: Path, course: Path
) -> None:
    """A store of revision 0005 (the last without the ``views`` table) is migrated when it
    opens; the reader sends what it derived before and keeps the views from then on."""
    path = tmp_path / "a.sqlite"
    lesson = load_lesson(course / "m1")
    start = lesson.document.text.index("Iran")
    with AnnotationStore(path) as store:
        ana = ReaderSession(lesson, store, "ana")
        ana.handle({"type": "create", "kind": "note", "start": start, "end": start + 4,
                    "body": "*a*", "tags": ["t"]})  # fmt: skip
        ana.handle({"type": "create", "kind": "highlight", "start": start, "end": start + 4})
        derived = ana.snapshot()  # renders the note, and caches it
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("DROP TABLE views")
        conn.execute("DROP TABLE collected")  # revision 0007, after it
        conn.execute("DROP TABLE report_facts")  # and 0008's
        conn.execute("DROP TABLE report_heatmaps")
        conn.execute("UPDATE alembic_version SET version_num = '0005'")
        conn.execute("PRAGMA user_version = 5")
        conn.commit()
    before = {table: rows(path, table) for table in ("annotations", "events", "rendered")}
    assert len(before["annotations"]) == 2 and len(before["rendered"]) == 1
    with AnnotationStore(path) as store:
        assert pragma(path, "user_version") == SCHEMA_VERSION
        assert sent(ReaderSession(lesson, store, "ana")) == derived
        assert {table: rows(path, table) for table in before} == before
        assert len(rows(path, "views")) == 2
        assert sent(ReaderSession(lesson, store, "ana")) == derived  # from the kept views


def schema_differences(url: str) -> list[Any]:
    """What Alembic's autogenerate finds between the database and the code's tables."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def test_migrations_build_the_tables_the_code_uses(store_location: str) -> None:
    AnnotationStore(store_location).close()
    url = store_location if "://" in store_location else f"sqlite:///{store_location}"
    assert schema_differences(url) == []


def test_a_migrated_old_file_has_the_tables_the_code_uses(v2: Path) -> None:
    AnnotationStore(v2).close()
    # The old DDL said ``id TEXT PRIMARY KEY``, which SQLite lets hold NULL; the store never
    # writes one, and rebuilding every table of every old file to say NOT NULL is not worth it.
    nullable_keys = [
        [("modify_nullable", None, table, "id", ANY, True, False)]
        for table in ("annotations", "events", "rendered")
    ]
    assert schema_differences(f"sqlite:///{v2}") == nullable_keys


def test_a_store_url_for_sqlite_is_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    with AnnotationStore(f"sqlite:///{path}") as store:
        store.record_event("gloss-open", user="ana", source="urn:x:y", key="k")
        assert store.path == path
    with AnnotationStore(path) as store:
        assert len(store.events()) == 1


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("mysql://db.example.org/class", "SQLite or PostgreSQL"),
        ("sqlite://", "path of an SQLite file"),
        ("postgresql+psycopg://nobody@127.0.0.1:1/none", "cannot open the annotation store"),
    ],
)
def test_unusable_urls_are_refused_by_name(location: str, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        AnnotationStore(location)


def test_a_postgresql_store_names_its_database_and_hides_the_password(postgres_url: str) -> None:
    with AnnotationStore(postgres_url.replace("test@", "test:secret@")) as store:
        assert "secret" not in repr(store)
        assert store.name == postgres_url.rsplit("/", 1)[-1]
        with pytest.raises(StoreError, match="no file"):
            store.path  # noqa: B018


def test_a_postgresql_database_of_another_program_is_left_untouched(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE annotations (id integer)"))
        with pytest.raises(StoreError, match="not an annotation store"):
            AnnotationStore(postgres_url)
        with engine.connect() as conn:
            tables = conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            )
            assert tables.scalars().all() == ["annotations"]
    finally:
        engine.dispose()


def test_a_postgresql_store_from_a_newer_version_is_refused(postgres_url: str) -> None:
    AnnotationStore(postgres_url).close()
    engine = create_engine(postgres_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        with pytest.raises(StoreError, match=r"newer reader-ext.*upgrade"):
            AnnotationStore(postgres_url)
    finally:
        engine.dispose()


def test_a_store_of_revision_0008_counts_each_creators_rows_from_the_index_alone(
    tmp_path: Path,
) -> None:
    """Revision 0009 puts ``seq`` in the creator's index: the state of each student's rows that
    a collect reads (:func:`collected.states`) is an index-only scan, not a read of every row."""
    path = tmp_path / "a.sqlite"
    with AnnotationStore(path) as store:
        assert store.import_annotations(
            [{"target": {"source": "urn:x:lesson"}, "motivation": "commenting", "id": f"urn:x:{n}",
              "creator": {"id": "urn:reader-ext:user:ana", "nickname": "ana"},
              "body": [{"type": "TextualBody", "value": "a note"}]} for n in range(3)]
        ).added == 3  # fmt: skip
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("DROP INDEX annotations_creator")
        conn.execute("CREATE INDEX annotations_creator ON annotations (creator)")
        conn.execute("UPDATE alembic_version SET version_num = '0008'")
        conn.execute("PRAGMA user_version = 8")
        conn.commit()
    executed: list[tuple[str, Any]] = []
    with AnnotationStore(path) as store, store.reading() as reading:
        assert pragma(path, "user_version") == SCHEMA_VERSION

        def seen(_c: object, _cursor: object, statement: str, params: Any, *_: object) -> None:
            executed.append((statement, params))

        event.listen(reading, "before_cursor_execute", seen)
        assert collected.states(reading, ["ana", "bo"]) == {"ana": "3:3:0:0", "bo": "0:0:0:0"}
    with closing(sqlite3.connect(path)) as conn:
        columns = [r[2] for r in conn.execute("PRAGMA index_info(annotations_creator)")]
        assert columns == ["creator", "seq"]
        by_creator = [(s, p) for s, p in executed if "FROM annotations" in s]
        assert len(by_creator) == 1
        plan = " ".join(str(r[3]) for r in conn.execute(f"EXPLAIN QUERY PLAN {by_creator[0][0]}",
                                                        by_creator[0][1]))  # fmt: skip
        assert "COVERING INDEX annotations_creator" in plan, plan


def test_a_sqlite_store_whose_revision_is_unknown_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    AnnotationStore(path).close()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
        conn.commit()
    with pytest.raises(StoreError, match="newer reader-ext"):
        AnnotationStore(path)


def test_without_postgresql_the_tests_say_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "POSTGRESQL", tmp_path)
    with pytest.raises(DemoError, match=r"not installed: run 'make test' \(it installs postgresql"):
        pg.start()
