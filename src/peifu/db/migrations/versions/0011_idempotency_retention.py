"""idempotency retention: an index on idempotency_keys.created_at

Revision ID: 0011_idempotency_retention
Revises: 0010_events
Create Date: 2026-11-28 10:00:00

Idempotency keys are kept for PEIFU_IDEMPOTENCY_RETENTION_HOURS (24 by default) and then deleted
by the worker and `peifu idempotency purge`; the index lets that delete find the old rows
without reading the whole table.
"""

from __future__ import annotations

from alembic import op

revision = "0011_idempotency_retention"
down_revision = "0010_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f("ix_idempotency_keys_created_at"), "idempotency_keys", ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_idempotency_keys_created_at"), table_name="idempotency_keys")
