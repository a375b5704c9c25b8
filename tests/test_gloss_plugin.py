"""The gloss plugin, driven by fixture cases of Markdown in and HTML out."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader_ext.text.document import make_parser
from reader_ext.text.glossmatch import GlossMatcher

FIXTURES = Path(__file__).parent / "fixtures" / "gloss"
FORMS = [
    ("eaeu", ["Eurasian Economic Union", "EAEU"]),
    ("risp", ["Russian-Indian Strategic Partnership"]),
    ("sp", ["strategic partnership"]),
    ("neo-realism", ["Neo-Realist"]),
    ("autonomy", ["strategic autonomy"]),
    ("india-s", ["India's"]),
]


def read_cases(path: Path) -> list[tuple[str, str, str]]:
    """Cases are: a title line, then '.'-separated input and expected output."""
    cases = []
    for chunk in path.read_text(encoding="utf-8").split("\n.\n\n"):
        title, source, expected = chunk.strip("\n").split("\n.\n")[:3]
        cases.append((title, source, expected.removesuffix("\n.")))
    return cases


CASES = read_cases(FIXTURES / "plugin_cases.txt")


@pytest.mark.parametrize(("title", "source", "expected"), CASES, ids=[c[0] for c in CASES])
def test_plugin_renders(title: str, source: str, expected: str) -> None:
    md = make_parser(GlossMatcher(FORMS))
    assert md.render(source).strip() == expected


def test_fixture_file_has_all_cases() -> None:
    assert len(CASES) == 12


def test_without_matcher_only_explicit_glosses() -> None:
    md = make_parser(None)
    html = md.render("EAEU and [this]{gloss=eaeu}")
    assert html.count("ar-gloss") == 1
