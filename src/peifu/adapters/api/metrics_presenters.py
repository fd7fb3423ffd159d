"""Metrics reports (`services.metrics`) → the bodies of `metrics_schemas`."""

from __future__ import annotations

from peifu.adapters.api.metrics_schemas import (
    ByPhaseOut,
    CategoryMetricsOut,
    CategoryTotalsOut,
    CountsOut,
    MetricOut,
    MetricsOut,
    ShopMetricsOut,
    WindowOut,
)
from peifu.domain import metrics as rules
from peifu.domain.metrics import BETTER, MetricName
from peifu.services import metrics

RATES = {
    MetricName.refund_rate: lambda c: (c.refund_orders, c.paid_orders),
    MetricName.dispute_rate: lambda c: (c.lost_dispute_orders, c.paid_orders),
    MetricName.self_resolution_rate: lambda c: (c.self_resolved, c.resolved),
}


def _metric_out(figure: rules.Figure, counts: rules.ShopCounts) -> MetricOut:
    name = figure.name
    numerator = denominator = sample = None
    if name in RATES:
        numerator, denominator = RATES[name](counts)
    elif name is MetricName.response_time_median:
        sample = len(counts.response_seconds)
    else:
        sample = counts.resolved
    return MetricOut(
        value=figure.value,
        unit="ratio" if name in RATES else "seconds",
        better=BETTER[name].value,
        numerator=numerator,
        denominator=denominator,
        sample=sample,
        category_percentile=figure.percentile,
        compared_with=figure.compared_with,
        flagged=figure.flagged,
    )


def _window_out(window: rules.Window) -> WindowOut:
    return WindowOut(from_=window.start, to=window.end, days=window.days)


def _counts_out(c: rules.ShopCounts) -> CountsOut:
    return CountsOut(
        paid_orders=c.paid_orders,
        refund_orders=c.refund_orders,
        lost_dispute_orders=c.lost_dispute_orders,
        resolved_cases=c.resolved,
        self_resolved_cases=c.self_resolved,
        responded_cases=len(c.response_seconds),
        in_trade_refund_orders=c.in_trade_refund_orders,
        post_trade_refund_orders=c.post_trade_refund_orders,
        in_trade_lost_dispute_orders=c.in_trade_lost_dispute_orders,
        post_trade_lost_dispute_orders=c.post_trade_lost_dispute_orders,
    )


def _by_phase_out(c: rules.ShopCounts, rated: tuple[str, ...]) -> ByPhaseOut:
    return ByPhaseOut.model_validate(c.phase_rates(rated))


def shop_out(report: metrics.ShopReport) -> ShopMetricsOut:
    score = report.score
    return ShopMetricsOut(
        shop_id=report.shop_id,
        category=report.category,
        category_source=report.category_source,
        window=_window_out(report.window),
        flag_percentile=report.flag_percentile,
        shops_in_category=report.shops_in_category,
        rank=report.rank,
        rated_phases=list(report.rated_phases),
        counts=_counts_out(score.counts),
        by_phase=_by_phase_out(score.counts, report.rated_phases),
        metrics=MetricsOut(**{name.value: _metric_out(f, score.counts) for name, f in score.figures.items()}),
        flags=score.flags,
    )


def category_out(report: metrics.CategoryReport, sort: MetricName | None) -> CategoryMetricsOut:
    values = rules.values_of(report.totals)
    return CategoryMetricsOut(
        category=report.category,
        window=_window_out(report.window),
        flag_percentile=report.flag_percentile,
        rated_phases=list(report.rated_phases),
        sort=sort,
        totals=CategoryTotalsOut(
            counts=_counts_out(report.totals),
            by_phase=_by_phase_out(report.totals, report.rated_phases),
            **{k.value: v for k, v in values.items()},
        ),
        shops=[shop_out(r) for r in report.shops],
    )
