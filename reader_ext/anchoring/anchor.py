"""Describe a range of a document's text as W3C selectors, and find it again after edits.

``describe`` and ``anchor`` are inverses on unchanged text: anchoring the selectors of a range
gives back that range with method ``"position"``. When the text changed, ``anchor`` tries the
evidence in order of cost and certainty (docs/design.md, decision 2):

1. the recorded position, if it still holds the quote;
2. verbatim occurrences of the quote, ranked by context and distance from the old position;
3. approximate occurrences with a bounded number of edits, ranked the same way;
4. ``None``: the caller keeps the annotation as an orphan. Nothing here ever drops one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reader_ext.anchoring.match_quote import fold, match_quote
from reader_ext.anchoring.types import (
    POSITION,
    QUOTE,
    Anchor,
    TextPositionSelector,
    TextQuoteSelector,
    check_range,
)


def describe(text: str, start: int, end: int, *, context: int = 32) -> list[dict[str, object]]:
    """The W3C selectors for ``text[start:end]``: ``[quote selector, position selector]``.

    ``context`` characters are recorded on each side (fewer at the text's ends): enough to tell
    repeated phrases apart, short enough that an edit nearby rarely reaches them.
    """
    check_range(start, end, what="range")
    if end > len(text):
        msg = f"range end {end} is past the end of the text ({len(text)} characters)"
        raise ValueError(msg)
    if start == end:
        msg = f"range [{start}, {end}) is empty: an annotation must select at least one character"
        raise ValueError(msg)
    if context < 0:
        msg = f"context must not be negative, got {context}"
        raise ValueError(msg)
    quote = TextQuoteSelector(
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
    )
    return [quote.to_w3c(), TextPositionSelector(start, end).to_w3c()]


def anchor(text: str, selectors: Sequence[Mapping[str, object]]) -> Anchor | None:
    """Where the selected text is in ``text`` now, or ``None`` if it cannot be found.

    ``selectors`` may come in any order and hold either kind or both; other selector types are
    ignored. When both are given the quote decides: a position whose text changed is not
    trusted. Raises ``ValueError`` for broken selectors, or when none of them can be used.
    """
    unchanged = _unchanged(text, selectors)
    if unchanged is not None:
        return unchanged
    quote, position = _parse(selectors)

    if quote is None:
        if position is None:
            kinds = sorted({str(s.get("type")) for s in selectors})
            msg = f"no {QUOTE} or {POSITION} among the selectors (types: {kinds})"
            raise ValueError(msg)
        # Without a quote there is nothing to check the offsets against: they hold if they fit.
        if position.end > len(text):
            return None
        return Anchor(position.start, position.end, "position")

    hint = None
    if position is not None:
        # Folded, like the search: straightening the apostrophes in place moves nothing.
        if fold(text[position.start : position.end]) == fold(quote.exact):
            return Anchor(position.start, position.end, "position")
        hint = position.start

    match = match_quote(text, quote.exact, prefix=quote.prefix, suffix=quote.suffix, hint=hint)
    if match is None:
        return None
    return Anchor(match.start, match.end, "fuzzy" if match.errors else "quote", match.errors)


def _unchanged(text: str, selectors: Sequence[Mapping[str, object]]) -> Anchor | None:
    """The common case, checked without building selector objects: one quote and one position
    selector, well-formed, and the recorded position still holds the quote verbatim.

    Returns what the general path would return for such selectors; ``None`` for anything else
    (which the general path then checks, and reports, in full).
    """
    if not isinstance(selectors, list) or len(selectors) != 2:
        return None
    first, second = selectors
    if not isinstance(first, dict) or not isinstance(second, dict):
        return None
    if first.get("type") == POSITION:
        first, second = second, first
    if first.get("type") != QUOTE or second.get("type") != POSITION:
        return None
    exact, start, end = first.get("exact"), second.get("start"), second.get("end")
    if (
        type(start) is not int
        or type(end) is not int
        or not isinstance(exact, str)
        or not isinstance(first.get("prefix", ""), str)
        or not isinstance(first.get("suffix", ""), str)
        or not 0 <= start < end <= len(text)
        or text[start:end] != exact
    ):
        return None
    return Anchor(start, end, "position")


def _parse(
    selectors: Sequence[Mapping[str, object]],
) -> tuple[TextQuoteSelector | None, TextPositionSelector | None]:
    if isinstance(selectors, (str, bytes)) or not isinstance(selectors, Sequence):
        msg = f"selectors must be a list of selector objects, not {type(selectors).__name__}"
        raise ValueError(msg)
    quote: TextQuoteSelector | None = None
    position: TextPositionSelector | None = None
    for i, selector in enumerate(selectors):
        if not isinstance(selector, Mapping):
            msg = f"selector {i} must be a JSON object, not {type(selector).__name__}"
            raise ValueError(msg)
        kind = selector.get("type")
        if kind == QUOTE:
            if quote is not None:
                msg = f"two {QUOTE}s in one target: which one to anchor is ambiguous"
                raise ValueError(msg)
            quote = TextQuoteSelector.from_w3c(selector)
        elif kind == POSITION:
            if position is not None:
                msg = f"two {POSITION}s in one target: which one to anchor is ambiguous"
                raise ValueError(msg)
            position = TextPositionSelector.from_w3c(selector)
        elif not isinstance(kind, str):
            msg = f"selector {i} has no string 'type' (got {kind!r})"
            raise ValueError(msg)
    return quote, position
