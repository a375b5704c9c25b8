"""Footnotes in a reading (``[^1]`` and ``[^1]: text``), with mdit-py-plugins' footnote plugin.

Rendered so that the document's plain text stays what the browser shows: a reference shows
``[1]``, which the document counts as text; the way back from a note is a link with no text of
its own (its arrow is drawn by CSS). Ids carry a prefix made from the reading, so two readings
on one page do not share an id.
"""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.footnote.index import footnote_tail

from reader_ext.text.markup import LINK_REL  # as the sanitiser sets it on every link


def footnotes(md: MarkdownIt) -> None:
    md.use(footnote_plugin, inline=False)
    md.core.ruler.at("footnote_tail", _tail)
    md.add_render_rule("footnote_ref", _ref)
    md.add_render_rule("footnote_block_open", _block_open)
    md.add_render_rule("footnote_block_close", _block_close)
    md.add_render_rule("footnote_open", _open)
    md.add_render_rule("footnote_close", _close)
    md.add_render_rule("footnote_anchor", _anchor)


def _tail(state: StateCore) -> None:
    # The plugin's last step moves notes to the end, walking every token of the reading; its
    # reference rule records an empty note list at the first "[" of any reading, so the walk
    # ran on every reading. With no note defined and none referenced it changes nothing.
    found = state.env.get("footnotes")
    if found and (found.get("refs") or found.get("list")):
        footnote_tail(state)


def ref_text(token: Token) -> str:
    """What a footnote reference shows, and so what it adds to the plain text."""
    return f"[{int(token.meta['id']) + 1}]"


def _prefix(env: EnvType) -> str:
    return str(env.get("footnote_prefix", "ar-fn-"))


def _sub(token: Token) -> str:
    sub = int(token.meta.get("subId", 0) or 0)
    return f"-{sub}" if sub > 0 else ""


def _ref(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    n = int(token.meta["id"]) + 1
    p = _prefix(env)
    return (
        f'<sup class="ar-fn-ref"><a href="#{p}{n}" id="{p}ref-{n}{_sub(token)}" rel="{LINK_REL}">'
        f"{ref_text(token)}</a></sup>"
    )


def _block_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return '<section class="ar-footnotes"><ol>\n'


def _block_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return "</ol></section>\n"


def _open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return f'<li id="{_prefix(env)}{int(tokens[idx].meta["id"]) + 1}">'


def _close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return "</li>\n"


def _anchor(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    n = int(token.meta["id"]) + 1
    return (
        f'<a href="#{_prefix(env)}ref-{n}{_sub(token)}" class="ar-fn-back"'
        f' aria-label="back to reference {n}" rel="{LINK_REL}"></a>'
    )
