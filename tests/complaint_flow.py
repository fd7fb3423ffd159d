"""A rule complaint taken to an upheld decision through the API (shared by the complaint and audit tests)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests import builders
from tests.conftest import as_buyer

API = "/api/v1"


def as_agent(agent_id: str = "xiaoer-1") -> dict[str, str]:
    return {"X-Peifu-Actor": f"agent:{agent_id}"}


def file(
    client: TestClient,
    order_id: str = "T1",
    violation: str = "promise_not_honoured",
    *,
    buyer: str = "buyer-1",
    case_id: int | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    body: dict[str, Any] = {"order_id": order_id, "violation": violation, "description": "卖家未履行承诺"}
    if case_id is not None:
        body["case_id"] = case_id
    return client.post(f"{API}/complaints", json=body, headers=as_buyer(buyer) if headers is None else headers)


def filed(client: TestClient, order_id: str = "T1", violation: str = "promise_not_honoured", **kw: Any) -> int:
    r = file(client, order_id, violation, **kw)
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def decide(
    client: TestClient,
    complaint_id: int,
    upheld: bool = True,
    *,
    agent: str = "xiaoer-1",
    violation: str | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    body: dict[str, Any] = {"upheld": upheld, "reasoning": "核实属实" if upheld else "证据不足"}
    if violation is not None:
        body["violation"] = violation
    return client.post(
        f"{API}/complaints/{complaint_id}/decision", json=body, headers=as_agent(agent) if headers is None else headers
    )


def upheld(client: TestClient, order_id: str, violation: str = "promise_not_honoured", **kw: Any) -> int:
    """A completed order, a complaint on it, upheld by xiaoer-1; its id."""
    builders.order(client, order_id, upto="completed")
    cid = filed(client, order_id, violation)
    r = decide(client, cid, **kw)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "upheld"
    return cid
