"""Response bodies. Request bodies are `peifu.services.inputs` (one definition per input)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ErrorBody(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. amount_exceeds_refundable.")
    message: str = Field(description="A sentence for people.")
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "error": {
                        "code": "amount_exceeds_refundable",
                        "message": "Line 1 can be refunded at most 39900 fen.",
                        "details": {"line_no": 1, "refundable_fen": 39900},
                    }
                }
            ]
        }
    )
    error: ErrorBody


class Instant(BaseModel):
    """A moment: stored UTC, and the Asia/Shanghai wall time people read."""

    utc: datetime
    local: str = Field(description="Asia/Shanghai, e.g. 2026-11-11 20:00:00+08:00")


class OrderLineOut(BaseModel):
    line_no: int
    sku: str
    title: str
    category: str
    unit_price_fen: int
    quantity: int
    paid_fen: int
    refunded_fen: int
    flags: list[str]


class OrderEventOut(BaseModel):
    kind: str
    at: Instant
    from_state: str
    to_state: str
    data: dict[str, Any]


class BuyerOut(BaseModel):
    id: str
    name: str | None
    phone: str | None
    address: str | None
    masked: bool = Field(description="Personal data is masked for anyone but the buyer and the agent on a dispute")


class OrderOut(BaseModel):
    id: str
    shop_id: str
    buyer_id: str
    buyer: BuyerOut
    state: str
    policy_version: str
    created_at: Instant
    paid_at: Instant | None
    ship_deadline: Instant | None
    shipped_at: Instant | None
    courier: str | None
    tracking_no: str | None
    signed_at: Instant | None
    completed_at: Instant | None
    closed_at: Instant | None
    auto_confirm_at: Instant | None
    free_shipping: bool
    shipping_fee_fen: int
    shipping_insurance: bool
    promotion: str | None
    presale_ship_by: Instant | None
    invoice_promised: bool
    gifts: list[str]
    total_paid_fen: int
    lines: list[OrderLineOut]
    events: list[OrderEventOut]


class CaseLineOut(BaseModel):
    line_no: int
    title: str
    refund_amount_fen: int


class TimelineEntry(BaseModel):
    seq: int
    at: Instant
    actor: str
    action: str
    from_state: str | None
    to_state: str
    data: dict[str, Any]


class DeadlineOut(BaseModel):
    kind: str
    due_at: Instant
    status: str
    action_when_due: str | None


class LedgerLegOut(BaseModel):
    account: str
    amount_fen: int = Field(description="What the account gains; negative when it gives.")


class LedgerTransactionOut(BaseModel):
    id: int
    kind: str
    memo: str
    at: Instant
    policy_version: str | None
    legs: list[LedgerLegOut]


class CompensationOut(BaseModel):
    rule: str
    amount_fen: int
    payout_method: str
    payer: str
    policy_version: str
    basis: str = Field(description="How the amount was reached, in words.")
    recovered_from_seller: bool


class PayoutOut(BaseModel):
    amount_fen: int
    method: str
    status: str = Field(description="pending until the payment gateway confirms, then sent")
    attempts: int
    gateway_ref: str | None
    sent_at: Instant | None


class CaseMoneyOut(BaseModel):
    refunded_fen: int = Field(description="Refunded for the goods (and shipping), all transactions together.")
    compensation_fen: int
    compensations: list[CompensationOut]
    payouts: list[PayoutOut]
    transactions: list[LedgerTransactionOut]


class CaseTriageOut(BaseModel):
    """分诊: what the buyer's description suggests (peifu.triage); advice for routing, not a decision."""

    reason: str = Field(description="The reason the text suggests (may differ from the reason the buyer chose).")
    case_type: str | None
    priority: str = Field(description="urgent, high, normal or low: how soon the case should be looked at.")
    confidence: float | None = Field(description="The model's probability for `reason`, 0 to 1.")
    signals: list[str] = Field(description="Why the priority: safety_hazard, counterfeit_claim, repeated_contact …")
    model: str | None
    matches_stated_reason: bool = Field(description="Whether the suggestion agrees with the buyer's chosen reason.")
    for_person: bool = Field(
        default=False,
        description="The triage was unsure or read no after-sale reason in the text: a person should read it.",
    )


class CaseOut(BaseModel):
    id: int
    order_id: str
    shop_id: str
    buyer_id: str
    case_type: str
    reason: str
    state: str
    phase: str
    description: str
    refund_amount_fen: int
    policy_version: str
    opened_at: Instant
    resolved_at: Instant | None
    refuse_reason: str | None
    proposal: dict[str, Any] | None
    return_shipment: dict[str, Any] | None
    replacement_shipment: dict[str, Any] | None
    lines: list[CaseLineOut]
    deadlines: list[DeadlineOut] = Field(description="Pending deadlines and what happens when each falls due.")
    allowed_actions: dict[str, list[str]] = Field(description="What each party may do now.")
    timeline: list[TimelineEntry]
    money: CaseMoneyOut
    triage: CaseTriageOut | None = Field(default=None, description="The triage of the description, if any.")


class CaseSummary(BaseModel):
    id: int
    order_id: str
    shop_id: str
    buyer_id: str
    case_type: str
    reason: str
    state: str
    refund_amount_fen: int
    opened_at: Instant
    next_deadline: DeadlineOut | None
    triage: CaseTriageOut | None = None


class EvidenceOut(BaseModel):
    id: int
    party: str
    kind: str
    text: str | None
    sha256: str | None
    size: int
    content_type: str | None
    filename: str | None
    shared: bool
    for_appeal: bool
    created_at: Instant
    download: str | None = Field(description="Where to fetch the file, for uploaded evidence.")


class RulingOut(BaseModel):
    id: int
    agent_id: str
    outcome: str
    case_type: str | None
    refund_amount_fen: int
    liable_party: str
    compensations: list[str]
    reasoning: str
    automatic: bool
    on_appeal: bool
    supersedes: int | None
    created_at: Instant


class AppealOut(BaseModel):
    party: str
    reason: str
    created_at: Instant
    reviewer: str | None
    decision: str | None
    decided_at: Instant | None


class DisputeOut(BaseModel):
    id: int
    case_id: int
    shop_id: str
    buyer_id: str
    status: str = Field(description="evidence → review (ready for an agent) → ruled → appealed → final")
    opened_by: str
    opened_at: Instant
    assigned_agent: str | None
    evidence_deadline: Instant
    appeal_deadline: Instant | None
    amount_fen: int
    burden_of_proof: list[dict[str, Any]] = Field(description="谁主张，谁举证: the facts each party must prove")
    guidance: dict[str, Any] = Field(description="What the platform's precedents (seed 004) suggest")
    liable_party: str | None
    evidence: list[EvidenceOut]
    rulings: list[RulingOut]
    appeal: AppealOut | None


class ShopMoneyOut(BaseModel):
    shop_id: str
    deposit_fen: int = Field(description="保证金 the deposit compensations are charged to")
    debt_fen: int = Field(description="Owed to the platform where the deposit ran short; settled by the next top-up")
    balance_fen: int = Field(description="Settled sales")


class FundOut(BaseModel):
    platform_fund_fen: int


class PolicyRuleOut(BaseModel):
    key: str
    section: str
    value: Any
    zh: str
    en: str
    source: str


class PolicyOut(BaseModel):
    version: str
    name_zh: str
    name_en: str
    in_force: bool
    rules: list[PolicyRuleOut]


class ClockOut(BaseModel):
    now: Instant
    offset_seconds: int
    fired: int = 0


class HealthOut(BaseModel):
    status: str
    database: str
    policy_version: str


class RatingOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "case_id": 42,
                    "shop_id": "shop-lining",
                    "score": 5,
                    "comment": "卖家处理很快，退款当天到账",
                    "outcome": "refunded",
                    "created_at": {"utc": "2026-11-12T02:00:00Z", "local": "2026-11-12 10:00:00+08:00"},
                }
            ]
        }
    )
    case_id: int
    shop_id: str
    score: int = Field(description="1 to 5.")
    comment: str
    outcome: str = Field(description="The final state of the case when it was rated.")
    created_at: Instant


class RatingSummaryOut(BaseModel):
    shop_id: str
    count: int
    average: float | None = Field(description="Mean score, two decimals; null while there are no ratings.")
    distribution: dict[str, int] = Field(description="How many ratings of each score, '1' to '5'.")


class TriageAlternativeOut(BaseModel):
    reason: str
    p: float = Field(description="The model's probability for this reason, 0 to 1.")


class TriageOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "reason": "not_as_described",
                    "case_type": "return_and_refund",
                    "priority": "normal",
                    "confidence": 0.69,
                    "alternatives": [
                        {"reason": "quality_problem", "p": 0.07},
                        {"reason": "damaged", "p": 0.05},
                        {"reason": "counterfeit", "p": 0.05},
                    ],
                    "language": "zh-Hans",
                    "signals": [],
                    "model": "triage-82219905-skl1.9.1",
                    "sub_reason": None,
                    "for_person": False,
                }
            ]
        }
    )
    reason: str = Field(description="The suggested after-sale reason (退款原因).")
    case_type: str = Field(
        description="The suggested case type: the buyer's stated wish, else the reason's usual remedy."
    )
    priority: str = Field(description="urgent, high, normal or low.")
    confidence: float = Field(
        description="How likely `reason` is right, 0 to 1, calibrated on real shopper text"
        " (see docs/triage-evaluation.md)."
    )
    alternatives: list[TriageAlternativeOut] = Field(description="The next most likely reasons.")
    language: str = Field(description="zh-Hans, zh-Hant or en.")
    signals: list[str] = Field(description="Why the priority: safety_hazard, counterfeit_claim, legal_threat, …")
    model: str = Field(description="Which model answered.")
    sub_reason: str | None = Field(
        default=None,
        description="The finer kind of complaint when the text names it (used_or_refurbished, gift_or_accessory,"
        " spoiled_or_expired, courier_after_dispatch, price_protection, size_fit); filed under `reason`.",
    )
    for_person: bool = Field(
        default=False,
        description="True when the triage is unsure or reads no after-sale reason (venting, an opinion): a person"
        " decides; `reason` is then only the most likely guess.",
    )
