"""The class service's request handlers: each checks who asks, what they may do and see.

Routes and what they take are listed in :mod:`reader_ext.hub.app`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime
from typing import Any, cast

from jupyterhub.services.auth import HubOAuthenticated
from tornado import web

from reader_ext.annotations import limits
from reader_ext.annotations.audience import MAX_REVEAL_POSTS, Audience, Reveal, reveal_posts_ok
from reader_ext.annotations.shape import target_info
from reader_ext.errors import AnnotationError, NotYourAnnotationError, StoreError
from reader_ext.hub.policy import (
    Member,
    Viewer,
    audience_for,
    can_change,
    can_hide,
    can_see,
    hidden_state,
)
from reader_ext.hub.service import Service, present

log = logging.getLogger("reader_ext.hub")
RECORDED_EVENTS = ("gloss-open",)
MAX_REQUEST_BYTES = 4 * limits.MAX_BODY_CHARS + 64 * 1024
UNAVAILABLE = "the class database cannot be reached; try again"


class _Base(HubOAuthenticated, web.RequestHandler):
    service: Service

    def initialize(self, service: Service) -> None:
        self.service = service

    def check_xsrf_cookie(self) -> None:
        # tornado checks XSRF before any handler code runs, but the Hub's check skips requests
        # authenticated by a token (a kernel's), which only identifying the user finds out.
        self.get_current_user()
        super().check_xsrf_cookie()

    def member(self) -> Member:
        model = self.get_current_user()
        if not model:
            raise web.HTTPError(403, "log in through the Hub first")
        model = cast(dict[str, Any], model)
        if model.get("kind", "user") != "user":
            raise web.HTTPError(403, "only Hub users take part in a class")
        groups = set(model.get("groups") or [])
        member = self.service.config.member(str(model["name"]), groups)
        if member is None:
            raise web.HTTPError(403, f"{model['name']} is not in this course's Hub groups")
        return member

    def body_json(self) -> dict[str, Any]:
        if len(self.request.body) > MAX_REQUEST_BYTES:
            raise web.HTTPError(413, f"request over {MAX_REQUEST_BYTES} bytes")
        try:
            data = json.loads(self.request.body or b"{}")
        except (ValueError, RecursionError) as exc:
            raise web.HTTPError(400, "the request body is not JSON") from exc
        if not isinstance(data, dict):
            raise web.HTTPError(400, "the request body must be a JSON object")
        return data

    def source_arg(self) -> str:
        source = self.get_argument("source", "")
        if not source or len(source) > limits.MAX_URI_CHARS:
            raise web.HTTPError(400, "source: give the lesson uri")
        return source

    def limit_write(self, member: Member) -> None:
        wait = self.service.writes.take(member.name)
        if wait > 0:
            self.set_header("Retry-After", str(max(1, round(wait))))
            raise web.HTTPError(429, "too many writes: slow down")

    def reply(self, data: dict[str, Any], status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(data, ensure_ascii=False))

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if isinstance(value, StoreError):  # said to the caller as 503; no traceback needed
            log.error("class store: %s", value)
            return
        super().log_exception(typ, value, tb)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        message = exc.log_message if isinstance(exc, web.HTTPError) and exc.log_message else None
        if isinstance(exc, StoreError):
            # Any read or write that meets the database down (a restart, a failover) is a
            # "try again", wherever in the handler it happened: never a 500.
            status_code, message = 503, UNAVAILABLE
            self.set_status(status_code)
        if status_code == 503:
            self.set_header("Retry-After", "1")
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps({"error": message or self._reason, "status": status_code}))

    def run(self, action: Any) -> Any:
        try:
            return action()
        except NotYourAnnotationError as exc:
            raise web.HTTPError(403, str(exc)) from exc
        except (AnnotationError, ValueError) as exc:
            raise web.HTTPError(400, str(exc)) from exc
        # A StoreError goes on to write_error, which says 503 wherever in a request it arose.

    def visible(self, member: Member, annotation_id: str) -> Audience:
        """The audience of an annotation ``member`` may see; 404 for one they may not, so that
        nobody learns another's private note exists."""
        audience = self.service.store.audience(annotation_id)
        if audience is None or not can_see(Viewer(member), audience):
            raise web.HTTPError(404, "no such annotation")
        return audience

    def own(self, annotation_id: str) -> tuple[Member, Audience]:
        """The caller and the audience of their own annotation, for a write that changes it
        (rate-limited; 404 for one they may not see, 403 for another's)."""
        member = self.member()
        self.limit_write(member)
        audience = self.visible(member, annotation_id)
        if not can_change(member, audience):
            raise web.HTTPError(403, "you can only change your own annotations")
        return member, audience

    async def changed(self, source: str, *, user: str | None = None, resync: bool = False) -> None:
        """Deliver what changed on ``source``: here at once, and to the other replicas (telling
        them whose view changed, ``user``, and whether to resync that user's readers)."""
        self.service.broker.poke(source)
        try:
            await self.service.notify(source, resync=resync, user=user)
        except StoreError as exc:
            # The write is committed: say so. The other replicas catch up when their listener
            # reconnects (it resyncs every lesson) or at the lesson's next change.
            log.warning("could not notify the other replicas of %s: %s", source, exc)


class MeHandler(_Base):
    @web.authenticated
    def get(self) -> None:
        member = self.member()
        self.reply(
            {
                "name": member.name,
                "role": member.role,
                "groups": sorted(member.groups),
                "course": self.service.config.course,
                "default_visibility": self.service.config.default_visibility,
                "visibilities": list(self.service.config.visibilities),
                "xsrf": self.xsrf_token.decode("ascii"),
            }
        )


class RosterHandler(_Base):
    """Who is in the course and in which discussion group: instructors only."""

    @web.authenticated
    async def get(self) -> None:
        member = self.member()
        if not member.is_instructor:
            raise web.HTTPError(403, "only instructors see the course's roster")
        roster = await self.service.roster()
        self.reply(roster.as_json())


class AnnotationsHandler(_Base):
    @web.authenticated
    async def get(self) -> None:
        member = self.member()
        source = self.source_arg()
        since = int_arg(self, "since")
        store = self.service.store
        viewer = await asyncio.to_thread(self.service.viewer, member, source)
        changes = await asyncio.to_thread(store.changes, source, since)
        self.reply(
            {
                "cursor": changes.cursor,
                "annotations": [
                    present(a, aud) for a, aud in changes.annotations if can_see(viewer, aud)
                ],
                "deleted": [i for i, aud in changes.deleted if can_see(viewer, aud)],
                "revealed": viewer.reveal.revealed(viewer.own_posts, viewer.now),
                "hidden": hidden_state(viewer),
            }
        )

    @web.authenticated
    async def post(self) -> None:
        member = self.member()
        self.limit_write(member)
        data = self.body_json()
        annotation = data.get("annotation")
        if not isinstance(annotation, dict):
            raise web.HTTPError(400, "annotation: expected a JSON object")
        visibility = data.get("visibility", self.service.config.default_visibility)
        student = _opt_str(data, "student")
        store = self.service.store
        if member.is_instructor and visibility == "instructors" and student is not None:
            # A 1:1 note goes to someone in the course, never to a name made up or mistyped.
            roster = await self.service.roster()
            if roster.complete and not roster.has_student(student):
                raise web.HTTPError(400, f"student: {student!r} is not a student in this course")

        def post() -> tuple[dict[str, Any], Audience, str]:
            info = target_info(annotation.get("target", ""))
            thread = None
            if info.kind == "annotation" and info.target_id:
                thread = store.audience(info.target_id)
                if thread is None:
                    raise ValueError("target: no such annotation")
            elif visibility not in self.service.config.visibilities:
                allowed = ", ".join(self.service.config.visibilities)
                raise ValueError(f"visibility: this course allows {allowed}")
            audience = audience_for(
                member,
                visibility,
                group=_opt_str(data, "group"),
                student=student,
                thread=thread,
            )
            stored = store.post(
                annotation, user=member.name, audience=audience, doc_hash=_opt_str(data, "doc_hash")
            )
            source = store.source_of(stored)
            return stored, audience, source

        def counted(source: str) -> tuple[bool, bool]:
            """Does the lesson hide until posted (so a post changes what its author may see),
            and must the author's reader be sent the lesson afresh? The post that reaches the
            threshold reveals classmates' notes; one before it changes what the reader says is
            left to post."""
            after = store.reveal(source).after_posts
            if after is None:
                return False, False
            return True, not member.is_instructor and store.own_posts(member.name, source) <= after

        stored, audience, source = await asyncio.to_thread(self.run, post)
        counts, resync = await asyncio.to_thread(counted, source)  # off the event loop
        if resync:
            await self.service.broker.resync(source, member.name)
        if counts:
            self.service.broker.forget(source, member.name)
        # The other replicas do the same for this student's readers connected to them.
        await self.changed(source, user=member.name if counts else None, resync=resync)
        self.reply(present(stored, audience), status=201)


class AnnotationHandler(_Base):
    @web.authenticated
    async def patch(self, annotation_id: str) -> None:
        member, audience = self.own(annotation_id)
        body = self.body_json().get("body")
        if not isinstance(body, list):
            raise web.HTTPError(400, "body: expected a list of bodies")
        store = self.service.store.annotations
        edited = await asyncio.to_thread(
            self.run, lambda: store.edit(annotation_id, user=member.name, body=body)
        )
        await self._changed(edited)
        self.reply(present(edited, audience))

    @web.authenticated
    async def delete(self, annotation_id: str) -> None:
        member, _ = self.own(annotation_id)
        store = self.service.store.annotations
        await asyncio.to_thread(self.run, lambda: store.delete(annotation_id, user=member.name))
        gone = store.get(annotation_id, include_deleted=True)
        if gone is not None:
            await self._changed(gone)
        self.reply({"deleted": annotation_id})

    async def _changed(self, annotation: dict[str, Any]) -> None:
        await self.changed(self.service.store.source_of(annotation))


class RestoreHandler(AnnotationHandler):
    @web.authenticated
    async def post(self, annotation_id: str) -> None:
        member, audience = self.own(annotation_id)
        store = self.service.store.annotations
        restored = await asyncio.to_thread(
            self.run, lambda: store.restore(annotation_id, user=member.name)
        )
        await self._changed(restored)
        self.reply(present(restored, audience))


class HideHandler(_Base):
    @web.authenticated
    async def post(self, annotation_id: str) -> None:
        member = self.member()
        if not can_hide(member):
            raise web.HTTPError(403, "only instructors hide annotations")
        hidden = self.body_json().get("hidden", True)
        if not isinstance(hidden, bool):
            raise web.HTTPError(400, "hidden: expected true or false")
        store = self.service.store
        annotation = store.annotations.get(annotation_id, include_deleted=True)
        if annotation is None or not store.set_hidden(annotation_id, hidden=hidden, by=member.name):
            raise web.HTTPError(404, "no such annotation")
        source = store.source_of(annotation)
        await self.service.broker.resync(source)
        await self.service.notify(source, resync=True)
        self.reply({"id": annotation_id, "hidden": hidden})


class EventsHandler(_Base):
    """What the reader records for the report (a gloss opened), always as the Hub user."""

    @web.authenticated
    async def post(self) -> None:
        member = self.member()
        self.limit_write(member)
        data = self.body_json()
        kind = data.get("kind")
        if kind not in RECORDED_EVENTS:
            raise web.HTTPError(400, f"kind: one of {', '.join(RECORDED_EVENTS)}")
        source, key = _opt_str(data, "source"), _opt_str(data, "key")
        if not source or not key:
            raise web.HTTPError(400, "source and key: say which lesson and which gloss")
        store = self.service.store.annotations
        await asyncio.to_thread(
            self.run,
            lambda: store.record_event(str(kind), user=member.name, source=source, key=key),
        )
        self.reply({"recorded": kind}, status=201)


class RevealHandler(_Base):
    @web.authenticated
    async def get(self) -> None:
        if not self.member().is_instructor:
            raise web.HTTPError(403, "only instructors see when notes are revealed")
        source = self.source_arg()
        reveal = await asyncio.to_thread(self.service.store.reveal, source)
        at = reveal.at.isoformat() if reveal.at else None
        self.reply({"source": source, "after_posts": reveal.after_posts, "at": at})

    @web.authenticated
    async def put(self) -> None:
        member = self.member()
        if not member.is_instructor:
            raise web.HTTPError(403, "only instructors set when notes are revealed")
        source = self.source_arg()
        data = self.body_json()
        after = data.get("after_posts")
        if not reveal_posts_ok(after):
            raise web.HTTPError(
                400, f"after_posts: a whole number from 1 to {MAX_REVEAL_POSTS}, or null"
            )
        at_text = data.get("at")
        try:
            at = datetime.fromisoformat(at_text.replace("Z", "+00:00")) if at_text else None
        except (AttributeError, ValueError) as exc:
            raise web.HTTPError(400, "at: an ISO 8601 time with its offset, or null") from exc
        if at is not None and at.tzinfo is None:
            raise web.HTTPError(400, "at: give the time with its offset (e.g. Z)")
        reveal = Reveal(after, at)
        await asyncio.to_thread(self.service.store.set_reveal, source, reveal)
        self.service.schedule_reveal(source, at)
        await self.service.broker.resync(source)
        await self.service.notify(source, resync=True)
        self.reply({"source": source, "after_posts": after, "at": at_text})


def int_arg(handler: web.RequestHandler, name: str) -> int:
    value = handler.get_argument(name, "0")
    if not value.isdigit() or len(value) > 18:
        raise web.HTTPError(400, f"{name}: a whole number")
    return int(value)


def _opt_str(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limits.MAX_URI_CHARS:
        raise web.HTTPError(400, f"{key}: expected a short string")
    return value
