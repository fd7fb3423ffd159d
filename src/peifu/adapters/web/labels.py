"""The reader's words for the closed vocabularies, for every console (one table, one `label`).

Each kind maps an identifier (a `StrEnum` value from `peifu.domain`, or a policy literal) to an
English msgid; the zh_CN catalog gives the Chinese of /work/shared/GLOSSARY.md. Translation happens
at call time (`label(kind, value)`), so the page's language applies. Templates use the same
function as the Jinja global `label` (registered in `pages`). tests/web/test_web_labels.py checks that
every value of each vocabulary has words here and that each has a zh_CN translation.
"""

from __future__ import annotations

from peifu.adapters.web import i18n

LABELS: dict[str, dict[str, str]] = {
    "state": {  # domain.vocabulary.CaseState
        "requested": "Awaiting the seller",
        "proposed": "Seller proposed",
        "refused": "Seller refused",
        "awaiting_return": "Awaiting the return",
        "return_shipped": "Return shipped",
        "return_rejected": "Return rejected",
        "awaiting_replacement": "Awaiting the replacement",
        "replacement_shipped": "Replacement shipped",
        "in_intervention": "In intervention",
        "refunding": "Refunding",
        "refunded": "Refunded",
        "resolved": "Resolved",
        "withdrawn": "Withdrawn",
        "closed": "Closed",
    },
    "order_state": {  # domain.vocabulary.OrderState
        "awaiting_payment": "Awaiting payment",
        "paid": "Paid",
        "shipped": "Shipped",
        "completed": "Completed",
        "closed": "Closed",
    },
    "case_type": {  # domain.vocabulary.CaseType
        "refund_only": "Refund only",
        "return_and_refund": "Return and refund",
        "exchange": "Exchange",
        "repair": "Repair",
        "reship": "Reship",
        "partial_refund": "Partial refund",
    },
    "reason": {  # domain.vocabulary.Reason
        "out_of_stock": "Out of stock",
        "late_shipment": "Late shipment",
        "ordered_by_mistake": "Ordered by mistake",
        "no_longer_wanted": "No longer wanted",
        "not_received": "Not received",
        "quality_problem": "Quality problem",
        "not_as_described": "Not as described",
        "counterfeit": "Counterfeit",
        "missing_items": "Missing items",
        "wrong_item": "Wrong item",
        "damaged": "Damaged",
        "invoice_problem": "Invoice problem",
        "seven_day_no_reason": "7-day no-reason return",
        "other": "Other",
    },
    "action": {  # domain.vocabulary.CaseAction, as a timeline entry
        "open": "Opened",
        "agree": "Agreed",
        "refuse": "Refused",
        "propose": "Proposed",
        "accept_proposal": "Accepted the proposal",
        "modify": "Modified the request",
        "withdraw": "Withdrew",
        "ship_return": "Shipped the return",
        "return_signed": "Return signed for",
        "escalate": "Escalated to the platform",
        "confirm_return": "Confirmed the return",
        "reject_return": "Rejected the return",
        "ship_replacement": "Shipped the replacement",
        "confirm_replacement": "Confirmed the replacement",
        "execute_refund": "Refund executed",
        "advance_compensation": "Advance compensation",
        "rule_refund": "Ruling: refund",
        "rule_return": "Ruling: return, then refund",
        "rule_close": "Ruling: close",
        "timeout_close": "Closed at the deadline",
    },
    "party": {  # domain.vocabulary.Role, domain.intervention.Liable, abuse signal subjects
        "buyer": "Buyer",
        "seller": "Seller",
        "agent": "Agent",
        "system": "System",
        "courier": "Courier",
        "platform": "Platform",
        "none": "No one",
        "shop": "Shop",
    },
    "deadline": {  # domain.vocabulary.DeadlineKind, as the buyer reads it
        "seller_response": "Seller must answer by",
        "buyer_response": "Your answer is due by",
        "buyer_ship_return": "Ship the return by",
        "seller_confirm_return": "Seller must confirm the return by",
        "seller_ship_replacement": "Seller must ship the replacement by",
        "buyer_confirm_replacement": "Confirm the replacement by",
        "auto_confirm_receipt": "Receipt is confirmed automatically at",
        "evidence_due": "Evidence is due by",
        "appeal_window": "The appeal window closes at",
        "penalty_expiry": "Penalty expires at",
        "svc_platform_answer": "The platform must answer by",
        "svc_forward": "The platform must forward it by",
        "svc_shop_contact": "The shop must contact the buyer by",
        "svc_shop_remedy": "The shop must propose a remedy by",
        "svc_shop_carry_out": "The shop must carry out its remedy by",
        "svc_satisfaction": "Rate how it was handled by",
    },
    "svc_state": {  # domain.service_complaints.State
        "filed": "Filed",
        "registered": "Registered",
        "forwarded": "Forwarded to the shop",
        "contacted": "Shop contacted the buyer",
        "remedy_proposed": "Remedy proposed",
        "escalated": "Agent following up",
        "awaiting_rating": "Awaiting the buyer's rating",
        "closed": "Closed",
        "withdrawn": "Withdrawn",
        "dismissed": "Dismissed",
    },
    "svc_action": {  # domain.service_complaints.Action
        "file": "Filed",
        "register": "Classify and register",
        "forward": "Forward to the shop",
        "contact": "Contacted the buyer",
        "propose_remedy": "Propose a remedy",
        "report_done": "Report the result",
        "escalate": "Escalated to an agent",
        "resolve": "Settle",
        "dismiss": "Dismiss",
        "rate": "Rate",
        "expire": "Closed unrated",
        "withdraw": "Withdraw",
    },
    "svc_channel": {  # domain.service_complaints.Channel
        "phone": "Phone",
        "email": "E-mail",
        "online": "Online form",
        "chat": "Online chat",
        "social_media": "Social media",
    },
    "svc_category": {  # domain.service_complaints.Category
        "quality": "Quality problem",
        "not_as_described": "Not as described",
        "damaged": "Damaged on arrival",
        "missing": "Missing on arrival",
        "service": "After-sales service",
        "other": "Other",
    },
    "svc_step": {  # domain.service_complaints.Step
        "answer": "Platform answer (24 h)",
        "forward": "Forward to the shop (3 working days)",
        "contact": "Shop contacts the buyer (1 working day)",
        "remedy": "Shop proposes a remedy (2 working days)",
        "carry_out": "Shop carries out the remedy (as promised)",
    },
    "when_due": {  # what a pending deadline does when it falls due (presenters' action_when_due)
        "agree": "the request is agreed automatically",
        "timeout_close": "the request is closed",
        "confirm_return": "the return is confirmed and refunded automatically",
        "escalate": "the platform steps in",
        "confirm_replacement": "the replacement counts as received",
        "auto_confirm": "receipt is confirmed automatically",
        "default_ruling": "the platform rules on the evidence it has",
        "ruling_final": "the ruling becomes final",
    },
    "evidence_kind": {  # domain.intervention.EvidenceKind
        "text": "Statement",
        "chat_log": "Chat log",
        "logistics": "Logistics record",
        "image": "Photo",
        "video": "Video",
        "document": "Document",
    },
    "dispute_status": {  # domain.vocabulary.DisputeStatus
        "evidence": "Collecting evidence",
        "review": "Ready for ruling",
        "ruled": "Ruled",
        "appealed": "Appealed",
        "final": "Final",
    },
    "outcome": {  # domain.intervention.Outcome
        "support_buyer": "Support the buyer",
        "support_seller": "Support the seller",
        "split": "Split",
    },
    "violation": {  # domain.complaints.Violation
        "refused_to_sell": "Refused to sell",
        "promise_not_honoured": "Promise not honoured (gift, free shipping, extra fees)",
        "promotion_terms_not_honoured": "Promotion terms not honoured",
        "invoice_refused": "Invoice refused or tax passed on",
        "severe_mismatch": "Severely not as described or unusable",
        "mismatch_affecting_use": "Not as described, affects use",
        "mismatch_minor": "Not as described, minor",
    },
    "complaint_type": {  # domain.complaints.ComplaintType
        "breach_of_promise": "Breach of promise",
        "not_as_described": "Not as described",
    },
    "complaint_status": {  # domain.vocabulary.ComplaintStatus
        "open": "Open",
        "upheld": "Complaint upheld",
        "rejected": "Complaint rejected",
        "withdrawn": "Withdrawn",
        "overturned": "Overturned on appeal",
    },
    "signal": {  # domain.abuse.SignalCode
        "refund_only_frequency": "Frequent refund-only requests",
        "reason_switching": "Reason switched after a refusal",
        "counterfeit_unproven": "Counterfeit claims without proof",
        "quick_claims_many_shops": "Claims right after delivery at many shops",
        "fake_shipping": "Fake shipping (tracking never moves)",
        "late_shipments": "Frequent late shipments",
    },
    "rule": {  # domain.compensation.Rule
        "late_shipment": "Late shipment",
        "out_of_stock": "Out of stock",
        "counterfeit": "Counterfeit",
        "advance_compensation": "Advance compensation",
    },
    "method": {  # payout methods (domain.policy.PayoutMethod, and the deposit)
        "original_payment": "Original payment",
        "points": "Points",
        "coupon": "Coupon",
        "voucher": "Voucher",
        "deposit": "Deposit",
    },
    "priority": {"urgent": "Urgent", "high": "High", "normal": "Normal", "low": "Low"},  # domain.triage.Priority
    "metric": {  # domain.metrics.MetricName
        "refund_rate": "Refund rate",
        "dispute_rate": "Dispute rate",
        "self_resolution_rate": "Self-resolution rate",
        "resolution_time_median": "Resolution time (median)",
        "resolution_time_p90": "Resolution time (90th percentile)",
        "response_time_median": "Response time (median)",
    },
    "rule_action": {  # domain.auto_handling.RuleAction
        "agree": "Agree at once",
        "agree_after_return_signed": "Agree; refund when the return is signed for",
        "ask_to_modify_reason": "Ask the buyer to change the reason",
    },
    "stage": {  # domain.auto_handling.OrderStage
        "not_shipped": "Before shipping",
        "in_transit": "Shipped, not delivered",
        "delivered": "Delivered",
        "completed": "Trade completed",
    },
    "sanction": {  # domain.policy.Sanction
        "warning": "Warning",
        "search_demotion": "Search demotion",
        "promotion_ban": "Promotion ban",
        "trading_suspension": "Trading suspension",
    },
    "ledger": {  # ledger transaction kinds (compensation kinds are "compensation:<rule>", see ledger_kind)
        "payment": "Payment",
        "settlement": "Settlement to the seller",
        "refund": "Refund",
        "return_postage": "Return postage paid back",
        "recovery": "Recovery from the seller",
        "appeal_correction": "Appeal correction",
        "payout": "Paid out",
        "deposit_top_up": "Deposit top-up",
        "fund_top_up": "Fund top-up",
    },
    "sub_reason": {  # domain.triage.SubReason (each filed under its reason of record, docs/reasons.md)
        "used_or_refurbished": "Used or refurbished sold as new",
        "gift_or_accessory": "Gift or accessory missing",
        "spoiled_or_expired": "Spoiled or expired",
        "courier_after_dispatch": "Lost or signed for by someone else in transit",
        "price_protection": "Price dropped (price protection)",
        "size_fit": "Size does not match the size chart",
    },
}


def label(kind: str, value: str | None) -> str:
    """The reader's word for a vocabulary value, in the page's language (falls back to the
    identifier itself for a value without words)."""
    if value is None:
        return ""
    msgid = LABELS.get(kind, {}).get(str(value))
    return i18n.gettext(msgid) if msgid else str(value)


def ledger_kind(kind: str) -> str:
    """A ledger transaction's kind for people ("compensation:late_shipment" → "Compensation: Late shipment")."""
    head, _, rule = kind.partition(":")
    if head == "compensation" and rule:
        return f"{i18n.gettext('Compensation')}: {label('rule', rule)}"
    return label("ledger", kind)
