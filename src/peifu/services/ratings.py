"""满意度评价: the buyer's 1–5 rating of a finished case, and what a shop's ratings add up to.

The rules are `peifu.domain.ratings`; this is the unit of work around them. Only the case's buyer
rates (others who may see the case get a 403, strangers the same 404 as for a missing case);
anyone who may see the case may read its rating.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from peifu.db.models import SatisfactionRating
from peifu.domain import ratings as rules
from peifu.domain.actors import Actor
from peifu.domain.errors import Conflict, Forbidden, NotFound
from peifu.domain.events import DomainEvent, EventType, Subject
from peifu.domain.ratings import RatingSummary, RatingTerms
from peifu.domain.vocabulary import CaseState, Role
from peifu.services import cases as case_service
from peifu.services import events
from peifu.services.context import Ctx


def for_case(session: Session, case_id: int) -> SatisfactionRating | None:
    return session.scalars(select(SatisfactionRating).where(SatisfactionRating.case_id == case_id)).first()


def rate(ctx: Ctx, case_id: int, actor: Actor, score: int | None, comment: str = "") -> SatisfactionRating:
    case = case_service.get_case(ctx, case_id, actor)  # a stranger's case is a 404, as if missing
    if actor.role is not Role.buyer:
        raise Forbidden("actor_not_allowed", "Only the buyer of the case rates its outcome.")
    terms = rules.check_rating(
        CaseState(case.state), for_case(ctx.session, case.id) is not None, RatingTerms(score, comment)
    )
    assert terms.score is not None
    rating = SatisfactionRating(
        case_id=case.id,
        shop_id=case.shop_id,
        buyer_id=case.buyer_id,
        score=terms.score,
        comment=terms.comment,
        outcome=case.state,
        created_at=ctx.now(),
    )
    ctx.session.add(rating)
    try:
        ctx.session.flush()
    except IntegrityError:  # the same buyer rating twice at the same moment: one of them wins
        raise Conflict("rating_exists", "This case has already been rated; a case is rated once.") from None
    events.record(
        ctx,
        DomainEvent(
            type=EventType.case_rated,
            subject=Subject.case,
            subject_id=str(case.id),
            occurred_at=rating.created_at,
            shop_id=case.shop_id,
            buyer_id=case.buyer_id,
            data={
                "rating": {"case_id": case.id, "score": rating.score, "comment": rating.comment, "outcome": case.state}
            },
            case_id=case.id,
            order_id=case.order_id,
        ),
    )
    return rating


def get(ctx: Ctx, case_id: int, actor: Actor) -> SatisfactionRating:
    case = case_service.get_case(ctx, case_id, actor)
    rating = for_case(ctx.session, case.id)
    if rating is None:
        raise NotFound("rating_not_found", f"Case {case_id} has not been rated.", case_id=case_id)
    return rating


def shop_summary(session: Session, shop_id: str) -> RatingSummary:
    """Count, average and 1–5 distribution of a shop's ratings (for the seller's and the
    platform's metrics pages). Callers check that the actor may see the shop."""
    rows = session.execute(
        select(SatisfactionRating.score, func.count())
        .where(SatisfactionRating.shop_id == shop_id)
        .group_by(SatisfactionRating.score)
    ).all()
    return rules.summarise({int(score): int(n) for score, n in rows})
