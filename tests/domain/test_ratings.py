"""Satisfaction ratings (满意度评价): the buyer rates a finished case 1–5 once; the rules, the API
and a shop's summary.

Here: the rules alone, no database (through the database: tests/api/test_ratings.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peifu.domain.errors import Conflict, Invalid
from peifu.domain.ratings import RatingTerms, check_rating, summarise
from peifu.domain.vocabulary import FINAL_CASE_STATES, CaseState


@pytest.mark.parametrize("state", list(CaseState))
def test_only_a_final_case_can_be_rated(state: CaseState) -> None:
    if state in FINAL_CASE_STATES:
        assert check_rating(state, False, RatingTerms(4, "  还行 ")) == RatingTerms(4, "还行")
    else:
        with pytest.raises(Conflict) as refused:
            check_rating(state, False, RatingTerms(4))
        assert refused.value.code == "case_not_final"


@given(st.integers(min_value=-(10**6), max_value=10**6))
def test_scores_outside_one_to_five_are_refused(score: int) -> None:
    if 1 <= score <= 5:
        assert check_rating(CaseState.refunded, False, RatingTerms(score)).score == score
    else:
        with pytest.raises(Invalid) as refused:
            check_rating(CaseState.refunded, False, RatingTerms(score))
        assert refused.value.code == "rating_out_of_range"


def test_a_rated_case_and_a_long_comment_are_refused() -> None:
    with pytest.raises(Conflict) as again:
        check_rating(CaseState.closed, True, RatingTerms(5))
    assert again.value.code == "rating_exists"
    with pytest.raises(Invalid) as long:
        check_rating(CaseState.closed, False, RatingTerms(5, "好" * 501))
    assert long.value.code == "comment_too_long"
    assert check_rating(CaseState.closed, False, RatingTerms(5, "好" * 500)).comment == "好" * 500
    with pytest.raises(Invalid):
        check_rating(CaseState.closed, False, RatingTerms(True))  # a bool is not a score
    with pytest.raises(Invalid):
        check_rating(CaseState.closed, False, RatingTerms(None))


@given(st.lists(st.integers(min_value=1, max_value=5), max_size=50))
def test_summary_average_is_the_mean(scores: list[int]) -> None:
    counts = {s: scores.count(s) for s in set(scores)}
    summary = summarise(counts)
    assert summary.count == len(scores)
    assert sum(summary.distribution.values()) == len(scores)
    if scores:
        assert summary.average == round(sum(scores) / len(scores), 2)
    else:
        assert summary.average is None
