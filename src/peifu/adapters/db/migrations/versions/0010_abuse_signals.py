"""abuse signals: explained signals on buyers and sellers

Revision ID: 0010_abuse_signals
Revises: 0009_simulator
Create Date: 2026-11-26 19:20:00

(Placeholder reserved so work on several features can proceed in parallel; filled in by the
change that introduces these tables.)
"""

from __future__ import annotations

revision = "0010_abuse_signals"
down_revision = "0009_simulator"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
