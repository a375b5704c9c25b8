"""Editor's marks in a reading: an omission ``[…]`` (or ``[...]``) shown as the editor's.

The reading is verbatim except where the editor says otherwise, and an omission marker is the
one place an editor speaks inside the text. It renders as ``<span class="ar-editorial">``, its
characters unchanged, so the plain text (and every annotation offset) is the same as without
the plugin; a link ``[...](url)`` or an explicit gloss ``[...]{gloss=k}`` stays what it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

OMISSIONS = ("[…]", "[...]")


def editorial_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "editorial", _omission)
    md.add_render_rule("editorial", _render)


def _omission(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] != "[":
        return False
    mark = next((m for m in OMISSIONS if src.startswith(m, pos)), None)
    if mark is None:
        return False
    after = pos + len(mark)
    if after < state.posMax and src[after] in "([{":
        return False
    if not silent:
        token = state.push("editorial", "span", 0)
        token.content = mark
    state.pos = after
    return True


def _render(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    mark = escapeHtml(tokens[idx].content)
    return f'<span class="ar-editorial" title="omitted by the editor">{mark}</span>'
