"""Logging in cannot take the server down (issue 21, item 6).

Each login costs an Argon2id verification (64 MiB, most of a core for over half a second here),
and eight clients looping on the login used to push /healthz from ~90 ms to ~1.2 s. Now at most
`login_concurrency` passwords are checked at once, in worker threads off the event loop; one more
login is refused at once (503 `login_busy`, `Retry-After`) instead of queueing.

The test holds the only verification slot with a verifier that waits for the test's signal, so
what it shows does not depend on how fast this machine is: a second login is refused in well
under a second, and the server keeps answering /healthz and the API meanwhile. Real Argon2id
under load is measured in benchmarks/login_bench.py.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher

from peifu.adapters.api.app import create_app
from peifu.adapters.runtime import Runtime
from peifu.services import auth
from peifu.settings import Settings
from tests.server_support import serving

PASSWORD = "a-long-password"
# Seconds: a generous bound for "answered at once" on a loaded, shared two-core machine. The held
# verification lasts until the test releases it (up to a minute), so anything that waited for the
# slot, or for a lock the login holds, would take far longer.
FAST = 3.0


class HeldVerifier:
    """A password hasher whose verify waits until the test lets it go (it still checks the password)."""

    def __init__(self) -> None:
        self.real = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        self.entered = threading.Event()
        self.release = threading.Event()
        self.calls = 0

    def hash(self, password: str) -> str:
        return self.real.hash(password)

    def verify(self, stored: str, password: str) -> bool:
        self.calls += 1
        self.entered.set()
        assert self.release.wait(timeout=60), "the test never released the verification"
        return self.real.verify(stored, password)


@pytest.fixture
def held(rt: Runtime, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, HeldVerifier]]:
    verifier = HeldVerifier()
    settings = Settings(database_url=database_url, rate_limit_per_minute=0, login_concurrency=1)
    srt = Runtime(settings, clock=rt.clock, migrate=False)
    with srt.uow() as ctx:
        auth.create_user(ctx.session, "wang", "buyer", PASSWORD, ctx.now(), party_id="buyer-wang")
        auth.create_user(ctx.session, "li", "buyer", PASSWORD, ctx.now(), party_id="buyer-li")
    monkeypatch.setattr(auth, "_hasher", verifier)
    try:
        with serving(create_app(srt)) as base:
            yield base, verifier
    finally:
        verifier.release.set()
        srt.close()


def _timed(send: Any) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    answer = send()
    return answer, time.monotonic() - started


def test_a_login_beyond_the_bound_is_refused_at_once_and_the_server_keeps_answering(
    held: tuple[str, HeldVerifier],
) -> None:
    base, verifier = held
    first: dict[str, httpx.Response] = {}
    with httpx.Client(base_url=base, timeout=30) as c:  # templates compiled, connections warm
        assert c.get("/login").status_code == 200 and c.get("/healthz").status_code == 200

    def log_in() -> None:
        with httpx.Client(base_url=base, timeout=60) as c:
            first["answer"] = c.post("/api/v1/auth/login", json={"username": "wang", "password": PASSWORD})

    holder = threading.Thread(target=log_in)
    holder.start()
    assert verifier.entered.wait(timeout=30), "the first login never reached the password check"

    with httpx.Client(base_url=base, timeout=10) as c:
        busy, took = _timed(lambda: c.post("/api/v1/auth/login", json={"username": "li", "password": PASSWORD}))
        assert busy.status_code == 503, busy.text
        assert busy.json()["error"]["code"] == "login_busy"
        assert busy.headers["Retry-After"] == "1"
        assert took < FAST, f"the refusal took {took:.2f} s"
        page, took = _timed(lambda: c.post("/login", data={"username": "li", "password": PASSWORD}))
        assert page.status_code == 503 and page.headers["Retry-After"] == "1" and took < FAST
        for _ in range(5):  # the event loop is free: health and the API answer while the slot is held
            health, took = _timed(lambda: c.get("/healthz"))
            assert health.status_code == 200 and took < FAST, f"/healthz took {took:.2f} s"
            policy, took = _timed(lambda: c.get("/api/v1/policy"))
            assert policy.status_code == 200 and took < FAST
    assert verifier.calls == 1  # the refused logins never reached Argon2
    assert holder.is_alive()

    verifier.release.set()
    holder.join(timeout=30)
    assert first["answer"].status_code == 200, first["answer"].text
    with httpx.Client(base_url=base, timeout=30) as c:  # the slot is free again
        assert c.post("/api/v1/auth/login", json={"username": "li", "password": PASSWORD}).status_code == 200
