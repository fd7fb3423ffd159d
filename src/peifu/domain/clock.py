"""Time as an injected dependency.

Every rule that depends on "now" receives a `Clock`; nothing calls `datetime.now()` directly.
All datetimes inside the system are timezone-aware UTC; `to_local` is only for display.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """The wall clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to: for tests and the simulator."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = ensure_utc(start or datetime(2026, 11, 11, 0, 0, tzinfo=UTC))

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = ensure_utc(when)

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta(0):
            raise ValueError("a clock never runs backwards")
        self._now += delta
        return self._now


class OffsetClock:
    """The wall clock shifted forward by an offset: the sandbox test clock.

    The offset lives in the database (see the sandbox service) so that the API and every worker
    process agree on what time it is.
    """

    def __init__(self, offset: timedelta = timedelta(0), base: Clock | None = None) -> None:
        self.offset = offset
        self._base = base or SystemClock()

    def now(self) -> datetime:
        return self._base.now() + self.offset


def ensure_utc(value: datetime) -> datetime:
    """Treat naive datetimes (as some databases return them) as UTC; convert aware ones to UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def to_local(value: datetime) -> datetime:
    """The Asia/Shanghai wall time people see on pages and in API answers' `*_local` fields."""
    return ensure_utc(value).astimezone(SHANGHAI)
