"""Platform intervention: opening disputes, evidence, rulings, the evidence deadline and appeals.

A ruling is carried out through the case state machine (`rule_refund`, `rule_return`,
`rule_close`), so its refunds, compensation and closing run through the same engine as
everything else, in the same unit of work. Nothing here edits money: an appeal that reverses a
ruling adds correcting ledger entries.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case as sql_case
from sqlalchemy import select

from peifu.db.locking import lock_case
from peifu.db.models import Appeal, Case, Dispute, Evidence, EvidenceBlob, Order, Ruling, User
from peifu.domain import compensation as compensation_rules
from peifu.domain import dispute_machine, file_types
from peifu.domain import intervention as rules
from peifu.domain.actors import SYSTEM, Actor, check_party
from peifu.domain.appeal_machine import RULINGS as APPEALS
from peifu.domain.appeal_machine import state_of as appeal_state
from peifu.domain.compensation import Rule
from peifu.domain.dispute_machine import Submission
from peifu.domain.errors import Conflict, Forbidden, Invalid, NotFound, TooLarge, UnsupportedType
from peifu.domain.events import DomainEvent, EventType, iso
from peifu.domain.intervention import DisputeFacts, EvidenceKind, Outcome
from peifu.domain.policy import Policy
from peifu.domain.vocabulary import (
    AppealAction,
    AppealState,
    CaseAction,
    CaseState,
    CaseType,
    DeadlineKind,
    Reason,
    Role,
)
from peifu.domain.vocabulary import DisputeAction as DA
from peifu.domain.vocabulary import DisputeStatus as DS
from peifu.services import cases as case_service
from peifu.services import compensation, events, metrics, money, timers
from peifu.services.context import Ctx
from peifu.services.inputs import AppealDecisionIn, AppealIn, RulingIn, RulingTerms


def dispute_facts(case: Case, order: Order, escalated_from: str) -> DisputeFacts:
    actions = [(e.actor_role, e.action) for e in case.events]
    return DisputeFacts(
        case_type=CaseType(case.case_type),
        reason=Reason(case.reason),
        seller_refused=("seller", "refuse") in actions,
        seller_refused_return=("seller", "reject_return") in actions,
        refused_delivery=order.refused_delivery_at is not None,
        refused_delivery_reason_given=bool(order.refused_delivery_reason),
        agreed_before=("seller", "propose") in actions and case.proposal is None,
        replacement_not_shipped=escalated_from == CaseState.awaiting_replacement,
    )


TERMS_ACTIONS = frozenset(
    {CaseAction.modify, CaseAction.accept_proposal, CaseAction.rule_refund, CaseAction.rule_return}
)  # events whose data carries the case's new terms (services.cases._terms_data), besides `open`
CLEARS_PROPOSAL = frozenset(
    {CaseAction.modify, CaseAction.accept_proposal, CaseAction.agree, CaseAction.rule_refund, CaseAction.rule_return}
)


def facts_as_escalated(case: Case, order: Order, proof_on_file: tuple[int, ...] = ()) -> DisputeFacts:
    """The facts as they stood when the case was last escalated — what `dispute_facts` saw then, read back
    from the timeline, so that a ruling or an appeal changing the case since does not change them —
    with the proof now on file."""
    timeline = list(case.events)
    last = max((i for i, e in enumerate(timeline) if e.action == CaseAction.escalate), default=None)
    before = timeline if last is None else timeline[:last]  # no escalation recorded: the case as it is
    escalated_from = case.state if last is None else timeline[last].from_state
    case_type, reason = CaseType(case.case_type), Reason(case.reason)
    proposed = pending = refused = refused_return = False
    for event in before:
        data = event.data if isinstance(event.data, dict) else {}
        if (event.action == "open" or event.action in TERMS_ACTIONS) and "case_type" in data:
            case_type, reason = CaseType(data["case_type"]), Reason(data["reason"])
        if event.action == CaseAction.propose and event.actor_role == Role.seller:
            proposed = pending = True
        elif event.action in CLEARS_PROPOSAL:
            pending = False
        refused = refused or (event.actor_role == Role.seller and event.action == CaseAction.refuse)
        refused_return = refused_return or (
            event.actor_role == Role.seller and event.action == CaseAction.reject_return
        )
    return DisputeFacts(
        case_type=case_type,
        reason=reason,
        seller_refused=refused,
        seller_refused_return=refused_return,
        refused_delivery=order.refused_delivery_at is not None,
        refused_delivery_reason_given=bool(order.refused_delivery_reason),
        agreed_before=proposed and not pending,
        replacement_not_shipped=escalated_from == CaseState.awaiting_replacement,
        proof_on_file=proof_on_file,
    )


def proof_on_file(ctx: Ctx, dispute: Dispute, policy: Policy) -> tuple[int, ...]:
    """The buyer's evidence of the kinds that prove counterfeit (policy abuse.counterfeit_proof_kinds)."""
    kinds = list(policy.abuse.counterfeit_proof_kinds.value)
    stmt = select(Evidence.id).where(
        Evidence.dispute_id == dispute.id, Evidence.party == "buyer", Evidence.kind.in_(kinds)
    )
    return tuple(ctx.session.scalars(stmt.order_by(Evidence.id)))


def current_guidance(ctx: Ctx, dispute: Dispute) -> dict[str, Any]:
    """The precedent the agent is shown now: the facts as escalated, and the evidence on file (the
    guidance stored when the dispute opened is what it was then)."""
    case = ctx.session.get(Case, dispute.case_id)
    order = ctx.session.get(Order, case.order_id) if case is not None else None
    assert case is not None and order is not None
    policy = ctx.policies.get(ctx.session, case.policy_version)
    facts = facts_as_escalated(case, order, proof_on_file(ctx, dispute, policy))
    return guidance_out(rules.guidance(facts, policy.intervention))


def guidance_out(hint: rules.Guidance) -> dict[str, Any]:
    return {
        "outcome": str(hint.outcome),
        "case_type": str(hint.case_type) if hint.case_type else None,
        "liable_party": str(hint.liable),
        "zh": hint.zh,
        "en": hint.en,
        "proof_evidence": list(hint.proof_evidence),
    }


def open_dispute(ctx: Ctx, case: Case, order: Order, opened_by: Role, escalated_from: str, policy: Policy) -> Dispute:
    """Called when a case escalates: the burden of proof and the evidence deadline are set now."""
    now = ctx.now()
    facts = dispute_facts(case, order, escalated_from)
    duties = rules.burden_of_proof(facts)
    hint = rules.guidance(facts, policy.intervention)
    # A case escalated a second time (e.g. after a ruling sent the goods back) reopens its dispute:
    # one dispute per case, its earlier rulings and evidence kept.
    dispute = for_case(ctx, case.id)
    if dispute is None:
        dispute = Dispute(case_id=case.id, shop_id=case.shop_id, buyer_id=case.buyer_id)
        dispute.status = dispute_machine.MACHINE.initial
        ctx.session.add(dispute)
    else:
        dispute.status = dispute_machine.MACHINE.target(dispute.status, DA.open, opened_by)
    dispute.opened_at = now
    dispute.opened_by = str(opened_by)
    dispute.closed_at = None
    dispute.evidence_deadline = now + timedelta(days=policy.deadlines.evidence_days.value)
    dispute.amount_fen = case.refund_amount_fen
    dispute.duties = [
        {"party": d.party, "fact_zh": d.fact_zh, "fact_en": d.fact_en, "proof": list(d.proof)} for d in duties
    ]
    dispute.guidance = {
        "outcome": str(hint.outcome),
        "case_type": str(hint.case_type) if hint.case_type else None,
        "liable_party": str(hint.liable),
        "zh": hint.zh,
        "en": hint.en,
    }
    _cancel(ctx, case.id, DeadlineKind.appeal_window)
    ctx.session.flush()
    _arm(ctx, case.id, DeadlineKind.evidence_due, dispute.evidence_deadline, policy)
    events.dispute_event(ctx, EventType.dispute_evidence_requested, dispute)
    return dispute


def on_escalated(ctx: Ctx, event: DomainEvent) -> None:
    """Reaction to `case.escalated`: the case's dispute opens (or reopens) with its burden of proof."""
    assert event.case_id is not None
    case = ctx.session.get(Case, event.case_id)
    assert case is not None
    order = ctx.session.get(Order, case.order_id)
    assert order is not None
    move = event.data["action"]
    policy = ctx.policies.get(ctx.session, case.policy_version)
    open_dispute(ctx, case, order, Role(move["actor"]["role"]), move["from_state"], policy)


def _arm(ctx: Ctx, case_id: int, kind: DeadlineKind, due_at: datetime, policy: Policy) -> None:
    timers.arm(ctx.session, kind, due_at, ctx.now(), policy, case_id=case_id)


def _cancel(ctx: Ctx, case_id: int, kind: DeadlineKind) -> None:
    timers.cancel_case_kind(ctx.session, case_id, kind, "superseded")


def get(ctx: Ctx, dispute_id: int, actor: Actor | None = None) -> Dispute:
    dispute = ctx.session.get(Dispute, dispute_id)
    if dispute is None:
        raise NotFound("dispute_not_found", f"No dispute {dispute_id}.", dispute_id=dispute_id)
    if actor is not None:
        check_party(actor, buyer_id=dispute.buyer_id, shop_id=dispute.shop_id, what="dispute")
    return dispute


def for_case(ctx: Ctx, case_id: int) -> Dispute | None:
    return ctx.session.scalars(select(Dispute).where(Dispute.case_id == case_id)).first()


def queue(ctx: Ctx, *, status: str | None, assigned_to: str | None, limit: int) -> list[Dispute]:
    """The agents' queue: open work first, earliest evidence deadline first, then the largest amount."""
    order_open = sql_case((Dispute.status.in_(dispute_machine.OPEN), 0), else_=1)
    stmt = select(Dispute).order_by(order_open, Dispute.evidence_deadline, Dispute.amount_fen.desc()).limit(limit)
    if status:
        stmt = stmt.where(Dispute.status == status)
    if assigned_to:
        stmt = stmt.where(Dispute.assigned_agent == assigned_to)
    return list(ctx.session.scalars(stmt))


def assign(ctx: Ctx, dispute_id: int, agent: Actor, agent_id: str) -> Dispute:
    """Put a dispute in an agent's queue. Assignment routes work; it is not a permission: any
    agent may rule on any dispute, and the ruling records who made it."""
    _require_agent(agent)
    dispute = get(ctx, dispute_id)
    _check_assignee(ctx, dispute, agent_id)
    dispute.assigned_agent = agent_id
    return dispute


def _check_assignee(ctx: Ctx, dispute: Dispute, agent_id: str) -> None:
    """Only an existing, active agent (or admin) account, and never one that is a party to the dispute."""
    user = ctx.session.get(User, agent_id)
    if user is None or user.role not in ("agent", "admin") or user.disabled_at is not None:
        raise Invalid(
            "assignee_not_an_agent", f"'{agent_id}' is not an active platform agent's account.", agent_id=agent_id
        )
    if agent_id in (dispute.buyer_id, dispute.shop_id):
        raise Invalid("assignee_is_a_party", "A dispute cannot be given to one of its own parties.", agent_id=agent_id)


def _require_agent(actor: Actor) -> None:
    if actor.role is not Role.agent:
        raise Forbidden("actor_not_allowed", "Only a platform agent can do this.")


def _party_of(actor: Actor) -> str:
    if actor.role in (Role.buyer, Role.seller, Role.agent):
        return str(actor.role)
    raise Forbidden("actor_not_allowed", "Only the parties and agents submit evidence.")


# --- evidence -------------------------------------------------------------------------------------


def add_evidence(
    ctx: Ctx,
    dispute_id: int,
    actor: Actor,
    kind: EvidenceKind,
    *,
    text: str | None = None,
    content: bytes | None = None,
    content_type: str | None = None,
    filename: str | None = None,
    for_appeal: bool = False,
) -> Evidence:
    dispute = get(ctx, dispute_id, actor)
    party = _party_of(actor)
    dispute_machine.decide(dispute.status, DA.submit_evidence, actor.role, Submission(for_appeal=for_appeal))
    evidence = Evidence(
        dispute_id=dispute.id,
        party=party,
        party_id=actor.id or "",
        kind=str(kind),
        created_at=ctx.now(),
        for_appeal=for_appeal,
        shared=party == "agent",
    )
    if content is not None:
        digest, media = store_file(ctx, kind, content, content_type)
        evidence.sha256, evidence.size, evidence.content_type = digest, len(content), media
        evidence.filename = (filename or "")[:255] or None
    else:
        if not text:
            raise Invalid("evidence_empty", "Give the text of the evidence, or upload a file.")
        evidence.text = text
        evidence.size = len(text.encode())
        evidence.content_type = "text/plain"
    ctx.session.add(evidence)
    ctx.session.flush()
    submitted = {
        "id": evidence.id,
        "party": evidence.party,
        "kind": evidence.kind,
        "for_appeal": evidence.for_appeal,
        "created_at": iso(evidence.created_at),
    }
    events.dispute_event(ctx, EventType.dispute_evidence_submitted, dispute, evidence=submitted)
    return evidence


def store_file(ctx: Ctx, kind: EvidenceKind, content: bytes, content_type: str | None) -> tuple[str, str]:
    """Check a file against the limits for its kind and keep its bytes once (by SHA-256).

    Returns the digest and the media type. Used for dispute evidence and for case attachments.
    """
    allowed, limit = rules.EVIDENCE_LIMITS[kind]
    media = (content_type or "").split(";")[0].strip().lower()
    if media not in allowed:
        raise UnsupportedType(
            "unsupported_media_type",
            f"{kind} evidence may be {', '.join(sorted(allowed))}; got '{media or 'unknown'}'.",
            allowed=sorted(allowed),
        )
    if len(content) > limit:
        raise TooLarge(
            "evidence_too_large", f"{kind} evidence may be at most {limit // (1024 * 1024)} MB.", limit=limit
        )
    if not content:
        raise Invalid("evidence_empty", "The file is empty.")
    file_types.require_match(media, content)  # the bytes, not the client's word, say what the file is
    digest = hashlib.sha256(content).hexdigest()
    if ctx.session.get(EvidenceBlob, digest) is None:
        ctx.session.add(EvidenceBlob(sha256=digest, size=len(content), content=content))
        ctx.session.flush()  # the blob row must exist before the evidence that points at it
    return digest, media


def visible_evidence(ctx: Ctx, dispute: Dispute, actor: Actor | None) -> list[Evidence]:
    """Agents see everything; a party sees its own and what an agent shared into the dispute."""
    rows = list(ctx.session.scalars(select(Evidence).where(Evidence.dispute_id == dispute.id).order_by(Evidence.id)))
    if actor is None or actor.role is Role.agent:
        return rows
    party = str(actor.role)
    return [e for e in rows if e.party == party or e.shared]


def evidence_file(ctx: Ctx, evidence_id: int, actor: Actor) -> tuple[Evidence, bytes]:
    evidence = ctx.session.get(Evidence, evidence_id)
    if evidence is None:
        raise NotFound("evidence_not_found", f"No evidence {evidence_id}.")
    try:
        dispute = get(ctx, evidence.dispute_id, actor)
    except NotFound:  # another party's dispute: answer as for evidence that does not exist
        raise NotFound("evidence_not_found", f"No evidence {evidence_id}.") from None
    if evidence not in visible_evidence(ctx, dispute, actor):
        raise NotFound("evidence_not_found", f"No evidence {evidence_id}.")
    if evidence.sha256 is None:
        return evidence, (evidence.text or "").encode()
    blob = ctx.session.get(EvidenceBlob, evidence.sha256)
    assert blob is not None
    return evidence, blob.content


def share(ctx: Ctx, evidence_id: int, agent: Actor) -> Evidence:
    _require_agent(agent)
    evidence = ctx.session.get(Evidence, evidence_id)
    if evidence is None:
        raise NotFound("evidence_not_found", f"No evidence {evidence_id}.")
    evidence.shared = True
    return evidence


# --- rulings --------------------------------------------------------------------------------------


ACTION_FOR = {
    (Outcome.support_buyer, True): CaseAction.rule_return,
    (Outcome.support_buyer, False): CaseAction.rule_refund,
    (Outcome.split_, False): CaseAction.rule_refund,
    (Outcome.split_, True): CaseAction.rule_refund,
}


def rule(ctx: Ctx, dispute_id: int, agent: Actor, body: RulingIn, *, on_appeal: bool = False) -> Ruling:
    """Decide a dispute and carry the decision out at once."""
    if agent.role not in (Role.agent, Role.system):
        raise Forbidden("actor_not_allowed", "Only a platform agent rules on disputes.")
    dispute = get(ctx, dispute_id)
    if agent.id is not None and agent.id in (dispute.buyer_id, dispute.shop_id):
        raise Forbidden("agent_is_a_party", "An agent cannot rule on a dispute they are a party to.")
    # an agent's ruling (or the default one) while evidence is open; on appeal, the one replacing it
    move = dispute_machine.decide(dispute.status, DA.replace_ruling if on_appeal else DA.rule, agent.role)
    outcome = Outcome(body.outcome)
    previous = dispute.rulings[-1] if dispute.rulings else None
    ruling = Ruling(
        dispute_id=dispute.id,
        agent_id=agent.id or "system",
        outcome=str(outcome),
        case_type=str(body.case_type) if body.case_type else None,
        refund_amount_fen=0,
        liable_party=body.liable_party,
        compensations=list(body.compensations),
        reasoning=body.reasoning,
        automatic=agent.role is Role.system,
        on_appeal=on_appeal,
        supersedes=previous.id if on_appeal and previous else None,
        created_at=ctx.now(),
    )
    dispute.rulings.append(ruling)  # through the loaded collection: whoever reads it next sees the ruling
    ctx.session.flush()
    case = _execute(ctx, dispute, agent, outcome, body)
    ruling.refund_amount_fen = case.refund_amount_fen if outcome is not Outcome.support_seller else 0
    policy = ctx.policies.get(ctx.session, case.policy_version)
    for name in body.compensations:
        quote = _ruled_quote(ctx, case, Rule(name), policy)
        compensation.pay(ctx, case, quote)
    if on_appeal and previous is not None and outcome is not Outcome.support_seller:
        _restore_overturned(ctx, case, previous, body, policy)
    dispute.liable_party = body.liable_party
    metrics.on_case_changed(ctx, case)
    _cancel(ctx, case.id, DeadlineKind.evidence_due)
    dispute.status = move.target
    if on_appeal:
        dispute.closed_at = ctx.now()
    else:
        dispute.appeal_deadline = ctx.now() + timedelta(days=policy.deadlines.appeal_days.value)
        _arm(ctx, case.id, DeadlineKind.appeal_window, dispute.appeal_deadline, policy)
    ctx.session.flush()
    events.dispute_event(ctx, EventType.dispute_ruled, dispute, ruling=events.ruling_data(ruling))
    return ruling


def _execute(ctx: Ctx, dispute: Dispute, agent: Actor, outcome: Outcome, body: RulingIn) -> Case:
    if outcome is Outcome.support_seller:
        return case_service.act(ctx, dispute.case_id, CaseAction.rule_close, agent)
    case = ctx.session.get(Case, dispute.case_id)
    assert case is not None
    own_type = CaseType(case.case_type) if CaseType(case.case_type).moves_money else CaseType.refund_only
    case_type = body.case_type or (CaseType.partial_refund if outcome is Outcome.split_ else own_type)
    # Goods the buyer already sent back (even if the seller rejected them) are not asked for again;
    # nor, once a ruling paid, by the appeal that replaces it (it pays the difference at once).
    goods_back = case.return_shipped_at is not None or case.state == CaseState.refunded
    action = ACTION_FOR[(outcome, case_type is CaseType.return_and_refund and not goods_back)]
    terms = RulingTerms(case_type=case_type, refund_amount_fen=body.refund_amount_fen)
    return case_service.act(ctx, dispute.case_id, action, agent, terms)


def _restore_overturned(ctx: Ctx, case: Case, replaced: Ruling, body: RulingIn, policy: Policy) -> None:
    """Compensation the replaced ruling found and the appeal's ruling does not: the buyer keeps what
    was paid, and the platform fund restores what the seller was charged (policy
    intervention.appeal_correction_payer; a ruling for the seller is reversed whole by rule_close)."""
    if policy.intervention.appeal_correction_payer.value != "platform_fund":
        return
    order = ctx.session.get(Order, case.order_id)
    assert order is not None
    found = compensation_rules.found_on_refund(compensation.refund_facts(ctx, case, order), policy)
    gone = rules.overturned_findings(list(replaced.compensations), body.compensations, [str(found)] if found else [])
    charged = [c for c in compensation.for_case(ctx, case.id) if c.rule in gone and c.payer == "seller"]
    if charged:
        money.make_seller_whole(ctx, case, refund_fen=0, compensations=charged)


def _ruled_quote(ctx: Ctx, case: Case, rule_name: Rule, policy: Policy) -> compensation.Quote:
    order = ctx.session.get(Order, case.order_id)
    assert order is not None
    lines = compensation.priced_lines(case)
    if rule_name is Rule.counterfeit:
        return compensation.counterfeit_quote(ctx, case, policy)
    if rule_name is Rule.out_of_stock:
        return compensation_rules.out_of_stock(lines, policy)
    if order.ship_deadline is None:
        raise Invalid("not_late", "The order has no ship deadline; late shipment cannot apply.")
    return compensation_rules.late_shipment(lines, order.ship_deadline, order.shipped_at, ctx.now(), policy)


def on_evidence_deadline(ctx: Ctx, case_id: int) -> str:
    """The evidence deadline passed: missing proof decides against the party that owed it."""
    dispute = for_case(ctx, case_id)
    if dispute is None or dispute.status != DS.evidence:
        return f"case {case_id}: no dispute waiting for evidence"
    case = ctx.session.get(Case, case_id)
    if case is None or case.state != CaseState.in_intervention:
        # The parties settled it themselves (withdrawal, agreement, advance compensation).
        dispute.status = dispute_machine.MACHINE.target(dispute.status, DA.settle, Role.system)
        dispute.closed_at = ctx.now()
        events.dispute_event(ctx, EventType.dispute_final, dispute)
        return f"dispute {dispute.id}: settled without a ruling (case {case.state if case else 'gone'})"
    submitted = {
        e.party
        for e in ctx.session.scalars(select(Evidence).where(Evidence.dispute_id == dispute.id))
        if e.created_at <= dispute.evidence_deadline
    }
    duties = [rules.ProofDuty(d["party"], d["fact_zh"], d["fact_en"], tuple(d["proof"])) for d in dispute.duties]
    decision = rules.default_ruling(duties, submitted)
    if decision is None:
        dispute.status = dispute_machine.MACHINE.target(dispute.status, DA.evidence_complete, Role.system)
        events.dispute_event(ctx, EventType.dispute_ready_for_review, dispute)
        return f"dispute {dispute.id}: evidence complete, ready for an agent"
    body = RulingIn(
        outcome=str(decision.outcome),
        liable_party=str(decision.liable),
        reasoning=f"{decision.zh} / {decision.en}",
        case_type=None,
    )
    rule(ctx, dispute.id, SYSTEM, body)
    return f"dispute {dispute.id}: ruled {decision.outcome} by default"


def on_appeal_window_closed(ctx: Ctx, case_id: int) -> str:
    dispute = for_case(ctx, case_id)
    if dispute is None or not dispute_machine.allows(dispute.status, DA.close_appeal_window):
        return f"case {case_id}: nothing to finalise"
    dispute.status = dispute_machine.MACHINE.target(dispute.status, DA.close_appeal_window, Role.system)
    dispute.closed_at = ctx.now()
    events.dispute_event(ctx, EventType.dispute_final, dispute)
    return f"dispute {dispute.id}: final"


# --- appeals --------------------------------------------------------------------------------------


def appeal(ctx: Ctx, dispute_id: int, actor: Actor, body: AppealIn) -> Appeal:
    dispute = get(ctx, dispute_id, actor)
    # Once appealed, a dispute is `appealed` and then `final`: say why, not just "not appealable".
    earlier = ctx.session.scalars(select(Appeal).where(Appeal.dispute_id == dispute.id)).first()
    if not APPEALS.allows(appeal_state(earlier is not None, earlier.decision if earlier else None), AppealAction.file):
        raise Conflict("already_appealed", "A ruling can be appealed only once.")
    window_passed = dispute.appeal_deadline is not None and ctx.now() > dispute.appeal_deadline
    if dispute.rulings and (window_passed or dispute.status == DS.final):
        raise Conflict("appeal_window_closed", "The appeal window has closed; the ruling is final.")
    if not dispute_machine.allows(dispute.status, DA.appeal) or not dispute.rulings:
        raise Conflict("not_appealable", "Only a ruled dispute inside its appeal window can be appealed.")
    ruling = dispute.rulings[-1]
    party = str(actor.role)
    if party not in rules.loser_of(Outcome(ruling.outcome)):
        raise Forbidden("not_the_losing_party", "Only the party the ruling went against may appeal.")
    lock_case(ctx.session, dispute.case_id)
    add_evidence(ctx, dispute.id, actor, EvidenceKind.text, text=body.evidence_text, for_appeal=True)
    record = Appeal(
        dispute_id=dispute.id,
        ruling_id=ruling.id,
        party=party,
        party_id=actor.id or "",
        reason=body.reason,
        created_at=ctx.now(),
    )
    ctx.session.add(record)
    dispute.status = dispute_machine.MACHINE.target(dispute.status, DA.appeal, actor.role)
    _cancel(ctx, dispute.case_id, DeadlineKind.appeal_window)
    ctx.session.flush()
    events.dispute_event(ctx, EventType.dispute_appealed, dispute, appeal=events.appeal_data(record))
    return record


def decide_appeal(ctx: Ctx, dispute_id: int, reviewer: Actor, body: AppealDecisionIn) -> Appeal:
    """A different agent reviews: the ruling stands, or a new one replaces it and is carried out."""
    _require_agent(reviewer)
    dispute = get(ctx, dispute_id)
    record = ctx.session.scalars(select(Appeal).where(Appeal.dispute_id == dispute.id)).first()
    pending = record is not None and record.decided_at is None
    if not pending or not dispute_machine.allows(dispute.status, DA.uphold):
        raise Conflict("no_pending_appeal", "There is no appeal waiting for review on this dispute.")
    assert record is not None
    original = ctx.session.get(Ruling, record.ruling_id)
    assert original is not None
    if original.agent_id == reviewer.id:
        raise Forbidden("same_agent", "An appeal is reviewed by a different agent than the one who ruled.")
    record.reviewer = reviewer.id
    decision = AppealAction.replace_ruling if body.decision == AppealState.replaced else AppealAction.uphold
    outcome = APPEALS.target(appeal_state(True, record.decision), decision, reviewer.role)
    if decision is AppealAction.replace_ruling:
        assert body.ruling is not None
        rule(ctx, dispute.id, reviewer, body.ruling, on_appeal=True)
    else:
        dispute.status = dispute_machine.MACHINE.target(dispute.status, DA.uphold, reviewer.role)
        dispute.closed_at = ctx.now()
    record.decision = outcome
    record.decided_at = ctx.now()
    ctx.session.flush()
    events.dispute_event(ctx, EventType.appeal_decided, dispute, appeal=events.appeal_data(record))
    events.dispute_event(ctx, EventType.dispute_final, dispute)
    return record
