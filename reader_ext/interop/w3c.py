"""Export as W3C Web Annotation JSON-LD: a whole ``AnnotationCollection`` in one file.

One export file holds a whole ``AnnotationCollection``. Its first ``AnnotationPage`` is embedded
as ``first``; when there are more pages they follow in the collection's ``@included`` block
(JSON-LD 1.1), linked by ``next`` / ``prev`` / ``last`` ids of the form ``<collection>#page-<n>``.
The W3C test suite requires ``next`` to be an id, not an embedded object, hence this layout.
Every page and annotation keeps its own ``@context`` so any of them can be lifted out alone.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import IO, Any

from reader_ext.annotations.shape import ANNO_CONTEXT
from reader_ext.annotations.values import is_uri
from reader_ext.store.annotation_store import AnnotationStore


def to_collection(
    annotations: Sequence[dict[str, Any]],
    *,
    collection_id: str,
    label: str,
    page_size: int = 1000,
) -> dict[str, Any]:
    """An AnnotationCollection holding ``annotations`` in pages of ``page_size``."""
    if not is_uri(collection_id) or "#" in collection_id:
        msg = f"collection_id: expected an absolute uri without '#', got {collection_id!r}"
        raise ValueError(msg)
    if page_size < 1:
        msg = f"page_size: must be at least 1, got {page_size}"
        raise ValueError(msg)
    total = len(annotations)
    starts = list(range(0, total, page_size)) or [0]
    page_ids = [f"{collection_id}#page-{n}" for n in range(1, len(starts) + 1)]
    pages: list[dict[str, Any]] = []
    for n, start in enumerate(starts):
        page: dict[str, Any] = {
            "@context": ANNO_CONTEXT,
            "id": page_ids[n],
            "type": "AnnotationPage",
            # An object, not a bare id: the suite's page checks read total/label from partOf.
            "partOf": {"id": collection_id, "label": label, "total": total},
            "startIndex": start,
            "items": list(annotations[start : start + page_size]),
        }
        if n > 0:
            page["prev"] = page_ids[n - 1]
        if n + 1 < len(starts):
            page["next"] = page_ids[n + 1]
        pages.append(page)
    collection: dict[str, Any] = {
        "@context": ANNO_CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": label,
        "total": total,
        "first": pages[0],
        "last": page_ids[-1],
    }
    if len(pages) > 1:
        collection["@included"] = pages[1:]
    return collection


def export_w3c(store: AnnotationStore, *, out: IO[str], source: str | None = None) -> int:
    """Write the store's live annotations (of one lesson if ``source``) as JSON-LD."""
    annotations = store.list(source=source)
    label = f"Annotations from {store.name}" + (f" on {source}" if source else "")
    collection = to_collection(annotations, collection_id=f"urn:uuid:{uuid.uuid4()}", label=label)
    json.dump(collection, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return len(annotations)
