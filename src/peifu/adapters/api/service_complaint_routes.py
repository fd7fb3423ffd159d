"""Service complaints (售后投诉, seed 003 卖家售后投诉处理制度) and the shops' complaint statistics."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from peifu.adapters.api import presenters
from peifu.adapters.api import schemas as out
from peifu.adapters.api.routes import ERRORS
from peifu.adapters.http.deps import actor, runtime
from peifu.adapters.runtime import Runtime
from peifu.db.models import ServiceComplaint
from peifu.domain import service_complaints as rules
from peifu.domain.actors import Actor
from peifu.services import service_complaints
from peifu.services.context import Ctx
from peifu.services.inputs import ServiceComplaintActIn, ServiceComplaintIn

RuntimeDep = Annotated[Runtime, Depends(runtime)]
ActorDep = Annotated[Actor, Depends(actor)]

router = APIRouter(prefix="/api/v1", tags=["service complaints"])


class ComplaintDeadlineOut(BaseModel):
    kind: str = Field(description="svc_platform_answer, svc_forward, svc_shop_contact, svc_shop_remedy, …")
    due: out.Instant
    working_days_left: int = Field(description="Whole China working days (调休 counted) between now and the due day")


class EntryOut(BaseModel):
    seq: int
    at: out.Instant
    actor_role: str
    actor_id: str | None
    action: str
    from_state: str | None
    to_state: str
    data: dict[str, object]


class MissOut(BaseModel):
    step: str = Field(description="answer | forward (the platform's) · contact | remedy | carry_out (the shop's)")
    party: str
    due: out.Instant
    missed: out.Instant


class ServiceComplaintOut(BaseModel):
    id: int
    shop_id: str
    buyer_id: str
    order_id: str | None
    case_id: int | None
    channel: str = Field(description="phone | email | online | chat | social_media")
    entered_by: str | None = Field(description="The agent who entered it for the buyer")
    description: str
    category: str | None
    suggested_category: str | None = Field(description="What the triage suggested from the text")
    state: str
    policy_version: str
    filed: out.Instant
    forwarded: out.Instant | None
    contacted: out.Instant | None
    remedy: str | None
    promised_by: out.Instant | None
    result: str | None
    escalated: out.Instant | None
    closed: out.Instant | None
    rating: int | None
    rating_comment: str | None
    deadline: ComplaintDeadlineOut | None = Field(description="What the complaint waits on now; it acts by itself")
    allowed_actions: dict[str, list[str]] = Field(description="role → the moves the table allows now")


class ServiceComplaintDetailOut(ServiceComplaintOut):
    timeline: list[EntryOut]
    misses: list[MissOut]


class StepStatOut(BaseModel):
    step: str
    party: str
    in_time: int
    missed: int
    share_in_time: float | None


class ServiceSanctionOut(BaseModel):
    sanction: str
    misses_threshold: int
    misses_at_trigger: int
    complaint_ids: list[int]
    triggered_at: out.Instant


class ShopComplaintStatsOut(BaseModel):
    shop_id: str
    window_days: int
    complaints: int
    orders: int = Field(description="Paid orders of the shop in the window")
    per_1000_orders: float | None
    steps: list[StepStatOut]
    rated: int
    satisfaction_avg: float | None
    satisfied_share: float | None = Field(description="Share of ratings of 4 or 5")
    shop_misses_in_period: int
    period_days: int
    sanctions: list[ServiceSanctionOut] = Field(description="Sanctions in force for missed steps (seed 003 6.1)")


def complaint_out(ctx: Ctx, c: ServiceComplaint) -> ServiceComplaintOut:
    policy = service_complaints.policy_of(ctx, c)
    due = service_complaints.deadline_of(c, policy)
    deadline = None
    if due is not None:
        left = policy.working_calendar.working_days_between(ctx.now(), due[1])
        deadline = ComplaintDeadlineOut(kind=str(due[0]), due=presenters.must(due[1]), working_days_left=left)
    allowed = rules.allowed_actions(rules.State(c.state))
    return ServiceComplaintOut(
        id=c.id,
        shop_id=c.shop_id,
        buyer_id=c.buyer_id,
        order_id=c.order_id,
        case_id=c.case_id,
        channel=c.channel,
        entered_by=c.entered_by,
        description=c.description,
        category=c.category,
        suggested_category=c.suggested_category,
        state=c.state,
        policy_version=c.policy_version,
        filed=presenters.must(c.filed_at),
        forwarded=presenters.instant(c.forwarded_at),
        contacted=presenters.instant(c.contacted_at),
        remedy=c.remedy,
        promised_by=presenters.instant(c.promised_by),
        result=c.result,
        escalated=presenters.instant(c.escalated_at),
        closed=presenters.instant(c.closed_at),
        rating=c.rating,
        rating_comment=c.rating_comment,
        deadline=deadline,
        allowed_actions={str(role): [str(a) for a in acts] for role, acts in allowed.items()},
    )


def detail_out(ctx: Ctx, c: ServiceComplaint) -> ServiceComplaintDetailOut:
    base = complaint_out(ctx, c)
    return ServiceComplaintDetailOut(
        **base.model_dump(),
        timeline=[
            EntryOut(
                seq=e.seq,
                at=presenters.must(e.at),
                actor_role=e.actor_role,
                actor_id=e.actor_id,
                action=e.action,
                from_state=e.from_state,
                to_state=e.to_state,
                data=dict(e.data or {}),
            )
            for e in service_complaints.timeline(ctx, c)
        ],
        misses=[
            MissOut(step=m.step, party=m.party, due=presenters.must(m.due_at), missed=presenters.must(m.missed_at))
            for m in service_complaints.misses_of(ctx, c)
        ],
    )


@router.post(
    "/service-complaints",
    response_model=ServiceComplaintDetailOut,
    status_code=201,
    responses=ERRORS,
    summary="提交售后投诉 · File a service complaint (buyer), or enter one taken by phone (agent)",
)
def file_service_complaint(body: ServiceComplaintIn, rt: RuntimeDep, who: ActorDep) -> ServiceComplaintDetailOut:
    with rt.uow() as ctx:
        return detail_out(ctx, service_complaints.file(ctx, who, body))


@router.get(
    "/service-complaints",
    response_model=list[ServiceComplaintOut],
    responses=ERRORS,
    summary="售后投诉列表 · Service complaints: the buyer's own, the shop's forwarded ones, all for agents",
)
def list_service_complaints(
    rt: RuntimeDep,
    who: ActorDep,
    state: Annotated[str | None, Query(max_length=24)] = None,
    shop_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[ServiceComplaintOut]:
    with rt.uow() as ctx:
        rows = service_complaints.listing(ctx, who, state=state, shop_id=shop_id, limit=limit)
        return [complaint_out(ctx, c) for c in rows]


@router.get(
    "/service-complaints/{complaint_id}",
    response_model=ServiceComplaintDetailOut,
    responses=ERRORS,
    summary="售后投诉详情 · A service complaint with its timeline and missed steps",
)
def get_service_complaint(complaint_id: int, rt: RuntimeDep, who: ActorDep) -> ServiceComplaintDetailOut:
    with rt.uow() as ctx:
        return detail_out(ctx, service_complaints.get(ctx, complaint_id, who))


@router.post(
    "/service-complaints/{complaint_id}/actions",
    response_model=ServiceComplaintDetailOut,
    responses=ERRORS,
    summary="处理售后投诉 · One move: register, forward, contact, propose_remedy, report_done, resolve, rate…",
)
def act_on_service_complaint(
    complaint_id: int, body: ServiceComplaintActIn, rt: RuntimeDep, who: ActorDep
) -> ServiceComplaintDetailOut:
    with rt.uow() as ctx:
        return detail_out(ctx, service_complaints.act(ctx, complaint_id, who, body))


@router.get(
    "/shops/{shop_id}/service-complaint-stats",
    response_model=ShopComplaintStatsOut,
    responses=ERRORS,
    summary="售后投诉统计 · A shop's complaints per 1,000 orders, steps done in time, satisfaction (5.2–5.3)",
)
def shop_complaint_stats(shop_id: str, rt: RuntimeDep, who: ActorDep) -> ShopComplaintStatsOut:
    with rt.uow() as ctx:
        return stats_out(service_complaints.shop_stats(ctx, shop_id, who))


def stats_out(s: service_complaints.ShopStats) -> ShopComplaintStatsOut:
    """The statistics as answered here and inside a shop's metrics (`GET /shops/{id}/metrics`)."""
    return ShopComplaintStatsOut(
        shop_id=s.shop_id,
        window_days=s.window_days,
        complaints=s.complaints,
        orders=s.orders,
        per_1000_orders=s.per_1000_orders,
        steps=[
            StepStatOut(step=x.step, party=x.party, in_time=x.in_time, missed=x.missed, share_in_time=x.share_in_time)
            for x in s.steps
        ],
        rated=s.rated,
        satisfaction_avg=s.satisfaction_avg,
        satisfied_share=s.satisfied_share,
        shop_misses_in_period=s.shop_misses_in_period,
        period_days=s.period_days,
        sanctions=[
            ServiceSanctionOut(
                sanction=r.sanction,
                misses_threshold=r.threshold,
                misses_at_trigger=r.points_at_trigger,
                complaint_ids=list(r.complaint_ids or []),
                triggered_at=presenters.must(r.triggered_at),
            )
            for r in s.sanctions
        ],
    )
