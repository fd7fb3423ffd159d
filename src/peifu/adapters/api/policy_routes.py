"""The policy in force, disclosed: as JSON and as a public page (zh-CN first, English on request)."""

from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from peifu.adapters.api import schemas as out
from peifu.adapters.api.routes import ERRORS
from peifu.adapters.http.deps import runtime
from peifu.adapters.runtime import Runtime
from peifu.domain.policy import Policy
from peifu.domain.policy_text import describe

RuntimeDep = Annotated[Runtime, Depends(runtime)]
templates = Jinja2Templates(directory=str(Path(__file__).parent.parent / "web" / "templates"))

router = APIRouter(tags=["policy"])


def _policy(rt: Runtime, version: str | None) -> Policy:
    if version is None:
        return rt.policies.current
    with rt.uow() as ctx:
        return ctx.policies.get(ctx.session, version)


def policy_out(policy: Policy, current: str) -> out.PolicyOut:
    return out.PolicyOut(
        version=policy.version,
        name_zh=policy.name_zh,
        name_en=policy.name_en,
        in_force=policy.version == current,
        rules=[
            out.PolicyRuleOut(key=r.key, section=r.section, value=r.value, zh=r.zh, en=r.en, source=r.source)
            for r in describe(policy)
        ],
    )


@router.get(
    "/api/v1/policy",
    response_model=out.PolicyOut,
    responses=ERRORS,
    summary="规则公示 · The rules in force, in plain words",
)
def get_policy(
    rt: RuntimeDep,
    version: Annotated[
        str | None, Query(max_length=64, description="An older version cases were opened under.")
    ] = None,
) -> out.PolicyOut:
    """Every number the engine uses — deadlines, windows, compensation, penalty points — as a
    sentence in Chinese and English with its source. Platforms disclose this before any dispute."""
    return policy_out(_policy(rt, version), rt.policies.current.version)


@router.get("/policy", response_class=HTMLResponse, include_in_schema=False)
def policy_page(
    request: Request,
    rt: RuntimeDep,
    lang: Literal["zh", "en"] = "zh",
    version: Annotated[str | None, Query(max_length=64)] = None,
) -> HTMLResponse:
    policy = _policy(rt, version)
    sections: dict[str, list[object]] = {}
    for rule in describe(policy):
        sections.setdefault(rule.section, []).append(rule)
    return templates.TemplateResponse(
        request,
        "policy.html",
        {
            "policy": policy,
            "sections": sections,
            "lang": lang,
            "in_force": policy.version == rt.policies.current.version,
        },
    )
