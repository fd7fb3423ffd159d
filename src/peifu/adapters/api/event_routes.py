"""Events out: the pull feed, the event catalogue, and webhook endpoints (Standard Webhooks).

The feed (`GET /api/v1/events`) and webhooks carry the same JSON per event. A caller sees what
its access allows: the marketplace every event; a shop (its key or staff) its own shop's events
of the types shown to shops; a buyer their own. Webhook endpoints are managed by the marketplace
and by shops; a shop's endpoint only ever receives its own shop's events.
"""

# No `from __future__ import annotations`: the webhook section below is built in a loop and
# FastAPI must see the payload types as real classes.

from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, FastAPI, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from peifu.adapters.api import presenters
from peifu.adapters.api import schemas as out
from peifu.adapters.api.event_schemas import EventTypeOut, FeedPage, payload_model
from peifu.adapters.api.routes import ERRORS
from peifu.adapters.http.deps import actor, runtime
from peifu.adapters.runtime import Runtime
from peifu.adapters.webhook_sender import resolve
from peifu.db.models import EventRow, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from peifu.domain import webhooks as rules
from peifu.domain.actors import Actor
from peifu.domain.events import CATALOGUE, EventType, envelope
from peifu.domain.vocabulary import DeliveryStatus, EndpointStatus
from peifu.services import feed, webhooks
from peifu.services.inputs import ID_PATTERN, UTCInstant, WholeNumber

RuntimeDep = Annotated[Runtime, Depends(runtime)]
ActorDep = Annotated[Actor, Depends(actor)]
EndpointId = Annotated[
    str, Path(min_length=4, max_length=40, pattern=r"^we_[0-9a-f]+$", description="The endpoint's id (we_…).")
]
ShopFilter = Annotated[str | None, Query(min_length=1, max_length=64, pattern=ID_PATTERN, description="One shop.")]

router = APIRouter(prefix="/api/v1")

EVENT_TYPES = sorted(str(t) for t in EventType)
EventTypeName = Literal[tuple(EVENT_TYPES)]  # type: ignore[valid-type]


def event_json(row: EventRow) -> dict[str, Any]:
    return envelope(
        event_id=row.event_id,
        event_type=row.type,
        occurred_at=row.occurred_at,
        shop_id=row.shop_id,
        buyer_id=row.buyer_id,
        subject=row.subject,
        subject_id=row.subject_id,
        data=row.data,
    )


# --- the feed ---------------------------------------------------------------------------------------


@router.get(
    "/events",
    response_model=FeedPage,
    tags=["events"],
    summary="The event feed: everything that happened, in order, resumable",
    responses={k: v for k, v in ERRORS.items() if k in (403, 404, 422)},
)
def list_events(
    rt: RuntimeDep,
    who: ActorDep,
    after: Annotated[
        str | None,
        Query(max_length=40, description="The `next_cursor` of the previous page; omit to start at the beginning."),
    ] = None,
    types: Annotated[
        str | None,
        Query(
            max_length=2000,
            description="Comma-separated event types, e.g. `case.agreed,case.refunded`; omit for all you may see.",
        ),
    ] = None,
    shop_id: ShopFilter = None,
    limit: Annotated[int, Query(ge=1, le=feed.MAX_PAGE, description="Events per page.")] = 100,
) -> FeedPage:
    """增量事件流 — a consumer that was down catches up from its last cursor. The marketplace's
    key sees every event; a shop's key or staff its own shop's; a buyer their own. Events are
    in the order they were committed (per case, the order things happened)."""
    position = rules.decode_cursor(after) if after else 0
    wanted = [t.strip() for t in types.split(",") if t.strip()] if types else None
    with rt.read_uow() as ctx:  # may lag: a replica when PEIFU_READ_DATABASE_URL is set
        rows, last = feed.read(
            ctx, who, after=position, types=wanted, shop_id=shop_id, limit=limit, sequence_first=not rt.reads_lag
        )
        page = [event_json(row) for row in rows]
    return FeedPage(events=page, next_cursor=rules.encode_cursor(last), has_more=len(rows) == limit)


@router.get(
    "/event-types",
    response_model=list[EventTypeOut],
    tags=["events"],
    summary="The event catalogue: every event type, what it means, who receives it",
)
def event_types() -> list[EventTypeOut]:
    return [
        EventTypeOut(
            type=str(spec.type),
            subject=str(spec.subject),
            zh=spec.zh,
            en=spec.en,
            emitted_by=spec.emitted_by,
            audience=sorted(str(a) for a in spec.audience),
        )
        for spec in CATALOGUE.values()
    ]


# --- webhook endpoints ------------------------------------------------------------------------------


class EndpointIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "url": "https://erp.example.com/peifu/webhooks",
                    "event_types": ["case.opened", "case.escalated", "deadline.approaching"],
                    "shop_id": "shop-lining",
                    "description": "李宁 ERP 售后同步",
                }
            ]
        },
    )
    url: str = Field(min_length=8, max_length=rules.MAX_URL_LENGTH, description="http(s) only; public addresses.")
    event_types: list[EventTypeName] | None = Field(  # type: ignore[valid-type]
        None, min_length=1, max_length=len(EVENT_TYPES), description="Omit for every type the owner may receive."
    )
    shop_id: str | None = Field(
        None,
        min_length=1,
        max_length=64,
        pattern=ID_PATTERN,
        description="Only this shop's events. A shop's key may only name its own shop (and gets it by default).",
    )
    description: str = Field("", max_length=500)


class EndpointPatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    url: str | None = Field(None, min_length=8, max_length=rules.MAX_URL_LENGTH)
    event_types: list[EventTypeName] | None = Field(  # type: ignore[valid-type]
        None, min_length=1, max_length=len(EVENT_TYPES), description="null: every type the owner may receive."
    )
    description: str | None = Field(None, max_length=500)
    status: Literal["active", "disabled"] | None = None


class RotateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    grace_hours: WholeNumber = Field(
        24, ge=0, le=168, description="How long the old secret still signs, beside the new."
    )


class ReplayIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"event_id": "evt_3k9d2m7q1x5v8b4n6c0z2w7r9t"}, {"since": "2026-11-11T00:00:00Z"}]
        },
    )
    event_id: str | None = Field(None, min_length=4, max_length=40, pattern=r"^evt_[0-9a-z]+$")
    since: UTCInstant | None = None
    until: UTCInstant | None = Field(None, description="Default: now.")


class Health(BaseModel):
    pending: int = Field(description="Deliveries waiting (due, retrying, or held behind an older one of their case).")
    delivered: int
    failed_attempts_24h: int


class EndpointOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "we_5f2c9a1e7b3d4c6a8e0f1a2b",
                    "url": "https://erp.example.com/peifu/webhooks",
                    "description": "李宁 ERP 售后同步",
                    "shop_id": "shop-lining",
                    "event_types": ["case.opened", "case.escalated", "deadline.approaching"],
                    "status": "active",
                    "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                    "secret_rotating_until": None,
                    "created_at": {"utc": "2026-11-10T02:00:00Z", "local": "2026-11-10 10:00:00+08:00"},
                    "updated_at": {"utc": "2026-11-10T02:00:00Z", "local": "2026-11-10 10:00:00+08:00"},
                    "failing_since": None,
                    "last_success_at": None,
                    "health": {"pending": 0, "delivered": 0, "failed_attempts_24h": 0},
                }
            ]
        }
    )
    id: str
    url: str
    description: str
    shop_id: str | None = Field(description="null: every shop (the marketplace's own endpoint).")
    event_types: list[str] | None = Field(description="null: every type the owner may receive.")
    status: str = Field(description="active | failing (retries spent: events wait, probed hourly) | disabled")
    secret: str | None = Field(
        None, description="whsec_…: only when the endpoint is created, its secret rotated, or asked for (…/secret)."
    )
    secret_rotating_until: out.Instant | None = Field(description="Until then the previous secret signs too.")
    created_at: out.Instant
    updated_at: out.Instant
    failing_since: out.Instant | None
    last_success_at: out.Instant | None
    health: Health


class DeliveryOut(BaseModel):
    id: int
    event_id: str
    event_type: str
    status: str = Field(description="pending | delivered")
    replay: bool
    attempts: int
    next_attempt_at: out.Instant | None
    last_status_code: int | None
    last_error: str | None
    created_at: out.Instant
    delivered_at: out.Instant | None


class AttemptOut(BaseModel):
    id: int
    delivery_id: int
    event_id: str
    event_type: str
    attempted_at: out.Instant
    status_code: int | None
    latency_ms: int
    ok: bool
    error: str | None


class ReplayOut(BaseModel):
    queued: int


def endpoint_out(rt: Runtime, endpoint: WebhookEndpoint, *, with_secret: bool = False) -> EndpointOut:
    with rt.uow() as ctx:
        health = webhooks.health(ctx.session, endpoint.id, ctx.now())
        rotating = endpoint.previous_secret_expires_at
        if rotating is not None and rotating <= ctx.now():
            rotating = None
    return EndpointOut(
        id=endpoint.id,
        url=endpoint.url,
        description=endpoint.description,
        shop_id=endpoint.shop_id,
        event_types=endpoint.event_types,
        status=endpoint.status,
        secret=endpoint.secret if with_secret else None,
        secret_rotating_until=presenters.instant(rotating),
        created_at=presenters.instant(endpoint.created_at),
        updated_at=presenters.instant(endpoint.updated_at),
        failing_since=presenters.instant(endpoint.failing_since),
        last_success_at=presenters.instant(endpoint.last_success_at),
        health=Health(**health.__dict__),
    )


def url_policy(rt: Runtime) -> webhooks.UrlPolicy:
    return webhooks.UrlPolicy(allow_private=rt.settings.webhook_allow_private, resolve=resolve)


HOOK_ERRORS: dict[int | str, dict[str, Any]] = {k: v for k, v in ERRORS.items() if k in (400, 403, 404, 422)}
hooks = APIRouter(prefix="/api/v1", tags=["webhooks"], responses=HOOK_ERRORS)


@hooks.post(
    "/webhook-endpoints",
    response_model=EndpointOut,
    status_code=201,
    summary="Register a webhook endpoint (its signing secret is in the answer)",
)
def create_endpoint(rt: RuntimeDep, who: ActorDep, body: Annotated[EndpointIn, Body()]) -> EndpointOut:
    """Events are POSTed to the URL as JSON with the Standard Webhooks headers `webhook-id` (the
    event id: your idempotency key), `webhook-timestamp` and `webhook-signature` (HMAC-SHA256 with
    the `secret` returned here). Delivery is at least once, in order per case; failures are retried
    for about three days, then the endpoint is marked `failing` and its events wait for it."""
    with rt.uow() as ctx:
        endpoint = webhooks.create_endpoint(
            ctx,
            who,
            url=body.url,
            event_types=body.event_types,
            shop_id=body.shop_id,
            description=body.description,
            urls=url_policy(rt),
        )
    return endpoint_out(rt, endpoint, with_secret=True)


@hooks.get(
    "/webhook-endpoints",
    response_model=list[EndpointOut],
    summary="Webhook endpoints you manage",
)
def list_endpoints(rt: RuntimeDep, who: ActorDep, shop_id: ShopFilter = None) -> list[EndpointOut]:
    with rt.uow() as ctx:
        found = webhooks.list_endpoints(ctx, who, shop_id=shop_id)
    return [endpoint_out(rt, e) for e in found]


@hooks.get(
    "/webhook-endpoints/{endpoint_id}",
    response_model=EndpointOut,
    summary="One webhook endpoint and its delivery health",
)
def get_endpoint(rt: RuntimeDep, who: ActorDep, endpoint_id: EndpointId) -> EndpointOut:
    with rt.uow() as ctx:
        endpoint = webhooks.get_endpoint(ctx, who, endpoint_id)
    return endpoint_out(rt, endpoint)


@hooks.get(
    "/webhook-endpoints/{endpoint_id}/secret",
    response_model=EndpointOut,
    summary="The endpoint with its current signing secret",
)
def get_secret(rt: RuntimeDep, who: ActorDep, endpoint_id: EndpointId) -> EndpointOut:
    with rt.uow() as ctx:
        endpoint = webhooks.get_endpoint(ctx, who, endpoint_id)
    return endpoint_out(rt, endpoint, with_secret=True)


@hooks.patch(
    "/webhook-endpoints/{endpoint_id}",
    response_model=EndpointOut,
    summary="Change an endpoint's URL, event types, description or status",
)
def update_endpoint(
    rt: RuntimeDep, who: ActorDep, endpoint_id: EndpointId, body: Annotated[EndpointPatchIn, Body()]
) -> EndpointOut:
    """`status: disabled` stops deliveries and queues nothing new for it; `active` resumes with
    whatever waits, in order."""
    changes: dict[str, Any] = {}
    if "event_types" in body.model_fields_set:
        changes["event_types"] = body.event_types
    with rt.uow() as ctx:
        endpoint = webhooks.update_endpoint(
            ctx,
            who,
            endpoint_id,
            url=body.url,
            description=body.description,
            status=body.status,
            urls=url_policy(rt),
            **changes,
        )
    return endpoint_out(rt, endpoint)


def _status_route(path: str, status: str, summary: str) -> None:
    def change(rt: RuntimeDep, who: ActorDep, endpoint_id: EndpointId) -> EndpointOut:
        with rt.uow() as ctx:
            endpoint = webhooks.get_endpoint(ctx, who, endpoint_id)
            webhooks.set_status(ctx, who, endpoint, status)
        return endpoint_out(rt, endpoint)

    change.__name__ = f"{path}_endpoint"
    hooks.post(
        f"/webhook-endpoints/{{endpoint_id}}/{path}",
        response_model=EndpointOut,
        summary=summary,
    )(change)


_status_route("disable", EndpointStatus.disabled, "Disable an endpoint (nothing is sent or queued for it)")
_status_route("enable", EndpointStatus.active, "Enable an endpoint again (what waits is sent, in order)")


@hooks.post(
    "/webhook-endpoints/{endpoint_id}/recover",
    response_model=EndpointOut,
    summary="A failing endpoint is fixed: send what waits now, in order",
)
def recover_endpoint(rt: RuntimeDep, who: ActorDep, endpoint_id: EndpointId) -> EndpointOut:
    with rt.uow() as ctx:
        endpoint = webhooks.recover(ctx, who, endpoint_id)
    return endpoint_out(rt, endpoint)


@hooks.post(
    "/webhook-endpoints/{endpoint_id}/rotate-secret",
    response_model=EndpointOut,
    summary="A new signing secret; the old one keeps signing for the grace period",
)
def rotate_secret(
    rt: RuntimeDep, who: ActorDep, endpoint_id: EndpointId, body: Annotated[RotateIn | None, Body()] = None
) -> EndpointOut:
    """During the grace period each delivery carries two signatures (`v1,<new> v1,<old>`), so the
    receiver can switch to the new secret whenever it likes before the old one stops."""
    grace = timedelta(hours=(body or RotateIn()).grace_hours)
    with rt.uow() as ctx:
        endpoint = webhooks.rotate_secret(ctx, who, endpoint_id, grace)
    return endpoint_out(rt, endpoint, with_secret=True)


@hooks.get(
    "/webhook-endpoints/{endpoint_id}/deliveries",
    response_model=list[DeliveryOut],
    summary="Recent deliveries to the endpoint, newest first",
)
def list_deliveries(
    rt: RuntimeDep,
    who: ActorDep,
    endpoint_id: EndpointId,
    status: Annotated[Literal["pending", "delivered"] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[DeliveryOut]:
    with rt.uow() as ctx:
        rows = webhooks.deliveries(ctx, who, endpoint_id, status=status, limit=limit)
        return [delivery_out(d, e) for d, e in rows]


def delivery_out(d: WebhookDelivery, e: EventRow) -> DeliveryOut:
    return DeliveryOut(
        id=d.id,
        event_id=e.event_id,
        event_type=e.type,
        status=d.status,
        replay=bool(d.replay),
        attempts=d.attempts,
        next_attempt_at=presenters.instant(d.next_attempt_at) if d.status == DeliveryStatus.pending else None,
        last_status_code=d.last_status_code,
        last_error=d.last_error,
        created_at=presenters.instant(d.created_at),
        delivered_at=presenters.instant(d.delivered_at),
    )


@hooks.get(
    "/webhook-endpoints/{endpoint_id}/attempts",
    response_model=list[AttemptOut],
    summary="Recent delivery attempts: the receiver's status code and how long it took",
)
def list_attempts(
    rt: RuntimeDep, who: ActorDep, endpoint_id: EndpointId, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> list[AttemptOut]:
    with rt.uow() as ctx:
        return [attempt_out(a) for a in webhooks.attempts(ctx, who, endpoint_id, limit=limit)]


def attempt_out(a: WebhookAttempt) -> AttemptOut:
    return AttemptOut(
        id=a.id,
        delivery_id=a.delivery_id,
        event_id=a.event_id,
        event_type=a.event_type,
        attempted_at=presenters.instant(a.attempted_at),
        status_code=a.status_code,
        latency_ms=a.latency_ms,
        ok=a.ok,
        error=a.error,
    )


@hooks.post(
    "/webhook-endpoints/{endpoint_id}/replay",
    response_model=ReplayOut,
    status_code=202,
    summary="Send one event, or every event of a time range, again",
)
def replay(rt: RuntimeDep, who: ActorDep, endpoint_id: EndpointId, body: Annotated[ReplayIn, Body()]) -> ReplayOut:
    """The events keep their ids, so a receiver that has them already skips them."""
    with rt.uow() as ctx:
        queued = webhooks.replay(ctx, who, endpoint_id, event_id=body.event_id, since=body.since, until=body.until)
    return ReplayOut(queued=queued)


# --- the OpenAPI webhook section ----------------------------------------------------------------------


def install_webhook_docs(app: FastAPI) -> None:
    """One entry per event type under `webhooks` in the OpenAPI document, with its payload."""
    for event_type, spec in CATALOGUE.items():
        model = payload_model(event_type)

        def receiver(body: model) -> Response:  # type: ignore[valid-type]
            return Response(status_code=204)  # pragma: no cover - documentation only

        receiver.__name__ = str(event_type).replace(".", "_")
        audience = ", ".join(sorted(str(a) for a in spec.audience))
        app.webhooks.post(
            str(event_type),
            summary=f"{event_type} — {spec.zh}",
            description=(
                f"{spec.en}\n\n{spec.zh}\n\nSubject: `{spec.subject}`. Emitted by: {spec.emitted_by}. "
                f"Received by: {audience}.\n\nHeaders: `webhook-id` (= `id`), `webhook-timestamp`, "
                "`webhook-signature` (Standard Webhooks). Answer 2xx within 10 s; anything else is retried."
            ),
            tags=["events"],
            responses={204: {"description": "Any 2xx acknowledges the event."}},
        )(receiver)
