"""After-sale metrics (售后指标): keeping the rollups, answering a shop or a whole category.

The formulas are in `peifu.domain.metrics`; this module counts. It never scans orders, cases or
their timelines when asked: those tables grow without end, so the figures are read from three
small tables kept up to date by the services as things happen.

* `metric_daily` — paid orders per (shop, UTC day, slot), +1 when an order is paid
  (`on_order_paid`, called by `services.orders`).
* `metric_cases` — one narrow row per case: the order's payment day, when the seller first
  answered, when the case was resolved and in how long, whether it went to intervention and
  whether the ruling went against the seller, and whether the order is excluded as an abusive
  claim. Rewritten from the case whenever it opens or moves (`on_case_changed`, called by
  `services.cases` and `services.disputes`) or is marked abusive (`mark_abusive`).
* `metric_shop_lines` and `metric_shop_top` — paid order lines per category, and the most common
  one, only for shops without a category: such a shop is ranked in its most common line category.

A shop's percentile needs every other shop of its category, so asking for one shop computes the
category (a few index range scans per shop over `window` days, then the formulas in memory).
`rebuild` recomputes all these tables from the raw ones in set-based SQL (after a bulk load, or
to check the incremental upkeep).
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date
from typing import Any

from sqlalchemy import (
    BigInteger,
    and_,
    case,
    cast,
    distinct,
    func,
    literal,
    not_,
    null,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from peifu.adapters.db.locking import lock_case, lock_order
from peifu.adapters.db.models import (
    Case,
    Dispute,
    MetricCase,
    MetricDaily,
    MetricShopLines,
    MetricShopTop,
    Order,
    Shop,
)
from peifu.domain import metrics as rules
from peifu.domain.actors import Actor
from peifu.domain.errors import Forbidden, NotFound
from peifu.domain.vocabulary import FINAL_CASE_STATES, CaseAction, CaseState, Role
from peifu.services.context import Ctx

SLOTS = 8  # rows per shop and day in metric_daily (see the table's docstring)
CHUNK = 2000  # shop ids per IN (...) list


# --- upkeep, called by the other services ---------------------------------------------------------


def on_order_paid(ctx: Ctx, order: Order) -> None:
    """Count a newly paid order for its shop and payment day."""
    assert order.paid_at is not None
    session = ctx.session
    day = order.paid_at.astimezone(UTC).date()
    slot = zlib.crc32(order.id.encode()) % SLOTS
    _add(session, MetricDaily, {"shop_id": order.shop_id, "day": day, "slot": slot}, "paid_orders", 1)
    shop = session.get(Shop, order.shop_id)
    if shop is not None and not shop.category and order.lines:
        tally = sorted(Counter(line.category for line in order.lines).items())
        # Lock the shop's top row first: concurrent payments of one shop then recount in turn.
        _add(session, MetricShopTop, {"shop_id": shop.id}, "lines", 0, category=tally[0][0])
        for category, lines in tally:
            _add(session, MetricShopLines, {"shop_id": shop.id, "category": category}, "lines", lines)
        top = session.execute(
            select(MetricShopLines.category, MetricShopLines.lines)
            .where(MetricShopLines.shop_id == shop.id)
            .order_by(MetricShopLines.lines.desc(), MetricShopLines.category)
            .limit(1)
        ).one()
        session.execute(
            update(MetricShopTop).where(MetricShopTop.shop_id == shop.id).values(category=top[0], lines=top[1])
        )


def on_case_changed(ctx: Ctx, case: Case) -> None:
    """Rewrite the case's metrics row from the case as it stands now (cheap: the case, its
    timeline and order are loaded already; one look-up each for the dispute and the siblings)."""
    session = ctx.session
    session.flush()
    order = session.get(Order, case.order_id)
    dispute = session.scalars(select(Dispute).where(Dispute.case_id == case.id)).first()
    sibling_abusive = session.scalar(
        select(Case.id).where(Case.order_id == case.order_id, Case.id != case.id, Case.abusive.is_(True)).limit(1)
    )
    row = session.get(MetricCase, case.id)
    if row is None:
        row = MetricCase(case_id=case.id)
        session.add(row)
    row.order_id, row.shop_id, row.opened_at = case.order_id, case.shop_id, case.opened_at
    row.paid_day = order.paid_at.astimezone(UTC).date() if order is not None and order.paid_at else None
    row.responded_at = rules.first_response((e.actor_role, e.action, e.at) for e in case.events)
    row.response_seconds = rules.seconds_between(case.opened_at, row.responded_at) if row.responded_at else None
    final = CaseState(case.state) in FINAL_CASE_STATES and case.resolved_at is not None
    row.resolved_at = case.resolved_at if final else None
    row.resolution_seconds = (
        rules.seconds_between(case.opened_at, case.resolved_at) if final and case.resolved_at else None
    )
    row.disputed = dispute is not None
    row.dispute_lost = dispute is not None and dispute.liable_party == "seller"
    row.abusive = bool(case.abusive)
    row.excluded = row.abusive or sibling_abusive is not None
    session.flush()


def mark_abusive(ctx: Ctx, case_id: int, actor: Actor, *, abusive: bool = True, note: str | None = None) -> Case:
    """恶意退款 / 职业索赔: an agent marks (or unmarks) a case as an abusive buyer claim. Its order
    then counts in none of the shop's metrics — not as paid, not as refunded, and none of its
    cases in the resolution, self-resolution or response figures."""
    if actor.role is not Role.agent:
        raise Forbidden("actor_not_allowed", "Only a platform agent can mark a claim as abusive.")
    session = ctx.session
    existing = session.get(Case, case_id)
    if existing is None:
        raise NotFound("case_not_found", f"No case {case_id}.", case_id=case_id)
    lock_order(session, existing.order_id)  # lock order → case, see adapters.db.locking
    case = lock_case(session, case_id)
    assert case is not None
    case.abusive = abusive
    case.abusive_marked_at = ctx.now()
    case.abusive_marked_by = actor.id
    case.abusive_note = note
    on_case_changed(ctx, case)
    any_abusive = session.scalar(select(Case.id).where(Case.order_id == case.order_id, Case.abusive.is_(True)).limit(1))
    session.execute(
        update(MetricCase)
        .where(MetricCase.order_id == case.order_id)
        .values(excluded=any_abusive is not None)
        .execution_options(synchronize_session="fetch")
    )
    return case


def order_is_excluded(session: Session, order_id: str) -> bool:
    """Whether a case of the order is marked abusive, which keeps the order out of every metric."""
    hit = session.scalar(select(Case.id).where(Case.order_id == order_id, Case.abusive.is_(True)).limit(1))
    return hit is not None


def _add(
    session: Session,
    model: type[MetricDaily | MetricShopLines | MetricShopTop],
    key: dict[str, Any],
    column: str,
    amount: int,
    **also: Any,
) -> None:
    """key's row gets `column += amount`, created if missing, in one statement (no read first,
    so concurrent payments of one shop add up instead of overwriting each other)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(model).values(**key, **also, **{column: amount})
    stmt = stmt.on_conflict_do_update(
        index_elements=list(key), set_={column: getattr(model, column) + stmt.excluded[column]}
    )
    session.execute(stmt)


# --- reading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShopReport:
    shop_id: str
    category: str | None
    category_source: str | None  # "shop" (its own category) | "order_lines" (its most common line category)
    window: rules.Window
    flag_percentile: int
    score: rules.ShopScore
    shops_in_category: int  # shops of the category active in the window, this one included
    rank: int | None = None  # 1 = worst, in a category ranking


@dataclass(frozen=True)
class CategoryReport:
    category: str
    window: rules.Window
    flag_percentile: int
    shops: list[ShopReport]  # worst first
    totals: rules.ShopCounts  # the category pooled


def check_shop_reader(actor: Actor, shop_id: str) -> None:
    """Agents read any shop; seller staff only their own (another shop is a 404, so shop ids
    cannot be probed); nobody else."""
    if actor.role is Role.agent:
        return
    if actor.role is Role.seller:
        if actor.id != shop_id:
            raise NotFound("shop_not_found", "No such shop.")
        return
    raise Forbidden("actor_not_allowed", "Shop metrics are for the shop's seller and platform agents.")


def window_for(ctx: Ctx, *, days: int | None, start: date | None, end: date | None) -> rules.Window:
    return rules.resolve_window(
        ctx.now().astimezone(UTC).date(),
        days=days,
        start=start,
        end=end,
        default_days=ctx.policies.current.metrics.window_days.value,
    )


def shop_metrics(ctx: Ctx, shop_id: str, window: rules.Window, actor: Actor | None = None) -> ShopReport:
    if actor is not None:
        check_shop_reader(actor, shop_id)
    session = ctx.session
    shop = session.get(Shop, shop_id)
    if shop is None:
        raise NotFound("shop_not_found", "No such shop.", shop_id=shop_id)
    category, source = shop_category(session, shop)
    members = category_members(session, category) if category else {}
    members.setdefault(shop_id, source or "shop")
    flag = ctx.policies.current.metrics.category_flag_percentile.value
    counts = gather(session, list(members), window)
    counts.setdefault(shop_id, rules.ShopCounts())
    active = {s: c for s, c in counts.items() if c.active or s == shop_id}
    scores = rules.score_category(active, flag)
    return ShopReport(shop_id, category, source, window, flag, scores[shop_id], len(active))


def category_metrics(
    ctx: Ctx, category: str, window: rules.Window, actor: Actor | None = None, by: rules.MetricName | None = None
) -> CategoryReport:
    if actor is not None and actor.role is not Role.agent:
        raise Forbidden("actor_not_allowed", "The category ranking is for platform agents.")
    session = ctx.session
    members = category_members(session, category)
    if not members:
        raise NotFound("category_not_found", f"No shop is in category '{category}'.", category=category)
    flag = ctx.policies.current.metrics.category_flag_percentile.value
    counts = {s: c for s, c in gather(session, list(members), window).items() if c.active}
    scores = rules.score_category(counts, flag)
    ranked = rules.worst_first(scores.values(), by)
    reports = [
        ShopReport(s.shop_id, category, members[s.shop_id], window, flag, s, len(ranked), rank=i)
        for i, s in enumerate(ranked, start=1)
    ]
    totals = rules.ShopCounts(
        paid_orders=sum(c.paid_orders for c in counts.values()),
        refund_orders=sum(c.refund_orders for c in counts.values()),
        lost_dispute_orders=sum(c.lost_dispute_orders for c in counts.values()),
        resolution_seconds=[v for c in counts.values() for v in c.resolution_seconds],
        self_resolved=sum(c.self_resolved for c in counts.values()),
        response_seconds=[v for c in counts.values() for v in c.response_seconds],
    )
    return CategoryReport(category, window, flag, reports, totals)


def shop_category(session: Session, shop: Shop) -> tuple[str | None, str | None]:
    """The shop's own category, or else its most common paid line category (ties: by name)."""
    if shop.category:
        return shop.category, "shop"
    top = session.get(MetricShopTop, shop.id)
    return (top.category, "order_lines") if top is not None else (None, None)


def category_members(session: Session, category: str) -> dict[str, str]:
    """Every shop ranked in `category`, with where its category comes from."""
    own = select(Shop.id, literal("shop")).where(Shop.category == category)
    by_lines = (
        select(MetricShopTop.shop_id, literal("order_lines"))
        .join(Shop, Shop.id == MetricShopTop.shop_id)
        .where(MetricShopTop.category == category, (Shop.category.is_(None)) | (Shop.category == ""))
    )
    return {shop_id: source for shop_id, source in session.execute(union_all(own, by_lines))}


def _chunks(items: Sequence[str]) -> Iterator[list[str]]:
    for i in range(0, len(items), CHUNK):
        yield list(items[i : i + CHUNK])


def gather(session: Session, shop_ids: Sequence[str], window: rules.Window) -> dict[str, rules.ShopCounts]:
    """The counts behind every figure, for these shops over the window: four index range scans
    on the rollup tables, sent as one statement per chunk of shops (one round trip)."""
    counts: dict[str, rules.ShopCounts] = {}
    mc = MetricCase
    included = not_(mc.excluded)

    def big(value: Any) -> Any:
        return cast(value, BigInteger)

    for ids in _chunks(shop_ids):
        paid = (
            select(literal("paid").label("kind"), MetricDaily.shop_id, big(func.sum(MetricDaily.paid_orders)), *NONE3)
            .where(MetricDaily.shop_id.in_(ids), MetricDaily.day >= window.start, MetricDaily.day <= window.end)
            .group_by(MetricDaily.shop_id)
        )
        orders = (
            select(
                literal("orders"),
                mc.shop_id,
                big(func.count(distinct(case((mc.excluded, mc.order_id))))),
                big(func.count(distinct(case((included, mc.order_id))))),
                big(func.count(distinct(case((and_(included, mc.dispute_lost), mc.order_id))))),
                NONE3[0],
            )
            .where(mc.shop_id.in_(ids), mc.paid_day >= window.start, mc.paid_day <= window.end)
            .group_by(mc.shop_id)
        )
        resolved = select(
            literal("resolved"),
            mc.shop_id,
            big(mc.resolution_seconds),
            big(case((mc.disputed, 1), else_=0)),
            *NONE3[:2],
        ).where(
            mc.shop_id.in_(ids),
            mc.resolved_at.is_not(None),
            included,
            mc.resolved_at >= window.start_at,
            mc.resolved_at < window.end_before,
        )
        responded = select(literal("responded"), mc.shop_id, big(mc.response_seconds), *NONE3).where(
            mc.shop_id.in_(ids),
            mc.responded_at.is_not(None),
            included,
            mc.responded_at >= window.start_at,
            mc.responded_at < window.end_before,
        )
        for kind, shop_id, a, b, c, _ in session.execute(union_all(paid, orders, resolved, responded)):
            counts_of = counts.setdefault(shop_id, rules.ShopCounts())
            if kind == "paid":
                counts_of.paid_orders += int(a or 0)
            elif kind == "orders":
                counts_of.paid_orders -= int(a)
                counts_of.refund_orders += int(b)
                counts_of.lost_dispute_orders += int(c)
            elif kind == "resolved":
                counts_of.resolution_seconds.append(int(a))
                counts_of.self_resolved += 0 if b else 1
            else:
                counts_of.response_seconds.append(int(a))
    for c in counts.values():
        # Only rows written around the services (a bulk import not followed by `rebuild`) could
        # make this false; rather a rate of 1 than a failed answer for the whole category.
        c.paid_orders = max(c.paid_orders, c.refund_orders, c.lost_dispute_orders)
    return counts


NONE3 = tuple(cast(null(), BigInteger) for _ in range(3))


# --- rebuilding from the raw tables ---------------------------------------------------------------

FINAL_STATES_SQL = ", ".join(f"'{s}'" for s in sorted(FINAL_CASE_STATES))


def _day_sql(dialect: str, column: str) -> str:
    if dialect == "postgresql":
        return f"(({column}) AT TIME ZONE 'UTC')::date"
    return f"date({column})"


def _seconds_sql(dialect: str, start: str, end: str) -> str:
    """Whole seconds from start to end, rounded like `domain.metrics.seconds_between`."""
    if dialect == "postgresql":
        return f"ROUND(EXTRACT(EPOCH FROM (({end}) - ({start}))))::integer"
    return f"CAST(ROUND((julianday({end}) - julianday({start})) * 86400) AS INTEGER)"


def rebuild_statements(dialect: str) -> list[str]:
    """The set-based SQL that recomputes the three metric tables from orders, cases, disputes
    and case events (the same figures the incremental upkeep keeps)."""

    def day(column: str) -> str:
        return _day_sql(dialect, column)

    def seconds(start: str, end: str) -> str:
        return _seconds_sql(dialect, start, end)

    agree = str(CaseAction.agree)
    return [
        "DELETE FROM metric_daily",
        "DELETE FROM metric_shop_lines",
        "DELETE FROM metric_shop_top",
        "DELETE FROM metric_cases",
        f"""INSERT INTO metric_daily (shop_id, day, slot, paid_orders)
            SELECT shop_id, {day("paid_at")}, 0, COUNT(*) FROM orders WHERE paid_at IS NOT NULL
            GROUP BY shop_id, {day("paid_at")}""",
        """INSERT INTO metric_shop_lines (shop_id, category, lines)
            SELECT o.shop_id, l.category, COUNT(*)
            FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN shops s ON s.id = o.shop_id
            WHERE o.paid_at IS NOT NULL AND (s.category IS NULL OR s.category = '')
            GROUP BY o.shop_id, l.category""",
        """INSERT INTO metric_shop_top (shop_id, category, lines)
            SELECT shop_id, category, lines FROM (
                SELECT shop_id, category, lines,
                       ROW_NUMBER() OVER (PARTITION BY shop_id ORDER BY lines DESC, category) AS place
                FROM metric_shop_lines
            ) ranked WHERE place = 1""",
        f"""INSERT INTO metric_cases (case_id, order_id, shop_id, paid_day, opened_at, responded_at,
                response_seconds, resolved_at, resolution_seconds, disputed, dispute_lost, abusive, excluded)
            SELECT c.id, c.order_id, c.shop_id, {day("o.paid_at")}, c.opened_at, r.at,
                {seconds("c.opened_at", "r.at")},
                CASE WHEN c.state IN ({FINAL_STATES_SQL}) THEN c.resolved_at END,
                CASE WHEN c.state IN ({FINAL_STATES_SQL}) THEN {seconds("c.opened_at", "c.resolved_at")} END,
                d.id IS NOT NULL,
                d.liable_party IS NOT NULL AND d.liable_party = 'seller',
                c.abusive,
                EXISTS (SELECT 1 FROM cases a WHERE a.order_id = c.order_id AND a.abusive)
            FROM cases c
            JOIN orders o ON o.id = c.order_id
            LEFT JOIN disputes d ON d.case_id = c.id
            LEFT JOIN (
                SELECT case_id, MIN(at) AS at FROM case_events
                WHERE actor_role = 'seller' OR (actor_role = 'system' AND action = '{agree}')
                GROUP BY case_id
            ) r ON r.case_id = c.id""",
    ]


def rebuild(session: Session) -> None:
    """Recompute the metric tables from the raw ones, in the caller's transaction."""
    for statement in rebuild_statements(session.get_bind().dialect.name):
        session.execute(text(statement))
    session.flush()


def snapshot(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """The metric tables' content, slots added up (for comparing upkeep with a rebuild)."""
    daily = session.execute(
        select(MetricDaily.shop_id, MetricDaily.day, func.sum(MetricDaily.paid_orders))
        .group_by(MetricDaily.shop_id, MetricDaily.day)
        .order_by(MetricDaily.shop_id, MetricDaily.day)
    ).all()
    lines = session.execute(
        select(MetricShopLines.shop_id, MetricShopLines.category, MetricShopLines.lines).order_by(
            MetricShopLines.shop_id, MetricShopLines.category
        )
    ).all()
    top = session.execute(
        select(MetricShopTop.shop_id, MetricShopTop.category, MetricShopTop.lines).order_by(MetricShopTop.shop_id)
    ).all()
    cases = session.execute(
        select(
            MetricCase.case_id,
            MetricCase.order_id,
            MetricCase.shop_id,
            MetricCase.paid_day,
            MetricCase.opened_at,
            MetricCase.responded_at,
            MetricCase.response_seconds,
            MetricCase.resolved_at,
            MetricCase.resolution_seconds,
            MetricCase.disputed,
            MetricCase.dispute_lost,
            MetricCase.abusive,
            MetricCase.excluded,
        ).order_by(MetricCase.case_id)
    ).all()
    return {
        "metric_daily": [tuple(r) for r in daily],
        "metric_shop_lines": [tuple(r) for r in lines],
        "metric_shop_top": [tuple(r) for r in top],
        "metric_cases": [(*r[:9], bool(r[9]), bool(r[10]), bool(r[11]), bool(r[12])) for r in cases],
    }


def all_categories(session: Session) -> list[str]:
    """Every category some shop is ranked in."""
    own = select(Shop.category).where(Shop.category.is_not(None), Shop.category != "")
    found = set(session.scalars(own.union(select(MetricShopTop.category))))
    return sorted(c for c in found if c)
