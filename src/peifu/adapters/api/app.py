"""The FastAPI application: routes, error shapes and OpenAPI metadata."""

from __future__ import annotations

from fastapi import FastAPI

from peifu import __version__
from peifu.adapters import web
from peifu.adapters.api import (
    abuse_routes,
    auth_routes,
    complaint_routes,
    contract,
    dispute_routes,
    event_routes,
    metrics_routes,
    money_routes,
    observe,
    policy_routes,
    rating_routes,
    seller_routes,
    service_complaint_routes,
    triage_routes,
)
from peifu.adapters.api.idempotency import IdempotencyMiddleware
from peifu.adapters.api.routes import health_router, router
from peifu.adapters.http import errors, limits, logins
from peifu.adapters.http.caller import CallerMiddleware
from peifu.adapters.http.headers import SecurityHeadersMiddleware
from peifu.adapters.runtime import Runtime

DESCRIPTION = """
**Peifu (赔付)** — after-sales, refund, dispute and compensation engine for online marketplaces.

* Money is always integer **fen** (1/100 yuan).
* Times are UTC (`utc`) with the Asia/Shanghai wall time (`local`) alongside.
* Every error is `{"error": {"code", "message", "details"}}`; the code is stable, the message is for people.
* Authenticate with `Authorization: Bearer <token>` (POST /api/v1/auth/login) or an integration API key `Bearer pk_…`.
* A buyer sees only their own orders and cases, seller staff only their shop's, agents only disputes.
* Integers are JSON integers: `true`, `"100"` and `1.0` are refused (422), never read as 1 or 100.
* Limits: requests per caller (429 `rate_limited`), failed logins per account and per address (429
  `login_throttled`), password checks at once (503 `login_busy`) — each with `Retry-After`. An
  `Idempotency-Key` answer is replayed for 24 hours (a setting), only to the authenticated caller that sent it.
"""

TAGS = [
    {"name": "auth", "description": "登录 — sessions for people; integrations use API keys (peifu apikey create)."},
    {"name": "orders", "description": "订单 — orders reported by the marketplace and their events."},
    {"name": "cases", "description": "售后 — after-sale requests: open, list, read with timeline."},
    {"name": "case actions", "description": "售后操作 — every move of the case state machine."},
    {"name": "disputes", "description": "小二介入 — disputes, burden of proof, evidence, rulings and appeals."},
    {"name": "complaints", "description": "规则投诉 — rule complaints, penalty points and sanctions."},
    {"name": "seller tools", "description": "卖家工具 — auto-handling rules and bulk agree for a shop's staff."},
    {"name": "triage", "description": "投诉分诊 — reason, case type and priority suggested from a buyer's free text."},
    {"name": "metrics", "description": "售后指标 — after-sale metrics per shop, category rankings, CSV exports."},
    {"name": "money", "description": "资金 — deposits, the compensation fund, ledger balances."},
    {"name": "policy", "description": "规则公示 — the rules in force in plain words (also at /policy)."},
    {
        "name": "events",
        "description": "事件 — every after-sale change as an event: the pull feed, the catalogue, and (under "
        "`webhooks` in this document) the payload each webhook receives.",
    },
    {
        "name": "webhooks",
        "description": "事件推送 — webhook endpoints (Standard Webhooks: signed, retried for three days, in order per "
        "case), their deliveries, attempts, replay and secret rotation.",
    },
    {"name": "sandbox", "description": "测试时钟 — move time forward in sandbox mode."},
    {"name": "meta", "description": "Health."},
]


def create_app(rt: Runtime) -> FastAPI:
    app = FastAPI(
        title="Peifu 赔付 API",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=TAGS,
    )
    app.state.runtime = rt
    errors.install(app)
    app.include_router(auth_routes.router)
    app.include_router(router)
    app.include_router(dispute_routes.router)
    app.include_router(complaint_routes.router)
    app.include_router(service_complaint_routes.router)
    app.include_router(seller_routes.router)
    app.include_router(rating_routes.router)
    app.include_router(triage_routes.router)
    app.include_router(metrics_routes.router)
    app.include_router(abuse_routes.router)
    app.include_router(money_routes.router)
    app.include_router(policy_routes.router)
    app.include_router(event_routes.router)
    app.include_router(event_routes.hooks)
    event_routes.install_webhook_docs(app)
    app.include_router(health_router)
    web.install(app)
    contract.document_common_answers(app)  # 401, 413, 429, 503 in the docs
    logins.install(app.state, rt.settings)  # failed-login throttles and the bound on password checks
    app.add_middleware(IdempotencyMiddleware, runtime=rt)  # inside the limits: bodies are bounded first
    limits.install(app, rt.settings)  # body size and per-client rate
    app.add_middleware(CallerMiddleware, runtime=rt)  # who is calling, before the rate limit and keys use it
    app.add_middleware(SecurityHeadersMiddleware)  # frame protection and a content policy on every answer
    observe.install(app, rt)  # outermost: request ids, request log lines, /metrics
    return app
