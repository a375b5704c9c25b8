"""What the class service's handlers share: configuration, the store, the broker and the limits."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections import Counter
from collections.abc import Coroutine
from datetime import datetime, timezone
from typing import Any

from reader_ext.annotations.audience import Audience
from reader_ext.hub.config import ClassConfig
from reader_ext.hub.live import Broker
from reader_ext.hub.policy import Member, Viewer
from reader_ext.hub.ratelimit import TokenBucket
from reader_ext.hub.roster import HubRoster, Roster
from reader_ext.store.classroom import ClassStore
from reader_ext.store.notice import Notice


class Service:
    """What the handlers share: configuration, the class store, the broker and the limits."""

    def __init__(self, config: ClassConfig, store: ClassStore) -> None:
        self.config = config
        self.store = store
        self.broker = Broker(store, present, self._viewer)
        self.replica = secrets.token_hex(8)
        """This process, among the replicas behind the proxy (in each NOTIFY it sends)."""
        per_second = config.limits.writes_per_minute / 60.0
        self.writes = TokenBucket(per_second, config.limits.write_burst)
        self.connections: Counter[str] = Counter()
        self.members: dict[str, Member] = {}
        """The members this process has met: live deliveries filter by them."""
        self.hub_roster = HubRoster(
            config,
            os.environ.get("JUPYTERHUB_API_URL", ""),
            os.environ.get("JUPYTERHUB_API_TOKEN", ""),
        )
        self._reveals: dict[str, asyncio.TimerHandle] = {}
        self._watched: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    async def roster(self) -> Roster:
        """Who is in the course and in which discussion group (for instructors' readers)."""
        return await self.hub_roster.get(list(self.members.values()))

    async def watch_reveal(self, source: str, *, again: bool = False) -> None:
        """Keep ``source``'s reveal time: once per lesson and process when a reader follows it
        (so that a restarted service still reveals on time), and ``again`` when it changed."""
        if source in self._watched and not again:
            return
        reveal = await asyncio.to_thread(self.store.reveal, source)  # may fail: asked again
        self._watched.add(source)
        self.schedule_reveal(source, reveal.at)

    def schedule_reveal(self, source: str, at: datetime | None) -> None:
        """At the lesson's reveal time, every reader of it is sent the lesson afresh: notes that
        time reveals arrive with no reload (a view is only computed again when told to)."""
        timer = self._reveals.pop(source, None)
        if timer is not None:
            timer.cancel()
        if at is None:
            return
        delay = (at - datetime.now(timezone.utc)).total_seconds()
        if delay <= 0:
            return
        loop = asyncio.get_running_loop()

        def reveal() -> None:
            self._reveals.pop(source, None)
            task = loop.create_task(self.broker.resync(source))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

        # A little after the instant, so that every view computed then counts it as passed.
        self._reveals[source] = loop.call_later(delay + 0.05, reveal)

    def on_notify(self, notice: Notice) -> None:
        """A replica (maybe this one) wrote on a lesson: deliver what changed. What the writing
        replica did itself (forget a poster's view, resync readers) the others do here."""
        lessons = [notice.source] if notice.source else self.broker.lessons()
        elsewhere = notice.origin != self.replica
        for lesson in lessons:
            if elsewhere and notice.user is not None:
                # A post under hide until posted: that student's view changed, wherever
                # their readers are connected.
                self.broker.forget(lesson, notice.user)
            if elsewhere and notice.resync:
                self._spawn(self.broker.resync(lesson, notice.user))
                if notice.user is None:
                    # Maybe a reveal time set through another replica: this one keeps it too.
                    self._spawn(self.watch_reveal(lesson, again=True))
            self.broker.poke(lesson)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` on the loop, kept referenced until it ends."""
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def notify(self, source: str, *, resync: bool = False, user: str | None = None) -> None:
        """Tell the other replicas (PostgreSQL only): they deliver from their own cursors."""
        notice = Notice(source, resync=resync, user=user, origin=self.replica)
        await asyncio.to_thread(self.store.notify, notice)

    def viewer(self, member: Member, source: str) -> Viewer:
        self.members[member.name] = member
        reveal = self.store.reveal(source)
        # The count of one's own notes matters only where the lesson hides until posted.
        counted = reveal.after_posts is not None
        own_posts = self.store.own_posts(member.name, source) if counted else 0
        return Viewer(member, own_posts=own_posts, reveal=reveal)

    def _viewer(self, user: str, source: str) -> Viewer:
        return self.viewer(self.members[user], source)


def present(annotation: dict[str, Any], audience: Audience) -> dict[str, Any]:
    """An annotation as a reader receives it: the W3C annotation and who it is for."""
    return {
        "annotation": annotation,
        "audience": {
            "visibility": audience.visibility,
            "group": audience.group,
            "student": audience.student,
            "hidden": audience.hidden,
            "author_role": audience.author_role,
        },
    }
