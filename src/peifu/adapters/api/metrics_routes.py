"""After-sale metrics (售后指标): a shop's figures with its place in its category, the category
ranking for agents, CSV exports, and the agents' abusive-claim mark that keeps an order out."""

import csv
import io
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from peifu.adapters.api import presenters
from peifu.adapters.api import schemas as out
from peifu.adapters.api.deps import actor, runtime
from peifu.adapters.api.routes import ERRORS, MAX_ID
from peifu.adapters.api.service_complaint_routes import ShopComplaintStatsOut, stats_out
from peifu.adapters.runtime import Runtime
from peifu.domain import metrics as rules
from peifu.domain.actors import Actor
from peifu.domain.metrics import BETTER, MAX_WINDOW_DAYS, MetricName
from peifu.services import metrics, service_complaints
from peifu.services.commands import ID_PATTERN
from peifu.services.context import Ctx

RuntimeDep = Annotated[Runtime, Depends(runtime)]
ActorDep = Annotated[Actor, Depends(actor)]

router = APIRouter(prefix="/api/v1", tags=["metrics"])

ShopId = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN, description="The shop.")]
Category = Annotated[str, Path(min_length=1, max_length=64, description="The category, e.g. `shoes`.")]
Days = Annotated[
    int | None,
    Query(
        description=f"The last N days, today (UTC) included: 1 to {MAX_WINDOW_DAYS}. "
        "Default: the policy's `metrics.window_days` (30)."
    ),
]
From = Annotated[date | None, Query(alias="from", description="First UTC day of the window (instead of `days`).")]
To = Annotated[date | None, Query(alias="to", description="Last UTC day of the window, included. Default: today.")]
Format = Annotated[Literal["json", "csv"], Query(description="`csv` for a spreadsheet (same as `/metrics.csv`).")]
Sort = Annotated[
    MetricName | None,
    Query(
        description="Rank by this metric's category percentile instead of overall (most flags, then mean percentile)."
    ),
]

CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"example": "shop_id,category,...\r\n"}}, "description": "JSON, or CSV"}
}


# --- response bodies ------------------------------------------------------------------------------


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


# --- presenting -----------------------------------------------------------------------------------


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


CSV_COLUMNS = [
    "rank",
    "shop_id",
    "category",
    "category_source",
    "from",
    "to",
    *CountsOut.model_fields,
    *(f"{name}{suffix}" for name in MetricName for suffix in ("", "_percentile", "_flagged")),
]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6g}" if abs(value) < 1 else f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def to_csv(shops: list[ShopMetricsOut], filename: str) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for s in shops:
        row: list[Any] = [s.rank, s.shop_id, s.category, s.category_source, s.window.from_, s.window.to]
        row += [getattr(s.counts, field) for field in CountsOut.model_fields]
        for name in MetricName:
            m: MetricOut = getattr(s.metrics, name.value)
            row += [m.value, m.category_percentile, m.flagged]
        writer.writerow([_cell(v) for v in row])
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _filename(name: str, window: rules.Window) -> str:
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in name)
    return f"metrics-{safe}-{window.start}-{window.end}.csv"


# --- routes ---------------------------------------------------------------------------------------


def _window(ctx: Ctx, days: int | None, start: date | None, end: date | None) -> rules.Window:
    return metrics.window_for(ctx, days=days, start=start, end=end)


def _shop(
    rt: Runtime, who: Actor, shop_id: str, days: int | None, start: date | None, end: date | None, fmt: str
) -> Any:
    with rt.read_uow() as ctx:  # may lag: a replica when PEIFU_READ_DATABASE_URL is set
        metrics.check_shop_reader(who, shop_id)
        window = _window(ctx, days, start, end)
        body = shop_out(metrics.shop_metrics(ctx, shop_id, window, who))
        if fmt == "csv":
            return to_csv([body], _filename(shop_id, window))
        body.service_complaints = stats_out(service_complaints.shop_stats(ctx, shop_id, who))
    return body


def _category(
    rt: Runtime,
    who: Actor,
    category: str,
    days: int | None,
    start: date | None,
    end: date | None,
    sort: MetricName | None,
    fmt: str,
) -> Any:
    with rt.read_uow() as ctx:
        window = _window(ctx, days, start, end)
        body = category_out(metrics.category_metrics(ctx, category, window, who, sort), sort)
    return to_csv(body.shops, _filename(category, window)) if fmt == "csv" else body


SHOP_DOC = """The shop's after-sale indicators over the window, each with the shop's percentile within
its category (行业占比: the share of the other shops doing strictly better) and a flag when the shop
is worse than the policy's `metrics.category_flag_percentile` % of its category.

The shop's seller (`seller:<shop>`) and agents may read it; another shop's seller gets a 404.
Orders an agent marked as abusive buyer claims count nowhere. The window is whole UTC days:
`days=N` (today and the N-1 days before), or `from`/`to`."""

CATEGORY_DOC = """Every shop of the category active in the window, worst first: by default the shops with
the most flagged metrics, then the highest mean percentile; with `sort=<metric>`, by that metric.
A shop belongs to its own category, or to its most common paid line category when it has none.
Agents only."""


@router.get(
    "/shops/{shop_id}/metrics",
    response_model=ShopMetricsOut,
    responses={**ERRORS, **CSV_RESPONSE},
    summary="店铺售后指标 · A shop's after-sale metrics and category percentiles",
    description=SHOP_DOC,
)
def shop_metrics(
    shop_id: ShopId,
    rt: RuntimeDep,
    who: ActorDep,
    days: Days = None,
    start: From = None,
    end: To = None,
    format: Format = "json",
) -> Any:
    return _shop(rt, who, shop_id, days, start, end, format)


@router.get(
    "/shops/{shop_id}/metrics.csv",
    response_class=Response,
    responses={**ERRORS, **CSV_RESPONSE},
    summary="店铺售后指标 CSV · The same as CSV",
)
def shop_metrics_csv(
    shop_id: ShopId, rt: RuntimeDep, who: ActorDep, days: Days = None, start: From = None, end: To = None
) -> Any:
    return _shop(rt, who, shop_id, days, start, end, "csv")


@router.get(
    "/categories/{category}/metrics",
    response_model=CategoryMetricsOut,
    responses={**ERRORS, **CSV_RESPONSE},
    summary="行业排名 · Every shop of a category ranked, worst first (agents)",
    description=CATEGORY_DOC,
)
def category_metrics(
    category: Category,
    rt: RuntimeDep,
    who: ActorDep,
    days: Days = None,
    start: From = None,
    end: To = None,
    sort: Sort = None,
    format: Format = "json",
) -> Any:
    return _category(rt, who, category, days, start, end, sort, format)


@router.get(
    "/categories/{category}/metrics.csv",
    response_class=Response,
    responses={**ERRORS, **CSV_RESPONSE},
    summary="行业排名 CSV · The same as CSV",
)
def category_metrics_csv(
    category: Category,
    rt: RuntimeDep,
    who: ActorDep,
    days: Days = None,
    start: From = None,
    end: To = None,
    sort: Sort = None,
) -> Any:
    return _category(rt, who, category, days, start, end, sort, "csv")


@router.post(
    "/cases/{case_id}/mark-abusive",
    response_model=AbusiveMarkOut,
    responses=ERRORS,
    tags=["case actions"],
    summary="标记恶意退款 · Mark a case as an abusive buyer claim (agents)",
)
def mark_abusive(
    case_id: Annotated[int, Path(ge=1, le=MAX_ID, description="The case number.")],
    rt: RuntimeDep,
    who: ActorDep,
    body: Annotated[AbusiveMarkIn | None, Body()] = None,
) -> AbusiveMarkOut:
    """恶意退款 / 职业索赔: the order this case belongs to is left out of every after-sale metric of
    the shop (paid orders, refunds, disputes, resolution and response times). `abusive: false`
    removes the mark. The case itself goes on as before."""
    body = body or AbusiveMarkIn()
    with rt.uow() as ctx:
        case = metrics.mark_abusive(ctx, case_id, who, abusive=body.abusive, note=body.note)
        excluded = metrics.order_is_excluded(ctx.session, case.order_id)
        return AbusiveMarkOut(
            case_id=case.id,
            order_id=case.order_id,
            shop_id=case.shop_id,
            abusive=case.abusive,
            marked_at=presenters.instant(case.abusive_marked_at),
            marked_by=case.abusive_marked_by,
            note=case.abusive_note,
            order_excluded=excluded,
        )
