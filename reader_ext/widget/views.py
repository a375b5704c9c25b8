"""Opening a lesson in one query: each annotation's view derived once, kept in the store, sealed.

What the browser is sent about an annotation (:meth:`ReaderSession.view
<reader_ext.widget.session.ReaderSession.view>`: its kind, its place in the text anchored, its
note rendered and sanitised, its tags) depends only on the annotation as stored, the lesson's
text and the code that derives it — not on who reads, but for ``mine`` and one's own note's
Markdown, which end each packed row (:data:`reader_ext.widget.wire.COLUMNS`). So the reader
keeps each view's packed cells in the store (its ``views`` table), and opening a lesson reads
them beside the annotations in one query: no annotation parsed, anchored or rendered again.

A store file may come from anyone (a classmate's copy, a collected submission, a file edited by
hand), so a kept view is used only when its seal (:mod:`reader_ext.text.sealed`, under this
user's key) binds it to the annotation's stored JSON byte for byte and to this :func:`context`.
An edited annotation, a changed lesson text, a newer reader, another user's or a forged entry
fails the check: its view is derived again from the annotation, and kept in place of the old.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator

from reader_ext.annotations.fields import note_text
from reader_ext.errors import StoreError
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.text.markup import RENDERER_VERSION
from reader_ext.text.sealed import key, seal, unseal_bytes
from reader_ext.widget import wire
from reader_ext.widget.session import ReaderSession

VERSION = "2"
"""Of how a view is derived (:meth:`ReaderSession.view`, the anchoring): a change to either
bumps it, and every kept view is derived again on the next opening. (``tests/test_views.py``
pins the views of a fixed store to it, so that a change that forgets is caught. The fields a
view holds, and the note renderer, are in :func:`context` by themselves.)"""
_KEEP_AT_ONCE = 5000  # views derived before they are saved (a first opening, a changed text)
_DOMAIN = "reader-ext view"  # what a view's seal is of: never mistaken for a rendered note's
# Between a view's parts: JSON never holds a raw control character, so the split is unambiguous
# (and PostgreSQL's text can hold this one, not NUL).
_SEP = b"\x1f"


def context(session: ReaderSession) -> str:
    """What a view is derived against besides its annotation: this code (:data:`VERSION`, the
    fields of a packed row, the note renderer's version) and the lesson text; a short digest."""
    what = (VERSION, ",".join(wire.COLUMNS), RENDERER_VERSION, session.lesson.document.text_hash)
    return hashlib.sha256("\x00".join(what).encode()).hexdigest()[:32]


def snapshot_rows(session: ReaderSession) -> Iterator[list[bytes]]:
    """The session's snapshot as packed rows: from the views kept in its store, or (the class
    service keeps none) its views encoded as they are derived."""
    if isinstance(session.store, AnnotationStore):
        return packed_rows(session, session.store)
    return ([wire.encode_row(view) for view in chunk] for chunk in session.snapshot_chunks())


def packed_rows(session: ReaderSession, store: AnnotationStore) -> Iterator[list[bytes]]:
    """The rows of the session's snapshot, packed (:func:`reader_ext.widget.wire.row`), a
    thousand at a time, in :meth:`ReaderSession.snapshot_chunks`'s order and equal to its views.

    Kept views whose seal holds are used as they are, in the bytes the store holds; the others
    are derived (the notes' HTML from the rendered-note cache where it holds) and kept, a few
    thousand at a time. A store that cannot be written (full, read-only) is still read:
    keeping views only saves time.
    """
    here = context(session)
    domain, here_bytes = _DOMAIN.encode(), here.encode()
    secret = key()
    user = session.user.encode("utf-8", "surrogatepass")
    kept: list[tuple[str, str, str]] = []
    rendered: list[tuple[str, str, str]] = []
    for part in store.view_rows(source=session.lesson.uri):
        out: list[bytes] = []
        missing: list[tuple[int, str, str]] = []
        for ident, stored, kept_context, sealed in part:
            found = None
            if kept_context == here and sealed is not None:
                context_bytes = (domain, here_bytes, ident, stored)
                found = unseal_bytes(context_bytes, sealed, secret=secret)
            parts = found.split(_SEP, 2) if found is not None else ()
            if len(parts) != 3:
                missing.append((len(out), ident.decode(), stored.decode()))
                out.append(b"")
                continue
            leading, body, writer = parts
            out.append(wire.row(leading, body if writer == user else None))
        if missing:
            for at, derived_row in _derive(session, missing, here, secret, kept, rendered):
                out[at] = derived_row
            if len(kept) >= _KEEP_AT_ONCE:
                _keep(store, kept, rendered)
        yield out
    _keep(store, kept, rendered)


def _keep(
    store: AnnotationStore, kept: list[tuple[str, str, str]], rendered: list[tuple[str, str, str]]
) -> None:
    """Save the views (and notes' HTML) derived so far, and forget them: a first opening of
    100,000 holds a few thousand at a time. A write beside the read still under way (WAL: it
    waits for no reader), which does not see it: it only ever reads what was kept before."""
    with contextlib.suppress(StoreError):  # derived data: the next opening derives it again
        if rendered:
            store.save_rendered(rendered)
        if kept:
            store.save_views(kept)
    kept.clear()
    rendered.clear()


def _derive(
    session: ReaderSession,
    missing: list[tuple[int, str, str]],
    here: str,
    secret: bytes,
    kept: list[tuple[str, str, str]],
    rendered: list[tuple[str, str, str]],
) -> Iterator[tuple[int, bytes]]:
    """The rows of annotations ``(place, id, stored JSON)`` with no view to believe, derived
    from the annotations; their sealed views added to ``kept``, fresh HTML to ``rendered``."""
    annotations = [json.loads(stored) for _, _, stored in missing]
    html = session.rendered_notes(annotations, rendered)
    for (at, ident, stored), annotation in zip(missing, annotations, strict=True):
        view = session.view(annotation, html.get(ident))
        leading = wire.leading_cells(view)
        body = wire.text_json(note_text(annotation))
        writer = view["author"]
        derived = _SEP.decode().join((leading, body, writer))
        kept.append((ident, here, seal((_DOMAIN, here, ident, stored), derived, secret=secret)))
        mine = writer == session.user
        yield at, wire.row(leading.encode(), body.encode() if mine else None)
