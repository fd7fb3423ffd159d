"""The sandbox test clock: move time forward for integration tests, like payment platforms' test clocks.

Only reachable when the process runs with `PEIFU_SANDBOX=1`. The offset is stored, so the API
and every worker share one notion of "now"; time only ever moves forward.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from peifu.db.models import SandboxClockRow
from peifu.domain.clock import OffsetClock
from peifu.domain.errors import Invalid


def load_offset(session: Session) -> timedelta:
    row = session.get(SandboxClockRow, 1)
    return timedelta(seconds=row.offset_seconds if row else 0)


def move(session: Session, clock: OffsetClock, *, advance_seconds: int | None, set_to: datetime | None) -> datetime:
    clock.offset = load_offset(session)
    now = clock.now()
    if set_to is not None:
        if set_to < now:
            raise Invalid("clock_backwards", "The sandbox clock only moves forward.")
        delta = set_to - now
    else:
        delta = timedelta(seconds=advance_seconds or 0)
    row = session.get(SandboxClockRow, 1)
    if row is None:
        row = SandboxClockRow(id=1, offset_seconds=0)
        session.add(row)
    row.offset_seconds = int((clock.offset + delta).total_seconds()) + (1 if delta.microseconds else 0)
    clock.offset = timedelta(seconds=row.offset_seconds)
    session.flush()
    return clock.now()
