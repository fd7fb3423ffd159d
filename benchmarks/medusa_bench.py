"""Peifu against Medusa 2 on the same return-and-refund flow, side by side on this machine (issue 15).

    .venv/bin/python -m benchmarks.medusa_bench                         # 200 flows per setting, 1 and 4 clients
    .venv/bin/python -m benchmarks.medusa_bench --flows 100 --clients 1,4,1,4

Loopback only. One run starts both and measures them back to back, setting by setting
(Medusa 1 client, Peifu 1 client, Medusa 4 clients, Peifu 4 clients, ...):

* **Medusa 2** (the version pinned by integrations/medusa/e2e/app/package-lock.json, installed and
  cached by the Medusa e2e test's own helpers: tests/integration/test_medusa_e2e.py): a vanilla store
  (the e2e app without the Peifu connector's src/), compiled with `medusa build` and started from
  `.medusa/server` with NODE_ENV=production (`--dev`: `medusa start` on the sources, NODE_ENV=development,
  as the e2e test does), on a PostgreSQL database of its own cloned from the e2e test's migrated and
  seeded template (medusa_bench_<random>, dropped afterwards). Default Medusa modules: in-memory event
  bus, cache, locking and workflow engine (no Redis), as the e2e store.
* **Peifu**: `peifu serve --workers 1 --no-worker` (uvicorn) on PostgreSQL (database `--database`,
  created afresh), plus one `peifu worker` that executes the refund payouts (the sandbox gateway).

Preparation (not timed): `--flows` orders per setting in each system, paid, shipped and delivered.
Medusa's through its own APIs as a shopper and an admin would (store API: cart, line item, addresses,
shipping method, payment collection and session, complete; admin API: capture the payment, create the
fulfillment, create the shipment, mark it delivered). Peifu's through its order API (POST /orders, then
events paid, shipped, signed).

One flow, timed — the buyer asks to return the goods, the seller accepts, the goods come back, the buyer
is refunded:

    Medusa (admin API, 7 calls; Medusa has no buyer- or seller-side return API of its own: the store's
    POST /store/returns creates a return already accepted, without a seller step; these are the calls the
    Peifu connector makes as workflows, integrations/medusa/src/lib/returns.ts, plus what the admin does
    when the parcel arrives and the refund):
      POST /admin/returns                             {order_id, location_id}    begin the return (order change)
      POST /admin/returns/{id}/request-items          {items: [{id, quantity}]}  the item the buyer returns
      POST /admin/returns/{id}/request                {}                         confirm the request (accepted)
      POST /admin/returns/{id}/receive                {}                         begin receiving
      POST /admin/returns/{id}/receive-items          {items: [{id, quantity}]}  the item arrived
      POST /admin/returns/{id}/receive/confirm        {}                         confirm receipt
      POST /admin/payments/{payment_id}/refund        {amount}                   refund the item's price

    Peifu (its API, 5 calls, each as the party who acts — a trusted gateway names them):
      buyer     POST /cases  {order_id, lines: [{line_no: 1}], case_type: return_and_refund, reason: seven_day_no_reason}
      seller    POST /cases/{id}/agree
      buyer     POST /cases/{id}/ship-return   {courier, tracking_no}
      platform  POST /cases/{id}/return-signed
      seller    POST /cases/{id}/confirm-return  → refunded; the payout is queued (outbox, same transaction)
    and the payout is executed by the worker; the Peifu figure is counted until the last payout of the
    setting is sent (the worker's outbox is empty), not only until the last response.

Each client takes its own slice of the prepared orders and runs its flows one after the other; a setting's
flows/s is flows done ÷ wall time of the setting. Every flow's outcome is checked (Medusa: the return is
`received` and the order has one refund of the price; Peifu: the case is `refunded` and its payout sent):
a failed call fails the flow, and the run exits 1. `uptime` is printed with every setting (2 shared cores),
and the CPU per flow from /proc: Medusa's node process group, Peifu's API and worker, and the PostgreSQL
backends of each one's database. Figures and caveats: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
from tests.integration import test_medusa_e2e as e2e

from benchmarks.scale_bench import (
    TICK,
    _stat,
    cpu_of_groups,
    database_url,
    free_port,
    fresh_database,
    peifu,
    start,
    stop,
    wait_ready,
)

ADDRESS = {
    "first_name": "小明",
    "last_name": "王",
    "address_1": "人民路 1 号",
    "city": "上海",
    "country_code": "cn",
    "postal_code": "200000",
}


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def ok(response: httpx.Response, *codes: int) -> Any:
    return e2e.ok(response, *codes)


# --- Medusa ---------------------------------------------------------------------------------------


@dataclass
class Medusa:
    base: str
    token: str
    seed: dict[str, str]
    proc: subprocess.Popen[bytes]
    database: str
    mode: str

    def store(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.base, headers={"x-publishable-api-key": self.seed["publishable_key"]}, timeout=60
        )

    def admin(self) -> httpx.Client:
        return httpx.Client(base_url=self.base, headers={"authorization": f"Bearer {self.token}"}, timeout=60)


def bench_app(logs: Path, dev: bool) -> tuple[Path, list[str]]:
    """The e2e store's install (cached node_modules), as a vanilla store: its config without the Peifu
    connector's src/. Returns the directory to start Medusa in and the CLI."""
    installed = e2e.install_store(logs / "npm.log")  # WORK/app, node_modules from the pinned lockfile
    app = e2e.WORK / "bench-app"
    shutil.rmtree(app, ignore_errors=True)
    app.mkdir(parents=True)
    for name in ("package.json", "medusa-config.ts", "tsconfig.json"):
        shutil.copy(installed / name, app / name)
    (app / "node_modules").symlink_to(installed / "node_modules")
    cli = [str(installed / "node_modules" / ".bin" / "medusa")]
    if dev:
        return app, cli
    env = {**os.environ, "MEDUSA_DISABLE_TELEMETRY": "true"}
    e2e._run([*cli, "build"], app, env, 600, logs / "medusa-build.log")
    server = app / ".medusa" / "server"
    (server / "node_modules").symlink_to(installed / "node_modules")
    return server, cli


def start_medusa(logs: Path, dev: bool) -> Medusa:
    workdir, cli = bench_app(logs, dev)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEIFU_")}
    database = f"medusa_bench_{uuid.uuid4().hex[:10]}"
    seed = e2e.prepared_database(e2e.WORK / "app", cli, env, database, logs)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    medusa_env = {
        **env,
        "DATABASE_URL": f"{e2e.PG_URL.replace('postgresql://', 'postgres://')}/{database}",
        "NODE_ENV": "development" if dev else "production",
        "MEDUSA_DISABLE_TELEMETRY": "true",
        "LOG_LEVEL": "warn",
    }
    with (logs / "medusa.log").open("wb") as out:
        proc = subprocess.Popen(
            [*cli, "start", "-p", str(port)],
            env=medusa_env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=workdir,
            start_new_session=True,
        )
    try:
        e2e._wait("medusa to answer", lambda: httpx.get(f"{base}/health").status_code == 200, 240, 1)
        token = ok(httpx.post(f"{base}/auth/user/emailpass", json={"email": e2e.ADMIN[0], "password": e2e.ADMIN[1]}))[
            "token"
        ]
    except BaseException:
        stop(proc)  # type: ignore[arg-type]
        e2e._psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        raise
    return Medusa(base, token, seed, proc, database, "development" if dev else "production (medusa build)")


@dataclass
class MedusaOrder:
    id: str
    item_id: str
    payment_id: str
    amount: float  # the item's price, major units (what Medusa's refund takes)


def medusa_prepare(m: Medusa, email: str) -> MedusaOrder:
    """A guest checks out (store API); the admin captures, ships and marks it delivered (admin API)."""
    with m.store() as store, m.admin() as admin:
        cart = ok(
            store.post(
                "/store/carts",
                json={"region_id": m.seed["region_id"], "sales_channel_id": m.seed["sales_channel_id"], "email": email},
            )
        )["cart"]
        ok(
            store.post(
                f"/store/carts/{cart['id']}/line-items", json={"variant_id": m.seed["variant_id"], "quantity": 1}
            )
        )
        ok(store.post(f"/store/carts/{cart['id']}", json={"shipping_address": ADDRESS, "billing_address": ADDRESS}))
        ok(store.post(f"/store/carts/{cart['id']}/shipping-methods", json={"option_id": m.seed["shipping_option_id"]}))
        collection = ok(store.post("/store/payment-collections", json={"cart_id": cart["id"]}))["payment_collection"]
        ok(
            store.post(
                f"/store/payment-collections/{collection['id']}/payment-sessions",
                json={"provider_id": "pp_system_default"},
            )
        )
        done = ok(store.post(f"/store/carts/{cart['id']}/complete"))
        assert done["type"] == "order", done
        order = done["order"]
        fields = "*items,*payment_collections,*payment_collections.payments,*fulfillments"
        full = ok(admin.get(f"/admin/orders/{order['id']}", params={"fields": fields}))["order"]
        payment = full["payment_collections"][0]["payments"][0]
        ok(admin.post(f"/admin/payments/{payment['id']}/capture", json={}))
        items = [{"id": item["id"], "quantity": item["quantity"]} for item in order["items"]]
        ok(
            admin.post(
                f"/admin/orders/{order['id']}/fulfillments",
                json={"items": items, "location_id": m.seed["stock_location_id"]},
            )
        )
        full = ok(admin.get(f"/admin/orders/{order['id']}", params={"fields": fields}))["order"]
        fulfillment = full["fulfillments"][0]
        ok(
            admin.post(
                f"/admin/orders/{order['id']}/fulfillments/{fulfillment['id']}/shipments",
                json={
                    "items": items,
                    "labels": [{"tracking_number": "SF1234567890", "tracking_url": "#", "label_url": "#"}],
                },
            )
        )
        ok(admin.post(f"/admin/orders/{order['id']}/fulfillments/{fulfillment['id']}/mark-as-delivered"))
        item = order["items"][0]
        return MedusaOrder(order["id"], item["id"], payment["id"], float(item["unit_price"]))


def medusa_flow(m: Medusa, admin: httpx.Client, order: MedusaOrder) -> None:
    """The timed flow: 7 admin calls (see the module's docstring)."""
    items = {"items": [{"id": order.item_id, "quantity": 1}]}
    begun = ok(admin.post("/admin/returns", json={"order_id": order.id, "location_id": m.seed["stock_location_id"]}))
    return_id = begun["return"]["id"]
    ok(admin.post(f"/admin/returns/{return_id}/request-items", json=items))
    ok(admin.post(f"/admin/returns/{return_id}/request", json={}))
    ok(admin.post(f"/admin/returns/{return_id}/receive", json={}))
    ok(admin.post(f"/admin/returns/{return_id}/receive-items", json=items))
    ok(admin.post(f"/admin/returns/{return_id}/receive/confirm", json={}))
    ok(admin.post(f"/admin/payments/{order.payment_id}/refund", json={"amount": order.amount}))


def medusa_check(m: Medusa, orders: list[MedusaOrder]) -> list[str]:
    """Each flow's outcome in Medusa: one return, received; one refund of the item's price."""
    wrong: list[str] = []
    fields = "id,*payment_collections.payments.refunds"
    with m.admin() as admin:
        for o in orders:
            returns = ok(admin.get("/admin/returns", params={"order_id": o.id, "fields": "id,status"}))["returns"]
            order = ok(admin.get(f"/admin/orders/{o.id}", params={"fields": fields}))["order"]
            refunds = [
                float(r["amount"])
                for pc in order["payment_collections"]
                for p in pc["payments"]
                for r in p["refunds"] or []
            ]
            if [r["status"] for r in returns] != ["received"] or refunds != [o.amount]:
                wrong.append(f"medusa {o.id}: returns {returns}, refunds {refunds}")
    return wrong


# --- Peifu ----------------------------------------------------------------------------------------

PLATFORM = {"X-Peifu-Actor": "platform:platform"}


@dataclass
class Peifu:
    base: str
    proc: subprocess.Popen[bytes]
    worker: subprocess.Popen[bytes]
    database: str

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=f"{self.base}/api/v1", timeout=60)


@dataclass
class PeifuOrder:
    id: str
    shop: str
    buyer: str


def start_peifu(database: str, src: str | None = None) -> Peifu:
    """Peifu's API and worker on a fresh `database`; `src` (a source tree) first on PYTHONPATH when
    given (flow_bench's variants), else the venv's own install."""
    fresh_database(database)
    env = {
        **os.environ,
        "PEIFU_DATABASE_URL": database_url(database),
        "PEIFU_TRUST_ACTOR_HEADER": "1",  # the clients name their parties as a trusted gateway would
        "PEIFU_RATE_LIMIT_PER_MINUTE": "0",  # one client address sends everything
        "PEIFU_LOG_LEVEL": "WARNING",
    }
    env.pop("PEIFU_GATEWAY_URL", None)  # the sandbox gateway: payouts are booked in Peifu's own table
    if src:
        env["PYTHONPATH"] = os.pathsep.join([str(Path(src).resolve()), *filter(None, [env.get("PYTHONPATH")])])
    subprocess.run([peifu(), "db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start([peifu(), "serve", "--no-demo", "--no-worker", "--workers", "1", "--port", str(port)], env)
    worker = start([peifu(), "worker", "--idle-sleep", "0.2"], env)
    try:
        wait_ready(base, proc)
    except BaseException:
        stop(proc)
        stop(worker)
        raise
    return Peifu(base, proc, worker, database)


def peifu_prepare(p: Peifu, http: httpx.Client, order_id: str, shop: str, buyer: str) -> PeifuOrder:
    body = {
        "id": order_id,
        "shop": {"id": shop, "name": f"店铺 {shop}", "category": "shoes"},
        "buyer": {"id": buyer, "name": "买家"},
        "lines": [
            {"sku": "RUN-42", "title": "超轻跑步鞋", "category": "shoes", "unit_price_fen": 39900, "quantity": 1}
        ],
    }
    ok(http.post("/orders", json=body, headers=PLATFORM), 201)
    ok(http.post(f"/orders/{order_id}/events", json={"kind": "paid"}, headers=PLATFORM))
    shipped = {"kind": "shipped", "courier": "SF", "tracking_no": f"SF{order_id}"}
    ok(http.post(f"/orders/{order_id}/events", json=shipped, headers=PLATFORM))
    ok(http.post(f"/orders/{order_id}/events", json={"kind": "signed"}, headers=PLATFORM))
    return PeifuOrder(order_id, shop, buyer)


def peifu_flow(http: httpx.Client, order: PeifuOrder) -> None:
    """The timed flow: 5 calls (see the module's docstring)."""
    buyer = {"X-Peifu-Actor": f"buyer:{order.buyer}"}
    seller = {"X-Peifu-Actor": f"seller:{order.shop}"}
    opened = ok(
        http.post(
            "/cases",
            json={
                "order_id": order.id,
                "lines": [{"line_no": 1}],
                "case_type": "return_and_refund",
                "reason": "seven_day_no_reason",
            },
            headers=buyer,
        ),
        201,
    )
    case = opened["id"]
    ok(http.post(f"/cases/{case}/agree", headers=seller))
    ok(http.post(f"/cases/{case}/ship-return", json={"courier": "SF", "tracking_no": f"R{order.id}"}, headers=buyer))
    ok(http.post(f"/cases/{case}/return-signed", headers=PLATFORM))
    done = ok(http.post(f"/cases/{case}/confirm-return", headers=seller))
    if done["state"] != "refunded":
        raise AssertionError(f"case {case} is {done['state']} after confirm-return")


def peifu_outbox(p: Peifu) -> tuple[int, int]:
    """(payouts still due, payouts sent) in Peifu's outbox."""
    with psycopg.connect(database_url(p.database), autocommit=True) as conn:
        rows = dict(conn.execute("SELECT status, count(*) FROM outbox GROUP BY status").fetchall())
    return int(rows.get("pending", 0)), int(rows.get("sent", 0))


def peifu_check(p: Peifu, orders: list[PeifuOrder], sent_before: int) -> list[str]:
    """Each flow's outcome in Peifu: one case on the order, refunded; its payout sent."""
    wrong: list[str] = []
    ids = [o.id for o in orders]
    with psycopg.connect(database_url(p.database), autocommit=True) as conn:
        rows = conn.execute("SELECT order_id, state FROM cases WHERE order_id = ANY(%s)", (ids,)).fetchall()
    states: dict[str, list[str]] = {}
    for order_id, state in rows:
        states.setdefault(order_id, []).append(state)
    wrong += [f"peifu {i}: cases {states.get(i)}" for i in ids if states.get(i) != ["refunded"]]
    due, sent = peifu_outbox(p)
    if due or sent - sent_before != len(orders):
        wrong.append(f"peifu payouts: {due} still due, {sent - sent_before} sent for {len(orders)} flows")
    return wrong


# --- the run --------------------------------------------------------------------------------------


@dataclass
class Result:
    system: str
    clients: int
    flows: int
    seconds: float
    failed: int
    latencies: list[float] = field(default_factory=list)
    load: str = ""
    cpu_server: float = 0.0  # CPU seconds of the system's own processes (Medusa's node; Peifu's API + worker)
    cpu_database: float = 0.0  # CPU seconds of the PostgreSQL backends connected to its database

    @property
    def rate(self) -> float:
        return self.flows / self.seconds if self.seconds else 0.0


class BackendCpu(threading.Thread):
    """CPU seconds used by the PostgreSQL backends of one database while a setting runs. Medusa's pool
    closes idle connections and opens new ones, so the backends are sampled every 0.2 s: each one's CPU
    since the start (or since it appeared), up to the last sample it was seen in."""

    def __init__(self, database: str) -> None:
        super().__init__(daemon=True)
        self.database = database
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.halt = threading.Event()
        self._sample(initial=True)

    def _sample(self, initial: bool = False) -> None:
        with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
            pids = [r[0] for r in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", (self.database,))]
        for pid in pids:
            stat = _stat(pid)
            if stat is None:
                continue
            used = (int(stat[11]) + int(stat[12])) / TICK
            self.first.setdefault(pid, used if initial else 0.0)
            self.last[pid] = used

    def run(self) -> None:
        while not self.halt.wait(0.2):
            self._sample()

    def finish(self) -> float:
        self.halt.set()
        self.join()
        self._sample()
        return sum(self.last[pid] - self.first[pid] for pid in self.last)


def drive(
    system: str,
    clients: int,
    work: list[Any],
    flow: Callable[[httpx.Client, Any], None],
    client: Callable[[], httpx.Client],
    cpu: Callable[[], float],
    database: str,
    settle: Callable[[], None] | None = None,
) -> tuple[Result, list[str]]:
    slices = [work[i::clients] for i in range(clients)]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def run(mine: list[Any]) -> None:
        with client() as http:
            for item in mine:
                began = time.monotonic()
                try:
                    flow(http, item)
                except (AssertionError, httpx.HTTPError, KeyError) as exc:
                    with lock:
                        errors.append(f"{system}: {str(exc)[:300]}")
                    continue
                with lock:
                    latencies.append(time.monotonic() - began)

    cpu_before = cpu()
    backends = BackendCpu(database)
    backends.start()
    began = time.monotonic()
    threads = [threading.Thread(target=run, args=(s,)) for s in slices]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if settle is not None:
        settle()
    seconds = time.monotonic() - began
    used = (cpu() - cpu_before, backends.finish())
    return Result(system, clients, len(latencies), seconds, len(errors), latencies, uptime(), *used), errors


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


def show(r: Result) -> None:
    print(
        f"  {r.system:<6} {r.clients} client(s): {r.flows} flows in {r.seconds:.1f} s = {r.rate:.2f} flows/s, "
        f"p50 {pct(r.latencies, 0.5):.0f} ms, p99 {pct(r.latencies, 0.99):.0f} ms per flow, {r.failed} failed"
    )
    done = max(1, r.flows)
    print(
        f"         CPU per flow: {r.system} {r.cpu_server / done * 1000:.0f} ms, "
        f"its PostgreSQL backends {r.cpu_database / done * 1000:.0f} ms; {r.load}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--flows", type=int, default=200, help="timed flows per setting and system")
    parser.add_argument("--clients", default="1,4", help="concurrent clients per setting, in order")
    parser.add_argument("--warmup", type=int, default=10, help="untimed flows on each system first")
    parser.add_argument("--prepare-clients", type=int, default=4, help="threads preparing Medusa's orders")
    parser.add_argument("--dev", action="store_true", help="Medusa in development mode on its sources (as the e2e)")
    parser.add_argument("--database", default="peifu_medusa_bench", help="Peifu's database (created afresh)")
    parser.add_argument("--logs", type=Path, default=None, help="where Medusa's logs go (default: a temp dir)")
    args = parser.parse_args(argv)
    settings = [int(x) for x in args.clients.split(",") if x.strip()]
    if (problem := e2e._node_problem()) is not None:
        raise SystemExit(problem)
    logs = args.logs or Path(f"/tmp/medusa_bench_{uuid.uuid4().hex[:6]}")
    logs.mkdir(parents=True, exist_ok=True)
    total = args.warmup + args.flows * len(settings)
    print(f"medusa_bench: {args.flows} flows per setting, clients {settings}, {os.cpu_count()} CPU cores; logs {logs}")
    print(f"  {uptime()}")

    began = time.monotonic()
    medusa = start_medusa(logs, args.dev)
    p: Peifu | None = None
    status = 0
    try:
        print(f"Medusa 2 ({medusa.mode}) up in {time.monotonic() - began:.0f} s; preparing {total} orders ...")
        began = time.monotonic()
        with ThreadPoolExecutor(args.prepare_clients) as pool:
            m_orders = list(pool.map(lambda i: medusa_prepare(medusa, f"buyer{i}@example.com"), range(total)))
        print(f"  prepared in {time.monotonic() - began:.0f} s (paid, shipped, delivered)")

        p = start_peifu(args.database)
        began = time.monotonic()
        with p.client() as http:
            p_orders = [
                peifu_prepare(p, http, f"MB{i:06d}", f"shop-{i % 50:03d}", f"buyer-{i % 97:02d}") for i in range(total)
            ]
        print(f"Peifu up; {total} orders prepared in {time.monotonic() - began:.0f} s (paid, shipped, signed)")

        def settle_peifu() -> None:
            assert p is not None
            e2e._wait("Peifu's payouts", lambda: peifu_outbox(p)[0] == 0, 120, 0.05)

        def m_cpu() -> float:
            return cpu_of_groups([medusa.proc.pid])

        def p_cpu() -> float:
            assert p is not None
            return cpu_of_groups([p.proc.pid, p.worker.pid])

        def m_flow(http: httpx.Client, o: MedusaOrder) -> None:
            medusa_flow(medusa, http, o)

        # warm-up: the first flows of each (JIT, caches, connection pools), not counted
        _, errs = drive("medusa", 1, m_orders[: args.warmup], m_flow, medusa.admin, m_cpu, medusa.database)
        _, errs2 = drive("peifu", 1, p_orders[: args.warmup], peifu_flow, p.client, p_cpu, p.database, settle_peifu)
        for line in (errs + errs2)[:5]:
            print(f"  warm-up error: {line}")
        results: list[tuple[Result, Result]] = []
        at = args.warmup
        wrong: list[str] = []
        print("\nflows/s (one flow = a return requested, accepted, received and refunded):")
        for clients in settings:
            chunk = slice(at, at + args.flows)
            at += args.flows
            m_res, m_err = drive("medusa", clients, m_orders[chunk], m_flow, medusa.admin, m_cpu, medusa.database)
            show(m_res)
            _, sent_before = peifu_outbox(p)
            p_res, p_err = drive(
                "peifu", clients, p_orders[chunk], peifu_flow, p.client, p_cpu, p.database, settle_peifu
            )
            show(p_res)
            for line in (m_err + p_err)[:5]:
                print(f"  error: {line}")
            wrong += medusa_check(medusa, m_orders[chunk]) + peifu_check(p, p_orders[chunk], sent_before)
            results.append((m_res, p_res))
            if m_res.failed or p_res.failed:
                status = 1
        print("\nPeifu / Medusa (same run, same machine):")
        for m_res, p_res in results:
            ratio = p_res.rate / m_res.rate if m_res.rate else float("inf")
            print(
                f"  {m_res.clients} client(s): Medusa {m_res.rate:.2f} flows/s, Peifu {p_res.rate:.2f} flows/s, ×{ratio:.1f}"
            )
        if wrong:
            status = 1
            print(f"\noutcomes not as expected ({len(wrong)}):")
            for line in wrong[:10]:
                print(f"  {line}")
        else:
            print(
                "\noutcomes checked: every Medusa return received and refunded once; every Peifu case refunded, payout sent"
            )
    finally:
        stop(medusa.proc)  # type: ignore[arg-type]
        e2e._psql(f'DROP DATABASE IF EXISTS "{medusa.database}" WITH (FORCE)')
        if p is not None:
            stop(p.proc)
            stop(p.worker)
    return status


if __name__ == "__main__":
    sys.exit(main())
