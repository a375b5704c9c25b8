"""TOML files that remember where things are, so every lesson error can name its line.

``tomllib`` gives values but no positions; lesson files are small and regular, so scanning the
source for table headers and keys is enough to point an author at the right line. The scan runs
once per file, when a line is first asked for: validation asks for lines only to report a problem,
and a glossary of hundreds of entries must not be rescanned once per key.
"""

from __future__ import annotations

import difflib
import re
import sys
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader_ext.errors import Problem

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.-]+)\s*\]\]")
_TABLE_HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]")
_DECODE_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass(slots=True)
class TomlFile:
    """A parsed TOML file with its source lines."""

    path: Path
    data: dict[str, Any]
    lines: list[str] = field(repr=False)
    _index: _LineIndex | None = field(default=None, init=False, repr=False, compare=False)

    def _section(self, array: str | None, index: int) -> tuple[int, int]:
        """Line range (0-based, end exclusive) of the ``index``-th ``[[array]]`` (or top level)."""
        lines = self._line_index()
        if array is None:
            return 0, lines.first_header
        starts = lines.arrays.get(array, [])
        if index >= len(starts):
            return 0, len(self.lines)
        start = starts[index]
        end = starts[index + 1] if index + 1 < len(starts) else len(self.lines)
        return start, end

    def line_of(self, array: str | None = None, index: int = 0, key: str | None = None) -> int:
        """1-based line of ``key`` in the ``index``-th ``[[array]]`` entry (or of its header)."""
        start, end = self._section(array, index)
        if key is None:
            return start + 1
        if _BARE_KEY.fullmatch(key):
            lines = self._line_index()
            for where in (lines.keys.get(key), lines.tables.get(key)):
                if where and (i := bisect_left(where, start)) < len(where) and where[i] < end:
                    return where[i] + 1
            return start + 1
        # A quoted key with other characters: rare enough to look for line by line.
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for i in range(start, end):
            if pattern.match(self.lines[i]):
                return i + 1
        table = re.compile(rf"^\s*\[\[?\s*{re.escape(key)}\s*\]\]?")
        for i in range(start, end):
            if table.match(self.lines[i]):
                return i + 1
        return start + 1

    def _line_index(self) -> _LineIndex:
        if self._index is None:
            self._index = _LineIndex(self.lines)
        return self._index


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# For a bare key these find the same lines as the patterns ``line_of`` builds for other keys.
_KEY_LINE = re.compile(r"^\s*[\"']?([A-Za-z0-9_-]+)[\"']?\s*=")
_TABLE_LINE = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_-]+)\s*\]")


class _LineIndex:
    """Where each header and bare key is, read once per file: a lookup is then a bisection."""

    __slots__ = ("arrays", "first_header", "keys", "tables")

    def __init__(self, lines: list[str]) -> None:
        self.first_header = len(lines)
        self.arrays: dict[str, list[int]] = {}  # [[name]] -> its header lines
        self.keys: dict[str, list[int]] = {}  # key -> the lines assigning it
        self.tables: dict[str, list[int]] = {}  # name -> its [name] and [[name]] header lines
        for i, line in enumerate(lines):
            if found := _KEY_LINE.match(line):
                self.keys.setdefault(found.group(1), []).append(i)
            if found := _TABLE_LINE.match(line):
                self.tables.setdefault(found.group(1), []).append(i)
            array = _ARRAY_HEADER.match(line)
            if array:
                self.arrays.setdefault(array.group(1), []).append(i)
            if (array or _TABLE_HEADER.match(line)) and i < self.first_header:
                self.first_header = i


def read_toml(path: Path, problems: list[Problem], *, what: str) -> TomlFile | None:
    """Parse ``path``; on failure add a located problem and return None."""
    text = read_text(path, problems, what=what)
    if text is None:
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _DECODE_POS.search(str(exc))
        line, column = (int(found.group(1)), int(found.group(2))) if found else (1, 1)
        reason = _DECODE_POS.sub("", str(exc)).strip()
        problems.append(
            Problem(path, line, f"bad TOML at column {column}: {reason} (check quotes and '=')")
        )
        return None
    return TomlFile(path, data, text.splitlines())


def read_text(path: Path, problems: list[Problem], *, what: str) -> str | None:
    """Read a UTF-8 text file; on failure add a located problem and return None."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(path, 1, f"missing {what}: create {path.name} or fix the path"))
        return None
    except OSError as exc:
        problems.append(Problem(path, 1, f"cannot read {what}: {exc.strerror}"))
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(path, line, "not valid UTF-8: save the file as UTF-8"))
        return None


@dataclass(frozen=True, slots=True)
class Field:
    """The expected type of one key; ``required`` keys must be present."""

    kind: type | tuple[type, ...]
    required: bool = False
    items: type | None = None  # element type, for lists


def check_table(
    table: Mapping[str, Any],
    spec: Mapping[str, Field],
    src: TomlFile,
    problems: list[Problem],
    *,
    array: str | None = None,
    index: int = 0,
    where: str = "",
) -> bool:
    """Check keys and value types of one table against ``spec``; True if no problem was found."""
    before = len(problems)
    label = f" in {where}" if where else ""
    for key, value in table.items():
        wanted = spec.get(key)
        if wanted is None:
            close = difflib.get_close_matches(key, list(spec), n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(spec)}"
            line = src.line_of(array, index, key)
            problems.append(Problem(src.path, line, f"unknown key '{key}'{label}: {hint}"))
            continue
        if not _has_type(value, wanted):
            line = src.line_of(array, index, key)
            problems.append(Problem(src.path, line, f"'{key}'{label} must be {_describe(wanted)}"))
    for key, wanted in spec.items():
        if wanted.required and key not in table:
            line = src.line_of(array, index)
            problems.append(Problem(src.path, line, f"missing required key '{key}'{label}"))
    return len(problems) == before


def _has_type(value: Any, wanted: Field) -> bool:
    if isinstance(value, bool) and bool not in _as_tuple(wanted.kind):
        return False
    if not isinstance(value, wanted.kind):
        return False
    if wanted.items is not None and isinstance(value, list):
        return all(isinstance(item, wanted.items) for item in value)
    return True


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _describe(wanted: Field) -> str:
    names = {str: "a string", int: "a whole number", list: "a list", dict: "a table"}
    kinds = " or ".join(names.get(k, k.__name__) for k in _as_tuple(wanted.kind))
    if wanted.items is not None:
        return f"{kinds} of {names.get(wanted.items, wanted.items.__name__)}s"
    return kinds
