"""Deposits, the compensation fund and ledger balances."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from peifu.adapters.api import schemas as out
from peifu.adapters.api.routes import ERRORS
from peifu.adapters.http.deps import actor, runtime
from peifu.adapters.runtime import Runtime
from peifu.domain.actors import Actor, check_party, is_platform
from peifu.domain.errors import Forbidden
from peifu.domain.vocabulary import Role
from peifu.services import accounts, ledger
from peifu.services.inputs import AmountIn

RuntimeDep = Annotated[Runtime, Depends(runtime)]
ActorDep = Annotated[Actor, Depends(actor)]

router = APIRouter(prefix="/api/v1", tags=["money"])


def _shop_out(money: accounts.ShopMoney) -> out.ShopMoneyOut:
    return out.ShopMoneyOut(
        shop_id=money.shop_id, deposit_fen=money.deposit_fen, debt_fen=money.debt_fen, balance_fen=money.balance_fen
    )


def _shop_staff_or_platform(who: Actor, shop_id: str) -> None:
    """A shop's money is its own staff's business and the platform's (its key, an admin); an
    agent judges disputes and has no reason to browse deposits."""
    if is_platform(who):
        return
    if who.role is not Role.seller:
        raise Forbidden("actor_not_allowed", "Only the shop's staff or the platform can see or fund a deposit.")
    check_party(who, buyer_id="", shop_id=shop_id, what="shop")


def _platform_only(who: Actor, message: str) -> None:
    if not is_platform(who):
        raise Forbidden("actor_not_allowed", message)


@router.get(
    "/shops/{shop_id}/money",
    response_model=out.ShopMoneyOut,
    responses=ERRORS,
    summary="店铺资金 · A shop's deposit, debt and settled balance",
)
def shop_money(shop_id: str, rt: RuntimeDep, who: ActorDep) -> out.ShopMoneyOut:
    _shop_staff_or_platform(who, shop_id)
    with rt.uow() as ctx:
        return _shop_out(accounts.shop_money(ctx, shop_id))


@router.post(
    "/shops/{shop_id}/deposit",
    response_model=out.ShopMoneyOut,
    responses=ERRORS,
    summary="缴纳保证金 · Top up a shop's deposit (settles debt first)",
)
def top_up_deposit(shop_id: str, body: AmountIn, rt: RuntimeDep, who: ActorDep) -> out.ShopMoneyOut:
    _shop_staff_or_platform(who, shop_id)
    with rt.uow() as ctx:
        accounts.top_up(ctx, shop_id, body.amount_fen)
        return _shop_out(accounts.shop_money(ctx, shop_id))


@router.post(
    "/platform/fund",
    response_model=out.FundOut,
    responses=ERRORS,
    summary="赔付基金 · Top up the platform's compensation fund",
)
def top_up_fund(body: AmountIn, rt: RuntimeDep, who: ActorDep) -> out.FundOut:
    _platform_only(who, "Only the platform can fund its compensation fund.")
    with rt.uow() as ctx:
        accounts.fund_top_up(ctx, body.amount_fen)
        return out.FundOut(platform_fund_fen=accounts.fund_balance(ctx))


@router.get(
    "/ledger/balances",
    response_model=dict[str, int],
    responses=ERRORS,
    summary="账户余额 · Balances of ledger accounts (platform only)",
)
def balances(
    rt: RuntimeDep,
    who: ActorDep,
    prefix: Annotated[str | None, Query(max_length=100, description="e.g. seller_deposit:")] = None,
) -> dict[str, int]:
    _platform_only(who, "Only the platform can read the whole ledger.")
    with rt.uow() as ctx:
        return ledger.balances(ctx.session, prefix)
