"""A lesson's reading rendered into the document model the widget and annotations share.

The document's plain text is what a reader sees: each leaf block's text (as the browser's
``textContent`` of that block gives it), blocks joined by a blank line. Offsets everywhere —
gloss occurrences, prompt anchors, annotation selectors — are code-point offsets into it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from reader_ext.text.editorial import editorial_plugin
from reader_ext.text.footnotes import footnotes, ref_text
from reader_ext.text.gloss_plugin import gloss_plugin
from reader_ext.text.glossmatch import GlossMatcher
from reader_ext.text.images import Images, ImageSource
from reader_ext.text.markup import new_parser, sanitize
from reader_ext.text.safe_html import AllowListRenderer

BLOCK_SEPARATOR = "\n\n"
_LEAF_BLOCKS = {"paragraph_open", "heading_open"}
_CODE_BLOCKS = {"fence", "code_block"}
_LEAVES = _LEAF_BLOCKS | _CODE_BLOCKS


@dataclass(frozen=True, slots=True)
class Block:
    """A leaf block: ``text[start:end]`` of the document, rendered in ``[data-block=id]``.

    ``number`` is the paragraph's ¶ number (paragraphs of the reading counted from 1, headings,
    code and footnotes not counted), 0 for a block that is not such a paragraph.
    """

    id: str
    tag: str
    start: int
    end: int
    line: int
    number: int = 0


@dataclass(frozen=True, slots=True)
class Occurrence:
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
        """The block containing ``offset``, if any."""
        for block in self.blocks:
            if block.start <= offset < block.end:
                return block
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "text_hash": self.text_hash,
            "text": self.text,
            "blocks": [asdict(b) for b in self.blocks],
            "occurrences": [asdict(o) for o in self.occurrences],
        }


def make_parser(
    matcher: GlossMatcher | None = None, *, first: Mapping[str, str] | None = None
) -> MarkdownIt:
    """The reading's parser: CommonMark, raw HTML off, no typographic rewriting, with glosses,
    footnotes and editor's marks; its HTML holds only what the sanitiser keeps (text/safe_html)."""
    md = new_parser(AllowListRenderer)
    md.use(footnotes)
    md.use(editorial_plugin)
    md.use(gloss_plugin, matcher=matcher, first=first)
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
    """
    md = make_parser(matcher, first=first)
    env: dict[str, Any] = {
        "footnote_prefix": "ar-fn-"
        + hashlib.sha1(source.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
        + "-"
    }
    tokens = md.parse(source, env)
    embedder = Images(images)
    pictured = "![" in source  # how every image begins: else no token need be looked at
    doc = Document(html="", text="")
    pieces: list[str] = []
    seen: dict[str, int] = {}
    offset = 0
    paragraphs = 0
    in_footnote = 0
    for i in range(len(tokens)):
        kind = tokens[i].type
        if kind == "footnote_block_open":
            in_footnote += 1
        elif kind == "footnote_block_close":
            in_footnote -= 1
        if kind not in _LEAVES:
            continue
        opener, text, occurrences = _leaf(tokens, i)
        if opener is None:
            continue
        if pieces:
            pieces.append(BLOCK_SEPARATOR)
            offset += len(BLOCK_SEPARATOR)
        block_id = _block_id(text, seen)
        opener.attrSet("data-block", block_id)
        if opener.hidden:  # a tight list's paragraph must carry its block id, and be closed
            opener.hidden = False
            if i + 2 < len(tokens) and tokens[i + 2].type == "paragraph_close":
                tokens[i + 2].hidden = False
        line = (opener.map[0] + 1) if opener.map else 1
        number = 0
        if opener.tag == "p" and not in_footnote:
            paragraphs += 1
            number = paragraphs
            if numbered:
                opener.attrSet("data-para", str(number))
        if pictured and i + 1 < len(tokens) and tokens[i + 1].type == "inline":
            embedder.resolve(tokens[i + 1].children or [], line)
        doc.blocks.append(Block(block_id, opener.tag, offset, offset + len(text), line, number))
        doc.occurrences += [
            Occurrence(key, offset + s, offset + e, block_id, explicit)
            for key, s, e, explicit in occurrences
        ]
        pieces.append(text)
        offset += len(text)
    doc.text = "".join(pieces)
    html = md.renderer.render(tokens, md.options, env)
    if not isinstance(md.renderer, AllowListRenderer) or md.renderer.unsafe:
        html = sanitize(html)  # something the allow-list renderer cannot vouch for
    doc.html = embedder.embed(html)
    return doc


def _leaf(
    tokens: Sequence[Token], i: int
) -> tuple[Token | None, str, list[tuple[str, int, int, bool]]]:
    token = tokens[i]
    if token.type in _CODE_BLOCKS:
        return token, token.content, []
    if token.type not in _LEAF_BLOCKS or i + 1 >= len(tokens) or tokens[i + 1].type != "inline":
        return None, "", []
    text, occurrences = inline_text(tokens[i + 1].children or [])
    return token, text, occurrences


def inline_text(children: Sequence[Token]) -> tuple[str, list[tuple[str, int, int, bool]]]:
    """The text a browser shows for rendered inline tokens, and where glosses lie in it."""
    parts: list[str] = []
    length = 0
    open_glosses: list[tuple[str, int, bool]] = []
    occurrences: list[tuple[str, int, int, bool]] = []
    last_auto = -1  # the automatic occurrence a continued piece belongs to
    for child in children:
        piece = ""
        kind = child.type
        if kind in ("text", "code_inline"):
            piece = child.content
            meta = child.meta
            if meta:
                glosses = meta.get("glosses", ())
                if glosses and meta.get("continues") and last_auto >= 0:
                    key, _, end = glosses[0]
                    k, s, _, x = occurrences[last_auto]
                    occurrences[last_auto] = (k, s, length + end, x)
                    glosses = glosses[1:]
                for key, start, end in glosses:
                    last_auto = len(occurrences)
                    occurrences.append((key, length + start, length + end, False))
        elif kind in ("softbreak", "hardbreak"):
            piece = "\n"
        elif kind == "editorial":
            piece = child.content
        elif kind == "footnote_ref":
            piece = ref_text(child)
        elif kind == "gloss_open":
            open_glosses.append((str(child.meta["key"]), length, bool(child.meta["explicit"])))
        elif kind == "gloss_close" and open_glosses:
            key, start, explicit = open_glosses.pop()
            occurrences.append((key, start, length, explicit))
        parts.append(piece)
        length += len(piece)
    occurrences.sort(key=lambda o: o[1])
    return "".join(parts), occurrences


def _block_id(text: str, seen: dict[str, int]) -> str:
    # Ids derive from the block's own text, so they survive edits elsewhere in the reading;
    # a repeated paragraph gets a counter.
    base = "b-" + hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:10]
    seen[base] = seen.get(base, 0) + 1
    return base if seen[base] == 1 else f"{base}-{seen[base]}"
