"""The relay: events out of the database to the world — the feed's order, webhooks, RabbitMQ.

One loop, run by `peifu relay` or inside `peifu worker` / `peifu serve`: it sequences committed
events (services.feed.sequence, which also queues their webhook deliveries), delivers due webhook
deliveries (services.webhooks.deliver_due, signed and sent by adapters.webhook_sender), and, when
PEIFU_AMQP_URL is set, publishes the feed to RabbitMQ (adapters.amqp). Any number of relays may
run against PostgreSQL: sequencing takes turns, deliveries are leased, the broker cursor is leased.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
from dataclasses import dataclass
from types import FrameType

from peifu.adapters import prometheus
from peifu.adapters.amqp import AmqpPublisher
from peifu.adapters.runtime import Runtime
from peifu.adapters.webhook_sender import HttpSender
from peifu.services import feed, webhooks
from peifu.services.feed import Publisher
from peifu.services.webhooks import Sender

log = logging.getLogger("peifu.relay")
AMQP_SINK = "amqp"


@dataclass
class RelayReport:
    sequenced: int = 0
    delivered: int = 0
    delivery_failures: int = 0
    published: int = 0

    @property
    def busy(self) -> bool:
        return bool(self.sequenced or self.delivered or self.delivery_failures or self.published)


class Relay:
    def __init__(
        self,
        rt: Runtime,
        *,
        owner: str | None = None,
        sender: Sender | None = None,
        publisher: Publisher | None = None,
        batch: int = 200,
        idle_sleep: float = 0.2,
    ) -> None:
        settings = rt.settings
        self.rt = rt
        self.owner = owner or f"relay-{socket.gethostname()}-{os.getpid()}"
        self.sender: Sender = sender or HttpSender(
            timeout=settings.webhook_timeout_seconds,
            allow_private=settings.webhook_allow_private,
            concurrency=settings.webhook_concurrency,
        )
        if publisher is None and settings.amqp_url:
            publisher = AmqpPublisher(settings.amqp_url, exchange=settings.amqp_exchange, queue=settings.amqp_queue)
        self.publisher = publisher
        self.batch = batch
        self.idle_sleep = idle_sleep
        self._stopping = False
        self._broker_down_since: float | None = None

    def stop(self, *_: object) -> None:
        self._stopping = True

    def run_once(self) -> RelayReport:
        """Relay until nothing is left to do right now; the totals."""
        total = RelayReport()
        while not self._stopping:
            step = self.step()
            total.sequenced += step.sequenced
            total.delivered += step.delivered
            total.delivery_failures += step.delivery_failures
            total.published += step.published
            if not step.busy:
                break
        prometheus.record_relay_report(total)
        return total

    def step(self) -> RelayReport:
        report = RelayReport()
        with self.rt.uow() as ctx:
            report.sequenced = feed.sequence(ctx)
        sent = webhooks.deliver_due(self.rt, self.sender, owner=self.owner, batch=self.batch)
        report.delivered, report.delivery_failures = sent.sent, sent.failed
        for endpoint_id in sent.endpoints_failing:
            log.warning("webhook endpoint %s is failing: its events wait (probed hourly)", endpoint_id)
        if self.publisher is not None:
            report.published = self._publish()
        return report

    def _publish(self) -> int:
        assert self.publisher is not None
        try:
            published = feed.publish_due(self.rt, self.publisher, sink=AMQP_SINK, owner=self.owner, batch=1000)
        except Exception as exc:  # the broker is outside our control: the cursor stays, we try again
            if self._broker_down_since is None:
                self._broker_down_since = time.monotonic()
                log.warning("publishing to RabbitMQ failed, retrying: %s", exc)
            return 0
        if self._broker_down_since is not None:
            log.info("publishing to RabbitMQ again after %.0f s", time.monotonic() - self._broker_down_since)
            self._broker_down_since = None
        return published

    def run_forever(self) -> None:
        def _handler(signum: int, frame: FrameType | None) -> None:
            self.stop()

        signal.signal(signal.SIGTERM, _handler)
        signal.signal(signal.SIGINT, _handler)
        log.info("relay %s started", self.owner)
        while not self._stopping:
            try:
                report = self.run_once()
            except Exception:  # the database went away for a moment: log, wait, go on
                log.exception("relay round failed")
                report = RelayReport()
            if report.busy:
                log.info(
                    "events sequenced %d; webhooks delivered %d, failed %d; published %d",
                    report.sequenced,
                    report.delivered,
                    report.delivery_failures,
                    report.published,
                )
            if not self._stopping:
                time.sleep(self.idle_sleep)
        self.close()
        log.info("relay %s stopped", self.owner)

    def close(self) -> None:
        if isinstance(self.sender, HttpSender):
            self.sender.close()
        if isinstance(self.publisher, AmqpPublisher):
            self.publisher.close()
