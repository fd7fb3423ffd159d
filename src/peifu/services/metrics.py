"""After-sale metrics (售后指标): keeping the rollups, answering a shop or a whole category.

The formulas are in `peifu.domain.metrics`; this module counts. It never scans orders, cases or
their timelines when asked: those tables grow without end, so the figures are read from small
tables kept up to date by the services as things happen, each filed under the category its shop
is ranked in — a whole category's figures over a window are then one index range per table.

* `metric_shops` — the category each shop is ranked in: its own, or else its most common paid
  line category (counted in `metric_shop_lines` for shops without one). When it changes, the
  shop's rows move with it (`file_shop`).
* `metric_daily` — paid orders per (shop, UTC day, slot), +1 when an order is paid
  (`on_order_paid`, called by `services.orders`).
* `metric_cases` — one narrow row per case: the order's payment day, when the seller first
  answered, when the case was resolved and in how long, whether it went to intervention and
  whether the ruling went against the seller, whether the order is excluded as an abusive
  claim, and whether the request is post-trade (the rates count the policy's rated phases). Rewritten from the case whenever it opens or moves (`on_case_changed`, called by
  `services.cases` and `services.disputes`) or is marked abusive (`mark_abusive`).

A shop's percentile needs every other shop of its category, so asking for one shop counts the
whole category (one statement, four index range scans), then applies the formulas in memory.
`rebuild` recomputes all these tables from the raw ones in set-based SQL (after a bulk load, or
to check the incremental upkeep).

Concurrency: paid-order counts are added in place (INSERT … ON CONFLICT DO UPDATE), spread over
`SLOTS` rows per shop and day; case rows are written under the order lock the case services
already hold. A shop's category changing while its cases move in another transaction could leave
a row filed under the old category until the next change or `peifu metrics rebuild`.
"""

from __future__ import annotations

import functools
import zlib
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    Select,
    String,
    Text,
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    literal_column,
    not_,
    null,
    select,
    text,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from peifu.db import bulk
from peifu.db.locking import lock_case, lock_order
from peifu.db.models import (
    Case,
    Dispute,
    MetricCase,
    MetricDaily,
    MetricShop,
    MetricShopLines,
    Order,
    Shop,
)
from peifu.db.types import UTCDateTime
from peifu.domain import metrics as rules
from peifu.domain.actors import Actor
from peifu.domain.errors import Forbidden, NotFound
from peifu.domain.vocabulary import FINAL_CASE_STATES, CaseAction, CaseState, Role
from peifu.services.context import Ctx

SLOTS = 8  # rows per shop and day in metric_daily (see the table's docstring)


# --- upkeep, called by the other services ---------------------------------------------------------


def on_order_paid(ctx: Ctx, order: Order) -> None:
    """Count a newly paid order for its shop and payment day."""
    assert order.paid_at is not None
    session = ctx.session
    shop = session.get(Shop, order.shop_id)
    assert shop is not None
    if not shop.category:
        for category, lines in sorted(Counter(line.category for line in order.lines).items()):
            _add(session, MetricShopLines, {"shop_id": shop.id, "category": category}, "lines", lines)
    category = file_shop(session, shop) or ""
    day = order.paid_at.astimezone(UTC).date()
    slot = zlib.crc32(order.id.encode()) % SLOTS
    key = {"shop_id": order.shop_id, "day": day, "slot": slot}
    _add(session, MetricDaily, key, "paid_orders", 1, category=category)


def ranked_category(session: Session, shop: Shop) -> tuple[str, str] | None:
    """The category the shop should be ranked in, and why: its own, or else its most common paid
    line category (ties: the first by name)."""
    if shop.category:
        return shop.category, "shop"
    top = session.scalar(
        select(MetricShopLines.category)
        .where(MetricShopLines.shop_id == shop.id)
        .order_by(MetricShopLines.lines.desc(), MetricShopLines.category)
        .limit(1)
    )
    return (top, "order_lines") if top else None


def file_shop(session: Session, shop: Shop) -> str | None:
    """The category the shop's metric rows are filed under. When the shop's category changed
    (it got one of its own, or another line category became its most common), its rows move with
    it — a rare, one-off update of that shop's rows only."""
    wanted = ranked_category(session, shop)
    filed = session.get(MetricShop, shop.id)
    if wanted is None:
        return filed.category if filed is not None else None
    if filed is not None and (filed.category, filed.source) == wanted:
        return filed.category
    moved = filed is not None and filed.category != wanted[0]
    had_own = filed is None or filed.source == "shop"
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    values = {"shop_id": shop.id, "category": wanted[0], "source": wanted[1]}
    stmt = insert(MetricShop).values(**values)
    session.execute(
        stmt.on_conflict_do_update(index_elements=["shop_id"], set_={"category": wanted[0], "source": wanted[1]})
    )
    if filed is not None:
        session.expire(filed)
    if wanted[1] == "shop" and not had_own:  # its line tallies are no longer needed
        session.execute(delete(MetricShopLines).where(MetricShopLines.shop_id == shop.id))
    if moved:
        for model in (MetricDaily, MetricCase):
            session.execute(
                update(model)
                .where(model.shop_id == shop.id)
                .values(category=wanted[0])
                .execution_options(synchronize_session="fetch")
            )
    return wanted[0]


def on_case_changed(ctx: Ctx, case: Case) -> None:
    """Rewrite the case's metrics row from the case as it stands now (cheap: the case, its
    timeline and order are loaded already; what else the row needs — the dispute, an abusive
    sibling, the shop's filed category, whether the row exists — is one statement, and the row is
    written with one more, both Core on the session's connection)."""
    session = ctx.session
    session.flush()
    order = session.get(Order, case.order_id)
    held = session.identity_map.get(identity_key(MetricCase, case.id))
    found = (
        session.connection()
        .execute(_CASE_ROW_FACTS, {"case_id": case.id, "order_id": case.order_id, "shop_id": case.shop_id})
        .one()
    )
    liable, sibling_abusive, category = found.liable, found.sibling, found.category
    if category is None:  # not filed yet: file the shop (rare; the ORM path of file_shop)
        shop = session.get(Shop, case.shop_id)
        category = file_shop(session, shop) if shop is not None else None
    values = rules.case_row(
        opened_at=case.opened_at,
        resolved_at=case.resolved_at,
        final=CaseState(case.state) in FINAL_CASE_STATES,
        timeline=((e.actor_role, e.action, e.at) for e in case.events),
        paid_at=order.paid_at if order is not None else None,
        disputed=liable is not None,
        dispute_lost=liable == "seller",
        abusive=bool(case.abusive),
        sibling_abusive=sibling_abusive is not None,
        post_trade=case.phase == rules.POST_TRADE,
    )
    values.update(order_id=case.order_id, shop_id=case.shop_id, category=category or "")
    if held is not None:  # the session holds the row: keep its object in step (through the ORM)
        for name, value in values.items():
            setattr(held, name, value)
        session.flush()
    elif found.filed:
        session.connection().execute(_UPDATE_CASE_ROW, {"b_case_id": case.id, **values})
    else:
        session.connection().execute(_INSERT_CASE_ROW, {"case_id": case.id, **values})


def _case_row_facts() -> Select[Any]:
    disputes, cases, shops, rows = (m.__table__ for m in (Dispute, Case, MetricShop, MetricCase))
    # '' for a dispute nobody is liable in yet, NULL for no dispute
    liable = (
        select(func.coalesce(disputes.c.liable_party, ""))
        .where(disputes.c.case_id == bindparam("case_id"))
        .limit(1)
        .scalar_subquery()
    )
    sibling = (
        select(cases.c.id)
        .where(cases.c.order_id == bindparam("order_id"), cases.c.id != bindparam("case_id"), cases.c.abusive.is_(True))
        .limit(1)
        .scalar_subquery()
    )
    category = select(shops.c.category).where(shops.c.shop_id == bindparam("shop_id")).scalar_subquery()
    filed = select(rows.c.case_id).where(rows.c.case_id == bindparam("case_id")).scalar_subquery()
    return select(liable.label("liable"), sibling.label("sibling"), category.label("category"), filed.label("filed"))


_CASE_ROW_COLUMNS = (
    "order_id",
    "shop_id",
    "category",
    "opened_at",
    "paid_day",
    "responded_at",
    "response_seconds",
    "resolved_at",
    "resolution_seconds",
    "disputed",
    "dispute_lost",
    "abusive",
    "excluded",
    "post_trade",
)
_CASE_ROW_FACTS = _case_row_facts()
_CASE_ROWS = bulk.table_of(MetricCase)
_INSERT_CASE_ROW = insert(_CASE_ROWS)
_UPDATE_CASE_ROW = (
    update(_CASE_ROWS)
    .where(_CASE_ROWS.c.case_id == bindparam("b_case_id"))
    .values({name: bindparam(name) for name in _CASE_ROW_COLUMNS})
)


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
    lock_order(session, existing.order_id)  # lock order → case, see peifu.db.locking
    case = lock_case(session, case_id)
    assert case is not None
    set_abusive(ctx, case, abusive=abusive, by=actor.id, note=note)
    return case


def set_abusive(
    ctx: Ctx, case: Case, *, abusive: bool, by: str | None, note: str | None, mark_id: int | None = None
) -> None:
    """Set or clear a (locked) case's abusive mark and bring its order's metric rows in line.
    `mark_id`: the buyer mark (云标签, services.abuse) doing it; None for an agent's own decision on
    the case, which a buyer mark being lifted later leaves alone."""
    session = ctx.session
    case.abusive = abusive
    case.abusive_marked_at = ctx.now()
    case.abusive_marked_by = by
    case.abusive_note = note
    case.abusive_mark_id = mark_id if abusive else None
    on_case_changed(ctx, case)
    any_abusive = session.scalar(select(Case.id).where(Case.order_id == case.order_id, Case.abusive.is_(True)).limit(1))
    session.execute(
        update(MetricCase)
        .where(MetricCase.order_id == case.order_id)
        .values(excluded=any_abusive is not None)
        .execution_options(synchronize_session="fetch")
    )


def order_is_excluded(session: Session, order_id: str) -> bool:
    """Whether a case of the order is marked abusive, which keeps the order out of every metric."""
    hit = session.scalar(select(Case.id).where(Case.order_id == order_id, Case.abusive.is_(True)).limit(1))
    return hit is not None


def _add(
    session: Session,
    model: type[MetricDaily | MetricShopLines],
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
    rated_phases: tuple[str, ...] = (rules.IN_TRADE,)  # what the refund and dispute rates count


@dataclass(frozen=True)
class CategoryReport:
    category: str
    window: rules.Window
    flag_percentile: int
    shops: list[ShopReport]  # worst first
    totals: rules.ShopCounts  # the category pooled
    rated_phases: tuple[str, ...] = (rules.IN_TRADE,)


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
    flag = ctx.policies.current.metrics.category_flag_percentile.value
    rated = rated_phases(ctx)
    counts = gather(session, category, window, rated=rated) if category else {}
    counts.setdefault(shop_id, rules.ShopCounts())
    active = {s: c for s, c in counts.items() if c.active or s == shop_id}
    score = rules.score_shop(shop_id, active, flag)
    return ShopReport(shop_id, category, source, window, flag, score, len(active), rated_phases=rated)


def rated_phases(ctx: Ctx) -> tuple[str, ...]:
    """The phases the refund and dispute rates count, under the policy in force (metrics.rated_phases)."""
    return tuple(ctx.policies.current.metrics.rated_phases.value)


def category_metrics(
    ctx: Ctx, category: str, window: rules.Window, actor: Actor | None = None, by: rules.MetricName | None = None
) -> CategoryReport:
    if actor is not None and actor.role is not Role.agent:
        raise Forbidden("actor_not_allowed", "The category ranking is for platform agents.")
    session = ctx.session
    members = category_members(session, category)
    if not members and session.scalar(select(Shop.id).where(Shop.category == category).limit(1)) is None:
        raise NotFound("category_not_found", f"No shop is in category '{category}'.", category=category)
    flag = ctx.policies.current.metrics.category_flag_percentile.value
    rated = rated_phases(ctx)
    counts = {s: c for s, c in gather(session, category, window, rated=rated).items() if c.active}
    scores = rules.score_category(counts, flag)
    ranked = rules.worst_first(scores.values(), by)
    reports = [
        ShopReport(
            s.shop_id, category, members.get(s.shop_id, "shop"), window, flag, s, len(ranked), i, rated_phases=rated
        )
        for i, s in enumerate(ranked, start=1)
    ]
    totals = rules.pooled(counts.values())
    return CategoryReport(category, window, flag, reports, totals, rated_phases=rated)


def shop_category(session: Session, shop: Shop) -> tuple[str | None, str | None]:
    """The category the shop is ranked in (its own, or its most common paid line category)."""
    filed = session.get(MetricShop, shop.id)
    if filed is not None:
        return filed.category, filed.source
    return (shop.category, "shop") if shop.category else (None, None)


def category_members(session: Session, category: str) -> dict[str, str]:
    """Every shop ranked in `category`, with where its category comes from."""
    rows = session.execute(select(MetricShop.shop_id, MetricShop.source).where(MetricShop.category == category))
    return {shop_id: source for shop_id, source in rows}


def gather(
    session: Session,
    category: str,
    window: rules.Window,
    shop_id: str | None = None,
    *,
    rated: Collection[str] = (rules.IN_TRADE,),
) -> dict[str, rules.ShopCounts]:
    """The counts behind every figure for the shops of a category (or one of them) over the
    window: four index range scans on the rollup tables, one row per shop and figure (the case
    times come as one list per shop), sent as one statement. The refund and dispute rates count
    the `rated` phases; each phase is counted on its own as well."""
    postgres = session.get_bind().dialect.name == "postgresql"
    params = {
        "category": category,
        "first_day": window.start,
        "last_day": window.end,
        "start_at": window.start_at,
        "end_before": window.end_before,
    }
    if shop_id is not None:
        params["shop_id"] = shop_id
    counts: dict[str, rules.ShopCounts] = {}
    statement = _gather_statement(postgres, shop_id is not None)
    for kind, shop, a, b, c, d, e, f, g, values in session.execute(statement, params):
        counts_of = counts.get(shop)
        if counts_of is None:
            counts_of = counts[shop] = rules.ShopCounts()
        if kind == "paid":
            counts_of.paid_orders += int(a or 0)
        elif kind == "orders":
            counts_of.paid_orders -= int(a)
            counts_of.in_trade_refund_orders, counts_of.post_trade_refund_orders = int(d), int(e)
            counts_of.in_trade_lost_dispute_orders, counts_of.post_trade_lost_dispute_orders = int(f), int(g)
            counts_of.refund_orders = rules.rated_count(rated, any_phase=int(b), in_trade=int(d), post_trade=int(e))
            counts_of.lost_dispute_orders = rules.rated_count(
                rated, any_phase=int(c), in_trade=int(f), post_trade=int(g)
            )
        elif kind == "resolved":
            counts_of.resolution_seconds = _ints(values)
            counts_of.self_resolved = int(a)
        else:
            counts_of.response_seconds = _ints(values)
    for c in counts.values():
        # Only rows written around the services (a bulk import not followed by `rebuild`) could
        # make this false; rather a rate of 1 than a failed answer for the whole category.
        c.paid_orders = max(c.paid_orders, c.refund_orders, c.lost_dispute_orders)
    return counts


@functools.cache
def _gather_statement(postgres: bool, one_shop: bool) -> Any:
    """Built once per backend and shape (building it costs more than running it)."""
    mc, md = MetricCase, MetricDaily
    included = not_(mc.excluded)
    category = bindparam("category", type_=String())
    first_day, last_day = bindparam("first_day", type_=Date()), bindparam("last_day", type_=Date())
    start_at, end_before = bindparam("start_at", type_=UTCDateTime()), bindparam("end_before", type_=UTCDateTime())
    # the values of a group as "1,2,3": quicker to read than an array, and the same on SQLite
    no_list = cast(null(), Text)

    def listed(column: Any) -> Any:
        if postgres:
            return func.string_agg(cast(column, Text), literal_column("','"))
        return func.group_concat(column)

    def big(value: Any) -> Any:
        return cast(value, BigInteger)

    def mine(model: type[MetricCase | MetricDaily]) -> Any:
        return model.shop_id == bindparam("shop_id", type_=String()) if one_shop else true()

    none = cast(null(), BigInteger)
    nones = (none, none, none, none)  # the per-phase columns only the "orders" rows fill
    paid = (
        select(literal("paid").label("kind"), md.shop_id, big(func.sum(md.paid_orders)), none, none, *nones, no_list)
        .where(md.category == category, md.day >= first_day, md.day <= last_day, mine(md))
        .group_by(md.shop_id)
    )

    def any_case(*conditions: Any) -> Any:
        return func.max(case((and_(*conditions), 1), else_=0))

    per_order = (
        select(
            mc.shop_id,
            any_case(mc.excluded).label("excluded"),
            any_case(mc.dispute_lost).label("lost"),
            any_case(not_(mc.post_trade)).label("in_trade"),
            any_case(mc.post_trade).label("post_trade"),
            any_case(mc.dispute_lost, not_(mc.post_trade)).label("lost_in_trade"),
            any_case(mc.dispute_lost, mc.post_trade).label("lost_post_trade"),
        )
        .where(mc.category == category, mc.paid_day >= first_day, mc.paid_day <= last_day, mine(mc))
        .group_by(mc.shop_id, mc.order_id)
        .subquery()
    )
    o = per_order.c

    def counted(column: Any) -> Any:  # orders not excluded as abusive claims
        return big(func.sum(case((o.excluded == 0, column), else_=0)))

    orders = select(
        literal("orders"),
        o.shop_id,
        big(func.sum(o.excluded)),
        big(func.sum(1 - o.excluded)),
        counted(o.lost),
        counted(o.in_trade),
        counted(o.post_trade),
        counted(o.lost_in_trade),
        counted(o.lost_post_trade),
        no_list,
    ).group_by(o.shop_id)
    resolved = (
        select(
            literal("resolved"),
            mc.shop_id,
            big(func.sum(case((mc.disputed, 0), else_=1))),
            none,
            none,
            *nones,
            listed(mc.resolution_seconds),
        )
        .where(
            mc.category == category,
            mc.resolved_at.is_not(None),
            included,
            mc.resolved_at >= start_at,
            mc.resolved_at < end_before,
            mine(mc),
        )
        .group_by(mc.shop_id)
    )
    responded = (
        select(literal("responded"), mc.shop_id, none, none, none, *nones, listed(mc.response_seconds))
        .where(
            mc.category == category,
            mc.responded_at.is_not(None),
            included,
            mc.responded_at >= start_at,
            mc.responded_at < end_before,
            mine(mc),
        )
        .group_by(mc.shop_id)
    )
    return union_all(paid, orders, resolved, responded)


def _ints(values: str | None) -> list[int]:
    return [int(v) for v in values.split(",")] if values else []


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
    """The set-based SQL that recomputes the metric tables from orders, cases, disputes
    and case events (the same figures the incremental upkeep keeps)."""

    def day(column: str) -> str:
        return _day_sql(dialect, column)

    def seconds(start: str, end: str) -> str:
        return _seconds_sql(dialect, start, end)

    agree = str(CaseAction.agree)
    return [
        "DELETE FROM metric_daily",
        "DELETE FROM metric_cases",
        "DELETE FROM metric_shops",
        "DELETE FROM metric_shop_lines",
        """INSERT INTO metric_shop_lines (shop_id, category, lines)
            SELECT o.shop_id, l.category, COUNT(*)
            FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN shops s ON s.id = o.shop_id
            WHERE o.paid_at IS NOT NULL AND (s.category IS NULL OR s.category = '')
            GROUP BY o.shop_id, l.category""",
        """INSERT INTO metric_shops (shop_id, category, source)
            SELECT s.id, s.category, 'shop' FROM shops s
            WHERE s.category IS NOT NULL AND s.category <> ''
              AND EXISTS (SELECT 1 FROM orders o WHERE o.shop_id = s.id AND o.paid_at IS NOT NULL)
            UNION ALL
            SELECT shop_id, category, 'order_lines' FROM (
                SELECT shop_id, category,
                       ROW_NUMBER() OVER (PARTITION BY shop_id ORDER BY lines DESC, category) AS place
                FROM metric_shop_lines
            ) ranked WHERE place = 1""",
        f"""INSERT INTO metric_daily (shop_id, day, slot, category, paid_orders)
            SELECT o.shop_id, {day("o.paid_at")}, 0, m.category, COUNT(*)
            FROM orders o JOIN metric_shops m ON m.shop_id = o.shop_id
            WHERE o.paid_at IS NOT NULL
            GROUP BY o.shop_id, {day("o.paid_at")}, m.category""",
        f"""INSERT INTO metric_cases (case_id, order_id, shop_id, category, paid_day, opened_at, responded_at,
                response_seconds, resolved_at, resolution_seconds, disputed, dispute_lost, abusive, excluded,
                post_trade)
            SELECT c.id, c.order_id, c.shop_id, COALESCE(m.category, ''), {day("o.paid_at")}, c.opened_at, r.at,
                {seconds("c.opened_at", "r.at")},
                CASE WHEN c.state IN ({FINAL_STATES_SQL}) THEN c.resolved_at END,
                CASE WHEN c.state IN ({FINAL_STATES_SQL}) THEN {seconds("c.opened_at", "c.resolved_at")} END,
                d.id IS NOT NULL,
                d.liable_party IS NOT NULL AND d.liable_party = 'seller',
                c.abusive,
                EXISTS (SELECT 1 FROM cases a WHERE a.order_id = c.order_id AND a.abusive),
                c.phase = 'post_trade'
            FROM cases c
            JOIN orders o ON o.id = c.order_id
            LEFT JOIN metric_shops m ON m.shop_id = c.shop_id
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
    md, mc = MetricDaily, MetricCase
    daily = session.execute(
        select(md.shop_id, md.day, md.category, func.sum(md.paid_orders))
        .group_by(md.shop_id, md.day, md.category)
        .order_by(md.shop_id, md.day)
    ).all()
    lines = session.execute(
        select(MetricShopLines.shop_id, MetricShopLines.category, MetricShopLines.lines).order_by(
            MetricShopLines.shop_id, MetricShopLines.category
        )
    ).all()
    shops = session.execute(
        select(MetricShop.shop_id, MetricShop.category, MetricShop.source).order_by(MetricShop.shop_id)
    ).all()
    cases = session.execute(
        select(
            mc.case_id,
            mc.order_id,
            mc.shop_id,
            mc.category,
            mc.paid_day,
            mc.opened_at,
            mc.responded_at,
            mc.response_seconds,
            mc.resolved_at,
            mc.resolution_seconds,
            mc.disputed,
            mc.dispute_lost,
            mc.abusive,
            mc.excluded,
            mc.post_trade,
        ).order_by(mc.case_id)
    ).all()
    return {
        "metric_daily": [tuple(r) for r in daily],
        "metric_shop_lines": [tuple(r) for r in lines],
        "metric_shops": [tuple(r) for r in shops],
        "metric_cases": [(*r[:10], *(bool(v) for v in r[10:])) for r in cases],
    }


def all_categories(session: Session) -> list[str]:
    """Every category some shop is ranked in."""
    return sorted(c for c in session.scalars(select(MetricShop.category).distinct()) if c)
