"""The payout outbox lifecycle (services.payouts): a payout is owed until the gateway confirms it.

    (queued) pending ──fail (retried with backoff)──▶ pending ──confirm──▶ sent

Only the engine moves payouts (`system`: the dispatcher, and the money service that queues them).
"""

from __future__ import annotations

from peifu.domain.lifecycle import Machine, Move
from peifu.domain.vocabulary import PayoutAction as A
from peifu.domain.vocabulary import PayoutStatus as S
from peifu.domain.vocabulary import Role as R

SYSTEM = frozenset({R.system})

TABLE: tuple[Move[S, A], ...] = (
    Move(S.pending, A.fail, S.pending, SYSTEM),
    Move(S.pending, A.confirm, S.sent, SYSTEM),
)

MACHINE: Machine[S, A] = Machine(
    what="payout", states=S, actions=A, table=TABLE, final=frozenset({S.sent}), initial=S.pending
)

QUEUED = MACHINE.initial  # the status a payout is written with, with its ledger posting
DUE = S.pending  # what the dispatcher claims

decide = MACHINE.decide
allows = MACHINE.allows
