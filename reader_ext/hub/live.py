"""Live delivery: every change on a lesson reaches, within a second, each reader allowed to see it.

One :class:`Broker` per service process. A write through this process calls :meth:`Broker.poke`;
with PostgreSQL, a NOTIFY from any replica does the same (:mod:`reader_ext.hub.notify`), so every
replica behind the proxy hears every write. A poke carries no data: the broker reads what changed
after its own cursor once per lesson, and hands each subscriber only what :func:`can_see` lets
it see. A subscriber that joins (or reconnects) first catches up from the cursor it had, so a
dropped connection misses nothing: the cursor, not the notification, is the source of truth.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from reader_ext.annotations.audience import Audience
from reader_ext.errors import StoreError
from reader_ext.hub.policy import Viewer, can_see, hidden_state
from reader_ext.store.classroom import Changes, ClassStore

log = logging.getLogger("reader_ext.hub")
RETRY_SECONDS = 1.0
"""How soon a delivery that met the database down is tried again."""

Send = Callable[[dict[str, Any]], Awaitable[None]]
ViewerFor = Callable[[str, str], Viewer]
"""``(user, source) -> Viewer``: how the broker learns what a reader may see now."""
Present = Callable[[dict[str, Any], Audience], dict[str, Any]]


@dataclass(eq=False, slots=True)
class Subscriber:
    source: str
    user: str
    send: Send
    cursor: int = 0


@dataclass(slots=True)
class _Lesson:
    cursor: int
    subscribers: set[Subscriber] = field(default_factory=set)
    pending: bool = False


class Broker:
    """Fans out each lesson's changes to its subscribers, in order, filtered per viewer."""

    def __init__(self, store: ClassStore, present: Present, viewer: ViewerFor) -> None:
        self._store = store
        self._present = present
        self._viewer_for = viewer
        self._viewers: dict[tuple[str, str], Viewer] = {}
        self._lessons: dict[str, _Lesson] = {}
        self._lock = asyncio.Lock()

    def viewer(self, user: str, source: str) -> Viewer:
        """What ``user`` may see on ``source``, cached until :meth:`forget` (one query per reader
        and lesson, not per delivery: 300 readers must not mean 300 queries a note)."""
        key = (user, source)
        found = self._viewers.get(key)
        if found is None:
            found = self._viewers[key] = self._viewer_for(user, source)
        return found

    def forget(self, source: str, user: str | None = None) -> None:
        """``user``'s (or everyone's) view of ``source`` changed: a post, a reveal, a hide."""
        for key in [k for k in self._viewers if k[1] == source and user in (None, k[0])]:
            del self._viewers[key]

    def lessons(self) -> list[str]:
        return list(self._lessons)

    def subscribers(self, source: str) -> int:
        lesson = self._lessons.get(source)
        return len(lesson.subscribers) if lesson else 0

    async def join(self, sub: Subscriber) -> None:
        """Catch ``sub`` up from its cursor, then deliver every later change to it."""
        async with self._lock:
            # Registered before reading: a write committed during the read pokes this lesson,
            # and its delivery (waiting for the lock) reaches ``sub``; and a last reader
            # leaving meanwhile cannot drop the lesson from under it.
            lesson = self._lessons.get(sub.source)
            if lesson is None:
                lesson = self._lessons[sub.source] = _Lesson(cursor=-1)
            lesson.subscribers.add(sub)
            try:
                await asyncio.to_thread(self.viewer, sub.user, sub.source)
                changes = await asyncio.to_thread(self._store.changes, sub.source, sub.cursor)
            except BaseException:
                self.leave(sub)
                raise
            if lesson.cursor < 0:
                lesson.cursor = changes.cursor
            # Changes after the lesson's cursor arrive with the next delivery; deliver up to it.
            await self._deliver_to(sub, changes, upto=lesson.cursor)
            sub.cursor = max(sub.cursor, lesson.cursor)

    def leave(self, sub: Subscriber) -> None:
        lesson = self._lessons.get(sub.source)
        if lesson is not None:
            lesson.subscribers.discard(sub)
            if not lesson.subscribers:
                del self._lessons[sub.source]

    def poke(self, source: str | None = None) -> None:
        """Something changed (on ``source``, or anywhere): deliver it soon, in order."""
        targets = [source] if source is not None else list(self._lessons)
        for name in targets:
            lesson = self._lessons.get(name)
            if lesson is not None and not lesson.pending:
                lesson.pending = True
                asyncio.get_running_loop().create_task(self._deliver(name))

    async def resync(self, source: str, user: str | None = None) -> None:
        """Who may see what changed (a reveal, a hide): send the lesson afresh to those readers."""
        lesson = self._lessons.get(source)
        if lesson is None:
            return
        self.forget(source, user)
        for sub in list(lesson.subscribers):
            if user is None or sub.user == user:
                await _safe_send(sub, {"type": "resync"})

    async def _deliver(self, source: str) -> None:
        async with self._lock:
            lesson = self._lessons.get(source)
            if lesson is None:
                return
            lesson.pending = False
            try:
                changes = await asyncio.to_thread(self._store.changes, source, lesson.cursor)
                if changes.cursor <= lesson.cursor:
                    return
                for sub in list(lesson.subscribers):
                    await self._deliver_to(sub, changes, upto=changes.cursor)
            except StoreError as exc:
                # The database is away (a restart): the lesson's cursor stays where it was and
                # the delivery is tried again; a reader reached before the failure gets those
                # changes twice, which is harmless (an annotation is replaced by its id).
                log.warning("live delivery on %s waits for the class database: %s", source, exc)
                asyncio.get_running_loop().call_later(RETRY_SECONDS, self.poke, source)
                return
            lesson.cursor = changes.cursor

    async def _deliver_to(self, sub: Subscriber, changes: Changes, *, upto: int) -> None:
        viewer = self.viewer(sub.user, sub.source)
        shown = [self._present(a, aud) for a, aud in changes.annotations if can_see(viewer, aud)]
        gone = [i for i, aud in changes.deleted if can_see(viewer, aud)]
        if shown or gone or sub.cursor == 0:
            message = {"type": "changes", "cursor": upto, "annotations": shown, "deleted": gone}
            if sub.cursor == 0:  # the catch-up says what hides classmates' notes, if anything
                message["hidden"] = hidden_state(viewer)
            await _safe_send(sub, message)
        sub.cursor = upto


async def _safe_send(sub: Subscriber, message: dict[str, Any]) -> None:
    try:
        await sub.send(message)
    except Exception:  # a closed socket: its handler leaves on close
        log.debug("dropping a message to a closed connection", exc_info=True)
