"""What the audit chains cost (issue 15): per commit of a case action, and `peifu audit verify`.

    .venv/bin/python -m benchmarks.audit_bench [--database-url URL] [--cases 300]

Opens and agrees `--cases` refund-only requests through the service layer (each agree is one
commit: the seller's agreement, the refund executed, the ledger posting, the payout queued),
half with the audit hooks on and half with them removed, and reports the milliseconds per agree
each way (wall clock and this process's CPU); then times `audit.verify` over what was written and
extrapolates it to 1 M cases from its links and rows per second. On PostgreSQL the default database becomes `peifu_bench_audit`.

    .venv/bin/python -m benchmarks.audit_bench --load 1000000 --database peifu_bench_audit1m

builds a real database of 1 M open requests (engine_bench's COPY loader) and links every covered
row with `audit.adopt` (the streaming linker: the links the commits would have written, COPYed in),
then times `audit.verify` over it; `peifu audit verify --database-url …` can then be timed on it
(benchmarks/README.md, "`peifu audit verify` at scale").
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from peifu.adapters.runtime import Runtime
from peifu.db.engine import make_engine, unit_of_work
from peifu.db.models import AuditLink
from peifu.domain.actors import Actor
from peifu.domain.clock import ManualClock
from peifu.domain.vocabulary import CaseAction, CaseType, Reason, Role
from peifu.services import audit, cases, orders
from peifu.services.inputs import CaseIn, CaseLineIn, OrderEventIn, OrderIn
from peifu.settings import Settings

START = datetime(2026, 11, 11, 2, 0, tzinfo=UTC)


def _order(n: int) -> dict[str, Any]:
    return {
        "id": f"AB{n:07d}",
        "shop": {"id": f"shop-{n % 50}", "name": "店铺", "category": "shoes"},
        "buyer": {"id": f"buyer-{n}", "name": "买家"},
        "lines": [{"sku": "SKU-1", "title": "跑步鞋", "category": "shoes", "unit_price_fen": 19900, "quantity": 1}],
    }


def _open(rt: Runtime, n: int) -> tuple[int, str]:
    with rt.uow() as ctx:
        order = orders.ingest_order(ctx, OrderIn.model_validate(_order(n)))
        orders.record_event(ctx, order.id, OrderEventIn.model_validate({"kind": "paid"}))
    request = CaseIn(
        order_id=f"AB{n:07d}", lines=[CaseLineIn(line_no=1)], case_type=CaseType.refund_only, reason=Reason.other
    )
    with rt.uow() as ctx:
        return cases.open_case(ctx, request, Actor(Role.buyer, f"buyer-{n}")).id, f"shop-{n % 50}"


def _agree(rt: Runtime, opened: list[tuple[int, str]]) -> tuple[float, float]:
    """Milliseconds per agree: wall clock, and this process's own CPU time."""
    started, cpu_started = time.perf_counter(), time.process_time()
    for case_id, shop in opened:
        with rt.uow() as ctx:
            cases.act(ctx, case_id, CaseAction.agree, Actor(Role.seller, shop))
    n = len(opened)
    return (time.perf_counter() - started) / n * 1000, (time.process_time() - cpu_started) / n * 1000


def scale(url: str, n: int, database: str | None = None, *, skip_load: bool = False) -> None:
    """`adopt` and `verify` over N loaded requests (each: a case, its line, its opening event, an
    order): how long linking and verifying take at scale, and the memory verify needs.

    `adopt` is the bulk linker: it streams every covered row, makes each link with the same
    function a commit's links are made with (`audit._link_row`: the record's digest, the chain's
    HMAC) and COPYs them in, so the chains it leaves are the ones `verify` checks in production."""
    import resource

    from benchmarks.engine_bench import Layout, load, target_url

    url = target_url(url, database or "peifu_bench_audit")
    loaded = 0.0 if skip_load else load(url, Layout(n, 0, 0, 0, 0), START)
    rt = Runtime(Settings(database_url=url), clock=ManualClock(START), migrate=False)
    started = time.perf_counter()
    with unit_of_work(rt.factory) as session:
        linked = audit.adopt(session, START)
    adopted = time.perf_counter() - started
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with unit_of_work(rt.factory) as session:
        broken = audit.verify(session)
    took = time.perf_counter() - started
    assert broken is None, broken
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{n:,} requests loaded in {loaded:.0f} s; adopt linked {linked:,} rows in {adopted:.0f} s")
    print(f"verify: {took:.1f} s for {linked:,} links and rows ({linked / took:,.0f}/s); max RSS {rss / 1024:.0f} MiB")
    print(f"  (max RSS before verify {rss_before / 1024:.0f} MiB)")
    rt.close()


@contextmanager
def _hooks_off() -> Iterator[None]:
    event.remove(Session, "before_commit", audit._write_links)
    event.remove(Session, "after_flush", audit._note_changed_rows)
    try:
        yield
    finally:
        event.listen(Session, "before_commit", audit._write_links)
        event.listen(Session, "after_flush", audit._note_changed_rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument(
        "--load", type=int, default=0, help="PostgreSQL: COPY this many open requests first (engine_bench's loader)"
    )
    parser.add_argument("--database", help="with --load: the database to (re)build (default peifu_bench_audit)")
    parser.add_argument("--skip-load", action="store_true", help="with --load: the requests are loaded already")
    args = parser.parse_args()
    if args.load:
        url = args.database_url or "postgresql://postgres:postgres@127.0.0.1:5432/postgres"
        scale(url, args.load, args.database, skip_load=args.skip_load)
        return
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'audit_bench.db'}"
    if url.startswith("postgres"):
        from benchmarks.engine_bench import target_url

        url = target_url(url, "peifu_bench_audit")
        fresh = make_engine(url)
        with fresh.begin() as conn:  # a clean schema: the numbers must not depend on an earlier run
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        fresh.dispose()
    rt = Runtime(Settings(database_url=url, trust_actor_header=True), clock=ManualClock(START))
    half = args.cases // 2
    with _hooks_off():  # these cases get no audit link at all (linked afterwards by `adopt`)
        bare = [_open(rt, n) for n in range(half)]
    linked = [_open(rt, n) for n in range(half, 2 * half)]
    _agree(rt, linked[:5])  # warm up
    with_audit = without = cpu_with = cpu_without = 0.0
    for plain, audited in zip(bare[5:], linked[5:], strict=True):  # interleaved, so both see the same tables
        with _hooks_off():
            ms, cpu = _agree(rt, [plain])
            without, cpu_without = without + ms, cpu_without + cpu
        ms, cpu = _agree(rt, [audited])
        with_audit, cpu_with = with_audit + ms, cpu_with + cpu
    with_audit, without = with_audit / (half - 5), without / (half - 5)
    cpu_with, cpu_without = cpu_with / (half - 5), cpu_without / (half - 5)
    ids = range(2 * half)
    with unit_of_work(rt.factory) as session:
        audit.adopt(session, START)  # link the half agreed without the hooks, so that verify passes
    with unit_of_work(rt.factory) as session:
        links = int(session.scalar(select(func.count()).select_from(AuditLink)) or 0)
        started = time.perf_counter()
        broken = audit.verify(session)
        took = time.perf_counter() - started
    assert broken is None, broken
    per_case = links / max(1, len(ids))
    print(f"database: {rt.engine.dialect.name}; {len(ids)} cases, {links} links ({per_case:.1f} per case)")
    print(f"agree (one commit): {with_audit:.2f} ms with the audit chains, {without:.2f} ms without")
    print(f"  → the audit chains cost {with_audit - without:.2f} ms per commit ({with_audit / without:.0%})")
    print(
        f"  this process's CPU: {cpu_with:.2f} ms with, {cpu_without:.2f} ms without: {cpu_with - cpu_without:.2f} ms"
    )
    print(f"verify: {took:.2f} s, {links / took:,.0f} links/s")
    print(f"  → 1 M cases (~{per_case * 1e6:,.0f} links): about {per_case * 1e6 / (links / took) / 60:.0f} minutes")
    rt.close()


if __name__ == "__main__":
    main()
