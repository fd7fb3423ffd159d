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
from peifu.adapters.api.limits import (
    JSON_LIMIT,
    UPLOAD_LIMIT,
    BodyLimitMiddleware,
    RateLimitMiddleware,
    TokenBucket,
    client_key,
)
from peifu.adapters.runtime import Runtime
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


def _scope(headers: dict[str, str], client: tuple[str, int] | None = ("10.0.0.1", 5000)) -> dict[str, Any]:
    return {
        "type": "http",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": client,
    }


def test_client_is_identified_by_credentials_then_actor_then_address() -> None:
    by_token = client_key(_scope({"Authorization": "Bearer secret", "X-Peifu-Actor": "buyer:b1"}))
    assert by_token.startswith("auth:") and "secret" not in by_token
    assert by_token != client_key(_scope({"Authorization": "Bearer other"}))
    assert by_token == client_key(_scope({"Authorization": "Bearer secret"}, ("10.9.9.9", 1)))
    by_actor = client_key(_scope({"X-Peifu-Actor": "buyer:b1"}))
    assert by_actor.startswith("actor:") and "b1" not in by_actor
    assert client_key(_scope({})) == "ip:10.0.0.1"
    assert client_key(_scope({}, None)) == "ip:unknown"


def _limited_app(per_minute: int, clock: FakeClock) -> Starlette:
    async def ok(request: Request) -> JSONResponse:
        return JSONResponse({"ok": True})

    app = Starlette(routes=[Route("/", ok)])
    app.add_middleware(RateLimitMiddleware, limiter=TokenBucket(per_minute, clock=clock) if per_minute else None)
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
    from peifu.settings import Settings

    monkeypatch.delenv("PEIFU_RATE_LIMIT_PER_MINUTE", raising=False)
    assert Settings.from_env().rate_limit_per_minute == 600
    monkeypatch.setenv("PEIFU_RATE_LIMIT_PER_MINUTE", "0")
    assert Settings.from_env().rate_limit_per_minute == 0
    monkeypatch.setenv("PEIFU_RATE_LIMIT_PER_MINUTE", "many")
    with pytest.raises(ValueError):
        Settings.from_env()
