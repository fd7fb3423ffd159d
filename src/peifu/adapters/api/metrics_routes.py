"""After-sale metrics (售后指标): a shop's figures with its place in its category, the category
ranking for agents, CSV exports, and the agents' abusive-claim mark that keeps an order out.

The bodies are `metrics_schemas`, built by `metrics_presenters`; CSV is `metrics_csv`."""

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Path, Query
from fastapi.responses import Response

from peifu.adapters.api import presenters
from peifu.adapters.api.metrics_csv import filename_for, to_csv
from peifu.adapters.api.metrics_presenters import category_out, shop_out
from peifu.adapters.api.metrics_schemas import AbusiveMarkIn, AbusiveMarkOut, CategoryMetricsOut, ShopMetricsOut
from peifu.adapters.api.routes import ERRORS, MAX_ID
from peifu.adapters.api.service_complaint_routes import stats_out
from peifu.adapters.http.deps import actor, runtime
from peifu.adapters.runtime import Runtime
from peifu.domain import metrics as rules
from peifu.domain.actors import Actor
from peifu.domain.metrics import MAX_WINDOW_DAYS, MetricName
from peifu.services import metrics, service_complaints
from peifu.services.context import Ctx
from peifu.services.inputs import ID_PATTERN

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
            return to_csv([body], filename_for(shop_id, window))
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
    return to_csv(body.shops, filename_for(category, window)) if fmt == "csv" else body


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
