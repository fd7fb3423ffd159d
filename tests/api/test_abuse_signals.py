"""Abuse signals (滥用信号) and buyer marks (云标签).

The rules on hand-built histories: every signal fires exactly at its policy threshold and not
below, its explanation states the numbers, and more of what it counts never lowers its score
(Hypothesis). Then through the services and the API: histories loaded from real orders, cases,
evidence and courier events; who may read signals; and a buyer mark taking the buyer's claims out
of the shop's metrics — refund_rate before and after by hand — and lifting it restoring them,
with the rollups equal to a rebuild from the raw tables and every mark in the audit chain.

Here: through the HTTP API on a real database (the rules alone: tests/domain/test_abuse_signals.py).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from peifu.adapters.runtime import Runtime
from peifu.db.models import AbuseMarkEvent, AuditLink
from peifu.domain.abuse import (
    SignalCode,
)
from peifu.domain.actors import Actor
from peifu.domain.clock import ManualClock
from peifu.domain.intervention import EvidenceKind
from peifu.domain.vocabulary import Role
from peifu.services import abuse, audit, disputes
from peifu.services import metrics as metric_service
from tests import builders
from tests.conftest import START, as_buyer, as_seller
from tests.domain.test_abuse_signals import D, H

API = "/api/v1"
AGENT = {"X-Peifu-Actor": "agent:xiaoer-7"}


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
