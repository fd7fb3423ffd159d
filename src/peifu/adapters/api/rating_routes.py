"""满意度评价 — the buyer rates the outcome of a finished case (1–5, once)."""

from typing import Annotated

from fastapi import APIRouter, Depends

from peifu.adapters.api import presenters
from peifu.adapters.api import schemas as out
from peifu.adapters.api.metrics_routes import ShopId
from peifu.adapters.api.routes import ERRORS, CaseId
from peifu.adapters.http.deps import actor, runtime
from peifu.adapters.runtime import Runtime
from peifu.db.models import SatisfactionRating
from peifu.domain.actors import Actor
from peifu.services import metrics, ratings
from peifu.services.inputs import RatingIn

RuntimeDep = Annotated[Runtime, Depends(runtime)]
ActorDep = Annotated[Actor, Depends(actor)]

router = APIRouter(prefix="/api/v1", tags=["cases"])


def rating_out(rating: SatisfactionRating) -> out.RatingOut:
    return out.RatingOut(
        case_id=rating.case_id,
        shop_id=rating.shop_id,
        score=rating.score,
        comment=rating.comment,
        outcome=rating.outcome,
        created_at=presenters.must(rating.created_at),
    )


@router.post(
    "/cases/{case_id}/rating",
    status_code=201,
    response_model=out.RatingOut,
    responses=ERRORS,
    summary="满意度评价 · The buyer rates the outcome of a finished case (1–5, once)",
)
def rate_case(case_id: CaseId, body: RatingIn, rt: RuntimeDep, who: ActorDep) -> out.RatingOut:
    """Only the case's buyer, only once the case has ended (`case_not_final`, 409), only once
    (`rating_exists`, 409); the score is a whole number from 1 to 5 (`rating_out_of_range`, 422)
    with an optional comment of up to 500 characters (`comment_too_long`, 422). Another party
    of the case gets a 403; anyone else the 404 of a missing case. Send an `Idempotency-Key` to
    retry safely."""
    with rt.uow() as ctx:
        return rating_out(ratings.rate(ctx, case_id, who, body.score, body.comment))


@router.get(
    "/cases/{case_id}/rating",
    response_model=out.RatingOut,
    responses=ERRORS,
    summary="查看评价 · The buyer's rating of a case (404 rating_not_found until rated)",
)
def get_rating(case_id: CaseId, rt: RuntimeDep, who: ActorDep) -> out.RatingOut:
    with rt.uow() as ctx:
        return rating_out(ratings.get(ctx, case_id, who))


@router.get(
    "/shops/{shop_id}/ratings",
    response_model=out.RatingSummaryOut,
    responses=ERRORS,
    tags=["metrics"],
    summary="店铺满意度 · How buyers rated the outcome of a shop's cases (count, average, 1–5 spread)",
)
def shop_ratings(shop_id: ShopId, rt: RuntimeDep, who: ActorDep) -> out.RatingSummaryOut:
    """Read like the shop's metrics: its own seller staff and platform agents."""
    with rt.uow() as ctx:
        metrics.check_shop_reader(who, shop_id)
        summary = ratings.shop_summary(ctx.session, shop_id)
        return out.RatingSummaryOut(
            shop_id=shop_id,
            count=summary.count,
            average=summary.average,
            distribution={str(k): v for k, v in summary.distribution.items()},
        )
