"""``reader-ext export`` and ``reader-ext import``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Literal

from reader_ext.annotations import limits
from reader_ext.course.report import load_lessons
from reader_ext.errors import AnnotationError, ReaderExtError, StoreError
from reader_ext.files import write_atomically
from reader_ext.interop.importing import counted, onto_lesson, read_import
from reader_ext.interop.tables import export_csv, prompt_numbers
from reader_ext.interop.w3c import export_w3c
from reader_ext.interop.w3c_read import parse_json
from reader_ext.lessons.load import load_lesson
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.store.engine import masked, store_exists


def export_command(
    store_path: Path | str,
    fmt: Literal["w3c", "csv"],
    out: Path | None,
    lessons: Path | None = None,
) -> int:
    """``reader-ext export``: write the store as W3C JSON-LD or CSV to ``out`` or stdout.

    A CSV file starts with a byte-order mark, so spreadsheets read it as UTF-8; on standard
    output, which goes to a program or a terminal, it does not. With ``lessons`` (a course or
    module folder), the CSV numbers each answer's prompt as the reader and the report do.
    """
    if fmt not in ("w3c", "csv"):
        return _fail(f"unknown format {fmt!r}; use w3c or csv")
    try:
        if not store_exists(store_path):
            return _fail(f"{masked(store_path)}: no annotation store here")
    except StoreError as exc:
        return _fail(str(exc))
    numbers = None
    if lessons is not None:
        try:
            numbers = prompt_numbers(load_lessons(lessons)[1])
        except ReaderExtError as exc:
            return _fail(str(exc))

    def write(store: AnnotationStore, *, out: IO[str]) -> int:
        if fmt == "w3c":
            return export_w3c(store, out=out)
        return export_csv(store, out=out, bom=out is not sys.stdout, numbers=numbers)

    try:
        with AnnotationStore(store_path) as store:
            if out is None:
                count = write(store, out=sys.stdout)
            else:
                count = write_atomically(out, lambda f: write(store, out=f), newline="")
    except StoreError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"{out}: cannot write ({exc.strerror or exc})")
    where = out if out is not None else "standard output"
    print(f"exported {count} annotations from {masked(store_path)} to {where}", file=sys.stderr)
    return 0


def import_command(
    file: Path, store_path: Path | str, *, lesson: Path | None = None, uri: str | None = None
) -> int:
    """``reader-ext import``: merge W3C or Hypothesis annotations into the store.

    With ``lesson``, annotations on the page ``uri`` (default: the file's only page) move onto
    that lesson. Prints what was imported by kind, kept as orphan, and refused (with reasons).
    """
    try:
        size = file.stat().st_size
        if size > limits.MAX_IMPORT_FILE_BYTES:
            return _fail(f"{file}: {size} bytes, over the limit of {limits.MAX_IMPORT_FILE_BYTES}")
        data = parse_json(file.read_text(encoding="utf-8"))
    except OSError as exc:
        return _fail(f"{file}: cannot read ({exc.strerror or exc})")
    except UnicodeDecodeError:
        return _fail(f"{file}: not UTF-8 text; export the annotations as W3C JSON")
    except json.JSONDecodeError as exc:
        return _fail(f"{file}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
    except RecursionError:
        return _fail(f"{file}: JSON nested too deeply")
    try:
        plan = read_import(data)
        if lesson is not None:
            onto_lesson(plan, load_lesson(lesson), uri)
    except AnnotationError as exc:
        return _fail(f"{file}: {exc}")
    try:
        with AnnotationStore(store_path) as store:
            result = store.import_annotations([i.annotation for i in plan.items])
    except StoreError as exc:
        return _fail(str(exc))
    skipped_by_store = {s.index: s.reason for s in result.skipped}
    kept = [item for n, item in enumerate(plan.items) if n not in skipped_by_store]
    refused = [(p.index, p.reason) for p in plan.refused] + [
        (plan.items[n].index, reason) for n, reason in skipped_by_store.items()
    ]
    orphans = [item for item in kept if item.orphan]
    print(
        f"{file}: {result.added} added, {result.updated} updated, {result.unchanged} unchanged, "
        f"{len(refused)} skipped -> {masked(store_path)}"
    )
    onto = f" onto {plan.lesson} (from {plan.page})" if plan.lesson and plan.page else ""
    print(f"  read as {plan.format}: {len(kept) + len(refused)} items")
    print(f"  imported: {counted(kept)}{onto}")
    print(f"  kept as orphans: {len(orphans)} of them (their quote is not in the lesson's text)")
    print(f"  refused: {len(refused)}")
    web = [uri for uri in plan.pages() if uri.startswith(("http://", "https://"))]
    if web and plan.lesson is None:
        print(f"  on {len(web)} web page(s); move one onto a lesson with --lesson MODULE --uri URI")
    for item in orphans:
        quote = item.annotation["target"]["selector"][0]["exact"]
        print(f"{file}: orphan item {item.index}: {quote[:60]!r} not found", file=sys.stderr)
    for index, reason in sorted(refused):
        print(f"{file}: skipped item {index}: {reason}", file=sys.stderr)
    return 0


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1
