"""The platform dashboard's figures: after-sale metrics over time and by category, the worst shops,
compensation paid, and the money the platform holds (its fund, sellers' deposits and debts).

Like `services.metrics`, nothing here scans orders, cases or timelines: the time series are
aggregates of the rollup tables (`metric_daily`, `metric_cases`) grouped by day, the by-category
figures are `metrics.category_metrics` for each category, compensation is one GROUP BY over the
compensations of the window, and balances are one GROUP BY over the ledger accounts asked for.
The figures follow the same definitions as a shop's metrics (domain.metrics): refund_rate and
dispute_rate per order paid that day, counting the policy's rated phases (metrics.rated_phases:
in-trade requests after seed 003), post-trade requests counted apart; resolution time per case
resolved that day; orders marked as abusive claims left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, timedelta
from typing import Any

from sqlalchemy import Date, and_, case, cast, func, not_, select
from sqlalchemy.orm import Session

from peifu.db.models import Compensation, LedgerEntry, LedgerTransaction, MetricCase, MetricDaily, Shop
from peifu.domain import ledger as accounts
from peifu.domain import metrics as rules
from peifu.domain.actors import Actor, is_platform
from peifu.domain.errors import Forbidden
from peifu.domain.money import Fen
from peifu.services import metrics
from peifu.services.context import Ctx


def check_reader(actor: Actor) -> None:
    """The dashboard shows money (the fund, every shop's deposit): the platform's alone."""
    if not is_platform(actor):
        raise Forbidden("actor_not_allowed", "The platform dashboard is for platform administrators.")


@dataclass(frozen=True)
class Day:
    day: date
    paid_orders: int
    refund_orders: int  # of the rated phases
    lost_dispute_orders: int  # of the rated phases
    resolved: int
    resolution_median_seconds: float | None
    resolution_p90_seconds: float | None
    post_trade_refund_orders: int = 0  # orders with a post-trade request, rated or not

    @property
    def refund_rate(self) -> float | None:
        return rules.rate(min(self.refund_orders, self.paid_orders), self.paid_orders)

    @property
    def dispute_rate(self) -> float | None:
        return rules.rate(min(self.lost_dispute_orders, self.paid_orders), self.paid_orders)

    @property
    def post_trade_refund_rate(self) -> float | None:
        return rules.rate(min(self.post_trade_refund_orders, self.paid_orders), self.paid_orders)


def daily(ctx: Ctx, window: rules.Window) -> list[Day]:
    """Platform-wide figures for each day of the window (orders by their payment day, resolution
    times by the day the case was resolved)."""
    session = ctx.session
    md, mc = MetricDaily, MetricCase
    paid_stmt = (
        select(md.day, func.sum(md.paid_orders)).where(md.day >= window.start, md.day <= window.end).group_by(md.day)
    )
    paid = {day: int(n or 0) for day, n in session.execute(paid_stmt)}

    def any_case(*conditions: Any) -> Any:
        return func.max(case((and_(*conditions), 1), else_=0))

    # per (payment day, order): whether excluded, whether it had requests and lost disputes of
    # each phase — then per day
    per_order = (
        select(
            mc.paid_day.label("day"),
            mc.order_id,
            any_case(mc.excluded).label("excluded"),
            any_case(mc.dispute_lost).label("lost"),
            any_case(not_(mc.post_trade)).label("in_trade"),
            any_case(mc.post_trade).label("post_trade"),
            any_case(mc.dispute_lost, not_(mc.post_trade)).label("lost_in_trade"),
            any_case(mc.dispute_lost, mc.post_trade).label("lost_post_trade"),
        )
        .where(mc.paid_day >= window.start, mc.paid_day <= window.end)
        .group_by(mc.paid_day, mc.order_id)
        .subquery()
    )
    o = per_order.c

    def counted(column: Any) -> Any:
        return func.sum(case((o.excluded == 0, column), else_=0))

    rated = metrics.rated_phases(ctx)
    orders: dict[date, tuple[int, int, int, int]] = {}
    for day, excluded, refunds, lost, in_trade, post_trade, lost_in, lost_post in session.execute(
        select(
            o.day,
            func.sum(o.excluded),
            func.sum(1 - o.excluded),
            counted(o.lost),
            counted(o.in_trade),
            counted(o.post_trade),
            counted(o.lost_in_trade),
            counted(o.lost_post_trade),
        ).group_by(o.day)
    ):
        orders[day] = (
            int(excluded or 0),
            rules.rated_count(
                rated, any_phase=int(refunds or 0), in_trade=int(in_trade or 0), post_trade=int(post_trade or 0)
            ),
            rules.rated_count(
                rated, any_phase=int(lost or 0), in_trade=int(lost_in or 0), post_trade=int(lost_post or 0)
            ),
            int(post_trade or 0),
        )
    times = _resolution_by_day(session, window)
    days = []
    for offset in range(window.days):
        day = window.start + timedelta(days=offset)
        excluded, refunds, lost, post = orders.get(day, (0, 0, 0, 0))
        paid_orders = max(int(paid.get(day) or 0) - excluded, refunds, lost, post)
        count, median, p90 = times.get(day, (0, None, None))
        days.append(Day(day, paid_orders, refunds, lost, count, median, p90, post))
    return days


def _resolution_by_day(session: Session, window: rules.Window) -> dict[date, tuple[int, float | None, float | None]]:
    """Cases resolved per UTC day of the window: how many, the median and the 90th percentile of
    their resolution times. PostgreSQL computes the percentiles itself (percentile_cont, the same
    interpolation as `domain.metrics.quantile`); elsewhere the times are fetched and computed here."""
    mc = MetricCase
    in_window = (
        mc.resolved_at.is_not(None),
        mc.resolution_seconds.is_not(None),
        mc.resolved_at >= window.start_at,
        mc.resolved_at < window.end_before,
        not_(mc.excluded),
    )
    if session.get_bind().dialect.name == "postgresql":
        day = cast(func.timezone("UTC", mc.resolved_at), Date)
        stmt = (
            select(
                day,
                func.count(),
                func.percentile_cont(0.5).within_group(mc.resolution_seconds),
                func.percentile_cont(0.9).within_group(mc.resolution_seconds),
            )
            .where(*in_window)
            .group_by(day)
        )
        return {d: (int(n), _round(median), _round(p90)) for d, n, median, p90 in session.execute(stmt)}
    lists: dict[date, list[int]] = defaultdict(list)
    for at, seconds in session.execute(select(mc.resolved_at, mc.resolution_seconds).where(*in_window)):
        if at is not None and seconds is not None:  # both are, by the WHERE clause
            lists[at.astimezone(UTC).date()].append(int(seconds))
    return {d: (len(v), rules.median(v), rules.p90(v)) for d, v in lists.items()}


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 6)


@dataclass(frozen=True)
class CategoryRow:
    category: str
    shops: int
    paid_orders: int
    refund_rate: float | None
    dispute_rate: float | None
    self_resolution_rate: float | None
    resolution_median_seconds: float | None
    flagged_shops: int
    post_trade_refund_rate: float | None = None  # post-trade requests apart, rated or not


@dataclass(frozen=True)
class WorstShop:
    shop_id: str
    name: str
    category: str
    rank: int  # in its category, 1 = worst
    shops_in_category: int
    flags: list[str]
    refund_rate: float | None
    dispute_rate: float | None
    resolution_median_seconds: float | None


@dataclass
class Overview:
    window: rules.Window
    categories: list[CategoryRow] = field(default_factory=list)
    worst: list[WorstShop] = field(default_factory=list)
    totals: rules.ShopCounts = field(default_factory=rules.ShopCounts)


def by_category(ctx: Ctx, window: rules.Window, worst_limit: int = 10) -> Overview:
    """Each category's pooled figures, and the worst shops across categories: the most flagged
    metrics first, then the worst mean percentile within their own category."""
    overview = Overview(window)
    candidates: list[tuple[tuple[int, float, float, float, str], WorstShop]] = []
    names = {k: v for k, v in ctx.session.execute(select(Shop.id, Shop.name))}
    category_totals: list[rules.ShopCounts] = []
    for category in metrics.all_categories(ctx.session):
        report = metrics.category_metrics(ctx, category, window)
        totals = report.totals
        values = rules.values_of(totals)
        overview.categories.append(
            CategoryRow(
                category=category,
                shops=len(report.shops),
                paid_orders=totals.paid_orders,
                refund_rate=values[rules.MetricName.refund_rate],
                dispute_rate=values[rules.MetricName.dispute_rate],
                self_resolution_rate=values[rules.MetricName.self_resolution_rate],
                resolution_median_seconds=values[rules.MetricName.resolution_time_median],
                flagged_shops=sum(1 for s in report.shops if s.score.flags),
                post_trade_refund_rate=rules.rate(
                    min(totals.post_trade_refund_orders, totals.paid_orders), totals.paid_orders
                ),
            )
        )
        category_totals.append(totals)
        for shop in report.shops[:worst_limit]:
            figures = shop.score.figures
            pcts = [f.percentile for f in figures.values() if f.percentile is not None]
            mean = sum(pcts) / len(pcts) if pcts else 0.0
            row = WorstShop(
                shop_id=shop.shop_id,
                name=names.get(shop.shop_id, shop.shop_id),
                category=category,
                rank=shop.rank or 0,
                shops_in_category=shop.shops_in_category,
                flags=[str(f) for f in shop.score.flags],
                refund_rate=figures[rules.MetricName.refund_rate].value,
                dispute_rate=figures[rules.MetricName.dispute_rate].value,
                resolution_median_seconds=figures[rules.MetricName.resolution_time_median].value,
            )
            key = (-len(row.flags), -mean, -(row.dispute_rate or 0.0), -(row.refund_rate or 0.0), row.shop_id)
            candidates.append((key, row))
    overview.totals = rules.pooled(category_totals)
    candidates.sort(key=lambda pair: pair[0])
    overview.worst = [row for _, row in candidates[:worst_limit]]
    return overview


@dataclass(frozen=True)
class CompensationRow:
    rule: str
    payout_method: str
    payer: str
    count: int
    amount_fen: Fen


def compensation_paid(ctx: Ctx, window: rules.Window) -> list[CompensationRow]:
    """Compensation paid in the window by rule, payout method and who bore it."""
    c = Compensation
    rows = ctx.session.execute(
        select(c.rule, c.payout_method, c.payer, func.count(c.id), func.sum(c.amount_fen))
        .where(c.created_at >= window.start_at, c.created_at < window.end_before)
        .group_by(c.rule, c.payout_method, c.payer)
        .order_by(c.rule, c.payout_method, c.payer)
    )
    return [CompensationRow(rule, method, payer, int(n), int(total or 0)) for rule, method, payer, n, total in rows]


@dataclass(frozen=True)
class ShopMoneyRow:
    shop_id: str
    name: str
    deposit_fen: Fen
    debt_fen: Fen  # owed to the platform (positive)


@dataclass(frozen=True)
class Holdings:
    platform_fund_fen: Fen
    payouts_pending_fen: Fen
    deposits_fen: Fen
    debts_fen: Fen
    shops: list[ShopMoneyRow]  # largest deposit first


def holdings(ctx: Ctx) -> Holdings:
    """The compensation fund, money owed to buyers not yet paid out, and every shop's deposit and
    debt: one grouped sum over the ledger accounts concerned."""
    account = LedgerEntry.account
    wanted = (
        account.in_((accounts.PLATFORM_FUND, accounts.PAYOUTS_PENDING))
        | account.startswith("seller_deposit:", autoescape=True)
        | account.startswith("seller_debt:", autoescape=True)
    )
    sums = {
        k: v
        for k, v in ctx.session.execute(
            select(account, func.sum(LedgerEntry.amount_fen))
            .join(LedgerTransaction, LedgerTransaction.id == LedgerEntry.txn_id)
            .where(LedgerTransaction.sealed.is_(True), wanted)
            .group_by(account)
        )
    }
    names = {k: v for k, v in ctx.session.execute(select(Shop.id, Shop.name))}
    deposits: dict[str, int] = defaultdict(int)
    debts: dict[str, int] = defaultdict(int)
    for name, total in sums.items():
        kind, _, shop = name.partition(":")
        if kind == "seller_deposit":
            deposits[shop] += int(total or 0)
        elif kind == "seller_debt":
            debts[shop] += -int(total or 0)
    shops = sorted(
        (ShopMoneyRow(s, names.get(s, s), deposits.get(s, 0), debts.get(s, 0)) for s in set(deposits) | set(debts)),
        key=lambda r: (-r.deposit_fen, r.shop_id),
    )
    return Holdings(
        platform_fund_fen=int(sums.get(accounts.PLATFORM_FUND) or 0),
        payouts_pending_fen=int(sums.get(accounts.PAYOUTS_PENDING) or 0),
        deposits_fen=sum(deposits.values()),
        debts_fen=sum(debts.values()),
        shops=shops,
    )
