"""``reader-ext export`` and ``reader-ext import``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Literal

from reader_ext.annotations import limits
from reader_ext.errors import AnnotationError, StoreError
from reader_ext.files import write_atomically
from reader_ext.interop.tables import export_csv
from reader_ext.interop.w3c import export_w3c
from reader_ext.interop.w3c_read import read_w3c_report
from reader_ext.store.annotation_store import AnnotationStore


def export_command(store_path: Path, fmt: Literal["w3c", "csv"], out: Path | None) -> int:
    """``reader-ext export``: write the store as W3C JSON-LD or CSV to ``out`` or stdout."""
    if fmt not in ("w3c", "csv"):
        return _fail(f"unknown format {fmt!r}; use w3c or csv")
    if not store_path.is_file():
        return _fail(f"{store_path}: no annotation store here")
    write = export_w3c if fmt == "w3c" else export_csv
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
    print(f"exported {count} annotations from {store_path} to {where}", file=sys.stderr)
    return 0


def import_command(file: Path, store_path: Path) -> int:
    """``reader-ext import``: merge a W3C JSON(-LD) file into the store (created if missing)."""
    try:
        size = file.stat().st_size
        if size > limits.MAX_IMPORT_FILE_BYTES:
            return _fail(f"{file}: {size} bytes, over the limit of {limits.MAX_IMPORT_FILE_BYTES}")
        data = json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        return _fail(f"{file}: cannot read ({exc.strerror or exc})")
    except UnicodeDecodeError:
        return _fail(f"{file}: not UTF-8 text; export the annotations as W3C JSON")
    except json.JSONDecodeError as exc:
        return _fail(f"{file}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
    except RecursionError:
        return _fail(f"{file}: JSON nested too deeply")
    try:
        read = read_w3c_report(data)
    except AnnotationError as exc:
        return _fail(f"{file}: {exc}")
    try:
        with AnnotationStore(store_path) as store:
            result = store.import_annotations(read.annotations)
    except StoreError as exc:
        return _fail(str(exc))
    problems = [str(p) for p in read.problems] + [
        f"item {read.positions[s.index]}: {s.reason}" for s in result.skipped
    ]
    skipped = len(read.problems) + len(result.skipped)
    print(
        f"{file}: {result.added} added, {result.updated} updated, {result.unchanged} unchanged, "
        f"{skipped} skipped -> {store_path}"
    )
    for problem in problems:
        print(f"{file}: skipped {problem}", file=sys.stderr)
    return 0


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1
