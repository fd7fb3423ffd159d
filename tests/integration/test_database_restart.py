"""PostgreSQL restarts in the middle of everything (issue 21, item 12).

A private PostgreSQL server (`tests/pg_cluster.py`: Debian's binaries, initdb in a temporary
directory, its own port) holds a marketplace with `N_CASES` refund requests whose seller
deadline is due. Two `peifu worker` processes fire them and pay the refunds out through a real
HTTP payment service (a receiver in this process that, like a real one, pays once per
Idempotency-Key), while API writers open orders, pay them, open requests and agree to them
through the app. In the middle of it — deadlines half fired, payouts half sent, writes in flight —
the server is killed without a clean shutdown (`pg_ctl stop -m immediate`) and started again.

Then, without anyone restarting a worker or the app:

* every due deadline has fired exactly once (one agreement and one refund per request);
* every payout was paid exactly once at the payment service, for its amount, and marked sent;
  nothing is left owed (`payouts_pending` is 0);
* every API request that was answered 2xx has its effect in the database, and no request left
  half its effect (each case's state, refund and payout agree; no order paid twice);
* the audit chain verifies (`peifu audit verify`);
* both workers are still the same processes, each said once that the database was unavailable
  and once that it was back; the app answered again by itself.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select
from sqlalchemy.pool import NullPool

from peifu.adapters.api.app import create_app
from peifu.adapters.runtime import Runtime
from peifu.db.engine import normalise_url
from peifu.db.models import Case, CaseEvent, Deadline, LedgerTransaction, Order, OrderEvent, OutboxMessage
from peifu.domain.ledger import PAYOUTS_PENDING
from peifu.services import ledger
from peifu.settings import Settings
from tests.pg_cluster import PrivateCluster, postmaster_started, private_cluster_fixture  # noqa: F401 (a fixture)
from tests.worker_support import advance, open_refunds

pytestmark = [pytest.mark.postgres_only, pytest.mark.slow]

PEIFU = Path(sys.executable).parent / "peifu"
LINES = 4
N_CASES = 80  # seeded refund requests whose seller deadline is due
PRICE = 12_345
WORKERS = 2
WRITERS = 3
PAY_DELAY = 0.01  # seconds the payment service takes per payment: payouts still run at the restart
AFTER = 2.0  # seconds every writer keeps succeeding after the restart before the writers stop
SETTLE_TIMEOUT = 120.0  # seconds for the workers to finish everything after the restart


# --- the payment service --------------------------------------------------------------------------------


class PaymentService:
    """Pays once per Idempotency-Key and answers a retry with the same reference, as real ones do."""

    def __init__(self) -> None:
        self.payments: dict[str, tuple[str, int, str]] = {}  # key → (payee, amount, reference)
        self.calls: dict[str, int] = {}
        self.lock = threading.Lock()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                key = self.headers["Idempotency-Key"]
                time.sleep(PAY_DELAY)
                with service.lock:
                    service.calls[key] = service.calls.get(key, 0) + 1
                    if key not in service.payments:
                        service.payments[key] = (body["payee"], body["amount_fen"], f"pay-{len(service.payments):05d}")
                    reference = service.payments[key][2]
                answer = json.dumps({"reference": reference}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/payouts"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> PaymentService:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- watching the database from outside ----------------------------------------------------------------


def _progress(url: str) -> tuple[int, int]:
    """(seeded deadlines fired, payouts marked sent); (-1, -1) while the server is down."""
    engine = create_engine(normalise_url(url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            fired = conn.scalar(
                select(func.count())
                .select_from(Deadline)
                .where(Deadline.status == "fired", Deadline.kind == "seller_response")
            )
            sent = conn.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "sent"))
        return int(fired or 0), int(sent or 0)
    except Exception:
        return -1, -1
    finally:
        engine.dispose()


def _workers(url: str, gateway: str, logs: Path) -> list[subprocess.Popen[bytes]]:
    env = dict(os.environ)
    env.update(PEIFU_DATABASE_URL=url, PEIFU_SANDBOX="1", PEIFU_GATEWAY_URL=gateway, PEIFU_LOG_LEVEL="INFO")
    env.pop("PEIFU_TEST_DATABASE_URL", None)
    started = []
    for w in range(WORKERS):
        with (logs / f"worker-{w}.log").open("wb") as out:
            started.append(
                subprocess.Popen(
                    [str(PEIFU), "worker", "--batch", "4", "--max-batch", "4", "--idle-sleep", "0.05"],
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            )
    return started


# --- the API writers ------------------------------------------------------------------------------------


class Writers:
    """Each writer: a new order, paid, a refund request on it, the seller agrees — under
    Idempotency-Keys, retrying until answered 2xx (or until a read shows it was done)."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.acked: dict[str, set[str]] = {"order": set(), "paid": set(), "case": set(), "agreed": set()}
        self.failures: list[str] = []
        self.back_after_restart: dict[int, float] = {}
        self.restarted_at: float | None = None
        self.threads = [threading.Thread(target=self.run, args=(w,), name=f"writer-{w}") for w in range(WRITERS)]

    def __enter__(self) -> Writers:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=120)

    def until_done(self, w: int, send: Any, settled: Any) -> Any:
        """Send until answered 2xx (returned). A refusal (4xx) may mean an earlier attempt did it
        and its answer was lost in the outage: then `settled()` finds the effect and this returns
        None — done, but not acknowledged."""
        while not self.stop.is_set():
            try:
                answer = send()
                status = answer.status_code
            except Exception:  # the connection failed outright
                answer, status = None, 599
            if 200 <= status < 300:
                with self.lock:
                    if self.restarted_at is not None:
                        self.back_after_restart.setdefault(w, time.monotonic())
                return answer
            with self.lock:
                self.failures.append(str(status))
            if 400 <= status < 500 and status != 429 and settled() is not None:
                return None
            time.sleep(0.05)
        return None

    def run(self, w: int) -> None:
        with TestClient(create_app(self.rt), raise_server_exceptions=False) as client:
            i = 0
            while not self.stop.is_set():
                self.one(client, w, f"W{w}-{i:04d}")
                i += 1

    def one(self, client: TestClient, w: int, order_id: str) -> None:
        buyer, shop = {"X-Peifu-Actor": f"buyer:buyer-w{w}"}, {"X-Peifu-Actor": f"seller:shop-w{w}"}
        platform = {"X-Peifu-Actor": "platform:platform"}
        line = {"sku": "S", "title": "袜子", "category": "apparel", "unit_price_fen": 990, "quantity": 2}
        body = {"id": order_id, "shop": {"id": f"shop-w{w}", "name": "重启测试店"}, "buyer": {"id": f"buyer-w{w}"}}
        body["lines"] = [line]
        created = self.until_done(
            w,
            lambda: client.post("/api/v1/orders", json=body, headers={**platform, "Idempotency-Key": f"o-{order_id}"}),
            lambda: self._order_state(order_id),
        )
        if created is not None:
            self._ack("order", order_id)
        paid = self.until_done(
            w,
            lambda: client.post(
                f"/api/v1/orders/{order_id}/events",
                json={"kind": "paid"},
                headers={**platform, "Idempotency-Key": f"p-{order_id}"},
            ),
            lambda: None if self._order_state(order_id) in (None, "awaiting_payment") else "paid",
        )
        if paid is not None:
            self._ack("paid", order_id)
        if self.stop.is_set():
            return
        request = {
            "order_id": order_id,
            "lines": [{"line_no": 1}],
            "case_type": "refund_only",
            "reason": "ordered_by_mistake",
        }
        opened = self.until_done(
            w,
            lambda: client.post("/api/v1/cases", json=request, headers={**buyer, "Idempotency-Key": f"c-{order_id}"}),
            lambda: self._case_of(order_id),
        )
        case_id = opened.json()["id"] if opened is not None else self._case_of(order_id)
        if case_id is None:
            return  # stopped before it was opened
        if opened is not None:
            self._ack("case", str(case_id))
        agreed = self.until_done(
            w,
            lambda: client.post(f"/api/v1/cases/{case_id}/agree", headers={**shop, "Idempotency-Key": f"a-{order_id}"}),
            lambda: "refunded" if self._case_state(case_id) == "refunded" else None,
        )
        if agreed is not None:
            self._ack("agreed", str(case_id))

    def _order_state(self, order_id: str) -> str | None:
        with self.rt.uow() as ctx:
            order = ctx.session.get(Order, order_id)
            return str(order.state) if order is not None else None

    def _case_of(self, order_id: str) -> int | None:
        with self.rt.uow() as ctx:
            found = ctx.session.scalar(select(Case.id).where(Case.order_id == order_id))
            return int(found) if found is not None else None

    def _case_state(self, case_id: int) -> str | None:
        with self.rt.uow() as ctx:
            case = ctx.session.get(Case, case_id)
            return str(case.state) if case is not None else None

    def _ack(self, what: str, ref: str) -> None:
        with self.lock:
            self.acked[what].add(ref)


# --- the test -------------------------------------------------------------------------------------------


@pytest.fixture
def sandbox_on_cluster(private_cluster: PrivateCluster) -> Iterator[Runtime]:
    settings = Settings(
        database_url=private_cluster.url, sandbox=True, trust_actor_header=True, rate_limit_per_minute=0
    )
    rt = Runtime(settings, migrate=False)
    yield rt
    rt.close()


def test_everything_recovers_from_a_postgres_restart_mid_work(
    private_cluster: PrivateCluster, sandbox_on_cluster: Runtime, tmp_path: Path
) -> None:
    started = time.monotonic()
    url, rt = private_cluster.url, sandbox_on_cluster
    open_refunds(rt, N_CASES // LINES, prefix="R", price=PRICE, lines=LINES)
    advance(rt, timedelta(hours=72, minutes=1))  # every seeded seller deadline is due
    seeded_in = time.monotonic() - started
    before = postmaster_started(url)

    with PaymentService() as payments, Writers(rt) as writers:
        workers = _workers(url, payments.url, tmp_path)
        try:
            # wait until the deadline run and the payout run are both under way, then kill the server
            deadline = time.monotonic() + SETTLE_TIMEOUT
            while True:
                fired, sent = _progress(url)
                if fired >= N_CASES // 5 and sent >= 1:
                    break
                assert all(p.poll() is None for p in workers), "a worker died before the restart"
                assert time.monotonic() < deadline, f"the workers made no progress: fired {fired}, sent {sent}"
                time.sleep(0.02)
            private_cluster.pg_ctl("stop", "-m", "immediate")
            at_restart = (fired, sent)
            restart_after = time.monotonic() - started
            time.sleep(1.0)  # everyone notices
            private_cluster.start()
            with writers.lock:
                writers.restarted_at = time.monotonic()
            assert at_restart[0] < N_CASES, f"the deadline run had finished before the restart: {at_restart}"

            # the API comes back by itself: every writer gets writes through again, for a while
            while True:
                with writers.lock:
                    back = sorted(writers.back_after_restart.values())
                if len(back) == WRITERS and time.monotonic() - back[-1] >= AFTER:
                    break
                assert time.monotonic() < deadline + SETTLE_TIMEOUT, f"{WRITERS - len(back)} writers never came back"
                time.sleep(0.05)
            writers.stop.set()
            for t in writers.threads:
                t.join(timeout=120)
            writers_done = time.monotonic() - started

            # the workers finish everything by themselves: seeded deadlines and every payout
            while True:
                fired, sent = _progress(url)
                with rt.uow() as ctx:
                    owed = ctx.session.scalar(
                        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status != "sent")
                    )
                if fired == N_CASES and owed == 0:
                    break
                assert all(p.poll() is None for p in workers), "a worker died:\n" + _logs(tmp_path)
                assert time.monotonic() < deadline + 2 * SETTLE_TIMEOUT, (
                    f"not finished: {fired} of {N_CASES} fired, {owed} payouts owed\n" + _logs(tmp_path)
                )
                time.sleep(0.1)
            assert all(p.poll() is None for p in workers), "a worker died:\n" + _logs(tmp_path)
        finally:
            for p in workers:
                p.send_signal(signal.SIGTERM)
            codes = [p.wait(timeout=60) for p in workers]
        assert codes == [0] * WORKERS, _logs(tmp_path)

    assert postmaster_started(url) != before, "the server was not restarted"
    with rt.uow() as ctx:
        s = ctx.session
        # every seeded deadline fired exactly once, and its request was agreed and refunded once
        seeded_cases = select(Case.id).where(Case.order_id.like("R-%"))
        seeded = dict(
            s.execute(
                select(Deadline.status, func.count())
                .where(Deadline.kind == "seller_response", Deadline.case_id.in_(seeded_cases))
                .group_by(Deadline.status)
            ).all()
        )
        assert seeded == {"fired": N_CASES}, seeded
        assert s.scalar(select(func.count()).select_from(Deadline).where(Deadline.status == "failed")) == 0
        twice = s.execute(
            select(CaseEvent.case_id)
            .where(CaseEvent.actor_role == "system", CaseEvent.case_id.in_(seeded_cases))
            .group_by(CaseEvent.case_id)
            .having((func.count() != 2) | (func.count(func.distinct(CaseEvent.action)) != 2))
        ).all()
        assert twice == [], f"cases acted on more than once by the deadline: {twice[:10]}"

        # every case's state, refund and payout agree: nothing half-applied
        refunds = dict(
            s.execute(
                select(LedgerTransaction.case_id, func.count())
                .where(LedgerTransaction.kind == "refund")
                .group_by(LedgerTransaction.case_id)
            ).all()
        )
        outbox = list(s.scalars(select(OutboxMessage)))
        payouts_of: dict[int, int] = {}
        for message in outbox:
            assert message.case_id is not None
            payouts_of[message.case_id] = payouts_of.get(message.case_id, 0) + 1
        for case in s.scalars(select(Case)):
            refunded = case.state == "refunded"
            assert refunds.get(case.id, 0) == (1 if refunded else 0), (case.id, case.state, refunds.get(case.id))
            assert payouts_of.get(case.id, 0) == (1 if refunded else 0), (case.id, case.state)
            assert case.state in ("refunded", "requested"), (case.id, case.state)
        paid_twice = s.execute(
            select(OrderEvent.order_id)
            .where(OrderEvent.kind == "paid")
            .group_by(OrderEvent.order_id)
            .having(func.count() > 1)
        ).all()
        assert paid_twice == []

        # every payout paid once at the payment service, for its amount, and marked sent
        assert {m.status for m in outbox} == {"sent"}
        assert set(payments.payments) == {m.idempotency_key for m in outbox}
        for message in outbox:
            payee, amount, reference = payments.payments[message.idempotency_key]
            assert (payee, amount, reference) == (message.buyer_id, message.amount_fen, message.gateway_ref)
        assert len({m.settlement_txn_id for m in outbox}) == len(outbox)
        assert ledger.balance(s, PAYOUTS_PENDING) == 0

        # every answered request's effect is there
        states = dict(s.execute(select(Order.id, Order.state)).all())
        case_states = {str(k): v for k, v in s.execute(select(Case.id, Case.state)).all()}
    assert writers.acked["order"] and writers.acked["agreed"], "the writers got nothing done"
    assert writers.acked["order"] <= set(states)
    assert all(states[o] in ("paid", "closed") for o in writers.acked["paid"]), "an acknowledged payment is missing"
    assert writers.acked["case"] <= set(case_states)
    assert all(case_states[c] == "refunded" for c in writers.acked["agreed"]), "an acknowledged agreement is missing"
    assert not [f for f in writers.failures if f.startswith(("500", "599"))], sorted(set(writers.failures))

    # the audit chain verifies
    env = {**os.environ, "PEIFU_DATABASE_URL": url}
    env.pop("PEIFU_TEST_DATABASE_URL", None)
    audit = subprocess.run([str(PEIFU), "audit", "verify"], env=env, capture_output=True, text=True, timeout=300)
    assert audit.returncode == 0, audit.stdout + audit.stderr

    # each worker rode it out in its own process: one line going down, one coming back, no crash loop
    for w in range(WORKERS):
        text = (tmp_path / f"worker-{w}.log").read_text()
        assert text.count("database unavailable") == 1, text[-3000:]
        assert text.count("database reachable again") == 1, text[-3000:]
        assert "Traceback" not in text, text[-3000:]
    print(  # visible with -s
        f"\nrestart at {at_restart[0]} of {N_CASES} deadlines fired and {at_restart[1]} payouts sent; "
        f"{len(outbox)} payouts, {len(writers.acked['agreed'])} API agreements, "
        f"{len(writers.failures)} refused attempts retried ({', '.join(sorted(set(writers.failures)))}); "
        f"seeded in {seeded_in:.1f} s, restart at {restart_after:.1f} s, writers done at {writers_done:.1f} s, "
        f"{time.monotonic() - started:.1f} s in all"
    )


def _logs(where: Path) -> str:
    return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in sorted(where.glob("worker-*.log")))
