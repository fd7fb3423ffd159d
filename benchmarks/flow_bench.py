"""Peifu alone on medusa_bench's return-and-refund flow: flows/s and CPU per flow, to iterate on (issue 15).

    .venv/bin/python -m benchmarks.flow_bench                          # 200 flows per setting, 1 and 4 clients
    .venv/bin/python -m benchmarks.flow_bench --flows 100 --clients 1,4,1,4
    .venv/bin/python -m benchmarks.flow_bench --variant base=/tmp/peifu_base/src --variant here=src
    .venv/bin/python -m benchmarks.flow_bench --profile /tmp/flow_prof  # py-spy on the API while it runs

The same Peifu side as benchmarks/medusa_bench.py — `peifu serve --workers 1 --no-worker` (uvicorn) and
one `peifu worker` on a fresh PostgreSQL database, orders prepared paid, shipped and signed (not timed),
then the 5 calls of one flow (buyer opens a seven-day no-reason return, seller agrees, buyer ships it
back, platform reports it signed, seller confirms → refunded, payout queued), counted until the worker
has sent the last payout of the setting; every flow's outcome is checked (case `refunded`, payout
sent), and the run exits 1 if one is not. No Medusa.

The CPU per flow is split: the API process, the worker process, and the PostgreSQL backends of the
database (sampled from /proc as medusa_bench does).

`--variant NAME=SRC` (repeatable) runs the same settings on several source trees side by side in one
run: each variant gets its own server, worker and database, started with SRC first on PYTHONPATH (the
venv's packages otherwise), and the settings alternate between them (variant A 1 client, variant B
1 client, A 4 clients, …), so a before/after comparison shares the machine's minute. A tree of another
commit: `mkdir /tmp/base && git archive <commit> src | tar -x -C /tmp/base`, then `base=/tmp/base/src`.

`--profile DIR` runs `py-spy record` (pip install py-spy; not a project dependency) on each variant's API
process during the timed settings and writes DIR/<variant>.svg and DIR/<variant>.txt (collapsed stacks);
with `--profile-worker` it profiles the `peifu worker` process instead.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.medusa_bench import (
    Peifu,
    PeifuOrder,
    Result,
    drive,
    pct,
    peifu_check,
    peifu_flow,
    peifu_outbox,
    peifu_prepare,
    start_peifu,
    uptime,
)
from benchmarks.scale_bench import (
    cpu_of_groups,
    stop,
)


@dataclass
class Variant:
    name: str
    src: str | None  # put first on PYTHONPATH; None: the venv's own install
    peifu: Peifu | None = None
    orders: list[PeifuOrder] | None = None
    profiler: subprocess.Popen[bytes] | None = None


def api_pids(p: Peifu) -> list[int]:
    """The processes of the API's group (`peifu serve` and the uvicorn process it may spawn)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == p.proc.pid:
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


def show(name: str, r: Result, api: float, worker: float) -> None:
    done = max(1, r.flows)
    print(
        f"  {name:<8} {r.clients} client(s): {r.flows} flows in {r.seconds:.1f} s = {r.rate:.2f} flows/s, "
        f"p50 {pct(r.latencies, 0.5):.0f} ms, p99 {pct(r.latencies, 0.99):.0f} ms, {r.failed} failed"
    )
    print(
        f"           CPU per flow: API {api / done * 1000:.1f} ms, worker {worker / done * 1000:.1f} ms, "
        f"PostgreSQL {r.cpu_database / done * 1000:.1f} ms, total "
        f"{(api + worker + r.cpu_database) / done * 1000:.1f} ms; {r.load}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--flows", type=int, default=200, help="timed flows per setting and variant")
    parser.add_argument("--clients", default="1,4", help="concurrent clients per setting, in order")
    parser.add_argument("--warmup", type=int, default=20, help="untimed flows on each variant first")
    parser.add_argument("--database", default="peifu_flow_bench", help="database name prefix (created afresh)")
    parser.add_argument(
        "--variant", action="append", default=[], metavar="NAME=SRC", help="a source tree to run (repeatable)"
    )
    parser.add_argument("--profile", type=Path, default=None, help="py-spy the API processes into this directory")
    parser.add_argument(
        "--profile-worker", action="store_true", help="with --profile: py-spy the `peifu worker` process instead"
    )
    args = parser.parse_args(argv)
    settings = [int(x) for x in args.clients.split(",") if x.strip()]
    variants = [Variant(*v.split("=", 1)) for v in args.variant] or [Variant("peifu", None)]
    total = args.warmup + args.flows * len(settings)
    print(f"flow_bench: {args.flows} flows per setting, clients {settings}, {os.cpu_count()} CPU cores")
    print(f"  {uptime()}")
    status = 0
    try:
        for i, v in enumerate(variants):
            began = time.monotonic()
            v.peifu = p = start_peifu(f"{args.database}_{i}", v.src)
            with p.client() as http:
                v.orders = [
                    peifu_prepare(p, http, f"FB{i:06d}", f"shop-{i % 50:03d}", f"buyer-{i % 97:02d}")
                    for i in range(total)
                ]
            print(
                f"{v.name} ({v.src or 'the venv install'}): up, {total} orders prepared in {time.monotonic() - began:.0f} s"
            )

        def settle(p: Peifu) -> None:
            deadline = time.monotonic() + 120
            while peifu_outbox(p)[0] and time.monotonic() < deadline:
                time.sleep(0.05)

        for v in variants:
            assert v.peifu is not None and v.orders is not None
            p = v.peifu
            _, errs = drive(
                "peifu",
                1,
                v.orders[: args.warmup],
                peifu_flow,
                p.client,
                lambda: 0.0,
                p.database,
                lambda p=p: settle(p),
            )  # type: ignore[misc]
            for line in errs[:5]:
                print(f"  warm-up error ({v.name}): {line}")
        if args.profile is not None:
            args.profile.mkdir(parents=True, exist_ok=True)
            spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
            for v in variants:
                assert v.peifu is not None
                # the uvicorn server process (the newest of the group), or the worker
                target = v.peifu.worker.pid if args.profile_worker else max(api_pids(v.peifu))
                v.profiler = subprocess.Popen(
                    [
                        spy,
                        "record",
                        "--pid",
                        str(target),
                        "--rate",
                        "250",
                        "--nonblocking",
                        "--gil",
                        "--format",
                        "raw",
                        "--output",
                        str(args.profile / f"{v.name}.txt"),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            time.sleep(1)

        at = args.warmup
        wrong: list[str] = []
        summary: list[tuple[str, int, float, float]] = []
        print("\nflows/s (one flow = a return requested, accepted, received and refunded):")
        for clients in settings:
            chunk = slice(at, at + args.flows)
            at += args.flows
            for v in variants:
                assert v.peifu is not None and v.orders is not None
                p = v.peifu
                _, sent_before = peifu_outbox(p)
                api_before = cpu_of_groups([p.proc.pid])
                worker_before = cpu_of_groups([p.worker.pid])
                res, errs = drive(
                    "peifu",
                    clients,
                    v.orders[chunk],
                    peifu_flow,
                    p.client,
                    lambda p=p: cpu_of_groups([p.proc.pid, p.worker.pid]),  # type: ignore[misc]
                    p.database,
                    lambda p=p: settle(p),  # type: ignore[misc]
                )
                api = cpu_of_groups([p.proc.pid]) - api_before
                worker = cpu_of_groups([p.worker.pid]) - worker_before
                show(v.name, res, api, worker)
                for line in errs[:5]:
                    print(f"  error ({v.name}): {line}")
                wrong += peifu_check(p, v.orders[chunk], sent_before)
                if res.failed:
                    status = 1
                done = max(1, res.flows)
                summary.append((v.name, clients, res.rate, (api + worker + res.cpu_database) / done * 1000))
        if len(variants) > 1:
            print("\nsummary (flows/s, total CPU ms per flow):")
            for name, clients, rate, cpu in summary:
                print(f"  {name:<8} {clients} client(s): {rate:.2f} flows/s, {cpu:.1f} ms")
        if wrong:
            status = 1
            print(f"\noutcomes not as expected ({len(wrong)}):")
            for line in wrong[:10]:
                print(f"  {line}")
        else:
            print("\noutcomes checked: every case refunded, every payout sent")
    finally:
        for v in variants:
            if v.profiler is not None:
                v.profiler.send_signal(2)  # SIGINT: py-spy writes its output and exits
                try:
                    v.profiler.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    v.profiler.kill()
            if v.peifu is not None:
                stop(v.peifu.proc)
                stop(v.peifu.worker)
    return status


if __name__ == "__main__":
    sys.exit(main())
