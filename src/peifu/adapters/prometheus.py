"""Prometheus metrics that do not belong to one HTTP app.

* Worker counters (deadlines fired, skipped, failed; payouts sent, failed) live in the process-wide
  default registry, so the in-process worker of `peifu serve` shows up on the API's `/metrics`,
  and a standalone `peifu worker --metrics-port N` serves them itself.
* `BacklogCollector` reads the database at scrape time: how late the oldest due deadline is, how
  many are due, and how many payouts wait in the outbox. Nothing is cached, so a scrape always
  sees the truth (one short read transaction per scrape).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Protocol

from prometheus_client import REGISTRY, Counter
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector, CollectorRegistry
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from peifu.adapters.runtime import Runtime
from peifu.db.models import Deadline, EventRow, OutboxMessage, WebhookDelivery, WebhookEndpoint
from peifu.domain.vocabulary import DeadlineStatus, DeliveryStatus, EndpointStatus, PayoutStatus
from peifu.services.deadlines import FireReport

log = logging.getLogger("peifu.metrics")

DEADLINES_FIRED = Counter("peifu_deadlines_fired", "Deadlines fired by the worker in this process.")
DEADLINES_SKIPPED = Counter(
    "peifu_deadlines_skipped", "Deadlines the worker claimed but skipped (no longer applicable)."
)
DEADLINES_FAILED = Counter("peifu_deadlines_failed", "Deadlines whose firing raised an error (retried later).")
PAYOUTS_SENT = Counter("peifu_payouts_sent", "Outbox payouts the payment gateway confirmed.")
PAYOUTS_FAILED = Counter("peifu_payouts_failed", "Outbox payout attempts that failed (retried later).")


EVENTS_SEQUENCED = Counter("peifu_events_sequenced", "Domain events given their feed position by this process.")
WEBHOOKS_DELIVERED = Counter("peifu_webhooks_delivered", "Webhook deliveries a receiver answered with 2xx.")
WEBHOOK_FAILURES = Counter("peifu_webhook_failures", "Webhook delivery attempts that failed (retried later).")
EVENTS_PUBLISHED = Counter("peifu_events_published", "Events published to RabbitMQ and confirmed by the broker.")


def record_relay_report(report: RelayCounts) -> None:
    """Count what one `Relay.run_once` did."""
    EVENTS_SEQUENCED.inc(report.sequenced)
    WEBHOOKS_DELIVERED.inc(report.delivered)
    WEBHOOK_FAILURES.inc(report.delivery_failures)
    EVENTS_PUBLISHED.inc(report.published)


class RelayCounts(Protocol):
    sequenced: int
    delivered: int
    delivery_failures: int
    published: int


def record_fire_report(report: FireReport) -> None:
    """Count what one `Worker.run_once` did."""
    DEADLINES_FIRED.inc(report.fired)
    DEADLINES_SKIPPED.inc(report.skipped)
    DEADLINES_FAILED.inc(report.failed)
    PAYOUTS_SENT.inc(report.payouts_sent)
    PAYOUTS_FAILED.inc(report.payouts_failed)


class BacklogCollector(Collector):
    """Gauges computed from the database when Prometheus scrapes, using the runtime's clock."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt

    def describe(self) -> Iterable[Metric]:
        return []  # never query the database at registration

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("peifu_database_up", "1 if the last scrape could read the database, else 0.")
        try:
            with self.rt.uow() as ctx:
                now = ctx.clock.now()
                oldest, due = ctx.session.execute(
                    select(func.min(Deadline.due_at), func.count(Deadline.id)).where(
                        Deadline.status == DeadlineStatus.pending, Deadline.due_at <= now
                    )
                ).one()
                backlog = ctx.session.scalar(
                    select(func.count(OutboxMessage.id)).where(OutboxMessage.status == PayoutStatus.pending)
                )
                unsequenced, oldest_event = ctx.session.execute(
                    select(func.count(EventRow.id), func.min(EventRow.occurred_at)).where(EventRow.position.is_(None))
                ).one()
                webhook_due = ctx.session.scalar(
                    select(func.count(WebhookDelivery.id)).where(WebhookDelivery.status == DeliveryStatus.pending)
                )
                failing = ctx.session.scalar(
                    select(func.count(WebhookEndpoint.id)).where(WebhookEndpoint.status == EndpointStatus.failing)
                )
        except SQLAlchemyError as exc:
            log.warning("metrics: database unreadable: %s", type(exc).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        lag = max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0
        yield GaugeMetricFamily(
            "peifu_deadline_lag_seconds",
            "Seconds since the oldest pending deadline became due (0 when none is overdue).",
            value=lag,
        )
        yield GaugeMetricFamily("peifu_deadlines_due", "Pending deadlines that are due now.", value=due or 0)
        yield GaugeMetricFamily(
            "peifu_outbox_backlog", "Outbox messages (payouts) still pending delivery.", value=backlog or 0
        )
        yield GaugeMetricFamily(
            "peifu_events_unsequenced", "Committed events not yet in the feed (the relay is behind).", value=unsequenced
        )
        event_lag = max(0.0, (now - oldest_event).total_seconds()) if oldest_event is not None else 0.0
        yield GaugeMetricFamily(
            "peifu_event_lag_seconds", "Age of the oldest event not yet in the feed (0 when none).", value=event_lag
        )
        yield GaugeMetricFamily(
            "peifu_webhook_deliveries_pending", "Webhook deliveries waiting (due, retrying or held).", value=webhook_due
        )
        yield GaugeMetricFamily(
            "peifu_webhook_endpoints_failing", "Webhook endpoints marked failing (their events wait).", value=failing
        )


class ForwardCollector(Collector):
    """Exposes another registry's metrics (the process-wide one) through an app's own registry."""

    def __init__(self, source: CollectorRegistry = REGISTRY) -> None:
        self.source = source

    def describe(self) -> Iterable[Metric]:
        return []

    def collect(self) -> Iterator[Metric]:
        yield from self.source.collect()
