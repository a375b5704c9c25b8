"""The one-pass reading of a clean stored annotation (``annotations/clean.py``) gives exactly what
the full check gives, key order included, and vouches for nothing the full check refuses or
rewrites: then it answers None and the full check gives its own message."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from reader_ext.annotations import limits
from reader_ext.annotations.clean import Checked, decode_clean
from reader_ext.annotations.shape import check_annotation
from reader_ext.errors import AnnotationError
from reader_ext.store import rows

LESSON = "urn:reader-ext:course:module"
ID = "urn:uuid:00000000-0000-4000-8000-000000000001"


def full_check(text: str) -> str | None:
    """The stored JSON of what the full path keeps, or None if it refuses."""
    try:
        return json.dumps(rows.ordered(check_annotation(json.loads(text))), ensure_ascii=False)
    except (AnnotationError, ValueError):
        return None


def same(text: str) -> None:
    fast = decode_clean(text)
    full = full_check(text)
    if fast is not None:
        assert isinstance(fast, Checked)
        assert json.dumps(fast, ensure_ascii=False) == full, text


def test_a_stored_note_is_read_in_one_pass_as_the_full_check_reads_it() -> None:
    note = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": ID,
        "type": "Annotation",
        "motivation": "commenting",
        "creator": {"id": "urn:reader-ext:user:ana", "type": "Person", "nickname": "ana"},
        "created": "2026-11-29T15:00:00.000Z",
        "modified": "2026-11-29T15:00:01.000Z",
        "body": [
            {"type": "TextualBody", "value": "a note", "format": "text/plain"},
            {"type": "TextualBody", "value": "tag", "purpose": "tagging"},
        ],
        "target": {
            "source": LESSON,
            "selector": [
                {"type": "TextQuoteSelector", "exact": "x", "prefix": "a ", "suffix": ""},
                {"type": "TextPositionSelector", "start": 0, "end": 1},
            ],
        },
    }
    text = json.dumps(note)
    assert decode_clean(text) is not None
    same(text)
    reply = {"motivation": "replying", "body": [{"type": "TextualBody", "value": "yes"}],
             "target": ID}  # fmt: skip
    assert decode_clean(json.dumps(reply)) is not None
    same(json.dumps(reply))


def test_what_the_full_check_rewrites_or_refuses_is_left_to_it() -> None:
    base = {"motivation": "commenting", "target": {"source": LESSON}}
    note = {"type": "TextualBody", "value": "n"}
    tag = {"type": "TextualBody", "value": "t", "purpose": "tagging"}
    changes: list[dict[str, Any]] = [
        {"body": note},  # one object, not a list
        {"body": [tag, note]},  # the note is moved first
        {"body": [note, {**tag, "value": " t "}]},  # the tag is stripped
        {"body": [note, tag, tag]},  # a repeated tag is dropped
        {"body": [note, {**tag, "format": "text/plain"}]},  # a tag has no format
        {"body": [{**note, "value": "a\x00b"}]},
        {"body": [{**note, "value": "  "}]},
        {"body": []},
        {"created": "2026-11-29T15:00:00Z"},  # reformatted as stored
        {"created": "2026-02-30T15:00:00.000Z"},
        {"@context": ["http://www.w3.org/ns/anno.jsonld"]},
        {"id": "not a uri"},
        {"creator": {"id": "urn:x:a", "nickname": "a\u202eb"}},
        {"creator": {"id": "urn:x:a", "nickname": "a", "extra": 1}},
        {"generator": {"id": "urn:x:g", "name": ""}},  # the name is dropped
        {"motivation": "replying", "target": "urn:x:a#prompt-"},
        {"motivation": "highlighting"},  # a highlight of no passage
        {"target": {"source": LESSON, "selector": []}},
    ]
    for changed in changes:
        text = json.dumps({**base, "body": [note], **changed})
        assert decode_clean(text) is None, changed
    assert decode_clean("[]") is None
    assert decode_clean('{"motivation": NaN}') is None


def pick(good: list[Any], bad: list[Any]) -> st.SearchStrategy[Any]:
    """Mostly a good value: each one as likely as all the bad ones together, so that most
    annotations drawn have a few bad values or none."""
    return st.sampled_from(good * 4 * len(bad) + bad)


names = pick(["ana", "bo b"], [" ana", "", "a\u200bb", "а" + "a", "x" * 65, 3])
uris = pick([LESSON, ID], ["urn:x:a b", "", "urn:x:" + "a" * 2048, 3, None])
times = pick(["2026-11-29T15:00:00.000Z"], ["2026-11-29T15:00:00Z", "2026-11-29T15:00:00", 0])
words = pick(["n", "a note", "a\tb\nc", "é"], [" n", "n ", "", " ", "a\x07b", "x" * 20_001])
extra = st.just(1)


def maybe(
    required: dict[str, st.SearchStrategy[Any]], **fields: st.SearchStrategy[Any]
) -> st.SearchStrategy[dict[str, Any]]:
    """An object with ``required`` keys (each left out now and then) and some of ``fields``."""
    return st.builds(
        _without,
        st.fixed_dictionaries(required),
        st.fixed_dictionaries({}, optional={**required, **fields}),
        st.sampled_from([None] * 30 + list(required)),
    )


def _without(given: dict[str, Any], more: dict[str, Any], left_out: str | None) -> dict[str, Any]:
    return {k: v for k, v in {**given, **more}.items() if k != left_out}


bodies = st.lists(
    maybe(
        {"type": pick(["TextualBody"], ["Text", None]), "value": words},
        format=pick(["text/markdown", "text/plain"], ["text/html"]),
        purpose=pick(["commenting", "tagging"], ["other"]),
        extra=st.sampled_from([1] + [None] * 20),
    ).map(lambda b: {k: v for k, v in b.items() if not (k == "extra" and v is None)}),
    max_size=4,
) | st.lists(st.just({"type": "TextualBody", "value": "t", "purpose": "tagging"}), max_size=25)
offsets = pick([0, 1, 5], [-1, True, 1.0, "1", limits.MAX_OFFSET + 1, 2**70])
quote = maybe(
    {"type": st.just("TextQuoteSelector"), "exact": words},
    prefix=pick(["a", ""], [None, "p" * 257]),
    suffix=pick(["b"], [3]),
)
position = maybe({"type": st.just("TextPositionSelector"), "start": offsets, "end": offsets})
selectors = st.one_of(
    st.tuples(quote, position).map(list),
    st.tuples(quote).map(list),
    st.lists(st.one_of(quote, position), max_size=3),
    st.just({"type": "TextQuoteSelector", "exact": "x"}),
)
targets = st.one_of(
    maybe({"source": uris}, selector=selectors),
    pick([ID, ID + "#prompt-p1", LESSON + "#comment-c"], [ID + "#comment-", "urn:x:a b"]),
)
stored = maybe(
    {
        "motivation": pick(["highlighting", "commenting", "replying"], ["bookmarking"]),
        "target": targets,
    },
    **{"@context": pick(["http://www.w3.org/ns/anno.jsonld"], ["x", None])},
    id=uris,
    type=pick(["Annotation"], ["Note"]),
    creator=maybe({"id": uris, "nickname": names}, type=pick(["Person"], ["Bot"]), extra=extra),
    created=times,
    modified=times,
    generator=maybe({"id": uris}, type=pick(["Software"], ["x"]), name=names),
    body=st.one_of(bodies, st.none()),
    extra=st.sampled_from([1] + [None] * 20),
).map(lambda a: {k: v for k, v in a.items() if not (k == "extra" and v is None)})


@settings(max_examples=1500, deadline=None)
@given(stored)
def test_the_one_pass_reading_is_the_full_check_wherever_it_answers(item: dict[str, Any]) -> None:
    same(json.dumps(item, ensure_ascii=False))


@settings(max_examples=300, deadline=None)
@given(stored)
def test_whatever_the_full_check_keeps_as_is_is_read_in_one_pass(item: dict[str, Any]) -> None:
    """What the full check keeps, stored again, is what the one pass reads (it vouches for the
    clean form itself, not only for a part of it)."""
    kept = full_check(json.dumps(item, ensure_ascii=False))
    if kept is not None and '"body": []' not in kept:
        assert decode_clean(kept) is not None, kept
        same(kept)
