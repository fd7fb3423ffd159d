"""ORM rows → response bodies. All times leave as UTC plus the Asia/Shanghai wall time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, object_session

from peifu.adapters.api import schemas as out
from peifu.db.models import Buyer, Case, Deadline, Order
from peifu.domain.clock import to_local
from peifu.domain.policy import Policy
from peifu.domain.privacy import mask_address, mask_name, mask_phone
from peifu.services import reads
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


def deadline_out(deadline: Deadline | reads.DeadlineView) -> out.DeadlineOut:
    view = reads.deadline_view(deadline) if isinstance(deadline, Deadline) else deadline
    return out.DeadlineOut(
        kind=view.kind, due_at=must(view.due_at), status=view.status, action_when_due=view.action_when_due
    )


def transaction_out(txn: reads.TransactionView) -> out.LedgerTransactionOut:
    return out.LedgerTransactionOut(
        id=txn.id,
        kind=txn.kind,
        memo=txn.memo,
        at=must(txn.created_at),
        policy_version=txn.policy_version,
        legs=[out.LedgerLegOut(account=leg.account, amount_fen=leg.amount_fen) for leg in txn.legs],
    )


def case_money(money: reads.CaseMoney) -> out.CaseMoneyOut:
    return out.CaseMoneyOut(
        refunded_fen=money.refunded_fen,
        compensation_fen=money.compensation_fen,
        compensations=[
            out.CompensationOut(
                rule=c.rule,
                amount_fen=c.amount_fen,
                payout_method=c.payout_method,
                payer=c.payer,
                policy_version=c.policy_version,
                basis=c.basis,
                recovered_from_seller=c.recovered_from_seller,
            )
            for c in money.compensations
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
            for p in money.payouts
        ],
        transactions=[transaction_out(t) for t in money.transactions],
    )


def case_out(session: Session, case: Case, policy: Policy, now: datetime) -> out.CaseOut:
    view = reads.case_view(session, case, policy, now)
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
        refund_amount_fen=sum(line.refund_amount_fen for line in view.lines),
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
            out.CaseLineOut(line_no=line.line_no, title=line.title, refund_amount_fen=line.refund_amount_fen)
            for line in view.lines
        ],
        deadlines=[deadline_out(d) for d in view.deadlines],
        allowed_actions=view.allowed_actions,
        timeline=[
            out.TimelineEntry(
                seq=e.seq,
                at=must(e.at),
                actor=e.actor,
                action=e.action,
                from_state=e.from_state,
                to_state=e.to_state,
                data=e.data,
            )
            for e in view.timeline
        ],
        money=case_money(view.money),
        triage=out.CaseTriageOut(**view.triage) if view.triage else None,
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
    pending = reads.pending_deadlines(session, case.id)
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
