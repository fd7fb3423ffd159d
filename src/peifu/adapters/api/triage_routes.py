"""Complaint triage (分诊): suggest reason, case type and priority from a buyer's free text."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends

from peifu.adapters.api import schemas as out
from peifu.adapters.api.routes import ERRORS
from peifu.adapters.http.deps import actor
from peifu.domain.actors import Actor
from peifu.domain.errors import Forbidden
from peifu.domain.vocabulary import Role
from peifu.services import triage as triage_service
from peifu.services.inputs import TriageIn

ActorDep = Annotated[Actor, Depends(actor)]
ALLOWED = frozenset({Role.buyer, Role.seller, Role.agent, Role.platform})

EXAMPLES: dict[str, Any] = {
    "zh": {
        "summary": "简体 · a buyer's request form",
        "value": {"text": "收到的鞋子开胶了，和图片颜色也不一样", "channel": "form"},
    },
    "zh-Hant": {
        "summary": "繁體 · chat",
        "value": {"text": "請問你們賣的是正品嗎？防偽碼查不到", "channel": "chat"},
    },
    "en": {
        "summary": "English · e-mail",
        "value": {
            "text": "Hello, this is the third time I'm writing: tracking says delivered but I never got the parcel.",
            "channel": "email",
        },
    },
}

router = APIRouter(prefix="/api/v1", tags=["triage"])


@router.post(
    "/triage",
    response_model=out.TriageOut,
    responses=ERRORS,
    summary="投诉分诊 · Suggest reason, case type and priority from free text",
)
def triage(body: Annotated[TriageIn, Body(openapi_examples=EXAMPLES)], who: ActorDep) -> out.TriageOut:
    """Reads simplified or traditional Chinese and English. The reason comes from a linear model
    over character n-grams and jieba words (its per-reason precision and recall on held-out data
    are in docs/triage-evaluation.md); the case type and the priority from documented rules
    (peifu.domain.triage). Nothing is stored. Empty text, or text over 2000 characters, is 422."""
    if who.role not in ALLOWED:
        raise Forbidden("actor_not_allowed", "Buyers, shop staff, agents and integrations can triage text.")
    result = triage_service.triage(body.text, body.channel)
    return out.TriageOut(
        reason=str(result.reason),
        case_type=str(result.case_type),
        priority=str(result.priority),
        confidence=result.confidence,
        alternatives=[out.TriageAlternativeOut(reason=str(a.reason), p=a.p) for a in result.alternatives],
        language=str(result.language),
        signals=[str(s) for s in result.signals],
        model=result.model,
        sub_reason=str(result.sub_reason) if result.sub_reason else None,
        for_person=result.for_person,
    )
