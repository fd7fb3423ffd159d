"""The agent desk (小二工作台): the dispute queue, the case file, the ruling form and appeals.

Only platform agents (and admins, who act as agents) open these pages, and an agent only ever
sees disputes: a case that never went to intervention is a 404 here, exactly as in the API
(`services.access`). Every button calls the same service as the API (`services.disputes`), so a
ruling given on this page moves the case and the ledger exactly as `POST /api/v1/disputes/{id}/ruling`.

Forms post with htmx when it is there (errors come back as a banner in #flash, success as an
HX-Redirect) and as plain forms otherwise (errors re-render the page with the banner, success is a
303 back to the case file).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from peifu.adapters.web import error_text, i18n
from peifu.adapters.web.labels import label
from peifu.adapters.web.pages import (
    PageActor,
    RuntimeDep,
    go_to,
    refused_action,
    render,
    templates,
    validation_message,
)
from peifu.domain import dispute_machine
from peifu.domain.abuse import Signal
from peifu.domain.actors import Actor
from peifu.domain.errors import DomainError, Forbidden, Invalid, NotFound
from peifu.domain.intervention import EvidenceKind
from peifu.domain.money import parse_yuan
from peifu.domain.vocabulary import AppealState, Role
from peifu.domain.vocabulary import DisputeStatus as DS
from peifu.services import abuse, access, complaints, disputes, ledger, reads
from peifu.services.context import Ctx
from peifu.services.inputs import AppealDecisionIn, ComplaintDecisionIn, PenaltyAppealDecisionIn, RulingIn

router = APIRouter(include_in_schema=False)

QUEUE_VIEWS = reads.QUEUE_VIEWS
QUEUE_SORTS = reads.QUEUE_SORTS


def in_locale(zh: str | None, en: str | None) -> str:
    """Texts stored in both languages (burden of proof, guidance): the reader's one."""
    return (zh if i18n.current_locale.get() == "zh_CN" else en) or zh or en or ""


templates.env.globals["in_locale"] = in_locale


# --- who may use the desk ---------------------------------------------------------------------------


def require_agent(who: Actor) -> None:
    if who.role is not Role.agent:
        raise Forbidden("actor_not_allowed", "The agent desk is for platform agents.")


def refused_page(request: Request, who: Actor, exc: DomainError) -> HTMLResponse:
    status = 403 if isinstance(exc, Forbidden) else 404 if isinstance(exc, NotFound) else 409
    response = render(request, "agent/refused.html", who, code=exc.code, message=error_text.message_for(exc))
    response.status_code = status
    return response


# --- the queue --------------------------------------------------------------------------------------


def queue_rows(
    ctx: Ctx, who: Actor, view: str, limit: int = 200, sort: str = "deadline"
) -> list[reads.DisputeQueueRow]:
    return reads.dispute_queue(ctx, who, view, limit=limit, sort=sort)


@router.get("/agent", response_class=HTMLResponse)
def agent_queue(
    request: Request, rt: RuntimeDep, who: PageActor, view: str = "open", sort: str = "deadline"
) -> Response:
    try:
        require_agent(who)
    except DomainError as exc:
        return refused_page(request, who, exc)
    if view not in QUEUE_VIEWS:
        view = "open"
    if sort not in QUEUE_SORTS:
        sort = "deadline"
    with rt.read_uow() as ctx:  # may lag: a replica when PEIFU_READ_DATABASE_URL is set
        rows = queue_rows(ctx, who, view, sort=sort)
        counts = reads.dispute_counts(ctx)
        return render(
            request, "agent/queue.html", who, rows=rows, view=view, views=QUEUE_VIEWS, counts=counts, sort=sort
        )


# --- the case file ----------------------------------------------------------------------------------


@dataclass
class DutyCheck:
    party: str
    fact: str
    proof: list[str]
    met: bool  # the party has submitted evidence of a kind that would carry it
    submitted: bool  # the party has submitted any evidence at all


def checklist(dispute: Any, evidence: list[Any]) -> list[DutyCheck]:
    kinds: dict[str, set[str]] = {}
    for e in evidence:
        kinds.setdefault(e.party, set()).add(e.kind)
    rows = []
    for duty in dispute.duties:
        given = kinds.get(duty["party"], set())
        proof = list(duty["proof"])
        rows.append(
            DutyCheck(
                party=duty["party"],
                fact=in_locale(duty.get("fact_zh"), duty.get("fact_en")),
                proof=proof,
                met=bool(given & set(proof)) or (bool(given) and "text" in proof),
                submitted=bool(given),
            )
        )
    return rows


def case_file(ctx: Ctx, who: Actor, dispute_id: int, **extra: Any) -> dict[str, Any]:
    dispute = disputes.get(ctx, dispute_id, who)
    case = reads.case_by_id(ctx.session, dispute.case_id)
    assert case is not None
    access.check_case(ctx, who, case)
    order = reads.order_by_id(ctx.session, case.order_id)
    assert order is not None
    evidence = disputes.visible_evidence(ctx, dispute, who)
    appeal = reads.appeal_of_dispute(ctx.session, dispute.id)
    money = [
        (txn, sum(e.amount_fen for e in txn.entries if e.amount_fen > 0))
        for txn in ledger.transactions_for_case(ctx.session, case.id)
    ]
    guidance = disputes.current_guidance(ctx, dispute)
    context: dict[str, Any] = {
        "dispute": dispute,
        "case": case,
        "order": order,
        "buyer_evidence": [e for e in evidence if e.party == "buyer"],
        "seller_evidence": [e for e in evidence if e.party == "seller"],
        "agent_evidence": [e for e in evidence if e.party == "agent"],
        "checklist": checklist(dispute, evidence),
        "guidance": guidance,
        "guidance_text": in_locale(guidance.get("zh"), guidance.get("en")),
        "appeal": appeal,
        "rulings": list(dispute.rulings),
        "money": money,
        "can_rule": dispute.status in dispute_machine.RULABLE,
        "can_decide_appeal": dispute.status == DS.appealed and appeal is not None and appeal.decided_at is None,
        "same_agent": bool(appeal and dispute.rulings and dispute.rulings[-1].agent_id == who.id),
        "evidence_kinds": [
            str(k) for k in EvidenceKind if k in (EvidenceKind.text, EvidenceKind.chat_log, EvidenceKind.logistics)
        ],
    }
    context.update(_abuse_signals(ctx, dispute))  # the section is shown only when a signal fires
    context.update(extra)
    return context


def _abuse_signals(ctx: Ctx, dispute: Any) -> dict[str, Any]:
    """Explained abuse signals of both parties (`services.abuse`), for the page."""
    return {"signals": [signal_view(s) for s in abuse.signals_for_dispute(ctx, dispute.id)]}


def signal_view(signal: Signal) -> dict[str, Any]:
    """One signal as the template shows it: what it is, about whom, how strong, and why."""
    return {
        "code": str(signal.code),
        "title": label("signal", str(signal.code)),
        "subject": signal.subject,
        "subject_id": signal.subject_id,
        "score": signal.score,
        "explanation": in_locale(signal.explanation_zh, signal.explanation_en),
        "case_ids": list(signal.case_ids),
    }


@router.get("/agent/disputes/{dispute_id}", response_class=HTMLResponse)
def dispute_page(dispute_id: int, request: Request, rt: RuntimeDep, who: PageActor) -> Response:
    try:
        require_agent(who)
        with rt.uow() as ctx:
            return render(request, "agent/case_file.html", who, **case_file(ctx, who, dispute_id))
    except DomainError as exc:
        return refused_page(request, who, exc)


@router.get("/agent/cases/{case_id}", response_class=HTMLResponse)
def case_page(case_id: int, request: Request, rt: RuntimeDep, who: PageActor) -> Response:
    """A case by its number: the dispute's case file if the case is in intervention, else a 404."""
    try:
        require_agent(who)
        with rt.uow() as ctx:
            case = reads.case_by_id(ctx.session, case_id)
            if case is None:
                raise NotFound("case_not_found", "No such case.")
            access.check_case(ctx, who, case)
            dispute = disputes.for_case(ctx, case_id)
            if dispute is None:
                raise NotFound("case_not_found", "No such case.")
            return RedirectResponse(f"/agent/disputes/{dispute.id}", status_code=303)
    except DomainError as exc:
        return refused_page(request, who, exc)


# --- actions ----------------------------------------------------------------------------------------


def _refused(request: Request, rt: Any, who: Actor, dispute_id: int, exc: DomainError) -> Response:
    def again() -> Response:
        with rt.uow() as ctx:
            return render(request, "agent/case_file.html", who, **case_file(ctx, who, dispute_id, error=exc))

    status = 403 if isinstance(exc, Forbidden) else 422 if isinstance(exc, Invalid) else 409
    return refused_action(
        request, exc, again=again, otherwise=lambda other: refused_page(request, who, other), status=status
    )


def ruling_from_form(
    outcome: str, liable_party: str, reasoning: str, case_type: str, refund_yuan: str, compensations: list[str]
) -> RulingIn:
    try:
        return RulingIn.model_validate(
            {
                "outcome": outcome,
                "liable_party": liable_party,
                "reasoning": reasoning,
                "case_type": case_type or None,
                "refund_amount_fen": parse_yuan(refund_yuan) if outcome != "support_seller" else None,
                "compensations": compensations if outcome != "support_seller" else [],
            }
        )
    except ValidationError as exc:
        raise Invalid("validation_failed", validation_message(exc)) from None


@router.post("/agent/disputes/{dispute_id}/assign")
def assign_to_me(dispute_id: int, request: Request, rt: RuntimeDep, who: PageActor) -> Response:
    try:
        require_agent(who)
        with rt.uow() as ctx:
            disputes.get(ctx, dispute_id, who)
            disputes.assign(ctx, dispute_id, who, who.id or "")
    except DomainError as exc:
        return _refused(request, rt, who, dispute_id, exc)
    return go_to(request, f"/agent/disputes/{dispute_id}")


@router.post("/agent/disputes/{dispute_id}/note")
def add_note(
    dispute_id: int,
    request: Request,
    rt: RuntimeDep,
    who: PageActor,
    text: Annotated[str, Form(max_length=20_000)] = "",
    kind: Annotated[str, Form(max_length=16)] = "text",
) -> Response:
    """The agent's own evidence (a call record, a courier's answer): shared with both parties."""
    try:
        require_agent(who)
        if kind not in ("text", "chat_log", "logistics"):
            raise Invalid("evidence_kind_invalid", "Notes are a statement, a chat log or a logistics record.")
        with rt.uow() as ctx:
            disputes.add_evidence(ctx, dispute_id, who, EvidenceKind(kind), text=text.strip())
    except DomainError as exc:
        return _refused(request, rt, who, dispute_id, exc)
    return go_to(request, f"/agent/disputes/{dispute_id}#evidence")


@router.post("/agent/evidence/{evidence_id}/share")
def share_evidence(evidence_id: int, request: Request, rt: RuntimeDep, who: PageActor) -> Response:
    dispute_id = 0
    try:
        require_agent(who)
        with rt.uow() as ctx:
            evidence = reads.evidence_by_id(ctx.session, evidence_id)
            if evidence is None:
                raise NotFound("evidence_not_found", f"No evidence {evidence_id}.")
            dispute_id = evidence.dispute_id
            disputes.get(ctx, dispute_id, who)
            disputes.share(ctx, evidence_id, who)
    except DomainError as exc:
        if not dispute_id:
            return refused_page(request, who, exc)
        return _refused(request, rt, who, dispute_id, exc)
    return go_to(request, f"/agent/disputes/{dispute_id}#evidence")


@router.post("/agent/disputes/{dispute_id}/ruling")
def give_ruling(
    dispute_id: int,
    request: Request,
    rt: RuntimeDep,
    who: PageActor,
    outcome: Annotated[str, Form(max_length=32)] = "",
    liable_party: Annotated[str, Form(max_length=16)] = "",
    reasoning: Annotated[str, Form(max_length=5000)] = "",
    case_type: Annotated[str, Form(max_length=32)] = "",
    refund_yuan: Annotated[str, Form(max_length=32)] = "",
    compensations: Annotated[list[str] | None, Form()] = None,
) -> Response:
    try:
        require_agent(who)
        body = ruling_from_form(outcome, liable_party, reasoning, case_type, refund_yuan, compensations or [])
        with rt.uow() as ctx:
            dispute = disputes.get(ctx, dispute_id, who)
            if dispute.assigned_agent is None:  # whoever rules an unassigned dispute has taken it
                disputes.assign(ctx, dispute_id, who, who.id or "")
            disputes.rule(ctx, dispute_id, who, body)
    except DomainError as exc:
        return _refused(request, rt, who, dispute_id, exc)
    return go_to(request, f"/agent/disputes/{dispute_id}")


@router.post("/agent/disputes/{dispute_id}/appeal-decision")
def decide_appeal(
    dispute_id: int,
    request: Request,
    rt: RuntimeDep,
    who: PageActor,
    decision: Annotated[str, Form(max_length=16)] = "",
    appeal_reasoning: Annotated[str, Form(max_length=5000)] = "",
    outcome: Annotated[str, Form(max_length=32)] = "",
    liable_party: Annotated[str, Form(max_length=16)] = "",
    reasoning: Annotated[str, Form(max_length=5000)] = "",
    case_type: Annotated[str, Form(max_length=32)] = "",
    refund_yuan: Annotated[str, Form(max_length=32)] = "",
    compensations: Annotated[list[str] | None, Form()] = None,
) -> Response:
    try:
        require_agent(who)
        ruling = None
        if decision == AppealState.replaced:
            ruling = ruling_from_form(
                outcome, liable_party, reasoning or appeal_reasoning, case_type, refund_yuan, compensations or []
            )
        try:
            body = AppealDecisionIn(decision=decision, reasoning=appeal_reasoning, ruling=ruling)
        except ValidationError as exc:
            raise Invalid("validation_failed", validation_message(exc)) from None
        with rt.uow() as ctx:
            disputes.get(ctx, dispute_id, who)
            disputes.decide_appeal(ctx, dispute_id, who, body)
    except DomainError as exc:
        return _refused(request, rt, who, dispute_id, exc)
    return go_to(request, f"/agent/disputes/{dispute_id}")


# --- rule complaints (规则投诉): straight to an agent, no negotiation ---------------------------------

COMPLAINT_VIEWS = reads.COMPLAINT_VIEWS


def complaint_rows(ctx: Ctx, who: Actor, view: str, limit: int = 200) -> list[reads.ComplaintQueueRow]:
    return reads.complaint_queue(ctx, who, view, limit=limit)


@router.get("/agent/complaints", response_class=HTMLResponse)
def complaint_queue(request: Request, rt: RuntimeDep, who: PageActor, view: str = "open") -> Response:
    try:
        require_agent(who)
    except DomainError as exc:
        return refused_page(request, who, exc)
    if view not in COMPLAINT_VIEWS:
        view = "open"
    with rt.uow() as ctx:
        rows = complaint_rows(ctx, who, view)
        counts = {v: len(complaint_rows(ctx, who, v)) for v in ("open", "appealed")}
        return render(request, "agent/complaints.html", who, rows=rows, view=view, views=COMPLAINT_VIEWS, counts=counts)


def _complaint_refused(request: Request, rt: Any, who: Actor, view: str, exc: DomainError) -> Response:
    def again() -> Response:
        with rt.uow() as ctx:
            rows = complaint_rows(ctx, who, view)
            return render(
                request, "agent/complaints.html", who, rows=rows, view=view, views=COMPLAINT_VIEWS, counts={}, error=exc
            )

    def otherwise(other: DomainError) -> Response:
        raise other  # the queue shows whatever the agent may see: nothing here refuses

    status = (
        403
        if isinstance(exc, Forbidden)
        else 404
        if isinstance(exc, NotFound)
        else 422
        if isinstance(exc, Invalid)
        else 409
    )
    return refused_action(request, exc, again=again, otherwise=otherwise, status=status)


@router.post("/agent/complaints/{complaint_id}/decision")
def decide_complaint(
    complaint_id: int,
    request: Request,
    rt: RuntimeDep,
    who: PageActor,
    upheld: Annotated[str, Form(max_length=8)] = "",
    violation: Annotated[str, Form(max_length=40)] = "",
    reasoning: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    try:
        require_agent(who)
        if upheld not in ("yes", "no"):
            raise Invalid("decision_required", i18n.gettext("Choose whether the complaint is upheld."))
        try:
            body = ComplaintDecisionIn(upheld=upheld == "yes", violation=violation or None, reasoning=reasoning)
        except ValidationError as exc:
            raise Invalid("validation_failed", validation_message(exc)) from None
        with rt.uow() as ctx:
            complaints.get(ctx, complaint_id, who)
            complaints.decide(ctx, complaint_id, who, body)
    except DomainError as exc:
        return _complaint_refused(request, rt, who, "open", exc)
    return go_to(request, f"/agent/complaints?view=decided#complaint-{complaint_id}")


@router.post("/agent/complaints/{complaint_id}/appeal-decision")
def decide_penalty_appeal(
    complaint_id: int,
    request: Request,
    rt: RuntimeDep,
    who: PageActor,
    overturn: Annotated[str, Form(max_length=8)] = "",
    reasoning: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    try:
        require_agent(who)
        if overturn not in ("yes", "no"):
            raise Invalid("decision_required", i18n.gettext("Choose whether the penalty stands."))
        try:
            body = PenaltyAppealDecisionIn(overturn=overturn == "yes", reasoning=reasoning)
        except ValidationError as exc:
            raise Invalid("validation_failed", validation_message(exc)) from None
        with rt.uow() as ctx:
            complaints.get(ctx, complaint_id, who)
            complaints.decide_appeal(ctx, complaint_id, who, body)
    except DomainError as exc:
        return _complaint_refused(request, rt, who, "appealed", exc)
    return go_to(request, f"/agent/complaints?view=decided#complaint-{complaint_id}")
