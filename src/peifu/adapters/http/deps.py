"""Request-scoped dependencies: the runtime and the authenticated party.

Credentials, in order: `Authorization: Bearer <session token | pk_… API key>`, then the page
session cookie. A deployment behind a gateway that has already authenticated the caller can let
it name the caller in `X-Peifu-Actor: role:id` by setting PEIFU_TRUST_ACTOR_HEADER=1 (off by
default; the test suite's flow tests use it, its security tests do not).
"""

from typing import Annotated

from fastapi import Cookie, Header, Request
from starlette.concurrency import run_in_threadpool

from peifu.adapters.http.caller import SESSION_COOKIE, caller_of, identify, parse_actor
from peifu.adapters.runtime import Runtime
from peifu.domain.actors import Actor, is_platform
from peifu.domain.errors import Forbidden

__all__ = ["SESSION_COOKIE", "actor", "parse_actor", "require_platform", "runtime"]


async def runtime(request: Request) -> Runtime:
    """The app's runtime. `async` (as `actor` is): FastAPI runs a plain `def` dependency in a worker
    thread, one thread hop per request for a dictionary lookup."""
    return runtime_of(request)


def runtime_of(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


ACTOR_HEADER_DOC = (
    "Only where the deployment trusts its gateway (PEIFU_TRUST_ACTOR_HEADER=1): who is acting, as "
    "`role:id` — e.g. `buyer:buyer-wang`, `seller:shop-lining`, `agent:xiaoer-01`, `courier:SF`, `platform:platform`."
)
AUTH_DOC = "`Bearer <token>` from POST /api/v1/auth/login, or `Bearer pk_…` for an integration API key."


async def actor(
    request: Request,
    authorization: Annotated[str | None, Header(description=AUTH_DOC)] = None,
    x_peifu_actor: Annotated[str | None, Header(description=ACTOR_HEADER_DOC)] = None,
    peifu_session: Annotated[str | None, Cookie(include_in_schema=False)] = None,
) -> Actor:
    """The authenticated caller, as `caller.CallerMiddleware` resolved it (or resolved here when
    the app runs without it); the refusal for bad or missing credentials.

    `async`, so the usual case (the middleware's answer) costs no thread hop; a look-up that may
    touch the database (`identify`) runs in a worker thread as before."""
    found = caller_of(request)
    if found is not None:
        if found.actor is not None:
            return found.actor
        if found.error is not None:
            raise found.error
    # no middleware, or no credential (then `identify` gives the refusal)
    return await run_in_threadpool(identify, runtime_of(request), authorization, peifu_session, x_peifu_actor)


def require_platform(who: Actor) -> None:
    if not is_platform(who):
        raise Forbidden("actor_not_allowed", "Only the marketplace's integration (or an admin) can do this.")
