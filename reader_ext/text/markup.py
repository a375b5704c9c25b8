"""Markdown to safe HTML: the one place text becomes markup.

Every piece of HTML the widget shows comes out of here: markdown-it-py with raw HTML off (so
``<script>`` in a lesson or a note is shown as text) and then an allow-list sanitiser (nh3), so
that even a renderer bug or a plugin mistake cannot let a script, an event handler, a style or
a ``javascript:`` / ``data:`` URL through. The one exception is a lesson's reading: its renderer
(:mod:`reader_ext.text.safe_html`) writes only what this module's tables let through, and sends
the reading through the sanitiser whenever it meets anything it cannot vouch for.
"""

from __future__ import annotations

import html
import os
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore

from reader_ext._version import __version__
from reader_ext.text.images import Images, ImageSource, render_image
from reader_ext.text.marks import holds

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
_CLASSES = {
    "span": {"ar-gloss", "ar-editorial"},
    "sup": {"ar-fn-ref"},
    "a": {"ar-fn-back"},
    "section": {"ar-footnotes"},
}
_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"
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
            allowed_classes=_CLASSES,
            url_schemes=_URL_SCHEMES,
            link_rel=LINK_REL,
        )
    )


def new_parser(renderer: type[RendererHTML] = RendererHTML) -> MarkdownIt:
    """The one Markdown dialect of lessons and notes: CommonMark with tables and strikethrough,
    raw HTML off, no typographic rewriting (a verbatim text stays verbatim), images rendered by
    :func:`reader_ext.text.images.render_image`. The reading's parser adds its plugins to it
    (and renders with :class:`reader_ext.text.safe_html.AllowListRenderer`)."""
    md = MarkdownIt(
        "commonmark",
        {"html": False, "linkify": False, "typographer": False},
        renderer_cls=renderer,
    )
    md.enable("table").enable("strikethrough")
    md.disable(["html_block", "html_inline"])  # with raw HTML off both return at once
    md.core.ruler.at("normalize", _normalize)
    md.add_render_rule("image", render_image)
    return md


def _normalize(state: StateCore) -> None:
    # markdown-it's own step, which gives the same text: line endings as "\n", NUL as U+FFFD.
    # Its two regular expressions copy a long reading twice (1.9 ms on 580,000 characters);
    # most texts hold neither a "\r" nor a NUL, and one character is found fast (0.2 ms).
    src = state.src
    if "\r" in src:
        src = src.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in src:
        src = src.replace("\0", "\ufffd")
    state.src = src


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return new_parser()


def render_markdown(text: str, images: ImageSource | None = None) -> str:
    """Render Markdown written by a lesson author to sanitised HTML.

    Images are shown as the reading's are (:mod:`reader_ext.text.images`): embedded as
    ``data:`` URIs from what ``images`` gives (see :func:`folder_images`), and otherwise left
    out; an image at a web address is never fetched. The loader refuses such an image with a
    ``file:line`` problem (``lessons/load.py``), so a valid lesson loses none.
    """
    md = _parser()
    env: dict[str, object] = {}
    tokens = md.parse(text, env)
    embedder = Images(images)
    for token in tokens:
        if token.type == "inline" and token.children:
            embedder.resolve(token.children, (token.map[0] if token.map else 0) + 1)
    return embedder.embed(sanitize(md.renderer.render(tokens, md.options, env)))


def image_refs(text: str) -> list[tuple[str, int]]:
    """Every image an author's Markdown shows: its address as written, and its line (from 1)."""
    found: list[tuple[str, int]] = []
    if not holds(text, "!["):  # how every image begins: most definitions and prompts have none
        return found
    for token in _parser().parse(text):
        for child in token.children or []:
            if child.type == "image":
                found.append((str(child.attrGet("src") or ""), (token.map or [0])[0] + 1))
    return found


def image_path(base: Path, src: str) -> Path:
    """Where an image written ``src`` in a file of the folder ``base`` is."""
    return Path(os.path.normpath(base / unquote(src.split("#")[0].split("?")[0])))


def folder_images(base: Path, allowed: Collection[Path]) -> ImageSource:
    """An :data:`ImageSource` for Markdown in the module folder ``base``: only the files in
    ``allowed`` (those the loader checked, ``Lesson.assets``) are read; anything else, and any
    web address, is left out."""

    def source(src: str, _line: int) -> bytes | None:
        path = image_path(base, src)
        if path not in allowed:
            return None
        try:
            return path.read_bytes()
        except OSError:
            return None

    return source


def render_note(text: str) -> str:
    """Render Markdown written by a reader (a note, reply or answer): as above, minus images."""
    return sanitize(_parser().render(text), images=False)


def render_plain(text: str) -> str:
    """Render text that must be shown verbatim (reader comments): escaped, paragraphs kept."""
    paragraphs = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(
        "<p>" + html.escape(p, quote=False).replace("\n", "<br />\n") + "</p>" for p in paragraphs
    )
