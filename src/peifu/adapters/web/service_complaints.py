"""售后投诉 pages (seed 003 卖家售后投诉处理制度) in the three consoles.

The buyer files a complaint and follows it (rates it, or withdraws); the shop sees the complaints
forwarded to it with the working days left at each step and answers (contact, remedy, result),
with its statistics; an agent enters complaints taken by phone, classifies, forwards and settles
the ones a shop let slip. Every button calls services.service_complaints, as the API does.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from peifu.adapters.web.pages import PageActor, RuntimeDep, form_int, form_model, go_to, refused_action, render
from peifu.domain import service_complaints as rules
from peifu.domain.actors import Actor
from peifu.domain.errors import DomainError, Forbidden, Invalid, NotFound
from peifu.domain.vocabulary import Role
from peifu.services import reads, service_complaints
from peifu.services.context import Ctx
from peifu.services.inputs import ServiceComplaintActIn, ServiceComplaintIn

router = APIRouter(include_in_schema=False)

CONSOLES = {"buyer": Role.buyer, "seller": Role.seller, "agent": Role.agent}


def _console_role(console: str, who: Actor) -> Role:
    role = CONSOLES.get(console)
    if role is None:
        raise NotFound("page_not_found", "No such page.")
    if who.role is not role:
        raise Forbidden("actor_not_allowed", "This page is for another kind of user.")
    return role


def _rows(ctx: Ctx, who: Actor, role: Role, state: str | None) -> list[reads.ServiceComplaintRow]:
    return reads.service_complaint_queue(ctx, who, role, state)


def _page(request: Request, rt: Any, who: Actor, console: str, state: str = "", error: Any = None) -> HTMLResponse:
    role = _console_role(console, who)
    with rt.uow() as ctx:
        policy = ctx.policies.current
        rows = _rows(ctx, who, role, state if state in rules.State.__members__ else None)
        orders: list[str] = []
        if role is Role.buyer:
            orders = reads.buyer_order_ids(ctx.session, str(who.id))
        stats = service_complaints.shop_stats(ctx, str(who.id), who) if role is Role.seller else None
        return render(
            request,
            "service_complaints/index.html",
            who,
            console=console,
            rows=rows,
            orders=orders,
            stats=stats,
            state=state,
            states=[str(s) for s in rules.State],
            channels=list(policy.service_complaints.channels.value),
            categories=list(policy.service_complaints.categories.value),
            error=error,
        )


def _refused(request: Request, rt: Any, who: Actor, console: str, exc: DomainError) -> Response:
    def otherwise(_: DomainError) -> Response:
        response = render(request, "partials/error.html", who, code=exc.code, message=str(exc))
        response.status_code = status
        return response

    status = (
        403
        if isinstance(exc, Forbidden)
        else 404
        if isinstance(exc, NotFound)
        else 422
        if isinstance(exc, Invalid)
        else 409
    )
    return refused_action(
        request, exc, again=lambda: _page(request, rt, who, console, error=exc), otherwise=otherwise, status=status
    )


@router.get("/{console}/service-complaints", response_class=HTMLResponse)
def console_page(console: str, request: Request, rt: RuntimeDep, who: PageActor, state: str = "") -> Response:
    try:
        return _page(request, rt, who, console, state)
    except DomainError as exc:
        return _refused(request, rt, who, "buyer" if who.role is Role.buyer else console, exc)


@router.post("/{console}/service-complaints")
def file_complaint(
    console: str,
    request: Request,
    rt: RuntimeDep,
    who: PageActor,
    description: Annotated[str, Form(max_length=2000)] = "",
    channel: Annotated[str, Form(max_length=16)] = "online",
    order_id: Annotated[str, Form(max_length=64)] = "",
    shop_id: Annotated[str, Form(max_length=64)] = "",
    buyer_id: Annotated[str, Form(max_length=64)] = "",
    category: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    try:
        role = _console_role(console, who)
        if role is Role.seller:
            raise Forbidden("actor_not_allowed", "Service complaints are filed by buyers, or entered by agents.")
        data: dict[str, Any] = {"description": description, "channel": channel}
        for key, value in (
            ("order_id", order_id),
            ("shop_id", shop_id),
            ("buyer_id", buyer_id),
            ("category", category),
        ):
            if value.strip():
                data[key] = value.strip()
        body = form_model(ServiceComplaintIn, data)
        with rt.uow() as ctx:
            complaint = service_complaints.file(ctx, who, body)
            cid = complaint.id
    except DomainError as exc:
        return _refused(request, rt, who, console, exc)
    return go_to(request, f"/{console}/service-complaints#svc-{cid}")


@router.post("/{console}/service-complaints/{complaint_id}/act")
def act(
    console: str,
    complaint_id: int,
    request: Request,
    rt: RuntimeDep,
    who: PageActor,
    action: Annotated[str, Form(max_length=32)] = "",
    category: Annotated[str, Form(max_length=32)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    remedy: Annotated[str, Form(max_length=2000)] = "",
    promised_by: Annotated[str, Form(max_length=40)] = "",
    result: Annotated[str, Form(max_length=2000)] = "",
    rating: Annotated[str, Form(max_length=4)] = "",
    comment: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    try:
        _console_role(console, who)
        data: dict[str, Any] = {"action": action}
        fields = (
            ("category", category),
            ("note", note),
            ("remedy", remedy),
            ("result", result),
            ("comment", comment),
        )
        for key, value in fields:
            if value.strip():
                data[key] = value.strip()
        if promised_by.strip():
            # <input type="datetime-local"> is Shanghai wall time without a zone
            text = promised_by.strip()
            data["promised_by"] = text if ("+" in text[10:] or text.endswith("Z")) else f"{text}+08:00"
        if rating.strip():
            data["rating"] = form_int(rating)
        body = form_model(ServiceComplaintActIn, data)
        with rt.uow() as ctx:
            service_complaints.act(ctx, complaint_id, who, body)
    except DomainError as exc:
        return _refused(request, rt, who, console, exc)
    return go_to(request, f"/{console}/service-complaints#svc-{complaint_id}")
