"""Writing postings to the ledger and reading balances back.

`post` writes a transaction, its entries, then seals it — the database refuses to seal an
unbalanced one, so even a bug here cannot leave an unbalanced transaction behind.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from peifu.db.engine import unflushed
from peifu.db.models import LedgerEntry, LedgerTransaction
from peifu.domain.ledger import Posting, escrow
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
    seal_now: bool = True,
) -> LedgerTransaction:
    """Write the transaction and its entries (one flush), then seal it: at once, or — with
    `seal_now=False`, for a caller on the hot path — with the unit of work's next flush, which
    always comes before the commit (and before any balance is read: a query autoflushes)."""
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
    # the entries go in with the transaction (the unit of work inserts it first, then them in
    # this order), and stay loaded as written: the audit link reads them without a query
    txn.entries = [LedgerEntry(account=leg.account, amount_fen=leg.amount) for leg in entry.legs]
    session.add(txn)
    session.flush()
    txn.sealed = True
    if seal_now:
        session.flush()
    known = session.info.get(KNOWN)
    if known is not None:
        for leg in entry.legs:
            if leg.account in known:
                known[leg.account] += leg.amount
    audit.append_ledger(session, txn, now)
    return txn


KNOWN = "peifu_ledger_known_balances"  # account → balance, while `remembering` (see there)


REMEMBERED = escrow("")  # the accounts `remembering` keeps: orders' escrow


@contextmanager
def remembering(session: Session) -> Iterator[None]:
    """Escrow balances read inside the block are remembered and kept up to date by `post`, so a
    second read of the same order's escrow costs no query. For one move of a case under its
    order's lock: an order's escrow is written only under that lock, and only through `post`
    (which keeps the memory in step), and no savepoint inside the block can take a posting back.
    Other accounts (a shop's deposit, the platform's fund) are shared by many orders and are
    read afresh every time."""
    if KNOWN in session.info:  # nested: the outer block owns the memory
        yield
        return
    session.info[KNOWN] = {}
    try:
        yield
    finally:
        session.info.pop(KNOWN, None)


def balance(session: Session, account: str) -> Fen:
    known: dict[str, Fen] | None = session.info.get(KNOWN)
    if known is not None and account in known:
        return known[account]
    if unflushed(session, LedgerTransaction, LedgerEntry):  # only postings change a balance
        session.flush()
    held = int(session.connection().execute(_BALANCE, {"account": account}).scalar() or 0)
    if known is not None and account.startswith(REMEMBERED):
        known[account] = held
    return held


_ENTRIES, _TXNS = LedgerEntry.__table__, LedgerTransaction.__table__
_BALANCE = (
    select(func.coalesce(func.sum(_ENTRIES.c.amount_fen), 0))
    .select_from(_ENTRIES.join(_TXNS, _TXNS.c.id == _ENTRIES.c.txn_id))
    .where(_ENTRIES.c.account == bindparam("account"), _TXNS.c.sealed.is_(True))
)


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
