"""China's working days (工作日): the one place the engine asks whether a day is worked.

A working day is a Monday-to-Friday that is not a public holiday, or a Saturday/Sunday the State
Council's notice makes a working day (调休 make-up day). The public holidays and make-up days come
from the `holidays` library (`holidays.China(...).is_working_day`, which reads its
`weekend_workdays`), and a platform may add days the library does not know yet (a notice published
after the installed release) in the policy's `[working_days]` section.

Why `holidays` and not `chinese-calendar`: for 2020–2026 the two agree on every day, 调休 included
(checked day by day: 0 differences); but `chinese-calendar` 1.11.0 (its latest release) stops at
2026 and raises `NotImplementedError` for any day of 2027 — so a deadline counted in December 2026
across New Year would crash — while `holidays` is released monthly, knows the statutory holidays of
every year (from the rules, until the year's notice is in a release) and lets us add a notice's
days ourselves.

Nothing here reads a clock: callers pass the moment they count from (the injected clock's `now`),
so the sandbox clock and the manual test clock drive working-day deadlines like every other.
Days are Asia/Shanghai calendar days; "within N working days" of a moment ends at the end (24:00,
Asia/Shanghai) of the Nth working day after the day of that moment (次日起算).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from peifu.domain.clock import SHANGHAI, ensure_utc


@lru_cache(maxsize=64)
def _library_calendar(year: int) -> holidays.HolidayBase:
    calendar: holidays.HolidayBase = holidays.country_holidays("CN", years=year)
    return calendar


class WorkingCalendar:
    """Working days in mainland China, with the policy's additions on top of the library's."""

    def __init__(self, extra_days_off: Iterable[date] = (), extra_working_days: Iterable[date] = ()) -> None:
        self.extra_days_off = frozenset(extra_days_off)
        self.extra_working_days = frozenset(extra_working_days)

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:
            return False
        return bool(_library_calendar(day.year).is_working_day(day))

    def why(self, day: date) -> str:
        """A short reason for what `is_working_day` says, in Chinese (for pages and tests)."""
        if day in self.extra_working_days:
            return "调休上班（平台补充）"
        if day in self.extra_days_off:
            return "休息日（平台补充）"
        lib = _library_calendar(day.year)
        if day in lib:
            return f"法定节假日：{lib.get(day)}"
        if day.weekday() >= 5:
            return "调休上班" if lib.is_working_day(day) else "周末"
        return "工作日"

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The end (24:00 Asia/Shanghai, as UTC) of the `days`-th working day after `start`'s day.

        `days` = 0 is the end of `start`'s own day if it is a working day, else of the next one."""
        if days < 0:
            raise ValueError("working days are counted forwards")
        day = ensure_utc(start).astimezone(SHANGHAI).date()
        if days == 0:
            while not self.is_working_day(day):
                day += timedelta(days=1)
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        end = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=SHANGHAI)
        return ensure_utc(end)

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Whole working days after `start`'s day up to and including `end`'s day (Asia/Shanghai):
        what a countdown shows ("还剩 N 个工作日")."""
        first = ensure_utc(start).astimezone(SHANGHAI).date()
        last = ensure_utc(end).astimezone(SHANGHAI).date()
        count, day = 0, first
        while day < last:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


CHINA = WorkingCalendar()
"""The library's calendar without additions (tests; a policy's additions make its own)."""
