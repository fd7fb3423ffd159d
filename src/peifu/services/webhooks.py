"""Webhook endpoints and the delivery of events to them (the webhook outbox).

* Endpoints: a marketplace (platform key or admin) or a shop (its key or its staff) registers a
  URL and what it wants; the secret that signs its deliveries is shown when it is created and when
  it is rotated (the old one keeps signing beside the new for a grace period).
* Fan-out: when the sequencer gives committed events their feed position (services.feed), it
  writes one delivery row per endpoint that wants each event, in the same transaction.
* Delivery, at least once and in order per case: of an endpoint's pending deliveries of one case
  only the oldest is due; the later ones are queued *held* and released one at a time as each is
  delivered (so a retrying event holds back the later events of its case, and only those). A
  dispatcher claims due deliveries (one index range, however long the queues), leases them,
  sends them outside any transaction (the adapter signs and posts), and records every attempt. A failure waits by the schedule in
  domain.webhooks (about three days); then the endpoint is marked failing and its events wait —
  probed once an hour, resumed in order on the first success, or by `recover`.
* Replay: one event, or a time range, queued again for an endpoint (same event id).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import bindparam, func, or_, select, text, update
from sqlalchemy.orm import Session

from peifu.db import bulk, raw
from peifu.db.engine import holds_changes
from peifu.db.locking import claim_due
from peifu.db.models import EventRow, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from peifu.domain import webhook_machine as machine
from peifu.domain import webhooks as rules
from peifu.domain.actors import Actor, is_platform
from peifu.domain.errors import Forbidden, Invalid, NotFound
from peifu.domain.events import Audience, envelope
from peifu.domain.vocabulary import DeliveryAction, DeliveryStatus, EndpointAction, EndpointStatus, Role
from peifu.services.context import Ctx, Units

DELIVERIES = bulk.table_of(WebhookDelivery)
ATTEMPTS = bulk.table_of(WebhookAttempt)
LEASE = timedelta(minutes=2)
WAITING = machine.WAITING
Resolver = Callable[[str, int], list[str]]


# --- who may manage endpoints ---------------------------------------------------------------------


def _owner_shop(actor: Actor) -> str | None:
    """The shop a seller acts for; None for the platform. Others may not manage webhooks."""
    if is_platform(actor):
        return None
    if actor.role is Role.seller and actor.id:
        return actor.id
    raise Forbidden(
        "actor_not_allowed", "Webhook endpoints are managed by the marketplace's integration and by a shop's staff."
    )


def get_endpoint(ctx: Ctx, actor: Actor, endpoint_id: str) -> WebhookEndpoint:
    shop = _owner_shop(actor)
    endpoint = ctx.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or (shop is not None and endpoint.shop_id != shop):
        raise NotFound("webhook_endpoint_not_found", f"No webhook endpoint '{endpoint_id}'.")
    return endpoint


def list_endpoints(ctx: Ctx, actor: Actor, *, shop_id: str | None = None) -> list[WebhookEndpoint]:
    shop = _owner_shop(actor)
    stmt = select(WebhookEndpoint).order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)
    if shop is not None:
        if shop_id is not None and shop_id != shop:
            raise NotFound("shop_not_found", "No such shop.")
        stmt = stmt.where(WebhookEndpoint.shop_id == shop)
    elif shop_id is not None:
        stmt = stmt.where(WebhookEndpoint.shop_id == shop_id)
    return list(ctx.session.scalars(stmt))


# --- registering and changing endpoints -----------------------------------------------------------


@dataclass(frozen=True)
class UrlPolicy:
    """Where deliveries may go: `allow_private` (PEIFU_WEBHOOK_ALLOW_PRIVATE) lets tests and local
    setups use loopback and private addresses; `resolve` looks a host up (None: IP literals only)."""

    allow_private: bool = False
    resolve: Resolver | None = None


def check_target(url: str, policy: UrlPolicy) -> rules.Target:
    target = rules.check_url(url)
    if policy.allow_private:
        return target
    addresses = [target.host] if rules.forbidden_address(target.host) != "not an IP address" else []
    if not addresses and policy.resolve is not None:
        try:
            addresses = policy.resolve(target.host, target.port)
        except OSError:
            addresses = []  # not resolvable now: deliveries fail (and are retried) until it is
    for address in addresses:
        why = rules.forbidden_address(address)
        if why is not None:
            raise Invalid(
                "url_not_allowed",
                f"Webhooks are not sent to {why} addresses ({target.host} → {address}).",
                host=target.host,
            )
    return target


def create_endpoint(
    ctx: Ctx,
    actor: Actor,
    *,
    url: str,
    event_types: list[str] | None,
    shop_id: str | None,
    description: str,
    urls: UrlPolicy,
) -> WebhookEndpoint:
    own = _owner_shop(actor)
    if own is not None:
        if shop_id is not None and shop_id != own:
            raise Forbidden("not_your_shop", "A shop's key may only subscribe to its own shop's events.")
        shop_id = own
    check_target(url, urls)
    types = rules.check_event_types(event_types, Audience.shop if shop_id else Audience.platform)
    now = ctx.now()
    endpoint = WebhookEndpoint(
        id=rules.new_endpoint_id(),
        url=url,
        description=description,
        shop_id=shop_id,
        event_types=types,
        status=machine.ENDPOINTS.initial,
        secret=rules.new_secret(),
        created_by=str(actor.user or actor),
        created_at=now,
        updated_at=now,
    )
    ctx.session.add(endpoint)
    ctx.session.flush()
    return endpoint


UNSET: Any = object()


def update_endpoint(
    ctx: Ctx,
    actor: Actor,
    endpoint_id: str,
    *,
    url: str | None = None,
    event_types: Any = UNSET,
    description: str | None = None,
    status: str | None = None,
    urls: UrlPolicy,
) -> WebhookEndpoint:
    endpoint = get_endpoint(ctx, actor, endpoint_id)
    if url is not None:
        check_target(url, urls)
        endpoint.url = url
    if event_types is not UNSET:
        audience = Audience.shop if endpoint.shop_id else Audience.platform
        endpoint.event_types = rules.check_event_types(event_types, audience)
    if description is not None:
        endpoint.description = description
    if status is not None:
        set_status(ctx, actor, endpoint, status)
    endpoint.updated_at = ctx.now()
    ctx.session.flush()
    return endpoint


STATUS_ACTIONS: dict[str, EndpointAction] = {
    EndpointStatus.active: EndpointAction.enable,
    EndpointStatus.disabled: EndpointAction.disable,
}
"""The statuses an owner may set, and the move each is (`failing` is the engine's to set)."""


def set_status(ctx: Ctx, actor: Actor, endpoint: WebhookEndpoint, status: str) -> None:
    """`disabled`: nothing is sent and no new events are queued for it; `active`: sending resumes
    with what waits, in order (a failing endpoint's schedule starts afresh)."""
    action = STATUS_ACTIONS.get(status)
    if action is None:
        raise Invalid("invalid_status", "An endpoint is set 'active' or 'disabled'.")
    before = endpoint.status
    target = machine.ENDPOINTS.target(before, action, actor.role)
    if action is EndpointAction.disable:
        endpoint.status = target
        endpoint.probe_at = None
    elif target != before:  # enabling an active endpoint changes nothing
        _resume(ctx.session, endpoint, ctx.now(), action, actor.role)
    endpoint.updated_at = ctx.now()


def _resume(session: Session, endpoint: WebhookEndpoint, now: datetime, action: EndpointAction, role: Role) -> None:
    """Active again (enabled, recovered, or a probe got through): the head of each case's queue is
    due now, with a fresh retry schedule."""
    endpoint.status = machine.ENDPOINTS.target(endpoint.status, action, role)
    endpoint.failing_since = None
    endpoint.probe_at = None
    machine.DELIVERIES.decide(WAITING, DeliveryAction.restart, role)  # (the rows below are all waiting)
    session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.endpoint_id == endpoint.id,
            WebhookDelivery.status == WAITING,
            WebhookDelivery.held.is_(False),
        )
        .values(attempts=0, next_attempt_at=now, lease_until=None)
        .execution_options(synchronize_session=False)
    )


def recover(ctx: Ctx, actor: Actor, endpoint_id: str) -> WebhookEndpoint:
    """A failing (or disabled) endpoint is sent to again, starting with what waits, in order."""
    endpoint = get_endpoint(ctx, actor, endpoint_id)
    _resume(ctx.session, endpoint, ctx.now(), EndpointAction.recover, actor.role)
    endpoint.updated_at = ctx.now()
    return endpoint


def rotate_secret(ctx: Ctx, actor: Actor, endpoint_id: str, grace: timedelta | None = None) -> WebhookEndpoint:
    """A new secret; the old one still signs (both signatures are sent) until the grace ends."""
    endpoint = get_endpoint(ctx, actor, endpoint_id)
    grace = rules.ROTATION_GRACE if grace is None else grace
    if grace < timedelta(0) or grace > rules.MAX_ROTATION_GRACE:
        raise Invalid("invalid_grace", "The grace period is from 0 to 168 hours.")
    now = ctx.now()
    endpoint.previous_secret = endpoint.secret if grace else None
    endpoint.previous_secret_expires_at = now + grace if grace else None
    endpoint.secret = rules.new_secret()
    endpoint.updated_at = now
    return endpoint


def secrets_of(endpoint: Any, now: datetime) -> list[str]:
    """The secrets that sign a delivery now: the current one, and the previous one in its grace."""
    found = [endpoint.secret]
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret and expires is not None and now < expires:
        found.append(endpoint.previous_secret)
    return found


def replay(
    ctx: Ctx,
    actor: Actor,
    endpoint_id: str,
    *,
    event_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> int:
    """Queue events again for the endpoint (the same event ids: receivers skip what they have).
    One event by id, or every event it wants from `since` to `until` (default: now), both included.
    Returns how many were queued."""
    endpoint = get_endpoint(ctx, actor, endpoint_id)
    if (event_id is None) == (since is None):
        raise Invalid("replay_what", "Replay one event (event_id) or a time range (since, until).")
    stmt = select(EventRow).where(EventRow.position.is_not(None)).order_by(EventRow.position)
    if event_id is not None:
        stmt = stmt.where(EventRow.event_id == event_id)
    else:
        until = until or ctx.now()
        if since is None or until <= since:
            raise Invalid("replay_range", "'until' must be after 'since'.")
        if until - since > timedelta(days=31):
            raise Invalid("replay_range", "Replay at most 31 days at a time.")
        stmt = stmt.where(EventRow.occurred_at >= since, EventRow.occurred_at <= until)
    if endpoint.shop_id is not None:
        stmt = stmt.where(EventRow.shop_id == endpoint.shop_id)
    wanted = subscription(endpoint)
    rows = [row for row in ctx.session.scalars(stmt.limit(100_001)) if wanted.wants(row.type, row.shop_id)]
    if event_id is not None and not rows:
        raise NotFound("event_not_found", f"No event '{event_id}' for this endpoint.")
    if len(rows) > 100_000:
        raise Invalid("replay_too_large", "At most 100,000 events at a time; choose a shorter range.")
    lock_queues(ctx.session)
    _queue(ctx.session, [(endpoint.id, row) for row in rows], ctx.now(), replay=True)
    return len(rows)


# --- fan-out ----------------------------------------------------------------------------------------


def subscription(endpoint: Any) -> rules.Subscription:
    types = endpoint.event_types
    return rules.Subscription(endpoint.shop_id, frozenset(types) if types is not None else None)


QUEUES_LOCK = 0x7065_6966_7571  # = feed.SEQUENCER_LOCK: who queues and who releases take turns


def lock_queues(session: Session) -> None:
    """Queueing (fan-out, replay) and releasing the next delivery of a case take turns (PostgreSQL;
    SQLite serialises writers already), so a delivery is never queued held behind one that is being
    delivered at that moment — it would wait for a release that has already happened."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": QUEUES_LOCK})


def _queue(session: Session, pairs: Sequence[tuple[str, Any]], now: datetime, *, replay: bool = False) -> int:
    """Deliveries of these events to these endpoints. Per endpoint and case only one delivery is
    ever due: one queued behind a pending one of the same case is held until that one is delivered.
    The caller holds `lock_queues` (the sequencer holds it while it fans out)."""
    if not pairs:
        return 0
    keys = sorted({event.ordering_key for _, event in pairs})
    busy: set[tuple[str, str]] = set()
    for start in range(0, len(keys), 1000):
        busy |= {
            (endpoint_id, key)
            for endpoint_id, key in session.execute(
                select(WebhookDelivery.endpoint_id, WebhookDelivery.ordering_key)
                .where(WebhookDelivery.status == WAITING, WebhookDelivery.ordering_key.in_(keys[start : start + 1000]))
                .distinct()
            )
        }
    rows = []
    for endpoint_id, event in pairs:
        queue = (endpoint_id, event.ordering_key)
        rows.append(
            {
                "endpoint_id": endpoint_id,
                "event_pk": event.id,
                "position": event.position,
                "ordering_key": event.ordering_key,
                "status": machine.QUEUED,
                "held": queue in busy,
                "replay": replay,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
        )
        busy.add(queue)
    bulk.insert_rows(session, DELIVERIES, rows)
    return len(rows)


def fan_out(session: Session, positioned: Sequence[Any], now: datetime) -> int:
    """One delivery per (event, endpoint that wants it) for events just given their position, in
    their order. Disabled endpoints get nothing queued; failing ones keep collecting (their events
    wait). Called by the sequencer, which holds `lock_queues`."""
    if not _any(session, _ANY_COLLECTING):  # (most relay rounds: a bare look first)
        return 0
    endpoints = [
        (e.id, subscription(e))
        for e in session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.status.in_(machine.COLLECTING)))
    ]
    if not endpoints:
        return 0
    pairs = [
        (endpoint_id, event)
        for event in positioned
        for endpoint_id, wanted in endpoints
        if wanted.wants(event.type, event.shop_id)
    ]
    return _queue(session, pairs, now)


def _release(session: Session, delivered: set[tuple[str, str]], now: datetime) -> None:
    """The next delivery of each (endpoint, case) whose head was just delivered becomes due."""
    if not delivered:
        return
    lock_queues(session)
    keys = sorted({key for _, key in delivered})
    heads: dict[tuple[str, str], tuple[int, int]] = {}
    for start in range(0, len(keys), 1000):
        for delivery_id, endpoint_id, key, position in session.execute(
            select(
                WebhookDelivery.id, WebhookDelivery.endpoint_id, WebhookDelivery.ordering_key, WebhookDelivery.position
            ).where(
                WebhookDelivery.status == WAITING,
                WebhookDelivery.held.is_(True),
                WebhookDelivery.ordering_key.in_(keys[start : start + 1000]),
            )
        ):
            queue = (endpoint_id, key)
            if queue in delivered and (queue not in heads or (position, delivery_id) < heads[queue]):
                heads[queue] = (position, delivery_id)
    if heads:
        machine.DELIVERIES.decide(WAITING, DeliveryAction.release, Role.system)  # (the heads are all waiting)
        session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id.in_([delivery_id for _, delivery_id in heads.values()]))
            .values(held=False, next_attempt_at=now)
            .execution_options(synchronize_session=False)
        )


# --- delivering ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outgoing:
    """One request to make: the event's id and body, where to, and the secrets to sign with."""

    delivery_id: int
    endpoint_id: str
    url: str
    event_id: str
    event_type: str
    body: bytes
    secrets: tuple[str, ...]
    attempt: int  # 1 for the first


@dataclass(frozen=True)
class Sent:
    status_code: int | None
    latency_ms: int
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class Sender(Protocol):
    def send_all(self, requests: Sequence[Outgoing]) -> list[Sent]:
        """Make the requests (concurrently, signed, within the URL rules); one result each."""
        ...


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    endpoints_failing: list[str] = field(default_factory=list)


def body_of(event: EventRow) -> bytes:
    payload = envelope(
        event_id=event.event_id,
        event_type=event.type,
        occurred_at=event.occurred_at,
        shop_id=event.shop_id,
        buyer_id=event.buyer_id,
        subject=event.subject,
        subject_id=event.subject_id,
        data=event.data,
    )
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def _claim(ctx: Ctx, owner: str, limit: int) -> list[Outgoing]:
    """Lease up to `limit` due deliveries of active endpoints, soonest due first. Only the head of
    each (endpoint, case) queue is ever due (the rest are held), so order per case is kept without
    looking at the rest of the queue."""
    session, now = ctx.session, ctx.now()
    if not RAW or holds_changes(session):
        active = list(session.scalars(select(WebhookEndpoint.id).where(WebhookEndpoint.status == machine.SENDING)))
    else:  # nothing to flush first: a bare statement (the relay polls several times a second)
        active = [row[0] for row in raw.Link(session).run(_ACTIVE)]
    if not active:
        return []
    ids = claim_due(
        session,
        WebhookDelivery,
        WebhookDelivery.next_attempt_at,
        now,
        owner,
        limit,
        LEASE,
        pending=WAITING,
        where=(WebhookDelivery.held.is_(False), WebhookDelivery.endpoint_id.in_(active)),
    )
    return _outgoing(ctx, ids)


def _lease(ctx: Ctx, ids: list[int], owner: str) -> list[Outgoing]:
    if not ids:
        return []
    session, now = ctx.session, ctx.now()
    session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id.in_(ids))
        .values(lease_owner=owner, lease_until=now + LEASE)
        .execution_options(synchronize_session=False)
    )
    return _outgoing(ctx, ids)


def _outgoing(ctx: Ctx, ids: list[int]) -> list[Outgoing]:
    """What leased deliveries send: the endpoint, its secrets and the event's body."""
    if not ids:
        return []
    session, now = ctx.session, ctx.now()
    rows = session.execute(
        select(WebhookDelivery.id, WebhookDelivery.attempts, WebhookEndpoint, EventRow)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .join(EventRow, EventRow.id == WebhookDelivery.event_pk)
        .where(WebhookDelivery.id.in_(ids))
        .order_by(WebhookDelivery.position, WebhookDelivery.id)
    ).all()
    return [
        Outgoing(
            delivery_id=delivery_id,
            endpoint_id=endpoint.id,
            url=endpoint.url,
            event_id=event.event_id,
            event_type=event.type,
            body=body_of(event),
            secrets=tuple(secrets_of(endpoint, now)),
            attempt=attempts + 1,
        )
        for delivery_id, attempts, endpoint, event in rows
    ]


def _record(ctx: Ctx, owner: str, results: Sequence[tuple[Outgoing, Sent]], *, probe: bool = False) -> DeliveryReport:
    """Every attempt is kept; a delivery still leased to `owner` moves on (delivered, or its next
    try); an endpoint whose delivery spent the schedule is marked failing, and so waits."""
    session, now = ctx.session, ctx.now()
    report = DeliveryReport()
    bulk.insert_rows(
        session,
        ATTEMPTS,
        [
            {
                "delivery_id": out.delivery_id,
                "endpoint_id": out.endpoint_id,
                "event_id": out.event_id,
                "event_type": out.event_type,
                "attempted_at": now,
                "status_code": sent.status_code,
                "latency_ms": sent.latency_ms,
                "ok": sent.ok,
                "error": sent.error[:500] if sent.error else None,
            }
            for out, sent in results
        ],
    )
    ids = [out.delivery_id for out, _ in results]
    current = {
        d.id: d
        for d in session.scalars(
            select(WebhookDelivery).where(WebhookDelivery.id.in_(ids)).execution_options(populate_existing=True)
        )
    }
    endpoints: dict[str, WebhookEndpoint] = {}
    delivered: set[tuple[str, str]] = set()
    for out, sent in results:
        delivery = current.get(out.delivery_id)
        if (
            delivery is None
            or not machine.DELIVERIES.allows(delivery.status, DeliveryAction.deliver)
            or delivery.lease_owner != owner
        ):
            continue  # another dispatcher took it over after our lease ran out: it decides
        endpoint = endpoints.get(out.endpoint_id) or session.get(WebhookEndpoint, out.endpoint_id)
        assert endpoint is not None
        endpoints[endpoint.id] = endpoint
        delivery.attempts += 1
        delivery.last_status_code = sent.status_code
        delivery.lease_until = None
        if sent.ok:
            delivery.status = machine.DELIVERIES.target(delivery.status, DeliveryAction.deliver, Role.system)
            delivery.delivered_at = now
            delivery.last_error = None
            endpoint.last_success_at = now
            delivered.add((delivery.endpoint_id, delivery.ordering_key))
            report.sent += 1
            if probe and machine.ENDPOINTS.allows(endpoint.status, EndpointAction.resume):
                _resume(session, endpoint, now, EndpointAction.resume, Role.system)
            continue
        report.failed += 1
        delivery.status = machine.DELIVERIES.target(delivery.status, DeliveryAction.fail, Role.system)
        delivery.last_error = sent.error or f"HTTP {sent.status_code}"
        wait = None if probe else rules.retry_delay(delivery.attempts, random.uniform(-1, 1))
        if wait is not None:
            delivery.next_attempt_at = now + wait
        elif probe and machine.ENDPOINTS.allows(endpoint.status, EndpointAction.probe):  # still failing: wait
            endpoint.probe_at = now + rules.PROBE_INTERVAL
        elif machine.ENDPOINTS.allows(endpoint.status, EndpointAction.fail):  # retries spent: its events wait
            endpoint.status = machine.ENDPOINTS.target(endpoint.status, EndpointAction.fail, Role.system)
            endpoint.failing_since = now
            endpoint.probe_at = now + rules.PROBE_INTERVAL
            report.endpoints_failing.append(endpoint.id)
    session.flush()
    _release(session, delivered, now)
    return report


def deliver_due(units: Units, sender: Sender, *, owner: str, batch: int = 200) -> DeliveryReport:
    """One round: claim, send (outside any transaction), record. 0 sent and 0 failed means idle."""
    with units.uow() as ctx:
        outgoing = _claim(ctx, owner, batch)
    report = DeliveryReport()
    if outgoing:
        results = sender.send_all(outgoing)
        with units.uow() as ctx:
            report = _record(ctx, owner, list(zip(outgoing, results, strict=True)))
    probed = probe_failing(units, sender, owner=owner)
    report.sent += probed.sent
    report.failed += probed.failed
    return report


def probe_failing(units: Units, sender: Sender, *, owner: str) -> DeliveryReport:
    """Try the oldest waiting event of each failing endpoint whose probe time has come."""
    with units.uow() as ctx:
        session, now = ctx.session, ctx.now()
        if not _any(session, _ANY_PROBE_DUE, {"now": now}):  # (most relay rounds: a bare look first)
            return DeliveryReport()
        due = list(
            session.scalars(
                select(WebhookEndpoint).where(WebhookEndpoint.status == machine.PROBED, WebhookEndpoint.probe_at <= now)
            )
        )
        heads = []
        for endpoint in due:
            head = session.scalar(
                select(WebhookDelivery.id)
                .where(WebhookDelivery.endpoint_id == endpoint.id, WebhookDelivery.status == WAITING)
                .where(WebhookDelivery.held.is_(False))
                .where((WebhookDelivery.lease_until.is_(None)) | (WebhookDelivery.lease_until < now))
                .order_by(WebhookDelivery.position, WebhookDelivery.id)
                .limit(1)
            )
            machine.ENDPOINTS.decide(endpoint.status, EndpointAction.probe, Role.system)
            endpoint.probe_at = now + rules.PROBE_INTERVAL  # one probe per interval, whoever makes it
            if head is not None:
                heads.append(head)
        outgoing = _lease(ctx, heads, owner)
    if not outgoing:
        return DeliveryReport()
    results = sender.send_all(outgoing)
    with units.uow() as ctx:
        return _record(ctx, owner, list(zip(outgoing, results, strict=True)), probe=True)


RAW = True  # the relay's looks for endpoints to serve as bare driver statements (`_ACTIVE`, `_any`)
WEBHOOK_ENDPOINTS = bulk.table_of(WebhookEndpoint)
_ACTIVE = raw.Raw(lambda d: select(WEBHOOK_ENDPOINTS.c.id).where(WEBHOOK_ENDPOINTS.c.status == str(machine.SENDING)))
_ANY_COLLECTING = raw.Raw(
    lambda d: (
        select(WEBHOOK_ENDPOINTS.c.id)
        .where(or_(*(WEBHOOK_ENDPOINTS.c.status == str(status) for status in machine.COLLECTING)))
        .limit(1)
    )
)
_ANY_PROBE_DUE = raw.Raw(
    lambda d: (
        select(WEBHOOK_ENDPOINTS.c.id)
        .where(WEBHOOK_ENDPOINTS.c.status == str(machine.PROBED), WEBHOOK_ENDPOINTS.c.probe_at <= bindparam("now"))
        .limit(1)
    )
)


def _any(session: Session, stmt: raw.Raw, params: dict[str, Any] | None = None) -> bool:
    """Whether `stmt` finds a row; through the session when it holds changes a query would flush."""
    if not RAW or holds_changes(session):
        return True  # (the session's own query decides, after its autoflush)
    return bool(raw.Link(session).run(stmt, params))


# --- what the consoles and the API show -----------------------------------------------------------


def deliveries(
    ctx: Ctx, actor: Actor, endpoint_id: str, *, status: str | None = None, limit: int = 50
) -> list[tuple[WebhookDelivery, EventRow]]:
    endpoint = get_endpoint(ctx, actor, endpoint_id)
    stmt = (
        select(WebhookDelivery, EventRow)
        .join(EventRow, EventRow.id == WebhookDelivery.event_pk)
        .where(WebhookDelivery.endpoint_id == endpoint.id)
        .order_by(WebhookDelivery.id.desc())
        .limit(limit)
    )
    if status is not None:
        stmt = stmt.where(WebhookDelivery.status == status)
    return [(d, e) for d, e in ctx.session.execute(stmt).all()]


def attempts(ctx: Ctx, actor: Actor, endpoint_id: str, *, limit: int = 50) -> list[WebhookAttempt]:
    endpoint = get_endpoint(ctx, actor, endpoint_id)
    stmt = (
        select(WebhookAttempt)
        .where(WebhookAttempt.endpoint_id == endpoint.id)
        .order_by(WebhookAttempt.id.desc())
        .limit(limit)
    )
    return list(ctx.session.scalars(stmt))


@dataclass(frozen=True)
class EndpointHealth:
    pending: int
    delivered: int
    failed_attempts_24h: int


def health(session: Session, endpoint_id: str, now: datetime) -> EndpointHealth:
    counts = dict(
        session.execute(
            select(WebhookDelivery.status, func.count())
            .where(WebhookDelivery.endpoint_id == endpoint_id)
            .group_by(WebhookDelivery.status)
        ).all()
    )
    failed = session.scalar(
        select(func.count())
        .select_from(WebhookAttempt)
        .where(
            WebhookAttempt.endpoint_id == endpoint_id,
            WebhookAttempt.ok.is_(False),
            WebhookAttempt.attempted_at >= now - timedelta(hours=24),
        )
    )
    waiting, delivered = counts.get(WAITING, 0), counts.get(DeliveryStatus.delivered, 0)
    return EndpointHealth(int(waiting), int(delivered), int(failed or 0))
