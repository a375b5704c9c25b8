"""A reading's HTML held to the sanitiser's allow-list while it is rendered, not after.

markdown-it with raw HTML off writes every piece of the text escaped; what it writes itself
are tags and attributes, and those are what :func:`reader_ext.text.markup.sanitize` is there
to police. :class:`AllowListRenderer` writes only what the sanitiser would keep, from the same
tables in ``markup.py``: only its tags, per tag only its attributes and classes, ``href`` and
``src`` only as relative URLs or with its schemes, ``rel`` on every link as it sets it. Code
blocks lose their language class and tables their alignment style, as they do in the sanitiser.

So a reading (a lesson's own text, tens of thousands of words) needs no second pass through
nh3 (a fifth of building a long reading). Whatever this renderer cannot vouch for — a tag
outside the list, a rendering rule that is neither markdown-it's escaping ones nor one of this
package's text layer — is recorded in :attr:`AllowListRenderer.unsafe`, and the document is
then sanitised as before. Readers' notes and everything else still go through nh3. The XSS
corpus (``tests/test_xss.py``) and a test that nh3 leaves this renderer's output unchanged keep
both claims honest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from typing import Any

from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from reader_ext.text.markup import _ATTRIBUTES, _CLASSES, _TAGS, _URL_SCHEMES, LINK_REL

# How a browser reads a URL's scheme (WHATWG URL): tabs and newlines anywhere are dropped, and
# C0 controls and spaces around it; then letters, digits, "+", "-" and "." up to a ":".
_URL_IGNORED = re.compile(r"[\t\n\r]")
_REL = f' rel="{LINK_REL}"'
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
# markdown-it's own rules that only escape (the rest this class overrides).
_MARKDOWN_IT_SAFE = frozenset({"text", "code_inline", "hardbreak", "softbreak", "image"})
# Rules mdit-py-plugins' footnotes register that no token is named after: its footnote
# renderers call them, and this package replaces those (text/footnotes.py).
_HELPERS = frozenset({"footnote_anchor_name", "footnote_caption"})
# The tags of the blocks whose text the document holds (paragraphs and headings).
_LEAF_TAGS: frozenset[str] = frozenset(
    t for t in ("p", "h1", "h2", "h3", "h4", "h5", "h6") if t in _TAGS
)


def safe_url(url: str) -> bool:
    """Whether the sanitiser would keep ``url`` as a link or image address."""
    found = _SCHEME.match(_URL_IGNORED.sub("", url).strip(_C0_AND_SPACE))
    return found is None or found.group(1).lower() in _URL_SCHEMES


class AllowListRenderer(RendererHTML):
    """markdown-it's HTML renderer writing only what the sanitiser keeps (see the module)."""

    def __init__(self, parser: Any = None) -> None:
        super().__init__(parser)
        self.unsafe: list[str] = []

    def begin(self) -> None:
        """Start a rendering: what it cannot vouch for is listed afresh in :attr:`unsafe`
        (``render`` does it; a caller rendering token by token calls it first)."""
        self.unsafe = [name for name, rule in self.rules.items() if not _vouched(name, rule)]

    def render(self, tokens: Sequence[Token], options: OptionsDict, env: EnvType) -> str:
        self.begin()
        return super().render(tokens, options, env)

    def renderToken(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        token = tokens[idx]
        if token.tag not in _TAGS:
            if not token.hidden:
                self.unsafe.append(f"<{token.tag}> ({token.type})")
        elif token.nesting == -1 and not token.attrs and not token.hidden:
            # What markdown-it writes for a closing tag (half of a reading's block tokens).
            return f"</{token.tag}>\n" if token.block else f"</{token.tag}>"
        return super().renderToken(tokens, idx, options, env)

    @staticmethod
    def renderAttrs(token: Token) -> str:
        tag = token.tag
        if not token.attrs:
            return _REL if tag == "a" and token.nesting == 1 else ""
        allowed: Collection[str] = _ATTRIBUTES.get(tag, ())
        out: list[str] = []
        for key, value in token.attrItems():
            text = str(value)
            if key == "class":
                text = " ".join(c for c in text.split() if c in _CLASSES.get(tag, ()))
                if not text:
                    continue
            elif key not in allowed or (key in ("href", "src") and not safe_url(text)):
                continue
            out.append(f' {key}="{escapeHtml(text)}"')
        if tag == "a" and token.nesting == 1:
            out.append(_REL)
        return "".join(out)

    def code_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        # The sanitiser keeps no attribute on <pre>.
        return "<pre><code>" + escapeHtml(tokens[idx].content) + "</code></pre>\n"

    def fence(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        # No language class (the sanitiser keeps none on <code>) and no highlighter.
        token = tokens[idx]
        return (
            "<pre><code"
            + self.renderAttrs(token)
            + ">"
            + escapeHtml(token.content)
            + "</code></pre>\n"
        )

    def list_item_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return self.renderToken(tokens, idx, options, env)  # no task-list checkbox

    def html_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return escapeHtml(tokens[idx].content)  # raw HTML is off: shown as text if ever made

    def html_inline(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return escapeHtml(tokens[idx].content)


class LeafTags:
    """A paragraph's or heading's tags as ``renderer`` writes them (``renderToken`` and
    ``renderAttrs`` of :class:`AllowListRenderer`), written without the token's attributes being
    built and read back: the document writes 737 of each on a long reading. None wherever the
    renderer might write something else — its ``renderToken`` or ``renderAttrs`` replaced, a
    rule of its own for the token, a token with attributes, hidden, or of another tag — and the
    caller asks the renderer."""

    __slots__ = ("_closing", "_opening")

    def __init__(self, renderer: RendererHTML) -> None:
        own = type(renderer)
        known = own.renderToken is AllowListRenderer.renderToken and (
            own.renderAttrs is AllowListRenderer.renderAttrs
        )
        rules = renderer.rules
        leaves = _LEAF_TAGS if known else ()
        opening = not any(kind in rules for kind in ("paragraph_open", "heading_open"))
        closing = not any(kind in rules for kind in ("paragraph_close", "heading_close"))
        self._opening: frozenset[str] = frozenset(
            tag for tag in leaves if opening and "data-block" in _ATTRIBUTES.get(tag, ())
        )
        self._closing: dict[str, str] = {tag: f"</{tag}>\n" for tag in leaves if closing}

    def opening(
        self, tokens: Sequence[Token], idx: int, block: str, para: str | None = None
    ) -> str | None:
        """``<p data-block="…" data-para="…">``: what ``renderToken`` writes for the opening
        ``tokens[idx]`` once those are set on it, when an inline token follows it."""
        token = tokens[idx]
        tag = token.tag
        if (
            tag not in self._opening
            or token.attrs
            or token.hidden
            or token.nesting != 1
            or not token.block
            or idx + 1 >= len(tokens)
            or tokens[idx + 1].type != "inline"
        ):
            return None
        attrs = f' data-block="{escapeHtml(block)}"'
        if para is not None:
            if "data-para" not in _ATTRIBUTES[tag]:
                return None
            attrs += f' data-para="{escapeHtml(para)}"'
        # renderToken writes a newline before a block's tag after a hidden token, and none
        # after it when an inline token follows.
        return f"\n<{tag}{attrs}>" if idx and tokens[idx - 1].hidden else f"<{tag}{attrs}>"

    def closing(self, token: Token) -> str | None:
        """``</p>\\n``: what ``renderToken`` writes for a paragraph's or heading's closing token."""
        if token.nesting != -1 or token.attrs or token.hidden or not token.block:
            return None
        if token.type != "paragraph_close" and token.type != "heading_close":
            return None
        return self._closing.get(token.tag)


def _vouched(name: str, rule: Callable[..., str]) -> bool:
    module = getattr(rule, "__module__", "") or ""
    if module.startswith("reader_ext.text."):  # this package's text layer, this module too
        return True
    if module == "markdown_it.renderer":
        return name in _MARKDOWN_IT_SAFE
    return name in _HELPERS and module.startswith("mdit_py_plugins.footnote")
