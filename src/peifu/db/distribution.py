"""The distribution key: every hot table carries the shop it belongs to (docs/scaling.md).

On a distributed PostgreSQL (Citus) the after-sale tables are distributed by `shop_id` and
co-located, so everything one request touches — the order, its lines, the case, its events, its
deadlines, the ledger transaction and the payout — sits on one shard and commits there. Tables
that carried the shop only through a parent got a `shop_id` column of their own (migration
0016_distribution_keys); on PostgreSQL a BEFORE INSERT trigger fills it from the parent when the
writer leaves it empty (a writer that sets it skips the look-up), so no insert site had to change.
SQLite, which is never distributed, keeps the column and its index but leaves it empty.
"""

from __future__ import annotations

# Tables whose rows are written or read on the hot path of an after-sale request, with their own
# shop_id since their first migration.
OWN_KEY = (
    "orders",
    "cases",
    "disputes",
    "ledger_transactions",
    "events",
    "metric_cases",
    "metric_daily",
    "penalties",
    "complaints",
    "service_complaints",
)

# Tables that got shop_id in 0016: each with where the value comes from, tried in order
# (column of this table -> parent table).
DERIVED_KEY: dict[str, tuple[tuple[str, str], ...]] = {
    "order_lines": (("order_id", "orders"),),
    "order_events": (("order_id", "orders"),),
    "case_lines": (("case_id", "cases"),),
    "case_events": (("case_id", "cases"),),
    "case_attachments": (("case_id", "cases"),),
    "compensations": (("case_id", "cases"),),
    "deadlines": (("case_id", "cases"), ("order_id", "orders"), ("service_complaint_id", "service_complaints")),
    "outbox": (("case_id", "cases"), ("txn_id", "ledger_transactions")),
    "ledger_entries": (("txn_id", "ledger_transactions"),),
    "evidence": (("dispute_id", "disputes"),),
    "rulings": (("dispute_id", "disputes"),),
    "appeals": (("dispute_id", "disputes"),),
}

HOT_TABLES = (*OWN_KEY, *DERIVED_KEY)

# Small tables every shard needs whole (Citus reference tables), and tables kept on the
# coordinator because they are global by nature (docs/scaling.md).
REFERENCE_TABLES = ("shops", "policy_versions", "metric_shops", "metric_shop_lines")
