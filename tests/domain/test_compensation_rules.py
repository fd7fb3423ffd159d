"""Every default compensation rule at its edges: on the pure domain functions, then end to end
through the API with the money it moves in the ledger.

Defaults (src/peifu/policy/default.toml): late_shipment and out_of_stock pay 30% of each line's
paid price, rounded half up, at most 500 yuan (50,000 fen) per line, in points, charged to the
seller's deposit; counterfeit pays the largest of the shop's promise (10×, tmall shops), Consumer
Protection Law art. 55 (3×, at least 500 yuan) and Food Safety Law art. 148 (10×, at least 1,000
yuan for food), to the original payment method; the platform pays in advance for courier loss,
missing and wrong items and recovers it from the deposit.

A buyer's stated reason is a claim; only a finding pays (policy `compensation.*.findings`):
late_shipment on the order's own record (shipped, or still unshipped, after the ship deadline);
out_of_stock on the seller's consent (agreeing, or staying silent past the deadline) while the
order never shipped; counterfeit only on an agent's ruling — seed 004: 「申请假货的退款理由，你同意
退货退款后，并不代表你的产品就是假货，天猫也不会因此判定你的店铺」. An agent's ruling naming a rule is
always a finding.

Here: the rules alone, no database (through the database: tests/api/test_compensation_rules.py).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from peifu.domain import compensation as rules
from peifu.domain.compensation import PricedLine, Rule
from peifu.domain.errors import Ineligible
from peifu.domain.money import percent_of
from peifu.domain.policy import Rule as PolicyRule
from peifu.domain.policy import default_policy
from peifu.domain.shipping_fees import SELLER_FAULT_REASONS, liability
from peifu.domain.vocabulary import Reason
from tests.conftest import START

POLICY = default_policy()


SECOND = timedelta(seconds=1)
HOUR = timedelta(hours=1)
SHIP_DEADLINE = START + timedelta(hours=72)  # paid at START, ordinary listing


def line(paid: int, no: int = 1, food: bool = False) -> PricedLine:
    return PricedLine(line_no=no, paid_fen=paid, food=food)


@pytest.mark.parametrize(
    ("paid", "expected", "capped"),
    [
        (170_000, 50_000, True),  # 30% of 1,700 yuan is 510 yuan: capped at 500
        (166_669, 50_000, True),  # 50,000.7 → 50,001 before the cap: the first price the cap cuts
        (166_668, 50_000, False),  # 50,000.4 → 50,000: exactly the cap, nothing cut
        (166_667, 50_000, False),  # 50,000.1 → 50,000
        (166_666, 50_000, False),  # one fen below: 49,999.8 rounds up to the cap
        (166_665, 50_000, False),  # 49,999.5 rounds half up
        (166_664, 49_999, False),  # 49,999.2 rounds down
        (39_900, 11_970, False),
        (15, 5, False),  # 4.5 fen → 5
        (5, 2, False),  # 1.5 fen → 2
        (1, 0, False),  # 0.3 fen → 0
    ],
)
@pytest.mark.parametrize("rule", ["late_shipment", "out_of_stock"])
def test_percent_rules_cap_and_round_half_up(rule: str, paid: int, expected: int, capped: bool) -> None:
    if rule == "out_of_stock":
        quote = rules.out_of_stock([line(paid)], POLICY)
    else:
        quote = rules.late_shipment([line(paid)], SHIP_DEADLINE, None, SHIP_DEADLINE + SECOND, POLICY)
    assert quote.rule == rule
    assert quote.amount_fen == expected
    assert ("(capped)" in quote.basis) is capped
    assert quote.payout_method == "points"
    assert quote.payer == "seller"
    assert not quote.recover_from_seller
    assert "¥500.00 per line" in quote.basis


def test_percent_of_rounds_half_up_exactly() -> None:
    assert [percent_of(n, 30) for n in (0, 1, 2, 3, 4, 5, 15, 25, 35)] == [0, 0, 1, 1, 1, 2, 5, 8, 11]
    assert percent_of(50, 1) == 1  # 0.5 → 1
    assert percent_of(49, 1) == 0  # 0.49 → 0


def test_percent_rules_cap_per_line_not_per_order() -> None:
    quote = rules.out_of_stock([line(170_000, 1), line(170_000, 2), line(10_000, 3)], POLICY)
    assert quote.amount_fen == 50_000 + 50_000 + 3_000
    assert quote.basis.count("(capped)") == 2


def test_late_shipment_only_once_the_deadline_has_passed() -> None:
    lines = [line(39_900)]
    for now in (START, SHIP_DEADLINE - SECOND, SHIP_DEADLINE):  # unshipped, deadline not yet missed
        with pytest.raises(Ineligible) as refused:
            rules.late_shipment(lines, SHIP_DEADLINE, None, now, POLICY)
        assert refused.value.code == "not_late"
    assert rules.late_shipment(lines, SHIP_DEADLINE, None, SHIP_DEADLINE + timedelta(microseconds=1), POLICY)
    # shipped exactly at the deadline is on time, whenever the claim is made
    with pytest.raises(Ineligible):
        rules.late_shipment(lines, SHIP_DEADLINE, SHIP_DEADLINE, SHIP_DEADLINE + timedelta(days=5), POLICY)
    late = rules.late_shipment(lines, SHIP_DEADLINE, SHIP_DEADLINE + SECOND, SHIP_DEADLINE + HOUR, POLICY)
    assert late.amount_fen == 11_970


CONSENTING = POLICY.model_copy(
    update={
        "compensation": POLICY.compensation.model_copy(
            update={
                "counterfeit": POLICY.compensation.counterfeit.model_copy(
                    update={
                        "findings": PolicyRule(value=["seller_consent"], source="a platform naming consent a finding")
                    }
                )
            }
        )
    }
)


@pytest.mark.parametrize(
    ("reason", "consented", "shipped_at", "policy", "found"),
    [
        (Reason.counterfeit, True, START, POLICY, None),  # seed 004: agreeing is not admitting
        (Reason.counterfeit, True, START, CONSENTING, Rule.counterfeit),  # unless the policy names it
        (Reason.out_of_stock, True, None, POLICY, Rule.out_of_stock),
        (Reason.out_of_stock, False, None, POLICY, None),  # refused: only a ruling can find it
        (Reason.out_of_stock, True, START, POLICY, None),  # shipped: the record contradicts the claim
        (Reason.late_shipment, False, SHIP_DEADLINE + HOUR, POLICY, Rule.late_shipment),  # the record finds it
        (Reason.late_shipment, True, SHIP_DEADLINE, POLICY, None),  # on time: whoever agreed
        (Reason.quality_problem, True, START, POLICY, None),  # no compensation rule at all
    ],
)
def test_only_a_finding_pays(reason: Reason, consented: bool, shipped_at: Any, policy: Any, found: Rule | None) -> None:
    facts = rules.RefundFacts(reason, consented, SHIP_DEADLINE, shipped_at, SHIP_DEADLINE + 2 * HOUR)
    assert rules.found_on_refund(facts, policy) == found
    quotes = rules.quotes_on_refund(facts, [line(39_900)], shop_promises_multiple=False, policy=policy)
    assert [q.rule for q in quotes] == ([found] if found else [])


@pytest.mark.parametrize(
    ("paid", "tmall", "food", "expected", "wins"),
    [
        (2_000, False, False, 50_000, "art. 55"),  # 20 yuan: 3× is 60 yuan, the 500-yuan minimum applies
        (16_666, False, False, 50_000, "art. 55"),  # 3× = 499.98 yuan: still the minimum
        (16_667, False, False, 50_001, "art. 55"),  # 3× = 500.01 yuan: above 166.67 yuan 3× applies
        (100_000, False, False, 300_000, "art. 55"),
        (2_000, True, False, 50_000, "art. 55"),  # tmall 10× of 20 yuan is 200 yuan: the minimum is larger
        (5_000, True, False, 50_000, "art. 55"),  # 10× = 500 yuan exactly ties with the minimum
        (5_001, True, False, 50_010, "shop promise"),
        (100_000, True, False, 1_000_000, "shop promise"),  # 假一赔十 beats 3×
        (2_000, False, True, 100_000, "food safety"),  # food: at least 1,000 yuan
        (9_999, False, True, 100_000, "food safety"),
        (10_001, False, True, 100_010, "food safety"),  # 10× above the food minimum
        (20_000, True, True, 200_000, "shop promise"),  # tmall and food tie at 10×: the first listed wins
    ],
)
def test_counterfeit_the_largest_applicable_amount_wins(
    paid: int, tmall: bool, food: bool, expected: int, wins: str
) -> None:
    quote = rules.counterfeit([line(paid, food=food)], shop_promises_multiple=tmall, policy=POLICY)
    assert quote.rule == "counterfeit"
    assert quote.amount_fen == expected
    assert quote.basis.startswith(wins), quote.basis
    assert quote.payout_method == "original_payment"
    assert quote.payer == "seller"
    if tmall or food:
        assert "the largest of" in quote.basis


def test_counterfeit_food_multiple_counts_only_food_lines() -> None:
    quote = rules.counterfeit(
        [line(50_000, 1, food=False), line(12_000, 2, food=True)], shop_promises_multiple=False, policy=POLICY
    )
    assert quote.amount_fen == max(62_000 * 3, 12_000 * 10, 100_000) == 186_000
    quote = rules.counterfeit(
        [line(1_000, 1, food=False), line(15_000, 2, food=True)], shop_promises_multiple=False, policy=POLICY
    )
    assert quote.amount_fen == 150_000  # 10× the food line beats 3× of both lines


@pytest.mark.parametrize("reason", list(Reason))
def test_advance_compensation_only_for_the_listed_reasons(reason: Reason) -> None:
    listed = {"not_received", "missing_items", "wrong_item"}
    assert set(POLICY.compensation.advance_compensation.reasons.value) == listed
    if reason in listed:
        quote = rules.advance_compensation(12_345, reason, POLICY)
        assert (quote.amount_fen, quote.payer, quote.payout_method) == (12_345, "platform", "original_payment")
        assert quote.recover_from_seller
    else:
        with pytest.raises(Ineligible) as refused:
            rules.advance_compensation(12_345, reason, POLICY)
        assert refused.value.code == "advance_not_applicable"


BUYER_SIDE = [r for r in Reason if r not in SELLER_FAULT_REASONS]


@pytest.mark.parametrize("reason", sorted(SELLER_FAULT_REASONS))
@pytest.mark.parametrize("free_shipping", [True, False])
def test_seller_fault_pays_both_legs(reason: Reason, free_shipping: bool) -> None:
    got = liability(reason, free_shipping=free_shipping, shipping_insurance=False)
    assert (got.outbound_payer, got.return_payer, got.proof_owed_by) == ("seller", "seller", None)
    insured = liability(reason, free_shipping=free_shipping, shipping_insurance=True)
    assert (insured.outbound_payer, insured.return_payer) == ("seller", "insurer")


@pytest.mark.parametrize("reason", BUYER_SIDE)
def test_no_fault_each_side_pays_its_leg_only_with_free_shipping(reason: Reason) -> None:
    assert reason in (Reason.seven_day_no_reason, Reason.no_longer_wanted, Reason.ordered_by_mistake, Reason.other)
    free = liability(reason, free_shipping=True, shipping_insurance=False)
    assert (free.outbound_payer, free.return_payer) == ("seller", "buyer")
    paid = liability(reason, free_shipping=False, shipping_insurance=False)
    assert (paid.outbound_payer, paid.return_payer) == ("buyer", "buyer")
    insured = liability(reason, free_shipping=False, shipping_insurance=True)
    assert (insured.outbound_payer, insured.return_payer) == ("buyer", "insurer")
    assert "insurance" in insured.basis


@pytest.mark.parametrize("reason", [Reason.other, Reason.quality_problem, Reason.seven_day_no_reason])
def test_refused_delivery_with_and_without_reason(reason: Reason) -> None:
    bare = liability(reason, free_shipping=False, shipping_insurance=False, refused_delivery=True)
    assert (bare.outbound_payer, bare.return_payer, bare.proof_owed_by) == ("buyer", "buyer", "seller")
    given = liability(
        reason, free_shipping=False, shipping_insurance=False, refused_delivery=True, refusal_reason_given=True
    )
    assert (given.outbound_payer, given.return_payer, given.proof_owed_by) == ("seller", "seller", "buyer")
    insured = liability(reason, free_shipping=False, shipping_insurance=True, refused_delivery=True)
    assert (insured.return_payer, insured.proof_owed_by) == ("insurer", "seller")


def test_payout_methods_follow_the_policy() -> None:
    comp = POLICY.compensation
    assert comp.late_shipment.payout_method.value == "points"
    assert comp.out_of_stock.payout_method.value == "points"
    assert comp.counterfeit.payout_method.value == "original_payment"
    assert comp.advance_compensation.payout_method.value == "original_payment"
    assert rules.out_of_stock([line(100)], POLICY).payout_method == comp.out_of_stock.payout_method.value
    assert rules.counterfeit([line(100)], shop_promises_multiple=False, policy=POLICY).payout_method == (
        comp.counterfeit.payout_method.value
    )
