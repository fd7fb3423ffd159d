"""seller tools: auto-handling rules

Revision ID: 0006_seller_tools
Revises: 0005_metrics
Create Date: 2026-11-26 19:20:00

The shops' auto-handling rules (`seller_auto_rules`, see peifu.domain.auto_handling) and the
case flag `confirm_return_on_sign` (签收自动退款: the seller agreed to confirm a return as soon as
the courier reports it signed for).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import peifu.db.types

revision = "0006_seller_tools"
down_revision = "0005_metrics"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ALTER TABLE ADD COLUMN on every backend (batch mode would copy `cases` on SQLite)
    op.add_column("cases", sa.Column("confirm_return_on_sign", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "seller_auto_rules",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("shop_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("case_types", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("order_stages", sa.JSON(), nullable=False),
        sa.Column("max_amount_fen", sa.BigInteger(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("suggested_reason", sa.String(length=32), nullable=True),
        sa.Column("message", sa.String(length=500), nullable=False),
        sa.Column("created_at", peifu.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", peifu.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("applied_count", sa.Integer(), nullable=False),
        sa.Column("last_applied_at", peifu.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "max_amount_fen IS NULL OR max_amount_fen >= 0",
            name=op.f("ck_seller_auto_rules_max_amount_non_negative"),
        ),
        sa.ForeignKeyConstraint(["shop_id"], ["shops.id"], name=op.f("fk_seller_auto_rules_shop_id_shops")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seller_auto_rules")),
    )
    op.create_index("ix_seller_auto_rules_shop", "seller_auto_rules", ["shop_id", "priority"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_seller_auto_rules_shop", table_name="seller_auto_rules")
    op.drop_table("seller_auto_rules")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite drops the column in place (3.35+); batch mode would copy `cases`, whose drop the
        # foreign keys that point at it refuse once it holds rows
        op.execute("ALTER TABLE cases DROP COLUMN confirm_return_on_sign")
        return
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("confirm_return_on_sign")
