"""Request limits: body size (413 payload_too_large) and per-client rate (429 rate_limited)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from peifu.adapters.api.app import create_app
from peifu.adapters.http.caller import STATE_KEY, Caller
from peifu.adapters.http.limits import (
    JSON_LIMIT,
    UPLOAD_LIMIT,
    BodyLimitMiddleware,
    RateLimitMiddleware,
    TokenBucket,
    client_key,
)
from peifu.adapters.runtime import Runtime
from peifu.domain.actors import Actor
from peifu.domain.errors import Unauthenticated
from peifu.domain.vocabulary import Role
from peifu.services import auth
from peifu.settings import Settings
from tests.conftest import order_body


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    """A body sent chunked, without Content-Length."""
    while total > 0:
        n = min(size, total)
        total -= n
        yield b"x" * n


def _echo_app(**limits: int) -> Starlette:
    async def echo(request: Request) -> JSONResponse:
        body = await request.body()
        return JSONResponse({"received": len(body)})

    routes = [Route("/echo", echo, methods=["POST"]), Route("/d/1/evidence/files", echo, methods=["POST"])]
    app = Starlette(routes=routes)
    app.add_middleware(BodyLimitMiddleware, **limits)
    return app


def _assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert set(error) == {"code", "message", "details"}
    return dict(error)


# --- body size, unit: the middleware around a bare app with small limits -------------------------


def test_body_at_the_limit_passes_one_byte_more_is_refused() -> None:
    with TestClient(_echo_app(json_limit=100, upload_limit=1000)) as c:
        assert c.post("/echo", content=b"x" * 100).json() == {"received": 100}
        _assert_error(c.post("/echo", content=b"x" * 101), 413, "payload_too_large")


def test_streamed_body_without_content_length_is_counted() -> None:
    with TestClient(_echo_app(json_limit=100, upload_limit=1000)) as c:
        ok = c.post("/echo", content=_chunks(100, 7))
        assert ok.request.headers.get("content-length") is None
        assert ok.json() == {"received": 100}
        refused = c.post("/echo", content=_chunks(150, 7))
        assert refused.request.headers.get("content-length") is None
        _assert_error(refused, 413, "payload_too_large")


def test_evidence_uploads_get_the_larger_limit() -> None:
    with TestClient(_echo_app(json_limit=100, upload_limit=1000)) as c:
        assert c.post("/d/1/evidence/files", content=b"x" * 1000).json() == {"received": 1000}
        assert c.post("/d/1/evidence/files", content=_chunks(900, 50)).json() == {"received": 900}
        _assert_error(c.post("/d/1/evidence/files", content=b"x" * 1001), 413, "payload_too_large")
        _assert_error(c.post("/d/1/evidence/files", content=_chunks(1001, 50)), 413, "payload_too_large")


def test_default_limits() -> None:
    assert JSON_LIMIT == 1024 * 1024
    assert UPLOAD_LIMIT == 60 * 1024 * 1024


# --- body size, through the real app ------------------------------------------------------------


def test_json_body_over_one_mib_is_refused_by_content_length(client: TestClient) -> None:
    body = b'{"id": "' + b"x" * JSON_LIMIT + b'"}'
    response = client.post("/api/v1/orders", content=body, headers={"content-type": "application/json"})
    error = _assert_error(response, 413, "payload_too_large")
    assert "1 MiB" in error["message"]


def test_streamed_json_body_over_one_mib_is_refused(client: TestClient) -> None:
    response = client.post(
        "/api/v1/orders", content=_chunks(JSON_LIMIT + 1), headers={"content-type": "application/json"}
    )
    assert response.request.headers.get("content-length") is None
    _assert_error(response, 413, "payload_too_large")


def test_json_body_under_the_limit_reaches_the_route(client: TestClient) -> None:
    big = order_body(note="x" * (JSON_LIMIT // 2))
    response = client.post("/api/v1/orders", json=big)
    assert response.status_code != 413, response.text


def test_evidence_upload_over_one_mib_passes_the_size_limit(client: TestClient) -> None:
    files = {"file": ("photo.png", b"\x89PNG" + b"x" * (2 * 1024 * 1024), "image/png")}
    response = client.post(
        "/api/v1/disputes/999/evidence/files",
        data={"kind": "image"},
        files=files,
        headers={"X-Peifu-Actor": "buyer:b1"},
    )
    assert response.status_code != 413, response.text  # no such dispute, but not too large
    assert response.json()["error"]["code"] != "payload_too_large"


def test_evidence_upload_over_sixty_mib_is_refused(client: TestClient) -> None:
    response = client.post(
        "/api/v1/disputes/1/evidence/files",
        content=b"x" * (UPLOAD_LIMIT + 1),
        headers={"content-type": "multipart/form-data; boundary=xyz", "X-Peifu-Actor": "buyer:b1"},
    )
    _assert_error(response, 413, "payload_too_large")


# --- rate, unit ---------------------------------------------------------------------------------


def test_token_bucket_allows_a_burst_then_refills_at_the_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(60, clock=clock)  # one per second, bursts of 60
    assert all(bucket.take("a") == 0 for _ in range(60))
    assert bucket.take("a") == pytest.approx(1.0)
    clock.now += 0.5
    assert bucket.take("a") == pytest.approx(0.5)
    clock.now += 0.5
    assert bucket.take("a") == 0
    assert bucket.take("b") == 0  # another client has its own bucket
    clock.now += 3600
    assert all(bucket.take("a") == 0 for _ in range(60))  # refills to the burst size, no more
    assert bucket.take("a") > 0


def test_token_bucket_forgets_the_least_recently_seen_clients() -> None:
    bucket = TokenBucket(10, clock=FakeClock(), max_clients=3)
    for key in "abcde":
        bucket.take(key)
    assert len(bucket) == 3


def test_token_bucket_refuses_a_zero_rate() -> None:
    with pytest.raises(ValueError):
        TokenBucket(0)


def _scope(caller: Caller | None, client: tuple[str, int] | None = ("10.0.0.1", 5000)) -> dict[str, Any]:
    scope: dict[str, Any] = {"type": "http", "headers": [], "client": client}
    if caller is not None:
        scope["state"] = {STATE_KEY: caller}
    return scope


def test_client_is_the_authenticated_principal_else_the_address() -> None:
    wang = Caller("user:wang", "10.0.0.1", actor=Actor(Role.buyer, "b1", user="wang"), credential="secret")
    by_user = client_key(_scope(wang))
    assert by_user.startswith("who:") and "wang" not in by_user and "secret" not in by_user
    assert by_user == client_key(_scope(replace(wang, address="10.9.9.9", credential="other-token")))
    refused = Caller("ip:10.0.0.1", "10.0.0.1", error=Unauthenticated("session_expired", "no"))
    assert client_key(_scope(refused)) == "ip:10.0.0.1"  # a bad credential is no identity
    assert client_key(_scope(None)) == "ip:10.0.0.1"
    assert client_key(_scope(None, None)) == "ip:unknown"


class _AsCaller:
    """Test stand-in for CallerMiddleware: X-Peifu-Actor names an authenticated caller."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        named = dict(scope.get("headers", [])).get(b"x-peifu-actor")
        if named:
            role, _, who = named.decode().partition(":")
            actor = Actor(Role(role), who)
            scope.setdefault("state", {})[STATE_KEY] = Caller(f"actor:{role}:{who}", "testclient", actor=actor)
        await self.app(scope, receive, send)


def _limited_app(per_minute: int, clock: FakeClock) -> Starlette:
    async def ok(request: Request) -> JSONResponse:
        return JSONResponse({"ok": True})

    app = Starlette(routes=[Route("/", ok)])
    app.add_middleware(RateLimitMiddleware, limiter=TokenBucket(per_minute, clock=clock) if per_minute else None)
    app.add_middleware(_AsCaller)
    return app


def test_rate_limited_client_gets_429_with_retry_after() -> None:
    clock = FakeClock()
    with TestClient(_limited_app(3, clock)) as c:
        buyer = {"X-Peifu-Actor": "buyer:b1"}
        assert [c.get("/", headers=buyer).status_code for _ in range(3)] == [200, 200, 200]
        refused = c.get("/", headers=buyer)
        error = _assert_error(refused, 429, "rate_limited")
        assert refused.headers["Retry-After"] == "20"  # 3 a minute: one token every 20 s
        assert error["details"]["retry_after_seconds"] == 20
        assert c.get("/", headers={"X-Peifu-Actor": "buyer:b2"}).status_code == 200  # others are not affected
        clock.now += 19
        assert c.get("/", headers=buyer).headers["Retry-After"] == "1"
        clock.now += 1
        assert c.get("/", headers=buyer).status_code == 200


def test_zero_disables_the_rate_limit() -> None:
    with TestClient(_limited_app(0, FakeClock())) as c:
        assert {c.get("/").status_code for _ in range(50)} == {200}


# --- rate, through the real app -----------------------------------------------------------------


def test_app_rate_limit_comes_from_settings(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rt, "settings", replace(rt.settings, rate_limit_per_minute=2))
    app = create_app(rt)
    clock = FakeClock()
    app.state.rate_limiter.clock = clock
    with TestClient(app, raise_server_exceptions=False) as c:
        assert c.get("/healthz").status_code == 200
        assert c.get("/healthz").status_code == 200
        refused = c.get("/healthz")
        _assert_error(refused, 429, "rate_limited")
        assert refused.headers["Retry-After"] == "30"
        assert refused.headers["X-Request-ID"]  # still logged and traced
        clock.now += 30
        assert c.get("/healthz").status_code == 200


def test_app_without_rate_limit(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rt, "settings", replace(rt.settings, rate_limit_per_minute=0))
    app = create_app(rt)
    assert app.state.rate_limiter is None
    with TestClient(app, raise_server_exceptions=False) as c:
        assert {c.get("/healthz").status_code for _ in range(5)} == {200}


def test_settings_read_the_rate_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PEIFU_RATE_LIMIT_PER_MINUTE", raising=False)
    assert Settings.from_env().rate_limit_per_minute == 600
    monkeypatch.setenv("PEIFU_RATE_LIMIT_PER_MINUTE", "0")
    assert Settings.from_env().rate_limit_per_minute == 0
    monkeypatch.setenv("PEIFU_RATE_LIMIT_PER_MINUTE", "many")
    with pytest.raises(ValueError):
        Settings.from_env()


# --- who the rate is counted against, and failed logins (issue 21, item 5) -----------------------------

PASSWORD = "a-long-password"


@pytest.fixture
def real_auth(rt: Runtime, database_url: str) -> Iterator[Runtime]:
    """A deployment that authenticates for real, with two users, an API key, and cheap Argon2."""
    srt = Runtime(Settings(database_url=database_url, rate_limit_per_minute=5), clock=rt.clock, migrate=False)
    with srt.uow() as ctx:
        for user in ("wang", "li"):
            auth.create_user(ctx.session, user, "buyer", PASSWORD, ctx.now(), party_id=f"buyer-{user}")
        srt.api_key = auth.create_api_key(ctx.session, "platform", "erp", ctx.now()).key  # type: ignore[attr-defined]
    yield srt
    srt.close()


def _app(srt: Runtime, clock: FakeClock) -> Any:
    app = create_app(srt)
    if app.state.rate_limiter is not None:
        app.state.rate_limiter.clock = clock
    for bucket in (app.state.login_guard.per_account, app.state.login_guard.per_address):
        bucket.clock = clock
    return app


def _from(app: Any, address: str) -> TestClient:
    return TestClient(app, raise_server_exceptions=False, client=(address, 40000))


def test_junk_tokens_share_their_address_bucket(real_auth: Runtime) -> None:
    """`Bearer junk-<i>` used to buy a fresh bucket per request."""
    with _from(_app(real_auth, FakeClock()), "198.51.100.7") as c:
        answers = [c.get("/api/v1/auth/me", headers={"Authorization": f"Bearer junk-{i}"}) for i in range(5)]
        assert [a.status_code for a in answers] == [401] * 5
        refused = c.get("/api/v1/auth/me", headers={"Authorization": "Bearer junk-5"})
        _assert_error(refused, 429, "rate_limited")
        assert refused.headers["Retry-After"] == "12"  # 5 a minute
        # anonymous requests from the address are in the same bucket
        _assert_error(c.get("/healthz"), 429, "rate_limited")
        _assert_error(c.post("/api/v1/auth/login", json={"username": "wang", "password": "x"}), 429, "rate_limited")


def test_valid_credentials_have_their_principals_bucket_whatever_the_address_does(real_auth: Runtime) -> None:
    clock = FakeClock()
    app = _app(real_auth, clock)
    key = {"Authorization": f"Bearer {real_auth.api_key}"}  # type: ignore[attr-defined]
    with _from(app, "198.51.100.8") as c:
        for i in range(6):  # the address's bucket is spent by junk
            c.get("/api/v1/auth/me", headers={"Authorization": f"Bearer junk-{i}"})
        assert [c.get("/api/v1/auth/me", headers=key).status_code for _ in range(5)] == [200] * 5
        _assert_error(c.get("/api/v1/auth/me", headers=key), 429, "rate_limited")
    with _from(app, "203.0.113.9") as elsewhere:  # the key's bucket follows the key, not the address
        _assert_error(elsewhere.get("/api/v1/auth/me", headers=key), 429, "rate_limited")
        clock.now += 12
        assert elsewhere.get("/api/v1/auth/me", headers=key).status_code == 200


def test_two_sessions_of_one_user_share_one_bucket(real_auth: Runtime) -> None:
    clock = FakeClock()
    app = _app(real_auth, clock)
    tokens = []
    for address in ("192.0.2.1", "192.0.2.2"):
        with _from(app, address) as c:
            resp = c.post("/api/v1/auth/login", json={"username": "wang", "password": PASSWORD})
            assert resp.status_code == 200, resp.text
            tokens.append(resp.json()["token"])
    with _from(app, "192.0.2.3") as c:
        statuses = [
            c.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {tokens[i % 2]}"}).status_code for i in range(6)
        ]
    assert statuses == [200] * 5 + [429]


def test_failed_logins_are_throttled_per_account(real_auth: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(real_auth, "settings", replace(real_auth.settings, rate_limit_per_minute=0))
    clock = FakeClock()
    app = _app(real_auth, clock)
    wrong = {"username": "wang", "password": "not-the-password"}
    for i in range(10):  # from ten addresses: an address limit would not stop this
        with _from(app, f"10.1.0.{i}") as c:
            _assert_error(c.post("/api/v1/auth/login", json=wrong), 401, "invalid_credentials")
    with _from(app, "10.1.0.99") as c:
        refused = c.post("/api/v1/auth/login", json=wrong)
        error = _assert_error(refused, 429, "login_throttled")
        assert refused.headers["Retry-After"] == "90"  # 10 per 15 minutes: one more every 90 s
        assert error["details"]["retry_after_seconds"] == 90
        # while it lasts the right password is refused too (else the guessing would go on)
        right = c.post("/api/v1/auth/login", json={"username": "wang", "password": PASSWORD})
        _assert_error(right, 429, "login_throttled")
        # another account is not affected
        assert c.post("/api/v1/auth/login", json={"username": "li", "password": PASSWORD}).status_code == 200
        clock.now += 90
        assert c.post("/api/v1/auth/login", json={"username": "wang", "password": PASSWORD}).status_code == 200
        # a success clears the account's failures
        for _ in range(9):
            _assert_error(c.post("/api/v1/auth/login", json=wrong), 401, "invalid_credentials")


def test_failed_logins_are_throttled_per_address(real_auth: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(real_auth, "settings", replace(real_auth.settings, rate_limit_per_minute=0))
    app = _app(real_auth, FakeClock())
    with _from(app, "10.2.0.1") as c:
        for i in range(30):  # thirty accounts (existing or not), one guess each
            body = {"username": f"user-{i}", "password": "guess"}
            _assert_error(c.post("/api/v1/auth/login", json=body), 401, "invalid_credentials")
        refused = c.post("/api/v1/auth/login", json={"username": "li", "password": PASSWORD})
        _assert_error(refused, 429, "login_throttled")
        assert int(refused.headers["Retry-After"]) == 30  # 30 per 15 minutes
        page = c.post("/login", data={"username": "li", "password": PASSWORD}, follow_redirects=False)
        assert page.status_code == 429 and page.headers["Retry-After"] == "30"
        assert "peifu_session" not in page.headers.get("set-cookie", "")
    with _from(app, "10.2.0.2") as other:
        assert other.post("/api/v1/auth/login", json={"username": "li", "password": PASSWORD}).status_code == 200


def test_settings_read_the_login_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ACCOUNT", "ADDRESS"):
        monkeypatch.delenv(f"PEIFU_LOGIN_FAILURES_PER_{name}", raising=False)
    monkeypatch.delenv("PEIFU_LOGIN_FAILURE_WINDOW_SECONDS", raising=False)
    monkeypatch.setenv("PEIFU_LOGIN_CONCURRENCY", "3")
    settings = Settings.from_env()
    assert (settings.login_failures_per_account, settings.login_failures_per_address) == (10, 30)
    assert settings.login_failure_window_seconds == 900 and settings.login_concurrency == 3
    monkeypatch.setenv("PEIFU_LOGIN_CONCURRENCY", "0")
    assert Settings.from_env().login_concurrency == 1  # never none at all
