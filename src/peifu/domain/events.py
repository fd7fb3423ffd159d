"""The event catalogue: every change the engine tells the outside world (and itself) about.

An event is a fact that happened, recorded in the same transaction as the change itself, so a
receiver hears of every committed change and of nothing that was rolled back. This module is the
one list of event types: what each means (zh-CN and English), which change emits it, what its
subject is, and who may see it. The webhook payloads, the pull feed, the RabbitMQ messages, the
OpenAPI webhook section and docs/events.md are all generated from it.

Visibility follows the parties: the platform sees every event; a shop sees the events of its own
shop whose type is shown to shops; a buyer sees their own whose type is shown to buyers. Events
about a buyer's standing (云标签) are the platform's alone.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from peifu.domain.vocabulary import CaseAction, CaseState, DeadlineKind, Role

SCHEMA_VERSION = 1
"""The version of every payload's shape; raised only for a change a receiver must adapt to
(removing or renaming a field). New fields and new event types keep the version."""


class EventType(StrEnum):
    case_opened = "case.opened"
    case_modified = "case.modified"
    case_proposed = "case.proposed"
    case_proposal_accepted = "case.proposal_accepted"
    case_agreed = "case.agreed"
    case_refused = "case.refused"
    case_withdrawn = "case.withdrawn"
    case_escalated = "case.escalated"
    case_return_shipped = "case.return_shipped"
    case_return_signed = "case.return_signed"
    case_return_confirmed = "case.return_confirmed"
    case_return_rejected = "case.return_rejected"
    case_replacement_shipped = "case.replacement_shipped"
    case_replacement_confirmed = "case.replacement_confirmed"
    case_refunded = "case.refunded"
    case_ruled = "case.ruled"
    case_expired = "case.expired"
    case_closed = "case.closed"
    case_rated = "case.rated"
    dispute_evidence_requested = "dispute.evidence_requested"
    dispute_evidence_submitted = "dispute.evidence_submitted"
    dispute_ready_for_review = "dispute.ready_for_review"
    dispute_ruled = "dispute.ruled"
    dispute_appealed = "dispute.appealed"
    appeal_decided = "appeal.decided"
    dispute_final = "dispute.final"
    compensation_paid = "compensation.paid"
    complaint_filed = "complaint.filed"
    complaint_withdrawn = "complaint.withdrawn"
    complaint_decided = "complaint.decided"
    complaint_appealed = "complaint.appealed"
    complaint_appeal_decided = "complaint.appeal_decided"
    penalty_applied = "penalty.applied"
    penalty_revoked = "penalty.revoked"
    sanction_applied = "sanction.applied"
    sanction_lifted = "sanction.lifted"
    payout_sent = "payout.sent"
    payout_failed = "payout.failed"
    order_confirmed = "order.confirmed"
    order_closed = "order.closed"
    buyer_marked = "buyer.marked"
    buyer_mark_lifted = "buyer.mark_lifted"
    deadline_approaching = "deadline.approaching"
    service_complaint_filed = "service_complaint.filed"
    service_complaint_registered = "service_complaint.registered"
    service_complaint_forwarded = "service_complaint.forwarded"
    service_complaint_contacted = "service_complaint.contacted"
    service_complaint_remedy_proposed = "service_complaint.remedy_proposed"
    service_complaint_remedy_reported = "service_complaint.remedy_reported"
    service_complaint_escalated = "service_complaint.escalated"
    service_complaint_resolved = "service_complaint.resolved"
    service_complaint_rated = "service_complaint.rated"
    service_complaint_closed = "service_complaint.closed"
    service_complaint_step_missed = "service_complaint.step_missed"


class Audience(StrEnum):
    platform = "platform"
    shop = "shop"
    buyer = "buyer"


class Subject(StrEnum):
    """What an event is about: its `subject.type`; `subject.id` is that object's id."""

    case = "case"
    dispute = "dispute"
    compensation = "compensation"
    complaint = "complaint"
    penalty = "penalty"
    sanction = "sanction"
    payout = "payout"
    order = "order"
    buyer_mark = "buyer_mark"
    deadline = "deadline"
    service_complaint = "service_complaint"


ALL = frozenset(Audience)
PARTIES = ALL
SHOP = frozenset({Audience.platform, Audience.shop})
PLATFORM_ONLY = frozenset({Audience.platform})


@dataclass(frozen=True)
class EventSpec:
    type: EventType
    subject: Subject
    zh: str
    en: str
    emitted_by: str  # which change emits it, in English (docs and the OpenAPI description)
    audience: frozenset[Audience] = PARTIES


def _spec(
    t: EventType, subject: Subject, zh: str, en: str, by: str, audience: frozenset[Audience] = PARTIES
) -> EventSpec:
    return EventSpec(t, subject, zh, en, by, audience)


E = EventType
S = Subject
CATALOGUE: dict[EventType, EventSpec] = {
    s.type: s
    for s in (
        _spec(E.case_opened, S.case, "买家发起售后申请", "A buyer opened an after-sale request.", "open"),
        _spec(E.case_modified, S.case, "买家修改了申请", "The buyer changed the request's terms.", "modify"),
        _spec(E.case_proposed, S.case, "卖家提出协商方案", "The seller proposed other terms.", "propose"),
        _spec(
            E.case_proposal_accepted,
            S.case,
            "买家接受了卖家的方案",
            "The buyer accepted the seller's proposal.",
            "accept_proposal",
        ),
        _spec(
            E.case_agreed,
            S.case,
            "卖家同意（或超时默认同意）",
            "The seller agreed — or stayed silent and the deadline agreed (actor `system`).",
            "agree",
        ),
        _spec(E.case_refused, S.case, "卖家拒绝了申请", "The seller refused the request.", "refuse"),
        _spec(E.case_withdrawn, S.case, "买家撤销了申请", "The buyer withdrew the request.", "withdraw"),
        _spec(
            E.case_escalated,
            S.case,
            "申请小二介入",
            "A party (or the deadline) asked the platform to step in.",
            "escalate",
        ),
        _spec(E.case_return_shipped, S.case, "买家已寄回商品", "The buyer shipped the goods back.", "ship_return"),
        _spec(
            E.case_return_signed,
            S.case,
            "退货已签收",
            "The courier reported the returned parcel signed for.",
            "return_signed",
        ),
        _spec(
            E.case_return_confirmed,
            S.case,
            "卖家确认收到退货",
            "The seller (or the deadline) confirmed receiving the return.",
            "confirm_return",
        ),
        _spec(
            E.case_return_rejected, S.case, "卖家拒绝收货", "The seller rejected the returned goods.", "reject_return"
        ),
        _spec(
            E.case_replacement_shipped,
            S.case,
            "卖家已发出换货/维修/补发件",
            "The seller shipped the replacement, repaired or missing goods.",
            "ship_replacement",
        ),
        _spec(
            E.case_replacement_confirmed,
            S.case,
            "买家确认收到（或超时自动确认）",
            "The buyer (or the deadline) confirmed receiving the replacement.",
            "confirm_replacement",
        ),
        _spec(
            E.case_refunded,
            S.case,
            "退款成功",
            "The refund was executed through the ledger (a payout to the buyer is queued).",
            "execute_refund, advance_compensation",
        ),
        _spec(
            E.case_ruled,
            S.case,
            "小二判定已执行到售后单",
            "A ruling was carried out on the case (refund, return, or close).",
            "rule_refund, rule_return, rule_close",
        ),
        _spec(
            E.case_expired,
            S.case,
            "买家超时未处理，申请关闭",
            "The buyer let a deadline pass and the request closed.",
            "timeout_close",
        ),
        _spec(
            E.case_closed,
            S.case,
            "售后单已完结",
            "The case reached a final state: refunded, resolved, withdrawn or closed (with the action that ended it).",
            "any move into a final state",
        ),
        _spec(
            E.case_rated,
            S.case,
            "买家评价了售后服务",
            "The buyer rated how the request was handled (1–5).",
            "rating",
        ),
        _spec(
            E.dispute_evidence_requested,
            S.dispute,
            "小二介入：请双方举证",
            "A dispute opened (or reopened): who must prove what, by when.",
            "escalate",
        ),
        _spec(
            E.dispute_evidence_submitted,
            S.dispute,
            "一方提交了凭证",
            "A party submitted evidence (its kind and party; never its content).",
            "evidence upload",
        ),
        _spec(
            E.dispute_ready_for_review,
            S.dispute,
            "举证完成，等待小二判定",
            "The evidence deadline passed with the proof owed on file: an agent rules next.",
            "evidence deadline",
        ),
        _spec(E.dispute_ruled, S.dispute, "小二已判定", "An agent (or the evidence deadline) ruled.", "ruling"),
        _spec(E.dispute_appealed, S.dispute, "判定被申诉", "The losing party appealed the ruling.", "dispute appeal"),
        _spec(
            E.appeal_decided,
            S.dispute,
            "申诉已处理",
            "A second agent upheld or replaced the ruling.",
            "appeal decision",
        ),
        _spec(
            E.dispute_final,
            S.dispute,
            "判定生效",
            "The ruling became final (appeal window closed or appeal decided) or the parties settled.",
            "appeal window, settlement",
        ),
        _spec(
            E.compensation_paid,
            S.compensation,
            "赔付已支付",
            "Compensation was paid by a published rule (late shipment, out of stock, counterfeit, 先行赔付).",
            "refund, ruling, advance compensation",
        ),
        _spec(E.complaint_filed, S.complaint, "买家发起规则投诉", "A buyer filed a rule complaint.", "complaint"),
        _spec(E.complaint_withdrawn, S.complaint, "买家撤销了投诉", "The buyer withdrew the complaint.", "withdrawal"),
        _spec(
            E.complaint_decided,
            S.complaint,
            "投诉已判定",
            "An agent upheld or rejected the complaint.",
            "complaint decision",
        ),
        _spec(
            E.complaint_appealed,
            S.complaint,
            "卖家对扣分提出申诉",
            "The penalised shop appealed the penalty.",
            "penalty appeal",
        ),
        _spec(
            E.complaint_appeal_decided,
            S.complaint,
            "扣分申诉已处理",
            "A second agent upheld or overturned the penalty.",
            "penalty appeal decision",
        ),
        _spec(
            E.penalty_applied,
            S.penalty,
            "店铺被扣分",
            "An upheld complaint took penalty points from the shop.",
            "complaint decision",
            SHOP,
        ),
        _spec(
            E.penalty_revoked,
            S.penalty,
            "扣分已撤销",
            "An overturned complaint gave the points back.",
            "penalty appeal decision",
            SHOP,
        ),
        _spec(
            E.sanction_applied,
            S.sanction,
            "店铺受到处罚",
            "The shop's points reached a sanction's threshold.",
            "complaint decision",
            SHOP,
        ),
        _spec(
            E.sanction_lifted,
            S.sanction,
            "处罚已解除",
            "The points (or missed service-complaint steps) behind a sanction were revoked or left the period.",
            "penalty appeal decision, penalty expiry, a missed service-complaint step's expiry",
            SHOP,
        ),
        _spec(
            E.payout_sent,
            S.payout,
            "款项已打给买家",
            "The payment service confirmed a payout to the buyer.",
            "payout dispatch",
        ),
        _spec(
            E.payout_failed,
            S.payout,
            "打款失败，将重试",
            "The payment service refused or failed a payout; it will be retried.",
            "payout dispatch",
        ),
        _spec(
            E.order_confirmed,
            S.order,
            "订单自动确认收货",
            "The engine confirmed receipt when the auto-confirm deadline passed.",
            "auto-confirm deadline",
        ),
        _spec(
            E.order_closed,
            S.order,
            "订单因全额退款关闭",
            "The engine closed the order: everything was refunded in trade.",
            "refund",
        ),
        _spec(
            E.buyer_marked,
            S.buyer_mark,
            "买家被标记为滥用（云标签）",
            "An agent marked a buyer's claims as abusive.",
            "buyer mark",
            PLATFORM_ONLY,
        ),
        _spec(
            E.buyer_mark_lifted,
            S.buyer_mark,
            "买家滥用标记已撤销",
            "An agent lifted a buyer mark.",
            "buyer mark lift",
            PLATFORM_ONLY,
        ),
        _spec(
            E.deadline_approaching,
            S.deadline,
            "即将超时提醒",
            "A deadline that acts by itself falls due soon: what happens then, and who can still act.",
            "reminder time of a pending deadline",
        ),
        _spec(
            E.service_complaint_filed,
            S.service_complaint,
            "买家提交售后投诉（或客服代为登记）",
            "A buyer filed a service complaint, or an agent entered one taken by phone on the buyer's behalf.",
            "service complaint filing",
        ),
        _spec(
            E.service_complaint_registered,
            S.service_complaint,
            "平台已回应并分类登记投诉",
            "The platform answered, classified and registered the complaint (actor `system`: from the triage, late).",
            "register",
        ),
        _spec(
            E.service_complaint_forwarded,
            S.service_complaint,
            "投诉已转达卖家",
            "The complaint was forwarded to the shop; its working-day deadlines start.",
            "forward",
        ),
        _spec(
            E.service_complaint_contacted,
            S.service_complaint,
            "卖家已联系买家",
            "The shop reported contacting the buyer.",
            "contact",
        ),
        _spec(
            E.service_complaint_remedy_proposed,
            S.service_complaint,
            "卖家提出处理方案",
            "The shop proposed a remedy and the time by which it will carry it out.",
            "propose_remedy",
        ),
        _spec(
            E.service_complaint_remedy_reported,
            S.service_complaint,
            "卖家反馈处理结果",
            "The shop reported the remedy carried out; the buyer is asked for their satisfaction.",
            "report_done",
        ),
        _spec(
            E.service_complaint_escalated,
            S.service_complaint,
            "卖家超时未处理，转小二跟进",
            "A shop step's deadline passed: an agent takes the complaint over.",
            "shop deadline",
        ),
        _spec(
            E.service_complaint_resolved,
            S.service_complaint,
            "小二已处理投诉",
            "An agent settled an escalated complaint; the buyer is asked for their satisfaction.",
            "resolve",
        ),
        _spec(
            E.service_complaint_rated,
            S.service_complaint,
            "买家评价了投诉处理",
            "The buyer rated how the complaint was handled (1–5).",
            "rate",
        ),
        _spec(
            E.service_complaint_closed,
            S.service_complaint,
            "售后投诉已完结",
            "The complaint ended: rated, unrated after the deadline, withdrawn or dismissed (with the action).",
            "any move into a final state",
        ),
        _spec(
            E.service_complaint_step_missed,
            S.service_complaint,
            "投诉处理环节超时",
            "A step's deadline passed undone: whose step (shop or platform) and which; a shop's miss counts once.",
            "service complaint deadline",
        ),
    )
}
del E, S

CASE_ACTION_EVENTS: dict[CaseAction, EventType] = {
    CaseAction.modify: EventType.case_modified,
    CaseAction.propose: EventType.case_proposed,
    CaseAction.accept_proposal: EventType.case_proposal_accepted,
    CaseAction.agree: EventType.case_agreed,
    CaseAction.refuse: EventType.case_refused,
    CaseAction.withdraw: EventType.case_withdrawn,
    CaseAction.escalate: EventType.case_escalated,
    CaseAction.ship_return: EventType.case_return_shipped,
    CaseAction.return_signed: EventType.case_return_signed,
    CaseAction.confirm_return: EventType.case_return_confirmed,
    CaseAction.reject_return: EventType.case_return_rejected,
    CaseAction.ship_replacement: EventType.case_replacement_shipped,
    CaseAction.confirm_replacement: EventType.case_replacement_confirmed,
    CaseAction.execute_refund: EventType.case_refunded,
    CaseAction.advance_compensation: EventType.case_refunded,
    CaseAction.rule_refund: EventType.case_ruled,
    CaseAction.rule_return: EventType.case_ruled,
    CaseAction.rule_close: EventType.case_ruled,
    CaseAction.timeout_close: EventType.case_expired,
}
"""The event each timeline move emits; opening a case emits `case.opened`, and a move into a
final state emits `case.closed` after its own event."""


def case_events_for(action: str, source: str | None, target: CaseState) -> list[EventType]:
    """The events one timeline entry emits, in order."""
    first = EventType.case_opened if action == "open" else CASE_ACTION_EVENTS[CaseAction(action)]
    ended = target.is_final and source != target
    return [first, EventType.case_closed] if ended else [first]


def visible_to(event_type: EventType | str, audience: Audience) -> bool:
    return audience in CATALOGUE[EventType(event_type)].audience


def types_for(audience: Audience) -> list[EventType]:
    return [t for t, spec in CATALOGUE.items() if audience in spec.audience]


# --- reminders ------------------------------------------------------------------------------------

WHO_ACTS: dict[DeadlineKind, tuple[Role, ...]] = {
    DeadlineKind.seller_response: (Role.seller,),
    DeadlineKind.buyer_response: (Role.buyer,),
    DeadlineKind.buyer_ship_return: (Role.buyer,),
    DeadlineKind.seller_confirm_return: (Role.seller,),
    DeadlineKind.seller_ship_replacement: (Role.seller,),
    DeadlineKind.buyer_confirm_replacement: (Role.buyer,),
    DeadlineKind.auto_confirm_receipt: (Role.buyer,),
    DeadlineKind.evidence_due: (Role.buyer, Role.seller),
    DeadlineKind.appeal_window: (Role.buyer, Role.seller),
    DeadlineKind.svc_platform_answer: (Role.agent,),
    DeadlineKind.svc_forward: (Role.agent,),
    DeadlineKind.svc_shop_contact: (Role.seller,),
    DeadlineKind.svc_shop_remedy: (Role.seller,),
    DeadlineKind.svc_shop_carry_out: (Role.seller,),
    DeadlineKind.svc_satisfaction: (Role.buyer,),
}
"""Who can still act before each deadline that acts by itself; deadlines not here (penalty
expiry) are the engine's own bookkeeping and send no reminder."""

WHAT_HAPPENS: dict[DeadlineKind, tuple[str, str]] = {
    DeadlineKind.seller_response: ("卖家未处理将视为同意，系统自动退款", "the request is agreed for the seller"),
    DeadlineKind.buyer_response: ("买家未处理，申请将关闭", "the request closes"),
    DeadlineKind.buyer_ship_return: ("买家未寄回商品，申请将关闭", "the request closes"),
    DeadlineKind.seller_confirm_return: (
        "卖家未确认收货，系统将自动确认并退款",
        "the return is confirmed for the seller",
    ),
    DeadlineKind.seller_ship_replacement: ("卖家未发货，将转小二介入", "the platform steps in"),
    DeadlineKind.buyer_confirm_replacement: ("将自动确认收到", "the replacement is deemed received"),
    DeadlineKind.auto_confirm_receipt: ("订单将自动确认收货", "the order is confirmed as received"),
    DeadlineKind.evidence_due: ("举证期结束，未举证的一方承担不利后果", "missing proof counts against its party"),
    DeadlineKind.appeal_window: ("申诉期结束，判定生效", "the ruling becomes final"),
    DeadlineKind.svc_platform_answer: (
        "平台将按分诊结果自动登记投诉",
        "the engine registers the complaint from the triage",
    ),
    DeadlineKind.svc_forward: ("平台将自动转达卖家", "the engine forwards the complaint to the shop"),
    DeadlineKind.svc_shop_contact: (
        "卖家未联系买家，将转小二跟进并记录超时",
        "an agent takes over; the shop's miss is recorded",
    ),
    DeadlineKind.svc_shop_remedy: (
        "卖家未提出方案，将转小二跟进并记录超时",
        "an agent takes over; the shop's miss is recorded",
    ),
    DeadlineKind.svc_shop_carry_out: (
        "卖家未在承诺时限内完成，将转小二跟进并记录超时",
        "an agent takes over; the shop's miss is recorded",
    ),
    DeadlineKind.svc_satisfaction: ("买家未评价，投诉将完结", "the complaint closes unrated"),
}


def remind_at(kind: DeadlineKind, armed_at: datetime, due_at: datetime, before_hours: int) -> datetime | None:
    """When to remind of a deadline armed at `armed_at`: `before_hours` before it falls due, or
    half-way there for a deadline shorter than twice that; None for deadlines that send none."""
    if kind not in WHO_ACTS or before_hours <= 0 or due_at <= armed_at:
        return None
    lead = timedelta(hours=before_hours)
    if due_at - armed_at < 2 * lead:
        return armed_at + (due_at - armed_at) / 2
    return due_at - lead


# --- the event itself ------------------------------------------------------------------------------


def new_event_id() -> str:
    """A receiver's idempotency key: `evt_` and 26 random base-32 characters."""
    bits = secrets.randbits(130)  # 26 × 5 bits, one draw (26 draws of secrets.choice cost more than the rest of it)
    return "evt_" + "".join(_ID_ALPHABET[(bits >> shift) & 31] for shift in range(0, 130, 5))


_ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"


@dataclass
class DomainEvent:
    """One fact, as receivers see it (the envelope) — `data` is its snapshot."""

    type: EventType
    subject: Subject
    subject_id: str
    occurred_at: datetime
    shop_id: str | None
    buyer_id: str | None
    data: dict[str, Any]
    case_id: int | None = None
    order_id: str | None = None
    id: str = field(default_factory=new_event_id)

    @property
    def ordering_key(self) -> str:
        """Events with the same key are delivered in the order they happened (per case)."""
        return f"case:{self.case_id}" if self.case_id is not None else f"{self.subject}:{self.subject_id}"


def iso(value: datetime | None) -> str | None:
    """UTC, ISO 8601 with `Z`, as every timestamp in a payload."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def envelope(
    *,
    event_id: str,
    event_type: str,
    occurred_at: datetime,
    shop_id: str | None,
    buyer_id: str | None,
    subject: str,
    subject_id: str,
    data: dict[str, Any],
) -> dict[str, Any]:
    """The JSON a receiver gets (webhook body, feed item, broker message): the same everywhere."""
    return {
        "id": event_id,
        "type": event_type,
        "schema_version": SCHEMA_VERSION,
        "timestamp": iso(occurred_at),
        "shop_id": shop_id,
        "buyer_id": buyer_id,
        "subject": {"type": subject, "id": subject_id},
        "data": data,
    }


def case_snapshot(
    case: Any, lines: Iterable[tuple[int, int]], deadline: tuple[DeadlineKind, datetime] | None
) -> dict[str, Any]:
    """A case as a receiver sees it: `case` is a row or an object with the columns' names; `lines`
    are (order line number, amount asked); `deadline` the one the case waits on in its state."""
    amounts = sorted(lines)
    returned = case.return_shipped_at is not None or case.return_signed_at is not None
    return {
        "id": case.id,
        "order_id": case.order_id,
        "shop_id": case.shop_id,
        "buyer_id": case.buyer_id,
        "case_type": str(case.case_type),
        "reason": str(case.reason),
        "state": str(case.state),
        "phase": case.phase,
        "refund_amount_fen": sum(amount for _, amount in amounts),
        "lines": [{"line_no": no, "amount_fen": amount} for no, amount in amounts],
        "opened_at": iso(case.opened_at),
        "state_entered_at": iso(case.state_entered_at),
        "resolved_at": iso(case.resolved_at),
        "escalated_at": iso(case.escalated_at),
        "policy_version": case.policy_version,
        "proposal": case.proposal,
        "return": {
            "courier": case.return_courier,
            "tracking_no": case.return_tracking_no,
            "shipped_at": iso(case.return_shipped_at),
            "signed_at": iso(case.return_signed_at),
            "shipping_fee_fen": case.return_shipping_fee_fen,
        }
        if returned
        else None,
        "replacement": {
            "courier": case.replacement_courier,
            "tracking_no": case.replacement_tracking_no,
            "shipped_at": iso(case.replacement_shipped_at),
        }
        if case.replacement_shipped_at is not None
        else None,
        "deadline": {"kind": str(deadline[0]), "due_at": iso(deadline[1])} if deadline else None,
    }
