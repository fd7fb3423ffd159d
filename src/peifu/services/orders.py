"""Orders from the marketplace: ingest, events, and the views of them other services need."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from peifu.db.locking import lock_order
from peifu.db.models import Buyer, Case, CaseLine, Order, OrderEvent, OrderLine, Shop
from peifu.domain.actors import Actor, is_platform
from peifu.domain.eligibility import LineView, OrderView
from peifu.domain.errors import Conflict, Invalid, NotFound
from peifu.domain.events import EventType
from peifu.domain.orders import ShipTerms, auto_confirm_at, next_order_state, ship_deadline
from peifu.domain.vocabulary import FINAL_CASE_STATES, DeadlineKind, OrderEventKind, OrderState, Role
from peifu.services import access, events, metrics, money
from peifu.services.context import Ctx
from peifu.services.inputs import OrderEventIn, OrderIn
from peifu.services.timers import ORDER_CLOSED, arm_auto_confirm, cancel_order_deadlines

FINAL_STATES = tuple(str(s) for s in FINAL_CASE_STATES)


def ingest_order(ctx: Ctx, data: OrderIn) -> Order:
    session, now = ctx.session, ctx.now()
    if session.get(Order, data.id) is not None:
        raise Conflict("order_exists", f"Order '{data.id}' was already ingested.", order_id=data.id)
    created_at = data.created_at or now
    if created_at > now:
        raise Invalid("time_in_future", "created_at is in the future.")
    _upsert_shop(session, data, now)
    _upsert_buyer(session, data, now)
    order = Order(
        id=data.id,
        shop_id=data.shop.id,
        buyer_id=data.buyer.id,
        state=OrderState.awaiting_payment,
        policy_version=ctx.policies.current.version,
        created_at=created_at,
        free_shipping=data.free_shipping,
        shipping_fee_fen=data.shipping_fee_fen,
        shipping_insurance=data.shipping_insurance,
        promotion=data.promotion,
        presale_ship_by=data.presale_ship_by,
        invoice_promised=data.invoice_promised,
        gifts=list(data.gifts),
    )
    for number, line in enumerate(data.lines, start=1):
        order.lines.append(
            OrderLine(
                line_no=number,
                sku=line.sku,
                title=line.title,
                category=line.category,
                unit_price_fen=line.unit_price_fen,
                quantity=line.quantity,
                paid_fen=line.paid_fen,
                refunded_fen=0,
                custom_made=line.custom_made,
                perishable=line.perishable,
                digital=line.digital,
                food=line.food,
            )
        )
    session.add(order)
    session.flush()
    return order


def _upsert_shop(session: Session, data: OrderIn, now: datetime) -> None:
    shop = session.get(Shop, data.shop.id)
    if shop is None:
        session.add(
            Shop(
                id=data.shop.id,
                name=data.shop.name,
                category=data.shop.category,
                kind=data.shop.kind,
                created_at=now,
            )
        )
    else:
        shop.name = data.shop.name
        if "kind" in data.shop.model_fields_set:
            shop.kind = data.shop.kind
        if data.shop.category:
            shop.category = data.shop.category


def _upsert_buyer(session: Session, data: OrderIn, now: datetime) -> None:
    buyer = session.get(Buyer, data.buyer.id)
    if buyer is None:
        session.add(
            Buyer(
                id=data.buyer.id,
                name=data.buyer.name,
                phone=data.buyer.phone,
                address=data.buyer.address,
                created_at=now,
            )
        )
    else:
        for field in ("name", "phone", "address"):
            value = getattr(data.buyer, field)
            if value:
                setattr(buyer, field, value)


def get_order(ctx: Ctx, order_id: str, actor: Actor | None = None) -> Order:
    order = ctx.session.get(Order, order_id)
    if order is None:
        raise NotFound("order_not_found", f"No order '{order_id}'.", order_id=order_id)
    if actor is not None:
        access.check_order(ctx, actor, order)  # agents: only orders in intervention
    return order


def list_orders(ctx: Ctx, actor: Actor, *, limit: int = 100) -> list[Order]:
    """Newest first: a buyer's own orders, a seller's shop's, everything for the platform."""
    stmt = select(Order).order_by(Order.created_at.desc(), Order.id.desc()).limit(limit)
    if actor.role is Role.buyer:
        stmt = stmt.where(Order.buyer_id == actor.id)
    elif actor.role is Role.seller:
        stmt = stmt.where(Order.shop_id == actor.id)
    elif not is_platform(actor):
        return []
    return list(ctx.session.scalars(stmt))


def record_event(ctx: Ctx, order_id: str, event: OrderEventIn) -> Order:
    """Apply one marketplace event to an order, arming or cancelling its timers."""
    session, now = ctx.session, ctx.now()
    order = lock_order(session, order_id)
    if order is None:
        raise NotFound("order_not_found", f"No order '{order_id}'.", order_id=order_id)
    at = event.at or now
    if at > now:
        raise Invalid("time_in_future", "The event's time is in the future.")
    previous = max((e.at for e in order.events), default=order.created_at)
    if at < previous:
        raise Invalid("time_before_previous_event", "The event happened before the order's previous event.")
    source = order.state
    target = next_order_state(OrderState(source), event.kind)
    policy = ctx.policies.get(session, order.policy_version)
    data: dict[str, str] = {}
    kind = event.kind
    if kind is OrderEventKind.paid:
        order.paid_at = at
        money.capture_payment(ctx, order)
        order.ship_deadline = ship_deadline(
            at, ShipTerms(promotion=order.promotion is not None, presale_ship_by=order.presale_ship_by), policy
        )
        metrics.on_order_paid(ctx, order)
    elif kind is OrderEventKind.shipped:
        assert event.courier and event.tracking_no
        order.shipped_at, order.courier, order.tracking_no = at, event.courier, event.tracking_no
        data = {"courier": event.courier, "tracking_no": event.tracking_no}
        due = auto_confirm_at(at, policy)
        if open_case_count(session, order.id, in_trade_only=True):
            order.auto_confirm_at = due  # paused: re-armed when the open case ends
        else:
            arm_auto_confirm(session, order, due, now, policy)
    elif kind is OrderEventKind.signed:
        order.signed_at = at
    elif kind is OrderEventKind.refused_delivery:
        order.refused_delivery_at = at
        order.refused_delivery_reason = event.reason
        data = {"reason": event.reason or ""}
    elif kind is OrderEventKind.confirmed:
        complete_order(ctx, order, at)
    elif kind is OrderEventKind.closed:
        if open_case_count(session, order.id):
            raise Conflict("order_has_open_case", "The order has an after-sale request in progress.")
        close_order(ctx, order, at)
    # complete_order/close_order above have already moved the state: the event names where it came from
    order.events.append(OrderEvent(kind=kind, at=at, recorded_at=now, from_state=source, to_state=target, data=data))
    order.state = target
    session.flush()
    return order


def complete_order(ctx: Ctx, order: Order, at: datetime) -> None:
    """Receipt confirmed (by the buyer or the timer): the seller is paid what escrow still holds."""
    order.completed_at = at
    order.state = OrderState.completed
    cancel_order_deadlines(ctx.session, order.id, DeadlineKind.auto_confirm_receipt, "receipt confirmed")
    money.release_escrow(ctx, order, f"order {order.id} completed")


def close_order(ctx: Ctx, order: Order, at: datetime) -> None:
    """Closed unpaid, or fully refunded in-trade: anything left in escrow (e.g. shipping the
    seller was not asked to refund, or money the platform advanced) goes to the seller."""
    order.closed_at = at
    order.state = OrderState.closed
    cancel_order_deadlines(ctx.session, order.id, DeadlineKind.auto_confirm_receipt, ORDER_CLOSED)
    money.release_escrow(ctx, order, money.closing_memo(order.id))


def end_by_system(ctx: Ctx, order: Order, kind: OrderEventKind, data: dict[str, Any]) -> None:
    """The engine, not the marketplace, ends the order — `confirmed` by the auto-confirm timer,
    `closed` when the last line is refunded in-trade (a move the marketplace's own event table
    refuses for a paid order). The timeline records it, and why, as for a reported event."""
    now, source = ctx.now(), order.state
    if kind is OrderEventKind.confirmed:
        complete_order(ctx, order, now)
    else:
        close_order(ctx, order, now)
    entry = OrderEvent(
        kind=kind, at=now, recorded_at=now, from_state=source, to_state=order.state, data={"actor": "system", **data}
    )
    if "events" in inspect(order).unloaded:  # not read: add the entry without loading the timeline
        entry.order_id = order.id
        ctx.session.add(entry)
    else:
        order.events.append(entry)
    kind_event = EventType.order_confirmed if kind is OrderEventKind.confirmed else EventType.order_closed
    events.order_event(ctx, kind_event, order, data)


def open_case_count(session: Session, order_id: str, *, in_trade_only: bool = False) -> int:
    stmt = select(func.count(Case.id)).where(Case.order_id == order_id, Case.state.not_in(FINAL_STATES))
    if in_trade_only:
        stmt = stmt.where(Case.phase == "in_trade")
    return int(session.scalar(stmt) or 0)


def order_view(session: Session, order: Order, *, excluding_case: int | None = None) -> OrderView:
    """The eligibility rules' picture of an order: per line what was paid, refunded and claimed."""
    claims = (
        select(CaseLine.order_line_id, func.sum(CaseLine.amount_fen), func.count(CaseLine.id))
        .join(Case, Case.id == CaseLine.case_id)
        .where(Case.order_id == order.id, Case.state.not_in(FINAL_STATES))
    )
    if excluding_case is not None:
        claims = claims.where(Case.id != excluding_case)
    claimed = {
        row[0]: (int(row[1] or 0), int(row[2])) for row in session.execute(claims.group_by(CaseLine.order_line_id))
    }
    return order_view_of(order, order.lines, claimed)


def order_view_of(order: Any, lines: Iterable[Any], claimed: dict[int, tuple[int, int]]) -> OrderView:
    """`order_view` from the order and its lines (objects or rows with the columns' names and a
    `flags`) and the open cases' claims per order line id (money, number of cases): the one
    definition the raw open path (services.raw_cases) uses too."""
    return OrderView(
        state=OrderState(order.state),
        paid_at=order.paid_at,
        shipped_at=order.shipped_at,
        received_at=order.signed_at or order.completed_at,
        completed_at=order.completed_at,
        lines=[
            LineView(
                line_id=line.line_no,
                paid_fen=line.paid_fen,
                refunded_fen=line.refunded_fen,
                claimed_fen=claimed.get(line.id, (0, 0))[0],
                flags=line.flags,
                has_open_case=claimed.get(line.id, (0, 0))[1] > 0,
            )
            for line in lines
        ],
        ship_deadline=order.ship_deadline,
    )
