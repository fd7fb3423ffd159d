"""Firing due deadlines: the worker's whole job.

Claim (a short transaction that leases due rows) and fire are separate so that a worker killed at
any moment loses nothing: an unfired claim's lease expires and another worker takes it; a fired
deadline was marked `fired` in the same transaction as its effect, so it can never fire twice.

A claim's seller-silence deadlines on simple refund_only requests — the bulk of any backlog — fire
together in one transaction (services.batch_refunds); every other deadline, and any the batch
hands back, commits on its own through `cases.act`. Either way locks are taken in the global order
(orders, then cases, then deadlines, each by id), so workers whose claims share orders, and API
requests, wait for each other instead of deadlocking.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from peifu.db import bulk, raw
from peifu.db.engine import database_away
from peifu.db.locking import claim_due_deadlines, lock_case, lock_deadline, lock_order
from peifu.db.models import Case, Deadline, Order, ServiceComplaint
from peifu.domain.actors import SYSTEM
from peifu.domain.case_machine import DEADLINE_ACTIONS
from peifu.domain.errors import DomainError
from peifu.domain.service_complaints import SERVICE_DEADLINE_KINDS
from peifu.domain.vocabulary import CaseAction, DeadlineKind, DeadlineStatus, OrderEventKind, OrderState
from peifu.services import batch_refunds, complaints, disputes, events, service_complaints
from peifu.services import cases as case_service
from peifu.services import orders as order_service
from peifu.services.context import Ctx, Units
from peifu.services.timers import fired_outcome

log = logging.getLogger("peifu.deadlines")

LEASE = timedelta(minutes=2)
RETRY_BACKOFF = timedelta(minutes=1)
MAX_ATTEMPTS = 5
RAW = True  # the worker's look for due reminders as a bare driver statement first (`_ANY_REMINDER_DUE`)


@dataclass
class FireReport:
    fired: int = 0
    skipped: int = 0
    failed: int = 0
    payouts_sent: int = 0
    payouts_failed: int = 0
    reminders: int = 0
    outcomes: list[str] = field(default_factory=list)


def run_due(units: Units, *, owner: str, batch: int = 200) -> FireReport:
    """Claim and fire one batch of due deadlines. Returns what happened; 0 fired means idle."""
    with units.uow() as ctx:
        now = ctx.now()
        ids = claim_due_deadlines(ctx.session, now, owner, batch, LEASE)
        agreements = _seller_silences(ctx.session, ids)
    report = FireReport()
    if not ids:
        return report
    settled = _fire_agreements(units, owner, agreements, report)
    ids = [i for i in ids if i not in settled]
    for deadline_id in ids:
        try:
            with units.uow() as ctx:
                outcome = fire_one(ctx, deadline_id, owner)
        except Exception as exc:  # one broken deadline must not stop the others
            if database_away(exc):  # not this deadline's fault: leave it claimed, the worker retries
                raise
            with units.uow() as ctx:
                _record_failure(ctx.session, deadline_id, exc, now)
            report.failed += 1
            log.exception("deadline %s failed", deadline_id)
            continue
        if outcome is None:
            report.skipped += 1
        else:
            report.fired += 1
            report.outcomes.append(outcome)
    return report


def _seller_silences(session: Session, ids: list[int]) -> dict[int, int]:
    """The claimed deadlines that turn a seller's silence into an agreement: deadline id → case id."""
    if not ids:  # (the worker's idle rounds: an empty IN finds nothing)
        return {}
    kinds = [str(kind) for kind, action in DEADLINE_ACTIONS.items() if action is CaseAction.agree]
    stmt = select(Deadline.id, Deadline.case_id).where(Deadline.id.in_(ids), Deadline.kind.in_(kinds))
    return {deadline_id: case_id for deadline_id, case_id in session.execute(stmt) if case_id is not None}


def _fire_agreements(units: Units, owner: str, agreements: dict[int, int], report: FireReport) -> set[int]:
    """Fire the simple ones of these together (services.batch_refunds), in one transaction; returns
    the deadline ids it settled (fired, or no longer ours). The others — and all of them if the
    batch fails — are fired one by one through `cases.act`."""
    if not agreements:
        return set()
    items = [batch_refunds.Item(case_id, SYSTEM, deadline_id, owner) for deadline_id, case_id in agreements.items()]
    try:
        with units.uow() as ctx:
            result = batch_refunds.agree_all(ctx, items)
    except Exception as exc:  # the batch rolled back whole; the single door does each on its own
        if database_away(exc):  # nothing can be fired now; the worker waits for the database
            raise
        log.exception("batch of %d seller-silence deadlines failed; firing them one by one", len(items))
        return set()
    report.fired += len(result.done)
    report.outcomes += [fired_outcome(case_id, CaseAction.agree, state) for case_id, state in result.done.items()]
    report.skipped += len(result.skipped)
    settled = {item.deadline_id for item in items if item.case_id in result.done}
    settled |= {item.deadline_id for item in result.skipped}
    return {i for i in settled if i is not None}


def fire_one(ctx: Ctx, deadline_id: int, owner: str) -> str | None:
    """Fire one claimed deadline if it is still ours and still pending; None when skipped."""
    session = ctx.session
    peek = session.get(Deadline, deadline_id)
    if peek is None:
        return None
    # Lock in the global order (order → case → deadline) before re-checking the deadline; a
    # service complaint's deadline locks the complaint first.
    if peek.service_complaint_id is not None:
        service_complaints.lock(session, peek.service_complaint_id)
    elif peek.case_id is not None:
        case = session.get(Case, peek.case_id)
        if case is not None:
            lock_order(session, case.order_id)
        lock_case(session, peek.case_id)
    elif peek.order_id is not None:
        lock_order(session, peek.order_id)
    deadline = lock_deadline(session, deadline_id)
    if deadline is None or deadline.status != DeadlineStatus.pending or deadline.lease_owner != owner:
        return None
    now = ctx.now()
    if deadline.due_at > now:
        return None
    outcome = HANDLERS[DeadlineKind(deadline.kind)](ctx, deadline)
    # Firing moved the case on, which cancelled its pending deadlines — this one included, in the
    # database; marking it fired here is what records that it was the one that acted.
    deadline.status = DeadlineStatus.fired
    deadline.fired_at = now
    deadline.outcome = outcome[:200]
    deadline.lease_until = None
    return outcome


# --- what each kind of deadline does when it falls due: kind → handler ------------------------------

Handler = Callable[[Ctx, Deadline], str]
"""Carries out a due deadline (locked, still pending, ours) and returns its outcome sentence."""


def _case_timeout(ctx: Ctx, deadline: Deadline) -> str:
    """A case state's deadline: the case machine's `DEADLINE_ACTIONS` move, taken by `system`."""
    assert deadline.case_id is not None
    action = DEADLINE_ACTIONS[DeadlineKind(deadline.kind)]
    case = case_service.act(ctx, deadline.case_id, action, SYSTEM)
    return fired_outcome(case.id, action, case.state)


def _auto_confirm(ctx: Ctx, deadline: Deadline) -> str:
    assert deadline.order_id is not None
    order = order_service.get_order(ctx, deadline.order_id)
    if order.state != OrderState.shipped:
        return f"order {order.id}: already {order.state}"
    if order_service.open_case_count(ctx.session, order.id, in_trade_only=True):
        return f"order {order.id}: paused by an open after-sale case"
    order_service.end_by_system(ctx, order, OrderEventKind.confirmed, {})
    return f"order {order.id}: auto-confirmed"


def _evidence_due(ctx: Ctx, deadline: Deadline) -> str:
    assert deadline.case_id is not None
    return disputes.on_evidence_deadline(ctx, deadline.case_id)


def _appeal_window(ctx: Ctx, deadline: Deadline) -> str:
    assert deadline.case_id is not None
    return disputes.on_appeal_window_closed(ctx, deadline.case_id)


def _service_step(ctx: Ctx, deadline: Deadline) -> str:
    assert deadline.service_complaint_id is not None
    kind = DeadlineKind(deadline.kind)
    return service_complaints.on_deadline(ctx, deadline.service_complaint_id, kind, deadline.due_at)


def _penalty_expiry(ctx: Ctx, deadline: Deadline) -> str:
    """A penalty left the period: a service complaint's missed step, or a rule complaint's penalty."""
    if deadline.service_complaint_id is not None:
        return service_complaints.on_miss_expiry(ctx, deadline.service_complaint_id)
    assert deadline.order_id is not None
    return complaints.on_penalty_expiry(ctx, deadline.order_id)


HANDLERS: dict[DeadlineKind, Handler] = {
    **dict.fromkeys(DEADLINE_ACTIONS, _case_timeout),
    DeadlineKind.auto_confirm_receipt: _auto_confirm,
    DeadlineKind.evidence_due: _evidence_due,
    DeadlineKind.appeal_window: _appeal_window,
    **dict.fromkeys(SERVICE_DEADLINE_KINDS, _service_step),
    DeadlineKind.penalty_expiry: _penalty_expiry,
}
"""Every deadline kind has exactly one handler (tests/domain/test_lifecycle_tables.py checks none is missing)."""


def _record_failure(session: Session, deadline_id: int, exc: Exception, now: datetime) -> None:
    deadline = session.get(Deadline, deadline_id)
    if deadline is None:
        return
    deadline.attempts += 1
    deadline.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    deadline.lease_until = None
    if isinstance(exc, DomainError) or deadline.attempts >= MAX_ATTEMPTS:
        # The rules refuse this move now (e.g. the case changed underneath): it can never succeed.
        deadline.status = DeadlineStatus.cancelled
        deadline.outcome = f"gave up: {exc}"[:200]
    else:
        deadline.due_at = now + RETRY_BACKOFF * deadline.attempts


DEADLINES = bulk.table_of(Deadline)
_ANY_REMINDER_DUE = raw.Raw(  # `send_reminders`' query (unlocked: the locking one follows when it finds one)
    lambda d: (
        select(DEADLINES.c.id)
        .where(DEADLINES.c.status == str(DeadlineStatus.pending), DEADLINES.c.reminded_at.is_(None))
        .where(DEADLINES.c.remind_at <= bindparam("now"), DEADLINES.c.due_at > bindparam("now"))
        .limit(1)
    )
)


# --- reminders (deadline.approaching) --------------------------------------------------------------


def send_reminders(units: Units, *, batch: int = 500) -> int:
    """Announce the pending deadlines whose reminder time has come, each exactly once: the rows are
    marked reminded and their events written in one transaction (other workers skip locked rows).
    Returns how many were announced."""
    with units.uow() as ctx:
        session, now = ctx.session, ctx.now()
        if RAW and not raw.Link(session).run(_ANY_REMINDER_DUE, {"now": now}):  # most rounds: none due
            return 0
        due = (
            select(Deadline)
            .where(Deadline.status == DeadlineStatus.pending, Deadline.reminded_at.is_(None))
            .where(Deadline.remind_at <= now, Deadline.due_at > now)
            .order_by(Deadline.remind_at, Deadline.id)
            .limit(batch)
        )
        if session.get_bind().dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True)
        rows = list(session.scalars(due))
        if not rows:
            return 0
        made = []
        for deadline in rows:
            deadline.reminded_at = now
            case = session.get(Case, deadline.case_id) if deadline.case_id is not None else None
            order = session.get(Order, deadline.order_id) if deadline.order_id is not None else None
            policy = ctx.policies.get(session, case.policy_version) if case is not None else None
            complaint = (
                session.get(ServiceComplaint, deadline.service_complaint_id)
                if deadline.service_complaint_id is not None
                else None
            )
            made.append(events.reminder_event(deadline, case, order, policy, complaint))
        events.record(ctx, *made)
        return len(made)
