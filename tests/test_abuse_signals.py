"""Abuse signals (滥用信号) and buyer marks (云标签).

The rules on hand-built histories: every signal fires exactly at its policy threshold and not
below, its explanation states the numbers, and more of what it counts never lowers its score
(Hypothesis). Then through the services and the API: histories loaded from real orders, cases,
evidence and courier events; who may read signals; and a buyer mark taking the buyer's claims out
of the shop's metrics — refund_rate before and after by hand — and lifting it restoring them,
with the rollups equal to a rebuild from the raw tables and every mark in the audit chain.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from peifu.adapters.runtime import Runtime
from peifu.db.models import AbuseMarkEvent, AuditLink
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
from peifu.domain.actors import Actor
from peifu.domain.clock import ManualClock
from peifu.domain.intervention import EvidenceKind
from peifu.domain.policy import default_policy
from peifu.domain.vocabulary import Role
from peifu.services import abuse, audit, disputes
from peifu.services import metrics as metric_service
from tests import builders
from tests.conftest import START, as_buyer, as_seller

RULES = default_policy().abuse
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)
D = timedelta(days=1)
API = "/api/v1"
AGENT = {"X-Peifu-Actor": "agent:xiaoer-7"}


def test_the_default_thresholds_are_the_ones_these_tests_assume() -> None:
    assert (RULES.window_days.value, RULES.refund_only_min_orders.value, RULES.refund_only_percent.value) == (30, 3, 50)
    assert (RULES.reason_switch_min.value, RULES.counterfeit_unproven_min.value) == (2, 3)
    assert (RULES.quick_claim_hours.value, RULES.quick_claim_min_shops.value) == (24, 3)
    assert (RULES.fake_shipping_silent_days.value, RULES.fake_shipping_min_orders.value) == (4, 3)
    assert (RULES.late_shipment_min_orders.value, RULES.late_shipment_percent.value) == (3, 10)
    assert RULES.counterfeit_proof_kinds.value == ["document"]


# --- hand-built histories ---------------------------------------------------------------------------


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


# --- properties -------------------------------------------------------------------------------------


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


# --- through the services and the API ---------------------------------------------------------------


def make_order(client: TestClient, order_id: str, *, buyer: str, shop: str, lines: int = 1, pay: bool = True) -> None:
    line = {"title": "鞋", "category": "shoes", "unit_price_fen": 10000, "quantity": 1}
    builders.order(
        client,
        order_id,
        upto="paid" if pay else "awaiting_payment",
        buyer=buyer,
        shop=shop,
        shop_name=shop,
        lines=[{"sku": f"SKU-{n}", **line} for n in range(lines)],
    )


def event(client: TestClient, order_id: str, body: dict[str, Any]) -> None:
    answer = client.post(f"{API}/orders/{order_id}/events", json=body)
    assert answer.status_code == 200, answer.text


def request(
    client: TestClient,
    order_id: str,
    buyer: str,
    *,
    reason: str = "ordered_by_mistake",
    case_type: str = "refund_only",
    line: int = 1,
) -> int:
    body = {"order_id": order_id, "lines": [{"line_no": line}], "case_type": case_type, "reason": reason}
    answer = client.post(f"{API}/cases", json=body, headers=as_buyer(buyer))
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


def act(client: TestClient, case_id: int, action: str, headers: dict[str, str], body: Any = None) -> None:
    answer = client.post(f"{API}/cases/{case_id}/{action}", json=body, headers=headers)
    assert answer.status_code == 200, answer.text


def signals(client: TestClient, path: str, headers: dict[str, str] = AGENT) -> dict[str, Any]:
    answer = client.get(f"{API}/{path}/signals", headers=headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def by_code(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f"{s['subject']}:{s['code']}": s for s in body["signals"]}


def test_buyer_signals_from_real_orders_cases_and_timelines(client: TestClient, clock: ManualClock) -> None:
    for n in range(4):
        make_order(client, f"R{n}", buyer="b-ro", shop="shop-x", lines=2)
    make_order(client, "R-unpaid", buyer="b-ro", shop="shop-x", pay=False)
    clock.advance(H)
    first = request(client, "R0", "b-ro")
    act(client, first, "refuse", as_seller("shop-x"), {"reason": "已经打包"})
    act(client, first, "modify", as_buyer("b-ro"), {"reason": "no_longer_wanted"})  # switch 1
    second = request(client, "R1", "b-ro")
    act(client, second, "refuse", as_seller("shop-x"), {"reason": "已经打包"})
    act(client, second, "withdraw", as_buyer("b-ro"), {"note": "算了"})
    third = request(client, "R1", "b-ro", reason="no_longer_wanted")  # switch 2: a new request, another reason
    body = signals(client, "buyers/b-ro")
    found = by_code(body)
    assert set(found) == {"buyer:reason_switching"}  # refund-only on 2 of 4 paid orders: below 3
    switching = found["buyer:reason_switching"]
    assert switching["case_ids"] == sorted([first, second, third])
    assert switching["order_ids"] == ["R0", "R1"]
    assert "拒绝后改理由再申请 2 次" in switching["explanation_zh"]
    assert body["subject_id"] == "b-ro" and body["abuse_marks"] == []


def clean(client: TestClient, buyer: str) -> set[str]:
    return set(by_code(signals(client, f"buyers/{buyer}")))


def test_refund_only_frequency_through_the_api(client: TestClient, clock: ManualClock) -> None:
    for n in range(4):
        make_order(client, f"F{n}", buyer="b-f", shop="shop-f")
    clock.advance(H)
    cases = [request(client, f"F{n}", "b-f") for n in range(2)]
    assert clean(client, "b-f") == set()  # 2 of 4: 50 %, but only 2 orders
    cases.append(request(client, "F2", "b-f"))
    ro = by_code(signals(client, "buyers/b-f"))["buyer:refund_only_frequency"]
    assert ro["figures"] == {"orders": 4, "refund_only_orders": 3, "percent": 75}
    assert ro["score"] == 75 and ro["case_ids"] == cases and ro["order_ids"] == ["F0", "F1", "F2"]
    assert "近30天 4 笔订单中 3 笔申请仅退款 (75%)" in ro["explanation_zh"]
    assert "3 of 4 orders (75%)" in ro["explanation_en"]
    # orders placed before the window no longer count
    clock.advance(timedelta(days=30))
    assert clean(client, "b-f") == set()


def test_counterfeit_proof_and_quick_claims_are_loaded(client: TestClient, clock: ManualClock, rt: Runtime) -> None:
    for n, shop in enumerate(["shop-1", "shop-2", "shop-3"]):
        make_order(client, f"Q{n}", buyer="b-q", shop=shop)
        event(client, f"Q{n}", {"kind": "shipped", "courier": "SF", "tracking_no": f"SF{n}"})
    clock.advance(D)
    for n in range(3):
        event(client, f"Q{n}", {"kind": "signed"})
    clock.advance(2 * H)
    ids = [request(client, f"Q{n}", "b-q", reason="counterfeit", case_type="return_and_refund") for n in range(3)]
    found = by_code(signals(client, "buyers/b-q"))
    assert set(found) == {"buyer:counterfeit_unproven", "buyer:quick_claims_many_shops"}
    assert found["buyer:quick_claims_many_shops"]["figures"] == {"shops": 3, "claims": 3, "hours": 24}
    # a brand appraisal in the dispute is proof: 2 unproven claims are below the threshold
    act(client, ids[0], "refuse", as_seller("shop-1"), {"reason": "正品，有进货凭证"})
    act(client, ids[0], "escalate", as_buyer("b-q"))
    with rt.uow() as ctx:
        dispute = disputes.for_case(ctx, ids[0])
        assert dispute is not None
        disputes.add_evidence(
            ctx,
            dispute.id,
            Actor(Role.buyer, "b-q"),
            EvidenceKind.document,
            content="品牌方鉴定报告：非正品".encode(),
            content_type="text/plain",
            filename="appraisal.txt",
        )
        dispute_id = dispute.id
    assert set(by_code(signals(client, "buyers/b-q"))) == {"buyer:quick_claims_many_shops"}
    # the dispute shows the buyer's signals (and the shops', none here)
    body = signals(client, f"disputes/{dispute_id}")
    assert (body["dispute_id"], body["case_id"], body["buyer_id"], body["shop_id"]) == (
        dispute_id,
        ids[0],
        "b-q",
        "shop-1",
    )
    assert set(by_code(body)) == {"buyer:quick_claims_many_shops"}
    assert body["buyer_abuse_mark"] is None
    assert mark(client, "b-q", {"reason": "职业索赔", "scope": "none"}).status_code == 201
    standing = signals(client, f"disputes/{dispute_id}")["buyer_abuse_mark"]
    assert (standing["scope"], standing["standing"], standing["reason"]) == ("none", True, "职业索赔")
    with rt.uow() as ctx:
        assert [s.code for s in abuse.signals_for_dispute(ctx, dispute_id)] == [SignalCode.quick_claims_many_shops]


def test_shop_signals_fake_and_late_shipping(client: TestClient, clock: ManualClock, rt: Runtime) -> None:
    for n in range(6):
        make_order(client, f"P{n}", buyer=f"b-p{n}", shop="shop-slow")
    clock.advance(73 * H)  # past the 72 h ship deadline
    for n in range(6):
        event(client, f"P{n}", {"kind": "shipped", "courier": "YTO", "tracking_no": f"YT{n}"})
    clock.advance(D)
    event(client, "P0", {"kind": "signed"})
    event(client, "P1", {"kind": "refused_delivery", "reason": "拒收"})
    event(client, "P2", {"kind": "confirmed"})  # the buyer confirmed: it arrived
    clock.advance(3 * D)  # 4 days after shipment: P3, P4, P5 never moved
    found = by_code(signals(client, "shops/shop-slow"))
    assert set(found) == {"shop:fake_shipping", "shop:late_shipments"}
    fake = found["shop:fake_shipping"]
    assert fake["figures"] == {"shipped_orders": 6, "silent_orders": 3, "silent_days": 4}
    assert fake["order_ids"] == ["P3", "P4", "P5"]
    late = found["shop:late_shipments"]
    assert late["figures"] == {"due_orders": 6, "late_orders": 6, "percent": 100} and late["score"] == 100
    assert "6 笔应发货订单中 6 笔超时发货 (100%)" in late["explanation_zh"]
    with rt.uow() as ctx:
        assert [s.code for s in abuse.signals_for_shop(ctx, "shop-slow")] == [
            SignalCode.fake_shipping,
            SignalCode.late_shipments,
        ]


def test_who_may_read_signals(client: TestClient, clock: ManualClock) -> None:
    make_order(client, "A1", buyer="b-a", shop="shop-a")
    clock.advance(H)
    case_id = request(client, "A1", "b-a")
    act(client, case_id, "refuse", as_seller("shop-a"), {"reason": "不同意"})
    act(client, case_id, "escalate", as_buyer("b-a"))
    dispute_id = client.get(f"{API}/cases/{case_id}/dispute", headers=AGENT).json()["id"]
    paths = [f"disputes/{dispute_id}", "buyers/b-a", "shops/shop-a", "disputes/999999", "buyers/nobody"]
    for headers in (as_buyer("b-a"), as_seller("shop-a"), {"X-Peifu-Actor": "platform:platform"}):
        for path in paths:  # the parties of the dispute themselves, and for ids that do not exist alike
            answer = client.get(f"{API}/{path}/signals", headers=headers)
            assert (answer.status_code, answer.json()["error"]["code"]) == (403, "actor_not_allowed"), (headers, path)
    for path in paths[:3]:
        assert client.get(f"{API}/{path}/signals", headers=AGENT).status_code == 200
    for path, code in [
        ("disputes/999999", "dispute_not_found"),
        ("buyers/nobody", "buyer_not_found"),
        ("shops/nowhere", "shop_not_found"),
    ]:
        answer = client.get(f"{API}/{path}/signals", headers=AGENT)
        assert (answer.status_code, answer.json()["error"]["code"]) == (404, code)
    assert client.get(f"{API}/disputes/0/signals", headers=AGENT).status_code == 422
    assert client.get(f"{API}/buyers/{'x' * 65}/signals", headers=AGENT).status_code == 422


# --- marking a buyer's claims (云标签) -----------------------------------------------------------------


def refund_rate(client: TestClient, shop: str = "shop-m") -> tuple[int, int, float | None]:
    answer = client.get(f"{API}/shops/{shop}/metrics", headers=AGENT)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return body["counts"]["paid_orders"], body["counts"]["refund_orders"], body["metrics"]["refund_rate"]["value"]


def mark(client: TestClient, buyer: str, body: dict[str, Any], headers: dict[str, str] = AGENT) -> Any:
    return client.post(f"{API}/buyers/{buyer}/abuse-mark", json=body, headers=headers)


def lift(client: TestClient, buyer: str, reason: str = "核实后撤销", headers: dict[str, str] = AGENT) -> Any:
    return client.post(f"{API}/buyers/{buyer}/abuse-mark/lift", json={"reason": reason}, headers=headers)


def test_marking_a_buyer_takes_their_claims_out_of_the_shop_metrics_and_lifting_restores_them(
    client: TestClient, clock: ManualClock, rt: Runtime
) -> None:
    """shop-m: 10 paid orders. The bad buyer owns M1–M4, good buyers M5–M10.
    Requests: bad on M1, M2, M3; good on M5. An agent marks M2's case by hand first."""
    for n in range(1, 11):
        make_order(client, f"M{n}", buyer="b-bad" if n <= 4 else f"b-good{n}", shop="shop-m")
    clock.advance(H)
    bad = {n: request(client, f"M{n}", "b-bad") for n in (1, 2, 3)}
    request(client, "M5", "b-good5")
    assert refund_rate(client) == (10, 4, 0.4)
    by_hand = client.post(f"{API}/cases/{bad[2]}/mark-abusive", json={"note": "职业索赔"}, headers=AGENT)
    assert by_hand.status_code == 200, by_hand.text
    assert refund_rate(client) == (9, 3, pytest.approx(3 / 9))

    clock.advance(H)
    marked = mark(client, "b-bad", {"reason": "拒绝后改理由反复申请仅退款", "scope": "all"})
    assert marked.status_code == 201, marked.text
    body = marked.json()
    assert (body["buyer_id"], body["scope"], body["standing"], body["cases_marked"], body["marked_by"]) == (
        "b-bad",
        "all",
        True,
        2,  # M1 and M3; M2 was marked by hand already
        "xiaoer-7",
    )
    # M1, M2, M3 out: 7 paid orders, 1 refund (M5)
    assert refund_rate(client) == (7, 1, pytest.approx(1 / 7))

    # a new claim while the mark stands is out from the start
    clock.advance(H)
    later = request(client, "M4", "b-bad")
    assert refund_rate(client) == (6, 1, pytest.approx(1 / 6))

    with rt.uow() as ctx:  # the rollups equal a rebuild from the raw tables
        kept = metric_service.snapshot(ctx.session)
        metric_service.rebuild(ctx.session)
        assert metric_service.snapshot(ctx.session) == kept

    again = mark(client, "b-bad", {"reason": "再标一次"})
    assert (again.status_code, again.json()["error"]["code"]) == (409, "abuse_mark_exists")

    clock.advance(H)
    lifted = lift(client, "b-bad", "申诉成功")
    assert lifted.status_code == 200, lifted.text
    assert (lifted.json()["standing"], lifted.json()["cases_unmarked"], lifted.json()["lift_reason"]) == (
        False,
        3,
        "申诉成功",
    )
    # M1, M3, M4 count again; M2 stays out, as the agent marked it by hand: 9 paid, 4 refunds
    assert refund_rate(client) == (9, 4, pytest.approx(4 / 9))
    with rt.uow() as ctx:
        kept = metric_service.snapshot(ctx.session)
        metric_service.rebuild(ctx.session)
        assert metric_service.snapshot(ctx.session) == kept
    # and claims opened after the lift count
    make_order(client, "M11", buyer="b-bad", shop="shop-m")
    request(client, "M11", "b-bad")
    assert refund_rate(client) == (10, 5, 0.5)

    again = lift(client, "b-bad")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "no_standing_mark")

    # who, when, why: recorded and chained into the audit log, whole
    with rt.uow() as ctx:
        events = list(ctx.session.scalars(select(AbuseMarkEvent).order_by(AbuseMarkEvent.id)))
        assert [(e.action, e.actor_role, e.actor_id, e.reason) for e in events] == [
            ("mark", "agent", "xiaoer-7", "拒绝后改理由反复申请仅退款"),
            ("apply", "system", None, "拒绝后改理由反复申请仅退款"),
            ("lift", "agent", "xiaoer-7", "申诉成功"),
        ]
        assert events[0].case_ids == sorted([bad[1], bad[3]])
        assert events[1].case_ids == [later]
        assert events[2].case_ids == sorted([bad[1], bad[3], later])
        links = set(ctx.session.scalars(select(AuditLink.ref).where(AuditLink.kind == "abuse_mark")))
        assert links == {str(e.id) for e in events}
        assert audit.verify(ctx.session) is None
    history = signals(client, "buyers/b-bad")["abuse_marks"]
    assert [(m["standing"], m["cases_marked"], m["cases_unmarked"]) for m in history] == [(False, 3, 3)]


def test_mark_scopes_and_shop(client: TestClient, clock: ManualClock, rt: Runtime) -> None:
    for n in range(1, 4):
        make_order(client, f"K{n}", buyer="b-k", shop="shop-k")
    make_order(client, "J1", buyer="b-k", shop="shop-j")
    clock.advance(H)
    k1 = request(client, "K1", "b-k")
    clock.advance(H)
    k2 = request(client, "K2", "b-k")
    j1 = request(client, "J1", "b-k")
    since = (START + 90 * timedelta(minutes=1)).isoformat()
    answer = mark(client, "b-k", {"reason": "职业索赔", "scope": "since", "since": since, "shop_id": "shop-k"})
    assert answer.status_code == 201, answer.text
    assert answer.json()["cases_marked"] == 1  # K2 only: K1 is older, J1 another shop
    clock.advance(H)
    k3 = request(client, "K3", "b-k")
    make_order(client, "J2", buyer="b-k", shop="shop-j")
    j2 = request(client, "J2", "b-k")
    with rt.uow() as ctx:
        from peifu.db.models import Case

        flags = {c.id: c.abusive for c in ctx.session.scalars(select(Case))}
    assert flags == {k1: False, k2: True, j1: False, k3: True, j2: False}
    assert lift(client, "b-k").status_code == 200
    listed = mark(client, "b-k", {"reason": "只标这一笔", "scope": "cases", "case_ids": [j1]})
    assert listed.status_code == 201 and listed.json()["cases_marked"] == 1
    assert lift(client, "b-k").status_code == 200
    nothing_yet = mark(client, "b-k", {"reason": "今后的申请", "scope": "none"})
    assert nothing_yet.status_code == 201 and nothing_yet.json()["cases_marked"] == 0


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"scope": "all"}, 422, None),  # no reason
        ({"reason": "  ", "scope": "all"}, 422, None),
        ({"reason": "x", "scope": "sometimes"}, 422, None),
        ({"reason": "x", "scope": "since"}, 422, "since_required"),
        ({"reason": "x", "scope": "cases"}, 422, "case_ids_required"),
        ({"reason": "x", "scope": "all", "case_ids": [1]}, 422, "case_ids_without_scope"),
        ({"reason": "x", "scope": "cases", "case_ids": [999999]}, 422, "case_not_of_buyer"),
        ({"reason": "x", "scope": "since", "since": "2030-01-01T00:00:00+00:00"}, 422, "time_in_future"),
        ({"reason": "x", "shop_id": "nowhere"}, 404, "shop_not_found"),
        ({"reason": "x", "unknown": 1}, 422, None),
        ({"reason": "x\u0000y"}, 422, None),  # PostgreSQL cannot store NUL: refused, not a 500
        ({"reason": "x", "since": "2026-11-01T00:00:00", "scope": "since"}, 422, None),  # no time zone
    ],
)
def test_bad_marks_are_4xx_and_change_nothing(
    client: TestClient, clock: ManualClock, rt: Runtime, body: dict[str, Any], status: int, code: str | None
) -> None:
    make_order(client, "Z1", buyer="b-z", shop="shop-z")
    clock.advance(H)
    request(client, "Z1", "b-z")
    answer = mark(client, "b-z", body)
    assert answer.status_code == status, answer.text
    if code is not None:
        assert answer.json()["error"]["code"] == code
    with rt.uow() as ctx:
        assert abuse.standing_mark(ctx, "b-z") is None
        assert ctx.session.scalars(select(AbuseMarkEvent)).first() is None


def test_only_agents_mark(client: TestClient, clock: ManualClock) -> None:
    make_order(client, "Y1", buyer="b-y", shop="shop-y")
    for headers in (as_buyer("b-y"), as_seller("shop-y"), {"X-Peifu-Actor": "platform:platform"}):
        for answer in (mark(client, "b-y", {"reason": "x"}, headers), lift(client, "b-y", "x", headers)):
            assert (answer.status_code, answer.json()["error"]["code"]) == (403, "actor_not_allowed")
    missing = mark(client, "nobody", {"reason": "x"})
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "buyer_not_found")


def test_an_edited_mark_event_breaks_the_audit_chain(client: TestClient, clock: ManualClock, rt: Runtime) -> None:
    make_order(client, "V1", buyer="b-v", shop="shop-v")
    clock.advance(H)
    request(client, "V1", "b-v")
    assert mark(client, "b-v", {"reason": "职业索赔"}).status_code == 201
    with rt.uow() as ctx:
        assert audit.verify(ctx.session) is None
        event_row = ctx.session.scalars(select(AbuseMarkEvent)).one()
        event_row.reason = "改过的理由"  # rewriting why the mark was made
        event_id = event_row.id
    with rt.uow() as ctx:
        broken = audit.verify(ctx.session)
        assert broken is not None
        assert (broken.kind, broken.ref, broken.problem) == (
            "abuse_mark",
            str(event_id),
            "the record it covers was edited",
        )
