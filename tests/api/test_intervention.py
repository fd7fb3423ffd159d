"""Platform intervention (小二介入) end to end: from the buyer's request to the executed ruling.

Everything goes through the HTTP API, and time through the manual clock plus the deadline worker
(`run_due`), the way a marketplace and `peifu worker` would drive it. Each test walks one of the
patterns of seed 004 "介入后的判定走向":

1. a goods-problem return refused by the seller without evidence → return_and_refund, seller liable;
2. counterfeit with valid proof → refund_only plus counterfeit compensation; without proof →
   return_and_refund and no penalty;
3. refund_only without a goods problem and without prior agreement → for the seller, nothing paid;
4. returned goods signed for by the seller, then rejected as abnormal → seller liable, refund;
5. the evidence deadline: missing proof decides against the party that owed it (and only then);
6. appeals: once, by the losing party, within the window, decided by a different agent; money
   already moved is corrected by a new ledger transaction, never edited;
7. who sees which evidence, and content-addressed uploads with their size and type limits;
8. the agents' queue;
9. the exchange, repair and reship flows with their own timeouts.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from peifu.adapters.runtime import Runtime
from peifu.db.models import EvidenceBlob, User
from peifu.domain.clock import ManualClock
from peifu.domain.errors import Ineligible
from peifu.domain.intervention import appeal_correction
from peifu.domain.policy import InterventionRules, Rule, default_policy
from peifu.services.deadlines import FireReport, run_due
from tests import builders
from tests.conftest import START, as_buyer, as_seller
from tests.dispute_flow import (
    AGENT,
    AGENT2,
    API,
    CHEAP,
    PDF,
    PNG,
    PRICE,
    act,
    appeal,
    dispute_of,
    get_case,
    get_dispute,
    new_order,
    ok,
    open_case,
    refuse_and_escalate,
    rule,
    text_evidence,
    upload,
)

STATUTORY_MIN = 50000
SECOND = timedelta(seconds=1)


# --- driving the API ------------------------------------------------------------------------------


def fire(rt: Runtime) -> FireReport:
    return run_due(rt, owner="t")


def instant(value: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(value["utc"])


def deadline(case: dict[str, Any], kind: str) -> datetime:
    due = [instant(d["due_at"]) for d in case["deadlines"] if d["kind"] == kind]
    assert len(due) == 1, case["deadlines"]
    return due[0]


def fires_on_time(rt: Runtime, clock: ManualClock, due: datetime, case_id: int, client: TestClient) -> dict[str, Any]:
    """One second before `due` nothing happens to the case; at `due` the worker moves it."""
    before = get_case(client, case_id)
    clock.set(due - SECOND)
    fire(rt)
    early = get_case(client, case_id)
    assert (early["state"], len(early["timeline"])) == (before["state"], len(before["timeline"]))
    clock.set(due)
    assert fire(rt).fired >= 1
    after = get_case(client, case_id)
    assert len(after["timeline"]) > len(before["timeline"]), after["timeline"]
    return after


def moves(case: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(e["actor"], e["action"], e["to_state"]) for e in case["timeline"]]


def txn_kinds(case: dict[str, Any]) -> list[str]:
    return [t["kind"] for t in case["money"]["transactions"]]


def shop_money(client: TestClient, shop: str = "shop-1") -> dict[str, Any]:
    data: dict[str, Any] = ok(client.get(f"{API}/shops/{shop}/money", headers=as_seller(shop)))
    return data


# --- 1. goods problem refused without evidence --------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "seller_confirms"),
    [("not_as_described", True), ("quality_problem", False)],
    ids=["not_as_described-seller-confirms", "quality_problem-auto-confirm"],
)
def test_goods_problem_refused_without_evidence_is_ruled_return_and_refund_seller_liable(
    client: TestClient, rt: Runtime, clock: ManualClock, reason: str, seller_confirms: bool
) -> None:
    new_order(client, "T1")
    case_id = open_case(client, "T1", "return_and_refund", reason)
    dispute_id = refuse_and_escalate(client, case_id)

    case = get_case(client, case_id)
    evidence_days = rt.policies.current.deadlines.evidence_days.value
    assert deadline(case, "evidence_due") == START + timedelta(days=evidence_days)
    dispute = dispute_of(client, case_id, as_buyer())
    assert dispute["id"] == dispute_id
    assert (dispute["status"], dispute["opened_by"], dispute["amount_fen"]) == ("evidence", "buyer", PRICE)
    assert instant(dispute["evidence_deadline"]) == START + timedelta(days=evidence_days)
    guidance = dispute["guidance"]
    assert (guidance["outcome"], guidance["case_type"], guidance["liable_party"]) == (
        "support_buyer",
        "return_and_refund",
        "seller",
    )
    assert {d["party"] for d in dispute["burden_of_proof"]} == {"buyer", "seller"}

    # The buyer shows the problem; the seller has nothing. The agent follows the precedent.
    ok(upload(client, dispute_id, as_buyer(), "image", PNG, "image/png", "sole.png"), 201)
    ruled = rule(client, dispute_id, outcome="support_buyer", case_type="return_and_refund", liable_party="seller")
    assert (ruled["status"], ruled["liable_party"]) == ("ruled", "seller")
    assert ruled["rulings"][0]["refund_amount_fen"] == PRICE
    case = get_case(client, case_id)
    assert case["state"] == "awaiting_return"
    assert moves(case)[-1] == ("agent:x1", "rule_return", "awaiting_return")
    assert case["money"]["refunded_fen"] == 0
    assert "evidence_due" not in [d["kind"] for d in case["deadlines"]]

    case = act(client, case_id, "ship_return", as_buyer(), {"courier": "YTO", "tracking_no": "YT1"})
    assert case["state"] == "return_shipped"
    if seller_confirms:
        case = act(client, case_id, "confirm_return", as_seller())
    else:
        case = fires_on_time(rt, clock, deadline(case, "seller_confirm_return"), case_id, client)
    assert case["state"] == "refunded"
    assert moves(case)[-2:] == [
        ("seller:shop-1" if seller_confirms else "system", "confirm_return", "refunding"),
        ("system", "execute_refund", "refunded"),
    ]
    assert case["money"]["refunded_fen"] == PRICE
    assert case["money"]["compensations"] == []
    assert ok(client.get(f"{API}/orders/T1"))["lines"][0]["refunded_fen"] == PRICE
    assert dispute_of(client, case_id)["liable_party"] == "seller"
    # the guidance is read from the facts as they were escalated: the ruling since changes nothing
    assert dispute_of(client, case_id)["guidance"] == guidance


# --- 2. counterfeit -----------------------------------------------------------------------------


def test_counterfeit_with_brand_appraisal_is_refund_only_with_statutory_compensation(
    client: TestClient, rt: Runtime
) -> None:
    new_order(client, "T1", price=CHEAP)
    ok(client.post(f"{API}/shops/shop-1/deposit", json={"amount_fen": 100000}, headers=as_seller()))
    case_id = open_case(client, "T1", "refund_only", "counterfeit")
    dispute_id = refuse_and_escalate(client, case_id)
    dispute = dispute_of(client, case_id)
    buyer_duties = [d for d in dispute["burden_of_proof"] if d["party"] == "buyer"]
    assert buyer_duties and "document" in buyer_duties[0]["proof"]

    uploaded = ok(upload(client, dispute_id, as_buyer(), "document", PDF, "application/pdf", "appraisal.pdf"), 201)
    [evidence] = uploaded["evidence"]
    assert (evidence["kind"], evidence["content_type"]) == ("document", "application/pdf")
    assert evidence["sha256"] == hashlib.sha256(PDF).hexdigest()

    ruled = rule(
        client,
        dispute_id,
        outcome="support_buyer",
        case_type="refund_only",
        liable_party="seller",
        compensations=["counterfeit"],
        reasoning="买家提供品牌方鉴定报告，认定假货",
    )
    assert ruled["rulings"][0]["compensations"] == ["counterfeit"]
    case = get_case(client, case_id)
    assert case["state"] == "refunded"
    assert moves(case)[-2:] == [("agent:x1", "rule_refund", "refunding"), ("system", "execute_refund", "refunded")]
    money = case["money"]
    assert money["refunded_fen"] == CHEAP
    assert [(c["rule"], c["amount_fen"], c["payer"]) for c in money["compensations"]] == [
        ("counterfeit", STATUTORY_MIN, "seller")
    ]
    assert money["compensation_fen"] == STATUTORY_MIN
    assert txn_kinds(case) == ["refund", "compensation:counterfeit"]
    assert sorted(p["amount_fen"] for p in money["payouts"]) == [CHEAP, STATUTORY_MIN]
    assert shop_money(client)["deposit_fen"] == 100000 - STATUTORY_MIN
    assert dispute_of(client, case_id)["liable_party"] == "seller"


def test_counterfeit_without_proof_is_return_and_refund_without_penalty(client: TestClient, rt: Runtime) -> None:
    """Seed 004: for 描述不符/质量问题/假货 refused by the seller and escalated, 「商家计入纠纷率，且判定支持到
    退货退款」; and for a counterfeit claim 「买家也无有效证明是假货…最终淘宝介入的结果是，支持到退货退款。无其他
    处罚」. Read together (policy intervention.counterfeit_refused_liable): the seller who refused is
    liable for the dispute, counted in the dispute rate, but nothing finds counterfeit — no 假一赔十.
    (This test used to expect no liable party.)"""
    new_order(client, "T1", price=CHEAP)
    case_id = open_case(client, "T1", "refund_only", "counterfeit")
    dispute_id = refuse_and_escalate(client, case_id)
    guidance = dispute_of(client, case_id)["guidance"]
    assert (guidance["outcome"], guidance["case_type"], guidance["liable_party"]) == (
        "support_buyer",
        "return_and_refund",
        "seller",
    )
    assert "计入纠纷率" in guidance["zh"] and "假一赔十" in guidance["zh"]
    ok(text_evidence(client, dispute_id, as_buyer(), "我觉得是假货"), 201)
    rule(client, dispute_id, outcome="support_buyer", case_type="return_and_refund", liable_party="seller")
    case = get_case(client, case_id)
    assert (case["state"], case["case_type"]) == ("awaiting_return", "return_and_refund")
    act(client, case_id, "ship_return", as_buyer(), {"courier": "YTO", "tracking_no": "YT1"})
    case = act(client, case_id, "confirm_return", as_seller())
    assert case["state"] == "refunded"
    # 同意退货退款后，并不代表你的产品就是假货: the refund, and nothing else.
    assert case["money"]["refunded_fen"] == CHEAP
    assert case["money"]["compensations"] == []
    assert txn_kinds(case) == ["refund"]
    assert shop_money(client)["debt_fen"] == 0
    assert dispute_of(client, case_id)["liable_party"] == "seller"
    counts = ok(client.get(f"{API}/shops/shop-1/metrics", headers=AGENT))["counts"]
    assert counts["lost_dispute_orders"] == 1


def test_counterfeit_escalated_without_a_refusal_names_no_liable_party(client: TestClient, clock: ManualClock) -> None:
    """The seed's liability is for the seller who refused (商家…拒绝退货的话…计入纠纷率); a request the
    seller never answered, escalated once the wait was over, finds nothing against it."""
    new_order(client, "T1", price=CHEAP)
    case_id = open_case(client, "T1", "return_and_refund", "counterfeit")
    clock.advance(timedelta(hours=72))
    act(client, case_id, "escalate", as_buyer())
    guidance = dispute_of(client, case_id)["guidance"]
    assert (guidance["outcome"], guidance["case_type"], guidance["liable_party"]) == (
        "support_buyer",
        "return_and_refund",
        "none",
    )


def test_valid_proof_on_file_changes_the_counterfeit_guidance(client: TestClient) -> None:
    """Seed 004: 「如产品的买家提供有效凭证，证明是假货，那么最终会支持到仅退款」. Once the buyer has put the
    proof the dispute asks for on file (a brand appraisal or quality report: abuse.counterfeit_proof_kinds),
    the guidance the agent sees follows it — refund only, seller liable, counterfeit compensation —
    and names the evidence; whether it is valid is still the agent's call. A statement, a chat log or
    the seller's own document does not change it."""
    new_order(client, "T1", price=CHEAP)
    case_id = open_case(client, "T1", "refund_only", "counterfeit")
    dispute_id = refuse_and_escalate(client, case_id)
    before = dispute_of(client, case_id)["guidance"]
    assert (before["case_type"], before["proof_evidence"]) == ("return_and_refund", [])
    ok(text_evidence(client, dispute_id, as_buyer(), "我觉得是假货"), 201)
    ok(text_evidence(client, dispute_id, as_buyer(), "买家：是正品吗？", kind="chat_log"), 201)
    ok(upload(client, dispute_id, as_seller(), "document", PDF, "application/pdf", "invoice.pdf"), 201)
    assert dispute_of(client, case_id)["guidance"] == before

    uploaded = ok(upload(client, dispute_id, as_buyer(), "document", PDF, "application/pdf", "appraisal.pdf"), 201)
    proof_id = [e["id"] for e in uploaded["evidence"] if e["party"] == "buyer" and e["kind"] == "document"]
    guidance = dispute_of(client, case_id)["guidance"]
    assert (guidance["outcome"], guidance["case_type"], guidance["liable_party"]) == (
        "support_buyer",
        "refund_only",
        "seller",
    )
    assert guidance["proof_evidence"] == proof_id
    assert "仅退款" in guidance["zh"] and "小二" in guidance["zh"]
    assert "decides whether it is valid" in guidance["en"]
    assert get_dispute(client, dispute_id)["guidance"] == guidance


# --- 3. refund_only without a goods problem -------------------------------------------------------


def test_refund_only_without_goods_problem_or_agreement_is_ruled_for_the_seller(client: TestClient) -> None:
    new_order(client, "T1", stage="paid")
    case_id = open_case(client, "T1", "refund_only", "no_longer_wanted")
    dispute_id = refuse_and_escalate(client, case_id)
    dispute = dispute_of(client, case_id, as_seller())
    guidance = dispute["guidance"]
    assert (guidance["outcome"], guidance["case_type"], guidance["liable_party"]) == ("support_seller", None, "none")
    assert [(d["party"], d["proof"]) for d in dispute["burden_of_proof"]] == [("buyer", ["chat_log"])]

    ruled = rule(client, dispute_id, outcome="support_seller", liable_party="none")
    assert (ruled["status"], ruled["liable_party"]) == ("ruled", "none")
    assert ruled["rulings"][0]["refund_amount_fen"] == 0
    case = get_case(client, case_id)
    assert case["state"] == "closed"
    assert moves(case)[-1] == ("agent:x1", "rule_close", "closed")
    assert case["money"]["refunded_fen"] == 0
    assert case["money"]["transactions"] == [] and case["money"]["payouts"] == []
    order = ok(client.get(f"{API}/orders/T1"))
    assert (order["state"], order["lines"][0]["refunded_fen"]) == ("paid", 0)


# --- 3b. refused delivery ---------------------------------------------------------------------------


@pytest.mark.parametrize("refusal", [None, "外包装破损"], ids=["no-reason", "with-reason"])
def test_refused_delivery_guidance_follows_the_refused_delivery_rule(client: TestClient, refusal: str | None) -> None:
    """Seed 003: 「如果是买家无理由拒签，运费由买家承担，需要商家举证」; 「如果买家是有理由拒签，运费由商家承担，
    需要由买家举证」. The parcel went back to the seller, so the precedent for a buyer who kept the
    goods (refund only without agreement: not supported) does not apply: the price comes back once
    the goods are back, the postage is on the buyer without a reason (the seller proves the parcel
    was refused and came back sound) and on the seller with one (the buyer proves the reason)."""
    new_order(client, "T1")
    body: dict[str, Any] = {"kind": "refused_delivery"}
    if refusal:
        body["reason"] = refusal
    ok(client.post(f"{API}/orders/T1/events", json=body))
    case_id = open_case(client, "T1", "refund_only", "no_longer_wanted")
    refuse_and_escalate(client, case_id)
    dispute = dispute_of(client, case_id)
    guidance = dispute["guidance"]
    assert (guidance["outcome"], guidance["case_type"]) == ("support_buyer", "refund_only")
    if refusal is None:
        assert guidance["liable_party"] == "buyer"
        assert "运费由买家承担" in guidance["zh"] and "退回" in guidance["zh"]
        assert [d["party"] for d in dispute["burden_of_proof"]] == ["seller"]
    else:
        assert guidance["liable_party"] == "seller"
        assert "运费由卖家承担" in guidance["zh"]
        assert [d["party"] for d in dispute["burden_of_proof"]] == ["buyer"]
    assert all("chat_log" not in d["proof"] for d in dispute["burden_of_proof"])


# --- 4. returned goods signed for, then rejected ---------------------------------------------------


@pytest.mark.parametrize("decided_by", ["agent", "evidence_deadline"])
def test_return_signed_then_rejected_is_refunded_seller_liable(
    client: TestClient, rt: Runtime, clock: ManualClock, decided_by: str
) -> None:
    new_order(client, "T1")
    case_id = open_case(client, "T1", "return_and_refund", "quality_problem")
    act(client, case_id, "agree", as_seller())
    act(client, case_id, "ship_return", as_buyer(), {"courier": "YTO", "tracking_no": "YT1", "shipping_fee_fen": 1200})
    act(client, case_id, "return_signed", {"X-Peifu-Actor": "courier:YTO"})
    case = act(client, case_id, "reject_return", as_seller(), {"reason": "退回商品有明显使用痕迹"})
    assert case["state"] == "return_rejected"
    case = act(client, case_id, "escalate", as_buyer())
    assert case["state"] == "in_intervention"

    dispute = dispute_of(client, case_id)
    guidance = dispute["guidance"]
    assert (guidance["outcome"], guidance["liable_party"]) == ("support_buyer", "seller")
    seller_facts = [d["fact_en"] for d in dispute["burden_of_proof"] if d["party"] == "seller"]
    assert any("unsellable" in fact for fact in seller_facts), dispute["burden_of_proof"]

    ok(upload(client, dispute["id"], as_buyer(), "image", PNG, "image/png", "before.png"), 201)
    if decided_by == "agent":
        rule(client, dispute["id"], outcome="support_buyer", case_type="return_and_refund", liable_party="seller")
        ruler = "agent:x1"
    else:
        clock.set(instant(dispute["evidence_deadline"]))
        fire(rt)
        ruler = "system"
    # The goods are already with the seller: the ruling refunds, it does not ask for them again.
    case = get_case(client, case_id)
    assert case["state"] == "refunded", moves(case)
    assert moves(case)[-2:] == [(ruler, "rule_refund", "refunding"), ("system", "execute_refund", "refunded")]
    assert case["money"]["refunded_fen"] == PRICE + 1200  # the seller at fault pays the return shipping
    dispute = dispute_of(client, case_id)
    assert (dispute["status"], dispute["liable_party"]) == ("ruled", "seller")
    assert dispute["rulings"][0]["automatic"] is (decided_by != "agent")


# --- 5. the evidence deadline ----------------------------------------------------------------------


def test_seller_who_owed_proof_and_stayed_silent_loses_at_the_deadline(
    client: TestClient, rt: Runtime, clock: ManualClock
) -> None:
    new_order(client, "T1")  # shipped, never signed for
    case_id = open_case(client, "T1", "refund_only", "not_received")
    dispute_id = refuse_and_escalate(client, case_id)
    dispute = get_dispute(client, dispute_id)
    assert [d["party"] for d in dispute["burden_of_proof"]] == ["seller"]
    due = instant(dispute["evidence_deadline"])

    clock.set(due - SECOND)
    report = fire(rt)
    assert report.fired == 0, report.outcomes
    assert get_dispute(client, dispute_id)["status"] == "evidence"
    assert get_case(client, case_id)["state"] == "in_intervention"

    clock.set(due)
    report = fire(rt)
    assert report.fired == 1, report.outcomes
    dispute = get_dispute(client, dispute_id)
    assert (dispute["status"], dispute["liable_party"]) == ("ruled", "seller")
    [ruling] = dispute["rulings"]
    assert (ruling["agent_id"], ruling["automatic"], ruling["outcome"]) == ("system", True, "support_buyer")
    assert ruling["refund_amount_fen"] == PRICE
    assert instant(dispute["appeal_deadline"]) == due + timedelta(days=rt.policies.current.deadlines.appeal_days.value)
    case = get_case(client, case_id)
    assert case["state"] == "refunded"
    assert moves(case)[-2:] == [("system", "rule_refund", "refunding"), ("system", "execute_refund", "refunded")]
    assert case["money"]["refunded_fen"] == PRICE
    assert "appeal_window" in [d["kind"] for d in case["deadlines"]]


@pytest.mark.parametrize(
    ("stage", "case_type", "reason", "seller_submits"),
    [
        ("shipped", "refund_only", "counterfeit", True),  # the seller showed its purchase records
        ("shipped", "refund_only", "counterfeit", False),  # both owed, both silent: the claimant loses
        ("paid", "refund_only", "no_longer_wanted", False),
    ],
    ids=["counterfeit-seller-proved", "counterfeit-both-silent", "no_longer_wanted"],
)
def test_buyer_who_owed_proof_and_stayed_silent_loses_at_the_deadline(
    client: TestClient, rt: Runtime, clock: ManualClock, stage: str, case_type: str, reason: str, seller_submits: bool
) -> None:
    new_order(client, "T1", stage=stage)
    case_id = open_case(client, "T1", case_type, reason)
    dispute_id = refuse_and_escalate(client, case_id)
    if seller_submits:
        ok(upload(client, dispute_id, as_seller(), "document", PDF, "application/pdf", "invoice.pdf"), 201)
    due = instant(get_dispute(client, dispute_id)["evidence_deadline"])

    clock.set(due - SECOND)
    assert fire(rt).fired == 0
    assert get_case(client, case_id)["state"] == "in_intervention"

    clock.set(due)
    assert fire(rt).fired == 1
    dispute = get_dispute(client, dispute_id)
    assert (dispute["status"], dispute["liable_party"]) == ("ruled", "buyer")
    assert [(r["agent_id"], r["outcome"], r["refund_amount_fen"]) for r in dispute["rulings"]] == [
        ("system", "support_seller", 0)
    ]
    case = get_case(client, case_id)
    assert case["state"] == "closed"
    assert moves(case)[-1] == ("system", "rule_close", "closed")
    assert case["money"]["refunded_fen"] == 0 and case["money"]["compensations"] == []


def test_evidence_from_both_sides_goes_to_review_and_late_evidence_does_not_count(
    client: TestClient, rt: Runtime, clock: ManualClock
) -> None:
    new_order(client, "T1")
    new_order(client, "T2")
    both = open_case(client, "T1", "return_and_refund", "quality_problem")
    late = open_case(client, "T2", "return_and_refund", "quality_problem")
    both_dispute = refuse_and_escalate(client, both)
    late_dispute = refuse_and_escalate(client, late)
    for dispute_id in (both_dispute, late_dispute):
        ok(upload(client, dispute_id, as_buyer(), "image", PNG, "image/png", "sole.png"), 201)
    ok(text_evidence(client, both_dispute, as_seller(), "商品出厂质检合格，见质检单"), 201)
    due = instant(get_dispute(client, both_dispute)["evidence_deadline"])

    clock.set(due + SECOND)  # the seller's proof for the second dispute arrives after the deadline
    ok(text_evidence(client, late_dispute, as_seller(), "补充举证：质检合格"), 201)
    assert fire(rt).fired == 2

    reviewed = get_dispute(client, both_dispute)
    assert (reviewed["status"], reviewed["rulings"], reviewed["liable_party"]) == ("review", [], None)
    assert get_case(client, both)["state"] == "in_intervention"
    queue = ok(client.get(f"{API}/disputes", params={"status": "review"}, headers=AGENT))
    assert [d["id"] for d in queue] == [both_dispute]

    defaulted = get_dispute(client, late_dispute)
    assert defaulted["status"] == "ruled"
    assert [(r["outcome"], r["liable_party"]) for r in defaulted["rulings"]] == [("support_buyer", "seller")]
    assert get_case(client, late)["state"] == "awaiting_return"

    # An agent decides the reviewed dispute.
    rule(client, both_dispute, outcome="split", refund_amount_fen=10000, liable_party="seller")
    case = get_case(client, both)
    assert (case["state"], case["case_type"], case["money"]["refunded_fen"]) == ("refunded", "partial_refund", 10000)


# --- 6. appeals ------------------------------------------------------------------------------------


def test_refund_ruling_reversed_on_appeal_is_corrected_by_a_new_transaction(client: TestClient) -> None:
    new_order(client, "T1", stage="completed")  # post-trade: the refund comes out of the seller's balance
    balance_before = shop_money(client)["balance_fen"]
    case_id = open_case(client, "T1", "refund_only", "not_as_described")
    dispute_id = refuse_and_escalate(client, case_id)
    rule(client, dispute_id, outcome="support_buyer", case_type="refund_only", liable_party="seller")
    case = get_case(client, case_id)
    assert (case["state"], case["money"]["refunded_fen"]) == ("refunded", PRICE)
    [refund_txn] = case["money"]["transactions"]
    assert shop_money(client)["balance_fen"] == balance_before - PRICE

    builders.refused(appeal(client, dispute_id, as_buyer()), "not_the_losing_party", 403)
    builders.refused(appeal(client, dispute_id, as_seller("shop-2")), "dispute_not_found", 404)
    appealed = ok(appeal(client, dispute_id, as_seller()), 201)
    assert appealed["status"] == "appealed"
    assert appealed["appeal"]["party"] == "seller"
    assert [(e["party"], e["for_appeal"]) for e in appealed["evidence"]] == [("seller", True)]
    builders.refused(appeal(client, dispute_id, as_seller()), "already_appealed", 409)

    decision = {
        "decision": "replaced",
        "reasoning": "卖家提供了新的质检证明",
        "ruling": {"outcome": "support_seller", "liable_party": "buyer", "reasoning": "商品与描述一致"},
    }
    url = f"{API}/disputes/{dispute_id}/appeal/decision"
    builders.refused(client.post(url, json=decision, headers=AGENT), "same_agent", 403)
    builders.refused(client.post(url, json=decision, headers=as_seller()), "actor_not_allowed", 403)
    decided = ok(client.post(url, json=decision, headers=AGENT2))
    assert (decided["status"], decided["liable_party"]) == ("final", "buyer")
    assert decided["appeal"]["decision"] == "replaced" and decided["appeal"]["reviewer"] == "x2"
    first, second = decided["rulings"]
    assert (second["agent_id"], second["on_appeal"], second["supersedes"]) == ("x2", True, first["id"])
    assert (second["outcome"], second["refund_amount_fen"]) == ("support_seller", 0)
    assert first["outcome"] == "support_buyer"  # the original ruling is kept as it was

    case = get_case(client, case_id)
    assert case["state"] == "closed"
    assert moves(case)[-1] == ("agent:x2", "rule_close", "closed")
    refund_after, correction = case["money"]["transactions"]
    assert refund_after == refund_txn  # never edited
    assert correction["kind"] == "appeal_correction"
    assert sorted((leg["account"], leg["amount_fen"]) for leg in correction["legs"]) == [
        ("platform_fund", -PRICE),
        ("seller_balance:shop-1", PRICE),
    ]
    assert shop_money(client)["balance_fen"] == balance_before
    builders.refused(appeal(client, dispute_id, as_seller()), "already_appealed", 409)
    builders.refused(client.post(url, json=decision, headers=AGENT2), "no_pending_appeal", 409)


def test_close_ruling_reversed_on_appeal_refunds_the_buyer(client: TestClient) -> None:
    new_order(client, "T1", stage="paid")
    case_id = open_case(client, "T1", "refund_only", "no_longer_wanted")
    dispute_id = refuse_and_escalate(client, case_id)
    rule(client, dispute_id, outcome="support_seller", liable_party="none")
    assert get_case(client, case_id)["state"] == "closed"

    builders.refused(appeal(client, dispute_id, as_seller()), "not_the_losing_party", 403)
    ok(appeal(client, dispute_id, as_buyer()), 201)
    decision = {
        "decision": "replaced",
        "reasoning": "聊天记录显示卖家曾同意仅退款",
        "ruling": {
            "outcome": "support_buyer",
            "case_type": "refund_only",
            "liable_party": "seller",
            "reasoning": "约定",
        },
    }
    url = f"{API}/disputes/{dispute_id}/appeal/decision"
    builders.refused(client.post(url, json=decision, headers=AGENT), "same_agent", 403)
    decided = ok(client.post(url, json=decision, headers=AGENT2))
    assert (decided["status"], decided["liable_party"]) == ("final", "seller")
    assert decided["rulings"][-1]["refund_amount_fen"] == PRICE

    case = get_case(client, case_id)
    assert case["state"] == "refunded"
    assert moves(case)[-2:] == [("agent:x2", "rule_refund", "refunding"), ("system", "execute_refund", "refunded")]
    assert case["money"]["refunded_fen"] == PRICE
    assert txn_kinds(case) == ["refund"]
    builders.refused(appeal(client, dispute_id, as_buyer()), "already_appealed", 409)


def _replace_on_appeal(client: TestClient, dispute_id: int, appellant: dict[str, str], **ruling: Any) -> dict[str, Any]:
    ok(appeal(client, dispute_id, appellant), 201)
    body = {"reasoning": "复核改判", "compensations": [], **ruling}
    decision = {"decision": "replaced", "reasoning": "复核改判", "ruling": body}
    decided: dict[str, Any] = ok(
        client.post(f"{API}/disputes/{dispute_id}/appeal/decision", json=decision, headers=AGENT2)
    )
    return decided


@pytest.mark.parametrize(
    ("outcome", "amount"), [("support_buyer", None), ("split", 30000)], ids=["full", "larger-part"]
)
def test_appeal_for_the_buyer_after_a_paid_split_pays_the_difference(
    client: TestClient, outcome: str, amount: int | None
) -> None:
    """Seed 002: 「如果消费者在赔付后继续表示不满，平台应提供再次申诉的通道」; the README: appeals are
    "corrected by new ledger entries". A split ruling paid 100 yuan; the buyer's appeal is decided
    for the buyer (all of it, or a larger part): the difference is paid at once by a new refund
    transaction and payout, the first one never edited (this used to be refused: already refunded)."""
    new_order(client, "T1")
    case_id = open_case(client, "T1", "refund_only", "not_as_described")
    dispute_id = refuse_and_escalate(client, case_id)
    rule(client, dispute_id, outcome="split", refund_amount_fen=10000, liable_party="seller")
    first = get_case(client, case_id)
    assert (first["state"], first["money"]["refunded_fen"]) == ("refunded", 10000)
    [first_refund] = first["money"]["transactions"]

    terms = {"refund_amount_fen": amount} if amount else {"case_type": "refund_only"}
    decided = _replace_on_appeal(client, dispute_id, as_buyer(), outcome=outcome, liable_party="seller", **terms)
    total = amount or PRICE
    assert (decided["status"], decided["rulings"][-1]["refund_amount_fen"]) == ("final", total)
    case = get_case(client, case_id)
    assert (case["state"], case["refund_amount_fen"], case["money"]["refunded_fen"]) == ("refunded", total, total)
    assert moves(case)[-1] == ("agent:x2", "rule_refund", "refunded")
    assert case["timeline"][-1]["data"]["paid_to_buyer_fen"] == total - 10000
    unchanged, difference = case["money"]["transactions"]
    assert unchanged == first_refund
    assert difference["kind"] == "refund"
    assert sorted((leg["account"], leg["amount_fen"]) for leg in difference["legs"]) == [
        ("escrow:T1", -(total - 10000)),
        ("payouts_pending", total - 10000),
    ]
    assert [p["amount_fen"] for p in case["money"]["payouts"]] == [10000, total - 10000]
    assert ok(client.get(f"{API}/orders/T1"))["lines"][0]["refunded_fen"] == total


def test_appeal_that_gives_the_buyer_less_is_made_good_by_the_platform_fund(client: TestClient) -> None:
    """An appeal decided for the seller in part after the buyer was paid in full: the buyer keeps
    what was paid out (a payout is not pulled back), the platform fund makes the seller whole for the
    difference — policy intervention.appeal_correction_payer, as for a ruling reversed outright —
    by a new transaction; nothing is edited."""
    new_order(client, "T1", stage="completed")  # post-trade: the refund came out of the seller's balance
    balance_before = shop_money(client)["balance_fen"]
    case_id = open_case(client, "T1", "refund_only", "not_as_described")
    dispute_id = refuse_and_escalate(client, case_id)
    rule(client, dispute_id, outcome="support_buyer", case_type="refund_only", liable_party="seller")
    [refund] = get_case(client, case_id)["money"]["transactions"]
    decided = _replace_on_appeal(
        client, dispute_id, as_seller(), outcome="split", refund_amount_fen=15000, liable_party="none"
    )
    assert decided["rulings"][-1]["refund_amount_fen"] == 15000
    case = get_case(client, case_id)
    assert (case["state"], case["refund_amount_fen"], case["money"]["refunded_fen"]) == ("refunded", 15000, PRICE)
    assert case["timeline"][-1]["data"]["made_good_to_seller_fen"] == PRICE - 15000
    unchanged, correction = case["money"]["transactions"]
    assert unchanged == refund
    assert correction["kind"] == "appeal_correction"
    assert sorted((leg["account"], leg["amount_fen"]) for leg in correction["legs"]) == [
        ("platform_fund", -(PRICE - 15000)),
        ("seller_balance:shop-1", PRICE - 15000),
    ]
    assert [p["amount_fen"] for p in case["money"]["payouts"]] == [PRICE]  # nothing more to the buyer
    assert shop_money(client)["balance_fen"] == balance_before - 15000
    assert ok(client.get(f"{API}/orders/T1"))["lines"][0]["refunded_fen"] == PRICE  # what the buyer has


def test_appeal_that_overturns_a_counterfeit_finding_restores_the_seller_deposit(client: TestClient) -> None:
    """The first ruling found counterfeit on the buyer's appraisal and charged 假一赔十's statutory
    minimum to the seller; the review finds the appraisal invalid and replaces it with a plain refund:
    the compensation the buyer was paid stays paid, and the platform fund restores the seller's
    deposit, by a new transaction."""
    new_order(client, "T1", price=CHEAP)
    ok(client.post(f"{API}/shops/shop-1/deposit", json={"amount_fen": 100000}, headers=as_seller()))
    case_id = open_case(client, "T1", "refund_only", "counterfeit")
    dispute_id = refuse_and_escalate(client, case_id)
    rule(
        client,
        dispute_id,
        outcome="support_buyer",
        case_type="refund_only",
        liable_party="seller",
        compensations=["counterfeit"],
    )
    assert shop_money(client)["deposit_fen"] == 100000 - STATUTORY_MIN
    _replace_on_appeal(
        client, dispute_id, as_seller(), outcome="support_buyer", case_type="refund_only", liable_party="none"
    )
    case = get_case(client, case_id)
    assert case["state"] == "refunded"
    assert txn_kinds(case) == ["refund", "compensation:counterfeit", "appeal_correction"]
    correction = case["money"]["transactions"][-1]
    assert sorted((leg["account"], leg["amount_fen"]) for leg in correction["legs"]) == [
        ("platform_fund", -STATUTORY_MIN),
        ("seller_deposit:shop-1", STATUTORY_MIN),
    ]
    assert shop_money(client)["deposit_fen"] == 100000
    assert [c["rule"] for c in case["money"]["compensations"]] == ["counterfeit"]  # the buyer keeps it


FUND = default_policy().intervention
SELLER_BEARS = InterventionRules(appeal_correction_payer=Rule(value="seller", source="a platform's own choice"))


@given(
    st.lists(st.tuples(st.integers(0, 50_000), st.integers(0, 50_000)), min_size=1, max_size=4),
    st.integers(0, 250_000) | st.none(),
    st.sampled_from([FUND, SELLER_BEARS]),
)
def test_an_appeal_correction_is_exact(
    lines: list[tuple[int, int]], total: int | None, rules: InterventionRules
) -> None:
    """Whatever the new ruling says: the lines end at its total, within what each can refund; more is
    paid to the buyer, never less taken from them; what it takes back is made good to the seller by
    the platform fund, or (policy value `seller`) by nobody."""
    paid, room = [p for p, _ in lines], [r for _, r in lines]
    if total is not None and total > sum(paid) + sum(room):
        with pytest.raises(Ineligible):
            appeal_correction(paid, room, total, rules)
        return
    c = appeal_correction(paid, room, total, rules)
    wanted = sum(paid) + sum(room) if total is None else total
    assert sum(c.amounts) == wanted
    assert all(0 <= a <= p + r for a, p, r in zip(c.amounts, paid, room, strict=True))
    assert all(m >= 0 for m in c.to_buyer) and sum(c.to_buyer) == max(0, wanted - sum(paid))
    assert c.taken_back_fen == max(0, sum(paid) - wanted)
    assert c.made_good_fen == (c.taken_back_fen if rules is FUND else 0)
    assert not (sum(c.to_buyer) and c.taken_back_fen)


def test_appeal_upheld_changes_nothing(client: TestClient) -> None:
    new_order(client, "T1", stage="paid")
    case_id = open_case(client, "T1", "refund_only", "no_longer_wanted")
    dispute_id = refuse_and_escalate(client, case_id)
    rule(client, dispute_id, outcome="support_seller", liable_party="none")
    before = get_case(client, case_id)
    ok(appeal(client, dispute_id, as_buyer()), 201)
    url = f"{API}/disputes/{dispute_id}/appeal/decision"
    decided = ok(client.post(url, json={"decision": "upheld", "reasoning": "新证据不足"}, headers=AGENT2))
    assert (decided["status"], len(decided["rulings"]), decided["appeal"]["decision"]) == ("final", 1, "upheld")
    after = get_case(client, case_id)
    assert (after["state"], after["timeline"], after["money"]) == (before["state"], before["timeline"], before["money"])


def test_appeal_window(client: TestClient, rt: Runtime, clock: ManualClock) -> None:
    new_order(client, "T1", stage="paid")
    new_order(client, "T2", stage="paid")
    in_time = refuse_and_escalate(client, open_case(client, "T1", "refund_only", "no_longer_wanted"))
    too_late = refuse_and_escalate(client, open_case(client, "T2", "refund_only", "no_longer_wanted"))
    rule(client, in_time, outcome="support_seller", liable_party="none")
    rule(client, too_late, outcome="support_seller", liable_party="none")
    window_end = instant(get_dispute(client, too_late)["appeal_deadline"])
    assert window_end == START + timedelta(days=rt.policies.current.deadlines.appeal_days.value)

    clock.set(window_end - SECOND)
    fire(rt)
    assert get_dispute(client, too_late)["status"] == "ruled"
    ok(appeal(client, in_time, as_buyer()), 201)

    clock.set(window_end + SECOND)
    builders.refused(appeal(client, too_late, as_buyer()), "appeal_window_closed", 409)
    fire(rt)
    final = get_dispute(client, too_late)
    assert (final["status"], final["appeal"]) == ("final", None)
    builders.refused(appeal(client, too_late, as_buyer()), "appeal_window_closed", 409)
    assert get_dispute(client, in_time)["status"] == "appealed"  # an appeal in time is still reviewed


# --- 7. evidence: who sees what, uploads ---------------------------------------------------------


def blob_count(rt: Runtime) -> int:
    with rt.factory() as session:
        return int(session.scalar(select(func.count()).select_from(EvidenceBlob)) or 0)


def test_evidence_visibility_and_content_addressed_uploads(client: TestClient, rt: Runtime) -> None:
    new_order(client, "T1", stage="signed")
    case_id = open_case(client, "T1", "return_and_refund", "not_as_described")
    dispute_id = refuse_and_escalate(client, case_id)

    photo = ok(upload(client, dispute_id, as_buyer(), "image", PNG, "image/png", "a.png"), 201)["evidence"][0]
    ok(text_evidence(client, dispute_id, as_buyer(), "卖家：是我们发错了", kind="chat_log"), 201)
    again = ok(upload(client, dispute_id, as_seller(), "image", PNG, "image/png", "b.png"), 201)["evidence"]
    seller_doc = ok(upload(client, dispute_id, as_seller(), "document", PDF, "application/pdf", "qc.pdf"), 201)
    assert [e["party"] for e in again] == ["seller"]
    assert again[0]["sha256"] == photo["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert blob_count(rt) == 2  # the PNG once, the PDF once
    agent_note = ok(text_evidence(client, dispute_id, AGENT, "已联系快递核实"), 201)["evidence"][-1]
    assert (agent_note["party"], agent_note["shared"]) == ("agent", True)

    def seen_by(who: dict[str, str]) -> list[tuple[str, str]]:
        return [(e["party"], e["kind"]) for e in get_dispute(client, dispute_id, who)["evidence"]]

    assert seen_by(as_buyer()) == [("buyer", "image"), ("buyer", "chat_log"), ("agent", "text")]
    assert seen_by(as_seller()) == [("seller", "image"), ("seller", "document"), ("agent", "text")]
    assert len(seen_by(AGENT)) == 5
    doc = seller_doc["evidence"][-1]
    content_url = f"{API}/evidence/{doc['id']}/content"
    builders.refused(client.get(content_url, headers=as_buyer()), "evidence_not_found", 404)
    downloaded = client.get(content_url, headers=as_seller())
    assert downloaded.status_code == 200 and downloaded.content == PDF
    assert downloaded.headers["content-type"] == "application/pdf"
    assert downloaded.headers["x-content-sha256"] == hashlib.sha256(PDF).hexdigest()

    builders.refused(client.post(f"{API}/evidence/{doc['id']}/share", headers=as_seller()), "actor_not_allowed", 403)
    ok(client.post(f"{API}/evidence/{doc['id']}/share", headers=AGENT))
    assert ("seller", "document") in seen_by(as_buyer())
    assert client.get(content_url, headers=as_buyer()).content == PDF

    for stranger in (as_buyer("buyer-2"), as_seller("shop-2")):
        builders.refused(client.get(f"{API}/disputes/{dispute_id}", headers=stranger), "dispute_not_found", 404)
        builders.refused(client.get(f"{API}/cases/{case_id}/dispute", headers=stranger), "dispute_not_found", 404)
        builders.refused(client.get(content_url, headers=stranger), "evidence_not_found", 404)
        builders.refused(text_evidence(client, dispute_id, stranger, "我也要举证"), "dispute_not_found", 404)
        builders.refused(client.get(f"{API}/disputes", headers=stranger), "actor_not_allowed", 403)

    # Too large, or the wrong type: refused, and nothing is stored.
    before_blobs, before_evidence = blob_count(rt), len(seen_by(AGENT))
    limit = 64 * 1024
    big = b"x" * (limit + 1)
    builders.refused(
        upload(client, dispute_id, as_buyer(), "text", big, "text/plain", "long.txt"), "evidence_too_large", 413
    )
    builders.refused(
        upload(client, dispute_id, as_buyer(), "image", PDF, "application/pdf", "x.pdf"), "unsupported_media_type", 415
    )
    builders.refused(
        upload(client, dispute_id, as_buyer(), "video", PNG, "image/png", "x.png"), "unsupported_media_type", 415
    )
    assert (blob_count(rt), len(seen_by(AGENT))) == (before_blobs, before_evidence)


# --- 8. the agents' queue -----------------------------------------------------------------------


def test_queue_is_ordered_by_evidence_deadline_then_amount(client: TestClient, clock: ManualClock, rt: Runtime) -> None:
    prices = {"Q1": 39900, "Q2": 99900, "Q4": 888800, "Q3": 500000}
    ids: dict[str, int] = {}
    for order_id, price in prices.items():
        if order_id == "Q3":
            clock.advance(timedelta(hours=1))  # escalated later: a later evidence deadline
        new_order(client, order_id, price=price)
        ids[order_id] = refuse_and_escalate(client, open_case(client, order_id, "return_and_refund", "damaged"))
    rule(client, ids["Q4"], outcome="support_seller", liable_party="none")  # decided work goes last

    queue = ok(client.get(f"{API}/disputes", headers=AGENT))
    assert [d["id"] for d in queue] == [ids["Q2"], ids["Q1"], ids["Q3"], ids["Q4"]]
    assert [d["amount_fen"] for d in queue] == [99900, 39900, 500000, 888800]
    waiting = ok(client.get(f"{API}/disputes", params={"status": "evidence"}, headers=AGENT))
    assert [d["id"] for d in waiting] == [ids["Q2"], ids["Q1"], ids["Q3"]]
    for who in (as_buyer(), as_seller()):
        builders.refused(client.get(f"{API}/disputes", headers=who), "actor_not_allowed", 403)

    make_user(rt, "x7", "agent")
    assign_url = f"{API}/disputes/{ids['Q3']}/assign"
    builders.refused(client.post(assign_url, json={"agent_id": "x7"}, headers=as_seller()), "actor_not_allowed", 403)
    assert ok(client.post(assign_url, json={"agent_id": "x7"}, headers=AGENT))["assigned_agent"] == "x7"
    mine = ok(client.get(f"{API}/disputes", params={"assigned_to": "x7"}, headers=AGENT))
    assert [d["id"] for d in mine] == [ids["Q3"]]


def make_user(rt: Runtime, user_id: str, role: str, party_id: str | None = None) -> None:
    """A user account (it never logs in here: no password worth hashing)."""
    with rt.uow() as ctx:
        ctx.session.add(
            User(
                id=user_id, role=role, party_id=party_id, display_name=user_id, password_hash="-", created_at=ctx.now()
            )
        )


def test_only_an_existing_agent_who_is_no_party_may_be_assigned(client: TestClient, rt: Runtime) -> None:
    """Issue 21, item 9: an agent could assign a dispute to a party of it or to nobody at all."""
    make_user(rt, "x7", "agent")
    make_user(rt, "boss", "admin")
    make_user(rt, "x-gone", "agent")
    make_user(rt, "shop-1-staff", "seller", "shop-1")
    make_user(rt, "buyer-1-login", "buyer", "buyer-1")
    make_user(rt, "buyer-1", "agent")  # an agent account whose id is the disputing buyer's
    make_user(rt, "shop-1", "agent")  # … or the shop's
    with rt.uow() as ctx:
        gone = ctx.session.get(User, "x-gone")
        assert gone is not None
        gone.disabled_at = ctx.now()
    new_order(client, "A1")
    dispute_id = refuse_and_escalate(client, open_case(client, "A1", "return_and_refund", "damaged"))
    url = f"{API}/disputes/{dispute_id}/assign"
    for agent_id, code in [
        ("nobody-at-all", "assignee_not_an_agent"),
        ("x-gone", "assignee_not_an_agent"),
        ("shop-1-staff", "assignee_not_an_agent"),
        ("buyer-1-login", "assignee_not_an_agent"),
        ("buyer-1", "assignee_is_a_party"),
        ("shop-1", "assignee_is_a_party"),
    ]:
        builders.refused(client.post(url, json={"agent_id": agent_id}, headers=AGENT), code, 422)
        assert get_dispute(client, dispute_id)["assigned_agent"] is None, agent_id
    assert ok(client.post(url, json={"agent_id": "x7"}, headers=AGENT))["assigned_agent"] == "x7"
    assert ok(client.post(url, json={"agent_id": "boss"}, headers=AGENT))["assigned_agent"] == "boss"


def test_any_agent_may_rule_assignment_only_routes_the_queue(client: TestClient, rt: Runtime) -> None:
    """The documented decision: assignment says whose queue a dispute is in, not who may rule; a
    ruling names the agent who made it, so the record shows when someone else ruled."""
    make_user(rt, "x7", "agent")
    new_order(client, "A2")
    new_order(client, "A3")
    assigned = refuse_and_escalate(client, open_case(client, "A2", "return_and_refund", "damaged"))
    unassigned = refuse_and_escalate(client, open_case(client, "A3", "return_and_refund", "damaged"))
    ok(client.post(f"{API}/disputes/{assigned}/assign", json={"agent_id": "x7"}, headers=AGENT))
    for dispute_id in (assigned, unassigned):
        ruled = rule(client, dispute_id, AGENT2, outcome="support_buyer", liable_party="seller")
        assert ruled["status"] == "ruled"
        assert ruled["rulings"][-1]["agent_id"] == "x2"
    assert get_dispute(client, assigned)["assigned_agent"] == "x7"


def test_an_agent_who_is_a_party_cannot_rule(client: TestClient, rt: Runtime) -> None:
    """The same mistake as assignment, in the ruling: an agent account whose id is the dispute's
    buyer or shop must not decide it, and the dispute stays open for another agent."""
    new_order(client, "A4")
    dispute_id = refuse_and_escalate(client, open_case(client, "A4", "return_and_refund", "damaged"))
    body = {"outcome": "support_buyer", "liable_party": "seller", "reasoning": "依据双方举证判定", "compensations": []}
    for party in ("buyer-1", "shop-1"):
        who = {"X-Peifu-Actor": f"agent:{party}"}
        answer = client.post(f"{API}/disputes/{dispute_id}/ruling", json=body, headers=who)
        builders.refused(answer, "agent_is_a_party", 403)
        assert get_dispute(client, dispute_id)["status"] != "ruled"
    assert rule(client, dispute_id, AGENT2, outcome="support_buyer", liable_party="seller")["status"] == "ruled"


# --- 9. exchange, repair and reship ----------------------------------------------------------------


@pytest.mark.parametrize("case_type", ["exchange", "repair"])
def test_goods_back_and_out_by_hand(client: TestClient, case_type: str) -> None:
    new_order(client, "T1")
    case_id = open_case(client, "T1", case_type, "quality_problem")
    assert act(client, case_id, "agree", as_seller())["state"] == "awaiting_return"
    assert (
        act(client, case_id, "ship_return", as_buyer(), {"courier": "YTO", "tracking_no": "YT1"})["state"]
        == "return_shipped"
    )
    case = act(client, case_id, "confirm_return", as_seller())
    assert case["state"] == "awaiting_replacement"
    assert [d["kind"] for d in case["deadlines"]] == ["seller_ship_replacement"]
    case = act(client, case_id, "ship_replacement", as_seller(), {"courier": "SF", "tracking_no": "SF1"})
    assert case["state"] == "replacement_shipped"
    assert case["replacement_shipment"]["tracking_no"] == "SF1"
    case = act(client, case_id, "confirm_replacement", as_buyer())
    assert case["state"] == "resolved"
    assert [m[1] for m in moves(case)] == [
        "open",
        "agree",
        "ship_return",
        "confirm_return",
        "ship_replacement",
        "confirm_replacement",
    ]
    assert case["deadlines"] == [] and case["money"]["transactions"] == []


@pytest.mark.parametrize("case_type", ["exchange", "repair"])
def test_goods_back_and_out_by_timeouts(client: TestClient, rt: Runtime, clock: ManualClock, case_type: str) -> None:
    deadlines = rt.policies.current.deadlines
    new_order(client, "T1")
    case_id = open_case(client, "T1", case_type, "quality_problem")
    act(client, case_id, "agree", as_seller())
    clock.advance(timedelta(days=2))
    case = act(client, case_id, "ship_return", as_buyer(), {"courier": "YTO", "tracking_no": "YT1"})
    shipped_at = clock.now()
    due = deadline(case, "seller_confirm_return")
    assert due == shipped_at + timedelta(days=deadlines.seller_confirm_return_days_after_shipped.value)

    case = fires_on_time(rt, clock, due, case_id, client)
    assert case["state"] == "awaiting_replacement"
    assert moves(case)[-1] == ("system", "confirm_return", "awaiting_replacement")
    assert deadline(case, "seller_ship_replacement") == due + timedelta(
        days=deadlines.seller_ship_replacement_days.value
    )

    clock.advance(timedelta(days=1))
    case = act(client, case_id, "ship_replacement", as_seller(), {"courier": "SF", "tracking_no": "SF1"})
    due = deadline(case, "buyer_confirm_replacement")
    assert due == clock.now() + timedelta(days=deadlines.buyer_confirm_replacement_days.value)
    case = fires_on_time(rt, clock, due, case_id, client)
    assert case["state"] == "resolved"
    assert moves(case)[-1] == ("system", "confirm_replacement", "resolved")
    assert case["money"]["refunded_fen"] == 0


@pytest.mark.parametrize(
    ("case_type", "reason"),
    [("exchange", "quality_problem"), ("repair", "quality_problem"), ("reship", "missing_items")],
)
def test_seller_who_never_ships_the_replacement_is_taken_to_intervention(
    client: TestClient, rt: Runtime, clock: ManualClock, case_type: str, reason: str
) -> None:
    new_order(client, "T1")
    case_id = open_case(client, "T1", case_type, reason)
    case = act(client, case_id, "agree", as_seller())
    if case_type != "reship":
        act(client, case_id, "ship_return", as_buyer(), {"courier": "YTO", "tracking_no": "YT1"})
        case = act(client, case_id, "confirm_return", as_seller())
    assert case["state"] == "awaiting_replacement"
    due = deadline(case, "seller_ship_replacement")
    assert due == clock.now() + timedelta(days=rt.policies.current.deadlines.seller_ship_replacement_days.value)

    case = fires_on_time(rt, clock, due, case_id, client)
    assert case["state"] == "in_intervention"
    assert moves(case)[-1] == ("system", "escalate", "in_intervention")
    dispute = dispute_of(client, case_id, as_buyer())
    assert (dispute["opened_by"], dispute["status"]) == ("system", "evidence")
    assert instant(dispute["evidence_deadline"]) == due + timedelta(
        days=rt.policies.current.deadlines.evidence_days.value
    )
    # The seller agreed and then did not perform: only the seller has something to prove, and a
    # seller that stays silent loses — the buyer gets the money back.
    assert {d["party"] for d in dispute["burden_of_proof"]} == {"seller"}
    assert (dispute["guidance"]["outcome"], dispute["guidance"]["liable_party"]) == ("support_buyer", "seller")
    clock.set(instant(dispute["evidence_deadline"]))
    fire(rt)
    case = get_case(client, case_id)
    assert case["state"] == "refunded", moves(case)
    assert case["money"]["refunded_fen"] == PRICE
    assert dispute_of(client, case_id)["liable_party"] == "seller"


@pytest.mark.parametrize("ending", ["buyer_confirms", "timeout", "buyer_escalates"])
def test_reship_flow(client: TestClient, rt: Runtime, clock: ManualClock, ending: str) -> None:
    new_order(client, "T1")
    case_id = open_case(client, "T1", "reship", "missing_items")
    case = act(client, case_id, "agree", as_seller())
    assert case["state"] == "awaiting_replacement"
    clock.advance(timedelta(days=1))
    case = act(client, case_id, "ship_replacement", as_seller(), {"courier": "SF", "tracking_no": "SF1"})
    assert case["state"] == "replacement_shipped"
    due = deadline(case, "buyer_confirm_replacement")
    if ending == "buyer_confirms":
        case = act(client, case_id, "confirm_replacement", as_buyer())
        assert moves(case)[-1] == ("buyer:buyer-1", "confirm_replacement", "resolved")
    elif ending == "timeout":
        case = fires_on_time(rt, clock, due, case_id, client)
        assert moves(case)[-1] == ("system", "confirm_replacement", "resolved")
    else:
        # The request is 1 day old: too early to ask the platform (72 h), then allowed.
        builders.refused(client.post(f"{API}/cases/{case_id}/escalate", headers=as_buyer()), "too_early", 409)
        clock.set(START + timedelta(hours=rt.policies.current.windows.escalation_after_hours.value))
        case = act(client, case_id, "escalate", as_buyer(), {"note": "补发的还是少件"})
        assert case["state"] == "in_intervention"
        dispute = dispute_of(client, case_id)
        assert dispute["opened_by"] == "buyer"
        rule(client, dispute["id"], outcome="support_buyer", case_type="refund_only", liable_party="seller")
        case = get_case(client, case_id)
        assert (case["state"], case["money"]["refunded_fen"]) == ("refunded", PRICE)
        return
    assert case["state"] == "resolved"
    assert case["money"]["refunded_fen"] == 0
