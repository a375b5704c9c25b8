"""The one walk that writes a block's HTML and plain text writes what the renderer would."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import pytest
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from reader_ext.text import document
from reader_ext.text.images import Images
from reader_ext.text.inlinewalk import InlineWalk
from reader_ext.text.safe_html import AllowListRenderer
from tests.test_safe_html import CASES, MATCHER


def _inlines(tokens: Sequence[Token]) -> list[list[Token]]:
    return [t.children for t in tokens if t.type == "inline" and t.children]


@pytest.mark.parametrize("source", CASES)
def test_walk_writes_what_the_renderer_writes(source: str) -> None:
    # The sample of every construct, every reading of the course and the XSS corpus.
    md = document.make_parser(MATCHER, first={"eaeu": "section"})
    env: dict[str, Any] = {}
    tokens = md.parse(source, env)
    renderer = md.renderer
    assert isinstance(renderer, AllowListRenderer)
    walk = InlineWalk(renderer, md.options, env)
    for children in _inlines(tokens):
        html, _, _ = walk.walk(children)
        assert html == renderer.renderInline(children, md.options, env)


@pytest.mark.parametrize("numbered", [False, True])
@pytest.mark.parametrize("source", CASES)
def test_the_document_writes_what_the_renderer_writes(source: str, numbered: bool) -> None:
    # build_document writes the blocks around the walks' HTML itself (leaf tags without their
    # attributes on the tokens): the same as markdown-it's renderer given those attributes.
    first = {"eaeu": "section"}
    doc = document.build_document(source, MATCHER, first=first, numbered=numbered)
    md = document.make_parser(MATCHER, first=first)
    env: dict[str, Any] = {}
    if "[^" in source:
        digest = hashlib.sha1(source.encode("utf-8"), usedforsecurity=False).hexdigest()
        env["footnote_prefix"] = f"ar-fn-{digest[:8]}-"
    tokens = md.parse(source, env)
    leaves = [
        (i, t)
        for i, t in enumerate(tokens)
        if t.type in ("fence", "code_block")
        or (t.type in ("paragraph_open", "heading_open") and tokens[i + 1].type == "inline")
    ]
    for (i, token), block in zip(leaves, doc.blocks, strict=True):
        token.attrSet("data-block", block.id)
        if numbered and block.number:
            token.attrSet("data-para", str(block.number))
        if token.hidden:  # a tight list's paragraph
            token.hidden = tokens[i + 2].hidden = False
        if token.type != "fence" and token.type != "code_block":
            Images(None).resolve(tokens[i + 1].children or [], 1)
    assert md.renderer.render(tokens, md.options, env) == doc.html


def test_walk_gives_the_text_a_browser_shows_and_where_glosses_lie() -> None:
    md = document.make_parser(MATCHER)
    tokens = md.parse(
        "An *EAEU* and [the Union]{gloss=eaeu}, `A&B` [...]\nnext[^1].\n\n[^1]: n", {}
    )
    assert isinstance(md.renderer, AllowListRenderer)
    walk = InlineWalk(md.renderer, md.options, {})
    html, text, found = walk.walk(_inlines(tokens)[0])
    assert text == "An EAEU and the Union, A&B [...]\nnext[1]."
    assert found == [("eaeu", 3, 7, False), ("eaeu", 12, 21, True)]
    assert '<span class="ar-gloss" data-gloss="eaeu">EAEU</span>' in html
    assert "<code>A&amp;B</code>" in html


def test_a_rule_of_its_own_is_used_not_the_walks_shortcut() -> None:
    # A renderer rule for emphasis replaces what the walk would write for it itself, and the
    # allow-list renderer, which cannot vouch for the rule, sends the document through nh3.
    def loud(
        self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return "<strong>" if tokens[idx].nesting == 1 else "</strong>"

    md = document.make_parser(None)
    md.add_render_rule("em_open", loud)
    md.add_render_rule("em_close", loud)
    renderer = md.renderer
    assert isinstance(renderer, AllowListRenderer)
    renderer.begin()
    walk = InlineWalk(renderer, md.options, {})
    html, text, _ = walk.walk(_inlines(md.parse("a *b* c", {}))[0])
    assert (html, text) == ("a <strong>b</strong> c", "a b c")
    assert renderer.unsafe == ["em_open", "em_close"]
