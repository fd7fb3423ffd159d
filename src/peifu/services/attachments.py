"""Photos and files a party attaches to a case before any dispute (凭证图片 with a request).

The bytes are kept in `evidence_blobs` and checked against the same per-kind limits as dispute
evidence (`services.disputes.store_file`). Once the case is in intervention, new files go to the
dispute as evidence, and the ones attached earlier are carried into it when it opens (a reaction
to `dispute.evidence_requested`, see services.reactions), so the agent sees them with the rest.
"""

from __future__ import annotations

from sqlalchemy import select

from peifu.db.models import CaseAttachment, Dispute, Evidence, EvidenceBlob
from peifu.domain.actors import Actor
from peifu.domain.errors import Conflict, Forbidden, NotFound
from peifu.domain.events import DomainEvent
from peifu.domain.intervention import EvidenceKind
from peifu.domain.vocabulary import CaseState, Role
from peifu.services import cases as case_service
from peifu.services import disputes
from peifu.services.context import Ctx

MAX_PER_CASE = 9  # as many photos as a request form takes on the big marketplaces


def add(
    ctx: Ctx,
    case_id: int,
    actor: Actor,
    kind: EvidenceKind,
    content: bytes,
    content_type: str | None,
    filename: str | None,
) -> CaseAttachment | Evidence:
    """Attach a file to a case: to its dispute as evidence when there is one, otherwise to the case."""
    case = case_service.get_case(ctx, case_id, actor)
    if actor.role not in (Role.buyer, Role.seller):
        raise Forbidden("actor_not_allowed", "Only the buyer and the seller attach files to a case.")
    dispute = disputes.for_case(ctx, case.id)
    if dispute is not None:
        return disputes.add_evidence(
            ctx, dispute.id, actor, kind, content=content, content_type=content_type, filename=filename
        )
    if CaseState(case.state).is_final:
        raise Conflict("case_final", "The case has ended; no more files are taken.")
    count = len(list(ctx.session.scalars(select(CaseAttachment.id).where(CaseAttachment.case_id == case.id))))
    if count >= MAX_PER_CASE:
        raise Conflict("too_many_attachments", f"A case takes at most {MAX_PER_CASE} files.", limit=MAX_PER_CASE)
    digest, media = disputes.store_file(ctx, kind, content, content_type)
    attachment = CaseAttachment(
        case_id=case.id,
        party=str(actor.role),
        party_id=actor.id or "",
        kind=str(kind),
        sha256=digest,
        size=len(content),
        content_type=media,
        filename=(filename or "")[:255] or None,
        created_at=ctx.now(),
    )
    ctx.session.add(attachment)
    ctx.session.flush()
    return attachment


def for_case(ctx: Ctx, case_id: int) -> list[CaseAttachment]:
    """Both parties see each other's attachments (the seller must see the buyer's photos)."""
    stmt = select(CaseAttachment).where(CaseAttachment.case_id == case_id).order_by(CaseAttachment.id)
    return list(ctx.session.scalars(stmt))


def content(ctx: Ctx, attachment_id: int, actor: Actor) -> tuple[CaseAttachment, bytes]:
    attachment = ctx.session.get(CaseAttachment, attachment_id)
    if attachment is None:
        raise NotFound("attachment_not_found", f"No attachment {attachment_id}.")
    try:
        case_service.get_case(ctx, attachment.case_id, actor)
    except NotFound:  # someone else's case: answer as for an attachment that does not exist
        raise NotFound("attachment_not_found", f"No attachment {attachment_id}.") from None
    blob = ctx.session.get(EvidenceBlob, attachment.sha256)
    assert blob is not None
    return attachment, blob.content


def on_dispute_opened(ctx: Ctx, event: DomainEvent) -> None:
    """Reaction to `dispute.evidence_requested`: what the parties attached before goes to the agent."""
    dispute = ctx.session.get(Dispute, int(event.subject_id))
    assert dispute is not None
    carry_into(ctx, dispute.case_id, dispute)


def carry_into(ctx: Ctx, case_id: int, dispute: Dispute) -> int:
    """Copy the case's attachments into its dispute's evidence (once each); returns how many."""
    ctx.session.flush()
    present = {
        (e.party, e.sha256)
        for e in ctx.session.scalars(select(Evidence).where(Evidence.dispute_id == dispute.id))
        if e.sha256
    }
    carried = 0
    for a in for_case(ctx, case_id):
        if (a.party, a.sha256) in present:
            continue
        ctx.session.add(
            Evidence(
                dispute_id=dispute.id,
                party=a.party,
                party_id=a.party_id,
                kind=a.kind,
                sha256=a.sha256,
                size=a.size,
                content_type=a.content_type,
                filename=a.filename,
                created_at=ctx.now(),
                for_appeal=False,
                shared=False,
            )
        )
        present.add((a.party, a.sha256))
        carried += 1
    return carried
