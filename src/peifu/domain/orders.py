"""Orders as the marketplace reports them: their states, events and the ship deadline.

The order state machine is one table, like the case machine. Events from the marketplace that
do not fit the table (e.g. `shipped` for an unpaid order) are refused with a 409 and change
nothing, so a confused integration cannot corrupt the after-sale picture. A paid order is never
closed by a bare event — that would keep the buyer's money; it closes when it is fully refunded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from peifu.domain.errors import Conflict
from peifu.domain.policy import Policy
from peifu.domain.vocabulary import OrderEventKind as E
from peifu.domain.vocabulary import OrderState as O

ORDER_TRANSITIONS: dict[tuple[O, E], O] = {
    (O.awaiting_payment, E.paid): O.paid,
    (O.awaiting_payment, E.closed): O.closed,
    (O.paid, E.shipped): O.shipped,
    (O.shipped, E.signed): O.shipped,
    (O.shipped, E.refused_delivery): O.shipped,
    (O.shipped, E.confirmed): O.completed,
}


def closed_by_refunds(phase: str, lines: Iterable[tuple[int, int]]) -> bool:
    """An in-trade refund closes the order once every line (refunded, paid) is refunded in full."""
    return phase == "in_trade" and all(refunded >= paid for refunded, paid in lines)


def next_order_state(state: O, event: E) -> O:
    try:
        return ORDER_TRANSITIONS[(state, event)]
    except KeyError:
        raise Conflict(
            "order_event_not_allowed",
            f"An order that is '{state}' cannot receive the event '{event}'.",
            state=str(state),
            event=str(event),
        ) from None


@dataclass(frozen=True)
class ShipTerms:
    promotion: bool
    presale_ship_by: datetime | None


def ship_deadline(paid_at: datetime, terms: ShipTerms, policy: Policy) -> datetime:
    """When the seller must have shipped: presale listings name their own date; official
    promotions get the longer promotion window; everything else the ordinary one."""
    if terms.presale_ship_by is not None:
        return max(terms.presale_ship_by, paid_at + policy.ship_deadline)
    if terms.promotion:
        return paid_at + policy.promotion_ship_deadline
    return paid_at + policy.ship_deadline


def auto_confirm_at(shipped_at: datetime, policy: Policy) -> datetime:
    return shipped_at + policy.auto_confirm_after_shipment


def auto_confirm_after_case(current_due: datetime, case_ended_at: datetime, policy: Policy) -> datetime:
    """A refund that ends close to the auto-confirm time leaves the buyer a minimum to inspect."""
    return max(current_due, case_ended_at + policy.auto_confirm_min_after_case)
