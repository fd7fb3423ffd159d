"""Who is acting, and whether they may touch a given case or order at all.

The object-level check lives here so every adapter (API, pages, worker) asks the same question.
"""

from __future__ import annotations

from dataclasses import dataclass

from peifu.domain.errors import NotFound
from peifu.domain.vocabulary import Role


@dataclass(frozen=True)
class Actor:
    role: Role
    id: str | None = None  # buyer id, shop id (for seller staff), agent id; None for system/courier
    user: str | None = None  # the login or API key behind it (seller staff member, integration key)
    admin: bool = False  # a platform administrator (acts as an agent with platform-wide reach)

    def __str__(self) -> str:
        return f"{self.role}:{self.id}" if self.id else str(self.role)


SYSTEM = Actor(Role.system)


def is_platform(actor: Actor) -> bool:
    """The marketplace itself: its integration key, an admin, or the engine."""
    return actor.role in (Role.platform, Role.system) or actor.admin


def check_party(actor: Actor, *, buyer_id: str, shop_id: str, what: str) -> None:
    """A buyer sees only their own, a seller only their shop's. Strangers get a 404, not a 403,
    so that ids cannot be probed."""
    if actor.role is Role.buyer and actor.id != buyer_id:
        raise NotFound(f"{what}_not_found", f"No such {what}.")
    if actor.role is Role.seller and actor.id != shop_id:
        raise NotFound(f"{what}_not_found", f"No such {what}.")
