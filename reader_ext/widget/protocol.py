"""The shapes of data sent from Python to the browser, written down once.

``reader.js`` mirrors these in JSDoc ``@typedef``s. Only what a student may see goes in:
instructor material never enters a payload built by
:func:`reader_ext.widget.payload.lesson_payload`.
"""

from __future__ import annotations

from typing import TypedDict


class SourcePayload(TypedDict):
    title: str | None
    author: str | None
    venue: str | None
    date: str | None
    url: str | None
    certainty: str | None


class LinkPayload(TypedDict):
    title: str
    url: str


class GlossPayload(TypedDict):
    key: str
    term: str
    definition_html: str
    note_html: str | None
    original: str | None
    transliteration: str | None
    as_of: str | None
    sources: list[LinkPayload]
    count: int


class BlockPayload(TypedDict):
    id: str
    start: int
    end: int


class PromptPayload(TypedDict):
    id: str
    quote: str
    question_html: str
    bloom: str
    kind: str
    start: int
    end: int
    block: str


class CommentPayload(TypedDict):
    id: str
    author: str
    html: str


class LessonPayload(TypedDict):
    uri: str
    id: str
    title: str
    summary: str
    level: str
    minutes: int
    objectives: list[str]
    source: SourcePayload
    intro_html: str | None
    html: str
    text_hash: str
    blocks: list[BlockPayload]
    glossary: list[GlossPayload]
    prompts: list[PromptPayload]
    comments: list[CommentPayload]


class AnnotationView(TypedDict):
    """One annotation as the reader shows it (built from the stored W3C annotation)."""

    id: str
    kind: str  # highlight | note | reply | answer | comment-reply
    author: str
    mine: bool
    created: str
    modified: str
    body: str  # the Markdown source, for editing
    body_html: str  # rendered and sanitised in Python
    tags: list[str]
    quote: str | None
    start: int | None  # where it anchors in the current text (code points), None if orphan
    end: int | None
    anchor: str | None  # position | quote | fuzzy | orphan (None for replies)
    reply_to: str | None  # annotation id replied to
    prompt: str | None  # prompt id answered
    comment: str | None  # published comment id replied to
