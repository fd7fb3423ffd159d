"""The REST API, version 1. Each endpoint is one unit of work through the services.

The hot endpoints (orders, cases and the case actions) are `async def` that run their unit of work
in a worker thread themselves: FastAPI runs a plain `def` endpoint in one thread and then checks its
answer against the response model in another, two thread hops per request where one does.
"""

# No `from __future__ import annotations` here: the per-action endpoints below are built in a
# loop and FastAPI must see their body types as real classes, not strings.

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query
from pydantic import BaseModel
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from peifu.adapters.api import presenters
from peifu.adapters.api import schemas as out
from peifu.adapters.http.deps import actor, require_platform, runtime
from peifu.adapters.runtime import Runtime
from peifu.domain.actors import Actor
from peifu.domain.clock import OffsetClock
from peifu.domain.errors import NotFound
from peifu.domain.vocabulary import CaseAction, CaseState
from peifu.services import cases as case_service
from peifu.services import orders as order_service
from peifu.services import privacy, sandbox
from peifu.services.deadlines import run_due
from peifu.services.inputs import (
    ID_PATTERN,
    AgreeIn,
    CaseIn,
    ClockAdvanceIn,
    ModifyIn,
    NoteIn,
    OrderEventIn,
    OrderIn,
    ProposeIn,
    RefuseIn,
    RejectReturnIn,
    ShipmentIn,
    SignedIn,
)
from peifu.services.payouts import dispatch_due

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": out.ErrorOut, "description": text}
    for code, text in {
        400: "Malformed JSON",
        403: "This party may not take this action",
        404: "No such object (or not yours)",
        409: "Not allowed in the object's current state",
        422: "Invalid input or not eligible under the policy",
    }.items()
}

RuntimeDep = Annotated[Runtime, Depends(runtime)]
ActorDep = Annotated[Actor, Depends(actor)]
MAX_ID = 2**31 - 1  # case ids are 32-bit integers in the database; larger ones are bad input, not a crash
CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="The case number.")]
OrderId = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN, description="The order number.")]
IdQuery = Annotated[str | None, Query(min_length=1, max_length=64, pattern=ID_PATTERN)]

router = APIRouter(prefix="/api/v1")


# --- orders ---------------------------------------------------------------------------------------


@router.post(
    "/orders",
    status_code=201,
    response_model=out.OrderOut,
    responses=ERRORS,
    tags=["orders"],
    summary="接收订单 · Ingest an order from the marketplace",
)
async def create_order(body: OrderIn, rt: RuntimeDep, who: ActorDep) -> out.OrderOut:
    """The marketplace reports a checkout. The order starts `awaiting_payment`; send events to move it."""
    require_platform(who)
    return await run_in_threadpool(_create_order, rt, body)


def _create_order(rt: Runtime, body: OrderIn) -> out.OrderOut:
    with rt.uow() as ctx:
        return presenters.order_out(order_service.ingest_order(ctx, body))


@router.get(
    "/orders/{order_id}",
    response_model=out.OrderOut,
    responses=ERRORS,
    tags=["orders"],
    summary="查看订单 · Get an order",
)
async def get_order(order_id: OrderId, rt: RuntimeDep, who: ActorDep) -> out.OrderOut:
    return await run_in_threadpool(_get_order, rt, order_id, who)


def _get_order(rt: Runtime, order_id: str, who: Actor) -> out.OrderOut:
    with rt.uow() as ctx:
        order = order_service.get_order(ctx, order_id, who)
        return presenters.order_out(order, reveal_personal_data=privacy.may_see_personal_data(ctx, who, order))


@router.post(
    "/orders/{order_id}/events",
    response_model=out.OrderOut,
    responses=ERRORS,
    tags=["orders"],
    summary="订单事件 · Record an order event (paid, shipped, signed, refused_delivery, confirmed, closed)",
)
async def post_order_event(order_id: OrderId, body: OrderEventIn, rt: RuntimeDep, who: ActorDep) -> out.OrderOut:
    """`paid` sets the ship deadline; `shipped` starts the auto-confirm timer; `signed` starts the
    seven-day no-reason window; `confirmed` completes the trade and opens the post-trade window."""
    require_platform(who)
    return await run_in_threadpool(_post_order_event, rt, order_id, body)


def _post_order_event(rt: Runtime, order_id: str, body: OrderEventIn) -> out.OrderOut:
    with rt.uow() as ctx:
        return presenters.order_out(order_service.record_event(ctx, order_id, body))


# --- cases ----------------------------------------------------------------------------------------


@router.post(
    "/cases",
    status_code=201,
    response_model=out.CaseOut,
    responses=ERRORS,
    tags=["cases"],
    summary="申请售后 · Open an after-sale request",
)
async def create_case(body: CaseIn, rt: RuntimeDep, who: ActorDep) -> out.CaseOut:
    """The buyer asks for a refund, return, exchange, repair, reship or partial refund on some
    lines. Eligibility (order state, windows, refundable amount) is checked; an ineligible request
    is answered 422 with a code and changes nothing."""
    return await run_in_threadpool(_create_case, rt, body, who)


def _create_case(rt: Runtime, body: CaseIn, who: Actor) -> out.CaseOut:
    with rt.uow() as ctx:
        case = case_service.open_case(ctx, body, who)
        return presenters.case_out(ctx.session, case, ctx.policies.get(ctx.session, case.policy_version), ctx.now())


@router.get(
    "/cases",
    response_model=list[out.CaseSummary],
    responses=ERRORS,
    tags=["cases"],
    summary="售后列表 · List cases (a party sees only its own)",
)
def list_cases(
    rt: RuntimeDep,
    who: ActorDep,
    state: CaseState | None = None,
    shop_id: IdQuery = None,
    buyer_id: IdQuery = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    before_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Page backwards from this case id.")] = None,
) -> list[out.CaseSummary]:
    with rt.uow() as ctx:
        rows = case_service.list_cases(
            ctx.session, actor=who, state=state, shop_id=shop_id, buyer_id=buyer_id, limit=limit, after_id=before_id
        )
        return [presenters.case_summary(ctx.session, c) for c in rows]


@router.get(
    "/cases/{case_id}",
    response_model=out.CaseOut,
    responses=ERRORS,
    tags=["cases"],
    summary="售后详情 · Get a case with its timeline, deadlines and allowed actions",
)
async def get_case(case_id: CaseId, rt: RuntimeDep, who: ActorDep) -> out.CaseOut:
    return await run_in_threadpool(_get_case, rt, case_id, who)


def _get_case(rt: Runtime, case_id: int, who: Actor) -> out.CaseOut:
    with rt.uow() as ctx:
        case = case_service.get_case(ctx, case_id, who)
        return presenters.case_out(ctx.session, case, ctx.policies.get(ctx.session, case.policy_version), ctx.now())


ACTIONS: list[tuple[CaseAction, type[BaseModel], bool, str, str]] = [
    (
        CaseAction.agree,
        AgreeIn,
        False,
        "卖家同意 · Seller agrees",
        "Refund-only and partial refunds are executed at once; returns wait for the buyer's parcel. With "
        "`confirm_return_on_sign` a return is confirmed (and refunded) as soon as the courier reports it signed.",
    ),
    (
        CaseAction.refuse,
        RefuseIn,
        True,
        "卖家拒绝 · Seller refuses (with a reason)",
        "The buyer may then modify, escalate at once, or withdraw.",
    ),
    (
        CaseAction.propose,
        ProposeIn,
        True,
        "卖家提出方案 · Seller proposes another amount or type",
        "The proposal must itself be eligible; the buyer accepts, modifies or escalates.",
    ),
    (
        CaseAction.accept_proposal,
        NoteIn,
        False,
        "买家接受方案 · Buyer accepts the seller's proposal",
        "Accepting is the seller's agreement on the proposed terms.",
    ),
    (
        CaseAction.modify,
        ModifyIn,
        True,
        "买家修改申请 · Buyer modifies reason, amount or type",
        "The seller's response clock restarts.",
    ),
    (CaseAction.withdraw, NoteIn, False, "买家撤销 · Buyer withdraws", "The request ends; nothing is refunded."),
    (
        CaseAction.ship_return,
        ShipmentIn,
        True,
        "买家退货 · Buyer ships the return",
        "Starts the seller's confirm-receipt clock (auto-refund when it runs out).",
    ),
    (
        CaseAction.return_signed,
        SignedIn,
        False,
        "退货签收 · Courier reports the return as signed",
        "The seller's confirm clock becomes the earlier of the two policy clocks.",
    ),
    (
        CaseAction.escalate,
        NoteIn,
        False,
        "申请小二介入 · Escalate to the platform",
        "Allowed right after a refusal, or once the request has been open for the policy's wait.",
    ),
    (
        CaseAction.confirm_return,
        NoteIn,
        False,
        "卖家确认收货 · Seller confirms the return arrived",
        "Return-and-refund cases are refunded at once; exchanges and repairs wait for the seller to ship.",
    ),
    (
        CaseAction.reject_return,
        RejectReturnIn,
        True,
        "卖家拒绝收货 · Seller rejects the returned goods",
        "The buyer may escalate or withdraw.",
    ),
    (
        CaseAction.ship_replacement,
        ShipmentIn,
        True,
        "卖家发出换货/维修/补发 · Seller ships the replacement",
        "Starts the buyer's confirm clock.",
    ),
    (
        CaseAction.advance_compensation,
        NoteIn,
        False,
        "先行赔付 · The platform pays the buyer first (agents)",
        "For courier loss, missing or wrong items: the platform refunds the buyer from its compensation fund "
        "at once and recovers the amount from the seller's deposit; a shortfall becomes the seller's debt.",
    ),
    (
        CaseAction.confirm_replacement,
        NoteIn,
        False,
        "买家确认收到 · Buyer confirms the replacement",
        "The case is resolved.",
    ),
]


def _action_endpoint(
    action: CaseAction, model: type[BaseModel], required: bool
) -> Callable[..., Coroutine[Any, Any, out.CaseOut]]:
    if required:

        async def endpoint(case_id: CaseId, body: model, rt: RuntimeDep, who: ActorDep) -> out.CaseOut:  # type: ignore[valid-type]
            return await run_in_threadpool(_act, rt, case_id, action, who, body)

    else:

        async def endpoint(  # type: ignore[misc]
            case_id: CaseId,
            rt: RuntimeDep,
            who: ActorDep,
            body: Annotated[model | None, Body()] = None,  # type: ignore[valid-type]
        ) -> out.CaseOut:
            return await run_in_threadpool(_act, rt, case_id, action, who, body)

    endpoint.__name__ = f"case_{action}"
    return endpoint


def _act(rt: Runtime, case_id: int, action: CaseAction, who: Actor, body: BaseModel | None) -> out.CaseOut:
    with rt.uow() as ctx:
        case = case_service.act(ctx, case_id, action, who, body)
        return presenters.case_out(ctx.session, case, ctx.policies.get(ctx.session, case.policy_version), ctx.now())


for _action, _model, _required, _summary, _doc in ACTIONS:
    router.add_api_route(
        f"/cases/{{case_id}}/{_action.replace('_', '-')}",
        _action_endpoint(_action, _model, _required),
        methods=["POST"],
        response_model=out.CaseOut,
        responses=ERRORS,
        tags=["case actions"],
        summary=_summary,
        description=_doc,
    )


# --- policy, sandbox, health ----------------------------------------------------------------------


@router.get(
    "/sandbox/clock",
    response_model=out.ClockOut,
    responses=ERRORS,
    tags=["sandbox"],
    summary="测试时钟 · Read the sandbox clock",
)
def read_clock(rt: RuntimeDep, who: ActorDep) -> out.ClockOut:
    _require_sandbox(rt)
    require_platform(who)
    with rt.uow() as ctx:
        offset = sandbox.load_offset(ctx.session)
        return out.ClockOut(now=presenters.must(ctx.now()), offset_seconds=int(offset.total_seconds()))


@router.post(
    "/sandbox/clock",
    response_model=out.ClockOut,
    responses=ERRORS,
    tags=["sandbox"],
    summary="推进测试时钟 · Move the sandbox clock forward",
)
def move_clock(body: ClockAdvanceIn, rt: RuntimeDep, who: ActorDep) -> out.ClockOut:
    """Only with `PEIFU_SANDBOX=1`. Moves "now" forward for every process sharing the database,
    then (by default) fires every deadline that became due, so the effects are visible at once."""
    _require_sandbox(rt)
    require_platform(who)
    assert isinstance(rt.clock, OffsetClock)
    with rt.uow() as ctx:
        now = sandbox.move(ctx.session, rt.clock, advance_seconds=body.advance_seconds, set_to=body.set_to)
        offset = int(rt.clock.offset.total_seconds())
    fired = 0
    if body.fire_due:
        while True:
            report = run_due(rt, owner="sandbox-clock", batch=500)
            paid = dispatch_due(rt, rt.gateway, owner="sandbox-clock", batch=500)
            fired += report.fired
            if report.fired + report.skipped + report.failed + paid.sent == 0:
                break
    return out.ClockOut(now=presenters.must(now), offset_seconds=offset, fired=fired)


def _require_sandbox(rt: Runtime) -> None:
    if not rt.settings.sandbox:
        raise NotFound("sandbox_disabled", "The sandbox clock exists only when PEIFU_SANDBOX=1.")


health_router = APIRouter()


@health_router.get("/healthz", response_model=out.HealthOut, tags=["meta"], summary="健康检查 · Health")
def health(rt: RuntimeDep) -> out.HealthOut:
    with rt.uow() as ctx:
        ctx.session.execute(text("SELECT 1"))
    return out.HealthOut(status="ok", database=rt.engine.dialect.name, policy_version=rt.policies.current.version)
