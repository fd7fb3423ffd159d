"""Who may see a buyer's personal data, and purging it after the retention period.

Purging keeps the ledger and the audit chain whole: money records carry only pseudonymous ids,
and case events never hold free text. What goes is the buyer's name, phone and address, the
case's description, the evidence contents, photos attached to the request and the comment of a satisfaction rating.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from peifu.db.models import (
    Buyer,
    Case,
    CaseAttachment,
    Dispute,
    Evidence,
    EvidenceBlob,
    Order,
    SatisfactionRating,
)
from peifu.domain.actors import Actor
from peifu.domain.vocabulary import FINAL_CASE_STATES, Role
from peifu.services.context import Ctx

FINAL = tuple(str(s) for s in FINAL_CASE_STATES)


def may_see_personal_data(ctx: Ctx, actor: Actor | None, order: Order) -> bool:
    """The buyer themself, or an agent on a dispute about this order."""
    if actor is None:
        return False
    if actor.role is Role.buyer and actor.id == order.buyer_id:
        return True
    if actor.role is Role.agent:
        stmt = select(Dispute.id).join(Case, Case.id == Dispute.case_id).where(Case.order_id == order.id)
        return ctx.session.scalars(stmt).first() is not None
    return False


@dataclass(frozen=True)
class PurgeReport:
    cases: int
    evidence: int
    blobs: int
    buyers: int


def purge(ctx: Ctx, retention_days: int) -> PurgeReport:
    session, now = ctx.session, ctx.now()
    cutoff = now - timedelta(days=retention_days)
    cases = list(
        session.scalars(select(Case).where(Case.state.in_(FINAL), Case.resolved_at < cutoff, Case.purged_at.is_(None)))
    )
    evidence_count = 0
    freed: set[str] = set()
    for case in cases:
        case.description = ""
        case.refuse_reason = None
        case.purged_at = now
        # photos attached to the request and the buyer's rating comment are the buyer's words too
        for attachment in session.scalars(select(CaseAttachment).where(CaseAttachment.case_id == case.id)):
            freed.add(attachment.sha256)
            session.delete(attachment)
            evidence_count += 1
        for rating in session.scalars(select(SatisfactionRating).where(SatisfactionRating.case_id == case.id)):
            rating.comment = ""
        dispute = session.scalars(select(Dispute).where(Dispute.case_id == case.id)).first()
        if dispute is None:
            continue
        for evidence in session.scalars(select(Evidence).where(Evidence.dispute_id == dispute.id)):
            if evidence.sha256:
                freed.add(evidence.sha256)
            evidence.text = None
            evidence.sha256 = None
            evidence.filename = None
            evidence_count += 1
    session.flush()
    blobs = 0
    for digest in freed:
        still_used = session.scalars(select(Evidence.id).where(Evidence.sha256 == digest)).first()
        still_attached = session.scalars(select(CaseAttachment.id).where(CaseAttachment.sha256 == digest)).first()
        blob = session.get(EvidenceBlob, digest)
        if still_used is None and still_attached is None and blob is not None:
            session.delete(blob)
            blobs += 1
    buyers = 0
    for buyer in session.scalars(select(Buyer).where(Buyer.purged_at.is_(None))):
        recent = session.scalars(select(Order.id).where(Order.buyer_id == buyer.id, Order.created_at >= cutoff)).first()
        open_case = session.scalars(select(Case.id).where(Case.buyer_id == buyer.id, Case.state.not_in(FINAL))).first()
        unpurged = session.scalars(select(Case.id).where(Case.buyer_id == buyer.id, Case.purged_at.is_(None))).first()
        if recent is None and open_case is None and unpurged is None:
            buyer.name = buyer.phone = buyer.address = None
            buyer.purged_at = now
            buyers += 1
    session.flush()
    return PurgeReport(cases=len(cases), evidence=evidence_count, blobs=blobs, buyers=buyers)
