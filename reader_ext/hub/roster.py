"""Who is in the course, from the Hub's groups: the instructor's reader filters by them.

The roster (students, and the members of each discussion group) is read from the Hub's REST API
with the service's own token, which needs the scopes ``list:groups`` and ``read:groups`` (see
``docs/class-mode.md``), and kept for :data:`TTL_SECONDS`. Only instructors are given it
(``GET api/roster``): who is in which section is not a student's business.

Where the Hub refuses (the scopes were not granted) or cannot be reached, the roster is the
course's members this service has met — each as their own Hub model said — and says it is
not complete, so the reader can say so rather than show a short list as the class.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

from reader_ext.hub.config import ClassConfig
from reader_ext.hub.policy import Member

log = logging.getLogger("reader_ext.hub")
TTL_SECONDS = 30.0
PAGE = 200
PAGINATION = "application/jupyterhub-pagination+json"


@dataclass(frozen=True, slots=True)
class Roster:
    students: tuple[str, ...]
    groups: Mapping[str, tuple[str, ...]]
    """Each discussion group (a Hub group with the course's prefix) and its students."""
    complete: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "students": list(self.students),
            "groups": {name: list(members) for name, members in self.groups.items()},
            "complete": self.complete,
        }

    def has_student(self, name: str) -> bool:
        return name in self.students


def roster_from_groups(config: ClassConfig, groups: Iterable[Mapping[str, Any]]) -> Roster:
    """The roster from the Hub's group models (``{"name", "users"}``)."""
    members: dict[str, set[str]] = {}
    for group in groups:
        name, users = group.get("name"), group.get("users") or []
        if isinstance(name, str) and isinstance(users, list):
            members.setdefault(name, set()).update(str(u) for u in users)
    instructors = set().union(*(members.get(g, set()) for g in config.instructor_groups))
    students = set().union(*(members.get(g, set()) for g in config.student_groups)) - instructors
    sections = {
        name: tuple(sorted(users & students))
        for name, users in sorted(members.items())
        if name.startswith(config.discussion_group_prefix)
    }
    return Roster(tuple(sorted(students)), sections, complete=True)


def roster_from_members(members: Iterable[Member]) -> Roster:
    """The roster of the members met so far (not complete)."""
    students = sorted(m.name for m in members if not m.is_instructor)
    sections: dict[str, list[str]] = {}
    for member in members:
        if not member.is_instructor:
            for group in member.groups:
                sections.setdefault(group, []).append(member.name)
    groups = {name: tuple(sorted(users)) for name, users in sorted(sections.items())}
    return Roster(tuple(students), groups, complete=False)


class HubRoster:
    """The roster read from the Hub, cached; ``api_url`` is ``JUPYTERHUB_API_URL``."""

    def __init__(self, config: ClassConfig, api_url: str, token: str) -> None:
        self._config = config
        self._api_url = api_url.rstrip("/")
        self._token = token
        self._cached: tuple[float, Roster] | None = None

    async def get(self, met: Iterable[Member]) -> Roster:
        now = time.monotonic()
        if self._cached is not None and now - self._cached[0] < TTL_SECONDS:
            return self._cached[1]
        try:
            roster = roster_from_groups(self._config, await self._groups())
        except (HTTPClientError, OSError, ValueError) as exc:
            log.warning(
                "cannot read the Hub's groups (%s): grant the service list:groups and "
                "read:groups; the roster lists only the members met so far",
                exc,
            )
            return roster_from_members(met)
        self._cached = (now, roster)
        return roster

    async def _groups(self) -> list[dict[str, Any]]:
        if not self._api_url or not self._token:
            msg = "no Hub API URL or token in the service's environment"
            raise ValueError(msg)
        client = AsyncHTTPClient()
        found: list[dict[str, Any]] = []
        offset = 0
        while True:
            query = urllib.parse.urlencode({"offset": offset, "limit": PAGE})
            response = await client.fetch(
                HTTPRequest(
                    f"{self._api_url}/groups?{query}",
                    headers={"Authorization": f"token {self._token}", "Accept": PAGINATION},
                    request_timeout=10,
                )
            )
            data = json.loads(response.body)
            items = data.get("items", []) if isinstance(data, dict) else data
            if not isinstance(items, list):
                raise ValueError("the Hub's groups: not a list")
            found.extend(g for g in items if isinstance(g, dict))
            following = (
                (data.get("_pagination") or {}).get("next") if isinstance(data, dict) else None
            )
            if not following or not items:
                return found
            offset = int(following.get("offset", offset + len(items)))
