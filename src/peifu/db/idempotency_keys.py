"""How long Idempotency-Key answers are kept, and deleting the old ones.

Kept `Settings.idempotency_retention_hours` (24 by default, as Stripe keeps them): the API's
middleware treats an older key as new, and `purge_expired` deletes the rows — run by the worker
about once an hour and by `peifu idempotency purge`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from peifu.db.engine import unit_of_work
from peifu.db.models import IdempotencyRecord
from peifu.settings import Settings


def retention(settings: Settings) -> timedelta:
    return timedelta(hours=settings.idempotency_retention_hours)


def purge_expired(factory: sessionmaker[Session], now: datetime, kept: timedelta) -> int:
    """Delete the keys (answered or abandoned) created before `now - kept`; how many went."""
    with unit_of_work(factory) as session:
        gone = session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < now - kept))
        return int(getattr(gone, "rowcount", 0) or 0)
