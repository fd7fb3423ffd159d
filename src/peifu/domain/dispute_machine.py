"""The dispute (平台介入) lifecycle: one table of states × actions × who may act.

    evidence ──evidence_complete──▶ review ──rule──▶ ruled ──appeal──▶ appealed ──uphold/replace──▶ final
    evidence ──rule (default, at the evidence deadline)──▶ ruled ──close_appeal_window──▶ final
    evidence ──settle (the parties settled the case themselves)──▶ final

A case that escalates again reopens its dispute (`open`, from any state): one dispute per case.
Anything not in the table is refused, with the refusal the API has always given for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from peifu.domain import case_machine
from peifu.domain.lifecycle import Machine, Move, Refusal
from peifu.domain.vocabulary import CaseAction
from peifu.domain.vocabulary import DisputeAction as A
from peifu.domain.vocabulary import DisputeStatus as S
from peifu.domain.vocabulary import Role as R


@dataclass(frozen=True)
class Submission:
    """What the evidence guard needs: whether the proof goes with an appeal."""

    for_appeal: bool = False


def with_an_appeal(facts: Submission | None) -> str | None:
    if facts is not None and facts.for_appeal:
        return None
    return "The dispute has been ruled; new evidence goes with an appeal."


PARTIES = frozenset({R.buyer, R.seller})
SUBMITTERS = frozenset({R.buyer, R.seller, R.agent})
AGENT = frozenset({R.agent})
SYSTEM = frozenset({R.system})
RULERS = frozenset({R.agent, R.system})
# whoever may escalate a case, as the case machine says
ESCALATORS = frozenset(actor for row in case_machine.TABLE if row.action is CaseAction.escalate for actor in row.actors)
OPEN = (S.evidence, S.review, S.appealed)  # work waiting for someone, first in the agents' queue
RULABLE = (S.evidence, S.review)

TABLE: tuple[Move[S, A], ...] = (
    # 举证 — the parties (and agents) put proof on file until the evidence deadline
    Move(S.evidence, A.submit_evidence, S.evidence, SUBMITTERS),
    Move(S.evidence, A.evidence_complete, S.review, SYSTEM),
    Move(S.evidence, A.settle, S.final, SYSTEM),
    # 裁决 — an agent rules (or the evidence deadline does, against the party whose proof is missing)
    Move(S.evidence, A.rule, S.ruled, RULERS),
    Move(S.review, A.submit_evidence, S.review, SUBMITTERS),
    Move(S.review, A.rule, S.ruled, RULERS),
    # 申诉期 — the losing party may appeal; new proof from a party goes with the appeal
    Move(S.ruled, A.submit_evidence, S.ruled, AGENT),
    Move(S.ruled, A.submit_evidence, S.ruled, PARTIES, with_an_appeal),
    Move(S.ruled, A.appeal, S.appealed, PARTIES),
    Move(S.ruled, A.close_appeal_window, S.final, SYSTEM),
    # 申诉审核 — a different agent lets the ruling stand or replaces it
    Move(S.appealed, A.submit_evidence, S.appealed, SUBMITTERS),
    Move(S.appealed, A.uphold, S.final, AGENT),
    Move(S.appealed, A.replace_ruling, S.final, AGENT),
    # the case escalated again: the dispute reopens, its rulings and evidence kept
    *(Move(source, A.open, S.evidence, ESCALATORS) for source in S),
)

MACHINE: Machine[S, A] = Machine(
    what="dispute",
    states=S,
    actions=A,
    table=TABLE,
    final=frozenset({S.final}),
    initial=S.evidence,
    refusals={
        (S.final, A.submit_evidence): Refusal(
            "dispute_final", "The dispute is decided and final; no more evidence is taken."
        ),
        (S.ruled, A.submit_evidence): Refusal(
            "dispute_ruled", "The dispute has been ruled; new evidence goes with an appeal."
        ),
        A.rule: Refusal("dispute_already_ruled", "This dispute has been ruled; the losing party may appeal."),
        A.appeal: Refusal("not_appealable", "Only a ruled dispute inside its appeal window can be appealed."),
        A.uphold: Refusal("no_pending_appeal", "There is no appeal waiting for review on this dispute."),
        A.replace_ruling: Refusal("no_pending_appeal", "There is no appeal waiting for review on this dispute."),
    },
)

decide = MACHINE.decide
allows = MACHINE.allows
