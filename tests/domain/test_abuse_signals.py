"""Abuse signals (滥用信号) and buyer marks (云标签).

The rules on hand-built histories: every signal fires exactly at its policy threshold and not
below, its explanation states the numbers, and more of what it counts never lowers its score
(Hypothesis). Then through the services and the API: histories loaded from real orders, cases,
evidence and courier events; who may read signals; and a buyer mark taking the buyer's claims out
of the shop's metrics — refund_rate before and after by hand — and lifting it restoring them,
with the rollups equal to a rebuild from the raw tables and every mark in the audit chain.

Here: the rules alone, no database (through the database: tests/api/test_abuse_signals.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peifu.domain import abuse as rules
from peifu.domain.abuse import (
    BuyerClaim,
    BuyerHistory,
    BuyerOrder,
    ClaimStep,
    MarkTerms,
    ShopHistory,
    ShopOrder,
    SignalCode,
)
from peifu.domain.policy import default_policy

RULES = default_policy().abuse
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)
D = timedelta(days=1)


def test_the_default_thresholds_are_the_ones_these_tests_assume() -> None:
    assert (RULES.window_days.value, RULES.refund_only_min_orders.value, RULES.refund_only_percent.value) == (30, 3, 50)
    assert (RULES.reason_switch_min.value, RULES.counterfeit_unproven_min.value) == (2, 3)
    assert (RULES.quick_claim_hours.value, RULES.quick_claim_min_shops.value) == (24, 3)
    assert (RULES.fake_shipping_silent_days.value, RULES.fake_shipping_min_orders.value) == (4, 3)
    assert (RULES.late_shipment_min_orders.value, RULES.late_shipment_percent.value) == (3, 10)
    assert RULES.counterfeit_proof_kinds.value == ["document"]


def claim(
    case_id: int,
    order_id: str,
    *,
    shop: str = "s1",
    opened: datetime = NOW - D,
    case_type: str = "refund_only",
    reason: str = "ordered_by_mistake",
    then: tuple[ClaimStep, ...] = (),
    proof: bool = False,
    received: datetime | None = None,
) -> BuyerClaim:
    steps = (ClaimStep(opened, "open", reason, case_type), *then)
    return BuyerClaim(case_id, order_id, shop, opened, steps, has_proof=proof, received_at=received)


def buyer_with(orders: int, refund_only_on: int, *, extra_claims: int = 0) -> BuyerHistory:
    """`orders` paid orders, the first `refund_only_on` of them with a refund_only request (and
    `extra_claims` return requests on the others)."""
    placed = tuple(BuyerOrder(f"O{i}", "s1", NOW - 2 * D, True) for i in range(orders))
    claims = [claim(i + 1, f"O{i}") for i in range(refund_only_on)]
    claims += [
        claim(100 + i, f"O{refund_only_on + i}", case_type="return_and_refund", reason="quality_problem")
        for i in range(extra_claims)
    ]
    return BuyerHistory("b1", NOW, placed, tuple(claims))


def test_refund_only_frequency_fires_at_the_threshold_and_explains_itself() -> None:
    signal = rules.refund_only_frequency(buyer_with(6, 3), RULES)
    assert signal is not None
    assert (signal.code, signal.subject, signal.subject_id, signal.score) == (
        SignalCode.refund_only_frequency,
        "buyer",
        "b1",
        50,
    )
    assert signal.figures == {"orders": 6, "refund_only_orders": 3, "percent": 50}
    assert "近30天 6 笔订单中 3 笔申请仅退款 (50%)" in signal.explanation_zh
    assert "3 of 6 orders (50%)" in signal.explanation_en
    assert signal.case_ids == (1, 2, 3) and signal.order_ids == ("O0", "O1", "O2")
    # the seed's example: 9 of 12 is 75 %, score 75
    nine = rules.refund_only_frequency(buyer_with(12, 9), RULES)
    assert nine is not None and nine.score == 75
    assert "近30天 12 笔订单中 9 笔申请仅退款 (75%)" in nine.explanation_zh


@pytest.mark.parametrize(
    ("orders", "refund_only_on", "why"),
    [
        (7, 3, "3/7 is under 50 %"),
        (4, 2, "50 %, but only 2 orders"),
        (2, 2, "100 %, but only 2 orders"),
        (0, 0, "nothing at all"),
    ],
)
def test_refund_only_frequency_not_below(orders: int, refund_only_on: int, why: str) -> None:
    assert rules.refund_only_frequency(buyer_with(orders, refund_only_on, extra_claims=1), RULES) is None, why


def test_refund_only_counts_orders_not_requests_and_only_paid_ones() -> None:
    history = buyer_with(6, 3)
    twice = (*history.claims, claim(50, "O0"), claim(51, "O1"))  # second requests on the same orders
    unpaid = (*history.orders, *(BuyerOrder(f"U{i}", "s1", NOW - D, False) for i in range(6)))
    signal = rules.refund_only_frequency(BuyerHistory("b1", NOW, unpaid, twice), RULES)
    assert signal is not None and signal.figures == {"orders": 6, "refund_only_orders": 3, "percent": 50}
    assert set(signal.case_ids) == {1, 2, 3, 50, 51}


def refuse(at: datetime) -> ClaimStep:
    return ClaimStep(at, "refuse")


def modify(at: datetime, reason: str) -> ClaimStep:
    return ClaimStep(at, "modify", reason, "refund_only")


def test_reason_switching_fires_at_two_switches() -> None:
    t = NOW - 5 * D
    switched_in_case = claim(1, "O1", opened=t, then=(refuse(t + H), modify(t + 2 * H, "no_longer_wanted")))
    refused = claim(2, "O2", opened=t, reason="ordered_by_mistake", then=(refuse(t + H),))
    new_request = claim(3, "O2", opened=t + 3 * H, reason="no_longer_wanted")
    one = BuyerHistory("b1", NOW, (), (switched_in_case,))
    assert rules.reason_switching(one, RULES) is None
    two = BuyerHistory("b1", NOW, (), (switched_in_case, refused, new_request))
    signal = rules.reason_switching(two, RULES)
    assert signal is not None and signal.score == 50
    assert signal.figures == {"switches": 2, "orders": 2}
    assert signal.case_ids == (1, 2, 3) and signal.order_ids == ("O1", "O2")
    assert "拒绝后改理由再申请 2 次（涉及 2 笔订单）" in signal.explanation_zh
    assert "2 times on 2 orders" in signal.explanation_en


def test_what_is_not_reason_switching() -> None:
    t = NOW - 5 * D
    not_refused = claim(1, "O1", opened=t, then=(modify(t + H, "no_longer_wanted"),))
    same_reason_again = [
        claim(2, "O2", opened=t, then=(refuse(t + H),)),
        claim(3, "O2", opened=t + 2 * H),
    ]
    refused_after_the_new_one = [
        claim(4, "O3", opened=t, then=(refuse(t + 5 * H),)),
        claim(5, "O3", opened=t + H, reason="no_longer_wanted"),
    ]
    seller_proposed_reason = claim(
        6,
        "O4",
        opened=t,
        then=(refuse(t + H), ClaimStep(t + 2 * H, "accept", "no_longer_wanted", "refund_only")),
    )
    other_order = [claim(7, "O5", opened=t, then=(refuse(t + H),)), claim(8, "O6", opened=t + H, reason="other")]
    history = BuyerHistory(
        "b1",
        NOW,
        (),
        (not_refused, *same_reason_again, *refused_after_the_new_one, seller_proposed_reason, *other_order),
    )
    assert rules.reason_switches(history.claims) == []


def test_counterfeit_claims_without_proof() -> None:
    base = [claim(i, f"O{i}", case_type="return_and_refund", reason="counterfeit") for i in range(1, 3)]
    proven = claim(3, "O3", case_type="return_and_refund", reason="counterfeit", proof=True)
    assert rules.counterfeit_unproven(BuyerHistory("b1", NOW, (), (*base, proven)), RULES) is None
    modified_to_counterfeit = claim(4, "O4", reason="quality_problem", then=(modify(NOW - H, "counterfeit"),))
    signal = rules.counterfeit_unproven(BuyerHistory("b1", NOW, (), (*base, proven, modified_to_counterfeit)), RULES)
    assert signal is not None and signal.score == 50
    assert signal.figures == {"counterfeit_claims": 4, "unproven": 3}
    assert signal.case_ids == (1, 2, 4)
    assert "4 笔以假货为由的申请中 3 笔未提供有效凭证" in signal.explanation_zh
    assert "3 of 4 counterfeit claims" in signal.explanation_en


def test_quick_claims_at_many_shops() -> None:
    delivered = NOW - 3 * D

    def quick(case_id: int, shop: str, after: timedelta) -> BuyerClaim:
        return claim(case_id, f"O{case_id}", shop=shop, opened=delivered + after, received=delivered)

    two_shops = (quick(1, "s1", H), quick(2, "s2", 24 * H), quick(3, "s2", 2 * H))
    assert rules.quick_claims_many_shops(BuyerHistory("b1", NOW, (), two_shops), RULES) is None
    late_third = (*two_shops, quick(4, "s3", 24 * H + timedelta(seconds=1)))
    assert rules.quick_claims_many_shops(BuyerHistory("b1", NOW, (), late_third), RULES) is None
    undelivered = claim(5, "O5", shop="s3", opened=NOW - H)
    assert rules.quick_claims_many_shops(BuyerHistory("b1", NOW, (), (*late_third, undelivered)), RULES) is None
    third = (*two_shops, quick(6, "s3", 24 * H))  # exactly 24 hours counts
    signal = rules.quick_claims_many_shops(BuyerHistory("b1", NOW, (), third), RULES)
    assert signal is not None and signal.score == 50
    assert signal.figures == {"shops": 3, "claims": 4, "hours": 24}
    assert signal.case_ids == (1, 2, 3, 6)
    assert "在 3 家店铺签收后 24 小时内即申请售后（共 4 笔）" in signal.explanation_zh


def shipped(order_id: str, at: datetime, moved: datetime | None = None) -> ShopOrder:
    return ShopOrder(order_id, at - D, at - D, at + D, shipped_at=at, first_movement_at=moved)


def test_fake_shipping_fires_at_three_silent_parcels() -> None:
    quiet = timedelta(days=4)
    orders = [
        shipped("S1", NOW - quiet),  # silent exactly 4 days: judged and silent
        shipped("S2", NOW - 10 * D),
        shipped("S3", NOW - 10 * D, moved=NOW - 10 * D + quiet),  # moved on the last moment: fine
        shipped("S4", NOW - quiet + timedelta(seconds=1)),  # too recent to judge
        shipped("S5", NOW - 10 * D, moved=NOW - 10 * D + quiet + timedelta(seconds=1)),  # moved too late
    ]
    assert rules.fake_shipping(ShopHistory("s1", NOW, tuple(orders[:4])), RULES) is None
    signal = rules.fake_shipping(ShopHistory("s1", NOW, tuple(orders)), RULES)
    assert signal is not None
    assert (signal.subject, signal.subject_id, signal.score) == ("shop", "s1", 50)
    assert signal.figures == {"shipped_orders": 4, "silent_orders": 3, "silent_days": 4}
    assert signal.order_ids == ("S1", "S2", "S5")
    assert "4 笔已发货订单中 3 笔发货后 4 天仍无物流轨迹" in signal.explanation_zh
    assert "3 of 4 shipped orders had no courier event 4 days after shipment" in signal.explanation_en


def late_history(late: int, on_time: int, *, pending: int = 0, closed_early: int = 0) -> ShopHistory:
    deadline = NOW - 5 * D
    orders = [
        ShopOrder(f"L{i}", deadline - 3 * D, deadline - 3 * D, deadline, shipped_at=deadline + H) for i in range(late)
    ]
    orders += [
        ShopOrder(f"T{i}", deadline - 3 * D, deadline - 3 * D, deadline, shipped_at=deadline) for i in range(on_time)
    ]
    # not due yet, or refunded and closed before the deadline: not in the denominator
    orders += [ShopOrder(f"P{i}", NOW - D, NOW - D, NOW + D) for i in range(pending)]
    orders += [
        ShopOrder(f"C{i}", deadline - 3 * D, deadline - 3 * D, deadline, closed_at=deadline)
        for i in range(closed_early)
    ]
    return ShopHistory("s1", NOW, tuple(orders))


def test_late_shipments_fire_at_three_and_ten_percent() -> None:
    signal = rules.late_shipments(late_history(3, 27, pending=5, closed_early=5), RULES)
    assert signal is not None and signal.score == 50
    assert signal.figures == {"due_orders": 30, "late_orders": 3, "percent": 10}
    assert "30 笔应发货订单中 3 笔超时发货 (10%)" in signal.explanation_zh
    assert rules.late_shipments(late_history(3, 28), RULES) is None  # 3/31 < 10 %
    assert rules.late_shipments(late_history(2, 3), RULES) is None  # 40 %, but only 2
    unshipped_past_deadline = ShopOrder("U1", NOW - 9 * D, NOW - 9 * D, NOW - 5 * D)
    closed_late = ShopOrder("U2", NOW - 9 * D, NOW - 9 * D, NOW - 5 * D, closed_at=NOW - 4 * D)
    history = late_history(1, 0)
    both = ShopHistory("s1", NOW, (*history.orders, unshipped_past_deadline, closed_late))
    signal = rules.late_shipments(both, RULES)
    assert signal is not None and signal.order_ids == ("L0", "U1", "U2") and signal.score == 100


def test_mark_covers() -> None:
    t = NOW - 10 * D
    everything = MarkTerms(marked_at=NOW, scope="all")
    assert rules.mark_covers(everything, case_id=1, shop_id="s1", opened_at=t)
    since = MarkTerms(marked_at=NOW, scope="since", since=t)
    assert rules.mark_covers(since, case_id=1, shop_id="s1", opened_at=t)
    assert not rules.mark_covers(since, case_id=1, shop_id="s1", opened_at=t - timedelta(seconds=1))
    listed = MarkTerms(marked_at=NOW, scope="cases", case_ids=frozenset({7}))
    assert rules.mark_covers(listed, case_id=7, shop_id="s1", opened_at=t)
    assert not rules.mark_covers(listed, case_id=8, shop_id="s1", opened_at=t)
    future = MarkTerms(marked_at=NOW, scope="none", shop_id="s2")
    assert not rules.mark_covers(future, case_id=1, shop_id="s2", opened_at=t)
    assert rules.mark_covers(future, case_id=1, shop_id="s2", opened_at=NOW)
    assert not rules.mark_covers(future, case_id=1, shop_id="s1", opened_at=NOW + H)


def _score(signal: rules.Signal | None) -> int:
    return signal.score if signal is not None else 0


@given(
    orders=st.integers(min_value=0, max_value=40),
    data=st.data(),
)
def test_more_refund_only_claims_never_lower_the_score(orders: int, data: st.DataObject) -> None:
    refund_only = data.draw(st.integers(min_value=0, max_value=orders))
    before = buyer_with(orders, refund_only)
    # one more refund_only request: on an order that had none, or on a new order
    if refund_only < orders and data.draw(st.booleans()):
        after = BuyerHistory("b1", NOW, before.orders, (*before.claims, claim(999, f"O{refund_only}")))
    else:
        new_order = BuyerOrder("NEW", "s1", NOW - D, True)
        after = BuyerHistory("b1", NOW, (*before.orders, new_order), (*before.claims, claim(999, "NEW")))
    assert _score(rules.refund_only_frequency(after, RULES)) >= _score(rules.refund_only_frequency(before, RULES))


@given(st.lists(st.tuples(st.integers(0, 5), st.booleans()), max_size=12), st.integers(0, 5))
def test_more_unproven_counterfeit_claims_never_lower_the_score(claims: list[tuple[int, bool]], more: int) -> None:
    made = [
        claim(i, f"O{i}", shop=f"s{shop}", reason="counterfeit", proof=proof) for i, (shop, proof) in enumerate(claims)
    ]
    before = BuyerHistory("b1", NOW, (), tuple(made))
    extra = [claim(100 + i, f"X{i}", reason="counterfeit") for i in range(more)]
    after = BuyerHistory("b1", NOW, (), (*made, *extra))
    assert _score(rules.counterfeit_unproven(after, RULES)) >= _score(rules.counterfeit_unproven(before, RULES))


@given(st.integers(0, 500), st.integers(0, 500), st.integers(1, 200))
def test_score_is_50_at_the_threshold_and_monotonic(a: int, b: int, threshold: int) -> None:
    assert rules.score_of(threshold, threshold) == 50
    low, high = sorted((a, b))
    assert 0 <= rules.score_of(low, threshold) <= rules.score_of(high, threshold) <= 100
    assert rules.score_of(Fraction(2 * threshold), threshold) == 100


@given(st.integers(0, 300), st.integers(1, 300), st.integers(0, 100))
def test_reaches_is_exact(part: int, whole: int, pct: int) -> None:
    assert rules.reaches(part, whole, pct) == (Fraction(part, whole) * 100 >= pct)
