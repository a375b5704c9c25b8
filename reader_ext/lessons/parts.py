"""Readers for the parts of a module: source, glossary, prompts, comments, instructor files.

Each reads one file (or table), checks it, adds located problems and returns what it could read.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import os
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reader_ext.errors import Problem
from reader_ext.lessons import limits
from reader_ext.lessons.model import (
    Comment,
    Gloss,
    GuideEntry,
    InstructorMaterial,
    Link,
    Prompt,
    Source,
)
from reader_ext.lessons.schema import (
    BLOOM_LEVELS,
    BLOOM_SPELLINGS,
    COMMENT,
    GLOSS,
    GLOSS_FIRST,
    GUIDE,
    PROMPT,
    PROMPT_KINDS,
    SOURCE,
    SOURCE_LINK,
)
from reader_ext.lessons.tomlsrc import TomlFile, check_table, inside, read_text, read_toml

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def check_id(value: str, src: TomlFile, problems: list[Problem], **where: Any) -> None:
    if not ID_PATTERN.match(value):
        line = src.line_of(where.get("array"), where.get("index", 0), where.get("key", "id"))
        problems.append(
            Problem(src.path, line, f"bad id '{value}': use lower-case letters, digits and hyphens")
        )


def resolve(
    folder: Path, value: Any, default: str, root: Path, src: TomlFile, problems: list[Problem]
) -> Path | None:
    name = value if isinstance(value, str) else default
    # Normalised, not resolved: messages show the path as the author wrote it, without "..".
    path = Path(os.path.normpath(folder / name))
    if not inside(path, root):
        key = next((k for k, v in src.data.items() if v == value), None)
        if key is None:
            key = next((k for k, v in src.data.items() if isinstance(v, list) and value in v), None)
        problems.append(
            Problem(
                src.path,
                src.line_of(None, 0, key),
                f"path '{name}' leaves the course folder {root}: keep lesson files inside it",
            )
        )
        return None
    return path


_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# A BCP 47 language tag as HTML's lang takes it: a 2–3 letter language (or an 8-letter
# registered one), then subtags such as a script (Latn, Deva), a region (UA, 419) or a variant.
_LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$|^[A-Za-z]{5,8}$")


Line = int | Callable[[], int]
"""Where a value is, or how to find it (only if there is a problem to report)."""


def _line(line: Line) -> int:
    return line if isinstance(line, int) else line()


def check_lang(value: Any, src: TomlFile, line: Line, problems: list[Problem], *, key: str) -> None:
    """A language is a BCP 47 tag (``sa``, ``uk``, ``zh-Hant``), as HTML's ``lang`` needs."""
    if isinstance(value, str) and not _LANG_TAG.match(value):
        problems.append(
            Problem(
                src.path,
                _line(line),
                f"{key} '{value}' is not a BCP 47 language tag: write the language's ISO 639 code,"
                ' e.g. "sa" for Sanskrit, "uk" for Ukrainian, "zh-Hant" for Traditional Chinese',
            )
        )


def check_date(value: Any, src: TomlFile, line: Line, problems: list[Problem], *, key: str) -> None:
    """A date is ISO 8601: ``1796``, ``1796-05`` or ``1796-05-17`` (``circa`` says "c.")."""
    if not isinstance(value, str):
        return
    found = _ISO_DATE.match(value)
    if found:
        year, month, day = (int(g) if g else 1 for g in found.groups())
        try:
            datetime.date(year, month, day)
        except ValueError:
            found = None
    if found is None:
        digits = re.search(r"\d{4}", value)
        example = digits.group() if digits else "1796"
        hint = f'write {key} = "{example}"'
        if key == "date":
            hint += ', and circa = true for an approximate date (shown as "c. ' + example + '")'
        problems.append(
            Problem(
                src.path,
                _line(line),
                f"{key} '{value}' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {hint}",
            )
        )


def load_sources(value: Any, src: TomlFile, problems: list[Problem]) -> list[Source]:
    """The reading's ``[source]`` table, or its ``[[source]]`` printings, in order."""
    if value is None:
        return []
    tables = value if isinstance(value, list) else [value]
    sources: list[Source] = []
    for index, table in enumerate(tables):
        array, where = ("source", "[[source]]") if isinstance(value, list) else (None, "[source]")
        if not isinstance(table, dict):
            problems.append(Problem(src.path, src.line_of(None, 0, "source"), "use [[source]]"))
            continue
        check_table(table, SOURCE, src, problems, array=array, index=index, where=where)
        url = table.get("url")
        if isinstance(url, str) and not url.startswith(("https://", "http://")):
            line = _source_line(src, array, index, "url")
            problems.append(
                Problem(src.path, line, "source url must start with https:// or http://")
            )
        check_date(
            table.get("date"), src, _source_line(src, array, index, "date"), problems, key="date"
        )
        fields = {k: v for k, v in table.items() if k in SOURCE and isinstance(v, str)}
        sources.append(Source(**fields, circa=table.get("circa") is True))
    return sources


def _source_line(src: TomlFile, array: str | None, index: int, key: str) -> int:
    if array is None:
        start = src.line_of(None, 0, "source")
        for i in range(start - 1, len(src.lines)):
            if re.match(rf"^\s*{key}\s*=", src.lines[i]):
                return i + 1
        return start
    return src.line_of(array, index, key)


def load_glossaries(
    folder: Path, meta: dict[str, Any], root: Path, src: TomlFile, problems: list[Problem]
) -> list[tuple[Gloss, Path, int]]:
    names = meta.get("glossaries")
    if not isinstance(names, list):
        names = ["glossary.toml"] if (folder / "glossary.toml").exists() else []
    entries: list[tuple[Gloss, Path, int]] = []
    keys: dict[str, str] = {}
    for name in names:
        path = resolve(folder, name, "glossary.toml", root, src, problems)
        gsrc = (
            read_toml(path, problems, what="glossary", root=root, arrays=("gloss", "gloss.sources"))
            if path
            else None
        )
        if gsrc is None:
            continue
        only_keys(gsrc, {"gloss"}, problems)
        items = array(gsrc, "gloss", problems)
        if len(items) > limits.GLOSSES:
            problems.append(_too_many(gsrc, "gloss", len(items), limits.GLOSSES, "GLOSSES"))
            continue
        for i, item in enumerate(items):
            line = gsrc.line_of("gloss", i)
            if not check_table(item, GLOSS, gsrc, problems, array="gloss", index=i, where="gloss"):
                continue
            check_id(item["key"], gsrc, problems, array="gloss", index=i, key="key")
            if item["key"] in keys:
                problems.append(
                    Problem(
                        gsrc.path,
                        line,
                        f"duplicate gloss key '{item['key']}' (first in {keys[item['key']]})",
                    )
                )
                continue
            keys[item["key"]] = f"{gsrc.path}:{line}"
            first = item.get("first")
            if first is not None and first not in GLOSS_FIRST:
                problems.append(
                    Problem(
                        gsrc.path,
                        gsrc.line_of("gloss", i, "first"),
                        f"gloss '{item['key']}': first = '{first}' is not one of: "
                        + ", ".join(GLOSS_FIRST),
                    )
                )
            # Lines are looked for only to report a problem (300 entries, two keys each).
            check_date(
                item.get("as_of"),
                gsrc,
                functools.partial(gsrc.line_of, "gloss", i, "as_of"),
                problems,
                key="as_of",
            )
            check_lang(
                item.get("original_lang"),
                gsrc,
                functools.partial(gsrc.line_of, "gloss", i, "original_lang"),
                problems,
                key="original_lang",
            )
            if "original_lang" in item and "original" not in item:
                problems.append(
                    Problem(
                        gsrc.path,
                        gsrc.line_of("gloss", i, "original_lang"),
                        f"gloss '{item['key']}': original_lang without original (the language"
                        ' of what? add original = "…", the term in its own script)',
                    )
                )
            sources = links(item.get("sources", []), gsrc, i, item["key"], problems)
            gloss = Gloss(
                key=item["key"],
                term=item["term"],
                match=list(item["match"]) if "match" in item else [item["term"]],
                definition=item["definition"],
                original=item.get("original"),
                original_lang=item.get("original_lang"),
                transliteration=item.get("transliteration"),
                as_of=item.get("as_of"),
                note=item.get("note"),
                sources=sources,
                case_sensitive=item.get("case_sensitive") is True,
                first=first if first in GLOSS_FIRST else None,
            )
            entries.append((gloss, gsrc.path, line))
    return entries


def links(value: Any, src: TomlFile, index: int, key: str, problems: list[Problem]) -> list[Link]:
    """The ``[[gloss.sources]]`` of the ``index``-th gloss; problems name the gloss."""
    links: list[Link] = []
    start, end = src.line_of("gloss", index) - 1, len(src.lines)
    glosses = src.lines_of_array("gloss")  # in file order: bisected, not scanned per gloss
    if (after := bisect_right(glosses, start)) < len(glosses):
        end = glosses[after]
    sourced = src.lines_of_array("gloss.sources")
    headers = sourced[bisect_left(sourced, start) : bisect_left(sourced, end)]
    for j, item in enumerate(value if isinstance(value, list) else []):
        line = headers[j] + 1 if j < len(headers) else src.line_of("gloss", index, "sources")
        where = f"source {j + 1} of gloss '{key}'"
        if not isinstance(item, dict):
            continue
        before = len(problems)
        for name in item:
            if name not in SOURCE_LINK:
                close = difflib.get_close_matches(name, list(SOURCE_LINK), n=1)
                hint = f"did you mean '{close[0]}'?" if close else "use title and url"
                problems.append(Problem(src.path, line, f"unknown key '{name}' in {where}: {hint}"))
        for name in SOURCE_LINK:
            if not isinstance(item.get(name), str):
                state = "missing" if name not in item else "not a string:"
                problems.append(
                    Problem(
                        src.path,
                        line,
                        f"{where} has {state} '{name}'"
                        + (
                            " — a gloss source is a page a student can open: give its url"
                            " (cite a printed work in the definition instead)"
                            if name == "url"
                            else ""
                        ),
                    )
                )
        if len(problems) > before:
            continue
        if not item["url"].startswith(("https://", "http://")):
            problems.append(
                Problem(src.path, line, f"{where}: url '{item['url']}' must be http(s)://")
            )
            continue
        links.append(Link(item["title"], item["url"]))
    return links


def _too_many(src: TomlFile, name: str, count: int, limit: int, limit_name: str) -> Problem:
    return Problem(
        src.path,
        1,
        f"{count} [[{name}]] entries: more than the limit of {limit} (limit {limit_name},"
        " see lessons/README.md, Limits)",
    )


def only_keys(src: TomlFile, allowed: set[str], problems: list[Problem]) -> None:
    for key in src.data:
        if key not in allowed:
            close = difflib.get_close_matches(key, list(allowed), n=1)
            hint = f"did you mean '[[{close[0]}]]'?" if close else f"use [[{next(iter(allowed))}]]"
            problems.append(
                Problem(src.path, src.line_of(None, 0, key), f"unknown key '{key}': {hint}")
            )


def array(src: TomlFile, name: str, problems: list[Problem]) -> list[dict[str, Any]]:
    value = src.data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        problems.append(Problem(src.path, src.line_of(None, 0, name), f"use [[{name}]] tables"))
        return []
    return value


def _check_unique(
    item_id: str, seen: set[str], src: TomlFile, array: str, index: int, problems: list[Problem]
) -> None:
    """Report an id already used by an earlier entry of the same ``[[array]]``."""
    if item_id in seen:
        line = src.line_of(array, index, "id")
        problems.append(Problem(src.path, line, f"duplicate {array} id '{item_id}'"))
    seen.add(item_id)


def load_comments(
    path: Path, problems: list[Problem], *, root: Path | None = None
) -> list[Comment]:
    src = read_toml(path, problems, what="comments file", root=root, arrays=("comment",))
    if src is None:
        return []
    only_keys(src, {"comment"}, problems)
    comments: list[Comment] = []
    seen: set[str] = set()
    items = array(src, "comment", problems)
    if len(items) > limits.COMMENTS:
        problems.append(_too_many(src, "comment", len(items), limits.COMMENTS, "COMMENTS"))
        return []
    for i, item in enumerate(items):
        if not check_table(item, COMMENT, src, problems, array="comment", index=i, where="comment"):
            continue
        check_id(item["id"], src, problems, array="comment", index=i)
        _check_unique(item["id"], seen, src, "comment", i, problems)
        comments.append(Comment(item["id"], item["text"], item.get("author", "Anonymous reader")))
    return comments


def load_prompts(src: TomlFile, problems: list[Problem]) -> list[Prompt]:
    """The ``[[prompt]]`` entries; ``bloom = "analyze"`` is read as ``"analyse"``."""
    only_keys(src, {"prompt"}, problems)
    prompts: list[Prompt] = []
    seen: set[str] = set()
    items = array(src, "prompt", problems)
    if len(items) > limits.PROMPTS:
        problems.append(_too_many(src, "prompt", len(items), limits.PROMPTS, "PROMPTS"))
        return []
    for i, item in enumerate(items):
        if not check_table(item, PROMPT, src, problems, array="prompt", index=i, where="prompt"):
            continue
        check_id(item["id"], src, problems, array="prompt", index=i)
        item = {**item, "bloom": BLOOM_SPELLINGS.get(item["bloom"], item["bloom"])}
        occurrence = item.get("occurrence")
        if occurrence is not None and occurrence < 1:
            problems.append(
                Problem(
                    src.path,
                    src.line_of("prompt", i, "occurrence"),
                    f"prompt '{item['id']}': occurrence counts from 1 (the first place the quote"
                    " occurs)",
                )
            )
            occurrence = None
        for key, allowed in (("bloom", BLOOM_LEVELS), ("kind", PROMPT_KINDS)):
            if item[key] not in allowed:
                problems.append(
                    Problem(
                        src.path,
                        src.line_of("prompt", i, key),
                        f"{key} '{item[key]}' is not one of: {', '.join(allowed)}",
                    )
                )
        _check_unique(item["id"], seen, src, "prompt", i, problems)
        prompts.append(
            Prompt(
                item["id"],
                item["quote"],
                item["question"],
                item["bloom"],
                item["kind"],
                occurrence=occurrence,
            )
        )
    return prompts


def load_instructor(
    folder: Path, prompts: list[Prompt], problems: list[Problem], *, root: Path | None = None
) -> InstructorMaterial:
    material = InstructorMaterial()
    notes = folder / "notes.md"
    if notes.exists() or notes.is_symlink():
        material.notes = read_text(notes, problems, what="instructor notes", root=root)
    guide_path = folder / "guide.toml"
    if not (guide_path.exists() or guide_path.is_symlink()):
        return material
    src = read_toml(guide_path, problems, what="instructor guide", root=root, arrays=("guide",))
    if src is None:
        return material
    only_keys(src, {"guide"}, problems)
    ids = {p.id for p in prompts}
    for i, item in enumerate(array(src, "guide", problems)):
        if not check_table(item, GUIDE, src, problems, array="guide", index=i, where="guide"):
            continue
        if ids and item["prompt"] not in ids:
            problems.append(
                Problem(
                    src.path,
                    src.line_of("guide", i, "prompt"),
                    f"guide for unknown prompt '{item['prompt']}'"
                    f" (prompts: {', '.join(sorted(ids))})",
                )
            )
        material.guide.append(
            GuideEntry(item["prompt"], item["answer"], list(item.get("rubric", [])))
        )
    return material
