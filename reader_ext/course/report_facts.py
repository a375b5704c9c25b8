"""What the class report needs of each annotation, derived once and kept in the class store, sealed.

A report counts, per student and module, highlights, notes, replies, answers and words, finds
each reply's lesson, and lays every highlight and note on its reading's heat map. All of that
depends only on the annotation as stored, the lesson's text and the code that derives it. So
the report keeps each annotation's :class:`Fact` in the class store (``report_facts``), and a
repeated report reads them beside the annotations in one query: nothing decoded or anchored
again but what changed. Each module's heat map image is kept the same way (``report_heatmaps``),
against a digest of everything drawn in it.

A class store is made of students' files (and may be any file given to the command), so a kept
entry is used only when its seal (:mod:`reader_ext.text.sealed`, under this user's key) binds
it to the annotation's stored JSON byte for byte and to this :func:`contexts` (this code, the
lesson's text): an edited annotation, a changed reading, a newer reader-ext, another user's or a
forged entry fails the check, and is derived again from the annotation and kept in its place.
These tables are the instructor's: nothing copies them into what students get (``publish``
writes annotations only).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
from array import array
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import msgspec

from reader_ext.annotations.fields import author, note_text
from reader_ext.annotations.shape import target_info
from reader_ext.course.heatmap import Heat, heat_png, place
from reader_ext.errors import AnnotationError, StoreError
from reader_ext.lessons.model import Lesson
from reader_ext.store import report_facts as kept_rows
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.store.report_facts import EventRow
from reader_ext.store.rows import decode_json
from reader_ext.text.document import Block
from reader_ext.text.sealed import key, seal, unseal, unseal_bytes

VERSION = "1"
"""Of how facts and heat maps are derived (here, :func:`reader_ext.anchoring.anchor`,
:func:`reader_ext.course.heatmap.heat_png`): a change to any of them bumps it, and every kept
entry is derived again by the next report. (The fields of a :class:`Fact` are in the context by
themselves.)"""
_DOMAIN = "reader-ext report facts"  # what a seal is of: never mistaken for a view or a note
_HEAT_DOMAIN = "reader-ext report heat map"


class Fact(msgspec.Struct, array_like=True):
    """What the report needs of one annotation, kept as a JSON array."""

    id: str
    author: str
    parent: str | None
    """The id it replies to (a reply's lesson is its target's), else None."""
    direct: str | None
    """Its lesson's uri, when it is not a reply to an annotation (None: on no lesson)."""
    kind: str
    """:func:`reader_ext.annotations.shape.target_info`'s kind: text, lesson, prompt, comment,
    annotation."""
    prompt_id: str | None
    commenting: bool
    words: int
    created: str
    modified: str
    text: str
    """The Markdown of a prompt's answer (the report shows it); empty for everything else."""
    heat: str | None
    """Whom it counts for on its reading's heat map; None when it is not on one."""
    span: tuple[int, int] | None
    """Its passage in the reading (on a heat map), None where the passage is no longer there."""


_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(Fact)


def contexts(lessons: Mapping[str, Lesson]) -> tuple[dict[str, str], str]:
    """What a fact is derived against besides its annotation, as a short digest: per lesson uri
    (this code, a fact's fields, the lesson's text), and for an annotation on none of them."""
    fields = ",".join(Fact.__struct_fields__)

    def digest(text_hash: str) -> str:
        what = (VERSION, fields, text_hash)
        return hashlib.sha256("\x00".join(what).encode()).hexdigest()[:32]

    return {u: digest(lesson.document.text_hash) for u, lesson in lessons.items()}, digest("")


def step(annotation: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(the id it replies to, None) or (None, its lesson uri or None)."""
    target = annotation.get("target")
    if isinstance(target, Mapping):
        source = target.get("source")
        return None, source if isinstance(source, str) else None
    if not isinstance(target, str):
        return None, None
    base, sep, fragment = target.partition("#")
    if sep and fragment.startswith(("prompt-", "comment-")):
        return None, base
    return target, None


def derive(annotation: Mapping[str, Any], lessons: Mapping[str, Lesson]) -> Fact:
    """The :class:`Fact` of an annotation, its passage anchored in its lesson's text."""
    parent, direct = step(annotation)
    try:
        info = target_info(annotation["target"])
        kind, prompt_id = info.kind, info.prompt_id
    except (AnnotationError, KeyError, TypeError):  # not a checked target: counted as a reply
        kind, prompt_id = "annotation", None
    text = note_text(annotation)
    lesson = lessons.get(direct) if direct is not None else None
    placed = place(lesson.document.text, annotation) if lesson is not None else None
    return Fact(
        str(annotation.get("id")),
        author(annotation),
        parent,
        direct,
        kind,
        prompt_id,
        annotation.get("motivation") == "commenting",
        len(text.split()) if text else 0,  # words as a reader counts them
        str(annotation.get("created", "")),
        str(annotation.get("modified", "")),
        text if kind == "prompt" else "",
        placed[0] if placed is not None else None,
        placed[1] if placed is not None else None,
    )


def report_facts(
    store: AnnotationStore, lessons: Mapping[str, Lesson]
) -> tuple[list[Fact], list[EventRow], dict[str, tuple[str, str]]]:
    """Every live annotation's :class:`Fact` (in :meth:`AnnotationStore.list`'s order), every
    event, and the kept heat maps, from one read. Kept facts whose seal holds are used as they
    are; the others are derived and kept (a store that cannot be written still reports)."""
    found = kept_rows.read(store)
    per_uri, elsewhere = contexts(lessons)
    accepted = {c.encode() for c in per_uri.values()} | {elsewhere.encode()}
    domain, secret = _DOMAIN.encode(), key()
    facts: list[Fact | None] = []
    missing: list[tuple[int, bytes, bytes]] = []
    for ident, stored, context, sealed in found.annotations:
        fact = None
        here = context.encode() if context is not None else b""
        if sealed is not None and here in accepted:
            content = unseal_bytes((domain, here, ident, stored), sealed, secret=secret)
            if content is not None:
                fact = _decoded(content)
            # Sealed for this annotation against some lesson text: this report's text for it?
            if fact is not None and per_uri.get(fact.direct or "", elsewhere).encode() != here:
                fact = None
        if fact is None:
            missing.append((len(facts), ident, stored))
        facts.append(fact)
    fresh: list[tuple[str, str, str]] = []
    for at, ident_bytes, stored_bytes in missing:
        row_id, json_text = ident_bytes.decode(), stored_bytes.decode()
        annotation = decode_json(json_text)
        fact = derive(annotation if isinstance(annotation, Mapping) else {}, lessons)
        against = per_uri.get(fact.direct or "", elsewhere)
        derived = _ENCODER.encode(fact).decode()
        sealed_fact = seal((_DOMAIN, against, row_id, json_text), derived, secret=secret)
        fresh.append((row_id, against, sealed_fact))
        facts[at] = fact
    with contextlib.suppress(StoreError):  # a cache: the next report derives them again
        kept_rows.save_facts(store, fresh, found.gone)
    return [f for f in facts if f is not None], found.events, found.heatmaps


def _decoded(content: bytes) -> Fact | None:
    try:
        return _DECODER.decode(content)
    except msgspec.DecodeError:  # sealed by an older reader-ext whose VERSION was not bumped
        return None


def heat_images(
    store: AnnotationStore,
    maps: Sequence[tuple[str, Heat, Sequence[Block], str]],
    kept: Mapping[str, tuple[str, str]],
) -> list[bytes]:
    """The heat map PNG of each ``(module uri, heat, blocks, title)``: the kept image where its
    seal binds it to a digest of everything it draws, else drawn (and kept)."""
    secret = key()
    images: list[bytes] = []
    fresh: list[tuple[str, str, str]] = []
    for uri, heat, blocks, title in maps:
        context = _heat_context(heat, blocks, title)
        kept_context, sealed = kept.get(uri, ("", ""))
        found = None
        if kept_context == context:
            encoded = unseal((_HEAT_DOMAIN, uri, context), sealed, secret=secret)
            with contextlib.suppress(binascii.Error, ValueError):
                found = base64.b64decode(encoded, validate=True) if encoded else None
        if found is None:
            found = heat_png(heat, blocks, title)
            encoded = base64.b64encode(found).decode()
            fresh.append((uri, context, seal((_HEAT_DOMAIN, uri, context), encoded, secret=secret)))
        images.append(found)
    with contextlib.suppress(StoreError):
        kept_rows.save_heatmaps(store, fresh)
    return images


def _heat_context(heat: Heat, blocks: Iterable[Block], title: str) -> str:
    """A digest of what a heat map image shows: the text, its paragraphs, the title, the class's
    size, each character's counts; and the code (:data:`VERSION`, Pillow's version)."""
    from PIL import __version__ as pillow

    digest = hashlib.sha256()
    what = (VERSION, pillow, title, str(heat.students), heat.text)
    digest.update("\x00".join(what).encode("utf-8", "surrogatepass"))
    for numbers in ([n for b in blocks for n in (b.start, b.end)], heat.counts, heat.notes):
        digest.update(b"\x00" + array("q", numbers).tobytes())
    return digest.hexdigest()[:32]
