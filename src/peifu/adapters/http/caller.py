"""Who is calling, decided once per request before anything keys on it.

The rate limit and the idempotency keys both need to know who the caller is, and both run
before the routes. Keying them on whatever credential a request *carries* let anyone mint a fresh
rate bucket per request (`Bearer junk-1`, `Bearer junk-2`, …) and store an idempotency row
without ever authenticating. So `CallerMiddleware` resolves the credentials first — the same rule
the routes use, `identify` — and leaves the result in the request's state:

* good credentials: the actor, and `key` names the principal (`user:…`, `key:…`, or the trusted
  gateway's `actor:role:id`): one rate bucket and one idempotency namespace per principal,
  however many sessions or tokens it holds;
* bad credentials or none: no actor (the error, if any, is kept for the route to raise) and
  `key` is the client's address, `ip:…`: junk tokens and anonymous requests share their
  address's bucket, and nothing unauthenticated is ever stored.

The routes' dependency (`deps.actor`) and the pages' (`pages.page_actor`) take the result from
the state instead of looking the credential up a second time. Static files need no caller.
The client's address is the connection's — or, behind a proxy listed in uvicorn's
FORWARDED_ALLOW_IPS, the one it forwards.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request, cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send

from peifu.adapters.http.errors import error_response
from peifu.adapters.runtime import Runtime
from peifu.domain.actors import Actor
from peifu.domain.errors import DomainError, Invalid, Unauthenticated
from peifu.domain.vocabulary import Role
from peifu.services import auth
from peifu.services.inputs import ID_PATTERN

log = logging.getLogger("peifu.api")
SESSION_COOKIE = "peifu_session"
STATE_KEY = "peifu_caller"
MAX_CREDENTIAL = 200
PARTY_ROLES = {Role.buyer, Role.seller, Role.agent, Role.courier, Role.platform}
NO_CALLER_PATHS = ("/static/",)


@dataclass(frozen=True)
class Caller:
    key: str  # the principal's name, or `ip:<address>` when there is no valid credential
    address: str
    actor: Actor | None = None
    error: DomainError | None = None  # why the credentials sent were refused
    credential: str | None = None  # the bearer/cookie secret that was resolved (never logged)

    @property
    def authenticated(self) -> bool:
        return self.actor is not None


def principal(actor: Actor) -> str:
    """The name rate buckets and idempotency keys are kept under: the account, not the token."""
    if actor.user is not None:
        kind = "key" if actor.user.startswith("pk_") else "user"
        return f"{kind}:{actor.user}"
    return f"actor:{actor.role}:{actor.id}"


def parse_actor(value: str | None) -> Actor:
    if not value:
        raise Unauthenticated("actor_required", "Say who is acting in the X-Peifu-Actor header (role:id).")
    role_text, _, actor_id = value.partition(":")
    try:
        role = Role(role_text.strip())
    except ValueError:
        raise Invalid("actor_invalid", f"Unknown role '{role_text}'.") from None
    if role not in PARTY_ROLES or not actor_id.strip():
        raise Invalid("actor_invalid", "The actor must be role:id with a party role and an id.")
    if len(actor_id.strip()) > 64 or not re.fullmatch(ID_PATTERN, actor_id.strip()):
        raise Invalid("actor_invalid", "The actor's id is 1 to 64 letters, digits and _.:- characters.")
    return Actor(role=role, id=actor_id.strip())


def bearer(authorization: str | None) -> str | None:
    """The secret of an `Authorization: Bearer …` header (None without the header)."""
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthenticated("unauthenticated", "Use 'Authorization: Bearer <token>'.")
    return value.strip()


def resolve(rt: Runtime, credential: str) -> Actor:
    """The actor behind a bearer token, API key or session cookie (one indexed lookup)."""
    if len(credential) > MAX_CREDENTIAL:
        raise Unauthenticated("unauthenticated", "The credential is not valid.")
    with rt.uow() as ctx:
        return auth.resolve(ctx.session, credential, ctx.now())


def identify(rt: Runtime, authorization: str | None, cookie: str | None, actor_header: str | None) -> Actor:
    """The routes' rule: the Authorization header, else the session cookie, else — only where the
    deployment trusts its gateway — X-Peifu-Actor. Raises the refusal."""
    credential = bearer(authorization)
    if credential is None and cookie:
        credential = cookie
    if credential is not None:
        return resolve(rt, credential)
    if actor_header is not None:
        if not rt.settings.trust_actor_header:
            raise Unauthenticated(
                "actor_header_not_trusted", "This deployment does not accept X-Peifu-Actor; send a Bearer token."
            )
        return parse_actor(actor_header)
    raise Unauthenticated(
        "unauthenticated", "Log in (POST /api/v1/auth/login) and send 'Authorization: Bearer <token>'."
    )


def client_address(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def _headers(scope: Scope) -> dict[bytes, str]:
    found: dict[bytes, str] = {}
    for name, value in scope.get("headers", []):
        if name in (b"authorization", b"cookie", b"x-peifu-actor") and name not in found:
            found[name] = value.decode("latin-1")
    return found


def _session_cookie(header: str | None) -> str | None:
    return cookie_parser(header).get(SESSION_COOKIE) or None if header else None


def find_caller(rt: Runtime, scope: Scope) -> Caller:
    """Resolve the request's credentials (a database lookup when it carries any)."""
    address = client_address(scope)
    anonymous = f"ip:{address}"
    headers = _headers(scope)
    authorization, actor_header = headers.get(b"authorization"), headers.get(b"x-peifu-actor")
    cookie = _session_cookie(headers.get(b"cookie"))
    if authorization is None and cookie is None and actor_header is None:
        return Caller(anonymous, address)
    try:
        credential = bearer(authorization) or cookie
        actor = identify(rt, authorization, cookie, actor_header)
    except DomainError as refused:
        return Caller(anonymous, address, error=refused)
    return Caller(principal(actor), address, actor=actor, credential=credential)


def _carries_secret(scope: Scope) -> bool:
    """Whether resolving the caller may need the database: an Authorization header or a cookie
    header (the session cookie is parsed out of it by `find_caller`)."""
    return any(name in (b"authorization", b"cookie") for name, _ in scope.get("headers", []))


def caller_of(request: Request) -> Caller | None:
    found = getattr(request.state, STATE_KEY, None)
    return found if isinstance(found, Caller) else None


class CallerMiddleware:
    """Resolves the caller before the rate limit and the idempotency keys (see the module doc)."""

    def __init__(self, app: ASGIApp, runtime: Runtime) -> None:
        self.app = app
        self.rt = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or str(scope.get("path", "")).startswith(NO_CALLER_PATHS):
            await self.app(scope, receive, send)
            return
        try:
            if _carries_secret(scope):  # a token or session to look up: the database, off the event loop
                caller = await run_in_threadpool(find_caller, self.rt, scope)
            else:  # nothing to look up (a trusted gateway's X-Peifu-Actor, or no credential): no thread hop
                caller = find_caller(self.rt, scope)
        except (OperationalError, InterfaceError) as exc:
            log.error("database unavailable: %s", getattr(exc, "orig", exc))
            response = error_response(
                503, "database_unavailable", "The database is busy or unreachable; retry shortly."
            )
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})[STATE_KEY] = caller
        await self.app(scope, receive, send)
