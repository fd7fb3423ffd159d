"""A relay SIGKILLed in the middle of its deliveries loses nothing: its leases run out, another
relay delivers what it held, and the receiver sees each event at least once — duplicates only of
the same event id, with the same body."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from peifu.adapters.runtime import Runtime
from peifu.db.models import EventRow, WebhookDelivery
from peifu.domain.actors import Actor
from peifu.domain.vocabulary import Role
from peifu.services import webhooks
from peifu.services.webhooks import LEASE
from tests.server_support import _peifu_command
from tests.webhook_receiver import Receiver
from tests.worker_support import advance, open_refunds

pytestmark = pytest.mark.slow  # not in `make test-fast`; always in `make test`

ORDERS = 30


def _relay(database_url: str, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEIFU_")}
    env |= {
        "PEIFU_DATABASE_URL": database_url,
        "PEIFU_SANDBOX": "1",
        "PEIFU_WEBHOOK_ALLOW_PRIVATE": "1",
        "PEIFU_WEBHOOK_CONCURRENCY": "4",
        "PEIFU_LOG_LEVEL": "WARNING",
    }
    with log.open("ab") as out:
        return subprocess.Popen(
            [*_peifu_command(), "relay", "--batch", "8", "--idle-sleep", "0.05"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )


def _wait(condition: object, timeout: float, what: str) -> None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_relay_killed_mid_delivery_loses_nothing(sandbox_rt: Runtime, database_url: str, tmp_path: Path) -> None:
    receiver = Receiver(mode="slow", slow_seconds=0.15).start()
    try:
        with sandbox_rt.uow() as ctx:
            hook = webhooks.create_endpoint(
                ctx,
                Actor(Role.platform, "platform"),
                url=receiver.url,
                event_types=["case.opened"],
                shop_id=None,
                description="crash test",
                urls=webhooks.UrlPolicy(allow_private=True),
            )
            receiver.secrets = [hook.secret]
        open_refunds(sandbox_rt, ORDERS, prefix="K", price=1000, lines=1)
        log = tmp_path / "relay.log"

        first = _relay(database_url, log)
        _wait(lambda: len(receiver.received) >= 6, 60, "the first deliveries")
        first.send_signal(signal.SIGKILL)  # mid-batch: requests in flight, leases held
        first.wait(timeout=10)
        delivered_before = len(receiver.received)
        assert delivered_before < ORDERS, "the kill came too late to prove anything"

        advance(sandbox_rt, LEASE + timedelta(seconds=1))  # the dead relay's leases run out
        second = _relay(database_url, log)
        try:
            _wait(lambda: len({r.event_id for r in receiver.accepted()}) >= ORDERS, 90, "every event")
            _wait(lambda: _all_delivered(sandbox_rt, hook.id), 30, "the deliveries marked delivered")
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=20)

        with sandbox_rt.uow() as ctx:
            owed = [
                e.event_id
                for e in ctx.session.scalars(
                    select(EventRow).where(EventRow.type == "case.opened").order_by(EventRow.id)
                )
            ]
        accepted = receiver.accepted()
        assert sorted({r.event_id for r in accepted}) == sorted(owed)
        bodies: dict[str, bytes] = {}
        for r in accepted:
            assert bodies.setdefault(r.event_id, r.body) == r.body, "a duplicate is the same event"
            assert r.verified_with == [hook.secret]
        assert "Traceback" not in log.read_text()
    finally:
        receiver.stop()


def _all_delivered(rt: Runtime, endpoint_id: str) -> bool:
    with rt.uow() as ctx:
        statuses = set(
            ctx.session.scalars(select(WebhookDelivery.status).where(WebhookDelivery.endpoint_id == endpoint_id))
        )
    return statuses == {"delivered"}
