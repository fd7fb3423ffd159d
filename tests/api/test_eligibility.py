"""Who may ask for what, and when: every window at its edges, through the API and on the rules.

Edges are tested to the second: the last allowed moment is allowed, one second later is not.
The money helpers the amounts rely on get property tests.

Here: through the HTTP API on a real database (the rules alone: tests/domain/test_eligibility.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests import builders
from tests.conftest import START, as_buyer, as_seller, order_body
from tests.domain.test_eligibility import DAY, SECOND

API = "/api/v1"

HOUR = timedelta(hours=1)


def event(client: TestClient, kind: str, order_id: str = "T1", **extra: Any) -> dict[str, Any]:
    answer = client.post(f"{API}/orders/{order_id}/events", json={"kind": kind, **extra})
    assert answer.status_code == 200, answer.text
    return answer.json()


def request(
    client: TestClient,
    case_type: str,
    reason: str,
    *,
    order_id: str = "T1",
    lines: list[dict[str, Any]] | None = None,
) -> Any:
    body = {"order_id": order_id, "lines": lines or [{"line_no": 1}], "case_type": case_type, "reason": reason}
    return client.post(f"{API}/cases", json=body, headers=as_buyer())


def allowed(answer: Any) -> dict[str, Any]:
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


def refunded(client: TestClient, order_id: str = "T1") -> list[int]:
    return [line["refunded_fen"] for line in client.get(f"{API}/orders/{order_id}").json()["lines"]]


def test_no_request_before_payment(client: TestClient) -> None:
    builders.order(client, upto="awaiting_payment")
    builders.refused(request(client, "refund_only", "ordered_by_mistake"), "order_not_paid")


@pytest.mark.parametrize("upto", ["paid", "shipped", "signed"])
def test_requests_while_paid_or_shipped_are_in_trade(client: TestClient, upto: str) -> None:
    builders.order(client, upto=upto)
    case = allowed(request(client, "refund_only", "not_received" if upto != "paid" else "ordered_by_mistake"))
    assert case["phase"] == "in_trade"


def test_no_request_on_a_closed_order(client: TestClient) -> None:
    builders.order(client, upto="awaiting_payment")
    event(client, "closed")
    builders.refused(request(client, "refund_only", "ordered_by_mistake"), "order_closed")


def test_fully_refunded_order_is_closed_for_requests(client: TestClient) -> None:
    builders.order(client)
    case = allowed(request(client, "refund_only", "ordered_by_mistake", lines=[{"line_no": 1}, {"line_no": 2}]))
    assert client.post(f"{API}/cases/{case['id']}/agree", headers=as_seller()).json()["state"] == "refunded"
    assert client.get(f"{API}/orders/T1").json()["state"] == "closed"
    builders.refused(request(client, "refund_only", "ordered_by_mistake"), "order_closed")


def test_post_trade_window_allows_the_last_second(client: TestClient, clock: Any) -> None:
    builders.order(client, "A", upto="completed")
    builders.order(client, "B", upto="completed")
    clock.advance(15 * DAY)
    case = allowed(request(client, "return_and_refund", "quality_problem", order_id="A"))
    assert case["phase"] == "post_trade"
    clock.advance(SECOND)
    error = builders.refused(
        request(client, "return_and_refund", "quality_problem", order_id="B"), "after_sale_window_closed"
    )
    assert datetime.fromisoformat(error["details"]["window_end"]) == START + 15 * DAY


def test_post_trade_window_counts_from_the_reported_confirmation(client: TestClient, clock: Any) -> None:
    builders.order(client, upto="signed")
    clock.advance(2 * DAY)
    event(client, "confirmed", at=(START + DAY).isoformat())
    clock.advance(14 * DAY)  # START + 16 d = confirmed + 15 d
    allowed(request(client, "refund_only", "quality_problem"))
    clock.advance(SECOND)
    builders.refused(
        request(client, "refund_only", "quality_problem", lines=[{"line_no": 2}]), "after_sale_window_closed"
    )


def test_seven_day_allows_the_last_second_after_receipt(client: TestClient, clock: Any) -> None:
    builders.order(client, "A", upto="signed")
    builders.order(client, "B", upto="signed")
    clock.advance(7 * DAY)
    allowed(request(client, "return_and_refund", "seven_day_no_reason", order_id="A"))
    clock.advance(SECOND)
    error = builders.refused(
        request(client, "return_and_refund", "seven_day_no_reason", order_id="B"), "seven_day_window_closed"
    )
    assert datetime.fromisoformat(error["details"]["window_end"]) == START + 7 * DAY


def test_seven_day_counts_from_the_signature_not_the_shipment(client: TestClient, clock: Any) -> None:
    builders.order(client, upto="shipped")
    clock.advance(3 * DAY)
    event(client, "signed")
    clock.advance(7 * DAY)  # shipped + 10 d, signed + 7 d
    allowed(request(client, "exchange", "seven_day_no_reason"))
    clock.advance(SECOND)
    builders.refused(
        request(client, "exchange", "seven_day_no_reason", lines=[{"line_no": 2}]), "seven_day_window_closed"
    )


def test_seven_day_counts_from_confirmation_when_never_signed(client: TestClient, clock: Any) -> None:
    builders.order(client, upto="shipped")
    clock.advance(2 * DAY)
    event(client, "confirmed")
    clock.advance(7 * DAY)
    allowed(request(client, "return_and_refund", "seven_day_no_reason"))
    clock.advance(SECOND)
    builders.refused(
        request(client, "return_and_refund", "seven_day_no_reason", lines=[{"line_no": 2}]), "seven_day_window_closed"
    )


def test_seven_day_needs_receipt(client: TestClient) -> None:
    builders.order(client, upto="shipped")
    builders.refused(request(client, "return_and_refund", "seven_day_no_reason"), "seven_day_needs_receipt")


@pytest.mark.parametrize("case_type", ["refund_only", "partial_refund", "repair", "reship"])
def test_seven_day_sends_the_goods_back(client: TestClient, case_type: str) -> None:
    builders.order(client, upto="signed")
    builders.refused(request(client, case_type, "seven_day_no_reason"), "seven_day_needs_return")


@pytest.mark.parametrize("case_type", ["return_and_refund", "exchange"])
def test_seven_day_allows_return_and_exchange(client: TestClient, case_type: str) -> None:
    builders.order(client, upto="signed")
    allowed(request(client, case_type, "seven_day_no_reason"))


@pytest.mark.parametrize("flag", ["custom_made", "perishable", "digital"])
@pytest.mark.parametrize("case_type", ["return_and_refund", "exchange"])
def test_seven_day_never_for_custom_perishable_or_digital(client: TestClient, flag: str, case_type: str) -> None:
    lines = order_body()["lines"]
    lines[1][flag] = True
    builders.order(client, upto="signed", lines=lines)
    allowed(request(client, case_type, "seven_day_no_reason", lines=[{"line_no": 1}]))
    error = builders.refused(
        request(client, case_type, "seven_day_no_reason", lines=[{"line_no": 2}]), "seven_day_not_applicable"
    )
    assert error["details"]["line_id"] == 2
    # The same goods can still go back for a cause.
    allowed(request(client, case_type, "quality_problem", lines=[{"line_no": 2}]))


def test_seven_day_refuses_a_request_mixing_an_excluded_line(client: TestClient) -> None:
    lines = order_body()["lines"]
    lines[1]["perishable"] = True
    builders.order(client, upto="signed", lines=lines)
    builders.refused(
        request(client, "return_and_refund", "seven_day_no_reason", lines=[{"line_no": 1}, {"line_no": 2}]),
        "seven_day_not_applicable",
    )
    allowed(request(client, "return_and_refund", "seven_day_no_reason", lines=[{"line_no": 1}]))


def test_food_alone_does_not_exclude_seven_day(client: TestClient) -> None:
    lines = order_body()["lines"]
    lines[0]["food"] = True
    builders.order(client, upto="signed", lines=lines)
    allowed(request(client, "return_and_refund", "seven_day_no_reason"))


@pytest.mark.parametrize("case_type", ["return_and_refund", "exchange", "repair", "reship", "partial_refund"])
def test_before_shipment_only_refund_only(client: TestClient, case_type: str) -> None:
    builders.order(client)
    builders.refused(request(client, case_type, "ordered_by_mistake"), "type_needs_shipment")


@pytest.mark.parametrize(
    "reason",
    ["quality_problem", "not_as_described", "counterfeit", "missing_items", "wrong_item", "damaged"],
)
def test_before_shipment_no_goods_reasons(client: TestClient, reason: str) -> None:
    builders.order(client)
    builders.refused(request(client, "refund_only", reason), "reason_needs_shipment")


@pytest.mark.parametrize(
    "reason", ["out_of_stock", "late_shipment", "ordered_by_mistake", "no_longer_wanted", "invoice_problem", "other"]
)
def test_before_shipment_refund_only_for_reasons_without_goods(client: TestClient, clock: Any, reason: str) -> None:
    builders.order(client)
    clock.advance(72 * HOUR + SECOND)  # so that late_shipment is true
    allowed(request(client, "refund_only", reason))


def test_seven_day_before_shipment_is_refused(client: TestClient) -> None:
    builders.order(client)
    builders.refused(request(client, "refund_only", "seven_day_no_reason"), "reason_needs_shipment")
    builders.refused(request(client, "return_and_refund", "seven_day_no_reason"), "type_needs_shipment")


def test_after_shipment_not_out_of_stock(client: TestClient) -> None:
    builders.order(client, upto="shipped")
    builders.refused(request(client, "refund_only", "out_of_stock"), "reason_not_after_shipment")


def test_late_shipment_asks_for_money_not_a_return(client: TestClient, clock: Any) -> None:
    builders.order(client)
    clock.advance(80 * HOUR)
    event(client, "shipped", courier="SF", tracking_no="SF1")
    builders.refused(request(client, "return_and_refund", "late_shipment"), "reason_not_for_type")
    allowed(request(client, "partial_refund", "late_shipment"))


def _refund(client: TestClient, line_no: int, amount: int, case_type: str = "refund_only") -> None:
    case = allowed(
        request(client, case_type, "ordered_by_mistake", lines=[{"line_no": line_no, "refund_amount_fen": amount}])
    )
    done = client.post(f"{API}/cases/{case['id']}/agree", headers=as_seller()).json()
    assert done["state"] == "refunded", done


def test_amount_up_to_what_was_paid(client: TestClient) -> None:
    builders.order(client)
    error = builders.refused(
        request(client, "refund_only", "ordered_by_mistake", lines=[{"line_no": 1, "refund_amount_fen": 39901}]),
        "amount_exceeds_refundable",
    )
    assert error["details"]["refundable_fen"] == 39900
    allowed(request(client, "refund_only", "ordered_by_mistake", lines=[{"line_no": 1, "refund_amount_fen": 39900}]))


def test_amount_defaults_to_everything_refundable(client: TestClient) -> None:
    builders.order(client)
    case = allowed(request(client, "refund_only", "ordered_by_mistake", lines=[{"line_no": 1}, {"line_no": 2}]))
    assert case["refund_amount_fen"] == 39900 + 6000
    assert [line["refund_amount_fen"] for line in case["lines"]] == [39900, 6000]


def test_discounted_line_refunds_what_was_paid(client: TestClient) -> None:
    lines = order_body()["lines"]
    lines[0]["discount_fen"] = 5000
    builders.order(client, lines=lines)
    builders.refused(
        request(client, "refund_only", "ordered_by_mistake", lines=[{"line_no": 1, "refund_amount_fen": 34901}]),
        "amount_exceeds_refundable",
    )
    case = allowed(request(client, "refund_only", "ordered_by_mistake"))
    assert case["refund_amount_fen"] == 34900


def test_earlier_refunds_count(client: TestClient) -> None:
    builders.order(client)
    _refund(client, 1, 10000)
    error = builders.refused(
        request(client, "refund_only", "ordered_by_mistake", lines=[{"line_no": 1, "refund_amount_fen": 29901}]),
        "amount_exceeds_refundable",
    )
    assert error["details"]["refundable_fen"] == 29900
    _refund(client, 1, 29900)
    assert refunded(client) == [39900, 0]
    builders.refused(request(client, "refund_only", "ordered_by_mistake"), "line_fully_refunded")
    builders.refused(
        request(client, "refund_only", "ordered_by_mistake", lines=[{"line_no": 1, "refund_amount_fen": 1}]),
        "line_fully_refunded",
    )
    # The other line is untouched.
    assert (
        allowed(request(client, "refund_only", "ordered_by_mistake", lines=[{"line_no": 2}]))["refund_amount_fen"]
        == 6000
    )


def test_post_trade_refund_counts_in_trade_refunds(client: TestClient) -> None:
    builders.order(client, upto="shipped")
    _refund(client, 1, 15000, "partial_refund")
    event(client, "signed")
    event(client, "confirmed")
    builders.refused(
        request(client, "return_and_refund", "quality_problem", lines=[{"line_no": 1, "refund_amount_fen": 24901}]),
        "amount_exceeds_refundable",
    )
    case = allowed(request(client, "return_and_refund", "quality_problem"))
    assert case["refund_amount_fen"] == 24900


def test_zero_amount_for_a_money_request_is_refused(client: TestClient) -> None:
    builders.order(client)
    builders.refused(
        request(client, "refund_only", "ordered_by_mistake", lines=[{"line_no": 1, "refund_amount_fen": 0}]),
        "amount_required",
    )


def test_goods_requests_ask_for_no_money(client: TestClient) -> None:
    builders.order(client, upto="shipped")
    builders.refused(
        request(client, "exchange", "wrong_item", lines=[{"line_no": 1, "refund_amount_fen": 100}]),
        "amount_not_allowed",
    )
    assert allowed(request(client, "exchange", "wrong_item"))["refund_amount_fen"] == 0


def test_a_second_open_request_on_the_same_line_is_refused(client: TestClient) -> None:
    builders.order(client)
    first = allowed(
        request(client, "refund_only", "ordered_by_mistake", lines=[{"line_no": 1, "refund_amount_fen": 100}])
    )
    error = builders.refused(
        request(client, "refund_only", "ordered_by_mistake", lines=[{"line_no": 1, "refund_amount_fen": 100}]),
        "case_already_open",
        409,
    )
    assert error["details"]["line_id"] == 1
    builders.refused(
        request(client, "refund_only", "ordered_by_mistake", lines=[{"line_no": 2}, {"line_no": 1}]),
        "case_already_open",
        409,
    )
    allowed(request(client, "refund_only", "ordered_by_mistake", lines=[{"line_no": 2}]))
    # Once the first one ends, the line is free again and its claim no longer counts.
    assert client.post(f"{API}/cases/{first['id']}/withdraw", headers=as_buyer()).status_code == 200
    assert allowed(request(client, "refund_only", "ordered_by_mistake"))["refund_amount_fen"] == 39900


def test_modify_cannot_ask_for_more_than_refundable(client: TestClient) -> None:
    builders.order(client)
    _refund(client, 1, 30000)
    case = allowed(
        request(client, "refund_only", "ordered_by_mistake", lines=[{"line_no": 1, "refund_amount_fen": 100}])
    )
    answer = client.post(f"{API}/cases/{case['id']}/modify", json={"refund_amount_fen": 9901}, headers=as_buyer())
    builders.refused(answer, "amount_exceeds_refundable")
    ok = client.post(f"{API}/cases/{case['id']}/modify", json={"refund_amount_fen": 9900}, headers=as_buyer())
    assert ok.status_code == 200, ok.text
    assert ok.json()["refund_amount_fen"] == 9900


def test_proposal_cannot_offer_more_than_refundable(client: TestClient) -> None:
    builders.order(client)
    case = allowed(
        request(client, "refund_only", "ordered_by_mistake", lines=[{"line_no": 1, "refund_amount_fen": 100}])
    )
    answer = client.post(f"{API}/cases/{case['id']}/propose", json={"refund_amount_fen": 39901}, headers=as_seller())
    builders.refused(answer, "amount_exceeds_refundable")


def test_refusals_change_nothing(client: TestClient) -> None:
    builders.order(client)
    before = client.get(f"{API}/orders/T1").json()
    builders.refused(request(client, "return_and_refund", "ordered_by_mistake"), "type_needs_shipment")
    builders.refused(
        request(client, "refund_only", "ordered_by_mistake", lines=[{"line_no": 1, "refund_amount_fen": 10**9}]),
        "amount_exceeds_refundable",
    )
    assert client.get(f"{API}/orders/T1").json() == before
    assert client.get(f"{API}/cases", headers=as_buyer()).json() == []
