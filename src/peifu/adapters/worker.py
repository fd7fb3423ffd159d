"""The deadline worker: claims due deadlines and fires them, forever or once.

Any number may run against PostgreSQL (claims use SKIP LOCKED and leases); on SQLite run one.
SIGTERM/SIGINT finish the current batch and stop.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
from types import FrameType

from peifu.adapters import metrics
from peifu.adapters.db.engine import unit_of_work
from peifu.adapters.runtime import Runtime
from peifu.services.deadlines import FireReport, run_due
from peifu.services.payouts import dispatch_due

log = logging.getLogger("peifu.worker")


def worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class Worker:
    def __init__(self, rt: Runtime, *, batch: int = 200, idle_sleep: float = 1.0, owner: str | None = None) -> None:
        self.rt = rt
        self.batch = batch
        self.idle_sleep = idle_sleep
        self.owner = owner or worker_id()
        self._stopping = False

    def stop(self, *_: object) -> None:
        self._stopping = True

    def run_once(self) -> FireReport:
        """Fire batches until nothing is due; return the totals."""
        total = FireReport()
        while not self._stopping:
            with unit_of_work(self.rt.factory) as session:
                self.rt.refresh_clock(session)
            report = run_due(self.rt.factory, self.rt.clock, self.rt.policies, owner=self.owner, batch=self.batch)
            paid = dispatch_due(self.rt.factory, self.rt.clock, self.rt.gateway, owner=self.owner, batch=self.batch)
            total.fired += report.fired
            total.skipped += report.skipped
            total.failed += report.failed
            total.payouts_sent += paid.sent
            total.payouts_failed += paid.failed
            if report.fired + report.skipped + report.failed + paid.sent == 0:
                break
        metrics.record_fire_report(total)
        return total

    def run_forever(self) -> None:
        def _handler(signum: int, frame: FrameType | None) -> None:
            self.stop()

        signal.signal(signal.SIGTERM, _handler)
        signal.signal(signal.SIGINT, _handler)
        log.info("worker %s started", self.owner)
        while not self._stopping:
            report = self.run_once()
            if report.fired or report.failed or report.payouts_sent or report.payouts_failed:
                log.info(
                    "deadlines fired %d, skipped %d, failed %d; payouts sent %d, failed %d",
                    report.fired,
                    report.skipped,
                    report.failed,
                    report.payouts_sent,
                    report.payouts_failed,
                )
            if not self._stopping:
                time.sleep(self.idle_sleep)
        log.info("worker %s stopped", self.owner)
