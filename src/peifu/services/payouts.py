"""Delivering queued payouts to the payment gateway: the outbox dispatcher.

A payout row is written in the same transaction as its ledger posting, so it exists exactly when
the money is owed. Dispatch is three steps, each safe to crash after:

1. claim: lease due rows (SKIP LOCKED on PostgreSQL), commit;
2. call the gateway with the row's idempotency key — outside any of our transactions;
3. mark it sent and post payouts_pending → gateway, in one transaction.

A crash after 2 means the call is repeated with the same key, and the gateway answers with the
payout it already made: nothing is paid twice and nothing is lost.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peifu.db.engine import database_away
from peifu.db.locking import claim_due_payouts
from peifu.db.models import Case, OutboxMessage
from peifu.domain import ledger as accounts
from peifu.domain import payout_machine
from peifu.domain.events import EventType
from peifu.domain.ledger import posting, transfer
from peifu.domain.vocabulary import PayoutAction as A
from peifu.domain.vocabulary import Role
from peifu.services import events, ledger
from peifu.services.context import Ctx, Units

log = logging.getLogger("peifu.payouts")

LEASE = timedelta(minutes=2)
MAX_BACKOFF = timedelta(hours=1)


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
