"""The deadline worker: claims due deadlines and fires them, forever or once.

Any number may run against PostgreSQL (claims use SKIP LOCKED and leases); on SQLite run one.
SIGTERM/SIGINT finish the current batch and stop. When the database goes away (a restart, a
failover) the worker says so once, keeps its process, and retries with backoff; when the database
answers again it says so and gives back its own leases first (`Worker.step`).

How much to claim at once: the seller-silence deadlines of a claim are fired together in one
transaction (services.batch_refunds), which holds their orders' row locks until it commits — a
tenth of a second for 200, about a second or two for 2,000. So in the steady state a worker claims
`batch`; when a claim comes back full there is a backlog (a worker was down, a holiday's deadlines
fall due together), and each next claim doubles, up to `max_batch`, where one transaction per
thousands of deadlines fires them several times faster. The first claim that is not full drops it
back to `batch`.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import time
from pathlib import Path
from types import FrameType

from peifu.adapters import prometheus
from peifu.adapters.relay import Relay
from peifu.adapters.runtime import Runtime
from peifu.db.engine import database_away, unit_of_work
from peifu.db.idempotency_keys import purge_expired, retention
from peifu.db.locking import release_leases
from peifu.services import audit
from peifu.services.deadlines import FireReport, run_due, send_reminders
from peifu.services.payouts import dispatch_due

log = logging.getLogger("peifu.worker")
PURGE_EVERY = 3600.0  # seconds between purges of expired idempotency keys
OUTAGE_FIRST_RETRY = 0.25  # seconds before the first retry while the database is away, doubling …
OUTAGE_MAX_RETRY = 5.0  # … up to this


def worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class Worker:
    def __init__(
        self,
        rt: Runtime,
        *,
        batch: int = 200,
        max_batch: int | None = None,
        idle_sleep: float = 1.0,
        owner: str | None = None,
        relay: Relay | None = None,
    ) -> None:
        self.rt = rt
        self.relay = relay  # events out (webhooks, RabbitMQ) between batches, when this worker relays too
        self.batch = batch
        self.max_batch = max(batch, max_batch if max_batch is not None else 10 * batch)
        self.claim = batch  # the next claim's size: see the module's docstring
        self.idle_sleep = idle_sleep
        self.owner = owner or worker_id()
        self._stopping = False
        self._next_purge = 0.0  # monotonic time of the next idempotency-key purge
        self._next_checkpoint = 0.0  # monotonic time of the next audit checkpoint
        self._away_since: float | None = None  # monotonic time the database went away, while it is
        self._retry_in = OUTAGE_FIRST_RETRY

    def stop(self, *_: object) -> None:
        self._stopping = True

    def run_once(self) -> FireReport:
        """Fire batches until nothing is due; return the totals."""
        total = FireReport()
        while not self._stopping:
            with unit_of_work(self.rt.factory) as session:
                self.rt.refresh_clock(session)
            claimed = self.claim
            report = run_due(self.rt, owner=self.owner, batch=claimed)
            self.claim = next_claim(claimed, report, self.batch, self.max_batch)
            paid = dispatch_due(self.rt, self.rt.gateway, owner=self.owner, batch=self.batch)
            reminded = send_reminders(self.rt)
            total.reminders += reminded
            if self.relay is not None:
                self.relay.step()
            total.fired += report.fired
            total.skipped += report.skipped
            total.failed += report.failed
            total.payouts_sent += paid.sent
            total.payouts_failed += paid.failed
            if report.fired + report.skipped + report.failed + paid.sent + reminded == 0:
                break
        prometheus.record_fire_report(total)
        self.purge_if_due()
        self.checkpoint_if_due()
        if self.relay is not None and not self._stopping:
            self.relay.run_once()
        return total

    def purge_if_due(self) -> int:
        """About once an hour: delete the idempotency keys past their retention."""
        if time.monotonic() < self._next_purge:
            return 0
        self._next_purge = time.monotonic() + PURGE_EVERY
        gone = purge_expired(self.rt.factory, self.rt.clock.now(), retention(self.rt.settings))
        if gone:
            log.info("purged %d idempotency keys older than %s", gone, retention(self.rt.settings))
        return gone

    def checkpoint_if_due(self) -> dict[str, object] | None:
        """Every `PEIFU_AUDIT_CHECKPOINT_MINUTES`: sign a checkpoint of the audit chains' heads
        (services.audit), stored, and written to `PEIFU_AUDIT_CHECKPOINT_DIR` when set — storage
        the database's users cannot rewrite, which is what makes a cut-off chain end noticeable."""
        every = self.rt.settings.audit_checkpoint_minutes
        if not every or time.monotonic() < self._next_checkpoint:
            return None
        self._next_checkpoint = time.monotonic() + every * 60
        with unit_of_work(self.rt.factory) as session:
            cp = audit.checkpoint(session, self.rt.clock.now())
        folder = self.rt.settings.audit_checkpoint_dir
        if folder:
            path = Path(folder) / f"audit-checkpoint-{cp['id']:08d}.json"
            path.write_text(json.dumps(cp, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        log.info("audit checkpoint %s: root %s over %d chains", cp["id"], cp["root"], len(cp["heads"]))
        return cp

    def step(self) -> FireReport | None:
        """`run_once`, riding out a database that is away (a restart, a failover): None while it is —
        logged once, retried with backoff, nothing about the work recorded as failed — and when it
        answers again the worker first gives back its own leases, so the batch the outage cut
        short is taken again at once instead of after the leases expire."""
        try:
            if self._away_since is not None:
                with unit_of_work(self.rt.factory) as session:
                    deadlines, payouts = release_leases(session, self.owner)
                log.warning(
                    "database reachable again after %.1f s; worker %s took back %d deadlines and %d payouts",
                    time.monotonic() - self._away_since,
                    self.owner,
                    deadlines,
                    payouts,
                )
                self._away_since, self._retry_in = None, OUTAGE_FIRST_RETRY
            return self.run_once()
        except Exception as exc:
            if not database_away(exc):
                raise
            if self._away_since is None:
                self._away_since = time.monotonic()
                log.warning(
                    "database unavailable (%s); worker %s keeps its work and retries until it answers",
                    str(getattr(exc, "orig", exc)).strip().splitlines()[0][:200],
                    self.owner,
                )
            else:
                self._retry_in = min(OUTAGE_MAX_RETRY, self._retry_in * 2)
            return None

    def run_forever(self) -> None:
        def _handler(signum: int, frame: FrameType | None) -> None:
            self.stop()

        signal.signal(signal.SIGTERM, _handler)
        signal.signal(signal.SIGINT, _handler)
        log.info("worker %s started", self.owner)
        while not self._stopping:
            report = self.step()
            if report is None:  # the database is away
                time.sleep(self._retry_in)
                continue
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


def next_claim(claimed: int, report: FireReport, batch: int, max_batch: int) -> int:
    """Double after a full claim (a backlog), back to `batch` after one that was not."""
    if report.fired + report.skipped + report.failed >= claimed:
        return min(claimed * 2, max_batch)
    return batch
