"""Writing postings to the ledger and reading balances back.

`post` writes a transaction, its entries, then seals it — the database refuses to seal an
unbalanced one, so even a bug here cannot leave an unbalanced transaction behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from peifu.db.models import LedgerEntry, LedgerTransaction
from peifu.domain.ledger import Posting
from peifu.domain.money import Fen
from peifu.services import audit


def post(
    session: Session,
    entry: Posting,
    now: datetime,
    *,
    case_id: int | None = None,
    order_id: str | None = None,
    shop_id: str | None = None,
    buyer_id: str | None = None,
    policy_version: str | None = None,
) -> LedgerTransaction:
    txn = LedgerTransaction(
        kind=entry.kind,
        memo=entry.memo,
        case_id=case_id,
        order_id=order_id,
        shop_id=shop_id,
        buyer_id=buyer_id,
        policy_version=policy_version,
        created_at=now,
        sealed=False,
    )
    session.add(txn)
    session.flush()
    entries = [LedgerEntry(txn_id=txn.id, account=leg.account, amount_fen=leg.amount) for leg in entry.legs]
    session.add_all(entries)
    session.flush()
    set_committed_value(txn, "entries", entries)  # as written: the audit link reads them without a query
    txn.sealed = True
    session.flush()
    audit.append_ledger(session, txn, now)
    return txn


def balance(session: Session, account: str) -> Fen:
    stmt = (
        select(func.coalesce(func.sum(LedgerEntry.amount_fen), 0))
        .join(LedgerTransaction, LedgerTransaction.id == LedgerEntry.txn_id)
        .where(LedgerEntry.account == account, LedgerTransaction.sealed.is_(True))
    )
    return int(session.scalar(stmt) or 0)


def balances(session: Session, prefix: str | None = None, *, accounts: Sequence[str] | None = None) -> dict[str, Fen]:
    """Every account's balance (optionally those starting with `prefix`, or those of `accounts`);
    accounts with entries summing to zero are included, accounts without entries are not."""
    stmt = (
        select(LedgerEntry.account, func.sum(LedgerEntry.amount_fen))
        .join(LedgerTransaction, LedgerTransaction.id == LedgerEntry.txn_id)
        .where(LedgerTransaction.sealed.is_(True))
        .group_by(LedgerEntry.account)
        .order_by(LedgerEntry.account)
    )
    if prefix:
        stmt = stmt.where(LedgerEntry.account.startswith(prefix, autoescape=True))
    if accounts is not None:
        stmt = stmt.where(LedgerEntry.account.in_(list(accounts)))
    return {account: int(total) for account, total in session.execute(stmt)}


def transactions_for_case(session: Session, case_id: int) -> list[LedgerTransaction]:
    stmt = select(LedgerTransaction).where(LedgerTransaction.case_id == case_id).order_by(LedgerTransaction.id)
    return list(session.scalars(stmt))
