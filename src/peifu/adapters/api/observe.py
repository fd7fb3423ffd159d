"""Request ids, one log line per request, and Prometheus metrics at `/metrics`.

`RequestContextMiddleware` is pure ASGI and the outermost of our middleware, so requests refused
by the limits (413, 429) are logged and counted too. It

* takes the caller's `X-Request-ID` if it is a plain token (letters, digits, `._:-`, at most 128,
  no personal data), else makes one, and echoes it on the response;
* puts it in `peifu.adapters.logs.request_id_var`, so every log line written while serving the
  request (the error handlers' too) carries it;
* logs `method`, `path` (never the query string), `route` (the template), `status` and
  `duration_ms` — no headers, no bodies;
* counts requests by method, route template and status and times them by method and route.
  Paths that match no route are counted as `route="unmatched"`, so a scan cannot blow up the
  label set.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from fastapi import FastAPI
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from peifu.adapters.logs import mask, request_id_var
from peifu.adapters.prometheus import BacklogCollector, ForwardCollector
from peifu.adapters.runtime import Runtime

log = logging.getLogger("peifu.http")

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_QUIET_PATHS = frozenset({"/healthz", "/metrics"})  # probes and scrapes log at DEBUG when they succeed
UNMATCHED = "unmatched"


class HttpMetrics:
    """The per-app HTTP series, in the app's own registry (so two apps in one process never clash)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "peifu_http_requests",
            "HTTP requests answered, by method, route template and status.",
            ["method", "route", "status"],
            registry=registry,
        )
        self.duration = Histogram(
            "peifu_http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route template.",
            ["method", "route"],
            registry=registry,
        )

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.duration.labels(method, route).observe(seconds)


def incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text = value.decode("latin-1").strip()
            if _REQUEST_ID.fullmatch(text) and mask(text) == text:
                return text
            return None
    return None


class RouteTemplates:
    """Path templates for requests answered before routing (e.g. refused by the limits).

    Routed requests carry their route in the scope; for the others the path is matched against
    the app's templates (the OpenAPI paths plus routes kept out of the schema), built once.
    """

    def __init__(self) -> None:
        self._compiled: list[tuple[re.Pattern[str], str]] | None = None

    def _build(self, app: Any) -> list[tuple[re.Pattern[str], str]]:
        try:
            templates = list(app.openapi().get("paths", {}))
        except Exception:  # no schema, no templates: label such requests "unmatched"
            templates = []
        templates += [r.path for r in getattr(app, "routes", []) if isinstance(getattr(r, "path", None), str)]
        return [(compile_path(t)[0], t) for t in dict.fromkeys(templates)]

    def __call__(self, scope: Scope) -> str:
        route = scope.get("route")
        path = getattr(route, "path", None)
        if isinstance(path, str):
            return path
        app = scope.get("app")
        if app is None:
            return UNMATCHED
        if self._compiled is None:
            self._compiled = self._build(app)
        request_path = scope.get("path", "")
        for regex, template in self._compiled:
            if regex.match(request_path):
                return template
        return UNMATCHED


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, metrics: HttpMetrics | None = None) -> None:
        self.app = app
        self.metrics = metrics
        self.route_template = RouteTemplates()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = incoming_request_id(scope) or uuid.uuid4().hex
        # Not reset afterwards on purpose: each request runs in its own task (its own context),
        # and the 500 handler runs outside this middleware but must still see the id.
        request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500  # if the app raises before answering, the server answers 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            method = scope.get("method", "")
            method = method if method in _METHODS else "OTHER"
            route = self.route_template(scope)
            if self.metrics is not None:
                self.metrics.observe(method, route, status, seconds)
            path = scope.get("path", "")
            if status >= 500:
                level = logging.ERROR
            elif path in _QUIET_PATHS and status < 400:
                level = logging.DEBUG
            else:
                level = logging.INFO
            log.log(
                level,
                "%s %s %d",
                method,
                route,
                status,
                extra={
                    "request_id": request_id,
                    "method": method,
                    "path": path,
                    "route": route,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 2),
                },
            )


def install(app: FastAPI, rt: Runtime) -> CollectorRegistry:
    """Add the request middleware (call after every other middleware, so it is outermost) and
    the `/metrics` endpoint (not in the OpenAPI schema). Returns the app's metrics registry."""
    registry = CollectorRegistry()
    metrics = HttpMetrics(registry)
    registry.register(BacklogCollector(rt))
    registry.register(ForwardCollector())
    app.state.metrics_registry = registry
    app.add_middleware(RequestContextMiddleware, metrics=metrics)

    @app.get("/metrics", include_in_schema=False)
    def prometheus_metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return registry
