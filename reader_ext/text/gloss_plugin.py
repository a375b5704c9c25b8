"""The markdown-it-py gloss plugin: marks glossary terms in a reading's inline text.

Two ways a term gets glossed:

* automatically: every text run outside links, code and explicit glosses is searched with a
  :class:`~reader_ext.text.glossmatch.GlossMatcher` after inline parsing;
* explicitly, for the rare ambiguous place: ``[the Union]{gloss=eaeu}``.

An explicit gloss becomes ``gloss_open`` / ``gloss_close`` tokens whose ``meta["key"]`` names
the entry; automatic matches are listed on their text token as ``meta["glosses"]`` (key, start,
end). Both render as ``<span class="ar-gloss" data-gloss="KEY">``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.helpers import parseLinkLabel
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from reader_ext.text.glossmatch import GlossMatcher

_EXPLICIT_TAIL = re.compile(r"\]\{gloss=([a-z0-9][a-z0-9-]*)\}")


def gloss_plugin(md: MarkdownIt, *, matcher: GlossMatcher | None = None) -> None:
    """Register the explicit-gloss inline rule, the automatic core rule and their renderers."""
    md.inline.ruler.before("link", "gloss_explicit", _explicit_gloss)
    if matcher:
        found = matcher

        def auto(state: StateCore) -> None:
            _auto_gloss(state, found)

        md.core.ruler.push("gloss_auto", auto)
    md.add_render_rule("text", _render_text)
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
            _mark_children(block.children, matcher)


def _mark_children(children: list[Token], matcher: GlossMatcher) -> None:
    # Links and explicit glosses nest; a term inside either is left alone.
    depth = 0
    for child in children:
        if child.type in ("link_open", "gloss_open"):
            depth += 1
        elif child.type in ("link_close", "gloss_close"):
            depth -= 1
        elif child.type == "text" and depth == 0:
            # Matches ride on the text token (meta["glosses"]) instead of splitting it into
            # new tokens: building three tokens per term was a fifth of a long reading's cost.
            found = [(m.key, m.start, m.end) for m in matcher.find(child.content)]
            if found:
                child.meta = {**(child.meta or {}), "glosses": found}


def _render_text(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    glosses = token.meta.get("glosses") if token.meta else None
    if not glosses:
        return escapeHtml(token.content)
    content = token.content
    out: list[str] = []
    pos = 0
    for key, start, end in glosses:
        out.append(escapeHtml(content[pos:start]))
        term = escapeHtml(content[start:end])
        out.append(f'<span class="ar-gloss" data-gloss="{key}">{term}</span>')
        pos = end
    out.append(escapeHtml(content[pos:]))
    return "".join(out)


def _render_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    key = str(tokens[idx].meta["key"])
    return f'<span class="ar-gloss" data-gloss="{key}">'


def _render_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return "</span>"
