"""The document model: plain text, offsets, stable block ids, and safe HTML."""

from __future__ import annotations

import random

import pytest
from markdown_it.rules_core.normalize import normalize
from markdown_it.rules_core.state_core import StateCore

from reader_ext.text.document import build_document, make_parser
from reader_ext.text.glossmatch import GlossMatcher
from reader_ext.text.marks import holds
from reader_ext.text.markup import _normalize, new_parser, render_markdown, render_plain, sanitize
from tests.xss import dangers

MATCHER = GlossMatcher([("eaeu", ["EAEU"]), ("k", ["Kiev"])])


def test_text_is_blocks_joined_by_blank_line() -> None:
    doc = build_document("One *two*.\n\nThree  `four`\nfive.\n", MATCHER)
    assert doc.text == "One two.\n\nThree  four\nfive."
    assert [doc.text[b.start : b.end] for b in doc.blocks] == ["One two.", "Three  four\nfive."]


def test_occurrence_offsets_point_at_the_term() -> None:
    doc = build_document("The EAEU.\n\n> In Kiev, EAEU 🌏 EAEU.\n", MATCHER)
    assert [(o.key, doc.text[o.start : o.end]) for o in doc.occurrences] == [
        ("eaeu", "EAEU"),
        ("k", "Kiev"),
        ("eaeu", "EAEU"),
        ("eaeu", "EAEU"),
    ]
    # the emoji is one code point: offsets are code points, as Python counts
    last = doc.occurrences[-1]
    assert doc.text[last.start - 2 : last.start] == "🌏 "


def test_block_ids_are_stable_and_unique() -> None:
    a = build_document("Alpha.\n\nBeta.\n\nAlpha.\n")
    b = build_document("New first.\n\nAlpha.\n\nBeta.\n\nAlpha.\n")
    assert len({blk.id for blk in a.blocks}) == 3
    assert a.blocks[0].id == a.blocks[2].id.removesuffix("-2")
    assert [blk.id for blk in a.blocks] == [blk.id for blk in b.blocks[1:]]
    assert all(f'data-block="{blk.id}"' in a.html for blk in a.blocks)


def test_block_lines_and_tags() -> None:
    doc = build_document("# Head\n\npara\n\n- item one\n- item two\n")
    assert [(b.tag, b.line) for b in doc.blocks] == [("h1", 1), ("p", 3), ("p", 5), ("p", 6)]
    assert doc.html.count("data-block=") == 4  # tight-list paragraphs carry their ids


def test_text_hash_changes_with_text() -> None:
    assert build_document("a").text_hash != build_document("b").text_hash
    assert build_document("a").text_hash.startswith("sha256:")


def test_find_counts_every_occurrence() -> None:
    doc = build_document("aa aa\n\naa")
    assert doc.find("aa") == [0, 3, 7]
    assert doc.find("zz") == []


HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<a href="javascript:alert(1)">x</a>',
    "<style>body{display:none}</style>",
    '<div style="position:fixed">x</div>',
    "<iframe src=https://example.org></iframe>",
    '[x](https://example.org "title\\" onmouseover=\\"alert(1)")',
]


@pytest.mark.parametrize("source", HOSTILE)
def test_lesson_html_is_sanitised(source: str) -> None:
    html = build_document(source).html + render_markdown(source)
    assert dangers(html) == [], html


def test_sanitize_keeps_what_the_reader_needs() -> None:
    html = (
        '<p data-block="b-1"><span class="ar-gloss evil" data-gloss="k" onclick="x()">t</span></p>'
    )
    assert (
        sanitize(html) == '<p data-block="b-1"><span class="ar-gloss" data-gloss="k">t</span></p>'
    )


def test_links_get_safe_rel() -> None:
    assert 'rel="noopener noreferrer nofollow"' in render_markdown("[a](https://example.org)")


def test_render_plain_is_verbatim_text() -> None:
    text = 'Yeah, "quoted" <b>not bold</b> *not em*\n\nsecond'
    assert render_plain(text) == (
        '<p>Yeah, "quoted" &lt;b&gt;not bold&lt;/b&gt; *not em*</p><p>second</p>'
    )


_CONSTRUCTS = [
    "| a | b |\n| - | - |\n| 1 | 2 |\n",
    "Some ~~struck~~ text and a ~single~ tilde.\n",
    "A note.[^1]\n\n[^1]: The note, with **EAEU**.\n",
    "A reference to no note[^2] and [^x] alone.\n",
    "An omission [...] and another […] here, and [...](link) and [...]{gloss=eaeu}.\n",
    "An explicit [gloss]{gloss=eaeu} beside EAEU, and [a] {gloss=eaeu} that is not one.\n",
    "An image ![alt](a.png) and a bang! then [brackets].\n",
    "```\nfenced EAEU\n```\n\n~~~ py\ntilde fence\n~~~\n\n``not a fence`` but code\n",
    "> quoted EAEU\nlazy line\n\n>no space\n",
    "[ref]: https://example.org 'title'\n\nA [link][ref] and [ref] and [other][].\n",
    "Escaped \\*not em\\* and a hard\\\nbreak, &amp; &copy; &#32; &bogus;.\n",
    "Autolinks <https://a.example> and <a@b.c>, not <this>.\n",
    "Raw <b>html</b> and <!-- a comment -->\n\n<div>\nblock\n</div>\n",
    "Plain text with EAEU | ~ [ ^ ] { } ! > & < \\ ` : in it but no construct.\n",
]


@pytest.mark.parametrize("source", [*_CONSTRUCTS, "".join(_CONSTRUCTS)])
def test_parser_for_a_source_gives_the_same_tokens(source: str) -> None:
    # make_parser(source=...) leaves out the rules for constructs the source cannot hold.
    matcher = GlossMatcher([("eaeu", ["EAEU"])])
    whole = make_parser(matcher).parse(source, {})
    assert make_parser(matcher, source=source).parse(source, {}) == whole


def test_parser_for_a_plain_source_leaves_out_the_rules_it_cannot_use() -> None:
    active = make_parser(
        None, source="Plain text, [a link](x.md) and *emphasis*."
    ).get_active_rules()
    rules = {rule for chain in active.values() for rule in chain}
    assert not rules & {"table", "strikethrough", "footnote_ref", "editorial", "gloss_explicit"}
    assert not rules & {"fence", "blockquote", "reference", "escape", "image", "html_block"}
    assert {"link", "emphasis", "list", "heading"} <= rules


@pytest.mark.parametrize(
    "source", ["a\r\nb\rc\n\r\nd", "nul\x00 here\r\n\r\n\x00", "\r", "\x00", "plain\n\ntext"]
)
def test_line_endings_and_nul_are_normalised_as_markdown_it_does(source: str) -> None:
    ours, theirs = StateCore(source, new_parser(), {}), StateCore(source, new_parser(), {})
    _normalize(ours)
    normalize(theirs)
    assert ours.src == theirs.src
    whole = source + "\r\n\r\n" + "[x]{gloss=eaeu} and EAEU.\r\n"
    document = build_document(whole, MATCHER)
    assert document.text == build_document(whole.replace("\r\n", "\n"), MATCHER).text


def test_holds_is_in() -> None:
    rng = random.Random(7)
    for _ in range(1000):
        text = "".join(rng.choices("ab[.] ^", k=rng.randint(0, 5000)))
        mark = "".join(rng.choice("ab[.]^") for _ in range(rng.randint(1, 5)))
        assert holds(text, mark) == (mark in text), (text, mark)
