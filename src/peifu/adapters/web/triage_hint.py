"""The request form's suggestion (投诉分诊): as the buyer describes the problem, the form shows the
reason and case type the description suggests, with a button that selects them.

One small htmx endpoint, `POST /buyer/triage-hint` with the form's `description`, answering an
HTML fragment for `#triage-hint` (empty when there is nothing to say: no text yet, or a guess the
model is unsure of, or a text with no after-sale reason). Nothing is stored; the buyer's own choice is what the request carries. The
same suggestion is kept on the case when the request is opened (services.triage.apply_to_case).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from peifu.adapters.web.pages import PageActor, render
from peifu.domain.errors import Forbidden, Invalid
from peifu.domain.triage import MAX_TEXT_CHARS
from peifu.domain.vocabulary import Role
from peifu.services import triage as triage_service

router = APIRouter(include_in_schema=False)


@router.post("/buyer/triage-hint", response_class=HTMLResponse)
def triage_hint(
    request: Request, who: PageActor, description: Annotated[str, Form(max_length=MAX_TEXT_CHARS)] = ""
) -> HTMLResponse:
    if who.role is not Role.buyer:
        raise Forbidden("actor_not_allowed", "The buyer console is for buyers.")
    try:
        result = triage_service.triage(description)
    except Invalid:
        result = None
    if result is not None and result.for_person:  # unsure, or no after-sale reason: say nothing
        result = None
    return render(request, "buyer/_triage_hint.html", who, hint=result)
