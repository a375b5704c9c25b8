"""A leaf block's inline tokens walked once: its HTML and its plain text, glosses located in it.

The document needs, for each paragraph and heading, the text a browser shows for it (its
``textContent``) with every gloss's offsets in that text, and the HTML the reading's renderer
writes for it. :class:`InlineWalk` writes both in one walk of its tokens, instead of one walk
for the text and markdown-it's renderer walking them again. Its HTML is exactly what the
parser's renderer writes (``renderer.renderInline``, ``tests/test_inlinewalk.py``): the tokens
that dominate a reading — text, glossed text, line breaks, emphasis — are written here the way
the gloss plugin's and markdown-it's rules write them, but only while those rules are the ones
registered and a token is plain (no attributes, not hidden, the tag its type has); anything
else goes through the renderer's own rule or ``renderToken``, so the allow-list renderer's
bookkeeping (``unsafe``) still sees it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from reader_ext.text.footnotes import ref_text
from reader_ext.text.gloss_plugin import glossed_html, render_text
from reader_ext.text.safe_html import AllowListRenderer

# A gloss in the text: (key, start, end, explicit), offsets into the block's text.
Located = tuple[str, int, int, bool]
# Markup that adds no text and that markdown-it writes as a bare tag (through renderToken),
# with the tag it has; a token of one of these types with another tag goes the long way.
_BARE = {
    "em_open": ("em", "<em>"), "em_close": ("em", "</em>"),
    "strong_open": ("strong", "<strong>"), "strong_close": ("strong", "</strong>"),
    "s_open": ("s", "<s>"), "s_close": ("s", "</s>"),
}  # fmt: skip


class InlineWalk:
    """Renders inline tokens with ``renderer`` and gives their plain text (see the module)."""

    __slots__ = ("_bare", "_env", "_options", "_renderer", "_rules", "_soft", "_text")

    def __init__(self, renderer: RendererHTML, options: OptionsDict, env: EnvType) -> None:
        self._renderer = renderer
        self._options = options
        self._env = env
        rules = renderer.rules
        self._rules = rules
        self._text = _is(rules.get("text"), render_text)
        soft = rules.get("softbreak")
        self._soft: str | None = None
        if _is(soft, RendererHTML.softbreak) and not options.breaks:
            self._soft = "\n"
        # Bare tags are written here only while no rule of their own replaces renderToken, and
        # renderToken and renderAttrs are the allow-list renderer's (or markdown-it's).
        own = type(renderer)
        plain = all(
            getattr(own, name) in (getattr(AllowListRenderer, name), getattr(RendererHTML, name))
            for name in ("renderToken", "renderAttrs")
        )
        self._bare = {kind: _BARE[kind] for kind in _BARE if plain and kind not in rules}

    def walk(self, children: Sequence[Token]) -> tuple[str, str, list[Located]]:
        """The HTML of ``children``, the text a browser shows for them, and where glosses lie
        in that text (explicit glosses by their tokens, automatic ones by their text token's
        ``meta["glosses"]``, a piece that continues the previous one joined to it)."""
        html: list[str] = []
        parts: list[str] = []
        length = 0
        open_glosses: list[tuple[str, int, bool]] = []
        occurrences: list[Located] = []
        last_auto = -1  # the automatic occurrence a continued piece belongs to
        explicit = False  # an explicit gloss is listed at its end: then sort by start
        fast_text, soft, bare = self._text, self._soft, self._bare
        for idx, child in enumerate(children):
            kind = child.type
            if kind == "text" or kind == "code_inline":
                piece = child.content
                meta = child.meta
                glosses: Any = meta.get("glosses", ()) if meta else ()
                if kind == "text" and fast_text:
                    html.append(glossed_html(piece, glosses) if glosses else escapeHtml(piece))
                else:
                    html.append(self._render(children, idx))
                if glosses:
                    if meta.get("continues") and last_auto >= 0:
                        key, _, end = glosses[0]
                        k, s, _, x = occurrences[last_auto]
                        occurrences[last_auto] = (k, s, length + end, x)
                        glosses = glosses[1:]
                    for key, start, end in glosses:
                        last_auto = len(occurrences)
                        occurrences.append((key, length + start, length + end, False))
                parts.append(piece)
                length += len(piece)
                continue
            written = bare.get(kind)
            plain = not (child.attrs or child.hidden or child.block)
            if written and plain and child.tag == written[0]:
                html.append(written[1])
                continue
            if kind == "softbreak" and soft is not None:
                html.append(soft)
                parts.append("\n")
                length += 1
                continue
            html.append(self._render(children, idx))
            piece = ""
            if kind in ("softbreak", "hardbreak"):
                piece = "\n"
            elif kind == "editorial":
                piece = child.content
            elif kind == "footnote_ref":
                piece = ref_text(child)
            elif kind == "gloss_open":
                open_glosses.append((str(child.meta["key"]), length, bool(child.meta["explicit"])))
            elif kind == "gloss_close" and open_glosses:
                key, start, pinned = open_glosses.pop()
                occurrences.append((key, start, length, pinned))
                explicit = True
            parts.append(piece)
            length += len(piece)
        if explicit:
            occurrences.sort(key=_start)
        return "".join(html), "".join(parts), occurrences

    def _render(self, children: Sequence[Token], idx: int) -> str:
        """What ``renderer.renderInline`` writes for this one token."""
        rule = self._rules.get(children[idx].type)
        if rule is not None:
            return str(rule(children, idx, self._options, self._env))
        return self._renderer.renderToken(children, idx, self._options, self._env)


def _start(occurrence: Located) -> int:
    return occurrence[1]


def _is(rule: Any, function: Any) -> bool:
    """Whether a renderer's rule (a bound method) is ``function``."""
    return getattr(rule, "__func__", None) is function
