"""Events to RabbitMQ for real (127.0.0.1:5672, guest/guest): a topic exchange, routing key = event
type, persistent messages with the event id as message_id, publisher confirms, in feed order; a
broker that cannot be reached leaves the cursor where it was and nothing is lost."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pika
import pytest
from fastapi.testclient import TestClient

from peifu.adapters.amqp import AmqpPublisher
from peifu.adapters.relay import AMQP_SINK, Relay
from peifu.adapters.runtime import Runtime
from peifu.domain.clock import ManualClock
from peifu.services import feed
from tests.event_support import AMQP_URL, Market, _rabbit_up, buyer, seller
from tests.webhook_receiver import free_port

pytestmark = pytest.mark.skipif(not _rabbit_up(), reason="RabbitMQ is not running on 127.0.0.1:5672")


@pytest.fixture
def exchange() -> Iterator[str]:
    name = f"peifu.test.{uuid.uuid4().hex[:8]}"
    yield name
    connection = pika.BlockingConnection(pika.URLParameters(AMQP_URL))
    connection.channel().exchange_delete(name)
    connection.close()


@pytest.fixture
def market(client: TestClient, rt: Runtime, clock: ManualClock) -> Market:
    return Market(client, rt, clock)


def bind(exchange: str, routing_key: str = "#") -> tuple[pika.BlockingConnection, str]:
    """A consumer's own queue on the exchange (declared before anything is published)."""
    connection = pika.BlockingConnection(pika.URLParameters(AMQP_URL))
    channel = connection.channel()
    channel.exchange_declare(exchange=exchange, exchange_type="topic", durable=True)
    queue = channel.queue_declare(queue="", exclusive=True).method.queue
    channel.queue_bind(queue=queue, exchange=exchange, routing_key=routing_key)
    return connection, queue


def drain(connection: pika.BlockingConnection, queue: str) -> list[tuple[str, pika.BasicProperties, dict]]:
    channel = connection.channel()
    got = []
    while True:
        method, props, body = channel.basic_get(queue, auto_ack=True)
        if method is None:
            return got
        got.append((method.routing_key, props, json.loads(body)))


def make_events(m: Market) -> None:
    for n in range(3):
        m.order(f"O{n}")
        case_id = m.open(f"O{n}")
        m.act(case_id, "refuse", seller(), {"reason": "不同意"})
        m.act(case_id, "withdraw", buyer())


def test_every_event_reaches_rabbitmq_in_feed_order_with_its_id(market: Market, exchange: str) -> None:
    everything, queue = bind(exchange)
    refusals, refused_queue = bind(exchange, "case.refused")
    make_events(market)
    relay = Relay(market.rt, owner="amqp-test", publisher=AmqpPublisher(AMQP_URL, exchange=exchange))
    report = relay.run_once()
    relay.close()
    with market.rt.uow() as ctx:
        rows = feed.sink_batch(ctx.session, 0, 1000)
    assert report.published == len(rows) > 0
    got = drain(everything, queue)
    assert [props.message_id for _, props, _ in got] == [r.event_id for r in rows]
    for routing_key, props, body in got:
        assert routing_key == props.type == body["type"]
        assert props.delivery_mode == 2 and props.content_type == "application/json"
        assert body["id"] == props.message_id
        assert props.headers["shop_id"] == body["shop_id"] == "shop-1"
    assert {k for k, _, _ in drain(refusals, refused_queue)} == {"case.refused"}
    everything.close()
    refusals.close()


def test_a_broker_out_of_reach_keeps_the_cursor_and_loses_nothing(market: Market, exchange: str) -> None:
    consumer, queue = bind(exchange)
    make_events(market)
    nowhere = Relay(
        market.rt, owner="amqp-test", publisher=AmqpPublisher(f"amqp://guest:guest@127.0.0.1:{free_port()}/%2F")
    )
    assert nowhere.run_once().published == 0
    nowhere.close()
    with market.rt.uow() as ctx:
        assert {s["name"]: s["position"] for s in feed.sink_state(ctx.session)}.get(AMQP_SINK, 0) == 0
    relay = Relay(market.rt, owner="amqp-test", publisher=AmqpPublisher(AMQP_URL, exchange=exchange))
    relay.run_once()
    market.order("O9")
    market.open("O9")
    relay.run_once()
    relay.close()
    ids = [props.message_id for _, props, _ in drain(consumer, queue)]
    with market.rt.uow() as ctx:
        assert ids == [r.event_id for r in feed.sink_batch(ctx.session, 0, 1000)]
    assert len(ids) == len(set(ids))
    consumer.close()


def test_a_named_queue_keeps_events_published_before_any_consumer(market: Market, exchange: str) -> None:
    queue = f"{exchange}.all"
    make_events(market)
    relay = Relay(market.rt, owner="amqp-test", publisher=AmqpPublisher(AMQP_URL, exchange=exchange, queue=queue))
    published = relay.run_once().published
    relay.close()
    connection = pika.BlockingConnection(pika.URLParameters(AMQP_URL))
    channel = connection.channel()
    depth = channel.queue_declare(queue=queue, durable=True, passive=True).method.message_count
    channel.queue_delete(queue)
    connection.close()
    assert depth == published > 0
