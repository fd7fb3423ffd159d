"""The appeal (申诉) lifecycle, for a dispute's ruling and for a rule complaint's penalty.

    none ──file (the losing party)──▶ pending ──uphold (a different agent)──▶ upheld
                                       pending ──replace──▶ replaced      (a ruling: a new one is carried out)
                                       pending ──overturn──▶ overturned   (a penalty: it is revoked)

An appeal is stored as its decision (`appeals.decision`, `complaints.appeal_decision`): no row or no
time filed is `none`, no decision yet is `pending`. Once only: a decided appeal accepts nothing.
"""

from __future__ import annotations

from peifu.domain.lifecycle import Machine, Move, Refusal
from peifu.domain.vocabulary import AppealAction as A
from peifu.domain.vocabulary import AppealState as S
from peifu.domain.vocabulary import Role as R

PARTIES = frozenset({R.buyer, R.seller})
SELLER = frozenset({R.seller})
AGENT = frozenset({R.agent})
DECIDED = frozenset({S.upheld, S.replaced, S.overturned})

RULING_TABLE: tuple[Move[S, A], ...] = (
    Move(S.none, A.file, S.pending, PARTIES),
    Move(S.pending, A.uphold, S.upheld, AGENT),
    Move(S.pending, A.replace_ruling, S.replaced, AGENT),
)

PENALTY_TABLE: tuple[Move[S, A], ...] = (
    Move(S.none, A.file, S.pending, SELLER),
    Move(S.pending, A.uphold, S.upheld, AGENT),
    Move(S.pending, A.overturn, S.overturned, AGENT),
)

RULINGS: Machine[S, A] = Machine(
    what="appeal",
    states=S,
    actions=A,
    table=RULING_TABLE,
    final=DECIDED,
    initial=S.none,
    refusals={
        A.file: Refusal("already_appealed", "A ruling can be appealed only once."),
        A.uphold: Refusal("no_pending_appeal", "There is no appeal waiting for review on this dispute."),
        A.replace_ruling: Refusal("no_pending_appeal", "There is no appeal waiting for review on this dispute."),
    },
)

PENALTIES: Machine[S, A] = Machine(
    what="appeal",
    states=S,
    actions=A,
    table=PENALTY_TABLE,
    final=DECIDED,
    initial=S.none,
    refusals={
        A.file: Refusal("already_appealed", "A penalty can be appealed only once."),
        A.uphold: Refusal("no_pending_appeal", "There is no appeal waiting for review on this complaint."),
        A.overturn: Refusal("no_pending_appeal", "There is no appeal waiting for review on this complaint."),
    },
)


def state_of(filed: bool, decision: str | None) -> S:
    """An appeal's state from what is stored: whether it was filed, and its decision."""
    if not filed:
        return S.none
    return S.pending if decision is None else S(decision)
