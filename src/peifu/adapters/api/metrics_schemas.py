"""Response and request bodies of the after-sale metrics API (`metrics_routes`)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from peifu.adapters.api import schemas as out
from peifu.adapters.api.service_complaint_routes import ShopComplaintStatsOut
from peifu.domain.metrics import MetricName


class WindowOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: date = Field(alias="from", description="First UTC day, included.")
    to: date = Field(description="Last UTC day, included.")
    days: int


class MetricOut(BaseModel):
    value: float | None = Field(
        description="A ratio in [0, 1] or a number of seconds; null when there is nothing to measure."
    )
    unit: Literal["ratio", "seconds"]
    better: Literal["lower", "higher"] = Field(description="Which direction is better for this metric.")
    numerator: int | None = Field(None, description="For rates: what was counted…")
    denominator: int | None = Field(None, description="…out of how many.")
    sample: int | None = Field(None, description="For times: how many cases the figure is taken over.")
    category_percentile: float | None = Field(
        description="行业占比: % of the other shops in the category doing strictly better (0 best, 100 worst)."
    )
    compared_with: int = Field(description="Other shops in the category with a value for this metric.")
    flagged: bool = Field(description="Worse than the policy's `category_flag_percentile` % of the category.")


class MetricsOut(BaseModel):
    refund_rate: MetricOut = Field(
        description="退款率: paid orders with a request of a rated phase (`rated_phases`) ÷ paid orders."
    )
    dispute_rate: MetricOut = Field(
        description="退款纠纷率: paid orders with a dispute of a rated phase ruled against the seller ÷ paid orders."
    )
    self_resolution_rate: MetricOut = Field(
        description="退款自主完结率: cases resolved without intervention ÷ resolved."
    )
    resolution_time_median: MetricOut = Field(
        description="退款完结时长 (median, seconds), cases resolved in the window."
    )
    resolution_time_p90: MetricOut = Field(description="退款完结时长 (90th percentile, seconds).")
    response_time_median: MetricOut = Field(
        description="卖家响应时长 (median, seconds): opening → the seller's first action or the auto-agree."
    )


class CountsOut(BaseModel):
    paid_orders: int = Field(description="Orders paid in the window, abusive claims left out.")
    refund_orders: int = Field(description="Of those, orders with a request of a rated phase (the refund rate's).")
    lost_dispute_orders: int = Field(
        description="Of those, orders with a dispute of a rated phase ruled against the seller (the dispute rate's)."
    )
    resolved_cases: int = Field(description="Cases that reached a final state in the window.")
    self_resolved_cases: int = Field(description="Of those, cases that never went to intervention.")
    responded_cases: int = Field(description="Cases the seller (or the auto-agree) first answered in the window.")
    in_trade_refund_orders: int = Field(
        0, description="售中退款: paid orders with a request made while the order was paid or shipped."
    )
    post_trade_refund_orders: int = Field(
        0, description="售后(交易成功后): paid orders with a request made after the trade completed."
    )
    in_trade_lost_dispute_orders: int = Field(0, description="In-trade disputes ruled against the seller.")
    post_trade_lost_dispute_orders: int = Field(0, description="Post-trade disputes ruled against the seller.")


class PhaseOut(BaseModel):
    refund_rate: float | None = Field(description="Orders with a request of this phase ÷ paid orders.")
    dispute_rate: float | None = Field(description="Orders with a lost dispute of this phase ÷ paid orders.")
    rated: bool = Field(description="Whether the refund and dispute rates (and their ranking) count this phase.")


class ByPhaseOut(BaseModel):
    in_trade: PhaseOut = Field(description="Requests made while the order was paid or shipped (售中).")
    post_trade: PhaseOut = Field(
        description="Requests made after the trade completed (售后): seed 003, 售后维权目前暂没有率的考核."
    )


RATED_PHASES_DOC = (
    "The request phases the refund and dispute rates count: the policy's `metrics.rated_phases` "
    "(default `in_trade`, after seed 003)."
)


EXAMPLE_METRIC: dict[str, Any] = {
    "value": 0.0425,
    "unit": "ratio",
    "better": "lower",
    "numerator": 17,
    "denominator": 400,
    "sample": None,
    "category_percentile": 92.5,
    "compared_with": 40,
    "flagged": True,
}
EXAMPLE_SHOP: dict[str, Any] = {
    "shop_id": "shop-lining",
    "category": "shoes",
    "category_source": "shop",
    "window": {"from": "2026-10-13", "to": "2026-11-11", "days": 30},
    "flag_percentile": 90,
    "shops_in_category": 41,
    "rank": None,
    "rated_phases": ["in_trade"],
    "counts": {
        "paid_orders": 400,
        "refund_orders": 17,
        "lost_dispute_orders": 1,
        "resolved_cases": 16,
        "self_resolved_cases": 15,
        "responded_cases": 17,
        "in_trade_refund_orders": 17,
        "post_trade_refund_orders": 5,
        "in_trade_lost_dispute_orders": 1,
        "post_trade_lost_dispute_orders": 0,
    },
    "by_phase": {
        "in_trade": {"refund_rate": 0.0425, "dispute_rate": 0.0025, "rated": True},
        "post_trade": {"refund_rate": 0.0125, "dispute_rate": 0.0, "rated": False},
    },
    "metrics": {
        "refund_rate": EXAMPLE_METRIC,
        "dispute_rate": {
            **EXAMPLE_METRIC,
            "value": 0.0025,
            "numerator": 1,
            "category_percentile": 50.0,
            "flagged": False,
        },
        "self_resolution_rate": {
            **EXAMPLE_METRIC,
            "value": 0.9375,
            "better": "higher",
            "numerator": 15,
            "denominator": 16,
            "category_percentile": 20.0,
            "flagged": False,
        },
        "resolution_time_median": {
            **EXAMPLE_METRIC,
            "value": 86400.0,
            "unit": "seconds",
            "numerator": None,
            "denominator": None,
            "sample": 16,
            "category_percentile": 35.0,
            "flagged": False,
        },
        "resolution_time_p90": {
            **EXAMPLE_METRIC,
            "value": 259200.0,
            "unit": "seconds",
            "numerator": None,
            "denominator": None,
            "sample": 16,
            "category_percentile": 60.0,
            "flagged": False,
        },
        "response_time_median": {
            **EXAMPLE_METRIC,
            "value": 3600.0,
            "unit": "seconds",
            "numerator": None,
            "denominator": None,
            "sample": 17,
            "category_percentile": 10.0,
            "flagged": False,
        },
    },
    "flags": ["refund_rate"],
}


class ShopMetricsOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_SHOP]})

    shop_id: str
    category: str | None = Field(description="The category the shop is ranked in.")
    category_source: Literal["shop", "order_lines"] | None = Field(
        description="`shop`: the shop's own category; `order_lines`: its most common paid line category."
    )
    window: WindowOut
    flag_percentile: int = Field(description="A metric is flagged when worse than this % of the category.")
    shops_in_category: int = Field(description="Shops of the category active in the window, this one included.")
    rank: int | None = Field(None, description="In a category ranking: 1 is the worst shop.")
    rated_phases: list[Literal["in_trade", "post_trade"]] = Field(description=RATED_PHASES_DOC)
    counts: CountsOut
    by_phase: ByPhaseOut = Field(description="In-trade and post-trade requests apart, rated or not.")
    metrics: MetricsOut
    flags: list[MetricName] = Field(description="The metrics that are flagged.")
    service_complaints: ShopComplaintStatsOut | None = Field(
        None,
        description="售后投诉 (seed 003 5.2–5.3): complaints per 1,000 orders, the share of each step done in "
        "time, satisfaction — over the policy's metrics window, whatever window was asked for above; "
        "also at `GET /shops/{id}/service-complaint-stats`. Not in the CSV.",
    )


class CategoryTotalsOut(BaseModel):
    counts: CountsOut
    by_phase: ByPhaseOut
    refund_rate: float | None
    dispute_rate: float | None
    self_resolution_rate: float | None
    resolution_time_median: float | None
    resolution_time_p90: float | None
    response_time_median: float | None


class CategoryMetricsOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "category": "shoes",
                    "window": EXAMPLE_SHOP["window"],
                    "flag_percentile": 90,
                    "sort": None,
                    "rated_phases": ["in_trade"],
                    "totals": {
                        "counts": EXAMPLE_SHOP["counts"],
                        "by_phase": EXAMPLE_SHOP["by_phase"],
                        "refund_rate": 0.031,
                        "dispute_rate": 0.002,
                        "self_resolution_rate": 0.95,
                        "resolution_time_median": 72000.0,
                        "resolution_time_p90": 345600.0,
                        "response_time_median": 5400.0,
                    },
                    "shops": [{**EXAMPLE_SHOP, "rank": 1}],
                }
            ]
        }
    )

    category: str
    window: WindowOut
    flag_percentile: int
    rated_phases: list[Literal["in_trade", "post_trade"]] = Field(description=RATED_PHASES_DOC)
    sort: MetricName | None = Field(description="The metric the ranking follows; null: overall.")
    totals: CategoryTotalsOut = Field(description="The category's shops pooled.")
    shops: list[ShopMetricsOut] = Field(description="Every shop of the category active in the window, worst first.")


class AbusiveMarkIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"abusive": True, "note": "职业索赔"}]})

    abusive: bool = Field(True, description="false removes the mark.")
    note: str | None = Field(None, max_length=2000, description="Why, for the record.")


class AbusiveMarkOut(BaseModel):
    case_id: int
    order_id: str
    shop_id: str
    abusive: bool
    marked_at: out.Instant | None
    marked_by: str | None
    note: str | None
    order_excluded: bool = Field(description="Whether the order is now left out of the shop's metrics.")
