"""Finding glossary terms in plain text: pure logic, no markdown-it.

Terms are matched on whole words, case-insensitively (``str.casefold``), longest form first, with
curly and straight apostrophes, and the Unicode hyphens and ``-``, treated alike; white space in
a form matches any run of white space, and no white space matches none. Precisely: text and form
are split into word (``\\w+``) and punctuation tokens, and a form matches where its folded tokens
equal the text's, with white space between the same tokens. ``_TokenIndex`` does exactly that.

Doing it token by token in Python costs a dictionary look-up and a few comparisons per word of
the text, which made glossing eight times dearer than rendering. So the forms are compiled, once
per glossary, into one regular expression shaped like a trie: forms sharing a beginning share a
branch, and the engine decides in C, a character at a time, which form can still match. It runs
over the folded text. What keeps the result identical to the token definition:

- A word form must start a word. The expression consumes the non-word character before the form
  (``\\W``, the folded text being padded with a space), so the engine can skip from one non-word
  character to the next without trying the trie inside words; that is faster than a look-behind
  or ``\\b``, which are tried at every character. If some form starts with punctuation, which
  may follow a word directly, ``\\b`` is used instead.
- A form ending in a word character must end the word: ``(?!\\w)``.
- At each node of the trie the continuations are tried before the end of a shorter form, and at
  most one continuation can match a given character, so the first match is the longest form.
- Casefolding lengthens a few characters ("ß" → "ss"); positions in the folded text are mapped
  back to the text. A handful change class ("İ" folds to "i" and a combining dot, which is not a
  word character), which would move token boundaries: a text containing one is matched token
  by token.
"""

from __future__ import annotations

import functools
import re
import sys
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from reader_ext.text.folding import fold_typography
from reader_ext.text.glossscan import Scanner

_TOKEN = re.compile(r"\w+|[^\w\s]")
_WORD = re.compile(r"\w")
_SPACE = re.compile(r"\s")
_SPACE_RUN = re.compile(r"\s+")
# Joins the texts of one search (GlossMatcher.find_joined): not a word character, not white
# space (which a form's gap would cross), and in no form, so no match crosses it; markdown-it
# turns it into U+FFFD, so no reading holds it.
SEPARATOR = "\x00"
_GAP = " "  # the trie's atom for white space between two tokens (a form token has none)

# How a character folds: into one character of its own class (word, space, other), into
# several word characters (it is a word character), or otherwise.
_SIMPLE, _LONGER, _ODD = 0, 1, 2

# A trie node: each atom (a character, or _GAP) leads to a node; None marks the end of a form.
_Trie = dict[str | None, Any]


def _fold(text: str) -> str:
    # Nothing casefolds into a typographic variant, and the variants fold to characters that
    # casefold to themselves, so the order does not matter. Folding them first often leaves
    # ASCII (a reading whose only non-ASCII characters are curly quotes and dashes), which
    # lower() casefolds ten times faster than casefold() does.
    plain = fold_typography(text)
    return plain.lower() if plain.isascii() else plain.casefold()


def _fold_marks(text: str) -> str:
    """Only the typographic variants of :func:`_fold`: for case-sensitive forms."""
    return fold_typography(text)


@dataclass(frozen=True, slots=True)
class TermMatch:
    """One occurrence of a glossary form in a text: ``text[start:end]`` glossed by ``key``."""

    key: str
    start: int
    end: int


class GlossMatcher:
    """Finds occurrences of many glossary forms in text.

    ``forms`` maps each gloss key to the forms of its term that may occur in the text. Matchers
    built from the same forms share one compiled expression. The forms of the keys in
    ``case_sensitive`` match only with the same capitals (``Providence`` but not
    ``providence``); apostrophes and hyphens are still treated alike.
    """

    def __init__(
        self,
        forms: Iterable[tuple[str, Iterable[str]]],
        *,
        case_sensitive: Iterable[str] = (),
    ) -> None:
        exact = frozenset(case_sensitive)
        given = tuple((key, tuple(key_forms)) for key, key_forms in forms)
        self._compiled = _compile(tuple(f for f in given if f[0] not in exact))
        self._exact = (
            _compile(tuple(f for f in given if f[0] in exact), exact=True) if exact else None
        )
        self._separable = not any(SEPARATOR in form for _, forms in given for form in forms)

    def __bool__(self) -> bool:
        return bool(self._compiled.tokens) or bool(self._exact and self._exact.tokens)

    def find(self, text: str) -> Iterator[TermMatch]:
        """Yield non-overlapping matches in text order, the longest form winning at each place."""
        for key, start, end in self._spans(text):
            yield TermMatch(key, start, end)

    def find_joined(self, texts: Sequence[str]) -> list[tuple[str, int, int]]:
        """What :meth:`find` finds in each text, as ``(key, start, end)`` offsets into
        ``SEPARATOR.join(texts)``, in text order.

        One search over all the texts, joined by a character no match can cross: a reading's
        thousand runs of text cost one pass of the expression instead of a thousand calls.
        """
        joined = SEPARATOR.join(texts)
        if self._separable and joined.count(SEPARATOR) == len(texts) - 1:
            return self._spans(joined)
        found: list[tuple[str, int, int]] = []  # a form or a text holds the separator itself
        at = 0
        for text in texts:
            found += [(key, at + start, at + end) for key, start, end in self._spans(text)]
            at += len(text) + len(SEPARATOR)
        return found

    def _spans(self, text: str) -> list[tuple[str, int, int]]:
        if self._exact is None:
            return _find_folded(self._compiled, text)
        # Two sets of forms: merged leftmost first, then longest, a case-sensitive form winning
        # a tie (it says more about the place than a form that ignores case).
        found = sorted(
            [
                *((m, 0) for m in _find_exact(self._exact, text)),
                *((m, 1) for m in _find_folded(self._compiled, text)),
            ],
            key=lambda item: (item[0][1], item[0][1] - item[0][2], item[1]),
        )
        merged: list[tuple[str, int, int]] = []
        end = -1
        for match, _ in found:
            if match[1] >= end:
                merged.append(match)
                end = match[2]
        return merged


def _find_exact(compiled: _Compiled, text: str) -> Iterator[tuple[str, int, int]]:
    if compiled.pattern is None:
        return
    # Only apostrophes and hyphens are folded: the text keeps its length and its token bounds.
    padded = " " + (text if text.isascii() else _fold_marks(text))
    found_all = (
        _search_overlapping(compiled.pattern, padded)
        if compiled.overlap
        else compiled.pattern.finditer(padded)
    )
    for found in found_all:
        start, end = found.span(1)
        matched = found.group(1)
        key = compiled.keys.get(matched) or compiled.keys[_SPACE_RUN.sub(" ", matched)]
        yield key, start - 1, end - 1


def _find_folded(compiled: _Compiled, text: str) -> list[tuple[str, int, int]]:
    # A list, not a generator: a long reading has thousands of matches.
    if not compiled.tokens:
        return []
    folded = text.lower() if text.isascii() else _fold(text)  # the same, for ASCII
    to_text: Callable[[int], int] | None = None
    if len(folded) != len(text) or (not text.isascii() and _odd_in(text)):
        unusual = set(_unusual().findall(text))
        if any(_char_kind(char) == _ODD for char in unusual):
            return [(match.key, match.start, match.end) for match in compiled.tokens.find(text)]
        to_text = _position_map(text, unusual)
    if compiled.pattern is None:
        return []
    padded = " " + folded
    scanned = compiled.scanner.scan(padded) if compiled.scanner else None
    if scanned is not None:
        if to_text is None:
            return scanned
        return [(term, to_text(a), to_text(b)) for term, a, b in scanned]
    if compiled.overlap:
        found_all = _search_overlapping(compiled.pattern, padded)
    else:
        found_all = compiled.pattern.finditer(padded)
    keys = compiled.keys
    spans: list[tuple[str, int, int]] = []
    for found in found_all:
        start, end = found.span(1)
        matched = found.group(1)
        key = keys.get(matched)
        if key is None:
            key = keys[_SPACE_RUN.sub(" ", matched)]
        if to_text is None:
            spans.append((key, start - 1, end - 1))
        else:
            spans.append((key, to_text(start - 1), to_text(end - 1)))
    return spans


def _search_overlapping(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Like ``finditer``, but each search starts on the last character of the previous match."""
    pos = 0
    while (found := pattern.search(text, pos)) is not None:
        yield found
        pos = found.end() - 1


@dataclass(frozen=True, slots=True)
class _Compiled:
    # The trie expression over " " + the folded text, its group 1 being the form (None if no
    # form can match that way), and the key of each form it matches, by the form's folded text
    # with white space as one " ".
    pattern: re.Pattern[str] | None
    keys: dict[str, str]
    # True if the expression consumes the non-word character before a form and some form ends
    # in one: then a match may need the last character of the previous one.
    overlap: bool
    # Every form, token by token: the definition, and the matcher for texts with odd characters.
    tokens: _TokenIndex
    # The same matches in long texts, by an automaton (glossscan); None for case-sensitive forms.
    scanner: Scanner | None = None


@functools.lru_cache(maxsize=32)
def _compile(forms: tuple[tuple[str, tuple[str, ...]], ...], *, exact: bool = False) -> _Compiled:
    tokens = _TokenIndex(_fold_marks if exact else _fold)
    keys: dict[str, str] = {}
    words: _Trie = {}  # forms starting with a word character
    others: _Trie = {}  # forms starting with punctuation
    for key, key_forms in forms:
        for form in key_forms:
            parsed = tokens.add(key, form)
            if not parsed:
                continue
            signature = "".join((_GAP if spaced else "") + token for token, spaced in parsed)
            if _split(signature) != parsed:
                # Folding made two tokens one or one two (a form with an odd character, such
                # as "İ"): the folded text of a text without odd characters splits as its
                # tokens do, so only a text with one, which is matched by tokens, can match.
                continue
            if signature in keys:
                continue  # an earlier form with the same tokens wins, as in the token index
            keys[signature] = key
            node = words if _WORD.match(signature) else others
            for char in signature:
                node = node.setdefault(char, {})
            node[None] = {}
    if not keys:
        return _Compiled(None, keys, False, tokens)
    scanner = None if exact else Scanner(keys)
    if others:
        pattern = rf"(\b{_emit(words)}|{_emit(others)})" if words else f"({_emit(others)})"
        return _Compiled(re.compile(pattern), keys, False, tokens, scanner)
    overlap = any(not _WORD.match(signature[-1]) for signature in keys)
    return _Compiled(re.compile(rf"\W({_emit(words)})"), keys, overlap, tokens, scanner)


def _emit(node: _Trie, last: str = "") -> str:
    """The expression for a trie node reached by ``last``: its continuations, then an end."""
    branches = [
        (r"\s+" if atom == _GAP else re.escape(atom)) + _emit(child, atom)
        for atom, child in node.items()
        if atom is not None
    ]
    if None in node:
        branches.append(r"(?!\w)" if _WORD.match(last) else "")
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


@functools.cache
def _char_kind(char: str) -> int:
    folded = _fold(char)
    if len(folded) == 1 and _class(folded) == _class(char):
        return _SIMPLE
    if _class(char) == "w" and all(_class(c) == "w" for c in folded):
        return _LONGER
    return _ODD


def _class(char: str) -> str:
    return "w" if _WORD.match(char) else "s" if _SPACE.match(char) else "o"


def _odd_in(text: str) -> bool:
    """Whether ``text`` holds a character that folds to one character of another class."""
    return any(char in text for char in _odd_same_length())


@functools.cache
def _odd_same_length() -> tuple[str, ...]:
    return tuple(c for c in _unusual_chars() if _char_kind(c) == _ODD and len(_fold(c)) == 1)


@functools.cache
def _unusual() -> re.Pattern[str]:
    return re.compile("[" + "".join(map(re.escape, _unusual_chars())) + "]")


@functools.cache
def _unusual_chars() -> tuple[str, ...]:
    """Every character that does not fold to one character of its own class.

    Only planes 0 and 1 are scanned (about 10 ms, once): the others hold ideographs, tags and
    private use, which have no case.
    """
    codes = array("I", range(0x20000))
    codes[0xD800:0xE000] = array("I", [0x20]) * 0x800  # surrogates cannot be decoded
    chars = codes.tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be")
    return tuple(
        char
        for block in range(0, len(chars), 256)
        if (chunk := chars[block : block + 256]).casefold() != chunk
        for char in chunk
        if _char_kind(char) != _SIMPLE
    )


def _position_map(text: str, longer: set[str]) -> Callable[[int], int]:
    """Map positions in ``_fold(text)`` back to ``text``, where ``longer`` fold longer.

    Only token boundaries are mapped, and those never fall inside a lengthened character.
    """
    ends: list[int] = []  # where each lengthened character ends in the folded text
    shifts: list[int] = []  # how much longer the folded text is up to there
    shift = 0
    for found in re.finditer("|".join(map(re.escape, longer)), text):
        shift += len(_fold(found.group())) - 1
        ends.append(found.end() + shift)
        shifts.append(shift)

    def to_text(pos: int) -> int:
        i = bisect_right(ends, pos)
        return pos - shifts[i - 1] if i else pos

    return to_text


def _split(text: str) -> list[tuple[str, bool]]:
    """The tokens of ``text``, each with whether white space precedes it."""
    split: list[tuple[str, bool]] = []
    end = 0
    for found in _TOKEN.finditer(text):
        split.append((found.group(), bool(split) and found.start() > end))
        end = found.end()
    return split


@dataclass(frozen=True, slots=True)
class _Form:
    key: str
    tokens: tuple[str, ...]
    # For each gap between consecutive tokens: True if the form has white space there.
    spaced: tuple[bool, ...]


class _TokenIndex:
    """The forms by their first folded token: matching as defined, one text token at a time."""

    def __init__(self, fold: Callable[[str], str] = _fold) -> None:
        self._index: dict[str, list[_Form]] = {}
        self._fold = fold

    def __bool__(self) -> bool:
        return bool(self._index)

    def add(self, key: str, form: str) -> list[tuple[str, bool]]:
        """Index ``form``; return its folded tokens, each with whether white space precedes it."""
        split = [(self._fold(token), spaced) for token, spaced in _split(form)]
        if not split:
            return split
        tokens = tuple(token for token, _ in split)
        spaced = tuple(spaced for _, spaced in split[1:])
        # Longest first; among forms of one length, the first given wins.
        candidates = self._index.setdefault(tokens[0], [])
        at = next((i for i, f in enumerate(candidates) if len(f.tokens) < len(tokens)), None)
        candidates.insert(len(candidates) if at is None else at, _Form(key, tokens, spaced))
        return split

    def find(self, text: str) -> Iterator[TermMatch]:
        tokens = [(m.start(), m.end(), self._fold(m.group())) for m in _TOKEN.finditer(text)]
        i = 0
        while i < len(tokens):
            form = self._match_at(tokens, i)
            if form is None:
                i += 1
                continue
            last = i + len(form.tokens) - 1
            yield TermMatch(form.key, tokens[i][0], tokens[last][1])
            i = last + 1

    def _match_at(self, tokens: list[tuple[int, int, str]], i: int) -> _Form | None:
        for form in self._index.get(tokens[i][2], ()):
            n = len(form.tokens)
            if i + n > len(tokens):
                continue
            if all(tokens[i + j][2] == form.tokens[j] for j in range(1, n)) and all(
                (tokens[i + j][0] > tokens[i + j - 1][1]) == form.spaced[j - 1] for j in range(1, n)
            ):
                return form
        return None
