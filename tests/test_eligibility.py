"""Who may ask for what, and when: every window at its edges, through the API and on the rules.

Edges are tested to the second: the last allowed moment is allowed, one second later is not.
The money helpers the amounts rely on get property tests.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import example, given
from hypothesis import strategies as st

from peifu.domain.eligibility import (
    GOODS_REASONS,
    LineView,
    OrderView,
    RequestTerms,
    check_amounts,
    check_changed_terms,
    check_new_request,
)
from peifu.domain.errors import Conflict, DomainError, Ineligible, Invalid
from peifu.domain.money import MAX_FEN, allocate, percent_of
from peifu.domain.policy import default_policy
from peifu.domain.vocabulary import CaseType, OrderState, Reason
from tests import builders
from tests.conftest import START, as_buyer, as_seller, order_body

API = "/api/v1"
SECOND = timedelta(seconds=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
POLICY = default_policy()


# --- API helpers --------------------------------------------------------------------------------------


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


# --- order state and phase ----------------------------------------------------------------------------


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


# --- seven days without a reason ---------------------------------------------------------------------


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


# --- what can be asked before and after shipment -----------------------------------------------------


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


# --- the refundable amount ----------------------------------------------------------------------------


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


# --- the same rules, directly on the domain functions ------------------------------------------------


def line(line_id: int = 1, paid: int = 10000, refunded: int = 0, claimed: int = 0, **kw: Any) -> LineView:
    return LineView(line_id=line_id, paid_fen=paid, refunded_fen=refunded, claimed_fen=claimed, **kw)


def view(state: OrderState = OrderState.shipped, *lines: LineView, **times: datetime | None) -> OrderView:
    defaults: dict[str, datetime | None] = {
        "paid_at": START,
        "shipped_at": START + DAY if state in (OrderState.shipped, OrderState.completed) else None,
        "received_at": None,
        "completed_at": None,
    }
    defaults.update(times)
    return OrderView(state=state, lines=list(lines) or [line()], **defaults)  # type: ignore[arg-type]


def terms(case_type: CaseType, reason: Reason, amounts: dict[int, int] | None = None) -> RequestTerms:
    if amounts is None:
        amounts = {1: 100 if case_type.moves_money else 0}
    return RequestTerms(case_type=case_type, reason=reason, amounts=amounts)


def code_of(order: OrderView, request_terms: RequestTerms, now: datetime) -> str | None:
    try:
        check_new_request(order, request_terms, now, POLICY)
    except DomainError as exc:
        return exc.code
    return None


def test_domain_post_trade_window_edges() -> None:
    completed = START + 3 * DAY
    order = view(OrderState.completed, completed_at=completed, received_at=completed)
    asking = terms(CaseType.return_and_refund, Reason.quality_problem)
    assert code_of(order, asking, completed) is None
    assert code_of(order, asking, completed + 15 * DAY) is None
    assert code_of(order, asking, completed + 15 * DAY + SECOND) == "after_sale_window_closed"
    with pytest.raises(Ineligible):
        check_new_request(order, asking, completed + 15 * DAY + SECOND, POLICY)


@pytest.mark.parametrize("state", [OrderState.paid, OrderState.shipped])
def test_domain_in_trade_has_no_window(state: OrderState) -> None:
    order = view(state)
    assert code_of(order, terms(CaseType.refund_only, Reason.other), START + 400 * DAY) is None


def test_domain_unpaid_and_closed_orders() -> None:
    asking = terms(CaseType.refund_only, Reason.other)
    assert code_of(view(OrderState.awaiting_payment, paid_at=None), asking, START) == "order_not_paid"
    assert code_of(view(OrderState.closed), asking, START) == "order_closed"


def test_domain_seven_day_edges() -> None:
    received = START + 2 * DAY
    order = view(OrderState.shipped, received_at=received)
    asking = terms(CaseType.return_and_refund, Reason.seven_day_no_reason)
    assert code_of(order, asking, received + 7 * DAY) is None
    assert code_of(order, asking, received + 7 * DAY + SECOND) == "seven_day_window_closed"
    assert code_of(view(OrderState.shipped), asking, START + 2 * DAY) == "seven_day_needs_receipt"
    refund_only = terms(CaseType.refund_only, Reason.seven_day_no_reason)
    assert code_of(order, refund_only, received) == "seven_day_needs_return"


@pytest.mark.parametrize("flag", sorted(POLICY.windows.seven_day_excluded_flags.value))
def test_domain_seven_day_excluded_flags(flag: str) -> None:
    received = START + 2 * DAY
    order = view(OrderState.shipped, line(1), line(2, flags=frozenset({flag})), received_at=received)
    assert code_of(order, terms(CaseType.exchange, Reason.seven_day_no_reason, {1: 0}), received) is None
    assert (
        code_of(order, terms(CaseType.exchange, Reason.seven_day_no_reason, {2: 0}), received)
        == "seven_day_not_applicable"
    )
    assert code_of(order, terms(CaseType.exchange, Reason.quality_problem, {2: 0}), received) is None


def test_domain_excluded_flags_are_the_three_named_by_law() -> None:
    assert set(POLICY.windows.seven_day_excluded_flags.value) == {"custom_made", "perishable", "digital"}


@pytest.mark.parametrize("case_type", sorted(set(CaseType) - {CaseType.refund_only}))
def test_domain_before_shipment_only_refund_only(case_type: CaseType) -> None:
    assert code_of(view(OrderState.paid), terms(case_type, Reason.other), START) == "type_needs_shipment"


@pytest.mark.parametrize("reason", [r for r in Reason if r is not Reason.late_shipment])  # that one needs lateness
def test_domain_before_shipment_reasons(reason: Reason) -> None:
    code = code_of(view(OrderState.paid), terms(CaseType.refund_only, reason), START)
    assert code == ("reason_needs_shipment" if reason in GOODS_REASONS else None)


def test_domain_open_case_on_the_line_is_a_conflict() -> None:
    order = view(OrderState.paid, line(1, has_open_case=True), line(2))
    with pytest.raises(Conflict) as info:
        check_new_request(order, terms(CaseType.refund_only, Reason.other, {1: 100}), START, POLICY)
    assert info.value.code == "case_already_open"
    assert code_of(order, terms(CaseType.refund_only, Reason.other, {2: 100}), START) is None


def test_domain_line_not_in_order() -> None:
    with pytest.raises(Invalid) as info:
        check_new_request(view(OrderState.paid), terms(CaseType.refund_only, Reason.other, {7: 100}), START, POLICY)
    assert info.value.code == "line_not_in_order"


@pytest.mark.parametrize(
    ("paid", "refunded_", "claimed", "asked", "code"),
    [
        (10000, 0, 0, 10000, None),
        (10000, 0, 0, 10001, "amount_exceeds_refundable"),
        (10000, 3000, 0, 7000, None),
        (10000, 3000, 0, 7001, "amount_exceeds_refundable"),
        (10000, 3000, 2000, 5000, None),  # other open requests count too
        (10000, 3000, 2000, 5001, "amount_exceeds_refundable"),
        (10000, 10000, 0, 1, "line_fully_refunded"),
        (10000, 6000, 4000, 1, "line_fully_refunded"),
        (10000, 0, 0, 0, "amount_required"),
        (10000, 0, 0, -1, "amount_out_of_range"),
        (10000, 0, 0, MAX_FEN + 1, "amount_out_of_range"),
    ],
)
def test_domain_refundable_amount(paid: int, refunded_: int, claimed: int, asked: int, code: str | None) -> None:
    order = view(OrderState.paid, line(1, paid=paid, refunded=refunded_, claimed=claimed))
    try:
        check_amounts(order, terms(CaseType.refund_only, Reason.other, {1: asked}))
        got = None
    except DomainError as exc:
        got = exc.code
    assert got == code


def test_domain_changed_terms_do_not_count_their_own_claim() -> None:
    order = view(OrderState.paid, line(1, paid=10000, claimed=4000))
    # The case that claims 4000 may be modified up to the full 10000, not 6000.
    check_changed_terms(order, terms(CaseType.refund_only, Reason.other, {1: 10000}), {1: 4000}, START, POLICY)
    with pytest.raises(Ineligible):
        check_changed_terms(order, terms(CaseType.refund_only, Reason.other, {1: 10001}), {1: 4000}, START, POLICY)


@given(
    paid=st.integers(0, 10**6),
    refunded_=st.integers(0, 10**6),
    claimed=st.integers(0, 10**6),
    asked=st.integers(-10, 2 * 10**6),
)
def test_domain_never_more_than_paid_less_refunds_and_claims(
    paid: int, refunded_: int, claimed: int, asked: int
) -> None:
    order = view(OrderState.paid, line(1, paid=paid, refunded=refunded_, claimed=claimed))
    try:
        check_amounts(order, terms(CaseType.refund_only, Reason.other, {1: asked}))
        ok = True
    except DomainError:
        ok = False
    assert ok == (0 < asked <= paid - refunded_ - claimed)


# --- money helpers ------------------------------------------------------------------------------------


weights_strategy = st.lists(st.integers(0, 10**9), min_size=1, max_size=30)


@st.composite
def allocation(draw: st.DrawFn) -> tuple[int, list[int]]:
    weights = draw(weights_strategy)
    total = draw(st.integers(0, sum(weights)))
    return total, weights


@given(allocation())
@example((1, [1, 1, 1]))
@example((2, [1, 1, 1]))
@example((0, [0, 0]))
@example((10, [0, 10, 0]))
@example((10**9, [10**9, 1]))
def test_allocate_sums_exactly_and_never_exceeds_a_weight(case: tuple[int, list[int]]) -> None:
    total, weights = case
    shares = allocate(total, weights)
    assert len(shares) == len(weights)
    assert sum(shares) == total
    assert all(0 <= share <= weight for share, weight in zip(shares, weights, strict=True))


@given(allocation())
@example((5, [1, 2, 3]))
@example((5, [3, 3, 3, 3]))
def test_allocate_is_proportional_within_one_fen(case: tuple[int, list[int]]) -> None:
    total, weights = case
    capacity = sum(weights)
    shares = allocate(total, weights)
    for share, weight in zip(shares, weights, strict=True):
        exact = Fraction(total * weight, capacity) if capacity else Fraction(0)
        assert abs(share - exact) < 1
        assert share in (exact.__floor__(), exact.__ceil__())


@given(allocation())
def test_allocate_all_or_nothing(case: tuple[int, list[int]]) -> None:
    _, weights = case
    assert allocate(sum(weights), weights) == weights
    assert allocate(0, weights) == [0] * len(weights)


def test_allocate_refuses_impossible_splits() -> None:
    with pytest.raises(ValueError):
        allocate(11, [5, 5])
    with pytest.raises(ValueError):
        allocate(-1, [5])
    with pytest.raises(ValueError):
        allocate(1, [5, -1])
    assert allocate(0, []) == []


def test_allocate_ties_go_to_earlier_lines() -> None:
    assert allocate(1, [1, 1, 1]) == [1, 0, 0]
    assert allocate(2, [1, 1, 1]) == [1, 1, 0]


@given(amount=st.integers(0, MAX_FEN), percent=st.integers(0, 100))
@example(amount=1, percent=50)
@example(amount=3, percent=50)
@example(amount=99, percent=1)
@example(amount=149, percent=1)
@example(amount=150, percent=1)
def test_percent_of_rounds_half_up_to_the_fen(amount: int, percent: int) -> None:
    result = percent_of(amount, percent)
    exact = Fraction(amount * percent, 100)
    assert abs(result - exact) <= Fraction(1, 2)
    if exact - exact.__floor__() == Fraction(1, 2):
        assert result == exact.__ceil__()  # half up: the buyer is never short-changed
    assert 0 <= result <= amount


@given(amount=st.integers(0, MAX_FEN), percent=st.integers(0, 99))
def test_percent_of_is_monotone(amount: int, percent: int) -> None:
    assert percent_of(amount, percent) <= percent_of(amount, percent + 1)
    assert percent_of(amount, 0) == 0
    assert percent_of(amount, 100) == amount


def test_percent_of_known_values() -> None:
    assert percent_of(39900, 30) == 11970
    assert percent_of(1, 50) == 1
    assert percent_of(1, 49) == 0
    with pytest.raises(ValueError):
        percent_of(-1, 30)
    with pytest.raises(ValueError):
        percent_of(100, -1)
