"""Money the parties hold with the platform: seller deposits (and debts) and the compensation fund."""

from __future__ import annotations

from dataclasses import dataclass

from peifu.db.models import LedgerTransaction, Shop
from peifu.domain import ledger as accounts
from peifu.domain.errors import NotFound
from peifu.domain.ledger import posting, top_up_deposit, transfer
from peifu.domain.money import Fen
from peifu.services import ledger
from peifu.services.context import Ctx


@dataclass(frozen=True)
class ShopMoney:
    shop_id: str
    deposit_fen: Fen
    debt_fen: Fen  # owed to the platform when the deposit ran short (shown as a positive number)
    balance_fen: Fen  # settled sales


def shop_money(ctx: Ctx, shop_id: str) -> ShopMoney:
    if ctx.session.get(Shop, shop_id) is None:
        raise NotFound("shop_not_found", f"No shop '{shop_id}'.", shop_id=shop_id)
    return ShopMoney(
        shop_id=shop_id,
        deposit_fen=ledger.balance(ctx.session, accounts.seller_deposit(shop_id)),
        debt_fen=-ledger.balance(ctx.session, accounts.seller_debt(shop_id)),
        balance_fen=ledger.balance(ctx.session, accounts.seller_balance(shop_id)),
    )


def top_up(ctx: Ctx, shop_id: str, amount: Fen) -> LedgerTransaction:
    """The seller pays into the deposit; any debt from earlier shortfalls is settled first."""
    money = shop_money(ctx, shop_id)
    entry = posting("deposit_top_up", top_up_deposit(shop_id, amount, money.debt_fen), f"deposit top-up by {shop_id}")
    return ledger.post(ctx.session, entry, ctx.now(), shop_id=shop_id)


def fund_top_up(ctx: Ctx, amount: Fen) -> LedgerTransaction:
    entry = posting(
        "fund_top_up", transfer(accounts.GATEWAY, accounts.PLATFORM_FUND, amount), "compensation fund top-up"
    )
    return ledger.post(ctx.session, entry, ctx.now())


def fund_balance(ctx: Ctx) -> Fen:
    return ledger.balance(ctx.session, accounts.PLATFORM_FUND)
