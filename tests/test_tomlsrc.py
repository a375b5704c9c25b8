"""``TomlFile.line_of`` finds the same lines as scanning the file on every call did."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from reader_ext.errors import Problem
from reader_ext.lessons import limits
from reader_ext.lessons.tomlsrc import TomlFile, _depth, read_toml

ROOT = Path(__file__).resolve().parents[1]
TOML_FILES = sorted([*(ROOT / "lessons").rglob("*.toml"), *(ROOT / "tests").rglob("*.toml")])

_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.-]+)\s*\]\]")
_TABLE_HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]")


def reference_line_of(lines: list[str], array: str | None, index: int, key: str | None) -> int:
    """The definition: the section's lines scanned for the key, then for a table of that name."""
    if array is None:
        headers = [
            i for i, x in enumerate(lines) if _ARRAY_HEADER.match(x) or _TABLE_HEADER.match(x)
        ]
        start, end = 0, (headers[0] if headers else len(lines))
    else:
        starts = [
            i
            for i, x in enumerate(lines)
            if (m := _ARRAY_HEADER.match(x)) is not None and m.group(1) == array
        ]
        if index >= len(starts):
            start, end = 0, len(lines)
        else:
            start = starts[index]
            end = starts[index + 1] if index + 1 < len(starts) else len(lines)
    if key is not None:
        for pattern in (
            rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=",
            rf"^\s*\[\[?\s*{re.escape(key)}\s*\]\]?",
        ):
            for i in range(start, end):
                if re.match(pattern, lines[i]):
                    return i + 1
    return start + 1


TRICKY = """\
title = "top"
  "quoted" = 1
'single' = 2
"my key" = 3
dotted.key = 4
id = "x"
ids = "y"
links = 5

[source]
url = "https://example.org"
 id = "in a table"

[[gloss]]
key = "a"
"term"="A"
match = ["a"]

  [[ gloss ]]
key = "b"
term = "B"
[[gloss.sources]]
title = "T"
url = "u"
[ extra ]
x = 1

[[gloss]]
"key" = "c"
[[sources]]
title = "S"

[[prompt]]
id = "p1"
quote = "q"
[[prompt]]
id = "p2"
[zed]
zed = 1
"""


def keys_to_try(src: TomlFile) -> set[str | None]:
    keys: set[str | None] = {None, "id", "key", "url", "sources", "extra", "gloss", "zed", "x"}
    keys.update(["my key", "dotted.key", "dotted", "quoted", '"quoted"', "'single'", "missing"])
    for value in src.data.values():
        tables = value if isinstance(value, list) else [value]
        for table in tables:
            if isinstance(table, dict):
                keys.update(table)
    keys.update(src.data)
    return keys


def check_all_lines(src: TomlFile) -> int:
    arrays: list[str | None] = [None, "nothing"]
    arrays += sorted({m.group(1) for x in src.lines if (m := _ARRAY_HEADER.match(x))})
    checked = 0
    for array in arrays:
        for index in range(4):
            for key in keys_to_try(src):
                expected = reference_line_of(src.lines, array, index, key)
                assert src.line_of(array, index, key) == expected, (src.path, array, index, key)
                checked += 1
    return checked


@pytest.mark.parametrize("path", TOML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_same_lines_as_scanning_in_course_files(path: Path) -> None:
    problems: list[Problem] = []
    src = read_toml(path, problems, what="file")
    if src is None:
        pytest.skip(f"not valid TOML: {problems}")
    assert check_all_lines(src) > 0


def test_same_lines_as_scanning_with_odd_headers_and_keys(tmp_path: Path) -> None:
    path = tmp_path / "tricky.toml"
    path.write_text(TRICKY, encoding="utf-8")
    problems: list[Problem] = []
    src = read_toml(path, problems, what="file")
    assert src is not None, problems
    assert check_all_lines(src) > 100
    # Spot checks, so that the reference itself is pinned.
    assert src.line_of(None, 0, "my key") == 4
    assert src.line_of(None, 0, "links") == 8
    assert src.line_of("gloss", 1, "key") == 20
    assert src.line_of("gloss", 1, "extra") == 25  # the [ extra ] table header
    assert src.line_of("gloss", 2, "key") == 29
    assert src.line_of("gloss", 2, "sources") == 30
    assert src.line_of("gloss", 5) == 1
    assert src.line_of("prompt", 1, "quote") == 36  # not in that entry: its header
    assert src.line_of("prompt", 1, "zed") == 39  # a key before a table of the same name


def test_line_of_with_no_lines() -> None:
    src = TomlFile(Path("empty.toml"), {}, [])
    assert src.line_of() == 1
    assert src.line_of("gloss", 3, "key") == 1


def _reference_depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_reference_depth, value.values()), default=-1) if value else 0
    if isinstance(value, list):
        return 1 + max(map(_reference_depth, value), default=-1) if value else 0
    return -1


def test_depth_is_how_deeply_containers_nest() -> None:
    rng = random.Random(20261202)

    def make(depth: int) -> object:
        if depth == 0 or rng.random() < 0.3:
            return rng.choice([1, "s", [], {}])
        children = [make(depth - 1) for _ in range(rng.randint(0, 3))]
        return children if rng.random() < 0.5 else {str(i): c for i, c in enumerate(children)}

    for _ in range(500):
        value = make(rng.randint(0, 8))
        assert _depth(value) == max(_reference_depth(value), 0), value
    deep: list[object] = []
    for _ in range(limits.NESTING + 5):
        deep = [deep]
    assert _depth(deep) > limits.NESTING
