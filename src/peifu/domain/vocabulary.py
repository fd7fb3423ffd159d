"""The closed sets of names the system speaks in, one per glossary table (../shared/GLOSSARY.md).

They are `StrEnum`s so that the identifiers in code, API and database are the same strings.
"""

from __future__ import annotations

from enum import StrEnum


class OrderState(StrEnum):
    awaiting_payment = "awaiting_payment"
    paid = "paid"
    shipped = "shipped"
    completed = "completed"
    closed = "closed"


class OrderEventKind(StrEnum):
    paid = "paid"
    shipped = "shipped"
    signed = "signed"
    refused_delivery = "refused_delivery"
    confirmed = "confirmed"
    closed = "closed"


class CaseType(StrEnum):
    refund_only = "refund_only"
    return_and_refund = "return_and_refund"
    exchange = "exchange"
    repair = "repair"
    reship = "reship"
    partial_refund = "partial_refund"

    @property
    def moves_money(self) -> bool:
        """Whether the buyer asks for money back (as opposed to goods)."""
        return self in MONEY_CASE_TYPES

    @property
    def goods_come_back(self) -> bool:
        """Whether the buyer ships goods to the seller before anything else happens."""
        return self in RETURN_CASE_TYPES


MONEY_CASE_TYPES = frozenset({CaseType.refund_only, CaseType.return_and_refund, CaseType.partial_refund})
RETURN_CASE_TYPES = frozenset({CaseType.return_and_refund, CaseType.exchange, CaseType.repair})


class Reason(StrEnum):
    out_of_stock = "out_of_stock"
    late_shipment = "late_shipment"
    ordered_by_mistake = "ordered_by_mistake"
    no_longer_wanted = "no_longer_wanted"
    not_received = "not_received"
    quality_problem = "quality_problem"
    not_as_described = "not_as_described"
    counterfeit = "counterfeit"
    missing_items = "missing_items"
    wrong_item = "wrong_item"
    damaged = "damaged"
    invoice_problem = "invoice_problem"
    seven_day_no_reason = "seven_day_no_reason"
    other = "other"


class Role(StrEnum):
    """Who acts. `system` is the deadline worker; `courier` the logistics feed; `platform` the
    marketplace's integration (order system)."""

    buyer = "buyer"
    seller = "seller"
    agent = "agent"
    system = "system"
    courier = "courier"
    platform = "platform"  # the marketplace's own systems, through a platform-scoped API key


class CaseState(StrEnum):
    requested = "requested"  # 待卖家处理: waiting for the seller's answer
    proposed = "proposed"  # 卖家提出方案: the seller offered another amount or type
    refused = "refused"  # 卖家拒绝: the buyer may modify, escalate or withdraw
    awaiting_return = "awaiting_return"  # 待买家退货
    return_shipped = "return_shipped"  # 买家已退货, waiting for the seller to confirm receipt
    return_rejected = "return_rejected"  # 卖家拒绝收货 (e.g. goods came back damaged)
    awaiting_replacement = "awaiting_replacement"  # 待卖家发出换货/维修件/补发件
    replacement_shipped = "replacement_shipped"  # 卖家已发出, waiting for the buyer to confirm
    in_intervention = "in_intervention"  # 小二介入中
    refunding = "refunding"  # 退款中: agreed, the refund is being executed
    refunded = "refunded"  # 退款成功 (final)
    resolved = "resolved"  # 换货/维修/补发完成 (final)
    withdrawn = "withdrawn"  # 买家撤销 (final)
    closed = "closed"  # 关闭: timed out or ruled for the seller (final)

    @property
    def is_final(self) -> bool:
        return self in FINAL_CASE_STATES


FINAL_CASE_STATES = frozenset({CaseState.refunded, CaseState.resolved, CaseState.withdrawn, CaseState.closed})


class CaseAction(StrEnum):
    agree = "agree"
    refuse = "refuse"
    propose = "propose"
    accept_proposal = "accept_proposal"
    modify = "modify"
    withdraw = "withdraw"
    ship_return = "ship_return"
    return_signed = "return_signed"
    escalate = "escalate"
    confirm_return = "confirm_return"
    reject_return = "reject_return"
    ship_replacement = "ship_replacement"
    confirm_replacement = "confirm_replacement"
    execute_refund = "execute_refund"
    advance_compensation = "advance_compensation"
    rule_refund = "rule_refund"  # an intervention ruling: refund (refund_only or partial) now
    rule_return = "rule_return"  # an intervention ruling: return the goods, then refund
    rule_close = "rule_close"  # an intervention ruling for the seller: close (reversing money on appeal)
    timeout_close = "timeout_close"


class DeadlineKind(StrEnum):
    """What a stored deadline does when it falls due (see `domain.case_machine.DEADLINE_ACTIONS`)."""

    seller_response = "seller_response"  # seller silent on a request → auto-agree
    buyer_response = "buyer_response"  # buyer silent after a refusal/proposal → case closed
    buyer_ship_return = "buyer_ship_return"  # buyer never shipped the return → case closed
    seller_confirm_return = "seller_confirm_return"  # seller silent on a shipped return → auto-refund
    seller_ship_replacement = "seller_ship_replacement"  # seller never shipped the replacement → intervention
    buyer_confirm_replacement = "buyer_confirm_replacement"  # buyer silent → replacement deemed received
    auto_confirm_receipt = "auto_confirm_receipt"  # order: shipped and nobody confirmed → completed
    evidence_due = "evidence_due"  # dispute: missing proof counts against the party that owed it
    appeal_window = "appeal_window"  # dispute: the appeal window closed, the ruling is final
    penalty_expiry = "penalty_expiry"  # a penalty left the policy period: sanctions are re-checked
    # service complaints (domain.service_complaints): the platform's steps, then the shop's, then the buyer's
    svc_platform_answer = "svc_platform_answer"  # 24 h: not classified → the engine registers it from the triage
    svc_forward = "svc_forward"  # 3 working days: not forwarded → the engine forwards it to the shop
    svc_shop_contact = "svc_shop_contact"  # 1 working day: the shop never contacted the buyer → agent
    svc_shop_remedy = "svc_shop_remedy"  # 2 working days: no remedy proposed → agent
    svc_shop_carry_out = "svc_shop_carry_out"  # the promised time: remedy not reported done → agent
    svc_satisfaction = "svc_satisfaction"  # the buyer never rated → closed unrated


class DeadlineStatus(StrEnum):
    pending = "pending"
    fired = "fired"
    cancelled = "cancelled"


# --- the lifecycles besides the case's (tables: domain.dispute_machine, complaint_machine,
# appeal_machine, payout_machine, webhook_machine). Stored values are these strings.


class DisputeStatus(StrEnum):
    evidence = "evidence"  # 举证中: the parties submit proof until the evidence deadline
    review = "review"  # 待裁决: evidence complete, an agent rules
    ruled = "ruled"  # 已裁决: the losing party may appeal inside the window
    appealed = "appealed"  # 申诉中: a different agent reviews the ruling
    final = "final"  # 已终结 (final until the case escalates again)


class DisputeAction(StrEnum):
    open = "open"  # a case escalated (again): the evidence phase (re)starts
    submit_evidence = "submit_evidence"
    evidence_complete = "evidence_complete"  # evidence deadline, nobody's proof missing → an agent rules
    settle = "settle"  # evidence deadline, the parties settled the case themselves
    rule = "rule"  # an agent's ruling, or the default one at the evidence deadline
    appeal = "appeal"  # the losing party appeals (see appeal_machine)
    close_appeal_window = "close_appeal_window"  # nobody appealed in time: the ruling is final
    uphold = "uphold"  # the appeal's reviewer lets the ruling stand
    replace_ruling = "replace_ruling"  # the appeal's reviewer replaces the ruling (carried out at once)


class ComplaintStatus(StrEnum):
    """A rule complaint (规则投诉)."""

    open = "open"  # 待处理: an agent decides
    upheld = "upheld"  # 投诉成立: the shop is penalised (and may appeal)
    rejected = "rejected"  # 投诉不成立 (final)
    withdrawn = "withdrawn"  # 买家撤销 (final)
    overturned = "overturned"  # 申诉成功: the penalty is revoked (final)


class ComplaintAction(StrEnum):
    uphold = "uphold"
    reject = "reject"
    withdraw = "withdraw"
    overturn = "overturn"  # an appeal against the penalty succeeded


class AppealState(StrEnum):
    """An appeal — of a dispute's ruling (申诉, table `appeals`) or of a complaint's penalty. Stored as
    its decision: none while it waits (`pending`); `none` means nothing was appealed yet."""

    none = "none"
    pending = "pending"
    upheld = "upheld"  # the ruling / the penalty stands
    replaced = "replaced"  # a new ruling replaces the appealed one (disputes)
    overturned = "overturned"  # the penalty is revoked (complaints)


class AppealAction(StrEnum):
    file = "file"
    uphold = "uphold"
    replace_ruling = "replace_ruling"
    overturn = "overturn"


class PayoutStatus(StrEnum):
    """A payout in the outbox (table `outbox`)."""

    pending = "pending"  # owed: the dispatcher sends it, retrying with backoff
    sent = "sent"  # the gateway confirmed it (final)


class PayoutAction(StrEnum):
    queue = "queue"  # written with its ledger posting
    fail = "fail"  # the gateway refused or failed: retried later
    confirm = "confirm"  # the gateway paid it


class EndpointStatus(StrEnum):
    """A webhook endpoint (table `webhook_endpoints`)."""

    active = "active"  # its deliveries are sent
    failing = "failing"  # a delivery spent its retries: its events wait, the oldest probed hourly
    disabled = "disabled"  # its owner switched it off: nothing is sent, nothing new is queued


class EndpointAction(StrEnum):
    enable = "enable"  # its owner: send again, what waits first, in order
    disable = "disable"  # its owner
    recover = "recover"  # its owner, once the receiver is fixed: what waits is sent now, on a fresh schedule
    fail = "fail"  # the engine: a delivery spent its retry schedule
    probe = "probe"  # the engine: a failing endpoint's hourly probe is due, or failed
    resume = "resume"  # the engine: a probe got through


class DeliveryStatus(StrEnum):
    """A webhook delivery (table `webhook_deliveries`); `held` says whether it is due yet."""

    pending = "pending"  # waiting: due, retrying, or held behind an older delivery of its case
    delivered = "delivered"  # the receiver answered 2xx (final)


class DeliveryAction(StrEnum):
    queue = "queue"  # fan-out or a replay wrote it
    release = "release"  # the delivery before it in its case was delivered: due now
    fail = "fail"  # an attempt failed: tried again by the schedule, or waiting while its endpoint fails
    restart = "restart"  # its endpoint is active again: a fresh schedule, due now
    deliver = "deliver"  # the receiver answered 2xx
