"""complaint triage: suggested reason, type and priority on cases

Revision ID: 0008_triage
Revises: 0007_buyer_ratings
Create Date: 2026-11-26 19:20:00

What the buyer's description suggests (peifu.triage) is kept on the case, so that the seller's
and the agent's queues can sort by priority and show the suggestion. All columns are nullable:
requests opened before triage existed, or without a description, have none.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_triage"
down_revision = "0007_buyer_ratings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("triage_reason", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("triage_case_type", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("triage_priority", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("triage_confidence", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("triage_signals", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("triage_model", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("triage_model")
        batch_op.drop_column("triage_signals")
        batch_op.drop_column("triage_confidence")
        batch_op.drop_column("triage_priority")
        batch_op.drop_column("triage_case_type")
        batch_op.drop_column("triage_reason")
