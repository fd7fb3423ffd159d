"""Agreeing to many simple refund requests at once, with one statement per table.

Why it exists: the marketplace's hottest moves are "the seller let the response deadline pass"
(the deadline worker) and "the seller agrees to a promotion's worth of fast refunds" (bulk agree),
nearly always on refund_only requests. Through `cases.act` each is a unit of work of some thirty
ORM statements; 100,000 due deadlines took twenty minutes. Here a batch of such requests is read
in a handful of queries, each request is decided by the same rules as `cases.act` (the state
machine's `decide`, `money.refund_breakdown`, the ledger's `posting`, `metrics.first_response`),
and the writes go out as one statement per table.

Only the simple shape is taken; everything else is handed back for `cases.act` to do (and to
refuse with its own message): a refund_only request waiting for the seller, never escalated, whose
reason can earn no compensation without a ruling (domain.compensation.may_earn_on_refund), whose
lines can take the refund, alone on its order in this batch, whose shop is filed for metrics, and
whose order the refund either closes or leaves without an auto-confirm timer to resume. For that
shape the rows written are the ones `cases.act` writes — tests/service/test_batch_refunds.py runs the
same requests both ways and compares every row.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import String, Table, bindparam, func, insert, literal, select, update
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from peifu.db import bulk, raw
from peifu.db.locking import lock_rows
from peifu.db.models import (
    Case,
    CaseEvent,
    CaseLine,
    Deadline,
    LedgerTransaction,
    MetricCase,
    MetricShop,
    Order,
    OrderEvent,
    OrderLine,
    OutboxMessage,
)
from peifu.domain import compensation as compensation_rules
from peifu.domain import ledger as accounts
from peifu.domain import metrics as metric_rules
from peifu.domain import payout_machine
from peifu.domain.actors import SYSTEM, Actor
from peifu.domain.case_machine import CaseFacts, Transition, decide
from peifu.domain.errors import DomainError
from peifu.domain.events import DomainEvent, EventType
from peifu.domain.ledger import Posting, posting, transfer
from peifu.domain.orders import closed_by_refunds
from peifu.domain.policy import Policy
from peifu.domain.vocabulary import (
    CaseAction,
    CaseState,
    CaseType,
    DeadlineKind,
    DeadlineStatus,
    OrderEventKind,
    OrderState,
    Reason,
)
from peifu.services import access, audit, events, ledger, money
from peifu.services.context import Ctx
from peifu.services.raw_rows import (
    CANCEL_CASE_TIMERS,
    CASE_EVENTS,
    CASE_LINES,
    CASES,
    DEADLINES,
    ENTRIES,
    INSERT_CASE_EVENT,
    INSERT_ENTRY,
    INSERT_EVENT,
    INSERT_TXN,
    METRIC_CASES,
    ORDER_LINES,
    ORDERS,
    SEAL,
    TXN_COLUMNS,
    TXNS,
    UPSERT_METRIC,
)
from peifu.services.timers import (
    ORDER_CLOSED,
    cancel_case_deadlines,
    cancel_order_deadlines,
    case_facts_given,
    fired_outcome,
    moved_to,
)

ORDER_EVENTS = bulk.table_of(OrderEvent)
OUTBOX = bulk.table_of(OutboxMessage)


@dataclass(frozen=True)
class Item:
    """One request to agree to: by `actor` (the seller's staff), or by the system when its
    seller_response deadline `deadline_id` (leased to `owner`) fell due."""

    case_id: int
    actor: Actor = SYSTEM
    deadline_id: int | None = None
    owner: str | None = None
    note: str = ""
    action: CaseAction = CaseAction.agree  # or the seller's confirm-return (services.raw_returns)


@dataclass
class BatchResult:
    done: dict[int, str] = field(default_factory=dict)  # case id → its state afterwards
    handed_back: list[Item] = field(default_factory=list)  # for cases.act
    skipped: list[Item] = field(default_factory=list)  # a deadline no longer ours, pending or due


@dataclass(frozen=True)
class _OrderShipping:
    """money.ShippingTerms of a locked order row."""

    free_shipping: bool
    shipping_insurance: bool
    refused_delivery_at: datetime | None
    refused_delivery_reason: str | None
    shipping_fee_fen: int
    shipping_refunded_fen: int
    shipped_at: datetime | None


@dataclass(frozen=True)
class _CaseTerms:
    """money.RefundTerms of a locked case row."""

    reason: str
    case_type: str
    return_shipping_fee_fen: int
    refund_amount_fen: int


@dataclass
class _Plan:
    """Everything one request's agreement writes, decided before anything is written."""

    item: Item
    case: Any
    order: Any
    rows: tuple[Transition, Transition]
    line_refunds: dict[int, int]  # order line id → new refunded_fen
    outbound_fen: int
    closes: bool
    postings: list[tuple[Posting, dict[str, Any]]]  # refund first; the settlement when the order closes
    payout_fen: int
    agree_data: dict[str, Any]
    refund_data: dict[str, Any]
    first_seq: int
    metric_row: dict[str, Any]  # the case's metric_cases row afterwards
    order_lines: list[Any]  # the order's lines (for the events' line numbers)
    case_lines: list[Any]


def agree_all(ctx: Ctx, items: Sequence[Item]) -> BatchResult:
    """Agree to the simple ones among `items` in this unit of work; hand the rest back.

    The caller holds the transaction: on PostgreSQL the orders, cases and deadlines are locked here
    in the global order (order → case → deadline, each by id) before anything is decided.
    """
    result = BatchResult()
    session, now = ctx.session, ctx.now()
    by_case: dict[int, Item] = {}
    for item in items:
        if item.case_id in by_case:
            result.handed_back.append(item)
        else:
            by_case[item.case_id] = item
    if not by_case:
        return result
    order_of = dict(session.execute(select(CASES.c.id, CASES.c.order_id).where(CASES.c.id.in_(by_case))).all())
    for case_id in [cid for cid in by_case if cid not in order_of]:
        result.handed_back.append(by_case.pop(case_id))  # cases.act answers case_not_found
    orders = _locked(session, ORDERS, ORDER_COLUMNS, set(order_of.values()))
    cases = _locked(session, CASES, CASE_COLUMNS, by_case)
    deadline_ids = [item.deadline_id for item in by_case.values() if item.deadline_id is not None]
    deadlines = _locked(session, DEADLINES, DEADLINE_COLUMNS, deadline_ids)

    taken: dict[int, Item] = {}
    per_order: dict[str, int] = {}
    for case_id, item in by_case.items():
        if item.deadline_id is not None:
            deadline = deadlines.get(item.deadline_id)
            if (
                deadline is None
                or deadline.status != DeadlineStatus.pending
                or deadline.lease_owner != item.owner
                or deadline.due_at > now
                or deadline.case_id != case_id
            ):
                result.skipped.append(item)
                continue
        case = cases[case_id]
        policy = ctx.policies.get(session, case.policy_version)
        if not _simple_shape(case, policy) or per_order.get(case.order_id):
            result.handed_back.append(item)
            continue
        per_order[case.order_id] = case_id
        taken[case_id] = item
    if not taken:
        return result

    facts = _Facts.load(session, [cases[cid] for cid in taken])
    plans: list[_Plan] = []
    for case_id, item in taken.items():
        plan = plan_refund(ctx, item, cases[case_id], orders[cases[case_id].order_id], facts, now)
        if plan is None:
            result.handed_back.append(item)
        else:
            plans.append(plan)
    if plans:
        _write(ctx, plans, now)
    for plan in plans:
        result.done[plan.case.id] = str(plan.rows[1].target)
    return result


# Only what the plans read (JSON columns such as orders.gifts would be decoded for nothing).
ORDER_COLUMNS = (
    "id shop_id buyer_id state paid_at shipped_at completed_at free_shipping shipping_insurance refused_delivery_at "
    "refused_delivery_reason shipping_fee_fen shipping_refunded_fen"
)
CASE_COLUMNS = (
    "id order_id shop_id buyer_id state case_type reason phase policy_version opened_at state_entered_at "
    "escalated_at return_shipped_at return_signed_at confirm_return_on_sign return_shipping_fee_fen abusive version "
    "return_courier return_tracking_no replacement_courier replacement_tracking_no replacement_shipped_at "
    "abusive_mark_id"
)
DEADLINE_COLUMNS = "id case_id status lease_owner due_at"


def _locked(session: Session, table: Table, columns: str, ids: Iterable[Any]) -> dict[Any, Any]:
    """These columns of the rows with these ids, locked in id order."""
    stmt = select(*(table.c[name] for name in columns.split())).where(table.c.id.in_(list(ids)))
    return {row.id: row for row in lock_rows(session, stmt.order_by(table.c.id))}


def _simple_shape(case: Any, policy: Policy) -> bool:
    return (
        case.state == CaseState.requested
        and case.case_type == CaseType.refund_only
        and case.escalated_at is None
        and not compensation_rules.may_earn_on_refund(Reason(case.reason), policy)
    )


@dataclass
class _Facts:
    """What the plans read besides the locked rows, loaded for the whole batch at once."""

    lines: dict[str, list[Any]]  # order id → its order lines
    case_lines: dict[int, list[Any]]  # case id → its case lines
    events: dict[int, list[tuple[str, str, datetime]]]  # case id → (role, action, at) in seq order
    escrow: dict[str, int]  # escrow account → sealed balance
    categories: dict[str, str]  # shop id → the category its metric rows are filed under
    abusive_orders: set[str]  # orders with a case marked abusive

    @classmethod
    def load(cls, session: Session, cases: list[Any]) -> _Facts:
        case_ids = [c.id for c in cases]
        order_ids = sorted({c.order_id for c in cases})
        lines: dict[str, list[Any]] = {}
        for row in session.execute(
            select(ORDER_LINES).where(ORDER_LINES.c.order_id.in_(order_ids)).order_by(ORDER_LINES.c.line_no)
        ):
            lines.setdefault(row.order_id, []).append(row)
        case_lines: dict[int, list[Any]] = {}
        for row in session.execute(
            select(CASE_LINES).where(CASE_LINES.c.case_id.in_(case_ids)).order_by(CASE_LINES.c.id)
        ):
            case_lines.setdefault(row.case_id, []).append(row)
        events: dict[int, list[tuple[str, str, datetime]]] = {}
        stmt = (
            select(CASE_EVENTS.c.case_id, CASE_EVENTS.c.actor_role, CASE_EVENTS.c.action, CASE_EVENTS.c.at)
            .where(CASE_EVENTS.c.case_id.in_(case_ids))
            .order_by(CASE_EVENTS.c.case_id, CASE_EVENTS.c.seq)
        )
        for case_id, role, action, at in session.execute(stmt):
            events.setdefault(case_id, []).append((role, action, at))
        escrow = ledger.balances(session, accounts=[accounts.escrow(order_id) for order_id in order_ids])
        shops = sorted({c.shop_id for c in cases})
        categories = dict(
            session.execute(select(MetricShop.shop_id, MetricShop.category).where(MetricShop.shop_id.in_(shops))).all()
        )
        abusive = set(
            session.scalars(
                select(CASES.c.order_id).where(CASES.c.order_id.in_(order_ids), CASES.c.abusive.is_(True)).distinct()
            )
        )
        return cls(lines, case_lines, events, escrow, categories, abusive)


def plan_refund(ctx: Ctx, item: Item, case: Any, order: Any, facts: _Facts, now: datetime) -> _Plan | None:
    """Decide one request's agreement exactly as `cases.act` would, or None to hand it back."""
    if case.shop_id not in facts.categories:
        return None  # metrics.file_shop decides the category first: the single door does that
    policy = ctx.policies.get(ctx.session, case.policy_version)
    state_facts = case_facts_given(case, appeal_pending=False)  # never escalated: no dispute, no appeal
    try:
        agree = decide(state_facts, item.action, item.actor.role, now, policy)
        if agree.then is not CaseAction.execute_refund:
            return None
        entered = now if agree.resets_deadline else case.state_entered_at
        after = CaseFacts(
            state=agree.target, case_type=state_facts.case_type, opened_at=case.opened_at, state_entered_at=entered
        )
        execute = decide(after, CaseAction.execute_refund, SYSTEM.role, now, policy)
    except DomainError:
        return None
    if not execute.target.is_final or execute.then is not None:
        return None

    order_lines = facts.lines.get(order.id, [])
    refunded = {line.id: line.refunded_fen for line in order_lines}
    before = dict(refunded)
    paid = {line.id: line.paid_fen for line in order_lines}
    case_lines = facts.case_lines.get(case.id, [])
    for cl in case_lines:
        if cl.order_line_id not in refunded or refunded[cl.order_line_id] + cl.amount_fen > paid[cl.order_line_id]:
            return None  # cases.act refuses it with refund_exceeds_paid
        refunded[cl.order_line_id] += cl.amount_fen
    closes = closed_by_refunds(case.phase, ((refunded[i], paid[i]) for i in refunded))
    if order.state == OrderState.shipped and case.phase == "in_trade" and not closes:
        return None  # the order's auto-confirm timer resumes: cases.act re-arms it

    terms = _CaseTerms(
        case.reason, case.case_type, case.return_shipping_fee_fen, sum(cl.amount_fen for cl in case_lines)
    )
    shipping = _OrderShipping(
        order.free_shipping,
        order.shipping_insurance,
        order.refused_delivery_at,
        order.refused_delivery_reason,
        order.shipping_fee_fen,
        order.shipping_refunded_fen,
        order.shipped_at,
    )
    breakdown = money.refund_breakdown(shipping, terms, closes_order=closes, rules=policy.shipping)
    from_order = breakdown.goods_fen + breakdown.outbound_shipping_fen
    if from_order <= 0 or breakdown.return_shipping_fen:
        return None
    escrow = accounts.escrow(order.id)
    held = facts.escrow.get(escrow, 0)
    source = money.source_for_refund(order.id, order.shop_id, held, from_order)
    memo = money.refund_memo(case.id, breakdown)
    refs = {
        "case_id": case.id,
        "order_id": order.id,
        "shop_id": order.shop_id,
        "buyer_id": order.buyer_id,
        "policy_version": case.policy_version,
    }
    postings = [(posting("refund", transfer(source, accounts.PAYOUTS_PENDING, from_order), memo), refs)]
    if closes:
        left = held - (from_order if source == escrow else 0)
        if left > 0:  # money.release_escrow: what the refund left in escrow goes to the seller
            settlement = posting(
                "settlement",
                transfer(escrow, accounts.seller_balance(order.shop_id), left),
                money.closing_memo(order.id),
            )
            postings.append(
                (
                    settlement,
                    {
                        "case_id": None,
                        "order_id": order.id,
                        "shop_id": order.shop_id,
                        "buyer_id": None,
                        "policy_version": None,
                    },
                )
            )

    agree_data: dict[str, Any] = {"note": item.note} if item.note else {}
    refund_data = {
        "refund_amount_fen": terms.refund_amount_fen,
        "outbound_shipping_fen": breakdown.outbound_shipping_fen,
        "return_shipping_fen": breakdown.return_shipping_fen,
        "shipping_basis": breakdown.shipping.basis,
        "ledger_txn": None,  # the refund transaction's id, known once written
        "compensations": [],
    }
    earlier = facts.events.get(case.id, [])
    timeline = [
        *earlier,
        (str(item.actor.role), str(item.action), now),
        (str(SYSTEM.role), str(CaseAction.execute_refund), now),
    ]
    metric_row = {
        "case_id": case.id,
        "order_id": case.order_id,
        "shop_id": case.shop_id,
        "category": facts.categories[case.shop_id] or "",
        **metric_rules.case_row(
            opened_at=case.opened_at,
            resolved_at=now,
            final=True,
            timeline=timeline,
            paid_at=order.paid_at,
            disputed=False,  # never escalated: no dispute
            dispute_lost=False,
            abusive=bool(case.abusive),
            sibling_abusive=order.id in facts.abusive_orders,
            post_trade=case.phase == metric_rules.POST_TRADE,
        ),
    }
    return _Plan(
        item=item,
        case=case,
        order=order,
        rows=(agree, execute),
        line_refunds={i: refunded[i] for i in refunded if refunded[i] != before[i]},
        outbound_fen=breakdown.outbound_shipping_fen,
        closes=closes,
        postings=postings,
        payout_fen=from_order,
        agree_data=agree_data,
        refund_data=refund_data,
        first_seq=len(earlier) + 1,
        metric_row=metric_row,
        order_lines=order_lines,
        case_lines=case_lines,
    )


def _write(ctx: Ctx, plans: list[_Plan], now: datetime) -> None:
    """The batch's writes, one statement per table, in the order `cases.act` makes them."""
    session = ctx.session
    bulk.update_rows(
        session, ORDER_LINES, "id", [{"id": i, "refunded_fen": v} for p in plans for i, v in p.line_refunds.items()]
    )
    txn_ids = _post(session, [pair for p in plans for pair in p.postings], now)
    refund_txn: dict[int, int] = {}
    cursor = 0
    for plan in plans:
        refund_txn[plan.case.id] = txn_ids[cursor]
        plan.refund_data["ledger_txn"] = txn_ids[cursor]
        cursor += len(plan.postings)
    outbox_ids = bulk.insert_rows(
        session, OUTBOX, [_payout_row(p, refund_txn[p.case.id], now) for p in plans], returning_ids=True
    )
    audit.touch(session, OutboxMessage, outbox_ids)
    bulk.update_rows(
        session,
        ORDERS,
        "id",
        [
            {"id": p.order.id, "shipping_refunded_fen": p.order.shipping_refunded_fen + p.outbound_fen}
            for p in plans
            if p.outbound_fen
        ],
    )
    closing = [p for p in plans if p.closes]
    if closing:
        ids = [p.order.id for p in closing]
        bulk.update_rows(
            session, ORDERS, "id", [{"id": i, "state": str(OrderState.closed), "closed_at": now} for i in ids]
        )
        cancel_order_deadlines(session, ids, DeadlineKind.auto_confirm_receipt, ORDER_CLOSED)
        bulk.insert_rows(session, ORDER_EVENTS, [_order_closed_row(p, now) for p in closing])
    timeline = _write_cases(session, plans, now)
    _write_metrics(session, plans)
    events.record_many(ctx, _domain_events(ctx, plans, timeline, now))
    fired = [p for p in plans if p.item.deadline_id is not None]
    bulk.update_rows(
        session,
        DEADLINES,
        "id",
        [
            {
                "id": p.item.deadline_id,
                "status": str(DeadlineStatus.fired),
                "fired_at": now,
                "outcome": fired_outcome(p.case.id, CaseAction.agree, p.rows[1].target)[:200],
                "lease_until": None,
            }
            for p in fired
        ],
    )


def _payout_row(plan: _Plan, refund_txn: int, now: datetime) -> dict[str, Any]:
    """The refund's payout, queued (an outbox row)."""
    return {
        "kind": "payout",
        "idempotency_key": f"peifu-payout-{refund_txn}",
        "txn_id": refund_txn,
        "case_id": plan.case.id,
        "buyer_id": plan.order.buyer_id,
        "amount_fen": plan.payout_fen,
        "method": "original_payment",
        "status": str(payout_machine.QUEUED),
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def _order_closed_row(plan: _Plan, now: datetime) -> dict[str, Any]:
    """The order's timeline entry when the refund closes it."""
    return {
        "order_id": plan.order.id,
        "kind": str(OrderEventKind.closed),
        "at": now,
        "recorded_at": now,
        "from_state": plan.order.state,
        "to_state": str(OrderState.closed),
        "data": {"actor": "system", "reason": "fully_refunded", "case_id": plan.case.id},
    }


def _case_after(plan: _Plan, now: datetime) -> dict[str, Any]:
    """The case's state, state_entered_at and resolved_at once agreed and refunded."""
    agree, execute = plan.rows
    resets = agree.resets_deadline or execute.resets_deadline
    return {
        "state": str(execute.target),
        "state_entered_at": now if resets else plan.case.state_entered_at,
        "resolved_at": now,
    }


def _write_cases(session: Session, plans: list[_Plan], now: datetime) -> list[dict[str, Any]]:
    """The cases' new state and their two timeline entries each (returned, agree then refund)."""
    by_target: dict[str, list[int]] = {}
    rows = []
    for plan in plans:
        after = _case_after(plan, now)
        by_target.setdefault(after["state"], []).append(plan.case.id)
        # the row is locked: no one else moved its version
        rows.append({"id": plan.case.id, **after, "proposal": None, "version": plan.case.version + 1})
    bulk.update_rows(session, CASES, "id", rows)
    audit.touch(session, Case, [row["id"] for row in rows])
    for target, ids in by_target.items():
        cancel_case_deadlines(session, ids, moved_to(target))  # as timers.rearm_case_deadline does
    events = [row for plan in plans for row in _timeline_rows(plan, now)]
    bulk.insert_rows(session, CASE_EVENTS, events)
    for row in events:
        audit.append_prepared(
            session, "case_event", f"{row['case_id']}:{row['seq']}", audit.case_event_record_of(row), now
        )
    return events


def _timeline_rows(plan: _Plan, now: datetime) -> list[dict[str, Any]]:
    """The case's two timeline entries: the agreement, then the refund."""
    agree, execute = plan.rows
    case = plan.case
    return [
        {
            "case_id": case.id,
            "seq": plan.first_seq,
            "at": now,
            "actor_role": str(plan.item.actor.role),
            "actor_id": plan.item.actor.id,
            "action": str(plan.item.action),
            "from_state": str(case.state),
            "to_state": str(agree.target),
            "data": plan.agree_data,
        },
        {
            "case_id": case.id,
            "seq": plan.first_seq + 1,
            "at": now,
            "actor_role": str(SYSTEM.role),
            "actor_id": SYSTEM.id,
            "action": str(CaseAction.execute_refund),
            "from_state": str(agree.target),
            "to_state": str(execute.target),
            "data": plan.refund_data,
        },
    ]


def _domain_events(ctx: Ctx, plans: list[_Plan], timeline: list[dict[str, Any]], now: datetime) -> list[DomainEvent]:
    """What `cases.act` records for the same moves, in its order: the agreement; the order's
    closing (recorded while the refund runs); the refund and the case's end."""
    made: list[DomainEvent] = []
    for plan, agree_entry, refund_entry in zip(plans, timeline[0::2], timeline[1::2], strict=True):
        agree, execute = plan.rows
        case, order = plan.case, plan.order
        policy = ctx.policies.get(ctx.session, case.policy_version)
        line_no = {line.id: line.line_no for line in plan.order_lines}
        lines = [(line_no[cl.order_line_id], cl.amount_fen) for cl in plan.case_lines]
        entered = now if agree.resets_deadline else case.state_entered_at
        agreed = SimpleNamespace(
            **{name: getattr(case, name) for name in CASE_COLUMNS.split()},
            proposal=None,
            resolved_at=None,
        )
        agreed.state, agreed.state_entered_at = str(agree.target), entered
        made += events.case_move_events(
            agreed, lines, events.case_deadline(agreed, policy), SimpleNamespace(**agree_entry)
        )
        if plan.closes:
            closed = SimpleNamespace(
                id=order.id,
                shop_id=order.shop_id,
                buyer_id=order.buyer_id,
                state=str(OrderState.closed),
                paid_at=order.paid_at,
                shipped_at=order.shipped_at,
                completed_at=order.completed_at,
                closed_at=now,
            )
            made.append(
                events.order_domain_event(
                    EventType.order_closed, closed, {"reason": "fully_refunded", "case_id": case.id}, now
                )
            )
        refunded = SimpleNamespace(**vars(agreed))
        refunded.state, refunded.resolved_at = str(execute.target), now
        if execute.resets_deadline:
            refunded.state_entered_at = now
        made += events.case_move_events(
            refunded, lines, events.case_deadline(refunded, policy), SimpleNamespace(**refund_entry)
        )
    return made


def _write_metrics(session: Session, plans: list[_Plan]) -> None:
    """metrics.on_case_changed: the rows the plans computed, updated where they exist."""
    ids = [p.case.id for p in plans]
    existing = set(session.scalars(select(METRIC_CASES.c.case_id).where(METRIC_CASES.c.case_id.in_(ids))))
    rows = [p.metric_row for p in plans]
    bulk.update_rows(session, METRIC_CASES, "case_id", [row for row in rows if row["case_id"] in existing])
    bulk.insert_rows(session, METRIC_CASES, [row for row in rows if row["case_id"] not in existing])


def _post(session: Session, postings: list[tuple[Posting, dict[str, Any]]], now: datetime) -> list[int]:
    """ledger.post for many postings: transactions, their entries, then the seal the database checks."""
    if not postings:
        return []
    txn_rows = [
        {"kind": entry.kind, "memo": entry.memo, "created_at": now, "sealed": False, **refs} for entry, refs in postings
    ]
    txn_ids = bulk.insert_rows(session, TXNS, txn_rows, returning_ids=True)
    entry_rows: list[dict[str, Any]] = [
        {"txn_id": txn_id, "account": leg.account, "amount_fen": leg.amount}
        for txn_id, (entry, _) in zip(txn_ids, postings, strict=True)
        for leg in entry.legs
    ]
    entry_ids = bulk.insert_rows(session, ENTRIES, entry_rows, returning_ids=True)
    session.execute(update(TXNS).where(TXNS.c.id.in_(txn_ids)).values(sealed=True))
    by_txn: dict[int, list[tuple[int, str, int]]] = {}
    for entry_id, row in zip(entry_ids, entry_rows, strict=True):
        by_txn.setdefault(row["txn_id"], []).append((entry_id, row["account"], row["amount_fen"]))
    for txn_id, row in zip(txn_ids, txn_rows, strict=True):
        entries = [(account, amount) for _, account, amount in sorted(by_txn[txn_id])]
        audit.append_prepared(
            session, "ledger", str(txn_id), audit.ledger_record_of({**row, "id": txn_id}, entries), now
        )
    return txn_ids


# --- one agreement through the single door, as bare driver calls (issue 15) -----------------------
#
# `cases.act` hands a seller's (or the system's) agreement here first: the same locks in the same
# order (order → case), the same access check, the same rules (`_simple_shape`, `plan_refund`), and
# the same rows written as above — but each statement is a `raw.Raw`, compiled once and run as one
# driver call on the session's connection, with no ORM objects and no unit of work. Anything not of
# the simple shape is handed back (None) and `cases.act` does it the ORM way.

LINE_COLUMNS = "id order_id line_no paid_fen refunded_fen"
_OrderRow = namedtuple("_OrderRow", ORDER_COLUMNS)  # type: ignore[misc]
# the raw paths' case row: every column, so that the Case handed back (cases._case_as_written) needs
# no read of its own when presented
READ_CASE_COLUMNS = CASE_COLUMNS + (
    " proposal resolved_at description refuse_reason abusive_marked_at abusive_marked_by abusive_note purged_at"
    " triage_reason triage_case_type triage_priority triage_confidence triage_signals triage_model"
)
_CaseRow = namedtuple("_CaseRow", READ_CASE_COLUMNS)  # type: ignore[misc]
_LineRow = namedtuple("_LineRow", LINE_COLUMNS)  # type: ignore[misc]
_CaseLineRow = namedtuple("_CaseLineRow", "id order_line_id amount_fen")


def _columns(table: Table, names: str) -> list[Any]:
    return [table.c[name] for name in names.split()]


def _lock_order_of_case(dialect: Dialect) -> Any:
    order_id = select(CASES.c.order_id).where(CASES.c.id == bindparam("case_id")).scalar_subquery()
    stmt = select(*_columns(ORDERS, ORDER_COLUMNS)).where(ORDERS.c.id == order_id)
    return stmt.with_for_update() if dialect.name == "postgresql" else stmt


def _lock_case_with_facts(dialect: Dialect) -> Any:
    """The case, locked, with its lines (outer join) and what the plan reads besides: its order's
    sealed escrow balance, the shop's filed category ('' when filed without one, NULL when not
    filed) and whether a case of the order is marked abusive. Run after the order's lock is held
    (so it reads what the order's last writer committed)."""
    escrow = (
        select(func.coalesce(func.sum(ENTRIES.c.amount_fen), 0))
        .select_from(ENTRIES.join(TXNS, TXNS.c.id == ENTRIES.c.txn_id))
        .where(ENTRIES.c.account == literal(accounts.escrow(""), String) + CASES.c.order_id, TXNS.c.sealed.is_(True))
        .scalar_subquery()
    )
    shops = bulk.table_of(MetricShop)
    category = select(func.coalesce(shops.c.category, "")).where(shops.c.shop_id == CASES.c.shop_id).scalar_subquery()
    others = CASES.alias("others")
    abusive = (
        select(others.c.id)
        .where(others.c.order_id == CASES.c.order_id, others.c.abusive.is_(True))
        .limit(1)
        .scalar_subquery()
    )
    stmt = (
        select(
            *_columns(CASES, READ_CASE_COLUMNS),
            CASE_LINES.c.id,
            CASE_LINES.c.order_line_id,
            CASE_LINES.c.amount_fen,
            escrow.label("escrow"),
            category.label("category"),
            abusive.label("abusive_case"),
        )
        .select_from(CASES.outerjoin(CASE_LINES, CASE_LINES.c.case_id == CASES.c.id))
        .where(CASES.c.id == bindparam("case_id"))
        .order_by(CASE_LINES.c.id)
    )
    return stmt.with_for_update(of=CASES) if dialect.name == "postgresql" else stmt


_LOCK_ORDER = raw.Raw(_lock_order_of_case)
_LOCK_CASE = raw.Raw(_lock_case_with_facts)
_ORDER_LINES = raw.Raw(
    lambda d: (
        select(*_columns(ORDER_LINES, LINE_COLUMNS))
        .where(
            ORDER_LINES.c.order_id
            == select(CASES.c.order_id).where(CASES.c.id == bindparam("case_id")).scalar_subquery()
        )
        .order_by(ORDER_LINES.c.line_no)
    )
)
_TIMELINE = raw.Raw(
    lambda d: (
        select(CASE_EVENTS.c.actor_role, CASE_EVENTS.c.action, CASE_EVENTS.c.at)
        .where(CASE_EVENTS.c.case_id == bindparam("case_id"))
        .order_by(CASE_EVENTS.c.seq)
    )
)
_LINE_REFUNDED = raw.Raw(
    lambda d: (
        update(ORDER_LINES).where(ORDER_LINES.c.id == bindparam("b_id")).values(refunded_fen=bindparam("refunded_fen"))
    )
)
_INSERT_TXN_WITH_ID = raw.Raw(lambda d: insert(TXNS).values({n: bindparam(n) for n in ("id", *TXN_COLUMNS.split())}))
OUTBOX_COLUMNS = (
    "kind idempotency_key txn_id case_id buyer_id amount_fen method status attempts next_attempt_at created_at"
)
_INSERT_OUTBOX = raw.Raw(
    lambda d: insert(OUTBOX).values({n: bindparam(n) for n in OUTBOX_COLUMNS.split()}).returning(OUTBOX.c.id)
)
_INSERT_OUTBOX_WITH_ID = raw.Raw(
    lambda d: insert(OUTBOX).values({n: bindparam(n) for n in ("id", *OUTBOX_COLUMNS.split())})
)


# PostgreSQL: the new rows' ids drawn first (in the order the inserts would draw them), so that
# every write of the agreement goes out in one pipeline without waiting for a RETURNING
def _reserve_ids(txns: int) -> raw.Raw:
    def draw(table: str, n: int) -> Any:
        return func.nextval(func.pg_get_serial_sequence(table, "id")).label(f"{table}_{n}")

    return raw.Raw(lambda d: select(*(draw("ledger_transactions", n) for n in range(txns)), draw("outbox", 0)))


_RESERVE_IDS = {n: _reserve_ids(n) for n in (1, 2)}
_CLOSE_ORDER = raw.Raw(
    lambda d: (
        update(ORDERS)
        .where(ORDERS.c.id == bindparam("b_id"))
        .values(state=bindparam("state"), closed_at=bindparam("closed_at"), shipping_refunded_fen=bindparam("shipping"))
    )
)
_ORDER_SHIPPING = raw.Raw(
    lambda d: update(ORDERS).where(ORDERS.c.id == bindparam("b_id")).values(shipping_refunded_fen=bindparam("shipping"))
)
_CANCEL_ORDER_TIMER = raw.Raw(
    lambda d: (
        update(DEADLINES)
        .where(
            DEADLINES.c.order_id == bindparam("b_order_id"),
            DEADLINES.c.kind == str(DeadlineKind.auto_confirm_receipt),
            DEADLINES.c.status == str(DeadlineStatus.pending),
        )
        .values(status=str(DeadlineStatus.cancelled), outcome=ORDER_CLOSED[:200])
    )
)
ORDER_EVENT_COLUMNS = "order_id kind at recorded_at from_state to_state data"
_INSERT_ORDER_EVENT = raw.Raw(
    lambda d: insert(ORDER_EVENTS).values({n: bindparam(n) for n in ORDER_EVENT_COLUMNS.split()})
)
_UPDATE_CASE = raw.Raw(
    lambda d: (
        update(CASES)
        .where(CASES.c.id == bindparam("b_id"))
        .values(
            state=bindparam("state"),
            state_entered_at=bindparam("state_entered_at"),
            resolved_at=bindparam("resolved_at"),
            proposal=None,
            version=bindparam("version"),
        )
    )
)
_FIRE_DEADLINE = raw.Raw(
    lambda d: (
        update(DEADLINES)
        .where(DEADLINES.c.id == bindparam("b_id"))
        .values(
            status=str(DeadlineStatus.fired),
            fired_at=bindparam("fired_at"),
            outcome=bindparam("outcome"),
            lease_until=None,
        )
    )
)
# what the fast path writes: objects of these the session holds are expired afterwards
WRITTEN_MODELS = (Case, CaseEvent, CaseLine, Deadline, LedgerTransaction, MetricCase, Order, OrderLine, OutboxMessage)


@dataclass
class Read:
    """What the single door's raw paths read of one case, in one round trip, locked (order → case):
    the order's row, the case's (READ_CASE_COLUMNS), the order's lines, the case's lines and its
    timeline's (role, action, at), the order's sealed escrow balance, the shop's filed category
    (None when not filed) and whether a case of the order is marked abusive."""

    order: Any
    case: Any
    lines: list[Any]
    case_lines: list[Any]
    timeline: list[Any]
    escrow_fen: int
    category: str | None
    abusive_order: bool

    def facts(self) -> _Facts:
        order, case = self.order, self.case
        return _Facts(
            lines={order.id: self.lines},
            case_lines={case.id: self.case_lines},
            events={case.id: self.timeline},
            escrow={accounts.escrow(order.id): self.escrow_fen},
            categories={} if self.category is None else {case.shop_id: self.category},
            abusive_orders={order.id} if self.abusive_order else set(),
        )


def read_one(ctx: Ctx, link: raw.Link, case_id: int) -> Read | None:
    """The case and what the raw paths decide from, locked as `cases.act` locks them; None when
    the case (or its order) is not found."""
    session = ctx.session
    session.flush()  # the statements below read the rows the session may have changed (none: no work)
    with link.pipeline():  # one round trip: the order locked, then the case, then what they hold
        order_sent = link.send(_LOCK_ORDER, {"case_id": case_id})
        case_sent = link.send(_LOCK_CASE, {"case_id": case_id})
        lines_sent = link.send(_ORDER_LINES, {"case_id": case_id})
        timeline_sent = link.send(_TIMELINE, {"case_id": case_id})
        found, rows = order_sent.rows(), case_sent.rows()
        lines = [_LineRow(*row) for row in lines_sent.rows()]
        timeline: list[Any] = timeline_sent.rows()
    if not found or not rows:
        return None
    width = len(_CaseRow._fields)
    escrow_fen, category, abusive_case = rows[0][width + 3 :]
    return Read(
        order=_OrderRow(*found[0]),
        case=_CaseRow(*rows[0][:width]),
        lines=lines,
        case_lines=[_CaseLineRow(*row[width : width + 3]) for row in rows if row[width] is not None],
        timeline=timeline,
        escrow_fen=int(escrow_fen),
        category=category,
        abusive_order=abusive_case is not None,
    )


def expire_written(session: Session) -> None:
    """The session's objects of the tables the raw paths write are expired (written behind its back)."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, WRITTEN_MODELS):
            session.expire(obj)


def agree_one(ctx: Ctx, case_id: int, actor: Actor, note: str = "", read: Read | None = None) -> dict[str, Any] | None:
    """`cases.act(ctx, case_id, agree, actor)` for the simple shape (see the module's docstring),
    as bare driver calls: the case's columns as written (those the plan read and those it wrote),
    or None when nothing was written and the single door's ORM path is to do it (any other shape,
    a case or order not found, a shop not filed yet). `read`: the case as `read_one` read it (and
    the access check already made), when the caller has."""
    session, now = ctx.session, ctx.now()
    link = raw.Link(session)
    if read is None:
        read = read_one(ctx, link, case_id)
        if read is None:
            return None
        access.check_case(ctx, actor, read.case)  # a row with the columns it reads
    order, case = read.order, read.case
    policy = ctx.policies.get(session, case.policy_version)
    if not _simple_shape(case, policy):
        return None
    plan = plan_refund(ctx, Item(case.id, actor, note=note), case, order, read.facts(), now)
    if plan is None:
        return None
    written = write_refund(ctx, link, plan, now)
    expire_written(session)
    return written


def write_refund(ctx: Ctx, link: raw.Link, plan: _Plan, now: datetime) -> dict[str, Any]:
    """`_write` for one plan: the same rows, one driver call per table — on PostgreSQL all in one
    pipeline, the new ids drawn first — and the audit records handed over as written. Returns
    the case's columns as written."""
    session = ctx.session
    case, order = plan.case, plan.order
    if link.postgres:
        (reserved,) = link.run(_RESERVE_IDS[len(plan.postings)])
        txn_ids, payout_id = sorted(reserved[:-1]), reserved[-1]
    with link.pipeline():
        link.run_many(_LINE_REFUNDED, [{"b_id": i, "refunded_fen": v} for i, v in plan.line_refunds.items()])
        txns = []
        for n, (entry, refs) in enumerate(plan.postings):
            txn = {"kind": entry.kind, "memo": entry.memo, "created_at": now, "sealed": False, **refs}
            if link.postgres:
                txn["id"] = txn_ids[n]
                link.send(_INSERT_TXN_WITH_ID, txn)
            else:
                ((txn["id"],),) = link.run(INSERT_TXN, txn)
            legs = [(leg.account, leg.amount) for leg in entry.legs]
            link.run_many(INSERT_ENTRY, [{"txn_id": txn["id"], "account": a, "amount_fen": f} for a, f in legs])
            txns.append((txn, legs))
        link.run_many(SEAL, [{"b_id": txn["id"]} for txn, _ in txns])
        refund_txn = txns[0][0]["id"]
        plan.refund_data["ledger_txn"] = refund_txn
        payout = _payout_row(plan, refund_txn, now)
        if link.postgres:
            link.send(_INSERT_OUTBOX_WITH_ID, {**payout, "id": payout_id})
        else:
            ((payout_id,),) = link.run(_INSERT_OUTBOX, payout)
        shipping = order.shipping_refunded_fen + plan.outbound_fen
        if plan.closes:
            closed = {"b_id": order.id, "state": str(OrderState.closed), "closed_at": now, "shipping": shipping}
            link.send(_CLOSE_ORDER, closed)
            link.send(_CANCEL_ORDER_TIMER, {"b_order_id": order.id})
            link.send(_INSERT_ORDER_EVENT, _order_closed_row(plan, now))
        elif plan.outbound_fen:
            link.send(_ORDER_SHIPPING, {"b_id": order.id, "shipping": shipping})
        execute = plan.rows[1]
        case_row = {
            "b_id": case.id,
            **_case_after(plan, now),
            # as the single door's ORM path leaves it: its version counter moves with each of the two
            # flushes the case is changed in (refunding, then refunded); the row is locked meanwhile
            "version": case.version + 2,
        }
        link.send(_UPDATE_CASE, case_row)
        link.send(CANCEL_CASE_TIMERS, {"b_case_id": case.id, "outcome": moved_to(str(execute.target))[:200]})
        timeline = _timeline_rows(plan, now)
        link.run_many(INSERT_CASE_EVENT, timeline)
        link.send(UPSERT_METRIC, plan.metric_row)
        made = _domain_events(ctx, [plan], timeline, now)
        link.run_many(INSERT_EVENT, [events.row_of(e) for e in made])
        if plan.item.deadline_id is not None:
            outcome = fired_outcome(case.id, CaseAction.agree, execute.target)[:200]
            link.send(_FIRE_DEADLINE, {"b_id": plan.item.deadline_id, "fired_at": now, "outcome": outcome})
    ctx.pending.extend(made)
    # the audit links, as the ORM path's commit makes them: the new versions of the case and the
    # payout, then the ledger transactions, then the timeline entries
    written = session.info.get(audit.ROWS, {})
    if case.id in written.get("case", ()):  # an earlier flush of this transaction changed the case too
        audit.touch(session, Case, [case.id])  # one link, the row as committed, in the ORM path's place
    else:
        after = {**case._asdict(), "state": str(execute.target), "resolved_at": now, "proposal": None}
        audit.append_prepared(session, "case", str(case.id), audit.BY_KIND["case"].record(after), now)
    moved = {name: value for name, value in case_row.items() if name != "b_id"}
    payout_record = audit.BY_KIND["outbox"].record(
        {**payout, "id": payout_id, "gateway_ref": None, "sent_at": None, "settlement_txn_id": None}
    )
    audit.append_prepared(session, "outbox", str(payout_id), payout_record, now)
    for txn, legs in txns:
        audit.append_prepared(session, "ledger", str(txn["id"]), audit.ledger_record_of(txn, legs), now)
    for row in timeline:
        ref = f"{row['case_id']}:{row['seq']}"
        audit.append_prepared(session, "case_event", ref, audit.case_event_record_of(row), now)
    return {**case._asdict(), **moved, "proposal": None}
