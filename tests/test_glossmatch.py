from __future__ import annotations

import random
import re
import sys
from array import array
from pathlib import Path

import pytest

from reader_ext.lessons.load import load_course
from reader_ext.text import glossscan
from reader_ext.text.folding import fold_typography
from reader_ext.text.glossmatch import SEPARATOR, GlossMatcher

LESSONS = Path(__file__).resolve().parents[1] / "lessons"


def spans(matcher: GlossMatcher, text: str) -> list[tuple[str, str]]:
    return [(m.key, text[m.start : m.end]) for m in matcher.find(text)]


def test_whole_words_case_insensitive() -> None:
    m = GlossMatcher([("eaeu", ["EAEU"])])
    assert spans(m, "eaeu, EAEU. EAEUs xEAEU") == [("eaeu", "eaeu"), ("eaeu", "EAEU")]


def test_longest_first_and_no_overlap() -> None:
    m = GlossMatcher([("a", ["strategic"]), ("b", ["strategic autonomy"]), ("c", ["autonomy"])])
    assert spans(m, "strategic autonomy; strategic; autonomy") == [
        ("b", "strategic autonomy"),
        ("a", "strategic"),
        ("c", "autonomy"),
    ]


def test_whitespace_in_form_matches_any_whitespace_but_not_none() -> None:
    m = GlossMatcher([("g", ["Global South"]), ("n", ["Neo-Realist"])])
    assert spans(m, "Global  South, Global\nSouth, GlobalSouth, Neo - Realist") == [
        ("g", "Global  South"),
        ("g", "Global\nSouth"),
    ]


def test_apostrophes_fold_and_unicode_words() -> None:
    m = GlossMatcher([("d", ["Delhi's"]), ("v", ["वसुधैव कुटुम्बकम्"])])
    text = "Delhi’s view: वसुधैव कुटुम्बकम् 🌏"
    assert spans(m, text) == [("d", "Delhi’s"), ("v", "वसुधैव कुटुम्बकम्")]


def test_empty_matcher_is_falsy_and_finds_nothing() -> None:
    m = GlossMatcher([("x", ["", "   "])])
    assert not m
    assert list(m.find("anything")) == []


def test_casefold_lengthens_and_positions_stay_in_the_text() -> None:
    m = GlossMatcher([("s", ["Strasse"]), ("f", ["finance"]), ("e", ["EU"])])
    text = "ﬁnance: Straße, STRASSE and straẞe; EU"
    assert spans(m, text) == [
        ("f", "ﬁnance"),
        ("s", "Straße"),
        ("s", "STRASSE"),
        ("s", "straẞe"),
        ("e", "EU"),
    ]


def test_characters_that_change_class_when_folded() -> None:
    # "İ" folds to "i" and a combining dot, which is not a word character: matched by tokens.
    m = GlossMatcher([("i", ["İstanbul"]), ("e", ["EU"])])
    assert spans(m, "İSTANBUL, İstanbul and EU") == [
        ("i", "İSTANBUL"),
        ("i", "İstanbul"),
        ("e", "EU"),
    ]
    # The same letters as three tokens ("i", the combining dot, "stanbul") are not the form.
    assert spans(m, "i\u0307stanbul and EU") == [("e", "EU")]
    # U+0345 is not a word character but folds to iota, which is.
    iota = GlossMatcher([("y", ["\u0345"])])
    assert spans(iota, "α ι") == [("y", "ι")]


def test_forms_starting_or_ending_with_punctuation() -> None:
    m = GlossMatcher([("n", [".NET"]), ("u", ["U.S."]), ("a", ["Army"]), ("s", ["'s"])])
    assert spans(m, "x.NET U.S.Army Delhi’s") == [
        ("n", ".NET"),
        ("u", "U.S."),
        ("a", "Army"),
        ("s", "’s"),
    ]
    only_words = GlossMatcher([("u", ["U.S."]), ("a", ["Army"])])
    assert spans(only_words, "U.S.Army, U.S. Army") == [
        ("u", "U.S."),
        ("a", "Army"),
        ("u", "U.S."),
        ("a", "Army"),
    ]


def test_same_tokens_first_given_wins() -> None:
    m = GlossMatcher([("a", ["Global  South"]), ("b", ["global south"]), ("c", ["Global"])])
    assert spans(m, "GLOBAL SOUTH, global") == [("a", "GLOBAL SOUTH"), ("c", "global")]


# The property tests below compare GlossMatcher with this reference: the definition of a match,
# applied token by token (it was the matcher until the forms were compiled into one expression).
_TOKEN = re.compile(r"\w+|[^\w\s]")
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2010": "-", "\u2011": "-"})


def _fold(token: str) -> str:
    return token.translate(_FOLD).casefold()


def reference(forms: list[tuple[str, list[str]]], text: str) -> list[tuple[str, int, int]]:
    index: dict[str, list[tuple[str, tuple[str, ...], tuple[bool, ...]]]] = {}
    for key, key_forms in forms:
        for written in key_forms:
            found = list(_TOKEN.finditer(written))
            if found:
                folded = tuple(_fold(m.group()) for m in found)
                spaced = tuple(found[j].start() > found[j - 1].end() for j in range(1, len(found)))
                index.setdefault(folded[0], []).append((key, folded, spaced))
    for candidates in index.values():
        candidates.sort(key=lambda f: len(f[1]), reverse=True)
    tokens = [(m.start(), m.end(), _fold(m.group())) for m in _TOKEN.finditer(text)]
    out = []
    i = 0
    while i < len(tokens):
        for key, form, spaced in index.get(tokens[i][2], ()):
            n = len(form)
            if i + n <= len(tokens) and all(
                tokens[i + j][2] == form[j]
                and (tokens[i + j][0] > tokens[i + j - 1][1]) == spaced[j - 1]
                for j in range(1, n)
            ):
                out.append((key, tokens[i][0], tokens[i + n - 1][1]))
                i += n
                break
        else:
            i += 1
    return out


def found(forms: list[tuple[str, list[str]]], text: str) -> list[tuple[str, int, int]]:
    return [(m.key, m.start, m.end) for m in GlossMatcher(forms).find(text)]


def test_same_as_reference_on_the_real_reading() -> None:
    glossary = load_course(LESSONS).modules[0].glossary
    forms = [(g.key, list(g.match)) for g in glossary]
    reading = (LESSONS / "shared" / "reading.md").read_text(encoding="utf-8")
    variants = [reading, reading.upper(), reading.replace(" ", "\n"), reading.replace("'", "’")]
    for text in variants + reading.split("\n\n"):
        assert found(forms, text) == reference(forms, text)
    assert len(reference(forms, reading)) > 100


_ASCII_WORDS = ["eu", "EU", "eurasia", "neo", "Realist", "x", "x1", "_", "s", "the", "South"]
_PUNCTUATION = ["'", "’", "‘", "-", "‐", "‑", ".", ",", "("]
_SPACES = [" ", " ", " ", "  ", "\n", "\t", " \n "]
# Characters that fold longer; that fold into a non-word character ("İ" → "i" + U+0307); and
# U+0345, a combining mark (not a word character) that folds to "ι" (a word character).
_LONGER_WORDS = ["Straße", "strasse", "STRAẞE", "ﬁnal", "final", "ΣΟΦΊΑ", "σοφίας", "ſ"]
_ODD_WORDS = ["İstanbul", "i̇stanbul", "ᾳ", "αι", "ΐ"]
_YPOGEGRAMMENI = "\u0345"


def _random_case(rng: random.Random) -> tuple[list[tuple[str, list[str]]], str]:
    words = list(_ASCII_WORDS)
    punctuation = list(_PUNCTUATION)
    if rng.random() < 0.4:
        words += _LONGER_WORDS
    if rng.random() < 0.15:
        words += _ODD_WORDS
    if rng.random() < 0.15:
        words += ["ι", "α"]
        punctuation.append(_YPOGEGRAMMENI)

    def tokens(n: int, punct_first: bool) -> str:
        out = []
        for j in range(n):
            if j:
                out.append(rng.choice(_SPACES) if rng.random() < 0.6 else "")
            pool = punctuation if (j == 0 and punct_first) or rng.random() < 0.2 else words
            out.append(rng.choice(pool))
        return "".join(out)

    punct_first = rng.random() < 0.3
    forms = [
        (f"k{k}", [tokens(rng.randint(1, 4), punct_first and rng.random() < 0.3)])
        for k in range(rng.randint(1, 12))
    ]
    text = tokens(rng.randint(0, 80), False)
    # Put forms in the text, with their white space changed, so that long forms match too.
    for _ in range(rng.randint(0, 6)):
        form = rng.choice(forms)[1][0]
        form = re.sub(r"\s+", lambda _: rng.choice(_SPACES), form)
        at = rng.randint(0, len(text))
        text = text[:at] + rng.choice(["", " "]) + form + rng.choice(["", " ", "x"]) + text[at:]
    return forms, text


def test_same_as_reference_on_random_texts_and_forms() -> None:
    rng = random.Random(20241129)
    matched = 0
    for _ in range(2000):
        forms, text = _random_case(rng)
        expected = reference(forms, text)
        assert found(forms, text) == expected, (forms, text)
        matched += len(expected)
    assert matched > 2000  # the cases do exercise matching


def test_characters_of_other_planes_do_not_fold() -> None:
    # The matcher looks for unusual characters in planes 0 and 1 only.
    codes = array("I", range(0x20000, 0x110000))
    text = codes.tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be")
    assert text.casefold() == text


Spans = list[tuple[str, int, int]]


def _joined(found: list[Spans], texts: list[str]) -> Spans:
    """Each text's matches as offsets into the texts joined by the separator."""
    out: Spans = []
    at = 0
    for matches, text in zip(found, texts, strict=True):
        out += [(key, at + start, at + end) for key, start, end in matches]
        at += len(text) + len(SEPARATOR)
    return out


def test_find_joined_is_find_on_each_text() -> None:
    # One search over texts joined by a separator finds in each exactly what the reference
    # finds in it alone: no match crosses from one text into the next, none is lost at an edge.
    rng = random.Random(20261201)
    matched = 0
    for _ in range(1000):
        forms, text = _random_case(rng)
        cuts = sorted(rng.sample(range(len(text) + 1), min(len(text) + 1, rng.randint(0, 6))))
        texts = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
        expected = _joined([reference(forms, t) for t in texts], texts)
        assert GlossMatcher(forms).find_joined(texts) == expected, (forms, texts)
        matched += len(expected)
    assert matched > 1000


def test_find_joined_with_the_separator_in_a_text_or_a_form() -> None:
    # A text or a form holding the separator (NUL) is searched alone; case-sensitive forms too.
    m = GlossMatcher([("eu", ["EU"]), ("nul", ["a\x00b"])], case_sensitive=["eu"])
    texts = ["the EU", "a\x00b", "", "eu EU.", "x"]
    each = [[(t.key, t.start, t.end) for t in m.find(s)] for s in texts]
    assert m.find_joined(texts) == _joined(each, texts)
    assert ("nul", 7, 10) in m.find_joined(texts)
    plain = GlossMatcher([("eu", ["EU"]), ("un", ["UN"])], case_sensitive=["eu"])
    texts = ["EU\x00UN", "UN EU", "eu"]
    assert plain.find_joined(texts) == [("eu", 0, 2), ("un", 3, 5), ("un", 6, 8), ("eu", 9, 11)]
    assert plain.find_joined([]) == []


@pytest.fixture
def scan_all(monkeypatch: pytest.MonkeyPatch) -> None:
    """Texts of any length go through the automaton (glossscan), not only long ones."""
    monkeypatch.setattr(glossscan, "SCAN_FROM", 0)


@pytest.mark.usefixtures("scan_all")
def test_the_automaton_finds_what_the_reference_finds() -> None:
    rng = random.Random(20261202)
    scanned = 0
    spaces = ["  ", "\t", " \n ", "\r\n", "   ", "\x0c"]
    for _ in range(2000):
        forms, text = _random_case(rng)
        text = re.sub(" ", lambda _: rng.choice(spaces) if rng.random() < 0.1 else " ", text)
        if rng.random() < 0.1:
            text = text.replace(" ", "\x00", 1)  # a non-word character of its own
        scanned += fold_typography(text).isascii()  # what the automaton takes
        assert found(forms, text) == reference(forms, text), (forms, text)
    assert scanned > 500
    for text in ("a\x01eu b", "eu\x7feu"):  # control characters: left to the expression
        assert found([("k", ["eu"])], text) == reference([("k", ["eu"])], text)


@pytest.mark.usefixtures("scan_all")
def test_the_automaton_on_the_real_reading_and_joined_runs() -> None:
    glossary = load_course(LESSONS).modules[0].glossary
    forms = [(g.key, list(g.match)) for g in glossary]
    reading = (LESSONS / "shared" / "reading.md").read_text(encoding="utf-8")
    variants = [reading, reading.upper(), reading.replace(" ", "  \n"), reading.replace("'", "’")]
    for text in variants:
        assert found(forms, text) == reference(forms, text)
    paragraphs = reading.split("\n\n")
    expected = _joined([reference(forms, p) for p in paragraphs], paragraphs)
    assert GlossMatcher(forms).find_joined(paragraphs) == expected
