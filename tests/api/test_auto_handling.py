"""Seller auto-handling rules (自动化处理规则) and bulk agree.

Domain: the first matching enabled rule by priority decides, every refusal is explained, and a rule
never agrees to more than its maximum amount (Hypothesis). Service: a matching request is answered
at once as the shop — the refund reaches the ledger and the metrics count a seller response; a
request no rule matches waits; disabled rules are ignored; a rule's move the policy refuses leaves
the request untouched. API: the shop's staff and admins manage rules; bulk agree reports per case.

Here: through the HTTP API on a real database (the rules alone: tests/domain/test_auto_handling.py).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from peifu.adapters.runtime import Runtime
from peifu.db.models import Case, LedgerTransaction, MetricCase, SellerAutoRule
from peifu.domain.actors import Actor
from peifu.domain.ledger import escrow
from peifu.domain.vocabulary import CaseAction, CaseState, Role
from peifu.services import auto_handling, ledger
from peifu.services import cases as case_service
from peifu.services.inputs import ShipmentIn, SignedIn
from tests import builders
from tests.conftest import as_buyer, as_seller, order_body

API = "/api/v1"
SHOP = "shop-1"
SELLER = Actor(Role.seller, SHOP, user="staff-1")
BUYER = Actor(Role.buyer, "buyer-1")


@pytest.fixture
def api(client: TestClient) -> TestClient:
    return client


def open_request(
    client: TestClient,
    order_id: str,
    *,
    case_type: str = "refund_only",
    reason: str = "ordered_by_mistake",
    amount: int | None = None,
) -> dict[str, Any]:
    line: dict[str, Any] = {"line_no": 1}
    if amount is not None:
        line["refund_amount_fen"] = amount
    r = client.post(
        f"{API}/cases",
        json={"order_id": order_id, "lines": [line], "case_type": case_type, "reason": reason},
        headers=as_buyer(),
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


def add_rule(client: TestClient, **body: Any) -> dict[str, Any]:
    if client.get(f"{API}/orders/SEED").status_code == 404:  # the shop exists once it has an order
        assert client.post(f"{API}/orders", json=order_body("SEED")).status_code == 201
    r = client.post(f"{API}/shops/{SHOP}/auto-rules", json=body, headers=as_seller(SHOP))
    assert r.status_code == 201, r.text
    return dict(r.json())


FAST = {
    "name": "大促极速退款",
    "priority": 10,
    "case_types": ["refund_only"],
    "reasons": ["ordered_by_mistake", "no_longer_wanted"],
    "order_stages": ["not_shipped"],
    "max_amount_fen": 40000,
    "action": "agree",
    "message": "已极速退款",
}


def test_a_matching_request_is_refunded_at_once_as_the_shop(rt: Runtime, api: TestClient) -> None:
    fast = add_rule(api, **FAST)
    builders.order(api, "T1")
    case = open_request(api, "T1", amount=39900)
    assert case["state"] == "refunded"
    timeline = case["timeline"]
    agree = next(e for e in timeline if e["action"] == "agree")
    assert agree["actor"] == f"seller:{SHOP}"
    assert f"#{fast['id']}" in agree["data"]["note"] and "大促极速退款" in agree["data"]["note"]
    assert [e["action"] for e in timeline] == ["open", "agree", "execute_refund"]
    with rt.uow() as ctx:
        refund = ctx.session.scalars(
            select(LedgerTransaction).where(LedgerTransaction.case_id == case["id"], LedgerTransaction.kind == "refund")
        ).one()
        assert refund.sealed
        assert ledger.balance(ctx.session, escrow("T1")) == 6000  # 39900 + 3×2000 paid, 39900 refunded
        row = ctx.session.get(MetricCase, case["id"])
        assert row is not None and row.response_seconds == 0  # a seller response, at once
        stored = ctx.session.get(SellerAutoRule, fast["id"])
        assert stored is not None and stored.applied_count == 1


def test_a_request_no_rule_matches_waits_for_the_seller(api: TestClient) -> None:
    add_rule(api, **FAST)
    builders.order(api, "T1", upto="shipped")  # after shipping: the rule is for before shipping
    waiting = open_request(api, "T1")
    assert waiting["state"] == "requested"
    builders.order(api, "T2")
    other_reason = open_request(api, "T2", reason="out_of_stock")
    assert other_reason["state"] == "requested"
    assert [e["action"] for e in other_reason["timeline"]] == ["open"]


def test_above_the_maximum_waits(api: TestClient) -> None:
    add_rule(api, **{**FAST, "max_amount_fen": 39899})
    builders.order(api, "T1")
    assert open_request(api, "T1", amount=39900)["state"] == "requested"
    builders.order(api, "T2")
    assert open_request(api, "T2", amount=39899)["state"] == "refunded"


def test_disabled_rules_are_ignored_and_priority_decides(api: TestClient) -> None:
    fast = add_rule(api, **FAST)
    r = api.patch(f"{API}/shops/{SHOP}/auto-rules/{fast['id']}", json={"enabled": False}, headers=as_seller(SHOP))
    assert r.status_code == 200 and r.json()["enabled"] is False
    builders.order(api, "T1")
    assert open_request(api, "T1")["state"] == "requested"
    # a broad ask-to-modify rule behind a narrower enabled one
    add_rule(
        api,
        name="改理由",
        priority=90,
        reasons=["ordered_by_mistake", "out_of_stock"],
        action="ask_to_modify_reason",
        suggested_reason="no_longer_wanted",
    )
    api.patch(f"{API}/shops/{SHOP}/auto-rules/{fast['id']}", json={"enabled": True}, headers=as_seller(SHOP))
    builders.order(api, "T2")
    assert open_request(api, "T2")["state"] == "refunded"  # priority 10 beats 90


def test_ask_to_modify_reason_proposes_and_accepting_agrees_on_the_new_reason(api: TestClient) -> None:
    add_rule(
        api,
        name="缺货理由请改为不想要",
        priority=5,
        reasons=["out_of_stock", "late_shipment"],
        order_stages=["not_shipped"],
        action="ask_to_modify_reason",
        suggested_reason="no_longer_wanted",
        message="商品有货，请改为不想要了",
    )
    builders.order(api, "T1")
    case = open_request(api, "T1", reason="out_of_stock")
    assert case["state"] == "proposed"
    assert case["proposal"]["reason"] == "no_longer_wanted"
    propose = case["timeline"][-1]
    assert propose["actor"] == f"seller:{SHOP}" and "商品有货" in propose["data"]["note"]
    r = api.post(f"{API}/cases/{case['id']}/accept-proposal", headers=as_buyer())
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["reason"] == "no_longer_wanted"
    assert done["state"] == "refunded"


def test_agree_after_return_signed_refunds_when_the_courier_signs(rt: Runtime, api: TestClient) -> None:
    add_rule(
        api,
        name="七天无理由：签收自动退款",
        case_types=["return_and_refund"],
        reasons=["seven_day_no_reason"],
        action="agree_after_return_signed",
    )
    builders.order(api, "T1", upto="signed")
    case = open_request(api, "T1", case_type="return_and_refund", reason="seven_day_no_reason")
    assert case["state"] == "awaiting_return"
    with rt.uow() as ctx:
        case_service.act(ctx, case["id"], CaseAction.ship_return, BUYER, ShipmentIn(courier="YTO", tracking_no="YT1"))
        stored = ctx.session.get(Case, case["id"])
        assert stored is not None and stored.state == CaseState.return_shipped
    clock = rt.clock
    clock.advance(timedelta(days=2))  # type: ignore[attr-defined]
    r = api.post(f"{API}/cases/{case['id']}/return-signed", json={})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "refunded"
    actions = [(e["actor"], e["action"]) for e in r.json()["timeline"]]
    assert actions[-3:] == [
        ("platform:platform", "return_signed"),
        ("system", "confirm_return"),
        ("system", "execute_refund"),
    ]


def test_a_seller_agreeing_by_hand_can_confirm_an_exchange_on_sign(rt: Runtime, api: TestClient) -> None:
    builders.order(api, "T1", upto="signed")
    case = open_request(api, "T1", case_type="exchange", reason="quality_problem")
    r = api.post(f"{API}/cases/{case['id']}/agree", json={"confirm_return_on_sign": True}, headers=as_seller(SHOP))
    assert r.status_code == 200 and r.json()["state"] == "awaiting_return"
    assert r.json()["timeline"][-1]["data"] == {"confirm_return_on_sign": True}
    with rt.uow() as ctx:
        case_service.act(ctx, case["id"], CaseAction.ship_return, BUYER, ShipmentIn(courier="YTO", tracking_no="YT1"))
        case_service.act(ctx, case["id"], CaseAction.return_signed, Actor(Role.courier, "YTO"), SignedIn())
        stored = ctx.session.get(Case, case["id"])
        assert stored is not None and stored.state == CaseState.awaiting_replacement  # the seller now ships


def test_without_the_rule_a_signed_return_still_waits_for_the_seller(rt: Runtime, api: TestClient) -> None:
    builders.order(api, "T1", upto="signed")
    case = open_request(api, "T1", case_type="return_and_refund", reason="seven_day_no_reason")
    with rt.uow() as ctx:
        case_service.act(ctx, case["id"], CaseAction.agree, SELLER)
        case_service.act(ctx, case["id"], CaseAction.ship_return, BUYER, ShipmentIn(courier="YTO", tracking_no="YT1"))
        case_service.act(ctx, case["id"], CaseAction.return_signed, Actor(Role.courier, "YTO"), SignedIn())
        stored = ctx.session.get(Case, case["id"])
        assert stored is not None and stored.state == CaseState.return_shipped


def test_confirm_on_sign_is_refused_for_a_refund_only_request(api: TestClient) -> None:
    builders.order(api, "T1")
    case = open_request(api, "T1")
    r = api.post(f"{API}/cases/{case['id']}/agree", json={"confirm_return_on_sign": True}, headers=as_seller(SHOP))
    assert r.status_code == 422 and r.json()["error"]["code"] == "confirm_on_sign_not_applicable"
    assert api.get(f"{API}/cases/{case['id']}").json()["state"] == "requested"


def test_a_rule_the_policy_refuses_leaves_the_request_untouched(rt: Runtime, api: TestClient) -> None:
    # asking to switch to seven_day_no_reason before the goods were even delivered is not eligible
    add_rule(
        api,
        name="改成七天无理由",
        reasons=["out_of_stock"],
        action="ask_to_modify_reason",
        suggested_reason="seven_day_no_reason",
    )
    builders.order(api, "T1")
    case = open_request(api, "T1", reason="out_of_stock")
    assert case["state"] == "requested"
    assert [e["action"] for e in case["timeline"]] == ["open"]
    with rt.uow() as ctx:
        checks = auto_handling.explain_case(ctx, SELLER, case["id"])
        assert [c.matched for c in checks] == [True]  # it matched; the state machine said no


def test_the_api_explains_which_rule_decides_and_why_the_others_do_not(api: TestClient) -> None:
    fast = add_rule(api, **FAST)
    ask = add_rule(
        api,
        name="改理由",
        priority=50,
        reasons=["out_of_stock"],
        action="ask_to_modify_reason",
        suggested_reason="no_longer_wanted",
    )
    builders.order(api, "T1")
    case = open_request(api, "T1", reason="out_of_stock")
    assert case["state"] == "proposed"
    r = api.get(f"{API}/cases/{case['id']}/auto-rules", headers=as_seller(SHOP))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["order_stage"] == "not_shipped" and body["first_match"] == ask["id"]
    assert [(c["rule_id"], c["matched"], c["failed"]) for c in body["checks"]] == [
        (fast["id"], False, "reason"),
        (ask["id"], True, None),
    ]
    assert api.get(f"{API}/cases/{case['id']}/auto-rules", headers=as_buyer()).status_code == 403
    assert api.get(f"{API}/cases/{case['id']}/auto-rules", headers=as_seller("shop-2")).status_code == 404


def test_a_buyer_modified_request_meets_the_rules_again(api: TestClient) -> None:
    add_rule(api, **FAST)
    builders.order(api, "T1")
    case = open_request(api, "T1", reason="out_of_stock")
    assert case["state"] == "requested"
    r = api.post(f"{API}/cases/{case['id']}/modify", json={"reason": "no_longer_wanted"}, headers=as_buyer())
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "refunded"


def test_no_rule_answers_a_buyer_the_platform_marked_abusive(api: TestClient) -> None:
    add_rule(api, **FAST)
    builders.order(api, "T1")
    r = api.post(
        f"{API}/buyers/buyer-1/abuse-mark",
        json={"reason": "职业索赔", "scope": "all"},
        headers={"X-Peifu-Actor": "agent:xiaoer-1"},
    )
    assert r.status_code in (200, 201), r.text
    case = open_request(api, "T1")
    assert case["state"] == "requested"  # waits for a person
    checks = api.get(f"{API}/cases/{case['id']}/auto-rules", headers=as_seller(SHOP)).json()["checks"]
    assert [c["failed"] for c in checks] == ["marked_abusive"]


def test_rules_of_one_shop_never_answer_another_shops_requests(api: TestClient) -> None:
    add_rule(api, **FAST)
    other = order_body("T9")
    other["shop"] = {"id": "shop-2", "name": "别家店铺", "category": "shoes"}
    r = api.post(f"{API}/orders", json=other)
    assert r.status_code == 201
    api.post(f"{API}/orders/T9/events", json={"kind": "paid"})
    assert open_request(api, "T9")["state"] == "requested"


def test_rule_api_validation_access_and_lifecycle(api: TestClient) -> None:
    builders.order(api, "T1")  # the shop exists once it has an order
    url = f"{API}/shops/{SHOP}/auto-rules"
    created = add_rule(api, **FAST)
    assert created["reasons"] == ["no_longer_wanted", "ordered_by_mistake"]
    assert created["enabled"] is True and created["applied_count"] == 0
    listed = api.get(url, headers=as_seller(SHOP)).json()
    assert [r["id"] for r in listed] == [created["id"]]
    # bad input: clear 4xx, nothing stored
    for body, code in [
        ({**FAST, "action": "agree_after_return_signed"}, "rule_case_types_invalid"),
        ({**FAST, "action": "ask_to_modify_reason"}, "rule_suggested_reason_required"),
    ]:
        r = api.post(url, json=body, headers=as_seller(SHOP))
        assert r.status_code == 422 and r.json()["error"]["code"] == code, r.text
    r = api.post(url, json={**FAST, "max_amount_fen": -5}, headers=as_seller(SHOP))
    assert r.status_code == 422
    r = api.post(url, json={**FAST, "unknown": 1}, headers=as_seller(SHOP))
    assert r.status_code == 422
    assert len(api.get(url, headers=as_seller(SHOP)).json()) == 1
    # PATCH: partial; a change that would make the rule invalid is refused whole
    rule_url = f"{url}/{created['id']}"
    r = api.patch(rule_url, json={"max_amount_fen": None, "priority": 3}, headers=as_seller(SHOP))
    assert r.status_code == 200 and r.json()["max_amount_fen"] is None and r.json()["priority"] == 3
    r = api.patch(rule_url, json={"action": "agree_after_return_signed"}, headers=as_seller(SHOP))
    assert r.status_code == 422
    assert api.get(url, headers=as_seller(SHOP)).json()[0]["action"] == "agree"
    r = api.patch(rule_url, json={}, headers=as_seller(SHOP))
    assert r.status_code == 422
    # access: another shop's staff get a 404 like a missing shop; buyers and agents a 403; admins may
    assert api.get(url, headers=as_seller("shop-2")).status_code == 404
    assert api.patch(rule_url, json={"enabled": False}, headers=as_seller("shop-2")).status_code == 404
    assert api.delete(rule_url, headers=as_seller("shop-2")).status_code == 404
    assert api.get(url, headers=as_buyer()).status_code == 403
    assert api.get(url, headers={"X-Peifu-Actor": "agent:xiaoer-1"}).status_code == 403
    assert api.get(f"{API}/shops/shop-none/auto-rules", headers=as_seller("shop-none")).status_code == 404
    # a rule id of another shop, through one's own shop path, is not found
    r = api.patch(
        f"{API}/shops/shop-2/auto-rules/{created['id']}", json={"enabled": False}, headers=as_seller("shop-2")
    )
    assert r.status_code == 404
    # idempotent create: a retried POST with the same key creates one rule
    key = {"Idempotency-Key": "rule-create-1", **as_seller(SHOP)}
    first = api.post(url, json={**FAST, "name": "retry"}, headers=key)
    again = api.post(url, json={**FAST, "name": "retry"}, headers=key)
    assert first.status_code == again.status_code == 201 and first.json()["id"] == again.json()["id"]
    assert again.headers.get("Idempotent-Replayed") == "true"
    # delete
    assert api.delete(rule_url, headers=as_seller(SHOP)).status_code == 204
    assert api.delete(rule_url, headers=as_seller(SHOP)).status_code == 404
    assert [r["name"] for r in api.get(url, headers=as_seller(SHOP)).json()] == ["retry"]


def test_bulk_agree_reports_each_request(rt: Runtime, api: TestClient) -> None:
    ids = []
    for n in range(4):
        builders.order(api, f"T{n}")
        ids.append(open_request(api, f"T{n}")["id"])
    with rt.uow() as ctx:  # one already refused by the seller, one withdrawn by the buyer
        case_service.act(ctx, ids[1], CaseAction.withdraw, BUYER)
    other = order_body("X1")
    other["shop"] = {"id": "shop-2", "name": "别家店铺", "category": "shoes"}
    api.post(f"{API}/orders", json=other)
    api.post(f"{API}/orders/X1/events", json={"kind": "paid"})
    foreign = open_request(api, "X1")["id"]
    r = api.post(
        f"{API}/shops/{SHOP}/cases/bulk-agree",
        json={"case_ids": [ids[0], ids[1], foreign, 999999, ids[2], ids[3]]},
        headers=as_seller(SHOP),
    )
    assert r.status_code == 200, r.text
    report = {row["case_id"]: row for row in r.json()["results"]}
    assert r.json()["agreed"] == 3 and r.json()["refused"] == 3
    for cid in (ids[0], ids[2], ids[3]):
        assert report[cid]["ok"] and report[cid]["state"] == "refunded"
    assert report[ids[1]]["code"] == "action_not_allowed"
    assert report[foreign] == {
        "case_id": foreign,
        "ok": False,
        "state": None,
        "code": "case_not_found",
        "message": "No such case.",
    }
    assert report[999999]["code"] == "case_not_found"
    assert api.get(f"{API}/cases/{foreign}").json()["state"] == "requested"
    # other shops' staff and buyers cannot use the shop's bulk agree
    r = api.post(f"{API}/shops/{SHOP}/cases/bulk-agree", json={"case_ids": [ids[0]]}, headers=as_seller("shop-2"))
    assert r.status_code == 404
    r = api.post(f"{API}/shops/{SHOP}/cases/bulk-agree", json={"case_ids": [ids[0]]}, headers=as_buyer())
    assert r.status_code == 403
    r = api.post(f"{API}/shops/{SHOP}/cases/bulk-agree", json={"case_ids": []}, headers=as_seller(SHOP))
    assert r.status_code == 422


def test_bulk_agree_in_batches(rt: Runtime, api: TestClient) -> None:
    ids = []
    for n in range(5):
        builders.order(api, f"T{n}")
        ids.append(open_request(api, f"T{n}")["id"])
    out = auto_handling.bulk_agree_in_batches(rt, SELLER, SHOP, ids, batch=2)
    assert [o.ok for o in out] == [True] * 5
    with rt.uow() as ctx:
        states = set(ctx.session.scalars(select(Case.state).where(Case.id.in_(ids))))
    assert states == {"refunded"}
