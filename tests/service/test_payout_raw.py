"""The worker's raw paths write what the ORM paths write (issue 15): the payouts' re-read and
mark-sent (services.payouts), the queue claims (db.locking), the look for due reminders
(services.deadlines), the feed's sequencing and the relay's looks for webhook endpoints
(services.feed, services.webhooks) — each behind its module's `RAW`.

The same scenario runs twice, each on a database of its own with the same manual clock: once with
every `RAW = False` (the session's objects and Core statements, as before), once as the worker
runs it (bare driver statements). It queues payouts of refunded cases (a shop for the event), one
of a seller's silence fired by the deadline worker (reminded of first), and payouts without a case; dispatches them
through a deterministic gateway that refuses some of them first (a failure recorded, retried after
its backoff); lets a second dispatcher whose clock is past the first one's lease pay a row while
the first is at the gateway (the first's mark-sent then finds it sent and writes nothing); and
relays between the steps to a webhook endpoint whose receiver fails first, then answers. Then
every row of every table is compared — ids, ledger, payouts, events and their feed positions,
webhook deliveries and attempts, audit links (whose HMACs cover the records) — and both audit
chains verify.
"""

from __future__ import annotations

import os
import random
import tempfile
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from peifu.adapters import gateway as gateway_module
from peifu.adapters.gateway import SandboxGateway
from peifu.adapters.relay import Relay
from peifu.adapters.runtime import Runtime
from peifu.db import locking, raw
from peifu.db.models import GatewayPayoutRow, WebhookEndpoint
from peifu.domain.clock import ManualClock
from peifu.domain.vocabulary import CaseAction, CaseType, Reason, Role
from peifu.services import audit, deadlines, feed, payouts, webhooks
from peifu.services.context import Wiring
from peifu.services.payouts import LEASE, GatewayError, dispatch_due
from peifu.settings import Settings
from tests.conftest import START, _postgres_database
from tests.service.test_hot_path_rows import _act, _first_difference, _open, _order, dump
from tests.service.test_payout_outbox import payouts as queue_payouts

SECOND = timedelta(seconds=1)


class Deterministic:
    """Pays with a reference made from the key (the same either way); refuses each amount in
    `refuse` the first time it is asked; runs `before` (once) before answering `slow_amount`."""

    def __init__(self, refuse: set[int], slow_amount: int | None = None, before: Callable[[], None] | None = None):
        self.refuse = set(refuse)
        self.slow_amount, self.before = slow_amount, before
        self.calls: list[str] = []

    def pay(self, idempotency_key: str, payee: str, amount_fen: int, memo: str) -> str:
        self.calls.append(idempotency_key)
        if amount_fen == self.slow_amount and self.before is not None:
            before, self.before = self.before, None
            before()
        if amount_fen in self.refuse:
            self.refuse.discard(amount_fen)
            raise GatewayError(f"account {payee} frozen")
        return f"ref-{idempotency_key}"


class Receiver:
    """A webhook receiver that fails its first `failures` requests, then answers 200."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.seen: list[tuple[int, str]] = []

    def send_all(self, requests: Any) -> list[webhooks.Sent]:
        out = []
        for request in requests:
            self.seen.append((request.delivery_id, request.event_type))
            failing = self.failures > 0
            self.failures -= 1
            out.append(webhooks.Sent(500 if failing else 200, 7, "HTTP 500" if failing else None))
        return out


def scenario(rt: Runtime, clock: ManualClock) -> list[str]:
    with rt.uow() as ctx:  # an endpoint for every event (its id and secret fixed: not random here)
        now = ctx.now()
        ctx.session.add(
            WebhookEndpoint(
                id="we_twin",
                url="https://hooks.example.com/peifu",
                event_types=None,
                status="active",
                secret="whsec_twin_twin_twin_twin",
                created_by="test",
                created_at=now,
                updated_at=now,
            )
        )
    relay = Relay(rt, owner="relay-twin", sender=Receiver(failures=3))
    # payouts of refunded cases (their events carry the case's shop), one of a seller's silence
    # fired by the deadline worker, and payouts without a case
    _order(rt, "PR-0", lines=1)
    _open(rt, "PR-0", CaseType.refund_only, Reason.no_longer_wanted, {1: None})
    for n in (1, 2, 3):
        _order(rt, f"PR-{n}", lines=1)
        case_id = _open(rt, f"PR-{n}", CaseType.refund_only, Reason.no_longer_wanted, {1: None})
        clock.advance(timedelta(minutes=n))
        _act(rt, case_id, CaseAction.agree, Role.seller)
    relay.run_once()
    reminded = 0
    for _ in range(12):  # up to the seller's deadline, reminded of it on the way
        clock.advance(timedelta(hours=6))
        reminded += deadlines.send_reminders(rt)
    assert reminded >= 1
    clock.advance(timedelta(hours=1))
    assert deadlines.run_due(rt, owner="w1", batch=10).fired >= 1
    assert deadlines.run_due(rt, owner="w1", batch=10).fired == 0
    queue_payouts(rt, [1_100, 2_200, 3_300, 4_400])
    clock.advance(SECOND)
    relay.run_once()
    calls: list[str] = []

    # a first dispatch: two refused (recorded, backoff), the rest sent; none again before the backoff
    first = Deterministic(refuse={2_200, 3_300})
    report = dispatch_due(rt, first, owner="w1", batch=10)
    assert (report.sent, report.failed) == (6, 2)
    relay.run_once()
    clock.advance(timedelta(seconds=5))
    assert dispatch_due(rt, first, owner="w1", batch=10).sent == 0
    calls += first.calls

    # after the backoff: w1 is so slow at the gateway with 3,300 that its lease runs out, and w2
    # (whose clock is past it) pays it first; w1's answer then finds it sent
    clock.advance(timedelta(seconds=6))
    later = ManualClock(clock.now() + LEASE + SECOND)
    second = Deterministic(refuse=set())

    def meanwhile_w2_runs() -> None:
        assert dispatch_due(Wiring(rt.factory, later, rt.policies, rt.reactions), second, owner="w2").sent == 1

    slow = Deterministic(refuse=set(), slow_amount=3_300, before=meanwhile_w2_runs)
    report = dispatch_due(rt, slow, owner="w1", batch=10)
    assert (report.sent, report.failed) == (1, 0)  # 2,200; 3,300 was w2's
    calls += slow.calls + second.calls
    clock.advance(timedelta(hours=1))
    assert dispatch_due(rt, slow, owner="w1").sent == 0  # nothing left
    for _ in range(3):  # the receiver's retries come due
        relay.run_once()
        clock.advance(timedelta(hours=1))
    assert isinstance(relay.sender, Receiver)
    return calls + [f"{delivery}:{event_type}" for delivery, event_type in relay.sender.seen]


@pytest.fixture
def twins(database_url: str) -> Iterator[tuple[Runtime, Runtime]]:
    """Two databases of their own, as migrated, each with its own manual clock at START."""
    if database_url.startswith("postgres"):
        server = os.environ["PEIFU_TEST_DATABASE_URL"]
        for a_url in _postgres_database(server):
            for b_url in _postgres_database(server):
                made = [
                    Runtime(Settings(database_url=u, sandbox=False), clock=ManualClock(START)) for u in (a_url, b_url)
                ]
                yield made[0], made[1]
                for rt in made:
                    rt.close()
    else:
        with tempfile.TemporaryDirectory() as tmp:
            made = [
                Runtime(Settings(database_url=f"sqlite:///{tmp}/{name}.db", sandbox=False), clock=ManualClock(START))
                for name in ("orm", "raw")
            ]
            yield made[0], made[1]
            for rt in made:
                rt.close()


def test_the_raw_payout_path_writes_what_the_orm_path_writes(
    twins: tuple[Runtime, Runtime], monkeypatch: pytest.MonkeyPatch
) -> None:
    orm_rt, raw_rt = twins
    dumps: list[dict[str, Any]] = []
    calls: list[list[str]] = []
    for rt, use_raw in ((orm_rt, False), (raw_rt, True)):
        for module in (payouts, locking, feed, webhooks, deadlines):
            monkeypatch.setattr(module, "RAW", use_raw)
        assert isinstance(rt.clock, ManualClock)
        random.seed(15)  # the webhook retries' jitter: the same either way
        calls.append(scenario(rt, rt.clock))
        dumps.append(dump(rt))
        with rt.uow() as ctx:
            assert audit.verify(ctx.session) is None
    assert calls[0] == calls[1]  # the same gateway calls, in the same order
    orm, raw = dumps
    assert _first_difference(raw, orm) is None, _first_difference(raw, orm)
    assert raw == orm
    sent = [row for row in raw["outbox"] if row["status"] == "sent"]
    assert len(sent) == len(raw["outbox"]) == 8 and all(row["settlement_txn_id"] for row in sent)
    assert sum(row["type"] == "payout.sent" for row in raw["events"]) == 8
    assert all(row["position"] is not None for row in raw["events"])  # every event relayed
    assert {row["status"] for row in raw["webhook_deliveries"]} == {"delivered"}
    assert len(raw["webhook_deliveries"]) == len(raw["events"]) and raw["webhook_attempts"]
    assert sum(row["type"] == "payout.failed" for row in raw["events"]) == 2
    assert {row["kind"] for row in raw["audit_links"]} >= {"outbox", "ledger"}


def test_the_sandbox_gateway_answers_a_key_a_concurrent_call_paid_first_with_that_payout(
    rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its look-up misses (the other call's insert had not committed yet), its insert then meets
    the key: the answer is the payout already made, and the book keeps one row for the key."""
    gateway = SandboxGateway(rt.factory, rt.clock)
    first = gateway.pay("key-race", "buyer-1", 500, "x")
    real_run = raw.Link.run
    missed: list[bool] = []

    def run(link: raw.Link, stmt: raw.Raw, params: Any = None) -> list[tuple[Any, ...]]:
        if stmt is gateway_module._FIND and not missed:
            missed.append(True)
            return []
        return real_run(link, stmt, params)

    monkeypatch.setattr(raw.Link, "run", run)
    assert gateway.pay("key-race", "buyer-1", 500, "x") == first
    assert missed == [True]
    with rt.uow() as ctx:
        rows = ctx.session.scalars(select(GatewayPayoutRow)).all()
    assert [(r.idempotency_key, r.reference) for r in rows if r.idempotency_key == "key-race"] == [("key-race", first)]
