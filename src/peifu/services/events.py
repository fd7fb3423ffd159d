"""Recording domain events with the change they tell of, and reacting to them.

Every service that changes something records what happened here (`record`), in its own unit of
work: the event row is written in the same transaction, so a rollback takes it back with
everything else, and nothing is told that did not happen. The events are also queued on the unit
of work; `react` hands each to the reactions registered for its type (services.reactions), in
the same unit of work. `savepoint` is the way to try something that may be refused: a rolled-back
savepoint takes back its events and the reactions they would have caused.

The payloads (`data`) are snapshots a receiver can act on without calling back: the case as it
stands after the move, the move itself, the dispute, the payout… built here from the rows, and
in domain/events.py from plain values where two write paths must produce the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peifu.db import bulk
from peifu.db.models import (
    Appeal,
    BuyerAbuseMark,
    Case,
    CaseEvent,
    Compensation,
    Complaint,
    Deadline,
    Dispute,
    EventRow,
    Order,
    OutboxMessage,
    Penalty,
    Ruling,
    SanctionRow,
    ServiceComplaint,
)
from peifu.domain import events as catalogue
from peifu.domain.case_machine import deadline_for
from peifu.domain.events import SCHEMA_VERSION, DomainEvent, EventType, Subject, iso
from peifu.domain.policy import Policy
from peifu.domain.vocabulary import CaseState, DeadlineKind, PayoutStatus
from peifu.services.context import Ctx
from peifu.services.timers import case_facts_given

EVENTS = bulk.table_of(EventRow)


def row_of(event: DomainEvent) -> dict[str, Any]:
    return {
        "event_id": event.id,
        "type": str(event.type),
        "schema_version": SCHEMA_VERSION,
        "occurred_at": event.occurred_at,
        "shop_id": event.shop_id,
        "buyer_id": event.buyer_id,
        "subject": str(event.subject),
        "subject_id": event.subject_id,
        "case_id": event.case_id,
        "order_id": event.order_id,
        "ordering_key": event.ordering_key,
        "data": event.data,
    }


def record(ctx: Ctx, *events: DomainEvent) -> None:
    """Write these events in this unit of work and queue them for the reactions."""
    for event in events:
        ctx.session.add(EventRow(**row_of(event)))
    ctx.pending.extend(events)


def record_many(ctx: Ctx, events: Sequence[DomainEvent]) -> None:
    """The same for a set-based write path (services.batch_refunds): one statement."""
    bulk.insert_rows(ctx.session, EVENTS, [row_of(e) for e in events])
    ctx.pending.extend(events)


def react(ctx: Ctx) -> None:
    """Run the reactions to what this unit of work recorded so far (`Ctx.react`)."""
    ctx.react()


@contextmanager
def savepoint(ctx: Ctx) -> Iterator[None]:
    """A savepoint whose rollback also forgets the events recorded inside it (the rows go with the
    savepoint; the queue entries are dropped here), so no reaction follows an undone change."""
    outer, ctx.pending = ctx.pending, []
    nested = ctx.session.begin_nested()
    try:
        yield
    except BaseException:
        nested.rollback()  # also after a failed flush, which leaves it inactive but not yet rolled back
        ctx.pending = outer
        raise
    nested.commit()
    ctx.pending = outer + ctx.pending


# --- snapshots ----------------------------------------------------------------------------------


def case_lines(case: Case) -> list[tuple[int, int]]:
    return [(cl.order_line.line_no, cl.amount_fen) for cl in case.lines]


def case_deadline(case: Any, policy: Policy) -> tuple[DeadlineKind, datetime] | None:
    """The deadline the case waits on in its state (as timers arms it), from its columns."""
    return deadline_for(case_facts_given(case, appeal_pending=False), policy)


def case_move(ctx: Ctx, case: Case, entry: CaseEvent, policy: Policy) -> list[DomainEvent]:
    """Record the events one timeline entry of `case` emits (the case as it stands now)."""
    made = case_move_events(case, case_lines(case), case_deadline(case, policy), entry)
    record(ctx, *made)
    return made


def case_move_events(
    case: Any, lines: Iterable[tuple[int, int]], deadline: tuple[DeadlineKind, datetime] | None, entry: Any
) -> list[DomainEvent]:
    """The events of one timeline entry, from plain values: `case` and `entry` may be rows or
    objects with the columns' names (both write paths build the same events)."""
    snapshot = catalogue.case_snapshot(case, lines, deadline)
    move = {
        "name": entry.action,
        "actor": {"role": entry.actor_role, "id": entry.actor_id},
        "from_state": entry.from_state or None,
        "to_state": entry.to_state,
        "seq": entry.seq,
        "data": entry.data,
    }
    types = catalogue.case_events_for(entry.action, entry.from_state or None, CaseState(entry.to_state))
    return [
        DomainEvent(
            type=t,
            subject=Subject.case,
            subject_id=str(case.id),
            occurred_at=entry.at,
            shop_id=case.shop_id,
            buyer_id=case.buyer_id,
            data={"case": snapshot, "action": move},
            case_id=case.id,
            order_id=case.order_id,
        )
        for t in types
    ]


def dispute_data(dispute: Dispute) -> dict[str, Any]:
    return {
        "id": dispute.id,
        "case_id": dispute.case_id,
        "status": dispute.status,
        "opened_at": iso(dispute.opened_at),
        "opened_by": dispute.opened_by,
        "evidence_deadline": iso(dispute.evidence_deadline),
        "amount_fen": dispute.amount_fen,
        "duties": [{"party": d["party"], "fact_zh": d["fact_zh"], "fact_en": d["fact_en"]} for d in dispute.duties],
        "assigned_agent": dispute.assigned_agent,
        "liable_party": dispute.liable_party,
        "appeal_deadline": iso(dispute.appeal_deadline),
        "closed_at": iso(dispute.closed_at),
    }


def ruling_data(ruling: Ruling) -> dict[str, Any]:
    return {
        "id": ruling.id,
        "outcome": ruling.outcome,
        "case_type": ruling.case_type,
        "refund_amount_fen": ruling.refund_amount_fen,
        "liable_party": ruling.liable_party,
        "compensations": list(ruling.compensations or []),
        "reasoning": ruling.reasoning,
        "automatic": bool(ruling.automatic),
        "on_appeal": bool(ruling.on_appeal),
        "supersedes": ruling.supersedes,
        "created_at": iso(ruling.created_at),
    }


def dispute_event(ctx: Ctx, event_type: EventType, dispute: Dispute, **extra: Any) -> DomainEvent:
    event = DomainEvent(
        type=event_type,
        subject=Subject.dispute,
        subject_id=str(dispute.id),
        occurred_at=ctx.now(),
        shop_id=dispute.shop_id,
        buyer_id=dispute.buyer_id,
        data={"dispute": dispute_data(dispute), **extra},
        case_id=dispute.case_id,
    )
    record(ctx, event)
    return event


def appeal_data(appeal: Appeal) -> dict[str, Any]:
    return {
        "id": appeal.id,
        "ruling_id": appeal.ruling_id,
        "party": appeal.party,
        "reason": appeal.reason,
        "created_at": iso(appeal.created_at),
        "reviewer": appeal.reviewer,
        "decision": appeal.decision,
        "decided_at": iso(appeal.decided_at),
    }


def compensation_paid(ctx: Ctx, case: Case, compensation: Compensation) -> None:
    record(
        ctx,
        DomainEvent(
            type=EventType.compensation_paid,
            subject=Subject.compensation,
            subject_id=str(compensation.id),
            occurred_at=ctx.now(),
            shop_id=case.shop_id,
            buyer_id=case.buyer_id,
            data={
                "compensation": {
                    "id": compensation.id,
                    "case_id": case.id,
                    "rule": compensation.rule,
                    "amount_fen": compensation.amount_fen,
                    "payout_method": compensation.payout_method,
                    "payer": compensation.payer,
                    "basis": compensation.basis,
                    "policy_version": compensation.policy_version,
                }
            },
            case_id=case.id,
            order_id=case.order_id,
        ),
    )


def complaint_data(complaint: Complaint) -> dict[str, Any]:
    return {
        "id": complaint.id,
        "order_id": complaint.order_id,
        "case_id": complaint.case_id,
        "complaint_type": complaint.complaint_type,
        "violation": complaint.violation,
        "status": complaint.status,
        "filed_at": iso(complaint.filed_at),
        "decided_at": iso(complaint.decided_at),
        "reasoning": complaint.reasoning,
        "appeal_deadline": iso(complaint.appeal_deadline),
        "appealed_at": iso(complaint.appealed_at),
        "appeal_decision": complaint.appeal_decision,
    }


def complaint_event(ctx: Ctx, event_type: EventType, complaint: Complaint) -> None:
    record(
        ctx,
        DomainEvent(
            type=event_type,
            subject=Subject.complaint,
            subject_id=str(complaint.id),
            occurred_at=ctx.now(),
            shop_id=complaint.shop_id,
            buyer_id=complaint.buyer_id,
            data={"complaint": complaint_data(complaint)},
            order_id=complaint.order_id,
        ),
    )


def penalty_event(ctx: Ctx, event_type: EventType, penalty: Penalty, points_in_period: int | None = None) -> None:
    record(
        ctx,
        DomainEvent(
            type=event_type,
            subject=Subject.penalty,
            subject_id=str(penalty.id),
            occurred_at=ctx.now(),
            shop_id=penalty.shop_id,
            buyer_id=None,
            data={
                "penalty": {
                    "id": penalty.id,
                    "complaint_id": penalty.complaint_id,
                    "violation": penalty.violation,
                    "points": penalty.points,
                    "policy_version": penalty.policy_version,
                    "created_at": iso(penalty.created_at),
                    "revoked_at": iso(penalty.revoked_at),
                },
                "shop_points": points_in_period,
            },
        ),
    )


def sanction_event(ctx: Ctx, event_type: EventType, sanction: SanctionRow) -> None:
    record(
        ctx,
        DomainEvent(
            type=event_type,
            subject=Subject.sanction,
            subject_id=str(sanction.id),
            occurred_at=ctx.now(),
            shop_id=sanction.shop_id,
            buyer_id=None,
            data={
                "sanction": {
                    "id": sanction.id,
                    "sanction": sanction.sanction,
                    "threshold": sanction.threshold,
                    "points_at_trigger": sanction.points_at_trigger,
                    "complaint_ids": list(sanction.complaint_ids or []),
                    "basis": sanction.basis or "points",
                    "triggered_at": iso(sanction.triggered_at),
                    "revoked_at": iso(sanction.revoked_at),
                }
            },
        ),
    )


def payout_event(ctx: Ctx, event_type: EventType, message: OutboxMessage, shop_id: str | None) -> None:
    record(ctx, payout_event_of(event_type, message, shop_id, ctx.now()))


def payout_event_of(event_type: EventType, message: Any, shop_id: str | None, now: datetime) -> DomainEvent:
    """A payout's event from plain values: `message` is the row or an object with its columns'
    names (the ORM and the raw mark-sent of services.payouts build the same event)."""
    return DomainEvent(
        type=event_type,
        subject=Subject.payout,
        subject_id=str(message.id),
        occurred_at=now,
        shop_id=shop_id,
        buyer_id=message.buyer_id,
        data={
            "payout": {
                "id": message.id,
                "case_id": message.case_id,
                "buyer_id": message.buyer_id,
                "amount_fen": message.amount_fen,
                "method": message.method,
                "status": message.status,
                "attempts": message.attempts,
                "idempotency_key": message.idempotency_key,
                "gateway_ref": message.gateway_ref,
                "next_attempt_at": iso(message.next_attempt_at) if message.status == PayoutStatus.pending else None,
                "error": message.last_error if message.status == PayoutStatus.pending else None,
            }
        },
        case_id=message.case_id,
    )


def order_data(order: Any) -> dict[str, Any]:
    return {
        "id": order.id,
        "shop_id": order.shop_id,
        "buyer_id": order.buyer_id,
        "state": order.state,
        "paid_at": iso(order.paid_at),
        "shipped_at": iso(order.shipped_at),
        "completed_at": iso(order.completed_at),
        "closed_at": iso(order.closed_at),
    }


def order_event(ctx: Ctx, event_type: EventType, order: Order, data: dict[str, Any]) -> None:
    record(ctx, order_domain_event(event_type, order, data, ctx.now()))


def order_domain_event(event_type: EventType, order: Any, data: dict[str, Any], now: datetime) -> DomainEvent:
    """An order's event from a row or an object with its columns (both refund paths build it)."""
    case_id = data.get("case_id")
    return DomainEvent(
        type=event_type,
        subject=Subject.order,
        subject_id=order.id,
        occurred_at=now,
        shop_id=order.shop_id,
        buyer_id=order.buyer_id,
        data={"order": order_data(order), "because": data},
        case_id=case_id if isinstance(case_id, int) else None,
        order_id=order.id,
    )


def mark_event(ctx: Ctx, event_type: EventType, mark: BuyerAbuseMark, case_ids: list[int]) -> None:
    record(
        ctx,
        DomainEvent(
            type=event_type,
            subject=Subject.buyer_mark,
            subject_id=str(mark.id),
            occurred_at=ctx.now(),
            shop_id=mark.shop_id,
            buyer_id=mark.buyer_id,
            data={
                "mark": {
                    "id": mark.id,
                    "buyer_id": mark.buyer_id,
                    "shop_id": mark.shop_id,
                    "scope": mark.scope,
                    "reason": mark.reason,
                    "marked_by": mark.marked_by,
                    "marked_at": iso(mark.marked_at),
                    "lifted_at": iso(mark.lifted_at),
                },
                "case_ids": case_ids,
            },
        ),
    )


def service_complaint_data(complaint: ServiceComplaint) -> dict[str, Any]:
    """A service complaint as a receiver sees it, with the deadline it waits on now."""
    return {
        "id": complaint.id,
        "shop_id": complaint.shop_id,
        "buyer_id": complaint.buyer_id,
        "order_id": complaint.order_id,
        "case_id": complaint.case_id,
        "channel": complaint.channel,
        "entered_by": complaint.entered_by,
        "category": complaint.category,
        "suggested_category": complaint.suggested_category,
        "state": complaint.state,
        "filed_at": iso(complaint.filed_at),
        "registered_at": iso(complaint.registered_at),
        "forwarded_at": iso(complaint.forwarded_at),
        "contacted_at": iso(complaint.contacted_at),
        "remedy": complaint.remedy,
        "promised_by": iso(complaint.promised_by),
        "done_at": iso(complaint.done_at),
        "escalated_at": iso(complaint.escalated_at),
        "closed_at": iso(complaint.closed_at),
        "rating": complaint.rating,
        "policy_version": complaint.policy_version,
    }


def service_complaint_event(
    ctx: Ctx, event_type: EventType, complaint: ServiceComplaint, deadline: dict[str, Any] | None, **extra: Any
) -> None:
    record(
        ctx,
        DomainEvent(
            type=event_type,
            subject=Subject.service_complaint,
            subject_id=str(complaint.id),
            occurred_at=ctx.now(),
            shop_id=complaint.shop_id,
            buyer_id=complaint.buyer_id,
            data={"service_complaint": {**service_complaint_data(complaint), "deadline": deadline}, **extra},
            order_id=complaint.order_id,
        ),
    )


def reminder_event(
    deadline: Deadline,
    case: Case | None,
    order: Order | None,
    policy: Policy | None,
    complaint: ServiceComplaint | None = None,
) -> DomainEvent:
    """deadline.approaching for a pending deadline, with the case (or order) it will act on."""
    kind = DeadlineKind(deadline.kind)
    zh, en = catalogue.WHAT_HAPPENS[kind]
    data: dict[str, Any] = {
        "deadline": {
            "id": deadline.id,
            "kind": str(kind),
            "due_at": iso(deadline.due_at),
            "who_can_act": [str(r) for r in catalogue.WHO_ACTS[kind]],
            "then_zh": zh,
            "then_en": en,
        }
    }
    shop_id: str | None = None
    buyer_id: str | None = None
    order_id: str | None = None
    if case is not None:
        lines = case_lines(case)
        state_deadline = case_deadline(case, policy) if policy is not None else None
        data["case"] = catalogue.case_snapshot(case, lines, state_deadline)
        shop_id, buyer_id, order_id = case.shop_id, case.buyer_id, case.order_id
    elif order is not None:
        data["order"] = order_data(order)
        shop_id, buyer_id, order_id = order.shop_id, order.buyer_id, order.id
    elif complaint is not None:
        data["service_complaint"] = service_complaint_data(complaint)
        shop_id, buyer_id, order_id = complaint.shop_id, complaint.buyer_id, complaint.order_id
    return DomainEvent(
        type=EventType.deadline_approaching,
        subject=Subject.deadline,
        subject_id=str(deadline.id),
        occurred_at=deadline.reminded_at or deadline.due_at,
        shop_id=shop_id,
        buyer_id=buyer_id,
        data=data,
        case_id=case.id if case is not None else None,
        order_id=order_id,
    )


def pending_count(session: Session) -> int:
    """Events written but not yet given a place in the feed."""
    return int(session.scalar(select(func.count(EventRow.id)).where(EventRow.position.is_(None))) or 0)
