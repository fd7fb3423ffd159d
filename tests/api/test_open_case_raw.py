"""POST /api/v1/cases answers the same whether the request was opened the raw way
(services.raw_cases) or the ORM way: twin orders, one request each, the answers compared with the
ids in their place (the rows themselves: tests/service/test_raw_cases.py)."""

from __future__ import annotations

from typing import Any, cast

import pytest
from fastapi.testclient import TestClient

from peifu.services import raw_cases
from tests.conftest import as_buyer, order_body

REQUESTS = [
    {"lines": [{"line_no": 1}], "case_type": "return_and_refund", "reason": "seven_day_no_reason"},
    {
        "lines": [{"line_no": 1, "refund_amount_fen": 10000}, {"line_no": 2}],
        "case_type": "return_and_refund",
        "reason": "quality_problem",
        "description": "鞋底开胶了，质量太差",
    },
    {"lines": [{"line_no": 2}], "case_type": "exchange", "reason": "wrong_item", "description": "发错尺码"},
]


def _normal(body: dict[str, Any], order_id: str, case_id: int) -> dict[str, Any]:
    """The answer with the twin's order and case ids in their place."""

    def place(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: place(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [place(v) for v in value]
        if key in ("id", "case_id") and value == case_id:
            return "CASE"
        if isinstance(value, str):
            return value.replace(order_id, "ORDER")
        return value

    return cast(dict[str, Any], place(body))


@pytest.mark.parametrize("request_body", REQUESTS)
def test_the_raw_way_answers_as_the_orm_way(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, request_body: dict[str, Any]
) -> None:
    taken: list[int] = []
    fast = raw_cases.open_one

    def counting(*args: Any) -> Any:
        written = fast(*args)
        if written is not None:
            taken.append(written.id)
        return written

    answers = []
    for order_id, way in (("TB-RAW", counting), ("TB-ORM", lambda *args: None)):
        assert client.post("/api/v1/orders", json=order_body(order_id)).status_code == 201
        for event in ({"kind": "paid"}, {"kind": "shipped", "courier": "SF", "tracking_no": "SF1"}, {"kind": "signed"}):
            assert client.post(f"/api/v1/orders/{order_id}/events", json=event).status_code == 200
        monkeypatch.setattr(raw_cases, "open_one", way)
        opened = client.post("/api/v1/cases", json={"order_id": order_id, **request_body}, headers=as_buyer())
        assert opened.status_code == 201, opened.text
        body = opened.json()
        answers.append(_normal(body, order_id, body["id"]))
    assert len(taken) == 1, "the first twin was opened the raw way"
    assert {k: v for k, v in answers[0].items() if answers[1].get(k) != v} == {}
    assert answers[0] == answers[1]
