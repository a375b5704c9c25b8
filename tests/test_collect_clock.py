"""Collect's own clock: claimed times bounded by when each submission was first and last seen.

On both engines (``store_location``): the class store records, per student and submitted store,
when a collect first and last merged it (migration 0005, ``submissions_seen``).
"""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from reader_ext.annotations.clean import Checked
from reader_ext.annotations.shape import KEY_ORDER
from reader_ext.annotations.values import utc_now
from reader_ext.course.collect import collect
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.store.clock import EARLIEST, on_our_clock
from reader_ext.store.schema import submissions_seen_table

LESSON = "urn:reader-ext:course:module"


def note(text: str) -> dict[str, object]:
    return {
        "motivation": "commenting",
        "body": [{"type": "TextualBody", "value": text, "purpose": "commenting"}],
        "target": {"source": LESSON, "selector": [{"type": "TextQuoteSelector", "exact": "x"}]},
    }


def write(path: Path, *texts: str) -> list[str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with AnnotationStore(path) as store:
        return [store.add(note(t), user="jovyan")["id"] for t in texts]


def claim(path: Path, ident: str, created: str, modified: str, text: str | None = None) -> None:
    """Rewrite an annotation's claimed times (and text) in the student's file, as a script can."""
    with closing(sqlite3.connect(path)) as conn:
        (raw,) = conn.execute("SELECT json FROM annotations WHERE id = ?", (ident,)).fetchone()
        item = json.loads(raw) | {"created": created, "modified": modified}
        if text is not None:
            item["body"][0]["value"] = text
        conn.execute("UPDATE annotations SET json = ? WHERE id = ?", (json.dumps(item), ident))
        conn.commit()


def seen_rows(into: str) -> list[tuple[str, str, str, str]]:
    with AnnotationStore(into) as store, store.reading() as conn:
        rows = conn.execute(sa.select(submissions_seen_table)).all()
    return [(r.student, r.submission, r.first_seen, r.last_seen) for r in rows]


def by_id(into: str) -> dict[str, dict[str, object]]:
    with AnnotationStore(into) as store:
        return {a["id"]: a for a in store.list()}


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())


def test_a_later_submission_cannot_backdate_what_is_new_in_it(
    tmp_path: Path, store_location: str
) -> None:
    subs, into = tmp_path / "subs", store_location
    store = subs / "ana" / "m1" / "annotations.sqlite"
    (first,) = write(store, "before the deadline")
    claim(store, first, "2024-03-01T10:00:00.000Z", "2024-03-01T10:00:00.000Z")
    collect(subs, into)
    ((student, submission, first_seen, last_seen),) = seen_rows(into)
    assert (student, submission) == ("ana", "m1/annotations.sqlite")
    assert first_seen == last_seen
    # A true past time, before the first collection, is kept as the student claims it.
    assert by_id(into)[first]["created"] == "2024-03-01T10:00:00.000Z"

    time.sleep(0.01)
    # After the collection: a new note claiming to be from before it, and an edit backdated.
    (late,) = write(store, "written after the deadline")
    claim(store, late, "2024-03-01T09:00:00.000Z", "2024-03-01T09:00:00.000Z")
    claim(store, first, "2001-01-01T00:00:00.000Z", "2024-03-02T00:00:00.000Z", "edited")
    report = collect(subs, into)
    ana = report.students[0]
    assert (ana.added, ana.updated) == (1, 1), report.summary()
    ((_, _, first_again, last_again),) = seen_rows(into)
    assert first_again == first_seen and last_again > last_seen
    held = by_id(into)
    # Not dated before the collection that did not have them...
    assert held[late]["created"] == last_seen and held[late]["modified"] == last_seen
    assert held[first]["modified"] == last_seen
    # ...and a collected annotation's created is never rewritten by a later submission.
    assert held[first]["created"] == "2024-03-01T10:00:00.000Z"

    # Again with nothing new: nothing changes, only last_seen moves on.
    again = collect(subs, into).students[0]
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    assert by_id(into) == held
    ((_, _, first_third, last_third),) = seen_rows(into)
    assert first_third == first_seen and last_third > last_again


def test_claimed_times_stay_within_the_floor_and_this_run(
    tmp_path: Path, store_location: str
) -> None:
    subs = tmp_path / "subs"
    store = subs / "ben" / "annotations.sqlite"
    (ident,) = write(store, "one")
    claim(store, ident, "2001-01-01T00:00:00.000Z", "2999-01-01T00:00:00.000Z")
    before = now()
    collect(subs, store_location)
    held = by_id(store_location)[ident]
    assert held["created"] == EARLIEST
    assert before[:19] <= str(held["modified"])[:19] <= now()[:19]
    (row,) = seen_rows(store_location)
    assert row[1] == "annotations.sqlite" and row[3] == held["modified"]


def test_a_skipped_submission_is_not_seen(tmp_path: Path, store_location: str) -> None:
    subs = tmp_path / "subs"
    write(subs / "ana" / "m1" / "annotations.sqlite", "fine")
    bad = subs / "ben" / "m1" / "annotations.sqlite"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"not a database at all" * 4)
    report = collect(subs, store_location)
    assert [s.student for s in report.refused] == ["ben"]
    assert [r[0] for r in seen_rows(store_location)] == ["ana"]


_STAMPS = st.sampled_from(
    [
        "2019-12-31T23:59:59.999Z",
        EARLIEST,
        "2020-01-01T00:00:00.001Z",
        "2026-11-29T15:00:00.000Z",
        "2026-11-30T00:00:00.000Z",
        "2026-12-01T00:00:00.000Z",
        "2026-12-01T00:00:00.001Z",
        "2999-01-01T00:00:00.000Z",
    ]
)


@settings(max_examples=400, deadline=None)
@given(
    created=st.none() | _STAMPS,
    modified=st.none() | _STAMPS,
    since=st.none() | _STAMPS,
    held=st.none() | st.tuples(_STAMPS, _STAMPS),
)
def test_a_checked_annotation_gets_the_times_the_full_way_gives_it(
    created: str | None, modified: str | None, since: str | None, held: tuple[str, str] | None
) -> None:
    """The shortcut for a new annotation read in one pass (times in bounds: kept as they are)
    gives what bounding every time gives, with the keys in the same order."""
    item = Checked(
        {
            "id": "urn:uuid:00000000-0000-4000-8000-000000000001",
            "motivation": "commenting",
            **({"created": created} if created else {}),
            **({"modified": modified} if modified else {}),
            "target": LESSON,
        }
    )
    seen = "2026-12-01T00:00:00.000Z"
    known = None if held is None else SimpleNamespace(created=held[0], modified=held[1])
    fast = on_our_clock(item, known, seen, since, checked=True)
    full = on_our_clock(dict(item), known, seen, since, checked=False)
    assert fast == full
    assert list(fast[0]) == list(full[0])


def test_a_checked_annotation_given_a_time_by_the_clock_is_stored_in_key_order(
    tmp_path: Path,
) -> None:
    """A re-collected annotation with no ``created`` of its own gets the held one: stored with
    its keys in the one order all the same."""
    subs = tmp_path / "subs"
    store = subs / "ben" / "annotations.sqlite"
    (ident,) = write(store, "one")
    into = str(tmp_path / "class.sqlite")
    collect(subs, into)
    with closing(sqlite3.connect(store)) as conn:
        (raw,) = conn.execute("SELECT json FROM annotations WHERE id = ?", (ident,)).fetchone()
        item = json.loads(raw)
        del item["created"]
        time.sleep(0.01)
        item["modified"] = utc_now()  # after the collect's clock of the first run
        item["body"][0]["value"] = "one, edited"
        conn.execute("UPDATE annotations SET json = ? WHERE id = ?", (json.dumps(item), ident))
        conn.commit()
    assert collect(subs, into).total("updated") == 1
    with closing(sqlite3.connect(into)) as conn:
        (raw,) = conn.execute("SELECT json FROM annotations WHERE id = ?", (ident,)).fetchone()
    stored = json.loads(raw)
    assert stored["body"][0]["value"] == "one, edited"
    assert list(stored) == [k for k in KEY_ORDER if k in stored]
