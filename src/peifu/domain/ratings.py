"""满意度评价: the buyer rates how a finished after-sale case turned out, 1 to 5, once.

Plain rules, no storage: a rating is taken only for a case in a final state, only from its
buyer, once per case, with a whole score from 1 to 5 and an optional short comment.
"""

from __future__ import annotations

from dataclasses import dataclass

from peifu.domain.errors import Conflict, Invalid
from peifu.domain.vocabulary import CaseState

MIN_SCORE = 1
MAX_SCORE = 5
MAX_COMMENT = 500


@dataclass(frozen=True)
class RatingTerms:
    score: int | None  # None: what was given is not a whole number at all
    comment: str = ""


def check_rating(state: CaseState, already_rated: bool, terms: RatingTerms) -> RatingTerms:
    """The rating as it will be stored (comment trimmed), or the reason it is refused.

    The order of the checks is the order a buyer would want to hear them: a case still running
    cannot be rated at all, a rated case cannot be rated again, then the content itself.
    """
    if not state.is_final:
        raise Conflict(
            "case_not_final",
            "The outcome can be rated once the case has ended.",
            state=str(state),
        )
    if already_rated:
        raise Conflict("rating_exists", "This case has already been rated; a case is rated once.")
    score = terms.score
    if score is None or isinstance(score, bool) or not isinstance(score, int) or not MIN_SCORE <= score <= MAX_SCORE:
        raise Invalid(
            "rating_out_of_range",
            f"The score is a whole number from {MIN_SCORE} to {MAX_SCORE}.",
            min=MIN_SCORE,
            max=MAX_SCORE,
        )
    comment = (terms.comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise Invalid(
            "comment_too_long", f"The comment may be at most {MAX_COMMENT} characters.", max_length=MAX_COMMENT
        )
    return RatingTerms(score=score, comment=comment)


@dataclass(frozen=True)
class RatingSummary:
    """What a shop's ratings add up to. `average` is None while there are none."""

    count: int
    total: int
    distribution: dict[int, int]

    @property
    def average(self) -> float | None:
        return round(self.total / self.count, 2) if self.count else None


def summarise(scores: dict[int, int]) -> RatingSummary:
    """From {score: how many} (scores outside 1..5 cannot be stored, and are ignored here)."""
    distribution = {s: int(scores.get(s, 0)) for s in range(MIN_SCORE, MAX_SCORE + 1)}
    return RatingSummary(
        count=sum(distribution.values()),
        total=sum(s * n for s, n in distribution.items()),
        distribution=distribution,
    )
