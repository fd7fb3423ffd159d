"""audit chains: many independent HMAC-keyed chains and signed checkpoints

Revision ID: 0014_audit_chains
Revises: 0013_service_complaints
Create Date: 2026-12-03 08:00:00

Issue 15, items 1 and 2: the one global hash chain (`audit_log`, appended under one advisory
lock) serialised every commit of the platform and could be recomputed by anyone with database
access. `audit_links` holds many independent chains, each appended under its own lock and keyed
with an HMAC whose key lives outside the database; `audit_checkpoints` holds signed Merkle roots
over the chains' heads (see docs/audit.md). The old `audit_log` is kept as it was, read only by
`peifu audit adopt`, which checks it and then links the rows it covered into the new chains.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from peifu.db.types import UTCDateTime

revision = "0014_audit_chains"
down_revision = "0013_service_complaints"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_links",
        sa.Column("chain", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("chain", "seq", name=op.f("pk_audit_links")),
    )
    op.create_table(
        "audit_checkpoints",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("root", sa.String(length=64), nullable=False),
        sa.Column("heads", sa.JSON(), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoints")),
    )


def downgrade() -> None:
    op.drop_table("audit_checkpoints")
    op.drop_table("audit_links")
