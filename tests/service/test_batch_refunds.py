"""The batch path (services.batch_refunds) writes what `cases.act` writes.

Each example builds the same marketplace situation twice, as twin orders A-… and B-…: the twins'
requests are agreed — by the seller, or by the system when the response deadline passes — one by
one through the single door for A, and as one batch for B. Every row either way is then compared
with ids put in their place: cases, timelines, order lines, orders and their events, ledger
transactions and entries, payouts, deadlines, metric rows, the domain events told to the world
(webhooks, feed) and balances; and the audit chain
verifies, with a link for every new event and transaction.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from peifu.adapters.runtime import Runtime
from peifu.db.models import (
    Base,
    Case,
    CaseEvent,
    Deadline,
    EventRow,
    LedgerTransaction,
    MetricCase,
    Order,
    OrderEvent,
    OrderLine,
    OutboxMessage,
)
from peifu.domain.actors import Actor
from peifu.domain.vocabulary import CaseAction, CaseType, DeadlineKind, OrderEventKind, Reason, Role
from peifu.services import audit, auto_handling, batch_refunds, cases, deadlines, ledger, metrics, orders
from peifu.services.inputs import AgreeIn, CaseIn, CaseLineIn, OrderEventIn, OrderIn

COUNTER = itertools.count()
# counterfeit: agreeing to it is not admitting it (seed 004), so it earns nothing and the batch takes it
REASONS = [
    Reason.no_longer_wanted,
    Reason.ordered_by_mistake,
    Reason.quality_problem,
    Reason.out_of_stock,
    Reason.counterfeit,
]

request = st.fixed_dictionaries(
    {
        "lines": st.sets(st.integers(1, 3), min_size=1, max_size=3),
        "part": st.sampled_from([None, 1, 2]),  # None: all that is refundable; else 1/part of it
        "reason": st.sampled_from(REASONS),
    }
)
situation = st.fixed_dictionaries(
    {
        "prices": st.lists(st.integers(1, 50_000), min_size=3, max_size=3),
        "shipping": st.sampled_from(["free", "fee", "none"]),
        "insured": st.booleans(),
        "state": st.sampled_from(["paid", "shipped", "completed"]),
        "earlier_refund": st.booleans(),  # line 1 already partly refunded by an earlier case
        "requests": st.lists(request, min_size=1, max_size=3),
        "by": st.sampled_from(["seller", "deadline"]),
        "note": st.sampled_from(["", "同意退款"]),
        "orders": st.integers(1, 3),
        "abusive": st.booleans(),  # an agent marked the first request an abusive claim (恶意退款)
    }
)


def _order(rt: Runtime, order_id: str, shop: str, s: dict[str, Any]) -> None:
    body = {
        "id": order_id,
        "shop": {"id": shop, "name": "孪生店", "category": "shoes"},
        "buyer": {"id": f"{shop}-buyer"},
        "lines": [
            {"sku": f"SKU-{i}", "title": "商品", "category": "shoes", "unit_price_fen": p, "quantity": 1}
            for i, p in enumerate(s["prices"], start=1)
        ],
        "free_shipping": s["shipping"] == "free",
        "shipping_fee_fen": 800 if s["shipping"] == "fee" else 0,
        "shipping_insurance": s["insured"],
    }
    with rt.uow() as ctx:
        orders.ingest_order(ctx, OrderIn.model_validate(body))
        orders.record_event(ctx, order_id, OrderEventIn(kind=OrderEventKind.paid))
        if s["state"] in ("shipped", "completed"):
            event = {
                "kind": "shipped",
                "courier": "SF",
                "tracking_no": "SF" + order_id.split("-", 1)[1].replace("-", ""),
            }
            orders.record_event(ctx, order_id, OrderEventIn.model_validate(event))
        if s["state"] == "completed":
            orders.record_event(ctx, order_id, OrderEventIn(kind=OrderEventKind.confirmed))
    if s["earlier_refund"]:
        with rt.uow() as ctx:
            amount = max(1, s["prices"][0] // 2)
            first = CaseIn(
                order_id=order_id,
                lines=[CaseLineIn(line_no=1, refund_amount_fen=amount)],
                case_type=CaseType.refund_only,
                reason=Reason.no_longer_wanted,
            )
            opened = cases.open_case(ctx, first, Actor(Role.buyer, f"{shop}-buyer"))
            cases.act(ctx, opened.id, CaseAction.agree, Actor(Role.seller, shop), AgreeIn())


def _open(rt: Runtime, order_id: str, shop: str, s: dict[str, Any]) -> list[int]:
    opened = []
    for r in s["requests"]:
        with rt.uow() as ctx:
            view = orders.order_view(ctx.session, ctx.session.get(Order, order_id))  # type: ignore[arg-type]
            lines = []
            for no in sorted(r["lines"]):
                left = view.line(no).refundable_fen
                if left <= 0:
                    continue
                lines.append(
                    CaseLineIn(
                        line_no=no, refund_amount_fen=left if r["part"] is None else max(1, left // (r["part"] + 1))
                    )
                )
            if not lines:
                continue
            body = CaseIn(order_id=order_id, lines=lines, case_type=CaseType.refund_only, reason=r["reason"])
            try:
                opened.append(cases.open_case(ctx, body, Actor(Role.buyer, f"{shop}-buyer")).id)
            except Exception:  # the rules refuse this request (e.g. a window closed): so they do for the twin
                continue
    if opened and s.get("abusive"):
        with rt.uow() as ctx:
            metrics.mark_abusive(ctx, opened[0], Actor(Role.agent, "xiaoer-1"), note="职业索赔")
    return opened


def _single_door(rt: Runtime, shop: str, ids: list[int], s: dict[str, Any]) -> None:
    actor = Actor(Role.seller, shop)
    for case_id in ids:
        try:
            with rt.uow() as ctx:
                if s["by"] == "seller":
                    cases.act(ctx, case_id, CaseAction.agree, actor, AgreeIn(note=s["note"]))
                else:
                    for d in _due(ctx.session, case_id):
                        deadlines.fire_one(ctx, d, s.get("twin", "A"))
        except Exception:
            continue


def _batch(rt: Runtime, shop: str, ids: list[int], s: dict[str, Any]) -> batch_refunds.BatchResult | None:
    if s["by"] == "seller":
        with rt.uow() as ctx:
            auto_handling.bulk_agree(ctx, Actor(Role.seller, shop), shop, ids, note=s["note"])
        return None
    with rt.uow() as ctx:
        items = [batch_refunds.Item(cid, deadline_id=d, owner="B") for cid in ids for d in _due(ctx.session, cid)]
        result = batch_refunds.agree_all(ctx, items)
    for item in result.handed_back:  # as deadlines.run_due does
        try:
            with rt.uow() as ctx:
                assert item.deadline_id is not None
                deadlines.fire_one(ctx, item.deadline_id, "B")
        except Exception:
            continue
    return result


def _in_order_of(rt: Runtime, done: list[int], twins: list[int]) -> list[int]:
    """The twins in the order their counterparts were agreed to: which request of an order is
    refunded last decides who closes it, so both ways must take them in the same order."""
    with rt.uow() as ctx:
        stmt = select(CaseEvent.case_id).where(CaseEvent.case_id.in_(done), CaseEvent.action == "agree")
        agreed = list(ctx.session.scalars(stmt.order_by(CaseEvent.id)))
    place = {case_id: i for i, case_id in enumerate(done)}
    order = [twins[place[case_id]] for case_id in agreed]
    return order + [case_id for case_id in twins if case_id not in order]


def _row_counts(rt: Runtime) -> dict[str, int]:
    with rt.uow() as ctx:
        return {
            table.name: int(ctx.session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
        }


def _due(session: Session, case_id: int) -> list[int]:
    stmt = select(Deadline.id).where(
        Deadline.case_id == case_id, Deadline.status == "pending", Deadline.kind == DeadlineKind.seller_response
    )
    return list(session.scalars(stmt))


def _lease(rt: Runtime, ids: list[int], owner: str) -> None:
    with rt.uow() as ctx:
        ctx.session.execute(
            update(Deadline)
            .where(Deadline.case_id.in_(ids), Deadline.status == "pending")
            .values(lease_owner=owner, lease_until=ctx.now() + timedelta(minutes=2))
        )


class Normaliser:
    """Ids and twin prefixes replaced by their place, so the twins' rows can be compared."""

    def __init__(self, prefix: str, case_ids: list[int], txn_ids: list[int]) -> None:
        self.prefix = prefix
        self.cases = {cid: f"C{i}" for i, cid in enumerate(case_ids)}
        self.txns = {tid: f"T{i}" for i, tid in enumerate(txn_ids)}

    def __call__(self, value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {self(k): self(v, k) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self(v) for v in value]
        if isinstance(value, int) and not isinstance(value, bool):
            if key == "case_id":
                return self.cases.get(value, value)
            if key in ("ledger_txn", "txn_id", "correction_txn"):
                return self.txns.get(value, value)
            return value
        if isinstance(value, str):
            value = value.replace(f"{self.prefix}-", "X-")
            value = re.sub(r"case (\d+)", lambda m: f"case {self.cases.get(int(m.group(1)), m.group(1))}", value)
            return re.sub(r"payout-(\d+)", lambda m: f"payout-{self.txns.get(int(m.group(1)), m.group(1))}", value)
        return value


def _row(obj: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    skip = ("id", "version", *skip)
    return {c.key: getattr(obj, c.key) for c in obj.__table__.columns if c.key not in skip}


def _domain_event(e: EventRow, n: Normaliser) -> dict[str, Any]:
    """An event row as the twins can share it: its own id aside, the case's number in its place."""
    row = _row(e, ("event_id", "position"))
    if e.case_id is not None:
        row["ordering_key"] = f"case:{n.cases.get(e.case_id, e.case_id)}"
    if e.subject == "case":
        row["subject_id"] = n.cases.get(int(e.subject_id), e.subject_id)
        row["data"] = {**e.data, "case": {**e.data["case"], "id": row["subject_id"]}}
    elif e.subject in ("compensation", "payout"):  # numbered in the order the twins were written
        row["subject_id"] = e.subject
        row["data"] = {**e.data, e.subject: {**e.data[e.subject], "id": e.subject}}
    return row


def snapshot(session: Session, prefix: str) -> dict[str, Any]:
    order_ids = list(session.scalars(select(Order.id).where(Order.id.like(f"{prefix}-%")).order_by(Order.id)))
    case_rows = list(session.scalars(select(Case).where(Case.order_id.in_(order_ids)).order_by(Case.id)))
    txns = list(
        session.scalars(
            select(LedgerTransaction)
            .where(LedgerTransaction.order_id.in_(order_ids))
            .order_by(LedgerTransaction.order_id, LedgerTransaction.id)
        )
    )
    n = Normaliser(prefix, [c.id for c in case_rows], [t.id for t in txns])
    case_ids = [c.id for c in case_rows]
    shot = {
        "orders": [_row(o) for o in session.scalars(select(Order).where(Order.id.in_(order_ids)).order_by(Order.id))],
        "lines": [
            _row(line)
            for line in session.scalars(
                select(OrderLine).where(OrderLine.order_id.in_(order_ids)).order_by(OrderLine.id)
            )
        ],
        "order_events": [
            _row(e)
            for e in session.scalars(
                select(OrderEvent)
                .where(OrderEvent.order_id.in_(order_ids))
                .order_by(OrderEvent.order_id, OrderEvent.id)
            )
        ],
        "cases": [_row(c) for c in case_rows],
        "events": [
            _row(e)
            for e in session.scalars(
                select(CaseEvent).where(CaseEvent.case_id.in_(case_ids)).order_by(CaseEvent.case_id, CaseEvent.seq)
            )
        ],
        "ledger": [{**_row(t), "entries": [(e.account, e.amount_fen) for e in t.entries]} for t in txns],
        "payouts": [
            _row(m)
            for m in session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.case_id.in_(case_ids))
                .order_by(OutboxMessage.case_id, OutboxMessage.id)
            )
        ],
        "deadlines": [
            _row(d, ("lease_owner",))
            for d in session.scalars(
                select(Deadline)
                .where(Deadline.case_id.in_(case_ids) | Deadline.order_id.in_(order_ids))
                .order_by(
                    Deadline.case_id, Deadline.order_id, Deadline.kind, Deadline.due_at, Deadline.status, Deadline.id
                )
            )
        ],
        "metrics": [
            _row(m)
            for m in session.scalars(
                select(MetricCase).where(MetricCase.case_id.in_(case_ids)).order_by(MetricCase.case_id)
            )
        ],
        "domain_events": [
            _domain_event(e, n)
            for e in session.scalars(
                select(EventRow)
                .where(EventRow.case_id.in_(case_ids) | EventRow.order_id.in_(order_ids))
                .order_by(EventRow.case_id, EventRow.id)
            )
        ],
        "balances": ledger.balances(session, f"escrow:{prefix}-")
        | {
            "seller": ledger.balance(session, f"seller_balance:{prefix}-shop"),
        },
        "versions_moved": [c.version > 1 for c in case_rows],
    }
    return n(shot)


def _twins(
    rt: Runtime, s: dict[str, Any], way: Callable[..., batch_refunds.BatchResult | None] | None = None
) -> tuple[dict[str, Any], dict[str, Any], batch_refunds.BatchResult | None]:
    """Twin orders and requests: B's agreed `way` (the batch by default), then A's through the
    single door's ORM path, in the same order; the two snapshots, their own names aside."""
    run = next(COUNTER)
    opened: dict[str, list[int]] = {}
    for twin in ("A", "B"):
        shop = f"{twin}-shop{run}"
        for k in range(s["orders"]):
            _order(rt, f"{twin}-{run}-{k}", shop, s)
        opened[twin] = [cid for k in range(s["orders"]) for cid in _open(rt, f"{twin}-{run}-{k}", shop, s)]
    if s["by"] == "deadline":
        rt.clock.advance(timedelta(days=30))  # type: ignore[attr-defined]
        _lease(rt, opened["A"], "A")
        _lease(rt, opened["B"], "B")
    before = _row_counts(rt)
    result = (way or _batch)(rt, f"B-shop{run}", opened["B"], s)
    between = _row_counts(rt)
    fast = batch_refunds.agree_one
    batch_refunds.agree_one = lambda *args, **kwargs: None  # type: ignore[assignment]  # the ORM path only
    try:
        _single_door(rt, f"A-shop{run}", _in_order_of(rt, opened["B"], opened["A"]), s)
    finally:
        batch_refunds.agree_one = fast  # type: ignore[method-assign]
    after = _row_counts(rt)
    # no table is written by one way and not the other (nor more rows of it)
    assert {t: between[t] - before[t] for t in before} == {t: after[t] - between[t] for t in before}
    with rt.uow() as ctx:
        a = snapshot(ctx.session, f"A-{run}")
        b = snapshot(ctx.session, f"B-{run}")
    for shot, twin in ((a, "A"), (b, "B")):
        text = repr(shot).replace(f"{twin}-shop{run}", "SHOP").replace(f"X-shop{run}", "SHOP")
        shot.clear()
        shot["all"] = text
    return a, b, result


def assert_same(a: dict[str, Any], b: dict[str, Any]) -> None:
    if a != b:
        left, right = a["all"].split(", '"), b["all"].split(", '")
        diff = [f"A: {x}\nB: {y}" for x, y in zip(left, right, strict=False) if x != y]
        raise AssertionError("the batch wrote otherwise than the single door:\n" + "\n".join(diff[:8]))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(s=situation)
def test_the_batch_writes_what_the_single_door_writes(rt: Runtime, s: dict[str, Any]) -> None:
    a, b, _ = _twins(rt, s)
    assert_same(a, b)
    with rt.uow() as ctx:
        assert audit.verify(ctx.session) is None


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(s=situation)
def test_the_single_doors_fast_path_writes_what_its_orm_path_writes(rt: Runtime, s: dict[str, Any]) -> None:
    """`cases.act` agrees to the simple shape as bare driver calls (batch_refunds.agree_one), the
    rest the ORM way: each twin request through the single door, once as it is and once with the
    fast path switched off, the same rows (tests/service/test_hot_path_rows.py: also the ids, the
    versions and the audit links)."""

    def single_door(rt: Runtime, shop: str, ids: list[int], s: dict[str, Any]) -> None:
        _single_door(rt, shop, ids, {**s, "twin": "B"})

    a, b, _ = _twins(rt, s, single_door)
    assert_same(a, b)
    with rt.uow() as ctx:
        assert audit.verify(ctx.session) is None


def test_the_common_shape_goes_through_the_batch_and_the_rest_is_handed_back(rt: Runtime) -> None:
    """A refund_only request for no_longer_wanted on a paid order is the batch's; an out_of_stock
    one (it earns compensation) and a second request on the same order are handed back — and all
    end as the single door leaves them."""
    s = {
        "prices": [5000, 3000, 1000],
        "shipping": "fee",
        "insured": False,
        "state": "paid",
        "earlier_refund": False,
        "requests": [
            {"lines": {1}, "part": None, "reason": Reason.no_longer_wanted},
            {"lines": {2}, "part": None, "reason": Reason.out_of_stock},
        ],
        "by": "deadline",
        "note": "",
        "orders": 2,
    }
    a, b, result = _twins(rt, s)
    assert_same(a, b)
    assert result is not None
    assert len(result.done) == 2  # the first request of each order
    assert len(result.handed_back) == 2
    assert set(result.done.values()) == {"refunded"}


def test_a_deadline_no_longer_leased_to_the_worker_is_skipped(rt: Runtime) -> None:
    s = {
        "prices": [5000, 3000, 1000],
        "shipping": "none",
        "insured": False,
        "state": "paid",
        "earlier_refund": False,
        "requests": [{"lines": {1, 2, 3}, "part": None, "reason": Reason.no_longer_wanted}],
        "by": "deadline",
        "note": "",
        "orders": 1,
    }
    run = next(COUNTER)
    _order(rt, f"S-{run}-0", f"S-shop{run}", s)
    (case_id,) = _open(rt, f"S-{run}-0", f"S-shop{run}", s)
    rt.clock.advance(timedelta(days=30))  # type: ignore[attr-defined]
    _lease(rt, [case_id], "someone-else")
    with rt.uow() as ctx:
        (deadline_id,) = _due(ctx.session, case_id)
        result = batch_refunds.agree_all(ctx, [batch_refunds.Item(case_id, deadline_id=deadline_id, owner="me")])
    assert not result.done and len(result.skipped) == 1
    with rt.uow() as ctx:
        assert ctx.session.get(Case, case_id).state == "requested"  # type: ignore[union-attr]
