"""The worker's claim size: `batch` in the steady state, doubling up to `max_batch` while claims
come back full (a backlog), back to `batch` after the first claim that is not."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from peifu.adapters import worker as worker_module
from peifu.adapters.runtime import Runtime
from peifu.adapters.worker import Worker, next_claim
from peifu.db.models import Deadline
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


def test_a_worker_rides_out_a_database_outage_and_takes_its_batch_back_at_once(
    sandbox_rt: Runtime, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The connection dies while a claimed batch fires (tests/test_database_restart.py does it with
    a real PostgreSQL restart): nothing is recorded against the deadlines, the worker says so once,
    and when the database answers it takes its claimed rows back without waiting for the lease."""
    from sqlalchemy.exc import OperationalError

    from peifu.services import batch_refunds

    open_refunds(sandbox_rt, 6, prefix="outage", price=5_000, lines=1)
    advance(sandbox_rt, timedelta(hours=73))
    real_agree_all, real_release = batch_refunds.agree_all, worker_module.release_leases
    down = [False]

    def unless_down(real: Any) -> Any:
        def call(*args: object, **kwargs: object) -> object:
            if down[0]:
                raise OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly"))
            return real(*args, **kwargs)

        return call

    def agree_all_then_the_server_goes(*args: object, **kwargs: object) -> object:
        down[0] = True  # the server goes away while the claimed batch fires
        return unless_down(real_agree_all)(*args, **kwargs)

    monkeypatch.setattr(batch_refunds, "agree_all", agree_all_then_the_server_goes)
    monkeypatch.setattr(worker_module, "release_leases", unless_down(real_release))
    loop = Worker(sandbox_rt, batch=4, max_batch=4, owner="outage-test")
    with caplog.at_level("WARNING", logger="peifu.worker"):
        assert [loop.step() for _ in range(3)] == [None, None, None]  # down: retried, quietly
        down[0] = False
        monkeypatch.setattr(batch_refunds, "agree_all", real_agree_all)
        with sandbox_rt.uow() as ctx:
            leased = ctx.session.scalar(
                select(func.count()).select_from(Deadline).where(Deadline.lease_owner == "outage-test")
            )
            tried = ctx.session.scalar(select(func.sum(Deadline.attempts)))
        assert leased == 4 and not tried  # claimed, nothing counted against them
        report = loop.step()  # the database is back: no lease to wait out
    assert report is not None and report.fired == 6
    lines = [r.getMessage() for r in caplog.records]
    assert sum("database unavailable" in line for line in lines) == 1, lines
    assert sum("database reachable again" in line and "took back 4 deadlines" in line for line in lines) == 1, lines
    with sandbox_rt.uow() as ctx:
        statuses = dict(ctx.session.execute(select(Deadline.status, func.count()).group_by(Deadline.status)).all())
    assert statuses == {"fired": 6}
