"""The class service while its database is away: every request that meets it says 503, never 500.

A PostgreSQL restart can meet a request at any of its reads, not only the write that
``_Base.run`` guards; the service (a real tornado app on a SQLite class store, its Hub login
replaced by a fixed user) is made to fail at each in turn.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from tornado import httpclient, httpserver, netutil, web

from reader_ext.errors import StoreError
from reader_ext.hub import handlers
from reader_ext.hub.service import Service

LESSON = "urn:reader-ext:lesson:m1"
NOTE = {
    "@context": "http://www.w3.org/ns/anno.jsonld",
    "type": "Annotation",
    "motivation": "commenting",
    "body": [{"type": "TextualBody", "value": "a note", "format": "text/markdown"}],
    "target": {"source": LESSON, "selector": [{"type": "TextQuoteSelector", "exact": "the"}]},
}


class _AsAna:
    """The Hub's login, replaced: every request is the student ana's."""

    def get_current_user(self) -> dict[str, Any]:
        return {"name": "ana", "kind": "user", "groups": ["students"]}

    def check_xsrf_cookie(self) -> None:
        pass


class Annotations(_AsAna, handlers.AnnotationsHandler):
    pass


class One(_AsAna, handlers.AnnotationHandler):
    pass


def _fail(store: Any, name: str) -> None:
    def down(*args: Any, **kwargs: Any) -> Any:
        raise StoreError("class database: connection refused (a restart)")

    setattr(store, name, down)


async def _call(
    service: Service, method: str, path: str, body: Any = None
) -> tuple[int, dict[str, Any], httpclient.HTTPResponse]:
    args = {"service": service}
    app = web.Application(
        [(r"/api/annotations", Annotations, args), (r"/api/annotations/([^/]+)", One, args)]
    )
    sockets = netutil.bind_sockets(0, "127.0.0.1")
    server = httpserver.HTTPServer(app)
    server.add_sockets(sockets)
    port = sockets[0].getsockname()[1]
    client = httpclient.AsyncHTTPClient()
    try:
        response = await client.fetch(
            f"http://127.0.0.1:{port}{path}",
            method=method,
            body=None if body is None else json.dumps(body),
            raise_error=False,
        )
        return response.code, json.loads(response.body or b"{}"), response
    finally:
        server.stop()
        await server.close_all_connections()


@pytest.fixture
def service(class_service: Service) -> Service:
    return class_service  # tests/conftest.py: on a SQLite class store, closed after


READ = ("GET", f"/api/annotations?source={LESSON}")
POST = ("POST", "/api/annotations")


@pytest.mark.parametrize(
    ("failing", "request_"),
    [("changes", READ), ("reveal", READ), ("reveal", POST), ("audience", POST)],
    ids=["lesson-read", "viewer-read", "reveal-after-post", "thread-lookup"],
)
def test_a_read_that_meets_the_database_down_is_a_503(
    service: Service, failing: str, request_: tuple[str, str]
) -> None:
    method, path = request_
    _fail(service.store, failing)
    note = dict(NOTE)
    if failing == "audience":  # a reply: the service looks up the thread it answers
        note["target"] = "urn:uuid:00000000-0000-4000-8000-000000000000"
    body = {"annotation": note, "visibility": "class"} if method == "POST" else None
    status, data, response = asyncio.run(_call(service, method, path, body))
    assert status == 503, data
    assert data["error"] == handlers.UNAVAILABLE
    assert response.headers["Retry-After"] == "1"


def test_a_committed_write_whose_notify_fails_is_still_acknowledged(service: Service) -> None:
    async def notify_down(source: str, *, resync: bool = False, user: str | None = None) -> None:
        raise StoreError("class database: connection refused (a restart)")

    service.notify = notify_down  # type: ignore[method-assign]
    body = {"annotation": NOTE, "visibility": "class"}
    status, data, _ = asyncio.run(_call(service, "POST", "/api/annotations", body))
    assert status == 201, data
    stored = service.store.annotations.get(data["annotation"]["id"])
    assert stored is not None  # saved, and said so: the caller will not write it twice


def test_an_unexpected_error_is_still_a_500(service: Service) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    service.store.changes = broken  # type: ignore[method-assign]
    status, data, _ = asyncio.run(_call(service, "GET", f"/api/annotations?source={LESSON}"))
    assert status == 500, data  # a bug is not dressed up as "try again"
    assert data["error"] != handlers.UNAVAILABLE
