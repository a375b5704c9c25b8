"""The keys each lesson file may hold, and their types.

Checked by :mod:`reader_ext.lessons.tomlsrc`.
"""

from __future__ import annotations

from reader_ext.lessons.tomlsrc import Field

LEVELS = ("introductory", "intermediate", "advanced")
BLOOM_LEVELS = ("remember", "understand", "apply", "analyse", "evaluate", "create")
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
    "source": Field(dict),
}
SOURCE = {
    "title": Field(str),
    "author": Field(str),
    "venue": Field(str),
    "date": Field(str),
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
    "transliteration": Field(str),
    "as_of": Field(str),
    "note": Field(str),
    "sources": Field(list, items=dict),
}
SOURCE_LINK = {"title": Field(str, required=True), "url": Field(str, required=True)}
PROMPT = {
    "id": Field(str, required=True),
    "quote": Field(str, required=True),
    "question": Field(str, required=True),
    "bloom": Field(str, required=True),
    "kind": Field(str, required=True),
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
