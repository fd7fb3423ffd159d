"""One case action against the plain-SQL baseline, before and after a change, in one run (issue 15).

    PEIFU_BENCH_DATABASE_URL=postgresql://postgres:postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python -m benchmarks.hot_path_bench [--actions 600 --rounds 3] [--before-src DIR]

Loads open refund_only requests with engine_bench's loader (into `peifu_bench_hotpath`, reset
on every run), then times the seller's agreement (refund executed, payout queued, order closed)
through `cases.act`, one unit of work each, against engine_bench's `Baseline` doing the same
writes as bare psycopg calls. The parts run in turns (`--rounds`), each in its own process, so
that all of them see the same machine load: the engine of this tree; with `--before-src`, the
engine of another source tree (e.g. `git archive <commit> src | tar -x -C /tmp/before`, then
`--before-src /tmp/before/src`); and the baseline. Reported: statements per action (counted on
the driver's cursors of the engine's connections: every statement SQLAlchemy sends, those sent
past it and a pool's ping; not BEGIN/COMMIT), mean and p50 / p99 latency, the client process's
own CPU time per action (`time.process_time`: Python, SQLAlchemy and the driver, not the
server), and each engine's rate as a share of the baseline's.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def count_statements(engine: Any) -> list[int]:
    """A one-item list that counts every statement `engine`'s connections send from now on — on the
    driver's cursors, so that statements sent past SQLAlchemy (the audit commit's, raw paths, a pool's
    ping) count as well; BEGIN and COMMIT are not counted (nor for the baseline). PostgreSQL (psycopg)."""
    import psycopg
    from sqlalchemy import event

    count = [0]

    class Counting(psycopg.Cursor[Any]):
        def execute(self, *args: Any, **kwargs: Any) -> Any:
            count[0] += 1
            return super().execute(*args, **kwargs)

        def executemany(self, query: Any, params_seq: Any, **kwargs: Any) -> None:
            params_seq = list(params_seq)
            count[0] += len(params_seq)
            super().executemany(query, params_seq, **kwargs)

    event.listen(engine, "checkout", lambda dbapi_conn, *_: setattr(dbapi_conn, "cursor_factory", Counting))
    return count


def _time_part(url: str, now: str, part: str, first: int, last: int) -> dict[str, object]:
    """In a child process: act on cases first..last; returns ms per action and statements."""
    from benchmarks.engine_bench import SHOPS, Baseline
    from peifu.adapters.runtime import Runtime
    from peifu.domain.actors import Actor
    from peifu.domain.clock import ManualClock
    from peifu.domain.vocabulary import CaseAction, Role
    from peifu.services import cases
    from peifu.settings import Settings

    at = datetime.fromisoformat(now)
    ids = list(range(first, last + 1))
    ms: list[float] = []
    cpu: list[float] = []  # this process's own CPU time per action
    statements = 0
    if part == "baseline":
        base = Baseline(url, at)
        for n in ids:
            started, cpu_started = time.perf_counter(), time.process_time()
            base.refund(n, None, ("seller", f"s{n % SHOPS:05d}"))
            base.commit()
            ms.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        base.close()
    else:
        rt = Runtime(Settings(database_url=url), clock=ManualClock(at), migrate=False)
        count = count_statements(rt.engine)
        for n in ids:
            started, cpu_started = time.perf_counter(), time.process_time()
            with rt.uow() as ctx:
                cases.act(ctx, n, CaseAction.agree, Actor(Role.seller, f"s{n % SHOPS:05d}"))
            ms.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        statements = count[0]
        rt.close()
    warm = min(10, len(ms) // 5)  # the first few pay for imports, caches and connections
    return {"ms": ms[warm:], "statements": statements / max(1, len(ids)), "cpu": cpu[warm:]}


def _child(args: argparse.Namespace) -> int:
    result = _time_part(args.url, args.now, args.part, args.first, args.last)
    print(json.dumps(result))
    return 0


def _run_part(url: str, now: datetime, part: str, src: str | None, first: int, last: int) -> dict[str, object]:
    env = dict(os.environ)
    paths = [str(ROOT)] if src is None else [src, str(ROOT)]
    env["PYTHONPATH"] = os.pathsep.join([*paths, env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    command = [sys.executable, "-m", "benchmarks.hot_path_bench", "--child", part, "--url", url]
    command += ["--now", now.isoformat(), "--first", str(first), "--last", str(last)]
    out = subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actions", type=int, default=600, help="actions per part (engine, before, baseline)")
    parser.add_argument("--rounds", type=int, default=3, help="turns the parts take")
    parser.add_argument("--before-src", default=None, help="another source tree's src/ to time as 'before'")
    parser.add_argument("--database", default="peifu_bench_hotpath")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--url", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--now", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--first", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--last", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        args.part = args.child
        return _child(args)

    from benchmarks.engine_bench import Layout, load, target_url

    server = os.environ.get("PEIFU_BENCH_DATABASE_URL", "")
    if not server.startswith("postgres"):
        print("Set PEIFU_BENCH_DATABASE_URL to a PostgreSQL URL (see benchmarks/README.md).")
        return 2
    url = target_url(server, args.database)
    parts = ["after", "baseline"] if args.before_src is None else ["before", "after", "baseline"]
    per_round = args.actions // args.rounds
    total = per_round * args.rounds * len(parts)
    now = datetime.now(UTC).replace(microsecond=0)
    print(f"loading {total:,} open requests …", flush=True)
    load(url, Layout(total, 0, 0, 0, 0), now)
    results: dict[str, dict[str, list[float]]] = {p: {"ms": [], "statements": [], "cpu": []} for p in parts}
    first = 1
    for _ in range(args.rounds):
        for part in parts:
            src = args.before_src if part == "before" else None
            got = _run_part(url, now, part, src, first, first + per_round - 1)
            first += per_round
            results[part]["ms"].extend(got["ms"])  # type: ignore[arg-type]
            results[part]["statements"].append(float(got["statements"]))  # type: ignore[arg-type]
            results[part]["cpu"].extend(got["cpu"])  # type: ignore[arg-type]
    base_mean = statistics.mean(results["baseline"]["ms"])
    print(f"\ncase action (seller agrees, refund executed), {per_round} × {args.rounds} rounds per part, PostgreSQL")
    print(
        f"{'part':<10} {'stmts':>6} {'mean ms':>8} {'p50':>7} {'p99':>7} {'cpu ms':>7} {'rate/s':>7} {'of baseline':>12}"
    )
    for part in parts:
        ms = results[part]["ms"]
        stmts = statistics.mean(results[part]["statements"]) if part != "baseline" else 0
        mean = statistics.mean(ms)
        print(
            f"{part:<10} {stmts:>6.1f} {mean:>8.2f} {pct(ms, 0.5):>7.2f} {pct(ms, 0.99):>7.2f} "
            f"{statistics.mean(results[part]['cpu']):>7.2f} "
            f"{1000 / mean:>7.0f} {base_mean / mean:>12.0%}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
