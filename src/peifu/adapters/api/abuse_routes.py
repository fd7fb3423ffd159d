"""滥用信号 and 云标签: explained abuse signals of buyers, shops and disputes for agents, and the
platform's mark that takes a buyer's claims out of the shops' metrics."""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Path
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from peifu.adapters.api import presenters
from peifu.adapters.api import schemas as out
from peifu.adapters.api.routes import ERRORS, MAX_ID
from peifu.adapters.http.deps import actor, runtime
from peifu.adapters.runtime import Runtime
from peifu.db.models import BuyerAbuseMark, Dispute
from peifu.domain.abuse import Signal, SignalCode
from peifu.domain.actors import Actor
from peifu.domain.errors import NotFound
from peifu.services import abuse
from peifu.services.context import Ctx
from peifu.services.inputs import ID_PATTERN, WholeNumber

RuntimeDep = Annotated[Runtime, Depends(runtime)]
ActorDep = Annotated[Actor, Depends(actor)]

router = APIRouter(prefix="/api/v1", tags=["abuse signals"])

BuyerId = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN, description="The buyer.")]
ShopId = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN, description="The shop.")]
DisputeId = Annotated[int, Path(ge=1, le=MAX_ID, description="The dispute number.")]


# --- bodies -----------------------------------------------------------------------------------------


class SignalOut(BaseModel):
    code: SignalCode = Field(description="Which signal (see GLOSSARY: 滥用信号).")
    subject: Literal["buyer", "shop"]
    subject_id: str
    score: int = Field(description="Strength 0–100: 50 exactly at the policy threshold, 100 at twice it or more.")
    window_days: int = Field(description="The policy window the figures cover (`abuse.window_days`).")
    figures: dict[str, int] = Field(description="What was observed.")
    thresholds: dict[str, int] = Field(description="The policy numbers it was compared with.")
    explanation_zh: str
    explanation_en: str
    case_ids: list[int] = Field(description="The requests behind it.")
    order_ids: list[str] = Field(description="The orders behind it.")


class SignalsOut(BaseModel):
    subject: Literal["buyer", "shop", "dispute"]
    subject_id: str
    as_of: out.Instant
    signals: list[SignalOut] = Field(description="Only the signals that fire; none is a clean record.")


class AbuseMarkOut(BaseModel):
    id: int
    buyer_id: str
    shop_id: str | None = Field(description="When set, the mark covers this shop's claims only.")
    scope: Literal["all", "since", "cases", "none"]
    since: out.Instant | None
    case_ids: list[int]
    reason: str
    marked_by: str
    marked_at: out.Instant
    cases_marked: int = Field(description="Claims this mark has made abusive (at marking and since).")
    standing: bool
    lifted_at: out.Instant | None
    lifted_by: str | None
    lift_reason: str | None
    cases_unmarked: int | None


class BuyerSignalsOut(SignalsOut):
    abuse_marks: list[AbuseMarkOut] = Field(description="The platform's marks on the buyer (云标签), newest first.")


class DisputeSignalsOut(SignalsOut):
    dispute_id: int
    case_id: int
    buyer_id: str
    shop_id: str
    buyer_abuse_mark: AbuseMarkOut | None = Field(
        description="The platform's standing mark on the buyer (云标签), if any."
    )


class _TextIn(BaseModel):
    @field_validator("reason", check_fields=False)
    @classmethod
    def _no_nul_characters(cls, value: str) -> str:
        """PostgreSQL cannot store NUL in text; refuse it here rather than fail on save."""
        if "\x00" in value:
            raise ValueError("text may not contain NUL (\\x00) characters")
        return value


class AbuseMarkIn(_TextIn):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"reason": "拒绝后改理由反复申请仅退款", "scope": "all"}]},
    )

    reason: str = Field(min_length=1, max_length=2000, description="Why, for the record.")
    scope: Literal["all", "since", "cases", "none"] = Field(
        "all",
        description="Which existing claims are marked: all of them, those opened `since` a time, the listed "
        "`case_ids`, or none (future claims only). Claims opened while the mark stands are always marked.",
    )
    since: AwareDatetime | None = Field(None, description="For scope `since`.")
    case_ids: list[Annotated[WholeNumber, Field(ge=1, le=MAX_ID)]] = Field(
        default_factory=list, max_length=1000, description="For scope `cases`."
    )
    shop_id: str | None = Field(
        None, min_length=1, max_length=64, pattern=ID_PATTERN, description="Only this shop's claims (optional)."
    )


class AbuseMarkLiftIn(_TextIn):
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [{"reason": "申诉核实后撤销"}]}
    )

    reason: str = Field(min_length=1, max_length=2000, description="Why, for the record.")


# --- presenting -------------------------------------------------------------------------------------


def signal_out(s: Signal) -> SignalOut:
    return SignalOut(
        code=s.code,
        subject=s.subject,
        subject_id=s.subject_id,
        score=s.score,
        window_days=s.window_days,
        figures=dict(s.figures),
        thresholds=dict(s.thresholds),
        explanation_zh=s.explanation_zh,
        explanation_en=s.explanation_en,
        case_ids=list(s.case_ids),
        order_ids=list(s.order_ids),
    )


def mark_out(mark: BuyerAbuseMark) -> AbuseMarkOut:
    return AbuseMarkOut(
        id=mark.id,
        buyer_id=mark.buyer_id,
        shop_id=mark.shop_id,
        scope=mark.scope,
        since=presenters.instant(mark.since),
        case_ids=[int(c) for c in mark.case_ids or ()],
        reason=mark.reason,
        marked_by=mark.marked_by,
        marked_at=presenters.must(mark.marked_at),
        cases_marked=mark.cases_marked,
        standing=mark.lifted_at is None,
        lifted_at=presenters.instant(mark.lifted_at),
        lifted_by=mark.lifted_by,
        lift_reason=mark.lift_reason,
        cases_unmarked=mark.cases_unmarked,
    )


def _as_of(ctx: Ctx) -> out.Instant:
    return presenters.must(ctx.now())


# --- routes -----------------------------------------------------------------------------------------

AGENTS_ONLY = "Agents and admins only; buyers, sellers and integrations get a 403 whatever the id."


@router.get(
    "/disputes/{dispute_id}/signals",
    response_model=DisputeSignalsOut,
    responses=ERRORS,
    summary="纠纷双方滥用信号 · Abuse signals of both parties of a dispute (agents)",
    description="The buyer's signals, then the shop's, each with its numbers, explanation and the cases "
    f"and orders behind it. {AGENTS_ONLY} A party never sees what is suspected of the other.",
)
def dispute_signals(dispute_id: DisputeId, rt: RuntimeDep, who: ActorDep) -> DisputeSignalsOut:
    with rt.uow() as ctx:
        abuse.check_reader(who)
        dispute = ctx.session.get(Dispute, dispute_id)
        if dispute is None:
            raise NotFound("dispute_not_found", "No such dispute.", dispute_id=dispute_id)
        found = abuse.signals_for_dispute(ctx, dispute_id, who)
        return DisputeSignalsOut(
            subject="dispute",
            subject_id=str(dispute.id),
            as_of=_as_of(ctx),
            signals=[signal_out(s) for s in found],
            dispute_id=dispute.id,
            case_id=dispute.case_id,
            buyer_id=dispute.buyer_id,
            shop_id=dispute.shop_id,
            buyer_abuse_mark=mark_out(standing) if (standing := abuse.standing_mark(ctx, dispute.buyer_id)) else None,
        )


@router.get(
    "/buyers/{buyer_id}/signals",
    response_model=BuyerSignalsOut,
    responses=ERRORS,
    summary="买家滥用信号 · A buyer's abuse signals and marks (agents)",
    description=f"Frequent refund-only requests, reason switching after refusals, counterfeit claims without "
    f"proof, claims right after delivery at many shops — over the policy window. {AGENTS_ONLY}",
)
def buyer_signals(buyer_id: BuyerId, rt: RuntimeDep, who: ActorDep) -> BuyerSignalsOut:
    with rt.uow() as ctx:
        found = abuse.signals_for_buyer(ctx, buyer_id, who)
        return BuyerSignalsOut(
            subject="buyer",
            subject_id=buyer_id,
            as_of=_as_of(ctx),
            signals=[signal_out(s) for s in found],
            abuse_marks=[mark_out(m) for m in abuse.marks_of(ctx, buyer_id)],
        )


@router.get(
    "/shops/{shop_id}/signals",
    response_model=SignalsOut,
    responses=ERRORS,
    summary="店铺滥用信号 · A shop's abuse signals (agents)",
    description=f"Fake shipping (parcels without courier events) and late shipments over the policy window. "
    f"{AGENTS_ONLY}",
)
def shop_signals(shop_id: ShopId, rt: RuntimeDep, who: ActorDep) -> SignalsOut:
    with rt.uow() as ctx:
        found = abuse.signals_for_shop(ctx, shop_id, who)
        return SignalsOut(subject="shop", subject_id=shop_id, as_of=_as_of(ctx), signals=[signal_out(s) for s in found])


@router.post(
    "/buyers/{buyer_id}/abuse-mark",
    response_model=AbuseMarkOut,
    status_code=201,
    responses=ERRORS,
    summary="云标签 · Mark a buyer's claims as abusive (agents)",
)
def mark_buyer(buyer_id: BuyerId, rt: RuntimeDep, who: ActorDep, body: Annotated[AbuseMarkIn, Body()]) -> AbuseMarkOut:
    """The buyer's existing claims in `scope`, and every claim the buyer opens while the mark
    stands, become abusive claims (恶意退款): their orders leave the shops' after-sale metrics, as
    with `POST /cases/{id}/mark-abusive`. One mark stands per buyer at a time (a second is a 409).
    The mark, who made it, when and why is recorded and chained into the audit log."""
    with rt.uow() as ctx:
        since: datetime | None = body.since
        mark = abuse.mark_buyer(
            ctx,
            buyer_id,
            who,
            reason=body.reason,
            scope=body.scope,
            since=since,
            case_ids=body.case_ids,
            shop_id=body.shop_id,
        )
        return mark_out(mark)


@router.post(
    "/buyers/{buyer_id}/abuse-mark/lift",
    response_model=AbuseMarkOut,
    responses=ERRORS,
    summary="撤销云标签 · Lift the mark on a buyer's claims (agents)",
)
def lift_buyer_mark(
    buyer_id: BuyerId, rt: RuntimeDep, who: ActorDep, body: Annotated[AbuseMarkLiftIn, Body()]
) -> AbuseMarkOut:
    """The claims the standing mark made abusive count in the shops' metrics again; claims an
    agent marked one by one stay marked. No standing mark is a 409."""
    with rt.uow() as ctx:
        return mark_out(abuse.lift_mark(ctx, buyer_id, who, reason=body.reason))
