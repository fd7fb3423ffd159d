"""Server-rendered pages (Jinja2 + htmx): the shell every console shares.

Pages authenticate with the session cookie set at /login (the same sessions as the API) and
call the same services as the API, so a button on a page and a POST to the API do exactly the
same thing. Each console lives in its own module; this one holds the layout, language choice,
login and the helpers they share.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, ValidationError
from starlette.datastructures import QueryParams
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send

from peifu.adapters.http import logins
from peifu.adapters.http.caller import caller_of, client_address, resolve
from peifu.adapters.http.deps import SESSION_COOKIE, runtime
from peifu.adapters.http.errors import STATUS_BY_KIND
from peifu.adapters.runtime import Runtime
from peifu.adapters.web import error_text, i18n, labels
from peifu.domain.actors import Actor
from peifu.domain.clock import to_local
from peifu.domain.errors import DomainError, Invalid
from peifu.domain.intervention import EvidenceKind
from peifu.domain.money import format_yuan
from peifu.domain.vocabulary import AppealState, ComplaintStatus, DisputeStatus, Role
from peifu.services import auth
from peifu.services.inputs import problem_text

WEB = Path(__file__).parent
LANG_COOKIE = "peifu_lang"

templates = Jinja2Templates(directory=str(WEB / "templates"))
templates.env.add_extension("jinja2.ext.i18n")
templates.env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
templates.env.filters["yuan"] = format_yuan
templates.env.filters["local"] = lambda value: to_local(value).strftime("%Y-%m-%d %H:%M") if value else ""
templates.env.filters["iso"] = lambda value: value.isoformat() if value else ""
templates.env.filters["instant"] = lambda value: datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None

RuntimeDep = Annotated[Runtime, Depends(runtime)]
router = APIRouter(include_in_schema=False)


class LoginRequired(Exception):
    """Raised by `page_actor` when there is no valid session: the app answers with a redirect."""


def choose_locale(request: Request) -> str:
    """The page language: ?lang=, then the language cookie, then Accept-Language, else zh-CN."""
    return i18n.pick_locale(
        request.query_params.get("lang"), request.cookies.get(LANG_COOKIE), request.headers.get("accept-language")
    )


def locale_of_scope(scope: Scope) -> str:
    """`choose_locale` read straight from the scope (the same three sources, the same values as
    Starlette's `Request` gives: the last `lang` query value, the cookies of every Cookie header
    (a later one wins), the first Accept-Language header), without building a `Request`, its
    header map and cookie jar on every API call."""
    query = QueryParams(scope["query_string"]).get("lang") if scope.get("query_string") else None
    cookie: str | None = None
    accept_language: str | None = None
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            cookie = cookie_parser(value.decode("latin-1")).get(LANG_COOKIE, cookie)
        elif name == b"accept-language" and accept_language is None:
            accept_language = value.decode("latin-1")
    return i18n.pick_locale(query, cookie, accept_language)


class LocaleMiddleware:
    """Chooses the language once per request, before any dependency or handler runs.

    Sync dependencies (`page_actor`) and sync handlers each run in a worker thread with their
    own *copy* of the request's context, so a language set inside one of them never reaches the
    other, and Python-side `i18n.gettext` in a handler fell back to zh-CN. Setting the context
    variable here, in the request's own task, makes every copy taken afterwards (dependencies,
    handlers, templates, refusal sentences) see the same choice.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = i18n.current_locale.set(locale_of_scope(scope))
        try:
            await self.app(scope, receive, send)
        finally:
            i18n.current_locale.reset(token)


def page_actor(request: Request, rt: RuntimeDep) -> Actor:
    """The session cookie's user (pages take the cookie only, never a header)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise LoginRequired()
    found = caller_of(request)
    if found is not None and found.credential == token:  # resolved once already, before the rate limit
        if found.actor is None:
            raise LoginRequired()
        return found.actor
    try:
        return resolve(rt, token)
    except DomainError:
        raise LoginRequired() from None


PageActor = Annotated[Actor, Depends(page_actor)]


def render(request: Request, name: str, who: Actor | None, **context: Any) -> HTMLResponse:
    locale = i18n.current_locale.get()  # chosen by LocaleMiddleware
    rt: Runtime = request.app.state.runtime
    response = templates.TemplateResponse(
        request,
        name,
        {"who": who, "locale": locale, "now": rt.clock.now(), "home": home_for(who), **context},
    )
    if request.query_params.get("lang") in ("en", "zh_CN", "zh"):
        response.set_cookie(LANG_COOKIE, locale, max_age=365 * 86400, samesite="lax")
    return response


def home_for(who: Actor | None) -> str:
    if who is None:
        return "/login"
    if who.admin:
        return "/dashboard"
    return {Role.buyer: "/buyer", Role.seller: "/seller", Role.agent: "/agent"}.get(who.role, "/login")


def seconds_left(due: datetime, now: datetime) -> int:
    return int((due - now).total_seconds())


def urgency(due: datetime | None, now: datetime) -> str:
    """Colour band for a deadline: red under 12 h, amber under 24 h, green otherwise."""
    if due is None:
        return "none"
    left = seconds_left(due, now)
    if left < 12 * 3600:
        return "urgent"
    if left < 24 * 3600:
        return "soon"
    return "calm"


templates.env.globals["urgency"] = urgency
templates.env.globals["seconds_left"] = seconds_left
templates.env.filters["error_text"] = error_text.message_for  # {{ error|error_text }}: a refusal's sentence
templates.env.globals["refusal_text"] = error_text.sentence  # {{ refusal_text(code, message) }}
templates.env.globals["label"] = labels.label  # {{ label("state", case.state) }}: a vocabulary value's words
templates.env.globals["ledger_kind"] = labels.ledger_kind
templates.env.globals["DisputeStatus"] = DisputeStatus  # lifecycle states compared in templates
templates.env.globals["ComplaintStatus"] = ComplaintStatus
templates.env.globals["AppealState"] = AppealState


@router.get("/", response_class=HTMLResponse)
def index(request: Request, rt: RuntimeDep) -> Response:
    try:
        who = page_actor(request, rt)
    except LoginRequired:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(home_for(who), status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    return render(request, "pages/login.html", None, error=None)


@router.post("/login", response_class=HTMLResponse)
async def login_submit(
    request: Request,
    rt: RuntimeDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=200)],
) -> Response:
    """The same guarded check as POST /api/v1/auth/login (throttled, bounded, off the event loop)."""
    try:
        done = await logins.guard(request).login(rt, username, password, client_address(request.scope))
    except DomainError as exc:
        refused = render(request, "pages/login.html", None, error=error_text.message_for(exc))
        refused.status_code = STATUS_BY_KIND.get(exc.kind, 401)
        retry = exc.details.get("retry_after_seconds")
        if isinstance(retry, int):
            refused.headers["Retry-After"] = str(retry)
        return refused
    token, who = done.token, auth.actor_for_user(done.user)
    target = request.query_params.get("next") or home_for(who)
    if not target.startswith("/") or target.startswith("//"):
        target = home_for(who)  # never redirect off-site
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", max_age=12 * 3600)
    return response


@router.post("/logout")
def logout_submit(request: Request, rt: RuntimeDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with rt.uow() as ctx:
            auth.logout(ctx.session, token, ctx.now())
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def flash_error(request: Request, exc: DomainError) -> HTMLResponse:
    """A refused action answered to htmx: the same code and sentence the API gives, in the #flash banner."""
    response = templates.TemplateResponse(
        request, "partials/error.html", {"code": exc.code, "message": error_text.message_for(exc)}, status_code=200
    )
    response.headers["HX-Retarget"] = "#flash"
    response.headers["HX-Reswap"] = "innerHTML"
    return response


ErrorRenderer = Callable[[Request, DomainError], HTMLResponse]


def refused_action(
    request: Request,
    exc: DomainError,
    *,
    again: Callable[[], Response],
    otherwise: Callable[[DomainError], Response],
    status: int | None = None,
) -> Response:
    """How every page action answers a refusal of its parse-form → call-service steps.

    htmx gets the API's code and sentence in the #flash banner. A plain form gets `again()`, its
    page again with the error, answered with `status` (when given); when that page cannot be shown
    either (the object is gone, the reader may not see it), `otherwise(that refusal)`."""
    if is_htmx(request):
        return flash_error(request, exc)
    try:
        response = again()
    except DomainError as other:
        return otherwise(other)
    if status is not None:
        response.status_code = status
    return response


def go_to(request: Request, url: str) -> Response:
    """After a successful form: htmx follows an HX-Redirect, a plain form a 303."""
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def form_model(model: type[BaseModel], data: dict[str, Any]) -> Any:
    """A command body from form fields; bad input is an `Invalid` worded like the API's validation error."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise Invalid("validation_error", validation_message(exc)) from None


def form_int(text: str) -> int | str:
    """A whole number typed into a form field, as the integer a command takes ("3" → 3).

    Commands take only real integers; anything else is passed on unchanged, so the command
    refuses it with the same sentence the API gives."""
    cleaned = text.strip()
    return int(cleaned) if cleaned.isascii() and cleaned.isdigit() and len(cleaned) <= 18 else text


def validation_message(exc: ValidationError) -> str:
    """The first problem of a form that does not validate: "'field': what is wrong"."""
    errors = exc.errors()
    if not errors:
        return "The form is not valid."
    first = errors[0]
    where = ".".join(str(p) for p in first["loc"])
    problem = problem_text(first)
    return f"'{where}': {problem}" if where else problem


def evidence_kind_for(content_type: str | None) -> EvidenceKind:
    """An uploaded file's evidence kind from its media type: image, video, else a document."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media.startswith("image/"):
        return EvidenceKind.image
    if media.startswith("video/"):
        return EvidenceKind.video
    return EvidenceKind.document
