"""Platform intervention: the dispute queue, evidence, rulings and appeals."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.responses import Response
from sqlalchemy import select

from peifu.adapters.api import presenters
from peifu.adapters.api import schemas as out
from peifu.adapters.api.contract import ERROR_BODY
from peifu.adapters.api.routes import ERRORS
from peifu.adapters.http.deps import actor, runtime
from peifu.adapters.http.headers import file_headers
from peifu.adapters.runtime import Runtime
from peifu.db.models import Appeal, Dispute
from peifu.domain.actors import Actor
from peifu.domain.errors import Forbidden, NotFound, TooLarge
from peifu.domain.intervention import EVIDENCE_LIMITS, EvidenceKind
from peifu.domain.vocabulary import Role
from peifu.services import disputes
from peifu.services.context import Ctx
from peifu.services.inputs import AppealDecisionIn, AppealIn, AssignIn, EvidenceTextIn, RulingIn

RuntimeDep = Annotated[Runtime, Depends(runtime)]
ActorDep = Annotated[Actor, Depends(actor)]

router = APIRouter(prefix="/api/v1", tags=["disputes"])

MAX_UPLOAD = max(limit for _, limit in EVIDENCE_LIMITS.values())


def dispute_out(ctx: Ctx, dispute: Dispute, who: Actor | None) -> out.DisputeOut:
    appeal = ctx.session.scalars(select(Appeal).where(Appeal.dispute_id == dispute.id)).first()
    return out.DisputeOut(
        id=dispute.id,
        case_id=dispute.case_id,
        shop_id=dispute.shop_id,
        buyer_id=dispute.buyer_id,
        status=dispute.status,
        opened_by=dispute.opened_by,
        opened_at=presenters.must(dispute.opened_at),
        assigned_agent=dispute.assigned_agent,
        evidence_deadline=presenters.must(dispute.evidence_deadline),
        appeal_deadline=presenters.instant(dispute.appeal_deadline),
        amount_fen=dispute.amount_fen,
        burden_of_proof=dispute.duties,
        guidance=disputes.current_guidance(ctx, dispute),
        liable_party=dispute.liable_party,
        evidence=[
            out.EvidenceOut(
                id=e.id,
                party=e.party,
                kind=e.kind,
                text=e.text,
                sha256=e.sha256,
                size=e.size,
                content_type=e.content_type,
                filename=e.filename,
                shared=e.shared,
                for_appeal=e.for_appeal,
                created_at=presenters.must(e.created_at),
                download=f"/api/v1/evidence/{e.id}/content" if e.sha256 else None,
            )
            for e in disputes.visible_evidence(ctx, dispute, who)
        ],
        rulings=[
            out.RulingOut(
                id=r.id,
                agent_id=r.agent_id,
                outcome=r.outcome,
                case_type=r.case_type,
                refund_amount_fen=r.refund_amount_fen,
                liable_party=r.liable_party,
                compensations=list(r.compensations),
                reasoning=r.reasoning,
                automatic=r.automatic,
                on_appeal=r.on_appeal,
                supersedes=r.supersedes,
                created_at=presenters.must(r.created_at),
            )
            for r in dispute.rulings
        ],
        appeal=out.AppealOut(
            party=appeal.party,
            reason=appeal.reason,
            created_at=presenters.must(appeal.created_at),
            reviewer=appeal.reviewer,
            decision=appeal.decision,
            decided_at=presenters.instant(appeal.decided_at),
        )
        if appeal
        else None,
    )


@router.get(
    "/disputes",
    response_model=list[out.DisputeOut],
    responses=ERRORS,
    summary="介入队列 · The agents' dispute queue (by deadline, then amount)",
)
def list_disputes(
    rt: RuntimeDep,
    who: ActorDep,
    status: Annotated[str | None, Query(pattern="^(evidence|review|ruled|appealed|final)$")] = None,
    assigned_to: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[out.DisputeOut]:
    if who.role is not Role.agent:
        raise Forbidden("actor_not_allowed", "The dispute queue is for platform agents.")
    with rt.read_uow() as ctx:  # may lag: a replica when PEIFU_READ_DATABASE_URL is set
        return [
            dispute_out(ctx, d, who) for d in disputes.queue(ctx, status=status, assigned_to=assigned_to, limit=limit)
        ]


@router.get(
    "/disputes/{dispute_id}",
    response_model=out.DisputeOut,
    responses=ERRORS,
    summary="纠纷详情 · A dispute: burden of proof, guidance, evidence you may see, rulings, appeal",
)
def get_dispute(dispute_id: int, rt: RuntimeDep, who: ActorDep) -> out.DisputeOut:
    with rt.uow() as ctx:
        return dispute_out(ctx, disputes.get(ctx, dispute_id, who), who)


@router.get(
    "/cases/{case_id}/dispute",
    response_model=out.DisputeOut,
    responses=ERRORS,
    summary="售后的纠纷 · The dispute of a case",
)
def get_case_dispute(case_id: int, rt: RuntimeDep, who: ActorDep) -> out.DisputeOut:
    with rt.uow() as ctx:
        dispute = disputes.for_case(ctx, case_id)
        if dispute is None:
            raise NotFound("dispute_not_found", f"Case {case_id} has not gone to intervention.")
        return dispute_out(ctx, disputes.get(ctx, dispute.id, who), who)


@router.post(
    "/disputes/{dispute_id}/assign",
    response_model=out.DisputeOut,
    responses=ERRORS,
    summary="分配小二 · Assign the dispute to an agent",
)
def assign(dispute_id: int, body: AssignIn, rt: RuntimeDep, who: ActorDep) -> out.DisputeOut:
    """Put the dispute in an agent's queue (`GET /disputes?assigned_to=`). The assignee is an
    existing, active agent or admin account that is not a party to the dispute (else 422
    `assignee_not_an_agent` / `assignee_is_a_party`). Assignment routes work; it is not a
    permission: any agent may rule on any dispute, assigned to them or not, and the ruling
    records the agent who made it."""
    with rt.uow() as ctx:
        return dispute_out(ctx, disputes.assign(ctx, dispute_id, who, body.agent_id), who)


@router.post(
    "/disputes/{dispute_id}/evidence",
    response_model=out.DisputeOut,
    status_code=201,
    responses=ERRORS,
    summary="提交举证（文字） · Submit text evidence (chat log, logistics record, statement)",
)
def add_text_evidence(dispute_id: int, body: EvidenceTextIn, rt: RuntimeDep, who: ActorDep) -> out.DisputeOut:
    with rt.uow() as ctx:
        disputes.add_evidence(ctx, dispute_id, who, EvidenceKind(body.kind), text=body.text)
        return dispute_out(ctx, disputes.get(ctx, dispute_id), who)


@router.post(
    "/disputes/{dispute_id}/evidence/files",
    response_model=out.DisputeOut,
    status_code=201,
    responses={
        **ERRORS,
        413: ERRORS[422] | {"description": "File too large"},
        415: ERRORS[422] | {"description": "Type not accepted"},
    },
    summary="上传凭证 · Upload a file (image, video, document, chat log, logistics record)",
)
async def add_file_evidence(
    dispute_id: int,
    rt: RuntimeDep,
    who: ActorDep,
    kind: Annotated[EvidenceKind, Form()],
    file: Annotated[UploadFile, File()],
) -> out.DisputeOut:
    content = await file.read(MAX_UPLOAD + 1)
    if len(content) > MAX_UPLOAD:
        raise TooLarge("evidence_too_large", f"Files may be at most {MAX_UPLOAD // (1024 * 1024)} MB.")
    with rt.uow() as ctx:
        disputes.add_evidence(
            ctx, dispute_id, who, kind, content=content, content_type=file.content_type, filename=file.filename
        )
        return dispute_out(ctx, disputes.get(ctx, dispute_id), who)


class EvidenceFile(Response):
    media_type = "application/octet-stream"  # a file without a stored type


EVIDENCE_MEDIA = sorted({media for allowed, _ in EVIDENCE_LIMITS.values() for media in allowed})
EVIDENCE_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The file's bytes, as the media type it was stored as (checked against its content when it "
        "was uploaded); text evidence as text/plain. Served with `X-Content-Type-Options: nosniff`, a "
        "`Content-Disposition` (inline for images and video, attachment otherwise) and a sandboxing "
        "Content Security Policy.",
        "content": {
            media: {"schema": {"type": "string", "format": "binary"}}
            for media in [*EVIDENCE_MEDIA, EvidenceFile.media_type]
        },
        "headers": {
            "X-Content-SHA256": {"description": "SHA-256 of the file (empty for text).", "schema": {"type": "string"}},
            "Content-Disposition": {
                "description": "inline or attachment, with the file name.",
                "schema": {"type": "string"},
            },
        },
    },
    # the refusals are JSON, whatever the file would have been
    **{code: {"description": e["description"], "content": ERROR_BODY} for code, e in ERRORS.items()},
}


@router.get(
    "/evidence/{evidence_id}/content",
    response_class=EvidenceFile,
    responses=EVIDENCE_CONTENT,
    summary="下载凭证 · Download evidence you may see",
)
def evidence_content(evidence_id: int, rt: RuntimeDep, who: ActorDep) -> Response:
    with rt.uow() as ctx:
        evidence, content = disputes.evidence_file(ctx, evidence_id, who)
        media = evidence.content_type or "application/octet-stream"
        fallback = f"evidence-{evidence.id}" + (".txt" if evidence.sha256 is None else "")
        return Response(
            content,
            media_type=media,
            headers={"X-Content-SHA256": evidence.sha256 or "", **file_headers(media, evidence.filename, fallback)},
        )


@router.post(
    "/evidence/{evidence_id}/share", responses=ERRORS, summary="共享举证 · Share evidence with both parties (agents)"
)
def share_evidence(evidence_id: int, rt: RuntimeDep, who: ActorDep) -> dict[str, bool]:
    with rt.uow() as ctx:
        disputes.share(ctx, evidence_id, who)
        return {"shared": True}


@router.post(
    "/disputes/{dispute_id}/ruling",
    response_model=out.DisputeOut,
    responses=ERRORS,
    summary="判定 · Rule on the dispute; the ruling is executed at once",
)
def rule(dispute_id: int, body: RulingIn, rt: RuntimeDep, who: ActorDep) -> out.DisputeOut:
    """Outcome (support_buyer / support_seller / split), liable party, compensation to apply and
    reasoning. Refunds, compensation and closing run through the case engine immediately. Any
    agent may rule, whoever the dispute is assigned to; the ruling names the agent who made it."""
    with rt.uow() as ctx:
        disputes.rule(ctx, dispute_id, who, body)
        return dispute_out(ctx, disputes.get(ctx, dispute_id), who)


@router.post(
    "/disputes/{dispute_id}/appeal",
    response_model=out.DisputeOut,
    status_code=201,
    responses=ERRORS,
    summary="申诉 · The losing party appeals once, with new evidence",
)
def appeal(dispute_id: int, body: AppealIn, rt: RuntimeDep, who: ActorDep) -> out.DisputeOut:
    with rt.uow() as ctx:
        disputes.appeal(ctx, dispute_id, who, body)
        return dispute_out(ctx, disputes.get(ctx, dispute_id), who)


@router.post(
    "/disputes/{dispute_id}/appeal/decision",
    response_model=out.DisputeOut,
    responses=ERRORS,
    summary="申诉复核 · A different agent upholds or replaces the ruling",
)
def decide_appeal(dispute_id: int, body: AppealDecisionIn, rt: RuntimeDep, who: ActorDep) -> out.DisputeOut:
    with rt.uow() as ctx:
        disputes.decide_appeal(ctx, dispute_id, who, body)
        return dispute_out(ctx, disputes.get(ctx, dispute_id), who)
