"""The fast paths of the store's checks and JSON give what the slow ones gave: the same clean
annotation, the same error naming the same field, the same stored text, the same size limit."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader_ext.anchoring.types import TextPositionSelector, TextQuoteSelector
from reader_ext.annotations import limits
from reader_ext.annotations.shape import check_annotation, check_size, json_size
from reader_ext.annotations.values import URI_PATTERN, is_uri
from reader_ext.errors import AnnotationError
from reader_ext.store import rows
from reader_ext.store.rows import decode_json

LESSON = "urn:reader-ext:course:module"


def annotation(*selectors: object, text: str = "a note") -> dict[str, Any]:
    return {
        "id": "urn:uuid:00000000-0000-4000-8000-000000000001",
        "motivation": "commenting",
        "body": [{"type": "TextualBody", "value": text}],
        "target": {"source": LESSON, "selector": list(selectors)},
    }


QUOTE = {"type": "TextQuoteSelector", "exact": "the passage"}


@pytest.mark.parametrize(
    "selector",
    [
        {"type": "TextQuoteSelector", "exact": ""},
        {"type": "TextQuoteSelector"},
        {"type": "TextQuoteSelector", "exact": 3},
        {"type": "TextQuoteSelector", "exact": "x", "prefix": None},
        {"type": "TextQuoteSelector", "exact": "x", "suffix": ["s"]},
    ],
)
def test_a_bad_quote_is_refused_with_the_anchoring_layers_reason(selector: Any) -> None:
    with pytest.raises(ValueError) as reason:
        TextQuoteSelector.from_w3c(selector)
    expected = (
        f"target.selector[0].exact: the quoted text, 1 to {limits.MAX_QUOTE_CHARS} characters "
        f"({reason.value})"
    )
    with pytest.raises(AnnotationError, match="^" + re.escape(expected) + "$"):
        check_annotation(annotation(selector))


@pytest.mark.parametrize(
    ("start", "end"),
    [(True, 3), (0, False), (-1, 3), (5, 4), (1.0, 3), ("1", 3), (None, 3), (0, 50_000_001)],
)
def test_a_bad_position_is_refused_naming_it(start: object, end: object) -> None:
    position = {"type": "TextPositionSelector", "start": start, "end": end}
    expected = (
        "target.selector[1]: start and end must be integers, 0 <= start <= end <= "
        f"{limits.MAX_OFFSET}"
    )
    with pytest.raises(AnnotationError, match="^" + re.escape(expected) + "$"):
        check_annotation(annotation(QUOTE, position))


def test_a_good_selector_pair_is_what_the_anchoring_layer_reads() -> None:
    quote = {"type": "TextQuoteSelector", "exact": "x", "prefix": "a ", "suffix": ""}
    position = {"type": "TextPositionSelector", "start": 0, "end": 1}
    clean = check_annotation(annotation(position, quote))
    assert clean["target"]["selector"] == [quote, position]  # quote first, prefix/suffix kept
    assert TextQuoteSelector.from_w3c(quote).exact == "x"
    assert TextPositionSelector.from_w3c(position).end == 1
    bare = check_annotation(annotation(QUOTE))["target"]["selector"]
    assert bare == [QUOTE]  # a selector without context stays without


texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_stored_json_is_what_json_dumps_wrote_and_reads_back_the_same(value: Any) -> None:
    old = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    assert rows.dump(value) == old
    assert decode_json(old) == json.loads(old)


@pytest.mark.parametrize(
    "text",
    ["NaN", "[1e400]", '"\\ud800"', '{"a": 1, "a": 2}', "[" * 10 + "]" * 10, "123456789" * 5],
)
def test_what_msgspec_refuses_to_read_is_read_by_json_as_before(text: str) -> None:
    assert repr(decode_json(text)) == repr(json.loads(text))


def test_a_lone_surrogate_is_stored_as_json_stored_it() -> None:
    value = {"a": "\ud800"}
    assert rows.dump(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    assert rows.encode(value) is None


@pytest.mark.parametrize("commas", [0, 1, 40, 400])
def test_the_size_limit_from_the_compact_text_is_the_limit_on_json_dumps(commas: int) -> None:
    """Around the limit, with many separators (each a byte more in json.dumps' spaced form)."""
    for slack in range(-3 * commas - 8, 8):
        tags = [{"type": "TextualBody", "value": "t", "purpose": "tagging"}] * min(commas, 20)
        base = {"motivation": "commenting", "body": tags, "n": list(range(commas))}
        pad = limits.MAX_ANNOTATION_BYTES - json_size(base) + slack - len(', "p": ""')
        item = {**base, "p": "é" * (pad // 2) + "x" * (pad % 2)} if pad > 0 else base
        compact = rows.encode(item)
        assert compact is not None
        try:
            check_size(item)
        except AnnotationError as exc:
            with pytest.raises(AnnotationError, match=re.escape(str(exc))):
                check_size(item, compact)
        else:
            check_size(item, compact)


# The uri grammar as first written: one character or one %-escape at a time.
_CHAR = r"(?:[A-Za-z0-9\-._~:/?@!$&'()*+,;=]|%[0-9A-Fa-f]{2})"
_PLAIN_URI = re.compile(rf"[A-Za-z][A-Za-z0-9+.\-]*:{_CHAR}*(?:#{_CHAR}*)?")


@settings(max_examples=3000, deadline=None)
@given(st.text(st.sampled_from("az09AF:%#/-.~ é\n"), max_size=16))
def test_the_uri_pattern_accepts_what_the_plain_grammar_does(text: str) -> None:
    assert (re.fullmatch(URI_PATTERN, text) is not None) == (_PLAIN_URI.fullmatch(text) is not None)
    assert is_uri(text) == (_PLAIN_URI.fullmatch(text) is not None)


def test_the_uri_pattern_takes_linear_time_on_what_it_refuses() -> None:
    # Each "%" is checked once, whatever surrounds it: 200,000 characters are refused at once
    # (a pattern trying every split of a run would never end).
    for text in ("a:" + "a" * 200_000 + " ", "a:" + "%aa" * 60_000 + "%", "a:" + "%" * 200_000):
        assert re.fullmatch(URI_PATTERN, text) is None
