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


def timed(call: Callable[[], object]) -> tuple[float, object]:
    gc.collect()
    start = time.perf_counter()
    value = call()
    return time.perf_counter() - start, value


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
        floor_s, rows = timed(lambda: read_floor(root))
        first_s, first = timed(lambda: collect(root, work / "class.sqlite", progress=False))
        again_s, again = timed(lambda: collect(root, work / "class.sqlite", progress=False))
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
        "annotations_per_s_first": round(annotations / first_s),
        "peak_traced_mb": None if peak_mb is None else round(peak_mb, 1),
        "max_rss_mb": round(maxrss_mb, 1),
    }  # fmt: skip
    rows_out = [
        ("read every store (floor)", floor_s, 1.0),
        ("collect into a new class store", first_s, first_s / floor_s),
        ("collect again (nothing new)", again_s, again_s / floor_s),
    ]
    print(f"{args.students} submissions x {args.annotations} annotations ({size / 1e6:.1f} MB)")
    print(f"{'':34} {'seconds':>9} {'x floor':>8}")
    for label, seconds, ratio in rows_out:
        print(f"{label:34} {seconds:9.2f} {ratio:8.1f}")
    if peak_mb is not None:
        print(f"peak traced memory of one collect: {peak_mb:.1f} MB")
    print(f"max resident set size of the process: {maxrss_mb:.1f} MB")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
