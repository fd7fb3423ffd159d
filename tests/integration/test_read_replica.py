"""Reads that may lag go to PEIFU_READ_DATABASE_URL; everything else, and every write, to the primary.

The "replica" here is a second database whose content differs from the primary's (as a lagging
replica's would): the lag-tolerant routes (event feed, shop metrics, dispute queue, dashboard data)
answer from it, the case routes and every write from the primary. On PostgreSQL the replica's
transactions are READ ONLY, so a lag-tolerant route that wrote anything would fail here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from peifu.adapters.api.app import create_app
from peifu.adapters.runtime import Runtime
from peifu.db.engine import unit_of_work
from peifu.db.models import Case, Order
from peifu.domain.clock import ManualClock
from peifu.services import feed
from peifu.settings import Settings
from tests.conftest import PLATFORM, START, _postgres_database, as_buyer, order_body

AGENT = {"X-Peifu-Actor": "agent:xiaoer-01"}


@pytest.fixture
def replica_url(tmp_path: Path) -> Iterator[str]:
    server = os.environ.get("PEIFU_TEST_DATABASE_URL", "")
    if server.startswith("postgres"):
        yield from _postgres_database(server)
    else:
        yield f"sqlite:///{tmp_path / 'replica.db'}"


def _open_case(client: TestClient, order_id: str) -> dict[str, Any]:
    assert client.post("/api/v1/orders", json=order_body(order_id)).status_code in (200, 201)
    assert client.post(f"/api/v1/orders/{order_id}/events", json={"kind": "paid"}).status_code == 200
    answer = client.post(
        "/api/v1/cases",
        json={
            "order_id": order_id,
            "lines": [{"line_no": 1}],
            "case_type": "refund_only",
            "reason": "ordered_by_mistake",
        },
        headers=as_buyer(),
    )
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _orders(rt: Runtime) -> set[str]:
    with unit_of_work(rt.factory) as session:
        return set(session.scalars(select(Order.id)))


def test_lagging_reads_come_from_the_read_database_and_writes_go_to_the_primary(
    rt: Runtime, database_url: str, replica_url: str
) -> None:
    # the replica: a database with its own, older content (one order, one case)
    replica = Runtime(Settings(database_url=replica_url, trust_actor_header=True), clock=ManualClock(START))
    with TestClient(create_app(replica), raise_server_exceptions=False, headers=PLATFORM) as c:
        _open_case(c, "R1")
    with replica.uow() as ctx:  # the primary's relay had given the feed positions before they replicated
        feed.sequence_all(ctx)
    # the primary, reading what may lag from the replica
    settings = Settings(database_url=database_url, read_database_url=replica_url, trust_actor_header=True)
    primary = Runtime(settings, clock=ManualClock(START), migrate=False)
    try:
        assert primary.read_engine is not primary.engine
        with TestClient(create_app(primary), raise_server_exceptions=False, headers=PLATFORM) as client:
            case = _open_case(client, "T1")
            _open_case(client, "T2")

            # writes went to the primary only
            assert _orders(rt) == {"T1", "T2"}
            assert _orders(replica) == {"R1"}
            # reads that decide or show one case come from the primary
            assert client.get(f"/api/v1/cases/{case['id']}", headers=as_buyer()).json()["order_id"] == "T1"

            # the event feed comes from the replica: R1's events, none of T1's or T2's
            page = client.get("/api/v1/events", params={"limit": 500})
            assert page.status_code == 200, page.text
            orders_in_feed = {_order_of(e) for e in page.json()["events"]} - {None}
            assert orders_in_feed == {"R1"}

            # the shop's metrics too: one case over one paid order, not two over two
            shop = client.get("/api/v1/shops/shop-1/metrics", headers=AGENT)
            assert shop.status_code == 200, shop.text
            refund_rate = shop.json()["metrics"]["refund_rate"]
            assert (refund_rate["numerator"], refund_rate["denominator"]) == (1, 1)

            # the agents' dispute queue and the dashboard's figures answer from it without writing
            assert client.get("/api/v1/disputes", headers=AGENT).status_code == 200
            assert client.get("/dashboard/data.json", headers=AGENT).status_code == 200
        with unit_of_work(primary.read_factory) as session:
            assert session.scalar(select(func.count()).select_from(Case)) == 1
    finally:
        primary.close()
        replica.close()


def _order_of(event: dict[str, Any]) -> str | None:
    data = event.get("data") or {}
    for key in ("order_id",):
        if key in data:
            return str(data[key])
    order = data.get("order")
    if isinstance(order, dict) and "id" in order:
        return str(order["id"])
    case = data.get("case")
    if isinstance(case, dict) and "order_id" in case:
        return str(case["order_id"])
    return None


def test_without_a_read_database_the_lagging_reads_use_the_primary(rt: Runtime) -> None:
    assert rt.settings.read_database_url is None
    assert rt.read_engine is rt.engine and rt.read_factory is rt.factory


def test_the_setting_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEIFU_READ_DATABASE_URL", "postgresql://reader@replica.internal/peifu")
    assert Settings.from_env().read_database_url == "postgresql://reader@replica.internal/peifu"
    monkeypatch.setenv("PEIFU_READ_DATABASE_URL", "")
    assert Settings.from_env().read_database_url is None
