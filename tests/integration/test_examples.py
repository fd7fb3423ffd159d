"""The copy-paste examples in examples/ (and the README) work as printed: the webhook receiver
verifies real deliveries and handles each event once; the feed consumer catches up and resumes from
its cursor; the RabbitMQ consumer reads what the relay published."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pika
import pytest
import uvicorn
from fastapi.testclient import TestClient

from peifu.adapters.amqp import AmqpPublisher
from peifu.adapters.api.app import create_app
from peifu.adapters.relay import Relay
from peifu.adapters.runtime import Runtime
from peifu.adapters.webhook_sender import HttpSender
from peifu.domain.actors import Actor
from peifu.domain.clock import ManualClock
from peifu.domain.vocabulary import Role
from peifu.services import auth, webhooks
from tests.event_support import AMQP_URL, Market, _rabbit_up, buyer, seller
from tests.webhook_receiver import free_port

pytestmark = pytest.mark.slow  # not in `make test-fast`; always in `make test`

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


@pytest.fixture
def market(client: TestClient, rt: Runtime, clock: ManualClock) -> Market:
    return Market(client, rt, clock)


def _env(**extra: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.startswith("PEIFU_")}, **extra}


def _some_events(m: Market, n: int = 2) -> None:
    for i in range(n):
        m.order(f"X{i}-{uuid.uuid4().hex[:4]}")
        order_id = m.order(f"E{i}-{uuid.uuid4().hex[:4]}")
        case_id = m.open(order_id)
        m.act(case_id, "refuse", seller(), {"reason": "不同意"})
        m.act(case_id, "withdraw", buyer())


def test_the_readme_shows_the_examples_as_they_are() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    body = (EXAMPLES / "webhook_receiver.py").read_text(encoding="utf-8")
    assert body.strip() in readme, "README's receiver differs from examples/webhook_receiver.py"


def test_the_webhook_receiver_verifies_and_handles_each_event_once(market: Market, tmp_path: Path) -> None:
    port = free_port()
    with market.rt.uow() as ctx:
        hook = webhooks.create_endpoint(
            ctx,
            Actor(Role.platform, "platform"),
            url=f"http://127.0.0.1:{port}/peifu",
            event_types=None,
            shop_id=None,
            description="example",
            urls=webhooks.UrlPolicy(allow_private=True),
        )
        secret = hook.secret
    db = tmp_path / "handled.db"
    proc = subprocess.Popen(
        [sys.executable, str(EXAMPLES / "webhook_receiver.py")],
        env=_env(PEIFU_WEBHOOK_SECRET=secret, PORT=str(port), RECEIVER_DB=str(db)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
    )
    try:
        _some_events(market)
        relay = Relay(market.rt, owner="example", sender=HttpSender(allow_private=True))
        # Deliver only once the receiver listens: a delivery refused before that would wait for its
        # retry, and this test's clock does not move.
        _until(lambda: _listening(port), "the receiver to start")
        _until(lambda: relay.run_once().delivered > 0, "the first deliveries")
        _until(lambda: _all_delivered(market, relay, hook.id), "every delivery")
        with market.rt.uow() as ctx:
            owed = webhooks.health(ctx.session, hook.id, ctx.now())
        count = _handled(db)
        assert count == owed.delivered > 0
        with market.rt.uow() as ctx:  # everything again: the receiver skips what it has
            webhooks.replay(
                ctx, Actor(Role.platform, "platform"), hook.id, since=market.clock.now() - timedelta(days=1)
            )
        relay.run_once()
        relay.close()
        assert _handled(db) == count
    finally:
        proc.terminate()
        out = proc.communicate(timeout=10)[0].decode()
    assert out.count("case.opened") == 2, out
    assert "Traceback" not in out


def _all_delivered(m: Market, relay: Relay, endpoint_id: str) -> bool:
    """Run the relay; a delivery that failed (a receiver slow to answer on a loaded machine) waits for
    its retry on the engine's clock, so move the clock past the backoff as time would."""
    relay.run_once()
    with m.rt.uow() as ctx:
        owed = webhooks.health(ctx.session, endpoint_id, ctx.now())
    if owed.pending == 0:
        return True
    m.clock.advance(timedelta(hours=1))
    return False


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _handled(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        try:
            return int(conn.execute("SELECT count(*) FROM handled").fetchone()[0])
        except sqlite3.OperationalError:
            return 0


def _until(condition: object, what: str, timeout: float = 30) -> None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def server(rt: Runtime) -> Iterator[str]:
    port = free_port()
    uv = uvicorn.Server(uvicorn.Config(create_app(rt), host="127.0.0.1", port=port, log_config=None))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    _until(lambda: uv.started, "the server")
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)


def test_the_feed_consumer_catches_up_and_resumes_from_its_cursor(market: Market, server: str, tmp_path: Path) -> None:
    with market.rt.uow() as ctx:
        key = auth.create_api_key(ctx.session, "platform", "example", ctx.now()).key
    env = _env(PEIFU_URL=server, PEIFU_KEY=key, CURSOR_FILE=str(tmp_path / "cursor"))

    def consume() -> list[str]:
        done = subprocess.run(
            [sys.executable, str(EXAMPLES / "feed_consumer.py"), "--once"], env=env, capture_output=True, timeout=60
        )
        assert done.returncode == 0, done.stderr.decode()
        return done.stdout.decode().splitlines()

    _some_events(market)
    first = consume()
    assert len(first) == market.last_event() and first[0].startswith("case.opened")
    assert consume() == [], "resumed from its cursor: nothing again"
    _some_events(market, 1)
    assert [line.split()[0] for line in consume()] == ["case.opened", "case.refused", "case.withdrawn", "case.closed"]


@pytest.mark.skipif(not _rabbit_up(), reason="RabbitMQ is not running on 127.0.0.1:5672")
def test_the_amqp_consumer_reads_what_the_relay_published(market: Market) -> None:
    exchange, queue = f"peifu.example.{uuid.uuid4().hex[:6]}", f"example.{uuid.uuid4().hex[:6]}"
    env = _env(AMQP_URL=AMQP_URL, EXCHANGE=exchange, QUEUE=queue, BIND="case.*", DRAIN="1")
    first = subprocess.run([sys.executable, str(EXAMPLES / "amqp_consumer.py")], env=env, capture_output=True)
    assert first.returncode == 0, first.stderr.decode()  # its queue and bindings exist now
    _some_events(market)
    relay = Relay(market.rt, owner="example", publisher=AmqpPublisher(AMQP_URL, exchange=exchange))
    published = relay.run_once().published
    relay.close()
    done = subprocess.run([sys.executable, str(EXAMPLES / "amqp_consumer.py")], env=env, capture_output=True)
    connection = pika.BlockingConnection(pika.URLParameters(AMQP_URL))
    connection.channel().queue_delete(queue)
    connection.channel().exchange_delete(exchange)
    connection.close()
    lines = done.stdout.decode().splitlines()
    assert done.returncode == 0, done.stderr.decode()
    assert len(lines) == published and all(line.split()[1].startswith("case.") for line in lines)
