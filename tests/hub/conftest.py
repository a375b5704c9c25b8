"""A real JupyterHub with configurable-http-proxy and the class service, for the hub tests."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from reader_ext.hub.demo import DemoHub, demo_class
from tests.pg import PostgresServer

LESSON = "urn:reader-ext:india-russia-2023:reading-the-argument"


@dataclass
class Client:
    """One Hub user calling the class service with their own Hub token, as a kernel can."""

    hub: DemoHub
    name: str
    token: str

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.hub.service_url + path, data=data, method=method)
        request.add_header("Authorization", f"token {self.token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, json.loads(exc.read() or b"null")

    def note(self, text: str, *, visibility: str = "class", **extra: Any) -> tuple[int, Any]:
        annotation = {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "type": "Annotation",
            "motivation": "commenting",
            "body": [
                {
                    "type": "TextualBody",
                    "value": text,
                    "format": "text/markdown",
                    "purpose": "commenting",
                }
            ],
            "target": {
                "source": extra.pop("source", LESSON),
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": "strategic partnership",
                        "prefix": "",
                        "suffix": "",
                    }
                ],
            },
        }
        annotation.update(extra.pop("annotation", {}))
        return self.call(
            "POST", "api/annotations", {"annotation": annotation, "visibility": visibility, **extra}
        )

    def visible(self, source: str = LESSON) -> dict[str, Any]:
        status, data = self.call("GET", f"api/annotations?source={source}&since=0")
        assert status == 200, data
        assert isinstance(data, dict), data
        return data

    def texts(self, source: str = LESSON) -> set[str]:
        return {
            a["annotation"]["body"][0]["value"]
            for a in self.visible(source)["annotations"]
            if a["annotation"].get("body")
        }


@pytest.fixture(scope="module")
def class_database(postgres: PostgresServer) -> Iterator[str]:
    """A fresh PostgreSQL database for one module's class."""
    name = postgres.create_database()
    try:
        yield postgres.url(name)
    finally:
        postgres.drop_database(name)


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, class_database: str) -> Iterator[DemoHub]:
    folder = tmp_path_factory.mktemp("hub")
    if os.geteuid() == 0:
        folder.chmod(0o755)
    config = {"limits": {"writes_per_minute": 600, "write_burst": 40}}
    with demo_class(Path(folder), database=class_database, service_config=config) as server:
        yield server


@pytest.fixture(scope="module")
def people(hub: DemoHub) -> dict[str, Client]:
    return {name: Client(hub, name, hub.token_for(name)) for name in ("prof", "ana", "ben", "cem")}


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    """One event loop for a module's websocket clients, kept until their closes have finished
    (a loop closed under an open socket leaves it to the garbage collector)."""
    event_loop = asyncio.new_event_loop()
    try:
        yield event_loop
    finally:
        event_loop.run_until_complete(asyncio.sleep(0.5))
        gc.collect()
        event_loop.run_until_complete(asyncio.sleep(0.1))
        event_loop.close()
