"""Money movements of orders and cases, each one balanced posting in the ledger.

paid          gateway → escrow:<order>                   (lines + outbound shipping fee)
completed     escrow:<order> → seller_balance:<shop>      (whatever is left in escrow)
refund        escrow (in-trade) or seller_balance (post-trade) → payouts_pending, plus the
              shipping legs the seller or the insurer owes; an outbox payout to the buyer
payout sent   payouts_pending → gateway                   (when the gateway confirms)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from peifu.db.models import Case, Compensation, LedgerTransaction, Order, OutboxMessage
from peifu.domain import ledger as accounts
from peifu.domain import payout_machine
from peifu.domain.ledger import Leg, posting, top_up_deposit, transfer
from peifu.domain.money import Fen
from peifu.domain.policy import ShippingRules
from peifu.domain.shipping_fees import ShippingLiability, liability, return_postage
from peifu.domain.vocabulary import CaseType, Reason
from peifu.services import ledger
from peifu.services.context import Ctx


def order_total(order: Order) -> Fen:
    return sum(line.paid_fen for line in order.lines) + order.shipping_fee_fen


def capture_payment(ctx: Ctx, order: Order) -> LedgerTransaction:
    entry = posting(
        "payment",
        transfer(accounts.GATEWAY, accounts.escrow(order.id), order_total(order)),
        f"buyer paid order {order.id}",
    )
    return ledger.post(ctx.session, entry, ctx.now(), order_id=order.id, shop_id=order.shop_id, buyer_id=order.buyer_id)


def closing_memo(order_id: str) -> str:
    """Why what is left in escrow goes to the seller when an order closes."""
    return f"order {order_id} closed"


def release_escrow(ctx: Ctx, order: Order, why: str) -> LedgerTransaction | None:
    """What is left in escrow goes to the seller: on completion, or when an order closes."""
    held = ledger.balance(ctx.session, accounts.escrow(order.id))
    if held <= 0:
        return None
    entry = posting(
        "settlement", transfer(accounts.escrow(order.id), accounts.seller_balance(order.shop_id), held), why
    )
    return ledger.post(ctx.session, entry, ctx.now(), order_id=order.id, shop_id=order.shop_id)


def refund_source(session: Session, order: Order, amount: Fen) -> str:
    return source_for_refund(order.id, order.shop_id, ledger.balance(session, accounts.escrow(order.id)), amount)


def source_for_refund(order_id: str, shop_id: str, escrow_held: Fen, amount: Fen) -> str:
    """In-trade the buyer's money is still in escrow; after settlement it is the seller's."""
    if escrow_held >= amount:
        return accounts.escrow(order_id)
    return accounts.seller_balance(shop_id)


@dataclass(frozen=True)
class RefundBreakdown:
    goods_fen: Fen
    outbound_shipping_fen: Fen
    return_shipping_fen: Fen
    return_shipping_payer: str | None
    shipping: ShippingLiability


class ShippingTerms(Protocol):
    """What an order's shipping contributes to a refund (an `Order`, or the batch path's snapshot)."""

    @property
    def free_shipping(self) -> bool: ...
    @property
    def shipping_insurance(self) -> bool: ...
    @property
    def refused_delivery_at(self) -> datetime | None: ...
    @property
    def refused_delivery_reason(self) -> str | None: ...
    @property
    def shipping_fee_fen(self) -> int: ...
    @property
    def shipping_refunded_fen(self) -> int: ...
    @property
    def shipped_at(self) -> datetime | None: ...


class RefundTerms(Protocol):
    """What a case asks for (a `Case`, or the batch path's snapshot)."""

    @property
    def reason(self) -> str: ...
    @property
    def case_type(self) -> str: ...
    @property
    def return_shipping_fee_fen(self) -> int: ...
    @property
    def refund_amount_fen(self) -> int: ...


def shipping_liability(order: ShippingTerms, case: RefundTerms) -> ShippingLiability:
    return liability(
        Reason(case.reason),
        free_shipping=order.free_shipping,
        shipping_insurance=order.shipping_insurance,
        refused_delivery=order.refused_delivery_at is not None and case.case_type == CaseType.refund_only,
        refusal_reason_given=bool(order.refused_delivery_reason),
    )


def refund_breakdown(
    order: ShippingTerms, case: RefundTerms, *, closes_order: bool, rules: ShippingRules
) -> RefundBreakdown:
    shipping = shipping_liability(order, case)
    outbound_left = order.shipping_fee_fen - order.shipping_refunded_fen
    outbound = 0
    if outbound_left > 0:
        never_shipped = order.shipped_at is None
        if (never_shipped and closes_order) or (order.shipped_at is not None and shipping.outbound_payer == "seller"):
            outbound = outbound_left
    # A refund settles the postage of goods sent back for it (return_and_refund); postage of goods
    # sent back to be exchanged or repaired was settled when they arrived (settle_return_postage).
    return_fee, payer = return_postage(
        case.case_type, case.return_shipping_fee_fen, shipping, rules.return_postage_case_types.value
    )
    return RefundBreakdown(case.refund_amount_fen, outbound, return_fee, payer or None, shipping)


def refund_memo(case_id: int, breakdown: RefundBreakdown) -> str:
    memo = f"refund of case {case_id}: goods {breakdown.goods_fen}"
    if breakdown.outbound_shipping_fen:
        memo += f", outbound shipping {breakdown.outbound_shipping_fen}"
    if breakdown.return_shipping_fen:
        memo += f", return shipping {breakdown.return_shipping_fen} paid by {breakdown.return_shipping_payer}"
    return memo


def refund_case(ctx: Ctx, case: Case, order: Order, breakdown: RefundBreakdown) -> LedgerTransaction:
    """Post the refund and queue its payout; the caller has already checked per-line limits."""
    session = ctx.session
    from_order = breakdown.goods_fen + breakdown.outbound_shipping_fen
    legs: list[Leg] = transfer(refund_source(session, order, from_order), accounts.PAYOUTS_PENDING, from_order)
    if breakdown.return_shipping_fen:
        payer_account = (
            accounts.INSURER if breakdown.return_shipping_payer == "insurer" else accounts.seller_balance(order.shop_id)
        )
        legs += transfer(payer_account, accounts.PAYOUTS_PENDING, breakdown.return_shipping_fen)
    order.shipping_refunded_fen += breakdown.outbound_shipping_fen
    txn = ledger.post(
        session,
        posting("refund", legs, refund_memo(case.id, breakdown)),
        ctx.now(),
        case_id=case.id,
        order_id=order.id,
        shop_id=order.shop_id,
        buyer_id=order.buyer_id,
        policy_version=case.policy_version,
        seal_now=False,  # sealed by the next flush, with the payout
    )
    total = from_order + breakdown.return_shipping_fen
    enqueue_payout(
        ctx, txn, case_id=case.id, buyer_id=order.buyer_id, amount=total, method="original_payment", flush=False
    )
    return txn


@dataclass(frozen=True)
class PostageSettlement:
    amount_fen: Fen  # paid back to the buyer
    payer: str  # seller | insurer | buyer (who bears the fee)
    shipping: ShippingLiability
    txn: LedgerTransaction | None


def settle_return_postage(ctx: Ctx, case: Case, order: Order, rules: ShippingRules) -> PostageSettlement | None:
    """Goods came back to be exchanged or repaired and the seller has them: the postage the buyer
    paid is paid back by whoever is at fault (谁过错，谁承担), through the ledger and the payout outbox.
    None when this request type settles no postage here (a return_and_refund settles it with its
    refund) or the buyer stated none."""
    if CaseType(case.case_type).moves_money:
        return None
    shipping = shipping_liability(order, case)
    amount, payer = return_postage(
        case.case_type, case.return_shipping_fee_fen, shipping, rules.return_postage_case_types.value
    )
    if not payer:
        return None
    if not amount:
        return PostageSettlement(0, payer, shipping, None)
    source = accounts.INSURER if payer == "insurer" else accounts.seller_balance(order.shop_id)
    txn = ledger.post(
        ctx.session,
        posting(
            "return_postage",
            transfer(source, accounts.PAYOUTS_PENDING, amount),
            f"return postage of case {case.id}: {amount} paid by {payer}",
        ),
        ctx.now(),
        case_id=case.id,
        order_id=order.id,
        shop_id=order.shop_id,
        buyer_id=order.buyer_id,
        policy_version=case.policy_version,
    )
    enqueue_payout(ctx, txn, case_id=case.id, buyer_id=order.buyer_id, amount=amount, method="original_payment")
    return PostageSettlement(amount, payer, shipping, txn)


@dataclass(frozen=True)
class DifferenceTerms:
    """RefundTerms of the difference an appeal adds to a refund already paid (its return postage,
    if any, went with that refund)."""

    reason: str
    case_type: str
    refund_amount_fen: int
    return_shipping_fee_fen: int = 0


def reverse_for_seller(ctx: Ctx, case: Case, compensations: list[Compensation]) -> LedgerTransaction | None:
    """An appeal found for the seller after the buyer was paid: the platform fund restores the
    seller (refund to its balance, seller-paid compensation to its deposit, settling debt first)."""
    refunded = sum(
        e.amount_fen
        for t in ledger.transactions_for_case(ctx.session, case.id)
        if t.kind == "refund"
        for e in t.entries
        if e.account == accounts.PAYOUTS_PENDING
    )
    return make_seller_whole(ctx, case, refund_fen=refunded, compensations=compensations)


def make_seller_whole(
    ctx: Ctx, case: Case, *, refund_fen: Fen, compensations: list[Compensation]
) -> LedgerTransaction | None:
    """An appeal took back from the buyer's side what was already paid out: the buyer keeps it and
    the platform fund pays the seller `refund_fen` to its balance and the seller-paid
    `compensations` to its deposit (settling debt first), in one new transaction."""
    legs: list[Leg] = transfer(accounts.PLATFORM_FUND, accounts.seller_balance(case.shop_id), refund_fen)
    charged = sum(c.amount_fen for c in compensations if c.payer == "seller")
    if charged:
        debt = -ledger.balance(ctx.session, accounts.seller_debt(case.shop_id))
        legs += [
            Leg(leg.account, leg.amount) if leg.account != accounts.GATEWAY else Leg(accounts.PLATFORM_FUND, leg.amount)
            for leg in top_up_deposit(case.shop_id, charged, debt)
        ]
    if not legs:
        return None
    entry = posting("appeal_correction", legs, f"appeal corrected case {case.id}: the platform restores the seller")
    return ledger.post(
        ctx.session,
        entry,
        ctx.now(),
        case_id=case.id,
        order_id=case.order_id,
        shop_id=case.shop_id,
        policy_version=case.policy_version,
    )


def enqueue_payout(
    ctx: Ctx,
    txn: LedgerTransaction,
    *,
    case_id: int | None,
    buyer_id: str,
    amount: Fen,
    method: str,
    flush: bool = True,
) -> OutboxMessage:
    """The payout is written in the same transaction as its ledger posting: both or neither
    (`flush=False`: with the unit of work's next flush, for a caller that needs no id of it)."""
    message = OutboxMessage(
        kind="payout",
        idempotency_key=f"peifu-payout-{txn.id}",
        txn_id=txn.id,
        case_id=case_id,
        buyer_id=buyer_id,
        amount_fen=amount,
        method=method,
        status=payout_machine.QUEUED,
        attempts=0,
        next_attempt_at=ctx.now(),
        created_at=ctx.now(),
        gateway_ref=None,  # stated, so that its audit link is taken from this object, not read back
        sent_at=None,
        settlement_txn_id=None,
    )
    ctx.session.add(message)
    if flush:
        ctx.session.flush()
    return message
