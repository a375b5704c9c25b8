"""What the reader widget is sent about a lesson: rendered, sanitised, student-safe."""

from __future__ import annotations

from collections import Counter

from reader_ext.lessons.model import Lesson, term_sort_key
from reader_ext.text.markup import folder_images, render_markdown, render_plain
from reader_ext.widget.protocol import (
    BlockPayload,
    CommentPayload,
    GlossPayload,
    LessonPayload,
    PromptPayload,
    SourcePayload,
)


def lesson_payload(lesson: Lesson) -> LessonPayload:
    """The lesson as the browser needs it; never includes ``lesson.instructor``."""
    doc = lesson.document
    counts = Counter(o.key for o in doc.occurrences)
    src = lesson.source
    # The module folder's images the loader checked, embedded; nothing else, nothing fetched.
    images = folder_images(lesson.path, set(lesson.assets))
    return LessonPayload(
        uri=lesson.uri,
        id=lesson.id,
        title=lesson.title,
        summary=lesson.summary,
        level=lesson.level,
        minutes=lesson.minutes,
        objectives=list(lesson.objectives),
        source=SourcePayload(
            title=src.title,
            author=src.author,
            venue=src.venue,
            date=src.date,
            url=src.url,
            certainty=src.certainty,
        ),
        intro_html=render_markdown(lesson.intro, images) if lesson.intro else None,
        html=doc.html,
        text_hash=doc.text_hash,
        blocks=[BlockPayload(id=b.id, start=b.start, end=b.end) for b in doc.blocks],
        glossary=[
            GlossPayload(
                key=g.key,
                term=g.term,
                definition_html=render_markdown(g.definition, images),
                note_html=render_markdown(g.note, images) if g.note else None,
                original=g.original,
                original_lang=g.original_lang,
                transliteration=g.transliteration,
                as_of=g.as_of,
                sources=[{"title": s.title, "url": s.url} for s in g.sources],
                count=counts[g.key],
            )
            for g in sorted(lesson.glossary, key=lambda g: term_sort_key(g.term))
        ],
        prompts=[
            PromptPayload(
                id=p.id,
                quote=p.quote,
                question_html=render_markdown(p.question, images),
                bloom=p.bloom,
                kind=p.kind,
                start=p.start,
                end=p.end,
                block=p.block,
            )
            for p in lesson.prompts  # in text order: numbered 1, 2, … as listed
        ],
        comments=[
            CommentPayload(id=c.id, author=c.author, html=render_plain(c.text))
            for c in lesson.comments
        ],
    )
