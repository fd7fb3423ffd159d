"""Service complaints (售后投诉, seed 003 卖家售后投诉处理制度) with deadlines in China's working days.

The lifecycle is one table (domain.service_complaints.TABLE): checked row by row here, then walked
through the API. The deadlines are China's working days (domain.workdays: weekends and public
holidays off, 调休 make-up weekends on) and act by themselves: the platform's late steps are taken
by the engine, a shop's late step escalates to an agent and counts against the shop exactly once
(even with several workers), and a sandbox clock moved across National Day 2025 and 2026 fires each
deadline at the end of the right working day — the make-up Saturday counted, the holiday not.

Here: through the HTTP API on a real database (the rules alone: tests/domain/test_service_complaints.py).
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from peifu.adapters.api.app import create_app
from peifu.adapters.runtime import Runtime
from peifu.db.models import EventRow, SanctionRow, ServiceComplaintMiss
from peifu.domain.clock import ManualClock, OffsetClock
from peifu.services.deadlines import run_due
from peifu.settings import Settings
from tests import builders
from tests.conftest import as_buyer, as_seller
from tests.domain.test_service_complaints import cst

API = "/api/v1"
AGENT = {"X-Peifu-Actor": "agent:xiaoer-1"}


def ok(resp: Any, status: int = 200) -> Any:
    assert resp.status_code == status, resp.text
    return resp.json()


def make_order(client: TestClient, order_id: str = "T1", shop: str = "shop-1", buyer: str = "buyer-1") -> None:
    builders.order(client, order_id, shop=shop, shop_name=shop, buyer=buyer)


def file(client: TestClient, order_id: str = "T1", buyer: str = "buyer-1", **extra: Any) -> dict[str, Any]:
    body = {"order_id": order_id, "channel": "online", "description": "客服三天不回消息，答应补发的配件也没发", **extra}
    return dict(ok(client.post(f"{API}/service-complaints", json=body, headers=as_buyer(buyer)), 201))


def act(client: TestClient, cid: int, who: dict[str, str], action: str, status: int = 200, **body: Any) -> Any:
    return ok(
        client.post(f"{API}/service-complaints/{cid}/actions", json={"action": action, **body}, headers=who), status
    )


def test_a_complaint_walks_the_whole_process_and_every_step_is_an_event(client: TestClient, rt: Runtime) -> None:
    make_order(client)
    c = file(client)
    cid = c["id"]
    assert c["state"] == "filed" and c["channel"] == "online"
    assert c["deadline"]["kind"] == "svc_platform_answer"
    assert c["allowed_actions"]["agent"] == ["register", "dismiss", "withdraw"]
    act(client, cid, AGENT, "register", category="service")
    registered = act(client, cid, AGENT, "forward")
    assert registered["state"] == "forwarded" and registered["deadline"]["kind"] == "svc_shop_contact"
    act(client, cid, as_seller(), "contact", note="已电话联系买家并致歉")
    promised = (rt.clock.now() + timedelta(days=3)).isoformat()
    act(client, cid, as_seller(), "propose_remedy", remedy="补发配件", promised_by=promised)
    done = act(client, cid, as_seller(), "report_done", result="配件已补发，单号 SF123")
    assert done["state"] == "awaiting_rating" and done["deadline"]["kind"] == "svc_satisfaction"
    closed = act(client, cid, as_buyer(), "rate", rating=5, comment="处理及时")
    assert closed["state"] == "closed" and closed["rating"] == 5 and closed["deadline"] is None
    assert [e["action"] for e in closed["timeline"]] == [
        "file",
        "register",
        "forward",
        "contact",
        "propose_remedy",
        "report_done",
        "rate",
    ]
    with rt.uow() as ctx:
        types = list(
            ctx.session.scalars(
                select(EventRow.type).where(EventRow.type.like("service_complaint.%")).order_by(EventRow.id)
            )
        )
    assert types == [
        "service_complaint.filed",
        "service_complaint.registered",
        "service_complaint.forwarded",
        "service_complaint.contacted",
        "service_complaint.remedy_proposed",
        "service_complaint.remedy_reported",
        "service_complaint.rated",
        "service_complaint.closed",
    ]
    stats = ok(client.get(f"{API}/shops/shop-1/service-complaint-stats", headers=as_seller()))
    assert stats["complaints"] == 1 and stats["orders"] == 1 and stats["per_1000_orders"] == 1000.0
    assert all(s["missed"] == 0 for s in stats["steps"])
    assert stats["satisfaction_avg"] == 5.0


def test_an_agent_enters_a_phone_complaint_for_the_buyer_and_registers_it_at_once(client: TestClient) -> None:
    make_order(client)
    body = {
        "buyer_id": "buyer-1",
        "order_id": "T1",
        "channel": "phone",
        "category": "service",
        "description": "来电：售后态度恶劣",
    }
    c = ok(client.post(f"{API}/service-complaints", json=body, headers=AGENT), 201)
    assert (c["state"], c["channel"], c["entered_by"], c["category"]) == ("registered", "phone", "xiaoer-1", "service")
    assert c["deadline"]["kind"] == "svc_forward"
    # the buyer sees it as their own
    assert ok(client.get(f"{API}/service-complaints/{c['id']}", headers=as_buyer()))["id"] == c["id"]


NATIONAL_DAY = {
    # filed Tuesday/Wednesday before the holiday; the 3rd working day is the 调休 Saturday; the shop
    # then has until the end of the Monday after (the Sunday between is off)
    2025: (cst(2025, 9, 30, 10), cst(2025, 10, 12), cst(2025, 10, 14)),
    2026: (cst(2026, 9, 30, 10), cst(2026, 10, 11), cst(2026, 10, 13)),
}
SPRING_FESTIVAL_2026 = (  # Thursday 12 Feb: Friday, the 调休 Saturday 14th, then (15th–23rd off) Tuesday 24th
    cst(2026, 2, 12, 10),
    cst(2026, 2, 25),
    cst(2026, 2, 27),  # forwarded at 00:00 on Wednesday 25th: the shop has Thursday
)


@pytest.mark.parametrize("holiday", ["national-day-2025", "national-day-2026", "spring-festival-2026"])
def test_deadlines_fire_on_the_sandbox_clock_across_the_holiday_and_the_make_up_saturday(
    rt: Runtime, database_url: str, holiday: str
) -> None:
    dates = {f"national-day-{y}": d for y, d in NATIONAL_DAY.items()} | {"spring-festival-2026": SPRING_FESTIVAL_2026}
    filed_at, forward_due, contact_due = dates[holiday]
    base = ManualClock(filed_at)
    srt = Runtime(
        Settings(database_url=database_url, sandbox=True, trust_actor_header=True),
        clock=OffsetClock(timedelta(0), base),
        migrate=False,
    )
    try:
        with TestClient(
            create_app(srt), raise_server_exceptions=False, headers={"X-Peifu-Actor": "platform:p"}
        ) as client:
            _walk_national_day(client, srt, filed_at, forward_due, contact_due)
    finally:
        srt.close()


def _move(client: TestClient, to: datetime) -> int:
    body = ok(client.post(f"{API}/sandbox/clock", json={"set_to": to.isoformat(), "fire_due": True}))
    return int(body["fired"])


def _walk_national_day(
    client: TestClient, srt: Runtime, filed_at: datetime, forward_due: datetime, contact_due: datetime
) -> None:
    make_order(client)
    cid = file(client)["id"]

    def state() -> dict[str, Any]:
        return dict(ok(client.get(f"{API}/service-complaints/{cid}", headers=AGENT)))

    # 2.2: nobody answers in 24 h — the engine registers it from the triage; the platform's miss
    _move(client, filed_at + timedelta(hours=24, seconds=1))
    c = state()
    assert c["state"] == "registered" and c["category"] is not None
    assert [m["step"] for m in c["misses"]] == ["answer"]
    assert c["deadline"]["due"]["utc"].startswith(forward_due.isoformat()[:19])
    # 2.3: the last moment of the 3rd working day — the make-up Saturday — has not passed yet
    _move(client, forward_due - timedelta(seconds=5))
    assert state()["state"] == "registered"
    _move(client, forward_due + timedelta(seconds=1))
    c = state()
    assert c["state"] == "forwarded"
    assert c["deadline"]["kind"] == "svc_shop_contact"
    assert c["deadline"]["due"]["utc"].startswith(contact_due.isoformat()[:19])
    # 3.1: the shop does not contact the buyer by the end of Monday (Sunday is off): to an agent
    _move(client, contact_due - timedelta(seconds=5))
    assert state()["state"] == "forwarded"
    _move(client, contact_due + timedelta(seconds=1))
    c = state()
    assert c["state"] == "escalated"
    assert [(m["step"], m["party"]) for m in c["misses"]] == [
        ("answer", "platform"),
        ("forward", "platform"),
        ("contact", "shop"),
    ]
    stats = ok(client.get(f"{API}/shops/shop-1/service-complaint-stats", headers=AGENT))
    contact = next(s for s in stats["steps"] if s["step"] == "contact")
    assert (contact["in_time"], contact["missed"], contact["share_in_time"]) == (0, 1, 0.0)
    assert stats["shop_misses_in_period"] == 1
    # the same figures inside the shop's after-sale metrics, for its seller and for agents
    for who in (AGENT, as_seller()):
        assert ok(client.get(f"{API}/shops/shop-1/metrics", headers=who))["service_complaints"] == stats


def test_a_reminder_goes_out_before_the_shop_deadline(client: TestClient, rt: Runtime, clock: ManualClock) -> None:
    from peifu.services.deadlines import send_reminders

    clock.set(cst(2026, 11, 16, 9))  # a Monday
    make_order(client)
    cid = file(client)["id"]
    act(client, cid, AGENT, "register", category="quality")
    act(client, cid, AGENT, "forward")  # contact due at the end of Tuesday
    clock.set(cst(2026, 11, 17, 12))
    assert send_reminders(rt) == 1
    with rt.uow() as ctx:
        row = ctx.session.scalars(select(EventRow).where(EventRow.type == "deadline.approaching")).one()
        assert row.shop_id == "shop-1" and row.buyer_id == "buyer-1"
        assert row.data["deadline"]["kind"] == "svc_shop_contact"
        assert row.data["service_complaint"]["id"] == cid


def test_a_missed_shop_step_counts_once_even_with_several_workers(
    client: TestClient, rt: Runtime, clock: ManualClock
) -> None:
    clock.set(cst(2026, 11, 16, 9))
    make_order(client)
    cid = file(client)["id"]
    act(client, cid, AGENT, "register", category="quality")
    act(client, cid, AGENT, "forward")
    clock.set(cst(2026, 11, 18, 1))  # past the end of Tuesday
    barrier = threading.Barrier(4)

    def worker(n: int) -> None:
        barrier.wait()
        run_due(rt, owner=f"w{n}")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with rt.uow() as ctx:
        misses = ctx.session.scalar(
            select(func.count(ServiceComplaintMiss.id)).where(ServiceComplaintMiss.step == "contact")
        )
        escalations = ctx.session.scalar(
            select(func.count(EventRow.id)).where(EventRow.type == "service_complaint.escalated")
        )
    assert (misses, escalations) == (1, 1)
    assert ok(client.get(f"{API}/service-complaints/{cid}", headers=AGENT))["state"] == "escalated"


def test_a_shop_that_keeps_ignoring_complaints_is_sanctioned(
    client: TestClient, rt: Runtime, clock: ManualClock
) -> None:
    clock.set(cst(2026, 11, 16, 9))
    threshold = rt.policies.current.service_complaints.sanctions[0]
    for n in range(threshold.misses.value):
        make_order(client, f"T{n}")
        cid = file(client, f"T{n}")["id"]
        act(client, cid, AGENT, "register", category="service")
        act(client, cid, AGENT, "forward")
    clock.set(cst(2026, 11, 18, 1))
    run_due(rt, owner="w")
    with rt.uow() as ctx:
        rows = list(ctx.session.scalars(select(SanctionRow).where(SanctionRow.shop_id == "shop-1")))
        sanction_events = ctx.session.scalar(select(func.count(EventRow.id)).where(EventRow.type == "sanction.applied"))
    assert [(r.sanction, r.basis) for r in rows] == [(threshold.sanction, "service_misses")]
    assert sanction_events == 1
    stats = ok(client.get(f"{API}/shops/shop-1/service-complaint-stats", headers=as_seller()))
    assert [s["sanction"] for s in stats["sanctions"]] == [threshold.sanction]


def _sanctions_of(rt: Runtime, shop: str = "shop-1") -> list[tuple[str, bool]]:
    with rt.uow() as ctx:
        rows = ctx.session.scalars(select(SanctionRow).where(SanctionRow.shop_id == shop).order_by(SanctionRow.id))
        return [(r.sanction, r.revoked_at is not None) for r in rows]


def test_a_sanction_for_missed_steps_lifts_when_the_misses_leave_the_period(
    client: TestClient, rt: Runtime, clock: ManualClock
) -> None:
    """6.1 as for points: the misses count within complaints.period_days; once enough of them age
    out, the sanction they held up lifts by itself (the engine's clock, the deadline worker)."""
    start = cst(2026, 11, 16, 9)
    clock.set(start)
    policy = rt.policies.current
    threshold = policy.service_complaints.sanctions[0]
    period = timedelta(days=policy.complaints.period_days.value)
    for n in range(threshold.misses.value):
        make_order(client, f"T{n}")
        cid = file(client, f"T{n}")["id"]
        act(client, cid, AGENT, "register", category="service")
        act(client, cid, AGENT, "forward")
    clock.set(cst(2026, 11, 18, 1))
    run_due(rt, owner="w")  # the contact steps are missed: the sanction is applied
    missed_at = clock.now()
    assert _sanctions_of(rt) == [(threshold.sanction, False)]
    for cid in range(1, threshold.misses.value + 1):  # the complaints move on; the expiry stays armed
        act(client, cid, AGENT, "resolve", note="小二协调解决")
    clock.set(missed_at + period - timedelta(minutes=1))
    run_due(rt, owner="w")
    assert _sanctions_of(rt) == [(threshold.sanction, False)]  # still within the period
    stats = ok(client.get(f"{API}/shops/shop-1/service-complaint-stats", headers=as_seller()))
    assert [s["sanction"] for s in stats["sanctions"]] == [threshold.sanction]
    clock.set(missed_at + period + timedelta(minutes=1))
    run_due(rt, owner="w")
    assert _sanctions_of(rt) == [(threshold.sanction, True)]
    with rt.uow() as ctx:
        lifted = list(ctx.session.scalars(select(EventRow).where(EventRow.type == "sanction.lifted")))
    assert len(lifted) == 1  # once, though each of the misses' expiries re-checked the shop
    assert lifted[0].data["sanction"]["basis"] == "service_misses"
    assert lifted[0].data["sanction"]["revoked_at"] is not None
    stats = ok(client.get(f"{API}/shops/shop-1/service-complaint-stats", headers=as_seller()))
    assert (stats["sanctions"], stats["shop_misses_in_period"]) == ([], 0)


def test_a_new_miss_a_year_later_does_not_bring_back_a_lifted_sanction(
    client: TestClient, rt: Runtime, clock: ManualClock
) -> None:
    """The shop's misses are re-counted over the period only: the old ones have aged out, the
    sanction they held up is lifted, and one new miss is below the threshold."""
    policy = rt.policies.current
    threshold = policy.service_complaints.sanctions[0]
    period = timedelta(days=policy.complaints.period_days.value)

    def miss_contacts(n: int, first: int, day: datetime) -> None:
        clock.set(day)
        for k in range(first, first + n):
            make_order(client, f"T{k}")
            cid = file(client, f"T{k}")["id"]
            act(client, cid, AGENT, "register", category="service")
            act(client, cid, AGENT, "forward")
        clock.set(day + timedelta(days=2, hours=16))  # past the shop's working day to contact
        run_due(rt, owner="w")

    miss_contacts(threshold.misses.value, 0, cst(2026, 11, 16, 9))
    assert _sanctions_of(rt) == [(threshold.sanction, False)]
    # a year and a bit later one more miss: the old ones no longer count (1 < threshold)
    miss_contacts(1, 100, cst(2026, 11, 16, 9) + period + timedelta(days=7))
    assert _sanctions_of(rt) == [(threshold.sanction, True)]
    stats = ok(client.get(f"{API}/shops/shop-1/service-complaint-stats", headers=as_seller()))
    assert (stats["sanctions"], stats["shop_misses_in_period"]) == ([], 1)


def test_a_broken_promise_escalates_the_agent_settles_and_an_unrated_complaint_closes(
    client: TestClient, rt: Runtime, clock: ManualClock
) -> None:
    clock.set(cst(2026, 11, 16, 9))
    make_order(client)
    cid = file(client)["id"]
    act(client, cid, AGENT, "register", category="service")
    act(client, cid, AGENT, "forward")
    act(client, cid, as_seller(), "contact")
    promised = cst(2026, 11, 19, 18)
    act(client, cid, as_seller(), "propose_remedy", remedy="退差价 20 元", promised_by=promised.isoformat())
    clock.set(promised + timedelta(minutes=1))
    run_due(rt, owner="w")  # 3.3: the promised time passed without a report
    c = ok(client.get(f"{API}/service-complaints/{cid}", headers=AGENT))
    assert c["state"] == "escalated" and [m["step"] for m in c["misses"]] == ["carry_out"]
    c = act(client, cid, AGENT, "resolve", note="小二协调：卖家已退差价")
    assert c["state"] == "awaiting_rating"
    # 5.1: the buyer has 3 working days to rate (Thursday 18:01 → the end of Tuesday)
    assert c["deadline"]["due"]["utc"].startswith(cst(2026, 11, 25).isoformat()[:19])
    clock.set(cst(2026, 11, 25, 0, 1))
    run_due(rt, owner="w")
    c = ok(client.get(f"{API}/service-complaints/{cid}", headers=as_buyer()))
    assert c["state"] == "closed" and c["rating"] is None and c["timeline"][-1]["action"] == "expire"


def test_another_shop_and_another_buyer_cannot_see_it(client: TestClient) -> None:
    make_order(client)
    cid = file(client)["id"]
    # before it is forwarded, not even the shop sees it (2.3: the platform classifies first)
    assert client.get(f"{API}/service-complaints/{cid}", headers=as_seller()).status_code == 404
    act(client, cid, AGENT, "register", category="service")
    act(client, cid, AGENT, "forward")
    assert client.get(f"{API}/service-complaints/{cid}", headers=as_seller()).status_code == 200
    for stranger in (as_seller("shop-2"), as_buyer("buyer-2")):
        assert client.get(f"{API}/service-complaints/{cid}", headers=stranger).status_code == 404
        r = client.post(f"{API}/service-complaints/{cid}/actions", json={"action": "contact"}, headers=stranger)
        assert r.status_code == 404
        assert ok(client.get(f"{API}/service-complaints", headers=stranger)) == []
    assert client.get(f"{API}/shops/shop-1/service-complaint-stats", headers=as_seller("shop-2")).status_code == 404
    assert client.get(f"{API}/shops/shop-1/service-complaint-stats", headers=as_buyer()).status_code == 403


def test_each_party_does_only_its_own_steps(client: TestClient) -> None:
    make_order(client)
    cid = file(client)["id"]
    assert act(client, cid, as_buyer(), "register", 403, category="service")["error"]["code"] == "actor_not_allowed"
    act(client, cid, AGENT, "register", category="service")
    act(client, cid, AGENT, "forward")
    assert act(client, cid, AGENT, "contact", 403)["error"]["code"] == "actor_not_allowed"
    assert act(client, cid, as_seller(), "report_done", 409, result="x")["error"]["code"] == "action_not_allowed"


def test_a_buyer_cannot_complain_about_someone_elses_order(client: TestClient) -> None:
    make_order(client, "T9", buyer="buyer-2")
    body = {"order_id": "T9", "channel": "online", "description": "x"}
    r = client.post(f"{API}/service-complaints", json=body, headers=as_buyer())
    assert r.status_code == 404 and r.json()["error"]["code"] == "order_not_found"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"order_id": "T1", "channel": "fax", "description": "x"}, 422, None),
        ({"order_id": "T1", "channel": "online"}, 422, None),
        ({"order_id": "T1", "channel": "online", "description": ""}, 422, None),
        ({"channel": "online", "description": "没有订单也没有店铺"}, 422, "subject_required"),
        ({"order_id": "NOPE", "channel": "online", "description": "x"}, 404, "order_not_found"),
        ({"shop_id": "shop-nope", "channel": "online", "description": "x"}, 404, "shop_not_found"),
        ({"order_id": "T1", "channel": "online", "description": "x", "category": "service"}, 422, "category_by_agent"),
        ({"order_id": "T1", "channel": "online", "description": "x", "case_id": "7"}, 422, None),
    ],
)
def test_bad_filings_are_clear_4xx(client: TestClient, body: dict[str, Any], status: int, code: str | None) -> None:
    make_order(client)
    r = client.post(f"{API}/service-complaints", json=body, headers=as_buyer())
    assert r.status_code == status, r.text
    if code:
        assert r.json()["error"]["code"] == code
    assert r.json()["error"]["message"]


def test_bad_moves_are_clear_4xx(client: TestClient, rt: Runtime) -> None:
    make_order(client)
    cid = file(client)["id"]
    assert act(client, cid, AGENT, "register", 422)["error"]["code"] == "category_required"
    assert act(client, cid, AGENT, "register", 422, category="weather")["error"]
    act(client, cid, AGENT, "register", category="service")
    act(client, cid, AGENT, "forward")
    act(client, cid, as_seller(), "contact")
    past = (rt.clock.now() - timedelta(hours=1)).isoformat()
    far = (rt.clock.now() + timedelta(days=60)).isoformat()
    assert act(client, cid, as_seller(), "propose_remedy", 422, remedy="x", promised_by=past)["error"]["code"] == (
        "promise_in_the_past"
    )
    assert act(client, cid, as_seller(), "propose_remedy", 422, remedy="x", promised_by=far)["error"]["code"] == (
        "promise_too_late"
    )
    assert act(client, cid, as_seller(), "propose_remedy", 422, remedy="x")["error"]["code"] == "remedy_required"
    assert (
        client.post(f"{API}/service-complaints/{cid}/actions", json={"action": "fly"}, headers=AGENT).status_code == 422
    )
    assert act(client, cid, as_buyer(), "rate", 409, rating=5)["error"]["code"] == "action_not_allowed"
    r = client.post(f"{API}/service-complaints/{cid}/actions", json={"action": "rate", "rating": 9}, headers=as_buyer())
    assert r.status_code == 422
    assert client.get(f"{API}/service-complaints/999999", headers=AGENT).status_code == 404
    assert client.get(f"{API}/service-complaints?state=nope", headers=AGENT).status_code == 422


def test_a_step_done_after_its_deadline_before_the_worker_came_still_counts_once(
    client: TestClient, rt: Runtime, clock: ManualClock
) -> None:
    clock.set(cst(2026, 11, 16, 9))
    make_order(client)
    cid = file(client)["id"]
    act(client, cid, AGENT, "register", category="service")
    act(client, cid, AGENT, "forward")
    clock.set(cst(2026, 11, 18, 9))  # the contact deadline (end of Tuesday) passed; no worker ran
    c = act(client, cid, as_seller(), "contact")
    assert c["state"] == "contacted"
    assert [(m["step"], m["party"]) for m in c["misses"]] == [("contact", "shop")]
    assert c["timeline"][-1]["data"]["late"] is True
    run_due(rt, owner="w")  # the contact timer was cancelled by the move: nothing more is counted
    stats = ok(client.get(f"{API}/shops/shop-1/service-complaint-stats", headers=AGENT))
    assert stats["shop_misses_in_period"] == 1
