"""Collect benchmark: a class of 1,000 submissions of 50 annotations each.

Times ``reader_ext.course.collect.collect`` into a new class store, then again (nothing new: the
idempotent re-collect a late submission triggers), against a floor: opening every submitted
SQLite file read-only and selecting all its rows, which any collector must at least do. Peak
memory is measured in a separate run under ``tracemalloc`` (it slows Python down, so it is kept
off the timed runs), and the process's maximum resident set size is given as well. The floor
and the two collects run round-robin, three rounds (``--rounds``) at each size, each first
collect into a new class store; the figures are the rounds' medians. The same class with one
annotation a submission is timed beside it (``--no-split`` skips it), which splits a first
collect's CPU into what a submission costs apart from its annotations and what each annotation
costs, against the floor's same two parts and SQLite's own cost of inserting a row. A second
floor, for information, is the least a collector in Python can do (``decode_floor``: read,
decode with msgspec's typed structs, encode, insert; no check written in Python, no merge).

    .venv/bin/python benchmarks/collect_bench.py                 # 1,000 x 50, about a minute
    .venv/bin/python benchmarks/collect_bench.py --students 100  # a quick look
    .venv/bin/python benchmarks/collect_bench.py --scale 5000    # and 5,000: is it linear?

Records its goals (``goals.record("collect", ...)``): a first collect at most 3x the floor, a
collect with nothing new at most 1.5x, bytes written at most 3x the class store's size, and with
``--scale`` the CPU per submission at that many students at most 1.25x the cost at 1,000.

Writes ``benchmarks/results/collect.json``. Nothing asserts a time.
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import goals
import msgspec

from reader_ext.annotations.clean import Vouched
from reader_ext.course.collect import collect
from reader_ext.lessons.layout import STORE_FILE
from reader_ext.store.annotation_store import AnnotationStore

LESSON = "urn:reader-ext:bench:module"
RESULTS = Path(__file__).parent / "results" / "collect.json"


def generate(root: Path, students: int, per_student: int) -> None:
    """One store per student: one written through the store's own import (all checks included),
    copied for every student with new ids (an id submitted by two students is nobody's)."""
    words = ["the", "class", "read", "the", "passage", "closely", "and", "wrote", "about", "it"]
    items: list[dict[str, Any]] = []
    for n in range(per_student):
        text = " ".join(words[(n + k) % len(words)] for k in range(8 + n % 20))
        items.append(
            {
                "id": f"urn:uuid:{uuid.uuid4()}",
                "motivation": "commenting",
                "creator": {"id": "urn:reader-ext:user:jovyan", "nickname": "jovyan"},
                "created": "2026-11-29T15:00:00.000Z",
                "body": [{"type": "TextualBody", "value": text, "purpose": "commenting"}],
                "target": {
                    "source": LESSON,
                    "selector": [
                        {"type": "TextQuoteSelector", "exact": f"passage {n}"},
                        {"type": "TextPositionSelector", "start": n * 10, "end": n * 10 + 9},
                    ],
                },
            }
        )
    template = root.parent / "template.sqlite"
    with AnnotationStore(template) as store:
        store.import_annotations(items)
        for key in ("eaeu", "sco", "brics"):
            store.record_event("gloss-open", user="jovyan", source=LESSON, key=key)
    # The rows as the store wrote them; the template keeps its schema and events, and each
    # student's copy gets the rows again under new ids, written in order as the store wrote them.
    with closing(sqlite3.connect(template)) as conn:
        names = [r[1] for r in conn.execute("PRAGMA table_info(annotations)")]
        written = conn.execute(
            f"SELECT {', '.join(names)} FROM annotations ORDER BY seq"
        ).fetchall()
        conn.execute("DELETE FROM annotations")
        conn.commit()
        conn.execute("VACUUM")
    at_id, at_json = names.index("id"), names.index("json")
    insert = f"INSERT INTO annotations ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    for s in range(students):
        folder = root / f"s{s:04d}" / "01-module"
        folder.mkdir(parents=True)
        path = folder / STORE_FILE
        shutil.copyfile(template, path)
        fresh = []
        for row in written:
            new_id, values = f"urn:uuid:{uuid.uuid4()}", list(row)
            values[at_json] = str(row[at_json]).replace(str(row[at_id]), new_id, 1)
            values[at_id] = new_id
            fresh.append(values)
        with closing(sqlite3.connect(path)) as conn:
            conn.executemany(insert, fresh)
            conn.commit()
    template.unlink()


def read_floor(root: Path) -> int:
    """Open each store read-only and fetch every row: the least a collector must do."""
    rows = 0
    for path in sorted(root.glob(f"*/*/{STORE_FILE}")):
        uri = path.resolve().as_uri() + "?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            rows += len(conn.execute("SELECT * FROM annotations").fetchall())
            rows += len(conn.execute("SELECT * FROM events").fetchall())
    return rows


def annotation_ddl(class_store: Path) -> list[str]:
    """The SQL that makes the class store's annotation table and its indexes."""
    with closing(sqlite3.connect(class_store)) as conn:
        return [
            str(sql)
            for (sql,) in conn.execute(
                "SELECT sql FROM sqlite_master WHERE tbl_name = 'annotations' AND sql IS NOT NULL"
            )
        ]


def insert_into_new(into: Path, ddl: list[str], insert: str, rows: list[Any]) -> int:
    """``rows`` inserted by ``insert`` into a new file made by ``ddl``, as a collect writes: WAL
    mode with ``synchronous=FULL``, in one transaction."""
    with closing(sqlite3.connect(into, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        for sql in ddl:
            conn.execute(sql)
        conn.execute("BEGIN")
        conn.executemany(insert, rows)
        conn.execute("COMMIT")
    return len(rows)


def write_floor(class_store: Path, into: Path) -> Callable[[], object]:
    """What writing the collected rows costs SQLite alone: the class store's annotation rows
    (read beforehand, untimed), inserted in the order of their ids into a new file with the same
    table and indexes (:func:`insert_into_new`)."""
    ddl = annotation_ddl(class_store)
    with closing(sqlite3.connect(class_store)) as conn:
        rows = conn.execute("SELECT * FROM annotations ORDER BY id").fetchall()
    insert = f"INSERT INTO annotations VALUES ({', '.join('?' * len(rows[0]))})"
    return lambda: insert_into_new(into, ddl, insert, rows)


def decode_floor(root: Path, class_store: Path, into: Path) -> Callable[[], object]:
    """The least a collector written in Python can do: read every store as the floor does,
    decode each annotation's JSON with msgspec into the typed structs the one-pass check uses
    (types, allowed values, lengths and patterns checked in C; none of the checks written in
    Python, no merge), encode it again and insert its row, sorted by id, into a new file with the
    class store's table and indexes (:func:`insert_into_new`)."""
    ddl = annotation_ddl(class_store)
    decoder, encoder = msgspec.json.Decoder(Vouched), msgspec.json.Encoder()
    insert = "INSERT INTO annotations VALUES (?, ?, ?, ?, NULL, NULL, ?, ?, NULL, NULL, ?, ?)"

    def collect_least() -> object:
        found: list[tuple[object, ...]] = []
        for path in sorted(root.glob(f"*/*/{STORE_FILE}")):
            uri = path.resolve().as_uri() + "?mode=ro"
            with closing(sqlite3.connect(uri, uri=True)) as conn:
                for (text,) in conn.execute("SELECT json FROM annotations"):
                    a = decoder.decode(text)
                    target = a.target
                    source = target if isinstance(target, str) else target.source
                    nickname = "" if a.creator is msgspec.UNSET else a.creator.nickname
                    found.append(
                        (a.id, source, nickname, a.motivation, a.created, a.modified,
                         len(found), encoder.encode(a).decode("utf-8"))
                    )  # fmt: skip
                conn.execute("SELECT * FROM events").fetchall()
        found.sort(key=lambda row: str(row[0]))
        return insert_into_new(into, ddl, insert, found)

    return collect_least


CPU: dict[str, Any] = {}
"""Seconds of this process's CPU per timed call, by label: on a machine shared with others the
wall clock says as much about them as about us."""
WRITES: dict[str, Any] = {}
"""Bytes this process made the kernel write to storage per timed call (Linux only)."""


def written() -> int | None:
    """Bytes written to storage by this process so far (``/proc/self/io``), if known."""
    try:
        for line in Path("/proc/self/io").read_text().splitlines():
            if line.startswith("write_bytes:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def timed(call: Callable[[], object], label: str = "") -> tuple[float, object]:
    gc.collect()
    before = written()
    cpu = time.process_time()
    start = time.perf_counter()
    value = call()
    elapsed = time.perf_counter() - start
    CPU.setdefault(label, []).append(time.process_time() - cpu)
    after = written()
    if before is not None and after is not None:
        WRITES.setdefault(label, []).append(after - before)
    return elapsed, value


def run(students: int, per_student: int, memory: bool, rounds: int = 1) -> dict[str, Any]:
    """Generate a class, then time the floor and two collects (a first one into a new class
    store, and again), ``rounds`` times round-robin; the figures are the rounds' medians."""
    CPU.clear()
    WRITES.clear()
    wall: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="collect-bench-") as tmp:
        root, work = Path(tmp) / "submissions", Path(tmp)
        root.mkdir()
        generate_s, _ = timed(lambda: generate(root, students, per_student))
        size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
        for n in range(rounds):
            into = work / f"class{n}.sqlite"
            os.sync()  # the generated files' (and the last round's) writes are not the collect's
            floor_s, rows = timed(lambda: read_floor(root), "floor")
            into_new = functools.partial(collect, root, into, progress=False)
            first_s, first = timed(into_new, "first")
            again_s, again = timed(into_new, "again")
            class_size = sum(p.stat().st_size for p in work.glob(f"{into.name}*"))
            rows_only = work / "rows-only.sqlite"
            write_s, _ = timed(write_floor(into, rows_only), "write floor")
            for p in work.glob(f"{rows_only.name}*"):
                p.unlink()
            least_s, _ = timed(decode_floor(root, into, rows_only), "decode floor")
            laps = (("floor", floor_s), ("first", first_s), ("again", again_s))
            for label, seconds in (*laps, ("write floor", write_s), ("decode floor", least_s)):
                wall.setdefault(label, []).append(seconds)
            for p in [*work.glob(f"{into.name}*"), *work.glob(f"{rows_only.name}*")]:
                p.unlink()
        peak_mb = None
        if memory:
            tracemalloc.start()
            collect(root, work / "memory.sqlite", progress=False)
            peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
    annotations = students * per_student
    cpu_all, writes_all = dict(CPU), dict(WRITES)
    CPU.clear()
    CPU.update({k: statistics.median(v) for k, v in cpu_all.items()})
    WRITES.clear()
    WRITES.update({k: int(statistics.median(v)) for k, v in writes_all.items()})
    floor_s, first_s, again_s, write_s, least_s = (
        statistics.median(wall[k])
        for k in ("floor", "first", "again", "write floor", "decode floor")
    )
    return {
        "rounds": rounds,
        "rounds_cpu_s": {k: [round(x, 3) for x in v] for k, v in cpu_all.items() if k},
        "students": students,
        "annotations_per_student": per_student,
        "submitted_mb": round(size / 1e6, 1),
        "generate_s": round(generate_s, 2),
        "floor_read_s": round(floor_s, 3),
        "floor_rows": rows,
        "collect_first_s": round(first_s, 3),
        "collect_again_s": round(again_s, 3),
        "first_added": first.total("added"),  # type: ignore[attr-defined]
        "again_unchanged": again.total("unchanged"),  # type: ignore[attr-defined]
        "ratio_first_to_floor": round(first_s / floor_s, 1),
        "ratio_again_to_floor": round(again_s / floor_s, 1),
        "cpu_s": {k: round(v, 3) for k, v in CPU.items()},
        "cpu_ratio_first_to_floor": round(CPU["first"] / CPU["floor"], 2),
        "cpu_ratio_again_to_floor": round(CPU["again"] / CPU["floor"], 2),
        "cpu_ms_per_submission_first": round(CPU["first"] / students * 1e3, 3),
        "cpu_ms_per_submission_again": round(CPU["again"] / students * 1e3, 3),
        "class_store_mb": round(class_size / 1e6, 1),
        "written_mb": {k: round(v / 1e6, 1) for k, v in WRITES.items()},
        "annotations_per_s_first": round(annotations / first_s),
        "peak_traced_mb": None if peak_mb is None else round(peak_mb, 1),
        "wall_s": {
            "floor": floor_s,
            "first": first_s,
            "again": again_s,
            "write floor": write_s,
            "decode floor": least_s,
        },
        "cpu_raw": dict(CPU),
        "writes_raw": dict(WRITES),
        "class_size": class_size,
    }


def show(r: dict[str, Any]) -> None:
    wall, cpu, writes = r["wall_s"], r["cpu_raw"], r["writes_raw"]
    print(
        f"{r['students']} submissions x {r['annotations_per_student']} annotations "
        f"({r['submitted_mb']:.1f} MB); medians of {r['rounds']} round(s), CPU s of each: "
        + ", ".join(f"{k} {v}" for k, v in r["rounds_cpu_s"].items())
    )
    print(f"{'':34} {'seconds':>9} {'x floor':>8} {'CPU s':>8} {'x floor':>8} {'written MB':>11}")
    rows_out = [
        ("read every store (floor)", "floor"),
        ("collect into a new class store", "first"),
        ("collect again (nothing new)", "again"),
        ("sqlite3 inserting its rows (FYI)", "write floor"),
        ("read, msgspec decode, insert (FYI)", "decode floor"),
    ]
    for label, key in rows_out:
        written_mb = f"{writes[key] / 1e6:11.1f}" if key in writes else f"{'?':>11}"
        print(
            f"{label:34} {wall[key]:9.2f} {wall[key] / wall['floor']:8.2f} {cpu[key]:8.2f} "
            f"{cpu[key] / cpu['floor']:8.2f} {written_mb}"
        )
    both = cpu["floor"] + cpu["write floor"]
    print(
        f"first collect against reading every store and inserting its rows with sqlite3 alone "
        f"(CPU {both:.2f} s): {cpu['first'] / both:.2f}x"
    )
    least = cpu["decode floor"]
    print(
        f"the least collector in Python (read, decode with msgspec's typed structs, encode, "
        f"insert; no checks in Python, no merge) is {least / cpu['floor']:.2f}x the floor: "
        f"{3 * cpu['floor'] - least:.2f} s of CPU left, under a 3x goal, for everything else "
        f"({(3 * cpu['floor'] - least) / (r['students'] * r['annotations_per_student']) * 1e6:.1f}"
        f" us an annotation); the first collect takes {cpu['first'] - least:.2f} s more"
    )
    first, again = r["cpu_ms_per_submission_first"], r["cpu_ms_per_submission_again"]
    print(
        f"class store: {r['class_size'] / 1e6:.1f} MB; CPU per submission: first "
        f"{first:.2f} ms, again {again:.2f} ms"
    )
    if r["peak_traced_mb"] is not None:
        print(f"peak traced memory of one collect: {r['peak_traced_mb']:.1f} MB")


def where_it_goes(base: dict[str, Any], one: dict[str, Any]) -> dict[str, float]:
    """CPU of a submission apart from its annotations (the run at one annotation each), and of
    each further annotation (the difference to ``base``), for the collect and for the floor;
    and what SQLite alone takes to insert an annotation's row (the write floor of ``base``)."""
    n, extra = base["students"], base["annotations_per_student"] - 1
    cpu, cpu1 = base["cpu_raw"], one["cpu_raw"]
    split = {
        "submission_first_ms": cpu1["first"] / n * 1e3,
        "submission_floor_ms": cpu1["floor"] / n * 1e3,
        "annotation_first_us": (cpu["first"] - cpu1["first"]) / (n * extra) * 1e6,
        "annotation_floor_us": (cpu["floor"] - cpu1["floor"]) / (n * extra) * 1e6,
        "annotation_insert_us": cpu["write floor"] / (n * (extra + 1)) * 1e6,
    }
    print(
        "Where a first collect's CPU goes (a run at 1 annotation a submission beside it): "
        f"a submission {split['submission_first_ms']:.2f} ms against the floor's "
        f"{split['submission_floor_ms']:.2f} ms "
        f"({split['submission_first_ms'] / split['submission_floor_ms']:.2f}x); each further "
        f"annotation {split['annotation_first_us']:.1f} us against the floor's "
        f"{split['annotation_floor_us']:.1f} us to read its row "
        f"({split['annotation_first_us'] / split['annotation_floor_us']:.1f}x) and sqlite3's "
        f"{split['annotation_insert_us']:.1f} us to insert it"
    )
    return {k: round(v, 3) for k, v in split.items()}


def record_goals(r: dict[str, Any], scaled: dict[str, Any] | None) -> None:
    n = f"{r['students']:,} x {r['annotations_per_student']}"
    wall, cpu, writes = r["wall_s"], r["cpu_raw"], r["writes_raw"]
    rows = [
        goals.Goal(f"collect {n}: first, wall", wall["first"], "s", wall["floor"],
                   "sqlite3 reading every file", 3, "ratio"),
        goals.Goal(f"collect {n}: first, CPU", cpu["first"], "s", cpu["floor"],
                   "sqlite3 reading every file (CPU)", 3, "ratio"),
        goals.Goal(f"collect {n}: nothing new, wall", wall["again"], "s", wall["floor"],
                   "sqlite3 reading every file", 1.5, "ratio"),
        goals.Goal(f"collect {n}: nothing new, CPU", cpu["again"], "s", cpu["floor"],
                   "sqlite3 reading every file (CPU)", 1.5, "ratio"),
    ]  # fmt: skip
    if "first" in writes:
        rows.append(
            goals.Goal(f"collect {n}: bytes written, first", writes["first"] / 1e6, "MB",
                       r["class_size"] / 1e6, "the class store's size", 3, "ratio")
        )  # fmt: skip
    if scaled is not None:
        m = f"{scaled['students']:,} x {scaled['annotations_per_student']}"
        s_cpu, s_writes = scaled["cpu_raw"], scaled["writes_raw"]
        rows.append(
            goals.Goal(f"collect {m}: nothing new, CPU", s_cpu["again"], "s", s_cpu["floor"],
                       "sqlite3 reading every file (CPU)", 1.5, "ratio")
        )  # fmt: skip
        if "first" in s_writes:
            rows.append(
                goals.Goal(f"collect {m}: bytes written, first", s_writes["first"] / 1e6, "MB",
                           scaled["class_size"] / 1e6, "the class store's size", 3, "ratio")
            )  # fmt: skip
        rows.append(
            goals.Goal(
                f"collect: CPU per submission at {scaled['students']:,} (first)",
                scaled["cpu_ms_per_submission_first"], "ms",
                r["cpu_ms_per_submission_first"], f"the same at {r['students']:,}", 1.25, "ratio",
            )
        )  # fmt: skip
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    goals.record("collect", rows, note=f"load average {load:.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--annotations", type=int, default=50)
    parser.add_argument(
        "--scale", type=int, default=0, help="also run at this many students (linear?)"
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc run")
    parser.add_argument(
        "--no-split",
        action="store_true",
        help="skip the run at one annotation a submission (where the time goes)",
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of floor, first and again (medians)"
    )
    args = parser.parse_args(argv)
    base = run(args.students, args.annotations, not args.no_memory, args.rounds)
    show(base)
    split = None
    if args.annotations > 1 and not args.no_split:
        split = where_it_goes(base, run(args.students, 1, False, args.rounds))
    scaled = None
    if args.scale:
        scaled = run(args.scale, args.annotations, False, args.rounds)
        show(scaled)
        per = scaled["cpu_ms_per_submission_first"] / base["cpu_ms_per_submission_first"]
        print(
            f"CPU per submission, first collect: {base['cpu_ms_per_submission_first']:.2f} ms at "
            f"{args.students:,}, {scaled['cpu_ms_per_submission_first']:.2f} ms at "
            f"{args.scale:,} ({per:.2f}x)"
        )
    # ru_maxrss is in kilobytes on Linux, bytes on macOS.
    scale = 1e6 if sys.platform == "darwin" else 1e3
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale
    print(f"max resident set size of the process: {maxrss_mb:.1f} MB")
    result = {
        "machine": {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
                    "platform": platform.platform(), "cpu": platform.processor() or "unknown"},
        **{k: v for k, v in base.items() if k not in ("wall_s", "cpu_raw", "writes_raw")},
        "scaled": None if scaled is None else {
            k: v for k, v in scaled.items() if k not in ("wall_s", "cpu_raw", "writes_raw")
        },
        "split": split,
        "max_rss_mb": round(maxrss_mb, 1),
    }  # fmt: skip
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written {RESULTS}")
    record_goals(base, scaled)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
