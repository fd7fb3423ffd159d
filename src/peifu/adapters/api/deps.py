"""Request-scoped dependencies: the runtime and the acting party."""

from typing import Annotated

from fastapi import Header, Request

from peifu.adapters.runtime import Runtime
from peifu.domain.actors import Actor
from peifu.domain.errors import DomainError, ErrorKind
from peifu.domain.vocabulary import Role


class Unauthenticated(DomainError):
    kind = ErrorKind.forbidden


def runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


ACTOR_HEADER_DOC = (
    "Who is acting, as `role:id` — e.g. `buyer:buyer-wang`, `seller:shop-lining` (seller staff act "
    "for their shop), `agent:xiaoer-01`, or `courier:SF` for logistics events."
)

PARTY_ROLES = {Role.buyer, Role.seller, Role.agent, Role.courier}


def parse_actor(value: str | None) -> Actor:
    if not value:
        raise DomainError("actor_required", "Say who is acting in the X-Peifu-Actor header (role:id).")
    role_text, _, actor_id = value.partition(":")
    try:
        role = Role(role_text.strip())
    except ValueError:
        raise DomainError("actor_invalid", f"Unknown role '{role_text}'.") from None
    if role not in PARTY_ROLES or not actor_id.strip():
        raise DomainError("actor_invalid", "The actor must be role:id with a party role and an id.")
    return Actor(role=role, id=actor_id.strip())


def actor(x_peifu_actor: Annotated[str | None, Header(description=ACTOR_HEADER_DOC)] = None) -> Actor:
    return parse_actor(x_peifu_actor)


def optional_actor(x_peifu_actor: Annotated[str | None, Header(description=ACTOR_HEADER_DOC)] = None) -> Actor | None:
    return parse_actor(x_peifu_actor) if x_peifu_actor else None
