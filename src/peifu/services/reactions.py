"""The engine's reactions to its own events: who reacts to what, in one table.

A service that changes something records what happened (services.events); it never calls the
services that care. They are registered here, and `events.react` runs them in the same unit of
work, in the order listed. A new reaction is one line below.

The runtime (adapters.runtime) builds this table once and hands it to every unit of work.
"""

from __future__ import annotations

from peifu.db.models import Case, Order
from peifu.domain.events import DomainEvent, EventType
from peifu.domain.vocabulary import OrderState
from peifu.services import abuse, attachments, auto_handling, disputes, triage
from peifu.services.context import Ctx, Reactions


def triage_request(ctx: Ctx, event: DomainEvent) -> None:
    """分诊: keep what the buyer's description suggests (reason, type, priority) for the queues."""
    assert event.case_id is not None
    case = ctx.session.get(Case, event.case_id)
    assert case is not None
    order = ctx.session.get(Order, case.order_id)
    triage.apply_to_case(
        case, goods_sent=order is not None and order.state in (OrderState.shipped, OrderState.completed)
    )


def standard() -> Reactions:
    return (
        Reactions()
        # a request arrives (or the buyer changes it): triage its text, apply a standing buyer
        # mark (云标签), then let the shop's auto-handling rules answer it
        .on(EventType.case_opened, triage_request, abuse.on_case_opened, auto_handling.on_request)
        .opened_inline()  # services.raw_cases takes these three inline for a plain request
        .on(EventType.case_modified, triage_request, auto_handling.on_request)
        # 小二介入: an escalation opens the case's dispute; the photos attached before go into it
        .on(EventType.case_escalated, disputes.on_escalated)
        .on(EventType.dispute_evidence_requested, attachments.on_dispute_opened)
    )
