"""distribution keys: shop_id on every hot table, filled on PostgreSQL

Revision ID: 0016_distribution_keys
Revises: 0014_audit_chains
Create Date: 2026-12-03 12:30:00

Issue 15, scaling: on a distributed PostgreSQL (Citus) the after-sale tables are distributed by
shop and co-located, so one request's rows share one shard (docs/scaling.md). The tables that
carried their shop only through a parent get a nullable `shop_id` and an index leading with it.
On PostgreSQL the existing rows are filled in and a BEFORE INSERT trigger fills new ones from the
parent when the writer leaves the column empty (so no insert site changes; one that sets it skips
the look-up). SQLite, never distributed, keeps the column empty.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_distribution_keys"
down_revision = "0014_audit_chains"
branch_labels = None
depends_on = None

# table -> ((column, parent table), ...) tried in order; the index's second column
DERIVED = {
    "order_lines": ((("order_id", "orders"),), "order_id"),
    "order_events": ((("order_id", "orders"),), "order_id"),
    "case_lines": ((("case_id", "cases"),), "case_id"),
    "case_events": ((("case_id", "cases"),), "case_id"),
    "case_attachments": ((("case_id", "cases"),), "case_id"),
    "compensations": ((("case_id", "cases"),), "case_id"),
    "deadlines": (
        (("case_id", "cases"), ("order_id", "orders"), ("service_complaint_id", "service_complaints")),
        "due_at",
    ),
    "outbox": ((("case_id", "cases"), ("txn_id", "ledger_transactions")), "created_at"),
    "ledger_entries": ((("txn_id", "ledger_transactions"),), "txn_id"),
    "evidence": ((("dispute_id", "disputes"),), "dispute_id"),
    "rulings": ((("dispute_id", "disputes"),), "dispute_id"),
    "appeals": ((("dispute_id", "disputes"),), "dispute_id"),
}


def _lookup(table: str, row: str) -> str:
    parents, _ = DERIVED[table]
    parts = [f"(SELECT p.shop_id FROM {parent} p WHERE p.id = {row}.{column})" for column, parent in parents]
    return parts[0] if len(parts) == 1 else "COALESCE(" + ", ".join(parts) + ")"


def upgrade() -> None:
    for table, (_, second) in DERIVED.items():
        # a plain ADD COLUMN (no table copy: SQLite's ledger triggers name these tables)
        op.add_column(table, sa.Column("shop_id", sa.String(length=64), nullable=True))
        op.create_index(f"ix_{table}_shop", table, ["shop_id", second])
    op.create_index("ix_ledger_transactions_shop", "ledger_transactions", ["shop_id", "created_at"])
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in DERIVED:
        # existing rows (the ledger's guards refuse updates of sealed entries: paused for this one)
        guarded = table == "ledger_entries"
        if guarded:
            op.execute("ALTER TABLE ledger_entries DISABLE TRIGGER USER")
        op.execute(f"UPDATE {table} SET shop_id = {_lookup(table, table)} WHERE shop_id IS NULL")
        if guarded:
            op.execute("ALTER TABLE ledger_entries ENABLE TRIGGER USER")
        op.execute(
            f"""CREATE FUNCTION {table}_shop_id() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.shop_id IS NULL THEN
                    NEW.shop_id := {_lookup(table, "NEW")};
                END IF;
                RETURN NEW;
            END $$"""
        )
        op.execute(
            f"CREATE TRIGGER {table}_shop_id BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION {table}_shop_id()"
        )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in reversed(list(DERIVED)):
        if postgres:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_shop_id ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_shop_id()")
        op.drop_index(f"ix_{table}_shop", table_name=table)
        op.execute(f"ALTER TABLE {table} DROP COLUMN shop_id")  # SQLite 3.35+ and PostgreSQL
    op.drop_index("ix_ledger_transactions_shop", table_name="ledger_transactions")
