"""Double-entry bookkeeping: accounts, legs and balanced postings.

A posting moves value between accounts; its legs sum to zero (a leg's amount is what the
account gains, negative when it gives). Balances are never stored: they are the sum of an
account's legs. Account names say whose value it is:

    gateway                    the outside world: buyers' payments come from it, payouts go to it
    escrow:<order>             a buyer's payment held by the platform until the trade completes
    seller_balance:<shop>      the shop's settled sales
    seller_deposit:<shop>      the shop's deposit (保证金) that compensations are charged to
    seller_debt:<shop>         what the shop owes when its deposit ran short (negative = owed)
    platform_fund              the platform's compensation fund (赔付基金)
    payouts_pending            money owed to buyers through the gateway, not yet confirmed paid
    insurer                    shipping insurance (运费险)
    points:<buyer> / coupon:<buyer> / voucher:<buyer>   non-cash value held by a buyer
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from peifu.domain.money import Fen

GATEWAY = "gateway"
PLATFORM_FUND = "platform_fund"
PAYOUTS_PENDING = "payouts_pending"
INSURER = "insurer"


def escrow(order_id: str) -> str:
    return f"escrow:{order_id}"


def seller_balance(shop_id: str) -> str:
    return f"seller_balance:{shop_id}"


def seller_deposit(shop_id: str) -> str:
    return f"seller_deposit:{shop_id}"


def seller_debt(shop_id: str) -> str:
    return f"seller_debt:{shop_id}"


def buyer_wallet(method: str, buyer_id: str) -> str:
    """Where a non-cash payout lands: points, coupon or voucher."""
    if method not in ("points", "coupon", "voucher"):
        raise ValueError(f"'{method}' is not a non-cash payout method")
    return f"{method}:{buyer_id}"


class Unbalanced(ValueError):
    """A posting whose legs do not sum to zero: a bug, never a user error."""


@dataclass(frozen=True)
class Leg:
    account: str
    amount: Fen


@dataclass(frozen=True)
class Posting:
    kind: str
    legs: tuple[Leg, ...]
    memo: str = ""

    def __post_init__(self) -> None:
        if len(self.legs) < 2:
            raise Unbalanced(f"{self.kind}: a posting needs at least two legs")
        if any(leg.amount == 0 for leg in self.legs):
            raise Unbalanced(f"{self.kind}: zero legs are not recorded")
        if sum(leg.amount for leg in self.legs) != 0:
            raise Unbalanced(f"{self.kind}: legs sum to {sum(leg.amount for leg in self.legs)}, not 0")

    @property
    def volume(self) -> Fen:
        return sum(leg.amount for leg in self.legs if leg.amount > 0)


def transfer(source: str, target: str, amount: Fen) -> list[Leg]:
    if amount < 0:
        raise ValueError("transfer amounts are non-negative; swap source and target")
    if amount == 0:
        return []
    return [Leg(source, -amount), Leg(target, amount)]


def posting(kind: str, legs: Iterable[Leg], memo: str = "") -> Posting:
    """Merge legs on the same account and drop zero ones, then check the balance."""
    merged: dict[str, Fen] = {}
    for leg in legs:
        merged[leg.account] = merged.get(leg.account, 0) + leg.amount
    return Posting(kind, tuple(Leg(a, v) for a, v in merged.items() if v != 0), memo)


def charge_seller(shop_id: str, amount: Fen, deposit_available: Fen, target: str) -> list[Leg]:
    """Charge the shop's deposit for `amount`; what the deposit cannot cover becomes debt.

    The shortfall is never dropped: it is a negative balance on `seller_debt:<shop>` that the
    seller sees and that the next deposit top-up settles first.
    """
    from_deposit = max(0, min(amount, deposit_available))
    shortfall = amount - from_deposit
    legs = transfer(seller_deposit(shop_id), target, from_deposit)
    legs += transfer(seller_debt(shop_id), target, shortfall)
    return legs


def top_up_deposit(shop_id: str, amount: Fen, debt_owed: Fen) -> list[Leg]:
    """Money the seller pays in goes to settle debt first, the rest to the deposit."""
    to_debt = max(0, min(amount, debt_owed))
    return transfer(GATEWAY, seller_debt(shop_id), to_debt) + transfer(
        GATEWAY, seller_deposit(shop_id), amount - to_debt
    )
