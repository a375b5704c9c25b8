"""What the reader does with a reader's actions: messages from the browser in, replies out.

Pure Python over an :class:`~reader_ext.store.annotation_store.AnnotationStore` (no widget), so
every rule is tested without a browser. The browser's messages are untrusted: each is checked
for shape and size here, the author is always the session's user (never a field of the
message), and the store enforces that only an annotation's creator may change it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, get_args

from reader_ext.anchoring import anchor, describe
from reader_ext.annotations import limits
from reader_ext.annotations.audience import Visibility
from reader_ext.annotations.fields import author, lesson_source, note_text, tags
from reader_ext.annotations.shape import target_info
from reader_ext.errors import (
    AnnotationError,
    MessageError,
    NotYourAnnotationError,
    StoreError,
)
from reader_ext.lessons.model import Lesson
from reader_ext.store.annotation_store import AnnotationStore
from reader_ext.text.markup import RENDERER_VERSION, render_note
from reader_ext.text.sealed import key, seal, unseal
from reader_ext.widget.chosen import chosen_audience, reply_audience
from reader_ext.widget.payload import lesson_payload
from reader_ext.widget.protocol import (
    ANNOTATION_KINDS,
    AnnotationView,
    AudienceChoice,
    DeletedMessage,
    ErrorMessage,
    HiddenPayload,
    KernelMessage,
    LessonPayload,
    RecordedMessage,
    RevealMessage,
    RosterPayload,
    SavedMessage,
    SnapshotMessage,
)
from reader_ext.widget.reveal import reveal_setting


class ReaderSession:
    """One reader's view of one lesson's annotations in one store."""

    def __init__(
        self,
        lesson: Lesson,
        store: AnnotationStore,
        user: str,
        payload: LessonPayload | None = None,
        audiences: list[AudienceChoice] | None = None,
        roster: RosterPayload | None = None,
    ) -> None:
        self.lesson = lesson
        self.store = store
        self.user = user
        # Class mode: who a new note may be for (the service checks each post again).
        self.audiences = audiences or []
        # Class mode, an instructor: the course's students and groups (from the Hub's groups).
        self.roster = roster
        self._payload = payload
        self._prompts = {p.id for p in lesson.prompts}
        self._comments = {c.id for c in lesson.comments}

    # -- reading -------------------------------------------------------------------------------

    @property
    def payload(self) -> LessonPayload:
        """The lesson as the browser is sent it (built on first use)."""
        if self._payload is None:
            self._payload = lesson_payload(self.lesson)
        return self._payload

    def snapshot_message(self, req: int | None, *, with_lesson: bool) -> SnapshotMessage:
        """The lesson's annotations for the browser; ``with_lesson`` adds the lesson itself, as
        the answer to ``hello`` does (a live update does not: the browser has it)."""
        return SnapshotMessage(
            type="snapshot",
            req=req,
            user=self.user,
            lesson=self.payload if with_lesson else None,
            annotations=self.snapshot(),
            audiences=self.audiences,
            roster=self.roster,
            hidden=self.hidden(),
        )

    def hidden(self) -> HiddenPayload | None:
        """Class mode: what hides classmates' notes from this reader now, as the service said."""
        hidden = getattr(self.store, "hidden", None)
        return hidden(self.lesson.uri) if hidden is not None else None

    def snapshot(self) -> list[AnnotationView]:
        """Every live annotation on this lesson, anchored in the current text."""
        return [view for chunk in self.snapshot_chunks() for view in chunk]

    def snapshot_chunks(self) -> Iterator[list[AnnotationView]]:
        """:meth:`snapshot` a thousand views at a time, so that what is sent can be built
        without holding every stored annotation in memory (a store of 100,000)."""
        chunks = getattr(self.store, "list_chunks", None)  # the class service has no chunks
        source = self.lesson.uri
        parts = chunks(source=source) if chunks else iter([self.store.list(source=source)])
        fresh: list[tuple[str, str, str]] = []
        for part in parts:
            html = self.rendered_notes(part, fresh)
            yield [self.view(a, html.get(a["id"])) for a in part]
        if fresh:
            # A cache: a store that cannot be written (full, read-only) still opens.
            with contextlib.suppress(StoreError):
                self.store.save_rendered(fresh)

    def rendered_notes(
        self, annotations: list[dict[str, Any]], fresh: list[tuple[str, str, str]]
    ) -> dict[str, str]:
        """Note bodies as HTML (:func:`rendered_notes`, from this session's store)."""
        return rendered_notes(self.store, annotations, fresh)

    def view(self, annotation: Mapping[str, Any], html: str | None = None) -> AnnotationView:
        text = note_text(annotation)
        writer = author(annotation)
        target = annotation["target"]
        info = target_info(target)
        view = AnnotationView(
            id=annotation["id"],
            kind="note" if text else "highlight",
            author=writer,
            mine=writer == self.user,
            created=annotation.get("created", ""),
            modified=annotation.get("modified", ""),
            # Only one's own notes are edited, so only they carry their Markdown source.
            body=text if writer == self.user else "",
            body_html=(html if html is not None else render_note(text)) if text else "",
            tags=tags(annotation),
            quote=None,
            start=None,
            end=None,
            anchor=None,
            reply_to=None,
            prompt=None,
            comment=None,
            visibility=None,
            for_group=None,
            for_student=None,
        )
        audience = getattr(self.store, "audience", None)  # class mode: who it is for
        found = audience(annotation["id"]) if audience is not None else None
        if isinstance(found, Mapping) and found.get("visibility") in get_args(Visibility):
            view["visibility"] = found["visibility"]
            view["for_group"] = _opt(found.get("group"))
            view["for_student"] = _opt(found.get("student"))
        if info.kind == "text":
            selectors = target["selector"]
            for selector in selectors:
                if selector.get("type") == "TextQuoteSelector":
                    view["quote"] = selector.get("exact")
                    break
            found = anchor(self.lesson.document.text, selectors)
            if found is None:
                view["anchor"] = "orphan"
            else:
                view["start"], view["end"], view["anchor"] = found.start, found.end, found.method
        elif info.kind == "prompt":
            view["kind"], view["prompt"] = "answer", info.prompt_id
        elif info.kind == "comment":
            view["kind"] = "comment-reply"
            view["comment"] = str(target).rpartition("#comment-")[2]
        elif info.kind == "lesson":
            # {"source": <lesson uri>} with no selector: a note on the whole lesson.
            view["kind"] = "lesson-note"
        else:
            view["kind"], view["reply_to"] = "reply", str(target)
        return view

    # -- writing -------------------------------------------------------------------------------

    def handle(self, msg: object) -> KernelMessage:
        """Act on one browser message and return the kernel's answer to it.

        ``msg`` should be a :data:`~reader_ext.widget.protocol.BrowserMessage`, but comes from
        the browser: it is an ``object`` here until every field has been checked.
        """
        req = msg.get("req") if isinstance(msg, Mapping) else None
        req = req if isinstance(req, int) and not isinstance(req, bool) else None
        try:
            if not isinstance(msg, Mapping):
                raise MessageError("message: expected an object")
            kind = msg.get("type")
            if kind == "hello":
                return self.snapshot_message(req, with_lesson=True)
            if kind == "create":
                return SavedMessage(type="saved", req=req, annotation=self._create(msg))
            if kind == "edit":
                return SavedMessage(type="saved", req=req, annotation=self._edit(msg))
            if kind == "delete":
                annotation_id = _string(msg, "id", limits.MAX_URI_CHARS)
                self.store.delete(annotation_id, user=self.user)
                return DeletedMessage(type="deleted", req=req, id=annotation_id)
            if kind == "restore":
                annotation_id = _string(msg, "id", limits.MAX_URI_CHARS)
                restored = self.store.restore(annotation_id, user=self.user)
                return SavedMessage(type="saved", req=req, annotation=self.view(restored))
            if kind == "gloss-open":
                key = _string(msg, "key", limits.MAX_EVENT_FIELD_CHARS)
                if self.lesson.gloss(key) is None:
                    raise MessageError(f"key: no gloss {key!r} in this lesson")
                self.store.record_event(
                    "gloss-open", user=self.user, source=self.lesson.uri, key=key
                )
                return RecordedMessage(type="recorded", req=req)
            if kind in ("get-reveal", "set-reveal"):
                change = msg if kind == "set-reveal" else None
                reveal = reveal_setting(self.store, self.lesson.uri, change)
                return RevealMessage(type="reveal", req=req, reveal=reveal)
            raise MessageError(f"type: unknown message type {kind!r}")
        except NotYourAnnotationError:
            message = "You can only change your own annotations."
            return ErrorMessage(type="error", req=req, message=message)
        except (MessageError, AnnotationError, ValueError) as exc:
            return ErrorMessage(type="error", req=req, message=_friendly(str(exc)))
        except StoreError as exc:
            # The disk is full, the file read-only, the class service down: say so, and the
            # browser keeps the text (nothing was saved).
            return ErrorMessage(type="error", req=req, message=str(exc))

    def _create(self, msg: Mapping[str, Any]) -> AnnotationView:
        kind = msg.get("kind")
        if kind not in ANNOTATION_KINDS:
            raise MessageError(f"kind: expected one of {', '.join(ANNOTATION_KINDS)}")
        body = _bodies(msg, required=kind != "highlight")
        annotation: dict[str, Any] = {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "type": "Annotation",
        }
        if kind in ("highlight", "note"):
            start, end = _int(msg, "start"), _int(msg, "end")
            text = self.lesson.document.text
            if not 0 <= start < end <= len(text):
                raise MessageError(
                    f"start/end: the selection must lie inside the text (0–{len(text)})"
                )
            if end - start > limits.MAX_QUOTE_CHARS:
                raise MessageError(
                    f"selection: {end - start} characters, over the limit of "
                    f"{limits.MAX_QUOTE_CHARS}; select a shorter passage"
                )
            # Selections often take a space or line break at either end; it is not the passage.
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start == end:
                raise MessageError("selection: only white space was selected")
            annotation["target"] = {
                "source": self.lesson.uri,
                "selector": describe(text, start, end),
            }
            annotation["motivation"] = "commenting" if body else "highlighting"
        else:
            annotation["motivation"] = "replying"
            annotation["target"] = self._reply_target(kind, msg)
        if body:
            annotation["body"] = body
        audience = (
            chosen_audience(msg, self.audiences, self.roster)
            if kind in ("highlight", "note", "answer")
            else reply_audience(kind, msg, self.roster)
        )
        stored = self.store.add(
            annotation, user=self.user, doc_hash=self.lesson.document.text_hash, **audience
        )
        return self.view(stored)

    def _reply_target(self, kind: str, msg: Mapping[str, Any]) -> str:
        if kind == "answer":
            prompt = _string(msg, "prompt", 200)
            if prompt not in self._prompts:
                raise MessageError(f"prompt: no prompt {prompt!r} in this lesson")
            return f"{self.lesson.uri}#prompt-{prompt}"
        if kind == "comment-reply":
            comment = _string(msg, "comment", 200)
            if comment not in self._comments:
                raise MessageError(f"comment: no reader comment {comment!r} in this lesson")
            return f"{self.lesson.uri}#comment-{comment}"
        parent = _string(msg, "reply_to", limits.MAX_URI_CHARS)
        found = self.store.get(parent)
        if found is None or lesson_source(found, self.store.get) != self.lesson.uri:
            raise MessageError("reply_to: the annotation replied to does not exist")
        return parent

    def _edit(self, msg: Mapping[str, Any]) -> AnnotationView:
        annotation_id = _string(msg, "id", limits.MAX_URI_CHARS)
        current = self.store.get(annotation_id)
        if current is None:
            raise MessageError("id: no such annotation (was it deleted?)")
        is_reply = current.get("motivation") == "replying"
        body = _bodies(msg, required=is_reply)
        return self.view(self.store.edit(annotation_id, user=self.user, body=body))


def _opt(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _string(msg: Mapping[str, Any], key: str, limit: int) -> str:
    value = msg.get(key)
    if not isinstance(value, str) or not value:
        raise MessageError(f"{key}: expected a non-empty string")
    if len(value) > limit:
        raise MessageError(f"{key}: longer than {limit} characters")
    return value


def _int(msg: Mapping[str, Any], key: str) -> int:
    value = msg.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise MessageError(f"{key}: expected a whole number")
    return value


def _bodies(msg: Mapping[str, Any], *, required: bool) -> list[dict[str, str]]:
    text = msg.get("body", "")
    tags = msg.get("tags", [])
    if not isinstance(text, str):
        raise MessageError("body: expected text")
    if len(text) > limits.MAX_BODY_CHARS:
        raise MessageError(
            f"body: {len(text):,} characters, over the limit of {limits.MAX_BODY_CHARS:,}; "
            "shorten the note (your text is kept in the box)"
        )
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise MessageError("tags: expected a list of words")
    if len(tags) > limits.MAX_TAGS:
        raise MessageError(f"tags: at most {limits.MAX_TAGS} tags")
    if required and not text.strip():
        raise MessageError("body: write something first")
    bodies: list[dict[str, str]] = []
    if text.strip():
        bodies.append(
            {
                "type": "TextualBody",
                "value": text,
                "format": "text/markdown",
                "purpose": "commenting",
            }
        )
    seen: set[str] = set()
    for tag in (t.strip() for t in tags):
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            bodies.append({"type": "TextualBody", "value": tag, "purpose": "tagging"})
    return bodies


def _friendly(message: str) -> str:
    return message[:1].upper() + message[1:] if message else "Something went wrong."


def rendered_notes(
    store: AnnotationStore,
    annotations: Sequence[Mapping[str, Any]],
    fresh: list[tuple[str, str, str]],
) -> dict[str, str]:
    """Note bodies as HTML, by annotation id: from ``store``'s cache where this user sealed
    it, else rendered (:func:`reader_ext.text.markup.render_note`).

    A store file may come from anyone, so a cached rendering is only reused when its seal
    (:mod:`reader_ext.text.sealed`) proves that this user's reader (or report) made it from this
    very note; anything else is rendered again from the note's Markdown (and added to
    ``fresh``, to be cached).
    """
    notes = [(a["id"], str(a.get("modified")), note_text(a)) for a in annotations]
    return rendered_texts(store, notes, fresh)


def rendered_texts(
    store: AnnotationStore,
    notes: Sequence[tuple[str, str, str]],
    fresh: list[tuple[str, str, str]],
) -> dict[str, str]:
    """:func:`rendered_notes` of notes given as ``(annotation id, modified, Markdown)``."""
    versions = {ident: f"{modified}; {RENDERER_VERSION}" for ident, modified, _ in notes}
    cached = store.rendered(versions)
    html: dict[str, str] = {}
    secret = key()
    for ident, _, text in notes:
        if not text:
            continue
        context = (ident, versions[ident], text)
        sealed_html = cached.get(ident)
        found = unseal(context, sealed_html, secret=secret) if sealed_html else None
        if found is None:
            found = render_note(text)
            fresh.append((ident, versions[ident], seal(context, found, secret=secret)))
        html[ident] = found
    return html
