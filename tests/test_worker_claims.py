"""The worker's claim size: `batch` in the steady state, doubling up to `max_batch` while claims
come back full (a backlog), back to `batch` after the first claim that is not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from peifu.adapters import worker as worker_module
from peifu.adapters.db.models import Deadline
from peifu.adapters.runtime import Runtime
from peifu.adapters.worker import Worker, next_claim
from peifu.domain.vocabulary import DeadlineStatus
from peifu.services.deadlines import FireReport
from tests.worker_support import advance, open_refunds


@pytest.mark.parametrize(
    ("claimed", "handled", "expected"),
    [
        (200, 200, 400),  # full: a backlog, claim more
        (1600, 1600, 2000),  # never above the ceiling
        (2000, 2000, 2000),
        (400, 399, 200),  # not full: the backlog is gone
        (200, 0, 200),
    ],
)
def test_next_claim(claimed: int, handled: int, expected: int) -> None:
    report = FireReport(fired=handled // 2, skipped=handled - handled // 2 - handled // 4, failed=handled // 4)
    assert report.fired + report.skipped + report.failed == handled
    assert next_claim(claimed, report, 200, 2000) == expected


def test_a_backlog_is_drained_in_growing_claims_then_the_worker_claims_batch_again(
    sandbox_rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_refunds(sandbox_rt, 40, prefix="claims", price=5_000, lines=1)
    advance(sandbox_rt, timedelta(hours=73))
    with sandbox_rt.uow() as ctx:
        due = ctx.session.scalar(
            select(func.count())
            .select_from(Deadline)
            .where(Deadline.status == DeadlineStatus.pending, Deadline.due_at <= ctx.now())
        )
    assert due is not None and due >= 40

    claims: list[tuple[int, int]] = []  # (claimed, handled)
    real_run_due = worker_module.run_due

    def recording_run_due(*args: object, batch: int, **kwargs: object) -> FireReport:
        report = real_run_due(*args, batch=batch, **kwargs)  # type: ignore[arg-type]
        claims.append((batch, report.fired + report.skipped + report.failed))
        return report

    monkeypatch.setattr(worker_module, "run_due", recording_run_due)
    loop = Worker(sandbox_rt, batch=4, max_batch=16, owner="claims-test")
    report = loop.run_once()

    assert report.fired + report.skipped + report.failed == due
    assert report.failed == 0
    sizes = [claimed for claimed, _ in claims]
    assert sizes[:4] == [4, 8, 16, 16]  # 4 + 8 + 16 = 28 < 40: the fourth is still full-sized
    short = [i for i, (claimed, handled) in enumerate(claims) if handled < claimed]
    assert short, "the backlog never ran out"
    assert all(sizes[i + 1] == 4 for i in short if i + 1 < len(sizes))
    assert loop.claim == 4
    with sandbox_rt.uow() as ctx:
        left = ctx.session.scalar(
            select(func.count())
            .select_from(Deadline)
            .where(Deadline.status == DeadlineStatus.pending, Deadline.due_at <= ctx.now())
        )
    assert left == 0
