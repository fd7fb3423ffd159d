"""After-sale metrics: hand-computed figures on a small marketplace, abusive claims left out,
category percentiles and the 90 % flag, window edges, CSV, access control and bad input; the
pure formulas by property; the incremental rollups against a rebuild from the raw tables.

The marketplace (clock starts at START = 2026-11-11 02:00 UTC; "+1h" is 03:00 that day):

shoes
  shop-a  10 orders paid at START, and G1 paid 2026-11-10 23:59:59 (before the default window)
          A1 opened +1h, seller agrees +3h               → refunded; response 7200, resolution 7200
          A2 opened +1h, seller refuses +2h, buyer withdraws +5h → response 3600, resolution 14400
          A3 opened +1h, seller refuses +1h30, escalated, ruled for the buyer (seller liable)
             at +1d+1h                                    → response 1800, resolution 86400, lost
          A4 opened +1h, seller silent, system auto-agrees at +3d+1h → response/resolution 259200
  shop-b  4 orders; B1 agreed +1h10 (600/600); B2 refused +1h20, escalated, ruled for the seller
          (buyer liable) at +1d+1h → response 1200, resolution 86400, disputed but not lost
  shop-c  5 orders; C1 agreed +2h (3600/3600); C2 marked abusive (its order counts nowhere);
          C3 still waiting for the seller
toys
  shop-d  2 orders; D1 agreed +1h30 (1800/1800)
  shop-e  1 order, no case
  shop-f  no category of its own: one paid order with lines toys, toys, shoes → ranked in toys;
          a second order never paid

"Today" is then set to 2026-12-10 12:00, so the default 30-day window is 2026-11-11..2026-12-10.

Here: the rules alone, no database (through the database: tests/api/test_metrics.py).
"""

from __future__ import annotations

import statistics
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peifu.domain import metrics as rules
from peifu.domain.errors import Invalid
from peifu.domain.metrics import Better, MetricName

H = timedelta(hours=1)


def test_formulas_on_small_lists() -> None:
    assert rules.median([]) is None
    assert rules.median([5]) == 5
    assert rules.median([4, 1, 3, 2]) == 2.5
    assert rules.p90(range(1, 11)) == pytest.approx(9.1)
    assert rules.rate(0, 0) is None
    assert rules.rate(1, 4) == 0.25
    with pytest.raises(ValueError):
        rules.rate(5, 4)
    assert rules.category_percentile(0.3, [0.1, 0.3, 0.5, 0.2], Better.low) == 50.0
    assert rules.category_percentile(0.3, [0.1, 0.3, 0.5, 0.2], Better.high) == 25.0
    assert rules.category_percentile(None, [1.0], Better.low) is None
    assert rules.category_percentile(1.0, [], Better.low) is None
    assert rules.flagged(90.0, 90) and not rules.flagged(89.9, 90) and not rules.flagged(None, 90)
    at = datetime(2026, 11, 11, tzinfo=UTC)
    events = [("buyer", "open", at), ("system", "escalate", at + H), ("system", "agree", at + 2 * H)]
    assert rules.first_response(events) == at + 2 * H
    assert rules.first_response([("buyer", "open", at), ("seller", "refuse", at + H), *events]) == at + H
    assert rules.first_response([("buyer", "open", at)]) is None
    assert rules.seconds_between(at, at + timedelta(seconds=1, microseconds=500_000)) == 2
    assert rules.seconds_between(at, at + timedelta(seconds=1, microseconds=499_999)) == 1


def test_the_flag_at_exactly_the_threshold() -> None:
    """Eleven shops: the worst is worse than all ten others (100 %), the next than nine (90 %,
    flagged: "worse than 90 % of the category"), the third than eight (80 %, not flagged)."""
    counts = {f"s{i:02d}": rules.ShopCounts(paid_orders=100, refund_orders=i) for i in range(11)}
    scores = rules.score_category(counts, 90)
    pct = {s: score.figures[MetricName.refund_rate].percentile for s, score in scores.items()}
    assert (pct["s10"], pct["s09"], pct["s08"], pct["s00"]) == (100.0, 90.0, 80.0, 0.0)
    assert [s for s, score in scores.items() if score.flags] == ["s09", "s10"]
    assert [s.shop_id for s in rules.worst_first(scores.values())][:3] == ["s10", "s09", "s08"]


def test_resolve_window_defaults() -> None:
    today = date(2026, 12, 10)
    assert rules.resolve_window(today) == rules.Window(date(2026, 11, 11), today)
    assert rules.resolve_window(today, end=date(2026, 11, 30), default_days=10) == rules.Window(
        date(2026, 11, 21), date(2026, 11, 30)
    )
    assert rules.resolve_window(today, start=today, end=today).days == 1
    assert rules.resolve_window(today, days=366).days == 366
    with pytest.raises(Invalid):
        rules.resolve_window(today, days=367)
    window = rules.Window(date(2026, 11, 11), date(2026, 11, 11))
    assert (window.start_at, window.end_before) == (
        datetime(2026, 11, 11, tzinfo=UTC),
        datetime(2026, 11, 12, tzinfo=UTC),
    )


counts_pairs = st.integers(min_value=0, max_value=10**9).flatmap(
    lambda d: st.tuples(st.integers(min_value=0, max_value=d), st.just(d))
)
samples = st.lists(st.integers(min_value=0, max_value=10**8), min_size=1, max_size=60)
populations = st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), max_size=40)


@given(counts_pairs)
def test_rates_are_within_0_and_1(pair: tuple[int, int]) -> None:
    numerator, denominator = pair
    value = rules.rate(numerator, denominator)
    if denominator == 0:
        assert value is None
    else:
        assert value is not None and 0.0 <= value <= 1.0


@given(samples)
def test_median_and_p90_agree_with_the_sorted_list(values: list[int]) -> None:
    ordered = sorted(values)
    n = len(ordered)
    middle = rules.median(values)
    assert middle == pytest.approx(statistics.median(values))
    if n % 2:
        assert middle == ordered[n // 2]
    ninety = rules.p90(values)
    assert ninety is not None
    if n > 1:
        assert ninety == pytest.approx(statistics.quantiles(values, n=10, method="inclusive")[8])
    low, high = ordered[int((n - 1) * 0.9)], ordered[-((-(n - 1) * 9) // 10)]
    assert low <= ninety <= high
    assert ordered[0] <= middle <= ninety <= ordered[-1]  # type: ignore[operator]


@given(samples, st.floats(min_value=0, max_value=1), st.floats(min_value=0, max_value=1))
def test_quantiles_grow_with_q(values: list[int], q1: float, q2: float) -> None:
    low, high = sorted((q1, q2))
    assert rules.quantile(values, low) <= rules.quantile(values, high)  # type: ignore[operator]


@given(populations, st.floats(min_value=0, max_value=1e6), st.floats(min_value=0, max_value=1e6))
def test_percentile_is_monotonic_and_bounded(others: list[float], a: float, b: float) -> None:
    for better in Better:
        pa = rules.category_percentile(a, others, better)
        pb = rules.category_percentile(b, others, better)
        if not others:
            assert pa is None and pb is None
            continue
        assert pa is not None and pb is not None
        assert 0.0 <= pa <= 100.0
        worse, other = (a, b) if rules.is_better(b, a, better) else (b, a)
        if worse != other:  # the worse value is never placed better
            assert rules.category_percentile(worse, others, better) >= rules.category_percentile(  # type: ignore[operator]
                other, others, better
            )


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.tuples(counts_pairs, samples), max_size=12))
def test_fast_scoring_equals_the_definition(shops: dict[str, tuple[tuple[int, int], list[int]]]) -> None:
    counts = {
        shop_id: rules.ShopCounts(paid_orders=d, refund_orders=n, resolution_seconds=times, response_seconds=times[:1])
        for shop_id, ((n, d), times) in shops.items()
    }
    scores = rules.score_category(counts, 90)
    for shop_id, score in scores.items():
        for name, figure in score.figures.items():
            others = [v for other, s in scores.items() if other != shop_id and (v := s.figures[name].value) is not None]
            expected = rules.category_percentile(figure.value, others, rules.BETTER[name])
            assert figure.percentile == expected
            assert figure.flagged == rules.flagged(expected, 90)
            assert figure.compared_with == len(others)
        assert rules.score_shop(shop_id, counts, 90) == score
