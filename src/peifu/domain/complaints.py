"""Rule complaints (规则投诉), penalty points (扣分) and sanctions (处罚), from seed 003.

A complaint claims one violation; each violation is a row of the seller-penalty table with its
points in the policy. Windows: a refusal to sell can be complained about while the order awaits
payment and for `window_after_close_days` after it closed; the other violations within that
many days after the trade ended (completed or closed), or from an after-sale request whose
reason is not_as_described or invoice_problem. Accumulated points within the policy period
trigger sanctions at the policy's thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from peifu.domain.errors import Ineligible
from peifu.domain.policy import Policy, SanctionStep
from peifu.domain.vocabulary import OrderState, Reason


class ComplaintType(StrEnum):
    breach_of_promise = "breach_of_promise"
    not_as_described = "not_as_described"


class Violation(StrEnum):
    refused_to_sell = "refused_to_sell"  # 拒绝交易、关闭订单 (before payment): 1
    promise_not_honoured = "promise_not_honoured"  # 赠品/包邮承诺未履行、要求加运费: 4
    promotion_terms_not_honoured = "promotion_terms_not_honoured"  # 官方活动要求未履行: 6
    invoice_refused = "invoice_refused"  # 拒开发票或转嫁税点/运费: 6
    severe_mismatch = "severe_mismatch"  # 严重不符或无法正常使用: 12
    mismatch_affecting_use = "mismatch_affecting_use"  # 不符且影响正常使用: 6
    mismatch_minor = "mismatch_minor"  # 不符但未实质影响使用: 3


TYPE_OF: dict[Violation, ComplaintType] = {
    Violation.refused_to_sell: ComplaintType.breach_of_promise,
    Violation.promise_not_honoured: ComplaintType.breach_of_promise,
    Violation.promotion_terms_not_honoured: ComplaintType.breach_of_promise,
    Violation.invoice_refused: ComplaintType.breach_of_promise,
    Violation.severe_mismatch: ComplaintType.not_as_described,
    Violation.mismatch_affecting_use: ComplaintType.not_as_described,
    Violation.mismatch_minor: ComplaintType.not_as_described,
}

CASE_REASONS_OFFERING: dict[Reason, frozenset[Violation]] = {
    Reason.not_as_described: frozenset(v for v, t in TYPE_OF.items() if t is ComplaintType.not_as_described),
    Reason.invoice_problem: frozenset({Violation.invoice_refused}),
}


def points_for(violation: Violation, policy: Policy) -> int:
    rule = getattr(policy.complaints.points, violation.value)
    return int(rule.value)


@dataclass(frozen=True)
class OrderFacts:
    state: OrderState
    completed_at: datetime | None
    closed_at: datetime | None
    case_reasons: frozenset[Reason]  # reasons of the order's after-sale requests


def check_can_file(violation: Violation, order: OrderFacts, now: datetime, policy: Policy) -> None:
    window = timedelta(days=policy.complaints.window_after_close_days.value)
    ended_at = order.closed_at if order.state is OrderState.closed else order.completed_at
    within_window = ended_at is not None and now <= ended_at + window
    if violation is Violation.refused_to_sell:
        if order.state is OrderState.awaiting_payment:
            return
        if order.state is OrderState.closed and order.closed_at is not None and now <= order.closed_at + window:
            return
        raise Ineligible(
            "complaint_window_closed",
            "A refusal to sell can be complained about while the order awaits payment, or within "
            f"{window.days} days after it was closed.",
        )
    if any(violation in CASE_REASONS_OFFERING.get(reason, frozenset()) for reason in order.case_reasons):
        return
    if order.state in (OrderState.completed, OrderState.closed) and within_window:
        return
    raise Ineligible(
        "complaint_window_closed",
        f"This complaint can be filed within {window.days} days after the trade ended, or from an "
        "after-sale request about the same problem.",
    )


@dataclass(frozen=True)
class SanctionDue:
    step: SanctionStep
    points: int


def sanctions_due(points: int, already_active: set[str], policy: Policy) -> list[SanctionDue]:
    """Sanctions whose threshold the shop's points reach and that are not in force yet."""
    return [
        SanctionDue(step, points)
        for step in sorted(policy.complaints.sanctions, key=lambda s: s.threshold.value)
        if points >= step.threshold.value and step.sanction not in already_active
    ]


def sanctions_lifted(points: int, active: dict[str, int]) -> list[str]:
    """Active sanctions (name → threshold) whose threshold the points no longer reach."""
    return [name for name, threshold in active.items() if points < threshold]
