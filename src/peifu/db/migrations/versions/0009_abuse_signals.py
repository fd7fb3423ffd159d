"""abuse signals: buyer marks (云标签) and their audited events

Revision ID: 0009_abuse_signals
Revises: 0008_triage
Create Date: 2026-11-26 19:20:00

The platform's marks on a buyer's claims (`buyer_abuse_marks`, at most one standing per buyer),
the append-only record of who marked, lifted or applied them (`abuse_mark_events`, chained into
the audit log), and on `cases` the mark a claim is abusive under (`abusive_mark_id`). The signals
themselves are computed on demand from orders, cases and their events (see peifu.services.abuse).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import peifu.db.types

revision = "0009_abuse_signals"
down_revision = "0008_triage"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ALTER TABLE ADD COLUMN on every backend (batch mode would copy `cases` on SQLite)
    op.add_column("cases", sa.Column("abusive_mark_id", sa.Integer(), nullable=True))
    op.create_table(
        "buyer_abuse_marks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("buyer_id", sa.String(length=64), nullable=False),
        sa.Column("shop_id", sa.String(length=64), nullable=True),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("since", peifu.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("case_ids", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("marked_by", sa.String(length=64), nullable=False),
        sa.Column("marked_at", peifu.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("cases_marked", sa.Integer(), nullable=False),
        sa.Column("lifted_at", peifu.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("lifted_by", sa.String(length=64), nullable=True),
        sa.Column("lift_reason", sa.Text(), nullable=True),
        sa.Column("cases_unmarked", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["buyer_id"], ["buyers.id"], name=op.f("fk_buyer_abuse_marks_buyer_id_buyers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_buyer_abuse_marks")),
    )
    op.create_index("ix_buyer_abuse_marks_buyer", "buyer_abuse_marks", ["buyer_id", "marked_at"], unique=False)
    op.create_index(
        "uq_buyer_abuse_marks_standing",
        "buyer_abuse_marks",
        ["buyer_id"],
        unique=True,
        postgresql_where=sa.text("lifted_at IS NULL"),
        sqlite_where=sa.text("lifted_at IS NULL"),
    )
    op.create_table(
        "abuse_mark_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("mark_id", sa.Integer(), nullable=False),
        sa.Column("buyer_id", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("actor_role", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=True),
        sa.Column("at", peifu.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("case_ids", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mark_id"], ["buyer_abuse_marks.id"], name=op.f("fk_abuse_mark_events_mark_id_buyer_abuse_marks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_abuse_mark_events")),
    )
    op.create_index(op.f("ix_abuse_mark_events_mark_id"), "abuse_mark_events", ["mark_id"], unique=False)
    op.create_index(op.f("ix_abuse_mark_events_buyer_id"), "abuse_mark_events", ["buyer_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_abuse_mark_events_buyer_id"), table_name="abuse_mark_events")
    op.drop_index(op.f("ix_abuse_mark_events_mark_id"), table_name="abuse_mark_events")
    op.drop_table("abuse_mark_events")
    op.drop_index("uq_buyer_abuse_marks_standing", table_name="buyer_abuse_marks")
    op.drop_index("ix_buyer_abuse_marks_buyer", table_name="buyer_abuse_marks")
    op.drop_table("buyer_abuse_marks")
    if op.get_bind().dialect.name == "sqlite":
        # in place (SQLite 3.35+): batch mode would copy `cases`, which the foreign keys pointing at it refuse
        op.execute("ALTER TABLE cases DROP COLUMN abusive_mark_id")
        return
    op.drop_column("cases", "abusive_mark_id")
