"""The sandbox test clock: POST /api/v1/sandbox/clock moves "now" forward for the API and every
worker sharing the database, and fires what became due. Only in sandbox mode.

These tests run on the wall clock plus the stored offset (not the suite's manual clock), so
times are compared with tolerances.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete

from peifu.adapters.api.app import create_app
from peifu.adapters.runtime import Runtime
from peifu.adapters.worker import Worker
from peifu.db.engine import unit_of_work
from peifu.db.models import SandboxClockRow
from peifu.domain.clock import OffsetClock
from peifu.settings import Settings
from tests import builders
from tests.conftest import PLATFORM

HOUR = 3600
SELLER_RESPONSE = 72 * HOUR
SLACK = timedelta(minutes=5)  # wall-clock time the test itself may take


def _sandbox_runtime(database_url: str) -> Runtime:
    return Runtime(Settings(database_url=database_url, sandbox=True, trust_actor_header=True), migrate=False)


def _reset_clock(srt: Runtime) -> None:
    with unit_of_work(srt.factory) as session:
        session.execute(delete(SandboxClockRow))


@pytest.fixture
def sandbox_rt(rt: Runtime, database_url: str) -> Iterator[Runtime]:
    """A sandbox-mode runtime on the test database, emptied by `rt`, with the clock at offset 0."""
    srt = _sandbox_runtime(database_url)
    _reset_clock(srt)
    assert isinstance(srt.clock, OffsetClock)
    yield srt
    _reset_clock(srt)  # later tests and runtimes start from real time again
    srt.close()


@pytest.fixture
def sandbox(sandbox_rt: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(sandbox_rt), raise_server_exceptions=False, headers=PLATFORM) as c:
        yield c


def _utc(instant: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(instant["utc"].replace("Z", "+00:00"))


def _wall() -> datetime:
    return datetime.now(UTC)


def _open_refund(client: TestClient, order_id: str = "T1") -> dict[str, Any]:
    """A paid order and a refund_only request for line 1: the seller has 72 hours to answer."""
    builders.order(client, order_id)
    case = builders.opened_case(client, order_id)
    assert [d["kind"] for d in case["deadlines"]] == ["seller_response"]
    return case


def _advance(client: TestClient, seconds: int, **extra: Any) -> dict[str, Any]:
    answer = client.post("/api/v1/sandbox/clock", json={"advance_seconds": seconds, **extra})
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_the_clock_starts_at_real_time(sandbox: TestClient) -> None:
    clock = sandbox.get("/api/v1/sandbox/clock")
    assert clock.status_code == 200, clock.text
    assert clock.json()["offset_seconds"] == 0
    assert abs(_utc(clock.json()["now"]) - _wall()) < SLACK


def test_advancing_moves_now_for_the_api_and_fires_what_became_due(sandbox: TestClient) -> None:
    case = _open_refund(sandbox)
    opened_at = _utc(case["timeline"][0]["at"])
    due_at = _utc(case["deadlines"][0]["due_at"])
    assert due_at - opened_at == timedelta(hours=72)

    # 71 hours on: later for the API, but the seller still has an hour.
    moved = _advance(sandbox, 71 * HOUR)
    assert moved["offset_seconds"] == 71 * HOUR
    assert moved["fired"] == 0
    assert abs(_utc(moved["now"]) - (_wall() + timedelta(hours=71))) < SLACK
    clock = sandbox.get("/api/v1/sandbox/clock").json()
    assert clock["offset_seconds"] == 71 * HOUR
    assert sandbox.get(f"/api/v1/cases/{case['id']}").json()["state"] == "requested"

    # Two more hours: the seller_response deadline passed, and the answer says it fired.
    moved = _advance(sandbox, 2 * HOUR)
    assert moved["offset_seconds"] == 73 * HOUR
    assert moved["fired"] == 1
    after = sandbox.get(f"/api/v1/cases/{case['id']}").json()
    assert after["state"] == "refunded"
    system_moves = [(e["action"], e["to_state"]) for e in after["timeline"] if e["actor"] == "system"]
    assert system_moves == [("agree", "refunding"), ("execute_refund", "refunded")]
    # The system acted at sandbox time, past the deadline — 73 hours after the request.
    acted_at = _utc(after["timeline"][-1]["at"])
    assert due_at <= acted_at < due_at + timedelta(hours=1) + SLACK
    assert sandbox.get("/api/v1/orders/T1").json()["lines"][0]["refunded_fen"] == 39900

    # Nothing more is due: moving on fires nothing, and the refund is not repeated.
    assert _advance(sandbox, 24 * HOUR)["fired"] == 0
    assert sandbox.get("/api/v1/orders/T1").json()["lines"][0]["refunded_fen"] == 39900


def test_set_to_jumps_to_an_instant_and_fires_every_deadline_passed(sandbox: TestClient) -> None:
    cases = [_open_refund(sandbox, order_id) for order_id in ("T1", "T2", "T3")]
    target = _wall() + timedelta(days=4)
    moved = sandbox.post("/api/v1/sandbox/clock", json={"set_to": target.isoformat()})
    assert moved.status_code == 200, moved.text
    assert moved.json()["fired"] == 3
    assert abs(_utc(moved.json()["now"]) - target) < timedelta(seconds=2)
    assert abs(moved.json()["offset_seconds"] - 4 * 24 * HOUR) < 5
    assert {sandbox.get(f"/api/v1/cases/{c['id']}").json()["state"] for c in cases} == {"refunded"}


def test_fire_due_false_leaves_the_firing_to_a_worker_that_shares_the_clock(
    sandbox: TestClient, database_url: str
) -> None:
    case = _open_refund(sandbox)
    moved = _advance(sandbox, SELLER_RESPONSE + HOUR, fire_due=False)
    assert moved["fired"] == 0
    assert sandbox.get(f"/api/v1/cases/{case['id']}").json()["state"] == "requested"

    # A worker in another runtime (as in another process) reads the stored offset and fires it.
    other = _sandbox_runtime(database_url)
    try:
        report = Worker(other).run_once()
        assert isinstance(other.clock, OffsetClock)
        assert other.clock.offset == timedelta(seconds=SELLER_RESPONSE + HOUR)
    finally:
        other.close()
    assert report.fired == 1
    assert sandbox.get(f"/api/v1/cases/{case['id']}").json()["state"] == "refunded"


def test_the_clock_never_goes_backwards(sandbox: TestClient) -> None:
    _advance(sandbox, 10 * HOUR)
    now = _utc(sandbox.get("/api/v1/sandbox/clock").json()["now"])

    for earlier in (now - timedelta(hours=1), _wall()):
        refused = sandbox.post("/api/v1/sandbox/clock", json={"set_to": earlier.isoformat()})
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["code"] == "clock_backwards"
    negative = sandbox.post("/api/v1/sandbox/clock", json={"advance_seconds": -60})
    assert negative.status_code == 422
    assert negative.json()["error"]["code"] == "validation_error"
    assert sandbox.get("/api/v1/sandbox/clock").json()["offset_seconds"] == 10 * HOUR

    # Standing still is allowed; so is moving on.
    assert _advance(sandbox, 0)["offset_seconds"] == 10 * HOUR
    assert _advance(sandbox, 60)["offset_seconds"] == 10 * HOUR + 60


def test_without_sandbox_mode_the_clock_does_not_exist(client: TestClient) -> None:
    for answer in (
        client.post("/api/v1/sandbox/clock", json={"advance_seconds": 3600}),
        client.get("/api/v1/sandbox/clock"),
    ):
        assert answer.status_code == 404, answer.text
        assert answer.json()["error"]["code"] == "sandbox_disabled"
