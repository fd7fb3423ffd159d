"""The rule complaint (规则投诉) lifecycle: one table of states × actions × who may act.

    open ──uphold (agent)──▶ upheld ──overturn (an appeal succeeded)──▶ overturned
    open ──reject (agent)──▶ rejected
    open ──withdraw (buyer)──▶ withdrawn

Straight to an agent, no negotiation; the penalty's appeal is `domain.appeal_machine.PENALTIES`.
"""

from __future__ import annotations

from peifu.domain.lifecycle import Machine, Move, Refusal
from peifu.domain.vocabulary import ComplaintAction as A
from peifu.domain.vocabulary import ComplaintStatus as S
from peifu.domain.vocabulary import Role as R

BUYER = frozenset({R.buyer})
AGENT = frozenset({R.agent})

TABLE: tuple[Move[S, A], ...] = (
    Move(S.open, A.uphold, S.upheld, AGENT),
    Move(S.open, A.reject, S.rejected, AGENT),
    Move(S.open, A.withdraw, S.withdrawn, BUYER),
    Move(S.upheld, A.overturn, S.overturned, AGENT),
)

DECIDED = "The complaint is already {state}."

MACHINE: Machine[S, A] = Machine(
    what="complaint",
    states=S,
    actions=A,
    table=TABLE,
    final=frozenset({S.rejected, S.withdrawn, S.overturned}),
    initial=S.open,
    refusals={
        A.uphold: Refusal("complaint_decided", DECIDED),
        A.reject: Refusal("complaint_decided", DECIDED),
        A.withdraw: Refusal("complaint_decided", DECIDED),
        A.overturn: Refusal("not_appealable", "Only an upheld complaint carries a penalty to appeal."),
    },
)

decide = MACHINE.decide
allows = MACHINE.allows
APPEALABLE = S.upheld  # only an upheld complaint carries a penalty to appeal
