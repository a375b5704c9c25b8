"""Reading W3C Web Annotations written by us or by other tools into our stored shape.

Accepts one annotation, a list, an ``AnnotationPage`` or an ``AnnotationCollection`` whose pages
are embedded (``first`` / ``next`` objects, or pages in ``@included`` as :func:`to_collection`
writes them). Other tools' text-quote annotations are normalised (see ``docs/annotations.md``);
an item that still cannot be read is skipped and reported with its index, never fatal.

What is not a W3C annotation is refused rather than guessed at: an item with no ``type`` that
carries another tool's keys (a Hypothesis API row, an Annotator.js annotation) is named as such,
since reading it as W3C would lose its text, tags and author. ``reader-ext import`` reads
Hypothesis's own formats through :mod:`reader_ext.interop.hypothesis`.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from reader_ext.annotations import limits
from reader_ext.annotations.shape import check_annotation
from reader_ext.annotations.values import creator_for, is_uri, normalise_time
from reader_ext.errors import AnnotationError

_TAGGING = "tagging"
# Keys of the W3C Annotation model (and JSON-LD's own): an untyped item with other keys was
# written by a tool that does not speak W3C, and is not read as if it did.
_W3C_KEYS = frozenset(
    {
        "@context", "@id", "@type", "id", "type", "motivation", "creator", "created",
        "modified", "generated", "generator", "body", "bodyValue", "target", "audience",
        "rights", "canonical", "via", "stylesheet", "label", "schema:audience",
    }
)  # fmt: skip
# JSON numbers longer than this are no offset or count of ours; Python refuses to convert
# integers over 4,300 digits at all, which would abort the whole file.
_MAX_NUMBER_DIGITS = 30


class TooLongNumber:
    """A JSON number too long to be read: fails every check that expects a number or text."""

    def __init__(self, text: str) -> None:
        self.digits = len(text)

    def __repr__(self) -> str:
        return f"<a number of {self.digits} digits>"


def parse_json(text: str) -> object:
    """``json.loads``, with over-long numbers kept as :class:`TooLongNumber` (never fatal).

    So one item with a 5,000-digit offset is refused alone, with its index, instead of the
    ``ValueError`` Python raises for the whole file.
    """

    def number(literal: str) -> int | TooLongNumber:
        if len(literal.lstrip("-")) > _MAX_NUMBER_DIGITS:
            return TooLongNumber(literal)
        return int(literal)

    def real(literal: str) -> float | TooLongNumber:
        if len(literal) > _MAX_NUMBER_DIGITS + 10:
            return TooLongNumber(literal)
        return float(literal)

    return json.loads(text, parse_int=number, parse_float=real)


def foreign_format(data: object) -> str | None:
    """The name of the non-W3C format ``data`` (one item or a whole file) looks like, if any."""
    if not isinstance(data, Mapping):
        return None
    keys = set(data)
    if {"total", "rows"} <= keys:
        return "a Hypothesis API search result"
    if {"export_date", "annotations"} <= keys:
        return "a Hypothesis client export"
    if "type" in keys or "@type" in keys:
        return None
    # Annotator.js rows (Hypothesis's ancestor) share uri/user/text; their ranges tell them apart.
    if "quote" in keys and "ranges" in keys:
        return "an Annotator.js annotation"
    if "uri" in keys and keys & {"user", "text", "tags", "references"}:
        return "a Hypothesis API annotation row"
    return None


@dataclass(slots=True)
class ReadProblem:
    """An item of the input that was skipped: its position among all items, and why."""

    index: int
    reason: str

    def __str__(self) -> str:
        return f"item {self.index}: {self.reason}"


@dataclass(slots=True)
class ReadResult:
    annotations: list[dict[str, Any]] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    """For each annotation, the index of the item it came from."""
    problems: list[ReadProblem] = field(default_factory=list)


def read_w3c(data: object) -> list[dict[str, Any]]:
    """The readable annotations in ``data`` (parsed JSON), normalised to our shape.

    Unreadable items are skipped; use :func:`read_w3c_report` to learn which and why.
    """
    return read_w3c_report(data).annotations


def read_w3c_report(data: object) -> ReadResult:
    """Like :func:`read_w3c`, also listing the skipped items.

    Raises AnnotationError when ``data`` as a whole is not annotations, or when it is a single
    annotation that cannot be read.
    """
    single = isinstance(data, Mapping) and not _is_container(data)
    result = ReadResult()
    for index, item in enumerate(_items(data)):
        try:
            result.annotations.append(normalise(item))
            result.positions.append(index)
        except AnnotationError as exc:
            if single:
                msg = f"item {index}: {exc}"
                raise AnnotationError(msg) from None
            result.problems.append(ReadProblem(index, str(exc)))
    return result


def normalise(item: object) -> dict[str, Any]:
    """One annotation from any W3C-speaking tool, as our checked shape."""
    if not isinstance(item, Mapping):
        msg = "not a JSON object (a link to an annotation cannot be imported)"
        raise AnnotationError(msg)
    looks_like = foreign_format(item)
    if looks_like:
        msg = f"not a W3C annotation: it looks like {looks_like}"
        raise AnnotationError(msg)
    if "type" not in item:
        foreign = sorted(str(k) for k in item if k not in _W3C_KEYS)
        if foreign:
            msg = (
                "not a W3C annotation: no 'type' and keys the W3C model does not have "
                f"({', '.join(foreign[:5])}); export it from its tool as W3C Web Annotations"
            )
            raise AnnotationError(msg)
    elif not {"Annotation", "oa:Annotation"} & set(_types(item.get("type"))):
        msg = f"type {_shown(item.get('type'))} is not Annotation"
        raise AnnotationError(msg)
    out: dict[str, Any] = {}
    if is_uri(item.get("id")):
        out["id"] = item["id"]
    out["creator"] = _creator(item.get("creator"))
    for key in ("created", "modified"):
        # A date we cannot read is dropped, not fatal: import stamps the annotation instead.
        with contextlib.suppress(KeyError, AnnotationError):
            out[key] = normalise_time(item[key], key)
    generator = _generator(item.get("generator"))
    if generator:
        out["generator"] = generator
    body = _bodies(item)
    has_note = any(b["purpose"] == "commenting" for b in body)
    replying = "replying" in _types(item.get("motivation")) or "oa:replying" in _types(
        item.get("motivation")
    )
    target = _target(item.get("target"), replying=replying)
    if isinstance(target, str):
        out["motivation"] = "replying"
    else:
        out["motivation"] = "commenting" if has_note else "highlighting"
        if "selector" not in target and not has_note:
            msg = (
                "the target is a whole page (no selector) and there is no note: "
                "a highlight of no passage marks nothing"
            )
            raise AnnotationError(msg)
    if body:
        out["body"] = body
    out["target"] = target
    return check_annotation(out)


def _is_container(data: Mapping[str, Any]) -> bool:
    types = set(_types(data.get("type")))
    return bool(types & {"AnnotationCollection", "AnnotationPage"})


def _items(data: object) -> list[object]:
    if isinstance(data, list):
        return data
    if not isinstance(data, Mapping):
        kind = type(data).__name__
        msg = f"expected a W3C annotation, a list, a page or a collection; got {kind}"
        raise AnnotationError(msg)
    looks_like = foreign_format(data)
    if looks_like:
        msg = f"not W3C Web Annotations: this looks like {looks_like}"
        raise AnnotationError(msg)
    types = set(_types(data.get("type")))
    if "AnnotationCollection" in types:
        return _collection_items(data)
    if "AnnotationPage" in types:
        return _page_items(data, {})
    if "Annotation" in types or "oa:Annotation" in types or "target" in data:
        return [data]
    msg = (
        f"type {_shown(data.get('type'))}: not an Annotation, AnnotationPage or "
        "AnnotationCollection"
    )
    raise AnnotationError(msg)


def _collection_items(collection: Mapping[str, Any]) -> list[object]:
    included = [p for p in _as_list(collection.get("@included")) if isinstance(p, Mapping)]
    pages = {str(p.get("id")): p for p in included}
    first = collection.get("first")
    if first is None:
        if collection.get("total", 0) in (0, [0]):
            return []
        msg = "the collection has no 'first' page"
        raise AnnotationError(msg)
    if isinstance(first, str):
        if first not in pages:
            msg = f"the collection's pages are not in the file ('first' links to {first})"
            raise AnnotationError(msg)
        first = pages[first]
    if not isinstance(first, Mapping):
        msg = "the collection's 'first' is neither a page nor a link to one"
        raise AnnotationError(msg)
    return _page_items(first, pages)


def _page_items(page: Mapping[str, Any], pages: Mapping[str, Mapping[str, Any]]) -> list[object]:
    items: list[object] = []
    seen: set[int] = set()
    current: object = page
    while isinstance(current, Mapping) and id(current) not in seen:
        seen.add(id(current))
        items.extend(_as_list(current.get("items")))
        following = current.get("next")
        if isinstance(following, str):
            following = pages.get(following)
            if following is None and current.get("next") is not None:
                msg = f"page {current.get('next')} is not in the file"
                raise AnnotationError(msg)
        current = following
    return items


def _creator(creator: object) -> dict[str, str]:
    if isinstance(creator, list):
        creator = creator[0] if creator else None
    if isinstance(creator, str):
        return _agent(_account_name(creator) or _last_segment(creator), creator)
    if not isinstance(creator, Mapping):
        return creator_for("unknown")
    name = creator.get("nickname") or creator.get("name")
    if isinstance(name, list):
        name = name[0] if name else None
    agent_id = creator.get("id")
    if not isinstance(name, str) and isinstance(agent_id, str):
        name = _account_name(agent_id) or _last_segment(agent_id)
    return _agent(name if isinstance(name, str) else "unknown", agent_id)


def _agent(name: str, agent_id: object) -> dict[str, str]:
    nickname = "".join(c for c in name.strip() if c.isprintable())[: limits.MAX_USERNAME_CHARS]
    agent = creator_for(nickname or "unknown")
    if is_uri(agent_id):
        agent["id"] = str(agent_id)
    return agent


def _account_name(iri: str) -> str | None:
    """``name`` of an ``acct:name@host`` id (RFC 7565), as Hypothesis writes its users."""
    if not iri.startswith("acct:"):
        return None
    name, _, _host = iri.removeprefix("acct:").partition("@")
    return unquote(name) or None


def _last_segment(iri: str) -> str:
    parts = [p for p in iri.replace("#", "/").replace(":", "/").split("/") if p]
    return unquote(parts[-1]) if parts else "unknown"


def _generator(generator: object) -> dict[str, str] | None:
    if isinstance(generator, str) and is_uri(generator):
        return {"id": generator, "type": "Software"}
    if isinstance(generator, Mapping) and is_uri(generator.get("id")):
        out = {"id": str(generator["id"]), "type": "Software"}
        name = generator.get("name")
        if isinstance(name, str) and 0 < len(name) <= limits.MAX_TAG_CHARS:
            out["name"] = name
        return out
    return None


def _bodies(item: Mapping[str, Any]) -> list[dict[str, str]]:
    raw: list[object] = _as_list(item.get("body"))
    if isinstance(item.get("bodyValue"), str):
        raw.append({"type": "TextualBody", "value": item["bodyValue"], "format": "text/plain"})
    notes: list[dict[str, str]] = []
    tags: list[dict[str, str]] = []
    for body in raw:
        # Links to external bodies (a string IRI, a SpecificResource, a Choice) carry no text
        # we can show, so they are left out rather than failing the annotation.
        if not isinstance(body, Mapping) or not isinstance(body.get("value"), str):
            continue
        if body.get("type", "TextualBody") != "TextualBody":
            continue
        if not body["value"].strip():
            # An empty text body says nothing (Hypothesis sends one with every highlight).
            continue
        purposes = _types(body.get("purpose"))
        if _TAGGING in purposes or f"oa:{_TAGGING}" in purposes:
            tags.append({"type": "TextualBody", "value": body["value"], "purpose": _TAGGING})
            continue
        fmt = "text/markdown" if body.get("format") == "text/markdown" else "text/plain"
        note = {"type": "TextualBody", "value": body["value"], "format": fmt}
        notes.append(note | {"purpose": "commenting"})
    if len(notes) > 1:
        markdown = all(n["format"] == "text/markdown" for n in notes)
        joined = "\n\n".join(n["value"] for n in notes)
        notes = [
            {
                "type": "TextualBody",
                "value": joined,
                "format": "text/markdown" if markdown else "text/plain",
                "purpose": "commenting",
            }
        ]
    return notes + tags


def _target(target: object, *, replying: bool) -> dict[str, Any] | str:
    candidates = _as_list(target)
    if not candidates:
        msg = "no target"
        raise AnnotationError(msg)
    for candidate in candidates:
        if isinstance(candidate, Mapping) and _quote_selector(candidate) is not None:
            return _text_target(candidate)
    first = candidates[0]
    if isinstance(first, Mapping):
        link = first.get("source", first.get("id"))
        if isinstance(link, Mapping):
            link = link.get("id")
        if isinstance(link, str) and "selector" not in first:
            # A whole resource: what a reply answers, or the page a page note is about.
            return link if replying else {"source": link}
        msg = "the target has no TextQuoteSelector, so it cannot be anchored in a lesson"
        raise AnnotationError(msg)
    if isinstance(first, str):
        return first if replying else {"source": first}
    msg = f"target: expected an object or a uri, got {type(first).__name__}"
    raise AnnotationError(msg)


def _text_target(target: Mapping[str, Any]) -> dict[str, Any]:
    source = target.get("source")
    if isinstance(source, Mapping):
        source = source.get("id")
    quote = _quote_selector(target)
    assert quote is not None
    selectors: list[dict[str, Any]] = [
        {"type": "TextQuoteSelector", "exact": quote.get("exact")}
        | _context("prefix", quote.get("prefix"))
        | _context("suffix", quote.get("suffix"))
    ]
    for sel in _as_list(target.get("selector")):
        if isinstance(sel, Mapping) and sel.get("type") == "TextPositionSelector":
            selectors.append({"type": "TextPositionSelector", **_position(sel)})
            break
    return {"source": source, "selector": selectors}


def _quote_selector(target: Mapping[str, Any]) -> Mapping[str, Any] | None:
    for sel in _as_list(target.get("selector")):
        if isinstance(sel, Mapping) and sel.get("type") == "TextQuoteSelector":
            return sel
    return None


def _context(key: str, value: object) -> dict[str, str]:
    """Keep the context nearest the quote when another tool stored more than we keep."""
    if not isinstance(value, str):
        return {}
    keep = limits.MAX_CONTEXT_CHARS
    return {key: value[-keep:] if key == "prefix" else value[:keep]}


def _position(sel: Mapping[str, Any]) -> dict[str, Any]:
    return {"start": sel.get("start"), "end": sel.get("end")}


def _types(value: object) -> list[str]:
    """The strings among a ``type`` / ``purpose`` / ``motivation`` value (anything else: none)."""
    return [v for v in _as_list(value) if isinstance(v, str)]


def _shown(value: object) -> str:
    return repr(value)[:60]


def _as_list(value: object) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
