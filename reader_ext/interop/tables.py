"""Annotations as tables: CSV for spreadsheets and a pandas DataFrame for analysis.

One row per annotation with the columns in :data:`CSV_COLUMNS`; a reply's ``source`` is the
lesson of what it answers. Cells written for a spreadsheet pass through
:func:`spreadsheet_cell`, which defuses formulas (CSV injection), as ``students.csv`` does.
"""

from __future__ import annotations

import csv
import importlib
from collections.abc import Mapping, Sequence
from typing import IO, Any

from reader_ext.annotations.fields import lesson_source
from reader_ext.store.annotation_store import AnnotationStore

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
# student's note or a student id could use to run code or leak data on the instructor's machine.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Row = dict[str, str | int | None]


def spreadsheet_cell(value: str | int | None) -> str | int:
    """``value`` as a CSV cell a spreadsheet shows as text: formulas get a leading ``'``."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def export_csv(store: AnnotationStore, *, out: IO[str], source: str | None = None) -> int:
    """One row per live annotation; open ``out`` with ``newline=""`` as the csv module asks."""
    rows = annotation_rows(store.list(source=source))
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: spreadsheet_cell(value) for key, value in row.items()})
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
