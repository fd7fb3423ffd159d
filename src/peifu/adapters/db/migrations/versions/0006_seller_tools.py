"""seller tools: auto-handling rules

Revision ID: 0006_seller_tools
Revises: 0005_metrics
Create Date: 2026-11-26 19:20:00

(Placeholder reserved so work on several features can proceed in parallel; filled in by the
change that introduces these tables.)
"""

from __future__ import annotations

revision = "0006_seller_tools"
down_revision = "0005_metrics"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
