"""The annotation benchmark: opening the reader and adding a note, as a class's store grows.

    .venv/bin/python benchmarks/annotate_bench.py            # also run by benchmarks/run.py
    .venv/bin/python benchmarks/annotate_bench.py --profile  # where opening the reader's time goes

On the seed lesson, with stores of 0, 1,000 and 10,000 annotations by 300 users: the time to open
a ``Reader`` and answer the browser's ``hello`` (and the size of that snapshot), the time to add
one note through the browser's path, and the bytes sent to the browser per added note. Prints
tables and writes ``benchmarks/results/annotate.json``. See ``benchmarks/README.md``. Nothing
here asserts a time; the byte and trait-sync checks are reported, not asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import gc
import json
import random
import re
import sqlite3
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import goals
from render_bench import Timing, machine, print_profile, time_together

from reader_ext import Lesson, Reader, load_lesson
from reader_ext.anchoring import describe
from reader_ext.annotations.values import creator_for
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.widget.payload import lesson_payload
from reader_ext.widget.session import ReaderSession
from reader_ext.widget.views import packed_rows
from reader_ext.widget.wire import pack, pack_rows, unpack

ROOT = Path(__file__).resolve().parent.parent
SEED_LESSON = ROOT / "lessons" / "01-reading-the-argument"
RESULTS = ROOT / "benchmarks" / "results" / "annotate.json"
SIZES = (0, 1_000, 10_000)
USERS = 300
SEED = 20241129
# Repeats chosen so the whole benchmark stays well under a minute on 2 cores: opening the reader
# on the largest store takes seconds, an add a few milliseconds.
OPEN_REPEATS = 5
ADDS = 200

# Class tags: a few frequent, most rare, as a class's tags are.
_TAGS = [
    "claim", "evidence", "source", "bias", "question", "key", "define", "context", "tone",
    "quote", "summary", "structure", "counterpoint", "example", "date", "actor", "policy",
    "India", "Russia", "US", "China", "multi-alignment", "speculation", "exam", "unclear",
    "agree", "disagree", "follow-up", "method", "typo",
]  # fmt: skip
_START = datetime.datetime(2026, 9, 1, 8, 0, tzinfo=datetime.timezone.utc)


# -- the generated class store ---------------------------------------------------------------------


def _note(rng: random.Random, words: list[str]) -> str:
    """A student's note in Markdown: one to three short paragraphs, now and then a list or link."""
    paragraphs: list[str] = []
    for _ in range(rng.choices((1, 2, 3), (6, 3, 1))[0]):
        tokens = [rng.choice(words) for _ in range(rng.randint(4, 45))]
        i = rng.randrange(len(tokens))
        roll = rng.random()
        if roll < 0.25:
            tokens[i] = f"*{tokens[i]}*"
        elif roll < 0.40:
            tokens[i] = f"**{tokens[i]}**"
        elif roll < 0.48:
            tokens[i] = f"[{tokens[i]}](https://example.org/{rng.randrange(1000)})"
        elif roll < 0.52:
            tokens[i] = f"`{tokens[i]}`"
        text = " ".join(tokens)
        paragraphs.append(text[0].upper() + text[1:] + rng.choice(".?!"))
    if rng.random() < 0.1:
        paragraphs.append("\n".join(f"- {rng.choice(words)} {rng.choice(words)}" for _ in "abc"))
    if rng.random() < 0.05:
        paragraphs.insert(0, "> " + " ".join(rng.choice(words) for _ in range(8)))
    return "\n\n".join(paragraphs)


def _bodies(rng: random.Random, words: list[str], *, note: bool, tags: int) -> list[dict[str, str]]:
    bodies = []
    if note:
        bodies.append(
            {
                "type": "TextualBody",
                "value": _note(rng, words),
                "format": "text/markdown",
                "purpose": "commenting",
            }
        )
    weights = [1.0 / (rank + 2) for rank in range(len(_TAGS))]
    chosen = dict.fromkeys(rng.choices(_TAGS, weights, k=tags))
    bodies += [{"type": "TextualBody", "value": t, "purpose": "tagging"} for t in chosen]
    return bodies


def _selection(rng: random.Random, text: str) -> tuple[int, int]:
    """A passage as readers select one: whole words, from one word to a few sentences."""
    length = rng.choice((1, 2, 3, 6, 12, 25, 60, 120, 250))
    start = rng.randrange(len(text) - length)
    end = start + length
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    while text[start].isspace():
        start += 1
    while text[end - 1].isspace():
        end -= 1
    return start, end


def make_annotations(lesson: Lesson, count: int, *, seed: int = SEED) -> list[dict[str, Any]]:
    """``count`` W3C annotations on ``lesson`` by ``USERS`` users, in the order they were made.

    About 35 % highlights (half of them tagged), 35 % notes (60 % tagged), 20 % replies to an
    earlier annotation, 10 % answers to the lesson's prompts. Any prefix of the list is a valid
    store: replies only answer earlier items. Deterministic for a given seed.
    """
    rng = random.Random(seed)
    text = lesson.document.text
    words = re.findall(r"[A-Za-z][A-Za-z'’-]+", text)
    prompts = [p.id for p in lesson.prompts]
    creators = [creator_for(f"u{i}") for i in range(USERS)]
    annotations: list[dict[str, Any]] = []
    moment = _START
    for _ in range(count):
        moment += datetime.timedelta(seconds=rng.randint(1, 600))
        stamp = moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        item: dict[str, Any] = {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "id": f"urn:uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}",
            "type": "Annotation",
            # A Zipf-like share of the work: a few students annotate a lot, most a little.
            "creator": creators[min(int(rng.paretovariate(1.2)) - 1, USERS - 1)]
            if rng.random() < 0.3
            else rng.choice(creators),
            "created": stamp,
            "modified": stamp,
        }
        roll = rng.random()
        if roll < 0.70 or not annotations:
            start, end = _selection(rng, text)
            note = roll >= 0.35
            tags = rng.choice((0, 0, 1, 2, 3)) if note else rng.choice((0, 0, 1, 2))
            item["motivation"] = "commenting" if note else "highlighting"
            item["target"] = {"source": lesson.uri, "selector": describe(text, start, end)}
            body = _bodies(rng, words, note=note, tags=tags)
        elif roll < 0.90:
            item["motivation"] = "replying"
            item["target"] = rng.choice(annotations[-500:])["id"]  # threads are mostly recent
            body = _bodies(rng, words, note=True, tags=rng.choice((0, 0, 0, 1)))
        else:
            item["motivation"] = "replying"
            item["target"] = f"{lesson.uri}#prompt-{rng.choice(prompts)}"
            body = _bodies(rng, words, note=True, tags=0)
        if body:
            item["body"] = body
        annotations.append(item)
    return annotations


def _kinds(annotations: Sequence[dict[str, Any]]) -> dict[str, int]:
    counts = {"highlights": 0, "notes": 0, "replies": 0, "prompt answers": 0}
    for item in annotations:
        if item["motivation"] == "highlighting":
            counts["highlights"] += 1
        elif item["motivation"] == "commenting":
            counts["notes"] += 1
        elif "#prompt-" in item["target"]:
            counts["prompt answers"] += 1
        else:
            counts["replies"] += 1
    return counts


def build_store(path: Path, annotations: Sequence[dict[str, Any]]) -> float:
    """Import ``annotations`` into a new store at ``path``; return the seconds it took."""
    start = time.perf_counter()
    with AnnotationStore(path) as store:
        result = store.import_annotations(annotations)
    elapsed = time.perf_counter() - start
    if result.added != len(annotations):
        msg = f"{path.name}: generated annotations did not import: {result.summary()}"
        raise RuntimeError(msg)
    return elapsed


# -- the widget, as the browser drives it ----------------------------------------------------------


@dataclass(slots=True)
class Wire:
    """What a :class:`Reader` sends the browser, captured in place of its comm."""

    messages: list[tuple[dict[str, Any], list[bytes]]] = field(default_factory=list)
    """As sent; unpacked (as the browser does) by :meth:`take`, off the kernel's clock."""
    sizes: list[int] = field(default_factory=list)
    """Bytes of each message as sent: its JSON, plus its binary buffers (a packed snapshot)."""
    state_syncs: int = 0

    def attach(self, reader: Reader) -> None:
        # Instance attributes shadow the methods: ipywidgets calls self.send_state(...) on every
        # synced trait change, and the reader's replies go through self.send(...).
        reader.send = self._send
        reader.send_state = self._send_state

    def _send(self, content: dict[str, Any], buffers: list[bytes] | None = None) -> None:
        self.sizes.append(wire_bytes(content) + sum(len(b) for b in buffers or []))
        self.messages.append((content, buffers or []))

    def _send_state(self, key: object = None) -> None:
        self.state_syncs += 1

    def take(self) -> list[dict[str, Any]]:
        taken, self.messages = self.messages, []
        return [unpack(content, buffers) for content, buffers in taken]

    def take_sizes(self) -> list[int]:
        taken, self.sizes = self.sizes, []
        return taken


def wire_bytes(message: object) -> int:
    """UTF-8 bytes of a message as Jupyter serialises it (jupyter_client's ``json_packer``)."""
    return len(json.dumps(message, ensure_ascii=False).encode("utf-8"))


def plain_bytes(snapshot: dict[str, Any]) -> int:
    """Bytes of the snapshot as it was sent before it was packed: plain JSON, no lesson (which
    was a synced trait then)."""
    return wire_bytes({k: v for k, v in snapshot.items() if k != "lesson"})


def snapshot_parts(snapshot: dict[str, Any]) -> dict[str, int]:
    """Bytes of the snapshot's text fields, summed over its annotations; the rest is keys, ids,
    dates and punctuation."""
    parts = dict.fromkeys(("body_html", "body", "quote"), 0)
    for view in snapshot["annotations"]:
        for name in parts:
            parts[name] += wire_bytes(view[name]) if view[name] else 0
    return parts


def open_reader(lesson: Lesson, store: Path) -> tuple[Reader, Wire]:
    """Construct a reader and answer the browser's ``hello`` (the snapshot packed, as sent):
    the kernel's part of what a student waits for. The snapshot stays packed in the wire:
    unpacking it is the browser's work (:func:`opened`)."""
    reader = Reader(lesson, store=store, user="u0")
    wire = Wire()
    wire.attach(reader)
    reader._handle(reader, {"type": "hello"}, [])
    return reader, wire


def opened(wire: Wire) -> dict[str, Any]:
    """The snapshot :func:`open_reader` sent, unpacked as the browser does (off the clock)."""
    (snapshot,) = wire.take()
    return snapshot


def close_reader(reader: Reader) -> None:
    reader.store.close()
    reader.close()


def add_message(lesson: Lesson, rng: random.Random, req: int) -> dict[str, Any]:
    """A note with Markdown and tags, as reader.js sends it when a student saves one."""
    start, end = _selection(rng, lesson.document.text)
    words = ["non-alignment", "*the ambassador*", "source", "claim", "**why**", "speculation"]
    return {
        "type": "create",
        "req": req,
        "kind": "note",
        "start": start,
        "end": end,
        "body": " ".join(rng.choice(words) for _ in range(20)).capitalize() + ".",
        "tags": rng.sample(_TAGS, 2),
    }


# -- sections --------------------------------------------------------------------------------------


def _summary(timing: Timing) -> dict[str, Any]:
    return {"median_s": timing.median, "min_s": timing.best, "repeats": len(timing.runs)}


def _label(size: int) -> str:
    return f"{size:,} annotations"


def open_section(lesson: Lesson, stores: dict[int, Path], repeats: int) -> dict[str, Any]:
    """Reader construction + the hello snapshot, per store size, round-robin.

    As ``render_bench.time_together``, but closing each reader and measuring its snapshot off
    the clock. The opening time (wall, and CPU seconds of the process: on a shared machine the
    steadier of the two) includes packing the snapshot (its rows, from the kept views, deflated)
    but not unpacking it, which is the browser's work; ``send`` is replaced, so the comm's own
    work (a few hundred bytes of JSON and the buffer) is not timed either. ``pack ms`` is
    packing the same snapshot again from its views as objects (``wire.pack``, as a session's
    own answer to hello does), for comparison. ``plain KB`` is the snapshot as plain JSON, as
    it was sent before it was packed. The parts of the largest opening are timed in the same
    rounds, so that splitting its time by difference is not skewed by load.
    """
    largest = max(stores)
    timings = {size: Timing() for size in stores}
    cpu_timings = {size: Timing() for size in stores}
    encoding = {size: Timing() for size in stores}
    sizes: dict[int, int] = {}
    plain: dict[int, int] = {}
    counts: dict[int, int] = {}
    parts: dict[int, dict[str, int]] = {}
    with AnnotationStore(stores[largest]) as store:
        stage_cases = snapshot_stages(lesson, store)
        stage_timings = {name: Timing() for name in stage_cases}
        for round_ in range(1 + repeats):
            for size, path in stores.items():
                gc.collect()
                start, cpu = time.perf_counter(), time.process_time()
                reader, wire = open_reader(lesson, path)
                elapsed = time.perf_counter() - start
                cpu = time.process_time() - cpu
                (sizes[size],) = wire.take_sizes()
                snapshot = opened(wire)
                message = dict(snapshot)
                gc.collect()
                start = time.perf_counter()
                pack(message)  # type: ignore[arg-type]
                encoded = time.perf_counter() - start
                if round_ == 0:
                    plain[size] = plain_bytes(snapshot)
                    counts[size] = len(snapshot["annotations"])
                    parts[size] = snapshot_parts(snapshot)
                else:
                    timings[size].runs.append(elapsed)
                    cpu_timings[size].runs.append(cpu)
                    encoding[size].runs.append(encoded)
                close_reader(reader)
                del snapshot, message
            for name, case in stage_cases.items():
                gc.collect()
                start = time.perf_counter()
                case()
                elapsed = time.perf_counter() - start
                if round_:
                    stage_timings[name].runs.append(elapsed)
    reader, _ = open_reader(lesson, stores[0])
    # The synced traits, sent once on display and saved in notebooks (with the ES module).
    state = reader.get_state()
    state_bytes = wire_bytes({k: v for k, v in state.items() if k not in ("_esm", "_css")})
    module_bytes = wire_bytes({k: v for k, v in state.items() if k in ("_esm", "_css")})
    close_reader(reader)
    base = timings[0].median
    print("\n1. Opening the reader: Reader(lesson, store=..., user='u0') + the hello snapshot")
    print(
        f"  {'store':<22}{'median ms':>10}{'min ms':>10}{'× empty':>9}{'CPU ms':>8}"
        f"{'in snapshot':>13}{'sent KB':>10}{'plain KB':>10}{'× plain':>9}{'pack ms':>9}"
    )
    for size in stores:
        t = timings[size]
        print(
            f"  {_label(size):<22}{t.median * 1e3:10.1f}{t.best * 1e3:10.1f}"
            f"{t.median / base:8.1f}×{cpu_timings[size].median * 1e3:8.1f}"
            f"{counts[size]:13,}{sizes[size] / 1e3:10.1f}"
            f"{plain[size] / 1e3:10.1f}{sizes[size] / plain[size]:9.2f}"
            f"{encoding[size].median * 1e3:9.1f}"
        )
    shares = ", ".join(
        f"{name} {n / plain[largest]:.0%}" for name, n in parts[largest].items() if n
    )
    rest = 1 - sum(parts[largest].values()) / plain[largest]
    print(
        f"  plain snapshot of {_label(largest)}: {plain[largest] / counts[largest]:.0f} bytes "
        f"per annotation; {shares}, the rest (keys, ids, dates, nulls) {rest:.0%}; sent packed "
        f"(with the lesson): {sizes[largest] / counts[largest]:.0f}"
    )
    print(
        f"  (the widget's synced state, sent once on display and saved in notebooks: "
        f"{state_bytes / 1e3:.2f} KB of traits + {module_bytes / 1e3:.1f} KB of ES module)"
    )
    stages = {name: t.median for name, t in stage_timings.items()}
    total = timings[largest].median
    stages["rest (Reader(), opening the store; by difference)"] = total - sum(stages.values())
    print(f"\n  Where opening on {_label(largest)} goes (medians of the same rounds)")
    for name, seconds in stages.items():
        print(f"    {name:<48}{seconds * 1e3:10.1f} ms  {seconds / total:6.1%}")
    return {
        "timings": {_label(s): _summary(timings[s]) for s in stores},
        "ratios_to_empty": {_label(s): timings[s].median / base for s in stores},
        "cpu": {_label(s): _summary(cpu_timings[s]) for s in stores},
        "snapshot_encode": {_label(s): _summary(encoding[s]) for s in stores},
        "snapshot_annotations": {_label(s): counts[s] for s in stores},
        "snapshot_bytes": {_label(s): sizes[s] for s in stores},
        "snapshot_plain_bytes": {_label(s): plain[s] for s in stores},
        "snapshot_bytes_by_field": {_label(s): parts[s] for s in stores},
        "state_bytes": state_bytes,
        "module_bytes": module_bytes,
        "largest_stages_s": stages,
    }


def snapshot_stages(lesson: Lesson, store: AnnotationStore) -> dict[str, Callable[[], object]]:
    """The opening's parts, to time alone: the lesson payload, reading the store (annotations
    and their kept views, one query), checking the views' seals and building the rows, and
    packing (the head's JSON and deflate). The views are kept, as on every open but the first."""
    session = ReaderSession(lesson, store, "u0")
    list(packed_rows(session, store))  # derives and keeps every view (the first open)
    parts = list(store.view_rows(source=lesson.uri))
    read = _Read(parts)
    rows = [r for chunk in packed_rows(session, read) for r in chunk]  # type: ignore[arg-type]
    head: dict[str, Any] = {"type": "snapshot", "req": None, "user": "u0"}
    head |= {"lesson": session.payload, "audiences": []}
    return {
        "lesson payload (glossary etc. rendered)": lambda: lesson_payload(lesson),
        "store.view_rows (SQLite, one query)": lambda: list(store.view_rows(source=lesson.uri)),
        "seals checked, rows built": lambda: list(packed_rows(session, read)),  # type: ignore[arg-type]
        "pack_rows (head JSON + deflate)": lambda: pack_rows(head, [rows]),
    }


@dataclass(slots=True)
class _Read:
    """A store's :meth:`~AnnotationStore.view_rows`, already read: to time what follows it."""

    parts: list[list[tuple[bytes, bytes, str | None, bytes | None]]]

    def view_rows(
        self, *, source: str
    ) -> list[list[tuple[bytes, bytes, str | None, bytes | None]]]:
        return self.parts


def add_section(lesson: Lesson, stores: dict[int, Path], adds: int) -> dict[str, Any]:
    """One note at a time through ``Reader._handle``, round-robin over the store sizes."""
    readers = {size: open_reader(lesson, path) for size, path in stores.items()}
    for _, wire in readers.values():
        wire.take()  # the snapshots
    states = {size: reader.get_state() for size, (reader, _) in readers.items()}
    rng = random.Random(SEED + 1)
    # One warm-up round, then ``adds`` timed ones; every store is sent the same notes in order.
    messages = [add_message(lesson, rng, req) for req in range(1, adds + 2)]
    queues = {size: iter(messages) for size in stores}

    def case(size: int) -> Callable[[], object]:
        reader = readers[size][0]
        return lambda: reader._handle(reader, next(queues[size]), [])

    timings = time_together({_label(s): case(s) for s in stores}, adds)
    sent: dict[int, list[int]] = {}
    refused: dict[int, int] = {}
    syncs: dict[int, int] = {}
    unchanged: dict[int, bool] = {}
    for size, (reader, wire) in readers.items():
        replies = wire.take()
        sent[size] = [wire_bytes(m) for m in replies]
        refused[size] = sum(1 for m in replies if m.get("type") != "saved")
        syncs[size] = wire.state_syncs
        unchanged[size] = reader.get_state() == states[size]
        close_reader(reader)
    base = timings[_label(0)].median
    per_add = {size: sum(b) / (adds + 1) for size, b in sent.items()}
    print(f"\n2-3. Adding a note: Reader._handle(create note), {adds} adds (+1 warm-up) each")
    print(
        f"  {'store before':<22}{'median ms':>10}{'min ms':>10}{'× empty':>9}"
        f"{'msgs/add':>10}{'bytes/add':>11}{'× empty':>9}{'trait syncs':>13}"
    )
    for size in stores:
        t = timings[_label(size)]
        print(
            f"  {_label(size):<22}{t.median * 1e3:10.2f}{t.best * 1e3:10.2f}"
            f"{t.median / base:8.2f}×{len(sent[size]) / (adds + 1):10.1f}"
            f"{per_add[size]:11.0f}{per_add[size] / per_add[0]:8.2f}×{syncs[size]:13}"
        )
    problems = [f"{_label(s)}: {n} adds refused" for s, n in refused.items() if n]
    problems += [
        f"{_label(s)}: the widget's state changed" for s, ok in unchanged.items() if not ok
    ]
    print("  " + ("; ".join(problems) if problems else "Every add saved; no trait synced."))
    return {
        "adds": adds,
        "timings": {_label(s): _summary(timings[_label(s)]) for s in stores},
        "ratios_to_empty": {_label(s): timings[_label(s)].median / base for s in stores},
        "messages_per_add": {_label(s): len(sent[s]) / (adds + 1) for s in stores},
        "bytes_per_add": {_label(s): per_add[s] for s in stores},
        "bytes_per_add_max": {_label(s): max(sent[s]) for s in stores},
        "bytes_ratio_to_empty": {_label(s): per_add[s] / per_add[0] for s in stores},
        "trait_syncs": {_label(s): syncs[s] for s in stores},
        "state_unchanged": {_label(s): unchanged[s] for s in stores},
        "refused": {_label(s): refused[s] for s in stores},
    }


def large_section(lesson: Lesson, size: int, repeats: int, tmp: Path) -> dict[str, Any]:
    """Opening on one large store (100,000 annotations by default) beside the empty store, and
    the peak memory (``tracemalloc``, in a run of its own) of opening it."""
    empty, large = tmp / "large-0.sqlite", tmp / f"large-{size}.sqlite"
    build_store(empty, [])
    imported = build_store(large, make_annotations(lesson, size))
    gc.collect()
    close_reader(open_reader(lesson, large)[0])  # derives, seals and keeps every view once
    timings = {0: Timing(), size: Timing()}
    cpu_timings = {0: Timing(), size: Timing()}
    sent: dict[int, int] = {}
    for round_ in range(1 + repeats):
        for n, path in ((0, empty), (size, large)):
            gc.collect()
            start, cpu = time.perf_counter(), time.process_time()
            reader, wire = open_reader(lesson, path)
            elapsed = time.perf_counter() - start
            cpu = time.process_time() - cpu
            (sent[n],) = wire.take_sizes()
            close_reader(reader)
            if round_:
                timings[n].runs.append(elapsed)
                cpu_timings[n].runs.append(cpu)
    gc.collect()
    tracemalloc.start()
    reader, _ = open_reader(lesson, large)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    close_reader(reader)
    ratio = timings[size].median / timings[0].median
    print(f"\n4. Opening on {_label(size)} (store imported in {imported:.1f} s)")
    print(
        f"  empty {timings[0].median * 1e3:.0f} ms; {_label(size)} "
        f"{timings[size].median * 1e3:.0f} ms (min {timings[size].best * 1e3:.0f}), "
        f"{ratio:.1f}× empty; CPU {cpu_timings[size].median:.2f} s; "
        f"sent {sent[size] / 1e6:.1f} MB; "
        f"peak traced memory {peak / 1e6:.0f} MB"
    )
    return {
        "size": size,
        "timings": {_label(n): _summary(t) for n, t in timings.items()},
        "ratio_to_empty": ratio,
        "cpu": {_label(n): _summary(t) for n, t in cpu_timings.items()},
        "sent_bytes": sent[size],
        "peak_traced_bytes": peak,
    }


def profile(lesson: Lesson, store: Path, top: int) -> None:
    """cProfile of opening the reader on ``store``: the ``top`` functions by own time."""
    close_reader(open_reader(lesson, store)[0])
    profiler = cProfile.Profile()
    reader = profiler.runcall(lambda: open_reader(lesson, store)[0])
    close_reader(reader)
    print_profile(profiler, top)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeats", type=int, default=OPEN_REPEATS, help="reader openings")
    parser.add_argument("--adds", type=int, default=ADDS, help="timed adds per store size")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the JSON")
    parser.add_argument(
        "--profile", action="store_true", help="profile opening the reader on the largest store"
    )
    parser.add_argument(
        "--large", type=int, default=0, metavar="N", help="also open a store of N annotations"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    lesson = load_lesson(SEED_LESSON)
    annotations = make_annotations(lesson, max(SIZES))
    with tempfile.TemporaryDirectory(prefix="reader-annotate-bench-") as tmp:
        stores = {size: Path(tmp) / f"store-{size}.sqlite" for size in SIZES}
        built = {size: build_store(path, annotations[:size]) for size, path in stores.items()}
        kinds = _kinds(annotations)
        # Off the heap before timing: every gc.collect() between timed calls would walk it.
        del annotations
        if args.profile:
            profile(lesson, stores[max(SIZES)], 25)
            return 0
        info = machine("anywidget", "ipywidgets", "markdown-it-py", "nh3")
        info["sqlite"] = sqlite3.sqlite_version
        print("Annotation benchmark — " + ", ".join(f"{k}: {v}" for k, v in info.items()))
        print(
            f"Seed lesson {SEED_LESSON.name} ({len(lesson.document.text):,} characters); "
            f"stores of {', '.join(f'{s:,}' for s in SIZES)} annotations by up to {USERS} "
            f"users ({', '.join(f'{n:,} {k}' for k, n in kinds.items())} in the largest), "
            f"imported in {', '.join(f'{s:.2f}' for s in built.values())} s."
        )
        print(
            "Times: time.perf_counter, 1 warm-up round, then N rounds with the cases interleaved."
        )
        opening = open_section(lesson, stores, args.repeats)
        adding = add_section(lesson, stores, args.adds)
        large = large_section(lesson, args.large, 3, Path(tmp)) if args.large else None
    elapsed = time.perf_counter() - started
    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": info,
        "lesson": SEED_LESSON.name,
        "users": USERS,
        "store_kinds": kinds,
        "store_import_s": {_label(s): t for s, t in built.items()},
        "open_reader": opening,
        "add_note": adding,
        "open_large": large,
        "benchmark_seconds": elapsed,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    goals.record("annotate", kernel_goals(opening, large))
    print(f"Whole run: {elapsed:.1f} s. Results: {args.output}")
    return 0


def kernel_goals(opening: dict[str, Any], large: dict[str, Any] | None) -> list[goals.Goal]:
    """Issue 11's goals for opening in the kernel, from this run's figures."""
    top = _label(max(SIZES))
    empty = opening["timings"][_label(0)]["median_s"] * 1e3
    found = [
        goals.Goal(
            f"kernel: open {top}",
            opening["timings"][top]["median_s"] * 1e3,
            "ms",
            empty,
            "empty store",
            250,
            "value",
        ),
        goals.Goal(
            f"kernel: snapshot bytes, {top}",
            opening["snapshot_bytes"][top] / 1e6,
            "MB",
            opening["snapshot_plain_bytes"][top] / 1e6,
            "plain JSON snapshot",
            0.6,
            "ratio",
        ),
    ]
    if large is not None:
        label = _label(large["size"])
        found += [
            goals.Goal(
                f"kernel: open {label}",
                large["timings"][label]["median_s"],
                "s",
                large["timings"][_label(0)]["median_s"],
                "empty store",
                2.5,
                "value",
            ),
            goals.Goal(
                f"kernel: peak traced memory opening {label}",
                large["peak_traced_bytes"] / 1e6,
                "MB",
                None,
                "",
                250,
                "value",
            ),
        ]
    return found


if __name__ == "__main__":
    sys.exit(main())
