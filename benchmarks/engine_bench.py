"""The engine under load: case actions, deadline firing and bulk fast refunds on PostgreSQL, each
against a plain-SQL baseline that does the equivalent writes.

    PEIFU_BENCH_DATABASE_URL=postgresql://postgres:postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python -m benchmarks.engine_bench [--cases 1000000 --due 100000 --bulk 100000]

See benchmarks/README.md. The data goes into its own database (`peifu_bench_engine` when the URL
names the `postgres` maintenance database; `--database` picks another), which is reset on every
run: every part of the benchmark consumes the open requests it acts on.

What is loaded: `--cases` open refund_only requests (待卖家处理), each on its own paid order with
its payment in the ledger and its seller_response deadline armed. What is timed:

* deadlines — `--due` of those deadlines are past due; the deadline worker (`deadlines.run_due`,
  as in production: the seller-silence deadlines of each claim together through
  `services.batch_refunds`, anything else one transaction each through `cases.act`) fires them
  all: each is the seller's silence turned into an agreement, the refund executed through the
  ledger, the payout queued, the order closed, the metrics row written and the audit chain
  extended. Then `--baseline` (default: as many) other deadlines are made due and fired by the
  baseline, one transaction each;
* case actions — the seller agrees to `--actions` requests through the service layer
  (`cases.act`, one unit of work each), `--http` more through the HTTP API, and `--actions` more
  through the baseline (p50 / p99 latency of each);
* bulk fast refund — `--bulk` requests of one shop agreed through `auto_handling.bulk_agree_in_batches`
  (one transaction per 200), and `--baseline` (default: as many) through the baseline in the same
  batches.

The baseline is plain SQL over psycopg doing what the engine's unit of work writes for the same
outcome: lock the order, case and deadline rows; read the escrow balance; add to the line's
refunded amount; set the case refunded; insert the two timeline events (agree, execute_refund);
insert the ledger transaction with its two entries and seal it; queue the payout; close the order
(with its timeline event, cancelling its auto-confirm timer); mark the deadline fired and arm
nothing; write the metrics row; and append the five audit links (the case's and the payout's new
versions, the ledger transaction, the two events) to the case's audit chain under that chain's
advisory lock, HMAC-chained as services.audit does — with none of the engine's checks (state
machine, access, eligibility, policy), ORM or Pydantic.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from rich.console import Console
from rich.table import Table

from benchmarks.metrics_bench import Stamps, _libpq, progress_bar
from peifu.adapters.runtime import Runtime
from peifu.db.engine import normalise_url
from peifu.db.migrate import upgrade
from peifu.domain.actors import Actor
from peifu.domain.clock import ManualClock
from peifu.domain.vocabulary import CaseAction, Role
from peifu.services.audit import DEV_KEY_ID, DEV_SECRET, GENESIS, LOCK_CLASS, chain_of
from peifu.settings import Settings

console = Console() if sys.stdout.isatty() else Console(width=150)  # logs keep the table on one line per row
CHUNK = 50_000
SHOPS = 1000
BULK_SHOP = "bulk-shop"
PRICE = 19_900
BIG_TABLES = ("orders", "order_lines", "cases", "case_lines", "case_events", "deadlines", "ledger_transactions")


def target_url(url: str, database: str | None) -> str:
    url = normalise_url(url)
    base, _, name = url.rpartition("/")
    name = name.split("?")[0]
    wanted = database or ("peifu_bench_engine" if name in ("postgres", "template1", "") else name)
    if wanted.startswith("peifu_test"):
        raise SystemExit("refusing to use a test database")
    with psycopg.connect(_libpq(f"{base}/postgres"), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (wanted,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{wanted}"')
    return f"{base}/{wanted}"


# --- loading -----------------------------------------------------------------------------------------


class Layout:
    """Which case ids each part of the benchmark uses (cases are numbered 1..cases, one per order)."""

    def __init__(self, cases: int, due: int, actions: int, http: int, bulk: int, floor: int = 0) -> None:
        self.cases = cases
        starts = itertools_accumulate([due, due, floor, actions, http, actions, bulk, bulk])
        self.engine_due = range(1, starts[0] + 1)
        self.baseline_due = range(starts[0] + 1, starts[1] + 1)
        self.floor_due = range(starts[1] + 1, starts[2] + 1)
        self.service_actions = range(starts[2] + 1, starts[3] + 1)
        self.http_actions = range(starts[3] + 1, starts[4] + 1)
        self.baseline_actions = range(starts[4] + 1, starts[5] + 1)
        self.bulk = range(starts[5] + 1, starts[6] + 1)
        self.bulk_baseline = range(starts[6] + 1, starts[7] + 1)
        if starts[7] > cases:
            raise SystemExit(f"--cases must be at least {starts[7]:,} for these sizes")

    def shop_of(self, n: int) -> str:
        return BULK_SHOP if n in self.bulk or n in self.bulk_baseline else f"s{n % SHOPS:05d}"


def itertools_accumulate(sizes: list[int]) -> list[int]:
    out, total = [], 0
    for size in sizes:
        total += size
        out.append(total)
    return out


def load(url: str, layout: Layout, now: datetime) -> float:
    """Reset the schema, migrate and COPY the open requests; returns the seconds it took."""
    started = time.perf_counter()
    with psycopg.connect(_libpq(url), autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    upgrade(url)
    rt = Runtime(Settings(database_url=url), clock=ManualClock(now), migrate=False)
    policy = rt.policies.current.version
    rt.close()
    end = int(now.timestamp())
    stamps = Stamps(end - 10 * 86400, end + 10 * 86400)
    null = chr(92) + "N"
    n_cases = layout.cases

    def rows(make: Callable[[int], str]) -> Iterator[str]:
        for first in range(1, n_cases + 1, CHUNK):
            yield "".join(make(n) for n in range(first, min(n_cases, first + CHUNK - 1) + 1))

    def opened(n: int) -> int:
        return end - 73 * 3600 - n % 3600 if n in layout.engine_due else end - 3600 - n % 3600

    def order(n: int) -> str:
        paid = opened(n) - 7200
        return (
            f"B{n:09d}\t{layout.shop_of(n)}\tb{n % 100_000:06d}\tpaid\t{policy}\t{stamps(paid - 60)}\t{stamps(paid)}\t"
            f"{stamps(paid + 72 * 3600)}\tt\t0\t0\tf\tf\t[]\n"
        )

    def line(n: int) -> str:
        return f"{n}\tB{n:09d}\t1\tSKU\titem\tcat{n % 20:02d}\t{PRICE}\t1\t{PRICE}\t0\tf\tf\tf\tf\n"

    def payment(n: int) -> str:
        return f"{n}\tpayment\tbuyer paid order B{n:09d}\tB{n:09d}\t{layout.shop_of(n)}\tb{n % 100_000:06d}\t" + (
            f"{stamps(opened(n) - 7200)}\tt\n"
        )

    def entries(n: int) -> str:
        return f"{2 * n - 1}\t{n}\tgateway\t{-PRICE}\n{2 * n}\t{n}\tescrow:B{n:09d}\t{PRICE}\n"

    def case(n: int) -> str:
        at = stamps(opened(n))
        return (
            f"{n}\tB{n:09d}\t{layout.shop_of(n)}\tb{n % 100_000:06d}\trefund_only\tno_longer_wanted\trequested\t"
            f"in_trade\t\t{policy}\t{at}\t{at}\t0\t1\tf\n"
        )

    def case_line(n: int) -> str:
        return f"{n}\t{n}\t{n}\t{PRICE}\n"

    def event(n: int) -> str:
        return f"{n}\t{n}\t1\t{stamps(opened(n))}\tbuyer\tb{n % 100_000:06d}\topen\t\trequested\t{{}}\n"

    def deadline(n: int) -> str:
        if n in layout.engine_due:
            due = end - 3600
        elif n in layout.baseline_due or n in layout.floor_due:
            due = end + 2 * 86400  # made due when the baseline's (or the floor's) turn comes
        else:
            due = opened(n) + 72 * 3600
        return f"{n}\tseller_response\t{n}\t{null}\t{stamps(due)}\tpending\t{stamps(opened(n))}\t0\n"

    with psycopg.connect(_libpq(url)) as conn, progress_bar() as bar:
        try:
            conn.execute("SET session_replication_role = replica")  # no FK or ledger triggers per row
        except psycopg.Error:
            conn.rollback()
        conn.execute("SET maintenance_work_mem = '512MB'")
        dropped = [
            (name, definition)
            for name, definition in conn.execute(
                """SELECT indexname, indexdef FROM pg_indexes i
                   WHERE schemaname = 'public' AND tablename = ANY(%s)
                   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
                ([*BIG_TABLES, "ledger_entries"],),
            )
        ]
        for name, _ in dropped:
            conn.execute(f'DROP INDEX "{name}"')
        created = stamps(end - 9 * 86400)
        shop_rows = [f"s{i:05d}\tshop {i}\tcat{i % 20:02d}\ttaobao\t{created}\n" for i in range(SHOPS)]
        shop_rows.append(f"{BULK_SHOP}\tbulk shop\tcat00\ttmall\t{created}\n")
        copy(conn, "shops", "id, name, category, kind, created_at", iter(["".join(shop_rows)]), len(shop_rows), bar)
        metric_rows = [f"s{i:05d}\tcat{i % 20:02d}\tshop\n" for i in range(SHOPS)] + [f"{BULK_SHOP}\tcat00\tshop\n"]
        copy(conn, "metric_shops", "shop_id, category, source", iter(["".join(metric_rows)]), len(metric_rows), bar)
        buyers = "".join(f"b{i:06d}\t{created}\n" for i in range(min(100_000, n_cases + 1)))
        copy(conn, "buyers", "id, created_at", iter([buyers]), buyers.count("\n"), bar)
        copy(
            conn,
            "orders",
            "id, shop_id, buyer_id, state, policy_version, created_at, paid_at, ship_deadline, free_shipping, "
            "shipping_fee_fen, shipping_refunded_fen, shipping_insurance, invoice_promised, gifts",
            rows(order),
            n_cases,
            bar,
        )
        copy(
            conn,
            "order_lines",
            "id, order_id, line_no, sku, title, category, unit_price_fen, quantity, paid_fen, refunded_fen, "
            "custom_made, perishable, digital, food",
            rows(line),
            n_cases,
            bar,
        )
        copy(
            conn,
            "ledger_transactions",
            "id, kind, memo, order_id, shop_id, buyer_id, created_at, sealed",
            rows(payment),
            n_cases,
            bar,
        )
        copy(conn, "ledger_entries", "id, txn_id, account, amount_fen", rows(entries), 2 * n_cases, bar)
        copy(
            conn,
            "cases",
            "id, order_id, shop_id, buyer_id, case_type, reason, state, phase, description, policy_version, "
            "opened_at, state_entered_at, return_shipping_fee_fen, version, abusive",
            rows(case),
            n_cases,
            bar,
        )
        copy(conn, "case_lines", "id, case_id, order_line_id, amount_fen", rows(case_line), n_cases, bar)
        copy(
            conn,
            "case_events",
            "id, case_id, seq, at, actor_role, actor_id, action, from_state, to_state, data",
            rows(event),
            n_cases,
            bar,
        )
        copy(
            conn,
            "deadlines",
            "id, kind, case_id, order_id, due_at, status, created_at, attempts",
            rows(deadline),
            n_cases,
            bar,
        )
        task = bar.add_task("indexes", total=len(dropped))
        for _, definition in dropped:
            conn.execute(definition)
            bar.advance(task)
        for table in ("order_lines", "ledger_transactions", "ledger_entries", "cases", "case_lines", "case_events"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        conn.execute("SELECT setval(pg_get_serial_sequence('deadlines', 'id'), (SELECT max(id) FROM deadlines))")
        conn.commit()
    with psycopg.connect(_libpq(url), autocommit=True) as conn:
        for table in (*BIG_TABLES, "ledger_entries", "shops", "buyers", "metric_shops"):
            conn.execute(f"VACUUM (ANALYZE) {table}")
    return time.perf_counter() - started


def copy(conn: psycopg.Connection[Any], table: str, columns: str, chunks: Iterator[str], total: int, bar: Any) -> None:
    task = bar.add_task(f"COPY {table}", total=total)
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as out:
        for chunk in chunks:
            out.write(chunk)
            bar.advance(task, chunk.count("\n"))


# --- the plain-SQL baseline --------------------------------------------------------------------------


def _digest(record: dict[str, Any]) -> str:
    text = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class Baseline:
    """The writes of 'the seller agreed (or was silent) and the refund went out', as plain SQL."""

    def __init__(self, url: str, now: datetime) -> None:
        self.conn = psycopg.connect(_libpq(url), prepare_threshold=0)
        self.now = now

    def refund(self, case_id: int, deadline_id: int | None, actor: tuple[str, str | None]) -> None:
        cur, now = self.conn.cursor(), self.now
        order_id, shop_id, buyer_id = cur.execute(
            "SELECT order_id, shop_id, buyer_id FROM cases WHERE id = %s", (case_id,)
        ).fetchone() or ("", "", "")
        cur.execute("SELECT id FROM orders WHERE id = %s FOR UPDATE", (order_id,))
        state = cur.execute("SELECT state FROM cases WHERE id = %s FOR UPDATE", (case_id,)).fetchone()
        if state is None or state[0] != "requested":
            return
        if deadline_id is not None:
            cur.execute("SELECT status FROM deadlines WHERE id = %s FOR UPDATE", (deadline_id,))
        line_id, amount = cur.execute(
            "SELECT order_line_id, amount_fen FROM case_lines WHERE case_id = %s", (case_id,)
        ).fetchone() or (0, 0)
        escrow = f"escrow:{order_id}"
        held = cur.execute(
            "SELECT COALESCE(SUM(amount_fen), 0) FROM ledger_entries WHERE account = %s", (escrow,)
        ).fetchone()
        source = escrow if held and held[0] >= amount else f"seller_balance:{shop_id}"
        cur.execute("UPDATE order_lines SET refunded_fen = refunded_fen + %s WHERE id = %s", (amount, line_id))
        cur.execute(
            "UPDATE cases SET state = 'refunded', state_entered_at = %s, resolved_at = %s, version = version + 1 "
            "WHERE id = %s",
            (now, now, case_id),
        )
        role, who = actor
        events = [
            (2, role, who, "agree", "requested", "refunding"),
            (3, "system", None, "execute_refund", "refunding", "refunded"),
        ]
        for seq, e_role, e_who, action, src, dst in events:
            cur.execute(
                "INSERT INTO case_events (case_id, seq, at, actor_role, actor_id, action, from_state, to_state, data) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, '{}')",
                (case_id, seq, now, e_role, e_who, action, src, dst),
            )
        (txn_id,) = cur.execute(
            "INSERT INTO ledger_transactions (kind, memo, case_id, order_id, shop_id, buyer_id, created_at, sealed) "
            "VALUES ('refund', %s, %s, %s, %s, %s, %s, false) RETURNING id",
            (f"refund of case {case_id}", case_id, order_id, shop_id, buyer_id, now),
        ).fetchone() or (0,)
        cur.execute(
            "INSERT INTO ledger_entries (txn_id, account, amount_fen) VALUES (%s, %s, %s), (%s, 'payouts_pending', %s)",
            (txn_id, source, -amount, txn_id, amount),
        )
        cur.execute("UPDATE ledger_transactions SET sealed = true WHERE id = %s", (txn_id,))
        (payout_id,) = cur.execute(
            "INSERT INTO outbox (kind, idempotency_key, txn_id, case_id, buyer_id, amount_fen, method, status, "
            "attempts, next_attempt_at, created_at) "
            "VALUES ('payout', %s, %s, %s, %s, %s, 'original_payment', 'pending', 0, %s, %s) RETURNING id",
            (f"peifu-payout-{txn_id}", txn_id, case_id, buyer_id, amount, now, now),
        ).fetchone() or (0,)
        cur.execute("UPDATE orders SET state = 'closed', closed_at = %s WHERE id = %s", (now, order_id))
        cur.execute(
            "INSERT INTO order_events (order_id, kind, at, recorded_at, from_state, to_state, data) "
            "VALUES (%s, 'closed', %s, %s, 'paid', 'closed', '{}')",
            (order_id, now, now),
        )
        cur.execute(
            "UPDATE deadlines SET status = 'cancelled', outcome = 'order closed' "
            "WHERE order_id = %s AND kind = 'auto_confirm_receipt' AND status = 'pending'",
            (order_id,),
        )
        cur.execute(
            "UPDATE deadlines SET status = 'cancelled', outcome = 'case moved' "
            "WHERE case_id = %s AND status = 'pending' AND id IS DISTINCT FROM %s",
            (case_id, deadline_id),
        )
        if deadline_id is not None:
            cur.execute(
                "UPDATE deadlines SET status = 'fired', fired_at = %s, outcome = %s, lease_until = NULL WHERE id = %s",
                (now, f"case {case_id}: agree → refunded", deadline_id),
            )
        cur.execute(
            "INSERT INTO metric_cases (case_id, order_id, shop_id, category, paid_day, opened_at, responded_at, "
            "resolved_at, disputed, dispute_lost, abusive, excluded) "
            "SELECT c.id, c.order_id, c.shop_id, m.category, o.paid_at::date, c.opened_at, %s, %s, false, false, "
            "false, false FROM cases c JOIN orders o ON o.id = c.order_id "
            "LEFT JOIN metric_shops m ON m.shop_id = c.shop_id WHERE c.id = %s "
            "ON CONFLICT (case_id) DO UPDATE SET resolved_at = excluded.resolved_at",
            (now, now, case_id),
        )
        # the audit links, as services.audit writes them: every link of this commit goes to the case's
        # chain (a hash of "case:<id>" into 256 chains), appended under that chain's own advisory lock
        # from the chain's end, each an HMAC of the one before; the new versions of the case and of
        # the payout, then the ledger transaction, then the two timeline events
        chain = chain_of(f"case:{case_id}")
        cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_CLASS, chain))
        last = cur.execute(
            "SELECT seq, hash FROM audit_links WHERE chain = %s ORDER BY seq DESC LIMIT 1", (chain,)
        ).fetchone()
        seq, prev = last if last else (0, GENESIS)
        links = []
        for kind, ref, record in (
            ("case", str(case_id), {"id": case_id, "order_id": order_id, "state": "refunded", "resolved_at": now}),
            ("outbox", str(payout_id), {"id": payout_id, "txn_id": txn_id, "amount_fen": amount, "status": "pending"}),
            ("ledger", str(txn_id), {"id": txn_id, "entries": [[source, -amount], ["payouts_pending", amount]]}),
            ("case_event", f"{case_id}:2", {"case_id": case_id, "seq": 2, "action": "agree", "at": now}),
            ("case_event", f"{case_id}:3", {"case_id": case_id, "seq": 3, "action": "execute_refund", "at": now}),
        ):
            digest = _digest(record)
            seq += 1
            message = f"{chain}|{seq}|{prev}|{kind}|{ref}|{digest}|{DEV_KEY_ID}"
            link = hmac.digest(DEV_SECRET, message.encode(), "sha256").hex()
            links.append((chain, seq, kind, ref, digest, prev, link, DEV_KEY_ID, now))
            prev = link
        cur.executemany(
            "INSERT INTO audit_links (chain, seq, kind, ref, digest, prev_hash, hash, key_id, created_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            links,
        )

    def commit(self) -> None:
        self.conn.commit()

    def close(self) -> None:
        self.conn.close()


# --- timing ------------------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _parallel(target: Callable[..., tuple[int, int]], jobs: list[tuple[Any, ...]]) -> list[tuple[int, int]]:
    """Run one job per process (or in this process when there is one), each returning (done, failed)."""
    if len(jobs) == 1:
        return [target(*jobs[0])]
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(len(jobs)) as pool:
        return pool.starmap(target, jobs)


def _engine_worker(url: str, now: datetime, quota: int, batch: int, index: int) -> tuple[int, int]:
    """The deadline worker's loop (`deadlines.run_due`) until `quota` deadlines are fired."""
    from peifu.services import deadlines

    rt = Runtime(Settings(database_url=url), clock=ManualClock(now), migrate=False)
    fired = failed = 0
    while fired + failed < quota:
        take = min(batch, quota - fired - failed)
        report = deadlines.run_due(rt, owner=f"bench-{index}", batch=take)
        fired += report.fired
        failed += report.failed
        if not (report.fired or report.failed or report.skipped):
            break
    rt.close()
    return fired, failed


def _make_due(url: str, now: datetime, first: int, last: int) -> None:
    """The pending deadlines of cases first..last fall due (their part's turn has come)."""
    with psycopg.connect(_libpq(url)) as conn:
        conn.execute(
            "UPDATE deadlines SET due_at = %s WHERE case_id BETWEEN %s AND %s AND status = 'pending'",
            (now - timedelta(hours=1), first, last),
        )


def _floor_worker(
    url: str, now: datetime, workers: int, index: int, first: int, last: int, batch: int
) -> tuple[int, int]:
    from benchmarks import floor

    return floor.fire_all(_libpq(url), now, workers, index, first, last, batch), 0


def _baseline_worker(url: str, now: datetime, workers: int, index: int, first: int, last: int) -> tuple[int, int]:
    """The baseline's loop: take due deadlines (this worker's share), fire each in its own transaction."""
    base = Baseline(url, now)
    fired = 0
    while True:
        due = base.conn.execute(
            "SELECT id, case_id FROM deadlines WHERE status = 'pending' AND due_at <= %s AND id %% %s = %s "
            "AND case_id BETWEEN %s AND %s ORDER BY due_at, id LIMIT 500",
            (now, workers, index, first, last),
        ).fetchall()
        base.commit()
        if not due:
            break
        for deadline_id, case_id in due:
            base.refund(case_id, deadline_id, ("system", None))
            base.commit()
            fired += 1
    base.close()
    return fired, 0


def run(args: argparse.Namespace) -> int:
    server = os.environ.get("PEIFU_BENCH_DATABASE_URL", "")
    if not server.startswith("postgres"):
        console.print("Set PEIFU_BENCH_DATABASE_URL to a PostgreSQL URL (see benchmarks/README.md).")
        return 2
    url = target_url(server, args.database)
    floor = min(args.fire or args.due, args.due) if args.floor else 0
    layout = Layout(args.cases, args.due, args.actions, args.http, args.bulk, floor)
    now = datetime.now(UTC).replace(microsecond=0)
    console.print(f"loading {args.cases:,} open requests into {url.rsplit('/', 1)[1]} …")
    load_seconds = load(url, layout, now)
    console.print(f"loaded in {load_seconds:.0f} s")
    results: list[tuple[str, str, str, str]] = []  # what, engine, baseline, ratio

    settings = Settings(database_url=url)
    rt = Runtime(settings, clock=ManualClock(now), migrate=False)
    from peifu.services import cases

    # 1. deadlines
    if args.due:
        fire = min(args.fire or args.due, args.due)
        share = [fire // args.workers + (1 if i < fire % args.workers else 0) for i in range(args.workers)]
        started = time.perf_counter()
        done = _parallel(_engine_worker, [(url, now, quota, args.batch, i) for i, quota in enumerate(share)])
        engine_s = time.perf_counter() - started
        fired, failed = sum(d[0] for d in done), sum(d[1] for d in done)
        if failed:
            console.print(f"[red]{failed} deadlines failed[/red]")
        base_fire = min(args.baseline or fire, fire)
        first, last = layout.baseline_due.start, layout.baseline_due.start + base_fire - 1
        _make_due(url, now, first, last)
        started = time.perf_counter()
        done = _parallel(_baseline_worker, [(url, now, args.workers, i, first, last) for i in range(args.workers)])
        base_s = time.perf_counter() - started
        base_fired = sum(d[0] for d in done)
        label = f"{fire:,} due deadlines fired"
        if fire < args.due:
            label = f"{fire:,} of {args.due:,} due deadlines fired"
        results.append(
            (
                f"{label} ({args.cases:,} open cases, {args.workers} worker{'s' if args.workers > 1 else ''})",
                f"{engine_s:.1f} s = {fired / engine_s:,.0f}/s",
                f"{base_s:.1f} s = {base_fired / base_s:,.0f}/s"
                + (f" (on {base_fired:,})" if base_fire < fire else ""),
                f"{(fired / engine_s) / (base_fired / base_s):.0%}",
            )
        )
        if floor:
            first, last = layout.floor_due.start, layout.floor_due.stop - 1
            _make_due(url, now, first, last)
            started = time.perf_counter()
            done = _parallel(
                _floor_worker, [(url, now, args.workers, i, first, last, args.batch) for i in range(args.workers)]
            )
            floor_s = time.perf_counter() - started
            floor_fired = sum(d[0] for d in done)
            results.append(
                (
                    f"the floor: the same rows for {floor_fired:,} deadlines by set-based SQL alone "
                    "(benchmarks/floor.py)",
                    "",
                    f"{floor_s:.1f} s = {floor_fired / floor_s:,.0f}/s",
                    f"engine = {(fired / engine_s) / (floor_fired / floor_s):.0%} of the floor",
                )
            )
        if fire < args.due or base_fire < fire:
            results.append(
                (
                    f"→ all {args.due:,} due deadlines at these rates",
                    f"{args.due / (fired / engine_s):,.0f} s",
                    f"{args.due / (base_fired / base_s):,.0f} s",
                    "",
                )
            )

    # 2. case actions: service layer, HTTP, baseline
    def seller(n: int) -> Actor:
        return Actor(Role.seller, layout.shop_of(n))

    if args.actions:
        service_ms: list[float] = []
        for n in layout.service_actions:
            started = time.perf_counter()
            with rt.uow() as ctx:
                cases.act(ctx, n, CaseAction.agree, seller(n))
            service_ms.append((time.perf_counter() - started) * 1000)
        base = Baseline(url, now)
        base_ms: list[float] = []
        for n in layout.baseline_actions:
            started = time.perf_counter()
            base.refund(n, None, ("seller", layout.shop_of(n)))
            base.commit()
            base_ms.append((time.perf_counter() - started) * 1000)
        base.close()
        s_rate, b_rate = 1000 / statistics.mean(service_ms), 1000 / statistics.mean(base_ms)
        results.append(
            (
                f"case action (seller agrees, refund executed) × {args.actions:,}: service layer",
                f"{s_rate:,.0f}/s; p50 {pct(service_ms, 0.5):.1f} / p99 {pct(service_ms, 0.99):.1f} ms",
                f"{b_rate:,.0f}/s; p50 {pct(base_ms, 0.5):.1f} / p99 {pct(base_ms, 0.99):.1f} ms",
                f"{s_rate / b_rate:.0%}",
            )
        )
        if args.http:
            http_ms = time_http(settings, now, layout)
            h_rate = 1000 / statistics.mean(http_ms)
            results.append(
                (
                    f"the same over HTTP (POST /api/v1/cases/{{id}}/agree) × {len(http_ms):,}",
                    f"{h_rate:,.0f}/s; p50 {pct(http_ms, 0.5):.1f} / p99 {pct(http_ms, 0.99):.1f} ms",
                    "",
                    f"{h_rate / b_rate:.0%}",
                )
            )

    # 3. bulk fast refund
    if args.bulk:
        from peifu.services.auto_handling import bulk_agree_in_batches

        ids = list(layout.bulk)
        started = time.perf_counter()
        outcomes = bulk_agree_in_batches(rt, Actor(Role.seller, BULK_SHOP), BULK_SHOP, ids, batch=200)
        engine_s = time.perf_counter() - started
        agreed = sum(1 for o in outcomes if o.ok)
        # the baseline on as many other requests (made the bulk shop's in the same batches)
        base = Baseline(url, now)
        others = list(layout.bulk_baseline)[: args.baseline or None]
        started = time.perf_counter()
        for i, n in enumerate(others, start=1):
            base.refund(n, None, ("seller", BULK_SHOP))
            if i % 200 == 0:
                base.commit()
        base.commit()
        base_s = time.perf_counter() - started
        base.close()
        results.append(
            (
                f"bulk fast refund of {len(ids):,} requests (batches of 200)",
                f"{engine_s:.1f} s = {agreed / engine_s:,.0f}/s ({agreed:,} agreed)",
                f"{base_s:.1f} s = {len(others) / base_s:,.0f}/s" if others else "",
                f"{(agreed / engine_s) / (len(others) / base_s):.0%}" if others else "",
            )
        )
        if len(ids) < 100_000 and agreed and others:
            results.append(
                (
                    "→ 100,000 requests at these rates",
                    f"{100_000 / (agreed / engine_s):,.0f} s",
                    f"{100_000 / (len(others) / base_s):,.0f} s",
                    "",
                )
            )
    rt.close()

    table = Table(title=f"engine benchmark — {args.cases:,} open requests, PostgreSQL")
    for head in ("work", "engine", "plain-SQL baseline", "engine / baseline"):
        table.add_column(head, justify="left" if head == "work" else "right")
    for row in results:
        table.add_row(*row)
    console.print(table)
    return 0


def time_http(settings: Settings, now: datetime, layout: Layout) -> list[float]:
    import dataclasses

    from fastapi.testclient import TestClient

    from peifu.adapters.api.app import create_app

    settings = dataclasses.replace(settings, trust_actor_header=True, rate_limit_per_minute=0)
    rt = Runtime(settings, clock=ManualClock(now), migrate=False)
    ms: list[float] = []
    with TestClient(create_app(rt)) as client:
        for n in layout.http_actions:
            headers = {"X-Peifu-Actor": f"seller:{layout.shop_of(n)}"}
            started = time.perf_counter()
            answer = client.post(f"/api/v1/cases/{n}/agree", headers=headers)
            ms.append((time.perf_counter() - started) * 1000)
            if answer.status_code != 200:
                console.print(f"HTTP {answer.status_code}: {answer.text[:300]}")
                break
    rt.close()
    return ms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000, help="open requests loaded")
    parser.add_argument("--due", type=int, default=100_000, help="deadlines fired by the engine (and by the baseline)")
    parser.add_argument("--actions", type=int, default=2000, help="case actions timed (service layer, baseline)")
    parser.add_argument("--http", type=int, default=500, help="case actions timed over HTTP")
    parser.add_argument("--bulk", type=int, default=100_000, help="requests refunded in bulk (and by the baseline)")
    parser.add_argument(
        "--baseline",
        type=int,
        default=0,
        help="deadlines and bulk requests the baseline does (0: as many as the engine)",
    )
    parser.add_argument(
        "--floor",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also fire as many deadlines by set-based SQL alone: what the database needs (benchmarks/floor.py)",
    )
    parser.add_argument("--fire", type=int, default=0, help="fire only this many of the due deadlines (0: all)")
    parser.add_argument("--workers", type=int, default=1, help="deadline worker processes (engine and baseline)")
    parser.add_argument("--batch", type=int, default=500, help="deadlines claimed per worker batch")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", default=None, help="database name on the server (default: see above)")
    args = parser.parse_args(argv)
    random.seed(args.seed)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
