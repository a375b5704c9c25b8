"""The rendering benchmark: how much the reading pipeline costs beside plain markdown-it-py.

    .venv/bin/python benchmarks/run.py            # or: make bench
    .venv/bin/python benchmarks/run.py --profile  # where build_document's time goes
    .venv/bin/python benchmarks/run.py --only render   # skip the annotation benchmark
    .venv/bin/python benchmarks/run.py --scale-words 0  # skip the million-word reading

Prints a table and writes ``benchmarks/results/render.json``, then runs the annotation benchmark
(``annotate_bench.py``, ``benchmarks/results/annotate.json``). See ``benchmarks/README.md`` for
what each figure means. Nothing here asserts a time: the figures are for people to read.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import json
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import annotate_bench
import goals
from markdown_it import MarkdownIt
from render_bench import (
    Corpus,
    Timing,
    machine,
    make_corpus,
    peak_memory,
    print_profile,
    time_together,
    write_lesson,
)
from render_scale import scaling_goals, scaling_section

from reader_ext.errors import LessonError
from reader_ext.lessons.load import load_lesson
from reader_ext.text.document import build_document, make_parser
from reader_ext.text.glossmatch import GlossMatcher
from reader_ext.text.markup import sanitize
from reader_ext.widget.payload import lesson_payload

ROOT = Path(__file__).resolve().parent.parent
SEED_LESSON = ROOT / "lessons" / "01-reading-the-argument"
RESULTS = ROOT / "benchmarks" / "results" / "render.json"
GOAL = 1.5  # the product's stated limit: glossed rendering at most 1.5x plain rendering
LOAD_GOAL = 2.0  # and a whole lesson loaded at most 2x plain rendering of its reading
# Repeats per section, chosen so a whole run stays well under a minute on 2 cores.
SEED_REPEATS = 15
LARGE_REPEATS = 10
LESSON_REPEATS = 3
SCALE_REPEATS = 5


def plain_render(text: str) -> str:
    """The baseline: markdown-it-py as anyone would call it, parser construction included."""
    html: str = MarkdownIt("commonmark", {"html": False}).render(text)
    return html


def unglossed_render(text: str) -> str:
    """Our parser (same options and plugins, no glossary) and our sanitiser."""
    return sanitize(make_parser(None).render(text))


def _summary(timing: Timing) -> dict[str, Any]:
    return {
        "median_s": timing.median,
        "min_s": timing.best,
        "cpu_median_s": timing.cpu_median,
        "repeats": len(timing.runs),
    }


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:10.2f}"


def print_table(title: str, timings: dict[str, Timing], baseline: str | None) -> None:
    print(f"\n{title}")
    ratio_head = f"x {baseline} (wall, CPU)" if baseline else ""
    print(f"  {'case':<44}{'median ms':>10}{'min ms':>10}{'CPU ms':>10}  {ratio_head}")
    base = timings[baseline] if baseline else None
    for name, timing in timings.items():
        ratio = (
            f"{timing.median / base.median:6.2f}x {timing.cpu_median / base.cpu_median:6.2f}x"
            if base
            else ""
        )
        print(
            f"  {name:<44}{_ms(timing.median)}{_ms(timing.best)}{_ms(timing.cpu_median)}  {ratio}"
        )


def seed_section(repeats: int) -> dict[str, Any]:
    """Module 1 of the real course: load, validate and render; payload; plain markdown-it-py."""
    lesson = load_lesson(SEED_LESSON)
    reading = lesson.reading
    matcher = GlossMatcher((g.key, g.match) for g in lesson.glossary)
    parser = MarkdownIt("commonmark", {"html": False})
    cases: dict[str, Callable[[], object]] = {
        "plain markdown-it-py render": lambda: plain_render(reading),
        "plain markdown-it-py render, parser reused": lambda: parser.render(reading),
        "build_document (reading + glossary)": lambda: build_document(reading, matcher),
        "load_lesson (load + validate + render)": lambda: load_lesson(SEED_LESSON),
        "lesson_payload (widget payload)": lambda: lesson_payload(lesson),
    }
    timings = time_together(cases, repeats)
    print_table(
        f"1. Seed lesson {SEED_LESSON.name}: {len(reading.split()):,} words, "
        f"{len(lesson.glossary)} glossary entries, {len(lesson.document.occurrences)} glossed",
        timings,
        "plain markdown-it-py render",
    )
    plain = timings["plain markdown-it-py render"].median
    return {
        "words": len(reading.split()),
        "glossary_entries": len(lesson.glossary),
        "occurrences": len(lesson.document.occurrences),
        "timings": {name: _summary(t) for name, t in timings.items()},
        "ratios_to_plain": {name: t.median / plain for name, t in timings.items()},
    }


def large_section(corpus: Corpus, repeats: int) -> dict[str, Any]:
    """The 100,000-word reading: glossed against plain, and the glossed pipeline in stages."""
    text = corpus.markdown
    matcher = GlossMatcher(corpus.matcher_forms())
    glossing = make_parser(matcher)
    tokens = glossing.parse(text, {})
    html = glossing.renderer.render(tokens, glossing.options, {})
    document = build_document(text, matcher)
    cases: dict[str, Callable[[], object]] = {
        "plain markdown-it-py render": lambda: plain_render(text),
        "make_parser(None) render + sanitize": lambda: unglossed_render(text),
        "build_document (glossed)": lambda: build_document(text, matcher),
        # The parser build_document makes: without the rules for marks the reading lacks.
        "  stage: parse, no glossary": lambda: make_parser(None, source=text).parse(text, {}),
        "  stage: parse with gloss matching": lambda: make_parser(matcher, source=text).parse(
            text, {}
        ),
        "  stage: render glossed tokens to HTML": lambda: glossing.renderer.render(
            tokens, glossing.options, {}
        ),
        "  not in it: nh3 on the same HTML": lambda: sanitize(html),
        "  stage: GlossMatcher.find on the plain text": lambda: list(matcher.find(document.text)),
    }
    timings = time_together(cases, repeats)
    density = corpus.words / max(len(document.occurrences), 1)
    print_table(
        f"2. Generated reading: {corpus.words:,} words, {len(text):,} characters, "
        f"{len(corpus.glossary)} glossary entries ({matcher_forms(corpus)} forms), "
        f"{len(document.occurrences):,} glossed (1 per {density:.0f} words)",
        timings,
        "plain markdown-it-py render",
    )
    # CPU seconds: on a shared machine the wall clock of one stage says as much about the
    # other processes as about it, and a difference of two wall-clock medians can be negative.
    med = {name: t.cpu_median for name, t in timings.items()}
    stages = {
        "markdown parse": med["  stage: parse, no glossary"],
        "gloss matching (plugin)": med["  stage: parse with gloss matching"]
        - med["  stage: parse, no glossary"],
        "plain text, offsets, block ids (rest: beyond the HTML, same walk)": med[
            "build_document (glossed)"
        ]
        - med["  stage: parse with gloss matching"]
        - med["  stage: render glossed tokens to HTML"],
        "render HTML (held to the sanitiser's allow-list)": med[
            "  stage: render glossed tokens to HTML"
        ],
    }
    total = med["build_document (glossed)"]
    print("\n  Where build_document's CPU time goes (medians; matching and rest by difference)")
    for name, seconds in stages.items():
        print(f"    {name:<42}{_ms(seconds)} ms  {seconds / total:6.1%}")
    return {
        "words": corpus.words,
        "characters": len(text),
        "glossary_entries": len(corpus.glossary),
        "forms": matcher_forms(corpus),
        "occurrences": len(document.occurrences),
        "words_per_occurrence": density,
        "timings": {name.strip(): _summary(t) for name, t in timings.items()},
        "ratios_to_plain": {
            name.strip(): t.median / timings["plain markdown-it-py render"].median
            for name, t in timings.items()
        },
        "cpu_ratios_to_plain": {
            name.strip(): t.cpu_median / med["plain markdown-it-py render"]
            for name, t in timings.items()
        },
        "stages_s": stages,
    }


def matcher_forms(corpus: Corpus) -> int:
    return sum(len(forms) for _, forms in corpus.matcher_forms())


def lesson_section(corpus: Corpus, repeats: int) -> dict[str, Any]:
    """The generated reading as a lesson folder on disk, loaded end to end."""
    with tempfile.TemporaryDirectory(prefix="reader-bench-") as tmp:
        folder = write_lesson(corpus, Path(tmp) / "generated")
        lesson = load_lesson(folder)
        reading = lesson.reading
        cases: dict[str, Callable[[], object]] = {
            # The floor of load_lesson's goal, timed round-robin with it (a floor from another
            # section of the run moved with the machine's load between the two).
            "plain markdown-it-py render (same reading)": lambda: plain_render(reading),
            "load_lesson (load + validate + render)": lambda: load_lesson(folder),
            "build_document alone (same reading)": lambda: build_document(
                lesson.reading, GlossMatcher((g.key, g.match) for g in lesson.glossary)
            ),
            "lesson_payload (widget payload)": lambda: lesson_payload(lesson),
        }
        timings = time_together(cases, repeats)
    print_table(
        f"3. Generated lesson folder: the same reading, {len(lesson.glossary)} glossary entries "
        f"with definitions and sources, {len(lesson.prompts)} prompts",
        timings,
        "build_document alone (same reading)",
    )
    return {"timings": {name: _summary(t) for name, t in timings.items()}}


def memory_section(corpus: Corpus) -> dict[str, Any]:
    """Peak memory (tracemalloc) of one call each, on the generated reading."""
    text = corpus.markdown
    matcher = GlossMatcher(corpus.matcher_forms())
    cases: dict[str, Callable[[], object]] = {
        "plain markdown-it-py render": lambda: plain_render(text),
        "make_parser(None) render + sanitize": lambda: unglossed_render(text),
        "build_document (glossed)": lambda: build_document(text, matcher),
    }
    peaks = {name: peak_memory(case) for name, case in cases.items()}
    base = peaks["plain markdown-it-py render"]
    print(f"\n4. Peak memory on the generated reading (input: {len(text.encode()) / 1e6:.2f} MB)")
    for name, peak in peaks.items():
        print(f"  {name:<44}{peak / 1e6:10.1f} MB  {peak / base:6.2f}x")
    return {"peak_bytes": peaks, "input_bytes": len(text.encode())}


def profile(corpus: Corpus, top: int) -> None:
    """cProfile of build_document on the generated reading: the ``top`` functions by own time."""
    matcher = GlossMatcher(corpus.matcher_forms())
    build_document(corpus.markdown, matcher)
    profiler = cProfile.Profile()
    profiler.runcall(build_document, corpus.markdown, matcher)
    print_profile(profiler, top)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeats", type=int, help="timed repeats for every section")
    parser.add_argument("--words", type=int, default=100_000, help="size of the generated reading")
    parser.add_argument(
        "--scale-words",
        type=int,
        default=1_000_000,
        help="the larger reading of the scaling section (0: no scaling section)",
    )
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the JSON")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile instead of timing: build_document, or with --only annotate opening a reader",
    )
    parser.add_argument(
        "--only", choices=("render", "annotate"), help="run one benchmark (default: both)"
    )
    args = parser.parse_args(argv)
    if args.only == "annotate":
        return annotate_bench.main(_annotate_args(args.repeats, profile=args.profile))
    if args.words < 20_000:
        # 300 entries at one form per 40 words: fewer words leave entries that never occur,
        # and the generated lesson would not validate.
        parser.error("--words must be at least 20000 (so that every glossary entry occurs)")
    if args.scale_words and args.scale_words <= args.words:
        parser.error("--scale-words must be larger than --words (or 0)")
    corpus = make_corpus(words=args.words)
    if args.profile:
        profile(corpus, 25)
        return 0

    started = time.perf_counter()
    info = machine("markdown-it-py", "nh3")
    print("Rendering benchmark — " + ", ".join(f"{k}: {v}" for k, v in info.items()))
    print("Times: time.perf_counter, 1 warm-up round, then N rounds with the cases interleaved.")
    try:
        seed = seed_section(args.repeats or SEED_REPEATS)
    except LessonError as exc:
        print(f"the seed lesson does not load:\n{exc}", file=sys.stderr)
        return 1
    large = large_section(corpus, args.repeats or LARGE_REPEATS)
    lesson = lesson_section(corpus, args.repeats or LESSON_REPEATS)
    memory = memory_section(corpus)
    scale = (
        scaling_section(corpus, make_corpus(words=args.scale_words), args.repeats or SCALE_REPEATS)
        if args.scale_words
        else None
    )

    timings = large["timings"]
    ratio = large["ratios_to_plain"]["build_document (glossed)"]
    ours = (
        timings["build_document (glossed)"]["median_s"]
        / timings["make_parser(None) render + sanitize"]["median_s"]
    )
    cpu_ratio = (
        timings["build_document (glossed)"]["cpu_median_s"]
        / timings["plain markdown-it-py render"]["cpu_median_s"]
    )
    verdict = "met" if max(ratio, cpu_ratio) <= GOAL else "NOT met"
    print(
        f"\nGoal (glossing at most {GOAL}x plain rendering): {verdict}. build_document is "
        f"{ratio:.2f}x plain markdown-it-py ({cpu_ratio:.2f}x in CPU seconds) and {ours:.2f}x "
        "our unglossed parser + sanitiser."
    )
    elapsed = time.perf_counter() - started
    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": info,
        "goal": {
            "limit": GOAL,
            "ratio_to_plain": ratio,
            "cpu_ratio_to_plain": cpu_ratio,
            "ratio_to_unglossed": ours,
        },
        "seed_lesson": seed,
        "generated_reading": large,
        "generated_lesson": lesson,
        "memory": memory,
        "scaling": scale,
        "benchmark_seconds": elapsed,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    goals.record("render", render_goals(large, lesson) + (scaling_goals(scale) if scale else []))
    print(f"Whole run: {elapsed:.1f} s. Results: {args.output}")
    if args.only == "render":
        return 0
    print()
    return annotate_bench.main(_annotate_args(args.repeats, profile=False))


def render_goals(large: dict[str, Any], lesson: dict[str, Any]) -> list[goals.Goal]:
    """Issue 11's glossing goals, from this run's figures (milliseconds, medians)."""
    timings = large["timings"]
    plain = timings["plain markdown-it-py render"]
    built = timings["build_document (glossed)"]
    loaded = lesson["timings"]["load_lesson (load + validate + render)"]
    plain_here = lesson["timings"]["plain markdown-it-py render (same reading)"]
    name = "plain markdown-it-py"
    return [
        goals.Goal(
            "render: build_document, generated reading",
            built["median_s"] * 1e3,
            "ms",
            plain["median_s"] * 1e3,
            name,
            GOAL,
            "ratio",
        ),
        goals.Goal(
            "render: build_document, CPU seconds",
            built["cpu_median_s"] * 1e3,
            "ms",
            plain["cpu_median_s"] * 1e3,
            name,
            GOAL,
            "ratio",
        ),
        goals.Goal(
            "render: load_lesson, generated folder",
            loaded["median_s"] * 1e3,
            "ms",
            plain_here["median_s"] * 1e3,
            name,
            LOAD_GOAL,
            "ratio",
        ),
        goals.Goal(
            "render: load_lesson, CPU seconds",
            loaded["cpu_median_s"] * 1e3,
            "ms",
            plain_here["cpu_median_s"] * 1e3,
            name,
            LOAD_GOAL,
            "ratio",
        ),
    ]


def _annotate_args(repeats: int | None, *, profile: bool) -> list[str]:
    return (["--repeats", str(repeats)] if repeats else []) + (["--profile"] if profile else [])


if __name__ == "__main__":
    sys.exit(main())
