"""The seller workbench (卖家售后工作台): the after-sale team's daily screen.

* `/seller` — the shop's open requests, nearest deadline first, with the time left in colour (a live
  countdown), filters, one-click agree / refuse (with a reason) / propose (a partial amount), and
  checkboxes for bulk agree.
* `/seller/cases/{id}` — one request: terms, timeline, deadlines, the seller's moves, how the shop's
  auto-handling rules judge it, and evidence for a dispute.
* `/seller/rules` — the shop's auto-handling rules (domain.auto_handling): add, switch on/off, delete.
* `/seller/record` — penalty points and sanctions, with the complaints that caused them.
* `/seller/metrics` — the shop's after-sale metrics against its category, with a chart.

Only seller staff use these pages, and only for their own shop (the services' object-level checks
answer another shop's case with the same 404 as a missing one). Every button calls the same service
as the API (`services.cases.act`, `services.auto_handling`, ...), so a refusal shows the same code
and sentence. Buttons post with htmx and replace the row (or the case section) they belong to;
refusals come back as a banner in `#flash`. Without JavaScript they are plain forms.

Stable `data-testid`s for browser tests — queue: `queue`, `case-row` (with `data-case-id` and
`data-state`), `case-state`, `countdown`, `agree`, `refuse` (opens its form), `refuse-reason`,
`refuse-submit`, `propose` (opens its form), `propose-amount`, `propose-submit`, `confirm-return`,
`select-case`, `select-all`, `bulk-agree`, `bulk-result`, `queue-empty`; case page: `case` (with
`data-state`), the same action ids plus `confirm-on-sign-choice`, `reject-return`,
`ship-replacement`, `timeline`, `rule-checks`, `evidence-form`, `evidence-submit`; rules page:
`rule-form`, `rule-name`, `rule-reason-<reason>`, `rule-max`, `rule-action`, `rule-create`,
`rule-row` (with `data-rule-id`, `data-enabled`), `rule-off`, `rule-toggle`, `rule-delete`; a refusal
banner is `.error[data-code]` in `#flash`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.datastructures import UploadFile

from peifu.adapters.http.errors import STATUS_BY_KIND
from peifu.adapters.runtime import Runtime
from peifu.adapters.web import error_text, i18n
from peifu.adapters.web.labels import LABELS, label
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
    templates,
)
from peifu.domain import auto_handling as rule_domain
from peifu.domain.actors import Actor
from peifu.domain.errors import DomainError, Forbidden, Invalid, NotFound
from peifu.domain.intervention import EVIDENCE_LIMITS, EvidenceKind
from peifu.domain.money import parse_yuan
from peifu.domain.vocabulary import (
    CaseAction,
    CaseType,
    Reason,
    Role,
)
from peifu.services import auto_handling, complaints, disputes, feed, metrics, reads
from peifu.services import cases as case_service
from peifu.services.context import Ctx
from peifu.services.inputs import (
    AgreeIn,
    AutoRuleIn,
    AutoRulePatchIn,
    NoteIn,
    ProposeIn,
    RefuseIn,
    RejectReturnIn,
    ShipmentIn,
)

router = APIRouter(include_in_schema=False)

QUEUE_LIMIT = reads.SELLER_QUEUE_LIMIT
MAX_UPLOAD = max(limit for _, limit in EVIDENCE_LIMITS.values())
BODIES: dict[CaseAction, type[BaseModel]] = {
    CaseAction.agree: AgreeIn,
    CaseAction.refuse: RefuseIn,
    CaseAction.propose: ProposeIn,
    CaseAction.confirm_return: NoteIn,
    CaseAction.reject_return: RejectReturnIn,
    CaseAction.ship_replacement: ShipmentIn,
}

# Choices the forms offer, as identifier → msgid (the templates translate them).
TYPE_LABELS = LABELS["case_type"]
REASON_LABELS = LABELS["reason"]
STAGE_LABELS = LABELS["stage"]
RULE_ACTION_LABELS = LABELS["rule_action"]


# --- shared helpers -----------------------------------------------------------------------------------


def require_seller(who: Actor) -> str:
    if who.role is not Role.seller or not who.id:
        raise Forbidden("actor_not_allowed", "The seller workbench is for shop staff.")
    return who.id


def refused_page(request: Request, who: Actor | None, exc: DomainError) -> HTMLResponse:
    response = render(request, "seller/refused.html", who, code=exc.code, message=error_text.message_for(exc))
    response.status_code = STATUS_BY_KIND.get(exc.kind, 422)
    return response


def _refused(request: Request, who: Actor, exc: DomainError) -> Response:
    page = lambda: refused_page(request, who, exc)  # noqa: E731
    return refused_action(request, exc, again=page, otherwise=lambda other: refused_page(request, who, other))


def queue(
    ctx: Ctx,
    shop_id: str,
    *,
    view: str = "waiting",
    case_type: str | None = None,
    reason: str | None = None,
    order_q: str | None = None,
) -> list[reads.SellerQueueRow]:
    """The shop's open requests, nearest deadline first; filters the forms do not offer are ignored."""
    return reads.seller_queue(
        ctx.session,
        shop_id,
        view=view,
        case_type=case_type if case_type in TYPE_LABELS else None,
        reason=reason if reason in REASON_LABELS else None,
        order_q=order_q,
    )


def queue_row(ctx: Ctx, case: Any) -> reads.SellerQueueRow:
    return reads.seller_queue_row(ctx.session, case)


def _own_case(ctx: Ctx, who: Actor, case_id: int) -> Any:
    shop_id = require_seller(who)
    case = case_service.get_case(ctx, case_id, who)
    if case.shop_id != shop_id:  # get_case already refuses a stranger; belt and braces
        raise NotFound("case_not_found", "No such case.")
    return case


# --- the queue ----------------------------------------------------------------------------------------


@router.get("/seller", response_class=HTMLResponse)
def workbench(
    request: Request,
    rt: RuntimeDep,
    who: PageActor,
    view: str = "waiting",
    case_type: str | None = None,
    reason: str | None = None,
    q: str | None = None,
) -> Response:
    try:
        shop_id = require_seller(who)
        with rt.read_uow() as ctx:  # may lag: a replica when PEIFU_READ_DATABASE_URL is set
            rows = queue(ctx, shop_id, view=view, case_type=case_type, reason=reason, order_q=q)
            rule_count = len(auto_handling.shop_rules(ctx.session, shop_id, enabled_only=True))
            return render(
                request,
                "seller/queue.html",
                who,
                rows=rows,
                view=view if view in ("waiting", "all") else "waiting",
                case_type=case_type or "",
                reason=reason or "",
                q=q or "",
                types=TYPE_LABELS,
                reasons=REASON_LABELS,
                rule_count=rule_count,
                limit=QUEUE_LIMIT,
                bulk=None,
                reminders=feed.reminders(ctx, who),
                case_link="/seller/cases/",
            )
    except DomainError as exc:
        return refused_page(request, who, exc)


def _act_data(action: CaseAction, form: dict[str, str]) -> dict[str, Any]:
    if action is CaseAction.propose:
        data: dict[str, Any] = {"note": form.get("note", "")}
        amount = parse_yuan(form.get("amount_yuan"))
        if amount is not None:
            data["refund_amount_fen"] = amount
        if form.get("case_type"):
            data["case_type"] = form["case_type"]
        if form.get("reason"):
            data["reason"] = form["reason"]
        return data
    if action in (CaseAction.refuse, CaseAction.reject_return):
        return {"reason": form.get("reason", "")}
    if action is CaseAction.ship_replacement:
        return {"courier": form.get("courier", ""), "tracking_no": form.get("tracking_no", "")}
    if action is CaseAction.agree:
        return {"note": form.get("note", ""), "confirm_return_on_sign": form.get("confirm_return_on_sign") == "1"}
    return {"note": form.get("note", "")}


@router.post("/seller/cases/{case_id}/act/{action}", response_class=HTMLResponse)
async def act(request: Request, rt: RuntimeDep, who: PageActor, case_id: int, action: str) -> Response:
    """One seller move on one request. `view=row` answers with the queue row, `view=case` with the
    case section, a plain form with a redirect to the case."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    return await run_in_threadpool(_act, request, rt, who, case_id, action, form)  # the database work off the loop


def _act(request: Request, rt: Runtime, who: Actor, case_id: int, action: str, form: dict[str, str]) -> Response:
    view = form.get("view", "case")
    try:
        require_seller(who)
        try:
            move = CaseAction(action)
        except ValueError:
            raise NotFound("action_not_found", "No such action.") from None
        if move not in BODIES:
            raise Forbidden("actor_not_allowed", f"A seller cannot '{move}' a case.")
        body = form_model(BODIES[move], _act_data(move, form))
        with rt.uow() as ctx:
            _own_case(ctx, who, case_id)
            case = case_service.act(ctx, case_id, move, who, body)
            if not is_htmx(request):
                return RedirectResponse(f"/seller/cases/{case_id}", status_code=303)
            if view == "row":
                return templates.TemplateResponse(
                    request, "seller/_row.html", {"row": queue_row(ctx, case), "done": move, "now": ctx.now()}
                )
            return templates.TemplateResponse(request, "seller/_case.html", _case_context(ctx, who, case))
    except DomainError as exc:
        return _refused(request, who, exc)


@router.post("/seller/bulk-agree", response_class=HTMLResponse)
async def bulk_agree(request: Request, rt: RuntimeDep, who: PageActor) -> Response:
    chosen = [v for v in (await request.form()).getlist("case_id") if isinstance(v, str)]
    return await run_in_threadpool(_bulk_agree, request, rt, who, chosen)  # the database work off the loop


def _bulk_agree(request: Request, rt: Runtime, who: Actor, chosen: list[str]) -> Response:
    try:
        shop_id = require_seller(who)
        ids = [int(value) for value in chosen if value.isdigit() and 0 < int(value) < 2**31]
        if not ids:
            raise Invalid("nothing_chosen", "Choose the requests to agree to first.")
        if len(ids) > 1000:
            raise Invalid("too_many_chosen", "Agree to at most 1,000 requests at a time.")
        with rt.uow() as ctx:
            results = auto_handling.bulk_agree(ctx, who, shop_id, ids)
        with rt.uow() as ctx:
            rows = queue(ctx, shop_id)
            context = {
                "rows": rows,
                "bulk": results,
                "bulk_ok": sum(1 for r in results if r.ok),
                "now": ctx.now(),
                "limit": QUEUE_LIMIT,
            }
            if is_htmx(request):
                return templates.TemplateResponse(request, "seller/_queue.html", context)
            return render(
                request,
                "seller/queue.html",
                who,
                view="waiting",
                case_type="",
                reason="",
                q="",
                types=TYPE_LABELS,
                reasons=REASON_LABELS,
                rule_count=len(auto_handling.shop_rules(ctx.session, shop_id, enabled_only=True)),
                **context,
            )
    except DomainError as exc:
        return _refused(request, who, exc)


# --- one case -----------------------------------------------------------------------------------------


def _case_context(ctx: Ctx, who: Actor, case: Any) -> dict[str, Any]:
    session = ctx.session
    policy = ctx.policies.get(session, case.policy_version)
    order = reads.order_by_id(session, case.order_id)
    dispute = reads.dispute_of_case(session, case.id)
    evidence = disputes.visible_evidence(ctx, dispute, who) if dispute else []
    checks = auto_handling.explain_case(ctx, who, case.id)
    return {
        "case": case,
        "order": order,
        "out": reads.case_view(session, case, policy, ctx.now()),
        "row": queue_row(ctx, case),
        "dispute": dispute,
        "evidence": evidence,
        "checks": checks,
        "types": TYPE_LABELS,
        "reasons": REASON_LABELS,
        "now": ctx.now(),
        "max_upload_mb": MAX_UPLOAD // (1024 * 1024),
    }


@router.get("/seller/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, rt: RuntimeDep, who: PageActor, case_id: int) -> Response:
    try:
        with rt.uow() as ctx:
            case = _own_case(ctx, who, case_id)
            return render(request, "seller/case.html", who, **_case_context(ctx, who, case))
    except DomainError as exc:
        return refused_page(request, who, exc)


@router.post("/seller/cases/{case_id}/evidence", response_class=HTMLResponse)
async def add_evidence(request: Request, rt: RuntimeDep, who: PageActor, case_id: int) -> Response:
    """举证: text or a file for the case's dispute, as the shop."""
    form = await request.form()
    try:
        require_seller(who)
        text = form.get("text")
        upload = form.get("file")
        with rt.uow() as ctx:
            case = _own_case(ctx, who, case_id)
            dispute = disputes.for_case(ctx, case.id)
            if dispute is None:
                raise Invalid("no_dispute", "Evidence is given once the request is in intervention.")
            if isinstance(upload, UploadFile) and upload.filename:
                content = await upload.read(MAX_UPLOAD + 1)
                kind = evidence_kind_for(upload.content_type)
                disputes.add_evidence(
                    ctx,
                    dispute.id,
                    who,
                    kind,
                    content=content,
                    content_type=upload.content_type,
                    filename=upload.filename,
                )
            elif isinstance(text, str) and text.strip():
                disputes.add_evidence(ctx, dispute.id, who, EvidenceKind.text, text=text.strip()[:20_000])
            else:
                raise Invalid("evidence_empty", "Give the text of the evidence, or upload a file.")
        return go_to(request, f"/seller/cases/{case_id}")
    except DomainError as exc:
        return _refused(request, who, exc)


# --- auto-handling rules ------------------------------------------------------------------------------


def _rules_context(ctx: Ctx, shop_id: str) -> dict[str, Any]:
    return {
        "rules": auto_handling.shop_rules(ctx.session, shop_id),
        "types": TYPE_LABELS,
        "reasons": REASON_LABELS,
        "stages": STAGE_LABELS,
        "rule_actions": RULE_ACTION_LABELS,
        "max_rules": rule_domain.MAX_RULES_PER_SHOP,
    }


@router.get("/seller/rules", response_class=HTMLResponse)
def rules_page(request: Request, rt: RuntimeDep, who: PageActor) -> Response:
    try:
        shop_id = require_seller(who)
        with rt.uow() as ctx:
            return render(request, "seller/rules.html", who, **_rules_context(ctx, shop_id))
    except DomainError as exc:
        return refused_page(request, who, exc)


@router.post("/seller/rules", response_class=HTMLResponse)
async def create_rule(request: Request, rt: RuntimeDep, who: PageActor) -> Response:
    form = await request.form()

    def strings(name: str) -> list[str]:
        return [v for v in form.getlist(name) if isinstance(v, str) and v]

    def text(name: str) -> str:
        value = form.get(name)
        return value if isinstance(value, str) else ""

    try:
        shop_id = require_seller(who)
        data: dict[str, Any] = {
            "name": text("name"),
            "priority": form_int(text("priority") or "100"),
            "enabled": True,
            "case_types": strings("case_types"),
            "reasons": strings("reasons"),
            "order_stages": strings("order_stages"),
            "max_amount_fen": parse_yuan(text("max_amount_yuan")),
            "action": text("action"),
            "message": text("message"),
        }
        if text("suggested_reason"):
            data["suggested_reason"] = text("suggested_reason")
        body = form_model(AutoRuleIn, data)
        with rt.uow() as ctx:
            auto_handling.create_rule(ctx, who, shop_id, body)
        return go_to(request, "/seller/rules")
    except DomainError as exc:
        return _refused(request, who, exc)


@router.post("/seller/rules/{rule_id}/toggle", response_class=HTMLResponse)
def toggle_rule(request: Request, rt: RuntimeDep, who: PageActor, rule_id: int) -> Response:
    try:
        shop_id = require_seller(who)
        with rt.uow() as ctx:
            row = auto_handling.get_rule(ctx, who, shop_id, rule_id)
            auto_handling.update_rule(ctx, who, shop_id, rule_id, AutoRulePatchIn(enabled=not row.enabled))
            if is_htmx(request):
                return templates.TemplateResponse(
                    request, "seller/_rule.html", {"rule": row, **_rules_context(ctx, shop_id)}
                )
        return RedirectResponse("/seller/rules", status_code=303)
    except DomainError as exc:
        return _refused(request, who, exc)


@router.post("/seller/rules/{rule_id}/delete", response_class=HTMLResponse)
def delete_rule(request: Request, rt: RuntimeDep, who: PageActor, rule_id: int) -> Response:
    try:
        shop_id = require_seller(who)
        with rt.uow() as ctx:
            auto_handling.delete_rule(ctx, who, shop_id, rule_id)
        if is_htmx(request):
            return HTMLResponse("")
        return RedirectResponse("/seller/rules", status_code=303)
    except DomainError as exc:
        return _refused(request, who, exc)


# --- penalties and metrics ----------------------------------------------------------------------------


@router.get("/seller/record", response_class=HTMLResponse)
def record_page(request: Request, rt: RuntimeDep, who: PageActor) -> Response:
    try:
        shop_id = require_seller(who)
        with rt.uow() as ctx:
            rec = complaints.record(ctx, shop_id, who)
            ids = {p.complaint_id for p in rec.penalties} | {int(i) for s in rec.sanctions for i in s.complaint_ids}
            by_id = reads.shop_complaints(ctx.session, ids)
            recent = reads.recent_shop_complaints(ctx.session, shop_id)
            return render(request, "seller/record.html", who, rec=rec, complaints=by_id, recent=recent)
    except DomainError as exc:
        return refused_page(request, who, exc)


@router.get("/seller/metrics", response_class=HTMLResponse)
def metrics_page(request: Request, rt: RuntimeDep, who: PageActor, days: int | None = None) -> Response:
    try:
        shop_id = require_seller(who)
        with rt.uow() as ctx:
            window = metrics.window_for(ctx, days=days, start=None, end=None)
            report = metrics.shop_metrics(ctx, shop_id, window, who)
            figures = list(report.score.figures.values())
            chart = {
                "labels": [label("metric", str(f.name)) for f in figures],
                "percentiles": [None if f.percentile is None else round(f.percentile, 1) for f in figures],
                "flag": report.flag_percentile,
                "title": i18n.gettext("Share of the category doing better (%)"),
            }
            auto = reads.auto_answered(ctx.session, shop_id)
            return render(request, "seller/metrics.html", who, report=report, figures=figures, chart=chart, auto=auto)
    except DomainError as exc:
        return refused_page(request, who, exc)


def fmt_metric(name: str, value: float | None) -> str:
    if value is None:
        return "—"
    if name.endswith("_rate"):
        return f"{value * 100:.2f}%"
    hours = value / 3600
    return f"{hours:.1f} h" if hours >= 1 else f"{value / 60:.0f} min"


templates.env.globals["fmt_metric"] = fmt_metric
templates.env.globals["seller_reasons"] = [str(r) for r in Reason]
templates.env.globals["seller_types"] = [str(t) for t in CaseType]
