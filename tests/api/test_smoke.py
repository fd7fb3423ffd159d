"""The shortest path through the product: ingest, pay, refund, see the timeline."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import as_buyer, as_seller, order_body


def test_refund_only_before_shipment_is_executed_on_agreement(client: TestClient) -> None:
    assert client.post("/api/v1/orders", json=order_body()).status_code == 201
    assert client.post("/api/v1/orders/T1/events", json={"kind": "paid"}).json()["state"] == "paid"
    opened = client.post(
        "/api/v1/cases",
        json={"order_id": "T1", "lines": [{"line_no": 1}], "case_type": "refund_only", "reason": "ordered_by_mistake"},
        headers=as_buyer(),
    )
    assert opened.status_code == 201, opened.text
    case = opened.json()
    assert case["refund_amount_fen"] == 39900
    assert case["deadlines"][0]["kind"] == "seller_response"

    agreed = client.post(f"/api/v1/cases/{case['id']}/agree", headers=as_seller())
    assert agreed.status_code == 200, agreed.text
    body = agreed.json()
    assert body["state"] == "refunded"
    assert [(e["action"], e["to_state"]) for e in body["timeline"]] == [
        ("open", "requested"),
        ("agree", "refunding"),
        ("execute_refund", "refunded"),
    ]
    order = client.get("/api/v1/orders/T1").json()
    assert order["lines"][0]["refunded_fen"] == 39900
    assert order["state"] == "paid"  # line 2 is still paid for


def test_docs_list_every_endpoint(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    for expected in [
        "/api/v1/orders",
        "/api/v1/orders/{order_id}/events",
        "/api/v1/cases",
        "/api/v1/cases/{case_id}",
        "/api/v1/cases/{case_id}/ship-return",
        "/api/v1/sandbox/clock",
    ]:
        assert expected in paths
    assert client.get("/docs").status_code == 200
