"""Complaint triage as a service: suggest reason, case type and priority for a text, keep the
suggestion on a case, and order work queues by it.

The model (`peifu.triage.model`, scikit-learn + jieba) is imported on first use, so importing
the services costs nothing until a text is triaged. The rules are in `peifu.domain.triage`.

For the queues: `queue_sort_key(case)` sorts loaded cases (most pressing first, then oldest
first), and `queue_order_by()` gives the same order as SQL ORDER BY terms. A case without a
triage (no description, or opened before triage existed) sorts as `normal`.
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import case as sql_case

from peifu.db.models import Case
from peifu.domain.errors import Invalid
from peifu.domain.triage import (
    MAX_TEXT_CHARS,
    PRIORITY_ORDER,
    Alternative,
    Channel,
    Priority,
    TriageResult,
    priority_for,
    suggest_case_type,
)
from peifu.domain.vocabulary import Reason

if TYPE_CHECKING:
    from peifu.triage.decide import Decision
    from peifu.triage.real import RealEvaluation

log = logging.getLogger(__name__)

ALTERNATIVES = 3


def triage(
    text: str, channel: Channel | None = None, *, amount_fen: int | None = None, goods_sent: bool | None = None
) -> TriageResult:
    """What `text` suggests. `amount_fen` (the money asked, when known) and `goods_sent` (whether
    the order has shipped) sharpen the priority and the case type. Empty or over-long text is
    `Invalid` (422)."""
    from peifu.triage.model import load
    from peifu.triage.text import WORD, language_of, normalise

    if len(text) > MAX_TEXT_CHARS:
        raise Invalid(
            "text_too_long",
            f"The text is {len(text)} characters; at most {MAX_TEXT_CHARS} are triaged.",
            limit=MAX_TEXT_CHARS,
        )
    normal = normalise(text)
    if not WORD.search(normal):
        raise Invalid("text_empty", "There is no text to triage: write what happened in a few words.")
    decision = _decided(normal)
    priority, signals = priority_for(
        normal,
        decision.reason,
        decision.confidence,
        amount_fen=amount_fen,
        for_person=decision.for_person,
        no_reason=decision.no_reason,
    )
    return TriageResult(
        reason=decision.reason,
        case_type=suggest_case_type(normal, decision.reason, goods_sent=goods_sent, sub_reason=decision.sub_reason),
        priority=priority,
        confidence=round(decision.confidence, 4),
        alternatives=tuple(Alternative(r, round(p, 4)) for r, p in decision.ranked if r is not decision.reason)[
            :ALTERNATIVES
        ],
        language=language_of(text),
        signals=signals,
        model=load().name,
        sub_reason=decision.sub_reason,
        for_person=decision.for_person,
    )


def evaluate_real(*, split: str = "test", script: str = "zh-Hans") -> RealEvaluation:
    """The engine's triage, as a case gets it, scored on a labelled sample of real text."""
    from peifu.triage import real

    def answer(text: str) -> real.Answer:
        result = triage(text)
        return real.Answer(str(result.reason), result.confidence, result.for_person)

    _decided.cache_clear()  # time every text afresh (a converted text normalises to one already seen)
    return real.evaluate_real(answer, split=split, script=script)


@lru_cache(maxsize=4096)
def _decided(normal: str) -> Decision:
    """The suggestion for a normalised text; the same words (templated replies, a simulator's
    descriptions, a buyer pasting the text again) are scored once per process."""
    from peifu.triage.decide import decide
    from peifu.triage.model import load

    model = load()
    return decide(normal, dict(model.probabilities(normal)), model.name)


def apply_to_case(case: Case, *, goods_sent: bool | None = None) -> TriageResult | None:
    """Triage the case's description and keep the result on it (cleared when there is no text).

    Triage only advises: if the text cannot be triaged the case goes on without it (logged)."""
    result: TriageResult | None = None
    text = (case.description or "").strip()
    if text:
        amount = sum(line.amount_fen for line in case.lines)
        try:
            result = suggest(text, amount_fen=amount, goods_sent=goods_sent)
        except Exception:  # the advisory model must never stop a buyer's request
            log.exception("triage failed for case %s", case.id)
            result = None
    for name, value in columns_of(result).items():
        setattr(case, name, value)
    return result


def suggest(text: str, *, amount_fen: int, goods_sent: bool | None) -> TriageResult | None:
    """The suggestion for a case's (stripped, non-empty) description; None for text that cannot be
    triaged (nothing but punctuation). Any other failure of the model raises."""
    try:
        return triage(text[:MAX_TEXT_CHARS], amount_fen=amount_fen or None, goods_sent=goods_sent)
    except Invalid:
        return None  # nothing but punctuation: no suggestion


def columns_of(result: TriageResult | None) -> dict[str, Any]:
    """The case's triage columns for a suggestion (all None without one)."""
    return {
        "triage_reason": str(result.reason) if result else None,
        "triage_case_type": str(result.case_type) if result else None,
        "triage_priority": str(result.priority) if result else None,
        "triage_confidence": result.confidence if result else None,
        "triage_signals": [str(s) for s in result.signals] if result else None,
        "triage_model": result.model if result else None,
    }


def case_triage(case: Case) -> dict[str, Any] | None:
    """The stored suggestion as plain data (for the API and the pages)."""
    if case.triage_reason is None:
        return None
    return {
        "reason": case.triage_reason,
        "case_type": case.triage_case_type,
        "priority": case.triage_priority,
        "confidence": case.triage_confidence,
        "signals": list(case.triage_signals or []),
        "model": case.triage_model,
        "matches_stated_reason": case.triage_reason == case.reason,
        "for_person": _for_person(case),
    }


def _for_person(case: Case) -> bool:
    """Whether the stored suggestion was handed to a person: the signal says so, or (when a stronger
    signal took its place) the confidence is under the threshold of the model that answered."""
    from peifu.domain.triage import Signal
    from peifu.triage.decide import person_threshold

    signals = set(case.triage_signals or [])
    if {str(Signal.no_after_sale_reason), str(Signal.unsure_reason)} & signals:
        return True
    return case.triage_confidence is not None and case.triage_confidence < person_threshold(case.triage_model)


def priority_of(case: Case) -> Priority:
    try:
        return Priority(case.triage_priority) if case.triage_priority else Priority.normal
    except ValueError:
        return Priority.normal


def queue_sort_key(case: Case) -> tuple[int, datetime, int]:
    """Sort key for work queues: most pressing priority first, then the oldest request, then id."""
    return (priority_of(case).rank, case.opened_at, case.id)


def queue_order_by() -> list[Any]:
    """The same order as `queue_sort_key`, as ORDER BY terms: `select(Case).order_by(*queue_order_by())`."""
    rank = sql_case(*[(Case.triage_priority == str(p), p.rank) for p in PRIORITY_ORDER], else_=Priority.normal.rank)
    return [rank, Case.opened_at, Case.id]


def reason_label(reason: str | None) -> str:
    return str(Reason(reason)) if reason else ""
