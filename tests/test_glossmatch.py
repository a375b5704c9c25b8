from __future__ import annotations

from reader_ext.glossmatch import GlossMatcher


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
