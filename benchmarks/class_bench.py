"""Class mode under load: students on websockets, notes posted at a steady rate.

Starts a throwaway PostgreSQL cluster and a real JupyterHub with the class service
(:mod:`reader_ext.hub.demo`), makes ``--students`` Hub users, opens a websocket for each (or for
``--readers`` of them) on one lesson, and has ``--posters`` of them post ``--rate`` notes a
second for ``--seconds``. The clients stay open until every delivery they may have has arrived,
or ``--drain`` seconds passed, so a late delivery is told from a lost one; for any never
delivered, a reconnect from the client's last cursor shows whether catch-up would bring it.
Reports, from each post to its delivery at every client allowed to see it: p50, p95, p99 and
the worst, the deliveries made and lost, the posts per second sustained, the CPU of the service,
the proxy and the clients, the service's memory and the load average — beside the floor
measured in the same run: a PostgreSQL insert + NOTIFY round trip between two connections.
``--readers 1`` gives the service's cost of the posts alone: the fan-out's is the difference.

    python benchmarks/class_bench.py --students 300 --rate 50 --seconds 10
    python benchmarks/class_bench.py --students 300 --rate 50 --seconds 10 --readers 1
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import goals
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
    for start in range(0, count, 50):  # in steps: a loaded Hub answers 300 at once too slowly
        chunk = names[start : start + 50]
        hub.api("POST", "/hub/api/users", {"usernames": chunk})
        hub.api("POST", "/hub/api/groups/students/users", {"users": chunk})
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


class Reader:
    """One student's websocket: which notes reached it, when, and the last cursor it was sent."""

    def __init__(self, name: str, token: str, ws: Any) -> None:
        self.name, self.token, self.ws = name, token, ws
        self.arrived: dict[str, float] = {}
        self.cursor = 0
        self.messages = 0


async def connect(base: str, token: str, since: int) -> Any:
    request = HTTPRequest(
        f"{base}api/live?source={LESSON}&since={since}",
        headers={"Authorization": f"token {token}"},
    )
    return await websocket_connect(request, max_message_size=64 << 20)


def texts_in(message: dict[str, Any]) -> list[str]:
    return [item["annotation"]["body"][0]["value"] for item in message.get("annotations", [])]


async def run_load(
    hub: DemoHub,
    tokens: dict[str, str],
    listening: dict[str, str],
    args: argparse.Namespace,
    on_posted: Any = None,
) -> dict[str, Any]:
    """``args.posters`` of ``tokens`` post ``args.rate`` notes a second for ``args.seconds``;
    each of ``listening`` reads them on a websocket."""
    rate, seconds, posters = args.rate, args.seconds, args.posters
    sent: dict[str, float] = {}
    base = hub.service_url.replace("http://", "ws://")
    readers = [Reader(n, t, await connect(base, t, 0)) for n, t in listening.items()]

    async def listen(reader: Reader) -> None:
        while (message := await reader.ws.read_message()) is not None:
            now = time.perf_counter()
            data = json.loads(message)
            reader.messages += 1
            reader.cursor = max(reader.cursor, int(data.get("cursor", 0)))
            for text in texts_in(data):
                if text in sent:
                    reader.arrived.setdefault(text, now)  # a second copy is not a delivery

    listeners = [asyncio.ensure_future(listen(r)) for r in readers]
    await asyncio.sleep(1.0)  # every catch-up done
    http = AsyncHTTPClient(max_clients=64)
    who = list(tokens.items())[:posters]
    total = int(rate * seconds)
    print(f"posting {total} notes to {len(readers)} readers", file=sys.stderr, flush=True)
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
    if on_posted is not None:
        on_posted()
    accepted = {t for t, a in zip(sent, answers, strict=True) if a.code == 201}
    expected = len(accepted) * len(readers)

    def arrived() -> int:
        return sum(len(accepted & r.arrived.keys()) for r in readers)

    # Keep every client open until all it may see has arrived, or a generous timeout passed:
    # a late delivery is told apart from a lost one.
    deadline = time.perf_counter() + args.drain
    while arrived() < expected and time.perf_counter() < deadline:
        await asyncio.sleep(0.1)
    drained_in = time.perf_counter() - started - posted_in
    print(f"posted; {arrived()} of {expected} arrived", file=sys.stderr, flush=True)
    delivered = arrived()
    delays = [r.arrived[t] - sent[t] for r in readers for t in accepted & r.arrived.keys()]
    # Anything never delivered: would a reconnect from the client's last cursor bring it?
    short = [r for r in readers if accepted - r.arrived.keys()]

    async def reconnect(reader: Reader) -> int:
        missing = accepted - reader.arrived.keys()
        ws = await connect(base, reader.token, reader.cursor)
        left = set(missing)
        with contextlib.suppress(asyncio.TimeoutError):
            while left and (message := await asyncio.wait_for(ws.read_message(), 5.0)):
                left -= set(texts_in(json.loads(message)))
        ws.close()
        return len(missing) - len(left)

    recovered = sum(await asyncio.gather(*(reconnect(r) for r in short)))
    for reader in readers:
        reader.ws.close()
    for task in listeners:
        task.cancel()
    return {
        "posts": total,
        "accepted": len(accepted),
        "posts_per_second": len(accepted) / posted_in,
        "expected_deliveries": expected,
        "delivered": delivered,
        "recovered": recovered,
        "drained_in": drained_in,
        "messages": sum(r.messages for r in readers),
        "delays": delays,
    }


def process(marker: str) -> psutil.Process | None:
    """The first of this run's processes (not another's on the machine) with ``marker`` in its
    command line."""
    for proc in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if any(marker in part for part in proc.cmdline()):
                return proc
    return None


def cpu(proc: psutil.Process | None) -> float:
    if proc is None:
        return float("nan")
    times = proc.cpu_times()
    return float(times.user + times.system)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--rate", type=float, default=50.0, help="notes posted per second")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--posters", type=int, default=20, help="students who post")
    parser.add_argument(
        "--readers", type=int, default=0, help="students on websockets (0: all of them)"
    )
    parser.add_argument(
        "--drain", type=float, default=60.0, help="seconds to wait for late deliveries"
    )
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="reader-ext-class-bench-"))
    if os.geteuid() == 0:
        folder.chmod(0o755)
    limits = {"writes_per_minute": 100_000, "write_burst": 1000, "connections_per_user": 4}
    with demo_class(folder, fast=True, service_config={"limits": limits}) as hub:
        dsn = hub.database.replace("postgresql+psycopg://", "postgresql://")
        floor = pg_floor(dsn)
        tokens = make_students(hub, args.students)
        readers = dict(list(tokens.items())[: args.readers or args.students])
        procs = {
            "service": process("reader_ext.hub"),
            "proxy": process("configurable-http-proxy"),
            "clients": psutil.Process(),
        }
        load0 = os.getloadavg()
        before = {k: cpu(p) for k, p in procs.items()}
        posted: dict[str, float] = {}

        def on_posted() -> None:
            posted.update({k: cpu(p) for k, p in procs.items()})

        result = asyncio.run(run_load(hub, tokens, readers, args, on_posted))
        after = {k: cpu(p) for k, p in procs.items()}
        load1 = os.getloadavg()
        service = procs["service"]
        rss = service.memory_info().rss if service else 0
    delays = result["delays"]
    floor_p50 = statistics.median(floor)
    p50, p95 = percentile(delays, 0.5), percentile(delays, 0.95)
    p99, worst = percentile(delays, 0.99), max(delays, default=float("nan"))
    lost = result["expected_deliveries"] - result["delivered"]
    during = {k: posted[k] - before[k] for k in procs}
    total = {k: after[k] - before[k] for k in procs}
    per_delivery = total["service"] / max(1, result["delivered"]) * 1e6
    rows = [
        ("students / on websockets", f"{args.students} / {len(readers)}"),
        ("posts accepted / sent", f"{result['accepted']} / {result['posts']}"),
        ("posts per second sustained", f"{result['posts_per_second']:.1f} (asked {args.rate:g})"),
        ("deliveries arrived", f"{result['delivered']} of {result['expected_deliveries']}"),
        ("last delivery, after the last post", f"{result['drained_in']:.2f} s"),
        ("never delivered", f"{lost} (a reconnect from the cursor got {result['recovered']})"),
        ("websocket messages received", f"{result['messages']}"),
        ("post → every client, p50", f"{p50 * 1000:.1f} ms"),
        ("post → every client, p95", f"{p95 * 1000:.1f} ms (goal ≤ 1000 ms at 50 posts/s)"),
        ("post → every client, p99 / max", f"{p99 * 1000:.1f} / {worst * 1000:.1f} ms"),
        ("floor: insert + NOTIFY, p50", f"{floor_p50 * 1000:.2f} ms"),
        ("p95 / floor p50", f"{p95 / floor_p50:.0f}×"),
        ("service CPU while posting", f"{during['service']:.1f} s over {args.seconds:g} s"),
        ("service CPU in all", f"{total['service']:.1f} s ({per_delivery:.0f} µs a delivery)"),
        ("proxy / clients CPU in all", f"{total['proxy']:.1f} s / {total['clients']:.1f} s"),
        ("service memory (RSS) after", f"{rss / 2**20:.0f} MiB"),
        ("load average before → after", f"{load0[0]:.2f} → {load1[0]:.2f} (2 cores)"),
    ]
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    met = p95 <= 1.0 and lost == 0
    print(f"goal {'met' if met else 'NOT met'}: p95 ≤ 1 s with every delivery made")
    audience = f"{len(readers)} clients, {args.rate:g} posts/s"
    goals.record(
        "class",
        [
            goals.Goal(
                f"class: post to every client, p95 ({audience})",
                p95 * 1e3,
                "ms",
                floor_p50 * 1e3,
                "PostgreSQL insert + NOTIFY, p50",
                1000,
                "value",
            ),
            goals.Goal("class: deliveries never made", float(lost), "notes", None, "", 0, "value"),
        ],
        note=f"load average {load0[0]:.1f} -> {load1[0]:.1f}",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
