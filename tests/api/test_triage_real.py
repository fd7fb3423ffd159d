"""Triage that reads real buyers (issue 20): the labelled random samples of real reviews (row numbers
and labels only, joined with ../shared/data at run time), the sub-reasons and their reasons of
record through a whole request, the issue's typical misses, and texts with no after-sale reason.

Here: through the HTTP API on a real database (the rules alone: tests/domain/test_triage_real.py)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from peifu.domain.triage import SUB_REASON_OF, SubReason
from peifu.triage.text import language_of
from tests.conftest import as_buyer
from tests.dispute_flow import AGENT, API, get_case, new_order, ok, refuse_and_escalate, rule
from tests.domain.test_triage_real import SUB_TEXTS

pytestmark = pytest.mark.slow  # not in `make test-fast`; always in `make test`


def test_a_case_whose_description_has_no_reason_is_flagged_for_a_person(client: TestClient) -> None:
    new_order(client, "T1", stage="signed")
    body = {"order_id": "T1", "lines": [{"line_no": 1}], "case_type": "refund_only", "reason": "other"}
    case = ok(client.post(f"{API}/cases", json={**body, "description": "一般般吧，不推荐"}, headers=as_buyer()), 201)
    assert case["triage"]["for_person"] is True
    assert "no_after_sale_reason" in case["triage"]["signals"] or "unsure_reason" in case["triage"]["signals"]


def test_a_phrase_conversion_that_changes_the_length_does_not_break_the_language(client: TestClient) -> None:
    """zhconv turns 主機板 into 主板 (three characters into two): the language is read per character."""
    assert language_of("主機板壞了，開不了機") == "zh-Hant"
    resp = client.post("/api/v1/triage", json={"text": "主機板壞了，開不了機"}, headers=as_buyer())
    assert resp.status_code == 200, resp.text
    assert resp.json()["language"] == "zh-Hant"


@pytest.mark.parametrize("sub", list(SubReason), ids=str)
def test_a_sub_reason_is_named_and_its_request_opens_escalates_and_is_ruled(client: TestClient, sub: SubReason) -> None:
    text, case_type = SUB_TEXTS[sub]
    suggestion = ok(client.post(f"{API}/triage", json={"text": text}, headers=as_buyer()))
    assert (suggestion["reason"], suggestion["sub_reason"]) == (str(SUB_REASON_OF[sub]), str(sub))
    assert suggestion["case_type"] == case_type
    assert not suggestion["for_person"]

    new_order(client, "T1", stage="signed")
    line: dict[str, Any] = {"line_no": 1}
    if case_type == "partial_refund":
        line["refund_amount_fen"] = 10000
    body = {
        "order_id": "T1",
        "lines": [line],
        "case_type": case_type,
        "reason": suggestion["reason"],
        "description": text,
    }
    case = ok(client.post(f"{API}/cases", json=body, headers=as_buyer()), 201)
    assert case["triage"]["reason"] == suggestion["reason"] and case["triage"]["matches_stated_reason"]
    assert case["triage"]["for_person"] is False
    dispute_id = refuse_and_escalate(client, case["id"])
    ruled_type = case_type if case_type in ("refund_only", "partial_refund") else "refund_only"
    rule(client, dispute_id, AGENT, outcome="support_buyer", case_type=ruled_type, liable_party="seller")
    assert get_case(client, case["id"])["state"] == "refunded"
