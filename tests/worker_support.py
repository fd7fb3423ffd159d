"""Seeding for the worker tests (concurrency, crash safety): many due refund requests made through
the services, and the sandbox clock moved past their deadlines."""

from __future__ import annotations

from datetime import timedelta

from peifu.adapters.runtime import Runtime
from peifu.domain.actors import Actor
from peifu.domain.clock import OffsetClock
from peifu.domain.vocabulary import CaseType, OrderEventKind, Reason, Role
from peifu.services import cases, orders, sandbox
from peifu.services.inputs import CaseIn, CaseLineIn, OrderEventIn, OrderIn

CHUNK = 125  # orders per unit of work


def open_refunds(srt: Runtime, orders_count: int, *, prefix: str, price: int, lines: int) -> int:
    """Paid orders of `lines` lines each, with a refund_only request per line, made through the
    services, `CHUNK` orders per pair of units of work. Returns how many cases were opened.

    Orders and cases go in separate units of work: appending case events to the audit chain takes
    a database-wide lock until commit, so only the orders can be written by processes in parallel.
    """
    opened = 0
    line = {"title": "坚果", "category": "food", "unit_price_fen": price, "quantity": 1}
    for start in range(0, orders_count, CHUNK):
        numbers = range(start, min(start + CHUNK, orders_count))
        with srt.uow() as ctx:
            for n in numbers:
                body = {
                    "id": f"{prefix}-{n:05d}",
                    "shop": {"id": f"shop-{prefix}-{n % 5}", "name": "并发测试店"},
                    "buyer": {"id": f"buyer-{prefix}-{n % 17}"},
                    "lines": [{"sku": f"SKU-{i}", **line} for i in range(lines)],
                }
                orders.ingest_order(ctx, OrderIn.model_validate(body))
                orders.record_event(ctx, body["id"], OrderEventIn(kind=OrderEventKind.paid))
            ctx.session.expunge_all()
        with srt.uow() as ctx:
            for n in numbers:
                for line_no in range(1, lines + 1):
                    request = CaseIn(
                        order_id=f"{prefix}-{n:05d}",
                        lines=[CaseLineIn(line_no=line_no)],
                        case_type=CaseType.refund_only,
                        reason=Reason.ordered_by_mistake,
                    )
                    cases.open_case(ctx, request, Actor(Role.buyer, f"buyer-{prefix}-{n % 17}"))
                    opened += 1
            ctx.session.expunge_all()
    return opened


def advance(srt: Runtime, delta: timedelta) -> None:
    """Move the sandbox clock (stored in the database, so worker processes see it too)."""
    assert isinstance(srt.clock, OffsetClock)
    with srt.uow() as ctx:
        sandbox.move(ctx.session, srt.clock, advance_seconds=int(delta.total_seconds()), set_to=None)
