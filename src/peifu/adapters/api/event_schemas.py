"""The shapes of event payloads (webhook bodies, feed items, RabbitMQ messages) for the OpenAPI
document's webhook section and docs/events.md. The payloads themselves are built by
services.events and domain.events; tests/api/test_events_catalogue.py checks that what the engine
sends validates against these models."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from peifu.domain.events import CATALOGUE, SCHEMA_VERSION, EventType, Subject


class _Open(BaseModel):
    """Receivers must ignore fields they do not know: new ones arrive without a new schema version."""

    model_config = ConfigDict(extra="allow")


class SubjectRef(_Open):
    type: str = Field(description="case | dispute | compensation | complaint | penalty | sanction | payout | …")
    id: str


class CaseLineAmount(_Open):
    line_no: int
    amount_fen: int


class ReturnParcel(_Open):
    courier: str | None
    tracking_no: str | None
    shipped_at: str | None
    signed_at: str | None
    shipping_fee_fen: int


class Replacement(_Open):
    courier: str | None
    tracking_no: str | None
    shipped_at: str | None


class Deadline(_Open):
    kind: str = Field(description="seller_response, buyer_response, buyer_ship_return, … (what happens then: docs)")
    due_at: str = Field(description="UTC, ISO 8601")


class CaseSnapshot(_Open):
    id: int
    order_id: str
    shop_id: str
    buyer_id: str
    case_type: str
    reason: str = Field(description="The buyer's stated reason: a claim, not a finding.")
    state: str
    phase: str = Field(description="in_trade | post_trade")
    refund_amount_fen: int
    lines: list[CaseLineAmount]
    opened_at: str
    state_entered_at: str
    resolved_at: str | None
    escalated_at: str | None
    policy_version: str
    proposal: dict[str, Any] | None = Field(description="The seller's proposal waiting for the buyer, if any.")
    return_: ReturnParcel | None = Field(alias="return")
    replacement: Replacement | None
    deadline: Deadline | None = Field(description="The deadline that acts by itself in this state, if any.")


class Actor(_Open):
    role: str = Field(description="buyer | seller | agent | system (a deadline) | courier | platform")
    id: str | None


class Move(_Open):
    name: str = Field(description="The state machine's action: open, agree, refuse, escalate, execute_refund, …")
    actor: Actor
    from_state: str | None
    to_state: str
    seq: int = Field(description="The move's number in the case's timeline.")
    data: dict[str, Any] = Field(description="What the move carried (amounts, courier, note, ledger transaction…).")


class CaseData(_Open):
    case: CaseSnapshot
    action: Move


class Rating(_Open):
    case_id: int
    score: int
    comment: str
    outcome: str


class RatingData(_Open):
    rating: Rating


class Duty(_Open):
    party: str
    fact_zh: str
    fact_en: str


class DisputeSnapshot(_Open):
    id: int
    case_id: int
    status: str = Field(description="evidence | review | ruled | appealed | final")
    opened_at: str
    opened_by: str
    evidence_deadline: str
    amount_fen: int
    duties: list[Duty] = Field(description="谁主张，谁举证: who must prove what.")
    assigned_agent: str | None
    liable_party: str | None
    appeal_deadline: str | None
    closed_at: str | None


class Ruling(_Open):
    id: int
    outcome: str = Field(description="support_buyer | support_seller | split")
    case_type: str | None
    refund_amount_fen: int
    liable_party: str
    compensations: list[str]
    reasoning: str
    automatic: bool
    on_appeal: bool
    supersedes: int | None
    created_at: str


class Appeal(_Open):
    id: int
    ruling_id: int
    party: str
    reason: str
    created_at: str
    reviewer: str | None
    decision: str | None = Field(description="upheld | replaced (once decided)")
    decided_at: str | None


class EvidenceRef(_Open):
    id: int
    party: str
    kind: str
    for_appeal: bool
    created_at: str


class DisputeData(_Open):
    dispute: DisputeSnapshot
    ruling: Ruling | None = Field(None, description="dispute.ruled only")
    appeal: Appeal | None = Field(None, description="dispute.appealed and appeal.decided only")
    evidence: EvidenceRef | None = Field(None, description="dispute.evidence_submitted only (never the content)")


class CompensationSnapshot(_Open):
    id: int
    case_id: int
    rule: str = Field(description="late_shipment | out_of_stock | counterfeit | advance_compensation")
    amount_fen: int
    payout_method: str = Field(description="original_payment | points | coupon | voucher")
    payer: str = Field(description="seller | platform")
    basis: str
    policy_version: str


class CompensationData(_Open):
    compensation: CompensationSnapshot


class ComplaintSnapshot(_Open):
    id: int
    order_id: str
    case_id: int | None
    complaint_type: str
    violation: str
    status: str = Field(description="open | upheld | rejected | withdrawn | overturned")
    filed_at: str
    decided_at: str | None
    reasoning: str | None
    appeal_deadline: str | None
    appealed_at: str | None
    appeal_decision: str | None


class ComplaintData(_Open):
    complaint: ComplaintSnapshot


class PenaltySnapshot(_Open):
    id: int
    complaint_id: int
    violation: str
    points: int
    policy_version: str
    created_at: str
    revoked_at: str | None


class PenaltyData(_Open):
    penalty: PenaltySnapshot
    shop_points: int | None = Field(description="The shop's points within the policy period afterwards.")


class SanctionSnapshot(_Open):
    id: int
    sanction: str
    threshold: int
    points_at_trigger: int
    complaint_ids: list[int]
    triggered_at: str
    revoked_at: str | None


class SanctionData(_Open):
    sanction: SanctionSnapshot


class PayoutSnapshot(_Open):
    id: int
    case_id: int | None
    buyer_id: str
    amount_fen: int
    method: str
    status: str = Field(description="pending | sent")
    attempts: int
    idempotency_key: str
    gateway_ref: str | None
    next_attempt_at: str | None
    error: str | None


class PayoutData(_Open):
    payout: PayoutSnapshot


class OrderSnapshot(_Open):
    id: str
    shop_id: str
    buyer_id: str
    state: str
    paid_at: str | None
    shipped_at: str | None
    completed_at: str | None
    closed_at: str | None


class OrderData(_Open):
    order: OrderSnapshot
    because: dict[str, Any] = Field(description="Why the engine did it, e.g. {reason: fully_refunded, case_id: 7}.")


class Mark(_Open):
    id: int
    buyer_id: str
    shop_id: str | None
    scope: str
    reason: str
    marked_by: str
    marked_at: str
    lifted_at: str | None


class MarkData(_Open):
    mark: Mark
    case_ids: list[int] = Field(description="The claims the mark (or its lifting) changed.")


class Reminder(_Open):
    id: int
    kind: str
    due_at: str
    who_can_act: list[str]
    then_zh: str
    then_en: str


class ServiceComplaintSnapshot(_Open):
    id: int
    shop_id: str
    buyer_id: str
    order_id: str | None
    case_id: int | None
    channel: str = Field(description="phone | email | online | chat | social_media")
    entered_by: str | None = Field(description="The agent who entered it for the buyer")
    category: str | None
    suggested_category: str | None
    state: str = Field(
        description="filed → registered → forwarded → contacted → remedy_proposed → awaiting_rating → closed; "
        "escalated (a shop step missed); withdrawn; dismissed"
    )
    filed_at: str
    registered_at: str | None
    forwarded_at: str | None
    contacted_at: str | None
    remedy: str | None
    promised_by: str | None
    done_at: str | None
    escalated_at: str | None
    closed_at: str | None
    rating: int | None
    policy_version: str
    deadline: Deadline | None = Field(default=None, description="What it waits on now (working days counted)")


class ServiceComplaintMissOut(_Open):
    step: str = Field(description="answer | forward (the platform's) · contact | remedy | carry_out (the shop's)")
    party: str = Field(description="shop | platform")
    due_at: str


class ServiceComplaintData(_Open):
    service_complaint: ServiceComplaintSnapshot
    action: str | None = Field(default=None, description="service_complaint.closed: the move that ended it")
    miss: ServiceComplaintMissOut | None = Field(default=None, description="service_complaint.step_missed only")


class ReminderData(_Open):
    deadline: Reminder
    case: CaseSnapshot | None = None
    order: OrderSnapshot | None = None
    service_complaint: ServiceComplaintSnapshot | None = None


D = TypeVar("D", bound=BaseModel)


class Envelope(_Open, Generic[D]):
    id: str = Field(description="The event id (evt_…): also the webhook-id header and the AMQP message_id.")
    type: str
    schema_version: int = Field(description=f"Currently {SCHEMA_VERSION}.")
    timestamp: str = Field(description="When it happened (UTC, ISO 8601).")
    shop_id: str | None
    buyer_id: str | None
    subject: SubjectRef
    data: D


DATA_MODELS: dict[Subject, type[BaseModel]] = {
    Subject.case: CaseData,
    Subject.dispute: DisputeData,
    Subject.compensation: CompensationData,
    Subject.complaint: ComplaintData,
    Subject.penalty: PenaltyData,
    Subject.sanction: SanctionData,
    Subject.payout: PayoutData,
    Subject.order: OrderData,
    Subject.buyer_mark: MarkData,
    Subject.deadline: ReminderData,
    Subject.service_complaint: ServiceComplaintData,
}


def data_model(event_type: EventType) -> type[BaseModel]:
    if event_type is EventType.case_rated:
        return RatingData
    return DATA_MODELS[CATALOGUE[event_type].subject]


def payload_model(event_type: EventType) -> type[BaseModel]:
    model: type[BaseModel] = Envelope[data_model(event_type)]  # type: ignore[misc,assignment]
    return model


class FeedPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "events": [
                        {
                            "id": "evt_3k9d2m7q1x5v8b4n6c0z2w7r9t",
                            "type": "case.agreed",
                            "schema_version": 1,
                            "timestamp": "2026-11-11T02:00:00Z",
                            "shop_id": "shop-lining",
                            "buyer_id": "buyer-wang",
                            "subject": {"type": "case", "id": "42"},
                            "data": {"case": {"id": 42, "state": "refunding"}, "action": {"name": "agree"}},
                        }
                    ],
                    "next_cursor": "cDo0Mg",
                    "has_more": False,
                }
            ]
        }
    )
    events: list[dict[str, Any]] = Field(description="Oldest first; each is the same JSON a webhook receives.")
    next_cursor: str = Field(description="Pass as `after` to resume; the same cursor again when nothing is new.")
    has_more: bool = Field(description="A full page came back: ask again at once.")


class EventTypeOut(BaseModel):
    type: str
    subject: str
    zh: str
    en: str
    emitted_by: str
    audience: list[str] = Field(description="Who may receive it: platform, shop, buyer.")
