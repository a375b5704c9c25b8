"""describe / anchor on the seed reading: round trips, realistic edits, broken input, speed."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import pytest

from reader_ext.anchoring import (
    Anchor,
    TextPositionSelector,
    TextQuoteSelector,
    anchor,
    describe,
)

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

READING = Path(__file__).parents[1] / "lessons" / "shared" / "reading.md"
EDITS = Path(__file__).parent / "fixtures" / "anchoring" / "edits.toml"

PARAGRAPHS = [p.strip() for p in READING.read_text(encoding="utf-8").split("\n\n") if p.strip()]
DOC = "\n\n".join(PARAGRAPHS)


def test_seed_reading_has_the_repeated_paragraph() -> None:
    # Several cases below depend on the source's verbatim repetition of paragraph 0 as 9.
    assert len(PARAGRAPHS) == 15
    assert PARAGRAPHS[0] == PARAGRAPHS[9]


def nth(text: str, needle: str, n: int) -> int:
    i = -1
    for _ in range(n + 1):
        i = text.find(needle, i + 1)
        assert i != -1, f"{needle!r} does not occur {n + 1} times"
    return i


def paragraph_of(text: str, offset: int) -> int:
    return text.count("\n\n", 0, offset)


def random_ranges(text: str, count: int, seed: int) -> list[tuple[int, int]]:
    rng = random.Random(seed)
    ranges = []
    for _ in range(count):
        length = rng.randint(1, 200)
        start = rng.randrange(0, len(text) - length)
        ranges.append((start, start + length))
    return ranges


# --- Round trips ----------------------------------------------------------------------------


def sentence_ranges(text: str) -> list[tuple[int, int]]:
    ranges, start = [], 0
    for i, c in enumerate(text):
        if c in ".\n" and i > start:
            ranges.append((start, i + 1))
            start = i + 1
    return ranges


@pytest.mark.parametrize(
    "ranges",
    [sentence_ranges(DOC), random_ranges(DOC, 300, seed=1)],
    ids=["sentences", "random"],
)
def test_describe_then_anchor_unchanged_text_is_the_same_range(
    ranges: list[tuple[int, int]],
) -> None:
    assert len(ranges) > 40
    for start, end in ranges:
        assert anchor(DOC, describe(DOC, start, end)) == Anchor(start, end, "position")


def test_describe_records_quote_context_and_position() -> None:
    start = DOC.index("Vasudhaiva")
    quote, position = describe(DOC, start, start + 10, context=8)
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": "Vasudhaiva",
        "prefix": "sion of ",
        "suffix": " Kutumba",
    }
    assert position == {"type": "TextPositionSelector", "start": start, "end": start + 10}


def test_describe_context_is_shorter_at_the_ends_of_the_text() -> None:
    quote, _ = describe(DOC, 0, 4)
    assert quote["prefix"] == ""
    assert quote["suffix"] == DOC[4:36]
    quote, _ = describe(DOC, len(DOC) - 5, len(DOC))
    assert quote["suffix"] == ""
    assert quote["prefix"] == DOC[-37:-5]


def test_quote_alone_finds_every_range_whose_context_is_unique() -> None:
    checked = 0
    for start, end in random_ranges(DOC, 300, seed=2):
        quote, _ = describe(DOC, start, end)
        recorded = f"{quote['prefix']}{quote['exact']}{quote['suffix']}"
        if DOC.count(recorded) == 1:
            checked += 1
            assert anchor(DOC, [quote]) == Anchor(start, end, "quote")
    assert checked > 200


def test_ranges_shifted_by_an_inserted_paragraph_come_back_shifted() -> None:
    intro = "A short introduction by the course team."
    edited = f"{intro}\n\n{DOC}"
    shift = len(intro) + 2
    for start, end in random_ranges(DOC, 300, seed=3):
        found = anchor(edited, describe(DOC, start, end))
        assert found is not None
        assert (found.start, found.end) == (start + shift, end + shift)
        assert found.method in {"position", "quote"}


@pytest.mark.parametrize(
    "selector",
    [
        TextQuoteSelector("exact", "before ", " after"),
        TextQuoteSelector("only exact"),
        TextPositionSelector(0, 0),
        TextPositionSelector(3, 17),
    ],
)
def test_selectors_round_trip_through_w3c(
    selector: TextQuoteSelector | TextPositionSelector,
) -> None:
    assert type(selector).from_w3c(selector.to_w3c()) == selector


# --- Realistic edits, from the fixture file -------------------------------------------------


def load_cases() -> list[Any]:
    with EDITS.open("rb") as f:
        cases = tomllib.load(f)["case"]
    return [pytest.param(case, id=case["name"]) for case in cases]


def apply_edit(text: str, edit: dict[str, Any]) -> str:
    op = edit["op"]
    if op == "replace":
        count = text.count(edit["old"])
        # A fixture whose `old` no longer fits the reading must fail loudly, not test nothing.
        assert count >= 1 if edit.get("all") else count == 1, f"{edit['old']!r} occurs {count}x"
        return text.replace(edit["old"], edit["new"])
    paragraphs = text.split("\n\n")
    if op == "insert_paragraph":
        paragraphs.insert(edit["index"], edit["text"])
    elif op == "remove_paragraph":
        del paragraphs[edit["index"]]
    else:
        pytest.fail(f"unknown edit op {op!r}")
    return "\n\n".join(paragraphs)


@pytest.mark.parametrize("case", load_cases())
def test_edit(case: dict[str, Any]) -> None:
    start = nth(DOC, case["quote"], case.get("occurrence", 0))
    selectors = describe(DOC, start, start + len(case["quote"]))
    edited = DOC
    for edit in case["edits"]:
        edited = apply_edit(edited, edit)

    found = anchor(edited, selectors)

    if case["expect"] == "orphan":
        assert found is None
        return
    assert found is not None
    assert edited[found.start : found.end] == case["expect"]
    assert (found.method, found.errors) == (case["method"], case.get("errors", 0))
    if "paragraph" in case:
        assert paragraph_of(edited, found.start) == case["paragraph"]


def test_fixture_file_covers_every_kind_of_outcome() -> None:
    cases = [p.values[0] for p in load_cases()]
    assert {c.get("method") for c in cases} >= {"position", "quote", "fuzzy"}
    assert any(c["expect"] == "orphan" for c in cases)
    assert any(c.get("occurrence", 0) == 1 for c in cases)


# --- Selector handling ----------------------------------------------------------------------


def test_selectors_in_any_order_and_unknown_types_ignored() -> None:
    start = DOC.index("Denis Alipov")
    quote, position = describe(DOC, start, start + 12)
    css = {"type": "CssSelector", "value": "#p2"}
    expected = Anchor(start, start + 12, "position")
    assert anchor(DOC, [css, position, quote]) == expected
    assert anchor(DOC, [quote, css, position]) == expected


def test_position_alone_anchors_only_inside_the_text() -> None:
    assert anchor(DOC, [{"type": "TextPositionSelector", "start": 5, "end": 9}]) == Anchor(
        5, 9, "position"
    )
    end = len(DOC)
    assert anchor(DOC, [TextPositionSelector(end - 3, end).to_w3c()]) == Anchor(
        end - 3, end, "position"
    )
    assert anchor(DOC, [TextPositionSelector(end - 3, end + 1).to_w3c()]) is None


def test_quote_whose_position_went_stale_is_searched_from_the_old_position() -> None:
    start = nth(DOC, "Strategic Partnership guarantee", 1)
    quote, _ = describe(DOC, start, start + 31)
    # A stale position that now holds other text: the quote decides, and the hint still picks
    # the second copy of the repeated paragraph.
    stale = TextPositionSelector(start + 3, start + 34).to_w3c()
    assert anchor(DOC, [quote, stale]) == Anchor(start, start + 31, "quote")


def test_position_past_the_end_falls_back_to_the_quote() -> None:
    start = DOC.index("Kiev")
    quote, _ = describe(DOC, start, start + 4)
    stale = TextPositionSelector(len(DOC) + 10, len(DOC) + 14).to_w3c()
    found = anchor(DOC, [stale, quote])
    assert found is not None
    assert DOC[found.start : found.end] == "Kiev"
    assert found.method == "quote"


BROKEN: list[tuple[object, str]] = [
    ([{"type": "TextPositionSelector", "start": -1, "end": 4}], "must not be negative"),
    ([{"type": "TextPositionSelector", "start": 9, "end": 4}], "must not be after end"),
    ([{"type": "TextPositionSelector", "start": 0}], r"end is missing"),
    ([{"type": "TextPositionSelector", "start": "0", "end": 4}], "str, not an integer"),
    ([{"type": "TextPositionSelector", "start": True, "end": 4}], "bool, not an integer"),
    ([{"type": "TextQuoteSelector", "prefix": "x"}], r"exact is missing"),
    ([{"type": "TextQuoteSelector", "exact": ""}], "exact is empty"),
    ([{"type": "TextQuoteSelector", "exact": "x", "suffix": 3}], "suffix is a int"),
    ([{"type": "CssSelector", "value": "p"}], "no TextQuoteSelector or TextPositionSelector"),
    ([], "no TextQuoteSelector or TextPositionSelector"),
    ([{"exact": "x"}], "no string 'type'"),
    (["TextQuoteSelector"], "must be a JSON object"),
    ("TextQuoteSelector", "must be a list"),
    (
        [{"type": "TextQuoteSelector", "exact": "a"}, {"type": "TextQuoteSelector", "exact": "b"}],
        "two TextQuoteSelectors",
    ),
    (
        [TextPositionSelector(0, 1).to_w3c(), TextPositionSelector(0, 2).to_w3c()],
        "two TextPositionSelectors",
    ),
]


@pytest.mark.parametrize(("selectors", "message"), BROKEN)
def test_broken_selectors_raise_value_error(selectors: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        anchor(DOC, selectors)


def test_from_w3c_rejects_the_other_selector_type() -> None:
    with pytest.raises(ValueError, match="expected a selector with type 'TextQuoteSelector'"):
        TextQuoteSelector.from_w3c({"type": "TextPositionSelector", "start": 0, "end": 1})
    with pytest.raises(ValueError, match="must be a JSON object"):
        TextPositionSelector.from_w3c([("type", "TextPositionSelector")])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("start", "end", "context", "message"),
    [
        (-1, 3, 32, "must not be negative"),
        (5, 3, 32, "must not be after end"),
        (3, 3, 32, "is empty"),
        (0, len(DOC) + 1, 32, "past the end of the text"),
        (0, 3, -1, "context must not be negative"),
    ],
)
def test_describe_rejects_broken_ranges(start: int, end: int, context: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        describe(DOC, start, end, context=context)


# --- Unicode: offsets are code points -------------------------------------------------------

UNICODE_TEXT = "\n\n".join(
    [
        "नमस्ते दुनिया। यह एक परीक्षण वाक्य है जिसमें मात्राएँ और संयुक्ताक्षर हैं।",
        "Cafe\u0301 au lait, cre\u0300me bru\u0302le\u0301e and a nai\u0308ve re\u0301sume\u0301.",
        "Launch day 👩🏽‍🚀🚀 went well 🎉, flags 🇮🇳🇷🇺 waved.",
        "مرحبا بالعالم، هذه جملة عربية للاختبار. שלום עולם, זה משפט בעברית.",
    ]
)
UNICODE_QUOTES = ["परीक्षण वाक्य", "cre\u0300me", "👩🏽‍🚀🚀", "🇷🇺", "جملة عربية", "זה משפט"]


@pytest.mark.parametrize("quote", UNICODE_QUOTES)
def test_unicode_offsets_stay_exact_in_code_points(quote: str) -> None:
    start = UNICODE_TEXT.index(quote)
    selectors = describe(UNICODE_TEXT, start, start + len(quote))
    assert anchor(UNICODE_TEXT, selectors) == Anchor(start, start + len(quote), "position")

    # "👩🏽‍🚀" is one glyph, 4 code points and 7 UTF-16 units: the shift must be 4 (+2 for "\n\n").
    inserted = "👩🏽‍🚀"
    assert len(inserted) == 4
    edited = f"{inserted}\n\n{UNICODE_TEXT}"
    found = anchor(edited, selectors)
    assert found == Anchor(start + 6, start + 6 + len(quote), "quote")


def test_unicode_fuzzy_match_keeps_code_point_boundaries() -> None:
    quote = "यह एक परीक्षण वाक्य है जिसमें मात्राएँ"
    start = UNICODE_TEXT.index(quote)
    selectors = describe(UNICODE_TEXT, start, start + len(quote))
    # A vowel sign changed (ी -> ि) and an emoji inserted before the quote.
    edited = "🎉" + UNICODE_TEXT.replace("परीक्षण", "परिक्षण")
    found = anchor(edited, selectors)
    assert found == Anchor(start + 1, start + 1 + len(quote), "fuzzy", errors=1)
    assert edited[found.start : found.end] == quote.replace("परीक्षण", "परिक्षण")


# --- Speed ----------------------------------------------------------------------------------


def test_anchoring_1000_annotations_after_edits_is_right() -> None:
    # (How long this takes is measured in benchmarks/, not asserted here.)
    # A 10,000-word text built from the reading's own words, so quotes are real-looking English
    # with the recurring short phrases that make search hard.
    rng = random.Random(7)
    words = DOC.split()
    paragraphs = [" ".join(rng.choice(words) for _ in range(100)) for _ in range(100)]
    text = "\n\n".join(paragraphs)
    assert len(text.split()) == 10_000
    ranges = random_ranges(text, 1000, seed=8)
    annotations = [describe(text, s, e) for s, e in ranges]

    # Edits touching all four paths: a paragraph inserted near the start (every later
    # annotation moves), one paragraph reworded (fuzzy), one deleted (orphans).
    reworded, deleted = 50, 70
    edited_paragraphs: list[tuple[int | None, str]] = list(enumerate(paragraphs))
    edited_paragraphs[reworded] = (None, paragraphs[reworded].replace(" the ", " a "))
    del edited_paragraphs[deleted]
    edited_paragraphs.insert(3, (None, "A paragraph the instructor added after the annotations."))
    edited = "\n\n".join(p for _, p in edited_paragraphs)

    found = [anchor(edited, selectors) for selectors in annotations]

    range_paragraphs = [text.count("\n\n", 0, s) for s, _ in ranges]
    par_offset_old = paragraph_offsets(text)
    par_offset_new = {
        i: offset
        for (i, _), offset in zip(edited_paragraphs, paragraph_offsets(edited), strict=True)
        if i is not None
    }
    checked = orphans = 0
    for (start, end), par, result in zip(ranges, range_paragraphs, found, strict=True):
        inside = end <= par_offset_old[par] + len(paragraphs[par])
        if par == deleted and inside and end - start >= 32:
            orphans += 1
            assert result is None, f"{text[start:end]!r} anchored after its paragraph went"
        elif par in par_offset_new and inside:
            checked += 1
            shift = par_offset_new[par] - par_offset_old[par]
            assert result is not None
            assert (result.start, result.end) == (start + shift, end + shift)
            assert result.method == ("position" if shift == 0 else "quote")
    assert checked > 750
    assert orphans > 0
    assert any(a is not None and a.method == "fuzzy" for a in found)


def paragraph_offsets(text: str) -> list[int]:
    offsets = [0]
    i = text.find("\n\n")
    while i != -1:
        offsets.append(i + 2)
        i = text.find("\n\n", i + 2)
    return offsets
