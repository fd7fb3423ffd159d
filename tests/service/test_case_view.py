"""The case as presented (`reads.case_view`, bare driver reads) equals the case as the ORM loads it.

`reads.case_view` reads a case's lines, timeline, armed deadlines and money with six fixed statements
(issue 15). Here the engine's random walk (tests/service/test_ledger_invariants.py: every case type
and reason, refusals, deadlines firing, payouts failing and retried, compensations, recoveries) runs,
and every few steps every case is presented both ways — by `case_view` and by loading the same
rows through the ORM relationships, as `case_view` did before — and the two must agree field by
field, including inside a unit of work that has just changed the case and not committed.
"""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import select

from peifu.adapters.runtime import Runtime
from peifu.db.models import Case, Compensation, Deadline, LedgerTransaction, OutboxMessage
from peifu.domain import ledger as accounts
from peifu.domain.actors import Actor
from peifu.domain.errors import DomainError
from peifu.domain.vocabulary import CaseAction, DeadlineStatus, Role
from peifu.services import cases as case_service
from peifu.services import reads
from peifu.services.context import Ctx
from tests.service.test_ledger_invariants import World


def _through_the_orm(ctx: Ctx, case: Case) -> dict[str, Any]:
    """The case's lines, timeline, deadlines and money loaded through the ORM's relationships."""
    session = ctx.session
    txns = list(
        session.scalars(
            select(LedgerTransaction)
            .where(LedgerTransaction.case_id == case.id, LedgerTransaction.sealed.is_(True))
            .order_by(LedgerTransaction.id)
        )
    )
    compensations = list(
        session.scalars(select(Compensation).where(Compensation.case_id == case.id).order_by(Compensation.id))
    )
    payouts = list(
        session.scalars(select(OutboxMessage).where(OutboxMessage.case_id == case.id).order_by(OutboxMessage.id))
    )
    deadlines = list(
        session.scalars(
            select(Deadline)
            .where(Deadline.case_id == case.id, Deadline.status == DeadlineStatus.pending)
            .order_by(Deadline.due_at, Deadline.id)
        )
    )
    return {
        "lines": [(cl.order_line.line_no, cl.order_line.title, cl.amount_fen) for cl in case.lines],
        "timeline": [
            (
                e.seq,
                e.at,
                f"{e.actor_role}:{e.actor_id}" if e.actor_id else e.actor_role,
                e.action,
                e.from_state or None,
                e.to_state,
                e.data,
            )
            for e in case.events
        ],
        "deadlines": [(d.kind, d.due_at, d.status) for d in deadlines],
        "refunded_fen": sum(
            e.amount_fen
            for t in txns
            if t.kind in reads.REFUND_KINDS
            for e in t.entries
            if e.account == accounts.PAYOUTS_PENDING
        ),
        "compensation_fen": sum(c.amount_fen for c in compensations),
        "compensations": [
            (c.rule, c.amount_fen, c.payout_method, c.payer, c.policy_version, c.basis, c.recovery_txn_id is not None)
            for c in compensations
        ],
        "payouts": [(p.amount_fen, p.method, p.status, p.attempts, p.gateway_ref, p.sent_at) for p in payouts],
        "transactions": [
            (t.id, t.kind, t.memo, t.created_at, t.policy_version, [(e.account, e.amount_fen) for e in t.entries])
            for t in txns
        ],
    }


def _presented(view: reads.CaseView) -> dict[str, Any]:
    money = view.money
    return {
        "lines": [(line.line_no, line.title, line.refund_amount_fen) for line in view.lines],
        "timeline": [(e.seq, e.at, e.actor, e.action, e.from_state, e.to_state, e.data) for e in view.timeline],
        "deadlines": [(str(d.kind), d.due_at, d.status) for d in view.deadlines],
        "refunded_fen": money.refunded_fen,
        "compensation_fen": money.compensation_fen,
        "compensations": [
            (c.rule, c.amount_fen, c.payout_method, c.payer, c.policy_version, c.basis, c.recovered_from_seller)
            for c in money.compensations
        ],
        "payouts": [(p.amount_fen, p.method, p.status, p.attempts, p.gateway_ref, p.sent_at) for p in money.payouts],
        "transactions": [
            (t.id, t.kind, t.memo, t.created_at, t.policy_version, [(leg.account, leg.amount_fen) for leg in t.legs])
            for t in money.transactions
        ],
    }


def _compare_every_case(rt: Runtime, seen: dict[str, int]) -> None:
    with rt.uow() as ctx:
        for case in ctx.session.scalars(select(Case).order_by(Case.id)):
            policy = ctx.policies.get(ctx.session, case.policy_version)
            view = reads.case_view(ctx.session, case, policy, ctx.now())
            expected = _through_the_orm(ctx, case)
            assert _presented(view) == expected, f"case {case.id} ({case.state})"
            seen["cases"] += 1
            seen["with deadlines"] += bool(expected["deadlines"])
            seen["with payouts"] += bool(expected["payouts"])
            seen["with compensations"] += bool(expected["compensations"])
            seen["with several transactions"] += len(expected["transactions"]) > 1


def test_a_case_is_presented_as_the_orm_loads_it_all_along_a_random_walk(rt: Runtime) -> None:
    world = World(rt, random.Random(41))
    for _ in range(3):
        world.new_order()
    world.fund()
    seen: dict[str, int] = dict.fromkeys(
        ("cases", "with deadlines", "with payouts", "with compensations", "with several transactions"), 0
    )
    for n in range(160):
        world.step()
        if n % 20 == 19:
            _compare_every_case(rt, seen)
    world.drain()
    _compare_every_case(rt, seen)
    # the walk must have shown cases of every shape the view presents
    assert all(count >= 3 for count in seen.values()), seen


def test_the_view_sees_what_the_unit_of_work_changed_and_has_not_committed(rt: Runtime) -> None:
    world = World(rt, random.Random(5))
    world.fund()
    seen: dict[str, int] = {}
    for _ in range(40):
        world.new_order()
        world.open_case()
        with rt.uow() as ctx:
            case = ctx.session.scalars(select(Case).order_by(Case.id.desc())).first()
            if case is None or case.state != "requested":
                continue
            seller = Actor(Role.seller, case.shop_id)
            try:
                moved = case_service.act(ctx, case.id, CaseAction.agree, seller)
            except DomainError:  # a refusal by the rules: nothing to compare
                continue
            # inside the same unit of work, before commit: the move is seen both ways
            policy = ctx.policies.get(ctx.session, moved.policy_version)
            view = reads.case_view(ctx.session, moved, policy, ctx.now())
            assert _presented(view) == _through_the_orm(ctx, moved)
            assert str(CaseAction.agree) in [e.action for e in view.timeline]
            seen[moved.state] = seen.get(moved.state, 0) + 1
    assert sum(seen.values()) >= 5, seen
