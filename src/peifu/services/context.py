"""What every unit of work needs: the open session, the clock, the policy book and the reactions.

Reactions are the engine's own answers to what just happened (services.reactions registers them):
a request that arrives meets the shop's auto-handling rules, an escalation opens a dispute, and
so on. A service records domain events (services.events) as it changes things; the events are
written in the same transaction and queued on the unit of work, and `events.react` hands each to
the handlers registered for its type — in the same unit of work, after the change that caused it
is complete. So no service calls another "back up": it says what happened, and whoever cares
reacts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.orm import Session, sessionmaker

from peifu.domain.actors import Actor
from peifu.domain.clock import Clock
from peifu.domain.events import DomainEvent, EventType
from peifu.services.policies import PolicyBook

if TYPE_CHECKING:
    Handler = Callable[["Ctx", DomainEvent], None]


class Reactions:
    """Event type → the handlers that react to it, in the order they were registered."""

    def __init__(self) -> None:
        self._handlers: dict[EventType, list[Handler]] = {}
        # whether the reactions to an opened case are the standard ones (services.reactions), which
        # services.raw_cases takes inline when a plain request is opened as bare driver calls
        self.opening_inline = False

    def on(self, event_type: EventType, *handlers: Handler) -> Reactions:
        self._handlers.setdefault(event_type, []).extend(handlers)
        if event_type is EventType.case_opened:
            self.opening_inline = False  # another reaction to an opened case: opened the ORM way
        return self

    def opened_inline(self) -> Reactions:
        """Declare the reactions to `case.opened` registered so far the standard ones."""
        self.opening_inline = True
        return self

    def handlers(self, event_type: EventType) -> tuple[Handler, ...]:
        return tuple(self._handlers.get(event_type, ()))


@dataclass
class Ctx:
    session: Session
    clock: Clock
    policies: PolicyBook
    reactions: Reactions
    actor: Actor | None = None  # who is taking the action being applied (effects may need it)
    pending: list[DomainEvent] = field(default_factory=list)  # recorded, not yet reacted to

    def now(self) -> datetime:
        return self.clock.now()

    def react(self) -> None:
        """Hand every queued event to its reactions, oldest first; events the reactions record
        are queued behind and handled in the same loop."""
        while self.pending:
            event = self.pending.pop(0)
            for handler in self.reactions.handlers(event.type):
                handler(self, event)


class Units(Protocol):
    """Where units of work come from (the runtime): the services that run many of them — the
    deadline worker, payouts, bulk answers — take one of these instead of its parts."""

    factory: sessionmaker[Session]
    clock: Clock
    policies: PolicyBook
    reactions: Reactions

    def uow(self) -> AbstractContextManager[Ctx]: ...


@dataclass
class Wiring:
    """Units of work made from their parts: for a runner with a clock of its own (the simulator,
    the demo) — the runtime is the usual `Units`."""

    factory: sessionmaker[Session]
    clock: Clock
    policies: PolicyBook
    reactions: Reactions

    @contextmanager
    def uow(self) -> Iterator[Ctx]:
        session = self.factory()
        try:
            with session.begin():
                ctx = Ctx(session=session, clock=self.clock, policies=self.policies, reactions=self.reactions)
                yield ctx
                ctx.react()
        finally:
            session.close()
