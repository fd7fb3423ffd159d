"""Crash safety: a worker killed with SIGKILL mid-work, and (opt-in) a PostgreSQL restart under load.

1. `peifu worker` runs as a real subprocess in sandbox mode against the test database, with many
   refund requests whose seller_response deadlines are due (the sandbox clock offset, stored in the
   database, makes them due for the subprocess too). It is killed with SIGKILL again and again at
   different moments — while it fires deadlines and while it pays out — and restarted each time
   (after moving the sandbox clock past the dead worker's leases) until nothing is left. Then every
   deadline has fired exactly once, every refund was posted once, every payout reached the
   (sandbox) gateway exactly once — one `gateway_payouts` row per outbox row — the outbox is all
   sent, `payouts_pending` is back to 0 and the audit chain verifies.

2. In the PostgreSQL pass: a private PostgreSQL server (initdb + pg_ctl into a temporary directory,
   on a free port — never the shared server the rest of the suite uses) is killed without a clean
   shutdown and started again while a few threads write through the API. Every write answered 2xx
   is in the database afterwards, and the same app answers again by itself (the engine's pool
   pings a connection whose socket shows the server closed it, and replaces the dead ones).
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, func, select
from sqlalchemy.pool import NullPool

from peifu.adapters.api.app import create_app
from peifu.adapters.runtime import Runtime
from peifu.db.engine import normalise_url, unit_of_work
from peifu.db.models import (
    Case,
    CaseEvent,
    Deadline,
    GatewayPayoutRow,
    LedgerTransaction,
    Order,
    OrderEvent,
    OrderLine,
    OutboxMessage,
)
from peifu.domain.ledger import PAYOUTS_PENDING
from peifu.services import ledger
from peifu.services.deadlines import LEASE as DEADLINE_LEASE
from peifu.services.payouts import LEASE as PAYOUT_LEASE
from peifu.settings import Settings
from tests.pg_cluster import PrivateCluster, postmaster_started, private_cluster_fixture  # noqa: F401 (a fixture)
from tests.worker_support import advance, open_refunds

PEIFU = Path(sys.executable).parent / "peifu"
LINES = 4
N_CASES = max(LINES, int(os.environ.get("PEIFU_TEST_CRASH_CASES", "120")) // LINES * LINES)
PRICE = 23_456
SELLER_RESPONSE = timedelta(hours=72)
PAST_LEASES = max(DEADLINE_LEASE, PAYOUT_LEASE) + timedelta(seconds=1)
# How far (deadlines fired + payouts sent) each worker gets before it is killed: small and large steps,
# so kills land inside a firing, between the gateway call and marking the payout sent, and between batches.
KILL_STEPS = [7, 19, 3, 41, 11, 29, 2, 37, 13]
ROUND_TIMEOUT = 300.0  # seconds a worker may take to make its step on a very loaded machine


@functools.cache
def _observer(database_url: str) -> Engine:
    """A plain read-only view of the database. The runtime's own SQLite sessions begin with BEGIN
    IMMEDIATE (they may write), so they would queue behind the busy worker and only see its
    progress in large jumps; a deferred reader in WAL mode sees every commit as it lands."""
    return create_engine(normalise_url(database_url), poolclass=NullPool)


def _progress(srt: Runtime) -> tuple[int, int, int]:
    """(deadlines fired, payouts marked sent, payouts the gateway has made)."""
    with _observer(srt.settings.database_url).connect() as conn:
        fired = conn.scalar(select(func.count()).select_from(Deadline).where(Deadline.status == "fired"))
        sent = conn.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "sent"))
        paid = conn.scalar(select(func.count()).select_from(GatewayPayoutRow))
    return int(fired or 0), int(sent or 0), int(paid or 0)


def _worker_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(PEIFU_DATABASE_URL=database_url, PEIFU_SANDBOX="1", PEIFU_LOG_LEVEL="WARNING")
    env.pop("PEIFU_TEST_DATABASE_URL", None)
    return env


def _start_worker(database_url: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [str(PEIFU), "worker", "--batch", "5", "--idle-sleep", "0.05"],
            env=_worker_env(database_url),
            stdout=out,
            stderr=subprocess.STDOUT,
        )


@pytest.mark.slow
def test_a_worker_killed_again_and_again_fires_and_pays_everything_exactly_once(
    sandbox_rt: Runtime, database_url: str, tmp_path: Path
) -> None:
    started = time.monotonic()
    open_refunds(sandbox_rt, N_CASES // LINES, prefix="K", price=PRICE, lines=LINES)
    advance(sandbox_rt, SELLER_RESPONSE + timedelta(minutes=1))
    log = tmp_path / "worker.log"
    total = 2 * N_CASES  # N deadlines to fire and N payouts to send
    kills: list[tuple[int, int, int]] = []  # progress at each kill
    torn = 0  # kills that left a payout made by the gateway but not yet marked sent
    for step in KILL_STEPS:
        fired, sent, _ = _progress(sandbox_rt)
        if fired + sent >= total:
            break
        proc = _start_worker(database_url, log)
        try:
            deadline = time.monotonic() + ROUND_TIMEOUT
            target = min(total, fired + sent + step)
            while True:
                f, s, _ = _progress(sandbox_rt)
                if f + s >= target:
                    break
                assert proc.poll() is None, f"the worker died by itself:\n{log.read_text()[-3000:]}"
                assert time.monotonic() < deadline, f"no progress past {f + s} of {target}"
                time.sleep(0.005)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
        assert proc.returncode == -signal.SIGKILL
        fired, sent, paid = _progress(sandbox_rt)
        kills.append((fired, sent, paid))
        torn += paid > sent
        # the dead worker's leases expire; the next worker takes its claimed rows over
        advance(sandbox_rt, PAST_LEASES)
    assert len(kills) >= 4, f"the worker finished too quickly to be killed often: {kills}"

    # The last worker runs until nothing is left.
    advance(sandbox_rt, PAST_LEASES)
    done = subprocess.run(
        [str(PEIFU), "worker", "--once", "--batch", "50"],
        env=_worker_env(database_url),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr

    with unit_of_work(sandbox_rt.factory) as session:
        # Every deadline fired exactly once, and acted exactly once.
        statuses = dict(session.execute(select(Deadline.status, func.count()).group_by(Deadline.status)).all())
        assert statuses == {"fired": N_CASES}
        assert session.scalar(select(func.count()).select_from(Deadline).where(Deadline.attempts > 0)) == 0
        states = dict(session.execute(select(Case.state, func.count()).group_by(Case.state)).all())
        assert states == {"refunded": N_CASES}
        odd = session.execute(
            select(CaseEvent.case_id)
            .where(CaseEvent.actor_role == "system")
            .group_by(CaseEvent.case_id)
            .having((func.count() != 2) | (func.count(func.distinct(CaseEvent.action)) != 2))
        ).all()
        assert odd == []
        refunded = session.execute(select(func.sum(OrderLine.refunded_fen), func.max(OrderLine.refunded_fen))).one()
        assert tuple(refunded) == (N_CASES * PRICE, PRICE)
        refunds = session.scalar(
            select(func.count()).select_from(LedgerTransaction).where(LedgerTransaction.kind == "refund")
        )
        assert refunds == N_CASES

        # Every payout made exactly once: one gateway row per outbox row, same amount, same reference.
        outbox = list(session.scalars(select(OutboxMessage)))
        assert len(outbox) == N_CASES
        assert {m.status for m in outbox} == {"sent"}
        gateway = {g.idempotency_key: g for g in session.scalars(select(GatewayPayoutRow))}
        assert len(gateway) == len(outbox)
        for message in outbox:
            row = gateway[message.idempotency_key]
            assert (row.amount_fen, row.reference, row.payee) == (
                message.amount_fen,
                message.gateway_ref,
                message.buyer_id,
            )
        settled = session.scalar(
            select(func.count()).select_from(LedgerTransaction).where(LedgerTransaction.kind == "payout")
        )
        assert settled == N_CASES
        assert len({m.settlement_txn_id for m in outbox}) == N_CASES
        assert ledger.balance(session, PAYOUTS_PENDING) == 0

    audit = subprocess.run(
        [str(PEIFU), "audit", "verify"], env=_worker_env(database_url), capture_output=True, text=True, timeout=600
    )
    assert audit.returncode == 0, audit.stdout + audit.stderr
    print(  # visible with -s
        f"\n{N_CASES} deadlines and payouts, {len(kills)} SIGKILLs at (fired, sent, gateway) {kills}; "
        f"{torn} between a gateway payment and its marking; {time.monotonic() - started:.1f}s"
    )


# --- PostgreSQL restart -----------------------------------------------------------------------------

WRITERS = 4
LOAD_BEFORE = 2.0  # seconds of writes before the restart
LOAD_AFTER = 3.0  # seconds of successful writes after it
RECOVERY_TIMEOUT = 300.0
STALL_LIMIT = 60.0  # seconds after the restart by which every writer must be through again


@pytest.mark.postgres_only
@pytest.mark.slow
def test_acknowledged_writes_survive_a_postgres_crash_and_restart(private_cluster: PrivateCluster) -> None:
    """The server is killed (`pg_ctl restart -m immediate`: no clean shutdown, recovery from the WAL)
    while writers post through the API; every acknowledged write must be there afterwards."""
    database_url = private_cluster.url
    settings = Settings(database_url=database_url, trust_actor_header=True, rate_limit_per_minute=0)
    wrt = Runtime(settings, migrate=False)
    platform = {"X-Peifu-Actor": "platform:platform"}
    acked_orders: set[str] = set()
    acked_paid: set[str] = set()
    failures: list[str] = []
    back: dict[int, float] = {}  # writer → its first 2xx after the restart finished
    restarted_at: list[float] = []
    stop = threading.Event()
    lock = threading.Lock()

    def until_done(w: int, send: Any, settled: Any) -> int:
        """Send until a 2xx (or until a read shows an earlier attempt did it); the final status."""
        while True:
            try:
                resp = send()
                status = resp.status_code
            except Exception as exc:  # the connection itself failed: retry
                status, resp = 599, exc
            if 200 <= status < 300:
                with lock:
                    if restarted_at:
                        back.setdefault(w, time.monotonic())
                return status
            code = ""
            if not isinstance(resp, Exception):
                try:
                    code = " " + resp.json()["error"]["code"]
                except Exception:  # not our JSON (a bare 500)
                    code = ""
            with lock:
                failures.append(f"{status}{code}")
            if status == 409 and settled():
                return status
            time.sleep(0.05)

    def writer(w: int) -> None:
        with TestClient(create_app(wrt), raise_server_exceptions=False, headers=platform) as client:
            i = 0
            while not stop.is_set():
                order_id = f"R{w}-{i:05d}"
                body = {
                    "id": order_id,
                    "shop": {"id": f"shop-r{w}", "name": "重启测试店"},
                    "buyer": {"id": f"buyer-r{w}"},
                    "lines": [
                        {"sku": "S", "title": "袜子", "category": "apparel", "unit_price_fen": 990, "quantity": 2}
                    ],
                }

                def exists(order_id: str = order_id) -> bool:
                    return client.get(f"/api/v1/orders/{order_id}").status_code == 200

                def is_paid(order_id: str = order_id) -> bool:
                    answer = client.get(f"/api/v1/orders/{order_id}")
                    return answer.status_code == 200 and answer.json()["state"] == "paid"

                keyed = {"Idempotency-Key": f"create-{order_id}"}
                created = until_done(
                    w, lambda body=body, keyed=keyed: client.post("/api/v1/orders", json=body, headers=keyed), exists
                )
                if created == 201:
                    with lock:
                        acked_orders.add(order_id)
                paid = until_done(
                    w,
                    lambda order_id=order_id: client.post(
                        f"/api/v1/orders/{order_id}/events",
                        json={"kind": "paid"},
                        headers={"Idempotency-Key": f"pay-{order_id}"},
                    ),
                    is_paid,
                )
                if paid == 200:
                    with lock:
                        acked_paid.add(order_id)
                i += 1

    before = postmaster_started(database_url)
    threads = [threading.Thread(target=writer, args=(w,), name=f"writer-{w}") for w in range(WRITERS)]
    try:
        for t in threads:
            t.start()
        time.sleep(LOAD_BEFORE)
        private_cluster.pg_ctl("stop", "-m", "immediate")  # a crash: acknowledged commits live in the WAL only
        private_cluster.start()
        with lock:
            restarted_at.append(time.monotonic())
        # The same app must come back by itself: every writer's writes succeed again, for a while.
        deadline = time.monotonic() + RECOVERY_TIMEOUT
        while True:
            with lock:
                recovered = sorted(back.values())
            if len(recovered) == WRITERS and time.monotonic() - recovered[-1] >= LOAD_AFTER:
                break
            assert time.monotonic() < deadline, f"{WRITERS - len(recovered)} writers never got a write through"
            time.sleep(0.1)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=RECOVERY_TIMEOUT)
    assert not any(t.is_alive() for t in threads)
    assert private_cluster.online()
    assert postmaster_started(database_url) != before, "the server was not restarted"

    with TestClient(create_app(wrt), raise_server_exceptions=False) as client:
        health = client.get("/healthz")
        assert health.status_code == 200, health.text

    verify = create_engine(normalise_url(database_url), poolclass=NullPool)
    try:
        with verify.connect() as conn:
            stored = dict(conn.execute(select(Order.id, Order.state)).all())
            paid_events = dict(
                conn.execute(
                    select(OrderEvent.order_id, func.count())
                    .where(OrderEvent.kind == "paid")
                    .group_by(OrderEvent.order_id)
                ).all()
            )
    finally:
        verify.dispose()
        wrt.close()
    lost = sorted(acked_orders - set(stored))
    assert lost == [], f"acknowledged orders missing after the restart: {lost[:20]}"
    unpaid = sorted(o for o in acked_paid if stored.get(o) != "paid")
    assert unpaid == [], f"acknowledged payments missing after the restart: {unpaid[:20]}"
    assert all(n == 1 for n in paid_events.values()), "an order was paid twice"
    assert acked_orders and acked_paid
    # The outage is answered as one (503: retry), never as a bug (500).
    assert not [f for f in failures if f.startswith(("500", "599"))], sorted(set(failures))
    # Retries are not held off: a key whose request failed in the outage is not left "in progress".
    assert recovered[-1] - restarted_at[0] < STALL_LIMIT, (
        f"a writer was held off {recovered[-1] - restarted_at[0]:.0f}s"
    )
    print(  # visible with -s
        f"\n{len(acked_orders)} orders and {len(acked_paid)} payments acknowledged, "
        f"{len(failures)} failed attempts retried ({', '.join(sorted(set(failures)))}); "
        f"all writers back {recovered[-1] - restarted_at[0]:.1f}s after the restart"
    )
