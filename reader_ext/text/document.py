"""A lesson's reading rendered into the document model the widget and annotations share.

The document's plain text is what a reader sees: each leaf block's text (as the browser's
``textContent`` of that block gives it), blocks joined by a blank line. Offsets everywhere —
gloss occurrences, prompt anchors, annotation selectors — are code-point offsets into it.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from reader_ext.gcpause import gc_paused
from reader_ext.text.editorial import OMISSIONS, editorial_plugin
from reader_ext.text.footnotes import footnotes
from reader_ext.text.gloss_plugin import gloss_plugin
from reader_ext.text.glossmatch import GlossMatcher
from reader_ext.text.images import Images, ImageSource
from reader_ext.text.inlinewalk import InlineWalk, Located
from reader_ext.text.marks import holds
from reader_ext.text.markup import new_parser, sanitize
from reader_ext.text.safe_html import AllowListRenderer, LeafTags

BLOCK_SEPARATOR = "\n\n"
_new = tuple.__new__
_LEAF_BLOCKS = {"paragraph_open", "heading_open"}
_CODE_BLOCKS = {"fence", "code_block"}
# Rules of the reading's parser, each with the marks one of which any text it acts on holds (a
# table's header row a pipe, a footnote "[^", a fence three backticks or tildes, …): a reading
# without them is parsed without the rule, which would otherwise be tried at every line or at
# every punctuation mark and never match (and the footnote rule updates the env at each one).
_MARKED_RULES = (
    ("table", ("|",)),
    ("strikethrough", ("~~",)),  # single tildes are off: a run of two or more
    ("footnote_def", ("[^",)),
    ("footnote_ref", ("[^",)),  # matches only a defined note
    ("footnote_tail", ("[^",)),
    ("editorial", OMISSIONS),
    ("gloss_explicit", ("]{",)),
    ("fence", ("```", "~~~")),
    ("blockquote", (">",)),
    ("reference", ("]:",)),  # "[label]: destination"
    ("escape", ("\\",)),
    ("entity", ("&",)),
    ("autolink", ("<",)),
    ("backticks", ("`",)),
    ("image", ("![",)),
)
_MARK_CHARS = frozenset(char for _, marks in _MARKED_RULES for mark in marks for char in mark)


class Block(NamedTuple):
    """A leaf block: ``text[start:end]`` of the document, rendered in ``[data-block=id]``.

    ``number`` is the paragraph's ¶ number (paragraphs of the reading counted from 1, headings,
    code and footnotes not counted), 0 for a block that is not such a paragraph. Blocks and
    occurrences are named tuples, immutable: a long reading has thousands, and a tuple is made
    three times faster than a frozen dataclass.
    """

    id: str
    tag: str
    start: int
    end: int
    line: int
    number: int = 0


class Occurrence(NamedTuple):
    """A glossed term: ``text[start:end]`` is glossed by entry ``key``."""

    key: str
    start: int
    end: int
    block: str
    explicit: bool


@dataclass(slots=True)
class Document:
    """The rendered reading: safe HTML, plain text, blocks and gloss occurrences."""

    html: str
    text: str
    blocks: list[Block] = field(default_factory=list)
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def text_hash(self) -> str:
        """A content hash of the plain text, so annotations can tell that the text changed."""
        return "sha256:" + hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def find(self, quote: str) -> list[int]:
        """Every start offset of ``quote`` in the text (overlapping ones included)."""
        found: list[int] = []
        at = self.text.find(quote)
        while at >= 0 and quote:
            found.append(at)
            at = self.text.find(quote, at + 1)
        return found

    def block_at(self, offset: int) -> Block | None:
        """The block containing ``offset``, if any (blocks are in text order: bisected)."""
        blocks = self.blocks
        at = bisect_right(blocks, offset, key=_start) - 1
        if at >= 0 and offset < blocks[at].end:
            return blocks[at]
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "text_hash": self.text_hash,
            "text": self.text,
            "blocks": [b._asdict() for b in self.blocks],
            "occurrences": [o._asdict() for o in self.occurrences],
        }


def make_parser(
    matcher: GlossMatcher | None = None,
    *,
    first: Mapping[str, str] | None = None,
    source: str | None = None,
) -> MarkdownIt:
    """The reading's parser: CommonMark, raw HTML off, no typographic rewriting, with glosses,
    footnotes and editor's marks; its HTML holds only what the sanitiser keeps (text/safe_html).

    ``source``: the one text it will parse, if known; the rules for constructs that text cannot
    hold are then left out (the tokens are the same).
    """
    md = new_parser(AllowListRenderer)
    md.use(footnotes)
    md.use(editorial_plugin)
    md.use(gloss_plugin, matcher=matcher, first=first)
    if source is not None:
        present = {char for char in _MARK_CHARS if char in source}  # one search each
        held = {m: set(m) <= present and holds(source, m) for _, ms in _MARKED_RULES for m in ms}
        absent = [rule for rule, marks in _MARKED_RULES if not any(held[m] for m in marks)]
        if absent:
            md.disable(absent)
    return md


def build_document(
    source: str,
    matcher: GlossMatcher | None = None,
    *,
    first: Mapping[str, str] | None = None,
    images: ImageSource | None = None,
    numbered: bool = False,
) -> Document:
    """Render a reading's Markdown into a :class:`Document`.

    ``first``: keys glossed only at their first occurrence (see the gloss plugin). ``images``:
    where images come from (none is shown without it). ``numbered``: the HTML carries each
    paragraph's ¶ number as ``data-para`` (drawn by CSS, so the plain text is unchanged).
    Python's cyclic garbage collector waits meanwhile (:mod:`reader_ext.gcpause`).
    """
    with gc_paused():
        return _build(source, matcher, first, images, numbered)


def _build(
    source: str,
    matcher: GlossMatcher | None,
    first: Mapping[str, str] | None,
    images: ImageSource | None,
    numbered: bool,
) -> Document:
    md = make_parser(matcher, first=first, source=source)
    env: dict[str, Any] = {}
    if holds(source, "[^"):  # how every footnote begins: else no id needs the reading's prefix
        digest = hashlib.sha1(source.encode("utf-8"), usedforsecurity=False).hexdigest()
        env["footnote_prefix"] = f"ar-fn-{digest[:8]}-"
    tokens = md.parse(source, env)
    renderer = md.renderer
    if not isinstance(renderer, RendererHTML):  # make_parser's is the allow-list renderer
        raise TypeError(f"the reading's renderer writes HTML, not {type(renderer).__name__}")
    if isinstance(renderer, AllowListRenderer):
        renderer.begin()
    _show_tight_paragraphs(tokens)
    options = md.options
    walk = InlineWalk(renderer, options, env)
    tags = LeafTags(renderer)
    embedder = Images(images)
    pictured = holds(source, "![")  # how every image begins: else no token need be looked at
    blocks: list[Block] = []
    located: list[Occurrence] = []
    pieces: list[str] = []
    out: list[str] = []  # the HTML, token by token, as renderer.render writes it
    seen: dict[str, int] = {}
    offset = 0
    paragraphs = 0
    in_footnote = 0
    count = len(tokens)
    i = 0
    while i < count:
        opener = tokens[i]
        kind = opener.type
        inline_html: str | None = None
        occurrences: list[Located] = []
        if kind in _CODE_BLOCKS:
            text = opener.content
        elif kind in _LEAF_BLOCKS and i + 1 < count and tokens[i + 1].type == "inline":
            children = tokens[i + 1].children or []
            if pictured:
                embedder.resolve(children, (opener.map[0] + 1) if opener.map else 1)
            inline_html, text, occurrences = walk.walk(children)
        else:
            if kind == "footnote_block_open":
                in_footnote += 1
            elif kind == "footnote_block_close":
                in_footnote -= 1
            out.append(_render_one(renderer, tags, tokens, i, options, env))
            i += 1
            continue
        if pieces:
            pieces.append(BLOCK_SEPARATOR)
            offset += len(BLOCK_SEPARATOR)
        block_id = _block_id(text, seen)
        line = (opener.map[0] + 1) if opener.map else 1
        number = 0
        para = None
        if opener.tag == "p" and not in_footnote:
            paragraphs += 1
            number = paragraphs
            if numbered:
                para = str(number)
        # tuple.__new__ is what a named tuple's own __new__ calls, less a Python frame each.
        blocks.append(_new(Block, (block_id, opener.tag, offset, offset + len(text), line, number)))
        if occurrences:
            located += [
                _new(Occurrence, (key, offset + s, offset + e, block_id, explicit))
                for key, s, e, explicit in occurrences
            ]
        pieces.append(text)
        offset += len(text)
        written = None if inline_html is None else tags.opening(tokens, i, block_id, para)
        if written is None:
            opener.attrSet("data-block", block_id)
            if para is not None:
                opener.attrSet("data-para", para)
            written = _render_one(renderer, tags, tokens, i, options, env)
        out.append(written)
        if inline_html is not None:
            out.append(inline_html)
            i += 1
        i += 1
    html = "".join(out)
    if not isinstance(renderer, AllowListRenderer) or renderer.unsafe:
        html = sanitize(html)  # something the allow-list renderer cannot vouch for
    return Document(embedder.embed(html), "".join(pieces), blocks, located)


def _render_one(
    renderer: RendererHTML,
    tags: LeafTags,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    """What ``renderer.render`` writes for the token ``tokens[idx]``."""
    token = tokens[idx]
    kind = token.type
    if kind == "inline":
        return renderer.renderInline(token.children, options, env) if token.children else ""
    rule = renderer.rules.get(kind)
    if rule is not None:
        return str(rule(tokens, idx, options, env))
    closing = tags.closing(token)
    return closing if closing is not None else renderer.renderToken(tokens, idx, options, env)


def _show_tight_paragraphs(tokens: Sequence[Token]) -> None:
    # A tight list's paragraphs are hidden (no <p>): each must carry its block id, so it is
    # shown, and closed.
    count = len(tokens)
    for i, token in enumerate(tokens):
        if (
            token.hidden
            and token.type in _LEAF_BLOCKS
            and i + 1 < count
            and tokens[i + 1].type == "inline"
        ):
            token.hidden = False
            if i + 2 < count and tokens[i + 2].type == "paragraph_close":
                tokens[i + 2].hidden = False


def _start(block: Block) -> int:
    return block.start


def _block_id(text: str, seen: dict[str, int]) -> str:
    # Ids derive from the block's own text, so they survive edits elsewhere in the reading;
    # a repeated paragraph gets a counter.
    base = "b-" + hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:10]
    seen[base] = seen.get(base, 0) + 1
    return base if seen[base] == 1 else f"{base}-{seen[base]}"
