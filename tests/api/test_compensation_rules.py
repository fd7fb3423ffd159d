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

Here: through the HTTP API on a real database (the rules alone: tests/domain/test_compensation_rules.py).
"""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from peifu.adapters.runtime import Runtime
from peifu.db.models import Case, Compensation, LedgerTransaction, OutboxMessage
from peifu.domain import ledger as accounts
from peifu.domain.clock import ManualClock
from peifu.domain.compensation import Quote, Rule
from peifu.services import compensation as compensation_service
from peifu.services import ledger
from peifu.services.deadlines import run_due
from tests import builders
from tests.conftest import START, as_buyer, as_seller, order_body
from tests.domain.test_compensation_rules import HOUR, POLICY, SECOND, SHIP_DEADLINE

API = "/api/v1"

AGENT = {"X-Peifu-Actor": "agent:xiaoer-1"}
PLATFORM = {"X-Peifu-Actor": "platform:platform"}  # the marketplace's own key: money is its business


SOCKS = {"sku": "SKU-2", "title": "运动袜", "category": "apparel", "unit_price_fen": 2000, "quantity": 3}


def new_order(
    client: TestClient,
    order_id: str = "T1",
    *,
    price: int = 39900,
    quantity: int = 1,
    shop_kind: str | None = None,
    food: bool = False,
    ship: bool = False,
    sign: bool = False,
    extra_lines: list[dict[str, Any]] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """A paid order of shop-1 (of `shop_kind`, if said) by buyer-1: `quantity` × one item at `price` (food
    or shoes) and `extra_lines`, shipped and signed if asked; the order as the API shows it."""
    lines = [
        {
            "sku": "SKU-1",
            "title": "商品",
            "category": "food" if food else "shoes",
            "unit_price_fen": price,
            "quantity": quantity,
            "food": food,
        },
        *(extra_lines or []),
    ]
    upto = "signed" if sign else "shipped" if ship else "paid"
    builders.order(client, order_id, upto=upto, shop_kind=shop_kind, lines=lines, **overrides)
    return builders.order_answer(client, order_id)


def event(client: TestClient, order_id: str, body: dict[str, Any]) -> Any:
    answer = client.post(f"{API}/orders/{order_id}/events", json=body)
    assert answer.status_code == 200, answer.text
    return answer


def try_open(client: TestClient, reason: str, case_type: str = "refund_only", order_id: str = "T1", **kw: Any) -> Any:
    body = {"order_id": order_id, "lines": kw.get("lines") or [{"line_no": 1}], "case_type": case_type}
    return client.post(f"{API}/cases", json={**body, "reason": reason}, headers=as_buyer())


def open_case(client: TestClient, reason: str, case_type: str = "refund_only", **kw: Any) -> dict[str, Any]:
    """A request by buyer-1 (opened through the services), as the API shows it."""
    return builders.opened_case(client, case_type=case_type, reason=reason, **kw)


def act(
    client: TestClient, case_id: int, action: str, headers: dict[str, str], body: dict[str, Any] | None = None
) -> dict[str, Any]:
    answer = client.post(f"{API}/cases/{case_id}/{action.replace('_', '-')}", json=body, headers=headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def get_case(client: TestClient, case_id: int) -> dict[str, Any]:
    answer = client.get(f"{API}/cases/{case_id}")
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def shop_money(client: TestClient, shop_id: str = "shop-1") -> dict[str, Any]:
    answer = client.get(f"{API}/shops/{shop_id}/money", headers=as_seller(shop_id))
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def deposit(client: TestClient, amount: int, shop_id: str = "shop-1") -> dict[str, Any]:
    answer = client.post(f"{API}/shops/{shop_id}/deposit", json={"amount_fen": amount}, headers=as_seller(shop_id))
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def fund(client: TestClient, amount: int) -> int:
    answer = client.post(f"{API}/platform/fund", json={"amount_fen": amount}, headers=PLATFORM)
    assert answer.status_code == 200, answer.text
    return int(answer.json()["platform_fund_fen"])


def balances(client: TestClient) -> dict[str, int]:
    answer = client.get(f"{API}/ledger/balances", headers=PLATFORM)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def one_compensation(money: dict[str, Any]) -> dict[str, Any]:
    assert len(money["compensations"]) == 1, money
    return dict(money["compensations"][0])


def into_intervention(client: TestClient, case_id: int) -> dict[str, Any]:
    """The seller refuses and the buyer asks the platform to step in: agents act on such cases."""
    act(client, case_id, "refuse", as_seller(), {"reason": "已经发货了"})
    escalated = act(client, case_id, "escalate", as_buyer())
    assert escalated["state"] == "in_intervention"
    return escalated


def fire_due(rt: Runtime) -> int:
    return run_due(rt, owner="test").fired


def test_out_of_stock_is_paid_in_points_charged_to_the_deposit(client: TestClient) -> None:
    new_order(client, price=170_000)
    deposit(client, 80_000)
    case = open_case(client, "out_of_stock")
    done = act(client, case["id"], "agree", as_seller())
    assert done["state"] == "refunded"
    money = done["money"]
    assert money["refunded_fen"] == 170_000
    comp = one_compensation(money)
    assert comp == {
        "rule": "out_of_stock",
        "amount_fen": 50_000,  # 30% of 1,700 yuan is 510: capped at 500
        "payout_method": "points",
        "payer": "seller",
        "policy_version": POLICY.version,
        "basis": comp["basis"],
        "recovered_from_seller": False,
    }
    assert "(capped)" in comp["basis"]
    # points are not a gateway payout: the only payout is the refund itself
    assert [(p["amount_fen"], p["method"]) for p in money["payouts"]] == [(170_000, "original_payment")]
    kinds = {t["kind"]: t for t in money["transactions"]}
    assert {leg["account"]: leg["amount_fen"] for leg in kinds["compensation:out_of_stock"]["legs"]} == {
        "seller_deposit:shop-1": -50_000,
        "points:buyer-1": 50_000,
    }
    assert kinds["compensation:out_of_stock"]["policy_version"] == POLICY.version
    assert shop_money(client)["deposit_fen"] == 30_000
    assert balances(client)["points:buyer-1"] == 50_000


def test_out_of_stock_at_the_cap_boundary_end_to_end(client: TestClient) -> None:
    new_order(
        client,
        price=166_667,
        extra_lines=[
            {"sku": "SKU-2", "title": "b", "category": "shoes", "unit_price_fen": 166_664, "quantity": 1},
            {"sku": "SKU-3", "title": "c", "category": "shoes", "unit_price_fen": 5, "quantity": 1},
        ],
    )
    deposit(client, 200_000)
    case = open_case(client, "out_of_stock", lines=[{"line_no": 1}, {"line_no": 2}, {"line_no": 3}])
    done = act(client, case["id"], "agree", as_seller())
    comp = one_compensation(done["money"])
    assert comp["amount_fen"] == 50_000 + 49_999 + 2
    assert "(capped)" not in comp["basis"]
    assert shop_money(client)["deposit_fen"] == 200_000 - 100_001


def test_out_of_stock_with_an_empty_deposit_becomes_debt(client: TestClient) -> None:
    new_order(client)
    case = open_case(client, "out_of_stock")
    act(client, case["id"], "agree", as_seller())
    assert shop_money(client)["deposit_fen"] == 0
    assert shop_money(client)["debt_fen"] == 11_970
    assert balances(client)["points:buyer-1"] == 11_970


def test_out_of_stock_worth_nothing_after_rounding_pays_nothing(client: TestClient) -> None:
    """30% of 1 fen rounds to 0: the refund goes through and no empty compensation is recorded."""
    new_order(client, price=1)
    case = open_case(client, "out_of_stock")
    done = act(client, case["id"], "agree", as_seller())
    assert done["state"] == "refunded"
    assert done["money"]["refunded_fen"] == 1
    assert done["money"]["compensations"] == []


def test_late_shipment_refused_until_the_deadline_has_passed_then_paid(client: TestClient, clock: ManualClock) -> None:
    order = new_order(client)
    assert order["ship_deadline"]["utc"].startswith("2026-11-14T02:00:00")
    for moment in (START, SHIP_DEADLINE - SECOND, SHIP_DEADLINE):
        clock.set(moment)
        refused = try_open(client, "late_shipment")
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["code"] == "not_late"
    clock.set(SHIP_DEADLINE + SECOND)
    case = open_case(client, "late_shipment")
    deposit(client, 100_000)
    done = act(client, case["id"], "agree", as_seller())
    comp = one_compensation(done["money"])
    assert (comp["rule"], comp["amount_fen"], comp["payout_method"], comp["payer"]) == (
        "late_shipment",
        11_970,
        "points",
        "seller",
    )
    assert shop_money(client)["deposit_fen"] == 100_000 - 11_970
    assert balances(client)["points:buyer-1"] == 11_970


def test_late_shipment_after_a_late_shipment_is_paid_after_an_on_time_one_refused(
    client: TestClient, clock: ManualClock
) -> None:
    new_order(client, "ON-TIME")
    clock.set(SHIP_DEADLINE)
    event(client, "ON-TIME", {"kind": "shipped", "courier": "SF", "tracking_no": "SF1"})
    clock.advance(timedelta(days=1))
    refused = try_open(client, "late_shipment", order_id="ON-TIME")
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "not_late"

    clock.set(START)
    new_order(client, "LATE", price=200_000)
    clock.set(SHIP_DEADLINE + HOUR)
    event(client, "LATE", {"kind": "shipped", "courier": "SF", "tracking_no": "SF2"})
    clock.advance(HOUR)
    case = open_case(client, "late_shipment", order_id="LATE", lines=[{"line_no": 1, "refund_amount_fen": 1_000}])
    done = act(client, case["id"], "agree", as_seller())
    comp = one_compensation(done["money"])
    assert comp["amount_fen"] == 50_000  # 30% of the line's paid price, not of the partial refund, capped
    assert done["money"]["refunded_fen"] == 1_000


def test_late_shipment_silence_is_consent_and_still_pays(rt: Runtime, client: TestClient, clock: ManualClock) -> None:
    new_order(client)
    clock.set(SHIP_DEADLINE + SECOND)
    case = open_case(client, "late_shipment")
    clock.advance(timedelta(hours=72))
    assert fire_due(rt) == 1
    money = get_case(client, case["id"])["money"]
    assert one_compensation(money)["amount_fen"] == 11_970


def test_counterfeit_not_paid_on_auto_agree_without_admission(
    rt: Runtime, client: TestClient, clock: ManualClock
) -> None:
    new_order(client, price=2_000, ship=True)
    case = open_case(client, "counterfeit")
    clock.advance(timedelta(hours=72))
    assert fire_due(rt) == 1
    after = get_case(client, case["id"])
    assert after["state"] == "refunded"
    assert [e["actor"] for e in after["timeline"] if e["action"] == "agree"] == ["system"]
    assert after["money"]["refunded_fen"] == 2_000
    assert after["money"]["compensations"] == []


def test_counterfeit_not_paid_when_the_seller_agrees(client: TestClient) -> None:
    """Seed 004: 「申请假货的退款理由，你同意退货退款后，并不代表你的产品就是假货，天猫也不会因此判定你的店铺」.
    The seller's agreement to a refund_only request whose stated reason is counterfeit refunds the
    price and nothing else (this test used to expect the 500-yuan art. 55 compensation)."""
    new_order(client, price=2_000, ship=True)
    deposit(client, 100_000)
    case = open_case(client, "counterfeit")
    done = act(client, case["id"], "agree", as_seller())
    money = done["money"]
    assert (done["state"], money["refunded_fen"], money["compensations"]) == ("refunded", 2_000, [])
    assert [p["amount_fen"] for p in money["payouts"]] == [2_000]
    assert [t["kind"] for t in money["transactions"]] == ["refund"]
    assert shop_money(client)["deposit_fen"] == 100_000


def test_agreeing_to_a_counterfeit_return_is_not_admitting_it(
    rt: Runtime, client: TestClient, clock: ManualClock
) -> None:
    """Seed 004: 「申请假货的退款理由，你同意退货退款后，并不代表你的产品就是假货，天猫也不会因此判定你的店铺，
    其他申请理由同理」. A tmall shop agrees to a counterfeit-reason return and the timer refunds it:
    the buyer gets the price back, the shop is charged no 假一赔十 and the case does not count
    against it (this test used to expect 1,000,000 fen of debt)."""
    new_order(client, price=100_000, ship=True, shop_kind="tmall")
    case = open_case(client, "counterfeit", "return_and_refund")
    act(client, case["id"], "agree", as_seller())
    act(client, case["id"], "ship_return", as_buyer(), {"courier": "YTO", "tracking_no": "YT1"})
    clock.advance(timedelta(days=10))
    assert fire_due(rt) >= 1
    after = get_case(client, case["id"])
    assert (after["state"], after["money"]["refunded_fen"], after["money"]["compensations"]) == (
        "refunded",
        100_000,
        [],
    )
    assert shop_money(client)["debt_fen"] == 0
    metrics = client.get(f"{API}/shops/shop-1/metrics", headers=AGENT)
    assert metrics.status_code == 200, metrics.text
    assert metrics.json()["counts"]["lost_dispute_orders"] == 0


def _ruled(client: TestClient, case_id: int, **ruling: Any) -> dict[str, Any]:
    """Refused by the seller, escalated by the buyer, ruled by an agent: the case afterwards."""
    into_intervention(client, case_id)
    dispute = client.get(f"{API}/cases/{case_id}/dispute", headers=AGENT)
    assert dispute.status_code == 200, dispute.text
    dispute_id = dispute.json()["id"]
    body = {"outcome": "support_buyer", "liable_party": "seller", "reasoning": "依据举证判定", **ruling}
    answer = client.post(f"{API}/disputes/{dispute_id}/ruling", json=body, headers=AGENT)
    assert answer.status_code == 200, answer.text
    return get_case(client, case_id)


@pytest.mark.parametrize(
    ("price", "shop_kind", "food", "expected"),
    [
        (2_000, "taobao", False, 50_000),
        (16_667, None, False, 50_001),
        (20_000, "tmall", False, 200_000),
        (2_000, "taobao", True, 100_000),
        (30_000, "tmall", True, 300_000),
    ],
)
def test_counterfeit_amounts_end_to_end(
    client: TestClient, price: int, shop_kind: str | None, food: bool, expected: int
) -> None:
    """Counterfeit compensation is paid on a finding: the agent's ruling naming it."""
    new_order(client, price=price, shop_kind=shop_kind, food=food, ship=True)
    case = open_case(client, "counterfeit")
    after = _ruled(client, case["id"], case_type="refund_only", compensations=["counterfeit"])
    assert one_compensation(after["money"])["amount_fen"] == expected


def test_out_of_stock_refused_and_ruled_pays_only_what_the_ruling_names(client: TestClient) -> None:
    """Seed 003: 「如果买家选择的退款原因是卖家缺货…而你实际不存在这两种情况，先联系客户修改退款原因，如实在
    沟通无果，可联系小二介入处理」: a seller who refused the out-of-stock reason never consented, so only
    the agent's ruling can find it. A refund ruled without naming the rule pays the price alone."""
    new_order(client, "A")
    new_order(client, "B")
    deposit(client, 100_000)
    plain = _ruled(client, open_case(client, "out_of_stock", order_id="A")["id"], case_type="refund_only")
    assert (plain["state"], plain["money"]["compensations"]) == ("refunded", [])
    found = _ruled(
        client,
        open_case(client, "out_of_stock", order_id="B")["id"],
        case_type="refund_only",
        compensations=["out_of_stock"],
    )
    assert one_compensation(found["money"])["amount_fen"] == 11_970
    assert shop_money(client)["deposit_fen"] == 100_000 - 11_970


def test_out_of_stock_is_not_found_by_consent_once_the_order_shipped(client: TestClient) -> None:
    """The seller's consent finds out_of_stock only while the order's own record agrees: goods the
    seller shipped were not out of stock (seed 003: 在未发货状态下…卖家缺货)."""
    new_order(client)
    case = open_case(client, "out_of_stock")
    event(client, "T1", {"kind": "shipped", "courier": "SF", "tracking_no": "SF9"})
    done = act(client, case["id"], "agree", as_seller())
    assert (done["state"], done["money"]["refunded_fen"], done["money"]["compensations"]) == ("refunded", 39_900, [])


def test_shop_kind_is_stored_and_updated_by_later_orders(rt: Runtime, client: TestClient) -> None:
    from peifu.db.models import Shop

    new_order(client, "A")
    new_order(client, "B", shop_kind="tmall")
    new_order(client, "C")  # says nothing about kind: keeps tmall
    with rt.uow() as ctx:
        shop = ctx.session.get(Shop, "shop-1")
        assert shop is not None and shop.kind == "tmall"
    bad = client.post(f"{API}/orders", json=order_body("D", shop={"id": "shop-2", "name": "x", "kind": "jd"}))
    assert bad.status_code == 422


def test_advance_compensation_paid_by_the_fund_recovered_from_the_deposit_debt_settled_first(
    client: TestClient,
) -> None:
    new_order(client, ship=True, extra_lines=[SOCKS])
    deposit(client, 10_000)
    assert fund(client, 1_000_000) == 1_000_000
    case = open_case(client, "not_received", lines=[{"line_no": 1}, {"line_no": 2}])
    into_intervention(client, case["id"])
    refused = client.post(f"{API}/cases/{case['id']}/advance-compensation", headers=as_seller())
    assert refused.status_code == 403
    done = act(client, case["id"], "advance_compensation", AGENT)
    assert done["state"] == "refunded"
    comp = one_compensation(done["money"])
    assert comp["rule"] == "advance_compensation"
    assert (comp["amount_fen"], comp["payer"], comp["payout_method"]) == (45_900, "platform", "original_payment")
    assert comp["recovered_from_seller"] is True
    assert [(p["amount_fen"], p["status"]) for p in done["money"]["payouts"]] == [(45_900, "pending")]
    legs = {t["kind"]: {leg["account"]: leg["amount_fen"] for leg in t["legs"]} for t in done["money"]["transactions"]}
    assert legs["compensation:advance_compensation"] == {"platform_fund": -45_900, "payouts_pending": 45_900}
    assert legs["recovery"] == {
        "seller_deposit:shop-1": -10_000,
        "seller_debt:shop-1": -35_900,
        "platform_fund": 45_900,
    }
    assert balances(client)["platform_fund"] == 1_000_000  # made whole by the recovery
    money = shop_money(client)
    assert (money["deposit_fen"], money["debt_fen"]) == (0, 35_900)
    order = client.get(f"{API}/orders/T1").json()
    assert [ln["refunded_fen"] for ln in order["lines"]] == [39_900, 6_000]
    assert order["state"] == "closed"
    closing = order["events"][-1]  # the timeline says why the order ended
    assert (closing["kind"], closing["from_state"], closing["to_state"]) == ("closed", "shipped", "closed")
    assert closing["data"] == {"actor": "system", "reason": "fully_refunded", "case_id": case["id"]}
    assert money["balance_fen"] == 45_900  # the escrowed sale still settles to the seller

    # the next top-up settles the debt first; only the rest is deposit
    after = deposit(client, 20_000)
    assert (after["deposit_fen"], after["debt_fen"]) == (0, 15_900)
    after = deposit(client, 50_000)
    assert (after["deposit_fen"], after["debt_fen"]) == (34_100, 0)


@pytest.mark.parametrize("reason", ["missing_items", "wrong_item"])
def test_advance_compensation_for_missing_and_wrong_items(client: TestClient, reason: str) -> None:
    new_order(client, ship=True)
    deposit(client, 100_000)
    fund(client, 100_000)
    case = open_case(client, reason, lines=[{"line_no": 1, "refund_amount_fen": 10_000}])
    into_intervention(client, case["id"])
    done = act(client, case["id"], "advance_compensation", AGENT)
    assert one_compensation(done["money"])["amount_fen"] == 10_000
    assert shop_money(client) == {"shop_id": "shop-1", "deposit_fen": 90_000, "debt_fen": 0, "balance_fen": 0}


@pytest.mark.parametrize("reason", ["quality_problem", "counterfeit", "no_longer_wanted"])
def test_advance_compensation_refused_for_other_reasons(client: TestClient, reason: str) -> None:
    new_order(client, ship=True)
    fund(client, 100_000)
    case = open_case(client, reason)
    into_intervention(client, case["id"])
    refused = client.post(f"{API}/cases/{case['id']}/advance-compensation", headers=AGENT)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["code"] == "advance_not_applicable"
    after = get_case(client, case["id"])
    assert after["state"] == "in_intervention"
    assert after["money"]["compensations"] == [] and after["money"]["transactions"] == []
    assert balances(client)["platform_fund"] == 100_000


def _return_and_refund(
    client: TestClient, reason: str, *, fee: int, order_overrides: dict[str, Any], sign: bool = False
) -> dict[str, Any]:
    new_order(client, ship=True, sign=sign, **order_overrides)
    case = open_case(client, reason, "return_and_refund")
    act(client, case["id"], "agree", as_seller())
    act(
        client, case["id"], "ship_return", as_buyer(), {"courier": "YTO", "tracking_no": "YT1", "shipping_fee_fen": fee}
    )
    return act(client, case["id"], "confirm_return", as_seller())


def _refund_legs(case: dict[str, Any]) -> dict[str, int]:
    (refund,) = [t for t in case["money"]["transactions"] if t["kind"] == "refund"]
    return {leg["account"]: leg["amount_fen"] for leg in refund["legs"]}


def test_seller_fault_return_refunds_both_shipping_legs(client: TestClient) -> None:
    done = _return_and_refund(client, "quality_problem", fee=1_200, order_overrides={"shipping_fee_fen": 1_000})
    assert _refund_legs(done) == {"escrow:T1": -40_900, "seller_balance:shop-1": -1_200, "payouts_pending": 42_100}
    assert [p["amount_fen"] for p in done["money"]["payouts"]] == [42_100]
    (execute,) = [e for e in done["timeline"] if e["action"] == "execute_refund"]
    assert (execute["data"]["outbound_shipping_fen"], execute["data"]["return_shipping_fen"]) == (1_000, 1_200)


def test_seller_fault_return_with_insurance_the_insurer_pays_the_return(client: TestClient) -> None:
    done = _return_and_refund(
        client, "damaged", fee=1_200, order_overrides={"shipping_fee_fen": 1_000, "shipping_insurance": True}
    )
    assert _refund_legs(done) == {"escrow:T1": -40_900, "insurer": -1_200, "payouts_pending": 42_100}


def test_seven_day_return_with_free_shipping_buyer_pays_the_return(client: TestClient) -> None:
    done = _return_and_refund(
        client,
        "seven_day_no_reason",
        fee=1_200,
        order_overrides={"free_shipping": True},
        sign=True,
    )
    assert _refund_legs(done) == {"escrow:T1": -39_900, "payouts_pending": 39_900}


def test_seven_day_return_without_free_shipping_buyer_pays_both(client: TestClient) -> None:
    done = _return_and_refund(
        client,
        "seven_day_no_reason",
        fee=1_200,
        order_overrides={"shipping_fee_fen": 1_000, "extra_lines": [SOCKS]},
        sign=True,
    )
    assert _refund_legs(done) == {"escrow:T1": -39_900, "payouts_pending": 39_900}
    assert shop_money(client)["balance_fen"] == 0  # the order stays shipped: line 2 is still unrefunded


def test_seven_day_return_with_insurance_the_insurer_pays_the_return(client: TestClient) -> None:
    done = _return_and_refund(
        client,
        "seven_day_no_reason",
        fee=1_200,
        order_overrides={"shipping_fee_fen": 1_000, "shipping_insurance": True},
        sign=True,
    )
    assert _refund_legs(done) == {"escrow:T1": -39_900, "insurer": -1_200, "payouts_pending": 41_100}


def _goods_back(client: TestClient, reason: str, case_type: str, *, fee: int, **order: Any) -> dict[str, Any]:
    """An exchange or repair agreed, the goods shipped back with `fee` of postage, the return confirmed."""
    new_order(client, ship=True, sign=True, **order)
    case = open_case(client, reason, case_type)
    act(client, case["id"], "agree", as_seller())
    body = {"courier": "YTO", "tracking_no": "YT1", "shipping_fee_fen": fee}
    act(client, case["id"], "ship_return", as_buyer(), body)
    return act(client, case["id"], "confirm_return", as_seller())


@pytest.mark.parametrize("case_type", ["exchange", "repair"])
def test_seller_fault_exchange_and_repair_pay_back_the_return_postage(client: TestClient, case_type: str) -> None:
    """Seed 001: 「商品存在質量問題,如與描述不符、功能故障等,商家需承擔退換貨的運費」 — 退換貨, returns *and*
    exchanges; seed 003: 「关于运费争议:原则是“谁过错,谁承担”」. The postage the buyer paid to send the goods
    back is paid back when the seller confirms it has them, through the ledger and the payout outbox
    like a refund; the case then ends resolved with it paid (it used to end with no payout)."""
    confirmed = _goods_back(client, "quality_problem", case_type, fee=1_200)
    assert confirmed["state"] == "awaiting_replacement"
    (postage,) = [t for t in confirmed["money"]["transactions"] if t["kind"] == "return_postage"]
    assert {leg["account"]: leg["amount_fen"] for leg in postage["legs"]} == {
        "seller_balance:shop-1": -1_200,
        "payouts_pending": 1_200,
    }
    assert [(p["amount_fen"], p["method"], p["status"]) for p in confirmed["money"]["payouts"]] == [
        (1_200, "original_payment", "pending")
    ]
    assert confirmed["money"]["refunded_fen"] == 1_200
    (confirm,) = [e for e in confirmed["timeline"] if e["action"] == "confirm_return"]
    assert (confirm["data"]["return_shipping_fen"], confirm["data"]["return_shipping_payer"]) == (1_200, "seller")
    act(client, confirmed["id"], "ship_replacement", as_seller(), {"courier": "SF", "tracking_no": "SF2"})
    done = act(client, confirmed["id"], "confirm_replacement", as_buyer())
    assert done["state"] == "resolved"
    assert [t["kind"] for t in done["money"]["transactions"]] == ["return_postage"]  # paid once


def test_seller_fault_exchange_with_insurance_the_insurer_pays_the_return_postage(client: TestClient) -> None:
    confirmed = _goods_back(client, "damaged", "exchange", fee=1_200, shipping_insurance=True)
    (postage,) = [t for t in confirmed["money"]["transactions"] if t["kind"] == "return_postage"]
    assert {leg["account"]: leg["amount_fen"] for leg in postage["legs"]} == {
        "insurer": -1_200,
        "payouts_pending": 1_200,
    }


def test_no_fault_exchange_leaves_the_return_postage_with_the_buyer(client: TestClient) -> None:
    """seven_day_no_reason is nobody's fault but the buyer's choice: 谁过错，谁承担 leaves the return leg
    with the buyer, on an exchange as on a return (seed 003: 七天无理由…由双方分别承担发货运费)."""
    confirmed = _goods_back(client, "seven_day_no_reason", "exchange", fee=1_200, free_shipping=True)
    assert confirmed["state"] == "awaiting_replacement"
    assert confirmed["money"]["transactions"] == [] and confirmed["money"]["payouts"] == []
    (confirm,) = [e for e in confirmed["timeline"] if e["action"] == "confirm_return"]
    assert (confirm["data"]["return_shipping_fen"], confirm["data"]["return_shipping_payer"]) == (0, "buyer")


@pytest.mark.parametrize(("refusal", "outbound"), [("外包装破损", 1_000), (None, 0)])
def test_refused_delivery_outbound_fee_follows_the_reason(
    client: TestClient, refusal: str | None, outbound: int
) -> None:
    new_order(client, ship=True, shipping_fee_fen=1_000, extra_lines=[SOCKS])
    body: dict[str, Any] = {"kind": "refused_delivery"}
    if refusal:
        body["reason"] = refusal
    event(client, "T1", body)
    case = open_case(client, "other", lines=[{"line_no": 1}, {"line_no": 2}])
    done = act(client, case["id"], "agree", as_seller())
    assert _refund_legs(done) == {"escrow:T1": -(45_900 + outbound), "payouts_pending": 45_900 + outbound}
    assert done["money"]["refunded_fen"] == 45_900 + outbound
    # the order closed; what the buyer was not refunded is the seller's
    assert shop_money(client)["balance_fen"] == 1_000 - outbound


def _paid_case(client: TestClient) -> int:
    new_order(client, price=170_000)
    deposit(client, 10_000)
    case = open_case(client, "out_of_stock")
    act(client, case["id"], "refuse", as_seller(), {"reason": "仍有库存"})
    return int(case["id"])


def _counts(rt: Runtime, case_id: int) -> tuple[int, int, int]:
    with rt.uow() as ctx:
        s = ctx.session
        comps = s.scalar(select(func.count(Compensation.id)).where(Compensation.case_id == case_id))
        txns = s.scalar(
            select(func.count(LedgerTransaction.id)).where(
                LedgerTransaction.case_id == case_id, LedgerTransaction.kind.startswith("compensation:")
            )
        )
        outbox = s.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.case_id == case_id))
        return int(comps or 0), int(txns or 0), int(outbox or 0)


def _quote(rule: Rule = Rule.counterfeit, amount: int = 50_000, method: str = "original_payment") -> Quote:
    return Quote(rule=rule, amount_fen=amount, payout_method=method, payer="seller", basis="test")


def test_the_same_compensation_twice_pays_once(rt: Runtime, client: TestClient) -> None:
    case_id = _paid_case(client)
    with rt.uow() as ctx:
        case = ctx.session.get(Case, case_id)
        assert case is not None
        first = compensation_service.pay(ctx, case, _quote())
        again = compensation_service.pay(ctx, case, _quote())
        assert again.id == first.id
    with rt.uow() as ctx:  # and again in a later unit of work
        case = ctx.session.get(Case, case_id)
        assert case is not None
        assert compensation_service.pay(ctx, case, _quote(amount=99_999)).amount_fen == 50_000
    assert _counts(rt, case_id) == (1, 1, 1)
    with rt.uow() as ctx:
        assert ledger.balance(ctx.session, accounts.PAYOUTS_PENDING) == 50_000
        assert ledger.balance(ctx.session, accounts.seller_debt("shop-1")) == -40_000


def test_the_unique_constraint_decides_when_the_check_misses(
    rt: Runtime, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two requests that both saw "not paid yet": the second insert hits UNIQUE(case_id, rule), its
    savepoint (ledger posting and payout included) is rolled back and it gets the first one back."""
    case_id = _paid_case(client)
    real_find = compensation_service.find
    calls: list[int] = []

    def blind_first_look(ctx: Any, cid: int, rule: Any) -> Any:
        calls.append(cid)
        return None if len(calls) % 2 == 1 else real_find(ctx, cid, rule)

    with rt.uow() as ctx:
        case = ctx.session.get(Case, case_id)
        assert case is not None
        first = compensation_service.pay(ctx, case, _quote())
    monkeypatch.setattr(compensation_service, "find", blind_first_look)
    with rt.uow() as ctx:
        case = ctx.session.get(Case, case_id)
        assert case is not None
        again = compensation_service.pay(ctx, case, _quote())
        assert again.id == first.id
    assert len(calls) == 2
    assert _counts(rt, case_id) == (1, 1, 1)


@pytest.mark.postgres_only
def test_two_concurrent_requests_pay_once(rt: Runtime, client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two threads, each in its own transaction, pay the same compensation at the same moment."""
    attempts: list[int] = []  # cases for which a thread got past the "already paid?" check
    real_pay = compensation_service._pay

    def counting_pay(ctx: Any, case: Case, quote: Quote) -> Compensation:
        attempts.append(case.id)
        return real_pay(ctx, case, quote)

    monkeypatch.setattr(compensation_service, "_pay", counting_pay)
    case_ids = []
    for n in range(5):
        new_order(client, f"RACE-{n}")
        case_ids.append(open_case(client, "out_of_stock", order_id=f"RACE-{n}")["id"])
    deposit(client, 1_000_000)
    errors: list[BaseException] = []

    def pay(case_id: int, barrier: threading.Barrier, results: list[int]) -> None:
        try:
            with rt.uow() as ctx:
                case = ctx.session.get(Case, case_id)
                assert case is not None
                barrier.wait(timeout=10)
                results.append(compensation_service.pay(ctx, case, _quote()).id)
        except BaseException as exc:
            errors.append(exc)

    for case_id in case_ids:
        barrier, results = threading.Barrier(2), []
        threads = [threading.Thread(target=pay, args=(case_id, barrier, results)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert not errors, errors
        assert len(results) == 2 and len(set(results)) == 1
        assert _counts(rt, case_id) == (1, 1, 1)
    assert any(attempts.count(c) == 2 for c in case_ids), "the threads never raced; the test proved nothing"
    with rt.uow() as ctx:
        assert ledger.balance(ctx.session, accounts.PAYOUTS_PENDING) == 50_000 * len(case_ids)
        assert ledger.balance(ctx.session, accounts.seller_deposit("shop-1")) == 1_000_000 - 50_000 * len(case_ids)


@pytest.mark.parametrize("method", ["points", "coupon", "voucher", "original_payment"])
def test_each_payout_method_lands_where_it_says(rt: Runtime, client: TestClient, method: str) -> None:
    case_id = _paid_case(client)
    with rt.uow() as ctx:
        case = ctx.session.get(Case, case_id)
        assert case is not None
        compensation_service.pay(ctx, case, _quote(Rule.out_of_stock, 7_000, method))
    with rt.uow() as ctx:
        got = ledger.balances(ctx.session)
        pending = ctx.session.scalars(select(OutboxMessage).where(OutboxMessage.case_id == case_id)).all()
    if method == "original_payment":
        assert got["payouts_pending"] == 7_000
        assert [(p.amount_fen, p.method) for p in pending] == [(7_000, "original_payment")]
    else:
        assert got[f"{method}:buyer-1"] == 7_000
        assert "payouts_pending" not in got and pending == []
    assert got["seller_deposit:shop-1"] == 3_000  # 10,000 deposit less 7,000
