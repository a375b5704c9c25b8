"""The class service: a tornado app the Hub runs as a managed service.

The Hub starts it as ``python -m reader_ext.hub``.

Every request is authenticated by the Hub — a browser by the service's OAuth cookie, a kernel or
script by its Hub token — and the author of every write is that Hub user, never a field of the
request. Roles and discussion groups come from the user's Hub groups (:mod:`.config`). What each
reader receives, on a read, on catch-up and on every live push, passes :func:`.policy.can_see`.

Routes, under the service prefix (``/services/<name>/``):

- ``GET  api/me`` — who you are here: name, role, groups, and the XSRF token a browser sends.
- ``GET  api/roster`` — the course's students and discussion groups, instructors only.
- ``GET  api/annotations?source=URI&since=N`` — what you may see on a lesson, changed after ``N``.
- ``POST api/annotations`` — ``{"annotation", "visibility", "group"?, "student"?}``.
- ``PATCH api/annotations/ID`` — ``{"body": [...]}``; ``DELETE`` and ``POST …/restore``: yours only.
- ``POST api/annotations/ID/hide`` — ``{"hidden": bool}``, instructors only.
- ``PUT  api/lessons/reveal?source=URI`` — ``{"after_posts", "at"}``, instructors only.
- ``GET  api/live?source=URI&since=N`` — a websocket: catch-up, then every change, live.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import signal
from urllib.parse import urlparse

from jupyterhub.services.auth import HubOAuth, HubOAuthCallbackHandler
from tornado import web
from tornado.httpserver import HTTPServer

from reader_ext.errors import ReaderExtError
from reader_ext.hub.config import ClassConfig, load_config
from reader_ext.hub.handlers import (
    MAX_REQUEST_BYTES,
    AnnotationHandler,
    AnnotationsHandler,
    EventsHandler,
    HideHandler,
    MeHandler,
    RestoreHandler,
    RevealHandler,
    RosterHandler,
)
from reader_ext.hub.service import Service
from reader_ext.hub.socket import LiveHandler
from reader_ext.store.classroom import ClassStore

log = logging.getLogger("reader_ext.hub")


def make_app(service: Service, prefix: str) -> web.Application:
    hub_auth = HubOAuth(api_token=os.environ.get("JUPYTERHUB_API_TOKEN", ""), cache_max_age=60)
    args = {"service": service}
    api = prefix + "api/"
    return web.Application(
        [
            (prefix + "oauth_callback", HubOAuthCallbackHandler),
            (api + "me", MeHandler, args),
            (api + "roster", RosterHandler, args),
            (api + "annotations", AnnotationsHandler, args),
            (api + r"annotations/([^/]+)", AnnotationHandler, args),
            (api + r"annotations/([^/]+)/restore", RestoreHandler, args),
            (api + r"annotations/([^/]+)/hide", HideHandler, args),
            (api + "lessons/reveal", RevealHandler, args),
            (api + "events", EventsHandler, args),
            (api + "live", LiveHandler, args),
        ],
        hub_auth=hub_auth,
        cookie_secret=os.environ.get("READER_EXT_COOKIE_SECRET") or secrets.token_bytes(32),
        xsrf_cookies=True,
        websocket_ping_interval=20,
    )


def main(argv: list[str] | None = None) -> int:
    """Run the service where the Hub says (``JUPYTERHUB_SERVICE_URL``)."""
    # A Hub started from a script hands its services SIGINT ignored; the Hub stops a service
    # with SIGINT, so take the default handlers back.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    logging.basicConfig(level=logging.INFO, format="[reader-ext class %(levelname)s] %(message)s")
    try:
        config = load_config()
        store = ClassStore(config.database)
    except ReaderExtError as exc:
        log.error("%s", exc)
        return 1
    try:
        asyncio.run(_serve(config, store))
    except KeyboardInterrupt:
        pass
    finally:
        store.close()
    return 0


async def _serve(config: ClassConfig, store: ClassStore) -> None:
    url = urlparse(os.environ.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:10101"))
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/reader-class/")
    service = Service(config, store)
    server = HTTPServer(make_app(service, prefix), max_body_size=MAX_REQUEST_BYTES)
    server.listen(url.port or 80, url.hostname or "127.0.0.1")
    listener = await store.listen(service.on_notify)
    log.info("class service for %s on %s%s", config.course, url.geturl(), prefix)
    try:
        await asyncio.Event().wait()
    finally:
        server.stop()
        if listener is not None:
            await listener.close()
