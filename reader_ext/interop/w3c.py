"""Export and import: W3C JSON-LD collections, CSV, a pandas DataFrame, and the CLI bodies.

One export file holds a whole ``AnnotationCollection``. Its first ``AnnotationPage`` is embedded
as ``first``; when there are more pages they follow in the collection's ``@included`` block
(JSON-LD 1.1), linked by ``next`` / ``prev`` / ``last`` ids of the form ``<collection>#page-<n>``.
The W3C test suite requires ``next`` to be an id, not an embedded object, hence this layout.
Every page and annotation keeps its own ``@context`` so any of them can be lifted out alone.
"""

from __future__ import annotations

import csv
import importlib
import json
import os
import sys
import tempfile
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Literal

from reader_ext.annotations import limits
from reader_ext.annotations.fields import lesson_source
from reader_ext.annotations.shape import ANNO_CONTEXT, is_uri
from reader_ext.errors import AnnotationError, StoreError
from reader_ext.interop.w3c_read import ReadProblem, ReadResult, read_w3c, read_w3c_report
from reader_ext.store.annotation_store import AnnotationStore

__all__ = [
    "CSV_COLUMNS",
    "ReadProblem",
    "ReadResult",
    "annotation_rows",
    "export_command",
    "export_csv",
    "export_w3c",
    "import_command",
    "read_w3c",
    "read_w3c_report",
    "to_collection",
    "to_dataframe",
]

CSV_COLUMNS = (
    "id",
    "author",
    "created",
    "modified",
    "motivation",
    "quote",
    "start",
    "end",
    "body",
    "tags",
    "prompt_id",
    "reply_to",
    "source",
)
# A spreadsheet treats a cell starting with one of these as a formula (CSV injection), which a
# student's note could use to run code or leak data on the instructor's machine.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Row = dict[str, str | int | None]


def to_collection(
    annotations: Sequence[dict[str, Any]],
    *,
    collection_id: str,
    label: str,
    page_size: int = 1000,
) -> dict[str, Any]:
    """An AnnotationCollection holding ``annotations`` in pages of ``page_size``."""
    if not is_uri(collection_id) or "#" in collection_id:
        msg = f"collection_id: expected an absolute uri without '#', got {collection_id!r}"
        raise ValueError(msg)
    if page_size < 1:
        msg = f"page_size: must be at least 1, got {page_size}"
        raise ValueError(msg)
    total = len(annotations)
    starts = list(range(0, total, page_size)) or [0]
    page_ids = [f"{collection_id}#page-{n}" for n in range(1, len(starts) + 1)]
    pages: list[dict[str, Any]] = []
    for n, start in enumerate(starts):
        page: dict[str, Any] = {
            "@context": ANNO_CONTEXT,
            "id": page_ids[n],
            "type": "AnnotationPage",
            # An object, not a bare id: the suite's page checks read total/label from partOf.
            "partOf": {"id": collection_id, "label": label, "total": total},
            "startIndex": start,
            "items": list(annotations[start : start + page_size]),
        }
        if n > 0:
            page["prev"] = page_ids[n - 1]
        if n + 1 < len(starts):
            page["next"] = page_ids[n + 1]
        pages.append(page)
    collection: dict[str, Any] = {
        "@context": ANNO_CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": label,
        "total": total,
        "first": pages[0],
        "last": page_ids[-1],
    }
    if len(pages) > 1:
        collection["@included"] = pages[1:]
    return collection


def export_w3c(store: AnnotationStore, *, out: IO[str], source: str | None = None) -> int:
    """Write the store's live annotations (of one lesson if ``source``) as JSON-LD."""
    annotations = store.list(source=source)
    label = f"Annotations from {store.path.name}" + (f" on {source}" if source else "")
    collection = to_collection(annotations, collection_id=f"urn:uuid:{uuid.uuid4()}", label=label)
    json.dump(collection, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return len(annotations)


def export_csv(store: AnnotationStore, *, out: IO[str], source: str | None = None) -> int:
    """One row per live annotation; open ``out`` with ``newline=""`` as the csv module asks."""
    rows = annotation_rows(store.list(source=source))
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return len(rows)


def to_dataframe(annotations: Sequence[dict[str, Any]]) -> Any:
    """A ``pandas.DataFrame`` with the CSV columns (values as they are: no formula escaping)."""
    try:
        # Imported by name: pandas is optional, and typed ``Any`` whether or not it has stubs.
        pandas = importlib.import_module("pandas")
    except ImportError as exc:
        msg = "to_dataframe needs pandas: pip install pandas (or 'reader-ext[analysis]')"
        raise ImportError(msg) from exc
    return pandas.DataFrame(annotation_rows(annotations), columns=list(CSV_COLUMNS))


def annotation_rows(annotations: Sequence[dict[str, Any]]) -> list[Row]:
    """The CSV columns of each annotation; a reply's source is that of what it answers."""
    by_id = {a.get("id"): a for a in annotations}
    return [_row(a, lesson_source(a, by_id.get)) for a in annotations]


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
                count = _write_atomically(out, lambda f: write(store, out=f))
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


def _row(annotation: Mapping[str, Any], source: str | None) -> Row:
    target = annotation.get("target")
    bodies = [b for b in annotation.get("body", []) if isinstance(b, Mapping)]
    notes = [str(b.get("value", "")) for b in bodies if b.get("purpose") != "tagging"]
    tags = [str(b.get("value", "")) for b in bodies if b.get("purpose") == "tagging"]
    row: Row = dict.fromkeys(CSV_COLUMNS)
    creator = annotation.get("creator")
    row.update(
        id=annotation.get("id"),
        author=creator.get("nickname") if isinstance(creator, Mapping) else None,
        created=annotation.get("created"),
        modified=annotation.get("modified"),
        motivation=annotation.get("motivation"),
        body="\n\n".join(notes) or None,
        tags="; ".join(tags) or None,
        source=source,
    )
    if isinstance(target, Mapping):
        for sel in target.get("selector", []):
            if sel.get("type") == "TextQuoteSelector":
                row["quote"] = sel.get("exact")
            elif sel.get("type") == "TextPositionSelector":
                row["start"], row["end"] = sel.get("start"), sel.get("end")
    elif isinstance(target, str):
        _, _, fragment = target.partition("#")
        if fragment.startswith("prompt-"):
            row["prompt_id"] = fragment.removeprefix("prompt-")
        else:
            row["reply_to"] = target
    return row


def _cell(value: str | int | None) -> str | int:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _write_atomically(path: Path, write: Any) -> int:
    """Write to a temporary file beside ``path``, then rename: no half-written export."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            count = int(write(f))
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1
