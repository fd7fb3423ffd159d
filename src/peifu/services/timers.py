"""The one owner of timer rows: arming, re-arming and cancelling stored deadlines. Firing them is
`services.deadlines`; claiming due ones is `peifu.db.locking.claim_due`.

Every deadline row is made by `arm`, which also sets when the parties are reminded of it
(`deadline.approaching`, policy `[reminders]`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, select, update
from sqlalchemy.orm import Session, object_session

from peifu.db.engine import unflushed
from peifu.db.models import Appeal, Case, Deadline, Dispute, Order
from peifu.domain.case_machine import STATE_DEADLINES, CaseFacts, deadline_for
from peifu.domain.events import remind_at
from peifu.domain.policy import Policy
from peifu.domain.vocabulary import CaseState, CaseType, DeadlineKind, DeadlineStatus

STATE_KINDS = tuple(str(kind) for kind in set(STATE_DEADLINES.values()))


ORDER_CLOSED = "order closed"  # why an order's auto-confirm timer was cancelled when it closed

DEADLINES = cast(Table, Deadline.__table__)


def _core(session: Session) -> Connection:
    """The session's connection for a Core statement on deadlines, after the session's unflushed
    deadlines are flushed (a pending one must be cancelled too; one the worker is firing must
    not be): as the ORM's bulk UPDATE with its autoflush does, without its per-call cost and
    without flushing the session's other changes, which go with its next flush (the rows it
    changes are not kept in step in the session, as with synchronize_session=False)."""
    if unflushed(session, Deadline):
        session.flush()
    return session.connection()


def cancel_case_deadlines(session: Session, case_id: int | Sequence[int], reason: str) -> None:
    """Cancel what the case(s) were waiting on in the old state (dispute timers are not state timers)."""
    ids = [case_id] if isinstance(case_id, int) else list(case_id)
    table = DEADLINES
    _core(session).execute(
        update(table)
        .where(table.c.case_id.in_(ids), table.c.status == DeadlineStatus.pending, table.c.kind.in_(STATE_KINDS))
        .values(status=DeadlineStatus.cancelled, outcome=reason[:200])
    )


def cancel_order_deadlines(session: Session, order_id: str | Sequence[str], kind: DeadlineKind, reason: str) -> None:
    ids = [order_id] if isinstance(order_id, str) else list(order_id)
    table = DEADLINES
    _core(session).execute(
        update(table)
        .where(table.c.order_id.in_(ids), table.c.kind == kind, table.c.status == DeadlineStatus.pending)
        .values(status=DeadlineStatus.cancelled, outcome=reason[:200])
    )


def cancel_case_kind(session: Session, case_id: int, kind: DeadlineKind, reason: str) -> None:
    """Cancel a case's pending deadline of one kind (a dispute's evidence or appeal window). Rows
    already loaded in the session see the change (the worker may be firing one of them)."""
    stmt = select(Deadline).where(
        Deadline.case_id == case_id, Deadline.kind == kind, Deadline.status == DeadlineStatus.pending
    )
    for deadline in session.scalars(stmt):
        deadline.status = DeadlineStatus.cancelled
        deadline.outcome = reason[:200]


def cancel_service_complaint_deadlines(session: Session, complaint_id: int, reason: str) -> None:
    """Cancel what a service complaint waited on in the state it left (a missed step's expiry, which
    re-checks the shop's sanctions, outlives the complaint's states)."""
    session.execute(
        update(Deadline)
        .where(Deadline.service_complaint_id == complaint_id, Deadline.status == DeadlineStatus.pending)
        .where(Deadline.kind != DeadlineKind.penalty_expiry)
        .values(status=DeadlineStatus.cancelled, outcome=reason[:200])
        .execution_options(synchronize_session=False)
    )


def moved_to(state: str) -> str:
    """Why a case's state timers were cancelled: it moved on."""
    return f"case moved to {state}"


def fired_outcome(case_id: int, action: str, state: str) -> str:
    """What a fired case deadline records, and the worker reports, as its outcome."""
    return f"case {case_id}: {action} → {state}"


def appeal_pending(session: Session | None, case_id: int) -> bool:
    if session is None:
        return False
    stmt = (
        select(Appeal.id)
        .join(Dispute, Dispute.id == Appeal.dispute_id)
        .where(Dispute.case_id == case_id, Appeal.decided_at.is_(None))
    )
    return session.scalars(stmt).first() is not None


def case_facts(case: Case) -> CaseFacts:
    # Only an escalated case has a dispute, so only it can have an appeal: no query for the others.
    return case_facts_given(
        case, appeal_pending=case.escalated_at is not None and appeal_pending(object_session(case), case.id)
    )


def case_facts_given(case: Any, *, appeal_pending: bool) -> CaseFacts:
    """The state machine's facts from a case object or a row with the same columns."""
    return CaseFacts(
        appeal_pending=appeal_pending,
        state=CaseState(case.state),
        case_type=CaseType(case.case_type),
        opened_at=case.opened_at,
        state_entered_at=case.state_entered_at,
        return_shipped_at=case.return_shipped_at,
        return_signed_at=case.return_signed_at,
        confirm_return_on_sign=bool(case.confirm_return_on_sign),
    )


def arm(
    session: Session,
    kind: DeadlineKind,
    due_at: datetime,
    now: datetime,
    policy: Policy,
    *,
    case_id: int | None = None,
    order_id: str | None = None,
    service_complaint_id: int | None = None,
) -> Deadline:
    """A new pending deadline for a case, an order or a service complaint, with its reminder time."""
    subject = {"case_id": case_id, "order_id": order_id, "service_complaint_id": service_complaint_id}
    deadline = Deadline(**new_deadline(kind, due_at, now, policy), **subject)
    session.add(deadline)
    return deadline


def new_deadline(kind: DeadlineKind, due_at: datetime, now: datetime, policy: Policy) -> dict[str, Any]:
    """A new deadline's own columns (its subject aside): pending, with its reminder time — the one
    definition `arm` and the raw paths (services.raw_rows) write."""
    reminders = policy.reminders
    return {
        "kind": kind,
        "due_at": due_at,
        "status": DeadlineStatus.pending,
        "created_at": now,
        "remind_at": remind_at(kind, now, due_at, reminders.before_hours.value) if reminders else None,
    }


def rearm_case_deadline(
    session: Session, case: Case, policy: Policy, now: datetime, *, new: bool = False
) -> Deadline | None:
    """Replace whatever the case was waiting on with the deadline of the state it is in now
    (`new`: a case opened in this unit of work waits on nothing yet: nothing to cancel)."""
    if not new:
        cancel_case_deadlines(session, case.id, moved_to(case.state))
    due = deadline_for(case_facts(case), policy)
    if due is None:
        return None
    kind, due_at = due
    return arm(session, kind, due_at, now, policy, case_id=case.id)


def arm_auto_confirm(session: Session, order: Order, due_at: datetime, now: datetime, policy: Policy) -> Deadline:
    cancel_order_deadlines(session, order.id, DeadlineKind.auto_confirm_receipt, "re-armed")
    order.auto_confirm_at = due_at
    return arm(session, DeadlineKind.auto_confirm_receipt, due_at, now, policy, order_id=order.id)
