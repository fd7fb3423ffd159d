"""Seller auto-handling rules (自动化处理规则 / 极速退款): what a shop answers at once, unasked.

A shop's after-sale team writes rules such as "agree at once to ordered_by_mistake or
no_longer_wanted under ¥100 before shipping" — the fast-refund tools sellers switch on for big
promotions (seed 004: 大促活动采用相关工具做到极速退款), and the seed-003 practice "reasons 1, 3, 5, 9
may be agreed directly; for 2, 8, 10, 11 ask the customer to change the reason".

A rule is conditions (case types, reasons, a maximum amount in fen, the order's stage) and one
action; no rule answers a claim the platform has marked abusive (云标签), which waits for a person. When a request arrives, the shop's enabled rules are tried in priority order (lower number
first, then the older rule) and the first whose every condition holds decides; `explain` says for
each rule which condition failed, so a seller can see why a request did or did not match.

Each action is a move the case state machine already has (domain.case_machine), taken as the shop:

* `agree` — the seller's `agree`: refund-only and partial refunds are paid at once; returns,
  exchanges and repairs move on to waiting for the buyer's parcel.
* `agree_after_return_signed` — `agree` to the return with `confirm_return_on_sign`: the refund is
  made the moment the courier reports the returned parcel signed (only for goods that come back).
* `ask_to_modify_reason` — `propose` the same request under `suggested_reason`: the buyer accepts
  (which is the seller's agreement, on the corrected reason), modifies, escalates or withdraws.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from peifu.domain.errors import Invalid
from peifu.domain.money import MAX_FEN
from peifu.domain.vocabulary import RETURN_CASE_TYPES, CaseAction, CaseType, OrderState, Reason

MAX_RULES_PER_SHOP = 50
MAX_PRIORITY = 10_000


class RuleAction(StrEnum):
    agree = "agree"
    agree_after_return_signed = "agree_after_return_signed"
    ask_to_modify_reason = "ask_to_modify_reason"


class OrderStage(StrEnum):
    """Where the goods are when the request arrives."""

    not_shipped = "not_shipped"  # 未发货: paid, not shipped
    in_transit = "in_transit"  # 已发货: shipped, not (yet) signed for — or refused at the door
    delivered = "delivered"  # 已签收: signed for, the trade not yet confirmed
    completed = "completed"  # 交易成功: after-sale request after the trade completed


def order_stage(
    state: OrderState | str, *, signed_at: datetime | None, refused_delivery_at: datetime | None
) -> OrderStage:
    state = OrderState(state)
    if state in (OrderState.completed, OrderState.closed):
        return OrderStage.completed
    if state is OrderState.shipped:
        if signed_at is not None and refused_delivery_at is None:
            return OrderStage.delivered
        return OrderStage.in_transit
    return OrderStage.not_shipped


@dataclass(frozen=True)
class Conditions:
    """Empty sets mean "any"; `max_amount_fen` None means no limit."""

    case_types: frozenset[CaseType] = frozenset()
    reasons: frozenset[Reason] = frozenset()
    order_stages: frozenset[OrderStage] = frozenset()
    max_amount_fen: int | None = None


@dataclass(frozen=True)
class Rule:
    id: int
    name: str
    priority: int
    action: RuleAction
    conditions: Conditions = field(default_factory=Conditions)
    suggested_reason: Reason | None = None  # ask_to_modify_reason: the reason proposed to the buyer
    message: str = ""  # shown to the buyer with the answer
    enabled: bool = True

    @property
    def order_key(self) -> tuple[int, int]:
        return (self.priority, self.id)


@dataclass(frozen=True)
class Request:
    """What the rules look at: the request as it arrived."""

    case_type: CaseType
    reason: Reason
    amount_fen: int
    order_stage: OrderStage
    marked_abusive: bool = False  # the platform marked the buyer's claims abusive (云标签, seed 004)


@dataclass(frozen=True)
class Check:
    """One rule tried against one request: matched, or the first condition that failed (a code and a
    sentence)."""

    rule: Rule
    failed: str | None
    why: str

    @property
    def matched(self) -> bool:
        return self.failed is None


def validate(rule: Rule) -> None:
    """A rule the engine could never carry out (or that would loop) is refused when it is written."""
    c = rule.conditions
    if not rule.name.strip():
        raise Invalid("rule_name_required", "Give the rule a name.")
    if not 0 <= rule.priority <= MAX_PRIORITY:
        raise Invalid("rule_priority_invalid", f"The priority is 0 to {MAX_PRIORITY} (lower runs first).")
    if c.max_amount_fen is not None and not 0 <= c.max_amount_fen <= MAX_FEN:
        raise Invalid("rule_amount_invalid", "The maximum amount is a non-negative number of fen.")
    goods_come_back = bool(c.case_types) and c.case_types <= RETURN_CASE_TYPES
    if rule.action is RuleAction.agree_after_return_signed and not goods_come_back:
        raise Invalid(
            "rule_case_types_invalid",
            "Agreeing after the return is signed needs goods that come back: choose only "
            "return_and_refund, exchange or repair.",
            allowed=sorted(RETURN_CASE_TYPES),
        )
    if rule.action is RuleAction.ask_to_modify_reason:
        if rule.suggested_reason is None:
            raise Invalid("rule_suggested_reason_required", "Say which reason the buyer is asked to choose.")
        if not c.reasons:
            raise Invalid("rule_reasons_required", "Say which reasons the buyer is asked to change.")
        if rule.suggested_reason in c.reasons:
            raise Invalid(
                "rule_suggested_reason_invalid",
                "The suggested reason must differ from the reasons the rule asks the buyer to change.",
            )
    elif rule.suggested_reason is not None:
        raise Invalid("rule_suggested_reason_invalid", "Only a rule that asks to modify the reason suggests one.")


def check(rule: Rule, request: Request) -> Check:
    c = rule.conditions
    if not rule.enabled:
        return Check(rule, "disabled", "The rule is switched off.")
    if request.marked_abusive:
        return Check(
            rule, "marked_abusive", "The platform marked this buyer's claims as abusive (云标签): a person answers."
        )
    if c.case_types and request.case_type not in c.case_types:
        return Check(rule, "case_type", f"The request is {request.case_type}, not one of the rule's case types.")
    if c.reasons and request.reason not in c.reasons:
        return Check(rule, "reason", f"The reason {request.reason} is not one of the rule's reasons.")
    if c.order_stages and request.order_stage not in c.order_stages:
        return Check(rule, "order_stage", f"The order is {request.order_stage}, not at one of the rule's stages.")
    if c.max_amount_fen is not None and request.amount_fen > c.max_amount_fen:
        return Check(
            rule, "amount", f"{request.amount_fen} fen asked is more than the rule's maximum of {c.max_amount_fen}."
        )
    if rule.action is RuleAction.agree_after_return_signed and request.case_type not in RETURN_CASE_TYPES:
        return Check(rule, "case_type", "No goods come back in this request, so nothing can be signed for.")
    if rule.action is RuleAction.ask_to_modify_reason and request.reason == rule.suggested_reason:
        return Check(rule, "reason", "The request already gives the suggested reason.")
    return Check(rule, None, f"Every condition of rule #{rule.id} holds.")


def ordered(rules: Iterable[Rule]) -> list[Rule]:
    return sorted(rules, key=lambda rule: rule.order_key)


def explain(rules: Iterable[Rule], request: Request) -> list[Check]:
    """Every rule in the order they are tried, with whether it matched or why not."""
    return [check(rule, request) for rule in ordered(rules)]


def first_match(rules: Sequence[Rule], request: Request) -> Rule | None:
    """The rule that decides the request: the first (by priority, then age) whose conditions hold."""
    for rule in ordered(rules):
        if check(rule, request).matched:
            return rule
    return None


@dataclass(frozen=True)
class Move:
    """The state-machine move a rule's action is carried out as."""

    action: CaseAction
    confirm_return_on_sign: bool = False
    proposed_reason: Reason | None = None


def move_for(rule: Rule) -> Move:
    if rule.action is RuleAction.agree:
        return Move(CaseAction.agree)
    if rule.action is RuleAction.agree_after_return_signed:
        return Move(CaseAction.agree, confirm_return_on_sign=True)
    return Move(CaseAction.propose, proposed_reason=rule.suggested_reason)


def note_for(rule: Rule) -> str:
    """The timeline note naming the rule, so anyone reading the case sees why it was answered."""
    text = f"自动处理规则 #{rule.id}「{rule.name}」 auto-rule #{rule.id} ({rule.action})"
    if rule.message:
        text += f": {rule.message}"
    return text[:1000]
