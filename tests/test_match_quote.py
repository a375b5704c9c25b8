"""match_quote: exact and approximate search, ranking, the error bound, broken arguments."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from reader_ext.anchoring import match_quote
from reader_ext.anchoring.match_quote import default_max_errors, fold

READING = Path(__file__).parents[1] / "lessons" / "shared" / "reading.md"
PARAGRAPHS = [p.strip() for p in READING.read_text(encoding="utf-8").split("\n\n") if p.strip()]
DOC = "\n\n".join(PARAGRAPHS)
SECOND_COPY = DOC.index(PARAGRAPHS[9], 1)
APOSTROPHE = "\u2019"  # the typographic one the reading uses


def edit_distance(a: str, b: str) -> int:
    """Plain Levenshtein distance, the slow obvious way, as the reference."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, start=1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def best_substring_distance(text: str, quote: str) -> int:
    return min(
        edit_distance(quote, text[i:j])
        for i in range(len(text) + 1)
        for j in range(i, len(text) + 1)
    )


def sellers_distance(text: str, quote: str) -> int:
    """Fewest edits of ``quote`` into any substring of ``text`` (Sellers' dynamic program)."""
    col = list(range(len(quote) + 1))
    best = col[-1]
    for c in text:
        prev, col[0] = col[0], 0  # a match may start anywhere: the top row is all zeros
        for i, q in enumerate(quote, start=1):
            prev, col[i] = col[i], min(col[i] + 1, col[i - 1] + 1, prev + (q != c))
        best = min(best, col[-1])
    return best


def mutate(s: str, edits: int, rng: random.Random, alphabet: str) -> str:
    chars = list(s)
    for _ in range(edits):
        i = rng.randrange(len(chars))
        op = rng.choice("sidid")  # indels most: they shift where the pieces land
        if op == "s":
            chars[i] = rng.choice(alphabet)
        elif op == "i":
            chars.insert(i, rng.choice(alphabet))
        elif len(chars) > 1:
            del chars[i]
    return "".join(chars)


# --- Exact matches and ranking --------------------------------------------------------------


def test_unique_exact_match_with_its_context_scores_one() -> None:
    start = DOC.index("Vasudhaiva Kutumbakam")
    found = match_quote(
        DOC,
        "Vasudhaiva Kutumbakam",
        prefix=DOC[start - 32 : start],
        suffix=DOC[start + 21 : start + 53],
        hint=start,
    )
    assert found is not None
    assert (found.start, found.end, found.errors, found.score) == (start, start + 21, 0, 1.0)


@pytest.mark.parametrize("inserted", ["the ", "shared "])
def test_score_counts_a_word_inserted_into_the_context_once(inserted: str) -> None:
    # Score = share of the recorded prefix + quote + suffix found again. Words inserted into the
    # context cost their own length, not also the recorded characters they push out of view.
    quote = "Vasudhaiva Kutumbakam"
    start = DOC.index(quote)
    prefix, suffix = DOC[start - 32 : start], DOC[start + 21 : start + 53]
    text = DOC.replace(f"of {quote}", f"of {inserted}{quote}")
    found = match_quote(text, quote, prefix=prefix, suffix=suffix)
    assert found is not None
    assert found.score == pytest.approx(1 - len(inserted) / (21 + 32 + 32))


def test_context_outweighs_the_old_position() -> None:
    # The repeated paragraph's first words: the copy at the start of the text has no prefix, the
    # second copy follows paragraph 8. Even a hint pointing at the first copy loses to context.
    quote = f"Just like India doesn{APOSTROPHE}t want"
    prefix = DOC[SECOND_COPY - 32 : SECOND_COPY]
    found = match_quote(DOC, quote, prefix=prefix, hint=0)
    assert found is not None
    assert found.start == SECOND_COPY


@pytest.mark.parametrize(
    ("hint", "expected"), [(0, 0), (SECOND_COPY - 100, SECOND_COPY), (len(DOC), SECOND_COPY)]
)
def test_old_position_breaks_a_tie_between_identical_surroundings(hint: int, expected: int) -> None:
    quote = PARAGRAPHS[0][40:120]
    prefix, suffix = PARAGRAPHS[0][8:40], PARAGRAPHS[0][120:152]
    found = match_quote(DOC, quote, prefix=prefix, suffix=suffix, hint=hint)
    assert found is not None
    assert found.start == expected + 40


@pytest.mark.parametrize("hint", [0, len(DOC), 10 * len(DOC)])
def test_distance_from_the_hint_costs_at_most_half_an_error(hint: int) -> None:
    # Even a stale hint far past the end of a text that shrank.
    quote = "Vasudhaiva Kutumbakam"
    found = match_quote(DOC, quote, hint=hint)
    assert found is not None
    assert 1 - 0.5 / len(quote) <= found.score < 1


def test_without_a_hint_the_first_of_equal_candidates_wins() -> None:
    found = match_quote(DOC, PARAGRAPHS[0][40:120])
    assert found is not None
    assert found.start == 40


def test_overlapping_occurrences_are_all_candidates() -> None:
    text = "aaaaaa"
    for hint in range(5):
        found = match_quote(text, "aa", hint=hint)
        assert found is not None
        assert found.start == hint


def test_typographic_variants_cost_no_errors_and_keep_offsets() -> None:
    text = "He said \u201cit\u2019s done\u201d \u2014 and left."
    found = match_quote(text, '"it\'s done" - and')
    assert found is not None
    assert (found.start, found.end, found.errors) == (8, 25, 0)
    assert len(fold(text)) == len(text)


# --- Approximate matches --------------------------------------------------------------------


def test_fuzzy_match_covers_the_edited_text_exactly() -> None:
    text = DOC.replace("past 16 month ", "past 16 months ")
    found = match_quote(text, "energy ties over the past 16 month was predictably")
    assert found is not None
    assert text[found.start : found.end] == "energy ties over the past 16 months was predictably"
    assert found.errors == 1


@pytest.mark.parametrize(
    "edited",
    ["VXasudhaiva Kutumbakam", "Vasudhaiva KutumbakaXm", "VXasudhaiva KutumbakaXm"],
)
def test_fuzzy_match_keeps_characters_next_to_an_edit_at_its_edge(edited: str) -> None:
    # An insertion next to the quote's first or last character could also be counted as a
    # substitution of that character, at the same cost; the range must still include it.
    text = DOC.replace("Vasudhaiva Kutumbakam", edited)
    found = match_quote(text, "Vasudhaiva Kutumbakam")
    assert found is not None
    assert text[found.start : found.end] == edited


def test_error_bound_is_inclusive_and_binding() -> None:
    quote = "the traditional military and newfound energy ties"  # 49 characters
    k = default_max_errors(len(quote))
    assert k == 6
    text = "x" * 50 + quote + "x" * 50
    # k substitutions spread over the quote: found; one more: not.
    spots = range(1, len(quote), 7)
    assert len(spots) == k + 1

    def substitute(n: int) -> str:
        return "".join("#" if i in spots[:n] else c for i, c in enumerate(quote))

    exact_k, too_many = substitute(k), substitute(k + 1)
    found = match_quote(text.replace(quote, exact_k), quote)
    assert found is not None
    assert (found.start, found.errors) == (50, k)
    assert match_quote(text.replace(quote, too_many), quote) is None
    assert match_quote(text.replace(quote, too_many), quote, max_errors=k + 1) is not None


def test_max_errors_zero_means_verbatim_only() -> None:
    typo = f"haven{APOSTROPHE}t notice"
    text = DOC.replace(f"{typo} ", f"{typo}d ")
    assert match_quote(text, f"{typo} due", max_errors=0) is None
    found = match_quote(text, f"{typo} due", max_errors=2)
    assert found is not None
    assert found.errors == 1


def test_words_get_no_errors_by_default() -> None:
    assert default_max_errors(7) == 0
    assert match_quote("Russia and India", "Indya") is None
    assert default_max_errors(8) == 1


def test_short_fuzzy_quote_needs_its_context() -> None:
    # 16 characters allow 2 errors; "grand strategic" occurs nearly verbatim in the reading.
    quote = "grand strategies"
    assert match_quote(DOC, quote) is not None
    assert match_quote(DOC, quote, prefix="have complementary ") is not None
    assert match_quote(DOC, quote, prefix="an unrelated prefix entirely ") is None


@pytest.mark.parametrize("sentence", [s for s in DOC.split(". ") if len(s) >= 40])
def test_a_deleted_sentence_never_anchors_elsewhere(sentence: str) -> None:
    # The reading repeats phrases a lot ("the Russian-Indian Strategic Partnership", a whole
    # paragraph); with every copy of a sentence removed, the bound must leave it unmatched.
    remaining = DOC.replace(sentence, "")
    assert match_quote(remaining, sentence) is None


def test_long_quote_beyond_one_machine_word() -> None:
    quote = PARAGRAPHS[2]  # about 500 characters: the bit vectors span many 64-bit words
    assert len(quote) > 400
    # One deletion, then "ai" -> "e": three edits.
    edited = quote.replace("praising", "praisng").replace("Vasudhaiva", "Vasudheva")
    text = DOC.replace(quote, edited)
    found = match_quote(text, quote)
    assert found is not None
    assert text[found.start : found.end] == edited
    assert found.errors == 3


@pytest.mark.parametrize("seed", range(6))
def test_errors_equal_the_best_substring_edit_distance(seed: int) -> None:
    # Against brute force on small random strings, where near matches abound.
    rng = random.Random(seed)
    for _ in range(40):
        text = "".join(rng.choice("abc") for _ in range(rng.randint(0, 24)))
        quote = "".join(rng.choice("abc") for _ in range(rng.randint(1, 12)))
        k = rng.randint(0, len(quote) - 1)
        best = best_substring_distance(text, quote)
        found = match_quote(text, quote, max_errors=k)
        if best > k:
            assert found is None
        else:
            assert found is not None
            assert found.errors == best
            assert edit_distance(quote, text[found.start : found.end]) == best


@pytest.mark.parametrize("seed", range(4))
def test_search_filter_never_loses_a_match(seed: int) -> None:
    # Quotes long enough for the piece filter to run (short ones are scanned in full above),
    # planted in random text with a few edits each, some within the bound and some beyond.
    rng = random.Random(seed)
    alphabet = "abcd "
    for _ in range(25):
        quote = "".join(rng.choice(alphabet) for _ in range(rng.randint(24, 90)))
        k = len(quote) // 8
        parts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))]
        for _ in range(3):
            parts.append(mutate(quote, rng.randint(0, k + 3), rng, alphabet))
            parts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80))))
        text = "".join(parts)
        best = sellers_distance(text, quote)
        found = match_quote(text, quote)
        if best > k:
            assert found is None
        else:
            assert found is not None
            assert found.errors == best
            assert edit_distance(quote, text[found.start : found.end]) == best


@pytest.mark.parametrize("kind", ["insertions", "deletions"])
@pytest.mark.parametrize("first", [3, 9, 15], ids=["at-start", "inside", "at-end"])
def test_search_finds_a_match_whose_edits_all_shift_the_same_way(kind: str, first: int) -> None:
    # The hardest cases for the piece filter: k edits, all insertions (or all deletions), six
    # characters apart, so that only two six-character stretches of the quote are left intact
    # and lie as far apart, or as far from the match's ends, as the error bound allows.
    quote = DOC[1000:1048]
    k = default_max_errors(len(quote))
    assert k == 6
    spots = range(first, first + 6 * k, 6)
    if kind == "insertions":
        edited = "".join(c + "#" if i in spots else c for i, c in enumerate(quote))
    else:
        edited = "".join(c for i, c in enumerate(quote) if i not in spots)
    text = DOC.replace(quote, edited)
    found = match_quote(text, quote)
    assert found is not None
    assert (text[found.start : found.end], found.errors) == (edited, k)


def test_nothing_to_find() -> None:
    assert match_quote("", "quote") is None
    assert match_quote("short", "a much longer quote") is None


# --- Broken arguments -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "hint", "max_errors", "message"),
    [
        ("", None, None, "empty quote"),
        ("quote", -1, None, "hint must not be negative"),
        ("quote", None, -1, r"max_errors must be in \[0, 5\)"),
        ("quote", None, 5, r"max_errors must be in \[0, 5\)"),
    ],
)
def test_broken_arguments_raise(
    quote: str, hint: int | None, max_errors: int | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        match_quote(DOC, quote, hint=hint, max_errors=max_errors)
