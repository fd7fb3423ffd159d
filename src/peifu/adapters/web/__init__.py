"""The web consoles: pages for buyers, seller after-sale teams, platform agents and admins."""

from __future__ import annotations

from types import ModuleType

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles


def install(app: FastAPI) -> None:
    from peifu.adapters.web import pages

    app.mount("/static", StaticFiles(directory=str(pages.WEB / "static")), name="static")
    app.add_middleware(pages.LocaleMiddleware)  # the page language, chosen once per request
    app.include_router(pages.router)
    for module in _consoles():
        app.include_router(module.router)

    @app.exception_handler(pages.LoginRequired)
    async def _login(request: Request, exc: pages.LoginRequired) -> RedirectResponse:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)


def _consoles() -> list[ModuleType]:
    """Console modules present in this build (each adds its own pages)."""
    import importlib

    found = []
    for name in ("buyer", "seller", "agent", "dashboard", "triage_hint"):
        try:
            found.append(importlib.import_module(f"peifu.adapters.web.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"peifu.adapters.web.{name}":
                raise
    return found
