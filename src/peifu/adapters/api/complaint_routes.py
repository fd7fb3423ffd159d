"""Rule complaints (规则投诉), penalty points and sanctions."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from peifu.adapters.api import presenters
from peifu.adapters.api import schemas as out
from peifu.adapters.api.routes import ERRORS
from peifu.adapters.http.deps import actor, runtime
from peifu.adapters.runtime import Runtime
from peifu.db.models import Complaint
from peifu.domain.actors import Actor
from peifu.services import complaints
from peifu.services.inputs import ComplaintDecisionIn, ComplaintIn, PenaltyAppealDecisionIn, PenaltyAppealIn

RuntimeDep = Annotated[Runtime, Depends(runtime)]
ActorDep = Annotated[Actor, Depends(actor)]

router = APIRouter(prefix="/api/v1", tags=["complaints"])


class ComplaintOut(BaseModel):
    id: int
    order_id: str
    case_id: int | None
    shop_id: str
    buyer_id: str
    complaint_type: str
    violation: str
    description: str
    policy_version: str
    status: str = Field(description="open → upheld | rejected | withdrawn; upheld → overturned on appeal")
    filed_at: out.Instant
    decided_by: str | None
    decided_at: out.Instant | None
    reasoning: str | None
    appeal_deadline: out.Instant | None
    appeal_reason: str | None
    appeal_decision: str | None


class PenaltyOut(BaseModel):
    complaint_id: int
    violation: str
    points: int
    policy_version: str
    at: out.Instant


class SanctionOut(BaseModel):
    sanction: str
    threshold: int
    points_at_trigger: int
    complaint_ids: list[int] = Field(description="The complaints whose points caused it")
    triggered_at: out.Instant


class ShopRecordOut(BaseModel):
    shop_id: str
    points: int = Field(description="Penalty points within the policy period")
    period_days: int
    penalties: list[PenaltyOut]
    sanctions: list[SanctionOut] = Field(description="Sanctions in force")


def complaint_out(c: Complaint) -> ComplaintOut:
    return ComplaintOut(
        id=c.id,
        order_id=c.order_id,
        case_id=c.case_id,
        shop_id=c.shop_id,
        buyer_id=c.buyer_id,
        complaint_type=c.complaint_type,
        violation=c.violation,
        description=c.description,
        policy_version=c.policy_version,
        status=c.status,
        filed_at=presenters.must(c.filed_at),
        decided_by=c.decided_by,
        decided_at=presenters.instant(c.decided_at),
        reasoning=c.reasoning,
        appeal_deadline=presenters.instant(c.appeal_deadline),
        appeal_reason=c.appeal_reason,
        appeal_decision=c.appeal_decision,
    )


@router.post(
    "/complaints",
    response_model=ComplaintOut,
    status_code=201,
    responses=ERRORS,
    summary="发起规则投诉 · File a rule complaint (one per order, goes straight to an agent)",
)
def file_complaint(body: ComplaintIn, rt: RuntimeDep, who: ActorDep) -> ComplaintOut:
    with rt.uow() as ctx:
        return complaint_out(complaints.file(ctx, who, body))


@router.get(
    "/complaints",
    response_model=list[ComplaintOut],
    responses=ERRORS,
    summary="投诉列表 · Complaints: agents see the queue, parties their own",
)
def list_complaints(
    rt: RuntimeDep,
    who: ActorDep,
    status: Annotated[str | None, Query(pattern="^(open|upheld|rejected|withdrawn|overturned)$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[ComplaintOut]:
    with rt.uow() as ctx:
        return [complaint_out(c) for c in complaints.listing(ctx, who, status=status, limit=limit)]


@router.get(
    "/complaints/{complaint_id}", response_model=ComplaintOut, responses=ERRORS, summary="投诉详情 · A complaint"
)
def get_complaint(complaint_id: int, rt: RuntimeDep, who: ActorDep) -> ComplaintOut:
    with rt.uow() as ctx:
        return complaint_out(complaints.get(ctx, complaint_id, who))


@router.post(
    "/complaints/{complaint_id}/withdraw",
    response_model=ComplaintOut,
    responses=ERRORS,
    summary="撤销投诉 · Withdraw (the order can never be complained about again)",
)
def withdraw(complaint_id: int, rt: RuntimeDep, who: ActorDep) -> ComplaintOut:
    with rt.uow() as ctx:
        return complaint_out(complaints.withdraw(ctx, complaint_id, who))


@router.post(
    "/complaints/{complaint_id}/decision",
    response_model=ComplaintOut,
    responses=ERRORS,
    summary="投诉判定 · An agent upholds (points, sanctions) or rejects",
)
def decide(complaint_id: int, body: ComplaintDecisionIn, rt: RuntimeDep, who: ActorDep) -> ComplaintOut:
    with rt.uow() as ctx:
        return complaint_out(complaints.decide(ctx, complaint_id, who, body))


@router.post(
    "/complaints/{complaint_id}/appeal",
    response_model=ComplaintOut,
    responses=ERRORS,
    summary="处罚申诉 · The seller appeals a penalty once",
)
def appeal(complaint_id: int, body: PenaltyAppealIn, rt: RuntimeDep, who: ActorDep) -> ComplaintOut:
    with rt.uow() as ctx:
        return complaint_out(complaints.appeal(ctx, complaint_id, who, body))


@router.post(
    "/complaints/{complaint_id}/appeal/decision",
    response_model=ComplaintOut,
    responses=ERRORS,
    summary="申诉复核 · A different agent upholds or overturns the penalty",
)
def decide_appeal(complaint_id: int, body: PenaltyAppealDecisionIn, rt: RuntimeDep, who: ActorDep) -> ComplaintOut:
    with rt.uow() as ctx:
        return complaint_out(complaints.decide_appeal(ctx, complaint_id, who, body))


@router.get(
    "/shops/{shop_id}/penalties",
    response_model=ShopRecordOut,
    responses=ERRORS,
    summary="扣分与处罚 · A shop's penalty points and the sanctions in force, with their complaints",
)
def shop_record(shop_id: str, rt: RuntimeDep, who: ActorDep) -> ShopRecordOut:
    with rt.uow() as ctx:
        rec = complaints.record(ctx, shop_id, who)
        return ShopRecordOut(
            shop_id=rec.shop_id,
            points=rec.points,
            period_days=rec.period_days,
            penalties=[
                PenaltyOut(
                    complaint_id=p.complaint_id,
                    violation=p.violation,
                    points=p.points,
                    policy_version=p.policy_version,
                    at=presenters.must(p.created_at),
                )
                for p in rec.penalties
            ],
            sanctions=[
                SanctionOut(
                    sanction=s.sanction,
                    threshold=s.threshold,
                    points_at_trigger=s.points_at_trigger,
                    complaint_ids=list(s.complaint_ids),
                    triggered_at=presenters.must(s.triggered_at),
                )
                for s in rec.sanctions
            ],
        )
