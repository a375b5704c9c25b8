"""The keys each lesson file may hold, and their types.

Checked by :mod:`reader_ext.lessons.tomlsrc`.
"""

from __future__ import annotations

from reader_ext.lessons.tomlsrc import Field

LEVELS = ("introductory", "intermediate", "advanced")
BLOOM_LEVELS = ("remember", "understand", "apply", "analyse", "evaluate", "create")
BLOOM_SPELLINGS = {"analyze": "analyse"}
"""Other accepted spellings, and the level each one means."""
GLOSS_FIRST = ("reading", "section")
PROMPT_KINDS = ("comprehension", "discussion", "reflection", "analysis", "application")

COURSE = {
    "id": Field(str, required=True),
    "title": Field(str, required=True),
    "summary": Field(str),
    "modules": Field(list, required=True, items=str),
}
MODULE = {
    "id": Field(str, required=True),
    "title": Field(str, required=True),
    "summary": Field(str),
    "level": Field(str),
    "minutes": Field(int),
    "objectives": Field(list, items=str),
    "reading": Field(str),
    "glossaries": Field(list, items=str),
    "comments": Field(str),
    "intro": Field(str),
    "uri": Field(str),
    "source": Field((dict, list), items=None),
    "paragraph_numbers": Field(bool),
}
SOURCE = {
    "title": Field(str),
    "author": Field(str),
    "venue": Field(str),
    "publisher": Field(str),
    "place": Field(str),
    "edition": Field(str),
    "pages": Field(str),
    "date": Field(str),
    "circa": Field(bool),
    "url": Field(str),
    "certainty": Field(str),
    "licence": Field(str),
}
GLOSS = {
    "key": Field(str, required=True),
    "term": Field(str, required=True),
    "match": Field(list, items=str),
    "definition": Field(str, required=True),
    "original": Field(str),
    "original_lang": Field(str),
    "transliteration": Field(str),
    "as_of": Field(str),
    "note": Field(str),
    "sources": Field(list, items=dict),
    "case_sensitive": Field(bool),
    "first": Field(str),
}
SOURCE_LINK = {"title": Field(str, required=True), "url": Field(str, required=True)}
PROMPT = {
    "id": Field(str, required=True),
    "quote": Field(str, required=True),
    "question": Field(str, required=True),
    "bloom": Field(str, required=True),
    "kind": Field(str, required=True),
    "occurrence": Field(int),
}
COMMENT = {
    "id": Field(str, required=True),
    "text": Field(str, required=True),
    "author": Field(str),
}
GUIDE = {
    "prompt": Field(str, required=True),
    "answer": Field(str, required=True),
    "rubric": Field(list, items=str),
}
