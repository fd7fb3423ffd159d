"""Several deadline workers, as separate OS processes, against one PostgreSQL database.

Every process here runs in sandbox mode, so its clock is the wall clock plus the offset stored in
`sandbox_clock`: moving that offset forward 72 hours makes the seller_response deadlines of
thousands of freshly opened refund requests due for every process at once.

Orders have several lines with one refund request each, so deadlines of the same order end up in
different workers' batches and the workers contend for the same order rows.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from peifu.adapters.runtime import Runtime
from peifu.adapters.worker import Worker
from peifu.db.engine import unit_of_work
from peifu.db.locking import claim_due_deadlines
from peifu.db.models import Case, CaseEvent, Deadline, GatewayPayoutRow, Order, OrderLine, OutboxMessage
from peifu.domain.actors import Actor
from peifu.domain.clock import ManualClock
from peifu.domain.vocabulary import CaseType, OrderEventKind, Reason, Role
from peifu.services import cases, deadlines, orders
from peifu.services.deadlines import LEASE, fire_one
from peifu.services.inputs import CaseIn, CaseLineIn, OrderEventIn, OrderIn
from peifu.settings import Settings
from tests.worker_support import advance, open_refunds

pytestmark = pytest.mark.postgres_only

N_WORKERS = 4
LINES_PER_ORDER = 4
# 4 processes x 125 orders x 4 lines = 2,000 cases and deadlines; fewer on a slow machine via the env
ORDERS_PER_PROCESS = int(os.environ.get("PEIFU_TEST_WORKER_CASES", "2000")) // (N_WORKERS * LINES_PER_ORDER)
N_CASES = N_WORKERS * ORDERS_PER_PROCESS * LINES_PER_ORDER
CHILD_TIMEOUT = 900  # seconds a child process may take; far more than it needs on an idle machine
PRICE = 12_345
SELLER_RESPONSE = timedelta(hours=72)


# --- child processes ------------------------------------------------------------------------------
# Started with the 'spawn' method: each is a fresh interpreter with its own engine and sandbox clock.


def _creator(database_url: str, barrier: Any, prefix: str, orders_count: int) -> int:
    rt = Runtime(Settings(database_url=database_url, sandbox=True), migrate=False)
    try:
        barrier.wait(timeout=CHILD_TIMEOUT)
        return open_refunds(rt, orders_count, prefix=prefix, price=PRICE, lines=LINES_PER_ORDER)
    finally:
        rt.close()


def _worker(database_url: str, barrier: Any, batch: int) -> tuple[str, int, int, int]:
    rt = Runtime(Settings(database_url=database_url, sandbox=True), migrate=False)
    try:
        worker = Worker(rt, batch=batch)
        barrier.wait(timeout=CHILD_TIMEOUT)  # all start claiming at the same moment
        report = worker.run_once()
        return worker.owner, report.fired, report.skipped, report.failed
    finally:
        rt.close()


def _child(target: Callable[..., Any], database_url: str, barrier: Any, results: Any, *args: Any) -> None:
    try:
        results.put((target(database_url, barrier, *args), None))
    except BaseException as exc:
        barrier.abort()
        results.put((None, f"{type(exc).__name__}: {exc}"))
        raise


def _in_processes(target: Callable[..., Any], database_url: str, arglists: list[tuple[Any, ...]]) -> list[Any]:
    """Run `target(database_url, barrier, *args)` in one spawned OS process per args; return the results."""
    spawn = mp.get_context("spawn")
    barrier = spawn.Barrier(len(arglists))
    results = spawn.Queue()
    procs = [
        spawn.Process(target=_child, args=(target, database_url, barrier, results, *args), name=f"peifu-test-{i}")
        for i, args in enumerate(arglists)
    ]
    for proc in procs:
        proc.start()
    answers = []
    try:
        for _ in procs:
            answer, error = results.get(timeout=CHILD_TIMEOUT)
            assert error is None, error
            answers.append(answer)
    finally:
        for proc in procs:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.kill()
                proc.join()
    assert [proc.exitcode for proc in procs] == [0] * len(procs)
    return answers


def _run_workers(database_url: str, count: int, batch: int) -> list[tuple[str, int, int, int]]:
    """`count` worker processes side by side until nothing is due: (owner, fired, skipped, failed) each."""
    return _in_processes(_worker, database_url, [(batch,)] * count)


def _timeline_counts(srt: Runtime) -> dict[tuple[str, str], int]:
    """(actor_role, action) → number of timeline events, over every case."""
    with unit_of_work(srt.factory) as session:
        rows = session.execute(
            select(CaseEvent.actor_role, CaseEvent.action, func.count()).group_by(
                CaseEvent.actor_role, CaseEvent.action
            )
        )
        return {(role, action): int(n) for role, action, n in rows}


# --- tests ----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_four_worker_processes_fire_two_thousand_deadlines_exactly_once(sandbox_rt: Runtime, database_url: str) -> None:
    started = time.monotonic()
    prefixes = [(f"P{i}", ORDERS_PER_PROCESS) for i in range(N_WORKERS)]
    assert sum(_in_processes(_creator, database_url, prefixes)) == N_CASES
    created = time.monotonic()
    with unit_of_work(sandbox_rt.factory) as session:
        assert session.scalar(select(func.count()).select_from(Deadline)) == N_CASES
        assert session.scalar(select(func.count()).select_from(Deadline).where(Deadline.status == "pending")) == N_CASES

    advance(sandbox_rt, SELLER_RESPONSE + timedelta(minutes=1))
    reports = _run_workers(database_url, N_WORKERS, batch=50)
    fired_at = time.monotonic()

    # What the workers said: every deadline fired by exactly one of them, nothing failed.
    assert sum(fired for _, fired, _, _ in reports) == N_CASES, reports
    assert sum(failed for _, _, _, failed in reports) == 0, reports
    assert len({owner for owner, *_ in reports}) == N_WORKERS

    with unit_of_work(sandbox_rt.factory) as session:
        statuses = dict(session.execute(select(Deadline.status, func.count()).group_by(Deadline.status)).all())
        assert statuses == {"fired": N_CASES}
        assert session.scalar(select(func.count()).select_from(Deadline).where(Deadline.attempts > 0)) == 0
        assert session.scalar(select(func.count()).select_from(Deadline).where(Deadline.lease_until.isnot(None))) == 0
        # The work was shared, and the rows agree with what each worker reported.
        by_owner = dict(
            session.execute(select(Deadline.lease_owner, func.count()).group_by(Deadline.lease_owner)).all()
        )
        assert len(by_owner) > 1, by_owner
        assert by_owner == {owner: fired for owner, fired, _, _ in reports if fired}

        states = dict(session.execute(select(Case.state, func.count()).group_by(Case.state)).all())
        assert states == {"refunded": N_CASES}
        # Never refunded twice: each line got back exactly what was paid, once.
        refunded = session.execute(
            select(func.count(), func.sum(OrderLine.refunded_fen), func.min(OrderLine.refunded_fen))
        ).one()
        assert tuple(refunded) == (N_CASES, N_CASES * PRICE, PRICE)
        assert set(session.scalars(select(Order.state))) == {"closed"}
        # And paid out once: one payout per case reached the (sandbox) payment gateway.
        payouts = session.execute(
            select(
                func.count(), func.count(func.distinct(OutboxMessage.case_id)), func.sum(OutboxMessage.amount_fen)
            ).where(OutboxMessage.status == "sent")
        ).one()
        assert tuple(payouts) == (N_CASES, N_CASES, N_CASES * PRICE)
        assert (
            session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status != "sent")) == 0
        )
        gateway = session.execute(select(func.count(), func.sum(GatewayPayoutRow.amount_fen))).one()
        assert tuple(gateway) == (N_CASES, N_CASES * PRICE)
        # Per case exactly one agree + execute_refund pair, both by the system.
        odd = session.execute(
            select(CaseEvent.case_id)
            .where(CaseEvent.actor_role == "system")
            .group_by(CaseEvent.case_id)
            .having((func.count() != 2) | (func.count(func.distinct(CaseEvent.action)) != 2))
        ).all()
        assert odd == []
    assert _timeline_counts(sandbox_rt) == {
        ("buyer", "open"): N_CASES,
        ("system", "agree"): N_CASES,
        ("system", "execute_refund"): N_CASES,
    }
    print(  # visible with -s
        f"\ncreate {created - started:.1f}s, fire {fired_at - created:.1f}s, "
        f"fired per worker {sorted(fired for _, fired, _, _ in reports)}"
    )


def test_an_expired_lease_lets_another_worker_fire_the_deadline_exactly_once(
    sandbox_rt: Runtime, database_url: str
) -> None:
    count = open_refunds(sandbox_rt, 5, prefix="L", price=PRICE, lines=LINES_PER_ORDER)
    advance(sandbox_rt, SELLER_RESPONSE + timedelta(minutes=1))

    # A worker claims everything that is due, then dies before firing any of it.
    with sandbox_rt.uow() as ctx:
        claimed = claim_due_deadlines(ctx.session, ctx.now(), "dead", 1000, LEASE)
    assert len(claimed) == count == 20

    # While the lease holds, nobody else touches those deadlines.
    reports = _run_workers(database_url, 2, batch=5)
    assert [report[1:] for report in reports] == [(0, 0, 0), (0, 0, 0)]
    with unit_of_work(sandbox_rt.factory) as session:
        assert set(session.execute(select(Deadline.status, Deadline.lease_owner))) == {("pending", "dead")}

    # Once the lease has passed, live workers take the deadlines over and fire each once.
    advance(sandbox_rt, LEASE + timedelta(seconds=1))
    reports = _run_workers(database_url, 2, batch=5)
    assert sum(fired for _, fired, _, _ in reports) == count, reports
    assert sum(failed for _, _, _, failed in reports) == 0, reports
    live_owners = {owner for owner, *_ in reports}

    # The dead worker comes back and fires what it had claimed: nothing happens.
    with sandbox_rt.uow() as ctx:
        assert [fire_one(ctx, deadline_id, "dead") for deadline_id in claimed] == [None] * count

    with unit_of_work(sandbox_rt.factory) as session:
        rows = set(session.execute(select(Deadline.status, Deadline.lease_owner)).tuples())
        assert {status for status, _ in rows} == {"fired"}
        assert {owner for _, owner in rows} <= live_owners
        assert set(session.scalars(select(Case.state))) == {"refunded"}
        assert session.scalar(select(func.sum(OrderLine.refunded_fen))) == count * PRICE
    assert _timeline_counts(sandbox_rt) == {
        ("buyer", "open"): count,
        ("system", "agree"): count,
        ("system", "execute_refund"): count,
    }


@pytest.mark.parametrize(
    "due_order",
    [
        pytest.param([("X1", 1), ("X2", 1), ("X2", 2), ("X1", 2)], id="crossed"),
        pytest.param([("X1", 1), ("X2", 1), ("X2", 2)], id="tail"),
    ],
)
def test_workers_whose_batches_share_orders_do_not_deadlock(
    rt: Runtime, monkeypatch: pytest.MonkeyPatch, due_order: list[tuple[str, int]]
) -> None:
    """Worker A claims the first two due deadlines, worker B the rest; their batches share orders.

    A barrier after each worker's first deadline makes both hold their first order at once. If a
    worker kept the locks of one deadline while firing the next (one transaction per batch), A
    would go on to wait for B's order while B waits for A's order — or for the audit chain lock
    A took with its first deadline — and the database would kill one of them as a deadlock.
    """
    clock = rt.clock
    assert isinstance(clock, ManualClock)
    line = {"title": "坚果", "category": "food", "unit_price_fen": PRICE, "quantity": 1}
    with rt.uow() as ctx:
        for order_id in ("X1", "X2"):
            body = {"id": order_id, "shop": {"id": "shop-x", "name": "店"}, "buyer": {"id": "buyer-x"}}
            lines = [{"sku": "A", **line}, {"sku": "B", **line}]
            orders.ingest_order(ctx, OrderIn.model_validate({**body, "lines": lines}))
            orders.record_event(ctx, order_id, OrderEventIn(kind=OrderEventKind.paid))
    for order_id, line_no in due_order:
        clock.advance(timedelta(seconds=1))
        with rt.uow() as ctx:
            body = CaseIn(
                order_id=order_id,
                lines=[CaseLineIn(line_no=line_no)],
                case_type=CaseType.refund_only,
                reason=Reason.ordered_by_mistake,
            )
            cases.open_case(ctx, body, Actor(Role.buyer, "buyer-x"))
    clock.advance(SELLER_RESPONSE + timedelta(minutes=1))

    barrier = threading.Barrier(2, timeout=3)
    a_claimed = threading.Event()
    first = threading.local()
    real_claim, real_fire_one = deadlines.claim_due_deadlines, deadlines.fire_one

    def claim_then_signal(session: Any, now: Any, owner: str, limit: int, lease: timedelta) -> list[int]:
        ids = real_claim(session, now, owner, limit, lease)
        if owner == "A":
            a_claimed.set()
        return ids

    def paced_fire_one(ctx: Any, deadline_id: int, owner: str) -> str | None:
        outcome = real_fire_one(ctx, deadline_id, owner)
        if not getattr(first, "done", False):
            first.done = True
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()  # both workers have fired their first deadline (a blocked one times this out)
        return outcome

    monkeypatch.setattr(deadlines, "claim_due_deadlines", claim_then_signal)
    monkeypatch.setattr(deadlines, "fire_one", paced_fire_one)
    reports: dict[str, deadlines.FireReport] = {}

    def work(owner: str) -> None:
        reports[owner] = deadlines.run_due(rt, owner=owner, batch=2)

    worker_a = threading.Thread(target=work, args=("A",))
    worker_b = threading.Thread(target=work, args=("B",))
    worker_a.start()
    assert a_claimed.wait(timeout=30)
    worker_b.start()
    worker_a.join(timeout=60)
    worker_b.join(timeout=60)
    count = len(due_order)
    assert {owner: (r.fired, r.failed) for owner, r in reports.items()} == {"A": (2, 0), "B": (count - 2, 0)}
    with unit_of_work(rt.factory) as session:
        assert set(session.execute(select(Deadline.status, Deadline.attempts)).tuples()) == {("fired", 0)}
        assert set(session.scalars(select(Case.state))) == {"refunded"}
