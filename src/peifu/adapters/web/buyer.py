"""The buyer console (买家售后中心): my orders, opening a request, the case with a live countdown to
every deadline, the buyer's moves, evidence, rule complaints and the satisfaction rating.

Only buyers use these pages, and a buyer only ever sees their own orders and cases: the services'
object-level checks (`services.access`) answer a stranger's order or case with the same 404 as a
missing one. Every button calls the same service as the API (`services.cases.act`,
`services.cases.open_case`, `services.complaints.file`, `services.ratings.rate`, ...), so a refusal
shows the same code and sentence the API gives.

Forms post with htmx when it is there: case actions answer with the case section re-rendered
(`#case`), refusals with a banner swapped into `#flash`, and a new request with an HX-Redirect to
its case. Without JavaScript they are plain forms (errors re-render the page with the banner,
success is a 303).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.datastructures import UploadFile

from peifu.adapters.http.errors import STATUS_BY_KIND
from peifu.adapters.http.headers import file_headers
from peifu.adapters.web import error_text, i18n
from peifu.adapters.web.labels import label
from peifu.adapters.web.pages import (
    PageActor,
    RuntimeDep,
    evidence_kind_for,
    form_int,
    form_model,
    go_to,
    is_htmx,
    refused_action,
    render,
)
from peifu.domain import complaints as complaint_rules
from peifu.domain import dispute_machine
from peifu.domain.actors import Actor
from peifu.domain.errors import DomainError, Forbidden, Invalid, NotFound, TooLarge
from peifu.domain.intervention import EVIDENCE_LIMITS, EvidenceKind, Outcome, loser_of
from peifu.domain.money import parse_yuan
from peifu.domain.ratings import MAX_COMMENT, MAX_SCORE, MIN_SCORE
from peifu.domain.vocabulary import CaseAction, CaseState, CaseType, DisputeAction, Reason, Role
from peifu.services import attachments, complaints, disputes, feed, ratings, reads
from peifu.services import cases as case_service
from peifu.services import orders as order_service
from peifu.services.context import Ctx
from peifu.services.inputs import AppealIn, CaseIn, ComplaintIn, ModifyIn, NoteIn, ShipmentIn

router = APIRouter(include_in_schema=False)

MAX_UPLOAD = max(limit for _, limit in EVIDENCE_LIMITS.values())
MAX_PHOTOS = attachments.MAX_PER_CASE

# What the buyer can do on a case page, and how each form becomes the action's body.
BUYER_ACTIONS = (
    CaseAction.accept_proposal,
    CaseAction.modify,
    CaseAction.ship_return,
    CaseAction.confirm_replacement,
    CaseAction.escalate,
    CaseAction.withdraw,
)


# --- shared helpers -----------------------------------------------------------------------------------


def require_buyer(who: Actor) -> None:
    if who.role is not Role.buyer:
        raise Forbidden("actor_not_allowed", "The buyer console is for buyers.")


def _status(exc: DomainError) -> int:
    return STATUS_BY_KIND.get(exc.kind, 422)


def refused_page(request: Request, who: Actor, exc: DomainError) -> HTMLResponse:
    response = render(request, "buyer/refused.html", who, code=exc.code, message=error_text.message_for(exc))
    response.status_code = _status(exc)
    return response


async def _read_files(request: Request, field: str) -> tuple[Any, list[tuple[bytes, str | None, str | None]]]:
    """The submitted form and its non-empty files under `field`, each at most the largest evidence size."""
    form = await request.form(max_part_size=1024 * 1024)
    files: list[tuple[bytes, str | None, str | None]] = []
    for item in form.getlist(field):
        if not isinstance(item, UploadFile) or not item.filename:
            continue
        content = await item.read(MAX_UPLOAD + 1)
        if len(content) > MAX_UPLOAD:
            raise TooLarge("evidence_too_large", f"Files may be at most {MAX_UPLOAD // (1024 * 1024)} MB.")
        if content:
            files.append((content, item.content_type, item.filename))
    return form, files


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


# --- my orders ----------------------------------------------------------------------------------------


@router.get("/buyer", response_class=HTMLResponse)
def my_orders(request: Request, rt: RuntimeDep, who: PageActor) -> Response:
    try:
        require_buyer(who)
        with rt.uow() as ctx:
            rows = reads.buyer_orders(ctx, who)
            return render(
                request,
                "buyer/orders.html",
                who,
                rows=rows,
                reminders=feed.reminders(ctx, who),
                case_link="/buyer/cases/",
            )
    except DomainError as exc:
        return refused_page(request, who, exc)


# --- one order: open a request, file a complaint ------------------------------------------------------


def order_context(ctx: Ctx, who: Actor, order_id: str, **extra: Any) -> dict[str, Any]:
    order = order_service.get_order(ctx, order_id, who)
    view = order_service.order_view(ctx.session, order)
    lines = [
        {
            "line": line,
            "refundable_fen": view.line(line.line_no).refundable_fen,
            "open": view.line(line.line_no).has_open_case,
        }
        for line in order.lines
    ]
    cases = reads.cases_of_order(ctx.session, order.id)
    complaint = reads.complaint_of_order(ctx.session, order.id)
    case_choice = extra.pop("case_choice", None)
    violations = list(complaint_rules.Violation)
    if case_choice is not None:  # from a case: the violations its reason offers come first
        chosen = next((c for c in cases if c.id == case_choice), None)
        offered = complaint_rules.CASE_REASONS_OFFERING.get(Reason(chosen.reason), frozenset()) if chosen else set()
        violations.sort(key=lambda v: v not in offered)
    return {
        "order": order,
        "shop": reads.shop_names(ctx.session, {order.shop_id}).get(order.shop_id, order.shop_id),
        "lines": lines,
        "cases": cases,
        "complaint": complaint,
        "case_types": list(CaseType),
        "reasons": list(Reason),
        "violations": violations,
        "case_choice": case_choice,
        "max_photos": MAX_PHOTOS,
        "error": None,
        "form": {},
        **extra,
    }


@router.get("/buyer/orders/{order_id}", response_class=HTMLResponse)
def order_page(order_id: str, request: Request, rt: RuntimeDep, who: PageActor, case_id: int | None = None) -> Response:
    try:
        require_buyer(who)
        with rt.uow() as ctx:
            return render(request, "buyer/order.html", who, **order_context(ctx, who, order_id, case_choice=case_id))
    except DomainError as exc:
        return refused_page(request, who, exc)


def _refused(request: Request, who: Actor, exc: DomainError) -> Response:
    """A refusal with no form page to show again: the buyer's refusal page."""
    page = lambda: refused_page(request, who, exc)  # noqa: E731
    return refused_action(request, exc, again=page, otherwise=lambda other: refused_page(request, who, other))


def _order_refused(
    request: Request, rt: Any, who: Actor, order_id: str, exc: DomainError, form: dict[str, str]
) -> Response:
    def again() -> Response:
        with rt.uow() as ctx:
            return render(request, "buyer/order.html", who, **order_context(ctx, who, order_id, error=exc, form=form))

    return refused_action(
        request, exc, again=again, otherwise=lambda other: refused_page(request, who, other), status=_status(exc)
    )


@router.post("/buyer/orders/{order_id}/request")
async def open_request(order_id: str, request: Request, rt: RuntimeDep, who: PageActor) -> Response:
    """申请售后: the request form (with up to nine photos), through `services.cases.open_case`."""
    fields: dict[str, str] = {}
    try:
        require_buyer(who)
        form, photos = await _read_files(request, "photos")
        fields = {k: _text(form, k) for k in ("case_type", "reason", "line_no", "amount", "description")}
        if len(photos) > MAX_PHOTOS:
            raise Invalid("too_many_attachments", f"A case takes at most {MAX_PHOTOS} files.", limit=MAX_PHOTOS)
        body: CaseIn = form_model(
            CaseIn,
            {
                "order_id": order_id,
                "case_type": fields["case_type"],
                "reason": fields["reason"],
                "description": fields["description"],
                "lines": [
                    {"line_no": form_int(fields["line_no"] or "1"), "refund_amount_fen": parse_yuan(fields["amount"])}
                ],
            },
        )
        with rt.uow() as ctx:
            case = case_service.open_case(ctx, body, who)
            for content, content_type, filename in photos:
                attachments.add(ctx, case.id, who, evidence_kind_for(content_type), content, content_type, filename)
            case_id = case.id
    except DomainError as exc:
        return _order_refused(request, rt, who, order_id, exc, fields)
    return go_to(request, f"/buyer/cases/{case_id}")


@router.post("/buyer/orders/{order_id}/complaint")
def file_complaint(
    order_id: str,
    request: Request,
    rt: RuntimeDep,
    who: PageActor,
    violation: Annotated[str, Form(max_length=64)] = "",
    description: Annotated[str, Form(max_length=5000)] = "",
    case_id: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    """规则投诉, from the order page or from a case (`case_id`), through `services.complaints.file`."""
    form = {"violation": violation, "complaint_description": description, "case_id": case_id}
    try:
        require_buyer(who)
        body: ComplaintIn = form_model(
            ComplaintIn,
            {
                "order_id": order_id,
                "violation": violation,
                "description": description,
                "case_id": int(case_id) if case_id.strip().isdigit() else None,
            },
        )
        with rt.uow() as ctx:
            complaints.file(ctx, who, body)
    except DomainError as exc:
        return _order_refused(request, rt, who, order_id, exc, form)
    return go_to(request, f"/buyer/orders/{order_id}#complaint")


@router.post("/buyer/complaints/{complaint_id}/withdraw")
def withdraw_complaint(complaint_id: int, request: Request, rt: RuntimeDep, who: PageActor) -> Response:
    try:
        require_buyer(who)
        with rt.uow() as ctx:
            complaint = complaints.withdraw(ctx, complaint_id, who)
            order_id = complaint.order_id
    except DomainError as exc:
        return _refused(request, who, exc)
    return go_to(request, f"/buyer/orders/{order_id}#complaint")


# --- the case page ------------------------------------------------------------------------------------


def case_context(ctx: Ctx, who: Actor, case_id: int, **extra: Any) -> dict[str, Any]:
    case = case_service.get_case(ctx, case_id, who)
    policy = ctx.policies.get(ctx.session, case.policy_version)
    view = reads.case_view(ctx.session, case, policy, ctx.now())
    dispute = disputes.for_case(ctx, case.id)
    evidence = disputes.visible_evidence(ctx, dispute, who) if dispute else []
    ruling = dispute.rulings[-1] if dispute and dispute.rulings else None
    appealable = (
        dispute is not None
        and dispute_machine.allows(dispute.status, DisputeAction.appeal)
        and ruling is not None
        and "buyer" in loser_of(Outcome(ruling.outcome))
        and (dispute.appeal_deadline is None or ctx.now() <= dispute.appeal_deadline)
    )
    complaint = reads.complaint_of_order(ctx.session, case.order_id)
    offered = complaint_rules.CASE_REASONS_OFFERING.get(Reason(case.reason), frozenset())
    state = CaseState(case.state)
    return {
        "case": case,
        "view": view,
        "state_final": state.is_final,
        "actions": [str(a) for a in BUYER_ACTIONS if str(a) in view.allowed_actions.get("buyer", [])],
        "dispute": dispute,
        "evidence": evidence,
        "ruling": ruling,
        "appealable": appealable,
        "attachments": attachments.for_case(ctx, case.id),
        "rating": ratings.for_case(ctx.session, case.id),
        "complaint": complaint,
        "complaint_offered": bool(offered) and complaint is None,
        "shop": reads.shop_names(ctx.session, {case.shop_id}).get(case.shop_id, case.shop_id),
        "reasons": list(Reason),
        "case_types": list(CaseType),
        "evidence_kinds": [
            EvidenceKind.image,
            EvidenceKind.video,
            EvidenceKind.chat_log,
            EvidenceKind.logistics,
            EvidenceKind.document,
        ],
        "score_range": range(MAX_SCORE, MIN_SCORE - 1, -1),
        "max_comment": MAX_COMMENT,
        "error": None,
        "notice": None,
        **extra,
    }


@router.get("/buyer/cases/{case_id}", response_class=HTMLResponse)
def case_page(case_id: int, request: Request, rt: RuntimeDep, who: PageActor) -> Response:
    try:
        require_buyer(who)
        with rt.uow() as ctx:
            return render(request, "buyer/case.html", who, **case_context(ctx, who, case_id))
    except DomainError as exc:
        return refused_page(request, who, exc)


def _case_answer(request: Request, rt: Any, who: Actor, case_id: int, notice: str) -> Response:
    """After a move: the case section again (htmx), or back to the case page."""
    if not is_htmx(request):
        return RedirectResponse(f"/buyer/cases/{case_id}", status_code=303)
    with rt.uow() as ctx:
        return render(request, "buyer/_case.html", who, **case_context(ctx, who, case_id, notice=notice, oob=True))


def _case_refused(request: Request, rt: Any, who: Actor, case_id: int, exc: DomainError) -> Response:
    def again() -> Response:
        with rt.uow() as ctx:
            return render(request, "buyer/case.html", who, **case_context(ctx, who, case_id, error=exc))

    return refused_action(
        request, exc, again=again, otherwise=lambda other: refused_page(request, who, other), status=_status(exc)
    )


def _action_body(action: CaseAction, form: dict[str, str]) -> BaseModel:
    builders: dict[CaseAction, Callable[[], BaseModel]] = {
        CaseAction.modify: lambda: form_model(
            ModifyIn,
            {
                "reason": form["reason"] or None,
                "case_type": form["case_type"] or None,
                "refund_amount_fen": parse_yuan(form["amount"]),
                "description": form["description"] or None,
            },
        ),
        CaseAction.ship_return: lambda: form_model(
            ShipmentIn,
            {
                "courier": form["courier"],
                "tracking_no": form["tracking_no"],
                "shipping_fee_fen": parse_yuan(form["shipping_fee"]) or 0,
            },
        ),
    }
    builder = builders.get(action)
    return builder() if builder else form_model(NoteIn, {"note": form["note"]})


@router.post("/buyer/cases/{case_id}/act/{action}")
def case_action(
    case_id: int,
    action: str,
    request: Request,
    rt: RuntimeDep,
    who: PageActor,
    note: Annotated[str, Form(max_length=1000)] = "",
    reason: Annotated[str, Form(max_length=64)] = "",
    case_type: Annotated[str, Form(max_length=64)] = "",
    amount: Annotated[str, Form(max_length=32)] = "",
    description: Annotated[str, Form(max_length=2000)] = "",
    courier: Annotated[str, Form(max_length=64)] = "",
    tracking_no: Annotated[str, Form(max_length=64)] = "",
    shipping_fee: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    """One move of the state machine, through `services.cases.act` — the table decides."""
    form = {
        "note": note.strip(),
        "reason": reason.strip(),
        "case_type": case_type.strip(),
        "amount": amount.strip(),
        "description": description.strip(),
        "courier": courier.strip(),
        "tracking_no": tracking_no.strip(),
        "shipping_fee": shipping_fee.strip(),
    }
    try:
        require_buyer(who)
        move = next((a for a in BUYER_ACTIONS if a.replace("_", "-") == action or a == action), None)
        if move is None:
            raise NotFound("action_not_found", f"There is no buyer action '{action}'.")
        body = _action_body(move, form)
        with rt.uow() as ctx:
            case_service.act(ctx, case_id, move, who, body)
    except DomainError as exc:
        return _case_refused(request, rt, who, case_id, exc)
    return _case_answer(request, rt, who, case_id, label("action", str(move)))


@router.post("/buyer/cases/{case_id}/evidence")
async def add_evidence(case_id: int, request: Request, rt: RuntimeDep, who: PageActor) -> Response:
    """A photo or file for the case (to its dispute once there is one), or a written statement
    in a dispute; the evidence limits apply (`services.disputes.store_file`)."""
    try:
        require_buyer(who)
        form, files = await _read_files(request, "file")
        kind_text = _text(form, "kind")
        statement = _text(form, "text")
        with rt.uow() as ctx:
            if files:
                for content, content_type, filename in files:
                    kind = (
                        EvidenceKind(kind_text)
                        if kind_text in EvidenceKind.__members__
                        else evidence_kind_for(content_type)
                    )
                    attachments.add(ctx, case_id, who, kind, content, content_type, filename)
            elif statement:
                case = case_service.get_case(ctx, case_id, who)
                dispute = disputes.for_case(ctx, case.id)
                if dispute is None:
                    raise Invalid(
                        "evidence_needs_dispute",
                        "Written statements go to the platform once the case is in intervention; "
                        "until then, describe the problem in the request and attach photos.",
                    )
                disputes.add_evidence(ctx, dispute.id, who, EvidenceKind.text, text=statement)
            else:
                raise Invalid("evidence_empty", "Give the text of the evidence, or upload a file.")
    except DomainError as exc:
        return _case_refused(request, rt, who, case_id, exc)
    return _case_answer(request, rt, who, case_id, i18n.gettext("Evidence added."))


@router.post("/buyer/cases/{case_id}/appeal")
def appeal_ruling(
    case_id: int,
    request: Request,
    rt: RuntimeDep,
    who: PageActor,
    reason: Annotated[str, Form(max_length=2000)] = "",
    evidence_text: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    """申诉: the buyer appeals a ruling against them once, with new evidence (`services.disputes.appeal`)."""
    try:
        require_buyer(who)
        body: AppealIn = form_model(AppealIn, {"reason": reason, "evidence_text": evidence_text})
        with rt.uow() as ctx:
            case = case_service.get_case(ctx, case_id, who)
            dispute = disputes.for_case(ctx, case.id)
            if dispute is None:
                raise NotFound("dispute_not_found", f"Case {case_id} has not gone to intervention.")
            disputes.appeal(ctx, dispute.id, who, body)
    except DomainError as exc:
        return _case_refused(request, rt, who, case_id, exc)
    return _case_answer(request, rt, who, case_id, i18n.gettext("Appeal filed."))


@router.post("/buyer/cases/{case_id}/rating")
def rate_case(
    case_id: int,
    request: Request,
    rt: RuntimeDep,
    who: PageActor,
    score: Annotated[str, Form(max_length=8)] = "",
    comment: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """满意度评价 through `services.ratings.rate`: the same rules as POST /api/v1/cases/{id}/rating."""
    value = int(score) if score.strip().isdigit() and len(score.strip()) < 4 else None
    try:
        require_buyer(who)
        with rt.uow() as ctx:
            ratings.rate(ctx, case_id, who, value, comment)
    except DomainError as exc:
        return _case_refused(request, rt, who, case_id, exc)
    return _case_answer(request, rt, who, case_id, i18n.gettext("Thank you for your rating."))


@router.get("/buyer/attachments/{attachment_id}")
def attachment_content(attachment_id: int, request: Request, rt: RuntimeDep, who: PageActor) -> Response:
    try:
        with rt.uow() as ctx:
            attachment, content = attachments.content(ctx, attachment_id, who)
    except DomainError as exc:
        return refused_page(request, who, exc)
    return Response(
        content,
        media_type=attachment.content_type,
        headers={
            "Cache-Control": "private, max-age=3600",
            **file_headers(attachment.content_type, attachment.filename, f"attachment-{attachment.id}"),
        },
    )
