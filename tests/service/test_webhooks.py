"""Webhooks, delivered for real to an HTTP receiver on this machine.

A receiver that is down, then answers 500, then times out, then recovers gets every event, in
order per case, with signatures the `standardwebhooks` library verifies; retries wait by the
engine's clock; an endpoint whose retries are spent is marked failing and its events wait for it;
secrets rotate with a grace period; no redirect is followed and no private address is called
unless allowed; replays keep the event id; a shop's endpoint never carries another shop's events.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import Any, get_args

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from peifu.adapters.api import event_routes
from peifu.adapters.api.app import create_app
from peifu.adapters.relay import Relay
from peifu.adapters.runtime import Runtime
from peifu.adapters.webhook_sender import HttpSender
from peifu.db.models import EventRow, WebhookDelivery, WebhookEndpoint
from peifu.domain import webhooks as rules
from peifu.domain.clock import ManualClock
from peifu.domain.vocabulary import DeliveryStatus
from peifu.services import webhooks
from peifu.services.webhooks import Outgoing, Sent
from peifu.settings import Settings
from tests.conftest import START, _empty
from tests.event_support import AGENT, API, Market, buyer, ok, seller
from tests.webhook_receiver import Receiver

PLATFORM = {"X-Peifu-Actor": "platform:platform"}


@pytest.fixture
def hooks_rt(rt: Runtime, database_url: str) -> Iterator[Runtime]:
    """The test database (just emptied by `rt`) behind a deployment that lets webhooks go to
    loopback addresses, as PEIFU_WEBHOOK_ALLOW_PRIVATE=1 does for local use and tests."""
    settings = Settings(database_url=database_url, trust_actor_header=True, webhook_allow_private=True)
    hrt = Runtime(settings, clock=ManualClock(START), migrate=False)
    yield hrt
    hrt.close()


@pytest.fixture
def hooks_client(hooks_rt: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(hooks_rt), raise_server_exceptions=False, headers=PLATFORM) as c:
        yield c


@pytest.fixture
def market(hooks_client: TestClient, hooks_rt: Runtime) -> Market:
    assert isinstance(hooks_rt.clock, ManualClock)
    return Market(hooks_client, hooks_rt, hooks_rt.clock)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.stop()


def relay(rt: Runtime, timeout: float = 2.0) -> Relay:
    return Relay(rt, owner="test-relay", sender=HttpSender(timeout=timeout, allow_private=True), batch=50)


def register(client: TestClient, url: str, who: dict[str, str] = PLATFORM, **body: Any) -> dict[str, Any]:
    data: dict[str, Any] = ok(client.post(f"{API}/webhook-endpoints", json={"url": url, **body}, headers=who), 201)
    return data


def busy_market(m: Market, cases: int = 3) -> list[int]:
    """A few requests with several moves each: every move is an event, in order per case."""
    ids = []
    for n in range(cases):
        order_id = m.order(f"O{n}", stage="shipped")
        case_id = m.open(order_id, "return_and_refund", "quality_problem")
        m.act(case_id, "refuse", seller(), {"reason": "不同意"})
        m.act(case_id, "modify", buyer(), {"description": f"第{n}次修改"})
        m.act(case_id, "agree", seller())
        ids.append(case_id)
    return ids


def endpoint_events(m: Market, endpoint_id: str) -> list[EventRow]:
    with m.rt.uow() as ctx:
        stmt = (
            select(EventRow)
            .join(WebhookDelivery, WebhookDelivery.event_pk == EventRow.id)
            .where(WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.replay.is_(False))
            .order_by(EventRow.position)
        )
        return list(ctx.session.scalars(stmt))


def per_case(ids: list[str], events: list[EventRow]) -> dict[str, list[str]]:
    case_of = {e.event_id: e.ordering_key for e in events}
    out: dict[str, list[str]] = {}
    for event_id in ids:
        out.setdefault(case_of[event_id], []).append(event_id)
    return out


def attempts_of(m: Market, endpoint_id: str) -> int:
    with m.rt.uow() as ctx:
        return sum(
            d.attempts
            for d in ctx.session.scalars(select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id))
        )


def endpoint(m: Market, endpoint_id: str) -> WebhookEndpoint:
    with m.rt.uow() as ctx:
        found = ctx.session.get(WebhookEndpoint, endpoint_id)
        assert found is not None
        return found


# --- a receiver that fails in every way, then recovers --------------------------------------------------


def test_a_receiver_down_then_erroring_then_slow_then_well_gets_every_event_in_order(
    market: Market, receiver: Receiver
) -> None:
    hook = register(market.client, receiver.url)
    receiver.secrets = [hook["secret"]]
    busy_market(market)
    loop = relay(market.rt, timeout=0.5)

    loop.run_once()  # down: connection refused
    down = attempts_of(market, hook["id"])
    assert down > 0 and receiver.received == []
    loop.run_once()  # the retry waits 5 s of the engine's clock: nothing is attempted now
    assert attempts_of(market, hook["id"]) == down

    receiver.mode = "error"
    receiver.start()
    market.advance(timedelta(seconds=6))
    loop.run_once()
    assert receiver.received and {r.answered for r in receiver.received} == {500}

    receiver.mode, receiver.slow_seconds = "slow", 1.0  # answers after the sender's 0.5 s timeout
    market.advance(timedelta(minutes=2))
    loop.run_once()
    timed_out = [a for a in ok(market.client.get(f"{API}/webhook-endpoints/{hook['id']}/attempts")) if a["error"]]
    assert any("timed out" in a["error"] for a in timed_out)

    receiver.mode = "ok"
    for _ in range(8):  # the retries come due by the engine's clock
        market.advance(timedelta(minutes=6))
        loop.run_once()
    loop.close()

    events = endpoint_events(market, hook["id"])
    assert events, "the endpoint was owed events"
    firsts = receiver.first_arrivals()
    assert {r.event_id for r in firsts} == {e.event_id for e in events}, "every event arrived"
    got = per_case([r.event_id for r in firsts], events)
    want = per_case([e.event_id for e in events], events)
    assert got == want, "in order per case"
    for r in receiver.received:  # every request carried a signature the reference library accepts
        assert r.verified_with == [hook["secret"]], r.headers
        assert r.payload["id"] == r.event_id == r.headers["webhook-id"]
    accepted = receiver.accepted()
    duplicates = len(accepted) - len(firsts)
    assert duplicates >= 1, "the slow answers were taken in and sent again"
    bodies: dict[str, bytes] = {}
    for r in accepted:  # a duplicate is the same event id with the same body
        assert bodies.setdefault(r.event_id, r.body) == r.body
    with market.rt.uow() as ctx:
        rows = list(ctx.session.scalars(select(WebhookDelivery).where(WebhookDelivery.endpoint_id == hook["id"])))
    assert {d.status for d in rows} == {"delivered"}
    assert ok(market.client.get(f"{API}/webhook-endpoints/{hook['id']}"))["status"] == "active"


def test_a_retrying_event_holds_back_only_the_later_events_of_its_case(market: Market, receiver: Receiver) -> None:
    hook = register(market.client, receiver.url)
    receiver.secrets = [hook["secret"]]
    first, second = busy_market(market, cases=2)
    receiver.start()
    loop = relay(market.rt)
    receiver.mode = "error"
    loop.step()  # every case's first event fails
    receiver.mode = "ok"
    loop.step()  # nothing is due again yet: no case may skip ahead of its failed head
    assert all(r.answered == 500 for r in receiver.received)
    market.advance(timedelta(seconds=6))
    loop.run_once()
    loop.close()
    events = endpoint_events(market, hook["id"])
    assert per_case([r.event_id for r in receiver.first_arrivals()], events) == per_case(
        [e.event_id for e in events], events
    )
    assert {e.case_id for e in events} == {first, second}


def test_retries_spent_the_endpoint_is_failing_its_events_wait_then_resume_in_order(
    market: Market, receiver: Receiver
) -> None:
    hook = register(market.client, receiver.url)
    receiver.secrets = [hook["secret"]]
    receiver.mode = "error"
    receiver.start()
    busy_market(market, cases=1)
    loop = relay(market.rt)
    waited = timedelta(0)
    while True:
        loop.run_once()
        if endpoint(market, hook["id"]).status != "active":
            break
        market.advance(timedelta(hours=1))
        waited += timedelta(hours=1)
        assert waited < timedelta(days=4), "the schedule never ended"
    total = rules.schedule_total()
    # the clock moves an hour at a time, so each of the waits may be seen up to an hour late
    assert total * 0.9 <= waited <= total * 1.1 + timedelta(hours=len(rules.RETRY_DELAYS)), "about three days"
    head_attempts = len(receiver.received)
    assert head_attempts == len(rules.RETRY_DELAYS) + 1, "one attempt, then one per scheduled wait"
    assert endpoint(market, hook["id"]).failing_since is not None

    receiver.mode = "ok"
    probe_at = endpoint(market, hook["id"]).probe_at
    assert probe_at is not None
    market.clock.set(probe_at - timedelta(minutes=1))
    loop.run_once()  # not yet the hour: the events wait
    assert len(receiver.received) == head_attempts
    market.clock.set(probe_at)
    loop.run_once()  # the hourly probe succeeds, the endpoint is active, the rest follow in order
    loop.close()
    assert endpoint(market, hook["id"]).status == "active"
    events = endpoint_events(market, hook["id"])
    assert [r.event_id for r in receiver.first_arrivals()] == [e.event_id for e in events]


def test_recover_sends_what_waits_at_once(market: Market, receiver: Receiver) -> None:
    hook = register(market.client, receiver.url)
    busy_market(market, cases=1)
    with market.rt.uow() as ctx:
        row = ctx.session.get(WebhookEndpoint, hook["id"])
        assert row is not None
        row.status, row.probe_at = "failing", market.clock.now() + timedelta(hours=1)
    receiver.start()
    loop = relay(market.rt)
    loop.run_once()
    assert receiver.received == [], "a failing endpoint is only probed hourly"
    assert ok(market.client.post(f"{API}/webhook-endpoints/{hook['id']}/recover"))["status"] == "active"
    loop.run_once()
    loop.close()
    assert len(receiver.first_arrivals()) == len(endpoint_events(market, hook["id"]))


class DisablingSender:
    """A receiver that fails, while its owner disables the endpoint during the request."""

    def __init__(self, market: Market, endpoint_id: str) -> None:
        self.market, self.endpoint_id, self.sent = market, endpoint_id, 0

    def send_all(self, requests: Sequence[Outgoing]) -> list[Sent]:
        self.sent += len(requests)
        ok(self.market.client.post(f"{API}/webhook-endpoints/{self.endpoint_id}/disable"))
        return [Sent(500, 3) for _ in requests]


def test_a_probe_that_fails_after_its_endpoint_was_disabled_leaves_it_disabled(
    market: Market, receiver: Receiver
) -> None:
    """The endpoint table has no move from disabled to failing: only the owner turns it back on."""
    hook = register(market.client, receiver.url)
    busy_market(market, cases=1)
    relay(market.rt).run_once()  # sequenced and fanned out (nothing listens: the first attempts fail)
    with market.rt.uow() as ctx:
        row = ctx.session.get(WebhookEndpoint, hook["id"])
        assert row is not None
        row.status, row.probe_at = "failing", market.clock.now()
    sender = DisablingSender(market, hook["id"])
    report = webhooks.probe_failing(market.rt, sender, owner="test-probe")
    assert sender.sent == 1 and report.failed == 1
    after = endpoint(market, hook["id"])
    assert after.status == "disabled" and after.probe_at is None
    assert ok(market.client.get(f"{API}/webhook-endpoints/{hook['id']}"))["status"] == "disabled"


def test_the_api_offers_the_statuses_of_the_tables() -> None:
    """The API's own lists (kept as literals, so its schema reads the same) name the tables' states."""
    patch = event_routes.EndpointPatchIn.model_fields["status"].annotation
    assert set(get_args(get_args(patch)[0])) == set(webhooks.STATUS_ACTIONS) == {"active", "disabled"}
    query = get_args(event_routes.list_deliveries.__annotations__["status"])[0]
    assert set(get_args(get_args(query)[0])) == {str(s) for s in DeliveryStatus}


def test_a_disabled_endpoint_gets_nothing_not_even_later(market: Market, receiver: Receiver) -> None:
    hook = register(market.client, receiver.url)
    receiver.start()
    ok(market.client.post(f"{API}/webhook-endpoints/{hook['id']}/disable"))
    busy_market(market, cases=1)
    loop = relay(market.rt)
    loop.run_once()
    ok(market.client.post(f"{API}/webhook-endpoints/{hook['id']}/enable"))
    loop.run_once()
    loop.close()
    assert receiver.received == [] and endpoint_events(market, hook["id"]) == []


# --- signatures -------------------------------------------------------------------------------------------


def test_a_rotated_secret_signs_beside_the_old_one_for_the_grace_period(market: Market, receiver: Receiver) -> None:
    hook = register(market.client, receiver.url, event_types=["case.opened"])
    old = hook["secret"]
    rotated = ok(market.client.post(f"{API}/webhook-endpoints/{hook['id']}/rotate-secret", json={"grace_hours": 2}))
    new = rotated["secret"]
    assert new != old and rotated["secret_rotating_until"] is not None
    receiver.secrets = [old, new]
    receiver.start()
    loop = relay(market.rt)
    market.order("O1")
    market.open("O1")
    loop.run_once()
    assert receiver.received[-1].verified_with == [old, new]
    assert len(receiver.received[-1].headers["webhook-signature"].split(" ")) == 2
    market.advance(timedelta(hours=2, seconds=1))
    market.order("O2")
    market.open("O2")
    loop.run_once()
    loop.close()
    assert receiver.received[-1].verified_with == [new], "after the grace period only the new secret signs"
    assert ok(market.client.get(f"{API}/webhook-endpoints/{hook['id']}"))["secret"] is None
    assert ok(market.client.get(f"{API}/webhook-endpoints/{hook['id']}/secret"))["secret"] == new


def test_the_signature_timestamp_is_the_real_time_not_the_engines_clock(market: Market, receiver: Receiver) -> None:
    """Receivers refuse signatures more than five minutes from their own clock; the sandbox clock may
    be days ahead. The retry times follow the engine's clock, the signature the wall clock."""
    hook = register(market.client, receiver.url)
    receiver.secrets = [hook["secret"]]
    receiver.start()
    market.advance(timedelta(days=30))
    market.order("O1")
    market.open("O1")
    loop = relay(market.rt)
    loop.run_once()
    loop.close()
    assert receiver.received and all(r.verified_with for r in receiver.received)


# --- where requests may go ------------------------------------------------------------------------------


def test_private_and_loopback_addresses_are_refused_unless_allowed(client: TestClient) -> None:
    for url in ("http://127.0.0.1:9/hook", "http://10.1.2.3/hook", "http://[::1]/hook", "http://169.254.169.254/"):
        resp = client.post(f"{API}/webhook-endpoints", json={"url": url})
        assert resp.status_code == 422 and resp.json()["error"]["code"] == "url_not_allowed", (url, resp.text)
    for url, code in (
        ("ftp://example.com/x", "url_scheme"),
        ("https://user:pw@93.184.216.34/x", "url_credentials"),
        ("https:///nohost", "url_invalid"),
    ):
        resp = client.post(f"{API}/webhook-endpoints", json={"url": url})
        assert resp.status_code == 422 and resp.json()["error"]["code"] == code, (url, resp.text)


def test_a_name_that_resolves_to_a_private_address_is_not_called() -> None:
    sender = HttpSender(allow_private=False, resolver=lambda host, port: ["10.0.0.5"])
    sent = sender.send(
        Outgoing(1, "we_1", "https://hooks.example.com/x", "evt_1", "case.opened", b"{}", ("whsec_" + "A" * 44,), 1)
    )
    sender.close()
    assert sent.status_code is None and sent.error is not None and "private" in sent.error


def test_redirects_are_not_followed(market: Market, receiver: Receiver) -> None:
    hook = register(market.client, receiver.url, event_types=["case.opened"])
    receiver.mode = "redirect"
    receiver.start()
    market.order("O1")
    market.open("O1")
    loop = relay(market.rt)
    loop.run_once()
    loop.close()
    assert len(receiver.received) == 1
    (attempt,) = ok(market.client.get(f"{API}/webhook-endpoints/{hook['id']}/attempts"))
    assert attempt["status_code"] == 302 and "redirects are not followed" in attempt["error"]


# --- replay and scope -----------------------------------------------------------------------------------


def test_replay_of_one_event_and_of_a_time_range_keeps_the_event_ids(market: Market, receiver: Receiver) -> None:
    hook = register(market.client, receiver.url)
    receiver.secrets = [hook["secret"]]
    receiver.start()
    busy_market(market, cases=1)
    loop = relay(market.rt)
    loop.run_once()
    first = [r.event_id for r in receiver.received]
    url = f"{API}/webhook-endpoints/{hook['id']}/replay"
    assert ok(market.client.post(url, json={"event_id": first[0]}), 202) == {"queued": 1}
    loop.run_once()
    assert receiver.received[-1].event_id == first[0]
    since = (market.clock.now() - timedelta(hours=1)).isoformat()
    assert ok(market.client.post(url, json={"since": since}), 202) == {"queued": len(first)}
    loop.run_once()
    loop.close()
    assert [r.event_id for r in receiver.received[len(first) + 1 :]] == first
    deliveries = ok(market.client.get(f"{API}/webhook-endpoints/{hook['id']}/deliveries", params={"limit": 500}))
    assert sum(d["replay"] for d in deliveries) == len(first) + 1
    bad = market.client.post(url, json={"event_id": "evt_nonexistent"})
    assert bad.status_code == 404 and bad.json()["error"]["code"] == "event_not_found"


def test_a_shops_endpoint_carries_only_its_own_shops_events(market: Market, receiver: Receiver) -> None:
    hook = register(market.client, receiver.url, who=seller("shop-1"))
    assert hook["shop_id"] == "shop-1"
    other = market.client.post(
        f"{API}/webhook-endpoints", json={"url": receiver.url, "shop_id": "shop-2"}, headers=seller("shop-1")
    )
    assert other.status_code == 403 and other.json()["error"]["code"] == "not_your_shop"
    platform_only = market.client.post(
        f"{API}/webhook-endpoints", json={"url": receiver.url, "event_types": ["buyer.marked"]}, headers=seller()
    )
    assert platform_only.status_code == 422
    receiver.start()
    market.order("A1", shop="shop-1")
    market.order("B1", shop="shop-2", buyer_id="buyer-2")
    mine = market.open("A1")
    market.open("B1", buyer_id="buyer-2")
    ok(
        market.client.post(
            f"{API}/buyers/buyer-1/abuse-mark", json={"reason": "职业索赔", "scope": "all"}, headers=AGENT
        ),
        201,
    )
    loop = relay(market.rt)
    loop.run_once()
    loop.close()
    payloads = [r.payload for r in receiver.received]
    assert payloads and {p["shop_id"] for p in payloads} == {"shop-1"}
    assert {p["subject"]["id"] for p in payloads if p["subject"]["type"] == "case"} == {str(mine)}
    assert "buyer.marked" not in {p["type"] for p in payloads}
    assert ok(market.client.get(f"{API}/webhook-endpoints", headers=seller("shop-2"))) == []
    foreign = market.client.get(f"{API}/webhook-endpoints/{hook['id']}", headers=seller("shop-2"))
    assert foreign.status_code == 404


def test_an_endpoint_filtered_by_type_gets_only_those_types(market: Market, receiver: Receiver) -> None:
    hook = register(market.client, receiver.url, event_types=["case.agreed", "case.closed"])
    receiver.start()
    busy_market(market, cases=1)
    loop = relay(market.rt)
    loop.run_once()
    loop.close()
    assert {r.payload["type"] for r in receiver.received} == {"case.agreed"}
    patched = ok(market.client.patch(f"{API}/webhook-endpoints/{hook['id']}", json={"event_types": None}))
    assert patched["event_types"] is None


# --- the queue's invariant, whatever happens in whatever order ------------------------------------------

STEPS = st.lists(
    st.sampled_from(["open", "move", "relay_ok", "relay_error", "later", "replay"]), min_size=4, max_size=14
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_one_due_delivery_per_case_and_everything_in_order_at_the_end(
    market: Market, receiver: Receiver, steps: list[str]
) -> None:
    """Events arrive, relays deliver or fail, time passes, replays queue old events again — in any
    order. At every moment at most one delivery per endpoint and case is not held; at the end,
    once the receiver is well, every event has arrived, each case's in the order it happened."""
    _empty(market.rt)  # each example on an empty marketplace
    market.clock.set(START)
    hook = register(market.client, receiver.url)
    if receiver._server is None:
        receiver.start()
    receiver.received.clear()
    loop = relay(market.rt)
    opened: list[int] = []
    for step in steps:
        if step == "open" or (step == "move" and not opened):
            order_id = market.order(f"P{len(opened)}-{uuid.uuid4().hex[:6]}")
            opened.append(market.open(order_id))
        elif step == "move":
            case_id = opened[-1]
            if market.case(case_id)["state"] == "requested":
                market.act(case_id, "refuse", seller(), {"reason": "不同意"})
            elif market.case(case_id)["state"] == "refused":
                market.act(case_id, "modify", buyer(), {"description": "再改"})
        elif step in ("relay_ok", "relay_error"):
            receiver.mode = "ok" if step == "relay_ok" else "error"
            loop.run_once()
        elif step == "later":
            market.advance(timedelta(minutes=10))
        else:
            since = market.clock.now() - timedelta(days=1)
            ok(
                market.client.post(f"{API}/webhook-endpoints/{hook['id']}/replay", json={"since": since.isoformat()}),
                202,
            )
        assert _due_per_queue(market, hook["id"]) <= 1
    receiver.mode = "ok"
    for _ in range(12):
        market.advance(timedelta(minutes=10))
        loop.run_once()
    loop.close()
    events = endpoint_events(market, hook["id"])
    assert {r.event_id for r in receiver.accepted()} == {e.event_id for e in events}
    firsts = [r.event_id for r in receiver.first_arrivals()]
    assert per_case(firsts, events) == per_case([e.event_id for e in events], events)


def _due_per_queue(m: Market, endpoint_id: str) -> int:
    with m.rt.uow() as ctx:
        counts = ctx.session.execute(
            select(WebhookDelivery.ordering_key, func.count())
            .where(
                WebhookDelivery.endpoint_id == endpoint_id,
                WebhookDelivery.status == "pending",
                WebhookDelivery.held.is_(False),
            )
            .group_by(WebhookDelivery.ordering_key)
        ).all()
    return max((n for _, n in counts), default=0)
