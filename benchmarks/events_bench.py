"""Events out under load: webhook delivery while the engine fires deadlines, and what the event
layer costs a case action.

1. *Delivery under load.* Loads open refund requests (engine_bench's loader), registers one
   webhook endpoint for every event at a local receiver (uvicorn, its own process), then fires
   `--due` due deadlines with `--workers` deadline-worker processes while `--relays` `peifu relay`
   processes deliver. A watcher polls the events table every 20 ms and notes when each event
   became visible (its commit); the receiver notes when each arrived. Reported: events delivered
   per second, and the delay from commit to delivery, p50 / p99 / max.
2. *The cost of the event layer on a case action.* The benchmark's case action (a seller agrees,
   the refund is executed: `cases.act`) timed with the event layer and with it switched off
   (`services.events` recording nothing), in alternating blocks in one run; the ratio of p50s.

    PEIFU_BENCH_DATABASE_URL=postgresql://postgres:postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python -m benchmarks.events_bench --due 10000
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from rich.console import Console
from rich.table import Table

from benchmarks.engine_bench import Layout, _engine_worker, _libpq, _parallel, load, pct, target_url
from peifu.adapters.runtime import Runtime
from peifu.domain.actors import Actor
from peifu.domain.clock import ManualClock
from peifu.domain.vocabulary import CaseAction, Role
from peifu.services import cases, events, webhooks
from peifu.settings import Settings

console = Console() if sys.stdout.isatty() else Console(width=150)
RECEIVER = Path(__file__).with_name("receiver_app.py")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def receiver(log: Path) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "RECEIVER_LOG": str(log)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "benchmarks.receiver_app:app", "--port", str(port), "--log-level", "warning"],
        env=env,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/hook"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


class Watcher(threading.Thread):
    """Notes when each event first became visible to another connection: its commit, ±20 ms."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.seen: dict[str, float] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        last = 0
        with psycopg.connect(_libpq(self.url), autocommit=True) as conn:
            while not self.stop.is_set():
                rows = conn.execute("SELECT id, event_id FROM events WHERE id > %s ORDER BY id", (last,)).fetchall()
                now = time.time()
                for pk, event_id in rows:
                    self.seen.setdefault(event_id, now)
                    last = max(last, pk)
                time.sleep(0.02)


def _relay(url: str, batch: int) -> subprocess.Popen[bytes]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PEIFU_")},
        "PEIFU_DATABASE_URL": url,
        "PEIFU_WEBHOOK_ALLOW_PRIVATE": "1",
        "PEIFU_WEBHOOK_CONCURRENCY": "16",
        "PEIFU_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "peifu.adapters.cli", "relay", "--batch", str(batch), "--idle-sleep", "0.05"], env=env
    )


def delivery_under_load(url: str, args: argparse.Namespace, now: datetime) -> list[tuple[str, str]]:
    rt = Runtime(Settings(database_url=url, webhook_allow_private=True), clock=ManualClock(now), migrate=False)
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "received.log"
        with receiver(log) as hook_url:
            with rt.uow() as ctx:
                webhooks.create_endpoint(
                    ctx,
                    Actor(Role.platform, "platform"),
                    url=hook_url,
                    event_types=None,
                    shop_id=None,
                    description="benchmark",
                    urls=webhooks.UrlPolicy(allow_private=True),
                )
            watcher = Watcher(url)
            watcher.start()
            relays = [_relay(url, args.relay_batch) for _ in range(args.relays)]
            started = time.perf_counter()
            share = [args.due // args.workers + (1 if i < args.due % args.workers else 0) for i in range(args.workers)]
            done = _parallel(_engine_worker, [(url, now, quota, args.batch, i) for i, quota in enumerate(share)])
            fired_s = time.perf_counter() - started
            fired = sum(d[0] for d in done)
            owed = _count(url, "SELECT count(*) FROM events")
            deadline = time.monotonic() + args.drain_timeout
            while time.monotonic() < deadline:
                if _count(url, "SELECT count(*) FROM webhook_deliveries WHERE status = 'delivered'") >= owed:
                    break
                time.sleep(0.25)
            all_s = time.perf_counter() - started
            for relay in relays:
                relay.terminate()
            for relay in relays:
                relay.wait(timeout=20)
            watcher.stop.set()
            watcher.join(timeout=5)
            time.sleep(0.5)  # the receiver flushes its log every 0.2 s
        arrivals: dict[str, float] = {}
        for line in log.read_text().splitlines():
            event_id, at = line.split()
            arrivals.setdefault(event_id, float(at))
    rt.close()
    delays = [(arrivals[e] - watcher.seen[e]) * 1000 for e in arrivals if e in watcher.seen]
    span = max(arrivals.values()) - min(arrivals.values()) if arrivals else 0.0
    return [
        (
            f"deadlines fired ({args.workers} workers) with {args.relays} relay(s) delivering",
            f"{fired:,} in {fired_s:.1f} s",
        ),
        ("events written (every one owed to the endpoint)", f"{owed:,}"),
        ("events delivered to the receiver (once each counted)", f"{len(arrivals):,} of {owed:,} in {all_s:.1f} s"),
        ("delivery rate while firing", f"{len(arrivals) / span:,.0f} events/s" if span else "–"),
        (
            "commit → delivery delay, p50 / p99 / max",
            f"{pct(delays, 0.5):,.0f} / {pct(delays, 0.99):,.0f} / {max(delays, default=0):,.0f} ms",
        ),
    ]


def _count(url: str, sql: str) -> int:
    with psycopg.connect(_libpq(url)) as conn:
        row = conn.execute(sql).fetchone()
        return int(row[0]) if row else 0


@contextmanager
def events_off() -> Iterator[None]:
    """The event layer switched off: nothing recorded, no snapshot built."""
    saved = events.case_move, events.record, events.record_many
    events.case_move = lambda ctx, case, entry, policy: []  # type: ignore[assignment]
    events.record = lambda ctx, *made: None  # type: ignore[assignment]
    events.record_many = lambda ctx, made: None  # type: ignore[assignment]
    try:
        yield
    finally:
        events.case_move, events.record, events.record_many = saved  # type: ignore[assignment]


def action_cost(url: str, layout: Layout, now: datetime, block: int) -> list[tuple[str, str]]:
    rt = Runtime(Settings(database_url=url), clock=ManualClock(now), migrate=False)
    ids = list(layout.service_actions)
    on: list[float] = []
    off: list[float] = []
    for start in range(0, len(ids), block * 2):
        chunk = ids[start : start + block * 2]
        for n in chunk[:block]:
            on.append(_act(rt, layout, n))
        with events_off():
            for n in chunk[block:]:
                off.append(_act(rt, layout, n))
    rt.close()
    ratio = statistics.median(on) / statistics.median(off) - 1
    return [
        ("case action with the event layer, p50 / p99", f"{pct(on, 0.5):.1f} / {pct(on, 0.99):.1f} ms ({len(on)})"),
        ("the same without it, p50 / p99", f"{pct(off, 0.5):.1f} / {pct(off, 0.99):.1f} ms ({len(off)})"),
        ("what the event layer adds to a case action (p50)", f"{ratio:+.1%}"),
    ]


def _act(rt: Runtime, layout: Layout, n: int) -> float:
    started = time.perf_counter()
    with rt.uow() as ctx:
        cases.act(ctx, n, CaseAction.agree, Actor(Role.seller, layout.shop_of(n)))
    return (time.perf_counter() - started) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=25_000, help="open requests loaded")
    parser.add_argument("--due", type=int, default=10_000, help="deadlines fired while the relay delivers")
    parser.add_argument("--workers", type=int, default=2, help="deadline worker processes")
    parser.add_argument("--batch", type=int, default=2000, help="deadlines claimed per worker batch")
    parser.add_argument("--relays", type=int, default=1, help="`peifu relay` processes")
    parser.add_argument("--relay-batch", type=int, default=500, help="webhook deliveries claimed per relay round")
    parser.add_argument("--actions", type=int, default=600, help="case actions timed (half with, half without)")
    parser.add_argument("--block", type=int, default=25, help="actions per alternating block")
    parser.add_argument("--drain-timeout", type=float, default=600, help="seconds to wait for the last delivery")
    parser.add_argument("--database", default=None)
    args = parser.parse_args(argv)
    server = os.environ.get("PEIFU_BENCH_DATABASE_URL", "")
    if not server.startswith("postgres"):
        console.print("Set PEIFU_BENCH_DATABASE_URL to a PostgreSQL URL (see benchmarks/README.md).")
        return 2
    url = target_url(server, args.database or "peifu_bench_events")
    layout = Layout(args.cases, args.due, args.actions, 0, 0)
    now = datetime.now(UTC).replace(microsecond=0)
    console.print(f"loading {args.cases:,} open requests …")
    console.print(f"loaded in {load(url, layout, now):.0f} s")
    rows: list[tuple[str, str]] = []
    if args.actions:
        rows += action_cost(url, layout, now, args.block)
    if args.due:
        rows += delivery_under_load(url, args, now)
    table = Table(title=f"events out — {args.due:,} deadlines, PostgreSQL, {datetime.now(UTC):%Y-%m-%d}")
    table.add_column("what")
    table.add_column("measured", justify="right")
    for row in rows:
        table.add_row(*row)
    console.print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
