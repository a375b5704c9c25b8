"""Our exports read by a real JSON-LD processor (pyld) against the W3C context (issue 14).

The context is ``../shared/conformance/anno.jsonld`` (the W3C's
``http://www.w3.org/ns/anno.jsonld``), served by an offline document loader that refuses every
other URL, so the test needs no network. Two properties, for a single annotation of each kind and
for a paged collection: expansion drops no key (every key we write is a term of the context, and
every value we wrote is in the expanded graph), and compacting the expansion gives back what we
exported.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld

from reader_ext.annotations.shape import ANNO_CONTEXT
from reader_ext.interop.w3c import export_w3c, to_collection
from reader_ext.store.annotation_store import AnnotationStore

ROOT = Path(__file__).resolve().parents[1]
CONTEXT_FILE = ROOT.parent / "shared" / "conformance" / "anno.jsonld"
LESSON = "urn:reader-ext:india-russia-2023:reading-the-argument"
# Keys whose value the context declares a JSON-LD list: arrays there are never collapsed.
LIST_KEYS = frozenset({"items"})


@cache
def context_document() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    return data


def offline_loader(url: str, options: object = None) -> dict[str, Any]:
    if url != ANNO_CONTEXT:
        msg = f"offline test: no document at {url}"
        raise jsonld.JsonLdError(msg, "jsonld.LoadDocumentError", code="loading document failed")
    return {"contextUrl": None, "documentUrl": url, "document": context_document()}


OPTIONS = {"documentLoader": offline_loader}


def target(exact: str, start: int) -> dict[str, Any]:
    return {
        "source": LESSON,
        "selector": [
            {"type": "TextQuoteSelector", "exact": exact, "prefix": "the ", "suffix": " of"},
            {"type": "TextPositionSelector", "start": start, "end": start + len(exact)},
        ],
    }


def body(value: str, purpose: str = "commenting") -> dict[str, str]:
    return {"type": "TextualBody", "value": value, "purpose": purpose}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[AnnotationStore]:
    """One annotation of every kind we store, with non-Latin text and Markdown."""
    with AnnotationStore(tmp_path / "s.sqlite") as s:
        note = s.add(
            {
                "motivation": "commenting",
                "body": [body("Compare *non-alignment* — 日本語"), body("oil", "tagging")],
                "target": target("rupee–rouble trade", 10),
            },
            user="ana maría",
        )
        s.add(
            {
                "motivation": "highlighting",
                "body": [body("x", "tagging")],
                "target": target("a", 3),
            },
            user="bob",
        )
        s.add({"motivation": "highlighting", "target": target("ändern 中文", 40)}, user="bob")
        s.add(
            {"motivation": "replying", "body": [body("Agreed.")], "target": note["id"]}, user="bob"
        )
        s.add(
            {
                "motivation": "replying",
                "body": [body("Sanctions.")],
                "target": f"{LESSON}#prompt-p1",
            },
            user="ana maría",
        )
        s.add(
            {"motivation": "replying", "body": [body("No.")], "target": f"{LESSON}#comment-c1"},
            user="bob",
        )
        s.add(
            {
                "motivation": "commenting",
                "body": [body("On the whole text.")],
                "target": {"source": LESSON},
            },
            user="ana maría",
        )
        yield s


def exported(store: AnnotationStore) -> dict[str, Any]:
    out = io.StringIO()
    export_w3c(store, out=out)
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


def keys_of(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            if key != "@context":
                yield from keys_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from keys_of(item)


def scalars(value: object, *, skip: frozenset[str] = frozenset({"@context"})) -> list[str]:
    """Every string and number in ``value`` (``@context`` left out), as text, sorted."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in skip:
                found += scalars(item, skip=skip)
    elif isinstance(value, list):
        for item in value:
            found += scalars(item, skip=skip)
    elif not isinstance(value, bool) and value is not None:
        found.append(str(value))
    return found


def plain(value: object, key: str | None = None) -> object:
    """``value`` as JSON-LD compares it: nested ``@context`` copies removed (the top one
    applies to all) and a one-item array the same as its item, except in a ``@list``."""
    if isinstance(value, dict):
        return {k: plain(v, k) for k, v in value.items() if k != "@context"}
    if isinstance(value, list):
        items = [plain(v) for v in value]
        return items[0] if len(items) == 1 and key not in LIST_KEYS else items
    return value


@cache
def terms_by_iri() -> dict[str, set[str]]:
    """The context's terms by the IRI each stands for (``oa:commenting`` → ``commenting``)."""
    context = context_document()["@context"]
    prefixes = {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("#", "/"))}

    def expand(iri: str) -> str:
        prefix, sep, rest = iri.partition(":")
        return prefixes[prefix] + rest if sep and prefix in prefixes else iri

    found: dict[str, set[str]] = {}
    for term, definition in context.items():
        iri = definition if isinstance(definition, str) else definition.get("@id")
        if isinstance(iri, str):
            found.setdefault(expand(iri), set()).add(term)
    return found


def term_values(expanded: object) -> set[str]:
    """The scalars of an expanded document, and the context's terms for those that are IRIs."""
    values = set(scalars(expanded))
    return values | {t for v in values for t in terms_by_iri().get(v, set())}


def check_round_trip(document: dict[str, Any]) -> None:
    terms = set(context_document()["@context"]) | {"@context", "@included", "id", "type"}
    assert set(keys_of(document)) - terms == set(), "keys the W3C context does not define"
    expanded = jsonld.expand(document, OPTIONS)
    seen = term_values(expanded)
    # Every value we wrote is in the graph: "commenting" as oa:commenting, the rest as is.
    lost = [v for v in scalars(document) if v not in seen]
    assert lost == []
    compacted = jsonld.compact(expanded, ANNO_CONTEXT, OPTIONS)
    assert compacted["@context"] == ANNO_CONTEXT
    assert plain(compacted) == plain(document)


def test_each_kind_of_annotation_expands_and_compacts_back(store: AnnotationStore) -> None:
    annotations = store.list()
    assert len(annotations) == 7
    for annotation in annotations:
        check_round_trip(annotation)


def test_a_paged_collection_expands_and_compacts_back(store: AnnotationStore) -> None:
    collection = to_collection(
        store.list(), collection_id="urn:uuid:5b4cbd36-0b3c-4b8c-9e5d-1f7d6f5e7a10", label="All"
    )
    check_round_trip(collection)
    paged = to_collection(
        store.list(),
        collection_id="urn:uuid:5b4cbd36-0b3c-4b8c-9e5d-1f7d6f5e7a10",
        label="In pages of three",
        page_size=3,
    )
    assert len(paged["@included"]) == 2
    check_round_trip(paged)


def test_the_export_file_round_trips(store: AnnotationStore) -> None:
    check_round_trip(exported(store))


def test_a_key_outside_the_context_would_be_caught(store: AnnotationStore) -> None:
    """The checks can fail: JSON-LD silently drops an undefined key, and they notice."""
    annotation = store.list()[0] | {"colour": "yellow"}
    with pytest.raises(AssertionError, match="context does not define"):
        check_round_trip(annotation)
    expanded = jsonld.expand(annotation, OPTIONS)
    assert "yellow" not in scalars(expanded)


def test_the_loader_is_offline() -> None:
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand({"@context": "https://example.org/ctx", "a": 1}, OPTIONS)
