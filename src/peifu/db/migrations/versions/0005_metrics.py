"""after-sale metrics: rollup tables, abusive-claim marks on cases

Revision ID: 0005_metrics
Revises: 0005_security
Create Date: 2026-11-26 16:05:48.736867

Creates the tables `services.metrics` keeps (`metric_shops`, `metric_shop_lines`, `metric_daily`,
`metric_cases`), the abusive-claim columns on `cases` and an index on `shops.category`, then
fills the tables from the data already stored — the same SQL as
`peifu.services.metrics.rebuild_statements`, frozen here as it was when this revision was written.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import peifu.db.types

revision = "0005_metrics"
down_revision = "0005_security"
branch_labels = None
depends_on = None

FINAL_STATES = "'closed', 'refunded', 'resolved', 'withdrawn'"


def upgrade() -> None:
    # plain ALTER TABLE ADD COLUMN on every backend (batch mode would copy `cases` on SQLite)
    op.add_column("cases", sa.Column("abusive", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("cases", sa.Column("abusive_marked_at", peifu.db.types.UTCDateTime(timezone=True)))
    op.add_column("cases", sa.Column("abusive_marked_by", sa.String(length=64), nullable=True))
    op.add_column("cases", sa.Column("abusive_note", sa.Text(), nullable=True))
    op.create_index("ix_shops_category", "shops", ["category"], unique=False)

    op.create_table(
        "metric_shops",
        sa.Column("shop_id", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("shop_id", name=op.f("pk_metric_shops")),
    )
    op.create_index("ix_metric_shops_category", "metric_shops", ["category"], unique=False)
    op.create_table(
        "metric_shop_lines",
        sa.Column("shop_id", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("shop_id", "category", name=op.f("pk_metric_shop_lines")),
    )
    op.create_table(
        "metric_daily",
        sa.Column("shop_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("slot", sa.SmallInteger(), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("paid_orders", sa.Integer(), nullable=False),
        sa.CheckConstraint("paid_orders >= 0", name=op.f("ck_metric_daily_paid_orders_non_negative")),
        sa.PrimaryKeyConstraint("shop_id", "day", "slot", name=op.f("pk_metric_daily")),
    )
    op.create_table(
        "metric_cases",
        sa.Column("case_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("shop_id", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("paid_day", sa.Date(), nullable=True),
        sa.Column("opened_at", peifu.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("responded_at", peifu.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("response_seconds", sa.Integer(), nullable=True),
        sa.Column("resolved_at", peifu.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("resolution_seconds", sa.Integer(), nullable=True),
        sa.Column("disputed", sa.Boolean(), nullable=False),
        sa.Column("dispute_lost", sa.Boolean(), nullable=False),
        sa.Column("abusive", sa.Boolean(), nullable=False),
        sa.Column("excluded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_metric_cases_case_id_cases")),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_metric_cases")),
    )
    _backfill()
    op.create_index(
        "ix_metric_daily_category",
        "metric_daily",
        ["category", "day"],
        unique=False,
        postgresql_include=["shop_id", "paid_orders"],
    )
    op.create_index("ix_metric_cases_order", "metric_cases", ["order_id"], unique=False)
    op.create_index("ix_metric_cases_shop", "metric_cases", ["shop_id"], unique=False)
    op.create_index(
        "ix_metric_cases_paid",
        "metric_cases",
        ["category", "paid_day"],
        unique=False,
        postgresql_include=["shop_id", "order_id", "dispute_lost", "excluded"],
    )
    op.create_index(
        "ix_metric_cases_resolved",
        "metric_cases",
        ["category", "resolved_at"],
        unique=False,
        postgresql_include=["shop_id", "resolution_seconds", "disputed"],
        postgresql_where=sa.text("resolved_at IS NOT NULL AND NOT excluded"),
        sqlite_where=sa.text("resolved_at IS NOT NULL AND NOT excluded"),
    )
    op.create_index(
        "ix_metric_cases_responded",
        "metric_cases",
        ["category", "responded_at"],
        unique=False,
        postgresql_include=["shop_id", "response_seconds"],
        postgresql_where=sa.text("responded_at IS NOT NULL AND NOT excluded"),
        sqlite_where=sa.text("responded_at IS NOT NULL AND NOT excluded"),
    )


def _backfill() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"

    def day(column: str) -> str:
        return f"(({column}) AT TIME ZONE 'UTC')::date" if postgres else f"date({column})"

    def seconds(start: str, end: str) -> str:
        if postgres:
            return f"ROUND(EXTRACT(EPOCH FROM (({end}) - ({start}))))::integer"
        return f"CAST(ROUND((julianday({end}) - julianday({start})) * 86400) AS INTEGER)"

    op.execute(
        """INSERT INTO metric_shop_lines (shop_id, category, lines)
            SELECT o.shop_id, l.category, COUNT(*)
            FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN shops s ON s.id = o.shop_id
            WHERE o.paid_at IS NOT NULL AND (s.category IS NULL OR s.category = '')
            GROUP BY o.shop_id, l.category"""
    )
    op.execute(
        """INSERT INTO metric_shops (shop_id, category, source)
            SELECT s.id, s.category, 'shop' FROM shops s
            WHERE s.category IS NOT NULL AND s.category <> ''
              AND EXISTS (SELECT 1 FROM orders o WHERE o.shop_id = s.id AND o.paid_at IS NOT NULL)
            UNION ALL
            SELECT shop_id, category, 'order_lines' FROM (
                SELECT shop_id, category,
                       ROW_NUMBER() OVER (PARTITION BY shop_id ORDER BY lines DESC, category) AS place
                FROM metric_shop_lines
            ) ranked WHERE place = 1"""
    )
    op.execute(
        f"""INSERT INTO metric_daily (shop_id, day, slot, category, paid_orders)
            SELECT o.shop_id, {day("o.paid_at")}, 0, m.category, COUNT(*)
            FROM orders o JOIN metric_shops m ON m.shop_id = o.shop_id
            WHERE o.paid_at IS NOT NULL
            GROUP BY o.shop_id, {day("o.paid_at")}, m.category"""
    )
    op.execute(
        f"""INSERT INTO metric_cases (case_id, order_id, shop_id, category, paid_day, opened_at, responded_at,
                response_seconds, resolved_at, resolution_seconds, disputed, dispute_lost, abusive, excluded)
            SELECT c.id, c.order_id, c.shop_id, COALESCE(m.category, ''), {day("o.paid_at")}, c.opened_at, r.at,
                {seconds("c.opened_at", "r.at")},
                CASE WHEN c.state IN ({FINAL_STATES}) THEN c.resolved_at END,
                CASE WHEN c.state IN ({FINAL_STATES}) THEN {seconds("c.opened_at", "c.resolved_at")} END,
                d.id IS NOT NULL,
                d.liable_party IS NOT NULL AND d.liable_party = 'seller',
                c.abusive,
                EXISTS (SELECT 1 FROM cases a WHERE a.order_id = c.order_id AND a.abusive)
            FROM cases c
            JOIN orders o ON o.id = c.order_id
            LEFT JOIN metric_shops m ON m.shop_id = c.shop_id
            LEFT JOIN disputes d ON d.case_id = c.id
            LEFT JOIN (
                SELECT case_id, MIN(at) AS at FROM case_events
                WHERE actor_role = 'seller' OR (actor_role = 'system' AND action = 'agree')
                GROUP BY case_id
            ) r ON r.case_id = c.id"""
    )


def downgrade() -> None:
    for index in (
        "ix_metric_cases_responded",
        "ix_metric_cases_resolved",
        "ix_metric_cases_paid",
        "ix_metric_cases_shop",
        "ix_metric_cases_order",
    ):
        op.drop_index(index, table_name="metric_cases")
    op.drop_table("metric_cases")
    op.drop_index("ix_metric_daily_category", table_name="metric_daily")
    op.drop_table("metric_daily")
    op.drop_table("metric_shop_lines")
    op.drop_index("ix_metric_shops_category", table_name="metric_shops")
    op.drop_table("metric_shops")
    op.drop_index("ix_shops_category", table_name="shops")
    columns = ("abusive_note", "abusive_marked_by", "abusive_marked_at", "abusive")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite drops the columns in place (3.35+); batch mode would copy `cases`, whose drop
        # the foreign keys that point at it refuse once it holds rows
        for column in columns:
            op.execute(f"ALTER TABLE cases DROP COLUMN {column}")
        return
    with op.batch_alter_table("cases", schema=None) as batch_op:
        for column in columns:
            batch_op.drop_column(column)
