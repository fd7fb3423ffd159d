"""The event feed: the order events are told in, the pull feed, and the publishers' cursors.

Events are written by the transactions that cause them, many at once; an id taken by a writer
that commits later than the next one would be skipped by a reader that followed ids. So the feed
follows `position`, which the sequencer gives only to committed events, in id order, one
sequencer at a time (a PostgreSQL advisory lock only sequencers take — writers never wait for
it). Positions are final once given: a reader that resumes after position p misses nothing.
Events of one case are written under the case's row lock, so their order is the order of the
changes. Sequencing also fans each event out to the webhook endpoints that want it, in the same
transaction (services.webhooks), so no endpoint misses an event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import BigInteger, bindparam, func, select, text, update
from sqlalchemy.orm import Session

from peifu.db import bulk, raw
from peifu.db.engine import holds_changes
from peifu.db.models import Deadline, EventRow, EventSink
from peifu.domain.actors import Actor, is_platform
from peifu.domain.errors import Forbidden, Invalid, NotFound
from peifu.domain.events import SCHEMA_VERSION, Audience, EventType, types_for
from peifu.domain.vocabulary import DeadlineStatus, Role
from peifu.services import webhooks
from peifu.services.context import Ctx, Units

EVENTS = bulk.table_of(EventRow)
SEQUENCER_LOCK = webhooks.QUEUES_LOCK  # held by the one sequencer at work (and releases), never by writers
MAX_PAGE = 1000
RAW = True  # `sequence` as bare driver statements when the session holds nothing to flush (`_sequence_raw`)


@dataclass(frozen=True)
class Positioned:
    id: int
    type: str
    shop_id: str | None
    ordering_key: str
    position: int


def sequence(ctx: Ctx, *, limit: int = 5000) -> int:
    """Give feed positions to committed events without one, oldest first, and queue their webhook
    deliveries; returns how many. Another sequencer at work means nothing to do here now."""
    session = ctx.session
    if RAW and not holds_changes(session):
        return _sequence_raw(ctx, limit)
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres and not session.scalar(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": SEQUENCER_LOCK}):
        return 0
    rows = session.execute(
        select(EventRow.id, EventRow.type, EventRow.shop_id, EventRow.ordering_key)
        .where(EventRow.position.is_(None))
        .order_by(EventRow.id)
        .limit(limit)
    ).all()
    if not rows:
        return 0
    last = session.scalar(select(func.max(EventRow.position))) or 0
    positioned = [
        Positioned(row.id, row.type, row.shop_id, row.ordering_key, last + n) for n, row in enumerate(rows, start=1)
    ]
    bulk.update_rows(session, EVENTS, "id", [{"id": p.id, "position": p.position} for p in positioned])
    webhooks.fan_out(session, positioned, ctx.now())
    return len(positioned)


_TRY_LOCK = raw.Raw(lambda d: select(func.pg_try_advisory_xact_lock(bindparam("k", type_=BigInteger))))
_UNSEQUENCED = raw.Raw(
    lambda d: (
        select(EVENTS.c.id, EVENTS.c.type, EVENTS.c.shop_id, EVENTS.c.ordering_key)
        .where(EVENTS.c.position.is_(None))
        .order_by(EVENTS.c.id)
        .limit(bindparam("limit"))
    )
)
_LAST_POSITION = raw.Raw(lambda d: select(func.max(EVENTS.c.position)))
_POSITION_ONE = raw.Raw(
    lambda d: update(EVENTS).where(EVENTS.c.id == bindparam("b_id")).values(position=bindparam("position"))
)
_POSITION_ALL = raw.Raw(  # PostgreSQL: one statement for the batch, as bulk.update_rows writes it
    lambda d: text(
        "UPDATE events SET position = u.position"
        " FROM unnest(CAST(:ids AS BIGINT[]), CAST(:positions AS BIGINT[])) AS u(id, position)"
        " WHERE events.id = u.id"
    )
)


def _sequence_raw(ctx: Ctx, limit: int) -> int:
    """`sequence` as bare driver statements (the relay runs it several times a second, in the
    worker too; issue 15): the same lock, the same events in the same order, the same positions,
    the same fan-out (`webhooks.fan_out`, which looks for endpoints the same way first)."""
    link = raw.Link(ctx.session)
    if link.postgres and not link.run(_TRY_LOCK, {"k": SEQUENCER_LOCK})[0][0]:
        return 0
    rows = link.run(_UNSEQUENCED, {"limit": limit})
    if not rows:
        return 0
    last = link.run(_LAST_POSITION)[0][0] or 0
    positioned = [
        Positioned(event_id, type_, shop_id, key, last + n) for n, (event_id, type_, shop_id, key) in enumerate(rows, 1)
    ]
    if link.postgres:
        link.run(_POSITION_ALL, {"ids": [p.id for p in positioned], "positions": [p.position for p in positioned]})
    else:
        link.run_many(_POSITION_ONE, [{"b_id": p.id, "position": p.position} for p in positioned])
    webhooks.fan_out(ctx.session, positioned, ctx.now())
    return len(positioned)


def sequence_all(ctx: Ctx) -> int:
    total = 0
    while (done := sequence(ctx)) > 0:
        total += done
    return total


def audience_of(actor: Actor) -> tuple[Audience, str | None]:
    """Whose events a caller may read: the platform's (all), a shop's, or a buyer's own."""
    if is_platform(actor):
        return Audience.platform, None
    if actor.role is Role.seller and actor.id:
        return Audience.shop, actor.id
    if actor.role is Role.buyer and actor.id:
        return Audience.buyer, actor.id
    raise Forbidden("actor_not_allowed", "The event feed is for the marketplace, shops and buyers.")


def read(
    ctx: Ctx,
    actor: Actor,
    *,
    after: int = 0,
    types: list[str] | None = None,
    shop_id: str | None = None,
    limit: int = 100,
    sequence_first: bool = True,
) -> tuple[list[EventRow], int]:
    """The caller's events after position `after`, oldest first; and the position to resume from.
    `sequence_first=False` on a read replica: the primary's relay gives the positions."""
    if not 1 <= limit <= MAX_PAGE:
        raise Invalid("invalid_limit", f"limit is from 1 to {MAX_PAGE}.")
    known = {str(t) for t in EventType}
    unknown = sorted({t for t in types or [] if t not in known})
    if unknown:
        raise Invalid("unknown_event_type", f"Unknown event types: {', '.join(unknown)}.", unknown=unknown)
    audience, party = audience_of(actor)
    if sequence_first:
        sequence(ctx)  # the feed is current even where no relay runs
    stmt = select(EventRow).where(EventRow.position > after).order_by(EventRow.position).limit(limit)
    visible = {str(t) for t in types_for(audience)}
    wanted = visible & set(types) if types else visible
    if audience is Audience.shop:
        if shop_id is not None and shop_id != party:
            raise NotFound("shop_not_found", "No such shop.")
        stmt = stmt.where(EventRow.shop_id == party)
    elif audience is Audience.buyer:
        if shop_id is not None:
            stmt = stmt.where(EventRow.shop_id == shop_id)
        stmt = stmt.where(EventRow.buyer_id == party)
    elif shop_id is not None:
        stmt = stmt.where(EventRow.shop_id == shop_id)
    if wanted != {str(t) for t in EventType}:
        stmt = stmt.where(EventRow.type.in_(sorted(wanted)))
    rows = list(ctx.session.scalars(stmt))
    return rows, rows[-1].position if rows and rows[-1].position is not None else after


def latest_position(session: Session) -> int:
    return int(session.scalar(select(func.max(EventRow.position))) or 0)


# --- publishers' cursors (the RabbitMQ relay) -----------------------------------------------------


def claim_sink(ctx: Ctx, name: str, owner: str, lease: timedelta) -> int | None:
    """Lease the publisher `name` to `owner` and return how far it has published; None while
    another relay holds it. A relay that dies loses its lease; the next republishes from the
    cursor (at least once)."""
    session, now = ctx.session, ctx.now()
    sink = session.get(EventSink, name)
    if sink is None:
        session.add(EventSink(name=name, position=0, published=0, updated_at=now))
        session.flush()
    taken = session.execute(
        update(EventSink)
        .where(EventSink.name == name)
        .where((EventSink.lease_until.is_(None)) | (EventSink.lease_until < now) | (EventSink.lease_owner == owner))
        .values(lease_owner=owner, lease_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    if not getattr(taken, "rowcount", 0):
        return None
    return int(session.scalar(select(EventSink.position).where(EventSink.name == name)) or 0)


def sink_batch(session: Session, after: int, limit: int) -> list[EventRow]:
    stmt = select(EventRow).where(EventRow.position > after).order_by(EventRow.position).limit(limit)
    return list(session.scalars(stmt))


def advance_sink(ctx: Ctx, name: str, owner: str, position: int, count: int) -> bool:
    """Move the cursor past what was confirmed; False if the lease was lost meanwhile."""
    moved = ctx.session.execute(
        update(EventSink)
        .where(EventSink.name == name, EventSink.lease_owner == owner, EventSink.position < position)
        .values(position=position, published=EventSink.published + count, updated_at=ctx.now())
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(moved, "rowcount", 0))


def sink_state(session: Session) -> list[dict[str, Any]]:
    return [
        {"name": s.name, "position": s.position, "published": s.published, "updated_at": s.updated_at}
        for s in session.scalars(select(EventSink).order_by(EventSink.name))
    ]


def lag(session: Session, now: datetime) -> dict[str, Any]:
    """How far behind the feed is: events not yet sequenced, and the oldest of them."""
    oldest = session.scalar(select(func.min(EventRow.occurred_at)).where(EventRow.position.is_(None)))
    count = session.scalar(select(func.count(EventRow.id)).where(EventRow.position.is_(None)))
    return {"unsequenced": int(count or 0), "oldest_unsequenced_at": oldest}


@dataclass(frozen=True)
class Message:
    """One event as a broker message: routed by its type, its body the webhook's JSON."""

    event_id: str
    event_type: str
    body: bytes
    timestamp: int  # seconds since the epoch, when it happened
    shop_id: str | None
    buyer_id: str | None
    position: int
    schema_version: int = SCHEMA_VERSION


class Publisher(Protocol):
    def publish(self, messages: Sequence[Message]) -> None:
        """Publish in order; return only when the broker has confirmed every message."""
        ...


SINK_LEASE = timedelta(minutes=2)


def publish_due(units: Units, publisher: Publisher, *, sink: str, owner: str, batch: int = 1000) -> int:
    """Publish the feed after the sink's cursor, in order, and move the cursor past what the broker
    confirmed. At least once: a relay that dies between the two publishes again (same event ids)."""
    with units.uow() as ctx:
        sequence(ctx)
        after = claim_sink(ctx, sink, owner, SINK_LEASE)
        if after is None:
            return 0
        rows = sink_batch(ctx.session, after, batch)
        messages = [
            Message(
                event_id=row.event_id,
                event_type=row.type,
                body=webhooks.body_of(row),
                timestamp=int(row.occurred_at.timestamp()),
                shop_id=row.shop_id,
                buyer_id=row.buyer_id,
                position=row.position or 0,
            )
            for row in rows
        ]
    if not messages:
        return 0
    publisher.publish(messages)
    with units.uow() as ctx:
        advance_sink(ctx, sink, owner, messages[-1].position, len(messages))
    return len(messages)


# --- reminders for the consoles ---------------------------------------------------------------------


def reminders(ctx: Ctx, actor: Actor, *, limit: int = 10) -> list[dict[str, Any]]:
    """The caller's `deadline.approaching` reminders whose deadline is still pending and which the
    caller can still act on, soonest first: what the buyer and seller consoles show."""
    audience, party = audience_of(actor)
    role = {Audience.shop: "seller", Audience.buyer: "buyer"}.get(audience)
    stmt = select(EventRow).where(EventRow.type == str(EventType.deadline_approaching))
    if audience is Audience.shop:
        stmt = stmt.where(EventRow.shop_id == party)
    elif audience is Audience.buyer:
        stmt = stmt.where(EventRow.buyer_id == party)
    rows = list(ctx.session.scalars(stmt.order_by(EventRow.id.desc()).limit(200)))
    pending = set(
        ctx.session.scalars(
            select(Deadline.id).where(
                Deadline.id.in_([int(r.subject_id) for r in rows]), Deadline.status == DeadlineStatus.pending
            )
        )
    )
    found = []
    for row in rows:
        deadline = row.data["deadline"]
        if int(row.subject_id) not in pending or (role and role not in deadline["who_can_act"]):
            continue
        found.append({"event": row, "deadline": deadline, "case": row.data.get("case"), "order": row.data.get("order")})
    found.sort(key=lambda r: r["deadline"]["due_at"])
    return found[:limit]
