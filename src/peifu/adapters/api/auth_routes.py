"""Logging in and out; who am I."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from peifu.adapters.api.routes import ERRORS
from peifu.adapters.http import logins
from peifu.adapters.http.caller import client_address
from peifu.adapters.http.deps import SESSION_COOKIE, actor, runtime
from peifu.adapters.runtime import Runtime
from peifu.domain.actors import Actor
from peifu.services import auth

RuntimeDep = Annotated[Runtime, Depends(runtime)]
ActorDep = Annotated[Actor, Depends(actor)]

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again.", "schema": {"type": "integer"}}}
LOGIN_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    401: ERRORS[422] | {"description": "Wrong user name or password (`invalid_credentials`)"},
    429: ERRORS[422]
    | {
        "description": "Too many failed logins for the account or the address (`login_throttled`)",
        "headers": RETRY_AFTER,
    },
    503: ERRORS[422]
    | {
        "description": "As many passwords are being checked as the server allows (`login_busy`)",
        "headers": RETRY_AFTER,
    },
}


class LoginIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"username": "buyer-wang", "password": "peifu-demo"}]}
    )
    username: Annotated[str, Field(min_length=1, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=200)]


class LoginOut(BaseModel):
    token: str = Field(description="Send as 'Authorization: Bearer <token>'; valid 12 hours.")
    role: str
    party_id: str | None
    display_name: str


class MeOut(BaseModel):
    role: str
    id: str | None
    user: str | None
    admin: bool


@router.post("/login", response_model=LoginOut, responses=LOGIN_ERRORS, summary="登录 · Log in")
async def login(body: LoginIn, request: Request, rt: RuntimeDep) -> JSONResponse:
    """A session token for a correct user name and password (also set as the page session cookie).

    Failed logins are limited per account and per client address (429 `login_throttled` with
    `Retry-After`), and only so many passwords are checked at once (503 `login_busy` with
    `Retry-After`): see README › Security."""
    done = await logins.guard(request).login(rt, body.username, body.password, client_address(request.scope))
    user = done.user
    answer = LoginOut(token=done.token, role=user.role, party_id=user.party_id, display_name=user.display_name)
    response = JSONResponse(answer.model_dump())
    response.set_cookie(SESSION_COOKIE, done.token, httponly=True, samesite="lax", max_age=12 * 3600)
    return response


@router.post("/logout", responses=ERRORS, summary="退出 · Log out")
def logout(request: Request, rt: RuntimeDep, who: ActorDep) -> JSONResponse:
    header = request.headers.get("authorization", "")
    token = header.partition(" ")[2].strip() or request.cookies.get(SESSION_COOKIE, "")
    with rt.uow() as ctx:
        auth.logout(ctx.session, token, ctx.now())
    response = JSONResponse({"logged_out": True})
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/me", response_model=MeOut, responses=ERRORS, summary="我是谁 · Who the credentials belong to")
def me(who: ActorDep) -> MeOut:
    return MeOut(role=str(who.role), id=who.id, user=who.user, admin=who.admin)
