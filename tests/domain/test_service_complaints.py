"""Service complaints (售后投诉, seed 003 卖家售后投诉处理制度) with deadlines in China's working days.

The lifecycle is one table (domain.service_complaints.TABLE): checked row by row here, then walked
through the API. The deadlines are China's working days (domain.workdays: weekends and public
holidays off, 调休 make-up weekends on) and act by themselves: the platform's late steps are taken
by the engine, a shop's late step escalates to an agent and counts against the shop exactly once
(even with several workers), and a sandbox clock moved across National Day 2025 and 2026 fires each
deadline at the end of the right working day — the make-up Saturday counted, the holiday not.

Here: the rules alone, no database (through the database: tests/api/test_service_complaints.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peifu.domain import service_complaints as sc
from peifu.domain.clock import SHANGHAI
from peifu.domain.errors import Conflict, Forbidden
from peifu.domain.vocabulary import Role
from peifu.domain.workdays import CHINA, WorkingCalendar

S, A, R = sc.State, sc.Action, Role


def cst(y: int, m: int, d: int, h: int = 0, minute: int = 0) -> datetime:
    """A Shanghai wall time, as the UTC instant it is."""
    return datetime(y, m, d, h, minute, tzinfo=SHANGHAI).astimezone(UTC)


TABLE_ROWS = [
    (S.filed, A.register, R.agent, S.registered),
    (S.filed, A.register, R.system, S.registered),
    (S.filed, A.dismiss, R.agent, S.dismissed),
    (S.registered, A.register, R.agent, S.registered),
    (S.registered, A.forward, R.agent, S.forwarded),
    (S.registered, A.forward, R.system, S.forwarded),
    (S.forwarded, A.contact, R.seller, S.contacted),
    (S.forwarded, A.escalate, R.system, S.escalated),
    (S.contacted, A.propose_remedy, R.seller, S.remedy_proposed),
    (S.contacted, A.escalate, R.system, S.escalated),
    (S.remedy_proposed, A.report_done, R.seller, S.awaiting_rating),
    (S.remedy_proposed, A.escalate, R.system, S.escalated),
    (S.escalated, A.resolve, R.agent, S.awaiting_rating),
    (S.escalated, A.dismiss, R.agent, S.dismissed),
    (S.awaiting_rating, A.rate, R.buyer, S.closed),
    (S.awaiting_rating, A.expire, R.system, S.closed),
    *((state, A.withdraw, R.buyer, S.withdrawn) for state in sc.OPEN),
]


@pytest.mark.parametrize(("state", "action", "role", "target"), TABLE_ROWS)
def test_each_row_of_the_table_moves_where_it_says(state: S, action: A, role: R, target: S) -> None:
    assert sc.decide(state, action, role).target is target


@pytest.mark.parametrize(("state", "action", "role", "target"), TABLE_ROWS)
def test_each_row_refuses_the_other_kinds_of_actor(state: S, action: A, role: R, target: S) -> None:
    allowed = sc.decide(state, action, role).actors
    for other in set(R) - allowed:
        with pytest.raises(Forbidden):
            sc.decide(state, action, other)


def test_everything_not_in_the_table_is_a_conflict() -> None:
    listed = {(row.source, row.action) for row in sc.TABLE}
    for state in S:
        for action in A:
            if (state, action) not in listed:
                with pytest.raises(Conflict):
                    sc.decide(state, action, R.agent)
    assert all(not sc.allowed_actions(state) for state in sc.FINAL)


def test_every_waiting_state_has_a_deadline_that_acts() -> None:
    for state, kind in sc.STATE_DEADLINES.items():
        action = sc.DEADLINE_ACTIONS[kind]
        assert R.system in sc.decide(state, action, R.system).actors


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 9, 28), True),  # Sunday, 调休 for National Day 2025
        (date(2025, 10, 1), False),
        (date(2025, 10, 8), False),
        (date(2025, 10, 11), True),  # Saturday, 调休
        (date(2025, 10, 12), False),  # an ordinary Sunday
        (date(2026, 2, 14), True),  # Saturday, 调休 for Spring Festival 2026
        (date(2026, 2, 16), False),
        (date(2026, 2, 28), True),  # Saturday, 调休
        (date(2026, 9, 20), True),  # Sunday, 调休 for National Day 2026
        (date(2026, 10, 7), False),
        (date(2026, 10, 10), True),  # Saturday, 调休
        (date(2026, 10, 12), True),
    ],
)
def test_the_calendar_knows_holidays_and_make_up_days(day: date, working: bool) -> None:
    assert CHINA.is_working_day(day) is working, CHINA.why(day)


def test_counting_working_days_across_national_day() -> None:
    # Wednesday 30 September 2026, 10:00: the 3rd working day after is the make-up Saturday 10 October
    assert CHINA.add_working_days(cst(2026, 9, 30, 10), 3) == cst(2026, 10, 11)
    # Friday evening: one working day later is Monday (end of day)
    assert CHINA.add_working_days(cst(2026, 11, 13, 20), 1) == cst(2026, 11, 17)
    assert CHINA.working_days_between(cst(2026, 9, 30, 10), cst(2026, 10, 10, 23)) == 3


def test_the_policy_can_add_a_notice_the_library_does_not_have() -> None:
    cal = WorkingCalendar(extra_days_off=[date(2027, 2, 11)], extra_working_days=[date(2027, 2, 20)])
    assert not cal.is_working_day(date(2027, 2, 11))
    assert cal.is_working_day(date(2027, 2, 20))  # a Saturday
    # a year past the library's published notices still counts (weekends and statutory holidays)
    assert CHINA.add_working_days(cst(2026, 12, 31, 10), 1) == cst(2027, 1, 5)


@settings(max_examples=200, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2026, 12, 20), timezones=st.just(UTC)),
    days=st.integers(min_value=0, max_value=15),
)
def test_n_working_days_end_at_midnight_after_the_nth_working_day(start: datetime, days: int) -> None:
    due = CHINA.add_working_days(start, days)
    local = due.astimezone(SHANGHAI)
    assert (local.hour, local.minute, local.second) == (0, 0, 0)
    last_day = local.date() - timedelta(days=1)
    assert CHINA.is_working_day(last_day)
    assert due > start
    if days:
        assert CHINA.working_days_between(start, due - timedelta(seconds=1)) == days


def test_every_audited_kind_fits_the_links_kind_column() -> None:
    """PostgreSQL's bulk insert casts to the column's type, which cuts a longer kind short without
    an error — and the link then no longer matches its MAC (it was `service_complaint_miss`)."""
    from peifu.db.models import AuditLink
    from peifu.services import audit

    width = AuditLink.__table__.c.kind.type.length
    kinds = [rk.kind for rk in audit.ROW_KINDS] + ["case_event", "ledger", "abuse_mark"]
    assert [kind for kind in kinds if len(kind) > width] == []
