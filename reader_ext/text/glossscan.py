"""Scanning a long folded text for glossary forms with an Aho–Corasick automaton.

:mod:`reader_ext.text.glossmatch` defines what a match is and finds it with one trie-shaped
regular expression over ``" " + folded text``. On a long reading that expression is tried at
every non-word character, about 150 ns each in ``re``; an automaton (``ahocorasick-rs``, in
Rust) reads the whole text once. :class:`Scanner` gives exactly the expression's matches:

- The text is ASCII (after folding, most English readings are: curly quotes and dashes fold to
  ASCII), so the automaton runs over its bytes and byte offsets are character offsets. Every
  white space character becomes a space, and a run of spaces one space (positions are mapped
  back), so a form's white space (one space in its signature) matches any run, as ``\\s+`` does.
- A form that starts with a word character must start a word: the automaton looks for it after
  each character that can precede a word (a space, ASCII punctuation but ``_``, a control
  character, or NUL, which joins the texts of one search), so it never reports one inside a
  word. Every such character that no form holds is one character to the automaton
  (``_OTHER``): to the expression it is a non-word character like any other, before a form or
  after one.
- A form that ends with a word character must end the word: checked on each candidate.
- Of the candidates, the leftmost start wins, then the longest form, and the next match starts
  where the last ended: what the expression's search does (its continuations come before the
  end of a shorter form).

Short texts stay with the expression (building the automaton costs more than it saves).
"""

from __future__ import annotations

import bisect
import re
import string

import ahocorasick_rs

# Below this length the expression is as quick, and the automaton is not built at all.
SCAN_FROM = 20_000
_WORD = re.compile(r"\w")
# ASCII non-word characters other than white space (which is folded into " ", see below):
# punctuation but "_", and the control characters.
_SPACES = ("\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")
_PUNCTUATION = "".join(
    c for c in map(chr, range(128)) if not re.match(r"\w", c) and c != " " and c not in _SPACES
)
# Stands, in the scanned bytes, for every punctuation character no form holds: the automaton
# then needs a pattern after each of " ", NUL and the forms' own punctuation, not after all 32
# (a seventh of the patterns, and a faster automaton). NUL itself, which joins the texts of one
# search, is such a character: in no form, so no match crosses it, and a word may follow it.
_OTHER = "\x00"
_SPACE_RUN = re.compile(" {2,}")
_WORD_BYTES = frozenset(ord(c) for c in string.ascii_letters + string.digits + "_")


class Scanner:
    """The matches of the forms (``signature -> key``, as glossmatch compiles them)."""

    def __init__(self, keys: dict[str, str]) -> None:
        self._keys = keys
        self._pattern_keys: list[str] = []
        self._offsets: list[int] = []  # where the form starts in the pattern (1 after a character)
        self._word_ends: list[bool] = []  # the form ends with a word character: must end a word
        self._automaton: ahocorasick_rs.BytesAhoCorasick | None = None
        # A form holding _OTHER itself would match any punctuation it stands for: such a
        # glossary (a NUL in a form) is left to the expression.
        self._scannable = not any(_OTHER in signature for signature in keys)
        used = {c for signature in keys for c in signature if c in _PUNCTUATION}
        other = "".join(c for c in _PUNCTUATION if c not in used)
        self._before = " " + _OTHER + "".join(sorted(used))
        self._table = bytes.maketrans(other.encode("ascii"), _OTHER.encode("ascii") * len(other))

    def _built(self) -> ahocorasick_rs.BytesAhoCorasick:
        if self._automaton is None:
            written: list[bytes] = []
            for signature, key in self._keys.items():
                word_end = bool(_WORD.match(signature[-1]))
                data = signature.encode("utf-8")
                if _WORD.match(signature):
                    written += [before.encode("ascii") + data for before in self._before]
                    self._pattern_keys += [key] * len(self._before)
                    self._offsets += [1] * len(self._before)
                    self._word_ends += [word_end] * len(self._before)
                else:
                    written.append(data)
                    self._pattern_keys.append(key)
                    self._offsets.append(0)
                    self._word_ends.append(word_end)
            self._automaton = ahocorasick_rs.BytesAhoCorasick(written)
        return self._automaton

    def scan(self, padded: str) -> list[tuple[str, int, int]] | None:
        """The forms in ``padded`` (a space, then the folded text), as the expression finds
        them: ``(key, start, end)`` offsets in the folded text (``padded`` without its space);
        None if this text is not for it."""
        if len(padded) < SCAN_FROM or not padded.isascii() or not self._scannable:
            return None
        text = padded
        for space in _SPACES:
            if space in text:
                text = text.replace(space, " ")
        starts: list[int] = []  # where each collapsed run starts in the collapsed text
        shifts: list[int] = []  # how many characters were taken out up to the end of it
        if "  " in text:
            pieces: list[str] = []
            taken = at = 0
            for run in _SPACE_RUN.finditer(text):
                pieces.append(text[at : run.start() + 1])
                starts.append(run.start() - taken)
                taken += run.end() - run.start() - 1
                shifts.append(taken)
                at = run.end()
            pieces.append(text[at:])
            text = "".join(pieces)
        data = text.encode("ascii").translate(self._table)
        size = len(data)
        hits = self._built().find_matches_as_indexes(data, overlapping=True)
        offsets, word_ends = self._offsets, self._word_ends
        # Hits come in the order of their ends, so of two at one start the later is longer.
        best: dict[int, tuple[int, int]] = {}
        for index, start, end in hits:
            if end < size and word_ends[index] and data[end] in _WORD_BYTES:
                continue
            best[start + offsets[index]] = (end, index)
        found: list[tuple[str, int, int]] = []
        keys = self._pattern_keys
        last = 0
        if starts:
            for start in sorted(best):
                if start >= last:
                    end, index = best[start]
                    last = end
                    begin, stop = _back(starts, shifts, start), _back(starts, shifts, end)
                    found.append((keys[index], begin - 1, stop - 1))
            return found
        for start in sorted(best):
            if start >= last:
                end, index = best[start]
                found.append((keys[index], start - 1, end - 1))
                last = end
        return found


def _back(starts: list[int], shifts: list[int], pos: int) -> int:
    """A position in the collapsed text, in the text before collapsing: a run's one space stands
    where the run started, and what follows it moves by what was taken out."""
    i = bisect.bisect_left(starts, pos)  # runs starting before pos
    return pos + shifts[i - 1] if i else pos
