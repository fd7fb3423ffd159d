"""The webhook lifecycles (services.webhooks): endpoints, and the deliveries queued for them.

An endpoint:

    active ──fail (a delivery spent its retries)──▶ failing ──resume (a probe got through)──▶ active
    failing ──probe (hourly, while probes fail)──▶ failing
    any ──disable (its owner)──▶ disabled ──enable──▶ active
    any ──recover (its owner: fixed)──▶ active, what waits due now on a fresh schedule

`enable` on an active endpoint changes nothing; `recover` always starts the schedule afresh. Its
owner is the marketplace (platform key, admin, the engine's CLI) or the shop's staff (a shop's own
endpoints): `services.webhooks` checks that before the table is asked.

A delivery, written `pending` (held behind an older one of its case, or due):

    pending ──release / fail / restart──▶ pending ──deliver──▶ delivered

Deliveries never give up: when one spends its retries its endpoint fails, and its events wait.
"""

from __future__ import annotations

from peifu.domain.lifecycle import Machine, Move
from peifu.domain.vocabulary import DeliveryAction as DA
from peifu.domain.vocabulary import DeliveryStatus as DS
from peifu.domain.vocabulary import EndpointAction as A
from peifu.domain.vocabulary import EndpointStatus as S
from peifu.domain.vocabulary import Role as R

SYSTEM = frozenset({R.system})
# who manages endpoints: the marketplace (its key, an admin agent, the engine) or a shop's staff
OWNERS = frozenset({R.platform, R.agent, R.system, R.seller})

ENDPOINT_TABLE: tuple[Move[S, A], ...] = (
    # its owner
    *(Move(source, A.enable, S.active, OWNERS) for source in S),
    *(Move(source, A.disable, S.disabled, OWNERS) for source in S),
    *(Move(source, A.recover, S.active, OWNERS) for source in S),
    # the engine
    Move(S.active, A.fail, S.failing, SYSTEM),
    Move(S.failing, A.probe, S.failing, SYSTEM),
    Move(S.failing, A.resume, S.active, SYSTEM),
)

ENDPOINTS: Machine[S, A] = Machine(
    what="webhook endpoint",
    states=S,
    actions=A,
    table=ENDPOINT_TABLE,
    final=frozenset(),  # a disabled endpoint can be enabled again; deleting one is not a move
    initial=S.active,
)

SENDING = S.active  # the dispatcher claims these endpoints' due deliveries
PROBED = S.failing  # probed once an interval
COLLECTING = (S.active, S.failing)  # fan-out queues events for these (a failing endpoint's wait)

OFFERED: dict[S, tuple[A, ...]] = {
    S.active: (A.disable,),
    S.failing: (A.disable, A.recover),
    S.disabled: (A.enable,),
}
"""The buttons the webhook pages show in each state (the API accepts every move of the table)."""

DELIVERY_TABLE: tuple[Move[DS, DA], ...] = (
    Move(DS.pending, DA.release, DS.pending, SYSTEM),
    Move(DS.pending, DA.fail, DS.pending, SYSTEM),
    Move(DS.pending, DA.restart, DS.pending, OWNERS),  # whoever made its endpoint active again
    Move(DS.pending, DA.deliver, DS.delivered, SYSTEM),
)

DELIVERIES: Machine[DS, DA] = Machine(
    what="webhook delivery",
    states=DS,
    actions=DA,
    table=DELIVERY_TABLE,
    final=frozenset({DS.delivered}),
    initial=DS.pending,
)

QUEUED = DELIVERIES.initial  # the status fan-out and replay write
WAITING = DS.pending  # not delivered yet: what is claimed, released, restarted and counted as waiting
