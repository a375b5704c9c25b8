"""Live delivery: every change on a lesson reaches, within a second, each reader allowed to see it.

One :class:`Broker` per service process. A write through this process calls :meth:`Broker.poke`;
with PostgreSQL, a NOTIFY from any replica does the same (:mod:`reader_ext.hub.notify`), so every
replica behind the proxy hears every write. A poke carries no data: the broker reads what changed
after its own cursor once per lesson, and hands each subscriber only what :func:`can_see` lets
it see. A subscriber that joins (or reconnects) first catches up from the cursor it had, so a
dropped connection misses nothing: the cursor, not the notification, is the source of truth.

A delivery costs little per reader: each changed annotation is serialised once, readers who may
see the same of them (most of a class, usually) share one encoded message, and a socket is written
without waiting for it (:class:`Outbox`), so one slow reader holds up nobody; changes that arrive
close together (:data:`BATCH_SECONDS`, or while a delivery runs) go out together.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from reader_ext.annotations.audience import Audience
from reader_ext.errors import StoreError
from reader_ext.hub.policy import Viewer, can_see, hidden_state, sight
from reader_ext.store.classroom import Changes, ClassStore

log = logging.getLogger("reader_ext.hub")
RETRY_SECONDS = 1.0
"""How soon a delivery that met the database down is tried again."""
BATCH_SECONDS = 0.05
"""A lesson's deliveries start at most this often: in a busy class, the notes of these moments
go to each reader in one message (far fewer writes); a note in a quiet class goes at once."""

MAX_UNSENT_BYTES = 8 << 20
"""A reader whose socket has this much not yet written is closed: it reconnects and catches up
from its cursor, instead of the service holding an ever-growing backlog for it."""
TOO_SLOW = "too far behind: reconnect and catch up from your cursor"
RESYNC = b'{"type": "resync"}'

Send = Callable[[bytes], None]
"""Queue one encoded message (JSON, UTF-8) on a reader's socket, without waiting for it."""
Write = Callable[[bytes], "asyncio.Future[None]"]
ViewerFor = Callable[[str, str], Viewer]
"""``(user, source) -> Viewer``: how the broker learns what a reader may see now."""
Present = Callable[[dict[str, Any], Audience], dict[str, Any]]


@dataclass(eq=False, slots=True)
class Subscriber:
    source: str
    user: str
    send: Send
    cursor: int = 0


class Outbox:
    """A reader's socket as the broker writes it: in order, never waited for, bounded.

    ``write`` queues bytes and returns a future done once they are written (tornado's
    ``write_message``); ``close(code, reason)`` ends the connection.
    """

    def __init__(
        self, write: Write, close: Callable[[int, str], None], limit: int = MAX_UNSENT_BYTES
    ) -> None:
        self._write = write
        self._close = close
        self._limit = limit
        self.unsent = 0
        """Bytes queued and not yet written to the socket."""
        self.closed = False

    def __call__(self, data: bytes) -> None:
        if self.closed:
            return
        if self.unsent > self._limit:
            log.info("closing a live connection %d bytes behind", self.unsent)
            self.closed = True
            self._close(1013, TOO_SLOW)
            return
        future = self._write(data)
        self.unsent += len(data)
        future.add_done_callback(functools.partial(self._written, len(data)))

    def _written(self, size: int, future: asyncio.Future[None]) -> None:
        self.unsent -= size
        if not future.cancelled():
            future.exception()  # a socket closed meanwhile: its handler leaves on close


@dataclass(slots=True)
class _Lesson:
    cursor: int
    subscribers: set[Subscriber] = field(default_factory=set)
    pending: bool = False
    started: float = float("-inf")
    """When (the event loop's clock) its last delivery started."""


class Broker:
    """Fans out each lesson's changes to its subscribers, in order, filtered per viewer."""

    def __init__(self, store: ClassStore, present: Present, viewer: ViewerFor) -> None:
        self._store = store
        self._present = present
        self._viewer_for = viewer
        self._viewers: dict[tuple[str, str], Viewer] = {}
        self._forgotten = 0
        """How many times :meth:`forget` was called: a viewer read meanwhile is not cached."""
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
        self._forgotten += 1
        if user is not None:
            self._viewers.pop((user, source), None)
            return
        for key in [k for k in self._viewers if k[1] == source]:
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
                viewer = await asyncio.to_thread(self.viewer, sub.user, sub.source)
                changes = await asyncio.to_thread(self._store.changes, sub.source, sub.cursor)
            except BaseException:
                self.leave(sub)
                raise
            if lesson.cursor < 0:
                lesson.cursor = changes.cursor
            # Changes after the lesson's cursor arrive with the next delivery; deliver up to it.
            self._fan_out([(sub, viewer)], changes, upto=lesson.cursor)
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
                loop = asyncio.get_running_loop()
                wait = lesson.started + BATCH_SECONDS - loop.time()
                if wait > 0:
                    loop.call_later(wait, self._start, name)
                else:
                    self._start(name)

    def _start(self, source: str) -> None:
        asyncio.get_running_loop().create_task(self._deliver(source))

    async def resync(self, source: str, user: str | None = None) -> None:
        """Who may see what changed (a reveal, a hide): send the lesson afresh to those readers."""
        lesson = self._lessons.get(source)
        if lesson is None:
            return
        self.forget(source, user)
        for sub in list(lesson.subscribers):
            if user is None or sub.user == user:
                _safe_send(sub, RESYNC)

    async def _deliver(self, source: str) -> None:
        async with self._lock:
            lesson = self._lessons.get(source)
            if lesson is None:
                return
            lesson.pending = False
            lesson.started = asyncio.get_running_loop().time()
            try:
                changes = await asyncio.to_thread(self._store.changes, source, lesson.cursor)
                if changes.cursor <= lesson.cursor:
                    return
                subs = list(lesson.subscribers)
                viewers = await self._viewers_of(subs)
                self._fan_out(list(zip(subs, viewers, strict=True)), changes, upto=changes.cursor)
            except StoreError as exc:
                # The database is away (a restart): the lesson's cursor stays where it was and
                # the delivery is tried again; a reader reached before the failure gets those
                # changes twice, which is harmless (an annotation is replaced by its id).
                log.warning("live delivery on %s waits for the class database: %s", source, exc)
                asyncio.get_running_loop().call_later(RETRY_SECONDS, self.poke, source)
                return
            lesson.cursor = changes.cursor

    async def _viewers_of(self, subs: list[Subscriber]) -> list[Viewer]:
        """Each subscriber's viewer: cached ones at once, the others (a reader who just posted,
        say) read together in a thread, never on the event loop."""
        keys = [(s.user, s.source) for s in subs]
        found = {k: v for k in keys if (v := self._viewers.get(k)) is not None}
        wanted = {k for k in keys if k not in found}
        if wanted:
            forgotten = self._forgotten
            read = await asyncio.to_thread(lambda: {k: self._viewer_for(*k) for k in wanted})
            found.update(read)
            if forgotten == self._forgotten:  # else one may be stale: read it again next time
                self._viewers.update(read)
        return [found[k] for k in keys]

    def _fan_out(
        self, readers: Iterable[tuple[Subscriber, Viewer]], changes: Changes, *, upto: int
    ) -> None:
        """Send each reader what ``changes`` holds that it may see, advancing it to ``upto``.

        :func:`can_see` is asked once per :func:`sight` (most of a class shares one), and readers
        who may see the same get the same bytes: each annotation is encoded at most once, each
        distinct message once.
        """
        encoded: dict[int, bytes] = {}
        messages: dict[tuple[tuple[int, ...], tuple[int, ...]], bytes] = {}
        audiences = [aud for _, aud in changes.annotations] + [aud for _, aud in changes.deleted]
        names = frozenset(n for aud in audiences for n in (aud.author, aud.student) if n)
        seen: dict[Hashable, tuple[tuple[int, ...], tuple[int, ...]]] = {}
        for sub, viewer in readers:
            key = sight(viewer, names)
            if key not in seen:
                seen[key] = (
                    tuple(i for i, (_, a) in enumerate(changes.annotations) if can_see(viewer, a)),
                    tuple(i for i, (_, a) in enumerate(changes.deleted) if can_see(viewer, a)),
                )
            shown, gone = seen[key]
            if shown or gone or sub.cursor == 0:
                for i in shown:
                    if i not in encoded:
                        encoded[i] = _encode(self._present(*changes.annotations[i]))
                if sub.cursor == 0:
                    # A catch-up also says what hides classmates' notes from this reader, if
                    # anything (its own posts and the reveal time): its own bytes, never shared.
                    message = _changes_message(
                        upto,
                        [encoded[i] for i in shown],
                        [changes.deleted[i][0] for i in gone],
                        hidden=_encode(hidden_state(viewer)),
                    )
                elif (shared := messages.get((shown, gone))) is not None:
                    message = shared
                else:
                    message = messages[(shown, gone)] = _changes_message(
                        upto, [encoded[i] for i in shown], [changes.deleted[i][0] for i in gone]
                    )
                _safe_send(sub, message)
            sub.cursor = upto


def _changes_message(
    cursor: int, annotations: list[bytes], deleted: list[str], *, hidden: bytes | None = None
) -> bytes:
    """``{"type": "changes", "cursor", "annotations", "deleted"}``, annotations encoded once;
    a catch-up's also has ``"hidden"`` (given encoded, ``null`` included: nothing hides)."""
    return b"".join(
        (
            b'{"type": "changes", "cursor": %d, "annotations": [' % cursor,
            b", ".join(annotations),
            b'], "deleted": ',
            _encode(deleted),
            b', "hidden": ' + hidden if hidden is not None else b"",
            b"}",
        )
    )


def _encode(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _safe_send(sub: Subscriber, message: bytes) -> None:
    try:
        sub.send(message)
    except Exception:  # a closed socket: its handler leaves on close
        log.debug("dropping a message to a closed connection", exc_info=True)
