"""The class service's live socket: a reader's websocket for one lesson's changes.

Who may connect is checked as for every request (the Hub's login, the course's groups, a cap on
connections per user); what each reader is sent is decided by the broker (:mod:`.live`).
"""

from __future__ import annotations

import logging
from typing import Any, cast

from jupyterhub.services.auth import HubOAuthenticated
from tornado import web, websocket

from reader_ext.errors import StoreError
from reader_ext.hub.handlers import int_arg
from reader_ext.hub.live import Outbox, Subscriber
from reader_ext.hub.policy import Member
from reader_ext.hub.service import Service

log = logging.getLogger("reader_ext.hub")


class LiveHandler(HubOAuthenticated, websocket.WebSocketHandler):
    service: Service
    sub: Subscriber | None = None
    member_: Member | None = None

    def initialize(self, service: Service) -> None:
        self.service = service

    def check_origin(self, origin: str) -> bool:
        # Same origin as the Hub's proxy: the cookie is the service's, and a page elsewhere
        # must not ride on it.
        host = self.request.headers.get("Host", "")
        return origin.split("://", 1)[-1] == host

    async def get(self, *args: Any, **kwargs: Any) -> None:
        model = self.get_current_user()
        if not model:
            raise web.HTTPError(403, "log in through the Hub first")
        model = cast(dict[str, Any], model)
        member = self.service.config.member(str(model["name"]), set(model.get("groups") or []))
        if member is None:
            raise web.HTTPError(403, f"{model['name']} is not in this course's Hub groups")
        if self.service.connections[member.name] >= self.service.config.limits.connections_per_user:
            raise web.HTTPError(429, "too many live connections for one user")
        self.member_ = member
        await super().get(*args, **kwargs)

    async def open(self, *args: Any, **kwargs: Any) -> None:
        assert self.member_ is not None
        member = self.member_
        source = self.get_argument("source", "")
        since = int_arg(self, "since")
        self.service.connections[member.name] += 1
        self.service.members[member.name] = member
        outbox = Outbox(self.write_message, self.close)
        self.sub = Subscriber(source, member.name, outbox, cursor=since)
        try:
            await self.service.watch_reveal(source)
            await self.service.broker.join(self.sub)
        except StoreError as exc:
            log.error("class store: %s", exc)
            self.sub = None
            self.close(1013, "the class database cannot be reached; reconnect shortly")

    def on_message(self, message: str | bytes) -> None:
        """Readers only listen; a ping keeps proxies from closing an idle socket."""

    def on_close(self) -> None:
        if self.sub is not None:
            self.service.broker.leave(self.sub)
            self.sub = None
        if self.member_ is not None:
            self.service.connections[self.member_.name] -= 1
