"""The markdown-it-py gloss plugin: marks glossary terms in a reading's inline text.

Two ways a term gets glossed:

* automatically: every text run outside links, code and explicit glosses is searched with a
  :class:`~reader_ext.glossmatch.GlossMatcher` after inline parsing;
* explicitly, for the rare ambiguous place: ``[the Union]{gloss=eaeu}``.

Both produce ``gloss_open`` / ``gloss_close`` tokens whose ``meta["key"]`` names the entry; they
render as ``<span class="ar-gloss" data-gloss="KEY">``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkLabel
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from reader_ext.glossmatch import GlossMatcher

_EXPLICIT_TAIL = re.compile(r"\]\{gloss=([a-z0-9][a-z0-9-]*)\}")


def gloss_plugin(md: MarkdownIt, *, matcher: GlossMatcher | None = None) -> None:
    """Register the explicit-gloss inline rule, the automatic core rule and their renderers."""
    md.inline.ruler.before("link", "gloss_explicit", _explicit_gloss)
    if matcher:
        found = matcher

        def auto(state: StateCore) -> None:
            _auto_gloss(state, found)

        md.core.ruler.push("gloss_auto", auto)
    md.add_render_rule("gloss_open", _render_open)
    md.add_render_rule("gloss_close", _render_close)


def _explicit_gloss(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if state.src[start] != "[":
        return False
    label_end = parseLinkLabel(state, start, True)
    if label_end < 0:
        return False
    tail = _EXPLICIT_TAIL.match(state.src, label_end)
    if tail is None:
        return False
    if not silent:
        opener = state.push("gloss_open", "span", 1)
        opener.meta = {"key": tail.group(1), "explicit": True}
        old_max = state.posMax
        state.pos, state.posMax = start + 1, label_end
        state.md.inline.tokenize(state)
        state.posMax = old_max
        state.push("gloss_close", "span", -1)
    state.pos = tail.end()
    return True


def _auto_gloss(state: StateCore, matcher: GlossMatcher) -> None:
    for block in state.tokens:
        if block.type == "inline" and block.children:
            block.children = _split_children(block.children, matcher)


def _split_children(children: list[Token], matcher: GlossMatcher) -> list[Token]:
    out: list[Token] = []
    # Links and explicit glosses nest; a term inside either is left alone.
    depth = 0
    for child in children:
        if child.type in ("link_open", "gloss_open"):
            depth += 1
        elif child.type in ("link_close", "gloss_close"):
            depth -= 1
        if child.type != "text" or depth > 0:
            out.append(child)
            continue
        out.extend(_gloss_text(child, matcher))
    return out


def _gloss_text(token: Token, matcher: GlossMatcher) -> list[Token]:
    content = token.content
    pieces: list[Token] = []
    pos = 0
    for match in matcher.find(content):
        if match.start > pos:
            pieces.append(_text(content[pos : match.start]))
        opener = Token("gloss_open", "span", 1)
        opener.meta = {"key": match.key, "explicit": False}
        pieces += [opener, _text(content[match.start : match.end])]
        pieces.append(Token("gloss_close", "span", -1))
        pos = match.end
    if not pieces:
        return [token]
    if pos < len(content):
        pieces.append(_text(content[pos:]))
    return pieces


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _render_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    key = str(tokens[idx].meta["key"])
    return f'<span class="ar-gloss" data-gloss="{key}">'


def _render_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return "</span>"
