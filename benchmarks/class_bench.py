"""Class mode under load: students on websockets, notes posted at a steady rate.

Starts a throwaway PostgreSQL cluster and a real JupyterHub with the class service
(:mod:`reader_ext.hub.demo`), makes ``--students`` Hub users, opens one websocket each on one
lesson, and has a few of them post ``--rate`` notes a second for ``--seconds``. Reports, from
each post to its delivery at every client allowed to see it: p50 and p95, the share delivered,
the posts per second sustained, and the service's CPU and peak memory — beside the floor
measured in the same run: a PostgreSQL insert + NOTIFY round trip between two connections.

    python benchmarks/class_bench.py --students 300 --rate 50 --seconds 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil
import psycopg
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

from reader_ext.hub.demo import DemoHub, demo_class

LESSON = "urn:reader-ext:india-russia-2023:reading-the-argument"


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def pg_floor(dsn: str, rounds: int = 300) -> list[float]:
    """Insert + NOTIFY on one connection, received on another: what any live design pays."""
    times: list[float] = []
    with psycopg.connect(dsn, autocommit=True) as listen, psycopg.connect(dsn) as write:
        write.execute("CREATE TABLE IF NOT EXISTS floor (id serial PRIMARY KEY, body text)")
        write.commit()
        listen.execute("LISTEN floor")
        gen = listen.notifies(timeout=5)
        for _ in range(rounds):
            start = time.perf_counter()
            write.execute("INSERT INTO floor (body) VALUES ('x')")
            write.execute("NOTIFY floor, 'x'")
            write.commit()
            next(gen)
            times.append(time.perf_counter() - start)
        gen.close()  # the generator holds the connection until closed
    return times


def make_students(hub: DemoHub, count: int) -> dict[str, str]:
    names = [f"s{n:04d}" for n in range(count)]
    hub.api("POST", "/hub/api/users", {"usernames": names})
    hub.api("POST", "/hub/api/groups/students/users", {"users": names})
    return {name: hub.token_for(name) for name in names}


def note(text: str) -> dict[str, Any]:
    return {
        "annotation": {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "type": "Annotation",
            "motivation": "commenting",
            "body": [{"type": "TextualBody", "value": text, "purpose": "commenting"}],
            "target": {
                "source": LESSON,
                "selector": [{"type": "TextQuoteSelector", "exact": "partnership"}],
            },
        },
        "visibility": "class",
    }


async def run_load(
    hub: DemoHub, tokens: dict[str, str], rate: float, seconds: float, posters: int
) -> dict[str, Any]:
    sent: dict[str, float] = {}
    delays: list[float] = []
    received = 0
    base = hub.service_url.replace("http://", "ws://")
    sockets = []
    for name, token in tokens.items():
        request = HTTPRequest(
            f"{base}api/live?source={LESSON}&since=0",
            headers={"Authorization": f"token {token}"},
        )
        sockets.append((name, await websocket_connect(request, max_message_size=64 << 20)))

    async def listen(ws: Any) -> None:
        nonlocal received
        while (message := await ws.read_message()) is not None:
            now = time.perf_counter()
            for item in json.loads(message).get("annotations", []):
                text = item["annotation"]["body"][0]["value"]
                if text in sent:
                    delays.append(now - sent[text])
                    received += 1

    listeners = [asyncio.ensure_future(listen(ws)) for _, ws in sockets]
    await asyncio.sleep(1.0)  # every catch-up done
    http = AsyncHTTPClient(max_clients=64)
    who = list(tokens.items())[:posters]
    total = int(rate * seconds)
    started = time.perf_counter()
    pending = []
    for n in range(total):
        due = started + n / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        name, token = who[n % len(who)]
        text = f"note {n} by {name}"
        sent[text] = time.perf_counter()
        pending.append(
            http.fetch(
                hub.service_url + "api/annotations",
                method="POST",
                body=json.dumps(note(text)),
                headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
                raise_error=False,
            )
        )
    answers = await asyncio.gather(*pending)
    posted_in = time.perf_counter() - started
    await asyncio.sleep(3.0)  # let the last deliveries land
    for _, ws in sockets:
        ws.close()
    for task in listeners:
        task.cancel()
    ok = sum(1 for a in answers if a.code == 201)
    return {
        "posts": total,
        "accepted": ok,
        "posts_per_second": ok / posted_in,
        "expected_deliveries": ok * len(sockets),
        "delivered": received,
        "delays": delays,
    }


def service_process() -> psutil.Process | None:
    for proc in psutil.process_iter(["cmdline"]):
        cmd = proc.info.get("cmdline") or []
        if "reader_ext.hub" in cmd:
            return proc
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--rate", type=float, default=50.0, help="notes posted per second")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--posters", type=int, default=20, help="students who post")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="reader-ext-class-bench-"))
    if os.geteuid() == 0:
        folder.chmod(0o755)
    limits = {"writes_per_minute": 100_000, "write_burst": 1000, "connections_per_user": 4}
    with demo_class(folder, fast=True, service_config={"limits": limits}) as hub:
        dsn = hub.database.replace("postgresql+psycopg://", "postgresql://")
        floor = pg_floor(dsn)
        tokens = make_students(hub, args.students)
        proc = service_process()
        cpu0 = proc.cpu_times() if proc else None
        result = asyncio.run(run_load(hub, tokens, args.rate, args.seconds, args.posters))
        cpu1 = proc.cpu_times() if proc else None
        rss = proc.memory_info().rss if proc else 0
    delays = result["delays"]
    floor_p50 = statistics.median(floor)
    p50, p95 = percentile(delays, 0.5), percentile(delays, 0.95)
    cpu = (cpu1.user + cpu1.system - cpu0.user - cpu0.system) if cpu0 and cpu1 else float("nan")
    rows = [
        ("students on websockets", f"{args.students}"),
        ("posts accepted / sent", f"{result['accepted']} / {result['posts']}"),
        ("posts per second sustained", f"{result['posts_per_second']:.1f} (asked {args.rate:g})"),
        ("deliveries", f"{result['delivered']} of {result['expected_deliveries']}"),
        ("post → every client, p50", f"{p50 * 1000:.1f} ms"),
        ("post → every client, p95", f"{p95 * 1000:.1f} ms (goal ≤ 1000 ms at 50 posts/s)"),
        ("floor: insert + NOTIFY, p50", f"{floor_p50 * 1000:.2f} ms"),
        ("p95 / floor p50", f"{p95 / floor_p50:.0f}×"),
        ("service CPU during the load", f"{cpu:.1f} s over {args.seconds:g} s"),
        ("service memory (RSS) after", f"{rss / 2**20:.0f} MiB"),
    ]
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    met = p95 <= 1.0 and result["delivered"] == result["expected_deliveries"]
    print(f"goal {'met' if met else 'NOT met'}: p95 ≤ 1 s with every delivery made")
    return 0


if __name__ == "__main__":
    sys.exit(main())
