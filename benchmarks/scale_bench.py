"""Horizontal scale on one machine: 1 API process, then 2, plus 2 deadline workers, on one PostgreSQL.

    .venv/bin/python -m benchmarks.scale_bench                 # 2 × 20 s phases, 8 clients
    .venv/bin/python -m benchmarks.scale_bench --api 1,2,1,2 --seconds 30 --clients 12

Starts real processes on loopback: `peifu worker` × `--deadline-workers` (2) for the whole run,
then for each entry of `--api` a `peifu serve --workers N --no-worker --no-demo`, and drives it
with `--clients` threads for `--seconds`, each repeating one after-sale flow of 8 requests:

    platform  POST /orders, POST /orders/{id}/events (paid)
    buyer     POST /cases (refund only)
    seller    GET /cases/{id}, POST /cases/{id}/agree, GET /cases (the shop's list)
    buyer     GET /cases/{id}
    seller    GET /events (the shop's feed, resumed from its cursor)

over `--shops` (50) shops and as many buyers. Throughput is completed requests per second after a
warm-up (`--warmup` 10 s: each API process loads its triage model); the ratio of each phase to the first is printed, all measured in this run.

While the load runs a sampler reads `pg_locks` and `pg_stat_activity` of the benchmark's database
every `--sample-ms` (100 ms) and reports:

* the wait-event histogram of the client backends that are running a statement;
* lock waits by lock type (`transactionid`/`tuple`: a row another transaction is changing;
  `advisory`: an audit chain's or the event sequencer's transaction lock; `relation`: a table);
* relation locks stronger than ROW EXCLUSIVE (a table lock that would block writers) — expected 0;
* locks held by a backend that is *not in a transaction* (state `idle`) in two samples running
  within the same idle period: the only way a lock outlives a request (a session-level advisory
  lock) — expected 0 (seen in one sample only is the two views being read a moment apart);
* the longest time a backend stayed `idle in transaction` (a request's transaction between
  statements).

The data goes to database `--database` (peifu_scale_bench, dropped and created afresh) on the
server of PEIFU_BENCH_DATABASE_URL (default postgresql://postgres:postgres@127.0.0.1:5432/postgres).
Exit status 1 if any request failed, a table lock was seen, or a lock was held outside a transaction.
"""

from __future__ import annotations

import argparse
import collections
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg

DEFAULT_SERVER = "postgresql://postgres:postgres@127.0.0.1:5432/postgres"
STRONG_TABLE_LOCKS = {"ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"}
FLOW_REQUESTS = 8


def server_url() -> str:
    return os.environ.get("PEIFU_BENCH_DATABASE_URL", DEFAULT_SERVER)


def database_url(name: str) -> str:
    base, _, _ = server_url().rpartition("/")
    return f"{base}/{name}"


def fresh_database(name: str) -> None:
    with psycopg.connect(server_url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def peifu() -> str:
    return str(Path(sys.executable).parent / "peifu")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    # its own process group: stopping it stops the uvicorn processes it spawned, and nothing else
    return subprocess.Popen(args, env=env, start_new_session=True, stdout=subprocess.DEVNULL)


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the API exited with {proc.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit("the API did not answer /healthz")


# --- the load -------------------------------------------------------------------------------------


@dataclass
class Tally:
    done: collections.Counter[str] = field(default_factory=collections.Counter)
    failed: collections.Counter[str] = field(default_factory=collections.Counter)
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, ok: bool, seconds: float, counted: bool) -> None:
        if not counted:
            return
        with self.lock:
            (self.done if ok else self.failed)[name] += 1
            self.latencies.append(seconds)


def client_loop(
    base: str, index: int, phase: str, shops: int, stop_at: float, count_from: float, tally: Tally, errors: list[str]
) -> None:
    platform = {"X-Peifu-Actor": "platform:platform"}
    cursor: dict[str, str] = {}
    n = 0
    with httpx.Client(base_url=f"{base}/api/v1", timeout=60) as http:

        def call(name: str, method: str, url: str, headers: dict[str, str], **kw: Any) -> httpx.Response | None:
            began = time.monotonic()
            try:
                answer = http.request(method, url, headers=headers, **kw)
                ok = answer.status_code < 400
            except httpx.HTTPError as exc:
                answer, ok = None, False
                errors.append(f"{name}: {exc!r}")
            if answer is not None and not ok and len(errors) < 20:
                errors.append(f"{name} {answer.status_code}: {answer.text[:200]}")
            tally.add(name, ok, time.monotonic() - began, began >= count_from)
            return answer if ok else None

        while time.monotonic() < stop_at:
            n += 1
            shop = f"shop-{(index * 7 + n) % shops:03d}"
            buyer = {"X-Peifu-Actor": f"buyer:buyer-{index:02d}-{n % 97:02d}"}
            seller = {"X-Peifu-Actor": f"seller:{shop}"}
            order_id = f"S{phase}-{index:02d}-{n:06d}"
            body = {
                "id": order_id,
                "shop": {"id": shop, "name": f"店铺 {shop}", "category": "shoes"},
                "buyer": {"id": buyer["X-Peifu-Actor"].split(":")[1], "name": "买家"},
                "lines": [
                    {"sku": "SKU-1", "title": "跑步鞋", "category": "shoes", "unit_price_fen": 39900, "quantity": 1}
                ],
            }
            if call("order", "POST", "/orders", platform, json=body) is None:
                continue
            if call("paid", "POST", f"/orders/{order_id}/events", platform, json={"kind": "paid"}) is None:
                continue
            opened = call(
                "open",
                "POST",
                "/cases",
                buyer,
                json={
                    "order_id": order_id,
                    "lines": [{"line_no": 1}],
                    "case_type": "refund_only",
                    "reason": "ordered_by_mistake",
                },
            )
            if opened is None:
                continue
            case_id = opened.json()["id"]
            call("read", "GET", f"/cases/{case_id}", seller)
            call("agree", "POST", f"/cases/{case_id}/agree", seller)
            call("list", "GET", "/cases", seller, params={"limit": 20})
            call("read", "GET", f"/cases/{case_id}", buyer)
            page = call("feed", "GET", "/events", seller, params={"limit": 50, **cursor.get(shop, {})})
            if page is not None and page.json().get("next_cursor"):
                cursor[shop] = {"after": page.json()["next_cursor"]}  # type: ignore[assignment]


# --- the sampler ----------------------------------------------------------------------------------

ACTIVITY = """
SELECT pid, state, coalesce(wait_event_type, '') AS wtype, coalesce(wait_event, '') AS wevent,
       extract(epoch FROM (clock_timestamp() - state_change)) AS in_state
FROM pg_stat_activity
WHERE datname = %s AND pid <> pg_backend_pid() AND backend_type = 'client backend'
"""
LOCKS = """
SELECT l.locktype, l.mode, l.granted, coalesce(c.relname, '') AS relname, a.state, l.classid, l.objid,
       l.pid, a.state_change
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
LEFT JOIN pg_class c ON c.oid = l.relation
WHERE a.datname = %s AND l.pid <> pg_backend_pid()
"""


AUDIT_CHAIN_CLASS = 0x7065_6966  # services.audit.LOCK_CLASS: pg_advisory_xact_lock(class, chain)
QUEUES_HIGH = 0x7065  # services.webhooks.QUEUES_LOCK's high 32 bits (the event sequencer, webhook queues)


def advisory_kind(classid: int) -> str:
    if classid == AUDIT_CHAIN_CLASS:
        return "advisory (an audit chain)"
    if classid == QUEUES_HIGH:
        return "advisory (event sequencer / webhook queues)"
    return "advisory (other)"


@dataclass
class Sampled:
    samples: int = 0
    waits: collections.Counter[str] = field(default_factory=collections.Counter)
    active: int = 0
    lock_waits: collections.Counter[str] = field(default_factory=collections.Counter)
    held: collections.Counter[str] = field(default_factory=collections.Counter)
    strong_table_locks: collections.Counter[str] = field(default_factory=collections.Counter)
    outside_transaction: collections.Counter[str] = field(default_factory=collections.Counter)
    race_of_the_views: int = 0  # seen once with the backend idle: pg_locks and pg_stat_activity read apart
    advisory_keys: set[tuple[int, int]] = field(default_factory=set)
    longest_idle_in_tx: float = 0.0
    pid: int = 0  # the sampler's own backend


def sampler(url: str, name: str, every: float, until: threading.Event, out: Sampled) -> None:
    before: set[tuple[Any, ...]] = set()
    with psycopg.connect(url, autocommit=True) as conn:
        out.pid = conn.info.backend_pid
        while not until.is_set():
            idle_now: set[tuple[Any, ...]] = set()
            out.samples += 1
            for _pid, state, wtype, wevent, in_state in conn.execute(ACTIVITY, (name,)).fetchall():
                if state == "active":
                    out.active += 1
                    out.waits[f"{wtype}:{wevent}" if wtype else "CPU (no wait)"] += 1
                elif state == "idle in transaction":
                    out.longest_idle_in_tx = max(out.longest_idle_in_tx, float(in_state or 0))
            for row in conn.execute(LOCKS, (name,)).fetchall():
                locktype, mode, granted, relname, state, classid, objid, pid, since = row
                if locktype == "virtualxid":
                    continue
                if not granted:
                    out.lock_waits[advisory_kind(int(classid)) if locktype == "advisory" else locktype] += 1
                    continue
                out.held[f"{locktype} {mode}"] += 1
                if locktype == "advisory":
                    out.advisory_keys.add((int(classid), int(objid)))
                if locktype == "relation" and mode in STRONG_TABLE_LOCKS:
                    out.strong_table_locks[f"{relname} {mode}"] += 1
                if state == "idle":  # no transaction open, yet a lock: held across requests?
                    idle_now.add((pid, since, locktype, mode, relname, classid, objid))
            # the two views are read one after the other, so a backend that committed in between
            # shows its last locks as 'idle' once; a lock held across requests stays, in the same
            # idle period (same state_change), from one sample to the next
            for held in idle_now:
                if held in before:
                    out.outside_transaction[f"{held[2]} {held[3]} {held[4]}"] += 1
                else:
                    out.race_of_the_views += 1
            before = idle_now
            until.wait(every)


# --- CPU seconds per request ----------------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()  # fields from the 3rd (state) on


def cpu_of_groups(groups: list[int]) -> float:
    """CPU seconds (user + system) used so far by every process in these process groups."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) and int(fields[2]) in groups:
            total += (int(fields[11]) + int(fields[12])) / TICK
    return total


def cpu_of_backends(url: str, name: str, skip: int = 0) -> float:
    """CPU seconds used so far by the PostgreSQL backends connected to the benchmark's database
    (not this look-up's, nor the sampler's: `skip`)."""
    with psycopg.connect(url, autocommit=True) as conn:
        pids = [r[0] for r in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", (name,))]
        own = conn.info.backend_pid
    return sum((int(f[11]) + int(f[12])) / TICK for pid in pids if pid not in (own, skip) and (f := _stat(pid)))


@dataclass
class Cpu:
    api: float = 0.0
    workers: float = 0.0
    database: float = 0.0


# --- the run --------------------------------------------------------------------------------------


def run_phase(
    api: int, args: argparse.Namespace, env: dict[str, str], name: str, label: str, workers: list[int]
) -> tuple[float, Tally, Sampled, list[str], Cpu]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [peifu(), "serve", "--no-demo", "--no-worker", "--workers", str(api), "--port", str(port)]
    proc = start(cmd, env)
    try:
        wait_ready(base, proc)
        tally, sampled, errors = Tally(), Sampled(), []
        began = time.monotonic()
        count_from, stop_at = began + args.warmup, began + args.warmup + args.seconds
        halt = threading.Event()
        watcher = threading.Thread(
            target=sampler, args=(database_url(name), name, args.sample_ms / 1000, halt, sampled)
        )
        threads = [
            threading.Thread(
                target=client_loop, args=(base, i, label, args.shops, stop_at, count_from, tally, errors), daemon=True
            )
            for i in range(args.clients)
        ]
        watcher.start()
        for t in threads:
            t.start()
        time.sleep(max(0.0, count_from - time.monotonic()))
        url = database_url(name)
        start_cpu = Cpu(cpu_of_groups([proc.pid]), cpu_of_groups(workers), cpu_of_backends(url, name, sampled.pid))
        for t in threads:
            t.join()
        used = Cpu(
            cpu_of_groups([proc.pid]) - start_cpu.api,
            cpu_of_groups(workers) - start_cpu.workers,
            cpu_of_backends(url, name, sampled.pid) - start_cpu.database,
        )
        halt.set()
        watcher.join()
        counted = min(time.monotonic(), stop_at + 60) - count_from
        return sum(tally.done.values()) / counted, tally, sampled, errors, used
    finally:
        stop(proc)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--api", default="1,2", help="API processes per phase, in order (e.g. 1,2,1,2)")
    parser.add_argument("--deadline-workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8, help="client threads")
    parser.add_argument("--seconds", type=float, default=20, help="measured seconds per phase")
    parser.add_argument(
        "--warmup", type=float, default=10, help="unmeasured seconds first (each API process loads its triage model)"
    )
    parser.add_argument("--shops", type=int, default=50)
    parser.add_argument("--sample-ms", type=float, default=100)
    parser.add_argument("--database", default="peifu_scale_bench")
    args = parser.parse_args(argv)
    phases = [int(x) for x in args.api.split(",") if x.strip()]

    name = args.database
    fresh_database(name)
    url = database_url(name)
    env = {
        **os.environ,
        "PEIFU_DATABASE_URL": url,
        "PEIFU_TRUST_ACTOR_HEADER": "1",  # the load names its parties as a trusted gateway would
        "PEIFU_RATE_LIMIT_PER_MINUTE": "0",  # one client address sends everything
        "PEIFU_LOG_LEVEL": "WARNING",
    }
    subprocess.run([peifu(), "db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL)
    workers = [start([peifu(), "worker", "--idle-sleep", "0.5"], env) for _ in range(args.deadline_workers)]
    print(
        f"scale_bench: {args.clients} clients × {args.seconds:g} s per phase (after {args.warmup:g} s warm-up), "
        f"{args.deadline_workers} deadline workers, {os.cpu_count()} CPU cores, database {name}"
    )
    status = 0
    results: list[tuple[int, float, Tally, Sampled]] = []
    try:
        for i, api in enumerate(phases):
            rate, tally, sampled, errors, cpu = run_phase(api, args, env, name, f"{i}", [w.pid for w in workers])
            results.append((api, rate, tally, sampled))
            failed = sum(tally.failed.values())
            print(
                f"\n{api} API process(es): {rate:,.0f} requests/s ({rate / FLOW_REQUESTS:,.1f} flows/s), "
                f"p50 {pct(tally.latencies, 0.5):.1f} ms, p99 {pct(tally.latencies, 0.99):.1f} ms, "
                f"{sum(tally.done.values()):,} done, {failed} failed"
            )
            done = max(1, sum(tally.done.values()))
            print(
                f"  CPU per request: API processes {cpu.api / done * 1000:.1f} ms, deadline workers "
                f"{cpu.workers / done * 1000:.1f} ms, PostgreSQL backends {cpu.database / done * 1000:.1f} ms; "
                f"database busy per request (running statements / throughput) {sampled.active / max(1, sampled.samples) / rate * 1000:.1f} ms"
            )
            for line in errors[:5]:
                print(f"  error: {line}")
            report_locks(sampled)
            if failed or sampled.strong_table_locks or sampled.outside_transaction:
                status = 1
    finally:
        for w in workers:
            stop(w)
    first = results[0][1] if results else 0
    print("\nthroughput, each phase / the first (same run):")
    for api, rate, _, _ in results:
        print(f"  {api} API process(es): {rate:,.0f} req/s  ×{rate / first:.2f}")
    return status


def report_locks(s: Sampled) -> None:
    print(f"  sampled {s.samples} times; {s.active / max(1, s.samples):.1f} statements running on average")
    total = sum(s.waits.values()) or 1
    print(
        "  wait events of running statements: " + ", ".join(f"{k} {v / total:.0%}" for k, v in s.waits.most_common(8))
    )
    waits = ", ".join(f"{k} {v}" for k, v in s.lock_waits.most_common()) or "none"
    print(f"  lock waits seen (backend-samples): {waits}")
    print("  locks held (by type and mode): " + ", ".join(f"{k} {v}" for k, v in s.held.most_common(8)))
    print(f"  advisory lock keys seen: {len(s.advisory_keys)} distinct (transaction-scoped)")
    print(
        f"  table locks stronger than ROW EXCLUSIVE: {sum(s.strong_table_locks.values())} {dict(s.strong_table_locks)}"
    )
    print(
        f"  locks held outside a transaction (across requests): {sum(s.outside_transaction.values())} "
        f"{dict(s.outside_transaction)} (seen once, the two views read apart: {s.race_of_the_views})"
    )
    print(f"  longest 'idle in transaction' seen: {s.longest_idle_in_tx * 1000:.0f} ms")


if __name__ == "__main__":
    sys.exit(main())
