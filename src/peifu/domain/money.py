"""Money is integer fen. These helpers keep every split and percentage exact.

Why not Decimal: fen are the smallest unit any ledger here records, so integers are exact and
cheap; the only rounding happens in `percent_of` and `allocate`, and both are explicit about it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from peifu.domain.errors import Invalid

Fen = int

MAX_FEN: Fen = 10**12  # 100 million yuan: far above any single order; larger inputs are bad input


def percent_of(amount: Fen, percent: int) -> Fen:
    """`percent`% of `amount`, rounded half up to the fen (a buyer is never short-changed by a cent)."""
    if amount < 0 or percent < 0:
        raise ValueError("amount and percent must be non-negative")
    return (amount * percent + 50) // 100


def allocate(total: Fen, weights: Sequence[Fen]) -> list[Fen]:
    """Split `total` across lines in proportion to `weights`, exactly, never exceeding a weight.

    Largest-remainder method: each share is floored, and the fen left over go to the lines with
    the largest remainders (earlier lines first on ties), so the shares always sum to `total`.
    """
    if total < 0 or any(w < 0 for w in weights):
        raise ValueError("cannot allocate negative amounts")
    capacity = sum(weights)
    if total > capacity:
        raise ValueError("total exceeds the sum of weights")
    if capacity == 0:
        return [0 for _ in weights]
    shares = [total * w // capacity for w in weights]
    remainders = [(total * w % capacity, -i) for i, w in enumerate(weights)]
    left = total - sum(shares)
    for _, neg_index in sorted(remainders, reverse=True)[:left]:
        shares[-neg_index] += 1
    return shares


def format_yuan(amount: Fen) -> str:
    """'¥1,234.50' — for people; never parse it back."""
    sign = "-" if amount < 0 else ""
    yuan, fen = divmod(abs(amount), 100)
    return f"{sign}¥{yuan:,}.{fen:02d}"


def parse_yuan(text: str | None) -> Fen | None:
    """What a person types in a yuan field → exact fen: '12.5' → 1250, '¥1,299' → 129900.

    Empty means "not given" (None). More than two decimals, a negative amount or more than
    MAX_FEN is refused with `amount_invalid` — never rounded, never a float.
    """
    if text is None or not text.strip():
        return None
    cleaned = text.strip().replace(",", "").replace("，", "").removeprefix("¥").removeprefix("￥").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise Invalid("amount_invalid", "Give the amount in yuan with at most two decimals, e.g. 12.50.") from None
    if not value.is_finite():
        raise Invalid("amount_invalid", "Give the amount in yuan with at most two decimals, e.g. 12.50.")
    fen = value * 100
    if fen != fen.to_integral_value() or fen < 0 or fen > MAX_FEN:
        raise Invalid("amount_invalid", "Give the amount in yuan with at most two decimals, e.g. 12.50.")
    return int(fen)
