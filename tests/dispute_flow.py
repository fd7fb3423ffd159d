"""Driving a request through platform intervention with the API: an order, a request refused and
escalated, evidence uploaded, a ruling. Shared by the intervention, audit, content-safety and
triage tests."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

from tests import builders
from tests.conftest import as_buyer, as_seller

API = "/api/v1"
AGENT = {"X-Peifu-Actor": "agent:x1"}
AGENT2 = {"X-Peifu-Actor": "agent:x2"}
PRICE = 39900  # line 1; line 2 (3 pairs of socks, 6000) stays paid for, so in-trade orders stay open
CHEAP = 5000  # 50 yuan: 3× is 150 yuan, below the statutory minimum of 500 yuan
PDF = b"%PDF-1.4\n% brand appraisal report: counterfeit, issued by the brand owner\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"sole came off after one day"


def ok(response: Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def new_order(client: TestClient, order_id: str, *, stage: str = "shipped", price: int = PRICE, **who: str) -> None:
    """An order paid and taken to `stage`: paid, shipped (the default), signed or completed."""
    builders.order(client, order_id, upto=stage, price=price, **who)


def open_case(client: TestClient, order_id: str, case_type: str, reason: str, *, buyer: str = "buyer-1") -> int:
    return builders.open_case(client, order_id, case_type=case_type, reason=reason, buyer=buyer)


def act(
    client: TestClient, case_id: int, action: str, who: dict[str, str], body: dict[str, Any] | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = ok(client.post(f"{API}/cases/{case_id}/{action.replace('_', '-')}", json=body, headers=who))
    return data


def get_case(client: TestClient, case_id: int) -> dict[str, Any]:
    data: dict[str, Any] = ok(client.get(f"{API}/cases/{case_id}"))
    return data


def dispute_of(client: TestClient, case_id: int, who: dict[str, str] = AGENT) -> dict[str, Any]:
    data: dict[str, Any] = ok(client.get(f"{API}/cases/{case_id}/dispute", headers=who))
    return data


def get_dispute(client: TestClient, dispute_id: int, who: dict[str, str] = AGENT) -> dict[str, Any]:
    data: dict[str, Any] = ok(client.get(f"{API}/disputes/{dispute_id}", headers=who))
    return data


def refuse_and_escalate(client: TestClient, case_id: int, *, buyer: str = "buyer-1", shop: str = "shop-1") -> int:
    """The seller refuses; the buyer asks the platform at once. Returns the dispute id."""
    act(client, case_id, "refuse", as_seller(shop), {"reason": "商品没有问题，不同意"})
    case = act(client, case_id, "escalate", as_buyer(buyer), {"note": "卖家无凭证拒绝"})
    assert case["state"] == "in_intervention"
    dispute_id: int = dispute_of(client, case_id)["id"]
    return dispute_id


def rule(client: TestClient, dispute_id: int, who: dict[str, str] = AGENT, **ruling: Any) -> dict[str, Any]:
    body = {"reasoning": "依据双方举证判定", "compensations": [], **ruling}
    data: dict[str, Any] = ok(client.post(f"{API}/disputes/{dispute_id}/ruling", json=body, headers=who))
    return data


def text_evidence(client: TestClient, dispute_id: int, who: dict[str, str], text: str, kind: str = "text") -> Any:
    return client.post(f"{API}/disputes/{dispute_id}/evidence", json={"kind": kind, "text": text}, headers=who)


def upload(
    client: TestClient, dispute_id: int, who: dict[str, str], kind: str, content: bytes, content_type: str, name: str
) -> Response:
    return client.post(
        f"{API}/disputes/{dispute_id}/evidence/files",
        data={"kind": kind},
        files={"file": (name, content, content_type)},
        headers=who,
    )


def appeal(client: TestClient, dispute_id: int, who: dict[str, str]) -> Response:
    body = {"reason": "有新的证据", "evidence_text": "快递公司出具的证明编号 SF-2026-001"}
    return client.post(f"{API}/disputes/{dispute_id}/appeal", json=body, headers=who)
