"""Webhook endpoints in the consoles (事件推送): the seller workbench's `/seller/webhooks` for the
shop's own endpoints and the admins' `/admin/webhooks` for every endpoint.

One page for both: the endpoints with their health (waiting, delivered, failed attempts in 24 h),
a form to add one (URL, event types), and per endpoint its recent deliveries and failed attempts
(status code, latency, error) with the buttons an integrator needs — disable / enable, recover a
failing endpoint, rotate the secret (shown once), replay one event or the last hours. Every button
calls `services.webhooks`, as the API does, so refusals read the same.

Stable `data-testid`s: `hook-form`, `hook-url`, `hook-type-<type>`, `hook-create`, `hook-secret`,
`hook-row` (with `data-endpoint-id`, `data-status`), `hook-disable`, `hook-enable`, `hook-recover`,
`hook-rotate`, `hook-replay-hours`, `hook-replay`, `hook-deliveries`, `hook-attempts`; a refusal is
`.error[data-code]` in `#flash`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from peifu.adapters.http.errors import STATUS_BY_KIND
from peifu.adapters.runtime import Runtime
from peifu.adapters.web import error_text
from peifu.adapters.web.pages import PageActor, RuntimeDep, go_to, refused_action, render
from peifu.adapters.webhook_sender import resolve
from peifu.domain.actors import Actor
from peifu.domain.errors import DomainError, Forbidden, Invalid
from peifu.domain.events import CATALOGUE, Audience
from peifu.domain.vocabulary import EndpointStatus, Role
from peifu.domain.webhook_machine import OFFERED
from peifu.services import webhooks

router = APIRouter(include_in_schema=False)
OPERATIONS = ("disable", "enable", "recover", "rotate", "replay")
BADGE = {EndpointStatus.active: "calm", EndpointStatus.failing: "urgent", EndpointStatus.disabled: "muted"}


def _base(who: Actor) -> str:
    """Where the page lives for this person: a shop's staff see their shop's, admins everyone's."""
    if who.admin:
        return "/admin/webhooks"
    if who.role is Role.seller:
        return "/seller/webhooks"
    raise Forbidden("actor_not_allowed", "Webhook endpoints are for a shop's staff and platform admins.")


def _context(rt: Runtime, who: Actor, *, secret: tuple[str, str] | None = None) -> dict[str, Any]:
    audience = Audience.platform if who.admin else Audience.shop
    with rt.uow() as ctx:
        endpoints = webhooks.list_endpoints(ctx, who)
        rows = [
            {
                "endpoint": e,
                "badge": BADGE[EndpointStatus(e.status)],
                "offers": [str(action) for action in OFFERED[EndpointStatus(e.status)]],
                "health": webhooks.health(ctx.session, e.id, ctx.now()),
                "deliveries": webhooks.deliveries(ctx, who, e.id, limit=10),
                "failures": [a for a in webhooks.attempts(ctx, who, e.id, limit=50) if not a.ok][:10],
            }
            for e in endpoints
        ]
    return {
        "rows": rows,
        "base": _base(who),
        "types": [spec for spec in CATALOGUE.values() if audience in spec.audience],
        "new_secret": secret,
        "tab": "webhooks",
    }


def _page(request: Request, rt: Runtime, who: Actor, **extra: Any) -> HTMLResponse:
    return render(request, "webhooks/index.html", who, **_context(rt, who, **extra))


@router.get("/seller/webhooks", response_class=HTMLResponse)
@router.get("/admin/webhooks", response_class=HTMLResponse)
def webhooks_page(request: Request, rt: RuntimeDep, who: PageActor) -> Response:
    try:
        if request.url.path != _base(who):
            return go_to(request, _base(who))
        return _page(request, rt, who)
    except DomainError as exc:
        return _refused(request, who, exc)


def _refused(request: Request, who: Actor, exc: DomainError) -> Response:
    def page() -> Response:
        return render(request, "seller/refused.html", who, code=exc.code, message=error_text.message_for(exc))

    return refused_action(
        request, exc, again=page, otherwise=lambda other: page(), status=STATUS_BY_KIND.get(exc.kind, 422)
    )


def _urls(rt: Runtime) -> webhooks.UrlPolicy:
    return webhooks.UrlPolicy(allow_private=rt.settings.webhook_allow_private, resolve=resolve)


@router.post("/seller/webhooks", response_class=HTMLResponse)
@router.post("/admin/webhooks", response_class=HTMLResponse)
async def create_endpoint(request: Request, rt: RuntimeDep, who: PageActor) -> Response:
    form = await request.form()
    url = str(form.get("url") or "").strip()
    types = [str(t) for t in form.getlist("event_types")] or None
    description = str(form.get("description") or "").strip()[:500]
    try:
        _base(who)
        with rt.uow() as ctx:
            endpoint = webhooks.create_endpoint(
                ctx, who, url=url, event_types=types, shop_id=None, description=description, urls=_urls(rt)
            )
        return _page(request, rt, who, secret=(endpoint.id, endpoint.secret))
    except DomainError as exc:
        return _refused(request, who, exc)


@router.post("/seller/webhooks/{endpoint_id}/{operation}", response_class=HTMLResponse)
@router.post("/admin/webhooks/{endpoint_id}/{operation}", response_class=HTMLResponse)
async def operate(request: Request, rt: RuntimeDep, who: PageActor, endpoint_id: str, operation: str) -> Response:
    form = await request.form()
    try:
        base = _base(who)
        if operation not in OPERATIONS:
            raise Invalid("unknown_operation", f"Unknown operation '{operation}'.")
        secret = None
        with rt.uow() as ctx:
            endpoint = webhooks.get_endpoint(ctx, who, endpoint_id)
            if operation in ("disable", "enable"):
                status = EndpointStatus.disabled if operation == "disable" else EndpointStatus.active
                webhooks.set_status(ctx, who, endpoint, status)
            elif operation == "recover":
                webhooks.recover(ctx, who, endpoint_id)
            elif operation == "rotate":
                rotated = webhooks.rotate_secret(ctx, who, endpoint_id)
                secret = (rotated.id, rotated.secret)
            else:
                hours = _hours(str(form.get("hours") or "24"))
                webhooks.replay(ctx, who, endpoint_id, since=ctx.now() - timedelta(hours=hours))
        if secret is not None:
            return _page(request, rt, who, secret=secret)
        return go_to(request, base)
    except DomainError as exc:
        return _refused(request, who, exc)


def _hours(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 24 * 31:
        raise Invalid("replay_range", "Replay from 1 hour to 31 days back.")
    return int(text)
