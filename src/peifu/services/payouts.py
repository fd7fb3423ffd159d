"""Delivering queued payouts to the payment gateway: the outbox dispatcher.

A payout row is written in the same transaction as its ledger posting, so it exists exactly when
the money is owed. Dispatch is three steps, each safe to crash after:

1. claim: lease due rows (SKIP LOCKED on PostgreSQL), commit;
2. call the gateway with the row's idempotency key — outside any of our transactions;
3. mark it sent and post payouts_pending → gateway, in one transaction.

A crash after 2 means the call is repeated with the same key, and the gateway answers with the
payout it already made: nothing is paid twice and nothing is lost.

The worker's hot path (issue 15): the claimed row's re-read before the call and step 3 run as bare
driver statements (`db.raw`, `mark_sent_raw`), one pipeline on PostgreSQL — the same lock, the same
state machine check, the same rows (the settlement transaction, its entries and seal, the payout's
columns, the `payout.sent` event, the audit links in the ORM path's order) as the ORM path
(`_mark_sent_orm`), which `RAW = False` restores; tests/service/test_payout_raw.py compares every row
written either way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any, Protocol

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import Session

from peifu.db import bulk, raw
from peifu.db.engine import database_away
from peifu.db.locking import claim_due_payouts
from peifu.db.models import Case, OutboxMessage
from peifu.domain import ledger as accounts
from peifu.domain import payout_machine
from peifu.domain.events import EventType
from peifu.domain.ledger import posting, transfer
from peifu.domain.vocabulary import PayoutAction as A
from peifu.domain.vocabulary import Role
from peifu.services import audit, events, ledger
from peifu.services.context import Ctx, Units
from peifu.services.raw_rows import INSERT_ENTRY, INSERT_EVENT, INSERT_TXN, SEAL

log = logging.getLogger("peifu.payouts")

LEASE = timedelta(minutes=2)
MAX_BACKOFF = timedelta(hours=1)
RAW = True  # the re-read and the mark-sent as bare driver statements; False: the ORM path only


class GatewayError(Exception):
    """The gateway refused or failed; the payout stays pending and is retried with backoff."""


class PaymentGateway(Protocol):
    def pay(self, idempotency_key: str, payee: str, amount_fen: int, memo: str) -> str:
        """Pay `amount_fen` to `payee` once per key; return the gateway's reference."""
        ...


@dataclass
class DispatchReport:
    sent: int = 0
    failed: int = 0


def _claim(session: Session, now: datetime, owner: str, limit: int) -> list[int]:
    return claim_due_payouts(session, now, owner, limit, LEASE)


def dispatch_due(units: Units, gateway: PaymentGateway, *, owner: str, batch: int = 100) -> DispatchReport:
    with units.uow() as ctx:
        ids = _claim(ctx.session, ctx.now(), owner, batch)
    report = DispatchReport()
    for message_id in ids:
        with units.uow() as ctx:
            if RAW:
                found = raw.Link(ctx.session).run(_READ_PAYOUT, {"b_id": message_id})
                message: Any = SimpleNamespace(**dict(zip(READ_COLUMNS, found[0], strict=True))) if found else None
            else:
                message = ctx.session.get(OutboxMessage, message_id)
            if message is None or not payout_machine.allows(message.status, A.confirm) or message.lease_owner != owner:
                continue
            key, payee, amount = message.idempotency_key, message.buyer_id, message.amount_fen
            memo = f"peifu payout for case {message.case_id}" if message.case_id else "peifu payout"
        try:
            reference = gateway.pay(key, payee, amount, memo)
        except Exception as exc:  # the gateway is outside our control: record and retry later
            if database_away(exc):  # our database (the sandbox gateway's book), not the gateway: retry whole
                raise
            _record_failure(units, message_id, exc)
            report.failed += 1
            continue
        if _mark_sent(units, message_id, reference):
            report.sent += 1
    return report


def _shop_of(ctx: Ctx, message: OutboxMessage) -> str | None:
    if message.case_id is None:
        return None
    return ctx.session.scalar(select(Case.shop_id).where(Case.id == message.case_id))


def _mark_sent(units: Units, message_id: int, reference: str) -> bool:
    with units.uow() as ctx:
        return mark_sent_raw(ctx, message_id, reference) if RAW else _mark_sent_orm(ctx, message_id, reference)


def _mark_sent_orm(ctx: Ctx, message_id: int, reference: str) -> bool:
    """Mark it sent and post the settlement, through the session's objects (see `mark_sent_raw`)."""
    session = ctx.session
    stmt = select(OutboxMessage).where(OutboxMessage.id == message_id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    message = session.scalars(stmt.execution_options(populate_existing=True)).one()
    if not payout_machine.allows(message.status, A.confirm):  # another worker's confirmation won
        return False
    now = ctx.now()
    settlement = ledger.post(
        session,
        posting(
            "payout",
            transfer(accounts.PAYOUTS_PENDING, accounts.GATEWAY, message.amount_fen),
            f"gateway ref {reference}",
        ),
        now,
        case_id=message.case_id,
        buyer_id=message.buyer_id,
    )
    message.status = payout_machine.decide(message.status, A.confirm, Role.system).target
    message.sent_at = now
    message.gateway_ref = reference
    message.settlement_txn_id = settlement.id
    message.lease_until = None
    message.attempts += 1
    events.payout_event(ctx, EventType.payout_sent, message, _shop_of(ctx, message))
    return True


OUTBOX, CASES = bulk.table_of(OutboxMessage), bulk.table_of(Case)
READ_COLUMNS = ("status", "lease_owner", "idempotency_key", "buyer_id", "amount_fen", "case_id")
_READ_PAYOUT = raw.Raw(lambda d: select(*(OUTBOX.c[n] for n in READ_COLUMNS)).where(OUTBOX.c.id == bindparam("b_id")))
# the payout's columns the mark-sent reads (its event's snapshot and its audit record)
PAYOUT_COLUMNS = (
    "id",
    *audit.BY_KIND["outbox"].fields,
    "attempts",
    "next_attempt_at",
    "lease_owner",
    "lease_until",
    "last_error",
)


def _lock_payout(dialect: Dialect) -> Any:
    """The payout locked (PostgreSQL), with its case's shop (the event's) in the same round trip."""
    shop = select(CASES.c.shop_id).where(CASES.c.id == OUTBOX.c.case_id).scalar_subquery()
    stmt = select(*(OUTBOX.c[n] for n in PAYOUT_COLUMNS), shop).where(OUTBOX.c.id == bindparam("b_id"))
    return stmt.with_for_update(of=OUTBOX) if dialect.name == "postgresql" else stmt


_LOCK_PAYOUT = raw.Raw(_lock_payout)
SENT_COLUMNS = ("status", "sent_at", "gateway_ref", "settlement_txn_id", "lease_until", "attempts")
_MARK_SENT = raw.Raw(
    lambda d: update(OUTBOX).where(OUTBOX.c.id == bindparam("b_id")).values({n: bindparam(n) for n in SENT_COLUMNS})
)


def mark_sent_raw(ctx: Ctx, message_id: int, reference: str) -> bool:
    """`_mark_sent_orm` as bare driver statements: the payout locked and read with its case's shop,
    the same check, then the settlement posting (`ledger.post`'s transaction, entries and seal),
    the payout's new columns and its `payout.sent` event — after the insert that draws the
    transaction's id, one pipeline on PostgreSQL — and the audit links as the ORM path's commit
    makes them (the payout's new version, then the posting)."""
    session = ctx.session
    link = raw.Link(session)
    found = link.run(_LOCK_PAYOUT, {"b_id": message_id})
    if not found:
        raise NoResultFound("No row was found when one was required")  # as the ORM path's `.one()`
    message = SimpleNamespace(**dict(zip(PAYOUT_COLUMNS, found[0][:-1], strict=True)))
    shop_id = found[0][-1]
    if not payout_machine.allows(message.status, A.confirm):  # another worker's confirmation won
        return False
    now = ctx.now()
    entry = posting(
        "payout", transfer(accounts.PAYOUTS_PENDING, accounts.GATEWAY, message.amount_fen), f"gateway ref {reference}"
    )
    txn: dict[str, Any] = {
        "kind": entry.kind,
        "memo": entry.memo,
        "created_at": now,
        "sealed": False,
        "case_id": message.case_id,
        "order_id": None,
        "shop_id": None,
        "buyer_id": message.buyer_id,
        "policy_version": None,
    }
    ((txn["id"],),) = link.run(INSERT_TXN, txn)
    legs = [(leg.account, leg.amount) for leg in entry.legs]
    message.status = str(payout_machine.decide(message.status, A.confirm, Role.system).target)
    message.sent_at = now
    message.gateway_ref = reference
    message.settlement_txn_id = txn["id"]
    message.lease_until = None
    message.attempts += 1
    event = events.payout_event_of(EventType.payout_sent, message, shop_id, ctx.now())
    with link.pipeline():
        link.run_many(INSERT_ENTRY, [{"txn_id": txn["id"], "account": a, "amount_fen": f} for a, f in legs])
        link.send(SEAL, {"b_id": txn["id"]})
        link.send(_MARK_SENT, {"b_id": message.id, **{n: getattr(message, n) for n in SENT_COLUMNS}})
        link.send(INSERT_EVENT, events.row_of(event))
    ctx.pending.append(event)
    known = session.info.get(ledger.KNOWN)  # (as `ledger.post` keeps remembered balances in step)
    if known is not None:
        for account, amount in legs:
            if account in known:
                known[account] += amount
    audit.append_prepared(session, "outbox", str(message.id), audit.BY_KIND["outbox"].record(vars(message)), now)
    audit.append_prepared(session, "ledger", str(txn["id"]), audit.ledger_record_of(txn, legs), now)
    return True


def _record_failure(units: Units, message_id: int, exc: Exception) -> None:
    log.warning("payout %s failed: %s", message_id, exc)
    with units.uow() as ctx:
        message = ctx.session.get(OutboxMessage, message_id)
        if message is None:
            return
        if payout_machine.allows(message.status, A.fail):  # (a payout sent meanwhile stays sent)
            message.status = payout_machine.decide(message.status, A.fail, Role.system).target
        message.attempts += 1
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        message.lease_until = None
        message.next_attempt_at = ctx.now() + min(MAX_BACKOFF, timedelta(seconds=5 * 2 ** min(message.attempts, 12)))
        events.payout_event(ctx, EventType.payout_failed, message, _shop_of(ctx, message))


def backlog(session: Session) -> int:
    return int(
        session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.status == payout_machine.DUE)) or 0
    )
