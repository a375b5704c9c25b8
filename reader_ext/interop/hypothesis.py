"""Reading Hypothesis annotations (https://web.hypothes.is) into our stored shape.

Hypothesis hands out annotations in three forms, all read here or by :mod:`.w3c_read`:

- its API's search result, ``{"total": N, "rows": [row, ...]}`` (``GET /api/search``);
- the client's *Export annotations* file, ``{"export_date", "export_userid",
  "client_version", "annotations": [row, ...]}``;
- its W3C JSON-LD form (``Accept: application/ld+json``), read by :mod:`.w3c_read` like any
  W3C annotation.

A row is mapped field by field, and a row that cannot be mapped faithfully is refused with its
reason rather than imported with parts missing:

=================  ===========================================================================
``user``           ``acct:name@host`` → the creator ``name`` (its id stays the ``acct:`` uri)
``text``           the note (Markdown); no text → a highlight
``tags``           tagging bodies
``references``     a reply to the last id listed (its direct parent): threads are kept
``target``         the quote and position selectors; no selector → a page note, which becomes
                   a lesson-level note (``{"source": <page>}``, no selector)
``id``             ``https://<host>/a/<id>``, the id Hypothesis's W3C form gives, so the same
                   annotation read from either form is one annotation
=================  ===========================================================================

``group``, ``permissions``, ``document`` and moderation flags have no place in the W3C model
and are not kept.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from reader_ext.annotations import limits
from reader_ext.annotations.shape import check_annotation
from reader_ext.annotations.values import creator_for, is_uri, normalise_time
from reader_ext.errors import AnnotationError

# Hypothesis ids are URL-safe base64 (22 characters today); anything else is not one of theirs.
_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
_ACCT_RE = re.compile(r"acct:([^@\s]{1,256})@([A-Za-z0-9.\-]{1,253})")


def hypothesis_rows(data: Mapping[str, Any]) -> list[object]:
    """The annotation rows of a search result or a client export (whose shape was detected)."""
    key = "rows" if "rows" in data else "annotations"
    rows = data.get(key)
    if not isinstance(rows, list):
        msg = f"'{key}' is not a list of annotations"
        raise AnnotationError(msg)
    # A search result may carry its replies apart (``_separate_replies``).
    replies = data.get("replies")
    return rows + (replies if isinstance(replies, list) else [])


def from_row(row: object) -> dict[str, Any]:
    """One Hypothesis API row as our checked annotation shape (see the module docstring)."""
    if not isinstance(row, Mapping):
        msg = "not a JSON object"
        raise AnnotationError(msg)
    user = row.get("user")
    account = _ACCT_RE.fullmatch(user) if isinstance(user, str) else None
    if account is None:
        msg = f"user: expected 'acct:name@host', got {repr(user)[:60]}"
        raise AnnotationError(msg)
    name, host = account.group(1), account.group(2)
    creator = creator_for(name[: limits.MAX_USERNAME_CHARS])
    if is_uri(user):
        creator["id"] = str(user)
    out: dict[str, Any] = {
        "id": annotation_id(row.get("id"), host, row.get("links")),
        "creator": creator,
        "generator": {"id": f"https://{host}/", "type": "Software", "name": "Hypothesis"},
    }
    for ours, theirs in (("created", "created"), ("modified", "updated")):
        # An unreadable date is left for the store to stamp, as for any import.
        with contextlib.suppress(KeyError, AnnotationError):
            out[ours] = normalise_time(row[theirs], theirs)
    text = row.get("text") or ""
    if not isinstance(text, str):
        msg = "text: expected a string"
        raise AnnotationError(msg)
    body: list[dict[str, str]] = []
    if text.strip():
        body.append(
            {
                "type": "TextualBody",
                "value": text,
                "format": "text/markdown",
                "purpose": "commenting",
            }
        )
    body += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in _tags(row)]
    if body:
        out["body"] = body
    references = row.get("references") or []
    if not isinstance(references, list) or not all(isinstance(r, str) for r in references):
        msg = "references: expected a list of annotation ids"
        raise AnnotationError(msg)
    if references:
        if not text.strip():
            msg = "a reply with no text: there is nothing to import"
            raise AnnotationError(msg)
        out["motivation"] = "replying"
        out["target"] = annotation_id(references[-1], host, None)
        return check_annotation(out)
    out["target"] = _target(row)
    if "selector" not in out["target"] and not text.strip():
        msg = "a page note with no text (tags only): a lesson-level note needs its text"
        raise AnnotationError(msg)
    out["motivation"] = "commenting" if text.strip() else "highlighting"
    return check_annotation(out)


def annotation_id(short: object, host: str, links: object) -> str:
    """The W3C id of Hypothesis annotation ``short``: its ``links.html`` or ``https://host/a/id``."""
    if not isinstance(short, str) or _ID_RE.fullmatch(short) is None:
        msg = f"id: expected a Hypothesis annotation id, got {repr(short)[:60]}"
        raise AnnotationError(msg)
    html = links.get("html") if isinstance(links, Mapping) else None
    if isinstance(html, str) and is_uri(html) and html.endswith(f"/{short}"):
        return html
    return f"https://{host}/a/{short}"


def _tags(row: Mapping[str, Any]) -> list[str]:
    tags = row.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        msg = "tags: expected a list of strings"
        raise AnnotationError(msg)
    return [t for t in tags if t.strip()]


def _target(row: Mapping[str, Any]) -> dict[str, Any]:
    targets = row.get("target")
    first = targets[0] if isinstance(targets, list) and targets else None
    if not isinstance(first, Mapping):
        first = {}
    source = first.get("source", row.get("uri"))
    if not isinstance(source, str):
        msg = "target: no page uri ('source' or 'uri')"
        raise AnnotationError(msg)
    selectors = first.get("selector")
    if not selectors:
        return {"source": page_uri(source)}
    if not isinstance(selectors, list):
        selectors = [selectors]
    quote = next(
        (s for s in selectors if isinstance(s, Mapping) and s.get("type") == "TextQuoteSelector"),
        None,
    )
    if quote is None:
        kinds = sorted({str(s.get("type")) for s in selectors if isinstance(s, Mapping)})
        msg = f"target: no TextQuoteSelector (selectors: {', '.join(kinds)}), nothing to anchor by"
        raise AnnotationError(msg)
    kept: list[dict[str, Any]] = [
        {"type": "TextQuoteSelector", "exact": quote.get("exact")}
        | {k: v[-limits.MAX_CONTEXT_CHARS :] for k, v in _strings(quote, "prefix").items()}
        | {k: v[: limits.MAX_CONTEXT_CHARS] for k, v in _strings(quote, "suffix").items()}
    ]
    position = next(
        (
            s
            for s in selectors
            if isinstance(s, Mapping) and s.get("type") == "TextPositionSelector"
        ),
        None,
    )
    if position is not None and _offsets(position):
        # Offsets in the web page's text: kept as the page's own record (and, mapped onto a
        # lesson, only as a hint for where to look).
        kept.append({"type": "TextPositionSelector", **_offsets(position)})
    return {"source": page_uri(source), "selector": kept}


def page_uri(uri: str) -> str:
    """``uri`` with any character outside RFC 3986 percent-encoded (as a stored uri must be)."""
    return quote(uri, safe="!#$%&'()*+,/:;=?@[]~-._")


def _offsets(sel: Mapping[str, Any]) -> dict[str, int]:
    start, end = sel.get("start"), sel.get("end")
    if type(start) is int and type(end) is int and 0 <= start <= end <= limits.MAX_OFFSET:
        return {"start": start, "end": end}
    return {}


def _strings(sel: Mapping[str, Any], key: str) -> dict[str, str]:
    value = sel.get(key)
    return {key: value} if isinstance(value, str) else {}
