"""Collect against the hostile corpus (tests/hostile/collect) and a property test of collect."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader_ext.cli.course import collect_command
from reader_ext.course.collect import collect
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.store.clock import EARLIEST

CORPUS = Path(__file__).parent / "hostile" / "collect"
CASES = sorted(p.stem for p in CORPUS.glob("*.expected"))
LESSON = "urn:reader-ext:course:module"


@pytest.mark.parametrize("case", CASES)
def test_each_hostile_submission_gets_its_clear_error(case: str, tmp_path: Path) -> None:
    budget, *expected = (CORPUS / f"{case}.expected").read_text("utf-8").splitlines()
    _, rows, seconds = budget.split()
    subs = tmp_path / "subs"
    shutil.copytree(CORPUS / case, subs, symlinks=True)
    report = collect(
        subs, tmp_path / "class.sqlite", max_rows=int(rows), max_seconds=float(seconds)
    )
    summary = report.summary()
    for line in expected:
        assert line in summary, summary
    assert "Traceback" not in summary
    collected = {s.student for s in report.collected}
    assert "ana" in collected and len(report.refused) + len(collected) == len(report.students)
    with AnnotationStore(tmp_path / "class.sqlite") as store:
        assert store.creators() == {s.student for s in report.collected if s.added}


def test_the_corpus_covers_each_kind() -> None:
    kinds = {"json-not-an-object", "symlink-loop-folder", "symlink-loop-store",
             "symlink-loop-wal", "view-computed-on-read", "trigger", "too-many-rows",
             "bidi-and-invisible-names", "names-alike-once-normalised"}  # fmt: skip
    assert kinds <= set(CASES)


def note(text: str, created: str | None = None) -> dict[str, object]:
    item: dict[str, object] = {
        "motivation": "commenting",
        "body": [{"type": "TextualBody", "value": text, "purpose": "commenting"}],
        "target": {"source": LESSON, "selector": [{"type": "TextQuoteSelector", "exact": "x"}]},
    }
    return item


def good(path: Path, *texts: str) -> list[str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with AnnotationStore(path) as store:
        return [store.add(note(t), user="jovyan")["id"] for t in texts]


def set_times(path: Path, created: str, modified: str) -> None:
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute("SELECT id, json FROM annotations").fetchall()
        for ident, text in rows:
            item = json.loads(text) | {"created": created, "modified": modified}
            conn.execute("UPDATE annotations SET json = ? WHERE id = ?", (json.dumps(item), ident))
        conn.commit()


def test_claimed_times_are_bounded_by_the_collections_clock(tmp_path: Path) -> None:
    subs, into = tmp_path / "subs", tmp_path / "class.sqlite"
    store = subs / "ana" / "m1" / "annotations.sqlite"
    good(store, "one")
    set_times(store, "2001-01-01T00:00:00.000Z", "2999-01-01T00:00:00.000Z")
    before = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(time.time() - 1))
    collect(subs, into)
    with AnnotationStore(into) as klass:
        (first,) = klass.list()
    assert first["created"] == EARLIEST and before < first["modified"] < "2100"
    # Again, and with a rewritten created: nothing changes, and created never does.
    assert result_line(collect(subs, into)) == "1 unchanged"
    set_times(store, "2024-05-05T00:00:00.000Z", "2999-01-01T00:00:00.000Z")
    collect(subs, into)
    with AnnotationStore(into) as klass:
        (again,) = klass.list()
    assert again["created"] == first["created"] and again["modified"] == first["modified"]


def test_a_refused_row_is_named_with_the_store_it_is_in(tmp_path: Path) -> None:
    """A student with two stores, one row of the first not an object: the problem names that
    store, not the other."""
    subs = tmp_path / "subs"
    bad = subs / "ana" / "m1" / "annotations.sqlite"
    good(bad, "one", "two")
    good(subs / "ana" / "m2" / "annotations.sqlite", "three")
    with closing(sqlite3.connect(bad)) as conn:
        conn.execute("UPDATE annotations SET json = '[]' WHERE rowid = 1")
        conn.commit()
    report = collect(subs, tmp_path / "class.sqlite")
    (ana,) = report.students
    assert ana.status == "collected" and ana.skipped == 1
    assert [p.split(":", 1)[0] for p in ana.problems] == ["m1/annotations.sqlite"]


def result_line(report: object) -> str:
    ana = next(s for s in report.students if s.student == "ana")  # type: ignore[attr-defined]
    return f"{ana.unchanged} unchanged"


def test_a_store_slower_than_the_time_budget_is_skipped(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    good(subs / "ana" / "m1" / "annotations.sqlite", "one")
    good(subs / "bob" / "m1" / "annotations.sqlite", *[f"n{i}" for i in range(300)])
    report = collect(subs, tmp_path / "class.sqlite", max_seconds=0.0)
    assert all("time budget" in str(s.reason) for s in report.refused)
    assert len(report.refused) == 2


BAD_KINDS = ("garbage", "json-list", "view", "loop", "empty-folder", "bidi-name", "trigger")


def make_bad(subs: Path, name: str, kind: str) -> str:
    """Make a bad submission; return the folder name the summary must name."""
    folder = subs / (name + "\u202e" if kind == "bidi-name" else name)
    store = folder / "m1" / "annotations.sqlite"
    if kind == "garbage":
        store.parent.mkdir(parents=True)
        store.write_bytes(b"not sqlite" * 10)
    elif kind == "json-list":
        good(store, "x")
        with closing(sqlite3.connect(store)) as conn:
            conn.execute("UPDATE annotations SET json = '[]'")
            conn.commit()
    elif kind in ("view", "trigger"):
        good(store, "x")
        with closing(sqlite3.connect(store)) as conn:
            conn.execute("CREATE VIEW v AS SELECT 1" if kind == "view" else
                         "CREATE TRIGGER t AFTER INSERT ON events BEGIN SELECT 1; END")  # fmt: skip
            conn.commit()
    elif kind == "loop":
        folder.symlink_to(folder.name)
    elif kind == "empty-folder":
        folder.mkdir()
    elif kind == "bidi-name":
        good(store, "x")
    return folder.name


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    mix=st.lists(st.one_of(st.integers(1, 3), st.sampled_from(BAD_KINDS)), min_size=1, max_size=6)
)
def test_good_submissions_are_collected_exactly_and_bad_ones_named(
    tmp_path_factory: pytest.TempPathFactory, mix: list[int | str]
) -> None:
    tmp = tmp_path_factory.mktemp("mix")
    subs, into = tmp / "subs", tmp / "class.sqlite"
    subs.mkdir()
    expected: dict[str, set[str]] = {}
    bad: list[str] = []
    for n, what in enumerate(mix):
        name = f"s{n:02d}"
        if isinstance(what, int):
            texts = [f"{name} note {k}" for k in range(what)]
            good(subs / name / "m1" / "annotations.sqlite", *texts)
            expected[name] = set(texts)
        else:
            bad.append(make_bad(subs, name, what))
    start = time.monotonic()
    report = collect(subs, into)
    assert time.monotonic() - start < 30
    summary = report.summary()
    assert "Traceback" not in summary
    for name in bad:
        line = next(s for s in report.students if s.student in (name, name.rstrip("\u202e")))
        assert line.status == "skipped" and line.reason, summary
        assert name.rstrip("\u202e") in summary
    with AnnotationStore(into) as store:
        got: dict[str, set[str]] = {}
        for a in store.list():
            got.setdefault(a["creator"]["nickname"], set()).add(a["body"][0]["value"])
    assert got == expected


def test_the_command_prints_no_traceback_for_a_hostile_class(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    subs = tmp_path / "subs"
    shutil.copytree(CORPUS / "symlink-loop-folder", subs, symlinks=True)
    code = collect_command(subs, tmp_path / "class.sqlite")
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err and "symbolic link loop" in out.out + out.err
    assert code in (0, 1)
