"""metrics by phase: which metric_cases rows are post-trade requests

Revision ID: 0012_metrics_phase
Revises: 0011_idempotency_retention
Create Date: 2026-12-02 12:00:00

Seed 003 rates the refund and dispute rates over requests made while the trade is in progress and
says of those made after it completed 「售后维权目前暂没有率的考核」 (issue 21, item 4). The metrics
rollup row of a case now says whether its request is post-trade (`metric_cases.post_trade`,
filled in from `cases.phase`), and the index the rate counts read (`ix_metric_cases_paid`) carries
it, so that those counts stay index-only scans on PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_metrics_phase"
down_revision = "0011_idempotency_retention"
branch_labels = None
depends_on = None

PAID_INCLUDE = ["shop_id", "order_id", "dispute_lost", "excluded"]


def upgrade() -> None:
    # plain ALTER TABLE ADD COLUMN on every backend (batch mode would copy the table on SQLite)
    op.add_column("metric_cases", sa.Column("post_trade", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute(
        "UPDATE metric_cases SET post_trade = true WHERE case_id IN (SELECT id FROM cases WHERE phase = 'post_trade')"
    )
    op.drop_index("ix_metric_cases_paid", table_name="metric_cases")
    op.create_index(
        "ix_metric_cases_paid",
        "metric_cases",
        ["category", "paid_day"],
        unique=False,
        postgresql_include=[*PAID_INCLUDE, "post_trade"],
    )


def downgrade() -> None:
    op.drop_index("ix_metric_cases_paid", table_name="metric_cases")
    op.create_index(
        "ix_metric_cases_paid", "metric_cases", ["category", "paid_day"], unique=False, postgresql_include=PAID_INCLUDE
    )
    op.drop_column("metric_cases", "post_trade")
