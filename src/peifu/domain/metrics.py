"""After-sale metrics (售后指标): the formulas, with no database in sight.

A shop is judged over a window of whole UTC days on six figures (glossary: refund_rate,
dispute_rate, self_resolution_rate, resolution_time, response time), and each figure is placed
within the shop's category (行业占比): the share of the *other* shops in the category that do
strictly better. A shop worse than `policy.metrics.category_flag_percentile` % of its category is
flagged (seed 004: 指标行业占比不得高于90%).

What is counted (services.metrics gathers the numbers):

* paid orders — orders paid in the window; orders the platform marked as abusive buyer claims
  (恶意退款 / 职业索赔) are left out of every figure.
* refund_rate — of those orders, the share with at least one request of a rated phase (any such
  request counts: 只要点击过申请退款就算), whenever it was opened.
* dispute_rate — of those orders, the share with a dispute of a rated phase ruled against the
  seller (`liable_party == "seller"`, the ruling now in force).
* rated phases — seed 003 rates the requests made while the trade is in progress (`in_trade`:
  paid or shipped) and says of those made after it completed 「售后维权目前暂没有率的考核」; the
  policy's `metrics.rated_phases` says which phases the two rates count (default: in_trade). Both
  kinds are always counted apart (`by_phase`), rated or not.
* self_resolution_rate — of the cases that reached a final state in the window, the share that
  never went to platform intervention.
* resolution time — seconds from opening to the final state, for the cases resolved in the
  window: the median and the 90th percentile.
* response time — seconds from opening to the seller's first action (or the system's auto-agree
  when the seller stayed silent), for the cases first answered in the window: the median.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import NamedTuple

from peifu.domain.errors import Invalid

MAX_WINDOW_DAYS = 366


# --- the window -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """Whole UTC days from `start` to `end`, both included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time(0), tzinfo=UTC)

    @property
    def end_before(self) -> datetime:
        """The first instant after the window (the window is [start_at, end_before))."""
        return datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=UTC)


def resolve_window(
    today: date,
    *,
    days: int | None = None,
    start: date | None = None,
    end: date | None = None,
    default_days: int = 30,
    max_days: int = MAX_WINDOW_DAYS,
) -> Window:
    """The window a request asks for: `days` ending today, or `start`..`end`, or the default.

    `days=N` means today and the N-1 days before it. With only `start`, the window runs to
    today; with only `end`, it is `default_days` long and ends there.
    """
    if days is not None and (start is not None or end is not None):
        raise Invalid("window_ambiguous", "Give either days, or from/to — not both.")
    if days is not None:
        if not 1 <= days <= max_days:
            raise Invalid(
                "window_days_out_of_range", f"days must be between 1 and {max_days}; got {days}.", max_days=max_days
            )
        return Window(today - timedelta(days=days - 1), today)
    if start is None and end is None:
        return Window(today - timedelta(days=default_days - 1), today)
    end = end or today
    start = start or end - timedelta(days=default_days - 1)
    if start > today:
        raise Invalid("window_in_future", f"from ({start}) is in the future.", start=start.isoformat())
    if start > end:
        raise Invalid(
            "window_from_after_to", f"from ({start}) is after to ({end}).", start=start.isoformat(), end=end.isoformat()
        )
    window = Window(start, end)
    if window.days > max_days:
        raise Invalid(
            "window_too_long",
            f"The window may cover at most {max_days} days; from {start} to {end} is {window.days}.",
            max_days=max_days,
        )
    return window


# --- the formulas ---------------------------------------------------------------------------------


def rate(numerator: int, denominator: int) -> float | None:
    """numerator ÷ denominator, or None when there is nothing to divide by."""
    if numerator < 0 or denominator < 0 or numerator > denominator:
        raise ValueError(f"a rate needs 0 <= numerator <= denominator; got {numerator}/{denominator}")
    if denominator == 0:
        return None
    return numerator / denominator


def quantile(values: Iterable[float], q: float) -> float | None:
    """The q-quantile with linear interpolation between closest ranks (PostgreSQL's
    `percentile_cont`, numpy's default): the median of [1, 2, 3, 4] is 2.5, the 0.9 of 1..10 is 9.1."""
    if not 0 <= q <= 1:
        raise ValueError(f"q must be within [0, 1]; got {q}")
    ordered = sorted(values)
    if not ordered:
        return None
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = math.ceil(position)
    value = ordered[low] + (ordered[high] - ordered[low]) * (position - low)
    # rounded to 1e-6 so that float noise does not show: the 0.9 of [7200, 14400, 86400, 259200]
    # is 207360, not 207360.00000000003
    return round(value, 6)


def median(values: Iterable[float]) -> float | None:
    return quantile(values, 0.5)


def p90(values: Iterable[float]) -> float | None:
    return quantile(values, 0.9)


def case_row(
    *,
    opened_at: datetime,
    resolved_at: datetime | None,
    final: bool,
    timeline: Iterable[tuple[str, str, datetime]],
    paid_at: datetime | None,
    disputed: bool,
    dispute_lost: bool,
    abusive: bool,
    sibling_abusive: bool,
    post_trade: bool,
) -> dict[str, object]:
    """The metric_cases values of a case as it stands: when the seller first answered, when it was
    resolved (only while in a final state) and in how long, and whether its order is excluded."""
    responded_at = first_response(timeline)
    resolved = resolved_at if final else None
    return {
        "opened_at": opened_at,
        "paid_day": paid_at.astimezone(UTC).date() if paid_at else None,
        "responded_at": responded_at,
        "response_seconds": seconds_between(opened_at, responded_at) if responded_at else None,
        "resolved_at": resolved,
        "resolution_seconds": seconds_between(opened_at, resolved) if resolved else None,
        "disputed": disputed,
        "dispute_lost": dispute_lost,
        "abusive": abusive,
        "excluded": abusive or sibling_abusive,
        "post_trade": post_trade,
    }


def seconds_between(start: datetime, end: datetime) -> int:
    """Whole seconds from start to end, half a second rounding up (as SQL's ROUND does)."""
    delta = end - start
    whole = delta.days * 86400 + delta.seconds
    return whole + (1 if delta.microseconds >= 500_000 else 0)


def first_response(events: Iterable[tuple[str, str, datetime]]) -> datetime | None:
    """When the seller first answered a case: the first event (in timeline order) by the seller,
    or the system's auto-agree when the seller let the response deadline pass."""
    for role, action, at in events:
        if role == "seller" or (role == "system" and action == "agree"):
            return at
    return None


class Better(StrEnum):
    low = "lower"
    high = "higher"


class MetricName(StrEnum):
    refund_rate = "refund_rate"
    dispute_rate = "dispute_rate"
    self_resolution_rate = "self_resolution_rate"
    resolution_time_median = "resolution_time_median"
    resolution_time_p90 = "resolution_time_p90"
    response_time_median = "response_time_median"


BETTER: dict[MetricName, Better] = {
    MetricName.refund_rate: Better.low,
    MetricName.dispute_rate: Better.low,
    MetricName.self_resolution_rate: Better.high,
    MetricName.resolution_time_median: Better.low,
    MetricName.resolution_time_p90: Better.low,
    MetricName.response_time_median: Better.low,
}


def is_better(a: float, b: float, better: Better) -> bool:
    """Whether value a is strictly better than value b."""
    return a < b if better is Better.low else a > b


def category_percentile(value: float | None, others: Sequence[float], better: Better) -> float | None:
    """行业占比: the percentage of the other shops in the category that do strictly better than
    `value` (0 = nobody is better, 100 = every other shop is better). Ties count as not better.
    None when the shop has no value or there is nobody to compare with."""
    if value is None or not others:
        return None
    ahead = sum(1 for other in others if is_better(other, value, better))
    return 100.0 * ahead / len(others)


def flagged(percentile: float | None, flag_percentile: int) -> bool:
    """Worse than `flag_percentile` % of the category (seed 004: at most 90 % is allowed)."""
    return percentile is not None and percentile >= flag_percentile


# --- one shop's figures ---------------------------------------------------------------------------


IN_TRADE, POST_TRADE = "in_trade", "post_trade"
PHASES = (IN_TRADE, POST_TRADE)


@dataclass
class ShopCounts:
    """What the services count for one shop and window."""

    paid_orders: int = 0
    refund_orders: int = 0  # orders with a request of a rated phase
    lost_dispute_orders: int = 0  # orders with a dispute of a rated phase ruled against the seller
    resolution_seconds: list[int] = field(default_factory=list)  # one per case resolved in the window
    self_resolved: int = 0
    response_seconds: list[int] = field(default_factory=list)  # one per case first answered in the window
    in_trade_refund_orders: int = 0  # orders with an in-trade request (售中退款)
    post_trade_refund_orders: int = 0  # orders with a post-trade request (交易成功后的售后)
    in_trade_lost_dispute_orders: int = 0
    post_trade_lost_dispute_orders: int = 0

    @property
    def resolved(self) -> int:
        return len(self.resolution_seconds)

    @property
    def active(self) -> bool:
        requests = self.refund_orders or self.in_trade_refund_orders or self.post_trade_refund_orders
        return bool(self.paid_orders or requests or self.resolution_seconds or self.response_seconds)

    def phase_rates(self, rated: Collection[str]) -> dict[str, dict[str, float | bool | None]]:
        """Each phase's own refund and dispute rate over the paid orders, and whether it is rated."""
        return {
            IN_TRADE: {
                "refund_rate": rate(min(self.in_trade_refund_orders, self.paid_orders), self.paid_orders),
                "dispute_rate": rate(min(self.in_trade_lost_dispute_orders, self.paid_orders), self.paid_orders),
                "rated": IN_TRADE in rated,
            },
            POST_TRADE: {
                "refund_rate": rate(min(self.post_trade_refund_orders, self.paid_orders), self.paid_orders),
                "dispute_rate": rate(min(self.post_trade_lost_dispute_orders, self.paid_orders), self.paid_orders),
                "rated": POST_TRADE in rated,
            },
        }


def rated_count(rated: Collection[str], *, any_phase: int, in_trade: int, post_trade: int) -> int:
    """Orders counted by a rate that counts the `rated` phases: an order with requests of both
    phases counts once."""
    if IN_TRADE in rated and POST_TRADE in rated:
        return any_phase
    if IN_TRADE in rated:
        return in_trade
    if POST_TRADE in rated:
        return post_trade
    return 0


def pooled(parts: Iterable[ShopCounts]) -> ShopCounts:
    """Several shops' (or categories') counts as one: a category's totals, the platform's."""
    total = ShopCounts()
    for c in parts:
        total.paid_orders += c.paid_orders
        total.refund_orders += c.refund_orders
        total.lost_dispute_orders += c.lost_dispute_orders
        total.resolution_seconds.extend(c.resolution_seconds)
        total.self_resolved += c.self_resolved
        total.response_seconds.extend(c.response_seconds)
        total.in_trade_refund_orders += c.in_trade_refund_orders
        total.post_trade_refund_orders += c.post_trade_refund_orders
        total.in_trade_lost_dispute_orders += c.in_trade_lost_dispute_orders
        total.post_trade_lost_dispute_orders += c.post_trade_lost_dispute_orders
    return total


def values_of(counts: ShopCounts) -> dict[MetricName, float | None]:
    return {
        MetricName.refund_rate: rate(counts.refund_orders, counts.paid_orders),
        MetricName.dispute_rate: rate(counts.lost_dispute_orders, counts.paid_orders),
        MetricName.self_resolution_rate: rate(counts.self_resolved, counts.resolved),
        MetricName.resolution_time_median: median(counts.resolution_seconds),
        MetricName.resolution_time_p90: p90(counts.resolution_seconds),
        MetricName.response_time_median: median(counts.response_seconds),
    }


class Figure(NamedTuple):
    name: MetricName
    value: float | None
    percentile: float | None
    flagged: bool
    compared_with: int  # how many other shops in the category have a value for this metric


@dataclass(frozen=True, slots=True)
class ShopScore:
    shop_id: str
    counts: ShopCounts
    figures: dict[MetricName, Figure]

    @property
    def flags(self) -> list[MetricName]:
        return [name for name, figure in self.figures.items() if figure.flagged]


def score_category(counts_by_shop: dict[str, ShopCounts], flag_percentile: int) -> dict[str, ShopScore]:
    """Every shop's figures with its percentile among the other shops of the same category.

    Same result as `category_percentile` for each shop and metric, in O(n log n) per metric
    (a category may have thousands of shops)."""
    values = {shop: values_of(counts) for shop, counts in counts_by_shop.items()}
    columns = _columns(values)
    return {
        shop: ShopScore(shop, counts_by_shop[shop], _figures(values[shop], columns, flag_percentile)) for shop in values
    }


def score_shop(shop_id: str, counts_by_shop: dict[str, ShopCounts], flag_percentile: int) -> ShopScore:
    """One shop's entry of `score_category`, without scoring every other shop."""
    values = {shop: values_of(counts) for shop, counts in counts_by_shop.items()}
    return ShopScore(shop_id, counts_by_shop[shop_id], _figures(values[shop_id], _columns(values), flag_percentile))


Columns = list[tuple[MetricName, bool, list[float]]]


def _columns(values: dict[str, dict[MetricName, float | None]]) -> Columns:
    """Per metric: whether lower is better, and every shop's value, sorted."""
    return [
        (name, lower, sorted(x for x in (v[name] for v in values.values()) if x is not None))
        for name, lower in _DIRECTIONS
    ]


def _figures(mine: dict[MetricName, float | None], columns: Columns, flag_percentile: int) -> dict[MetricName, Figure]:
    figures = {}
    for name, lower, column in columns:
        value = mine[name]
        compared = len(column) - (0 if value is None else 1)
        pct: float | None = None
        if value is not None and compared > 0:
            ahead = bisect_left(column, value) if lower else len(column) - bisect_right(column, value)
            pct = 100.0 * ahead / compared
        figures[name] = Figure(name, value, pct, pct is not None and pct >= flag_percentile, compared)
    return figures


_DIRECTIONS = tuple((name, BETTER[name] is Better.low) for name in MetricName)


def worst_first(scores: Iterable[ShopScore], by: MetricName | None = None) -> list[ShopScore]:
    """The category ranking, worst shop first.

    Overall: most flagged metrics first, then the highest mean percentile, then the shop id;
    shops with no percentile at all come last. With `by`, that metric's percentile decides
    (then its value, worst first), and shops without a value come last.
    """

    def overall(score: ShopScore) -> tuple[int, int, float, str]:
        pcts = [f.percentile for f in score.figures.values() if f.percentile is not None]
        mean = sum(pcts) / len(pcts) if pcts else 0.0
        return (0 if pcts else 1, -len(score.flags), -mean, score.shop_id)

    def single(score: ShopScore) -> tuple[int, float, float, str]:
        assert by is not None
        figure = score.figures[by]
        if figure.value is None:
            return (1, 0.0, 0.0, score.shop_id)
        worse_value = figure.value if BETTER[by] is Better.low else -figure.value
        return (0, -(figure.percentile or 0.0), -worse_value, score.shop_id)

    return sorted(scores, key=single if by is not None else overall)
