"""Payouts leave through an outbox, and a crash at any moment neither loses nor doubles one.

A payout row is written with its ledger posting; the dispatcher claims it (a lease), calls the
gateway with the row's idempotency key outside any transaction, then marks it sent and posts
payouts_pending → gateway. The gateway here is the sandbox one: its own table, written in its
own transaction, answering a repeated key with the payout it already made.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from peifu.adapters.gateway import SandboxGateway
from peifu.adapters.runtime import Runtime
from peifu.db.engine import unit_of_work
from peifu.db.models import GatewayPayoutRow, LedgerTransaction, OutboxMessage
from peifu.domain import ledger as accounts
from peifu.domain.actors import Actor
from peifu.domain.clock import ManualClock
from peifu.domain.ledger import posting, transfer
from peifu.domain.vocabulary import CaseAction, Role
from peifu.services import cases as case_service
from peifu.services import ledger, money
from peifu.services import orders as order_service
from peifu.services.context import Wiring
from peifu.services.inputs import CaseIn, CaseLineIn, OrderEventIn, OrderIn
from peifu.services.payouts import LEASE, MAX_BACKOFF, GatewayError, PaymentGateway, _claim, dispatch_due
from tests.conftest import order_body

SECOND = timedelta(seconds=1)


# --- gateways that misbehave ----------------------------------------------------------------------


class Recording:
    """Counts calls, then delegates."""

    def __init__(self, inner: PaymentGateway, before: Callable[[str], None] | None = None) -> None:
        self.inner = inner
        self.calls: list[tuple[str, str, int]] = []
        self.before = before
        self.lock = threading.Lock()

    def pay(self, idempotency_key: str, payee: str, amount_fen: int, memo: str) -> str:
        with self.lock:
            self.calls.append((idempotency_key, payee, amount_fen))
        if self.before:
            self.before(idempotency_key)
        return self.inner.pay(idempotency_key, payee, amount_fen, memo)


class CrashAfterPay:
    """The gateway pays; our process dies (or the connection drops) before the answer arrives."""

    def __init__(self, inner: PaymentGateway) -> None:
        self.inner = inner
        self.references: list[str] = []

    def pay(self, idempotency_key: str, payee: str, amount_fen: int, memo: str) -> str:
        self.references.append(self.inner.pay(idempotency_key, payee, amount_fen, memo))
        raise ConnectionResetError("connection reset after the gateway accepted the payout")


class Down:
    def __init__(self) -> None:
        self.calls = 0

    def pay(self, idempotency_key: str, payee: str, amount_fen: int, memo: str) -> str:
        self.calls += 1
        raise GatewayError("503 Service Unavailable")


# --- helpers --------------------------------------------------------------------------------------


def sandbox(rt: Runtime) -> SandboxGateway:
    return SandboxGateway(rt.factory, rt.clock)


def refund_payout(rt: Runtime) -> OutboxMessage:
    """A real one: an order paid for and refunded on the seller's agreement."""
    with rt.uow() as ctx:
        order_service.ingest_order(ctx, OrderIn.model_validate(order_body("T1")))
        order_service.record_event(ctx, "T1", OrderEventIn(kind="paid"))
        case = case_service.open_case(
            ctx,
            CaseIn(order_id="T1", lines=[CaseLineIn(line_no=1)], case_type="refund_only", reason="ordered_by_mistake"),
            Actor(Role.buyer, "buyer-1"),
        )
        case_service.act(ctx, case.id, CaseAction.agree, Actor(Role.seller, "shop-1"))
    (message,) = outbox(rt)
    assert (message.amount_fen, message.buyer_id, message.status) == (39_900, "buyer-1", "pending")
    return message


def payouts(rt: Runtime, amounts: list[int]) -> list[int]:
    """Owed payouts without the whole case flow: posting platform_fund → payouts_pending, queued."""
    ids = []
    with rt.uow() as ctx:
        for n, amount in enumerate(amounts):
            entry = posting("test_payout", transfer(accounts.PLATFORM_FUND, accounts.PAYOUTS_PENDING, amount))
            txn = ledger.post(ctx.session, entry, ctx.now())
            queued = money.enqueue_payout(
                ctx, txn, case_id=None, buyer_id=f"buyer-{n % 3}", amount=amount, method="original_payment"
            )
            ids.append(queued.id)
    return ids


def outbox(rt: Runtime) -> list[OutboxMessage]:
    with rt.uow() as ctx:
        return list(ctx.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def gateway_rows(rt: Runtime) -> list[GatewayPayoutRow]:
    with rt.uow() as ctx:
        return list(ctx.session.scalars(select(GatewayPayoutRow).order_by(GatewayPayoutRow.created_at)))


def balance(rt: Runtime, account: str) -> int:
    with rt.uow() as ctx:
        return ledger.balance(ctx.session, account)


def settlements(rt: Runtime) -> int:
    with rt.uow() as ctx:
        return int(
            ctx.session.scalar(select(func.count(LedgerTransaction.id)).where(LedgerTransaction.kind == "payout")) or 0
        )


def dispatch(
    rt: Runtime, gateway: PaymentGateway, owner: str = "d1", clock: ManualClock | None = None
) -> tuple[int, int]:
    units = Wiring(rt.factory, clock, rt.policies, rt.reactions) if clock else rt
    report = dispatch_due(units, gateway, owner=owner)
    return report.sent, report.failed


# --- a crash after the gateway paid ---------------------------------------------------------------


def test_a_crash_after_the_gateway_paid_is_retried_with_the_same_key_and_pays_once(
    rt: Runtime, clock: ManualClock
) -> None:
    message = refund_payout(rt)
    assert balance(rt, accounts.PAYOUTS_PENDING) == 39_900
    crashing = CrashAfterPay(sandbox(rt))

    assert dispatch(rt, crashing) == (0, 1)
    (after,) = outbox(rt)
    assert (after.status, after.attempts, after.gateway_ref, after.lease_until) == ("pending", 1, None, None)
    assert after.last_error is not None and "connection reset" in after.last_error
    assert after.next_attempt_at == clock.now() + timedelta(seconds=10)
    (paid,) = gateway_rows(rt)  # the gateway did pay…
    assert (paid.idempotency_key, paid.payee, paid.amount_fen) == (message.idempotency_key, "buyer-1", 39_900)
    assert balance(rt, accounts.PAYOUTS_PENDING) == 39_900  # …but we never heard: still owed
    assert settlements(rt) == 0

    assert dispatch(rt, sandbox(rt)) == (0, 0)  # not before its backoff
    clock.advance(timedelta(seconds=10))
    recording = Recording(sandbox(rt))
    assert dispatch(rt, recording) == (1, 0)
    assert recording.calls == [(message.idempotency_key, "buyer-1", 39_900)]  # the same key again
    (sent,) = outbox(rt)
    assert (sent.status, sent.attempts) == ("sent", 2)
    assert sent.gateway_ref == paid.reference == crashing.references[0]  # the same payout, not a new one
    assert len(gateway_rows(rt)) == 1
    assert balance(rt, accounts.PAYOUTS_PENDING) == 0
    assert settlements(rt) == 1
    with rt.uow() as ctx:
        settlement = ctx.session.get(LedgerTransaction, sent.settlement_txn_id)
        assert settlement is not None and paid.reference in settlement.memo

    clock.advance(timedelta(hours=1))
    assert dispatch(rt, recording) == (0, 0)  # nothing is left to send
    assert len(recording.calls) == 1


def test_a_crash_after_claiming_waits_for_the_lease_then_another_dispatcher_pays(
    rt: Runtime, clock: ManualClock
) -> None:
    (payout_id,) = payouts(rt, [5_000])
    with unit_of_work(rt.factory) as session:  # dispatcher "dead" claims the row, then dies
        assert _claim(session, clock.now(), "dead", 10) == [payout_id]
    recording = Recording(sandbox(rt))
    assert dispatch(rt, recording, owner="alive") == (0, 0)
    clock.advance(LEASE - SECOND)
    assert dispatch(rt, recording, owner="alive") == (0, 0)
    clock.advance(2 * SECOND)
    assert dispatch(rt, recording, owner="alive") == (1, 0)
    (sent,) = outbox(rt)
    assert (sent.status, sent.lease_owner) == ("sent", "alive")
    assert len(recording.calls) == 1 and len(gateway_rows(rt)) == 1


def test_a_dispatcher_whose_lease_ran_out_mid_call_does_not_settle_twice(rt: Runtime, clock: ManualClock) -> None:
    """Dispatcher A is so slow at the gateway that its lease expires and B pays the same row with the
    same key. When A's answer finally comes, the row is already sent: one payout, one settlement."""
    (payout_id,) = payouts(rt, [7_700])
    later = ManualClock(clock.now() + LEASE + SECOND)
    b_gateway = Recording(sandbox(rt))

    def meanwhile_b_runs(_: str) -> None:
        assert dispatch(rt, b_gateway, owner="B", clock=later) == (1, 0)

    a_gateway = Recording(sandbox(rt), before=meanwhile_b_runs)
    assert dispatch(rt, a_gateway, owner="A") == (0, 0)  # A's call succeeded, but B had marked it sent
    assert [c[0] for c in a_gateway.calls] == [c[0] for c in b_gateway.calls] == [f"peifu-payout-{_txn(rt, payout_id)}"]
    (sent,) = outbox(rt)
    assert (sent.status, sent.lease_owner) == ("sent", "B")
    assert len(gateway_rows(rt)) == 1
    assert settlements(rt) == 1
    assert balance(rt, accounts.PAYOUTS_PENDING) == 0


def _txn(rt: Runtime, payout_id: int) -> int:
    with rt.uow() as ctx:
        row = ctx.session.get(OutboxMessage, payout_id)
        assert row is not None
        return row.txn_id


# --- a gateway that is down -----------------------------------------------------------------------


def test_a_gateway_that_is_down_is_retried_with_growing_backoff_then_pays(rt: Runtime, clock: ManualClock) -> None:
    (payout_id,) = payouts(rt, [12_300])
    down = Down()
    waits = []
    for attempt in range(1, 14):
        assert dispatch(rt, down) == (0, 1)
        (row,) = outbox(rt)
        assert (row.status, row.attempts) == ("pending", attempt)
        assert row.last_error == "GatewayError: 503 Service Unavailable"
        wait = row.next_attempt_at - clock.now()
        waits.append(wait)
        clock.advance(wait - SECOND)
        assert dispatch(rt, down) == (0, 0)  # not a second early
        clock.advance(SECOND)
    assert waits[:4] == [timedelta(seconds=s) for s in (10, 20, 40, 80)]
    assert all(a <= b for a, b in itertools.pairwise(waits))
    assert waits[-1] == MAX_BACKOFF  # never more than an hour between tries
    assert down.calls == 13
    assert balance(rt, accounts.PAYOUTS_PENDING) == 12_300
    assert gateway_rows(rt) == []

    assert dispatch(rt, sandbox(rt)) == (1, 0)  # the gateway is back
    (row,) = outbox(rt)
    assert (row.id, row.status, row.attempts) == (payout_id, "sent", 14)
    assert balance(rt, accounts.PAYOUTS_PENDING) == 0
    assert balance(rt, accounts.GATEWAY) == 12_300
    assert len(gateway_rows(rt)) == 1


def test_one_failing_payout_does_not_hold_up_the_others(rt: Runtime) -> None:
    payouts(rt, [100, 200, 300])
    real = sandbox(rt)

    class RefusesTwoHundred:
        def pay(self, key: str, payee: str, amount_fen: int, memo: str) -> str:
            if amount_fen == 200:
                raise GatewayError("account frozen")
            return real.pay(key, payee, amount_fen, memo)

    assert dispatch(rt, RefusesTwoHundred()) == (2, 1)
    assert [(r.amount_fen, r.status) for r in outbox(rt)] == [(100, "sent"), (200, "pending"), (300, "sent")]
    assert balance(rt, accounts.PAYOUTS_PENDING) == 200


# --- the sandbox gateway's own promise --------------------------------------------------------------


def test_the_sandbox_gateway_is_idempotent_per_key(rt: Runtime) -> None:
    gateway = sandbox(rt)
    first = gateway.pay("key-1", "buyer-1", 1_000, "x")
    assert gateway.pay("key-1", "buyer-1", 1_000, "again") == first
    assert gateway.pay("key-2", "buyer-1", 1_000, "x") != first
    with pytest.raises(GatewayError):
        gateway.pay("key-1", "buyer-1", 1_001, "a different payout under the same key")
    with pytest.raises(GatewayError):
        gateway.pay("key-1", "buyer-2", 1_000, "to someone else")
    assert [(r.idempotency_key, r.amount_fen) for r in gateway_rows(rt)] == [("key-1", 1_000), ("key-2", 1_000)]


def test_each_payout_has_its_own_key(rt: Runtime) -> None:
    payouts(rt, [100, 100, 100])
    keys = [r.idempotency_key for r in outbox(rt)]
    assert len(set(keys)) == 3
    assert dispatch(rt, sandbox(rt)) == (3, 0)
    assert sorted(r.idempotency_key for r in gateway_rows(rt)) == sorted(keys)


# --- two dispatchers at once ---------------------------------------------------------------------


@pytest.mark.postgres_only
def test_concurrent_dispatchers_never_pay_twice(rt: Runtime) -> None:
    amounts = [1_000 + n for n in range(60)]
    payouts(rt, amounts)
    start = threading.Barrier(4)

    def slow(_: str) -> None:
        time.sleep(0.002)  # widen the window between claim and mark-sent

    recording = Recording(sandbox(rt), before=slow)
    errors: list[BaseException] = []

    def dispatcher(owner: str) -> None:
        try:
            start.wait(timeout=10)
            for _ in range(20):
                dispatch_due(rt, recording, owner=owner, batch=7)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=dispatcher, args=(f"d{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    keys = [c[0] for c in recording.calls]
    assert len(keys) == len(set(keys)) == len(amounts)  # each payout claimed and called exactly once
    assert {r.status for r in outbox(rt)} == {"sent"}
    assert len({r.lease_owner for r in outbox(rt)}) > 1  # the work really was shared
    assert len(gateway_rows(rt)) == len(amounts)
    assert settlements(rt) == len(amounts)
    assert balance(rt, accounts.PAYOUTS_PENDING) == 0
    assert balance(rt, accounts.GATEWAY) == sum(amounts)


@pytest.mark.postgres_only
def test_concurrent_dispatchers_racing_on_expired_leases_never_pay_twice(rt: Runtime, clock: ManualClock) -> None:
    """Every dispatcher believes every lease has expired (their clocks are far ahead): they do call
    the gateway for the same rows, with the same keys — and still each row is paid and settled once."""
    amounts = [2_000 + n for n in range(25)]
    payouts(rt, amounts)
    recording = Recording(sandbox(rt))
    start = threading.Barrier(3)
    errors: list[BaseException] = []

    def dispatcher(owner: str, ahead: int) -> None:
        mine = ManualClock(clock.now())
        try:
            start.wait(timeout=10)
            for step in range(10):
                mine.set(clock.now() + (LEASE + SECOND) * (ahead * 10 + step + 1))
                dispatch_due(Wiring(rt.factory, mine, rt.policies, rt.reactions), recording, owner=owner, batch=5)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=dispatcher, args=(f"d{n}", n)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert {r.status for r in outbox(rt)} == {"sent"}
    assert len(gateway_rows(rt)) == len(amounts)
    assert settlements(rt) == len(amounts)
    assert balance(rt, accounts.PAYOUTS_PENDING) == 0
    references = {r.idempotency_key: r.reference for r in gateway_rows(rt)}
    assert all(r.gateway_ref == references[r.idempotency_key] for r in outbox(rt))
