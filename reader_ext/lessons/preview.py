"""A lesson as one self-contained HTML page: what a student sees, for reading offline and print.

Everything is in the page: the style, the images (already ``data:`` URIs in the document), the
glossary. Nothing is fetched and no script runs. Every piece of lesson text comes out of the
sanitising renderer (:mod:`reader_ext.text.markup`) or is escaped here. Prompts sit after the
paragraph they anchor to, numbered in reading order (as in the reader); glossed terms link to
their entry in the glossary at the end.
"""

from __future__ import annotations

import html
import re

from reader_ext.lessons.citation import citation
from reader_ext.lessons.model import Lesson, term_sort_key
from reader_ext.text.markup import folder_images, render_markdown, render_plain

_GLOSS_SPAN = re.compile(r'<span class="ar-gloss" data-gloss="([^"]*)">(.*?)</span>', re.S)
_BLOCK_END = re.compile(r'<(p|h[1-6]|pre|li)\b[^>]*data-block="([^"]+)"')

_CSS = """
body { font: 17px/1.55 Georgia, "Noto Serif", serif; max-width: 44rem; margin: 2rem auto;
  padding: 0 1rem; color: #1d1d1d; background: #fff; }
h1 { font-size: 1.8rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; }
.meta, .source, .certainty { color: #555; font-size: .92rem; }
a.ar-gloss { color: inherit; text-decoration: underline dotted #2a6db0;
  text-underline-offset: 3px; }
.ar-editorial { color: #8a4b00; }
p[data-para] { position: relative; }
p[data-para]::before { content: "¶ " attr(data-para); position: absolute; left: -3.2rem;
  width: 2.8rem; text-align: right; color: #888; font-size: .75rem; padding-top: .25rem; }
aside.prompt { border-left: 4px solid #2a6db0; background: #f2f6fb; padding: .5rem 1rem;
  margin: 1rem 0; break-inside: avoid; }
aside.prompt .quote { font-style: italic; color: #333; }
aside.prompt .tags { color: #555; font-size: .85rem; }
dl.glossary dt { font-weight: bold; margin-top: 1rem; } dl.glossary dd { margin-left: 1.2rem; }
.comment { border-top: 1px solid #ddd; padding: .4rem 0; }
.ar-fn-back::after { content: " ↩"; }
img { max-width: 100%; }
@media print {
  body { max-width: none; margin: 0; font-size: 11pt; }
  a { color: inherit; }
  aside.prompt { background: none; border-left: 2pt solid #000; }
  h2 { break-after: avoid; }
}
"""


def preview_html(lesson: Lesson) -> str:
    """The whole lesson as a student sees it (no instructor material), as one HTML page."""
    e = html.escape
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # No script, no fetch: whatever a lesson holds, this page loads nothing.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src data:; style-src 'unsafe-inline'\">",
        f"<title>{e(lesson.title)}</title><style>{_CSS}</style></head><body>",
    ]
    parts.append(lesson_header(lesson))
    parts.append(lesson_body(lesson))
    parts.append("</body></html>\n")
    return "\n".join(parts)


def lesson_header(lesson: Lesson) -> str:
    """The lesson's ``<header>``: title, summary, level and time, its sources."""
    e = html.escape
    parts = [f"<header><h1>{e(lesson.title)}</h1>"]
    if lesson.summary:
        parts.append(f'<p class="summary">{e(lesson.summary)}</p>')
    parts.append(
        f'<p class="meta">{e(lesson.level.capitalize())} · about {lesson.minutes} minutes</p>'
    )
    for source in lesson.sources:
        line = citation(source)
        if line:
            parts.append(f'<p class="source">Source: {e(line)}</p>')
        if source.certainty:
            parts.append(f'<div class="certainty">{render_markdown(source.certainty)}</div>')
        if source.licence:
            parts.append(f'<p class="source">{e(source.licence)}</p>')
    parts.append("</header>")
    return "\n".join(parts)


def lesson_body(lesson: Lesson) -> str:
    """The lesson after its header: objectives, intro, the reading with its glosses linked and
    its prompts, the glossary and the reader comments; sanitised HTML, no script, no style.

    The preview page and the reader widget's read-only view (``text/html``, for nbconvert and
    nbviewer) are both built from it.
    """
    e = html.escape
    numbers = {p.id: n for n, p in enumerate(lesson.prompts, 1)}  # text order, as the reader
    images = folder_images(lesson.path, set(lesson.assets))
    parts: list[str] = []
    if lesson.objectives:
        items = "".join(f"<li>{e(o)}</li>" for o in lesson.objectives)
        parts.append(f"<section><h2>Objectives</h2><ul>{items}</ul></section>")
    if lesson.intro:
        parts.append(f'<section class="intro">{render_markdown(lesson.intro, images)}</section>')
    parts.append('<section class="reading"><h2>The reading</h2>')
    parts.append(_with_prompts(_link_glosses(lesson.document.html), lesson, numbers))
    parts.append("</section>")
    if lesson.glossary:
        parts.append('<section><h2>Glossary</h2><dl class="glossary">')
        for g in sorted(lesson.glossary, key=lambda g: term_sort_key(g.term)):
            parts.append(f'<dt id="gloss-{e(g.key)}">{e(g.term)}</dt><dd>')
            if g.original:
                parts.append(f'<p><span lang="{e(g.original_lang or "")}">{e(g.original)}</span>')
                parts.append(f" ({e(g.transliteration)})</p>" if g.transliteration else "</p>")
            parts.append(render_markdown(g.definition, images))
            if g.note:
                parts.append(render_markdown(g.note, images))
            if g.as_of:
                parts.append(f'<p class="meta">As of {e(g.as_of)}.</p>')
            for s in g.sources:
                parts.append(f'<p class="meta">Source: {e(s.title)} — {e(s.url)}</p>')
            parts.append("</dd>")
        parts.append("</dl></section>")
    if lesson.comments:
        parts.append("<section><h2>Reader comments</h2>")
        for c in lesson.comments:
            author = f'<p class="meta">{e(c.author)}</p>'
            parts.append(f'<div class="comment">{author}{render_plain(c.text)}</div>')
        parts.append("</section>")
    return "\n".join(parts)


def _link_glosses(document_html: str) -> str:
    # Our own renderer's spans (keys escaped there): each becomes a link to its entry.
    return _GLOSS_SPAN.sub(
        lambda m: f'<a class="ar-gloss" href="#gloss-{m.group(1)}">{m.group(2)}</a>', document_html
    )


def _with_prompts(document_html: str, lesson: Lesson, numbers: dict[str, int]) -> str:
    by_block: dict[str, list[str]] = {}
    images = folder_images(lesson.path, set(lesson.assets))
    e = html.escape
    for prompt in lesson.prompts:
        box = (
            f'<aside class="prompt" id="prompt-{e(prompt.id)}"><p><strong>Prompt'
            f' {numbers[prompt.id]}</strong> <span class="tags">{e(prompt.kind)} ·'
            f' {e(prompt.bloom)}</span></p><p class="quote">“{e(prompt.quote)}”</p>'
            f"{render_markdown(prompt.question, images)}</aside>"
        )
        by_block.setdefault(prompt.block, []).append(box)
    if not by_block:
        return document_html
    out: list[str] = []
    pos = 0
    for found in _BLOCK_END.finditer(document_html):
        boxes = by_block.get(found.group(2))
        if not boxes:
            continue
        close = f"</{found.group(1)}>"
        end = document_html.find(close, found.end())
        if end < 0:
            continue
        end += len(close)
        out.append(document_html[pos:end])
        out.extend(boxes)
        pos = end
    out.append(document_html[pos:])
    return "".join(out)
