"""Report benchmark: the instructor's ``reader-ext report`` on a class of 1,000 students.

Generates a class store the way a real class fills one, on the course in ``lessons/`` (four
modules, their glossaries and prompts): per student 50 annotations — 24 highlights and 12 notes
on passages the class favours (a few of them on text since edited, so they must be searched
for), 9 replies to classmates' notes (some to replies), 5 prompt answers — in Markdown with
emphasis, links, lists and the odd hostile ``<script>``, and about 20 gloss-open events (some
glosses opened again and again). Then times :func:`reader_ext.course.report.report` — what the
command does end to end: ``report.html``, ``students.csv`` and the heat map PNGs — the first
time on the store (nothing kept: every annotation decoded, anchored and its facts kept, every
answer rendered, every heat map drawn) and again (what the first kept reused: each annotation's
sealed facts, the heat map images, the answers' HTML), against a
floor measured in the same run: reading every row of the class store with plain ``sqlite3``
and ``json.loads`` of every annotation, which any report must at least do. Wall and CPU
seconds; rounds alternate floor and report (medians reported). Peak memory is measured in a
separate run under ``tracemalloc``, and the process's maximum resident set size is given.

    .venv/bin/python benchmarks/report_bench.py                  # 1,000 students, about a minute
    .venv/bin/python benchmarks/report_bench.py --students 100   # a quick look
    .venv/bin/python benchmarks/report_bench.py --profile        # cProfile of the repeated report

Writes ``benchmarks/results/report.json`` and the goals (``goals.record("report", ...)``).
The sealing key (:mod:`reader_ext.text.sealed`) is a throwaway one, in the run's temporary
folder. Nothing asserts a time.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import platform
import pstats
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import goals

LESSONS = Path(__file__).resolve().parent.parent / "lessons"
RESULTS = Path(__file__).parent / "results" / "report.json"
GOAL_S = 1.5
GENERATOR = {"id": "https://pypi.org/project/reader-ext/", "type": "Software", "name": "bench"}
_PROSE = (
    "the author claims that India and Russia share interests but the evidence here is thin "
    "and the argument leans on history rather than on figures compare the earlier passage "
    "where the tone is more careful this is a hedge not a commitment why does the writer "
    "quote the ambassador at length a realist would read this as balancing"
)
_WORDS = _PROSE.split()


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def note_text(rng: random.Random) -> str:
    """A note, reply or answer as students write them: mostly a few sentences of prose, some
    with emphasis, a link, a list, a quote, and now and then something hostile."""
    roll = rng.random()
    body = " ".join(_sentence(rng, 6, 18) for _ in range(rng.randint(1, 4)))
    if roll < 0.25:
        return body.replace(" the ", " *the* ", 1).replace(" evidence ", " **evidence** ", 1)
    if roll < 0.35:
        return f"{body} See [the source](https://example.org/{rng.randint(1, 999)})."
    if roll < 0.45:
        items = "\n".join(f"- {_sentence(rng, 3, 8)}" for _ in range(rng.randint(2, 4)))
        return f"{_sentence(rng, 4, 10)}\n\n{items}"
    if roll < 0.50:
        return f"> {_sentence(rng, 5, 12)}\n\n{body}"
    if roll < 0.51:
        return f'{body} <script>alert(1)</script><img src="https://evil.example/t.png">'
    return body


def _passages(text: str, rng: random.Random, count: int) -> list[tuple[int, int]]:
    """Passages of 3 to 25 words, from word start to word end: the class's favourite first."""
    starts = [i for i in range(1, len(text)) if text[i - 1].isspace() and not text[i].isspace()]
    starts.insert(0, 0)
    out: list[tuple[int, int]] = []
    for _ in range(count):
        at = rng.randrange(len(starts) - 30)
        end = starts[at + rng.randint(3, 25)] - 1
        out.append((starts[at], end))
    return out


def _selectors(text: str, start: int, end: int, edited: bool) -> list[dict[str, Any]]:
    exact = text[start:end]
    if edited:  # the text was edited since: the quote must be searched for, fuzzily
        exact = exact[:-3] + "xyz"
    return [
        {
            "type": "TextQuoteSelector",
            "exact": exact,
            "prefix": text[max(0, start - 32) : start],
            "suffix": text[end : end + 32],
        },
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]


def generate(path: Path, students: int, per_student: int = 50, seed: int = 20261201) -> int:
    """Fill a class store at ``path``; return the number of events."""
    from reader_ext.lessons.load import load_course
    from reader_ext.store.annotation_store import AnnotationStore

    rng = random.Random(seed)
    course = load_course(LESSONS)
    modules = course.modules
    passages = {m.uri: _passages(m.document.text, rng, 400) for m in modules}
    gloss_keys = {m.uri: sorted({o.key for o in m.document.occurrences}) for m in modules}
    notes_on: dict[str, list[str]] = {m.uri: [] for m in modules}
    annotations: list[dict[str, Any]] = []
    events: dict[str, list[dict[str, str]]] = {}
    shares = {"highlighting": 24, "commenting": 12, "replying": 9, "answer": 5}
    scale = per_student / sum(shares.values())
    kinds = [k for k, n in shares.items() for _ in range(max(1, round(n * scale)))]
    for s in range(students):
        name = f"student{s:04d}"
        creator = {"id": f"urn:reader-ext:user:{name}", "type": "Person", "nickname": name}
        day = 1 + s % 28
        for n, kind in enumerate(kinds[:per_student]):
            module = modules[rng.choices(range(len(modules)), weights=(4, 3, 3, 2))[0]]
            when = f"2026-11-{day:02d}T{9 + n % 12:02d}:{n % 60:02d}:{s % 60:02d}.000Z"
            ident = f"urn:uuid:{rng.getrandbits(128):032x}"
            item: dict[str, Any] = {
                "@context": "http://www.w3.org/ns/anno.jsonld",
                "id": ident,
                "type": "Annotation",
                "creator": creator,
                "created": when,
                "modified": when,
                "generator": GENERATOR,
            }
            if kind in ("highlighting", "commenting"):
                # Popular passages: a class converges on a few (a power law over the 400).
                pick = passages[module.uri][min(399, int(rng.paretovariate(1.2)) - 1)]
                edited = rng.random() < 0.003
                item["motivation"] = kind
                item["target"] = {
                    "source": module.uri,
                    "selector": _selectors(module.document.text, *pick, edited),
                }
                if kind == "commenting":
                    notes_on[module.uri].append(ident)
            elif kind == "replying" and notes_on[module.uri]:
                item["motivation"] = "replying"
                item["target"] = rng.choice(notes_on[module.uri][-400:])
                notes_on[module.uri].append(ident)  # a reply may be replied to
            else:
                prompt = rng.choice(module.prompts)
                item["motivation"] = "replying"
                item["target"] = f"{module.uri}#prompt-{prompt.id}"
            if item["motivation"] != "highlighting":
                item["body"] = [
                    {
                        "type": "TextualBody",
                        "value": note_text(rng),
                        "format": "text/markdown",
                        "purpose": "commenting",
                    }
                ]
            annotations.append(item)
        mine = events.setdefault(name, [])
        for n in range(rng.randint(10, 30)):
            module = rng.choice(modules)
            if not gloss_keys[module.uri]:
                continue
            key = rng.choice(gloss_keys[module.uri][:12] if n % 3 else gloss_keys[module.uri])
            at = f"2026-11-{day:02d}T{9 + n % 12:02d}:{n % 60:02d}:{s % 60:02d}.500Z"
            mine.append({"kind": "gloss-open", "user": name, "source": module.uri, "key": key,
                         "at": at})  # fmt: skip
    with AnnotationStore(path) as store:
        store.import_annotations(annotations)
        with store.transaction() as tx:
            for name, items in events.items():
                tx.import_events(items, user=name, author=name)
    return sum(len(v) for v in events.values())


def read_floor(path: Path) -> int:
    """Every row of the class store, each annotation's JSON decoded: the least a report does."""
    uri = path.resolve().as_uri() + "?mode=ro"
    rows = 0
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        for (text,) in conn.execute("SELECT json FROM annotations"):
            json.loads(text)
            rows += 1
        rows += len(conn.execute("SELECT * FROM events").fetchall())
    return rows


CPU: dict[str, list[float]] = {}
WALL: dict[str, list[float]] = {}


def timed(call: Callable[[], object], label: str) -> object:
    gc.collect()
    cpu = time.process_time()
    start = time.perf_counter()
    value = call()
    WALL.setdefault(label, []).append(time.perf_counter() - start)
    CPU.setdefault(label, []).append(time.process_time() - cpu)
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--annotations", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3, help="of floor and repeated report")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc run")
    parser.add_argument("--profile", action="store_true", help="cProfile the repeated report")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="report-bench-") as tmp:
        work = Path(tmp)
        os.environ["JUPYTER_DATA_DIR"] = str(work / "jupyter")  # a throwaway sealing key
        from reader_ext.course import heatmap
        from reader_ext.course.report import report

        store = work / "class.sqlite"
        start = time.perf_counter()
        events = generate(store, args.students, args.annotations)
        generate_s = time.perf_counter() - start
        size = sum(p.stat().st_size for p in work.glob("class.sqlite*"))
        out = work / "out"

        def run() -> object:
            # As a new process would (the command is one): no reading laid out before.
            clear = getattr(heatmap, "_layout", None)
            if clear is not None:
                clear.cache_clear()
            return report(store, out, lessons=LESSONS)

        rows = timed(lambda: read_floor(store), "floor")
        timed(run, "first")
        for _ in range(args.rounds):
            timed(lambda: read_floor(store), "floor")
            timed(run, "again")
        command = [str(Path(sys.executable).parent / "reader-ext"), "report", str(store)]
        command += ["--out", str(work / "cli"), "--lessons", str(LESSONS)]
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        cli_s = time.perf_counter() - start
        # The command's own peak (this process's holds the generator's class as well).
        cli_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        html_mb = (out / "report.html").stat().st_size / 1e6
        csv_rows = len((out / "students.csv").read_text(encoding="utf-8").splitlines()) - 1
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(run)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        peak_mb = None
        if not args.no_memory:
            gc.collect()
            tracemalloc.start()
            run()
            peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
    scale = 1e6 if sys.platform == "darwin" else 1e3  # ru_maxrss: kB on Linux, bytes on macOS
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale
    command_rss_mb = cli_rss / scale
    med = {k: statistics.median(v) for k, v in WALL.items()}
    cpu = {k: statistics.median(v) for k, v in CPU.items()}
    load = os.getloadavg()
    result = {
        "machine": {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
                    "platform": platform.platform(), "cpus": os.cpu_count()},
        "students": args.students,
        "annotations": args.students * args.annotations,
        "events": events,
        "class_store_mb": round(size / 1e6, 1),
        "generate_s": round(generate_s, 2),
        "floor_rows": rows,
        "wall_s": {k: [round(x, 3) for x in v] for k, v in WALL.items()},
        "cpu_s": {k: [round(x, 3) for x in v] for k, v in CPU.items()},
        "command_wall_s": round(cli_s, 3),
        "report_html_mb": round(html_mb, 2),
        "csv_rows": csv_rows,
        "peak_traced_mb": None if peak_mb is None else round(peak_mb, 1),
        "max_rss_mb": round(maxrss_mb, 1),
        "command_max_rss_mb": round(command_rss_mb, 1),
        "load_average": [round(x, 2) for x in load],
    }  # fmt: skip
    print(
        f"{args.students} students x {args.annotations} annotations, {events} events "
        f"({size / 1e6:.1f} MB class store); report.html {html_mb:.1f} MB, {csv_rows} CSV rows"
    )
    print(f"{'':40} {'seconds':>9} {'x floor':>8} {'CPU s':>8} {'x floor':>8}")
    for label, key in (
        ("read the class store (floor)", "floor"),
        ("report, first (nothing kept)", "first"),
        ("report, again (median)", "again"),
    ):
        print(
            f"{label:40} {med[key]:9.2f} {med[key] / med['floor']:8.1f} "
            f"{cpu[key]:8.2f} {cpu[key] / cpu['floor']:8.1f}"
        )
    print(f"{'reader-ext report, the command (once)':40} {cli_s:9.2f} {cli_s / med['floor']:8.1f}")
    if peak_mb is not None:
        print(f"peak traced memory of one report: {peak_mb:.1f} MB")
    print(f"max resident set size of reader-ext report: {command_rss_mb:.1f} MB")
    print(f"max resident set size of this process (generator included): {maxrss_mb:.1f} MB")
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} cores)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written {RESULTS}")
    floor_name = "sqlite3 + json.loads of the class store"
    goals.record(
        "report",
        [
            goals.Goal(
                f"report: {args.students:,} students, notes' HTML reused",
                med["again"],
                "s",
                med["floor"],
                floor_name,
                GOAL_S,
                "value",
            )
        ],
        note=(
            f"load average {load[0]:.1f}; CPU {cpu['again']:.2f} s; "
            f"first report (nothing kept) {med['first']:.2f} s, CPU {cpu['first']:.2f} s"
        ),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
