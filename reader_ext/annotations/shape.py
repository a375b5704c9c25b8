"""The shape of a stored annotation: one W3C Web Annotation, checked field by field.

Pure functions, no database: :mod:`reader_ext.store.annotation_store` calls them before
anything is written and :mod:`reader_ext.interop.w3c` after it has normalised other tools'
annotations. Every error names the field (``body[2].value``, ``target.selector[0].exact``) so
a message from the browser or a line in an import report says exactly what was wrong. The
shape itself is documented in ``docs/annotations.md``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any, Literal, NamedTuple

from reader_ext._version import __version__
from reader_ext.anchoring.types import TextPositionSelector, TextQuoteSelector
from reader_ext.annotations import limits
from reader_ext.annotations.values import (
    check_uri,
    check_username,
    has_control,
    normalise_time,
)
from reader_ext.errors import AnnotationError

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MOTIVATIONS = ("highlighting", "commenting", "replying")
BODY_FORMATS = ("text/markdown", "text/plain")
GENERATOR: dict[str, str] = {
    "id": "https://pypi.org/project/reader-ext/",
    "type": "Software",
    "name": f"reader-ext {__version__}",
}
# The keys an annotation may have, in the order we write them.
KEY_ORDER = (
    "@context",
    "id",
    "type",
    "motivation",
    "creator",
    "created",
    "modified",
    "generator",
    "body",
    "target",
)
_KEYS = frozenset(KEY_ORDER)
_BODY_KEYS = frozenset({"type", "value", "format", "purpose"})
_TARGET_KEYS = frozenset({"source", "selector"})
_QUOTE_KEYS = frozenset({"type", "exact", "prefix", "suffix"})
_POSITION_KEYS = frozenset({"type", "start", "end"})
# RFC 3986 characters only (no spaces, no raw Unicode), at most one '#': what the W3C suite's
# "format": "uri" accepts, so nothing we store can make an export fail it.
# Fixed namespace for ids derived from content: the same annotation always gets the same id.
_CONTENT_NAMESPACE = uuid.UUID("6f1c7c1e-2b55-4c36-9a43-1b7f0e0f6a51")


class _Quote(NamedTuple):
    exact: str
    prefix: str
    suffix: str


class TargetInfo(NamedTuple):
    """What an annotation points at, as the store indexes it (a named tuple: one is made for
    every annotation a collect merges)."""

    kind: Literal["text", "lesson", "annotation", "prompt", "comment"]
    """``lesson`` is a lesson-level note: about the whole lesson, on no passage."""
    source: str | None
    """The lesson uri (``None`` for a reply to an annotation until the store looks it up)."""
    target_id: str | None
    """For replies: the annotation id or the ``#comment-`` uri replied to."""
    prompt_id: str | None


def content_id(annotation: Mapping[str, Any]) -> str:
    """A deterministic ``urn:uuid:`` for an annotation that arrived without an id."""
    content = {k: v for k, v in annotation.items() if k != "id"}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return f"urn:uuid:{uuid.uuid5(_CONTENT_NAMESPACE, canonical)}"


def json_size(annotation: Mapping[str, Any]) -> int:
    return len(json.dumps(annotation, ensure_ascii=False).encode("utf-8"))


def check_size(annotation: Mapping[str, Any], compact: bytes | None = None) -> None:
    """The limit is on :func:`json_size` (``json.dumps``' default separators, ", " and ": ").
    ``compact``, the annotation's compact JSON if the caller has it, bounds that size from above
    (each separator is a "," or ":" of it), so most annotations need no second encoding."""
    if compact is not None:
        # Twice its length bounds it too, with no counting (nearly every annotation is short).
        if 2 * len(compact) <= limits.MAX_ANNOTATION_BYTES:
            return
        bound = len(compact) + compact.count(b",") + compact.count(b":")
        if bound <= limits.MAX_ANNOTATION_BYTES:
            return
    size = json_size(annotation)
    if size > limits.MAX_ANNOTATION_BYTES:
        msg = f"annotation: {size} bytes of JSON, over the limit of {limits.MAX_ANNOTATION_BYTES}"
        raise AnnotationError(msg)


def check_annotation(annotation: object) -> dict[str, Any]:
    """Check the parts an author writes; return a clean copy (``@context``, ``type`` filled in).

    ``id``, dates, ``creator`` and ``generator`` are checked only for their form here: the store
    decides whether to keep or replace them.
    """
    if not isinstance(annotation, Mapping):
        msg = f"annotation: expected a JSON object, got {type(annotation).__name__}"
        raise AnnotationError(msg)
    unknown = (
        [] if _KEYS.issuperset(annotation) else sorted(str(k) for k in annotation if k not in _KEYS)
    )
    if unknown:
        msg = f"annotation: unknown key {unknown[0]!r} (allowed: {', '.join(sorted(_KEYS))})"
        raise AnnotationError(msg)
    context = annotation.get("@context", ANNO_CONTEXT)
    if context != ANNO_CONTEXT and not (isinstance(context, list) and ANNO_CONTEXT in context):
        msg = f"@context: must be {ANNO_CONTEXT!r}"
        raise AnnotationError(msg)
    if annotation.get("type", "Annotation") != "Annotation":
        msg = f"type: must be 'Annotation', got {annotation.get('type')!r}"
        raise AnnotationError(msg)
    motivation = annotation.get("motivation")
    if motivation not in MOTIVATIONS:
        msg = f"motivation: must be one of {', '.join(MOTIVATIONS)}; got {motivation!r}"
        raise AnnotationError(msg)
    clean: dict[str, Any] = {"@context": ANNO_CONTEXT, "type": "Annotation"}
    if "id" in annotation:
        clean["id"] = check_uri(annotation["id"], "id")
    clean["motivation"] = motivation
    for key in ("created", "modified"):
        if key in annotation:
            clean[key] = normalise_time(annotation[key], key)
    if "creator" in annotation:
        clean["creator"] = _check_agent(annotation["creator"])
    if "generator" in annotation:
        clean["generator"] = _check_generator(annotation["generator"])
    body = check_body(annotation.get("body"), motivation)
    if body:
        clean["body"] = body
    if "target" not in annotation:
        msg = "target: missing; every annotation has a target"
        raise AnnotationError(msg)
    clean["target"] = check_target(annotation["target"], motivation)
    return clean


def check_body(body: object, motivation: str) -> list[dict[str, str]]:
    """Textual bodies only: at most one note (``commenting``) and up to MAX_TAGS tags."""
    if body is None:
        items: list[object] = []
    elif isinstance(body, Mapping):
        items = [body]
    elif isinstance(body, list):
        items = body
    else:
        msg = f"body: expected a list of TextualBody objects, got {type(body).__name__}"
        raise AnnotationError(msg)
    notes: list[dict[str, str]] = []
    tags: list[dict[str, str]] = []
    for i, item in enumerate(items):
        field = f"body[{i}]"
        if not isinstance(item, Mapping) or item.get("type") != "TextualBody":
            msg = f"{field}: expected an object with type 'TextualBody'"
            raise AnnotationError(msg)
        extra = [] if _BODY_KEYS.issuperset(item) else sorted(set(item) - _BODY_KEYS)
        if extra:
            msg = f"{field}: unknown key {extra[0]!r}"
            raise AnnotationError(msg)
        value, purpose = item.get("value"), item.get("purpose", "commenting")
        if not isinstance(value, str):
            msg = f"{field}.value: expected a string"
            raise AnnotationError(msg)
        if purpose == "commenting":
            notes.append(_check_note(item, value, field))
        elif purpose == "tagging":
            tag = _check_tag(value, field)
            if all(t["value"] != tag for t in tags):
                tags.append({"type": "TextualBody", "value": tag, "purpose": "tagging"})
        else:
            msg = f"{field}.purpose: must be 'commenting' or 'tagging', got {purpose!r}"
            raise AnnotationError(msg)
    if len(notes) > 1:
        msg = "body: at most one commenting body (the note) per annotation"
        raise AnnotationError(msg)
    if len(tags) > limits.MAX_TAGS:
        msg = f"body: {len(tags)} tags, more than the limit of {limits.MAX_TAGS}"
        raise AnnotationError(msg)
    if motivation in ("commenting", "replying") and not notes:
        msg = f"body: a {motivation} annotation needs a commenting body with its text"
        raise AnnotationError(msg)
    if motivation == "highlighting" and notes:
        msg = "body: a highlight has no note; use motivation 'commenting' for a note"
        raise AnnotationError(msg)
    return notes + tags


def check_target(target: object, motivation: str) -> dict[str, Any] | str:
    if motivation == "replying":
        if not isinstance(target, str):
            msg = "target: a reply targets a uri (an annotation id, #prompt- or #comment-)"
            raise AnnotationError(msg)
        check_uri(target, "target")
        target_info(target)
        return target
    if not isinstance(target, Mapping):
        msg = "target: a highlight or note targets {'source': <lesson uri>, 'selector': [...]}"
        raise AnnotationError(msg)
    extra = [] if _TARGET_KEYS.issuperset(target) else sorted(set(target) - _TARGET_KEYS)
    if extra:
        msg = f"target: unknown key {extra[0]!r} (allowed: source, selector)"
        raise AnnotationError(msg)
    source = check_uri(target.get("source"), "target.source")
    if "selector" not in target:
        # The W3C way to say "about the whole resource": a lesson-level note (a Hypothesis
        # page note). Only a note: a highlight of no passage would mark nothing.
        if motivation != "commenting":
            msg = "target.selector: missing; only a note may be about the whole lesson"
            raise AnnotationError(msg)
        return {"source": source}
    selectors = target.get("selector")
    if isinstance(selectors, Mapping):
        selectors = [selectors]
    if not isinstance(selectors, list) or not selectors:
        msg = "target.selector: expected a list with a TextQuoteSelector"
        raise AnnotationError(msg)
    quote_sel: dict[str, Any] | None = None
    position: dict[str, Any] | None = None
    for i, sel in enumerate(selectors):
        field = f"target.selector[{i}]"
        kind = sel.get("type") if isinstance(sel, Mapping) else None
        if kind == "TextQuoteSelector" and quote_sel is None:
            quote_sel = _check_quote(sel, field)
        elif kind == "TextPositionSelector" and position is None:
            position = _check_position(sel, field)
        else:
            msg = f"{field}: expected one TextQuoteSelector and at most one TextPositionSelector"
            raise AnnotationError(msg)
    if quote_sel is None:
        msg = "target.selector: a TextQuoteSelector is required"
        raise AnnotationError(msg)
    return {"source": source, "selector": [quote_sel] + ([position] if position else [])}


def target_info(target: Mapping[str, Any] | str) -> TargetInfo:
    """Classify a checked target: text selection, or a reply to what."""
    if not isinstance(target, str):
        kind: Literal["text", "lesson"] = "text" if "selector" in target else "lesson"
        return TargetInfo(kind, str(target["source"]), None, None)
    base, sep, fragment = target.partition("#")
    if sep and fragment.startswith("prompt-"):
        if len(fragment) == len("prompt-"):
            msg = "target: '#prompt-' needs a prompt id after it"
            raise AnnotationError(msg)
        return TargetInfo("prompt", base, None, fragment.removeprefix("prompt-"))
    if sep and fragment.startswith("comment-"):
        if len(fragment) == len("comment-"):
            msg = "target: '#comment-' needs a comment id after it"
            raise AnnotationError(msg)
        return TargetInfo("comment", base, target, None)
    return TargetInfo("annotation", None, target, None)


def _check_note(item: Mapping[str, Any], value: str, field: str) -> dict[str, str]:
    fmt = item.get("format", "text/markdown")
    if fmt not in BODY_FORMATS:
        msg = f"{field}.format: must be one of {', '.join(BODY_FORMATS)}, got {fmt!r}"
        raise AnnotationError(msg)
    if not value.strip():
        msg = f"{field}.value: the note is empty"
        raise AnnotationError(msg)
    if len(value) > limits.MAX_BODY_CHARS:
        msg = f"{field}.value: {len(value)} characters, over the limit of {limits.MAX_BODY_CHARS}"
        raise AnnotationError(msg)
    if has_control(value, allowed="\t\n\r"):
        msg = f"{field}.value: contains control characters"
        raise AnnotationError(msg)
    return {"type": "TextualBody", "value": value, "format": fmt, "purpose": "commenting"}


def _check_tag(value: str, field: str) -> str:
    tag = value.strip()
    if not tag or len(tag) > limits.MAX_TAG_CHARS or has_control(tag):
        msg = f"{field}.value: a tag is 1 to {limits.MAX_TAG_CHARS} characters, no control chars"
        raise AnnotationError(msg)
    return tag


def _check_quote(sel: Mapping[str, Any], field: str) -> dict[str, Any]:
    # What a TextQuoteSelector is belongs to the anchoring layer; the limits belong here.
    if not _QUOTE_KEYS.issuperset(sel):
        msg = f"{field}: unknown key {sorted(set(sel) - _QUOTE_KEYS)[0]!r}"
        raise AnnotationError(msg)
    exact, prefix, suffix = sel.get("exact"), sel.get("prefix", ""), sel.get("suffix", "")
    quote: _Quote | TextQuoteSelector
    try:
        if isinstance(exact, str) and exact and isinstance(prefix, str) and isinstance(suffix, str):
            # What from_w3c would give (the caller saw its type): without building a selector.
            quote = _Quote(exact, prefix, suffix)
        else:
            quote = TextQuoteSelector.from_w3c(sel)  # raises, naming what is wrong
    except ValueError as exc:
        msg = f"{field}.exact: the quoted text, 1 to {limits.MAX_QUOTE_CHARS} characters ({exc})"
        raise AnnotationError(msg) from exc
    if len(quote.exact) > limits.MAX_QUOTE_CHARS:
        msg = f"{field}.exact: the quoted text, 1 to {limits.MAX_QUOTE_CHARS} characters"
        raise AnnotationError(msg)
    out: dict[str, Any] = {"type": "TextQuoteSelector", "exact": quote.exact}
    for key in ("prefix", "suffix"):
        if key in sel:  # kept as given: a selector without context stays without it
            value = getattr(quote, key)
            if len(value) > limits.MAX_CONTEXT_CHARS:
                msg = f"{field}.{key}: a string of at most {limits.MAX_CONTEXT_CHARS} characters"
                raise AnnotationError(msg)
            out[key] = value
    return out


def _check_position(sel: Mapping[str, Any], field: str) -> dict[str, Any]:
    if not _POSITION_KEYS.issuperset(sel):
        msg = f"{field}: unknown key {sorted(set(sel) - _POSITION_KEYS)[0]!r}"
        raise AnnotationError(msg)
    msg = f"{field}: start and end must be integers, 0 <= start <= end <= {limits.MAX_OFFSET}"
    start, end = sel.get("start"), sel.get("end")
    if type(start) is int and type(end) is int and 0 <= start <= end:
        pass  # what from_w3c accepts (ints, not bools, in order), without building a selector
    else:
        try:
            position = TextPositionSelector.from_w3c(sel)
        except ValueError as exc:
            raise AnnotationError(msg) from exc
        start, end = position.start, position.end
    if end > limits.MAX_OFFSET:
        raise AnnotationError(msg)
    return {"type": "TextPositionSelector", "start": start, "end": end}


def _check_agent(creator: object) -> dict[str, str]:
    if not isinstance(creator, Mapping):
        msg = "creator: expected {'id', 'type': 'Person', 'nickname'}"
        raise AnnotationError(msg)
    nickname = check_username(creator.get("nickname"), "creator.nickname")
    agent = {"id": check_uri(creator.get("id"), "creator.id"), "type": "Person"}
    agent["nickname"] = nickname
    if creator.get("type", "Person") != "Person":
        msg = f"creator.type: must be 'Person', got {creator.get('type')!r}"
        raise AnnotationError(msg)
    return agent


def _check_generator(generator: object) -> dict[str, str]:
    if not isinstance(generator, Mapping):
        msg = "generator: expected {'id', 'type': 'Software', 'name'}"
        raise AnnotationError(msg)
    out = {"id": check_uri(generator.get("id"), "generator.id"), "type": "Software"}
    name = generator.get("name")
    if isinstance(name, str) and 0 < len(name) <= limits.MAX_TAG_CHARS:
        out["name"] = name
    return out
