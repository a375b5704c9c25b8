"""Whether glossing stays linear: cost per word of a 100,000- and a 1,000,000-word reading.

``run.py`` calls :func:`scaling_section` (``--scale-words 0`` skips it). Both readings come from
the same generator (``render_bench.make_corpus``, the same density of glossary forms), and the
four cases — plain markdown-it-py and ``build_document`` at each size — run round-robin, so the
two sizes are timed in the same conditions. Linear means the cost per word at a million words is
the same as at a hundred thousand. markdown-it-py itself is not quite linear: its cost per word
grows by a quarter to a half from one size to the other, and with Python's garbage collector
off it does not (0.53 and 0.51 µs). So the goal is that ``build_document``'s cost per word
grows no more than markdown-it-py's own, within 10 %: what the reading pipeline adds is linear.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import goals
from markdown_it import MarkdownIt
from render_bench import Corpus, time_together

from reader_ext.text.document import build_document
from reader_ext.text.glossmatch import GlossMatcher

LINEAR = 1.1  # build_document's growth in cost per word at most 1.1x markdown-it-py's
GOAL = 1.5  # the glossing goal, at the larger size too


def scaling_section(small: Corpus, large: Corpus, repeats: int) -> dict[str, Any]:
    """Time plain and glossed rendering at both sizes; print and return the cost per word."""
    cases: dict[str, Callable[[], object]] = {}
    for corpus in (small, large):
        matcher = GlossMatcher(corpus.matcher_forms())
        cases[f"plain, {corpus.words:,} words"] = _plain(corpus.markdown)
        cases[f"build_document, {corpus.words:,} words"] = _built(corpus.markdown, matcher)
    timings = time_together(cases, repeats)
    print(
        f"\n5. Scaling: cost per word (CPU microseconds, medians of {repeats}; the generated "
        "reading at two sizes, same density of glossary forms)"
    )
    print(f"  {'case':<36}{'CPU ms':>10}{'wall ms':>10}{'CPU µs/word':>13}{'x plain':>9}")
    per_word: dict[str, float] = {}
    for corpus in (small, large):
        plain = timings[f"plain, {corpus.words:,} words"]
        for name in (f"plain, {corpus.words:,} words", f"build_document, {corpus.words:,} words"):
            timing = timings[name]
            per_word[name] = timing.cpu_median / corpus.words * 1e6
            print(
                f"  {name:<36}{timing.cpu_median * 1e3:10.1f}{timing.median * 1e3:10.1f}"
                f"{per_word[name]:13.3f}{timing.cpu_median / plain.cpu_median:8.2f}x"
            )
    built_small = per_word[f"build_document, {small.words:,} words"]
    built_large = per_word[f"build_document, {large.words:,} words"]
    plain_small = per_word[f"plain, {small.words:,} words"]
    plain_large = per_word[f"plain, {large.words:,} words"]
    growth, floor = built_large / built_small, plain_large / plain_small
    print(
        f"  cost per word at {large.words:,} words against {small.words:,}: build_document "
        f"{growth:.2f}x, markdown-it-py {floor:.2f}x; {growth / floor:.2f}x its growth "
        f"(goal <= {LINEAR}x)"
    )
    return {
        "words": [small.words, large.words],
        "timings": {
            name: {"median_s": t.median, "cpu_median_s": t.cpu_median, "repeats": len(t.runs)}
            for name, t in timings.items()
        },
        "cpu_us_per_word": per_word,
        "small_words": small.words,
        "large_words": large.words,
    }


def _plain(text: str) -> Callable[[], object]:
    return lambda: MarkdownIt("commonmark", {"html": False}).render(text)


def _built(text: str, matcher: GlossMatcher) -> Callable[[], object]:
    return lambda: build_document(text, matcher)


def scaling_goals(scale: dict[str, Any]) -> list[goals.Goal]:
    """Linear to a million words: cost per word, and the glossing ratio at the larger size."""
    small, large = scale["small_words"], scale["large_words"]
    per_word = scale["cpu_us_per_word"]
    timings = scale["timings"]
    built = timings[f"build_document, {large:,} words"]
    plain = timings[f"plain, {large:,} words"]
    return [
        goals.Goal(
            f"render: build_document's CPU per word, {large:,} / {small:,} words",
            per_word[f"build_document, {large:,} words"]
            / per_word[f"build_document, {small:,} words"],
            "x",
            per_word[f"plain, {large:,} words"] / per_word[f"plain, {small:,} words"],
            "markdown-it-py's",
            LINEAR,
            "ratio",
        ),
        goals.Goal(
            f"render: build_document, {large:,} words, CPU",
            built["cpu_median_s"] * 1e3,
            "ms",
            plain["cpu_median_s"] * 1e3,
            "plain markdown-it-py",
            GOAL,
            "ratio",
        ),
    ]
