"""The read side: the queries that feed lists, queues and detail views.

One module owns them so the API (`adapters.api.presenters`) and the pages (`adapters.web`) read
the same rows the same way: the seller's queue by nearest deadline, the agent's dispute and rule
complaint queues, the service-complaint consoles, a buyer's orders, and one case as both show it.
Nothing here writes; the functions take the unit of work's session (or `Ctx`) and hand back ORM
rows or plain dataclasses of them, which the API turns into response bodies and the pages into HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from peifu.db import raw
from peifu.db.bulk import table_of
from peifu.db.models import (
    Appeal,
    Case,
    CaseEvent,
    CaseLine,
    Compensation,
    Complaint,
    Deadline,
    Dispute,
    Evidence,
    LedgerEntry,
    LedgerTransaction,
    Order,
    OrderLine,
    OutboxMessage,
    SellerAutoRule,
    ServiceComplaint,
    ServiceComplaintEntry,
    ServiceComplaintMiss,
    Shop,
)
from peifu.domain import complaints as complaint_rules
from peifu.domain import dispute_machine
from peifu.domain import service_complaints as service_complaint_rules
from peifu.domain.actors import Actor
from peifu.domain.case_machine import DEADLINE_ACTIONS, TABLE, allowed_actions
from peifu.domain.ledger import PAYOUTS_PENDING
from peifu.domain.policy import Policy
from peifu.domain.triage import Priority
from peifu.domain.vocabulary import FINAL_CASE_STATES, CaseAction, CaseState, DeadlineKind, DeadlineStatus, Role
from peifu.domain.vocabulary import ComplaintStatus as CS
from peifu.domain.vocabulary import DisputeStatus as DS
from peifu.services import cases as case_service
from peifu.services import complaints, disputes, service_complaints, triage
from peifu.services import orders as order_service
from peifu.services.context import Ctx
from peifu.services.timers import case_facts
from peifu.services.triage import case_triage

# --- one case: deadlines, money, the view the API and the pages show -----------------------------------

OTHER_DEADLINE_ACTIONS = {
    DeadlineKind.auto_confirm_receipt: "auto_confirm",
    DeadlineKind.evidence_due: "default_ruling",
    DeadlineKind.appeal_window: "ruling_final",
    DeadlineKind.penalty_expiry: "recheck_sanctions",
}
REFUND_KINDS = frozenset({"refund", "return_postage"})  # money back to the buyer: goods and shipping


def pending_deadlines(session: Session, case_id: int) -> list[Deadline]:
    """A case's armed deadlines, nearest first."""
    stmt = (
        select(Deadline)
        .where(Deadline.case_id == case_id, Deadline.status == DeadlineStatus.pending)
        .order_by(Deadline.due_at)
    )
    return list(session.scalars(stmt))


def nearest_deadlines(session: Session, case_ids: list[int]) -> dict[int, tuple[datetime, str]]:
    """Each case's nearest pending deadline: case id → (due at, kind)."""
    if not case_ids:
        return {}
    stmt = (
        select(Deadline.case_id, Deadline.due_at, Deadline.kind)
        .where(Deadline.case_id.in_(case_ids), Deadline.status == DeadlineStatus.pending)
        .order_by(Deadline.due_at.desc())
    )
    found: dict[int, tuple[datetime, str]] = {}
    for case_id, due_at, kind in session.execute(stmt):
        if case_id is not None:
            found[case_id] = (due_at, kind)  # the earliest wins (rows come latest first)
    return found


@dataclass(frozen=True)
class DeadlineView:
    kind: DeadlineKind
    due_at: datetime
    status: str
    action_when_due: str


def deadline_view(deadline: Deadline) -> DeadlineView:
    return _deadline_view(DeadlineKind(deadline.kind), deadline.due_at, deadline.status)


def _deadline_view(kind: DeadlineKind, due_at: datetime, status: str) -> DeadlineView:
    action = str(DEADLINE_ACTIONS.get(kind) or OTHER_DEADLINE_ACTIONS[kind])
    return DeadlineView(kind=kind, due_at=due_at, status=status, action_when_due=action)


@dataclass(frozen=True)
class LegView:
    account: str
    amount_fen: int


@dataclass(frozen=True)
class TransactionView:
    """A sealed ledger transaction of the case with its legs, oldest leg first."""

    id: int
    kind: str
    memo: str
    created_at: datetime
    policy_version: str | None
    legs: list[LegView]


@dataclass(frozen=True)
class CompensationView:
    rule: str
    amount_fen: int
    payout_method: str
    payer: str
    policy_version: str
    basis: str
    recovered_from_seller: bool


@dataclass(frozen=True)
class PayoutView:
    amount_fen: int
    method: str
    status: str
    attempts: int
    gateway_ref: str | None
    sent_at: datetime | None


@dataclass(frozen=True)
class CaseMoney:
    refunded_fen: int
    compensation_fen: int
    compensations: list[CompensationView]
    payouts: list[PayoutView]
    transactions: list[TransactionView]


@dataclass(frozen=True)
class CaseLineView:
    line_no: int
    title: str
    refund_amount_fen: int


@dataclass(frozen=True)
class TimelineView:
    seq: int
    at: datetime
    actor: str
    action: str
    from_state: str | None
    to_state: str
    data: dict[str, Any]


@dataclass(frozen=True)
class CaseView:
    """One case as the API's `CaseOut` and the case pages show it."""

    case: Case
    lines: list[CaseLineView]
    deadlines: list[DeadlineView]
    allowed_actions: dict[str, list[str]]
    timeline: list[TimelineView]
    money: CaseMoney
    triage: dict[str, Any] | None


def case_view(session: Session, case: Case, policy: Policy, now: datetime) -> CaseView:
    """The case as shown after any read or write: its lines, timeline, armed deadlines and money are
    read in one go — six fixed statements as bare driver calls, pipelined (one round trip) on
    PostgreSQL — instead of loading the Case's relationships and each one's rows through the ORM
    (issue 15: presenting the case was a quarter of an action's CPU). The session is flushed
    first, so the statements see what this unit of work changed."""
    session.flush()  # (returns at once when the session holds no change)
    link = raw.Link(session)
    key = {"case_id": case.id}
    with link.pipeline():
        lines_sent = link.send(_VIEW_LINES, key)
        events_sent = link.send(_VIEW_TIMELINE, key)
        deadlines_sent = link.send(_VIEW_DEADLINES, key)
        txns_sent = link.send(_VIEW_TRANSACTIONS, key)
        compensations_sent = link.send(_VIEW_COMPENSATIONS, key)
        payouts_sent = link.send(_VIEW_PAYOUTS, key)
        lines = [CaseLineView(*row) for row in lines_sent.rows()]
        timeline = [
            TimelineView(
                seq=seq,
                at=at,
                actor=f"{role}:{actor_id}" if actor_id else role,
                action=action,
                from_state=from_state or None,
                to_state=to_state,
                data=data,
            )
            for seq, at, role, actor_id, action, from_state, to_state, data in events_sent.rows()
        ]
        deadlines = [
            _deadline_view(DeadlineKind(kind), due_at, status) for kind, due_at, status in deadlines_sent.rows()
        ]
        money = _case_money(txns_sent.rows(), compensations_sent.rows(), payouts_sent.rows())
    allowed = allowed_actions(case_facts(case), now, policy)
    return CaseView(
        case=case,
        lines=lines,
        deadlines=deadlines,
        allowed_actions={str(role): [str(a) for a in actions] for role, actions in allowed.items()},
        timeline=timeline,
        money=money,
        triage=case_triage(case),
    )


def _case_money(txn_rows: list[Any], compensation_rows: list[Any], payout_rows: list[Any]) -> CaseMoney:
    """The money a case moved, from its sealed transactions' legs (one row per leg, transactions in
    id order), compensations and payouts, oldest first."""
    transactions: list[TransactionView] = []
    refunded = 0
    for txn_id, kind, memo, created_at, policy_version, account, amount_fen in txn_rows:
        if not transactions or transactions[-1].id != txn_id:
            transactions.append(TransactionView(txn_id, kind, memo, created_at, policy_version, []))
        if account is not None:  # a sealed transaction has legs; the outer join keeps one without
            transactions[-1].legs.append(LegView(account, amount_fen))
            if kind in REFUND_KINDS and account == PAYOUTS_PENDING:
                refunded += amount_fen
    compensations = [
        CompensationView(rule, amount, method, payer, version, basis, recovery is not None)
        for rule, amount, method, payer, version, basis, recovery in compensation_rows
    ]
    return CaseMoney(
        refunded_fen=refunded,
        compensation_fen=sum(c.amount_fen for c in compensations),
        compensations=compensations,
        payouts=[PayoutView(*row) for row in payout_rows],
        transactions=transactions,
    )


_CASE_LINES, _ORDER_LINES = table_of(CaseLine), table_of(OrderLine)
_CASE_EVENTS, _DEADLINES, _TXNS = table_of(CaseEvent), table_of(Deadline), table_of(LedgerTransaction)
_LEGS, _COMPENSATIONS, _OUTBOX = table_of(LedgerEntry), table_of(Compensation), table_of(OutboxMessage)
_VIEW_LINES = raw.Raw(
    lambda d: (
        select(_ORDER_LINES.c.line_no, _ORDER_LINES.c.title, _CASE_LINES.c.amount_fen)
        .join_from(_CASE_LINES, _ORDER_LINES, _ORDER_LINES.c.id == _CASE_LINES.c.order_line_id)
        .where(_CASE_LINES.c.case_id == bindparam("case_id"))
        .order_by(_CASE_LINES.c.id)
    )
)
_VIEW_TIMELINE = raw.Raw(
    lambda d: (
        select(
            *(
                _CASE_EVENTS.c[name]
                for name in ("seq", "at", "actor_role", "actor_id", "action", "from_state", "to_state", "data")
            )
        )
        .where(_CASE_EVENTS.c.case_id == bindparam("case_id"))
        .order_by(_CASE_EVENTS.c.seq)
    )
)
_VIEW_DEADLINES = raw.Raw(
    lambda d: (
        select(_DEADLINES.c.kind, _DEADLINES.c.due_at, _DEADLINES.c.status)
        .where(_DEADLINES.c.case_id == bindparam("case_id"), _DEADLINES.c.status == str(DeadlineStatus.pending))
        .order_by(_DEADLINES.c.due_at, _DEADLINES.c.id)
    )
)
_VIEW_TRANSACTIONS = raw.Raw(
    lambda d: (
        select(
            _TXNS.c.id,
            _TXNS.c.kind,
            _TXNS.c.memo,
            _TXNS.c.created_at,
            _TXNS.c.policy_version,
            _LEGS.c.account,
            _LEGS.c.amount_fen,
        )
        .select_from(_TXNS.outerjoin(_LEGS, _LEGS.c.txn_id == _TXNS.c.id))
        .where(_TXNS.c.case_id == bindparam("case_id"), _TXNS.c.sealed.is_(True))
        .order_by(_TXNS.c.id, _LEGS.c.id)
    )
)
_VIEW_COMPENSATIONS = raw.Raw(
    lambda d: (
        select(
            *(
                _COMPENSATIONS.c[name]
                for name in (
                    "rule",
                    "amount_fen",
                    "payout_method",
                    "payer",
                    "policy_version",
                    "basis",
                    "recovery_txn_id",
                )
            )
        )
        .where(_COMPENSATIONS.c.case_id == bindparam("case_id"))
        .order_by(_COMPENSATIONS.c.id)
    )
)
_VIEW_PAYOUTS = raw.Raw(
    lambda d: (
        select(*(_OUTBOX.c[name] for name in ("amount_fen", "method", "status", "attempts", "gateway_ref", "sent_at")))
        .where(_OUTBOX.c.case_id == bindparam("case_id"))
        .order_by(_OUTBOX.c.id)
    )
)


def case_by_id(session: Session, case_id: int) -> Case | None:
    return session.get(Case, case_id)


def order_by_id(session: Session, order_id: str) -> Order | None:
    return session.get(Order, order_id)


def evidence_by_id(session: Session, evidence_id: int) -> Evidence | None:
    return session.get(Evidence, evidence_id)


def dispute_of_case(session: Session, case_id: int) -> Dispute | None:
    return session.scalars(select(Dispute).where(Dispute.case_id == case_id)).first()


def appeal_of_dispute(session: Session, dispute_id: int) -> Appeal | None:
    return session.scalars(select(Appeal).where(Appeal.dispute_id == dispute_id)).first()


def complaint_of_order(session: Session, order_id: str) -> Complaint | None:
    return session.scalars(select(Complaint).where(Complaint.order_id == order_id)).first()


def cases_of_order(session: Session, order_id: str) -> list[Case]:
    """An order's cases, newest first."""
    return list(session.scalars(select(Case).where(Case.order_id == order_id).order_by(Case.id.desc())))


def shop_names(session: Session, shop_ids: set[str]) -> dict[str, str]:
    if not shop_ids:
        return {}
    return {s.id: s.name for s in session.scalars(select(Shop).where(Shop.id.in_(shop_ids)))}


# --- the seller's queue: open requests, nearest deadline first -----------------------------------------

SELLER_QUEUE_LIMIT = 200
OPEN_STATES = tuple(str(s) for s in CaseState if s not in FINAL_CASE_STATES and s is not CaseState.refunding)
# the states where the shop owes the next move
WAITING_FOR_SHOP = (
    CaseState.requested,
    CaseState.return_shipped,
    CaseState.awaiting_replacement,
    CaseState.in_intervention,
)
SELLER_MOVES = (
    CaseAction.agree,
    CaseAction.refuse,
    CaseAction.propose,
    CaseAction.confirm_return,
    CaseAction.reject_return,
    CaseAction.ship_replacement,
)


@cache
def seller_moves(state: str, case_type: str) -> tuple[CaseAction, ...]:
    """The seller's moves from the state machine's table for this state and type (the seller's
    moves have no guards, so no case facts are needed)."""
    moves = []
    for row in TABLE:
        if (
            row.source == state
            and case_type in row.types
            and Role.seller in row.actors
            and row.action in SELLER_MOVES
            and row.action not in moves
        ):
            moves.append(row.action)
    return tuple(moves)


@dataclass
class SellerQueueRow:
    case: Case
    due_at: datetime | None
    due_kind: str | None
    moves: tuple[CaseAction, ...]

    @property
    def agreeable(self) -> bool:
        return CaseAction.agree in self.moves


def seller_queue(
    session: Session,
    shop_id: str,
    *,
    view: str = "waiting",
    case_type: str | None = None,
    reason: str | None = None,
    order_q: str | None = None,
    limit: int = SELLER_QUEUE_LIMIT,
) -> list[SellerQueueRow]:
    """The shop's open requests, nearest deadline first (those without one last). `case_type` and
    `reason` filter only when given (the caller passes known values only)."""
    states = [str(s) for s in WAITING_FOR_SHOP] if view == "waiting" else list(OPEN_STATES)
    due = (
        select(func.min(Deadline.due_at))
        .where(Deadline.case_id == Case.id, Deadline.status == DeadlineStatus.pending)
        .correlate(Case)
        .scalar_subquery()
    )
    stmt = select(Case).where(Case.shop_id == shop_id, Case.state.in_(states))
    if case_type:
        stmt = stmt.where(Case.case_type == case_type)
    if reason:
        stmt = stmt.where(Case.reason == reason)
    if order_q:
        stmt = stmt.where(Case.order_id == order_q.strip())
    stmt = stmt.order_by(due.is_(None), due, Case.id).limit(limit)
    rows = list(session.scalars(stmt))
    dues = nearest_deadlines(session, [c.id for c in rows])
    return [_seller_row(c, dues) for c in rows]


def _seller_row(case: Case, dues: dict[int, tuple[datetime, str]]) -> SellerQueueRow:
    due = dues.get(case.id)
    moves = seller_moves(case.state, case.case_type)
    return SellerQueueRow(case, due[0], due[1], moves) if due else SellerQueueRow(case, None, None, moves)


def seller_queue_row(session: Session, case: Case) -> SellerQueueRow:
    return _seller_row(case, nearest_deadlines(session, [case.id]))


def shop_complaints(session: Session, complaint_ids: set[int]) -> dict[int, Complaint]:
    found = list(session.scalars(select(Complaint).where(Complaint.id.in_(complaint_ids)))) if complaint_ids else []
    return {c.id: c for c in found}


def recent_shop_complaints(session: Session, shop_id: str, limit: int = 50) -> list[Complaint]:
    stmt = select(Complaint).where(Complaint.shop_id == shop_id).order_by(Complaint.id.desc()).limit(limit)
    return list(session.scalars(stmt))


def auto_answered(session: Session, shop_id: str) -> int:
    """How many requests the shop's auto-handling rules have answered."""
    total = session.scalar(
        select(func.coalesce(func.sum(SellerAutoRule.applied_count), 0)).where(SellerAutoRule.shop_id == shop_id)
    )
    return int(total or 0)


# --- the agent's dispute queue ------------------------------------------------------------------------

OPEN_STATUSES = dispute_machine.OPEN
QUEUE_VIEWS = ("open", "mine", DS.evidence, DS.review, DS.appealed, DS.ruled, DS.final)
QUEUE_SORTS = ("deadline", "priority")
_FAR = datetime.max.replace(tzinfo=UTC)


@dataclass
class DisputeQueueRow:
    dispute: Dispute
    case: Case
    due: datetime | None  # the next deadline of this dispute: evidence, or the appeal window
    priority: Priority  # what the triage of the buyer's description suggests
    evidence_parties: set[str] = field(default_factory=set)
    appealed_by: str | None = None


def dispute_queue(ctx: Ctx, who: Actor, view: str, limit: int = 200, sort: str = "deadline") -> list[DisputeQueueRow]:
    if view == "open":
        found = [d for s in OPEN_STATUSES for d in disputes.queue(ctx, status=s, assigned_to=None, limit=limit)]
    elif view == "mine":
        found = [
            d
            for d in disputes.queue(ctx, status=None, assigned_to=who.id, limit=limit)
            if d.status in (*OPEN_STATUSES, DS.ruled)
        ]
    else:
        found = disputes.queue(ctx, status=view, assigned_to=None, limit=limit)
    if not found:
        return []
    ids = [d.id for d in found]
    cases = {c.id: c for c in ctx.session.scalars(select(Case).where(Case.id.in_([d.case_id for d in found])))}
    parties: dict[int, set[str]] = {}
    for dispute_id, party in ctx.session.execute(
        select(Evidence.dispute_id, Evidence.party).where(Evidence.dispute_id.in_(ids)).distinct()
    ):
        parties.setdefault(dispute_id, set()).add(party)
    appeals = {
        k: v for k, v in ctx.session.execute(select(Appeal.dispute_id, Appeal.party).where(Appeal.dispute_id.in_(ids)))
    }
    rows = []
    for d in found:
        due = d.evidence_deadline if d.status in dispute_machine.RULABLE else d.appeal_deadline
        if d.status in (DS.appealed, DS.final):
            due = None
        case = cases[d.case_id]
        rows.append(
            DisputeQueueRow(d, case, due, triage.priority_of(case), parties.get(d.id, set()), appeals.get(d.id))
        )
    if sort == "priority":  # the triage priority of the buyer's text first, then the deadline
        rows.sort(key=lambda r: (r.priority.rank, r.due is None, r.due or _FAR, -r.dispute.amount_fen))
    else:  # earliest deadline first; appeals (no deadline) after the timed work; the most pressing first
        rows.sort(key=lambda r: (r.due is None, r.due or _FAR, r.priority.rank, -r.dispute.amount_fen))
    return rows


def dispute_counts(ctx: Ctx) -> dict[str, int]:
    """Unassigned disputes in each open status."""
    return {s: len(disputes.queue(ctx, status=s, assigned_to=None, limit=1000)) for s in OPEN_STATUSES}


# --- the agent's rule-complaint queue -----------------------------------------------------------------

COMPLAINT_VIEWS = ("open", "appealed", "decided")


@dataclass
class ComplaintQueueRow:
    complaint: Complaint
    points: int  # what upholding it deducts under the policy version it was filed under
    choices: list[tuple[str, int]]  # violations of the same complaint type, with their points
    appeal_pending: bool


def complaint_queue(ctx: Ctx, who: Actor, view: str, limit: int = 200) -> list[ComplaintQueueRow]:
    if view == "open":
        found = complaints.listing(ctx, who, status=CS.open, limit=limit)
    elif view == "appealed":
        found = [
            c
            for c in complaints.listing(ctx, who, status=CS.upheld, limit=1000)
            if c.appealed_at is not None and c.appeal_decision is None
        ][:limit]
    else:
        found = [c for c in complaints.listing(ctx, who, status=None, limit=1000) if c.status != CS.open][::-1][:limit]
    rows = []
    for c in found:
        policy = ctx.policies.get(ctx.session, c.policy_version)
        kind = complaint_rules.TYPE_OF[complaint_rules.Violation(c.violation)]
        choices = [
            (str(v), complaint_rules.points_for(v, policy)) for v, t in complaint_rules.TYPE_OF.items() if t is kind
        ]
        points = complaint_rules.points_for(complaint_rules.Violation(c.violation), policy)
        pending = c.appealed_at is not None and c.appeal_decision is None
        rows.append(ComplaintQueueRow(c, points, choices, pending))
    return rows


# --- the service-complaint consoles (buyer, seller, agent) -------------------------------------------


@dataclass
class ServiceComplaintRow:
    complaint: ServiceComplaint
    deadline_kind: str | None
    due_at: datetime | None
    working_days_left: int | None
    actions: list[str]
    timeline: list[ServiceComplaintEntry]
    misses: list[ServiceComplaintMiss]


def service_complaint_queue(ctx: Ctx, who: Actor, role: Role, state: str | None) -> list[ServiceComplaintRow]:
    rows = []
    for c in service_complaints.listing(ctx, who, state=state or None, limit=200):
        policy = service_complaints.policy_of(ctx, c)
        due = service_complaints.deadline_of(c, policy)
        left = policy.working_calendar.working_days_between(ctx.now(), due[1]) if due else None
        actions = [
            str(a)
            for a in service_complaint_rules.allowed_actions(service_complaint_rules.State(c.state)).get(role, [])
        ]
        rows.append(
            ServiceComplaintRow(
                c,
                str(due[0]) if due else None,
                due[1] if due else None,
                left,
                actions,
                service_complaints.timeline(ctx, c),
                service_complaints.misses_of(ctx, c),
            )
        )
    return rows


# --- a buyer's orders ---------------------------------------------------------------------------------


def buyer_order_ids(session: Session, buyer_id: str, limit: int = 50) -> list[str]:
    """The buyer's latest orders' ids, newest first."""
    stmt = select(Order.id).where(Order.buyer_id == buyer_id).order_by(Order.created_at.desc()).limit(limit)
    return list(session.scalars(stmt))


def buyer_orders(ctx: Ctx, who: Actor) -> list[dict[str, Any]]:
    """The buyer's orders, newest first, each with its shop's name and its cases' nearest deadlines."""
    found = order_service.list_orders(ctx, who, limit=200)
    cases = case_service.list_cases(ctx.session, actor=who, limit=500)
    by_order: dict[str, list[dict[str, Any]]] = {}
    for case in cases:
        pending = pending_deadlines(ctx.session, case.id)
        by_order.setdefault(case.order_id, []).append({"case": case, "due": pending[0].due_at if pending else None})
    names = shop_names(ctx.session, {o.shop_id for o in found})
    return [
        {
            "order": o,
            "shop": names.get(o.shop_id, o.shop_id),
            "paid_fen": sum(line.paid_fen for line in o.lines),
            "titles": ", ".join(line.title for line in o.lines),
            "cases": by_order.get(o.id, []),
        }
        for o in found
    ]
