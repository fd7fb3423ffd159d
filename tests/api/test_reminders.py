"""deadline.approaching: every deadline that acts by itself is announced once, `[reminders]
before_hours` before it falls due (half-way for a shorter one), to the parties who can still act;
never for a deadline that was cancelled first; exactly once with several workers.

Here: through the HTTP API on a real database (the rules alone: tests/domain/test_reminders.py)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from peifu.adapters.runtime import Runtime
from peifu.adapters.worker import Worker
from peifu.db.models import Deadline
from peifu.domain.clock import ManualClock
from peifu.domain.vocabulary import DeadlineKind
from peifu.services import deadlines
from tests.event_support import Market, buyer, seller, types_of


@pytest.fixture
def market(client: TestClient, rt: Runtime, clock: ManualClock) -> Market:
    return Market(client, rt, clock)


def before_hours(rt: Runtime) -> int:
    rules = rt.policies.current.reminders
    assert rules is not None
    return rules.before_hours.value


def test_the_seller_is_reminded_once_a_day_before_its_silence_agrees(market: Market, rt: Runtime) -> None:
    market.order("O1")
    case_id = market.open("O1")
    hours = rt.policies.current.deadlines.seller_response_hours.value
    market.advance(timedelta(hours=hours - before_hours(rt)) - timedelta(minutes=1))
    before = market.last_event()
    assert market.remind() == 0, "not yet"
    market.advance(timedelta(minutes=1))
    assert market.remind() == 1
    assert market.remind() == 0, "once"
    (reminder,) = market.events_after(before)
    assert reminder.type == "deadline.approaching"
    assert (reminder.shop_id, reminder.buyer_id, reminder.case_id) == ("shop-1", "buyer-1", case_id)
    deadline = reminder.data["deadline"]
    assert deadline["kind"] == "seller_response" and deadline["who_can_act"] == ["seller"]
    assert deadline["then_zh"].startswith("卖家未处理将视为同意")
    assert reminder.data["case"]["state"] == "requested"


def test_a_deadline_cancelled_before_its_reminder_is_never_announced(market: Market, rt: Runtime) -> None:
    market.order("O1")
    case_id = market.open("O1")
    market.act(case_id, "refuse", seller(), {"reason": "不同意"})  # the seller answered in time
    market.advance(timedelta(hours=rt.policies.current.deadlines.seller_response_hours.value))
    before = market.last_event()
    market.remind()
    kinds = [e.data["deadline"]["kind"] for e in market.events_after(before)]
    assert "seller_response" not in kinds


def test_the_worker_announces_the_evidence_deadline_to_both_parties(market: Market, rt: Runtime) -> None:
    market.order("O1", stage="shipped")
    case_id = market.refused_and_escalated("O1")
    dispute = market.dispute_row(market.dispute(case_id)["id"])
    with rt.uow() as ctx:
        row = ctx.session.scalars(
            select(Deadline).where(Deadline.case_id == case_id, Deadline.kind == DeadlineKind.evidence_due)
        ).one()
        assert row.remind_at == dispute.evidence_deadline - timedelta(hours=before_hours(rt))
        market.clock.set(row.remind_at)
    before = market.last_event()
    report = Worker(rt, owner="w").run_once()
    assert report.reminders >= 1
    reminders = [e for e in market.events_after(before) if e.type == "deadline.approaching"]
    assert [e.data["deadline"]["kind"] for e in reminders] == ["evidence_due"]
    assert reminders[0].data["deadline"]["who_can_act"] == ["buyer", "seller"]


def test_the_buyer_is_reminded_before_receipt_is_confirmed_for_them(market: Market, rt: Runtime) -> None:
    market.order("O1", stage="shipped")
    market.advance(timedelta(days=rt.policies.current.order.auto_confirm_days.value) - timedelta(hours=23))
    before = market.last_event()
    market.remind()
    (reminder,) = market.events_after(before)
    assert reminder.data["deadline"]["kind"] == "auto_confirm_receipt"
    assert reminder.data["order"]["id"] == "O1" and reminder.buyer_id == "buyer-1"


def test_reminders_are_in_the_buyers_and_shops_feeds(market: Market, rt: Runtime, client: TestClient) -> None:
    market.order("O1")
    market.open("O1")
    market.advance(timedelta(hours=rt.policies.current.deadlines.seller_response_hours.value - 1))
    market.remind()
    for who in (buyer(), seller()):
        got = client.get("/api/v1/events", params={"types": "deadline.approaching"}, headers=who).json()
        assert types_of_json(got["events"]) == ["deadline.approaching"]


def types_of_json(events: list[dict[str, object]]) -> list[object]:
    return [e["type"] for e in events]


@pytest.mark.postgres_only
def test_several_workers_announce_each_deadline_once(market: Market, rt: Runtime) -> None:
    market.order("O1", prices=tuple([1000] * 30))
    for line in range(1, 31):
        market.open("O1", lines=(line,))
    market.advance(timedelta(hours=rt.policies.current.deadlines.seller_response_hours.value - 1))
    before = market.last_event()
    counts: list[int] = []

    def worker() -> None:
        for _ in range(5):
            counts.append(deadlines.send_reminders(rt, batch=4))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    emitted = market.events_after(before)
    assert sum(counts) == len(emitted) == 30
    assert len({e.subject_id for e in emitted}) == 30
    assert set(types_of(emitted)) == {"deadline.approaching"}
