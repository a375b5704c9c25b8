"""The one walk that writes a block's HTML and plain text writes what the renderer would."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from reader_ext.text import document
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
    # And the blocks around them, rendered with the walk's HTML, as renderer.render does.
    rendered = {
        i: walk.walk(t.children)[0]
        for i, t in enumerate(tokens)
        if t.type == "inline" and t.children
    }
    assert document._render(renderer, tokens, md.options, env, rendered) == renderer.render(
        tokens, md.options, env
    )


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
