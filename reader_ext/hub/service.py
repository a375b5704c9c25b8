"""What the class service's handlers share: configuration, the store, the broker and the limits."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

from reader_ext.annotations.audience import Audience
from reader_ext.hub.config import ClassConfig
from reader_ext.hub.live import Broker
from reader_ext.hub.policy import Member, Viewer
from reader_ext.hub.ratelimit import TokenBucket
from reader_ext.store.classroom import ClassStore


class Service:
    """What the handlers share: configuration, the class store, the broker and the limits."""

    def __init__(self, config: ClassConfig, store: ClassStore) -> None:
        self.config = config
        self.store = store
        self.broker = Broker(store, present, self._viewer)
        per_second = config.limits.writes_per_minute / 60.0
        self.writes = TokenBucket(per_second, config.limits.write_burst)
        self.connections: Counter[str] = Counter()
        self.members: dict[str, Member] = {}
        """The members this process has met: live deliveries filter by them."""

    def on_notify(self, source: str, resync: bool) -> None:
        """A replica (maybe this one) wrote on ``source``: deliver what changed."""
        lessons = [source] if source else self.broker.lessons()
        for lesson in lessons:
            if resync:
                asyncio.get_running_loop().create_task(self.broker.resync(lesson))
            self.broker.poke(lesson)

    async def notify(self, source: str, *, resync: bool = False) -> None:
        """Tell the other replicas (PostgreSQL only): they deliver from their own cursors."""
        await asyncio.to_thread(self.store.notify, source, resync=resync)

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
