"""Readers for the parts of a module: source, glossary, prompts, comments, instructor files.

Each reads one file (or table), checks it, adds located problems and returns what it could read.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from reader_ext.errors import Problem
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
    COMMENT,
    GLOSS,
    GUIDE,
    PROMPT,
    PROMPT_KINDS,
    SOURCE,
    SOURCE_LINK,
)
from reader_ext.lessons.tomlsrc import TomlFile, check_table, read_text, read_toml

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def check_id(value: str, src: TomlFile, problems: list[Problem], **where: Any) -> None:
    if not ID_PATTERN.match(value):
        line = src.line_of(where.get("array"), where.get("index", 0), where.get("key", "id"))
        problems.append(
            Problem(src.path, line, f"bad id '{value}': use lower-case letters, digits and hyphens")
        )


def inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def resolve(
    folder: Path, value: Any, default: str, root: Path, src: TomlFile, problems: list[Problem]
) -> Path | None:
    name = value if isinstance(value, str) else default
    path = folder / name
    if not inside(path, root):
        key = next((k for k, v in src.data.items() if v == value), None)
        problems.append(
            Problem(
                src.path,
                src.line_of(None, 0, key),
                f"path '{name}' leaves the course folder {root}: keep lesson files inside it",
            )
        )
        return None
    return path


def load_source(value: Any, src: TomlFile, problems: list[Problem]) -> Source:
    if not isinstance(value, dict):
        return Source()
    check_table(value, SOURCE, src, problems, array="source", where="[source]")
    url = value.get("url")
    if isinstance(url, str) and not url.startswith(("https://", "http://")):
        line = src.line_of(None, 0, "url")
        problems.append(Problem(src.path, line, "source url must start with https:// or http://"))
    return Source(**{k: v for k, v in value.items() if k in SOURCE and isinstance(v, str)})


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
        gsrc = read_toml(path, problems, what="glossary") if path else None
        if gsrc is None:
            continue
        only_keys(gsrc, {"gloss"}, problems)
        for i, item in enumerate(array(gsrc, "gloss", problems)):
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
            sources = links(item.get("sources", []), gsrc, i, problems)
            gloss = Gloss(
                key=item["key"],
                term=item["term"],
                match=list(item.get("match") or [item["term"]]),
                definition=item["definition"],
                original=item.get("original"),
                transliteration=item.get("transliteration"),
                as_of=item.get("as_of"),
                note=item.get("note"),
                sources=sources,
            )
            entries.append((gloss, gsrc.path, line))
    return entries


def links(value: Any, src: TomlFile, index: int, problems: list[Problem]) -> list[Link]:
    links: list[Link] = []
    for item in value if isinstance(value, list) else []:
        if not isinstance(item, dict) or not check_table(
            item, SOURCE_LINK, src, problems, array="gloss", index=index, where="gloss source"
        ):
            continue
        if not item["url"].startswith(("https://", "http://")):
            line = src.line_of("gloss", index, "sources")
            problems.append(
                Problem(src.path, line, f"source url '{item['url']}' must be http(s)://")
            )
            continue
        links.append(Link(item["title"], item["url"]))
    return links


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


def load_comments(path: Path, problems: list[Problem]) -> list[Comment]:
    src = read_toml(path, problems, what="comments file")
    if src is None:
        return []
    only_keys(src, {"comment"}, problems)
    comments: list[Comment] = []
    seen: set[str] = set()
    for i, item in enumerate(array(src, "comment", problems)):
        if not check_table(item, COMMENT, src, problems, array="comment", index=i, where="comment"):
            continue
        check_id(item["id"], src, problems, array="comment", index=i)
        _check_unique(item["id"], seen, src, "comment", i, problems)
        comments.append(Comment(item["id"], item["text"], item.get("author", "Anonymous reader")))
    return comments


def load_prompts(src: TomlFile, problems: list[Problem]) -> list[Prompt]:
    only_keys(src, {"prompt"}, problems)
    prompts: list[Prompt] = []
    seen: set[str] = set()
    for i, item in enumerate(array(src, "prompt", problems)):
        if not check_table(item, PROMPT, src, problems, array="prompt", index=i, where="prompt"):
            continue
        check_id(item["id"], src, problems, array="prompt", index=i)
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
            Prompt(item["id"], item["quote"], item["question"], item["bloom"], item["kind"])
        )
    return prompts


def load_instructor(
    folder: Path, prompts: list[Prompt], problems: list[Problem]
) -> InstructorMaterial:
    material = InstructorMaterial()
    notes = folder / "notes.md"
    if notes.exists():
        material.notes = read_text(notes, problems, what="instructor notes")
    guide_path = folder / "guide.toml"
    if not guide_path.exists():
        return material
    src = read_toml(guide_path, problems, what="instructor guide")
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
