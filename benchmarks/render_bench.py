"""Inputs and timers for the rendering benchmark: a generated reading, glossary and lesson folder.

Everything generated here is deterministic (one seeded ``random.Random``), so two runs, or two
machines, time exactly the same text. The words are pronounceable nonsense plus the commonest
English function words at roughly their real frequencies: a glossary form can then only match
where the generator put one, which keeps the gloss density what we ask for. ``run.py`` uses this
module; it holds no reporting.
"""

from __future__ import annotations

import cProfile
import gc
import io
import itertools
import os
import platform
import pstats
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

# The commonest English words and their rough share of running text: a real reading's token
# stream is dominated by them, and multi-word glossary forms often start with one ("the West"),
# so the matcher must try and reject candidates at every "the".
_FUNCTION_WORDS = {
    "the": 60, "of": 30, "and": 28, "to": 26, "a": 22, "in": 20, "that": 11, "is": 10,
    "for": 9, "it": 9, "as": 7, "with": 7, "on": 6, "by": 6, "this": 5, "be": 5, "not": 5,
    "are": 5, "its": 4, "from": 4, "has": 4, "which": 4, "was": 4, "an": 3, "or": 3,
    "will": 3, "their": 3, "have": 3, "but": 3, "new": 2, "global": 2,
}  # fmt: skip
_ONSETS = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "st", "tr"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ou"]
_CODAS = ["", "", "", "n", "r", "s", "l", "m", "k"]
_APOSTROPHES = ("'", "\u2019")


@dataclass(frozen=True, slots=True)
class GlossEntry:
    """A generated glossary entry: ``forms[0]`` is the term, the rest are aliases."""

    key: str
    forms: tuple[str, ...]
    kind: str


@dataclass(slots=True)
class Corpus:
    """A generated reading and its glossary."""

    markdown: str
    words: int
    glossed_forms: int
    glossary: list[GlossEntry]
    quotes: list[str] = field(default_factory=list)

    def matcher_forms(self) -> list[tuple[str, list[str]]]:
        """What :class:`~reader_ext.text.glossmatch.GlossMatcher` takes."""
        return [(g.key, list(g.forms)) for g in self.glossary]


class _Words:
    """Distinct pseudo-words; no word is handed out twice, so filler and terms never collide."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set(_FUNCTION_WORDS)

    def new(self, syllables: tuple[int, int] = (2, 4)) -> str:
        while True:
            word = "".join(
                self._rng.choice(_ONSETS) + self._rng.choice(_VOWELS) + self._rng.choice(_CODAS)
                for _ in range(self._rng.randint(*syllables))
            )
            if self.claim(word):
                return word

    def claim(self, word: str) -> bool:
        """Reserve ``word`` (case-insensitively); False if it is already taken."""
        if word.casefold() in self._used:
            return False
        self._used.add(word.casefold())
        return True


def make_glossary(
    rng: random.Random, words: _Words, size: int, heads: list[str]
) -> list[GlossEntry]:
    """``size`` entries in about the mix of the course's real glossary (see the README).

    Half the phrases start with one of ``heads``, frequent words of the text, as real terms come
    in families ("Russian Embassy", "Russian Foreign Minister ..."): at each such word the matcher
    has several candidate forms to try and reject.
    """
    kinds = ["word"] * 30 + ["phrase"] * 40 + ["the"] * 5 + ["hyphen"] * 15 + ["apostrophe"] * 10
    entries: list[GlossEntry] = []
    for i in range(size):
        kind = kinds[i % len(kinds)]
        if kind == "word":
            head = words.new()
            while not words.claim(head + "s"):
                head = words.new()
            forms = [head, head + "s"]  # a plural alias, as real entries list them
        elif kind == "phrase":
            parts = [words.new() for _ in range(rng.randint(2, 4))]
            if rng.random() < 0.5:
                parts[0] = rng.choice(heads)
            acronym = "".join(p[0] for p in parts).upper()
            while not words.claim(acronym):
                acronym += words.new((1, 1))[0].upper()
            forms = [" ".join(parts), " ".join(parts[1:]), acronym]
        elif kind == "the":
            forms = ["the " + words.new(), "the " + words.new() + " " + words.new()]
        elif kind == "hyphen":
            parts = [words.new((1, 3)) for _ in range(rng.randint(2, 3))]
            forms = ["-".join(parts), " ".join(parts)]
        else:
            owner = words.new()
            forms = [f"{owner}'s {words.new()}", f"{words.new((1, 2))}'{words.new((1, 2))}"]
        entries.append(GlossEntry(f"g{i:03d}-{kind}", tuple(forms), kind))
    return entries


def _surface(form: str, rng: random.Random, sentence_start: bool) -> str:
    """The form as a reading would print it: curly or straight apostrophe, maybe capitalised."""
    if "'" in form:
        form = form.replace("'", rng.choice(_APOSTROPHES))
    if sentence_start or rng.random() < 0.15:
        form = form[0].upper() + form[1:]
    return form


def make_corpus(
    *, words: int = 100_000, terms: int = 300, gloss_every: int = 40, seed: int = 20240601
) -> Corpus:
    """A reading of about ``words`` words in paragraphs of 80–200 words, with light Markdown.

    About one glossary form per ``gloss_every`` words; the first ``terms`` forms placed cover
    every entry once (a lesson's validation requires that each entry occurs).
    """
    rng = random.Random(seed)
    pool = _Words(rng)
    heads = [pool.new((1, 3)) for _ in range(20)]
    glossary = make_glossary(rng, pool, terms, heads)
    content = heads + [pool.new((1, 3)) for _ in range(3000 - len(heads))]
    # Zipf-like weights: a few content words are frequent, most are rare, as in prose; function
    # words make up about half of the running words, as in English.
    vocabulary = list(_FUNCTION_WORDS) + content
    weights = [w * 20.0 for w in _FUNCTION_WORDS.values()] + [
        1000.0 / (rank + 10) for rank in range(len(content))
    ]
    cumulative = list(itertools.accumulate(weights))
    order = rng.sample(range(terms), terms)
    blocks: list[str] = []
    quotes: list[str] = []
    total = glossed = 0
    while total < words:
        if len(blocks) % 12 == 0:
            blocks.append(f"## Section {len(blocks) // 12 + 1}")
        target = min(rng.randint(80, 200), max(words - total, 1))
        sentences: list[str] = []
        count = 0
        if len(blocks) % 40 == 1:
            quote = f"Anchor sentence {len(quotes) + 1} marks this place for a prompt"
            quotes.append(quote)
            sentences.append(quote + ".")
            count += len(quote.split())
        while count < target:
            tokens: list[str] = []
            length = rng.randint(8, 25)
            filler = iter(rng.choices(vocabulary, cum_weights=cumulative, k=length))
            for _ in range(length):
                if rng.random() < 1.0 / gloss_every:
                    entry = glossary[order[glossed] if glossed < terms else rng.randrange(terms)]
                    form = rng.choice(entry.forms)
                    tokens.append(_surface(form, rng, not tokens))
                    glossed += 1
                    count += len(form.split())
                    continue
                word = next(filler)
                tokens.append(word.capitalize() if not tokens else word)
                count += 1
            sentences.append(_decorate(tokens, rng) + rng.choice("....?"))
        blocks.append(" ".join(sentences))
        total += count
    return Corpus("\n\n".join(blocks) + "\n", total, glossed, glossary, quotes)


def _decorate(tokens: list[str], rng: random.Random) -> str:
    """A sentence, now and then with emphasis, a link, inline code or a comma."""
    roll = rng.random()
    i = rng.randrange(len(tokens))
    if roll < 0.08:
        tokens[i] = f"*{tokens[i]}*"
    elif roll < 0.12:
        tokens[i] = f"**{tokens[i]}**"
    elif roll < 0.15:
        tokens[i] = f"[{tokens[i]}](https://example.org/{i})"
    elif roll < 0.17:
        tokens[i] = f"`{tokens[i]}`"
    if len(tokens) > 10:
        tokens[5] += ","
    return " ".join(tokens)


def _toml_string(value: str) -> str:
    # Generated text holds no backslashes or control characters, only quotes to escape.
    return '"' + value.replace('"', '\\"') + '"'


def write_lesson(corpus: Corpus, folder: Path) -> Path:
    """Write ``corpus`` as a valid module folder (reading, glossary, prompts, comments)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "module.toml").write_text(
        'id = "generated"\ntitle = "Generated reading"\nsummary = "Benchmark input."\n'
        'level = "advanced"\nminutes = 600\nobjectives = ["Time the pipeline."]\n'
        '\n[source]\ntitle = "Generated by benchmarks/render_bench.py"\n',
        encoding="utf-8",
    )
    (folder / "reading.md").write_text(corpus.markdown, encoding="utf-8")
    (folder / "intro.md").write_text("Read the *whole* text, then answer.\n", encoding="utf-8")
    glossary: list[str] = []
    for entry in corpus.glossary:
        glossary += [
            "[[gloss]]",
            f"key = {_toml_string(entry.key)}",
            f"term = {_toml_string(entry.forms[0])}",
            "match = [" + ", ".join(_toml_string(f) for f in entry.forms) + "]",
            'as_of = "2023-06"',
            'definition = """',
            f"A **{entry.kind}** entry. What *{entry.forms[0]}* is, with the key facts and",
            "their years; where the article's wording is contested, the other common names.",
            '"""',
            "",
            "[[gloss.sources]]",
            f'title = "About {entry.forms[0]}"',
            f'url = "https://example.org/{entry.key}"',
            "",
        ]
    (folder / "glossary.toml").write_text("\n".join(glossary), encoding="utf-8")
    prompts: list[str] = []
    for i, quote in enumerate(corpus.quotes):
        prompts += [
            "[[prompt]]",
            f'id = "p{i + 1}"',
            f"quote = {_toml_string(quote)}",
            'question = "What does **this** paragraph claim?"',
            'bloom = "understand"',
            'kind = "comprehension"',
            "",
        ]
    (folder / "prompts.toml").write_text("\n".join(prompts), encoding="utf-8")
    comments = [f'[[comment]]\nid = "c{i}"\ntext = "Comment {i}: agreed."\n' for i in range(4)]
    (folder / "comments.toml").write_text("\n".join(comments), encoding="utf-8")
    return folder


@dataclass(slots=True)
class Timing:
    """Wall-clock seconds of each timed repeat (warm-up excluded), and CPU seconds of the
    process (``time.process_time``), which a machine shared with other work disturbs less."""

    runs: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu) if self.cpu else float("nan")

    @property
    def best(self) -> float:
        return min(self.runs)


def time_together(
    cases: dict[str, Callable[[], object]], repeats: int, *, warmup: int = 1
) -> dict[str, Timing]:
    """Time each case ``repeats`` times, round-robin, after ``warmup`` untimed rounds.

    Round-robin rather than one case after the other: a ratio between two cases then is not
    skewed by the machine getting busier or a CPU clocking down half-way through. A collection
    before each call keeps one case's garbage from being collected on the next case's clock.
    """
    timings = {name: Timing() for name in cases}
    for round_ in range(warmup + repeats):
        for name, case in cases.items():
            gc.collect()
            start = time.perf_counter()
            cpu = time.process_time()
            case()
            cpu = time.process_time() - cpu
            elapsed = time.perf_counter() - start
            if round_ >= warmup:
                timings[name].runs.append(elapsed)
                timings[name].cpu.append(cpu)
    return timings


def peak_memory(case: Callable[[], object]) -> int:
    """Peak bytes newly allocated while ``case`` runs, its result included (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        case()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def machine(*packages: str) -> dict[str, Any]:
    """Python, the given packages' versions, the CPU and the usable cores."""
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        **{name.replace("-", "_"): version(name) for name in packages},
        "platform": platform.platform(),
        "cpu": model,
        "cores": usable,
    }


def print_profile(profiler: cProfile.Profile, top: int) -> None:
    """The ``top`` functions of a profile, by own time and by cumulative time."""
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    print(out.getvalue())
