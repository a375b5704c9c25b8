"""Finding glossary terms in plain text: pure logic, no markdown-it.

Terms are matched on whole words, case-insensitively, longest form first, with curly and straight
apostrophes treated alike. Rather than one huge regular-expression alternation (which Python
tries branch by branch at every position, so a 300-term glossary over a long reading gets slow),
the text is split into word and punctuation tokens once and each token looks up the forms that
start with it in a dictionary: the cost is linear in the text, whatever the glossary's size.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+|[^\w\s]")
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2010": "-", "\u2011": "-"})


def _fold(token: str) -> str:
    return token.translate(_FOLD).casefold()


@dataclass(frozen=True, slots=True)
class _Form:
    key: str
    tokens: tuple[str, ...]
    # For each gap between consecutive tokens: True if the form has white space there.
    spaced: tuple[bool, ...]


@dataclass(frozen=True, slots=True)
class TermMatch:
    """One occurrence of a glossary form in a text: ``text[start:end]`` glossed by ``key``."""

    key: str
    start: int
    end: int


class GlossMatcher:
    """Finds occurrences of many glossary forms in text.

    ``forms`` maps each gloss key to the forms of its term that may occur in the text.
    """

    def __init__(self, forms: Iterable[tuple[str, Iterable[str]]]) -> None:
        index: dict[str, list[_Form]] = {}
        for key, key_forms in forms:
            for form in key_forms:
                parsed = _parse_form(key, form)
                if parsed is not None:
                    index.setdefault(parsed.tokens[0], []).append(parsed)
        for candidates in index.values():
            candidates.sort(key=lambda f: len(f.tokens), reverse=True)
        self._index = index

    def __bool__(self) -> bool:
        return bool(self._index)

    def find(self, text: str) -> Iterator[TermMatch]:
        """Yield non-overlapping matches in text order, the longest form winning at each place."""
        if not self._index:
            return
        tokens = [(m.start(), m.end(), _fold(m.group())) for m in _TOKEN.finditer(text)]
        i = 0
        while i < len(tokens):
            form = self._match_at(tokens, i, text)
            if form is None:
                i += 1
                continue
            last = i + len(form.tokens) - 1
            yield TermMatch(form.key, tokens[i][0], tokens[last][1])
            i = last + 1

    def _match_at(self, tokens: list[tuple[int, int, str]], i: int, text: str) -> _Form | None:
        for form in self._index.get(tokens[i][2], ()):
            n = len(form.tokens)
            if i + n > len(tokens):
                continue
            if all(tokens[i + j][2] == form.tokens[j] for j in range(1, n)) and all(
                (tokens[i + j][0] > tokens[i + j - 1][1]) == form.spaced[j - 1] for j in range(1, n)
            ):
                return form
        return None


def _parse_form(key: str, form: str) -> _Form | None:
    found = list(_TOKEN.finditer(form))
    if not found:
        return None
    tokens = tuple(_fold(m.group()) for m in found)
    spaced = tuple(found[j].start() > found[j - 1].end() for j in range(1, len(found)))
    return _Form(key, tokens, spaced)
