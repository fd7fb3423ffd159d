"""Who may ask for what, and when: every window at its edges, through the API and on the rules.

Edges are tested to the second: the last allowed moment is allowed, one second later is not.
The money helpers the amounts rely on get property tests.

Here: the rules alone, no database (through the database: tests/api/test_eligibility.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

import pytest
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
from tests.conftest import START

SECOND = timedelta(seconds=1)

DAY = timedelta(days=1)
POLICY = default_policy()


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
