"""Markdown to safe HTML: the one place text becomes markup.

Every piece of HTML the widget shows comes out of here: markdown-it-py with raw HTML off (so
``<script>`` in a lesson or a note is shown as text) and then an allow-list sanitiser (nh3), so
that even a renderer bug or a plugin mistake cannot let a script, an event handler, a style or
a ``javascript:`` / ``data:`` URL through.
"""

from __future__ import annotations

import html
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

from reader_ext._version import __version__

_BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "code", "td", "th"}
_TAGS = _BLOCK_TAGS | {
    "a", "br", "em", "strong", "del", "s", "sup", "sub", "span", "pre", "hr",
    "ul", "ol", "table", "thead", "tbody", "tr", "img", "section",
}  # fmt: skip
_ATTRIBUTES: dict[str, set[str]] = {tag: {"data-block"} for tag in _BLOCK_TAGS}
_ATTRIBUTES["p"] |= {"data-para"}
_ATTRIBUTES["li"] |= {"id"}  # footnotes, ids prefixed per reading (text/footnotes.py)
_ATTRIBUTES |= {
    "a": {"href", "title", "id", "aria-label"},
    "span": {"data-gloss", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
}
_URL_SCHEMES = {"http", "https", "mailto"}
# Cached renderings are only reused by the same renderer (and are sanitised again on reuse).
RENDERER_VERSION = f"reader-ext {__version__}; nh3 {getattr(nh3, '__version__', '?')}"


def sanitize(html: str, *, images: bool = True) -> str:
    """Keep only the tags, attributes and URL schemes the reader needs.

    ``images=False`` drops images too: in readers' notes an image would make every classmate's
    browser fetch an address of the writer's choosing (a tracking pixel).
    """
    return str(
        nh3.clean(
            html,
            tags=_TAGS if images else _TAGS - {"img"},
            clean_content_tags={"script", "style"},
            attributes=_ATTRIBUTES,
            allowed_classes={
                "span": {"ar-gloss", "ar-editorial"},
                "sup": {"ar-fn-ref"},
                "a": {"ar-fn-back"},
                "section": {"ar-footnotes"},
            },
            url_schemes=_URL_SCHEMES,
            link_rel="noopener noreferrer nofollow",
        )
    )


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table").enable("strikethrough")
    return md


def render_markdown(text: str) -> str:
    """Render Markdown written by a lesson author to sanitised HTML."""
    return sanitize(_parser().render(text))


def render_note(text: str) -> str:
    """Render Markdown written by a reader (a note, reply or answer): as above, minus images."""
    return sanitize(_parser().render(text), images=False)


def render_plain(text: str) -> str:
    """Render text that must be shown verbatim (reader comments): escaped, paragraphs kept."""
    paragraphs = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(
        "<p>" + html.escape(p, quote=False).replace("\n", "<br />\n") + "</p>" for p in paragraphs
    )
