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

A buyer's stated reason is a claim, not a finding: it only says which rule to look at. A rule pays
when the facts it pays for are *found* — by an agent's ruling that names it (always), or by what
the policy names in the rule's `findings` (`Finding`): the order's own record, or the seller's
consent to the request for that reason. Seed 004: 「申请假货的退款理由,你同意退货退款后,并不代表你
的产品就是假货,天猫也不会因此判定你的店铺」 — so agreeing to a counterfeit-reason refund pays no
假一赔十 unless the policy names consent as a finding for counterfeit (the default does not).
Where the order's record contradicts the claim (an out-of-stock order that shipped, a late
shipment that was on time), nothing is found, whoever agreed.
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


class Finding(StrEnum):
    """What may establish the facts a compensation rule pays for, besides an agent's ruling naming
    the rule (which always does). Each rule's `findings` in the policy lists the ones it accepts."""

    order_record = "order_record"  # the order's own record: ship time (the courier's) against the deadline
    seller_consent = "seller_consent"  # the seller agreed to the request for this reason, or let the
    # response deadline agree for it (视为默认同意), before any ruling


RULE_OF_REASON: dict[Reason, Rule] = {
    Reason.late_shipment: Rule.late_shipment,
    Reason.out_of_stock: Rule.out_of_stock,
    Reason.counterfeit: Rule.counterfeit,
}
"""The compensation rule a stated reason claims. advance_compensation is the platform's own
decision (an agent's action), never claimed by a reason."""


@dataclass(frozen=True)
class RefundFacts:
    """What is known about a case when its refund is executed, beyond the reason the buyer stated."""

    reason: Reason
    seller_consented: bool  # before any ruling, the seller (or its response deadline) agreed
    ship_deadline: datetime | None
    shipped_at: datetime | None
    now: datetime

    @property
    def shipped_late(self) -> bool | None:
        """The order's record on late shipment: True/False, None when it has no ship deadline."""
        if self.ship_deadline is None:
            return None
        if self.shipped_at is not None:
            return self.shipped_at > self.ship_deadline
        return self.now > self.ship_deadline


def findings_of(rule: Rule, policy: Policy) -> frozenset[Finding]:
    rules = policy.compensation
    if rule is Rule.late_shipment:
        return frozenset(Finding(f) for f in rules.late_shipment.findings.value)
    if rule is Rule.out_of_stock:
        return frozenset(Finding(f) for f in rules.out_of_stock.findings.value)
    if rule is Rule.counterfeit:
        return frozenset(Finding(f) for f in rules.counterfeit.findings.value)
    return frozenset()


def may_earn_on_refund(reason: Reason, policy: Policy) -> bool:
    """Whether a refund for this reason can earn compensation without a ruling (a finding the
    policy accepts besides a ruling). The set-based batch path takes only reasons that cannot."""
    rule = RULE_OF_REASON.get(reason)
    return rule is not None and bool(findings_of(rule, policy))


def record_says(rule: Rule, facts: RefundFacts) -> bool | None:
    """What the order's own record says about the claim: True establishes it, False contradicts it,
    None says nothing either way."""
    if rule is Rule.late_shipment:
        return facts.shipped_late
    if rule is Rule.out_of_stock and facts.shipped_at is not None:
        return False  # goods the seller shipped were not out of stock (seed 003: 在未发货状态下…卖家缺货)
    return None


def found_on_refund(facts: RefundFacts, policy: Policy) -> Rule | None:
    """The compensation rule the case's reason claims, if a finding the policy accepts (other than
    a ruling, which pays what it names itself) establishes it; else None."""
    rule = RULE_OF_REASON.get(facts.reason)
    if rule is None:
        return None
    accepted = findings_of(rule, policy)
    record = record_says(rule, facts)
    if record is False:
        return None
    if Finding.order_record in accepted and record is True:
        return rule
    if Finding.seller_consent in accepted and facts.seller_consented:
        return rule
    return None


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


def quotes_on_refund(
    facts: RefundFacts, lines: Sequence[PricedLine], *, shop_promises_multiple: bool, policy: Policy
) -> list[Quote]:
    """What a refund being executed earns besides the refund itself: the rule its reason claims,
    when a finding establishes it (see `found_on_refund`). A percentage of a tiny price can round
    to 0 fen: there is nothing to pay then, and an empty posting would fail the whole refund."""
    rule = found_on_refund(facts, policy)
    if rule is None:
        return []
    if rule is Rule.late_shipment:
        assert facts.ship_deadline is not None  # found on the record, which needs the deadline
        quote = late_shipment(lines, facts.ship_deadline, facts.shipped_at, facts.now, policy)
    elif rule is Rule.out_of_stock:
        quote = out_of_stock(lines, policy)
    else:
        quote = counterfeit(lines, shop_promises_multiple=shop_promises_multiple, policy=policy)
    return [quote] if quote.amount_fen > 0 else []
