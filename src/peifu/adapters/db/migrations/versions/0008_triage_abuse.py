"""complaint triage: suggested reason, type and priority on cases

Revision ID: 0008_triage_abuse
Revises: 0007_buyer_ratings
Create Date: 2026-11-26 19:20:00

(Placeholder reserved so work on several features can proceed in parallel; filled in by the
change that introduces these tables.)
"""

from __future__ import annotations

revision = "0008_triage_abuse"
down_revision = "0007_buyer_ratings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
