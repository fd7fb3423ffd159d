"""Row locks and queue claims, where PostgreSQL and SQLite differ.

Lock order, everywhere: order → case → deadline. Keeping one order means a worker firing a
deadline and an API request acting on the same case wait for each other instead of deadlocking.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, bindparam, select, update
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session, joinedload

from peifu.db import raw
from peifu.db.engine import holds_changes
from peifu.db.models import Case, Deadline, Order, OutboxMessage
from peifu.domain.vocabulary import DeadlineStatus, PayoutStatus

RAW = True  # `claim_due` of a queue without a further `where` as bare driver statements (`_claim_raw`)


def _pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def lock_order(session: Session, order_id: str) -> Order | None:
    stmt = select(Order).where(Order.id == order_id)
    if _pg(session):
        stmt = stmt.with_for_update()
    return session.scalars(stmt.execution_options(populate_existing=True)).first()


def lock_case(session: Session, case_id: int) -> Case | None:
    stmt = select(Case).where(Case.id == case_id)
    if _pg(session):
        stmt = stmt.with_for_update()
    return session.scalars(stmt.execution_options(populate_existing=True)).first()


def lock_order_of_case(session: Session, case_id: int) -> Order | None:
    """The order of case `case_id`, locked (the first lock of the order → case order), with its
    lines: one statement where `session.get(Case)` then `lock_order` and the lines' load took three.
    None when there is no such case."""
    order_id = select(Case.order_id).where(Case.id == case_id).scalar_subquery()
    stmt = select(Order).where(Order.id == order_id).options(joinedload(Order.lines))
    if _pg(session):
        stmt = stmt.with_for_update(of=Order)
    return session.scalars(stmt.execution_options(populate_existing=True)).unique().first()


def lock_case_with_timeline(session: Session, case_id: int) -> Case | None:
    """`lock_case`, with the case's lines and timeline loaded by the same statement (an action
    reads both: the lines for its events and money, the timeline for the next entry's number)."""
    stmt = select(Case).where(Case.id == case_id).options(joinedload(Case.lines), joinedload(Case.events))
    if _pg(session):
        stmt = stmt.with_for_update(of=Case)
    return session.scalars(stmt.execution_options(populate_existing=True)).unique().first()


def lock_deadline(session: Session, deadline_id: int) -> Deadline | None:
    stmt = select(Deadline).where(Deadline.id == deadline_id)
    if _pg(session):
        stmt = stmt.with_for_update()
    return session.scalars(stmt.execution_options(populate_existing=True)).first()


def lock_rows(session: Session, stmt: Select[Any]) -> list[Row[Any]]:
    """The rows `stmt` selects, locked (on PostgreSQL) in the statement's order: callers order by
    id so that batches, like single moves, lock in the global order."""
    if _pg(session):
        stmt = stmt.with_for_update()
    return list(session.execute(stmt))


def claim_due(
    session: Session,
    table: Any,
    due: Any,
    now: datetime,
    owner: str,
    limit: int,
    lease: timedelta,
    *,
    pending: str,
    where: tuple[ColumnElement[bool], ...] = (),
) -> list[int]:
    """The one claim query of every queue the workers drain (deadlines, payouts, webhook deliveries):
    lease up to `limit` rows of `table` that are `pending`, due (`due <= now`) and not leased to a
    live worker, soonest due first, to `owner`, and return their ids.

    On PostgreSQL rows another worker is claiming right now are skipped (FOR UPDATE SKIP LOCKED),
    so any number of workers share the queue; a lease that expires (its worker died) makes the
    row claimable again. The caller commits the claim before working on the rows. `table` needs
    `id`, `status`, `lease_owner` and `lease_until` columns; `where` narrows the queue further.
    """
    if RAW and not where and not holds_changes(session):
        return _claim_raw(session, table, due, now, owner, limit, lease, pending)
    stmt = (
        select(table.id)
        .where(table.status == pending, due <= now, *where)
        .where((table.lease_until.is_(None)) | (table.lease_until < now))
        .order_by(due, table.id)
        .limit(limit)
    )
    if _pg(session):
        stmt = stmt.with_for_update(skip_locked=True)
    ids = list(session.scalars(stmt))
    if ids:
        session.execute(
            update(table)
            .where(table.id.in_(ids))
            .values(lease_owner=owner, lease_until=now + lease)
            .execution_options(synchronize_session=False)
        )
    return ids


_RAW_CLAIMS: dict[tuple[str, str, str], tuple[raw.Raw, raw.Raw]] = {}


def _claim_raw(
    session: Session, table: Any, due: Any, now: datetime, owner: str, limit: int, lease: timedelta, pending: str
) -> list[int]:
    """`claim_due` of a queue without a further `where`, as two bare driver statements (issue 15:
    the workers poll their queues several times a second): the same rows selected in the same
    order and locked the same way, then leased — one executemany of the same values."""
    key = (table.__tablename__, due.key, str(pending))
    statements = _RAW_CLAIMS.get(key)
    if statements is None:
        t = table.__table__

        def pick(dialect: Dialect) -> Any:
            stmt = (
                select(t.c.id)
                .where(t.c.status == str(pending), t.c[due.key] <= bindparam("now"))
                .where(t.c.lease_until.is_(None) | (t.c.lease_until < bindparam("now")))
                .order_by(t.c[due.key], t.c.id)
                .limit(bindparam("limit"))
            )
            return stmt.with_for_update(skip_locked=True) if dialect.name == "postgresql" else stmt

        lease_one = update(t).where(t.c.id == bindparam("b_id"))
        lease_one = lease_one.values(lease_owner=bindparam("owner"), lease_until=bindparam("until"))
        statements = _RAW_CLAIMS[key] = (raw.Raw(pick), raw.Raw(lambda d: lease_one))
    pick_stmt, lease_stmt = statements
    link = raw.Link(session)
    ids = [row[0] for row in link.run(pick_stmt, {"now": now, "limit": limit})]
    until = now + lease
    link.run_many(lease_stmt, [{"b_id": i, "owner": owner, "until": until} for i in ids])
    return ids


def claim_due_deadlines(session: Session, now: datetime, owner: str, limit: int, lease: timedelta) -> list[int]:
    """Lease up to `limit` due deadlines to `owner`, in due order, and return their ids (`claim_due`)."""
    return claim_due(session, Deadline, Deadline.due_at, now, owner, limit, lease, pending=DeadlineStatus.pending)


def claim_due_payouts(session: Session, now: datetime, owner: str, limit: int, lease: timedelta) -> list[int]:
    """Lease up to `limit` payouts due for (another) attempt to `owner` (`claim_due`)."""
    return claim_due(
        session, OutboxMessage, OutboxMessage.next_attempt_at, now, owner, limit, lease, pending=PayoutStatus.pending
    )


def release_leases(session: Session, owner: str) -> tuple[int, int]:
    """Give back `owner`'s leases on deadlines and payouts that are still pending: (deadlines,
    payouts). For a worker whose batch died with its database connection — it is not working on
    them any more, so they need not wait for their leases to expire. Rows its batch did finish
    are fired or sent and stay as they are."""
    deadlines = session.execute(
        update(Deadline)
        .where(
            Deadline.lease_owner == owner, Deadline.status == DeadlineStatus.pending, Deadline.lease_until.is_not(None)
        )
        .values(lease_until=None)
        .execution_options(synchronize_session=False)
    )
    payouts = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.lease_owner == owner,
            OutboxMessage.status == PayoutStatus.pending,
            OutboxMessage.lease_until.is_not(None),
        )
        .values(lease_until=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(deadlines, "rowcount", 0) or 0), int(getattr(payouts, "rowcount", 0) or 0)
