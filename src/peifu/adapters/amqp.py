"""Publishing events to RabbitMQ (AMQP 0-9-1) with pika.

Why pika: it is the client the RabbitMQ project's own tutorials use, a thin and long-maintained
implementation of AMQP 0-9-1 with no framework around it; its blocking connection fits the
worker's synchronous loop, and `confirm_delivery()` gives publisher confirms — `basic_publish`
returns only once the broker has taken responsibility for the message (and raises if it nacks).
kombu adds Celery's transport abstraction we do not need; faststream and aio-pika are asyncio
frameworks around the same protocol.

Every event goes to one durable topic exchange (PEIFU_AMQP_EXCHANGE, default `peifu.events`)
with the event type as routing key (`case.agreed`, bind `case.*` or `#`), as a persistent message
whose `message_id` is the event id (the consumer's idempotency key: delivery is at least once),
its body the same JSON as a webhook's. With PEIFU_AMQP_QUEUE set, a durable queue of that name is
declared and bound to `#`, so nothing published is dropped before a consumer first binds its own.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import pika
from pika.adapters.blocking_connection import BlockingChannel

from peifu.services.feed import Message

log = logging.getLogger("peifu.amqp")


class AmqpPublisher:
    """services.feed.Publisher over one blocking connection with publisher confirms."""

    def __init__(self, url: str, *, exchange: str = "peifu.events", queue: str | None = None) -> None:
        self.url = url
        self.exchange = exchange
        self.queue = queue
        self._connection: pika.BlockingConnection | None = None
        self._channel: BlockingChannel | None = None

    def _open(self) -> BlockingChannel:
        if self._channel is not None and self._channel.is_open:
            return self._channel
        self.close()
        params = pika.URLParameters(self.url)
        params.client_properties = {"connection_name": "peifu relay"}
        self._connection = pika.BlockingConnection(params)
        channel = self._connection.channel()
        channel.confirm_delivery()
        channel.exchange_declare(exchange=self.exchange, exchange_type="topic", durable=True)
        if self.queue:
            channel.queue_declare(queue=self.queue, durable=True)
            channel.queue_bind(queue=self.queue, exchange=self.exchange, routing_key="#")
        self._channel = channel
        log.info("connected to RabbitMQ, publishing to exchange %s", self.exchange)
        return channel

    def publish(self, messages: Sequence[Message]) -> None:
        """Publish each message and wait for the broker's confirm; raise on the first failure
        (the caller then publishes again from its cursor)."""
        if not messages:
            return
        try:
            channel = self._open()
            for message in messages:
                channel.basic_publish(
                    exchange=self.exchange,
                    routing_key=message.event_type,
                    body=message.body,
                    properties=pika.BasicProperties(
                        content_type="application/json",
                        delivery_mode=pika.DeliveryMode.Persistent,
                        message_id=message.event_id,
                        type=message.event_type,
                        timestamp=message.timestamp,
                        headers=_headers(message),
                        app_id="peifu",
                    ),
                )
        except Exception:
            self.close()  # a broken channel is reopened on the next call
            raise

    def close(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None and connection.is_open:
            try:
                connection.close()
            except Exception:  # already going away: nothing to keep
                log.debug("closing the AMQP connection failed", exc_info=True)


def _headers(message: Message) -> dict[str, Any]:
    return {
        "shop_id": message.shop_id,
        "buyer_id": message.buyer_id,
        "schema_version": message.schema_version,
        "position": message.position,
    }
