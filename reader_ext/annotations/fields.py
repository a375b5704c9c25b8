"""Reading the parts of a stored annotation: who wrote it, what it says, which lesson it is on.

One place for these, so the reader, the CSV export and the class report never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Lookup = Callable[[str], Mapping[str, Any] | None]


def author(annotation: Mapping[str, Any]) -> str:
    """The creator's username (``nickname``), or ``"unknown"``."""
    creator = annotation.get("creator")
    nickname = creator.get("nickname") if isinstance(creator, Mapping) else None
    return nickname if isinstance(nickname, str) and nickname else "unknown"


def note_text(annotation: Mapping[str, Any]) -> str:
    """The Markdown of the annotation's note (its ``commenting`` body), or ``""``."""
    for body in annotation.get("body") or []:
        if isinstance(body, Mapping) and body.get("purpose", "commenting") == "commenting":
            return str(body.get("value", ""))
    return ""


def tags(annotation: Mapping[str, Any]) -> list[str]:
    """The annotation's tags (its ``tagging`` bodies), in order."""
    return [
        str(body.get("value", ""))
        for body in annotation.get("body") or []
        if isinstance(body, Mapping) and body.get("purpose") == "tagging"
    ]


def lesson_source(annotation: Mapping[str, Any], lookup: Lookup) -> str | None:
    """The lesson uri an annotation is on, following a reply to what it answers.

    ``lookup`` finds an annotation by id. A chain that loops or ends at a missing annotation
    has no lesson.
    """
    seen: set[object] = set()
    current: Mapping[str, Any] | None = annotation
    while current is not None and current.get("id") not in seen:
        seen.add(current.get("id"))
        target = current.get("target")
        if isinstance(target, Mapping):
            source = target.get("source")
            return source if isinstance(source, str) else None
        if not isinstance(target, str):
            return None
        base, sep, fragment = target.partition("#")
        if sep and fragment.startswith(("prompt-", "comment-")):
            return base
        current = lookup(target)
    return None
