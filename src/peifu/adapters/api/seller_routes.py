"""Seller tools: auto-handling rules (自动化处理规则) and bulk agree (批量同意 / 大促极速退款).

A shop's rules are managed by its own staff (a session or the shop's API key) and by platform
admins; another shop's staff get the same 404 as for a shop that does not exist. POSTs take an
`Idempotency-Key`; PATCH and DELETE are idempotent by nature (the same PATCH twice leaves the
same rule; a second DELETE is a 404 that changes nothing).
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response
from pydantic import BaseModel, Field

from peifu.adapters.api import presenters
from peifu.adapters.api import schemas as out
from peifu.adapters.api.routes import ERRORS, MAX_ID, CaseId
from peifu.adapters.http.deps import actor, runtime
from peifu.adapters.runtime import Runtime
from peifu.db.models import SellerAutoRule
from peifu.domain.actors import Actor
from peifu.services import auto_handling
from peifu.services.inputs import ID_PATTERN, AutoRuleIn, AutoRulePatchIn, BulkAgreeIn

RuntimeDep = Annotated[Runtime, Depends(runtime)]
ActorDep = Annotated[Actor, Depends(actor)]
ShopId = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN, description="The shop.")]
RuleId = Annotated[int, Path(ge=1, le=MAX_ID, description="The rule's number.")]

router = APIRouter(prefix="/api/v1", tags=["seller tools"])


class AutoRuleOut(BaseModel):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": 7,
                    "shop_id": "shop-lining",
                    "name": "大促极速退款：拍错/不想要，100元以下，未发货",
                    "priority": 10,
                    "enabled": True,
                    "case_types": ["refund_only"],
                    "reasons": ["no_longer_wanted", "ordered_by_mistake"],
                    "order_stages": ["not_shipped"],
                    "max_amount_fen": 10000,
                    "action": "agree",
                    "suggested_reason": None,
                    "message": "已为您极速退款",
                    "applied_count": 1532,
                    "last_applied_at": None,
                    "created_at": {"utc": "2026-11-10T02:00:00Z", "local": "2026-11-10 10:00:00+08:00"},
                    "updated_at": {"utc": "2026-11-10T02:00:00Z", "local": "2026-11-10 10:00:00+08:00"},
                    "updated_by": "shop-lining-staff",
                }
            ]
        }
    }
    id: int
    shop_id: str
    name: str
    priority: int = Field(description="Lower runs first; ties go to the older rule.")
    enabled: bool
    case_types: list[str] = Field(description="Empty: any.")
    reasons: list[str] = Field(description="Empty: any.")
    order_stages: list[str] = Field(description="not_shipped | in_transit | delivered | completed; empty: any.")
    max_amount_fen: int | None
    action: str = Field(description="agree | agree_after_return_signed | ask_to_modify_reason")
    suggested_reason: str | None
    message: str
    applied_count: int = Field(description="Requests this rule has answered.")
    last_applied_at: out.Instant | None
    created_at: out.Instant
    updated_at: out.Instant
    updated_by: str | None


class BulkResultOut(BaseModel):
    case_id: int
    ok: bool
    state: str | None = Field(description="The case's state afterwards (null when it is not the shop's).")
    code: str | None = Field(description="Why it was refused, e.g. action_not_allowed, case_not_found.")
    message: str | None


class BulkAgreeOut(BaseModel):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "agreed": 2,
                    "refused": 1,
                    "results": [
                        {"case_id": 101, "ok": True, "state": "refunded", "code": None, "message": None},
                        {"case_id": 102, "ok": True, "state": "awaiting_return", "code": None, "message": None},
                        {
                            "case_id": 103,
                            "ok": False,
                            "state": "withdrawn",
                            "code": "action_not_allowed",
                            "message": "'agree' is not possible while 'withdrawn'.",
                        },
                    ],
                }
            ]
        }
    }
    agreed: int
    refused: int
    results: list[BulkResultOut]


class RuleCheckOut(BaseModel):
    rule_id: int
    name: str
    priority: int
    enabled: bool
    action: str
    matched: bool
    failed: str | None = Field(description="The first condition that does not hold: disabled, case_type, reason, ...")
    why: str


class ExplainOut(BaseModel):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "case_id": 42,
                    "case_type": "refund_only",
                    "reason": "ordered_by_mistake",
                    "amount_fen": 39900,
                    "order_stage": "not_shipped",
                    "first_match": None,
                    "checks": [
                        {
                            "rule_id": 7,
                            "name": "大促极速退款：拍错/不想要，100元以下，未发货",
                            "priority": 10,
                            "enabled": True,
                            "action": "agree",
                            "matched": False,
                            "failed": "amount",
                            "why": "39900 fen asked is more than the rule's maximum of 10000.",
                        }
                    ],
                }
            ]
        }
    }
    case_id: int
    case_type: str
    reason: str
    amount_fen: int
    order_stage: str
    first_match: int | None = Field(description="The rule that would answer the request as it stands now.")
    checks: list[RuleCheckOut] = Field(description="Every rule of the shop, in the order they are tried.")


def rule_out(row: SellerAutoRule) -> AutoRuleOut:
    return AutoRuleOut(
        id=row.id,
        shop_id=row.shop_id,
        name=row.name,
        priority=row.priority,
        enabled=row.enabled,
        case_types=list(row.case_types or []),
        reasons=list(row.reasons or []),
        order_stages=list(row.order_stages or []),
        max_amount_fen=row.max_amount_fen,
        action=row.action,
        suggested_reason=row.suggested_reason,
        message=row.message,
        applied_count=row.applied_count or 0,
        last_applied_at=presenters.instant(row.last_applied_at),
        created_at=presenters.must(row.created_at),
        updated_at=presenters.must(row.updated_at),
        updated_by=row.updated_by,
    )


@router.get(
    "/shops/{shop_id}/auto-rules",
    response_model=list[AutoRuleOut],
    responses=ERRORS,
    summary="自动化处理规则 · The shop's auto-handling rules, in the order they are tried",
)
def list_rules(shop_id: ShopId, rt: RuntimeDep, who: ActorDep) -> list[AutoRuleOut]:
    with rt.uow() as ctx:
        return [rule_out(row) for row in auto_handling.list_rules(ctx, who, shop_id)]


@router.post(
    "/shops/{shop_id}/auto-rules",
    response_model=AutoRuleOut,
    status_code=201,
    responses=ERRORS,
    summary="新建规则 · Add an auto-handling rule",
)
def create_rule(shop_id: ShopId, body: AutoRuleIn, rt: RuntimeDep, who: ActorDep) -> AutoRuleOut:
    """When a request arrives, the shop's enabled rules are tried by priority and the first whose
    conditions all hold answers it at once, as the shop: `agree` (refund-only is paid at once),
    `agree_after_return_signed` (agree to the return; refund when the courier reports it signed) or
    `ask_to_modify_reason` (propose the request under `suggested_reason`). Rules the engine could
    not carry out are refused with a 422 naming the problem."""
    with rt.uow() as ctx:
        return rule_out(auto_handling.create_rule(ctx, who, shop_id, body))


@router.patch(
    "/shops/{shop_id}/auto-rules/{rule_id}",
    response_model=AutoRuleOut,
    responses=ERRORS,
    summary="修改规则 · Change, enable or disable a rule",
)
def update_rule(shop_id: ShopId, rule_id: RuleId, body: AutoRulePatchIn, rt: RuntimeDep, who: ActorDep) -> AutoRuleOut:
    """Only the fields sent change; the rule as changed must still be one the engine can carry out."""
    with rt.uow() as ctx:
        return rule_out(auto_handling.update_rule(ctx, who, shop_id, rule_id, body))


@router.delete(
    "/shops/{shop_id}/auto-rules/{rule_id}",
    status_code=204,
    responses=ERRORS,
    summary="删除规则 · Delete a rule (cases it answered keep its name in their timelines)",
)
def delete_rule(shop_id: ShopId, rule_id: RuleId, rt: RuntimeDep, who: ActorDep) -> Response:
    with rt.uow() as ctx:
        auto_handling.delete_rule(ctx, who, shop_id, rule_id)
    return Response(status_code=204)


@router.get(
    "/cases/{case_id}/auto-rules",
    response_model=ExplainOut,
    responses=ERRORS,
    summary="规则匹配说明 · How the shop's auto-handling rules judge this request",
)
def explain_case(case_id: CaseId, rt: RuntimeDep, who: ActorDep) -> ExplainOut:
    """For the shop's staff and admins: each rule, in the order they are tried, with the first condition
    that does not hold. What a rule did when the request arrived is in the case's timeline."""
    with rt.uow() as ctx:
        checks, request = auto_handling.explain(ctx, who, case_id)
        first = next((c.rule.id for c in checks if c.matched), None)
        return ExplainOut(
            case_id=case_id,
            case_type=request.case_type,
            reason=request.reason,
            amount_fen=request.amount_fen,
            order_stage=request.order_stage,
            first_match=first,
            checks=[
                RuleCheckOut(
                    rule_id=c.rule.id,
                    name=c.rule.name,
                    priority=c.rule.priority,
                    enabled=c.rule.enabled,
                    action=c.rule.action,
                    matched=c.matched,
                    failed=c.failed,
                    why=c.why,
                )
                for c in checks
            ],
        )


@router.post(
    "/shops/{shop_id}/cases/bulk-agree",
    response_model=BulkAgreeOut,
    responses=ERRORS,
    summary="批量同意 · Agree to many of the shop's requests at once (each decided on its own)",
)
def bulk_agree(shop_id: ShopId, body: BulkAgreeIn, rt: RuntimeDep, who: ActorDep) -> BulkAgreeOut:
    """For the shop's staff. Up to 1,000 requests per call; each is agreed through the state machine
    as if its own button had been pressed, and one refused (already answered, withdrawn, not the
    shop's) never stops the others. Ids that are not the shop's answer `case_not_found`, exactly as
    ids that do not exist."""
    with rt.uow() as ctx:
        results = auto_handling.bulk_agree(ctx, who, shop_id, body.case_ids, note=body.note)
    rows = [BulkResultOut(case_id=r.case_id, ok=r.ok, state=r.state, code=r.code, message=r.message) for r in results]
    agreed = sum(1 for r in rows if r.ok)
    return BulkAgreeOut(agreed=agreed, refused=len(rows) - agreed, results=rows)
