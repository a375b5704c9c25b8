"""Collect benchmark: a class of 1,000 submissions of 50 annotations each.

Times ``reader_ext.course.collect.collect`` into a new class store, then again (nothing new: the
idempotent re-collect a late submission triggers), against a floor: opening every submitted
SQLite file read-only and selecting all its rows, which any collector must at least do. Peak
memory is measured in a separate run under ``tracemalloc`` (it slows Python down, so it is kept
off the timed runs), and the process's maximum resident set size is given as well.

    .venv/bin/python benchmarks/collect_bench.py                 # 1,000 x 50, about a minute
    .venv/bin/python benchmarks/collect_bench.py --students 100  # a quick look

Writes ``benchmarks/results/collect.json``. Nothing asserts a time.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import sqlite3
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from reader_ext.course.collect import collect
from reader_ext.lessons.layout import STORE_FILE
from reader_ext.store.annotation_store import AnnotationStore

LESSON = "urn:reader-ext:bench:module"
RESULTS = Path(__file__).parent / "results" / "collect.json"


def generate(root: Path, students: int, per_student: int) -> None:
    """One store per student, written through the store's own import (all checks included)."""
    words = ["the", "class", "read", "the", "passage", "closely", "and", "wrote", "about", "it"]
    for s in range(students):
        folder = root / f"s{s:04d}" / "01-module"
        folder.mkdir(parents=True)
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
        with AnnotationStore(folder / STORE_FILE) as store:
            store.import_annotations(items)
            for key in ("eaeu", "sco", "brics"):
                store.record_event("gloss-open", user="jovyan", source=LESSON, key=key)


def read_floor(root: Path) -> int:
    """Open each store read-only and fetch every row: the least a collector must do."""
    rows = 0
    for path in sorted(root.glob(f"*/*/{STORE_FILE}")):
        uri = path.resolve().as_uri() + "?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            rows += len(conn.execute("SELECT * FROM annotations").fetchall())
            rows += len(conn.execute("SELECT * FROM events").fetchall())
    return rows


CPU: dict[str, float] = {}
"""Seconds of this process's CPU per timed call, by label: on a machine shared with others the
wall clock says as much about them as about us."""
WRITES: dict[str, int] = {}
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
    CPU[label] = time.process_time() - cpu
    after = written()
    if before is not None and after is not None:
        WRITES[label] = after - before
    return elapsed, value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--annotations", type=int, default=50)
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc run")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="collect-bench-") as tmp:
        root, work = Path(tmp) / "submissions", Path(tmp)
        root.mkdir()
        generate_s, _ = timed(lambda: generate(root, args.students, args.annotations))
        size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
        os.sync()  # the generated files' own writes are not the collect's
        floor_s, rows = timed(lambda: read_floor(root), "floor")
        first_s, first = timed(
            lambda: collect(root, work / "class.sqlite", progress=False), "first"
        )
        again_s, again = timed(
            lambda: collect(root, work / "class.sqlite", progress=False), "again"
        )
        class_size = sum(p.stat().st_size for p in work.glob("class.sqlite*"))
        peak_mb = None
        if not args.no_memory:
            tracemalloc.start()
            collect(root, work / "memory.sqlite", progress=False)
            peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
    # ru_maxrss is in kilobytes on Linux, bytes on macOS.
    scale = 1e6 if sys.platform == "darwin" else 1e3
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale
    annotations = args.students * args.annotations
    result = {
        "machine": {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
                    "platform": platform.platform(), "cpu": platform.processor() or "unknown"},
        "students": args.students,
        "annotations_per_student": args.annotations,
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
        "cpu_ratio_first_to_floor": round(CPU["first"] / CPU["floor"], 1),
        "cpu_ratio_again_to_floor": round(CPU["again"] / CPU["floor"], 1),
        "class_store_mb": round(class_size / 1e6, 1),
        "written_mb": {k: round(v / 1e6, 1) for k, v in WRITES.items()},
        "annotations_per_s_first": round(annotations / first_s),
        "peak_traced_mb": None if peak_mb is None else round(peak_mb, 1),
        "max_rss_mb": round(maxrss_mb, 1),
    }  # fmt: skip
    rows_out = [
        ("read every store (floor)", "floor", floor_s),
        ("collect into a new class store", "first", first_s),
        ("collect again (nothing new)", "again", again_s),
    ]
    print(f"{args.students} submissions x {args.annotations} annotations ({size / 1e6:.1f} MB)")
    print(f"{'':34} {'seconds':>9} {'x floor':>8} {'CPU s':>8} {'x floor':>8} {'written MB':>11}")
    for label, key, seconds in rows_out:
        writes = f"{WRITES[key] / 1e6:11.1f}" if key in WRITES else f"{'?':>11}"
        print(
            f"{label:34} {seconds:9.2f} {seconds / floor_s:8.1f} {CPU[key]:8.2f} "
            f"{CPU[key] / CPU['floor']:8.1f} {writes}"
        )
    print(f"class store: {class_size / 1e6:.1f} MB")
    if peak_mb is not None:
        print(f"peak traced memory of one collect: {peak_mb:.1f} MB")
    print(f"max resident set size of the process: {maxrss_mb:.1f} MB")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
