"""medusa_bench's return-and-refund flow at the service level, step by step (issue 15).

    PEIFU_BENCH_DATABASE_URL=postgresql://postgres:postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python -m benchmarks.return_flow_bench [--flows 300 --rounds 3] [--before-src DIR]

Prepares `--flows` orders per part and round (paid, shipped, signed; one line, a filed shop) through
the services, untimed, in `peifu_bench_returnflow` (reset on every run). Then each flow, as
medusa_bench's Peifu side does over HTTP — each step its own unit of work, the case presented as the
API presents it (`presenters.case_out`):

    open      buyer opens a return_and_refund case (seven_day_no_reason)
    agree     seller agrees (→ awaiting the return)
    ship      buyer ship-return
    signed    platform return-signed
    confirm   seller confirm-return (→ refunded, payout queued)

Per step: statements (counted on the driver's cursors as hot_path_bench counts them: not BEGIN /
COMMIT), mean wall ms and the client process's CPU ms (`time.process_time`). The parts run in turns,
each in its own process: this tree ("after") and, with `--before-src`, another source tree
(`git archive <commit> src | tar -x -C /tmp/before`, then `--before-src /tmp/before/src`).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STEPS = ("open", "agree", "ship", "signed", "confirm")
SHOPS = 20


def _prepare(url: str, now: datetime, first: int, last: int) -> None:
    from peifu.adapters.runtime import Runtime
    from peifu.domain.clock import ManualClock
    from peifu.services import orders
    from peifu.services.inputs import OrderEventIn, OrderIn
    from peifu.settings import Settings

    rt = Runtime(Settings(database_url=url), clock=ManualClock(now - timedelta(days=2)), migrate=False)
    for n in range(first, last + 1):
        order_id = f"RF{n:06d}"
        body = {
            "id": order_id,
            "shop": {"id": f"rs{n % SHOPS:03d}", "name": "店铺", "category": "shoes"},
            "buyer": {"id": f"rb{n:06d}", "name": "买家"},
            "lines": [
                {"sku": "RUN-42", "title": "超轻跑步鞋", "category": "shoes", "unit_price_fen": 39900, "quantity": 1}
            ],
        }
        with rt.uow() as ctx:
            orders.ingest_order(ctx, OrderIn.model_validate(body))
            orders.record_event(ctx, order_id, OrderEventIn.model_validate({"kind": "paid"}))
            shipped = {"kind": "shipped", "courier": "SF", "tracking_no": f"SF{order_id}"}
            orders.record_event(ctx, order_id, OrderEventIn.model_validate(shipped))
            orders.record_event(ctx, order_id, OrderEventIn.model_validate({"kind": "signed"}))
    rt.close()


def _time_part(url: str, now: str, first: int, last: int) -> dict[str, Any]:
    """In a child process: flows on orders first..last; per step, ms, cpu ms and statements."""
    from benchmarks.hot_path_bench import count_statements
    from peifu.adapters.api import presenters
    from peifu.adapters.runtime import Runtime
    from peifu.domain.actors import Actor
    from peifu.domain.clock import ManualClock
    from peifu.domain.vocabulary import CaseAction, CaseType, Reason, Role
    from peifu.services import cases
    from peifu.services.inputs import CaseIn, CaseLineIn, ShipmentIn
    from peifu.settings import Settings

    at = datetime.fromisoformat(now)
    rt = Runtime(Settings(database_url=url), clock=ManualClock(at), migrate=False)
    count = count_statements(rt.engine)
    ms: dict[str, list[float]] = {s: [] for s in STEPS}
    cpu: dict[str, list[float]] = {s: [] for s in STEPS}
    stmts: dict[str, list[int]] = {s: [] for s in STEPS}
    platform = Actor(Role.platform, "platform")

    def timed(step: str, run: Any) -> Any:
        before, started, cpu_started = count[0], time.perf_counter(), time.process_time()
        with rt.uow() as ctx:
            case = run(ctx)
            presenters.case_out(ctx.session, case, ctx.policies.get(ctx.session, case.policy_version), ctx.now())
            case_id = case.id
        ms[step].append((time.perf_counter() - started) * 1000)
        cpu[step].append((time.process_time() - cpu_started) * 1000)
        stmts[step].append(count[0] - before)
        return case_id

    def flow(n: int) -> None:
        order_id, shop, buyer = f"RF{n:06d}", Actor(Role.seller, f"rs{n % SHOPS:03d}"), Actor(Role.buyer, f"rb{n:06d}")
        request = CaseIn(
            order_id=order_id,
            lines=[CaseLineIn(line_no=1)],
            case_type=CaseType.return_and_refund,
            reason=Reason.seven_day_no_reason,
        )
        case_id = timed("open", lambda ctx: cases.open_case(ctx, request, buyer))
        ship = ShipmentIn(courier="SF", tracking_no=f"R{order_id}")
        timed("agree", lambda ctx: cases.act(ctx, case_id, CaseAction.agree, shop, None))
        timed("ship", lambda ctx: cases.act(ctx, case_id, CaseAction.ship_return, buyer, ship))
        timed("signed", lambda ctx: cases.act(ctx, case_id, CaseAction.return_signed, platform, None))
        state = [""]

        def confirm(ctx: Any) -> Any:
            case = cases.act(ctx, case_id, CaseAction.confirm_return, shop, None)
            state[0] = case.state
            return case

        timed("confirm", confirm)
        if state[0] != "refunded":
            raise AssertionError(f"case {case_id} is {state[0]} after confirm-return")

    for n in range(first, last + 1):
        flow(n)
    rt.close()
    warm = min(10, (last - first + 1) // 5)  # the first few pay for imports, caches and connections
    return {
        s: {"ms": ms[s][warm:], "cpu": cpu[s][warm:], "stmts": statistics.mean(stmts[s][warm:] or [0])} for s in STEPS
    }


def _run_part(url: str, now: datetime, src: str | None, first: int, last: int) -> dict[str, Any]:
    env = dict(os.environ)
    paths = [str(ROOT)] if src is None else [src, str(ROOT)]
    env["PYTHONPATH"] = os.pathsep.join([*paths, env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    command = [sys.executable, "-m", "benchmarks.return_flow_bench", "--child", "--url", url]
    command += ["--now", now.isoformat(), "--first", str(first), "--last", str(last)]
    out = subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--flows", type=int, default=300, help="flows per part (before, after)")
    parser.add_argument("--rounds", type=int, default=3, help="turns the parts take")
    parser.add_argument("--before-src", default=None, help="another source tree's src/ to time as 'before'")
    parser.add_argument("--database", default="peifu_bench_returnflow")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--now", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--first", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--last", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_time_part(args.url, args.now, args.first, args.last)))
        return 0

    import psycopg

    from benchmarks.engine_bench import target_url
    from benchmarks.metrics_bench import _libpq
    from peifu.db.migrate import upgrade

    server = os.environ.get("PEIFU_BENCH_DATABASE_URL", "")
    if not server.startswith("postgres"):
        print("Set PEIFU_BENCH_DATABASE_URL to a PostgreSQL URL (see benchmarks/README.md).")
        return 2
    url = target_url(server, args.database)
    parts = ["after"] if args.before_src is None else ["before", "after"]
    per_round = args.flows // args.rounds
    total = per_round * args.rounds * len(parts)
    now = datetime.now(UTC).replace(microsecond=0)
    with psycopg.connect(_libpq(url), autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    upgrade(url)
    print(f"preparing {total:,} delivered orders …", flush=True)
    _prepare(url, now, 1, total)
    results = {p: {s: {"ms": [], "cpu": [], "stmts": []} for s in STEPS} for p in parts}
    first = 1
    for _ in range(args.rounds):
        for part in parts:
            src = args.before_src if part == "before" else None
            got = _run_part(url, now, src, first, first + per_round - 1)
            first += per_round
            for s in STEPS:
                results[part][s]["ms"].extend(got[s]["ms"])
                results[part][s]["cpu"].extend(got[s]["cpu"])
                results[part][s]["stmts"].append(got[s]["stmts"])
    print(
        f"\nreturn flow, per step (unit of work + presenter), {per_round} × {args.rounds} rounds per part, PostgreSQL"
    )
    header = f"{'step':<9}" + "".join(f" {p + ' stmts':>13} {p + ' ms':>10} {p + ' cpu':>11}" for p in parts)
    print(header + ("  after/before ms" if len(parts) == 2 else ""))
    totals = {p: [0.0, 0.0, 0.0] for p in parts}
    for s in STEPS:
        line = f"{s:<9}"
        means = {}
        for p in parts:
            st = statistics.mean(results[p][s]["stmts"])
            mean = statistics.mean(results[p][s]["ms"])
            c = statistics.mean(results[p][s]["cpu"])
            means[p] = mean
            for i, v in enumerate((st, mean, c)):
                totals[p][i] += v
            line += f" {st:>13.1f} {mean:>10.2f} {c:>11.2f}"
        if len(parts) == 2:
            line += f"  {means['after'] / means['before']:>15.0%}"
        print(line)
    line = f"{'flow':<9}" + "".join(f" {t[0]:>13.1f} {t[1]:>10.2f} {t[2]:>11.2f}" for t in totals.values())
    if len(parts) == 2:
        line += f"  {totals['after'][1] / totals['before'][1]:>15.0%}"
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
