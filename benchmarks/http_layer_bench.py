"""What the HTTP layer alone costs per request of the return flow: middleware, routing, dependencies,
validation, serialisation and thread hops, without the unit of work (issue 15).

    .venv/bin/python -m benchmarks.http_layer_bench                       # this tree, 400 flows
    .venv/bin/python -m benchmarks.http_layer_bench --variant base=/tmp/base/src --variant here=src --rounds 3

In one process, on a throw-away SQLite database: the app is built as `peifu serve` builds it (trusted
X-Peifu-Actor, no rate limit, log level WARNING), one real flow is run to get a real case answer, and
then the flow's 5 calls (open a return, agree, ship-return, return-signed, confirm-return) are sent
straight into the ASGI app (no sockets, no uvicorn) `--flows` times with the service calls and the
unit of work replaced by that canned answer: what is left is what every request pays before and after
its SQL. Reported: CPU (this process, all threads) and wall time per request.

This is a measuring aid, not a test of behaviour (the real flow on PostgreSQL: benchmarks/flow_bench.py).
`--variant NAME=SRC` (repeatable) runs each source tree in its own process (SRC first on PYTHONPATH),
`--rounds` times, alternating, so that a before/after comparison shares the machine's minute.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

Scope = dict[str, Any]


async def call(
    app: Any, method: str, path: str, body: Any = None, actor: str = "platform:platform", expect: int = 200
) -> Any:
    raw = json.dumps(body).encode() if body is not None else b""
    headers = [
        (b"host", b"127.0.0.1"),
        (b"accept", b"*/*"),
        (b"accept-encoding", b"gzip, deflate"),
        (b"user-agent", b"python-httpx/0.28.1"),
        (b"x-peifu-actor", actor.encode()),
        (b"content-length", str(len(raw)).encode()),
    ]
    if body is not None:
        headers.append((b"content-type", b"application/json"))
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "scheme": "http",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    delivered = False
    status: list[int] = []
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": raw, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    data = json.loads(b"".join(chunks) or b"null")
    if status != [expect]:
        raise AssertionError(f"{method} {path}: {status} {data}")
    return data


async def flow(app: Any, order: str, case: int | None = None) -> Any:
    opened = await call(
        app,
        "POST",
        "/api/v1/cases",
        {
            "order_id": order,
            "lines": [{"line_no": 1}],
            "case_type": "return_and_refund",
            "reason": "seven_day_no_reason",
        },
        actor="buyer:buyer-01",
        expect=201,
    )
    case_id = case or opened["id"]
    await call(app, "POST", f"/api/v1/cases/{case_id}/agree", actor="seller:shop-001")
    shipment = {"courier": "SF", "tracking_no": f"R{order}"}
    await call(app, "POST", f"/api/v1/cases/{case_id}/ship-return", shipment, actor="buyer:buyer-01")
    await call(app, "POST", f"/api/v1/cases/{case_id}/return-signed")
    return await call(app, "POST", f"/api/v1/cases/{case_id}/confirm-return", actor="seller:shop-001")


async def measure(flows: int) -> tuple[float, float]:
    from peifu.adapters.api import presenters
    from peifu.adapters.api import schemas as out
    from peifu.adapters.api.app import create_app
    from peifu.adapters.logs import setup_logging
    from peifu.adapters.runtime import Runtime
    from peifu.services import cases as case_service
    from peifu.settings import Settings

    settings = Settings.from_env()
    setup_logging(settings.log_level)
    rt = Runtime(settings)
    app = create_app(rt)
    order = {
        "id": "HB000001",
        "shop": {"id": "shop-001", "name": "店铺", "category": "shoes"},
        "buyer": {"id": "buyer-01", "name": "买家"},
        "lines": [{"sku": "RUN-42", "title": "跑步鞋", "category": "shoes", "unit_price_fen": 39900, "quantity": 1}],
    }
    await call(app, "POST", "/api/v1/orders", order, expect=201)
    for event in ({"kind": "paid"}, {"kind": "shipped", "courier": "SF", "tracking_no": "SF1"}, {"kind": "signed"}):
        await call(app, "POST", "/api/v1/orders/HB000001/events", event)
    done = await flow(app, "HB000001")
    if done["state"] != "refunded":
        raise AssertionError(f"the real flow ended {done['state']}")
    canned = out.CaseOut.model_validate(done)
    case = SimpleNamespace(id=canned.id, policy_version=canned.policy_version)

    @contextlib.contextmanager
    def no_unit_of_work() -> Iterator[Any]:
        yield SimpleNamespace(session=None, policies=SimpleNamespace(get=lambda *_: None), now=lambda: None)

    # from here on the services are not called: what is measured is the HTTP layer around them
    rt.uow = no_unit_of_work  # type: ignore[method-assign]
    case_service.open_case = lambda *_, **__: case  # type: ignore[assignment]
    case_service.act = lambda *_, **__: case  # type: ignore[assignment]
    presenters.case_out = lambda *_, **__: canned  # type: ignore[assignment]
    for _ in range(50):
        await flow(app, "HB000001", canned.id)
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(flows):
        await flow(app, "HB000001", canned.id)
    requests = flows * 5
    return (time.process_time() - cpu) / requests, (time.perf_counter() - wall) / requests


def child(flows: int) -> None:
    os.environ.update(
        PEIFU_DATABASE_URL=f"sqlite:///{tempfile.mkdtemp(prefix='peifu_http_layer_')}/bench.db",
        PEIFU_TRUST_ACTOR_HEADER="1",
        PEIFU_RATE_LIMIT_PER_MINUTE="0",
        PEIFU_LOG_LEVEL="WARNING",
    )
    cpu, wall = asyncio.run(measure(flows))
    print(json.dumps({"cpu_us": cpu * 1e6, "wall_us": wall * 1e6}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--flows", type=int, default=400, help="flows (5 requests each) per measurement")
    parser.add_argument("--rounds", type=int, default=1, help="measurements per variant, alternating")
    parser.add_argument("--variant", action="append", default=[], metavar="NAME=SRC", help="a source tree to run")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.flows)
        return 0
    variants = [tuple(v.split("=", 1)) for v in args.variant] or [("peifu", "")]
    results: dict[str, list[dict[str, float]]] = {name: [] for name, _ in variants}
    print(f"http_layer_bench: {args.flows} flows × 5 requests, {args.rounds} round(s), {os.cpu_count()} CPU cores")
    for _ in range(args.rounds):
        for name, src in variants:
            env = dict(os.environ)
            if src:
                env["PYTHONPATH"] = os.pathsep.join([str(Path(src).resolve()), *filter(None, [env.get("PYTHONPATH")])])
            done = subprocess.run(
                [sys.executable, "-m", "benchmarks.http_layer_bench", "--child", "--flows", str(args.flows)],
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                print(done.stderr[-3000:])
                return 1
            r = json.loads(done.stdout.strip().splitlines()[-1])
            results[name].append(r)
            print(f"  {name:<8} CPU {r['cpu_us']:.0f} µs per request, wall {r['wall_us']:.0f} µs per request")
    if args.rounds > 1 or len(variants) > 1:
        print("median:")
        for name, rs in results.items():
            cpu = sorted(r["cpu_us"] for r in rs)[len(rs) // 2]
            wall = sorted(r["wall_us"] for r in rs)[len(rs) // 2]
            print(f"  {name:<8} CPU {cpu:.0f} µs per request, wall {wall:.0f} µs per request")
    return 0


if __name__ == "__main__":
    sys.exit(main())
