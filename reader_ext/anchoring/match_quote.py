"""Find a quote in a text that may have changed since the quote was taken. Pure; no I/O.

Search order, cheapest and most certain first:

1. Every verbatim occurrence of the quote (``str.find``, which runs in C). If there is at least
   one, the best of them wins and no fuzzy search runs: a verbatim copy of the reader's selection
   is stronger evidence than any near miss.
2. Otherwise, approximate occurrences with at most ``max_errors`` edits (insertions, deletions,
   substitutions of one code point each). Regions worth searching are found with ``str.find``
   too (see :func:`_search_windows`); only those are scanned with Myers' bit-parallel algorithm.

Candidates are ranked by :func:`_score`. Curly and straight quotes, the dashes and the space
variants are folded to one character each before comparing (:mod:`reader_ext.text.folding`), so
a punctuation clean-up costs no errors. Offsets are Python ``str`` indices: code points, never
UTF-16 units.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from reader_ext.text.folding import TABLE

# The variants folded (one code point to one, so offsets survive) are the text layer's table.
_FOLD = TABLE

# Below this length a fuzzy match needs its recorded context to agree too (see match_quote).
_SHORT_QUOTE = 32
# Fuzzy-search filter pieces are cut about this long (see _search_windows); shorter than
# _MIN_PIECE, a piece matches nearly everywhere, and scanning the whole text is cheaper.
_PIECE = 6
_MIN_PIECE = 4


def fold(s: str) -> str:
    """``s`` with typographic variants replaced by their plain form; same length as ``s``."""
    if len(s) > _CACHE_FROM:
        return _fold_document(s)
    return s.translate(_FOLD)


# A document is anchored against once per annotation, hundreds of times in a row, and
# translate() on non-ASCII text costs about a millisecond per 60,000 characters: far more than
# the search itself. A few recent documents are kept folded. The string's hash is computed once
# and kept by the str object, and looking the same object up again is an identity check.
_CACHE_FROM = 1000


@functools.lru_cache(maxsize=8)
def _fold_document(s: str) -> str:
    return s.translate(_FOLD)


def default_max_errors(quote_length: int) -> int:
    """The error bound used when the caller gives none: one edit per eight characters.

    Why 1/8: a realistic edit to an annotated passage (a typo fix, a reworded word or two, a
    clause added) stays well under 12% of a sentence-long quote, while the same text is full of
    recurring phrases ("their strategic partnership", "the Russian-Indian ...") that sit within
    25-30% of one another and must not capture an annotation whose passage was deleted. Random
    English reaches a quote of a few dozen characters only at well over 30% errors. Quotes under
    eight characters get no errors at all: one edit in a word-sized quote makes it another word.
    """
    return quote_length // 8


@dataclass(frozen=True, slots=True)
class Match:
    """``text[start:end]`` matches the quote with ``errors`` edits; ``score`` ranks candidates
    (1.0: quote and recorded context reproduced exactly at the expected place)."""

    start: int
    end: int
    errors: int
    score: float


def match_quote(
    text: str,
    quote: str,
    *,
    prefix: str = "",
    suffix: str = "",
    hint: int | None = None,
    max_errors: int | None = None,
) -> Match | None:
    """The best occurrence of ``quote`` in ``text``, or ``None`` if it is not there.

    ``prefix`` and ``suffix`` are the text recorded just before and after the quote, ``hint``
    the offset where the quote used to start; both only rank candidates. ``max_errors`` bounds
    the edits a fuzzy match may have (default :func:`default_max_errors`; 0 means verbatim only).
    Raises ``ValueError`` only for broken arguments.
    """
    if not quote:
        msg = "cannot search for an empty quote"
        raise ValueError(msg)
    if hint is not None and hint < 0:
        msg = f"hint must not be negative, got {hint}"
        raise ValueError(msg)
    if max_errors is None:
        max_errors = default_max_errors(len(quote))
    elif not 0 <= max_errors < len(quote):
        # With len(quote) errors allowed, every position of every text would match.
        msg = f"max_errors must be in [0, {len(quote)}) for a quote of {len(quote)} characters"
        raise ValueError(msg)

    text, quote, prefix, suffix = fold(text), fold(quote), fold(prefix), fold(suffix)
    context = _Context(text, len(quote), prefix, suffix, hint)

    # The quote with its whole recorded context, verbatim: the usual case after an edit
    # elsewhere, and no other candidate can score higher, so the nearest such copy wins at once.
    # Without this shortcut a one-word quote would have its context scored at every occurrence.
    recorded = _exact_matches(text, prefix + quote + suffix)
    if recorded:
        shift = len(prefix)
        return max(
            (context.score(s + shift, s + shift + len(quote), 0) for s, _ in recorded), key=_rank
        )
    exact = _exact_matches(text, quote)
    if exact:
        return max((context.score(start, end, 0) for start, end in exact), key=_rank)
    if max_errors == 0:
        return None

    best: Match | None = None
    for start, end, errors in _approx_matches(text, quote, max_errors):
        if len(quote) < _SHORT_QUOTE and not context.supports(start, end):
            continue
        candidate = context.score(start, end, errors)
        if best is None or _rank(candidate) > _rank(best):
            best = candidate
    return best


def _rank(m: Match) -> tuple[float, int]:
    # Ties are rare (score includes the distance to the hint); then the earlier one wins, so
    # the result never depends on the order candidates were found in.
    return (m.score, -m.start)


class _Context:
    """Scores a candidate by how well it reproduces the recorded prefix + quote + suffix."""

    def __init__(self, text: str, quote_len: int, prefix: str, suffix: str, hint: int | None):
        self.text = text
        self.quote_len = quote_len
        self.prefix = prefix
        self.suffix = suffix
        self.hint = hint
        # Scanned backwards from the quote's start, so the prefix is reversed once here.
        self._prefix_peq = _peq(prefix[::-1])
        self._suffix_peq = _peq(suffix)

    def _prefix_errors(self, start: int) -> int:
        if not self.prefix:
            return 0
        # A little more text than the prefix, so that a word inserted into the context costs
        # only its own length instead of shifting every following character out of line.
        lo = max(0, start - len(self.prefix) - len(self.prefix) // 4 - 1)
        return _anchored_distance(self._prefix_peq, len(self.prefix), self.text[lo:start][::-1])[0]

    def _suffix_errors(self, end: int) -> int:
        if not self.suffix:
            return 0
        hi = end + len(self.suffix) + len(self.suffix) // 4 + 1
        return _anchored_distance(self._suffix_peq, len(self.suffix), self.text[end:hi])[0]

    def supports(self, start: int, end: int) -> bool:
        """Whether at least half of the recorded context on one side is still there.

        Only short fuzzy matches are asked this: a short quote with a couple of edits can land
        on a common phrase anywhere in the text, so it must bring more evidence than itself.
        """
        if not self.prefix and not self.suffix:
            return True
        sides = []
        if self.prefix:
            sides.append(self._prefix_errors(start) / len(self.prefix))
        if self.suffix:
            sides.append(self._suffix_errors(end) / len(self.suffix))
        return min(sides) <= 0.5

    def score(self, start: int, end: int, errors: int) -> Match:
        """The share of the recorded prefix + quote + suffix that the candidate reproduces.

        Why these weights: every recorded character counts the same, whether in the quote or in
        its context. Equal weight per character makes the quote count for more than a context
        side exactly when it is longer, and makes context decide between verbatim copies of the
        quote (repeated phrases, the repeated paragraph of our seed text). The distance from
        ``hint`` adds at most half an error: an edit before the quote shifts it arbitrarily far,
        so position is the weakest evidence and only breaks ties between candidates whose
        surroundings are equally good, such as two copies of a whole paragraph.
        """
        total_errors: float = errors + self._prefix_errors(start) + self._suffix_errors(end)
        if self.hint is not None:
            # Scaled by the larger of text and hint: a stale hint past the end of a text that
            # shrank must not add more than half an error either.
            scale = max(1, len(self.text), self.hint)
            total_errors += 0.5 * abs(start - self.hint) / scale
        recorded = self.quote_len + len(self.prefix) + len(self.suffix)
        return Match(start, end, errors, 1.0 - total_errors / recorded)


def _exact_matches(text: str, quote: str) -> list[tuple[int, int]]:
    found = []
    i = text.find(quote)
    while i != -1:
        found.append((i, i + len(quote)))
        # Step by one, not by len(quote): overlapping occurrences ("aa" in "aaa") are candidates.
        i = text.find(quote, i + 1)
    return found


# --- Approximate search -------------------------------------------------------------------
#
# Myers' bit-parallel algorithm (J. ACM 46(3), 1999) in Hyyrö's formulation: one column of the
# edit-distance table is held as two bit vectors of vertical deltas (+1 / -1), so each text
# character costs a dozen integer operations whatever the quote's length. Python integers are
# unbounded, so a quote longer than a machine word needs no blocks: the "word" is just longer.


def _peq(pattern: str) -> dict[str, int]:
    """For each character, the bit mask of the pattern positions holding it."""
    masks: dict[str, int] = {}
    for i, c in enumerate(pattern):
        masks[c] = masks.get(c, 0) | (1 << i)
    return masks


def _myers(
    peq: dict[str, int], m: int, text: str, limit: int, *, anchored: bool
) -> list[tuple[int, int]]:
    """``(j, D[m][j])`` for each ``j`` in ``1 .. len(text)`` with ``D[m][j] <= limit``.

    ``D[m][j]`` is the fewest edits between the pattern and text ending at ``j``.
    ``anchored=False`` lets the match start anywhere in ``text`` (substring search);
    ``anchored=True`` pins it to ``text[0]`` (the top row of the table counts j insertions).
    """
    mask = (1 << m) - 1
    top = 1 << (m - 1)
    carry = 1 if anchored else 0
    pv, mv, score = mask, 0, m
    found = []
    for j, c in enumerate(text, start=1):
        eq = peq.get(c, 0)
        xv = eq | mv
        xh = ((((eq & pv) + pv) & mask) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & top:
            score += 1
        elif mh & top:
            score -= 1
        ph = ((ph << 1) | carry) & mask
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
        if score <= limit:
            found.append((j, score))
    return found


def _anchored_distance(peq: dict[str, int], m: int, text: str) -> tuple[int, int]:
    """``(edits, j)``: the fewest edits turning the pattern into a prefix ``text[:j]``.

    Of equally good prefixes the longest wins. Ties come from an edit at the quote's edge:
    "abcd" against "aXbcd" costs one edit as "Xbcd" (a substitution) or as "aXbcd" (an
    insertion); the reader selected from the "a", so the range should too.
    """
    best_j, fewest = 0, m
    for j, d in _myers(peq, m, text, m, anchored=True):
        if d <= fewest:
            best_j, fewest = j, d
    return fewest, best_j


def _search_windows(text: str, quote: str, k: int) -> list[tuple[int, int]]:
    """Disjoint slices of ``text`` that contain every match of ``quote`` with <= k errors.

    Pigeonhole filter: cut the quote into ``k + s`` pieces. An edit changes at most one piece,
    so a match with k edits contains at least ``s`` pieces verbatim, and each of them, found
    with ``str.find``, puts the match's start within k of the same place. Only where ``s``
    different pieces agree like that can a match be. Finding pieces in C is far cheaper than
    scanning all of ``text`` in Python; asking for several pieces rather than one (``s = 1``)
    discards the many places where one short piece occurs by chance.
    """
    m, n = len(quote), len(text)
    pieces = max(k + 2, m // _PIECE)
    if m // pieces < _MIN_PIECE:
        return [(0, n)]
    needed = pieces - k
    hits = []  # (where the match would start, piece number)
    for p in range(pieces):
        lo_q, hi_q = p * m // pieces, (p + 1) * m // pieces
        piece = quote[lo_q:hi_q]
        i = text.find(piece)
        while i != -1:
            hits.append((i - lo_q, p))
            i = text.find(piece, i + 1)
    hits.sort()
    windows: list[tuple[int, int]] = []
    # Two verbatim pieces of one match imply starts that differ by the insertions minus the
    # deletions between them: at most k. Slide a span of k over the sorted implied starts,
    # counting the distinct pieces in it.
    in_span: dict[int, int] = {}
    last = 0
    for start, number in hits:
        in_span[number] = in_span.get(number, 0) + 1
        while start - hits[last][0] > k:
            gone = hits[last][1]
            in_span[gone] -= 1
            if not in_span[gone]:
                del in_span[gone]
            last += 1
        if len(in_span) >= needed:
            # The true start is within k of each implied start, and the match ends at most
            # m + k after it: the k edits move each end of the match away from a piece.
            lo, hi = max(0, hits[last][0] - k), min(n, start + m + k)
            if windows and lo <= windows[-1][1]:
                windows[-1] = (windows[-1][0], max(windows[-1][1], hi))
            else:
                windows.append((lo, hi))
    return windows


def _approx_matches(text: str, quote: str, k: int) -> list[tuple[int, int, int]]:
    """``(start, end, errors)`` of each approximate occurrence with at most ``k`` errors."""
    m = len(quote)
    peq = _peq(quote)
    reverse_peq = _peq(quote[::-1])
    found = []
    for lo, hi in _search_windows(text, quote, k):
        # Around each true match, a run of neighbouring end positions is within k as well
        # (the match plus or minus a few characters); the run's best end is the match, the
        # last of equally good ends for the reason given in _anchored_distance.
        runs: list[tuple[int, int]] = []  # (errors, end) of each run's best end
        previous = -1
        for j, d in _myers(peq, m, text[lo:hi], k, anchored=False):
            if j != previous + 1 or not runs:
                runs.append((d, lo + j))
            elif d <= runs[-1][0]:
                runs[-1] = (d, lo + j)
            previous = j
        for errors, end in runs:
            # Myers gives only where a match ends; aligning the reversed quote backwards from
            # that end finds where it starts.
            window = text[max(0, end - m - k) : end][::-1]
            _, length = _anchored_distance(reverse_peq, m, window)
            found.append((end - length, end, errors))
    return found
