"""Service complaints (售后投诉): filing, every move of the lifecycle, the deadlines that act by
themselves, the shop's missed steps and sanctions, and the per-shop statistics (seed 003 5.2–5.3).

The lifecycle is `domain.service_complaints.TABLE`; this module applies a move's effects, writes
the timeline entry and the events, and re-arms the one deadline the new state waits on (a stored
`Deadline` row, fired by services.deadlines). A complaint is judged under the policy version in
force when it was filed, working days included.

Who sees what: the buyer their own; the shop its own once the complaint was forwarded to it (2.3:
before that it is the platform's to classify); agents and the platform all. A stranger gets 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from peifu.db.models import (
    Buyer,
    Case,
    Order,
    SanctionRow,
    ServiceComplaint,
    ServiceComplaintEntry,
    ServiceComplaintMiss,
    Shop,
)
from peifu.domain import service_complaints as rules
from peifu.domain.actors import SYSTEM, Actor, is_platform
from peifu.domain.errors import DomainError, Forbidden, Invalid, NotFound
from peifu.domain.events import EventType, iso
from peifu.domain.policy import Policy
from peifu.domain.service_complaints import Action, State, Step
from peifu.domain.vocabulary import DeadlineKind, Role
from peifu.services import events, timers, triage
from peifu.services.context import Ctx
from peifu.services.inputs import ServiceComplaintActIn, ServiceComplaintIn

ACTION_EVENTS: dict[Action, EventType] = {
    Action.register: EventType.service_complaint_registered,
    Action.forward: EventType.service_complaint_forwarded,
    Action.contact: EventType.service_complaint_contacted,
    Action.propose_remedy: EventType.service_complaint_remedy_proposed,
    Action.report_done: EventType.service_complaint_remedy_reported,
    Action.escalate: EventType.service_complaint_escalated,
    Action.resolve: EventType.service_complaint_resolved,
    Action.rate: EventType.service_complaint_rated,
}
"""The event of each move; dismiss, expire and withdraw only end it (`service_complaint.closed`)."""

SERVICE_MISSES = "service_misses"


def lock(session: Session, complaint_id: int) -> ServiceComplaint | None:
    stmt = select(ServiceComplaint).where(ServiceComplaint.id == complaint_id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return session.scalars(stmt.execution_options(populate_existing=True)).first()


def policy_of(ctx: Ctx, complaint: ServiceComplaint) -> Policy:
    return ctx.policies.get(ctx.session, complaint.policy_version)


def complaint_facts(complaint: ServiceComplaint) -> rules.Facts:
    return rules.Facts(
        state=State(complaint.state),
        filed_at=complaint.filed_at,
        state_entered_at=complaint.state_entered_at,
        forwarded_at=complaint.forwarded_at,
        promised_by=complaint.promised_by,
    )


def deadline_of(complaint: ServiceComplaint, policy: Policy) -> tuple[DeadlineKind, datetime] | None:
    return rules.deadline_for(complaint_facts(complaint), policy)


def deadline_json(complaint: ServiceComplaint, policy: Policy) -> dict[str, Any] | None:
    due = deadline_of(complaint, policy)
    return {"kind": str(due[0]), "due_at": iso(due[1])} if due else None


# --- filing ----------------------------------------------------------------------------------------


def file(ctx: Ctx, actor: Actor, body: ServiceComplaintIn) -> ServiceComplaint:
    """2.1: a buyer files through a channel, or an agent enters one for the buyer (and may
    classify and register it in the same breath, 2.2)."""
    session, now, policy = ctx.session, ctx.now(), ctx.policies.current
    if actor.role is Role.buyer:
        if body.buyer_id is not None and body.buyer_id != actor.id:
            raise Forbidden("actor_not_allowed", "A buyer files service complaints for themselves only.")
        if body.category is not None:
            raise Invalid("category_by_agent", "The platform classifies a complaint; leave out 'category'.")
        buyer_id = str(actor.id)
    elif actor.role is Role.agent:
        if body.buyer_id is None:
            raise Invalid("buyer_required", "Name the buyer ('buyer_id') you are entering the complaint for.")
        buyer_id = body.buyer_id
    else:
        raise Forbidden("actor_not_allowed", "Service complaints are filed by buyers, or entered by agents for them.")
    rules.check_channel(body.channel, policy)
    if body.category is not None:
        rules.check_category(body.category, policy)
    order_id, shop_id = _subject(session, actor, buyer_id, body)
    if session.get(Buyer, buyer_id) is None:
        raise NotFound("buyer_not_found", f"No buyer '{buyer_id}'.", buyer_id=buyer_id)
    complaint = ServiceComplaint(
        shop_id=shop_id,
        buyer_id=buyer_id,
        order_id=order_id,
        case_id=body.case_id,
        channel=body.channel,
        entered_by=actor.id if actor.role is Role.agent else None,
        description=body.description,
        suggested_category=str(_suggest(body.description)),
        state=str(State.filed),
        state_entered_at=now,
        policy_version=policy.version,
        filed_at=now,
    )
    session.add(complaint)
    session.flush()
    _entry(ctx, complaint, actor, "file", None, State.filed, {"channel": body.channel})
    _rearm(ctx, complaint, policy)
    events.service_complaint_event(ctx, EventType.service_complaint_filed, complaint, deadline_json(complaint, policy))
    if actor.role is Role.agent and body.category is not None:
        act(ctx, complaint.id, actor, ServiceComplaintActIn(action="register", category=body.category))
    return complaint


def _subject(session: Session, actor: Actor, buyer_id: str, body: ServiceComplaintIn) -> tuple[str | None, str]:
    """The order (and so the shop) the complaint is about, or the shop alone when there is none."""
    order_id = body.order_id
    if body.case_id is not None:
        case = session.get(Case, body.case_id)
        if case is None or case.buyer_id != buyer_id:
            raise NotFound("case_not_found", f"No case {body.case_id} of this buyer.")
        if order_id is not None and order_id != case.order_id:
            raise Invalid("case_not_in_order", f"Case {body.case_id} is not about order {order_id}.")
        order_id = case.order_id
    if order_id is not None:
        order = session.get(Order, order_id)
        if order is None or order.buyer_id != buyer_id:  # a stranger's order is not found
            raise NotFound("order_not_found", f"No order '{order_id}' of this buyer.", order_id=order_id)
        if body.shop_id is not None and body.shop_id != order.shop_id:
            raise Invalid("shop_not_of_order", f"Order {order_id} is not from shop '{body.shop_id}'.")
        return order.id, order.shop_id
    if body.shop_id is None:
        raise Invalid("subject_required", "Name the order ('order_id') or, without one, the shop ('shop_id').")
    if session.get(Shop, body.shop_id) is None:
        raise NotFound("shop_not_found", f"No shop '{body.shop_id}'.", shop_id=body.shop_id)
    return None, body.shop_id


def _suggest(text: str) -> rules.Category:
    """2.2: the triage suggests the class from the buyer's words (its reason, mapped)."""
    try:
        result = triage.triage(text)
    except DomainError:
        return rules.Category.service
    return rules.category_from_reason(str(result.reason))


# --- reading ---------------------------------------------------------------------------------------


def _can_see(actor: Actor, complaint: ServiceComplaint) -> bool:
    if actor.role is Role.agent or is_platform(actor):
        return True
    if actor.role is Role.buyer:
        return actor.id == complaint.buyer_id
    if actor.role is Role.seller:
        return actor.id == complaint.shop_id and complaint.forwarded_at is not None
    return False


def get(ctx: Ctx, complaint_id: int, actor: Actor) -> ServiceComplaint:
    complaint = ctx.session.get(ServiceComplaint, complaint_id)
    if complaint is None or not _can_see(actor, complaint):
        raise NotFound("service_complaint_not_found", f"No service complaint {complaint_id}.")
    return complaint


def listing(
    ctx: Ctx, actor: Actor, *, state: str | None = None, shop_id: str | None = None, limit: int = 100
) -> list[ServiceComplaint]:
    stmt = select(ServiceComplaint)
    if actor.role is Role.buyer:
        stmt = stmt.where(ServiceComplaint.buyer_id == actor.id)
    elif actor.role is Role.seller:
        stmt = stmt.where(ServiceComplaint.shop_id == actor.id, ServiceComplaint.forwarded_at.is_not(None))
    elif actor.role is not Role.agent and not is_platform(actor):
        raise Forbidden("actor_not_allowed", "Service complaints are for their buyer, their shop and the platform.")
    if state:
        if state not in State.__members__:
            raise Invalid("unknown_state", f"No service complaint state '{state}'.", states=[str(s) for s in State])
        stmt = stmt.where(ServiceComplaint.state == state)
    if shop_id:
        stmt = stmt.where(ServiceComplaint.shop_id == shop_id)
    stmt = stmt.order_by(ServiceComplaint.filed_at.desc(), ServiceComplaint.id.desc()).limit(limit)
    return list(ctx.session.scalars(stmt))


def timeline(ctx: Ctx, complaint: ServiceComplaint) -> list[ServiceComplaintEntry]:
    stmt = (
        select(ServiceComplaintEntry)
        .where(ServiceComplaintEntry.complaint_id == complaint.id)
        .order_by(ServiceComplaintEntry.seq)
    )
    return list(ctx.session.scalars(stmt))


def misses_of(ctx: Ctx, complaint: ServiceComplaint) -> list[ServiceComplaintMiss]:
    stmt = select(ServiceComplaintMiss).where(ServiceComplaintMiss.complaint_id == complaint.id)
    return list(ctx.session.scalars(stmt.order_by(ServiceComplaintMiss.id)))


# --- moves -----------------------------------------------------------------------------------------


def act(ctx: Ctx, complaint_id: int, actor: Actor, body: ServiceComplaintActIn) -> ServiceComplaint:
    """One move by a person (buyer, shop staff, agent), through the table."""
    complaint = lock(ctx.session, complaint_id)
    if complaint is None or not _can_see(actor, complaint):
        raise NotFound("service_complaint_not_found", f"No service complaint {complaint_id}.")
    role = Role.agent if actor.admin else actor.role
    _apply(ctx, complaint, Action(body.action), actor, role, body)
    return complaint


def _apply(
    ctx: Ctx, complaint: ServiceComplaint, action: Action, actor: Actor, role: Role, body: ServiceComplaintActIn | None
) -> None:
    now, policy = ctx.now(), policy_of(ctx, complaint)
    source = State(complaint.state)
    row = rules.decide(source, action, role)
    late = _late_step(complaint, policy, now) if role is not Role.system and row.target != source else None
    data: dict[str, Any] = {}
    if body is not None and body.note:
        data["note"] = body.note
    if action is Action.register:
        category: str | None = body.category if body is not None else None
        if role is Role.system:
            category = complaint.suggested_category or str(rules.Category.service)
        if category is None:
            raise Invalid("category_required", "Classify the complaint: 'category' is required to register it.")
        complaint.category = str(rules.check_category(category, policy))
        complaint.registered_at = complaint.registered_at or now
        data["category"] = complaint.category
    elif action is Action.forward:
        complaint.forwarded_at = now
    elif action is Action.contact:
        complaint.contacted_at = now
    elif action is Action.propose_remedy:
        if body is None or body.remedy is None or body.promised_by is None:
            raise Invalid("remedy_required", "A remedy needs 'remedy' (what will be done) and 'promised_by' (when).")
        rules.check_promise(body.promised_by, now, policy)
        complaint.remedy, complaint.promised_by, complaint.remedy_proposed_at = body.remedy, body.promised_by, now
        data.update(remedy=body.remedy, promised_by=iso(body.promised_by))
    elif action is Action.report_done:
        if body is None or body.result is None:
            raise Invalid("result_required", "Report what was done: 'result' is required.")
        complaint.result, complaint.done_at = body.result, now
        data["result"] = body.result
    elif action is Action.escalate:
        complaint.escalated_at = now
    elif action is Action.resolve:
        if body is None or not body.note:
            raise Invalid("note_required", "Say how the complaint was settled: 'note' is required.")
        complaint.result, complaint.done_at = body.note, now
    elif action is Action.dismiss and (body is None or not body.note):
        raise Invalid("note_required", "Say why the complaint is dismissed: 'note' is required.")
    elif action is Action.rate:
        if body is None or body.rating is None:
            raise Invalid("rating_required", "Rate from 1 to 5: 'rating' is required.")
        complaint.rating, complaint.rating_comment = body.rating, body.comment
        data["rating"] = body.rating
    complaint.state = str(row.target)
    if row.target != source:
        complaint.state_entered_at = now
    if row.target.is_final:
        complaint.closed_at = now
    if late is not None:  # done after its deadline, before the worker got to it: still a miss
        step, due_at = late
        data["late"] = True
        if _record_miss(ctx, complaint, step, due_at) and step in rules.SHOP_STEPS:
            apply_sanctions(ctx, complaint.shop_id, policy)
    _entry(ctx, complaint, actor, str(action), source, row.target, data)
    if row.target != source:
        _rearm(ctx, complaint, policy)
    deadline = deadline_json(complaint, policy)
    if action in ACTION_EVENTS:
        events.service_complaint_event(ctx, ACTION_EVENTS[action], complaint, deadline)
    if row.target.is_final and row.target != source:
        events.service_complaint_event(ctx, EventType.service_complaint_closed, complaint, None, action=str(action))


def _late_step(complaint: ServiceComplaint, policy: Policy, now: datetime) -> tuple[Step, datetime] | None:
    """The step this state waits on, if its deadline has passed (the timer has not fired yet)."""
    due = deadline_of(complaint, policy)
    if due is None or now <= due[1] or due[0] not in rules.MISSED_STEP:
        return None
    return rules.MISSED_STEP[due[0]], due[1]


def _entry(
    ctx: Ctx,
    complaint: ServiceComplaint,
    actor: Actor,
    action: str,
    source: State | None,
    target: State,
    data: dict[str, Any],
) -> None:
    seq = ctx.session.scalar(
        select(func.coalesce(func.max(ServiceComplaintEntry.seq), 0)).where(
            ServiceComplaintEntry.complaint_id == complaint.id
        )
    )
    ctx.session.add(
        ServiceComplaintEntry(
            complaint_id=complaint.id,
            seq=int(seq or 0) + 1,
            at=ctx.now(),
            actor_role=str(actor.role),
            actor_id=actor.id,
            action=action,
            from_state=str(source) if source is not None else None,
            to_state=str(target),
            data=data,
        )
    )


def _rearm(ctx: Ctx, complaint: ServiceComplaint, policy: Policy) -> None:
    timers.cancel_service_complaint_deadlines(ctx.session, complaint.id, timers.moved_to(complaint.state))
    due = deadline_of(complaint, policy)
    if due is not None:
        kind, due_at = due
        timers.arm(ctx.session, kind, due_at, ctx.now(), policy, service_complaint_id=complaint.id)
    ctx.session.flush()


# --- deadlines that act by themselves --------------------------------------------------------------


def on_deadline(ctx: Ctx, complaint_id: int, kind: DeadlineKind, due_at: datetime) -> str:
    """A service complaint's deadline fell due (the complaint is locked by the caller): record the
    missed step — once — then take the move the table says the deadline takes."""
    complaint = ctx.session.get(ServiceComplaint, complaint_id)
    if complaint is None:
        return f"service complaint {complaint_id}: gone"
    if rules.STATE_DEADLINES.get(State(complaint.state)) is not kind:
        return f"service complaint {complaint_id}: already {complaint.state}"
    policy = policy_of(ctx, complaint)
    step = rules.MISSED_STEP.get(kind)
    if step is not None:
        _record_miss(ctx, complaint, step, due_at)
    action = rules.DEADLINE_ACTIONS[kind]
    _apply(ctx, complaint, action, SYSTEM, Role.system, None)
    if step in rules.SHOP_STEPS:
        apply_sanctions(ctx, complaint.shop_id, policy)
    return f"service complaint {complaint.id}: {action} → {complaint.state}"


def _record_miss(ctx: Ctx, complaint: ServiceComplaint, step: Step, due_at: datetime) -> bool:
    """The missed step, once per complaint and step (the unique key decides between workers)."""
    party = "shop" if step in rules.SHOP_STEPS else "platform"
    miss = ServiceComplaintMiss(
        complaint_id=complaint.id,
        shop_id=complaint.shop_id,
        step=str(step),
        party=party,
        due_at=due_at,
        missed_at=ctx.now(),
    )
    try:
        with ctx.session.begin_nested():
            ctx.session.add(miss)
            ctx.session.flush()
    except IntegrityError:
        return False
    if party == "shop":  # when the miss leaves the period, the sanctions it holds up must lift by themselves
        policy = policy_of(ctx, complaint)
        due = miss.missed_at + timedelta(days=policy.complaints.period_days.value, seconds=1)
        timers.arm(ctx.session, DeadlineKind.penalty_expiry, due, ctx.now(), policy, service_complaint_id=complaint.id)
    events.service_complaint_event(
        ctx,
        EventType.service_complaint_step_missed,
        complaint,
        None,
        miss={"step": str(step), "party": party, "due_at": iso(due_at)},
    )
    return True


def on_miss_expiry(ctx: Ctx, complaint_id: int) -> str:
    """A shop's missed step aged out of the period: re-check which sanctions the remaining misses
    support (as `complaints.on_penalty_expiry` does for points)."""
    complaint = ctx.session.get(ServiceComplaint, complaint_id)
    if complaint is None:
        return f"service complaint {complaint_id}: gone"
    misses = apply_sanctions(ctx, complaint.shop_id, ctx.policies.current)
    return f"shop {complaint.shop_id}: sanctions re-checked after a missed step expired ({misses} in the period)"


def apply_sanctions(ctx: Ctx, shop_id: str, policy: Policy) -> int:
    """6.1: bring the sanctions a shop earns by missed steps in line with its misses within the
    period — new ones applied, those the misses no longer reach lifted; returns the misses."""
    _lock_shop(ctx.session, shop_id)
    since = ctx.now() - timedelta(days=policy.complaints.period_days.value)
    misses = list(
        ctx.session.scalars(
            select(ServiceComplaintMiss).where(
                ServiceComplaintMiss.shop_id == shop_id,
                ServiceComplaintMiss.party == "shop",
                ServiceComplaintMiss.missed_at > since,
            )
        )
    )
    active = _active_sanctions(ctx.session, shop_id)
    lifted = []
    for row in active:
        if rules.sanction_lifted(len(misses), row.threshold):
            row.revoked_at = ctx.now()
            lifted.append(row)
    still = {row.sanction for row in active if row.revoked_at is None}
    applied = [
        SanctionRow(
            shop_id=shop_id,
            sanction=due.sanction,
            threshold=due.threshold,
            points_at_trigger=due.misses,
            complaint_ids=sorted({m.complaint_id for m in misses}),
            policy_version=policy.version,
            triggered_at=ctx.now(),
            basis=SERVICE_MISSES,
        )
        for due in rules.sanctions_due(len(misses), still, policy)
    ]
    ctx.session.add_all(applied)
    ctx.session.flush()
    for row in lifted:
        events.sanction_event(ctx, EventType.sanction_lifted, row)
    for row in applied:
        events.sanction_event(ctx, EventType.sanction_applied, row)
    return len(misses)


def _lock_shop(session: Session, shop_id: str) -> None:
    stmt = select(Shop.id).where(Shop.id == shop_id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    session.execute(stmt)


def _active_sanctions(session: Session, shop_id: str) -> list[SanctionRow]:
    stmt = select(SanctionRow).where(
        SanctionRow.shop_id == shop_id, SanctionRow.revoked_at.is_(None), SanctionRow.basis == SERVICE_MISSES
    )
    return list(session.scalars(stmt.order_by(SanctionRow.threshold)))


# --- per-shop statistics (5.2–5.3) -----------------------------------------------------------------

STEP_DONE_AT = {
    Step.answer: "registered_at",
    Step.forward: "forwarded_at",
    Step.contact: "contacted_at",
    Step.remedy: "remedy_proposed_at",
    Step.carry_out: "done_at",
}


@dataclass(frozen=True)
class StepStat:
    step: str
    party: str
    in_time: int
    missed: int

    @property
    def share_in_time(self) -> float | None:
        total = self.in_time + self.missed
        return round(self.in_time / total, 4) if total else None


@dataclass(frozen=True)
class ShopStats:
    shop_id: str
    window_days: int
    since: datetime
    complaints: int
    orders: int
    steps: list[StepStat]
    rated: int
    satisfaction_avg: float | None
    satisfied_share: float | None
    shop_misses_in_period: int
    period_days: int
    sanctions: list[SanctionRow]

    @property
    def per_1000_orders(self) -> float | None:
        return round(self.complaints * 1000 / self.orders, 2) if self.orders else None


def shop_stats(ctx: Ctx, shop_id: str, actor: Actor) -> ShopStats:
    """Complaints per 1,000 orders, the share of each step done in time, satisfaction: over the
    metrics window (policy metrics.window_days); a shop's missed steps over the sanction period."""
    if actor.role is Role.seller and actor.id != shop_id:
        raise NotFound("shop_not_found", "No such shop.")
    if actor.role not in (Role.seller, Role.agent) and not is_platform(actor):
        raise Forbidden("actor_not_allowed", "A shop's complaint statistics are for its staff and the platform.")
    session, now, policy = ctx.session, ctx.now(), ctx.policies.current
    if session.get(Shop, shop_id) is None:
        raise NotFound("shop_not_found", f"No shop '{shop_id}'.")
    window = policy.metrics.window_days.value
    since = now - timedelta(days=window)
    rows = list(
        session.scalars(
            select(ServiceComplaint).where(ServiceComplaint.shop_id == shop_id, ServiceComplaint.filed_at > since)
        )
    )
    ids = [c.id for c in rows]
    missed: dict[tuple[int, str], bool] = {}
    if ids:
        stmt = select(ServiceComplaintMiss.complaint_id, ServiceComplaintMiss.step).where(
            ServiceComplaintMiss.complaint_id.in_(ids)
        )
        missed = {(cid, step): True for cid, step in session.execute(stmt)}
    steps = []
    for step in (*rules.PLATFORM_STEPS, *rules.SHOP_STEPS):
        late = sum(1 for c in rows if (c.id, str(step)) in missed)
        in_time = sum(1 for c in rows if getattr(c, STEP_DONE_AT[step]) is not None and (c.id, str(step)) not in missed)
        party = "shop" if step in rules.SHOP_STEPS else "platform"
        steps.append(StepStat(str(step), party, in_time, late))
    ratings = [c.rating for c in rows if c.rating is not None]
    orders = session.scalar(
        select(func.count(Order.id)).where(Order.shop_id == shop_id, Order.paid_at.is_not(None), Order.paid_at > since)
    )
    period = policy.complaints.period_days.value
    shop_misses = session.scalar(
        select(func.count(ServiceComplaintMiss.id)).where(
            ServiceComplaintMiss.shop_id == shop_id,
            ServiceComplaintMiss.party == "shop",
            ServiceComplaintMiss.missed_at > now - timedelta(days=period),
        )
    )
    return ShopStats(
        shop_id=shop_id,
        window_days=window,
        since=since,
        complaints=len(rows),
        orders=int(orders or 0),
        steps=steps,
        rated=len(ratings),
        satisfaction_avg=round(sum(ratings) / len(ratings), 2) if ratings else None,
        satisfied_share=round(sum(1 for r in ratings if r >= 4) / len(ratings), 4) if ratings else None,
        shop_misses_in_period=int(shop_misses or 0),
        period_days=period,
        sanctions=_active_sanctions(session, shop_id),
    )


def shops_overview(ctx: Ctx, limit: int = 20) -> list[ShopStats]:
    """5.3 for the platform: the shops complained about in the metrics window, most complaints per
    1,000 orders first (the dashboard)."""
    since = ctx.now() - timedelta(days=ctx.policies.current.metrics.window_days.value)
    stmt = (
        select(ServiceComplaint.shop_id)
        .where(ServiceComplaint.filed_at > since)
        .group_by(ServiceComplaint.shop_id)
        .order_by(func.count(ServiceComplaint.id).desc(), ServiceComplaint.shop_id)
        .limit(limit * 5)
    )
    rows = [shop_stats(ctx, shop_id, SYSTEM) for shop_id in ctx.session.scalars(stmt)]
    rows.sort(key=lambda s: (-(s.per_1000_orders or 0.0), -s.complaints, s.shop_id))
    return rows[:limit]
