"""marketplace simulator

Revision ID: 0009_simulator
Revises: 0008_triage_abuse
Create Date: 2026-11-26 19:20:00

(Placeholder reserved so work on several features can proceed in parallel; filled in by the
change that introduces these tables.)
"""

from __future__ import annotations

revision = "0009_simulator"
down_revision = "0008_triage_abuse"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
