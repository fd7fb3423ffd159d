"""Complaint triage: the reason model in three scripts, the case type and priority rules, the API,
the triage kept on a case, and the queue order built on it.

Here: through the HTTP API on a real database (the rules alone: tests/domain/test_triage.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from peifu.adapters.api.app import create_app
from peifu.adapters.runtime import Runtime
from peifu.db.models import Case
from peifu.domain.clock import ManualClock
from peifu.domain.triage import (
    LARGE_AMOUNT_FEN,
    MAX_TEXT_CHARS,
    Priority,
)
from peifu.services import auth
from peifu.services import triage as triage_service
from tests import builders
from tests.conftest import as_buyer
from tests.domain.test_triage import ISSUE_TEXT


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (ISSUE_TEXT, "zh-Hans"),
        ("收到的鞋子開膠了，和圖片顏色也不一樣", "zh-Hant"),
        ("The shoes came unglued and the colour is not as pictured", "en"),
    ],
)
def test_api_triage(client: TestClient, text: str, language: str) -> None:
    resp = client.post("/api/v1/triage", json={"text": text, "channel": "chat"}, headers=as_buyer())
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["language"] == language
    assert body["reason"] in {"not_as_described", "quality_problem"}
    assert body["case_type"] == "return_and_refund"
    assert body["priority"] in {p.value for p in Priority}
    assert 0 < body["confidence"] <= 1
    assert len(body["alternatives"]) == 3 and {"reason", "p"} <= set(body["alternatives"][0])
    assert body["model"].startswith("triage-")


def test_api_triage_bad_input_is_a_clear_4xx(client: TestClient) -> None:
    def code(resp: object) -> tuple[int, str]:
        assert hasattr(resp, "json") and hasattr(resp, "status_code")
        return resp.status_code, resp.json()["error"]["code"]

    assert code(client.post("/api/v1/triage", json={"text": ""})) == (422, "text_empty")
    assert code(client.post("/api/v1/triage", json={"text": " 。。。 "})) == (422, "text_empty")
    assert code(client.post("/api/v1/triage", json={"text": "开" * (MAX_TEXT_CHARS + 1)})) == (422, "validation_error")
    assert code(client.post("/api/v1/triage", json={})) == (422, "validation_error")
    assert code(client.post("/api/v1/triage", json={"text": "开胶", "channel": "fax"})) == (422, "validation_error")
    assert code(client.post("/api/v1/triage", json={"text": "开胶", "extra": 1})) == (422, "validation_error")
    assert code(client.post("/api/v1/triage", json={"text": "开胶"}, headers={"X-Peifu-Actor": "courier:SF"})) == (
        403,
        "actor_not_allowed",
    )
    for role in ("buyer:b1", "seller:s1", "agent:x1", "platform:platform"):
        assert client.post("/api/v1/triage", json={"text": "开胶"}, headers={"X-Peifu-Actor": role}).status_code == 200


def test_api_triage_is_documented_with_examples(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/api/v1/triage"]["post"]
    examples = operation["requestBody"]["content"]["application/json"]["examples"]
    assert set(examples) == {"zh", "zh-Hant", "en"}
    assert "422" in operation["responses"]


def test_api_triage_is_rate_limited(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rt, "settings", replace(rt.settings, rate_limit_per_minute=2))
    with TestClient(create_app(rt), raise_server_exceptions=False, headers=as_buyer()) as c:
        answers = [c.post("/api/v1/triage", json={"text": ISSUE_TEXT}).status_code for _ in range(3)]
    assert answers == [200, 200, 429]


def _delivered_order(client: TestClient, order_id: str, price_fen: int = 39900) -> None:
    builders.order(client, order_id, upto="signed", price=price_fen)


def _open(client: TestClient, order_id: str, description: str, reason: str = "quality_problem") -> dict[str, object]:
    """A return of line 1 by buyer-1, as the API shows it (with the triage of its description)."""
    return builders.opened_case(client, order_id, case_type="return_and_refund", reason=reason, description=description)


def test_a_case_carries_the_triage_of_its_description(client: TestClient, rt: Runtime) -> None:
    _delivered_order(client, "T1")
    case = _open(client, "T1", ISSUE_TEXT, reason="quality_problem")
    triage = case["triage"]
    assert isinstance(triage, dict)
    assert triage["reason"] in {"not_as_described", "quality_problem"}
    assert triage["case_type"] == "return_and_refund"
    assert triage["priority"] == "normal"
    assert triage["matches_stated_reason"] is (triage["reason"] == "quality_problem")
    assert triage["model"].startswith("triage-")
    read = client.get(f"/api/v1/cases/{case['id']}", headers=as_buyer()).json()
    assert read["triage"] == triage
    listed = client.get("/api/v1/cases", headers=as_buyer()).json()
    assert listed[0]["triage"]["priority"] == "normal"
    with rt.uow() as ctx:
        row = ctx.session.get(Case, case["id"])
        assert row is not None
        assert row.triage_reason == triage["reason"] and row.triage_confidence == triage["confidence"]

    # a changed description is triaged again
    modified = client.post(
        f"/api/v1/cases/{case['id']}/modify",
        json={"description": "充电的时候冒烟了，差点起火"},
        headers=as_buyer(),
    )
    assert modified.status_code == 200, modified.text
    assert modified.json()["triage"]["priority"] == "urgent"
    assert modified.json()["triage"]["signals"] == ["safety_hazard"]


def test_a_case_without_description_has_no_triage(client: TestClient) -> None:
    _delivered_order(client, "T1")
    case = _open(client, "T1", "")
    assert case["triage"] is None


def test_the_amount_asked_raises_the_priority(client: TestClient) -> None:
    _delivered_order(client, "T1", price_fen=LARGE_AMOUNT_FEN)
    case = _open(client, "T1", "屏幕有坏点，一直闪屏")
    triage = case["triage"]
    assert isinstance(triage, dict)
    assert triage["priority"] == "high" and "large_amount" in triage["signals"]


def test_queues_sort_by_priority_then_age(client: TestClient, rt: Runtime) -> None:
    clock = rt.clock
    assert isinstance(clock, ManualClock)
    texts = {
        "T1": ("拍错了，想重新拍", "ordered_by_mistake"),  # low (oldest)
        "T2": ("鞋子开胶了", "quality_problem"),  # normal
        "T3": ("这是我第三次找你们了，鞋子开胶", "quality_problem"),  # high
        "T4": ("插座冒烟了，差点起火", "quality_problem"),  # urgent (newest)
        "T5": ("", "quality_problem"),  # not triaged: sorts as normal, after T2 (younger)
    }
    ids = {}
    for order_id, (text, reason) in texts.items():
        _delivered_order(client, order_id)
        ids[order_id] = _open(client, order_id, text, reason=reason)["id"]
        clock.advance(timedelta(minutes=5))
    want = [ids["T4"], ids["T3"], ids["T2"], ids["T5"], ids["T1"]]
    with rt.uow() as ctx:
        cases = list(ctx.session.scalars(select(Case)))
        assert [c.id for c in sorted(cases, key=triage_service.queue_sort_key)] == want
        in_sql = ctx.session.scalars(select(Case.id).order_by(*triage_service.queue_order_by()))
        assert list(in_sql) == want


def test_the_request_form_suggests_reason_and_type_as_the_buyer_types(client: TestClient, rt: Runtime) -> None:
    with rt.uow() as ctx:
        auth.create_user(ctx.session, "wang", "buyer", "triage-test-password", ctx.now(), party_id="buyer-1")
        auth.create_user(ctx.session, "staff", "seller", "triage-test-password", ctx.now(), party_id="shop-1")
    _delivered_order(client, "T1")
    with TestClient(create_app(rt), raise_server_exceptions=False, follow_redirects=False) as web:
        assert web.post("/buyer/triage-hint", data={"description": ISSUE_TEXT}).status_code == 303  # log in first
        login = web.post("/login", data={"username": "wang", "password": "triage-test-password"})
        assert login.status_code == 303
        page = web.get("/buyer/orders/T1")
        assert (
            page.status_code == 200 and 'hx-post="/buyer/triage-hint"' in page.text and 'id="triage-hint"' in page.text
        )

        hint = web.post("/buyer/triage-hint", data={"description": "物流顯示已簽收，但我根本沒收到包裹"})
        assert hint.status_code == 200
        assert 'data-reason="not_received"' in hint.text and 'data-case-type="refund_only"' in hint.text
        assert "采用建议" in hint.text  # zh-CN by default
        english = web.post("/buyer/triage-hint?lang=en", data={"description": "You sent me the wrong colour"})
        assert 'data-reason="wrong_item"' in english.text and "Use suggestion" in english.text
        for nothing in ("", "   ", "。。。"):
            empty = web.post("/buyer/triage-hint", data={"description": nothing})
            assert empty.status_code == 200 and "triage-hint" not in empty.text
        assert web.post("/buyer/triage-hint", data={"description": "开" * (MAX_TEXT_CHARS + 1)}).status_code == 422

        web.cookies.clear()
        assert web.post("/login", data={"username": "staff", "password": "triage-test-password"}).status_code == 303
        assert web.post("/buyer/triage-hint", data={"description": ISSUE_TEXT}).status_code == 403
