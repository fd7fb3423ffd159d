"""Paying compensation: at most once per case and rule, charged to whoever the policy says.

The unique constraint on (case_id, rule) is the guarantee: the same request twice, or two
workers racing, end with one compensation; the loser's savepoint is rolled back and it gets the
existing one back.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from peifu.db.models import Case, Compensation, Order, Shop
from peifu.domain import compensation as rules
from peifu.domain import ledger as accounts
from peifu.domain.compensation import PricedLine, Quote, RefundFacts, Rule
from peifu.domain.ledger import Leg, charge_seller, posting, transfer
from peifu.domain.policy import Policy
from peifu.domain.vocabulary import CaseAction, Reason
from peifu.services import events, ledger
from peifu.services.context import Ctx
from peifu.services.money import enqueue_payout

TMALL_LIKE = frozenset({"tmall"})


def priced_lines(case: Case) -> list[PricedLine]:
    return [
        PricedLine(line_no=cl.order_line.line_no, paid_fen=cl.order_line.paid_fen, food=cl.order_line.food)
        for cl in case.lines
    ]


RULINGS = frozenset({CaseAction.rule_refund, CaseAction.rule_return, CaseAction.rule_close})


def refund_facts(ctx: Ctx, case: Case, order: Order) -> RefundFacts:
    """The facts a refund's compensation is judged on, gathered from the order and the timeline.

    The seller consented when, before any ruling, the request was agreed to: by the seller (its
    staff or its auto-handling rules), by its response deadline (silence is consent), or by the
    buyer accepting the seller's own proposal. Carrying out a ruling is compliance, not consent."""
    consented = False
    for event in case.events:
        if event.action in RULINGS:
            break
        if event.action == CaseAction.agree:
            consented = True
    return RefundFacts(
        reason=Reason(case.reason),
        seller_consented=consented,
        ship_deadline=order.ship_deadline,
        shipped_at=order.shipped_at,
        now=ctx.now(),
    )


def quotes_on_refund(ctx: Ctx, case: Case, order: Order, policy: Policy) -> list[Quote]:
    """Compensation a refund being executed has earned: see `domain.compensation.quotes_on_refund`.
    What a ruling names is paid by the ruling itself (services.disputes)."""
    facts = refund_facts(ctx, case, order)
    if rules.found_on_refund(facts, policy) is None:
        return []
    return rules.quotes_on_refund(
        facts, priced_lines(case), shop_promises_multiple=shop_promises_multiple(ctx, case), policy=policy
    )


def shop_promises_multiple(ctx: Ctx, case: Case) -> bool:
    """Tmall-like shops promise 假一赔十 (seed 003: 第一条规则是“假一赔十”)."""
    shop = ctx.session.get(Shop, case.shop_id)
    return shop is not None and shop.kind in TMALL_LIKE


def counterfeit_quote(ctx: Ctx, case: Case, policy: Policy) -> Quote:
    return rules.counterfeit(
        priced_lines(case), shop_promises_multiple=shop_promises_multiple(ctx, case), policy=policy
    )


def deposit_available(ctx: Ctx, shop_id: str) -> int:
    return max(0, ledger.balance(ctx.session, accounts.seller_deposit(shop_id)))


def pay(ctx: Ctx, case: Case, quote: Quote) -> Compensation:
    """Record and pay one compensation, exactly once per (case, rule)."""
    existing = find(ctx, case.id, quote.rule)
    if existing is not None:
        return existing
    try:
        with events.savepoint(ctx):
            compensation = _pay(ctx, case, quote)
    except IntegrityError:
        existing = find(ctx, case.id, quote.rule)
        if existing is None:
            raise
        return existing
    events.compensation_paid(ctx, case, compensation)
    return compensation


def _pay(ctx: Ctx, case: Case, quote: Quote) -> Compensation:
    session, now = ctx.session, ctx.now()
    target = (
        accounts.PAYOUTS_PENDING
        if quote.payout_method == "original_payment"
        else accounts.buyer_wallet(quote.payout_method, case.buyer_id)
    )
    if quote.payer == "seller":
        legs: list[Leg] = charge_seller(case.shop_id, quote.amount_fen, deposit_available(ctx, case.shop_id), target)
    else:
        legs = transfer(accounts.PLATFORM_FUND, target, quote.amount_fen)
    refs = {
        "case_id": case.id,
        "order_id": case.order_id,
        "shop_id": case.shop_id,
        "buyer_id": case.buyer_id,
        "policy_version": case.policy_version,
    }
    txn = ledger.post(session, posting(f"compensation:{quote.rule}", legs, quote.basis), now, **refs)  # type: ignore[arg-type]
    compensation = Compensation(
        case_id=case.id,
        rule=quote.rule,
        amount_fen=quote.amount_fen,
        payout_method=quote.payout_method,
        payer=quote.payer,
        policy_version=case.policy_version,
        basis=quote.basis,
        txn_id=txn.id,
        created_at=now,
    )
    session.add(compensation)
    session.flush()  # the unique (case_id, rule) constraint decides here
    if quote.recover_from_seller:
        recovery = charge_seller(
            case.shop_id, quote.amount_fen, deposit_available(ctx, case.shop_id), accounts.PLATFORM_FUND
        )
        memo = f"recovery of the advance on case {case.id} from the seller's deposit"
        compensation.recovery_txn_id = ledger.post(session, posting("recovery", recovery, memo), now, **refs).id  # type: ignore[arg-type]
    if quote.payout_method == "original_payment":
        enqueue_payout(
            ctx, txn, case_id=case.id, buyer_id=case.buyer_id, amount=quote.amount_fen, method="original_payment"
        )
    session.flush()
    return compensation


def find(ctx: Ctx, case_id: int, rule: Rule | str) -> Compensation | None:
    stmt = select(Compensation).where(Compensation.case_id == case_id, Compensation.rule == str(rule))
    return ctx.session.scalars(stmt).first()


def for_case(ctx: Ctx, case_id: int) -> list[Compensation]:
    stmt = select(Compensation).where(Compensation.case_id == case_id).order_by(Compensation.id)
    return list(ctx.session.scalars(stmt))
