"""ORM rows → response bodies. All times leave as UTC plus the Asia/Shanghai wall time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from peifu.adapters.api import schemas as out
from peifu.adapters.db.models import Buyer, Case, Compensation, Deadline, LedgerTransaction, Order, OutboxMessage
from peifu.domain.case_machine import DEADLINE_ACTIONS, allowed_actions
from peifu.domain.clock import to_local
from peifu.domain.ledger import PAYOUTS_PENDING
from peifu.domain.policy import Policy
from peifu.domain.privacy import mask_address, mask_name, mask_phone
from peifu.domain.vocabulary import DeadlineKind, DeadlineStatus
from peifu.services.timers import facts_of
from peifu.services.triage import case_triage


def instant(value: datetime | None) -> out.Instant | None:
    if value is None:
        return None
    return out.Instant(utc=value, local=to_local(value).isoformat(sep=" "))


def must(value: datetime) -> out.Instant:
    result = instant(value)
    assert result is not None
    return result


def buyer_out(buyer: Buyer | None, buyer_id: str, *, reveal: bool) -> out.BuyerOut:
    if buyer is None:
        return out.BuyerOut(id=buyer_id, name=None, phone=None, address=None, masked=not reveal)
    if reveal:
        return out.BuyerOut(id=buyer.id, name=buyer.name, phone=buyer.phone, address=buyer.address, masked=False)
    return out.BuyerOut(
        id=buyer.id,
        name=mask_name(buyer.name),
        phone=mask_phone(buyer.phone),
        address=mask_address(buyer.address),
        masked=True,
    )


def order_out(order: Order, *, reveal_personal_data: bool = False) -> out.OrderOut:
    session = object_session(order)
    buyer = session.get(Buyer, order.buyer_id) if session is not None else None
    return out.OrderOut(
        id=order.id,
        shop_id=order.shop_id,
        buyer_id=order.buyer_id,
        buyer=buyer_out(buyer, order.buyer_id, reveal=reveal_personal_data),
        state=order.state,
        policy_version=order.policy_version,
        created_at=must(order.created_at),
        paid_at=instant(order.paid_at),
        ship_deadline=instant(order.ship_deadline),
        shipped_at=instant(order.shipped_at),
        courier=order.courier,
        tracking_no=order.tracking_no,
        signed_at=instant(order.signed_at),
        completed_at=instant(order.completed_at),
        closed_at=instant(order.closed_at),
        auto_confirm_at=instant(order.auto_confirm_at),
        free_shipping=order.free_shipping,
        shipping_fee_fen=order.shipping_fee_fen,
        shipping_insurance=order.shipping_insurance,
        promotion=order.promotion,
        presale_ship_by=instant(order.presale_ship_by),
        invoice_promised=order.invoice_promised,
        gifts=list(order.gifts or []),
        total_paid_fen=sum(line.paid_fen for line in order.lines),
        lines=[
            out.OrderLineOut(
                line_no=line.line_no,
                sku=line.sku,
                title=line.title,
                category=line.category,
                unit_price_fen=line.unit_price_fen,
                quantity=line.quantity,
                paid_fen=line.paid_fen,
                refunded_fen=line.refunded_fen,
                flags=sorted(line.flags),
            )
            for line in order.lines
        ],
        events=[
            out.OrderEventOut(kind=e.kind, at=must(e.at), from_state=e.from_state, to_state=e.to_state, data=e.data)
            for e in order.events
        ],
    )


OTHER_DEADLINE_ACTIONS = {
    DeadlineKind.auto_confirm_receipt: "auto_confirm",
    DeadlineKind.evidence_due: "default_ruling",
    DeadlineKind.appeal_window: "ruling_final",
    DeadlineKind.penalty_expiry: "recheck_sanctions",
}


def deadline_out(deadline: Deadline) -> out.DeadlineOut:
    kind = DeadlineKind(deadline.kind)
    action = str(DEADLINE_ACTIONS.get(kind) or OTHER_DEADLINE_ACTIONS[kind])
    return out.DeadlineOut(kind=kind, due_at=must(deadline.due_at), status=deadline.status, action_when_due=action)


def pending_deadlines(session: Session, case_id: int) -> list[Deadline]:
    stmt = (
        select(Deadline)
        .where(Deadline.case_id == case_id, Deadline.status == DeadlineStatus.pending)
        .order_by(Deadline.due_at)
    )
    return list(session.scalars(stmt))


def transaction_out(txn: LedgerTransaction) -> out.LedgerTransactionOut:
    return out.LedgerTransactionOut(
        id=txn.id,
        kind=txn.kind,
        memo=txn.memo,
        at=must(txn.created_at),
        policy_version=txn.policy_version,
        legs=[out.LedgerLegOut(account=e.account, amount_fen=e.amount_fen) for e in txn.entries],
    )


REFUND_KINDS = frozenset({"refund", "return_postage"})  # money back to the buyer: goods and shipping


def case_money(session: Session, case: Case) -> out.CaseMoneyOut:
    txns = list(
        session.scalars(
            select(LedgerTransaction)
            .where(LedgerTransaction.case_id == case.id, LedgerTransaction.sealed.is_(True))
            .order_by(LedgerTransaction.id)
        )
    )
    compensations = list(
        session.scalars(select(Compensation).where(Compensation.case_id == case.id).order_by(Compensation.id))
    )
    payouts = list(
        session.scalars(select(OutboxMessage).where(OutboxMessage.case_id == case.id).order_by(OutboxMessage.id))
    )
    refunded = sum(
        e.amount_fen for t in txns if t.kind in REFUND_KINDS for e in t.entries if e.account == PAYOUTS_PENDING
    )
    return out.CaseMoneyOut(
        refunded_fen=refunded,
        compensation_fen=sum(c.amount_fen for c in compensations),
        compensations=[
            out.CompensationOut(
                rule=c.rule,
                amount_fen=c.amount_fen,
                payout_method=c.payout_method,
                payer=c.payer,
                policy_version=c.policy_version,
                basis=c.basis,
                recovered_from_seller=c.recovery_txn_id is not None,
            )
            for c in compensations
        ],
        payouts=[
            out.PayoutOut(
                amount_fen=p.amount_fen,
                method=p.method,
                status=p.status,
                attempts=p.attempts,
                gateway_ref=p.gateway_ref,
                sent_at=instant(p.sent_at),
            )
            for p in payouts
        ],
        transactions=[transaction_out(t) for t in txns],
    )


def case_out(session: Session, case: Case, policy: Policy, now: datetime) -> out.CaseOut:
    allowed = allowed_actions(facts_of(case), now, policy)
    return out.CaseOut(
        id=case.id,
        order_id=case.order_id,
        shop_id=case.shop_id,
        buyer_id=case.buyer_id,
        case_type=case.case_type,
        reason=case.reason,
        state=case.state,
        phase=case.phase,
        description=case.description,
        refund_amount_fen=case.refund_amount_fen,
        policy_version=case.policy_version,
        opened_at=must(case.opened_at),
        resolved_at=instant(case.resolved_at),
        refuse_reason=case.refuse_reason,
        proposal=case.proposal,
        return_shipment=_shipment(
            case.return_courier, case.return_tracking_no, case.return_shipped_at, case.return_signed_at
        ),
        replacement_shipment=_shipment(
            case.replacement_courier, case.replacement_tracking_no, case.replacement_shipped_at, None
        ),
        lines=[
            out.CaseLineOut(line_no=cl.order_line.line_no, title=cl.order_line.title, refund_amount_fen=cl.amount_fen)
            for cl in case.lines
        ],
        deadlines=[deadline_out(d) for d in pending_deadlines(session, case.id)],
        allowed_actions={str(role): [str(a) for a in actions] for role, actions in allowed.items()},
        timeline=[
            out.TimelineEntry(
                seq=e.seq,
                at=must(e.at),
                actor=f"{e.actor_role}:{e.actor_id}" if e.actor_id else e.actor_role,
                action=e.action,
                from_state=e.from_state or None,
                to_state=e.to_state,
                data=e.data,
            )
            for e in case.events
        ],
        money=case_money(session, case),
        triage=_triage(case),
    )


def _shipment(
    courier: str | None, tracking: str | None, shipped: datetime | None, signed: datetime | None
) -> dict[str, str | None] | None:
    if courier is None:
        return None
    return {
        "courier": courier,
        "tracking_no": tracking,
        "shipped_at": shipped.isoformat() if shipped else None,
        "signed_at": signed.isoformat() if signed else None,
    }


def case_summary(session: Session, case: Case) -> out.CaseSummary:
    pending = pending_deadlines(session, case.id)
    return out.CaseSummary(
        id=case.id,
        order_id=case.order_id,
        shop_id=case.shop_id,
        buyer_id=case.buyer_id,
        case_type=case.case_type,
        reason=case.reason,
        state=case.state,
        refund_amount_fen=case.refund_amount_fen,
        opened_at=must(case.opened_at),
        next_deadline=deadline_out(pending[0]) if pending else None,
        triage=_triage(case),
    )


def _triage(case: Case) -> out.CaseTriageOut | None:
    data = case_triage(case)
    return out.CaseTriageOut(**data) if data else None
