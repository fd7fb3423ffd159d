"""Opening a plain case through the single door, as bare driver calls (issue 15).

`cases.open_case` hands a new request here first. The same lock (the order, FOR UPDATE on
PostgreSQL), the same access check, the same picture of the order (`orders.order_view_of`), the
same amounts asked (`asked_amounts`) and eligibility check (`check_new_request`), and the same rows
as the ORM path writes: the case (with the triage suggestion its reaction keeps, and its version as
that reaction's flush leaves it), its lines, the timeline entry, the state's deadline, the
in-trade pause of the order's auto-confirm timer, the domain events (`events.case_move_events`),
the metrics row (`metrics.on_case_changed`) and the audit links (noted as the ORM path's flushes
note them: `audit.note_written`, `audit.append_case_event`). The reads are one round trip; on PostgreSQL the writes
are two (the case's new id, then the rest, pipelined). tests/service/test_raw_cases.py opens the
same requests both ways and compares every row.

The reactions to `case.opened` (services.reactions: triage, a standing buyer mark, the shop's
auto-handling rules) are taken here for the plain request: the triage is computed before the case
is written; a standing mark on the buyer or an enabled auto-handling rule of the shop (read under
the order's lock) hands the request back. Also handed back (None, nothing written) and opened the
ORM way: an order not found, a shop not filed for metrics yet, a triage that failed (the ORM path
logs it), a runtime whose reactions to `case.opened` are not the standard ones. The unit of work's
pending changes are flushed first, as the ORM path's first statement (the order's lock) flushes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import Any, NamedTuple, cast

from sqlalchemy import and_, bindparam, func, insert, select, update
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from peifu.db import bulk, raw
from peifu.db.models import BuyerAbuseMark, Case, CaseEvent, CaseLine, MetricShop, OrderLine, SellerAutoRule
from peifu.domain import metrics as metric_rules
from peifu.domain.case_machine import deadline_for
from peifu.domain.eligibility import OrderView, RequestTerms, check_new_request, phase_of
from peifu.domain.vocabulary import FINAL_CASE_STATES, CaseState, DeadlineKind, DeadlineStatus, OrderState
from peifu.services import access, audit, batch_refunds, events, triage
from peifu.services import orders as order_service
from peifu.services.context import Ctx
from peifu.services.inputs import CaseIn
from peifu.services.raw_rows import (
    CASE_EVENTS,
    CASE_LINES,
    CASES,
    DEADLINES,
    INSERT_DEADLINE,
    INSERT_EVENT,
    ORDER_LINES,
    ORDERS,
    UPSERT_METRIC,
    new_deadline_row,
)
from peifu.services.timers import case_facts_given

MARKS = bulk.table_of(BuyerAbuseMark)
RULES = bulk.table_of(SellerAutoRule)
METRIC_SHOPS = bulk.table_of(MetricShop)
FINAL_STATES = sorted(str(s) for s in FINAL_CASE_STATES)

ORDER_COLUMNS = (
    "id",
    "shop_id",
    "buyer_id",
    "state",
    "paid_at",
    "shipped_at",
    "signed_at",
    "completed_at",
    "ship_deadline",
)
LINE_COLUMNS = ("id", "line_no", "paid_fen", "refunded_fen", "custom_made", "perishable", "digital", "food", "title")
# every column of a new case but its id and proposal (a JSON column the ORM leaves out of the INSERT
# when it is not set: SQL NULL, not JSON null), with the value the ORM gives it when the code sets none
CASE_COLUMNS = tuple(c.name for c in CASES.c if c.name not in ("id", "proposal"))
CASE_DEFAULTS: dict[str, Any] = {
    c.name: getattr(c.default, "arg", None) if c.default is not None and c.default.is_scalar else None for c in CASES.c
}


class _OrderRow(NamedTuple):
    id: str
    shop_id: str
    buyer_id: str
    state: str
    paid_at: datetime | None
    shipped_at: datetime | None
    signed_at: datetime | None
    completed_at: datetime | None
    ship_deadline: datetime | None


class _LineRow(NamedTuple):
    id: int
    line_no: int
    paid_fen: int
    refunded_fen: int
    custom_made: bool
    perishable: bool
    digital: bool
    food: bool
    title: str

    @property
    def flags(self) -> frozenset[str]:  # as OrderLine.flags
        names = ("custom_made", "perishable", "digital", "food")
        return frozenset(name for name in names if getattr(self, name))


def _lock_order(dialect: Any) -> Any:
    stmt = select(*(ORDERS.c[n] for n in ORDER_COLUMNS)).where(ORDERS.c.id == bindparam("order_id"))
    return stmt.with_for_update() if dialect.name == "postgresql" else stmt


def _claims(dialect: Any) -> Any:
    """orders.order_view's claims: per order line, the money and the number of open cases."""
    cases = CASES
    return (
        select(CASE_LINES.c.order_line_id, func.sum(CASE_LINES.c.amount_fen), func.count(CASE_LINES.c.id))
        .join(cases, cases.c.id == CASE_LINES.c.case_id)
        .where(cases.c.order_id == bindparam("order_id"), and_(*(cases.c.state != s for s in FINAL_STATES)))
        .group_by(CASE_LINES.c.order_line_id)
    )


def _facts(dialect: Any) -> Any:
    """What the reactions and the metrics row read, for the order's buyer and shop: a standing mark
    on the buyer (abuse.standing_mark), an enabled auto-handling rule of the shop
    (auto_handling.shop_rules), the shop's filed category (NULL when not filed) and whether a case
    of the order is marked abusive (metrics' sibling). Run after the order's lock is held."""
    buyer = select(ORDERS.c.buyer_id).where(ORDERS.c.id == bindparam("order_id")).scalar_subquery()
    shop = select(ORDERS.c.shop_id).where(ORDERS.c.id == bindparam("order_id")).scalar_subquery()
    mark = select(MARKS.c.id).where(MARKS.c.buyer_id == buyer, MARKS.c.lifted_at.is_(None)).limit(1)
    rule = select(RULES.c.id).where(RULES.c.shop_id == shop, RULES.c.enabled.is_(True)).limit(1)
    category = select(METRIC_SHOPS.c.category).where(METRIC_SHOPS.c.shop_id == shop)
    sibling = select(CASES.c.id).where(CASES.c.order_id == bindparam("order_id"), CASES.c.abusive.is_(True)).limit(1)
    return select(
        mark.scalar_subquery().label("mark"),
        rule.scalar_subquery().label("rule"),
        category.scalar_subquery().label("category"),
        sibling.scalar_subquery().label("sibling"),
    )


_LOCK_ORDER = raw.Raw(_lock_order)
_ORDER_LINES = raw.Raw(
    lambda d: (
        select(*(ORDER_LINES.c[n] for n in LINE_COLUMNS))
        .where(ORDER_LINES.c.order_id == bindparam("order_id"))
        .order_by(ORDER_LINES.c.line_no)
    )
)
_CLAIMS = raw.Raw(_claims)
_FACTS = raw.Raw(_facts)
_INSERT_CASE = raw.Raw(lambda d: insert(CASES).values({n: bindparam(n) for n in CASE_COLUMNS}).returning(CASES.c.id))
_INSERT_CASE_LINE = raw.Raw(
    lambda d: (
        insert(CASE_LINES)
        .values({n: bindparam(n) for n in ("case_id", "order_line_id", "amount_fen")})
        .returning(CASE_LINES.c.id)
    )
)
_INSERT_TIMELINE_ENTRY = raw.Raw(
    lambda d: insert(CASE_EVENTS).values({n: bindparam(n) for n in audit.CASE_EVENT_FIELDS}).returning(CASE_EVENTS.c.id)
)
_PAUSE_AUTO_CONFIRM = raw.Raw(
    lambda d: (
        update(DEADLINES)
        .where(
            DEADLINES.c.order_id == bindparam("b_order_id"),
            DEADLINES.c.kind == str(DeadlineKind.auto_confirm_receipt),
            DEADLINES.c.status == str(DeadlineStatus.pending),
        )
        .values(status=str(DeadlineStatus.cancelled), outcome=bindparam("outcome"))
    )
)


def asked_amounts(view: OrderView, data: CaseIn) -> dict[int, int]:
    """The money asked per order line: as given, else all that is refundable (0 when the request
    moves no money) — the one definition both paths use."""
    amounts = {}
    for line in data.lines:
        asked = line.refund_amount_fen
        if asked is None:
            asked = view.line(line.line_no).refundable_fen if data.case_type.moves_money else 0
        amounts[line.line_no] = asked
    return amounts


def terms_data(case_type: Any, reason: Any, amounts: dict[int, int]) -> dict[str, Any]:
    """The timeline entry's data of a request's terms (cases._terms_data, from plain values)."""
    return {
        "case_type": case_type,
        "reason": reason,
        "refund_amount_fen": sum(amounts.values()),
        "lines": {str(no): amount for no, amount in amounts.items()},
    }


def _fits(ctx: Ctx) -> bool:
    if not ctx.reactions.opening_inline:
        return False
    ctx.session.flush()  # as the ORM path's first statement (the order's lock) flushes them
    return True


@dataclass(frozen=True)
class Opened:
    """A case opened here: its columns, its lines', their order lines' (those read), its timeline
    entry's — as written."""

    case: dict[str, Any]
    lines: list[dict[str, Any]]
    order_lines: list[dict[str, Any]]
    entry: dict[str, Any]


def _held(session: Session, opened: Opened, now: datetime) -> Case:
    """The Case the caller gets, without reading it back: made persistent in the session from the
    columns as written, with its lines (and their order lines, unless the session holds them) and
    its timeline loaded, as the ORM path leaves them loaded; anything not written here (e.g. the
    distribution key PostgreSQL's trigger fills in) loads when first used. The audit links are
    noted as the ORM path's flushes note them: the case and its lines as rows written (their
    records taken at the commit, from these objects unless changed since), the timeline entry as
    a case event — so the commit makes the same links in the same order, whatever else the unit
    of work does to the case afterwards."""
    case = _persistent(session, Case, opened.case)
    lines = [_persistent(session, CaseLine, row) for row in opened.lines]
    for row in opened.order_lines:
        if session.identity_map.get(identity_key(OrderLine, row["id"])) is None:
            _persistent(session, OrderLine, {k: v for k, v in row.items() if k in ORDER_LINE_ATTRS})
    entry = _persistent(session, CaseEvent, opened.entry)
    set_committed_value(case, "lines", lines)
    set_committed_value(case, "events", [entry])
    for obj in (case, *lines):
        audit.note_written(session, obj)
    audit.append_case_event(session, entry, now)
    return case


ORDER_LINE_ATTRS = frozenset(("order_id", *LINE_COLUMNS))


def _persistent(session: Session, model: Any, columns: dict[str, Any]) -> Any:
    obj = model(**columns)
    make_transient_to_detached(obj)  # the columns not given are expired: loaded when first used
    session.add(obj)
    return obj


def open_one(ctx: Ctx, data: CaseIn, actor: Any) -> Case | None:
    """`cases.open_case` as bare driver calls: the new case as written, or None when
    nothing was written and the ORM path is to open it. Refusals (access, eligibility) raise as the
    ORM path raises them, before anything is written. The caller has checked the actor's role."""
    if not _fits(ctx):
        return None
    session, now = ctx.session, ctx.now()
    link = raw.Link(session)
    key = {"order_id": data.order_id}
    with link.pipeline():  # one round trip: the order locked, then what it holds and what reacts to it
        order_sent = link.send(_LOCK_ORDER, key)
        lines_sent = link.send(_ORDER_LINES, key)
        claims_sent = link.send(_CLAIMS, key)
        facts_sent = link.send(_FACTS, key)
        found = order_sent.rows()
        lines = [_LineRow(*row) for row in lines_sent.rows()]
        claims = claims_sent.rows()
        (facts,) = facts_sent.rows()
    if not found:
        return None  # the ORM path answers order_not_found
    order = _OrderRow(*found[0])
    access.check_order(ctx, actor, cast(Any, order))  # a row with the columns it reads
    policy = ctx.policies.current
    claimed = {row[0]: (int(row[1] or 0), int(row[2])) for row in claims}
    view = order_service.order_view_of(order, lines, claimed)
    amounts = asked_amounts(view, data)
    check_new_request(view, RequestTerms(case_type=data.case_type, reason=data.reason, amounts=amounts), now, policy)
    mark, rule, category, sibling = facts
    if mark is not None or rule is not None or category is None:
        return None  # a reaction with something to do, or a shop to file first: the ORM path
    suggested = _triaged(data.description, amounts, order)
    if suggested is None:
        return None
    by_no = {line.line_no: line for line in lines}
    phase = phase_of(view)
    case: dict[str, Any] = {name: CASE_DEFAULTS[name] for name in CASE_COLUMNS}
    case.update(
        order_id=order.id,
        shop_id=order.shop_id,
        buyer_id=order.buyer_id,
        case_type=str(data.case_type),
        reason=str(data.reason),
        state=str(CaseState.requested),
        phase=phase,
        description=data.description,
        policy_version=policy.version,
        opened_at=now,
        state_entered_at=now,
    )
    moved = SimpleNamespace(**case)  # as the events see it: before the triage reaction
    moved.proposal = None
    due = deadline_for(case_facts_given(moved, appeal_pending=False), policy)
    # as the triage reaction leaves the row: its columns written by a second flush (always: they were
    # not loaded after the INSERT), so the version moved once and no suggestion is JSON null
    case.update(suggested, version=2)
    entry = {
        "case_id": None,
        "seq": 1,
        "at": now,
        "actor_role": str(actor.role),
        "actor_id": actor.id,
        "action": "open",
        "from_state": "",
        "to_state": str(CaseState.requested),
        "data": terms_data(data.case_type, data.reason, amounts),
    }
    with link.pipeline():
        ((case_id,),) = link.run(_INSERT_CASE, case)
        moved.id = entry["case_id"] = case_id
        line_sent = [
            link.send(_INSERT_CASE_LINE, {"case_id": case_id, "order_line_id": by_no[no].id, "amount_fen": amount})
            for no, amount in amounts.items()
        ]
        entry_sent = link.send(_INSERT_TIMELINE_ENTRY, entry)
        made = events.case_move_events(moved, sorted(amounts.items()), due, SimpleNamespace(**entry))
        link.run_many(INSERT_EVENT, [events.row_of(e) for e in made])
        if phase == "in_trade" and order.state == OrderState.shipped:
            link.send(_PAUSE_AUTO_CONFIRM, {"b_order_id": order.id, "outcome": f"paused by case {case_id}"[:200]})
        if due is not None:
            link.send(INSERT_DEADLINE, new_deadline_row(case_id, due, policy, now))
        link.send(UPSERT_METRIC, _metric_row(case_id, order, case, entry, category, sibling is not None))
        line_ids = [sent.rows()[0][0] for sent in line_sent]
        ((entry_id,),) = entry_sent.rows()
    # no reaction is left to run for these events (see the module's docstring): they are not queued
    batch_refunds.expire_written(session)
    case_lines = [
        {"id": line_id, "case_id": case_id, "order_line_id": by_no[no].id, "amount_fen": amount}
        for line_id, (no, amount) in zip(line_ids, amounts.items(), strict=True)
    ]
    order_lines = [{**by_no[no]._asdict(), "order_id": order.id} for no in amounts]
    written = Opened({"id": case_id, "proposal": None, **case}, case_lines, order_lines, {"id": entry_id, **entry})
    return _held(session, written, now)


def _triaged(description: str, amounts: dict[int, int], order: _OrderRow) -> dict[str, Any] | None:
    """The triage reaction's columns (reactions.triage_request), or None when the model failed
    (the ORM path tries again and logs it)."""
    text = (description or "").strip()
    result = None
    if text:
        goods_sent = order.state in (OrderState.shipped, OrderState.completed)
        try:
            result = triage.suggest(text, amount_fen=sum(amounts.values()), goods_sent=goods_sent)
        except Exception:
            return None
    return triage.columns_of(result)


def _metric_row(
    case_id: int, order: _OrderRow, case: dict[str, Any], entry: dict[str, Any], category: str, sibling_abusive: bool
) -> dict[str, Any]:
    """metrics.on_case_changed's row for a new case: no dispute, not marked, one timeline entry."""
    return {
        "case_id": case_id,
        "order_id": order.id,
        "shop_id": order.shop_id,
        "category": category or "",
        **metric_rules.case_row(
            opened_at=case["opened_at"],
            resolved_at=None,
            final=False,
            timeline=[(entry["actor_role"], entry["action"], entry["at"])],
            paid_at=order.paid_at,
            disputed=False,
            dispute_lost=False,
            abusive=False,
            sibling_abusive=sibling_abusive,
            post_trade=case["phase"] == metric_rules.POST_TRADE,
        ),
    }
