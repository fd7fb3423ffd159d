"""After-sale cases: opening them and moving them through the state machine.

`act` is the one door every move goes through — the buyer's and seller's buttons, the deadline
worker and (later) agents' rulings — so the timeline, the deadlines and the money always follow
the same table (`peifu.domain.case_machine`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session, make_transient_to_detached, object_session
from sqlalchemy.orm.util import identity_key

from peifu.db.locking import lock_case_with_timeline, lock_order, lock_order_of_case
from peifu.db.models import Case, CaseEvent, CaseLine, Dispute, Order
from peifu.domain import compensation as compensation_rules
from peifu.domain import intervention as intervention_rules
from peifu.domain.actors import SYSTEM, Actor, is_platform
from peifu.domain.case_machine import decide
from peifu.domain.eligibility import RequestTerms, check_changed_terms, check_new_request, phase_of
from peifu.domain.errors import Forbidden, Ineligible, Invalid, NotFound
from peifu.domain.money import allocate
from peifu.domain.orders import auto_confirm_after_case, closed_by_refunds
from peifu.domain.policy import Policy
from peifu.domain.vocabulary import (
    CaseAction,
    CaseState,
    CaseType,
    DeadlineKind,
    OrderEventKind,
    OrderState,
    Reason,
    Role,
)
from peifu.services import access, audit, compensation, events, ledger, metrics, money, raw_cases, raw_returns
from peifu.services import orders as order_service
from peifu.services.context import Ctx
from peifu.services.inputs import (
    AgreeIn,
    CaseIn,
    ModifyIn,
    ProposeIn,
    RefuseIn,
    RejectReturnIn,
    RulingTerms,
    ShipmentIn,
)
from peifu.services.timers import arm_auto_confirm, cancel_order_deadlines, case_facts, rearm_case_deadline


def open_case(ctx: Ctx, data: CaseIn, actor: Actor) -> Case:
    """A buyer's new request, checked against the order's state, windows and refundable money."""
    session, now = ctx.session, ctx.now()
    if actor.role not in (Role.buyer, Role.system, Role.platform):
        raise Forbidden("actor_not_allowed", "Only the buyer (or the marketplace on their behalf) opens a request.")
    # the plain request: the same lock, access check, eligibility and rows (its reactions taken),
    # as bare driver calls (services.raw_cases; the twin test holds it to this path's rows); None,
    # with nothing written, for the rest
    if (opened := raw_cases.open_one(ctx, data, actor)) is not None:
        events.react(ctx)  # anything else this unit of work queued
        return opened
    order = lock_order(session, data.order_id)
    if order is None:
        raise NotFound("order_not_found", f"No order '{data.order_id}'.", order_id=data.order_id)
    access.check_order(ctx, actor, order)
    policy = ctx.policies.current
    view = order_service.order_view(session, order)
    amounts = raw_cases.asked_amounts(view, data)
    terms = RequestTerms(case_type=data.case_type, reason=data.reason, amounts=amounts)
    check_new_request(view, terms, now, policy)

    case = Case(
        order_id=order.id,
        shop_id=order.shop_id,
        buyer_id=order.buyer_id,
        case_type=data.case_type,
        reason=data.reason,
        state=CaseState.requested,
        phase=phase_of(view),
        description=data.description,
        policy_version=policy.version,
        opened_at=now,
        state_entered_at=now,
        events=[],  # a new case has no timeline yet: not loaded to count it (`_record`)
    )
    by_no = {line.line_no: line for line in order.lines}
    for line_no, amount in amounts.items():
        case.lines.append(CaseLine(order_line_id=by_no[line_no].id, amount_fen=amount))
    session.add(case)
    session.flush()
    _record(ctx, case, actor, "open", None, CaseState.requested, now, _terms_data(case), policy)
    if case.phase == "in_trade" and order.state == OrderState.shipped:
        cancel_order_deadlines(session, order.id, DeadlineKind.auto_confirm_receipt, f"paused by case {case.id}")
    rearm_case_deadline(session, case, policy, now, new=True)
    session.flush()
    events.react(ctx)  # triage, a standing buyer mark, the shop's auto-handling rules (services.reactions)
    metrics.on_case_changed(ctx, case)
    return case


def get_case(ctx: Ctx, case_id: int, actor: Actor | None = None) -> Case:
    case = ctx.session.get(Case, case_id)
    if case is None:
        raise NotFound("case_not_found", f"No case {case_id}.", case_id=case_id)
    if actor is not None:
        access.check_case(ctx, actor, case)
    return case


def act(ctx: Ctx, case_id: int, action: CaseAction, actor: Actor, body: BaseModel | None = None) -> Case:
    """Take one action on a case, with every follow-up the table prescribes, in this unit of work."""
    session = ctx.session
    # a plain move of the return flow, or a plain refund agreement: the same locks, access check, state
    # machine and rows, as bare driver calls (services.raw_returns, batch_refunds.agree_one; the
    # golden and twin tests hold them to this path's rows); None, with nothing written, for the rest
    if (
        action in raw_returns.ACTIONS
        and (written := raw_returns.act_one(ctx, case_id, action, actor, body)) is not None
    ):
        events.react(ctx)
        return _case_as_written(session, written)
    order = lock_order_of_case(session, case_id)  # lock order → case, see peifu.db.locking
    if order is None:
        raise NotFound("case_not_found", f"No case {case_id}.", case_id=case_id)
    case = lock_case_with_timeline(session, case_id)
    assert case is not None
    access.check_case(ctx, actor, case)
    policy = ctx.policies.get(session, case.policy_version)
    with ledger.remembering(session):  # e.g. the escrow read for a refund is not read again to close the order
        _step(ctx, case, order, action, actor, body, policy)
    rearm_case_deadline(session, case, policy, ctx.now())
    session.flush()
    events.react(ctx)  # e.g. an escalation opens its dispute, a modified request meets the shop's rules
    metrics.on_case_changed(ctx, case)
    return case


def _case_as_written(session: Session, written: dict[str, Any]) -> Case:
    """The Case the caller gets after the fast path, without reading it back: the session's own
    object if it holds one (expired by the fast path: read afresh when next used), else one made
    persistent from the columns as written (the others, and its lines and timeline, load when
    first used, as a loaded Case's relationships do)."""
    held = session.identity_map.get(identity_key(Case, written["id"]))
    if isinstance(held, Case):
        return held
    case = Case(**written)
    make_transient_to_detached(case)
    session.add(case)
    return case


def _step(
    ctx: Ctx, case: Case, order: Order, action: CaseAction, actor: Actor, body: BaseModel | None, policy: Policy
) -> None:
    now = ctx.now()
    row = decide(case_facts(case), action, actor.role, now, policy)
    effect = EFFECTS.get(action)
    ctx.actor = actor
    data = effect(ctx, case, order, body, policy) if effect else {}
    note = getattr(body, "note", None)
    if isinstance(note, str) and note:
        data["note"] = note
    source = case.state
    case.state = row.target
    if row.resets_deadline:
        case.state_entered_at = now
    if row.target.is_final:
        case.resolved_at = now
        _on_case_ended(ctx, case, order, policy)
    _record(ctx, case, actor, action, source, row.target, now, data, policy)
    if row.then is not None:
        _step(ctx, case, order, row.then, SYSTEM, None, policy)


def _record(
    ctx: Ctx,
    case: Case,
    actor: Actor,
    action: str,
    source: str | None,
    target: str,
    now: datetime,
    data: dict[str, Any],
    policy: Policy,
) -> None:
    """The timeline entry of a move, its audit link and the domain events it emits."""
    event = CaseEvent(
        seq=len(case.events) + 1,
        at=now,
        actor_role=str(actor.role),
        actor_id=actor.id,
        action=str(action),
        from_state=str(source or ""),
        to_state=str(target),
        data=data,
    )
    case.events.append(event)
    event.case_id = case.id
    session = object_session(case)
    assert session is not None
    audit.append_case_event(session, event, now)
    events.case_move(ctx, case, event, policy)


def _terms_data(case: Case) -> dict[str, Any]:
    return {
        "case_type": case.case_type,
        "reason": case.reason,
        "refund_amount_fen": case.refund_amount_fen,
        "lines": {str(line.order_line.line_no): line.amount_fen for line in case.lines},
    }


def _on_case_ended(ctx: Ctx, case: Case, order: Order, policy: Policy) -> None:
    """A finished in-trade case resumes the order's auto-confirm timer, with a minimum left."""
    session, now = ctx.session, ctx.now()
    if order.state != OrderState.shipped or case.phase != "in_trade":
        return  # what the move changed goes with the unit of work's next flush
    session.flush()
    if order_service.open_case_count(session, order.id, in_trade_only=True):
        return
    base = order.auto_confirm_at or now
    arm_auto_confirm(session, order, auto_confirm_after_case(base, now, policy), now, policy)


# --- what each action does to the case beyond changing its state --------------------------------


def _changed_terms(
    ctx: Ctx, case: Case, order: Order, policy: Policy, *, case_type: CaseType, reason: Reason, total: int | None
) -> dict[int, int]:
    """New per-line amounts for changed terms, validated as if the buyer had asked for them."""
    session = ctx.session
    view = order_service.order_view(session, order, excluding_case=case.id)
    lines = [(cl, cl.order_line.line_no) for cl in case.lines]
    if not case_type.moves_money:
        amounts = {no: 0 for _, no in lines}
    elif total is None and case.refund_amount_fen > 0:
        amounts = {no: cl.amount_fen for cl, no in lines}
    else:
        caps = [view.line(no).refundable_fen for _, no in lines]
        wanted = sum(caps) if total is None else total
        if wanted > sum(caps):
            raise Ineligible(
                "amount_exceeds_refundable",
                f"At most {sum(caps)} fen can be refunded for these lines.",
                refundable_fen=sum(caps),
            )
        amounts = dict(zip([no for _, no in lines], allocate(wanted, caps), strict=True))
    check_changed_terms(view, RequestTerms(case_type, reason, amounts), {}, ctx.now(), policy)
    return amounts


def _apply_amounts(case: Case, amounts: dict[int, int]) -> None:
    for cl in case.lines:
        cl.amount_fen = amounts[cl.order_line.line_no]


def _modify(ctx: Ctx, case: Case, order: Order, body: BaseModel | None, policy: Policy) -> dict[str, Any]:
    assert isinstance(body, ModifyIn)
    case_type = body.case_type or CaseType(case.case_type)
    reason = body.reason or Reason(case.reason)
    amounts = _changed_terms(ctx, case, order, policy, case_type=case_type, reason=reason, total=body.refund_amount_fen)
    case.case_type, case.reason = case_type, reason
    _apply_amounts(case, amounts)
    if body.description is not None:
        case.description = body.description
    case.proposal = None
    case.refuse_reason = None
    return _terms_data(case)


def _propose(ctx: Ctx, case: Case, order: Order, body: BaseModel | None, policy: Policy) -> dict[str, Any]:
    assert isinstance(body, ProposeIn)
    case_type = body.case_type or CaseType(case.case_type)
    reason = body.reason or Reason(case.reason)
    amounts = _changed_terms(ctx, case, order, policy, case_type=case_type, reason=reason, total=body.refund_amount_fen)
    case.proposal = {
        "case_type": str(case_type),
        "amounts": {str(k): v for k, v in amounts.items()},
        "refund_amount_fen": sum(amounts.values()),
        "note": body.note,
    }
    if body.reason is not None and body.reason != case.reason:
        case.proposal["reason"] = str(body.reason)  # 协商修改退款原因: the buyer is asked to change it
    return dict(case.proposal)


def _accept_proposal(ctx: Ctx, case: Case, order: Order, body: BaseModel | None, policy: Policy) -> dict[str, Any]:
    proposal = case.proposal
    if not proposal:
        raise Invalid("no_proposal", "There is no proposal to accept.")
    case_type = CaseType(proposal["case_type"])
    reason = Reason(proposal.get("reason") or case.reason)
    amounts = _changed_terms(
        ctx, case, order, policy, case_type=case_type, reason=reason, total=proposal["refund_amount_fen"]
    )
    case.case_type, case.reason = case_type, reason
    _apply_amounts(case, amounts)
    case.proposal = None
    return _terms_data(case)


def _refuse(ctx: Ctx, case: Case, order: Order, body: BaseModel | None, policy: Policy) -> dict[str, Any]:
    assert isinstance(body, RefuseIn | RejectReturnIn)
    case.refuse_reason = body.reason
    return {"reason": body.reason}


def _agree(ctx: Ctx, case: Case, order: Order, body: BaseModel | None, policy: Policy) -> dict[str, Any]:
    case.proposal = None
    if not (isinstance(body, AgreeIn) and body.confirm_return_on_sign):
        return {}
    if not CaseType(case.case_type).goods_come_back:
        raise Invalid(
            "confirm_on_sign_not_applicable",
            "Only a return, exchange or repair has a parcel to be signed for; agree without confirm_return_on_sign.",
        )
    case.confirm_return_on_sign = True
    return {"confirm_return_on_sign": True}


def _ship_return(ctx: Ctx, case: Case, order: Order, body: BaseModel | None, policy: Policy) -> dict[str, Any]:
    return _moved(case, raw_returns.move_effect(CaseAction.ship_return, case, body, ctx.now()))


def _return_signed(ctx: Ctx, case: Case, order: Order, body: BaseModel | None, policy: Policy) -> dict[str, Any]:
    return _moved(case, raw_returns.move_effect(CaseAction.return_signed, case, body, ctx.now()))


def _moved(case: Case, effect: tuple[dict[str, Any], dict[str, Any]]) -> dict[str, Any]:
    """Set a move's changed columns on the case; the timeline entry's data."""
    changes, data = effect
    for name, value in changes.items():
        setattr(case, name, value)
    return data


def _confirm_return(ctx: Ctx, case: Case, order: Order, body: BaseModel | None, policy: Policy) -> dict[str, Any]:
    """The seller has the goods back. Goods sent back to be exchanged or repaired settle the buyer's
    return postage now, by fault (谁过错，谁承担); a return_and_refund settles it with its refund."""
    settled = money.settle_return_postage(ctx, case, order, policy.shipping)
    if settled is None:
        return {}
    return {
        "return_shipping_fen": settled.amount_fen,
        "return_shipping_payer": settled.payer,
        "shipping_basis": settled.shipping.basis,
        "ledger_txn": settled.txn.id if settled.txn else None,
    }


def _ship_replacement(ctx: Ctx, case: Case, order: Order, body: BaseModel | None, policy: Policy) -> dict[str, Any]:
    assert isinstance(body, ShipmentIn)
    case.replacement_courier, case.replacement_tracking_no = body.courier, body.tracking_no
    case.replacement_shipped_at = ctx.now()
    return {"courier": body.courier, "tracking_no": body.tracking_no}


def _escalate(ctx: Ctx, case: Case, order: Order, body: BaseModel | None, policy: Policy) -> dict[str, Any]:
    """The dispute opens in reaction to `case.escalated` (services.reactions → disputes.on_escalated)."""
    case.escalated_at = ctx.now()
    return {}


def _mark_lines_refunded(case: Case) -> None:
    for cl in case.lines:
        line = cl.order_line
        if line.refunded_fen + cl.amount_fen > line.paid_fen:
            raise Invalid("refund_exceeds_paid", f"Line {line.line_no} would be refunded more than was paid.")
        line.refunded_fen += cl.amount_fen


def _closes_order(case: Case, order: Order) -> bool:
    return closed_by_refunds(case.phase, ((line.refunded_fen, line.paid_fen) for line in order.lines))


def _execute_refund(ctx: Ctx, case: Case, order: Order, body: BaseModel | None, policy: Policy) -> dict[str, Any]:
    """Money back to the buyer through the ledger, then any compensation the case has earned.

    The order closes when nothing is left unrefunded in-trade.
    """
    _mark_lines_refunded(case)
    closes = _closes_order(case, order)
    breakdown = money.refund_breakdown(order, case, closes_order=closes, rules=policy.shipping)
    txn = money.refund_case(ctx, case, order, breakdown)
    if closes:
        order_service.end_by_system(ctx, order, OrderEventKind.closed, {"reason": "fully_refunded", "case_id": case.id})
    paid = [compensation.pay(ctx, case, q) for q in compensation.quotes_on_refund(ctx, case, order, policy)]
    return {
        "refund_amount_fen": case.refund_amount_fen,
        "outbound_shipping_fen": breakdown.outbound_shipping_fen,
        "return_shipping_fen": breakdown.return_shipping_fen,
        "shipping_basis": breakdown.shipping.basis,
        "ledger_txn": txn.id,
        "compensations": [{"rule": c.rule, "amount_fen": c.amount_fen} for c in paid],
    }


def _advance_compensation(ctx: Ctx, case: Case, order: Order, body: BaseModel | None, policy: Policy) -> dict[str, Any]:
    """先行赔付: the platform refunds the buyer from its fund now and recovers it from the seller."""
    quote = compensation_rules.advance_compensation(case.refund_amount_fen, Reason(case.reason), policy)
    if quote.amount_fen <= 0:
        raise Invalid("nothing_to_advance", "The case asks for no money; there is nothing to pay in advance.")
    _mark_lines_refunded(case)
    paid = compensation.pay(ctx, case, quote)
    if _closes_order(case, order):
        order_service.end_by_system(ctx, order, OrderEventKind.closed, {"reason": "fully_refunded", "case_id": case.id})
    return {"refund_amount_fen": paid.amount_fen, "compensations": [{"rule": paid.rule, "amount_fen": paid.amount_fen}]}


def _ruled_amounts(ctx: Ctx, case: Case, order: Order, total: int | None) -> dict[int, int]:
    """A ruling's refund, spread over the case's lines within what each can still refund."""
    view = order_service.order_view(ctx.session, order, excluding_case=case.id)
    lines = [cl.order_line.line_no for cl in case.lines]
    caps = [view.line(no).refundable_fen for no in lines]
    wanted = sum(caps) if total is None else total
    if wanted > sum(caps):
        raise Ineligible(
            "amount_exceeds_refundable",
            f"At most {sum(caps)} fen can be refunded for these lines.",
            refundable_fen=sum(caps),
        )
    return dict(zip(lines, allocate(wanted, caps), strict=True))


def _rule_money(ctx: Ctx, case: Case, order: Order, body: BaseModel | None, policy: Policy) -> dict[str, Any]:
    assert isinstance(body, RulingTerms)
    if case.state == CaseState.refunded:  # an appeal replaces a ruling that already paid
        return _correct_paid_refund(ctx, case, order, body, policy)
    default = CaseType.refund_only if case.state != CaseState.in_intervention else CaseType(case.case_type)
    case_type = body.case_type or default
    if not case_type.moves_money:
        case_type = CaseType.refund_only
    _apply_amounts(case, _ruled_amounts(ctx, case, order, body.refund_amount_fen))
    case.case_type = case_type
    case.proposal = None
    return _terms_data(case)


def _correct_paid_refund(ctx: Ctx, case: Case, order: Order, terms: RulingTerms, policy: Policy) -> dict[str, Any]:
    """An appeal's ruling on a refunded case (domain.intervention.appeal_correction), by new entries:
    more to the buyer is refunded now; less is made good to the seller as the policy says, the buyer
    keeping what was paid out (which stays counted on the order's lines)."""
    view = order_service.order_view(ctx.session, order, excluding_case=case.id)
    lines = list(case.lines)
    paid = [cl.amount_fen for cl in lines]
    room = [view.line(cl.order_line.line_no).refundable_fen for cl in lines]
    correction = intervention_rules.appeal_correction(paid, room, terms.refund_amount_fen, policy.intervention)
    for cl, amount, more in zip(lines, correction.amounts, correction.to_buyer, strict=True):
        cl.amount_fen = amount
        cl.order_line.refunded_fen += more
    case_type = terms.case_type or CaseType(case.case_type)
    case.case_type = case_type if case_type.moves_money else CaseType.refund_only
    data = _terms_data(case)
    data.update(paid_to_buyer_fen=sum(correction.to_buyer), made_good_to_seller_fen=correction.made_good_fen)
    if sum(correction.to_buyer):
        closes = _closes_order(case, order) and order.state in (OrderState.paid, OrderState.shipped)
        difference = money.DifferenceTerms(case.reason, str(case.case_type), sum(correction.to_buyer))
        breakdown = money.refund_breakdown(order, difference, closes_order=closes, rules=policy.shipping)
        data["ledger_txn"] = money.refund_case(ctx, case, order, breakdown).id
        data["outbound_shipping_fen"] = breakdown.outbound_shipping_fen
        if closes:
            order_service.end_by_system(
                ctx, order, OrderEventKind.closed, {"reason": "fully_refunded", "case_id": case.id}
            )
    if correction.made_good_fen:
        txn = money.make_seller_whole(ctx, case, refund_fen=correction.made_good_fen, compensations=[])
        data["correction_txn"] = txn.id if txn else None
    return data


def _rule_close(ctx: Ctx, case: Case, order: Order, body: BaseModel | None, policy: Policy) -> dict[str, Any]:
    """Closing a case that was refunded (an appeal reversed the ruling) corrects the money with
    new entries: the buyer keeps what was paid out, and the platform's fund makes the seller whole
    for the refund and for any compensation charged to the seller — unless the policy puts it on
    the seller (intervention.appeal_correction_payer)."""
    if case.state != CaseState.refunded or policy.intervention.appeal_correction_payer.value != "platform_fund":
        return {}
    txn = money.reverse_for_seller(ctx, case, compensation.for_case(ctx, case.id))
    return {"correction_txn": txn.id if txn else None}


Effect = Callable[[Ctx, Case, Order, BaseModel | None, Policy], dict[str, Any]]

EFFECTS: dict[CaseAction, Effect] = {
    CaseAction.modify: _modify,
    CaseAction.propose: _propose,
    CaseAction.accept_proposal: _accept_proposal,
    CaseAction.refuse: _refuse,
    CaseAction.reject_return: _refuse,
    CaseAction.agree: _agree,
    CaseAction.ship_return: _ship_return,
    CaseAction.return_signed: _return_signed,
    CaseAction.confirm_return: _confirm_return,
    CaseAction.ship_replacement: _ship_replacement,
    CaseAction.escalate: _escalate,
    CaseAction.execute_refund: _execute_refund,
    CaseAction.advance_compensation: _advance_compensation,
    CaseAction.rule_refund: _rule_money,
    CaseAction.rule_return: _rule_money,
    CaseAction.rule_close: _rule_close,
}


def list_cases(
    session: Session,
    *,
    actor: Actor,
    state: str | None = None,
    shop_id: str | None = None,
    buyer_id: str | None = None,
    limit: int = 50,
    after_id: int | None = None,
) -> list[Case]:
    stmt = select(Case).order_by(Case.id.desc()).limit(limit)
    if actor.role is Role.buyer:
        stmt = stmt.where(Case.buyer_id == actor.id)
    elif actor.role is Role.seller:
        stmt = stmt.where(Case.shop_id == actor.id)
    elif actor.role is Role.agent and not actor.admin:
        stmt = stmt.where(Case.id.in_(select(Dispute.case_id)))
    elif not is_platform(actor):
        return []
    if state:
        stmt = stmt.where(Case.state == state)
    if shop_id:
        stmt = stmt.where(Case.shop_id == shop_id)
    if buyer_id:
        stmt = stmt.where(Case.buyer_id == buyer_id)
    if after_id:
        stmt = stmt.where(Case.id < after_id)
    return list(session.scalars(stmt))
