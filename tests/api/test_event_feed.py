"""The pull feed: ordered, resumable, scoped by the caller's access, and never skipping an event
whose transaction committed late."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from peifu.adapters.runtime import Runtime
from peifu.db.models import EventRow
from peifu.domain.clock import ManualClock
from peifu.domain.events import DomainEvent, EventType, Subject
from peifu.services import events, feed
from peifu.services.context import Ctx
from tests.event_support import AGENT, API, Market, buyer, ok, seller


@pytest.fixture
def market(client: TestClient, rt: Runtime, clock: ManualClock) -> Market:
    return Market(client, rt, clock)


def page(client: TestClient, who: dict[str, str] | None = None, **params: Any) -> dict[str, Any]:
    data: dict[str, Any] = ok(client.get(f"{API}/events", params=params, headers=who or {}))
    return data


def everything(client: TestClient, who: dict[str, str] | None = None, limit: int = 3, **params: Any) -> list[Any]:
    got: list[Any] = []
    after = None
    while True:
        data = page(client, who, limit=limit, **({"after": after} if after else {}), **params)
        got += data["events"]
        after = data["next_cursor"]
        if not data["has_more"]:
            return got


def two_shops(m: Market) -> None:
    m.order("A1", shop="shop-1")
    m.order("B1", shop="shop-2", buyer_id="buyer-2")
    a = m.open("A1")
    b = m.open("B1", buyer_id="buyer-2")
    m.act(a, "agree", seller("shop-1"))
    m.act(b, "refuse", seller("shop-2"), {"reason": "不同意"})
    ok(
        m.client.post(f"{API}/buyers/buyer-1/abuse-mark", json={"reason": "职业索赔", "scope": "all"}, headers=AGENT),
        201,
    )


def test_the_feed_pages_in_order_and_resumes_from_its_cursor(market: Market, client: TestClient) -> None:
    two_shops(market)
    paged = everything(client, limit=2)
    whole = page(client, limit=1000)["events"]
    assert [e["id"] for e in paged] == [e["id"] for e in whole]
    assert len(whole) == len({e["id"] for e in whole}) == market.last_event()
    last = page(client, limit=1000)["next_cursor"]
    assert page(client, after=last) == {"events": [], "next_cursor": last, "has_more": False}
    market.act(market.open("A1", lines=(2,)), "withdraw", buyer())
    newer = page(client, after=last)["events"]
    assert [e["type"] for e in newer] == ["case.opened", "case.withdrawn", "case.closed"]


def test_the_feed_filters_by_type(market: Market, client: TestClient) -> None:
    two_shops(market)
    got = everything(client, types="case.refused,case.agreed")
    assert sorted(e["type"] for e in got) == ["case.agreed", "case.refused"]


def test_each_caller_reads_what_its_access_allows(market: Market, client: TestClient) -> None:
    two_shops(market)
    everyone = everything(client)
    assert {e["shop_id"] for e in everyone} >= {"shop-1", "shop-2"}
    assert "buyer.marked" in {e["type"] for e in everyone}

    shop = everything(client, seller("shop-1"))
    assert shop and {e["shop_id"] for e in shop} == {"shop-1"}
    assert "buyer.marked" not in {e["type"] for e in shop}, "a buyer's standing is the platform's alone"

    own = everything(client, buyer("buyer-2"))
    assert own and {e["buyer_id"] for e in own} == {"buyer-2"}

    resp = client.get(f"{API}/events", headers=AGENT)  # agents work from their desk, not the feed
    assert resp.status_code == 403

    resp = client.get(f"{API}/events", params={"shop_id": "shop-2"}, headers=seller("shop-1"))
    assert resp.status_code == 404
    narrowed = everything(client, shop_id="shop-2")
    assert narrowed and {e["shop_id"] for e in narrowed} == {"shop-2"}


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"after": "not-a-cursor"}, "invalid_cursor"),
        ({"after": "cDotMQ"}, "invalid_cursor"),  # "p:-1"
        ({"types": "case.exploded"}, "unknown_event_type"),
        ({"limit": 0}, "validation_error"),
        ({"limit": 5000}, "validation_error"),
    ],
)
def test_bad_feed_requests_are_clear_422s(client: TestClient, params: dict[str, Any], code: str) -> None:
    resp = client.get(f"{API}/events", params=params)
    assert resp.status_code == 422, resp.text
    assert resp.json()["error"]["code"] == code


def test_the_catalogue_is_public_and_complete(client: TestClient) -> None:
    listed = ok(client.get(f"{API}/event-types", headers={}))
    assert {t["type"] for t in listed} == {str(t) for t in EventType}
    assert all(t["zh"] and t["en"] and t["audience"] for t in listed)


# --- late commits -------------------------------------------------------------------------------------------


def _event(case_id: int) -> DomainEvent:
    return DomainEvent(
        type=EventType.case_rated,  # an event no reaction listens to: only the feed matters here
        subject=Subject.case,
        subject_id=str(case_id),
        occurred_at=datetime(2026, 11, 11, tzinfo=UTC),
        shop_id="shop-1",
        buyer_id="buyer-1",
        data={},
        case_id=case_id,
    )


@pytest.mark.postgres_only
def test_an_event_whose_transaction_commits_late_is_not_skipped(rt: Runtime) -> None:
    """Writer 1 takes an id first and commits last; a reader that went past writer 2's event in the
    meantime must still get writer 1's, after its cursor."""
    slow = rt.factory()
    slow.begin()
    with rt.uow() as ctx:
        events.record(ctx, _event(1))
    ctx_slow = _ctx(rt, slow)
    events.record(ctx_slow, _event(2))
    slow.flush()  # its id is taken (lower than the next writer's) but not committed
    with rt.uow() as ctx:
        events.record(ctx, _event(3))
    with rt.uow() as ctx:
        feed.sequence_all(ctx)
        first = [r.subject_id for r in feed.sink_batch(ctx.session, 0, 100)]
        cursor = max(r.position or 0 for r in feed.sink_batch(ctx.session, 0, 100))
    assert first == ["1", "3"]
    slow.commit()
    slow.close()
    with rt.uow() as ctx:
        feed.sequence_all(ctx)
        later = [r.subject_id for r in feed.sink_batch(ctx.session, cursor, 100)]
    assert later == ["2"]


def _ctx(rt: Runtime, session: Any) -> Ctx:
    return Ctx(session=session, clock=rt.clock, policies=rt.policies, reactions=rt.reactions)


@pytest.mark.postgres_only
def test_sequencers_racing_give_each_event_one_place(rt: Runtime) -> None:
    with rt.uow() as ctx:
        for n in range(600):
            events.record(ctx, _event(n))
    errors: list[BaseException] = []

    def sequencer() -> None:
        try:
            for _ in range(20):
                with rt.uow() as ctx:
                    feed.sequence(ctx, limit=50)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=sequencer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with rt.uow() as ctx:
        feed.sequence_all(ctx)
        positions = list(ctx.session.scalars(select(EventRow.position).order_by(EventRow.id)))
        assert positions == list(range(1, 601)), "dense, unique, in the order written"
        assert ctx.session.scalar(select(func.count()).select_from(EventRow).where(EventRow.position.is_(None))) == 0
