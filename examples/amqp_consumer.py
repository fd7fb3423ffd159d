"""Consume Peifu's events from RabbitMQ (run Peifu's relay with PEIFU_AMQP_URL set).

    pip install pika
    AMQP_URL=amqp://guest:guest@127.0.0.1:5672/%2F QUEUE=erp.after-sales BIND='case.*' python amqp_consumer.py

A durable queue of your own, bound to the `peifu.events` topic exchange by event type; the message
id is the event id (delivery is at least once: skip ids you have handled); ack after handling.
"""

import json
import os

import pika

connection = pika.BlockingConnection(
    pika.URLParameters(os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F"))
)
channel = connection.channel()
exchange = os.environ.get("EXCHANGE", "peifu.events")
queue = os.environ.get("QUEUE", "erp.after-sales")
channel.exchange_declare(exchange=exchange, exchange_type="topic", durable=True)
channel.queue_declare(queue=queue, durable=True)
for key in os.environ.get("BIND", "#").split(","):
    channel.queue_bind(queue=queue, exchange=exchange, routing_key=key.strip())
channel.basic_qos(prefetch_count=50)


def on_message(ch, method, properties, body) -> None:
    event = json.loads(body)
    print(properties.message_id, method.routing_key, event["subject"]["id"], flush=True)
    ch.basic_ack(delivery_tag=method.delivery_tag)


if os.environ.get("DRAIN"):  # for tests: handle what is queued now, then stop
    for method, properties, body in channel.consume(queue, inactivity_timeout=2):
        if method is None:
            break
        on_message(channel, method, properties, body)
    channel.cancel()
    connection.close()
else:
    channel.basic_consume(queue=queue, on_message_callback=on_message)
    channel.start_consuming()
