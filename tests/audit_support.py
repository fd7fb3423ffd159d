"""What the audit tests share: the test key, raw SQL against the chains, a refunded request, verify."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text

from peifu.adapters.runtime import Runtime
from peifu.db.engine import unit_of_work
from peifu.services import audit
from tests.conftest import as_buyer, as_seller, order_body

SECRET = audit.Keyring.parse("k1 " + "s3cr3t-kept-outside-the-database")


def _refund(client: TestClient, order_id: str) -> int:
    assert client.post("/api/v1/orders", json=order_body(order_id)).status_code == 201
    assert client.post(f"/api/v1/orders/{order_id}/events", json={"kind": "paid"}).status_code == 200
    case = client.post(
        "/api/v1/cases",
        json={"order_id": order_id, "lines": [{"line_no": 1}], "case_type": "refund_only", "reason": "other"},
        headers=as_buyer(),
    ).json()["id"]
    assert client.post(f"/api/v1/cases/{case}/agree", headers=as_seller()).status_code == 200
    return int(case)


def _verify(rt: Runtime, expect: dict[str, Any] | None = None) -> audit.Break | None:
    with unit_of_work(rt.factory) as session:
        return audit.verify(session, expect=expect)


def _execute(rt: Runtime, sql: str, **params: Any) -> None:
    with rt.engine.begin() as conn:
        conn.execute(text(sql), params)


def _links(rt: Runtime, where: str = "1 = 1", **params: Any) -> list[Any]:
    with rt.engine.begin() as conn:
        return list(conn.execute(text(f"SELECT * FROM audit_links WHERE {where} ORDER BY chain, seq"), params))
