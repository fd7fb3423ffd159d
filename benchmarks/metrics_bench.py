"""After-sale metrics at scale: bulk-load a marketplace's history into PostgreSQL, then time one
shop's metrics and whole category rankings — from the rollup tables (what the API does) and from
a plain-SQL baseline over the raw tables — and check both give the same figures.

    PEIFU_BENCH_DATABASE_URL=postgresql://postgres:postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python -m benchmarks.metrics_bench [--orders 1000000 --cases 100000]

See benchmarks/README.md. The URL names the server; the data goes into the URL's database, or
into `peifu_bench` when the URL names the `postgres` maintenance database. A database that holds
Peifu data not loaded by this script is never touched. A loaded database is reused when the
sizes and seed match (`--reload` forces a new load).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from array import array
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any, TextIO

import psycopg
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table
from sqlalchemy import text

from peifu.adapters.runtime import Runtime
from peifu.db.engine import normalise_url
from peifu.db.migrate import upgrade
from peifu.db.models import Shop
from peifu.domain import metrics as rules
from peifu.domain.clock import ManualClock
from peifu.services import metrics as metric_service
from peifu.settings import Settings

console = Console()
CHUNK = 50_000
BIG_TABLES = ("orders", "order_lines", "cases", "case_events", "disputes")


# --- where -----------------------------------------------------------------------------------------


def target_url(url: str, database: str | None) -> str:
    """The bench database's SQLAlchemy URL (created on the server if missing)."""
    url = normalise_url(url)
    base, _, name = url.rpartition("/")
    name = name.split("?")[0]
    wanted = database or ("peifu_bench" if name in ("postgres", "template1", "") else name)
    if wanted != name:
        with psycopg.connect(_libpq(url), autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (wanted,)).fetchone() is None:
                conn.execute(f'CREATE DATABASE "{wanted}"')
    return f"{base}/{wanted}"


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


# --- what ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    orders: int
    cases: int
    shops: int
    categories: int
    days: int
    seed: int
    data: int = 2  # what the generator writes: 2 = requests opened 10 days after payment are post-trade

    def key(self) -> dict[str, int]:
        return self.__dict__.copy()


def loaded_shape(conn: psycopg.Connection[Any]) -> dict[str, Any] | None:
    """What this script loaded here before; raises if the database holds other Peifu data."""
    tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    if "bench_info" in tables:
        row = conn.execute("SELECT info FROM bench_info").fetchone()
        return json.loads(row[0]) if row else None
    if "orders" in tables and conn.execute("SELECT EXISTS (SELECT 1 FROM orders)").fetchone() == (True,):
        raise SystemExit("This database holds orders not loaded by the benchmark; point it at another one.")
    return None


# --- generating and loading ------------------------------------------------------------------------


class Stamps:
    """Fast 'YYYY-MM-DD HH:MM:SS+00' strings for epoch seconds: one strftime per minute."""

    def __init__(self, start: int, end: int) -> None:
        self.base = start - start % 60
        minutes = (end - self.base) // 60 + 2
        self.minutes = [
            datetime.fromtimestamp(self.base + 60 * m, UTC).strftime("%Y-%m-%d %H:%M:") for m in range(minutes)
        ]
        self.seconds = [f"{s:02d}+00" for s in range(60)]

    def __call__(self, ts: int) -> str:
        m, s = divmod(ts - self.base, 60)
        return self.minutes[m] + self.seconds[s]


@contextmanager
def progress_bar() -> Iterator[Progress]:
    with Progress(
        TextColumn("{task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
    ) as bar:
        yield bar


def copy_rows(
    conn: psycopg.Connection[Any], table: str, columns: str, chunks: Iterator[str], total: int, bar: Progress
) -> None:
    task = bar.add_task(f"COPY {table}", total=total)
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for chunk in chunks:
            copy.write(chunk)
            bar.advance(task, chunk.count("\n"))


def load(url: str, shape: Shape) -> int:
    """Reset the schema, migrate, generate and COPY everything; returns the history's end (epoch)."""
    rnd = random.Random(shape.seed)
    end = int(time.time()) // 60 * 60
    start = end - shape.days * 86400
    stamps = Stamps(start - 86400, end + 20 * 86400)
    with psycopg.connect(_libpq(url), autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    upgrade(url)
    rt = Runtime(Settings(database_url=url), clock=ManualClock(datetime.fromtimestamp(end, UTC)), migrate=False)
    policy = rt.policies.current.version
    rt.close()

    categories = [f"cat{i:02d}" for i in range(shape.categories)]
    shop_ids = [f"shop{i:06d}" for i in range(shape.shops)]
    true_category = [categories[i % shape.categories] for i in range(shape.shops)]
    own_category = [None if i % 10 == 9 else true_category[i] for i in range(shape.shops)]  # 1 in 10 has none
    order = list(range(shape.shops))
    rnd.shuffle(order)  # big and small shops in every category
    weights = [0.0] * shape.shops
    for rank, shop in enumerate(order):
        weights[shop] = 1.0 / (rank + 1) ** 0.7  # a few big shops, a long tail
    cum = []
    total = 0.0
    for w in weights:
        total += w
        cum.append(total)
    buyers = max(1000, shape.orders // 10)

    order_shop = array("i", bytes(4 * shape.orders))
    order_buyer = array("i", bytes(4 * shape.orders))
    order_paid = array("q", bytes(8 * shape.orders))

    with psycopg.connect(_libpq(url)) as conn, progress_bar() as bar:
        try:
            conn.execute("SET session_replication_role = replica")  # no FK trigger per row (superuser only)
        except psycopg.Error:
            conn.rollback()
        conn.execute("SET maintenance_work_mem = '1GB'")
        dropped = [
            (name, definition)
            for name, definition in conn.execute(
                """SELECT indexname, indexdef FROM pg_indexes i
                   WHERE schemaname = 'public' AND tablename = ANY(%s)
                   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
                (list(BIG_TABLES),),
            )
        ]
        for name, _ in dropped:
            conn.execute(f'DROP INDEX "{name}"')

        def shops() -> Iterator[str]:
            created = stamps(start - 3600)
            yield "".join(
                f"{sid}\t{sid}\t{own_category[i] or chr(92) + 'N'}\ttaobao\t{created}\n"
                for i, sid in enumerate(shop_ids)
            )

        copy_rows(conn, "shops", "id, name, category, kind, created_at", shops(), shape.shops, bar)

        def buyer_rows() -> Iterator[str]:
            created = stamps(start - 3600)
            for first in range(0, buyers, CHUNK):
                yield "".join(f"b{i:08d}\t{created}\n" for i in range(first, min(buyers, first + CHUNK)))

        copy_rows(conn, "buyers", "id, created_at", buyer_rows(), buyers, bar)

        span = end - start - 3600

        def order_rows() -> Iterator[str]:
            for first in range(0, shape.orders, CHUNK):
                n = min(CHUNK, shape.orders - first)
                picked = rnd.choices(range(shape.shops), cum_weights=cum, k=n)
                out = []
                for j in range(n):
                    i = first + j
                    shop = picked[j]
                    buyer = rnd.randrange(buyers)
                    created = start + int(rnd.random() * span)
                    paid = created + rnd.randrange(5, 1800) if rnd.random() < 0.95 else 0
                    order_shop[i], order_buyer[i], order_paid[i] = shop, buyer, paid
                    out.append(
                        f"O{i:09d}\t{shop_ids[shop]}\tb{buyer:08d}\t{'completed' if paid else 'awaiting_payment'}"
                        f"\t{policy}\t{stamps(created)}\t{stamps(paid) if paid else chr(92) + 'N'}\tf\t0\t0\tf\tf\t[]\n"
                    )
                yield "".join(out)

        copy_rows(
            conn,
            "orders",
            "id, shop_id, buyer_id, state, policy_version, created_at, paid_at, free_shipping, shipping_fee_fen, "
            "shipping_refunded_fen, shipping_insurance, invoice_promised, gifts",
            order_rows(),
            shape.orders,
            bar,
        )

        def line_rows() -> Iterator[str]:
            for first in range(0, shape.orders, CHUNK):
                out = []
                for i in range(first, min(shape.orders, first + CHUNK)):
                    shop = order_shop[i]
                    category = true_category[shop] if rnd.random() < 0.85 else rnd.choice(categories)
                    price = rnd.randrange(500, 100_000)
                    out.append(f"{i + 1}\tO{i:09d}\t1\tSKU\titem\t{category}\t{price}\t1\t{price}\t0\tf\tf\tf\tf\n")
                yield "".join(out)

        copy_rows(
            conn,
            "order_lines",
            "id, order_id, line_no, sku, title, category, unit_price_fen, quantity, paid_fen, refunded_fen, "
            "custom_made, perishable, digital, food",
            line_rows(),
            shape.orders,
            bar,
        )

        with tempfile.TemporaryFile("w+") as events, tempfile.TemporaryFile("w+") as disputes:
            counts = {"events": 0, "disputes": 0}
            chosen = sorted(
                i for i in rnd.sample(range(shape.orders), min(shape.orders, shape.cases * 2)) if order_paid[i]
            )
            chosen = chosen[: shape.cases]
            case_rows = generate_cases(
                rnd,
                chosen,
                shape,
                end,
                stamps,
                policy,
                shop_ids,
                order_shop,
                order_buyer,
                order_paid,
                events,
                disputes,
                counts,
            )
            copy_rows(
                conn,
                "cases",
                "id, order_id, shop_id, buyer_id, case_type, reason, state, phase, description, policy_version, "
                "opened_at, state_entered_at, resolved_at, escalated_at, version, return_shipping_fee_fen, abusive",
                case_rows,
                len(chosen),
                bar,
            )
            events.seek(0)
            disputes.seek(0)
            copy_rows(
                conn,
                "case_events",
                "case_id, seq, at, actor_role, actor_id, action, from_state, to_state, data",
                _file_chunks(events),
                counts["events"],
                bar,
            )
            copy_rows(
                conn,
                "disputes",
                "case_id, shop_id, buyer_id, opened_at, opened_by, status, evidence_deadline, amount_fen, duties, "
                "guidance, liable_party, closed_at",
                _file_chunks(disputes),
                counts["disputes"],
                bar,
            )
        conn.commit()

        task = bar.add_task("indexes", total=len(dropped))
        for _, definition in dropped:
            conn.execute(definition)
            conn.commit()
            bar.advance(task)
        for table in ("order_lines", "cases", "case_events", "disputes"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
        conn.commit()
    return end


def _file_chunks(handle: TextIO) -> Iterator[str]:
    while True:
        lines = handle.readlines(4 * 1024 * 1024)
        if not lines:
            return
        yield "".join(lines)


def generate_cases(
    rnd: random.Random,
    chosen: list[int],
    shape: Shape,
    end: int,
    stamps: Stamps,
    policy: str,
    shop_ids: list[str],
    order_shop: array[int],
    order_buyer: array[int],
    order_paid: array[int],
    events: TextIO,
    disputes: TextIO,
    counts: dict[str, int],
) -> Iterator[str]:
    """Cases with timelines: the seller answers (or the auto-agree does), some go to intervention,
    most end refunded, withdrawn, closed or resolved; recent ones are still open."""
    null = chr(92) + "N"
    hour, day = 3600, 86400
    out: list[str] = []
    for n, i in enumerate(chosen, start=1):
        shop, buyer, paid = shop_ids[order_shop[i]], f"b{order_buyer[i]:08d}", order_paid[i]
        opened = paid + rnd.randrange(hour, 15 * day)
        if opened >= end:
            opened = paid + max(1, (end - paid) // 2)
        abusive = rnd.random() < 0.003
        disputed = rnd.random() < 0.08
        timeline = [("buyer", buyer, "open", "", "requested", opened)]
        r = rnd.random()
        responded: int | None
        if disputed or r < 0.72:
            responded = opened + min(int(rnd.expovariate(1 / (2 * hour))), 71 * hour)
            action = "refuse" if disputed else rnd.choice(("agree", "agree", "agree", "refuse", "propose"))
            timeline.append(("seller", shop, action, "requested", "refused" if disputed else "refunding", responded))
        elif r < 0.87:
            responded = opened + 72 * hour
            timeline.append(("system", null, "agree", "requested", "refunding", responded))
        else:
            responded = None
        after = responded or opened
        liable = null
        escalated: int | None = None
        if disputed:
            escalated = after + rnd.randrange(60, 6 * hour)
            timeline.append(("buyer", buyer, "escalate", "refused", "in_intervention", escalated))
            resolved = escalated + rnd.randrange(2 * day, 12 * day)
            liable = rnd.choices(("seller", "buyer", "none"), (45, 35, 20))[0]
            state = "refunded" if liable == "seller" else "closed"
            final_actor, final_action = ("agent", "rule_refund") if liable == "seller" else ("agent", "rule_close")
        elif responded is None:
            resolved = opened + rnd.randrange(hour, 5 * day)
            state = rnd.choice(("withdrawn", "closed"))
            final_actor, final_action = ("buyer", "withdraw") if state == "withdrawn" else ("system", "timeout_close")
        else:
            resolved = after + int(rnd.expovariate(1 / (2 * day)))
            state = rnd.choices(("refunded", "withdrawn", "closed", "resolved"), (65, 15, 12, 8))[0]
            final_actor, final_action = {
                "refunded": ("system", "execute_refund"),
                "withdrawn": ("buyer", "withdraw"),
                "closed": ("system", "timeout_close"),
                "resolved": ("buyer", "confirm_replacement"),
            }[state]
        if resolved > end:
            state, resolved_at = ("in_intervention" if disputed else "requested"), None
            liable = null
        else:
            resolved_at = resolved
            timeline.append((final_actor, null if final_actor != "buyer" else buyer, final_action, "", state, resolved))
        timeline = [t for t in timeline if t[5] <= end]
        events.write(
            "".join(
                f"{n}\t{seq}\t{stamps(at)}\t{role}\t{who}\t{action}\t{src}\t{dst}\t{{}}\n"
                for seq, (role, who, action, src, dst, at) in enumerate(timeline, start=1)
            )
        )
        counts["events"] += len(timeline)
        if disputed and escalated is not None and escalated <= end:
            closed = stamps(resolved_at) if resolved_at else null
            disputes.write(
                f"{n}\t{shop}\tb{order_buyer[i]:08d}\t{stamps(escalated)}\tbuyer\t"
                f"{'final' if resolved_at else 'evidence'}\t{stamps(escalated + 3 * day)}\t10000\t[]\t{{}}\t"
                f"{liable}\t{closed}\n"
            )
            counts["disputes"] += 1
        phase = "post_trade" if opened - paid > 10 * day else "in_trade"  # after the auto-confirm of receipt
        out.append(
            f"{n}\tO{i:09d}\t{shop}\t{buyer}\trefund_only\tno_longer_wanted\t{state}\t{phase}\t\t{policy}\t"
            f"{stamps(opened)}\t{stamps(resolved_at or opened)}\t{stamps(resolved_at) if resolved_at else null}\t"
            f"{stamps(escalated) if escalated and escalated <= end else null}\t1\t0\t{'t' if abusive else 'f'}\n"
        )
        if len(out) == CHUNK:
            yield "".join(out)
            out = []
    if out:
        yield "".join(out)


def rebuild_rollups(url: str) -> float:
    rt = Runtime(Settings(database_url=url), migrate=False)
    started = time.perf_counter()
    with rt.uow() as ctx:
        ctx.session.execute(text("SET LOCAL work_mem = '256MB'"))
        metric_service.rebuild(ctx.session)
    took = time.perf_counter() - started
    rt.close()
    return took


def vacuum(url: str) -> None:
    with psycopg.connect(_libpq(url), autocommit=True) as conn:
        for table in (*BIG_TABLES, "shops", "buyers", "metric_daily", "metric_cases", "metric_shop_lines"):
            conn.execute(f"VACUUM (ANALYZE) {table}")


# --- the baseline: the same figures straight from the raw tables -------------------------------------

FINAL = "('closed', 'refunded', 'resolved', 'withdrawn')"
EXCLUDED = "EXISTS (SELECT 1 FROM cases a WHERE a.order_id = {0}.order_id AND a.abusive)"

BASELINE_ORDERS = """
SELECT o.shop_id,
       COUNT(*) FILTER (WHERE NOT x.abusive),
       COUNT(*) FILTER (WHERE x.has_case AND NOT x.abusive),
       COUNT(*) FILTER (WHERE x.lost AND NOT x.abusive),
       COUNT(*) FILTER (WHERE x.in_trade AND NOT x.abusive),
       COUNT(*) FILTER (WHERE x.post_trade AND NOT x.abusive),
       COUNT(*) FILTER (WHERE x.lost_in_trade AND NOT x.abusive),
       COUNT(*) FILTER (WHERE x.lost_post_trade AND NOT x.abusive)
FROM orders o
CROSS JOIN LATERAL (
    SELECT COUNT(c.id) > 0 AS has_case, COALESCE(BOOL_OR(c.abusive), false) AS abusive,
           COALESCE(BOOL_OR(d.liable_party = 'seller'), false) AS lost,
           COALESCE(BOOL_OR(c.phase = 'in_trade'), false) AS in_trade,
           COALESCE(BOOL_OR(c.phase = 'post_trade'), false) AS post_trade,
           COALESCE(BOOL_OR(d.liable_party = 'seller' AND c.phase = 'in_trade'), false) AS lost_in_trade,
           COALESCE(BOOL_OR(d.liable_party = 'seller' AND c.phase = 'post_trade'), false) AS lost_post_trade
    FROM cases c LEFT JOIN disputes d ON d.case_id = c.id WHERE c.order_id = o.id
) x
WHERE o.shop_id = ANY(%(shops)s) AND o.created_at < %(end)s AND o.paid_at >= %(start)s AND o.paid_at < %(end)s
GROUP BY o.shop_id
"""
BASELINE_RESOLVED = f"""
SELECT c.shop_id, ROUND(EXTRACT(EPOCH FROM c.resolved_at - c.opened_at))::integer, d.id IS NOT NULL
FROM cases c LEFT JOIN disputes d ON d.case_id = c.id
WHERE c.shop_id = ANY(%(shops)s) AND c.opened_at < %(end)s AND c.state IN {FINAL}
  AND c.resolved_at >= %(start)s AND c.resolved_at < %(end)s AND NOT {EXCLUDED.format("c")}
"""
BASELINE_RESPONDED = f"""
SELECT c.shop_id, ROUND(EXTRACT(EPOCH FROM r.at - c.opened_at))::integer
FROM cases c
CROSS JOIN LATERAL (
    SELECT MIN(e.at) AS at FROM case_events e
    WHERE e.case_id = c.id AND (e.actor_role = 'seller' OR (e.actor_role = 'system' AND e.action = 'agree'))
) r
WHERE c.shop_id = ANY(%(shops)s) AND c.opened_at < %(end)s AND r.at >= %(start)s AND r.at < %(end)s
  AND NOT {EXCLUDED.format("c")}
"""
BASELINE_MEMBERS = """
SELECT id FROM shops WHERE category = %(category)s
UNION
SELECT shop_id FROM (
    SELECT o.shop_id, l.category,
           ROW_NUMBER() OVER (PARTITION BY o.shop_id ORDER BY COUNT(*) DESC, l.category) AS place
    FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN shops s ON s.id = o.shop_id
    WHERE (s.category IS NULL OR s.category = '') AND o.paid_at IS NOT NULL
    GROUP BY o.shop_id, l.category
) t WHERE place = 1 AND category = %(category)s
"""


def baseline_counts(
    conn: psycopg.Connection[Any], shops: list[str], window: rules.Window, rated: tuple[str, ...]
) -> dict[str, rules.ShopCounts]:
    params = {"shops": shops, "start": window.start_at, "end": window.end_before}
    counts: dict[str, rules.ShopCounts] = {}
    for shop, paid, refunded, lost, in_trade, post_trade, lost_in, lost_post in conn.execute(BASELINE_ORDERS, params):
        counts[shop] = rules.ShopCounts(
            paid_orders=paid,
            refund_orders=rules.rated_count(rated, any_phase=refunded, in_trade=in_trade, post_trade=post_trade),
            lost_dispute_orders=rules.rated_count(rated, any_phase=lost, in_trade=lost_in, post_trade=lost_post),
            in_trade_refund_orders=in_trade,
            post_trade_refund_orders=post_trade,
            in_trade_lost_dispute_orders=lost_in,
            post_trade_lost_dispute_orders=lost_post,
        )
    for shop, seconds, disputed in conn.execute(BASELINE_RESOLVED, params):
        c = counts.setdefault(shop, rules.ShopCounts())
        c.resolution_seconds.append(seconds)
        c.self_resolved += 0 if disputed else 1
    for shop, seconds in conn.execute(BASELINE_RESPONDED, params):
        counts.setdefault(shop, rules.ShopCounts()).response_seconds.append(seconds)
    return counts


def baseline_category(
    conn: psycopg.Connection[Any], category: str, window: rules.Window, flag: int, rated: tuple[str, ...]
) -> tuple[list[rules.ShopScore], dict[str, rules.ShopCounts]]:
    members = [r[0] for r in conn.execute(BASELINE_MEMBERS, {"category": category})]
    counts = {s: c for s, c in baseline_counts(conn, members, window, rated).items() if c.active}
    return rules.worst_first(rules.score_category(counts, flag).values()), counts


# --- timing ----------------------------------------------------------------------------------------


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return (time.perf_counter() - started) * 1000, result


def summary(ms: list[float]) -> tuple[str, str, str]:
    if not ms:
        return ("-", "-", "-")
    ordered = sorted(ms)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return (f"{statistics.median(ordered):.1f}", f"{p99:.1f}", f"{ordered[-1]:.1f}")


def comparable(counts: dict[str, rules.ShopCounts]) -> dict[str, tuple[Any, ...]]:
    return {
        s: (
            c.paid_orders,
            c.refund_orders,
            c.lost_dispute_orders,
            sorted(c.resolution_seconds),
            c.self_resolved,
            sorted(c.response_seconds),
            c.in_trade_refund_orders,
            c.post_trade_refund_orders,
            c.in_trade_lost_dispute_orders,
            c.post_trade_lost_dispute_orders,
        )
        for s, c in counts.items()
        if c.active
    }


def run(args: argparse.Namespace) -> int:
    server = os.environ.get("PEIFU_BENCH_DATABASE_URL", "")
    if not server.startswith("postgres"):
        console.print("Set PEIFU_BENCH_DATABASE_URL to a PostgreSQL URL (see benchmarks/README.md).")
        return 2
    shape = Shape(
        args.orders, args.cases, args.shops or max(10, args.orders // 1000), args.categories, args.days, args.seed
    )
    url = target_url(server, args.database)
    with psycopg.connect(_libpq(url)) as conn:
        previous = loaded_shape(conn)
    load_seconds = rebuild_seconds = None
    if args.reload or previous is None or previous.get("shape") != shape.key():
        console.print(f"loading {shape.orders:,} orders and {shape.cases:,} cases into {url.rsplit('/', 1)[1]} …")
        started = time.perf_counter()
        end = load(url, shape)
        load_seconds = time.perf_counter() - started
        rebuild_seconds = rebuild_rollups(url)
        vacuum(url)
        with psycopg.connect(_libpq(url)) as conn:
            conn.execute("CREATE TABLE bench_info (info text)")
            conn.execute("INSERT INTO bench_info VALUES (%s)", (json.dumps({"shape": shape.key(), "end": end}),))
    else:
        end = previous["end"]
        console.print(f"reusing the data loaded in {url.rsplit('/', 1)[1]} (--reload to load again)")

    rt = Runtime(Settings(database_url=url), clock=ManualClock(datetime.fromtimestamp(end, UTC)), migrate=False)
    rnd = random.Random(shape.seed + 1)
    with rt.uow() as ctx:
        window = metric_service.window_for(ctx, days=args.window_days, start=None, end=None)
        flag = ctx.policies.current.metrics.category_flag_percentile.value
        rated = metric_service.rated_phases(ctx)
        categories = sorted(metric_service.all_categories(ctx.session))
        shop_ids = list(ctx.session.scalars(text("SELECT id FROM shops ORDER BY id")))

    def shop_call(shop: str) -> metric_service.ShopReport:
        with rt.uow() as ctx:
            return metric_service.shop_metrics(ctx, shop, window)

    def own_call(shop: str) -> dict[str, rules.ShopCounts]:
        with rt.uow() as ctx:
            row = ctx.session.get(Shop, shop)
            category = metric_service.shop_category(ctx.session, row)[0] if row is not None else None
            return metric_service.gather(ctx.session, category, window, shop, rated=rated) if category else {}

    def category_call(category: str) -> metric_service.CategoryReport:
        with rt.uow() as ctx:
            return metric_service.category_metrics(ctx, category, window)

    sample = rnd.sample(shop_ids, min(args.samples, len(shop_ids)))
    for shop in sample[:10]:  # warm the caches the way a running service has them
        shop_call(shop)
    shop_ms = [timed(partial(shop_call, shop))[0] for shop in sample]
    own_ms = [timed(partial(own_call, shop))[0] for shop in sample]
    category_ms: list[float] = []
    rollup_counts: dict[str, dict[str, tuple[Any, ...]]] = {}
    for category in categories:
        ms, report = timed(partial(category_call, category))
        category_ms.append(ms)
        rollup_counts[category] = comparable({r.shop_id: r.score.counts for r in report.shops})

    http_ms: list[float] = []
    if args.http:
        try:
            http_ms = time_http(url, end, sample[: min(50, len(sample))], window)
        except Exception as exc:  # the app is more than the metrics; report, don't lose the run
            console.print(f"HTTP timing skipped: {type(exc).__name__}: {exc}")

    base_shop_ms: list[float] = []
    base_own_ms: list[float] = []
    base_category_ms: list[float] = []
    identical = True
    checked = 0
    if args.baseline_categories:
        with psycopg.connect(_libpq(url), autocommit=True) as conn:
            picked = rnd.sample(categories, min(args.baseline_categories, len(categories)))
            for category in picked:
                ms, (_, counts) = timed(partial(baseline_category, conn, category, window, flag, rated))
                base_category_ms.append(ms)
                same = comparable(counts) == rollup_counts[category]
                identical = identical and same
                checked += 1
            for shop in sample[: args.baseline_shops]:
                ms, _ = timed(partial(baseline_counts, conn, [shop], window, rated))
                base_own_ms.append(ms)
            base_shop_ms = base_category_ms  # a shop's percentile needs its whole category

    rt.close()
    table = Table(
        title=f"after-sale metrics — {shape.orders:,} orders, {shape.cases:,} cases, {shape.shops:,} shops, "
        f"{shape.categories} categories; window {window.start}..{window.end} ({window.days} days)"
    )
    table.add_column("query")
    table.add_column("runs", justify="right")
    for head in ("p50 ms", "p99 ms", "max ms"):
        table.add_column(head, justify="right")
    table.add_row("rollup: one shop, with category percentiles", str(len(shop_ms)), *summary(shop_ms))
    if http_ms:
        table.add_row("rollup: same through the HTTP API", str(len(http_ms)), *summary(http_ms))
    table.add_row("rollup: one shop, own figures only", str(len(own_ms)), *summary(own_ms))
    table.add_row("rollup: full category ranking", str(len(category_ms)), *summary(category_ms))
    if base_category_ms:
        table.add_row(
            "baseline SQL: one shop, with category percentiles", str(len(base_shop_ms)), *summary(base_shop_ms)
        )
        table.add_row("baseline SQL: one shop, own figures only", str(len(base_own_ms)), *summary(base_own_ms))
        table.add_row("baseline SQL: full category ranking", str(len(base_category_ms)), *summary(base_category_ms))
    console.print(table)
    if load_seconds is not None:
        console.print(f"bulk load {load_seconds:.0f} s; rollup rebuild {rebuild_seconds:.1f} s")
    if checked:
        verdict = "identical" if identical else "DIFFERENT"
        console.print(f"rollup vs baseline figures for {checked} categories: {verdict}")
    return 0 if identical else 1


def time_http(url: str, end: int, shops: list[str], window: rules.Window) -> list[float]:
    """The same shop requests through FastAPI (TestClient: no network, all of the app's own work)."""
    import dataclasses

    from fastapi.testclient import TestClient

    from peifu.adapters.api.app import create_app

    settings = Settings(database_url=url)
    extra: dict[str, Any] = {"trust_actor_header": True, "rate_limit_per_minute": 0}
    settings = dataclasses.replace(settings, **{k: v for k, v in extra.items() if hasattr(settings, k)})
    rt = Runtime(settings, clock=ManualClock(datetime.fromtimestamp(end, UTC)), migrate=False)
    ms: list[float] = []
    with TestClient(create_app(rt)) as client:
        for shop in shops[:5]:  # warm up the app
            client.get(f"/api/v1/shops/{shop}/metrics", headers={"X-Peifu-Actor": f"seller:{shop}"})
        for shop in shops:
            headers = {"X-Peifu-Actor": f"seller:{shop}"}
            took, answer = timed(partial(client.get, f"/api/v1/shops/{shop}/metrics", headers=headers))
            if answer.status_code != 200:
                console.print(f"HTTP {answer.status_code}: {answer.text[:200]}")
                return []
            ms.append(took)
    rt.close()
    return ms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=10_000_000)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--shops", type=int, default=0, help="default: one per 1,000 orders")
    parser.add_argument("--categories", type=int, default=20)
    parser.add_argument("--days", type=int, default=365, help="history length")
    parser.add_argument("--seed", type=int, default=20261111)
    parser.add_argument("--window-days", type=int, default=None, help="default: the policy's window (30)")
    parser.add_argument("--samples", type=int, default=200, help="shops timed")
    parser.add_argument("--baseline-categories", type=int, default=3, help="categories timed with the raw SQL; 0 skips")
    parser.add_argument("--baseline-shops", type=int, default=20)
    parser.add_argument("--http", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--database", default=None, help="database name on the server (default: see above)")
    parser.add_argument("--reload", action="store_true", help="load again even if the same data is there")
    args = parser.parse_args(argv)
    if args.cases > args.orders:
        parser.error("--cases cannot exceed --orders")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
