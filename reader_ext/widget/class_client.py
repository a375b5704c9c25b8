"""The class service as a reader's kernel reaches it: the user's own Hub token, over HTTP.

:class:`ClassClient` answers the calls the reader's session makes of a store (``list``, ``add``,
``edit``, ``delete``, ``restore``, ``get``, ``record_event``), so the reader works the same on a
class as on a file; the service decides, for every call, what this user may do and see. Errors
keep their meaning: the service's refusal becomes an :class:`AnnotationError` (or
:class:`NotYourAnnotationError`) with its message, and a service that cannot be reached becomes a
:class:`StoreError` that says the note was not saved — never a silent success.

:meth:`ClassClient.follow` keeps a websocket open in the kernel's event loop and calls back with
each batch of changes the service pushes; after a dropped connection it reconnects with backoff
and catches up from the last cursor, so nothing is missed.
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from reader_ext.errors import AnnotationError, NotYourAnnotationError, StoreError
from reader_ext.widget.protocol import (
    AudienceChoice,
    HiddenPayload,
    RosterPayload,
    SectionPayload,
)

SERVICE_ENV = "READER_EXT_CLASS_SERVICE"
TOKEN_ENV = "JUPYTERHUB_API_TOKEN"

OnChanges = Callable[[dict[str, Any]], None]


class ClassClient:
    """One user's connection to the class service (``base_url`` ends in ``/``)."""

    def __init__(self, base_url: str, token: str, *, timeout: float = 10.0) -> None:
        if not base_url.endswith("/"):
            base_url += "/"
        self.base_url = base_url
        self._token = token
        self._timeout = timeout
        self._me: dict[str, Any] | None = None
        self._cache: dict[str, dict[str, Any]] = {}
        self._audience: dict[str, dict[str, Any]] = {}
        self._rendered: dict[str, tuple[str, str]] = {}
        self._live: dict[str, dict[str, dict[str, Any]]] = {}
        """Per followed lesson, what the service has sent: ``list`` answers from it."""
        self._hidden: dict[str, HiddenPayload | None] = {}
        """Per lesson, what hides classmates' notes from this user (as last said)."""

    @classmethod
    def from_environment(cls) -> ClassClient | None:
        """The class service this server is configured for, or ``None`` outside class mode."""
        url, token = os.environ.get(SERVICE_ENV), os.environ.get(TOKEN_ENV)
        if not url or not token:
            return None
        return cls(url, token)

    def __repr__(self) -> str:
        return f"ClassClient({self.base_url!r})"

    @property
    def path(self) -> str:
        return self.base_url

    def close(self) -> None:
        """Nothing to release: each call is one request (kept for the store's interface)."""

    # -- who I am -------------------------------------------------------------------------------

    def me(self) -> dict[str, Any]:
        if self._me is None:
            self._me = dict(self._call("GET", "api/me"))
        return self._me

    def roster(self) -> RosterPayload:
        """The course's students and discussion groups (the service answers instructors only)."""
        data = self._call("GET", "api/roster")
        groups = data.get("groups") if isinstance(data, dict) else None
        if not isinstance(groups, dict):
            msg = "the class service's roster is not what the reader expects; nothing was shown"
            raise StoreError(msg)
        return RosterPayload(
            students=[str(s) for s in data.get("students") or []],
            groups=[
                SectionPayload(name=str(name), students=[str(s) for s in members or []])
                for name, members in groups.items()
            ],
            complete=bool(data.get("complete")),
        )

    def set_reveal(
        self, source: str, *, after_posts: int | None = None, at: str | None = None
    ) -> dict[str, Any]:
        """An instructor's *hide until posted* for a lesson: classmates' notes appear to a
        student after ``after_posts`` notes or answers of their own there, or at ``at`` (ISO
        8601 with its offset, e.g. ``"2026-12-02T10:00:00Z"``); neither: nothing is hidden.
        Students' readers follow at once, and at that time, with no reload."""
        query = urllib.parse.urlencode({"source": source})
        body = {"after_posts": after_posts, "at": at}
        return dict(self._call("PUT", f"api/lessons/reveal?{query}", body))

    def reveal_setting(self, source: str) -> dict[str, Any]:
        """The lesson's *hide until posted* as the service holds it (instructors only):
        ``{"source", "after_posts", "at"}``."""
        query = urllib.parse.urlencode({"source": source})
        return dict(self._call("GET", f"api/lessons/reveal?{query}"))

    # -- the store's interface ------------------------------------------------------------------

    def list(self, *, source: str | None = None, **_: Any) -> builtins.list[dict[str, Any]]:
        if source is None:
            msg = "a class store lists one lesson at a time: give source="
            raise StoreError(msg)
        if source in self._live:
            found = list(self._live[source].values())
            return sorted(found, key=lambda a: (a.get("created", ""), a["id"]))
        data = self._call(
            "GET", "api/annotations?" + urllib.parse.urlencode({"source": source, "since": 0})
        )
        found = [self._remember(item) for item in data["annotations"]]
        self._hidden[source] = _hidden(data.get("hidden"))
        return sorted(found, key=lambda a: (a.get("created", ""), a["id"]))

    def hidden(self, source: str) -> HiddenPayload | None:
        """What hides classmates' notes on ``source`` from this user, as the service last said
        (``None``: nothing, or not known yet)."""
        return self._hidden.get(source)

    def get(self, annotation_id: str, *, include_deleted: bool = False) -> dict[str, Any] | None:
        return self._cache.get(annotation_id)

    def audience(self, annotation_id: str) -> dict[str, Any] | None:
        return self._audience.get(annotation_id)

    def add(
        self,
        annotation: Mapping[str, Any],
        *,
        user: str,
        doc_hash: str | None = None,
        visibility: str | None = None,
        group: str | None = None,
        student: str | None = None,
    ) -> dict[str, Any]:
        self._check_user(user)
        request: dict[str, Any] = {"annotation": dict(annotation), "doc_hash": doc_hash}
        if visibility is not None:
            request["visibility"] = visibility
        if group is not None:
            request["group"] = group
        if student is not None:
            request["student"] = student
        stored = self._remember(self._call("POST", "api/annotations", request))
        target = stored.get("target")
        for source, live in self._live.items():
            on_lesson = (
                target.get("source") == source
                if isinstance(target, dict)
                else str(target).startswith(source + "#") or target in live
            )
            if on_lesson:
                live[stored["id"]] = stored
        return stored

    def edit(
        self, annotation_id: str, *, user: str, body: builtins.list[dict[str, Any]] | None = None
    ) -> dict[str, Any]:
        self._check_user(user)
        path = f"api/annotations/{urllib.parse.quote(annotation_id, safe='')}"
        return self._remember(self._call("PATCH", path, {"body": body or []}))

    def delete(self, annotation_id: str, *, user: str) -> None:
        self._check_user(user)
        self._call("DELETE", f"api/annotations/{urllib.parse.quote(annotation_id, safe='')}")
        self._cache.pop(annotation_id, None)
        for live in self._live.values():
            live.pop(annotation_id, None)

    def restore(self, annotation_id: str, *, user: str) -> dict[str, Any]:
        self._check_user(user)
        path = f"api/annotations/{urllib.parse.quote(annotation_id, safe='')}/restore"
        return self._remember(self._call("POST", path, {}))

    def record_event(self, kind: str, *, user: str, source: str, key: str) -> None:
        self._check_user(user)
        self._call("POST", "api/events", {"kind": kind, "source": source, "key": key})

    def rendered(self, versions: Mapping[str, str]) -> dict[str, str]:
        """Rendered notes from this kernel's own memory (trusted: it rendered them)."""
        return {
            key: html
            for key, (version, html) in self._rendered.items()
            if versions.get(key) == version
        }

    def save_rendered(self, items: Iterable[tuple[str, str, str]]) -> None:
        for key, version, html in items:
            self._rendered[key] = (version, html)

    # -- live -----------------------------------------------------------------------------------

    async def follow(self, source: str, on_changes: OnChanges, *, since: int = 0) -> None:
        """Call ``on_changes`` with every batch the service pushes, reconnecting forever."""
        cursor, delay = since, 0.25
        base = self.base_url.replace("http://", "ws://", 1).replace("https://", "wss://", 1)
        while True:
            query = urllib.parse.urlencode({"source": source, "since": cursor})
            request = HTTPRequest(
                f"{base}api/live?{query}", headers={"Authorization": f"token {self._token}"}
            )
            try:
                ws = await websocket_connect(request)
            except (OSError, Exception):
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
                continue
            delay = 0.25
            try:
                while (message := await ws.read_message()) is not None:
                    data = json.loads(message)
                    if data.get("type") == "resync":
                        # Who may see what changed (a reveal, a hide): start the lesson afresh.
                        cursor = 0
                        self._live.pop(source, None)
                        break
                    live = self._live.setdefault(source, {})
                    if "hidden" in data:  # said in each catch-up
                        self._hidden[source] = _hidden(data["hidden"])
                    for item in data.get("annotations", []):
                        annotation = self._remember(item)
                        live[annotation["id"]] = annotation
                    for gone in data.get("deleted", []):
                        self._cache.pop(gone, None)
                        live.pop(gone, None)
                    cursor = max(cursor, int(data.get("cursor", cursor)))
                    on_changes(data)
            finally:
                with contextlib.suppress(Exception):
                    ws.close()
                    # Wait for the close to finish, so the socket is not left to the collector.
                    while await asyncio.wait_for(ws.read_message(), 2.0) is not None:
                        pass

    # -- plumbing -------------------------------------------------------------------------------

    def _remember(self, item: Mapping[str, Any]) -> dict[str, Any]:
        annotation = dict(item["annotation"])
        self._cache[annotation["id"]] = annotation
        self._audience[annotation["id"]] = dict(item.get("audience") or {})
        for live in self._live.values():
            if annotation["id"] in live:
                live[annotation["id"]] = annotation
        return annotation

    def _check_user(self, user: str) -> None:
        name = self.me()["name"]
        if user != name:
            msg = f"{user!r} is not the Hub user of this server ({name!r})"
            raise NotYourAnnotationError(msg)

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Authorization", f"token {self._token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                text = response.read()
        except urllib.error.HTTPError as exc:
            message = _message(exc)
            if exc.code == 403:
                raise NotYourAnnotationError(message) from exc
            if exc.code in (400, 403, 404, 413, 429):
                raise AnnotationError(message) from exc
            msg = f"the class service answered {exc.code}: {message}; nothing was saved"
            raise StoreError(msg) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            msg = f"the class service cannot be reached ({reason}); nothing was saved"
            raise StoreError(msg) from exc
        return json.loads(text) if text else None


def _hidden(data: object) -> HiddenPayload | None:
    if not isinstance(data, dict):
        return None
    after, own, at = data.get("after_posts"), data.get("own_posts"), data.get("at")
    return HiddenPayload(
        after_posts=after if isinstance(after, int) else None,
        own_posts=own if isinstance(own, int) else 0,
        at=at if isinstance(at, str) else None,
    )


def _message(exc: urllib.error.HTTPError) -> str:
    with exc:
        try:
            data = json.loads(exc.read() or b"{}")
        except ValueError:
            return str(exc.reason or exc.code)
    return str(data.get("error") or exc.reason)


_LABELS = {
    "private": "Only me and the instructors",
    "class": "The class",
    "instructors": "Private to the instructors (1:1)",
}
ONE_STUDENT = "One student, privately (1:1)"
"""An instructor's 1:1 choice: the note editor then asks which student."""


def audience_choices(
    me: Mapping[str, Any], roster: RosterPayload | None = None
) -> list[AudienceChoice]:
    """Who this reader may post a note to, as the service's ``api/me`` describes them: the
    course's visibilities, "My group" once per discussion group they are in (none if none),
    and a 1:1 thread with the instructors for a student. An instructor (with the ``roster``)
    may post to each discussion group and to one student, privately. The service checks each
    post again."""
    allowed = [str(v) for v in me.get("visibilities") or []]
    instructor = me.get("role") == "instructor" and roster is not None
    groups = [g["name"] for g in roster["groups"]] if instructor and roster else []
    groups = groups or [str(g) for g in me.get("groups") or []]
    default = str(me.get("default_visibility") or "")
    choices: list[AudienceChoice] = []
    for visibility in ("private", "group", "class", "instructors"):
        if visibility not in allowed:
            continue
        if visibility == "group":
            for group in groups:
                label = "My group" if len(groups) == 1 else f"My group: {group}"
                if instructor:
                    label = f"Discussion group {group}"
                choices.append(
                    AudienceChoice(visibility="group", group=group, label=label, default=False)
                )
        elif visibility == "instructors" and instructor:
            choices.append(
                AudienceChoice(visibility=visibility, group=None, label=ONE_STUDENT, default=False)
            )
        elif visibility != "instructors" or me.get("role") == "student":
            choices.append(
                AudienceChoice(
                    visibility=visibility,
                    group=None,
                    label=_LABELS[visibility],
                    default=False,
                )
            )
    marked = next((c for c in choices if c["visibility"] == default), None)
    if marked is None and choices:
        # The course's default is not open to this reader (a group one, and no group):
        # the narrowest choice, never a wider one.
        marked = choices[0]
    if marked is not None:
        marked["default"] = True
    return choices
