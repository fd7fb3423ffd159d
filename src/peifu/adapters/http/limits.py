"""Request limits, as pure ASGI middleware: body size and a per-client rate.

Body size: at most 1 MiB, except multipart evidence uploads (`…/evidence/files`), which may be
up to 60 MiB (the largest evidence file plus the multipart envelope). A declared Content-Length
over the limit is refused before anything is read; a body streamed without one is counted as it
arrives and refused the moment it passes the limit. Either way the answer is 413
`payload_too_large` in the usual error shape.

Rate: a token bucket per client — `per_minute` tokens, refilled continuously, one per request —
answering 429 `rate_limited` with `Retry-After` when empty. The client is the principal behind
valid credentials (resolved by `caller.CallerMiddleware`, which runs first), else the client's
address: requests without credentials or with bad ones share their address's bucket, so a new
junk token per request buys nothing. Buckets live in this process (run one per process; several
processes each allow the rate), and at most `max_clients` are kept: the least recently seen are
forgotten first.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import OrderedDict
from collections.abc import Callable

from fastapi import FastAPI, HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from peifu.adapters.http.caller import STATE_KEY, Caller, client_address
from peifu.adapters.http.errors import error_response
from peifu.settings import Settings

MiB = 1024 * 1024
JSON_LIMIT = 1 * MiB
UPLOAD_LIMIT = 60 * MiB
UPLOAD_SUFFIX = "/evidence/files"


def _size(limit: int) -> str:
    return f"{limit // MiB} MiB" if limit % MiB == 0 else f"{limit} bytes"


class PayloadTooLarge(HTTPException):
    """Raised from `receive` when a streamed body passes the limit.

    An HTTPException, so FastAPI's body reader lets it through and the error handlers answer it
    in the usual shape; the middleware answers it itself if it gets that far.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(
            413, detail={"code": "payload_too_large", "message": f"The request body is larger than {_size(limit)}."}
        )


def _too_large(limit: int) -> ASGIApp:
    return error_response(413, "payload_too_large", f"The request body is larger than {_size(limit)}.")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, json_limit: int = JSON_LIMIT, upload_limit: int = UPLOAD_LIMIT) -> None:
        self.app = app
        self.json_limit = json_limit
        self.upload_limit = upload_limit

    def limit_for(self, scope: Scope) -> int:
        path: str = scope.get("path", "")
        return self.upload_limit if path.rstrip("/").endswith(UPLOAD_SUFFIX) else self.json_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = _header(scope, b"content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > limit:
            await _too_large(limit)(scope, receive, send)
            return

        received = 0
        overflow = False  # the body passed the limit
        started = False  # a response has begun (the app's before the overflow, or ours)
        replaced = False  # ours: whatever the app answers afterwards is dropped

        async def counted_receive() -> Message:
            nonlocal received, overflow
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    overflow = True
                    raise PayloadTooLarge(limit)
            return message

        async def answer_too_large() -> None:
            nonlocal started, replaced
            started = replaced = True
            await _too_large(limit)(scope, receive, send)

        async def watched_send(message: Message) -> None:
            nonlocal started
            if replaced:
                return
            if overflow and message["type"] == "http.response.start" and not started:
                # The app answered the overflow its own way (a 400, a plain-text 413…): answer ours.
                await answer_too_large()
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except Exception:
            if not overflow or (started and not replaced):
                raise
            if not started:
                await answer_too_large()


class TokenBucket:
    """Per-key token buckets: `capacity` tokens per `window` seconds, refilled continuously; `clock`
    is monotonic seconds (injectable for tests)."""

    def __init__(
        self,
        capacity: int,
        *,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = 50_000,
    ) -> None:
        if capacity <= 0 or window <= 0:
            raise ValueError("capacity and window must be positive")
        self.capacity = float(capacity)
        self.rate = capacity / window  # tokens per second
        self.clock = clock
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)

    def _level(self, key: str, now: float) -> float:
        tokens, at = self._buckets.pop(key, (self.capacity, now))
        return min(self.capacity, tokens + max(0.0, now - at) * self.rate)

    def _keep(self, key: str, tokens: float, now: float) -> None:
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)

    def take(self, key: str) -> float:
        """Spend one token for `key`: 0.0 if allowed, else the seconds until one is available."""
        now = self.clock()
        tokens = self._level(key, now)
        if tokens >= 1.0:
            tokens -= 1.0
            wait = 0.0
        else:
            wait = (1.0 - tokens) / self.rate
        self._keep(key, tokens, now)
        return wait

    def wait(self, key: str) -> float:
        """Like `take`, without spending: 0.0 if a token is there now, else the seconds until one is."""
        now = self.clock()
        tokens = self._level(key, now)
        self._keep(key, tokens, now)
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate

    def forget(self, key: str) -> None:
        """Back to a full bucket."""
        self._buckets.pop(key, None)

    def clear(self) -> None:
        """Every bucket back to full."""
        self._buckets.clear()

    def __len__(self) -> int:
        return len(self._buckets)


def retry_after(wait: float) -> int:
    """The whole seconds to announce in `Retry-After`: at least 1, and 0.99999999 s is 1 s, not 2."""
    return max(1, math.ceil(round(wait, 6)))


def client_key(scope: Scope) -> str:
    """Whose bucket a request spends: its principal when `CallerMiddleware` found valid
    credentials, else its address — whatever credential it merely carries."""
    caller = scope.get("state", {}).get(STATE_KEY)
    if isinstance(caller, Caller) and caller.authenticated:
        return "who:" + hashlib.sha256(caller.key.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return f"ip:{client_address(scope)}"


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, *, limiter: TokenBucket | None) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.limiter is None:
            await self.app(scope, receive, send)
            return
        wait = self.limiter.take(client_key(scope))
        if wait > 0:
            retry = retry_after(wait)
            response = error_response(
                429,
                "rate_limited",
                f"Too many requests; retry in {retry} s.",
                {"retry_after_seconds": retry, "limit_per_minute": int(self.limiter.capacity)},
            )
            response.headers["Retry-After"] = str(retry)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def install(app: FastAPI, settings: Settings, *, clock: Callable[[], float] = time.monotonic) -> TokenBucket | None:
    """Add both limits (rate outermost, then size). The limiter is kept on `app.state.rate_limiter`
    (None when `rate_limit_per_minute` is 0) so tests can move its clock."""
    app.add_middleware(BodyLimitMiddleware)
    limiter = TokenBucket(settings.rate_limit_per_minute, clock=clock) if settings.rate_limit_per_minute > 0 else None
    app.state.rate_limiter = limiter
    app.add_middleware(RateLimitMiddleware, limiter=limiter)
    return limiter
