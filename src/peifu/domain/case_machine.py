"""The after-sale case state machine: one table of (state, action, case types) → transition.

Every allowed move of a case is a row below; anything not in the table is refused with a 409.
Rows carry who may take the action, an optional named guard, and an optional follow-up action
the engine runs at once on the system's behalf (e.g. an agreed refund_only is executed
immediately, so the timeline shows "agree" then "execute_refund").

Which deadline a case waits on is a property of the state it is in (`STATE_DEADLINES`), and what
a deadline does when it falls due is `DEADLINE_ACTIONS`: together they are the "deadlines that
act by themselves" of the foundation issue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from peifu.domain.errors import Conflict, Forbidden
from peifu.domain.policy import Policy
from peifu.domain.vocabulary import CaseAction as A
from peifu.domain.vocabulary import CaseState as S
from peifu.domain.vocabulary import CaseType as T
from peifu.domain.vocabulary import DeadlineKind as D
from peifu.domain.vocabulary import Role as R


@dataclass(frozen=True)
class CaseFacts:
    """What guards and deadline rules need to know about a case, and nothing more."""

    state: S
    case_type: T
    opened_at: datetime
    state_entered_at: datetime
    return_shipped_at: datetime | None = None
    return_signed_at: datetime | None = None
    appeal_pending: bool = False  # a ruling on this case is under appeal (see services.disputes)
    confirm_return_on_sign: bool = False  # the seller agreed to confirm the return once it is signed for


Guard = Callable[[CaseFacts, datetime, Policy], str | None]
"""A guard returns None when the move is allowed, or a human sentence saying why not."""


def escalation_wait_over(facts: CaseFacts, now: datetime, policy: Policy) -> str | None:
    opens_at = facts.opened_at + policy.escalation_wait
    if now >= opens_at:
        return None
    hours = policy.windows.escalation_after_hours.value
    return (
        f"Intervention can be requested {hours} h after the request was opened "
        f"(from {opens_at.isoformat()}), or right after the seller refuses."
    )


def confirms_on_sign(facts: CaseFacts, now: datetime, policy: Policy) -> str | None:
    if facts.confirm_return_on_sign:
        return None
    return "The seller did not agree to confirm this return as soon as it is signed for."


def appeal_under_review(facts: CaseFacts, now: datetime, policy: Policy) -> str | None:
    if facts.appeal_pending:
        return None
    return "A ruling can be replaced only by the review of an appeal."


@dataclass(frozen=True)
class Transition:
    source: S
    action: A
    target: S
    actors: frozenset[R]
    types: frozenset[T] = frozenset(T)
    guard: Guard | None = None
    then: A | None = None  # follow-up action the engine takes at once, as `system`
    restarts_clock: bool | None = None  # default: only when the state changes

    @property
    def resets_deadline(self) -> bool:
        return self.source != self.target if self.restarts_clock is None else self.restarts_clock


REFUND_NOW = frozenset({T.refund_only, T.partial_refund})
GOODS_BACK = frozenset({T.return_and_refund, T.exchange, T.repair})
GOODS_OUT = frozenset({T.exchange, T.repair})
RETURN_REFUND = frozenset({T.return_and_refund})
RESHIP = frozenset({T.reship})

BUYER = frozenset({R.buyer})
SELLER = frozenset({R.seller})
SELLER_OR_SYSTEM = frozenset({R.seller, R.system})
BUYER_OR_SYSTEM = frozenset({R.buyer, R.system})
EITHER_PARTY = frozenset({R.buyer, R.seller})
SYSTEM = frozenset({R.system})
AGENT = frozenset({R.agent})
RULERS = frozenset({R.agent, R.system})
SIGNERS = frozenset({R.courier, R.system, R.platform})  # who reports a returned parcel signed for
MONEY_BACK = frozenset({T.refund_only, T.return_and_refund, T.partial_refund})
ADVANCE_FROM = (
    S.requested,
    S.proposed,
    S.refused,
    S.awaiting_return,
    S.return_shipped,
    S.return_rejected,
    S.in_intervention,
)


def _agree_rows(source: S, actors: frozenset[R]) -> list[Transition]:
    """The seller's "yes": what it leads to depends on what the buyer asked for."""
    return [
        Transition(source, A.agree, S.refunding, actors, REFUND_NOW, then=A.execute_refund),
        Transition(source, A.agree, S.awaiting_return, actors, GOODS_BACK),
        Transition(source, A.agree, S.awaiting_replacement, actors, RESHIP),
    ]


TABLE: tuple[Transition, ...] = (
    # 待卖家处理 — the seller must answer; silence is consent (auto-agree by `system`).
    *_agree_rows(S.requested, SELLER_OR_SYSTEM),
    Transition(S.requested, A.refuse, S.refused, SELLER),
    Transition(S.requested, A.propose, S.proposed, SELLER),
    Transition(S.requested, A.modify, S.requested, BUYER, restarts_clock=True),
    Transition(S.requested, A.withdraw, S.withdrawn, BUYER),
    Transition(S.requested, A.escalate, S.in_intervention, EITHER_PARTY, guard=escalation_wait_over),
    # 卖家提出方案 — the buyer accepts (which is the seller's agreement), changes, or walks away.
    Transition(S.proposed, A.accept_proposal, S.requested, BUYER, then=A.agree),
    *_agree_rows(S.proposed, SELLER),
    Transition(S.proposed, A.modify, S.requested, BUYER),
    Transition(S.proposed, A.withdraw, S.withdrawn, BUYER),
    Transition(S.proposed, A.escalate, S.in_intervention, EITHER_PARTY, guard=escalation_wait_over),
    Transition(S.proposed, A.timeout_close, S.closed, SYSTEM),
    # 卖家拒绝 — the buyer may escalate at once, modify and try again, or withdraw.
    *_agree_rows(S.refused, SELLER),
    Transition(S.refused, A.modify, S.requested, BUYER),
    Transition(S.refused, A.withdraw, S.withdrawn, BUYER),
    Transition(S.refused, A.escalate, S.in_intervention, BUYER),
    Transition(S.refused, A.timeout_close, S.closed, SYSTEM),
    # 待买家退货
    Transition(S.awaiting_return, A.ship_return, S.return_shipped, BUYER),
    Transition(S.awaiting_return, A.withdraw, S.withdrawn, BUYER),
    Transition(S.awaiting_return, A.escalate, S.in_intervention, EITHER_PARTY, guard=escalation_wait_over),
    Transition(S.awaiting_return, A.timeout_close, S.closed, SYSTEM),
    # 买家已退货 — the seller confirms (or the timer does), or rejects what came back. A seller who
    # agreed with `confirm_return_on_sign` (签收自动退款) has confirmed in advance: signing confirms.
    Transition(
        S.return_shipped, A.return_signed, S.return_shipped, SIGNERS, GOODS_BACK, confirms_on_sign, A.confirm_return
    ),
    Transition(S.return_shipped, A.return_signed, S.return_shipped, SIGNERS),
    Transition(S.return_shipped, A.confirm_return, S.refunding, SELLER_OR_SYSTEM, RETURN_REFUND, then=A.execute_refund),
    Transition(S.return_shipped, A.confirm_return, S.awaiting_replacement, SELLER_OR_SYSTEM, GOODS_OUT),
    Transition(S.return_shipped, A.reject_return, S.return_rejected, SELLER),
    Transition(S.return_shipped, A.escalate, S.in_intervention, EITHER_PARTY, guard=escalation_wait_over),
    # 卖家拒绝收货 — only the platform can settle what happened to the returned goods.
    Transition(S.return_rejected, A.escalate, S.in_intervention, BUYER),
    Transition(S.return_rejected, A.withdraw, S.withdrawn, BUYER),
    Transition(S.return_rejected, A.timeout_close, S.closed, SYSTEM),
    # 待卖家发出换货/维修件/补发件 — a seller who never ships is taken to intervention by the timer.
    Transition(S.awaiting_replacement, A.ship_replacement, S.replacement_shipped, SELLER),
    Transition(S.awaiting_replacement, A.escalate, S.in_intervention, BUYER, guard=escalation_wait_over),
    Transition(S.awaiting_replacement, A.escalate, S.in_intervention, SYSTEM),
    # 卖家已发出 — the buyer confirms, or the timer does.
    Transition(S.replacement_shipped, A.confirm_replacement, S.resolved, BUYER_OR_SYSTEM),
    Transition(S.replacement_shipped, A.escalate, S.in_intervention, BUYER, guard=escalation_wait_over),
    # 小二介入中 — the agent rules (or the evidence deadline does); the seller may still concede.
    *_agree_rows(S.in_intervention, SELLER),
    Transition(S.in_intervention, A.withdraw, S.withdrawn, BUYER),
    Transition(S.in_intervention, A.rule_refund, S.refunding, RULERS, then=A.execute_refund),
    Transition(S.in_intervention, A.rule_return, S.awaiting_return, RULERS),
    Transition(S.in_intervention, A.rule_close, S.closed, RULERS),
    # 申诉 — a reviewing agent replaces a ruling; money already moved is corrected by new entries.
    Transition(S.closed, A.rule_refund, S.refunding, AGENT, guard=appeal_under_review, then=A.execute_refund),
    Transition(S.closed, A.rule_return, S.awaiting_return, AGENT, guard=appeal_under_review),
    Transition(S.awaiting_return, A.rule_refund, S.refunding, AGENT, guard=appeal_under_review, then=A.execute_refund),
    Transition(S.awaiting_return, A.rule_close, S.closed, AGENT, guard=appeal_under_review),
    Transition(S.refunded, A.rule_close, S.closed, AGENT, guard=appeal_under_review),
    # …and a ruling that paid, replaced by one that pays more (the difference, now) or less (made
    # good to the seller as the policy says; the buyer keeps what was paid out). The goods are not
    # asked back once money went out: a refunded case is not ruled to rule_return.
    Transition(S.refunded, A.rule_refund, S.refunded, AGENT, MONEY_BACK, guard=appeal_under_review),
    # 先行赔付 — for courier loss, missing or wrong items the platform pays the buyer at once.
    *(Transition(source, A.advance_compensation, S.refunded, AGENT, MONEY_BACK) for source in ADVANCE_FROM),
    # 退款中 — the refund is executed by the engine in the same unit of work.
    Transition(S.refunding, A.execute_refund, S.refunded, SYSTEM),
)


def _index(table: tuple[Transition, ...]) -> dict[tuple[S, A, T], list[Transition]]:
    index: dict[tuple[S, A, T], list[Transition]] = {}
    for row in table:
        for case_type in row.types:
            index.setdefault((row.source, row.action, case_type), []).append(row)
    return index


_INDEX = _index(TABLE)


def candidate_rows(state: S, action: A, case_type: T) -> list[Transition]:
    return _INDEX.get((state, action, case_type), [])


def decide(facts: CaseFacts, action: A, actor: R, now: datetime, policy: Policy) -> Transition:
    """The row that applies to this move, or the reason it is refused.

    Refusals are `Conflict` (409: wrong state, or a guard not yet satisfied) or `Forbidden`
    (403: the state allows the action, but not by this kind of actor).
    """
    rows = candidate_rows(facts.state, action, facts.case_type)
    if not rows:
        raise Conflict(
            "action_not_allowed",
            f"'{action}' is not possible while the case is '{facts.state}'.",
            state=str(facts.state),
            action=str(action),
        )
    by_actor = [row for row in rows if actor in row.actors]
    if not by_actor:
        raise Forbidden(
            "actor_not_allowed",
            f"A {actor} cannot '{action}' a case that is '{facts.state}'.",
            state=str(facts.state),
            action=str(action),
        )
    refusals = []
    for row in by_actor:
        reason = row.guard(facts, now, policy) if row.guard else None
        if reason is None:
            return row
        refusals.append(reason)
    raise Conflict("too_early", refusals[0], state=str(facts.state), action=str(action))


def allowed_actions(facts: CaseFacts, now: datetime, policy: Policy) -> dict[R, list[A]]:
    """What each party can do right now: drives the buttons on the pages and the API's hints."""
    result: dict[R, list[A]] = {}
    for row in TABLE:
        if row.source != facts.state or facts.case_type not in row.types:
            continue
        if row.guard and row.guard(facts, now, policy) is not None:
            continue
        for actor in row.actors:
            if row.action not in result.setdefault(actor, []):
                result[actor].append(row.action)
    return result


# --- deadlines ------------------------------------------------------------------------------------

STATE_DEADLINES: dict[S, D] = {
    S.requested: D.seller_response,
    S.proposed: D.buyer_response,
    S.refused: D.buyer_response,
    S.return_rejected: D.buyer_response,
    S.awaiting_return: D.buyer_ship_return,
    S.return_shipped: D.seller_confirm_return,
    S.awaiting_replacement: D.seller_ship_replacement,
    S.replacement_shipped: D.buyer_confirm_replacement,
}

DEADLINE_ACTIONS: dict[D, A] = {
    D.seller_response: A.agree,
    D.buyer_response: A.timeout_close,
    D.buyer_ship_return: A.timeout_close,
    D.seller_confirm_return: A.confirm_return,
    D.seller_ship_replacement: A.escalate,
    D.buyer_confirm_replacement: A.confirm_replacement,
}


def deadline_for(facts: CaseFacts, policy: Policy) -> tuple[D, datetime] | None:
    """The one deadline a case in this state waits on, and when it falls due."""
    kind = STATE_DEADLINES.get(facts.state)
    if kind is None:
        return None
    rules = policy.deadlines
    entered = facts.state_entered_at
    if kind is D.seller_response:
        return kind, entered + timedelta(hours=rules.seller_response_hours.value)
    if kind is D.buyer_response:
        return kind, entered + timedelta(days=rules.buyer_response_days.value)
    if kind is D.buyer_ship_return:
        return kind, entered + timedelta(days=rules.buyer_ship_return_days.value)
    if kind is D.seller_confirm_return:
        shipped = facts.return_shipped_at or entered
        due = shipped + timedelta(days=rules.seller_confirm_return_days_after_shipped.value)
        if facts.return_signed_at is not None:
            signed_due = facts.return_signed_at + timedelta(days=rules.seller_confirm_return_days_after_signed.value)
            due = min(due, signed_due)
        return kind, due
    if kind is D.seller_ship_replacement:
        return kind, entered + timedelta(days=rules.seller_ship_replacement_days.value)
    return kind, entered + timedelta(days=rules.buyer_confirm_replacement_days.value)
