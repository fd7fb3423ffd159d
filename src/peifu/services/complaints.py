"""Rule complaints: filing, withdrawing, deciding, the seller's appeal, and the shop's record.

One complaint per order, ever: the unique order_id makes a second filing (even after a
withdrawal) impossible. An upheld complaint writes a penalty under the policy version in force
when the complaint was filed, and the shop's points within the policy period decide which
sanctions are in force. An appeal that overturns a complaint revokes its penalty — and any
sanction that no longer has the points behind it — without deleting anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from peifu.db.locking import lock_order
from peifu.db.models import Case, Complaint, Penalty, SanctionRow, Shop
from peifu.domain import complaint_machine
from peifu.domain import complaints as rules
from peifu.domain.actors import Actor, check_party, is_platform
from peifu.domain.appeal_machine import PENALTIES as APPEALS
from peifu.domain.appeal_machine import state_of as appeal_state
from peifu.domain.errors import Conflict, Forbidden, Invalid, NotFound
from peifu.domain.events import EventType
from peifu.domain.policy import Policy
from peifu.domain.vocabulary import AppealAction, AppealState, DeadlineKind, OrderState, Reason, Role
from peifu.domain.vocabulary import ComplaintAction as CA
from peifu.domain.vocabulary import ComplaintStatus as CS
from peifu.services import events, timers
from peifu.services.context import Ctx
from peifu.services.inputs import ComplaintDecisionIn, ComplaintIn, PenaltyAppealDecisionIn, PenaltyAppealIn


def file(ctx: Ctx, actor: Actor, body: ComplaintIn) -> Complaint:
    if actor.role is not Role.buyer:
        raise Forbidden("actor_not_allowed", "Only the buyer of the order can file a rule complaint.")
    session, now = ctx.session, ctx.now()
    order = lock_order(session, body.order_id)
    if order is None:
        raise NotFound("order_not_found", f"No order '{body.order_id}'.", order_id=body.order_id)
    check_party(actor, buyer_id=order.buyer_id, shop_id=order.shop_id, what="order")
    existing = session.scalars(select(Complaint).where(Complaint.order_id == order.id)).first()
    if existing is not None:
        raise Conflict(
            "complaint_exists",
            "This order already has a rule complaint; an order can be complained about once, "
            "and a withdrawn complaint cannot be filed again.",
            complaint_id=existing.id,
        )
    violation = rules.Violation(body.violation)
    cases = list(session.scalars(select(Case).where(Case.order_id == order.id)))
    if body.case_id is not None and body.case_id not in {c.id for c in cases}:
        raise Invalid("case_not_in_order", f"Case {body.case_id} is not about order {order.id}.")
    facts = rules.OrderFacts(
        state=OrderState(order.state),
        completed_at=order.completed_at,
        closed_at=order.closed_at,
        case_reasons=frozenset(Reason(c.reason) for c in cases if body.case_id in (None, c.id)),
    )
    policy = ctx.policies.current
    rules.check_can_file(violation, facts, now, policy)
    complaint = Complaint(
        order_id=order.id,
        case_id=body.case_id,
        shop_id=order.shop_id,
        buyer_id=order.buyer_id,
        complaint_type=str(rules.TYPE_OF[violation]),
        violation=str(violation),
        description=body.description,
        policy_version=policy.version,
        status=complaint_machine.MACHINE.initial,
        filed_at=now,
    )
    session.add(complaint)
    try:
        session.flush()
    except IntegrityError:  # a concurrent filing for the same order won
        raise Conflict("complaint_exists", "This order already has a rule complaint.") from None
    events.complaint_event(ctx, EventType.complaint_filed, complaint)
    return complaint


def get(ctx: Ctx, complaint_id: int, actor: Actor | None = None) -> Complaint:
    complaint = ctx.session.get(Complaint, complaint_id)
    if complaint is None:
        raise NotFound("complaint_not_found", f"No complaint {complaint_id}.")
    if actor is not None:
        _require_party_or_agent(actor)
        check_party(actor, buyer_id=complaint.buyer_id, shop_id=complaint.shop_id, what="complaint")
    return complaint


def listing(ctx: Ctx, actor: Actor, *, status: str | None, limit: int) -> list[Complaint]:
    _require_party_or_agent(actor)
    stmt = select(Complaint).order_by(Complaint.filed_at, Complaint.id).limit(limit)
    if actor.role is Role.buyer:
        stmt = stmt.where(Complaint.buyer_id == actor.id)
    elif actor.role is Role.seller:
        stmt = stmt.where(Complaint.shop_id == actor.id)
    if status:
        stmt = stmt.where(Complaint.status == status)
    return list(ctx.session.scalars(stmt))


def withdraw(ctx: Ctx, complaint_id: int, actor: Actor) -> Complaint:
    complaint = get(ctx, complaint_id, actor)
    if actor.role is not Role.buyer:
        raise Forbidden("actor_not_allowed", "Only the buyer who filed it can withdraw a complaint.")
    complaint.status = complaint_machine.MACHINE.target(complaint.status, CA.withdraw, actor.role)
    complaint.withdrawn_at = ctx.now()
    events.complaint_event(ctx, EventType.complaint_withdrawn, complaint)
    return complaint


def decide(ctx: Ctx, complaint_id: int, agent: Actor, body: ComplaintDecisionIn) -> Complaint:
    """Straight to an agent, no negotiation: uphold (points and sanctions) or reject."""
    _require_agent(agent)
    complaint = get(ctx, complaint_id)
    status = complaint_machine.MACHINE.target(complaint.status, CA.uphold if body.upheld else CA.reject, agent.role)
    now = ctx.now()
    policy = ctx.policies.get(ctx.session, complaint.policy_version)
    if body.violation is not None:
        complaint.violation = body.violation
        complaint.complaint_type = str(rules.TYPE_OF[rules.Violation(body.violation)])
    complaint.status = status
    complaint.decided_by = agent.id
    complaint.decided_at = now
    complaint.reasoning = body.reasoning
    if not body.upheld:
        events.complaint_event(ctx, EventType.complaint_decided, complaint)
    else:
        complaint.appeal_deadline = now + timedelta(days=policy.deadlines.appeal_days.value)
        events.complaint_event(ctx, EventType.complaint_decided, complaint)
        penalty = Penalty(
            shop_id=complaint.shop_id,
            complaint_id=complaint.id,
            violation=complaint.violation,
            points=rules.points_for(rules.Violation(complaint.violation), policy),
            policy_version=policy.version,
            created_at=now,
        )
        ctx.session.add(penalty)
        # When the penalty leaves the period, sanctions it was holding up must lift by themselves.
        due = now + timedelta(days=policy.complaints.period_days.value, seconds=1)
        timers.arm(ctx.session, DeadlineKind.penalty_expiry, due, now, policy, order_id=complaint.order_id)
        ctx.session.flush()
        events.penalty_event(ctx, EventType.penalty_applied, penalty, _points(ctx, complaint.shop_id, policy))
        _apply_sanctions(ctx, complaint.shop_id, policy)
    return complaint


def on_penalty_expiry(ctx: Ctx, order_id: str) -> str:
    """A penalty aged out of the period: re-check which sanctions the remaining points support."""
    complaint = ctx.session.scalars(select(Complaint).where(Complaint.order_id == order_id)).first()
    if complaint is None:
        return f"order {order_id}: no complaint"
    _apply_sanctions(ctx, complaint.shop_id, ctx.policies.current)
    return f"shop {complaint.shop_id}: sanctions re-checked after a penalty expired"


def appeal(ctx: Ctx, complaint_id: int, actor: Actor, body: PenaltyAppealIn) -> Complaint:
    complaint = get(ctx, complaint_id, actor)
    if actor.role is not Role.seller:
        raise Forbidden("not_the_losing_party", "Only the penalised seller can appeal a penalty.")
    if not complaint_machine.allows(complaint.status, CA.overturn):
        raise Conflict("not_appealable", "Only an upheld complaint carries a penalty to appeal.")
    APPEALS.decide(_appeal_state(complaint), AppealAction.file, actor.role)
    if complaint.appeal_deadline is not None and ctx.now() > complaint.appeal_deadline:
        raise Conflict("appeal_window_closed", "The appeal window has closed; the penalty is final.")
    complaint.appealed_at = ctx.now()
    complaint.appeal_reason = body.reason
    events.complaint_event(ctx, EventType.complaint_appealed, complaint)
    return complaint


def decide_appeal(ctx: Ctx, complaint_id: int, agent: Actor, body: PenaltyAppealDecisionIn) -> Complaint:
    _require_agent(agent)
    complaint = get(ctx, complaint_id)
    decision = AppealAction.overturn if body.overturn else AppealAction.uphold
    outcome = APPEALS.target(_appeal_state(complaint), decision, agent.role)
    if complaint.decided_by == agent.id:
        raise Forbidden("same_agent", "An appeal is reviewed by a different agent than the one who decided.")
    complaint.appeal_decided_by = agent.id
    complaint.appeal_decision = outcome
    if body.overturn:
        complaint.status = complaint_machine.MACHINE.target(complaint.status, CA.overturn, agent.role)
    events.complaint_event(ctx, EventType.complaint_appeal_decided, complaint)
    if body.overturn:
        penalty = ctx.session.scalars(select(Penalty).where(Penalty.complaint_id == complaint.id)).one()
        penalty.revoked_at = ctx.now()
        ctx.session.flush()
        policy = ctx.policies.current
        events.penalty_event(ctx, EventType.penalty_revoked, penalty, _points(ctx, complaint.shop_id, policy))
        _apply_sanctions(ctx, complaint.shop_id, policy)
    return complaint


def _appeal_state(complaint: Complaint) -> AppealState:
    return appeal_state(complaint.appealed_at is not None, complaint.appeal_decision)


def _require_agent(actor: Actor) -> None:
    if actor.role is not Role.agent:
        raise Forbidden("actor_not_allowed", "Only a platform agent can do this.")


def _require_party_or_agent(actor: Actor) -> None:
    """Complaints are seen by their buyer, their shop, agents and the platform — never by a courier feed."""
    if actor.role not in (Role.buyer, Role.seller, Role.agent) and not is_platform(actor):
        raise Forbidden("actor_not_allowed", "Complaints are for their buyer, their shop and platform agents.")


# --- the shop's record ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ShopRecord:
    shop_id: str
    points: int
    period_days: int
    penalties: list[Penalty]
    sanctions: list[SanctionRow]


def _live_penalties(ctx: Ctx, shop_id: str, policy: Policy) -> list[Penalty]:
    since = ctx.now() - timedelta(days=policy.complaints.period_days.value)
    stmt = (
        select(Penalty)
        .where(Penalty.shop_id == shop_id, Penalty.revoked_at.is_(None), Penalty.created_at > since)
        .order_by(Penalty.created_at)
    )
    return list(ctx.session.scalars(stmt))


def _active_sanctions(ctx: Ctx, shop_id: str) -> list[SanctionRow]:
    # the sanctions the points hold up; those of missed service-complaint steps are services.service_complaints'
    stmt = select(SanctionRow).where(
        SanctionRow.shop_id == shop_id, SanctionRow.revoked_at.is_(None), SanctionRow.basis == "points"
    )
    return list(ctx.session.scalars(stmt.order_by(SanctionRow.threshold)))


def _lock_shop(ctx: Ctx, shop_id: str) -> None:
    """Serialise point counting per shop: two decisions committing at once would otherwise each
    miss the other's penalty, and a threshold they reach together would never be applied."""
    stmt = select(Shop.id).where(Shop.id == shop_id)
    if ctx.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    ctx.session.execute(stmt)


def _points(ctx: Ctx, shop_id: str, policy: Policy) -> int:
    """The shop's points in the period, counted under the shop's lock (see `_lock_shop`)."""
    _lock_shop(ctx, shop_id)
    return sum(p.points for p in _live_penalties(ctx, shop_id, policy))


def _apply_sanctions(ctx: Ctx, shop_id: str, policy: Policy) -> int:
    """Bring the shop's sanctions in line with its points in the period; returns the points."""
    _lock_shop(ctx, shop_id)
    penalties = _live_penalties(ctx, shop_id, policy)
    points = sum(p.points for p in penalties)
    active = _active_sanctions(ctx, shop_id)
    lifted = []
    for row in active:
        if row.sanction in rules.sanctions_lifted(points, {row.sanction: row.threshold}):
            row.revoked_at = ctx.now()
            lifted.append(row)
    still = {row.sanction for row in active if row.revoked_at is None}
    applied = [
        SanctionRow(
            shop_id=shop_id,
            sanction=due.step.sanction,
            threshold=due.step.threshold.value,
            points_at_trigger=points,
            complaint_ids=[p.complaint_id for p in penalties],
            policy_version=policy.version,
            triggered_at=ctx.now(),
        )
        for due in rules.sanctions_due(points, still, policy)
    ]
    ctx.session.add_all(applied)
    ctx.session.flush()
    for row in lifted:
        events.sanction_event(ctx, EventType.sanction_lifted, row)
    for row in applied:
        events.sanction_event(ctx, EventType.sanction_applied, row)
    return points


def record(ctx: Ctx, shop_id: str, actor: Actor) -> ShopRecord:
    if actor.role not in (Role.seller, Role.agent) and not is_platform(actor):
        raise Forbidden("actor_not_allowed", "A shop's penalty record is for its staff and the platform.")
    check_party(actor, buyer_id="", shop_id=shop_id, what="shop")
    policy = ctx.policies.current
    penalties = _live_penalties(ctx, shop_id, policy)
    return ShopRecord(
        shop_id=shop_id,
        points=sum(p.points for p in penalties),
        period_days=policy.complaints.period_days.value,
        penalties=penalties,
        sanctions=_active_sanctions(ctx, shop_id),
    )


def open_count(ctx: Ctx) -> int:
    return int(ctx.session.scalar(select(func.count(Complaint.id)).where(Complaint.status == CS.open)) or 0)
