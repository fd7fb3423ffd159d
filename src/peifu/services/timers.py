"""Arming and cancelling stored deadlines. Firing them is `services.deadlines`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, object_session

from peifu.adapters.db.models import Appeal, Case, Deadline, Dispute, Order
from peifu.domain.case_machine import STATE_DEADLINES, CaseFacts, deadline_for
from peifu.domain.policy import Policy
from peifu.domain.vocabulary import CaseState, CaseType, DeadlineKind, DeadlineStatus

STATE_KINDS = tuple(str(kind) for kind in set(STATE_DEADLINES.values()))


def cancel_case_deadlines(session: Session, case_id: int, reason: str) -> None:
    """Cancel what the case was waiting on in its old state (dispute timers are not state timers)."""
    session.execute(
        update(Deadline)
        .where(Deadline.case_id == case_id, Deadline.status == DeadlineStatus.pending, Deadline.kind.in_(STATE_KINDS))
        .values(status=DeadlineStatus.cancelled, outcome=reason[:200])
        .execution_options(synchronize_session=False)
    )


def cancel_order_deadlines(session: Session, order_id: str, kind: DeadlineKind, reason: str) -> None:
    session.execute(
        update(Deadline)
        .where(Deadline.order_id == order_id, Deadline.kind == kind, Deadline.status == DeadlineStatus.pending)
        .values(status=DeadlineStatus.cancelled, outcome=reason[:200])
        .execution_options(synchronize_session=False)
    )


def appeal_pending(session: Session | None, case_id: int) -> bool:
    if session is None:
        return False
    stmt = (
        select(Appeal.id)
        .join(Dispute, Dispute.id == Appeal.dispute_id)
        .where(Dispute.case_id == case_id, Appeal.decided_at.is_(None))
    )
    return session.scalars(stmt).first() is not None


def facts_of(case: Case) -> CaseFacts:
    # Only an escalated case has a dispute, so only it can have an appeal: no query for the others.
    return CaseFacts(
        appeal_pending=case.escalated_at is not None and appeal_pending(object_session(case), case.id),
        state=CaseState(case.state),
        case_type=CaseType(case.case_type),
        opened_at=case.opened_at,
        state_entered_at=case.state_entered_at,
        return_shipped_at=case.return_shipped_at,
        return_signed_at=case.return_signed_at,
        confirm_return_on_sign=bool(case.confirm_return_on_sign),
    )


def rearm_case_deadline(session: Session, case: Case, policy: Policy, now: datetime) -> Deadline | None:
    """Replace whatever the case was waiting on with the deadline of the state it is in now."""
    cancel_case_deadlines(session, case.id, f"case moved to {case.state}")
    due = deadline_for(facts_of(case), policy)
    if due is None:
        return None
    kind, due_at = due
    deadline = Deadline(kind=kind, case_id=case.id, due_at=due_at, status=DeadlineStatus.pending, created_at=now)
    session.add(deadline)
    return deadline


def arm_auto_confirm(session: Session, order: Order, due_at: datetime, now: datetime) -> Deadline:
    cancel_order_deadlines(session, order.id, DeadlineKind.auto_confirm_receipt, "re-armed")
    order.auto_confirm_at = due_at
    deadline = Deadline(
        kind=DeadlineKind.auto_confirm_receipt,
        order_id=order.id,
        due_at=due_at,
        status=DeadlineStatus.pending,
        created_at=now,
    )
    session.add(deadline)
    return deadline
