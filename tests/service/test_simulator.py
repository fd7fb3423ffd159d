"""The marketplace simulator runs the real engine through simulated time and leaves it consistent."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from typer.testing import CliRunner

from peifu.adapters.runtime import Runtime
from peifu.adapters.simulation import SimConfig, Simulator, Summary
from peifu.db.engine import unit_of_work
from peifu.db.models import Case, Deadline, Dispute, LedgerEntry, LedgerTransaction, OrderLine
from peifu.domain.case_machine import STATE_DEADLINES
from peifu.domain.vocabulary import CaseState, CaseType, DeadlineStatus, Reason
from peifu.services import audit
from tests.conftest import _empty

pytestmark = pytest.mark.slow  # not in `make test-fast`; always in `make test`

CONFIG = SimConfig(shops=5, orders=300, days=20, seed=7, start=datetime(2026, 10, 1, tzinfo=UTC))


def simulate(rt: Runtime) -> Summary:
    return Simulator(rt, CONFIG).run()


def test_small_marketplace_runs_consistent_and_is_reproducible(rt: Runtime) -> None:
    summary = simulate(rt)

    assert summary.totals["orders"] == 300
    assert summary.totals["cases"] > 50
    assert summary.totals["disputes"] > 0
    assert set(summary.case_types) == {str(t) for t in CaseType}, "every case type appears"
    assert set(summary.reasons) == {str(r) for r in Reason}, "every reason appears"
    assert summary.engine.get("deadlines_failed", 0) == 0
    assert summary.engine.get("deadline:agree", 0) > 0, "silent sellers were auto-agreed by the timer"
    assert summary.engine.get("deadline:auto-confirmed", 0) > 0
    assert not any(key.startswith("unexpected_state") for key in summary.engine)
    # service complaints (售后投诉): a few per hundred orders, most steps in time, some missed
    svc = summary.totals["service_complaints"]
    assert 0.01 * 300 <= svc <= 0.08 * 300, svc
    assert 0 < summary.totals["service_complaint_shop_misses"] < svc, summary.totals
    assert summary.totals["service_complaints_closed"] > 0
    assert summary.engine.get("deadline:escalate", 0) == summary.totals["service_complaint_shop_misses"]

    with unit_of_work(rt.factory) as session:
        pending_by_case: dict[int, list[Deadline]] = {}
        for deadline in session.scalars(select(Deadline).where(Deadline.status == DeadlineStatus.pending)):
            if deadline.case_id is not None:
                pending_by_case.setdefault(deadline.case_id, []).append(deadline)
        for case in session.scalars(select(Case).options(selectinload(Case.events), selectinload(Case.lines))):
            state = CaseState(case.state)
            assert state is not CaseState.refunding, case.id
            assert (case.resolved_at is not None) == state.is_final, case.id
            seqs = [e.seq for e in case.events]
            assert seqs == list(range(1, len(seqs) + 1)), case.id
            assert case.events[0].action == "open" and case.events[-1].to_state == case.state, case.id
            pending = pending_by_case.get(case.id, [])
            timers = [d.kind for d in pending if d.kind in STATE_DEADLINES.values()]
            assert timers == ([STATE_DEADLINES[state]] if state in STATE_DEADLINES else []), (case.id, state)
            assert all(d.kind in ("evidence_due", "appeal_window") for d in pending if d.kind not in timers)
            if state is CaseState.in_intervention:
                dispute = session.scalars(select(Dispute).where(Dispute.case_id == case.id)).one()
                assert dispute.status in ("evidence", "review", "appealed"), (case.id, dispute.status)
            if state is CaseState.refunded:
                assert case.refund_amount_fen > 0
        for line in session.scalars(select(OrderLine)):
            assert 0 <= line.refunded_fen <= line.paid_fen
        # double entry: every transaction balances, so the whole ledger sums to zero
        assert session.scalar(select(func.coalesce(func.sum(LedgerEntry.amount_fen), 0))) == 0
        unbalanced = session.execute(
            select(LedgerEntry.txn_id).group_by(LedgerEntry.txn_id).having(func.sum(LedgerEntry.amount_fen) != 0)
        ).all()
        assert unbalanced == []
        assert (session.scalar(select(func.count()).select_from(LedgerTransaction)) or 0) > 0
        assert audit.verify(session) is None, "the audit chain is intact"
        states = Counter(session.scalars(select(Case.state)))
    assert summary.case_states == dict(sorted(states.items()))

    _empty(rt)
    again = simulate(rt)
    assert again.as_dict() == summary.as_dict(), "the same seed gives the same marketplace"


def test_cli_simulate_prints_the_summary_and_refuses_a_rerun(rt: Runtime, database_url: str) -> None:
    from peifu.adapters.cli import app

    runner = CliRunner()
    args = ["simulate", "--shops", "2", "--orders", "40", "--days", "5", "--seed", "3", "--database-url", database_url]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "refund rate" in result.output and "per category" in result.output
    again = runner.invoke(app, args)
    assert again.exit_code == 1
    assert "already simulated" in again.output
