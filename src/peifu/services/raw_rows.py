"""The tables and bare-driver statements the raw paths share (issue 15): one definition of each write.

`batch_refunds` (agreed refunds, one or many), `raw_returns` (the return flow's moves), `raw_cases`
(opening a request) and `payouts` (the worker's mark-sent) write the same kinds of rows — a ledger
transaction with its entries and seal, a timeline entry, a domain event, a case's state timers
cancelled and the next one armed, the case's metrics row — each as a `raw.Raw` statement compiled
once per dialect (peifu.db.raw). They are defined here, once, with the columns each writes; the ORM
path's equivalents are `ledger.post`, `cases._record`, `events`, `timers` and `metrics`, and the
twin tests (tests/service/test_raw_*.py, test_payout_raw.py) hold both to the same rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Dialect

from peifu.db import bulk, raw
from peifu.db.models import (
    Case,
    CaseEvent,
    CaseLine,
    Deadline,
    LedgerEntry,
    LedgerTransaction,
    MetricCase,
    Order,
    OrderLine,
)
from peifu.domain.policy import Policy
from peifu.domain.vocabulary import DeadlineKind, DeadlineStatus
from peifu.services import audit, events
from peifu.services.timers import STATE_KINDS, new_deadline

ORDERS = bulk.table_of(Order)
ORDER_LINES = bulk.table_of(OrderLine)
CASES = bulk.table_of(Case)
CASE_LINES = bulk.table_of(CaseLine)
CASE_EVENTS = bulk.table_of(CaseEvent)
DEADLINES = bulk.table_of(Deadline)
TXNS = bulk.table_of(LedgerTransaction)
ENTRIES = bulk.table_of(LedgerEntry)
METRIC_CASES = bulk.table_of(MetricCase)

TXN_COLUMNS = "kind memo created_at sealed case_id order_id shop_id buyer_id policy_version"
INSERT_TXN = raw.Raw(lambda d: insert(TXNS).values({n: bindparam(n) for n in TXN_COLUMNS.split()}).returning(TXNS.c.id))
INSERT_ENTRY = raw.Raw(lambda d: insert(ENTRIES).values({n: bindparam(n) for n in ("txn_id", "account", "amount_fen")}))
SEAL = raw.Raw(lambda d: update(TXNS).where(TXNS.c.id == bindparam("b_id")).values(sealed=True))
CANCEL_CASE_TIMERS = raw.Raw(
    lambda d: (
        update(DEADLINES)
        .where(
            DEADLINES.c.case_id == bindparam("b_case_id"),
            DEADLINES.c.status == str(DeadlineStatus.pending),
            or_(*(DEADLINES.c.kind == kind for kind in sorted(STATE_KINDS))),
        )
        .values(status=str(DeadlineStatus.cancelled), outcome=bindparam("outcome"))
    )
)
INSERT_CASE_EVENT = raw.Raw(lambda d: insert(CASE_EVENTS).values({n: bindparam(n) for n in audit.CASE_EVENT_FIELDS}))
EVENT_COLUMNS = (
    "event_id type schema_version occurred_at shop_id buyer_id subject subject_id case_id order_id ordering_key data"
)
INSERT_EVENT = raw.Raw(lambda d: insert(events.EVENTS).values({n: bindparam(n) for n in EVENT_COLUMNS.split()}))
METRIC_COLUMNS = tuple(c.name for c in METRIC_CASES.c)


def upsert_metric_row(dialect: Dialect) -> Any:
    """metrics.on_case_changed's write: the case's metrics row inserted, or updated where it exists."""
    upsert: Any = pg_insert if dialect.name == "postgresql" else sqlite_insert
    stmt = upsert(METRIC_CASES).values({n: bindparam(n) for n in METRIC_COLUMNS})
    return stmt.on_conflict_do_update(
        index_elements=[METRIC_CASES.c.case_id],
        set_={n: stmt.excluded[n] for n in METRIC_COLUMNS if n != "case_id"},
    )


UPSERT_METRIC = raw.Raw(upsert_metric_row)
NEW_DEADLINE_COLUMNS = tuple(c.name for c in DEADLINES.c if c.name != "id")
INSERT_DEADLINE = raw.Raw(lambda d: insert(DEADLINES).values({n: bindparam(n) for n in NEW_DEADLINE_COLUMNS}))


def new_deadline_row(case_id: int, due: tuple[DeadlineKind, datetime], policy: Policy, now: datetime) -> dict[str, Any]:
    """`timers.arm`'s row for a case's state deadline (`timers.new_deadline`), every column given."""
    kind, due_at = due
    return {
        **dict.fromkeys(NEW_DEADLINE_COLUMNS),
        "attempts": 0,
        "case_id": case_id,
        **new_deadline(kind, due_at, now, policy),
    }
