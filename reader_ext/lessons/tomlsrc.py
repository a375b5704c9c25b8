"""TOML files that remember where things are, so every lesson error can name its line.

``tomllib`` gives values but no positions; lesson files are small and regular, so scanning the
source for table headers and keys is enough to point an author at the right line. The scan runs
once per file, when a line is first asked for: validation asks for lines only to report a problem,
and a glossary of hundreds of entries must not be rescanned once per key.
"""

from __future__ import annotations

import difflib
import errno
import os
import re
import stat
import sys
import unicodedata
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli

from reader_ext.errors import Problem
from reader_ext.lessons import limits

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
    headers: list[int] | None = field(default=None, repr=False, compare=False)
    """The 0-based lines that start with ``[`` (a table header), if already found."""
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
            for where in (lines.keys().get(key), lines.tables.get(key)):
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

    def lines_of_array(self, array: str) -> list[int]:
        """The 0-based lines of every ``[[array]]`` header."""
        return self._line_index().arrays.get(array, [])

    def _line_index(self) -> _LineIndex:
        if self._index is None:
            if self.headers is None:
                self.headers = _header_lines(self.lines)
            self._index = _LineIndex(self.lines, self.headers)
        return self._index


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# For a bare key these find the same lines as the patterns ``line_of`` builds for other keys.
_KEY_LINE = re.compile(r"^\s*[\"']?([A-Za-z0-9_-]+)[\"']?\s*=")
_TABLE_LINE = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_-]+)\s*\]")


class _LineIndex:
    """Where each header and bare key is: a lookup is then a bisection. Headers are read when
    the index is made (every entry of a glossary asks for its own), keys when a key's line is
    first asked for (mostly to report a problem)."""

    __slots__ = ("_keys", "_lines", "arrays", "first_header", "tables")

    def __init__(self, lines: list[str], headers: list[int]) -> None:
        self._lines = lines
        self._keys: dict[str, list[int]] | None = None
        self.first_header = len(lines)
        self.arrays: dict[str, list[int]] = {}  # [[name]] -> its header lines
        self.tables: dict[str, list[int]] = {}  # name -> its [name] and [[name]] header lines
        for i in headers:
            line = lines[i]
            if found := _TABLE_LINE.match(line):
                self.tables.setdefault(found.group(1), []).append(i)
            array = _ARRAY_HEADER.match(line)
            if array:
                self.arrays.setdefault(array.group(1), []).append(i)
            if (array or _TABLE_HEADER.match(line)) and i < self.first_header:
                self.first_header = i

    def keys(self) -> dict[str, list[int]]:
        """Each bare key -> the lines assigning it (a header line assigns none)."""
        if self._keys is None:
            self._keys = {}
            for i, line in enumerate(self._lines):
                # A key line cannot start with "[" and a header must: one pattern per line.
                if line.lstrip()[:1] != "[" and (found := _KEY_LINE.match(line)):
                    self._keys.setdefault(found.group(1), []).append(i)
        return self._keys


def _header_lines(lines: list[str]) -> list[int]:
    """The 0-based lines that start with ``[`` after any white space (table headers)."""
    return [i for i, line in enumerate(lines) if line.lstrip()[:1] == "["]


def read_toml(
    path: Path,
    problems: list[Problem],
    *,
    what: str,
    root: Path | None = None,
    arrays: tuple[str, ...] = (),
) -> TomlFile | None:
    """Parse ``path``; on failure add a located problem and return None.

    ``root``: the folder the file must really be in (after symlinks), see :func:`read_text`.
    ``arrays``: the ``[[name]]`` arrays this file holds, so a ``[name]`` typo is named at its
    own line rather than where TOML first trips over it.
    """
    text = read_text(path, problems, what=what, root=root, limit=limits.TOML_BYTES)
    if text is None:
        return None
    lines = text.splitlines()
    headers = _header_lines(lines)
    typos = _single_brackets(path, lines, headers, arrays)
    try:
        data = _loads(text)
    except tomllib.TOMLDecodeError as exc:
        problems.extend(typos or [_decode_problem(path, lines, exc)])
        return None
    except RecursionError:
        problems.append(_too_deep(path, lines))
        return None
    if typos:
        problems.extend(typos)
        return None
    if _depth(data) > limits.NESTING:
        problems.append(_too_deep(path, lines))
        return None
    return TomlFile(path, data, lines, headers)


def _loads(text: str) -> dict[str, Any]:
    """``tomllib.loads``, three times quicker on a glossary of hundreds of entries: tomli is the
    parser the standard library took in, and its wheels are compiled. What it refuses is parsed
    again by tomllib, so that a problem is named in the standard library's words."""
    try:
        return tomli.loads(text)
    except Exception:
        return tomllib.loads(text)


def _single_brackets(
    path: Path, lines: list[str], headers: list[int], arrays: tuple[str, ...]
) -> list[Problem]:
    found: list[Problem] = []
    for index in headers if arrays else ():
        line, number = lines[index], index + 1
        header = _TABLE_HEADER.match(line)
        if header and not _ARRAY_HEADER.match(line) and header.group(1) in arrays:
            name = header.group(1)
            found.append(
                Problem(
                    path,
                    number,
                    f"'[{name}]' declares a single table: each entry starts with '[[{name}]]'"
                    " (double brackets)",
                )
            )
    return found


_NON_ASCII_KEY = re.compile(r"^\s*([^\s=\[\]\"'#]*[^\x00-\x7f][^\s=\[\]\"'#]*)\s*=")


def _decode_problem(path: Path, lines: list[str], exc: tomllib.TOMLDecodeError) -> Problem:
    found = _DECODE_POS.search(str(exc))
    line, column = (int(found.group(1)), int(found.group(2))) if found else (1, 1)
    reason = _DECODE_POS.sub("", str(exc)).strip()
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    key = _NON_ASCII_KEY.match(text)
    if key:
        plain = unicodedata.normalize("NFKD", key.group(1))
        plain = "".join(c for c in plain if c.isascii())
        return Problem(
            path,
            line,
            f"key '{key.group(1)}' has a letter TOML does not allow in a bare key: "
            f"write '{plain}' (keys are ASCII letters, digits, '-' and '_')",
        )
    hint = "check quotes and '='"
    value = text.partition("=")[2].strip()
    if value.startswith('"') and not value.startswith('"""') and value.count('"') > 2:
        hint = (
            'a double quote inside "..." ends the string: write the value as a literal string'
            ' in single quotes (\'say "this"\'), or escape it as \\"'
        )
    return Problem(path, line, f"bad TOML at column {column}: {reason} ({hint})")


def _depth(value: Any) -> int:
    """How deeply arrays and tables nest in ``value``, found level by level, without recursion
    (and without a visit to each of a glossary's thousands of strings)."""
    containers = (dict, list)
    level = [value] if isinstance(value, containers) else []
    depth = -1
    while level:
        depth += 1
        if depth > limits.NESTING:
            return depth
        below: list[Any] = []
        for item in level:
            children = item.values() if isinstance(item, dict) else item
            below += [child for child in children if isinstance(child, containers)]
        level = below
    return max(depth, 0)


def _too_deep(path: Path, lines: list[str]) -> Problem:
    # Bracket counting that ignores strings: only to point at the line, never to decide.
    depth, line = 0, 1
    for number, text in enumerate(lines, 1):
        depth += sum(text.count(c) for c in "[{") - sum(text.count(c) for c in "]}")
        if depth > limits.NESTING:
            line = number
            break
    return Problem(
        path,
        line,
        f"arrays or tables nested more than {limits.NESTING} deep: a lesson file needs three"
        " at most (limit NESTING, see lessons/README.md, Limits)",
    )


def inside(path: Path, root: Path) -> bool:
    """Whether ``path``, symlinks followed, is in ``root``; a symlink loop is not."""
    real = os.path.realpath(path)
    base = os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def read_text(
    path: Path,
    problems: list[Problem],
    *,
    what: str,
    root: Path | None = None,
    limit: int = limits.TEXT_BYTES,
) -> str | None:
    """Read a UTF-8 text file; on failure add a located problem and return None.

    Only a regular file is read (a FIFO would block for ever, a device never end), at most
    ``limit`` bytes, and if ``root`` is given only when the file, symlinks followed, is in it:
    a symlink to a file elsewhere would otherwise be copied into the students' release.
    """
    raw = _read_bytes(path, problems, what=what, root=root, limit=limit)
    if raw is None:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(path, line, "not valid UTF-8: save the file as UTF-8"))
        return None


def read_bytes(
    path: Path, problems: list[Problem], *, what: str, root: Path | None, limit: int
) -> bytes | None:
    """The bytes of a lesson file under the rules of :func:`read_text` (for images)."""
    return _read_bytes(path, problems, what=what, root=root, limit=limit)


def _read_bytes(
    path: Path, problems: list[Problem], *, what: str, root: Path | None, limit: int
) -> bytes | None:
    if root is not None and not inside(path, root):
        problems.append(
            Problem(
                path,
                1,
                f"{what} is a link to a file outside the course folder: copy the file into the"
                " course instead",
            )
        )
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        problems.append(Problem(path, 1, f"missing {what}: create {path.name} or fix the path"))
        return None
    except OSError as exc:
        reason = "a symlink loop" if exc.errno == errno.ELOOP else exc.strerror
        problems.append(Problem(path, 1, f"cannot read {what}: {reason}"))
        return None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(mode) else "a pipe or device, not a regular file"
        problems.append(Problem(path, 1, f"cannot read {what}: it is {kind}"))
        return None
    with os.fdopen(fd, "rb") as f:
        try:
            raw = f.read(limit + 1)
        except OSError as exc:
            problems.append(Problem(path, 1, f"cannot read {what}: {exc.strerror}"))
            return None
    if len(raw) > limit:
        size = max(len(raw), path.stat().st_size)
        problems.append(
            Problem(
                path,
                1,
                f"{what} is {limits.describe(size)}: larger than the limit of"
                f" {limits.describe(limit)} for a {what} (see lessons/README.md, Limits)",
            )
        )
        return None
    return raw


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
