"""deadline.approaching: every deadline that acts by itself is announced once, `[reminders]
before_hours` before it falls due (half-way for a shorter one), to the parties who can still act;
never for a deadline that was cancelled first; exactly once with several workers.

Here: the rules alone, no database (through the database: tests/api/test_reminders.py)."""

from __future__ import annotations

from datetime import timedelta

from peifu.domain.clock import ManualClock
from peifu.domain.events import remind_at
from peifu.domain.vocabulary import DeadlineKind


def test_every_deadline_that_acts_by_itself_has_its_reminder_and_penalty_expiry_none() -> None:
    armed = START_OF_TEST
    for kind in DeadlineKind:
        due = armed + timedelta(days=10)
        when = remind_at(kind, armed, due, 24)
        if kind is DeadlineKind.penalty_expiry:
            assert when is None
        else:
            assert when == due - timedelta(hours=24), kind


def test_a_short_deadline_is_announced_half_way() -> None:
    due = START_OF_TEST + timedelta(hours=30)
    assert remind_at(DeadlineKind.evidence_due, START_OF_TEST, due, 24) == START_OF_TEST + timedelta(hours=15)


START_OF_TEST = ManualClock().now()
