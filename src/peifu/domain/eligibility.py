"""May this buyer open (or change to) this after-sale request on this order, now?

The rules, in the order a buyer would meet them:
1. The order must be paid and not closed. While it is paid or shipped the request is an in-trade
   refund; after `completed` it is a post-trade after-sale, allowed for `post_trade_days`.
2. What can be asked depends on where the goods are: before shipment only money back
   (refund_only) for reasons that make sense without goods; exchanges, repairs and reships need
   goods to have been sent.
3. seven_day_no_reason needs receipt, lasts `seven_day_no_reason_days` from it, sends the goods
   back (return or exchange), and never applies to custom-made, perishable or digital lines.
4. The money asked for a line never exceeds what was paid for it, less what earlier refunds
   returned and what other open requests already claim.
All refusals are `Ineligible` (or `Invalid` for malformed requests) and change nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from peifu.domain.errors import Conflict, Ineligible, Invalid
from peifu.domain.money import MAX_FEN, Fen
from peifu.domain.policy import Policy
from peifu.domain.vocabulary import CaseType, OrderState, Reason

GOODS_REASONS = frozenset(
    {
        Reason.quality_problem,
        Reason.not_as_described,
        Reason.counterfeit,
        Reason.missing_items,
        Reason.wrong_item,
        Reason.damaged,
        Reason.seven_day_no_reason,
    }
)
"""Reasons that speak about goods the buyer has in hand: impossible before shipment."""

PRE_SHIPMENT_ONLY_REASONS = frozenset({Reason.out_of_stock, Reason.late_shipment})
"""Reasons about the seller not shipping: they stay valid after a (late) shipment only for money."""

SEVEN_DAY_TYPES = frozenset({CaseType.return_and_refund, CaseType.exchange})
GOODS_SENT_TYPES = frozenset({CaseType.exchange, CaseType.repair, CaseType.reship, CaseType.return_and_refund})


@dataclass(frozen=True)
class LineView:
    line_id: int
    paid_fen: Fen
    refunded_fen: Fen  # already returned by executed refunds
    claimed_fen: Fen  # asked for by other requests still open
    flags: frozenset[str] = field(default_factory=frozenset)
    has_open_case: bool = False

    @property
    def refundable_fen(self) -> Fen:
        return max(0, self.paid_fen - self.refunded_fen - self.claimed_fen)


@dataclass(frozen=True)
class OrderView:
    state: OrderState
    paid_at: datetime | None
    shipped_at: datetime | None
    received_at: datetime | None  # signed by the buyer, or confirmed
    completed_at: datetime | None
    lines: Sequence[LineView]
    ship_deadline: datetime | None = None

    def line(self, line_id: int) -> LineView:
        for line in self.lines:
            if line.line_id == line_id:
                return line
        raise Invalid("line_not_in_order", f"Line {line_id} is not part of this order.", line_id=line_id)


@dataclass(frozen=True)
class RequestTerms:
    case_type: CaseType
    reason: Reason
    amounts: dict[int, Fen]  # line_id → refund asked for that line (0 for goods-only requests)


def phase_of(order: OrderView) -> str:
    return "post_trade" if order.state is OrderState.completed else "in_trade"


def check_order_open_for_requests(order: OrderView, now: datetime, policy: Policy) -> None:
    if order.state is OrderState.awaiting_payment:
        raise Ineligible("order_not_paid", "The order has not been paid; there is nothing to refund yet.")
    if order.state is OrderState.closed:
        raise Ineligible("order_closed", "The order is closed; after-sale requests are no longer possible.")
    if order.state is OrderState.completed:
        assert order.completed_at is not None
        window_end = order.completed_at + policy.post_trade_window
        if now > window_end:
            days = policy.windows.post_trade_days.value
            raise Ineligible(
                "after_sale_window_closed",
                f"After-sale requests are possible for {days} days after the trade completed "
                f"(until {window_end.isoformat()}).",
                window_end=window_end.isoformat(),
            )


def check_type_and_reason(order: OrderView, terms: RequestTerms, now: datetime, policy: Policy) -> None:
    goods_sent = order.state in (OrderState.shipped, OrderState.completed)
    if not goods_sent:
        if terms.case_type is not CaseType.refund_only:
            raise Ineligible(
                "type_needs_shipment",
                f"A '{terms.case_type}' request needs the goods to have been shipped; "
                "before shipment only refund_only is possible.",
            )
        if terms.reason in GOODS_REASONS:
            raise Ineligible(
                "reason_needs_shipment",
                f"The reason '{terms.reason}' is about received goods; the order has not shipped yet.",
            )
    elif terms.reason is Reason.out_of_stock:
        raise Ineligible("reason_not_after_shipment", "The order has shipped, so the goods were not out of stock.")
    elif terms.reason is Reason.late_shipment and terms.case_type.goods_come_back:
        raise Ineligible(
            "reason_not_for_type", "late_shipment is compensated with money; it cannot ask for goods to go back."
        )
    if terms.reason is Reason.seven_day_no_reason:
        check_seven_day(order, terms, now, policy)
    if terms.reason is Reason.late_shipment:
        check_late(order, now)


def check_late(order: OrderView, now: datetime) -> None:
    """late_shipment can be claimed only once the ship deadline has been missed."""
    deadline = order.ship_deadline
    shipped_on_time = order.shipped_at is not None and deadline is not None and order.shipped_at <= deadline
    if deadline is None or shipped_on_time or (order.shipped_at is None and now <= deadline):
        when = deadline.isoformat() if deadline else "unknown"
        raise Ineligible(
            "not_late",
            f"The seller has until {when} to ship; late shipment can be claimed only after that.",
            ship_deadline=when,
        )


def check_seven_day(order: OrderView, terms: RequestTerms, now: datetime, policy: Policy) -> None:
    if terms.case_type not in SEVEN_DAY_TYPES:
        raise Ineligible(
            "seven_day_needs_return",
            "seven_day_no_reason sends the goods back: ask for return_and_refund or exchange.",
        )
    if order.received_at is None:
        raise Ineligible(
            "seven_day_needs_receipt", "The seven-day period starts when the goods are received; they have not been."
        )
    window_end = order.received_at + policy.seven_day_window
    if now > window_end:
        days = policy.windows.seven_day_no_reason_days.value
        raise Ineligible(
            "seven_day_window_closed",
            f"Returns without a reason are possible for {days} days after receipt (until {window_end.isoformat()}).",
            window_end=window_end.isoformat(),
        )
    excluded = frozenset(policy.windows.seven_day_excluded_flags.value)
    for line_id in terms.amounts:
        flags = order.line(line_id).flags & excluded
        if flags:
            raise Ineligible(
                "seven_day_not_applicable",
                f"Line {line_id} is {', '.join(sorted(flags))}: such goods cannot be returned without a reason.",
                line_id=line_id,
            )


def check_amounts(order: OrderView, terms: RequestTerms, *, ignore_own_claim: dict[int, Fen] | None = None) -> None:
    """Money asked per line must be positive for money requests, zero otherwise, and refundable.

    `ignore_own_claim` lets a request that is being modified not count its own earlier claim.
    """
    if not terms.amounts:
        raise Invalid("no_lines", "Name at least one order line.")
    own = ignore_own_claim or {}
    for line_id, amount in terms.amounts.items():
        line = order.line(line_id)
        if amount < 0 or amount > MAX_FEN:
            raise Invalid("amount_out_of_range", f"Amount {amount} fen for line {line_id} is out of range.")
        if not terms.case_type.moves_money:
            if amount != 0:
                raise Invalid(
                    "amount_not_allowed",
                    f"A '{terms.case_type}' request asks for goods, not money; leave the amount out.",
                )
            continue
        refundable = line.refundable_fen + own.get(line_id, 0)
        if refundable <= 0:
            raise Ineligible("line_fully_refunded", f"Line {line_id} has nothing left to refund.", line_id=line_id)
        if amount == 0:
            raise Invalid("amount_required", f"Say how much of line {line_id} to refund (more than 0 fen).")
        if amount > refundable:
            raise Ineligible(
                "amount_exceeds_refundable",
                f"Line {line_id} can be refunded at most {refundable} fen "
                "(what was paid, less earlier refunds and other open requests).",
                line_id=line_id,
                refundable_fen=refundable,
            )


def check_new_request(order: OrderView, terms: RequestTerms, now: datetime, policy: Policy) -> None:
    """The whole eligibility check for opening a request."""
    check_order_open_for_requests(order, now, policy)
    for line_id in terms.amounts:
        if order.line(line_id).has_open_case:
            raise Conflict(
                "case_already_open",
                f"Line {line_id} already has an after-sale request in progress.",
                line_id=line_id,
            )
    check_type_and_reason(order, terms, now, policy)
    check_amounts(order, terms)


def check_changed_terms(
    order: OrderView, terms: RequestTerms, current_claim: dict[int, Fen], now: datetime, policy: Policy
) -> None:
    """A modification or a seller's proposal must itself be a request the buyer could have made.

    The order window is not re-checked: a request opened in time stays open however long the
    parties negotiate.
    """
    check_type_and_reason(order, terms, now, policy)
    check_amounts(order, terms, ignore_own_claim=current_claim)
