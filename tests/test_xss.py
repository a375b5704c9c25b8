"""Hostile text never becomes markup: the payload corpus through every renderer we have."""

from __future__ import annotations

import pytest

from reader_ext.text.document import build_document
from reader_ext.text.glossmatch import GlossMatcher
from reader_ext.text.markup import render_markdown, render_plain
from tests.xss import dangers, payloads

PAYLOADS = payloads()


def test_corpus_is_large_enough() -> None:
    assert len(PAYLOADS) >= 50


def test_checker_sees_danger() -> None:
    for raw in ('<img src=x onerror="a()">', '<a href=" java\tscript:x">', "<script></script>"):
        assert dangers(raw), raw


@pytest.mark.parametrize("payload", PAYLOADS)
def test_note_markdown_is_safe(payload: str) -> None:
    html = render_markdown(payload)
    assert dangers(html) == [], html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_verbatim_comment_text_is_safe(payload: str) -> None:
    html = render_plain(payload)
    assert dangers(html) == [], html
    assert "<" not in html.replace("<p>", "").replace("</p>", "").replace("<br />", "")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_lesson_reading_is_safe(payload: str) -> None:
    doc = build_document(f"Before {payload} after EAEU.", GlossMatcher([("eaeu", ["EAEU"])]))
    assert dangers(doc.html) == [], doc.html
