"""One shape for every lifecycle that is not a case: a table of (state, action) → target, who may
act, and an optional named guard — the shape of `domain.case_machine`, without case types.

A `Machine` refuses anything not in its table: 409 (`Conflict`) when the state does not allow the
action, or a guard says not yet; 403 (`Forbidden`) when the state allows it but not by this kind of
actor. Each table may name its own refusal (code and sentence) per action or per (state, action), so
the codes the API has always answered with stay the same.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

from peifu.domain.errors import Conflict, Forbidden
from peifu.domain.vocabulary import Role as R

S = TypeVar("S", bound=StrEnum)
A = TypeVar("A", bound=StrEnum)

Guard = Callable[[Any], str | None]
"""A guard gets the machine's facts and returns None when the move is allowed, or why not."""


@dataclass(frozen=True)
class Move(Generic[S, A]):
    source: S
    action: A
    target: S
    actors: frozenset[R]
    guard: Guard | None = None


@dataclass(frozen=True)
class Refusal:
    """What a refused move answers: a machine code and a sentence (`{state}`, `{action}` filled in)."""

    code: str
    message: str

    def error(self, state: StrEnum, action: StrEnum, reason: str | None = None) -> Conflict:
        text = reason or self.message.format(state=state, action=action)
        return Conflict(self.code, text, state=str(state), action=str(action))


@dataclass(frozen=True)
class Machine(Generic[S, A]):
    """A lifecycle table with its lookups. `what` names the thing in default refusals."""

    what: str
    states: type[S]
    actions: type[A]
    table: tuple[Move[S, A], ...]
    final: frozenset[S]
    initial: S
    refusals: Mapping[A | tuple[S, A], Refusal] = field(default_factory=dict)

    def rows(self, state: S, action: A) -> list[Move[S, A]]:
        return [row for row in self.table if row.source == state and row.action == action]

    def allows(self, state: S | str, action: A) -> bool:
        """Whether the table has any row for this move (whoever takes it, guards aside)."""
        return bool(self.rows(self.states(state), action))

    def _refusal(self, state: S, action: A) -> Refusal:
        found = self.refusals.get((state, action)) or self.refusals.get(action)
        if found is not None:
            return found
        return Refusal("action_not_allowed", f"'{{action}}' is not possible while the {self.what} is '{{state}}'.")

    def decide(self, state: S | str, action: A, actor: R, facts: Any = None) -> Move[S, A]:
        """The row for this move, or the refusal: 409 (state or guard), 403 (this kind of actor)."""
        state = self.states(state)
        rows = self.rows(state, action)
        if not rows:
            raise self._refusal(state, action).error(state, action)
        by_actor = [row for row in rows if actor in row.actors]
        if not by_actor:
            raise Forbidden(
                "actor_not_allowed",
                f"A {actor} cannot '{action}' a {self.what} that is '{state}'.",
                state=str(state),
                action=str(action),
            )
        reasons = []
        for row in by_actor:
            reason = row.guard(facts) if row.guard else None
            if reason is None:
                return row
            reasons.append(reason)
        raise self._refusal(state, action).error(state, action, reasons[0])

    def target(self, state: S | str, action: A, actor: R, facts: Any = None) -> S:
        """Where the move leads (see `decide`)."""
        return self.decide(state, action, actor, facts).target

    def allowed_actions(self, state: S | str, facts: Any = None) -> dict[R, list[A]]:
        """What each kind of actor can do now: the buttons on the pages."""
        state = self.states(state)
        result: dict[R, list[A]] = {}
        for row in self.table:
            if row.source != state or (row.guard and row.guard(facts) is not None):
                continue
            for actor in row.actors:
                if row.action not in result.setdefault(actor, []):
                    result[actor].append(row.action)
        return result

    def sources_of(self, action: A) -> frozenset[S]:
        """The states in which `action` can be taken at all."""
        return frozenset(row.source for row in self.table if row.action == action)

    def reachable(self) -> frozenset[S]:
        seen, todo = {self.initial}, [self.initial]
        while todo:
            state = todo.pop()
            for row in self.table:
                if row.source == state and row.target not in seen:
                    seen.add(row.target)
                    todo.append(row.target)
        return frozenset(seen)
