"""The web consoles: pages for buyers, seller after-sale teams, platform agents and admins."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from peifu.adapters.web import agent, buyer, dashboard, pages, seller, service_complaints, triage_hint, webhooks


def install(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=str(pages.WEB / "static")), name="static")
    app.add_middleware(pages.LocaleMiddleware)  # the page language, chosen once per request
    app.include_router(pages.router)
    for console in (buyer, seller, agent, dashboard, triage_hint, webhooks, service_complaints):
        app.include_router(console.router)

    @app.exception_handler(pages.LoginRequired)
    async def _login(request: Request, exc: pages.LoginRequired) -> RedirectResponse:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
