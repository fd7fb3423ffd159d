"""/healthz while logins flood the server: with the bound on concurrent password checks, and without.

Each login costs an Argon2id verification (64 MiB, 3 passes, 4 lanes — the production
parameters). `--clients` threads log in as fast as they are answered while another thread asks
`/healthz` every `--interval` seconds; the same server code runs three times, each for
`--seconds`:

1. *idle*: no logins — the baseline;
2. *bounded*: the shipped behaviour, `login_concurrency` = `--bound` (default: half the cores),
   a login over the bound answered 503 `login_busy` at once;
3. *unbounded*: `login_concurrency` = `--clients`, so every login is checked — what a server
   without the bound does.

It prints /healthz p50 / p99 in milliseconds for each, the ratio to idle, and the logins
answered 200 and 503. The server is uvicorn in a thread of this process (the load generators
are threads too: Argon2 releases the GIL), on a temporary SQLite database or `--database-url`.

    .venv/bin/python -m benchmarks.login_bench [--clients 8] [--seconds 10] [--database-url URL]
"""

from __future__ import annotations

import argparse
import logging
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from peifu.adapters.api.app import create_app
from peifu.adapters.runtime import Runtime
from peifu.services import auth
from peifu.settings import Settings, half_the_cores

PASSWORD = "benchmark-password"


@contextmanager
def serving(app: Any) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _run(database_url: str, bound: int, clients: int, seconds: float, interval: float) -> dict[str, float]:
    settings = Settings(database_url=database_url, rate_limit_per_minute=0, login_concurrency=bound)
    rt = Runtime(settings, migrate=False)
    stop = threading.Event()
    answers: dict[int, int] = {}
    lock = threading.Lock()

    def flood(base: str) -> None:
        with httpx.Client(base_url=base, timeout=120) as c:
            while not stop.is_set():
                status = c.post("/api/v1/auth/login", json={"username": "bench", "password": PASSWORD}).status_code
                with lock:
                    answers[status] = answers.get(status, 0) + 1
                if status == 503:
                    time.sleep(0.05)  # a well-behaved client waits a little (Retry-After says 1 s)

    health: list[float] = []
    with serving(create_app(rt)) as base:
        threads = [threading.Thread(target=flood, args=(base,), daemon=True) for _ in range(clients)]
        for t in threads:
            t.start()
        time.sleep(min(2.0, seconds / 4))  # let the flood build up
        with httpx.Client(base_url=base, timeout=120) as c:
            until = time.monotonic() + seconds
            while time.monotonic() < until:
                started = time.perf_counter()
                assert c.get("/healthz").status_code == 200
                health.append((time.perf_counter() - started) * 1000)
                time.sleep(interval)
        stop.set()
        for t in threads:
            t.join(timeout=120)
    rt.close()
    return {
        "p50": statistics.median(health),
        "p99": _quantile(health, 0.99),
        "ok": answers.get(200, 0),
        "busy": answers.get(503, 0),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=8, help="login loops")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per run")
    parser.add_argument("--interval", type=float, default=0.05, help="seconds between /healthz probes")
    parser.add_argument("--bound", type=int, default=half_the_cores(), help="login_concurrency of the bounded run")
    parser.add_argument("--database-url", help="a database to use (migrated; user 'bench' added) instead of SQLite")
    args = parser.parse_args(argv)
    logging.getLogger("peifu").setLevel(logging.CRITICAL)  # not a line per refused login
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'login-bench.db'}"
        rt = Runtime(Settings(database_url=url))
        with rt.uow() as ctx:
            if auth.stored_password(ctx.session, "bench") is None:
                auth.create_user(ctx.session, "bench", "buyer", PASSWORD, ctx.now(), party_id="buyer-bench")
        rt.close()
        runs = {
            "idle": _run(url, args.bound, 0, args.seconds, args.interval),
            f"bounded ({args.bound} at once)": _run(url, args.bound, args.clients, args.seconds, args.interval),
            f"unbounded ({args.clients} at once)": _run(url, args.clients, args.clients, args.seconds, args.interval),
        }
    idle = runs["idle"]["p50"]
    print(f"/healthz under {args.clients} login loops, {args.seconds:.0f} s each (Argon2id 64 MiB, t=3, p=4):")
    print(f"{'':28} {'p50 ms':>8} {'p99 ms':>8} {'p50/idle':>9} {'logins 200':>11} {'503':>6}")
    for name, r in runs.items():
        print(
            f"{name:28} {r['p50']:8.1f} {r['p99']:8.1f} {r['p50'] / idle:8.1f}x {int(r['ok']):11d} {int(r['busy']):6d}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
