"""Annotations as tables: CSV for spreadsheets and a pandas DataFrame for analysis.

One row per annotation with the columns in :data:`CSV_COLUMNS`; a reply's ``source`` is the
lesson of what it answers. Cells written for a spreadsheet pass through
:func:`spreadsheet_cell`, which defuses formulas (CSV injection), as ``students.csv`` does.

The CSV is for spreadsheets first: UTF-8 *with* a byte-order mark (without one, Excel reads
日本語 as mojibake), rows ending in CRLF, a note's own newlines kept inside its quoted cell. The
``tags`` cell is a JSON array (``["oil", "India; foreign policy"]``), since a tag may hold any
separator; :func:`split_tags` reads it back. Python's ``csv`` reads the file with
``encoding="utf-8-sig"``, pandas as it is. For analysis, :func:`to_dataframe` gives real types.
"""

from __future__ import annotations

import csv
import importlib
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from reader_ext.annotations.fields import lesson_source
from reader_ext.lessons.model import Lesson
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
    "prompt_number",
    "reply_to",
    "source",
)
# A spreadsheet treats a cell starting with one of these as a formula (CSV injection), which a
# student's note or a student id could use to run code or leak data on the instructor's machine.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

BOM = "\ufeff"
Row = dict[str, str | int | None]
_INT_COLUMNS = ("start", "end", "prompt_number")
PromptNumbers = Mapping[str, Mapping[str, int]]
"""Per lesson uri, each prompt's number (text order, as the reader numbers them)."""
_TIME_COLUMNS = ("created", "modified")


def spreadsheet_cell(value: str | int | None) -> str | int:
    """``value`` as a CSV cell a spreadsheet shows as text: formulas get a leading ``'``."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def export_csv(
    store: AnnotationStore,
    *,
    out: IO[str],
    source: str | None = None,
    bom: bool = True,
    numbers: PromptNumbers | None = None,
) -> int:
    """One row per live annotation; open ``out`` with ``newline=""`` as the csv module asks.

    With ``numbers`` (:func:`prompt_numbers` of the lessons), an answer's ``prompt_number`` is
    the number the reader and the report show beside its ``prompt_id``.
    """
    rows = annotation_rows(store.list(source=source), numbers)
    if bom:
        out.write(BOM)
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: spreadsheet_cell(value) for key, value in row.items()})
    return len(rows)


def split_tags(cell: str) -> list[str]:
    """The tags of a CSV ``tags`` cell (a JSON array; empty for none)."""
    if not cell:
        return []
    tags = json.loads(cell)
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        msg = f"tags cell: expected a JSON array of strings, got {cell[:40]!r}"
        raise ValueError(msg)
    return tags


def to_dataframe(annotations: Sequence[dict[str, Any]]) -> Any:
    """A ``pandas.DataFrame`` with the CSV columns, typed for analysis (no formula escaping).

    ``created`` / ``modified`` are UTC datetimes, ``start`` / ``end`` nullable ``Int64``,
    ``tags`` a list of strings per row (``frame.explode("tags")`` gives one row per tag), the
    other columns pandas' ``string`` dtype with ``<NA>`` where empty.
    """
    pandas = _pandas("to_dataframe")
    rows = annotation_rows(annotations)
    frame = pandas.DataFrame(rows, columns=list(CSV_COLUMNS))
    return _typed(pandas, frame, tags=[_row_tags(r) for r in rows])


def read_students_csv(path: Path) -> Any:
    """``students.csv`` of a report as a typed DataFrame: counts ``Int64``, times UTC.

    The file's own header says the columns: ``student`` and ``module`` are text,
    ``last_activity`` a time, and every other column a count.
    """
    pandas = _pandas("read_students_csv")
    frame = pandas.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    frame = frame.map(_unescape_cell)
    for column in frame.columns:
        if column in ("student", "module", "answered_prompts"):
            frame[column] = frame[column].astype("string")
        elif column == "last_activity":
            frame[column] = pandas.to_datetime(frame[column].replace("", None), utc=True)
        else:
            frame[column] = pandas.to_numeric(frame[column]).astype("Int64")
    return frame


def _typed(pandas: Any, frame: Any, *, tags: list[list[str]]) -> Any:
    for column in CSV_COLUMNS:
        if column in _TIME_COLUMNS:
            frame[column] = pandas.to_datetime(frame[column], utc=True, format="ISO8601")
        elif column in _INT_COLUMNS:
            frame[column] = frame[column].astype("Int64")
        elif column == "tags":
            frame[column] = pandas.Series(tags, index=frame.index, dtype=object)
        else:
            frame[column] = frame[column].astype("string")
    return frame


def _pandas(what: str) -> Any:
    try:
        # Imported by name: pandas is optional, and typed ``Any`` whether or not it has stubs.
        return importlib.import_module("pandas")
    except ImportError as exc:
        msg = f"{what} needs pandas: pip install pandas (or 'reader-ext[analysis]')"
        raise ImportError(msg) from exc


def _row_tags(row: Row) -> list[str]:
    cell = row["tags"]
    return split_tags(cell) if isinstance(cell, str) else []


def _unescape_cell(value: str) -> str:
    """Undo :func:`spreadsheet_cell`: a ``'`` it put before a formula character."""
    if value.startswith("'") and value[1:].startswith(_FORMULA_STARTS):
        return value[1:]
    return value


def prompt_numbers(lessons: Iterable[Lesson]) -> dict[str, dict[str, int]]:
    """Per lesson uri, its prompts' numbers (:meth:`Lesson.prompt_number`)."""
    return {lesson.uri: {p.id: n for n, p in enumerate(lesson.prompts, 1)} for lesson in lessons}


def annotation_rows(
    annotations: Sequence[dict[str, Any]], numbers: PromptNumbers | None = None
) -> list[Row]:
    """The CSV columns of each annotation; a reply's source is that of what it answers."""
    by_id = {a.get("id"): a for a in annotations}
    rows = [_row(a, lesson_source(a, by_id.get)) for a in annotations]
    for row in rows:
        if row["prompt_id"] and numbers:
            row["prompt_number"] = numbers.get(str(row["source"]), {}).get(str(row["prompt_id"]))
    return rows


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
        tags=json.dumps(tags, ensure_ascii=False) if tags else None,
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
