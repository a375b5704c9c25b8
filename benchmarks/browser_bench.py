"""Opening the reader in a real browser: JupyterLab + Chromium with 0 / 1,000 / 10,000 annotations.

`annotate_bench.py` times the kernel's side of opening a reader; this times what a student
waits for: from running the lesson's cell to the reader showing every annotation in the text
(`.ar-reader[data-annotations-loaded]`), beside the same reader with an empty store in the same
run. It reuses the browser-test harness (reader_ext.testing.jupyterlab) and the annotation
generator. With every annotation shown it also times a search in the reading (the widget's own,
typed into its box: index, ranges, highlights), beside the floor of a plain lower-cased
``indexOf`` over the reading's text in the same page.

    .venv/bin/python benchmarks/browser_bench.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from annotate_bench import SIZES, build_store, make_annotations
from playwright.sync_api import sync_playwright
from render_bench import machine

from reader_ext import load_lesson
from reader_ext.testing.jupyterlab import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DEFAULT_VIEWPORT,
    LabServer,
    open_notebook,
)

ROOT = Path(__file__).resolve().parent.parent
MODULE = "01-reading-the-argument"
RESULTS = ROOT / "benchmarks" / "results" / "browser.json"
LOADED = ".ar-reader[data-annotations-loaded]"
# One search of the widget's (Enter on a new query runs it at once; the query alternates with
# its own prefix, so that each Enter searches anew), and the floor beside it, in ms.
SEARCH_JS = """(word) => {
  const input = document.querySelector(".ar-search-input");
  const article = document.querySelector(".ar-article");
  const n = 20;
  let t = performance.now();
  for (let k = 0; k < n; k++) {
    input.value = k % 2 ? word : word.slice(0, -1); // a new query each time: a whole search
    input.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter", bubbles: true}));
  }
  const search = (performance.now() - t) / n;
  const count = document.querySelector(".ar-search-count").textContent;
  t = performance.now();
  for (let k = 0; k < n; k++) {
    const text = article.textContent.toLowerCase();
    for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1));
  }
  return {search, floor: (performance.now() - t) / n, count};
}"""


def prepare(root: Path, size: int) -> str:
    """A copy of the course whose first module's store holds ``size`` annotations."""
    course = root / f"course-{size}"
    shutil.copytree(ROOT / "lessons", course, ignore=shutil.ignore_patterns("*.sqlite*"))
    subprocess.run(
        [sys.executable, "-m", "reader_ext.cli.main", "build", str(course)],
        check=True,
        capture_output=True,
    )
    if size:
        lesson = load_lesson(course / MODULE)
        build_store(course / MODULE / "annotations.sqlite", make_annotations(lesson, size))
    return (course / MODULE / "lesson.ipynb").relative_to(root).as_posix()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: run `make browser` first", file=sys.stderr)
        return 1
    info = machine("jupyterlab", "anywidget", "playwright")
    print("Browser benchmark — " + ", ".join(f"{k}: {v}" for k, v in info.items()))
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="reader-browser-bench-") as tmp:
        root = Path(tmp) / "root"
        root.mkdir()
        notebooks = {size: prepare(root, size) for size in SIZES}
        server = LabServer.start(root, Path(tmp) / "state", Path(tmp) / "lab.log")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
                )
                for size in SIZES:
                    runs: list[float] = []
                    searches: list[float] = []
                    floors: list[float] = []
                    marks = 0
                    for _ in range(args.repeats):
                        context = browser.new_context(viewport=DEFAULT_VIEWPORT)
                        page = context.new_page()
                        open_notebook(page, server, notebooks[size])  # starts running the cell
                        began = time.perf_counter()
                        page.locator(LOADED).wait_for(timeout=180_000)
                        runs.append(time.perf_counter() - began)
                        marks = page.locator("mark.ar-hl").count()
                        timed = page.evaluate(SEARCH_JS, "india")
                        searches.append(timed["search"])
                        floors.append(timed["floor"])
                        context.close()
                    results[str(size)] = {
                        "median_s": statistics.median(runs),
                        "min_s": min(runs),
                        "marks": marks,
                        "search_ms": statistics.median(searches),
                        "search_floor_ms": statistics.median(floors),
                        "search_count": timed["count"],
                    }
                browser.close()
        finally:
            server.stop()
    base = float(results["0"]["median_s"])  # type: ignore[arg-type]
    print("\nFrom running the cell to every annotation shown (median, min; seconds)")
    print(f"  {'store':<20} {'median s':>9} {'min s':>7} {'x empty':>8} {'marks':>8}")
    for size in SIZES:
        row = results[str(size)]
        median = float(row["median_s"])  # type: ignore[arg-type]
        print(
            f"  {size:>6,} annotations  {median:>9.2f} {float(row['min_s']):>7.2f}"  # type: ignore[arg-type]
            f" {median / base:>7.1f}x {row['marks']:>8,}"
        )
    print("\nSearching the reading for 'india' (median ms; floor: lower-cased indexOf of its text)")
    print(f"  {'store':<20} {'search ms':>9} {'floor ms':>9} {'x floor':>8}  matches")
    for size in SIZES:
        row = results[str(size)]
        search, floor = float(row["search_ms"]), float(row["search_floor_ms"])  # type: ignore[arg-type]
        print(
            f"  {size:>6,} annotations  {search:>9.2f} {floor:>9.3f}"
            f" {search / max(floor, 1e-6):>7.1f}x  {row['search_count']}"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"machine": info, "results": results}, indent=2))
    print(f"Results: {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
