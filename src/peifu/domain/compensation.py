"""How much compensation (赔付) a case earns, under which rule, paid how and by whom.

Each function takes the facts and the policy and returns a `Quote` that explains itself
(`basis`), so the buyer, the seller and the agent all see why the number is what it is. The
rules (defaults in policy/default.toml, from seed 003 and the statutes):

* late_shipment / out_of_stock: `percent` of each line's paid price, capped per line, paid in
  points and charged to the seller. late_shipment only once the ship deadline has passed.
* counterfeit: a multiple of the price on top of the refund — the shop's promise (假一赔十) where
  it makes one, never below Consumer Protection Law art. 55 (3×, at least 500 yuan); for food,
  Food Safety Law art. 148 (10×, at least 1,000 yuan). The largest applicable amount wins.
* advance_compensation (先行赔付): the platform pays the buyer the refund at once from its fund
  and recovers it from the seller's deposit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from peifu.domain.errors import Ineligible
from peifu.domain.money import Fen, format_yuan, percent_of
from peifu.domain.policy import PercentOfPriceRule, Policy
from peifu.domain.vocabulary import Reason


class Rule(StrEnum):
    late_shipment = "late_shipment"
    out_of_stock = "out_of_stock"
    counterfeit = "counterfeit"
    advance_compensation = "advance_compensation"


@dataclass(frozen=True)
class Quote:
    rule: Rule
    amount_fen: Fen
    payout_method: str
    payer: str  # seller | platform
    basis: str  # a sentence: how the amount was reached
    recover_from_seller: bool = False


@dataclass(frozen=True)
class PricedLine:
    line_no: int
    paid_fen: Fen
    food: bool = False


REASONS_EARNING_ON_REFUND = frozenset({Reason.out_of_stock, Reason.late_shipment, Reason.counterfeit})
"""Refunds for these reasons may earn compensation when they are executed (services.compensation
.quotes_on_refund); a refund for any other reason earns none."""


def _percent_rule(rule: Rule, params: PercentOfPriceRule, lines: Sequence[PricedLine]) -> Quote:
    parts = []
    total = 0
    for line in lines:
        raw = percent_of(line.paid_fen, params.percent.value)
        amount = min(raw, params.cap_fen.value)
        total += amount
        capped = " (capped)" if amount < raw else ""
        parts.append(
            f"line {line.line_no}: {params.percent.value}% of {format_yuan(line.paid_fen)} = {format_yuan(amount)}{capped}"
        )
    return Quote(
        rule=rule,
        amount_fen=total,
        payout_method=params.payout_method.value,
        payer=params.payer.value,
        basis="; ".join(parts) + f"; at most {format_yuan(params.cap_fen.value)} per line",
    )


def late_shipment(
    lines: Sequence[PricedLine], ship_deadline: datetime, shipped_at: datetime | None, now: datetime, policy: Policy
) -> Quote:
    """Only once the deadline has passed — shipped after it, or still unshipped after it."""
    shipped_late = shipped_at is not None and shipped_at > ship_deadline
    unshipped_past = shipped_at is None and now > ship_deadline
    if not (shipped_late or unshipped_past):
        raise Ineligible(
            "not_late",
            f"The ship deadline ({ship_deadline.isoformat()}) has not been missed; nothing to compensate.",
            ship_deadline=ship_deadline.isoformat(),
        )
    return _percent_rule(Rule.late_shipment, policy.compensation.late_shipment, lines)


def out_of_stock(lines: Sequence[PricedLine], policy: Policy) -> Quote:
    return _percent_rule(Rule.out_of_stock, policy.compensation.out_of_stock, lines)


def counterfeit(lines: Sequence[PricedLine], *, shop_promises_multiple: bool, policy: Policy) -> Quote:
    rules = policy.compensation.counterfeit
    price = sum(line.paid_fen for line in lines)
    candidates = [
        (
            max(price * rules.statutory_multiple.value, rules.statutory_min_fen.value),
            f"art. 55: {rules.statutory_multiple.value}× {format_yuan(price)}, at least {format_yuan(rules.statutory_min_fen.value)}",
        ),
    ]
    if shop_promises_multiple:
        candidates.append(
            (price * rules.shop_multiple.value, f"shop promise: {rules.shop_multiple.value}× {format_yuan(price)}")
        )
    food_price = sum(line.paid_fen for line in lines if line.food)
    if food_price:
        candidates.append(
            (
                max(food_price * rules.food_multiple.value, rules.food_min_fen.value),
                f"food safety art. 148: {rules.food_multiple.value}× {format_yuan(food_price)}, "
                f"at least {format_yuan(rules.food_min_fen.value)}",
            )
        )
    amount, basis = max(candidates, key=lambda c: c[0])
    others = "; ".join(text for value, text in candidates if text != basis)
    return Quote(
        rule=Rule.counterfeit,
        amount_fen=amount,
        payout_method=rules.payout_method.value,
        payer=rules.payer.value,
        basis=f"{basis} = {format_yuan(amount)}" + (f" (the largest of: {others})" if others else ""),
    )


def advance_compensation(refund_fen: Fen, reason: Reason, policy: Policy) -> Quote:
    rules = policy.compensation.advance_compensation
    if reason not in rules.reasons.value:
        allowed = ", ".join(rules.reasons.value)
        raise Ineligible(
            "advance_not_applicable",
            f"The platform pays in advance only for: {allowed}; this case's reason is {reason}.",
        )
    return Quote(
        rule=Rule.advance_compensation,
        amount_fen=refund_fen,
        payout_method=rules.payout_method.value,
        payer=rules.payer.value,
        basis=f"platform pays the refund of {format_yuan(refund_fen)} at once and recovers it from the seller's deposit",
        recover_from_seller=True,
    )
