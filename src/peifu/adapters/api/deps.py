"""Request-scoped dependencies: the runtime and the authenticated party.

Credentials, in order: `Authorization: Bearer <session token | pk_… API key>`, then the page
session cookie. A deployment behind a gateway that has already authenticated the caller can let
it name the caller in `X-Peifu-Actor: role:id` by setting PEIFU_TRUST_ACTOR_HEADER=1 (off by
default; the test suite's flow tests use it, its security tests do not).
"""

import re
from typing import Annotated

from fastapi import Cookie, Header, Request

from peifu.adapters.runtime import Runtime
from peifu.domain.actors import Actor, is_platform
from peifu.domain.errors import DomainError, Forbidden, Unauthenticated
from peifu.domain.vocabulary import Role
from peifu.services import auth
from peifu.services.commands import ID_PATTERN

SESSION_COOKIE = "peifu_session"


def runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


ACTOR_HEADER_DOC = (
    "Only where the deployment trusts its gateway (PEIFU_TRUST_ACTOR_HEADER=1): who is acting, as "
    "`role:id` — e.g. `buyer:buyer-wang`, `seller:shop-lining`, `agent:xiaoer-01`, `courier:SF`, `platform:platform`."
)
AUTH_DOC = "`Bearer <token>` from POST /api/v1/auth/login, or `Bearer pk_…` for an integration API key."

PARTY_ROLES = {Role.buyer, Role.seller, Role.agent, Role.courier, Role.platform}


def parse_actor(value: str | None) -> Actor:
    if not value:
        raise Unauthenticated("actor_required", "Say who is acting in the X-Peifu-Actor header (role:id).")
    role_text, _, actor_id = value.partition(":")
    try:
        role = Role(role_text.strip())
    except ValueError:
        raise DomainError("actor_invalid", f"Unknown role '{role_text}'.") from None
    if role not in PARTY_ROLES or not actor_id.strip():
        raise DomainError("actor_invalid", "The actor must be role:id with a party role and an id.")
    if len(actor_id.strip()) > 64 or not re.fullmatch(ID_PATTERN, actor_id.strip()):
        raise DomainError("actor_invalid", "The actor's id is 1 to 64 letters, digits and _.:- characters.")
    return Actor(role=role, id=actor_id.strip())


def actor(
    request: Request,
    authorization: Annotated[str | None, Header(description=AUTH_DOC)] = None,
    x_peifu_actor: Annotated[str | None, Header(description=ACTOR_HEADER_DOC)] = None,
    peifu_session: Annotated[str | None, Cookie(include_in_schema=False)] = None,
) -> Actor:
    rt = runtime(request)
    credential = None
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise Unauthenticated("unauthenticated", "Use 'Authorization: Bearer <token>'.")
        credential = value.strip()
    elif peifu_session:
        credential = peifu_session
    if credential is not None:
        if len(credential) > 200:
            raise Unauthenticated("unauthenticated", "The credential is not valid.")
        with rt.uow() as ctx:
            return auth.resolve(ctx.session, credential, ctx.now())
    if x_peifu_actor is not None:
        if not rt.settings.trust_actor_header:
            raise Unauthenticated(
                "actor_header_not_trusted", "This deployment does not accept X-Peifu-Actor; send a Bearer token."
            )
        return parse_actor(x_peifu_actor)
    raise Unauthenticated(
        "unauthenticated", "Log in (POST /api/v1/auth/login) and send 'Authorization: Bearer <token>'."
    )


def require_platform(who: Actor) -> None:
    if not is_platform(who):
        raise Forbidden("actor_not_allowed", "Only the marketplace's integration (or an admin) can do this.")
