"""The service complaint (售后投诉, seed 003 卖家售后投诉处理制度): one table of states × actions × who.

A buyer complains about how a shop treats them after the sale (slow or rude after-sales, a promise
not kept, a problem not solved) through one of the published channels (2.1), or an agent enters a
complaint taken by phone on the buyer's behalf. Then, each step with its deadline:

    filed ──register (agent, 24 h)──▶ registered ──forward (agent, 3 working days)──▶ forwarded
    forwarded ──contact (shop, 1 working day)──▶ contacted ──propose_remedy (shop, 2 working days)──▶
    remedy_proposed ──report_done (shop, by the time it promised)──▶ awaiting_rating ──rate (buyer)──▶ closed

Every deadline acts by itself (`DEADLINE_ACTIONS`): a platform step that is late is taken by the
engine (the triage's class registers it; it is forwarded) and counted as the platform's miss; a
shop step that is late escalates the complaint to an agent and counts as the shop's miss, once; a
buyer who never rates lets it close unrated. An escalated complaint is settled by an agent
(`resolve` → the buyer is asked to rate, or `dismiss`). The buyer may withdraw until it ends.

Anything not in the table is refused: 409 in the wrong state, 403 for the wrong kind of actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from peifu.domain.errors import Conflict, Forbidden, Invalid
from peifu.domain.policy import Policy
from peifu.domain.vocabulary import DeadlineKind as D
from peifu.domain.vocabulary import Role as R


class State(StrEnum):
    filed = "filed"  # 已提交: the platform answers, classifies and registers it (24 h)
    registered = "registered"  # 已登记: the platform forwards it to the shop (3 working days)
    forwarded = "forwarded"  # 已转达卖家: the shop contacts the buyer (1 working day)
    contacted = "contacted"  # 卖家已联系: the shop proposes a remedy (2 working days)
    remedy_proposed = "remedy_proposed"  # 已提出处理方案: the shop carries it out by the time it promised
    escalated = "escalated"  # 小二跟进: a shop step was missed; an agent settles it
    awaiting_rating = "awaiting_rating"  # 待买家评价: the buyer is asked for their satisfaction
    closed = "closed"  # 已完结 (final)
    withdrawn = "withdrawn"  # 买家撤销 (final)
    dismissed = "dismissed"  # 不予受理/投诉不成立 (final)

    @property
    def is_final(self) -> bool:
        return self in FINAL


FINAL = frozenset({State.closed, State.withdrawn, State.dismissed})


class Action(StrEnum):
    register = "register"  # classify and register (分类、登记)
    forward = "forward"  # 转达卖家
    contact = "contact"  # 卖家联系买家
    propose_remedy = "propose_remedy"  # 卖家提出处理方案 (with the time it promises)
    report_done = "report_done"  # 卖家反馈处理结果
    escalate = "escalate"  # a missed shop step: to an agent
    resolve = "resolve"  # an agent settles an escalated complaint
    dismiss = "dismiss"  # an agent: not a complaint, or unfounded
    rate = "rate"  # 买家满意度
    expire = "expire"  # the buyer never rated
    withdraw = "withdraw"


class Channel(StrEnum):
    phone = "phone"
    email = "email"
    online = "online"
    chat = "chat"
    social_media = "social_media"


class Category(StrEnum):
    """二、售后投诉范围."""

    quality = "quality"
    not_as_described = "not_as_described"
    damaged = "damaged"
    missing = "missing"
    service = "service"
    other = "other"


class Step(StrEnum):
    """The steps with a deadline, for the misses and the per-shop statistics."""

    answer = "answer"  # platform, 2.2
    forward = "forward"  # platform, 2.3
    contact = "contact"  # shop, 3.1
    remedy = "remedy"  # shop, 3.2
    carry_out = "carry_out"  # shop, 3.3


SHOP_STEPS = (Step.contact, Step.remedy, Step.carry_out)
PLATFORM_STEPS = (Step.answer, Step.forward)


@dataclass(frozen=True)
class Transition:
    source: State
    action: Action
    target: State
    actors: frozenset[R]


BUYER = frozenset({R.buyer})
SELLER = frozenset({R.seller})
AGENT = frozenset({R.agent})
SYSTEM = frozenset({R.system})
AGENT_OR_SYSTEM = frozenset({R.agent, R.system})
BUYER_OR_AGENT = frozenset({R.buyer, R.agent})  # an agent withdraws for a buyer who called to say so
OPEN = (State.filed, State.registered, State.forwarded, State.contacted, State.remedy_proposed, State.escalated)

TABLE: tuple[Transition, ...] = (
    # 2.2 the platform answers, classifies and registers (or the engine does, from the triage)
    Transition(State.filed, Action.register, State.registered, AGENT_OR_SYSTEM),
    Transition(State.filed, Action.dismiss, State.dismissed, AGENT),
    # 2.3 the platform forwards it to the shop (or the engine does when 3 working days pass)
    Transition(State.registered, Action.register, State.registered, AGENT),  # reclassify
    Transition(State.registered, Action.forward, State.forwarded, AGENT_OR_SYSTEM),
    Transition(State.registered, Action.dismiss, State.dismissed, AGENT),
    # 3.1 the shop contacts the buyer; silence goes to an agent
    Transition(State.forwarded, Action.contact, State.contacted, SELLER),
    Transition(State.forwarded, Action.escalate, State.escalated, SYSTEM),
    # 3.2 the shop proposes a clear remedy (it may do so in the same breath as contacting)
    Transition(State.contacted, Action.propose_remedy, State.remedy_proposed, SELLER),
    Transition(State.contacted, Action.escalate, State.escalated, SYSTEM),
    # 3.3 the shop carries it out by the time it promised and reports the result
    Transition(State.remedy_proposed, Action.report_done, State.awaiting_rating, SELLER),
    Transition(State.remedy_proposed, Action.escalate, State.escalated, SYSTEM),
    # 小二跟进: an agent settles what the shop did not
    Transition(State.escalated, Action.resolve, State.awaiting_rating, AGENT),
    Transition(State.escalated, Action.dismiss, State.dismissed, AGENT),
    # 5.1 the buyer's satisfaction
    Transition(State.awaiting_rating, Action.rate, State.closed, BUYER),
    Transition(State.awaiting_rating, Action.expire, State.closed, SYSTEM),
    # the buyer may withdraw while it is open
    *(Transition(source, Action.withdraw, State.withdrawn, BUYER_OR_AGENT) for source in OPEN),
)

_INDEX: dict[tuple[State, Action], Transition] = {(row.source, row.action): row for row in TABLE}


def decide(state: State, action: Action, actor: R) -> Transition:
    """The row for this move, or why not: 409 (not in this state), 403 (not by this actor)."""
    row = _INDEX.get((state, action))
    if row is None:
        raise Conflict(
            "action_not_allowed",
            f"'{action}' is not possible while the service complaint is '{state}'.",
            state=str(state),
            action=str(action),
        )
    if actor not in row.actors:
        raise Forbidden(
            "actor_not_allowed",
            f"A {actor} cannot '{action}' a service complaint that is '{state}'.",
            state=str(state),
            action=str(action),
        )
    return row


def allowed_actions(state: State) -> dict[R, list[Action]]:
    """What each kind of actor can do now: the buttons on the pages."""
    result: dict[R, list[Action]] = {}
    for row in TABLE:
        if row.source is state:
            for actor in row.actors:
                result.setdefault(actor, []).append(row.action)
    return result


# --- deadlines ------------------------------------------------------------------------------------

STATE_DEADLINES: dict[State, D] = {
    State.filed: D.svc_platform_answer,
    State.registered: D.svc_forward,
    State.forwarded: D.svc_shop_contact,
    State.contacted: D.svc_shop_remedy,
    State.remedy_proposed: D.svc_shop_carry_out,
    State.awaiting_rating: D.svc_satisfaction,
}

DEADLINE_ACTIONS: dict[D, Action] = {
    D.svc_platform_answer: Action.register,
    D.svc_forward: Action.forward,
    D.svc_shop_contact: Action.escalate,
    D.svc_shop_remedy: Action.escalate,
    D.svc_shop_carry_out: Action.escalate,
    D.svc_satisfaction: Action.expire,
}

MISSED_STEP: dict[D, Step] = {
    D.svc_platform_answer: Step.answer,
    D.svc_forward: Step.forward,
    D.svc_shop_contact: Step.contact,
    D.svc_shop_remedy: Step.remedy,
    D.svc_shop_carry_out: Step.carry_out,
}
"""Which step a deadline that fires was the deadline of: the miss it records."""

SERVICE_DEADLINE_KINDS = frozenset(DEADLINE_ACTIONS)


@dataclass(frozen=True)
class Facts:
    """What the deadlines need to know about a complaint."""

    state: State
    filed_at: datetime
    state_entered_at: datetime
    forwarded_at: datetime | None = None
    promised_by: datetime | None = None


def step_due(step: Step, facts: Facts, policy: Policy) -> datetime | None:
    """When a step is due: the platform's from filing, the shop's from receiving the complaint."""
    rules, cal = policy.service_complaints, policy.working_calendar
    if step is Step.answer:
        return facts.filed_at + timedelta(hours=rules.platform_answer_hours.value)
    if step is Step.forward:
        return cal.add_working_days(facts.filed_at, rules.forward_working_days.value)
    if facts.forwarded_at is None:
        return None
    if step is Step.contact:
        return cal.add_working_days(facts.forwarded_at, rules.shop_contact_working_days.value)
    if step is Step.remedy:
        return cal.add_working_days(facts.forwarded_at, rules.shop_remedy_working_days.value)
    return facts.promised_by


def deadline_for(facts: Facts, policy: Policy) -> tuple[D, datetime] | None:
    """The one deadline a complaint in this state waits on, and when it falls due."""
    kind = STATE_DEADLINES.get(facts.state)
    if kind is None:
        return None
    if kind is D.svc_satisfaction:
        days = policy.service_complaints.satisfaction_working_days.value
        return kind, policy.working_calendar.add_working_days(facts.state_entered_at, days)
    due = step_due(MISSED_STEP[kind], facts, policy)
    return (kind, due) if due is not None else None


def latest_promise(proposed_at: datetime, policy: Policy) -> datetime:
    days = policy.service_complaints.max_promise_working_days.value
    return policy.working_calendar.add_working_days(proposed_at, days)


def check_promise(promised_by: datetime, now: datetime, policy: Policy) -> None:
    """3.3: the time the shop promises must be in the future and within the policy's limit."""
    latest = latest_promise(now, policy)
    if promised_by <= now:
        raise Invalid("promise_in_the_past", "The promised time must be in the future.", promised_by=str(promised_by))
    if promised_by > latest:
        days = policy.service_complaints.max_promise_working_days.value
        raise Invalid(
            "promise_too_late",
            f"A remedy can be promised for at most {days} working days from now (until {latest.isoformat()}).",
            latest=latest.isoformat(),
        )


def check_channel(channel: str, policy: Policy) -> Channel:
    if channel not in policy.service_complaints.channels.value:
        raise Invalid(
            "unknown_channel",
            f"'{channel}' is not a published complaint channel.",
            channels=list(policy.service_complaints.channels.value),
        )
    return Channel(channel)


def check_category(category: str, policy: Policy) -> Category:
    if category not in policy.service_complaints.categories.value:
        raise Invalid(
            "unknown_category",
            f"'{category}' is not a complaint category.",
            categories=list(policy.service_complaints.categories.value),
        )
    return Category(category)


SUGGESTED_CATEGORY: dict[str, Category] = {
    "quality_problem": Category.quality,
    "not_as_described": Category.not_as_described,
    "counterfeit": Category.not_as_described,
    "damaged": Category.damaged,
    "missing_items": Category.missing,
    "wrong_item": Category.missing,
    "not_received": Category.missing,
}


def category_from_reason(reason: str | None) -> Category:
    """The class the triage's suggested reason points at (2.2: 分类): service when it names none."""
    if reason is None:
        return Category.service
    return SUGGESTED_CATEGORY.get(reason, Category.service)


@dataclass(frozen=True)
class ServiceSanctionDue:
    sanction: str
    misses: int
    threshold: int


def sanctions_due(misses: int, already_active: set[str], policy: Policy) -> list[ServiceSanctionDue]:
    """6.1: the existing sanctions a shop's missed steps in the period reach and that are not in force."""
    return [
        ServiceSanctionDue(step.sanction, misses, step.misses.value)
        for step in sorted(policy.service_complaints.sanctions, key=lambda s: s.misses.value)
        if misses >= step.misses.value and step.sanction not in already_active
    ]


def sanction_lifted(misses: int, threshold: int) -> bool:
    """6.1: a sanction in force lifts once the shop's missed steps in the period fall below its threshold."""
    return misses < threshold
