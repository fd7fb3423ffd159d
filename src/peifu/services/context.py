"""What every unit of work needs: the open session, the clock and the policy book."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from peifu.domain.actors import Actor
from peifu.domain.clock import Clock
from peifu.services.policies import PolicyBook


@dataclass
class Ctx:
    session: Session
    clock: Clock
    policies: PolicyBook
    actor: Actor | None = None  # who is taking the action being applied (effects may need it)

    def now(self) -> datetime:
        return self.clock.now()
