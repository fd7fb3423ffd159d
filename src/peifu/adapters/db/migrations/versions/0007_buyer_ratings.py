"""buyer satisfaction ratings

Revision ID: 0007_buyer_ratings
Revises: 0006_seller_tools
Create Date: 2026-11-26 19:20:00

(Placeholder reserved so work on several features can proceed in parallel; filled in by the
change that introduces these tables.)
"""

from __future__ import annotations

revision = "0007_buyer_ratings"
down_revision = "0006_seller_tools"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
