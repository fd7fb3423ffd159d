"""Rule complaints (规则投诉), penalty points (扣分) and sanctions (处罚), through the API.

The table (seed 003, `complaints.points` in src/peifu/policy/default.toml): breach_of_promise —
refused to sell / closed the order before payment 1 point, gift or shipping promise not honoured
(or extra shipping asked) 4, official promotion terms not honoured 6, invoice refused or its
tax/shipping pushed onto the buyer 6; not_as_described — severe mismatch or unusable 12, mismatch
affecting normal use 6, mismatch without real effect on use 3.

Windows: a refusal to sell while the order awaits payment or within 15 days after it closed; the
other violations within 15 days after the trade ended (completed or closed), or from an after-sale
request whose reason is not_as_described or invoice_problem. One complaint per order, ever. Points
count within 365 days; 12 / 24 / 36 points bring search_demotion / promotion_ban /
trading_suspension. The seller appeals a penalty once, within 7 days, to a different agent.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from peifu.adapters.api.app import create_app
from peifu.adapters.runtime import Runtime
from peifu.db.models import Complaint, Penalty, SanctionRow
from peifu.domain.actors import Actor
from peifu.domain.clock import ManualClock
from peifu.domain.policy import default_policy_text
from peifu.domain.vocabulary import Role
from peifu.services import complaints as complaint_service
from peifu.services import policies
from peifu.services.inputs import ComplaintDecisionIn
from tests import builders
from tests.complaint_flow import API, as_agent, decide, file, filed, upheld
from tests.conftest import as_buyer, as_platform, as_seller

SECOND = timedelta(seconds=1)
DAY = timedelta(days=1)
WINDOW = timedelta(days=15)
APPEAL = timedelta(days=7)
PERIOD = timedelta(days=365)
DEFAULT_VERSION = "tmall-2026.2"


# --- helpers ----------------------------------------------------------------------------------------


def appeal(client: TestClient, complaint_id: int, headers: dict[str, str] | None = None) -> Any:
    return client.post(
        f"{API}/complaints/{complaint_id}/appeal",
        json={"reason": "已按承诺发放赠品，有物流记录"},
        headers=as_seller() if headers is None else headers,
    )


def decide_appeal(client: TestClient, complaint_id: int, overturn: bool, agent: str = "xiaoer-2") -> Any:
    return client.post(
        f"{API}/complaints/{complaint_id}/appeal/decision",
        json={"overturn": overturn, "reasoning": "复核结论"},
        headers=as_agent(agent),
    )


def record(client: TestClient, shop_id: str = "shop-1", headers: dict[str, str] | None = None) -> Any:
    r = client.get(f"{API}/shops/{shop_id}/penalties", headers=as_seller(shop_id) if headers is None else headers)
    assert r.status_code == 200, r.text
    return r.json()


def sanctions(client: TestClient) -> dict[str, list[int]]:
    return {s["sanction"]: s["complaint_ids"] for s in record(client)["sanctions"]}


def counts(rt: Runtime) -> tuple[int, int, int]:
    with rt.uow() as ctx:
        return tuple(  # type: ignore[return-value]
            int(ctx.session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (Complaint, Penalty, SanctionRow)
        )


# --- the penalty table --------------------------------------------------------------------------------

PENALTY_TABLE = [
    ("refused_to_sell", "breach_of_promise", 1),
    ("promise_not_honoured", "breach_of_promise", 4),
    ("promotion_terms_not_honoured", "breach_of_promise", 6),
    ("invoice_refused", "breach_of_promise", 6),
    ("severe_mismatch", "not_as_described", 12),
    ("mismatch_affecting_use", "not_as_described", 6),
    ("mismatch_minor", "not_as_described", 3),
]


@pytest.mark.parametrize(("violation", "complaint_type", "points"), PENALTY_TABLE)
def test_every_penalty_row_deducts_its_points(
    client: TestClient, violation: str, complaint_type: str, points: int
) -> None:
    # a refusal to sell is complained about on a closed (unpaid) order, the rest after completion
    builders.order(client, "T1", upto="closed" if violation == "refused_to_sell" else "completed")
    r = file(client, "T1", violation)
    assert r.status_code == 201, r.text
    complaint = r.json()
    assert complaint["complaint_type"] == complaint_type
    assert complaint["violation"] == violation
    assert complaint["status"] == "open"
    assert complaint["policy_version"] == DEFAULT_VERSION
    assert (complaint["shop_id"], complaint["buyer_id"]) == ("shop-1", "buyer-1")
    assert record(client)["points"] == 0  # nothing before a decision

    r = decide(client, complaint["id"])
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "upheld"
    assert r.json()["decided_by"] == "xiaoer-1"
    rec = record(client)
    assert rec["points"] == points
    assert rec["period_days"] == 365
    assert [(p["complaint_id"], p["violation"], p["points"], p["policy_version"]) for p in rec["penalties"]] == [
        (complaint["id"], violation, points, DEFAULT_VERSION)
    ]
    expected = [("search_demotion", [complaint["id"]])] if points >= 12 else []
    assert [(s["sanction"], s["complaint_ids"]) for s in rec["sanctions"]] == expected


def test_a_rejected_complaint_deducts_nothing(client: TestClient) -> None:
    builders.order(client, "T1", upto="completed")
    cid = filed(client, "T1", "severe_mismatch")
    r = decide(client, cid, upheld=False)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "rejected"
    assert r.json()["appeal_deadline"] is None
    assert record(client) == {"shop_id": "shop-1", "points": 0, "period_days": 365, "penalties": [], "sanctions": []}
    builders.refused(decide(client, cid), "complaint_decided", 409)  # decided once


def test_the_agent_may_reclassify_and_the_points_follow(client: TestClient) -> None:
    builders.order(client, "T1", upto="completed")
    cid = filed(client, "T1", "severe_mismatch")
    r = decide(client, cid, violation="mismatch_minor")
    assert r.status_code == 200, r.text
    assert (r.json()["violation"], r.json()["complaint_type"]) == ("mismatch_minor", "not_as_described")
    rec = record(client)
    assert rec["points"] == 3
    assert rec["penalties"][0]["violation"] == "mismatch_minor"

    builders.order(client, "T2", upto="completed")
    cid2 = filed(client, "T2", "mismatch_minor")
    r = decide(client, cid2, violation="invoice_refused")  # across types too
    assert (r.json()["violation"], r.json()["complaint_type"]) == ("invoice_refused", "breach_of_promise")
    assert record(client)["points"] == 3 + 6


# --- windows ------------------------------------------------------------------------------------------


def test_refusal_to_sell_while_awaiting_payment(client: TestClient, clock: ManualClock) -> None:
    builders.order(client, "T1", upto="awaiting_payment")
    clock.advance(timedelta(days=40))  # no deadline while it awaits payment
    r = file(client, "T1", "refused_to_sell")
    assert r.status_code == 201, r.text
    assert r.json()["complaint_type"] == "breach_of_promise"


@pytest.mark.parametrize("violation", [v for v, _, _ in PENALTY_TABLE if v != "refused_to_sell"])
def test_other_violations_are_not_filed_while_awaiting_payment(client: TestClient, violation: str) -> None:
    builders.order(client, "T1", upto="awaiting_payment")
    builders.refused(file(client, "T1", violation), "complaint_window_closed", 422)


def test_refusal_to_sell_up_to_15_days_after_closing(client: TestClient, clock: ManualClock) -> None:
    builders.order(client, "T1", upto="closed")
    builders.order(client, "T2", upto="closed")
    clock.advance(WINDOW)
    assert file(client, "T1", "refused_to_sell").status_code == 201  # exactly 15 days: still open
    clock.advance(SECOND)
    builders.refused(file(client, "T2", "refused_to_sell"), "complaint_window_closed", 422)


@pytest.mark.parametrize("state", ["paid", "shipped", "completed"])
def test_refusal_to_sell_not_once_paid(client: TestClient, state: str) -> None:
    builders.order(client, "T1", upto=state)
    builders.refused(file(client, "T1", "refused_to_sell"), "complaint_window_closed", 422)


@pytest.mark.parametrize("violation", [v for v, _, _ in PENALTY_TABLE if v != "refused_to_sell"])
def test_other_violations_up_to_15_days_after_completion(
    client: TestClient, clock: ManualClock, violation: str
) -> None:
    builders.order(client, "T1", upto="completed")
    builders.order(client, "T2", upto="completed")
    clock.advance(WINDOW)
    assert file(client, "T1", violation).status_code == 201  # 交易成功0-15天内
    clock.advance(SECOND)
    builders.refused(file(client, "T2", violation), "complaint_window_closed", 422)


def test_other_violations_up_to_15_days_after_closing(client: TestClient, clock: ManualClock) -> None:
    builders.order(client, "T1", upto="closed")
    builders.order(client, "T2", upto="closed")
    clock.advance(WINDOW)
    assert file(client, "T1", "promise_not_honoured").status_code == 201  # e.g. extra shipping asked
    clock.advance(SECOND)
    builders.refused(file(client, "T2", "promise_not_honoured"), "complaint_window_closed", 422)


def test_the_window_runs_from_the_reported_event_time(client: TestClient, clock: ManualClock) -> None:
    builders.order(client, "T1", upto="shipped")
    builders.order(client, "T2", upto="shipped")
    clock.advance(timedelta(days=10))
    confirmed_at = clock.now() - timedelta(days=8)  # reported late by the marketplace
    for order_id, at in (("T1", confirmed_at), ("T2", confirmed_at + SECOND)):
        r = client.post(f"{API}/orders/{order_id}/events", json={"kind": "confirmed", "at": at.isoformat()})
        assert r.status_code == 200, r.text
    clock.advance(timedelta(days=7) + SECOND)  # 15 days and 1 s after T1's confirmation
    builders.refused(file(client, "T1", "mismatch_minor"), "complaint_window_closed", 422)
    assert file(client, "T2", "mismatch_minor").status_code == 201


@pytest.mark.parametrize("state", ["paid", "shipped"])
@pytest.mark.parametrize("violation", [v for v, _, _ in PENALTY_TABLE if v != "refused_to_sell"])
def test_not_during_the_trade_without_an_after_sale_request(client: TestClient, state: str, violation: str) -> None:
    builders.order(client, "T1", upto=state)
    builders.refused(file(client, "T1", violation), "complaint_window_closed", 422)


@pytest.mark.parametrize("violation", ["severe_mismatch", "mismatch_affecting_use", "mismatch_minor"])
def test_from_a_not_as_described_request_while_shipped(client: TestClient, violation: str) -> None:
    builders.order(client, "T1", upto="shipped")
    case_id = builders.open_case(client, "T1", reason="not_as_described")
    r = file(client, "T1", violation, case_id=case_id)
    assert r.status_code == 201, r.text
    assert (r.json()["case_id"], r.json()["complaint_type"]) == (case_id, "not_as_described")
    r = decide(client, r.json()["id"])
    assert r.status_code == 200, r.text
    assert (
        record(client)["points"] == {"severe_mismatch": 12, "mismatch_affecting_use": 6, "mismatch_minor": 3}[violation]
    )


@pytest.mark.parametrize("state", ["paid", "shipped"])
def test_from_an_invoice_request_during_the_trade(client: TestClient, state: str) -> None:
    builders.order(client, "T1", upto=state)
    case_id = builders.open_case(client, "T1", reason="invoice_problem")
    r = file(client, "T1", "invoice_refused", case_id=case_id)
    assert r.status_code == 201, r.text
    assert (r.json()["case_id"], r.json()["complaint_type"]) == (case_id, "breach_of_promise")


@pytest.mark.parametrize(
    ("reason", "violation"),
    [
        ("not_as_described", "invoice_refused"),  # a request offers only its own problem
        ("not_as_described", "promise_not_honoured"),
        ("not_as_described", "refused_to_sell"),
        ("invoice_problem", "severe_mismatch"),
        ("invoice_problem", "promotion_terms_not_honoured"),
        ("quality_problem", "severe_mismatch"),  # other reasons offer no complaint
        ("quality_problem", "mismatch_minor"),
        ("damaged", "mismatch_affecting_use"),
    ],
)
def test_other_requests_offer_nothing_during_the_trade(client: TestClient, reason: str, violation: str) -> None:
    builders.order(client, "T1", upto="shipped")
    case_id = builders.open_case(client, "T1", reason=reason)
    builders.refused(file(client, "T1", violation, case_id=case_id), "complaint_window_closed", 422)
    builders.refused(file(client, "T1", violation), "complaint_window_closed", 422)


def test_a_case_of_another_order_is_refused(client: TestClient) -> None:
    builders.order(client, "T1", upto="shipped")
    builders.order(client, "T2", upto="shipped")
    case_id = builders.open_case(client, "T1", reason="not_as_described")
    builders.refused(file(client, "T2", "severe_mismatch", case_id=case_id), "case_not_in_order", 422)
    builders.refused(file(client, "T2", "severe_mismatch", case_id=999), "case_not_in_order", 422)


# --- one complaint per order ----------------------------------------------------------------------------


def test_one_complaint_per_order(client: TestClient, rt: Runtime) -> None:
    builders.order(client, "T1", upto="completed")
    first = filed(client, "T1", "promise_not_honoured")
    r = file(client, "T1", "severe_mismatch")
    builders.refused(r, "complaint_exists", 409)
    assert r.json()["error"]["details"]["complaint_id"] == first
    assert counts(rt) == (1, 0, 0)
    decide(client, first, upheld=False)
    builders.refused(file(client, "T1", "severe_mismatch"), "complaint_exists", 409)  # nor after a decision


def test_withdrawn_means_never_again(client: TestClient, rt: Runtime, clock: ManualClock) -> None:
    builders.order(client, "T1", upto="completed")
    cid = filed(client, "T1")
    r = client.post(f"{API}/complaints/{cid}/withdraw", headers=as_buyer())
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "withdrawn"
    clock.advance(DAY)  # still within the window
    builders.refused(file(client, "T1"), "complaint_exists", 409)
    builders.refused(file(client, "T1", "mismatch_minor"), "complaint_exists", 409)
    builders.refused(client.post(f"{API}/complaints/{cid}/withdraw", headers=as_buyer()), "complaint_decided", 409)
    builders.refused(decide(client, cid), "complaint_decided", 409)  # a withdrawn complaint is not decided
    assert counts(rt) == (1, 0, 0)
    assert record(client)["points"] == 0


@pytest.mark.parametrize("outcome", [True, False])
def test_no_withdrawal_after_the_decision(client: TestClient, outcome: bool) -> None:
    builders.order(client, "T1", upto="completed")
    cid = filed(client, "T1")
    decide(client, cid, upheld=outcome)
    builders.refused(client.post(f"{API}/complaints/{cid}/withdraw", headers=as_buyer()), "complaint_decided", 409)
    status = client.get(f"{API}/complaints/{cid}", headers=as_buyer()).json()["status"]
    assert status == ("upheld" if outcome else "rejected")
    assert record(client)["points"] == (4 if outcome else 0)


def test_only_the_buyer_who_filed_withdraws(client: TestClient) -> None:
    builders.order(client, "T1", upto="completed")
    cid = filed(client, "T1")
    builders.refused(
        client.post(f"{API}/complaints/{cid}/withdraw", headers=as_buyer("buyer-2")), "complaint_not_found", 404
    )
    builders.refused(client.post(f"{API}/complaints/{cid}/withdraw", headers=as_seller()), "actor_not_allowed", 403)
    builders.refused(client.post(f"{API}/complaints/{cid}/withdraw", headers=as_agent()), "actor_not_allowed", 403)
    assert client.get(f"{API}/complaints/{cid}", headers=as_buyer()).json()["status"] == "open"


# --- sanctions ------------------------------------------------------------------------------------------


def test_the_third_complaint_crosses_the_first_threshold(client: TestClient) -> None:
    first = upheld(client, "T1")
    second = upheld(client, "T2")
    rec = record(client)
    assert (rec["points"], rec["sanctions"]) == (8, [])  # two are not enough
    third = upheld(client, "T3")
    rec = record(client)
    assert rec["points"] == 12
    assert [p["complaint_id"] for p in rec["penalties"]] == [first, second, third]
    assert len(rec["sanctions"]) == 1
    sanction = rec["sanctions"][0]
    assert sanction["sanction"] == "search_demotion"
    assert (sanction["threshold"], sanction["points_at_trigger"]) == (12, 12)
    assert sorted(sanction["complaint_ids"]) == sorted([first, second, third])
    # the agent sees the same record
    assert record(client, headers=as_agent())["sanctions"] == rec["sanctions"]


def test_each_threshold_once(client: TestClient) -> None:
    ids = [upheld(client, f"T{n}", "severe_mismatch") for n in range(1, 4)]
    assert sanctions(client) == {
        "search_demotion": ids[:1],
        "promotion_ban": ids[:2],
        "trading_suspension": ids,
    }
    upheld(client, "T4", "mismatch_minor")
    rec = record(client)
    assert rec["points"] == 39
    assert [s["sanction"] for s in rec["sanctions"]] == ["search_demotion", "promotion_ban", "trading_suspension"]


def test_one_complaint_can_cross_two_thresholds(client: TestClient) -> None:
    a = upheld(client, "T1", "mismatch_affecting_use")  # 6
    b = upheld(client, "T2", "mismatch_affecting_use")  # 12
    c = upheld(client, "T3", "promotion_terms_not_honoured")  # 18
    assert sanctions(client) == {"search_demotion": [a, b]}
    d = upheld(client, "T4", "severe_mismatch")  # 30
    assert sanctions(client) == {"search_demotion": [a, b], "promotion_ban": [a, b, c, d]}


@pytest.mark.postgres_only
def test_concurrent_decisions_on_one_shop_see_each_others_points(client: TestClient, rt: Runtime) -> None:
    """Two agents uphold complaints against the same shop at the same moment: the shop's points
    are summed under a lock on the shop, so 4 + 4 + 4 still reaches 12 (without it each decision
    would count 8 and no sanction would ever be written)."""
    first = upheld(client, "T1")
    builders.order(client, "T2", upto="completed")
    builders.order(client, "T3", upto="completed")
    second, third = filed(client, "T2"), filed(client, "T3")
    body = ComplaintDecisionIn(upheld=True, reasoning="核实属实")
    errors: list[BaseException] = []

    def the_other_agent() -> None:
        try:
            with rt.uow() as ctx:
                complaint_service.decide(ctx, third, Actor(Role.agent, "xiaoer-2"), body)
        except BaseException as exc:  # reported below
            errors.append(exc)

    with rt.uow() as ctx:
        complaint_service.decide(ctx, second, Actor(Role.agent, "xiaoer-1"), body)
        other = threading.Thread(target=the_other_agent)
        other.start()
        other.join(timeout=1.0)  # it waits for this decision to commit
    other.join(timeout=120)
    assert not other.is_alive()
    assert errors == []
    rec = record(client)
    assert rec["points"] == 12
    assert [(s["sanction"], sorted(s["complaint_ids"])) for s in rec["sanctions"]] == [
        ("search_demotion", sorted([first, second, third]))
    ]


def test_shops_are_counted_separately(client: TestClient) -> None:
    upheld(client, "T1")
    upheld(client, "T2")
    builders.order(client, "T3", upto="completed", shop="shop-2", shop_name="别家")
    decide(client, filed(client, "T3"))
    assert (record(client)["points"], record(client)["sanctions"]) == (8, [])
    assert record(client, "shop-2")["points"] == 4


def test_points_older_than_the_period_no_longer_count(client: TestClient, clock: ManualClock) -> None:
    old = [upheld(client, "T1"), upheld(client, "T2")]
    clock.advance(PERIOD - SECOND)
    rec = record(client)
    assert (rec["points"], [p["complaint_id"] for p in rec["penalties"]]) == (8, old)
    clock.advance(2 * SECOND)  # past 365 days
    rec = record(client)
    assert (rec["points"], rec["penalties"], rec["sanctions"]) == (0, [], [])
    new = upheld(client, "T3")  # 4 + 8 old points would have reached 12
    rec = record(client)
    assert (rec["points"], [p["complaint_id"] for p in rec["penalties"]], rec["sanctions"]) == (4, [new], [])


def test_points_within_the_period_add_up(client: TestClient, clock: ManualClock) -> None:
    first = upheld(client, "T1")
    clock.advance(timedelta(days=200))
    second = upheld(client, "T2")
    clock.advance(timedelta(days=164))  # the first is 364 days old
    third = upheld(client, "T3")
    assert sanctions(client) == {"search_demotion": [first, second, third]}
    clock.advance(2 * DAY)  # the first has left the period
    assert record(client)["points"] == 8


# --- policy versions ------------------------------------------------------------------------------------


@pytest.fixture
def newer_policy(rt: Runtime) -> Iterator[str]:
    """A new policy version in force where a broken promise costs 5 points and 10 points bring
    search demotion; the shipped default is put back afterwards."""
    text = (
        default_policy_text()
        .replace(f'version = "{DEFAULT_VERSION}"', 'version = "test-complaints-2"', 1)
        .replace("promise_not_honoured = { value = 4,", "promise_not_honoured = { value = 5,", 1)
        .replace("threshold = { value = 12,", "threshold = { value = 10,", 1)
    )
    assert text.count("test-complaints-2") == 1
    original = rt.policies
    try:
        yield text
    finally:
        rt.policies = original


def test_a_penalty_keeps_the_points_of_the_version_it_was_filed_under(
    client: TestClient, rt: Runtime, clock: ManualClock, newer_policy: str
) -> None:
    builders.order(client, "T1", upto="completed")
    builders.order(client, "T2", upto="completed")
    older = filed(client, "T1")
    with rt.uow() as ctx:
        rt.policies = policies.activate(ctx.session, newer_policy, clock.now())
    assert rt.policies.current.version == "test-complaints-2"
    newer = filed(client, "T2")
    assert client.get(f"{API}/complaints/{older}", headers=as_buyer()).json()["policy_version"] == DEFAULT_VERSION
    assert client.get(f"{API}/complaints/{newer}", headers=as_buyer()).json()["policy_version"] == "test-complaints-2"

    decide(client, older)  # decided after the new version came into force
    decide(client, newer)
    rec = record(client)
    assert [(p["complaint_id"], p["points"], p["policy_version"]) for p in rec["penalties"]] == [
        (older, 4, DEFAULT_VERSION),
        (newer, 5, "test-complaints-2"),
    ]
    assert rec["points"] == 9
    assert rec["sanctions"] == []  # 9 points reach neither 10 nor 12


# --- appeals --------------------------------------------------------------------------------------------


def test_the_seller_appeals_once_to_a_different_agent(client: TestClient, rt: Runtime) -> None:
    cid = upheld(client, "T1")
    decided = client.get(f"{API}/complaints/{cid}", headers=as_seller()).json()
    assert decided["appeal_deadline"] is not None
    r = appeal(client, cid)
    assert r.status_code == 200, r.text
    assert r.json()["appeal_reason"] == "已按承诺发放赠品，有物流记录"
    assert r.json()["status"] == "upheld"  # the penalty stands until reviewed
    builders.refused(appeal(client, cid), "already_appealed", 409)
    builders.refused(decide_appeal(client, cid, True, agent="xiaoer-1"), "same_agent", 403)
    builders.refused(
        client.post(
            f"{API}/complaints/{cid}/appeal/decision",
            json={"overturn": True, "reasoning": "卖家自己说的"},
            headers=as_seller(),
        ),
        "actor_not_allowed",
        403,
    )
    assert record(client)["points"] == 4

    r = decide_appeal(client, cid, False)
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["appeal_decision"]) == ("upheld", "upheld")
    assert record(client)["points"] == 4
    builders.refused(appeal(client, cid), "already_appealed", 409)  # once, whatever the outcome
    builders.refused(decide_appeal(client, cid, True, agent="xiaoer-3"), "no_pending_appeal", 409)
    assert counts(rt) == (1, 1, 0)


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [
        (as_buyer(), 403, "not_the_losing_party"),
        (as_buyer("buyer-2"), 404, "complaint_not_found"),
        (as_seller("shop-2"), 404, "complaint_not_found"),
        (as_agent("xiaoer-2"), 403, "not_the_losing_party"),
    ],
)
def test_only_the_seller_appeals(client: TestClient, headers: dict[str, str], status: int, code: str) -> None:
    cid = upheld(client, "T1")
    builders.refused(appeal(client, cid, headers), code, status)
    assert appeal(client, cid).status_code == 200  # the seller still can


def test_the_appeal_window_is_7_days(client: TestClient, clock: ManualClock) -> None:
    a = upheld(client, "T1")
    b = upheld(client, "T2")
    clock.advance(APPEAL)
    assert appeal(client, a).status_code == 200  # exactly 7 days
    clock.advance(SECOND)
    builders.refused(appeal(client, b), "appeal_window_closed", 409)
    assert record(client)["points"] == 8


def test_nothing_to_appeal_without_a_penalty(client: TestClient) -> None:
    builders.order(client, "T1", upto="completed")
    cid = filed(client, "T1")
    builders.refused(appeal(client, cid), "not_appealable", 409)  # still open
    decide(client, cid, upheld=False)
    builders.refused(appeal(client, cid), "not_appealable", 409)  # rejected
    builders.refused(decide_appeal(client, cid, True), "no_pending_appeal", 409)


def test_an_overturned_penalty_is_revoked_and_lifts_its_sanction(client: TestClient, rt: Runtime) -> None:
    first = upheld(client, "T1")
    second = upheld(client, "T2")
    third = upheld(client, "T3")
    assert sanctions(client) == {"search_demotion": [first, second, third]}
    assert appeal(client, second).status_code == 200
    r = decide_appeal(client, second, True)
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["appeal_decision"]) == ("overturned", "overturned")
    rec = record(client)
    assert rec["points"] == 8
    assert [p["complaint_id"] for p in rec["penalties"]] == [first, third]
    assert rec["sanctions"] == []
    assert counts(rt) == (3, 3, 1)  # revoked, never deleted
    with rt.uow() as ctx:
        assert ctx.session.scalars(select(Penalty).where(Penalty.complaint_id == second)).one().revoked_at
        assert ctx.session.scalars(select(SanctionRow)).one().revoked_at
    builders.refused(decide_appeal(client, second, False, agent="xiaoer-3"), "no_pending_appeal", 409)
    builders.refused(appeal(client, second), "not_appealable", 409)

    # the next upheld complaint brings the shop back to 12 and a new sanction
    fourth = upheld(client, "T4")
    assert sanctions(client) == {"search_demotion": [first, third, fourth]}


def test_overturning_lifts_only_the_sanctions_no_longer_reached(client: TestClient) -> None:
    a = upheld(client, "T1", "severe_mismatch")  # 12
    b = upheld(client, "T2", "severe_mismatch")  # 24
    c = upheld(client, "T3", "promise_not_honoured")  # 28
    assert set(sanctions(client)) == {"search_demotion", "promotion_ban"}
    assert appeal(client, c).status_code == 200
    decide_appeal(client, c, True)
    assert record(client)["points"] == 24
    assert set(sanctions(client)) == {"search_demotion", "promotion_ban"}  # 24 still reached
    assert appeal(client, b).status_code == 200
    decide_appeal(client, b, True)
    assert record(client)["points"] == 12
    assert sanctions(client) == {"search_demotion": [a]}


# --- access control -------------------------------------------------------------------------------------


def test_who_sees_a_complaint(client: TestClient) -> None:
    builders.order(client, "T1", upto="completed")
    cid = filed(client, "T1")
    for headers in (as_buyer(), as_seller(), as_agent()):
        r = client.get(f"{API}/complaints/{cid}", headers=headers)
        assert r.status_code == 200, r.text
        assert r.json()["id"] == cid
    builders.refused(client.get(f"{API}/complaints/{cid}", headers=as_buyer("buyer-2")), "complaint_not_found", 404)
    builders.refused(client.get(f"{API}/complaints/{cid}", headers=as_seller("shop-2")), "complaint_not_found", 404)
    builders.refused(client.get(f"{API}/complaints/999", headers=as_agent()), "complaint_not_found", 404)


def test_a_stranger_cannot_complain_about_an_order(client: TestClient, rt: Runtime) -> None:
    builders.order(client, "T1", upto="completed")
    builders.refused(file(client, "T1", buyer="buyer-2"), "order_not_found", 404)
    builders.refused(file(client, "T1", headers=as_seller()), "actor_not_allowed", 403)
    builders.refused(file(client, "T1", headers=as_agent()), "actor_not_allowed", 403)
    assert counts(rt) == (0, 0, 0)


@pytest.mark.parametrize("headers", [as_buyer(), as_seller(), as_seller("shop-2"), as_buyer("buyer-2")])
def test_only_an_agent_decides(client: TestClient, rt: Runtime, headers: dict[str, str]) -> None:
    builders.order(client, "T1", upto="completed")
    cid = filed(client, "T1")
    r = decide(client, cid, headers=headers)
    assert r.status_code in (403, 404), r.text
    if headers in (as_buyer(), as_seller()):
        builders.refused(r, "actor_not_allowed", 403)
    assert client.get(f"{API}/complaints/{cid}", headers=as_agent()).json()["status"] == "open"
    assert counts(rt) == (1, 0, 0)


def test_the_queue_is_for_agents_and_parties_see_their_own(client: TestClient) -> None:
    builders.order(client, "T1", upto="completed")
    builders.order(client, "T2", upto="completed", buyer="buyer-2")
    builders.order(client, "T3", upto="completed", shop="shop-2", shop_name="别家")
    mine = filed(client, "T1")
    other_buyer = filed(client, "T2", buyer="buyer-2")
    other_shop = filed(client, "T3")
    decide(client, other_shop, upheld=False)

    def ids(headers: dict[str, str], query: str = "") -> list[int]:
        r = client.get(f"{API}/complaints{query}", headers=headers)
        assert r.status_code == 200, r.text
        return [c["id"] for c in r.json()]

    assert ids(as_agent()) == [mine, other_buyer, other_shop]
    assert ids(as_agent(), "?status=open") == [mine, other_buyer]
    assert ids(as_agent(), "?status=rejected") == [other_shop]
    assert ids(as_buyer()) == [mine, other_shop]
    assert ids(as_buyer("buyer-2")) == [other_buyer]
    assert ids(as_buyer("buyer-3")) == []
    assert ids(as_seller()) == [mine, other_buyer]
    assert ids(as_seller("shop-2")) == [other_shop]
    builders.refused(client.get(f"{API}/complaints", headers={"X-Peifu-Actor": "courier:SF"}), "actor_not_allowed", 403)
    assert ids(as_platform()) == [mine, other_buyer, other_shop]  # the marketplace's integration
    builders.refused(decide(client, mine, headers=as_platform()), "actor_not_allowed", 403)


def test_a_courier_sees_no_complaint_and_no_record(client: TestClient) -> None:
    cid = upheld(client, "T1")
    courier = {"X-Peifu-Actor": "courier:SF"}
    assert client.get(f"{API}/complaints/{cid}", headers=courier).status_code in (403, 404)
    builders.refused(client.get(f"{API}/shops/shop-1/penalties", headers=courier), "actor_not_allowed", 403)


def test_who_sees_a_shops_penalties(client: TestClient) -> None:
    upheld(client, "T1")
    assert record(client)["points"] == 4
    assert record(client, headers=as_agent())["points"] == 4
    builders.refused(client.get(f"{API}/shops/shop-1/penalties", headers=as_buyer()), "actor_not_allowed", 403)
    builders.refused(client.get(f"{API}/shops/shop-1/penalties", headers=as_seller("shop-2")), "shop_not_found", 404)


# --- bad input ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "headers", "status", "code"),
    [
        ({"order_id": "T1", "violation": "rude_seller", "description": "态度差"}, as_buyer(), 422, "validation_error"),
        ({"order_id": "T1", "violation": "", "description": "态度差"}, as_buyer(), 422, "validation_error"),
        ({"order_id": "T1", "description": "态度差"}, as_buyer(), 422, "validation_error"),
        ({"order_id": "T1", "violation": "mismatch_minor", "description": ""}, as_buyer(), 422, "validation_error"),
        ({"order_id": "T1", "violation": "mismatch_minor"}, as_buyer(), 422, "validation_error"),
        (
            {"order_id": "T1", "violation": "mismatch_minor", "description": "不符", "case_id": 0},
            as_buyer(),
            422,
            "validation_error",
        ),
        (
            {"order_id": "T1", "violation": "mismatch_minor", "description": "不符", "points": 0},
            as_buyer(),
            422,
            "validation_error",
        ),
        (
            {"order_id": "NOPE", "violation": "mismatch_minor", "description": "不符"},
            as_buyer(),
            404,
            "order_not_found",
        ),
        (
            {"order_id": "T1", "violation": "mismatch_minor", "description": "不符"},
            {"X-Peifu-Actor": "judge:x"},
            422,
            "actor_invalid",
        ),
    ],
)
def test_bad_filings_change_nothing(
    client: TestClient, rt: Runtime, body: dict[str, Any], headers: dict[str, str], status: int, code: str
) -> None:
    builders.order(client, "T1", upto="completed")
    r = client.post(f"{API}/complaints", json=body, headers=headers)
    builders.refused(r, code, status)
    assert counts(rt) == (0, 0, 0)
    assert file(client, "T1", "mismatch_minor").status_code == 201  # the order's one complaint is still free


@pytest.mark.parametrize(
    "body",
    [
        {"upheld": True, "violation": "rude_seller", "reasoning": "属实"},
        {"violation": "mismatch_minor", "reasoning": "属实"},
        {"upheld": "maybe", "reasoning": "属实"},
        {"upheld": True, "reasoning": "属实", "points": 99},
    ],
)
def test_bad_decisions_change_nothing(client: TestClient, rt: Runtime, body: dict[str, Any]) -> None:
    builders.order(client, "T1", upto="completed")
    cid = filed(client, "T1")
    builders.refused(
        client.post(f"{API}/complaints/{cid}/decision", json=body, headers=as_agent()), "validation_error", 422
    )
    assert counts(rt) == (1, 0, 0)
    assert client.get(f"{API}/complaints/{cid}", headers=as_agent()).json()["status"] == "open"


@pytest.fixture
def anonymous(rt: Runtime) -> Iterator[TestClient]:
    """A client that names no acting party (the shared client defaults to the platform)."""
    with TestClient(create_app(rt), raise_server_exceptions=False) as c:
        yield c


def test_nothing_without_an_actor(client: TestClient, anonymous: TestClient, rt: Runtime) -> None:
    builders.order(client, "T1", upto="completed")
    cid = filed(client, "T1")
    body = {"order_id": "T1", "violation": "mismatch_minor", "description": "不符"}
    builders.order(client, "T2", upto="completed")
    attempts = [
        anonymous.post(f"{API}/complaints", json={**body, "order_id": "T2"}),
        anonymous.get(f"{API}/complaints"),
        anonymous.get(f"{API}/complaints/{cid}"),
        anonymous.post(f"{API}/complaints/{cid}/withdraw"),
        anonymous.post(f"{API}/complaints/{cid}/decision", json={"upheld": True, "reasoning": "属实"}),
        anonymous.get(f"{API}/shops/shop-1/penalties"),
    ]
    for r in attempts:
        assert r.status_code == 401, r.text
        assert r.json()["error"]["code"] in ("unauthenticated", "actor_required"), r.text
    assert counts(rt) == (1, 0, 0)
    assert client.get(f"{API}/complaints/{cid}", headers=as_buyer()).json()["status"] == "open"


def test_unknown_complaints_are_404(client: TestClient) -> None:
    builders.refused(decide(client, 42), "complaint_not_found", 404)
    builders.refused(client.post(f"{API}/complaints/42/withdraw", headers=as_buyer()), "complaint_not_found", 404)
    builders.refused(appeal(client, 42), "complaint_not_found", 404)
    builders.refused(decide_appeal(client, 42, True), "complaint_not_found", 404)
