"""The books always balance, whatever happens, in whatever order.

Three layers:

* properties of the pure bookkeeping functions (Hypothesis);
* random walks through the whole engine — orders, payments, shipments, cases of every type and
  reason, the actions each case allows at that moment, clock jumps that fire deadlines, payout
  dispatch through a gateway that is sometimes down or crashes after paying, deposit and fund
  top-ups, advance compensations, replayed compensation requests — with every invariant checked
  after every step (seeded walks of 450 steps — three on SQLite, two on PostgreSQL — and 10 (6)
  shorter Hypothesis-drawn walks; the same seed walks the same way on both databases);
* the database's own guards: an unbalanced or empty transaction cannot be sealed, a sealed one
  cannot change or take entries, entries cannot be updated, a line cannot be refunded above
  what was paid.

The invariants:
  1. every ledger transaction is sealed, has at least two entries and sums to zero;
  2. the sum of all account balances is zero;
  3. no order line is refunded above what was paid;
  4. each line's refunded_fen equals the sum of its case_lines in refunded cases;
  5. at most one compensation per (case, rule);
  6. the payouts_pending balance equals the sum of pending outbox payouts;
  7. every payout the gateway made belongs to one outbox row; every sent row was paid by the
     gateway exactly once, for its amount (so gateway rows = sent rows + rows whose call went
     through but crashed before being marked sent); nothing is ever paid twice;
  8. escrow and deposits never go negative; debts never positive; non-cash wallets never negative.

Here: the rules alone, no database (through the database: tests/service/test_ledger_invariants.py).
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peifu.domain.ledger import Leg, Posting, Unbalanced, charge_seller, posting, top_up_deposit, transfer
from peifu.domain.money import allocate, percent_of

ACCOUNTS = st.sampled_from(["gateway", "escrow:T1", "seller_balance:s", "seller_deposit:s", "platform_fund", "x"])
AMOUNTS = st.integers(min_value=0, max_value=10**9)
PROPS = settings(max_examples=150, deadline=None)


@PROPS
@given(st.lists(st.tuples(ACCOUNTS, ACCOUNTS, AMOUNTS), min_size=1, max_size=8))
def test_postings_of_transfers_always_balance(moves: list[tuple[str, str, int]]) -> None:
    legs = [leg for source, target, amount in moves for leg in transfer(source, target, amount)]
    try:
        entry = posting("test", legs)
    except Unbalanced:  # everything cancelled out: nothing to record, and refused rather than recorded empty
        merged = Counter[str]()
        for leg in legs:
            merged[leg.account] += leg.amount
        assert all(v == 0 for v in merged.values())
        return
    assert sum(leg.amount for leg in entry.legs) == 0
    assert len({leg.account for leg in entry.legs}) == len(entry.legs) >= 2
    assert all(leg.amount != 0 for leg in entry.legs)


@PROPS
@given(st.lists(st.tuples(ACCOUNTS, st.integers(-(10**6), 10**6)), min_size=0, max_size=6))
def test_unbalanced_postings_are_refused(legs: list[tuple[str, int]]) -> None:
    as_legs = tuple(Leg(a, v) for a, v in legs)
    ok = len(as_legs) >= 2 and all(v != 0 for _, v in legs) and sum(v for _, v in legs) == 0
    if ok:
        assert Posting("test", as_legs).volume == sum(v for _, v in legs if v > 0)
    else:
        with pytest.raises(Unbalanced):
            Posting("test", as_legs)


@PROPS
@given(amount=AMOUNTS, available=AMOUNTS)
def test_charging_a_seller_never_overdraws_the_deposit(amount: int, available: int) -> None:
    legs = charge_seller("s", amount, available, "points:b")
    got = Counter[str]()
    for leg in legs:
        got[leg.account] += leg.amount
    assert sum(got.values()) == 0
    assert got["points:b"] == amount
    assert -got["seller_deposit:s"] == min(amount, available)
    assert -got["seller_debt:s"] == max(0, amount - available)


@PROPS
@given(amount=AMOUNTS, debt=AMOUNTS)
def test_a_top_up_settles_debt_first(amount: int, debt: int) -> None:
    got = Counter[str]()
    for leg in top_up_deposit("s", amount, debt):
        got[leg.account] += leg.amount
    assert sum(got.values()) == 0
    assert -got["gateway"] == amount
    assert got["seller_debt:s"] == min(amount, debt)
    assert got["seller_deposit:s"] == amount - min(amount, debt)


@PROPS
@given(amount=AMOUNTS, percent=st.integers(0, 100))
def test_percent_of_is_exact_round_half_up(amount: int, percent: int) -> None:
    exact = Fraction(amount * percent, 100)
    got = percent_of(amount, percent)
    assert got - Fraction(1, 2) <= exact < got + Fraction(1, 2)


@PROPS
@given(st.lists(st.integers(0, 10**7), min_size=1, max_size=8), st.data())
def test_allocation_is_exact_and_within_each_line(weights: list[int], data: st.DataObject) -> None:
    total = data.draw(st.integers(0, sum(weights)))
    shares = allocate(total, weights)
    assert sum(shares) == total
    assert all(0 <= share <= weight for share, weight in zip(shares, weights, strict=True))
