"""The inputs services accept (request bodies), validated at the edge.

These Pydantic models double as the API's request bodies so there is one definition of each
input; their examples appear in the OpenAPI docs.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, field_validator, model_validator

from peifu.domain.clock import ensure_utc
from peifu.domain.money import MAX_FEN
from peifu.domain.triage import Channel
from peifu.domain.vocabulary import AppealState, CaseType, OrderEventKind, Reason

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$"
Identifier = Annotated[str, Field(min_length=1, max_length=64, pattern=ID_PATTERN)]
# Every integer in a request body is a JSON integer and nothing else: `true`, `"100"` and `1.0`
# are refused (a 422 naming the field), never read as 1 or 100. Pages turn their form fields
# into integers themselves before building a command.
WholeNumber = Annotated[int, Strict()]
Fen = Annotated[WholeNumber, Field(ge=0, le=MAX_FEN, description="Amount in fen (1/100 yuan), an integer.")]
INTEGER_PROBLEM = (
    'must be an integer (a JSON number without quotes or a decimal point; true, "100" and 1.0 are refused)'
)


def problem_text(error: Mapping[str, Any]) -> str:
    """The sentence for one validation problem: pydantic's, or a plainer one for a non-integer."""
    if error.get("type") == "int_type":
        return INTEGER_PROBLEM
    return str(error.get("msg", "")).removeprefix("Value error, ")


EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def _instant(value: datetime) -> datetime:
    """UTC, and within years the engine can add deadlines to and show as Shanghai time."""
    try:
        value = ensure_utc(value)
    except OverflowError:
        raise ValueError("the time is out of range") from None
    if not EARLIEST <= value <= LATEST:
        raise ValueError(f"the time must be between {EARLIEST.year} and {LATEST.year}")
    return value


UTCInstant = Annotated[datetime, AfterValidator(_instant)]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*")
    @classmethod
    def _no_nul_characters(cls, value: Any) -> Any:
        """PostgreSQL cannot store NUL in text; refuse it here rather than fail on save."""
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            raise ValueError("text may not contain NUL (\\x00) characters")
        return value


class ShopIn(_In):
    id: Identifier
    name: ShortText
    category: Identifier | None = None
    kind: Literal["tmall", "taobao"] = Field(
        "taobao", description="tmall: the shop promises 假一赔十 (10× for counterfeits); taobao: the statutory rules."
    )


class BuyerIn(_In):
    id: Identifier
    name: Annotated[str, Field(max_length=200)] | None = None
    phone: Annotated[str, Field(pattern=r"^\+?[0-9 \-]{5,20}$")] | None = Field(None, description="Masked for others.")
    address: Annotated[str, Field(max_length=500)] | None = Field(None, description="Masked for others.")


class OrderLineIn(_In):
    sku: Identifier
    title: Annotated[str, Field(min_length=1, max_length=300)]
    category: Identifier
    unit_price_fen: Fen
    quantity: Annotated[WholeNumber, Field(ge=1, le=100_000)]
    discount_fen: Fen = 0
    custom_made: bool = False
    perishable: bool = False
    digital: bool = False
    food: bool = Field(False, description="Food-safety goods (Food Safety Law art. 148 applies).")

    @model_validator(mode="after")
    def _discount_within_price(self) -> OrderLineIn:
        if self.discount_fen > self.unit_price_fen * self.quantity:
            raise ValueError("discount_fen exceeds the line's price")
        if self.unit_price_fen * self.quantity > MAX_FEN:
            raise ValueError("the line's price is out of range")
        return self

    @property
    def paid_fen(self) -> int:
        return self.unit_price_fen * self.quantity - self.discount_fen


class OrderIn(_In):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "TB20261111000123",
                    "shop": {"id": "shop-lining", "name": "李宁官方旗舰店", "category": "shoes"},
                    "buyer": {"id": "buyer-wang", "name": "王小明"},
                    "lines": [
                        {
                            "sku": "AR-42",
                            "title": "跑步鞋 42码",
                            "category": "shoes",
                            "unit_price_fen": 39900,
                            "quantity": 1,
                        }
                    ],
                    "free_shipping": True,
                    "shipping_insurance": True,
                    "promotion": None,
                    "invoice_promised": True,
                    "gifts": ["运动袜一双"],
                }
            ]
        },
    )

    id: Identifier = Field(description="The marketplace's order number; unique.")
    shop: ShopIn
    buyer: BuyerIn
    lines: Annotated[list[OrderLineIn], Field(min_length=1, max_length=200)]
    created_at: UTCInstant | None = Field(None, description="When the buyer checked out; defaults to now.")
    free_shipping: bool = False
    shipping_fee_fen: Fen = 0
    shipping_insurance: bool = False
    promotion: Identifier | None = Field(
        None, description="Official campaign id (e.g. juhuasuan); longer ship deadline."
    )
    presale_ship_by: UTCInstant | None = Field(None, description="Presale listings: the promised ship date.")
    invoice_promised: bool = False
    gifts: Annotated[list[ShortText], Field(max_length=20)] = []

    @model_validator(mode="after")
    def _flags_consistent(self) -> OrderIn:
        if self.free_shipping and self.shipping_fee_fen:
            raise ValueError("a free_shipping order has no shipping_fee_fen")
        return self


class OrderEventIn(_In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"kind": "paid"},
                {"kind": "shipped", "courier": "SF", "tracking_no": "SF1234567890"},
                {"kind": "refused_delivery", "reason": "外包装破损"},
            ]
        },
    )

    kind: OrderEventKind
    at: UTCInstant | None = Field(None, description="When it happened; defaults to now; never in the future.")
    courier: Identifier | None = None
    tracking_no: Identifier | None = None
    reason: Annotated[str, Field(max_length=500)] | None = None

    @model_validator(mode="after")
    def _shipping_needs_tracking(self) -> OrderEventIn:
        if self.kind is OrderEventKind.shipped and not (self.courier and self.tracking_no):
            raise ValueError("a shipped event needs courier and tracking_no")
        return self


class CaseLineIn(_In):
    line_no: Annotated[WholeNumber, Field(ge=1, le=10_000)]
    refund_amount_fen: Fen | None = Field(
        None, description="Money asked for this line; omit for the whole refundable amount (money requests)."
    )


class CaseIn(_In):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "order_id": "TB20261111000123",
                    "lines": [{"line_no": 1, "refund_amount_fen": 39900}],
                    "case_type": "return_and_refund",
                    "reason": "quality_problem",
                    "description": "鞋底开胶，穿了一天就裂开了",
                }
            ]
        },
    )

    order_id: Identifier
    lines: Annotated[list[CaseLineIn], Field(min_length=1, max_length=200)]
    case_type: CaseType
    reason: Reason
    description: Annotated[str, Field(max_length=2000)] = ""

    @model_validator(mode="after")
    def _lines_unique(self) -> CaseIn:
        numbers = [line.line_no for line in self.lines]
        if len(numbers) != len(set(numbers)):
            raise ValueError("each line_no may appear once")
        return self


# --- bodies of case actions -------------------------------------------------------------------


class RefuseIn(_In):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"reason": "商品已拆封影响二次销售"}]})
    reason: Annotated[str, Field(min_length=2, max_length=1000)]


class ProposeIn(_In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"refund_amount_fen": 10000, "note": "补偿100元，商品不用退回"},
                {"reason": "no_longer_wanted", "note": "商品未缺货，请将退款原因改为不想要了，同意后立即退款"},
            ]
        },
    )
    refund_amount_fen: Fen | None = None
    case_type: CaseType | None = None
    reason: Reason | None = Field(
        None, description="Ask the buyer to change the reason (协商修改退款原因); accepting it agrees on that reason."
    )
    note: Annotated[str, Field(max_length=1000)] = ""

    @model_validator(mode="after")
    def _something_proposed(self) -> ProposeIn:
        if self.refund_amount_fen is None and self.case_type is None and self.reason is None:
            raise ValueError("propose a refund_amount_fen, a case_type, a reason, or several")
        return self


class AgreeIn(_In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"note": "同意退款"}, {"note": "同意退货", "confirm_return_on_sign": True}]},
    )
    note: Annotated[str, Field(max_length=1000)] = ""
    confirm_return_on_sign: bool = Field(
        False,
        description="Returns, exchanges and repairs: confirm the returned goods (and refund) the moment the courier "
        "reports the parcel signed, instead of waiting for the seller's confirmation (签收自动退款).",
    )


class ModifyIn(_In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reason": "not_as_described", "refund_amount_fen": 20000}]},
    )
    reason: Reason | None = None
    case_type: CaseType | None = None
    refund_amount_fen: Fen | None = None
    description: Annotated[str, Field(max_length=2000)] | None = None

    @model_validator(mode="after")
    def _something_changed(self) -> ModifyIn:
        if (
            self.reason is None
            and self.case_type is None
            and self.refund_amount_fen is None
            and self.description is None
        ):
            raise ValueError("change at least one of reason, case_type, refund_amount_fen, description")
        return self


class ShipmentIn(_In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"courier": "YTO", "tracking_no": "YT9876543210", "shipping_fee_fen": 1200}]},
    )
    courier: Identifier
    tracking_no: Identifier
    shipping_fee_fen: Annotated[Fen, Field(le=100_000)] = Field(
        0, description="What the sender paid the courier; for returns, reimbursed by whoever is at fault."
    )


class SignedIn(_In):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"at": "2026-11-20T08:00:00Z"}]})
    at: UTCInstant | None = None


class NoteIn(_In):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"note": "已与卖家协商无果"}]})
    note: Annotated[str, Field(max_length=1000)] = ""


class RejectReturnIn(_In):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"reason": "退回商品有明显使用痕迹"}]})
    reason: Annotated[str, Field(min_length=2, max_length=1000)]


class ClockAdvanceIn(_In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"advance_seconds": 259200}, {"set_to": "2026-12-01T00:00:00Z"}]},
    )
    advance_seconds: Annotated[WholeNumber, Field(ge=0, le=10 * 365 * 86400)] | None = None
    set_to: UTCInstant | None = None
    fire_due: bool = Field(True, description="Fire every deadline that is now due before answering.")

    @model_validator(mode="after")
    def _one_of(self) -> ClockAdvanceIn:
        if (self.advance_seconds is None) == (self.set_to is None):
            raise ValueError("give exactly one of advance_seconds and set_to")
        return self


class AmountIn(_In):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"amount_fen": 1000000}]})
    amount_fen: Annotated[WholeNumber, Field(gt=0, le=MAX_FEN, description="Amount in fen, more than 0.")]


class RulingTerms(_In):
    """What a ruling asks of the case: set by the dispute service, never posted by clients directly."""

    case_type: CaseType | None = None
    refund_amount_fen: Fen | None = None


class EvidenceTextIn(_In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"kind": "chat_log", "text": "卖家：可以退，您直接申请仅退款吧"}]},
    )
    kind: Annotated[str, Field(pattern="^(text|chat_log|logistics)$")]
    text: Annotated[str, Field(min_length=1, max_length=20_000)]


class RulingIn(_In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "outcome": "support_buyer",
                    "case_type": "return_and_refund",
                    "liable_party": "seller",
                    "compensations": [],
                    "reasoning": "卖家未能举证商品与描述一致，支持买家退货退款。",
                }
            ]
        },
    )
    outcome: Annotated[str, Field(pattern="^(support_buyer|support_seller|split)$")]
    case_type: CaseType | None = Field(
        None, description="support_buyer/split: refund_only, partial_refund or return_and_refund"
    )
    refund_amount_fen: Fen | None = Field(None, description="Omit for the full refundable amount (support_buyer).")
    liable_party: Annotated[str, Field(pattern="^(seller|buyer|courier|none)$")]
    compensations: Annotated[
        list[Annotated[str, Field(pattern="^(late_shipment|out_of_stock|counterfeit)$")]], Field(max_length=3)
    ] = []
    reasoning: Annotated[str, Field(min_length=2, max_length=5000)]

    @model_validator(mode="after")
    def _coherent(self) -> RulingIn:
        if self.outcome == "support_seller" and (self.compensations or self.refund_amount_fen):
            raise ValueError("a ruling for the seller orders no refund or compensation")
        if self.outcome == "split" and not self.refund_amount_fen:
            raise ValueError("a split ruling names the partial refund_amount_fen")
        if self.case_type is not None and not self.case_type.moves_money:
            raise ValueError("a ruling refunds: case_type is refund_only, partial_refund or return_and_refund")
        return self


class AppealIn(_In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"reason": "有新的物流证明", "evidence_text": "快递公司出具的丢件证明编号 SF-2026-001"}]
        },
    )
    reason: Annotated[str, Field(min_length=2, max_length=2000)]
    evidence_text: Annotated[
        str, Field(min_length=2, max_length=20_000, description="The new evidence (files can be uploaded too).")
    ]


class AppealDecisionIn(_In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"decision": "upheld", "reasoning": "新证据不足以推翻原判定"}]},
    )
    decision: Annotated[str, Field(pattern="^(upheld|replaced)$")]
    reasoning: Annotated[str, Field(min_length=2, max_length=5000)]
    ruling: RulingIn | None = None

    @model_validator(mode="after")
    def _ruling_when_replaced(self) -> AppealDecisionIn:
        if (self.decision == AppealState.replaced) != (self.ruling is not None):
            raise ValueError("a replaced ruling comes with the new ruling; an upheld one without")
        return self


class AssignIn(_In):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"agent_id": "xiaoer-01"}]})
    agent_id: Identifier


class ComplaintIn(_In):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "order_id": "TB20261111000123",
                    "violation": "invoice_refused",
                    "description": "卖家拒绝开具发票，要求我承担税点",
                }
            ]
        },
    )
    order_id: Identifier
    violation: Annotated[
        str,
        Field(
            pattern="^(refused_to_sell|promise_not_honoured|promotion_terms_not_honoured|invoice_refused|"
            "severe_mismatch|mismatch_affecting_use|mismatch_minor)$",
            description="The penalty row claimed; decides the complaint type and the points.",
        ),
    ]
    description: Annotated[str, Field(min_length=2, max_length=5000)]
    case_id: Annotated[WholeNumber, Field(ge=1)] | None = Field(
        None, description="The after-sale request it comes from, if any."
    )


class ComplaintDecisionIn(_In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"upheld": True, "reasoning": "卖家承认拒开发票"}]},
    )
    upheld: bool
    violation: (
        Annotated[
            str,
            Field(
                pattern="^(refused_to_sell|promise_not_honoured|promotion_terms_not_honoured|invoice_refused|"
                "severe_mismatch|mismatch_affecting_use|mismatch_minor)$"
            ),
        ]
        | None
    ) = Field(None, description="The agent may reclassify the violation (e.g. severe → minor mismatch).")
    reasoning: Annotated[str, Field(min_length=2, max_length=5000)]


class PenaltyAppealIn(_In):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"reason": "已提供发票开具记录"}]})
    reason: Annotated[str, Field(min_length=2, max_length=5000)]


class PenaltyAppealDecisionIn(_In):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"overturn": True, "reasoning": "发票已按时开具"}]}
    )
    overturn: bool
    reasoning: Annotated[str, Field(min_length=2, max_length=5000)]


# --- satisfaction ratings (buyer console) -------------------------------------------------------------


class RatingIn(_In):
    """The range is checked by the rules (`peifu.domain.ratings`), so a score of 0 or 6 is the
    same `rating_out_of_range` from the API and from the pages."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {"score": 5, "comment": "卖家处理很快，退款当天到账"},
                {"score": 2, "comment": "等了很久才有人处理"},
            ]
        },
    )
    score: WholeNumber = Field(
        description="1 (very unhappy) to 5 (very happy).", json_schema_extra={"minimum": 1, "maximum": 5}
    )
    comment: Annotated[str, Field(max_length=2000)] = Field(
        "", description="Optional, up to 500 characters after trimming."
    )


# --- seller auto-handling rules (domain.auto_handling) ----------------------------------------------

_RULE_EXAMPLE: dict[str, Any] = {
    "name": "大促极速退款：拍错/不想要，100元以下，未发货",
    "priority": 10,
    "enabled": True,
    "case_types": ["refund_only"],
    "reasons": ["ordered_by_mistake", "no_longer_wanted"],
    "order_stages": ["not_shipped"],
    "max_amount_fen": 10000,
    "action": "agree",
    "message": "已为您极速退款",
}
_ASK_EXAMPLE: dict[str, Any] = {
    "name": "缺货/延迟发货理由：请买家改为不想要了",
    "priority": 20,
    "reasons": ["out_of_stock", "late_shipment"],
    "order_stages": ["not_shipped"],
    "action": "ask_to_modify_reason",
    "suggested_reason": "no_longer_wanted",
    "message": "商品有货且未超时，请将退款原因改为不想要了，同意后立即退款",
}
RuleName = Annotated[str, Field(min_length=1, max_length=100)]
RulePriority = Annotated[
    WholeNumber, Field(ge=0, le=10_000, description="Lower runs first; ties go to the older rule.")
]
RuleMessage = Annotated[str, Field(max_length=500, description="Shown to the buyer with the answer.")]


class AutoRuleIn(_In):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                _RULE_EXAMPLE,
                {
                    "name": "七天无理由退货：签收后自动退款",
                    "priority": 30,
                    "case_types": ["return_and_refund"],
                    "reasons": ["seven_day_no_reason"],
                    "max_amount_fen": 50000,
                    "action": "agree_after_return_signed",
                },
                _ASK_EXAMPLE,
            ]
        },
    )
    name: RuleName
    priority: RulePriority = 100
    enabled: bool = True
    case_types: Annotated[list[CaseType], Field(max_length=6, description="Empty: any case type.")] = []
    reasons: Annotated[list[Reason], Field(max_length=20, description="Empty: any reason.")] = []
    order_stages: Annotated[
        list[Literal["not_shipped", "in_transit", "delivered", "completed"]],
        Field(max_length=4, description="Empty: any stage. not_shipped = before shipping."),
    ] = []
    max_amount_fen: Fen | None = Field(None, description="Only requests asking at most this much; omit for no limit.")
    action: Literal["agree", "agree_after_return_signed", "ask_to_modify_reason"]
    suggested_reason: Reason | None = Field(
        None, description="ask_to_modify_reason: the reason the buyer is asked to choose."
    )
    message: RuleMessage = ""


class AutoRulePatchIn(_In):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"enabled": False}, {"max_amount_fen": 5000, "priority": 5}]},
    )
    name: RuleName | None = None
    priority: RulePriority | None = None
    enabled: bool | None = None
    case_types: Annotated[list[CaseType], Field(max_length=6)] | None = None
    reasons: Annotated[list[Reason], Field(max_length=20)] | None = None
    order_stages: (
        Annotated[list[Literal["not_shipped", "in_transit", "delivered", "completed"]], Field(max_length=4)] | None
    ) = None
    max_amount_fen: Fen | None = Field(None, description="null removes the limit.")
    action: Literal["agree", "agree_after_return_signed", "ask_to_modify_reason"] | None = None
    suggested_reason: Reason | None = None
    message: RuleMessage | None = None

    @model_validator(mode="after")
    def _something_changed(self) -> AutoRulePatchIn:
        if not self.model_fields_set:
            raise ValueError("change at least one field of the rule")
        return self


class BulkAgreeIn(_In):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"case_ids": [101, 102, 103]}]})
    case_ids: Annotated[
        list[Annotated[WholeNumber, Field(ge=1, le=2**31 - 1)]],
        Field(min_length=1, max_length=1000, description="The requests to agree to; each is decided on its own."),
    ]
    note: Annotated[str, Field(max_length=1000)] = ""


class TriageIn(_In):
    """A buyer's free text to triage (分诊), from the request form, chat, a phone note or an e-mail."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"text": "收到的鞋子开胶了，和图片颜色也不一样", "channel": "form"}]},
    )
    text: Annotated[
        str,
        Field(
            max_length=2000,
            description="What the buyer wrote or said: simplified or traditional Chinese, or English (≤ 2000 characters).",
        ),
    ]
    channel: Channel | None = Field(None, description="Where the text came from: form, chat, phone or email.")


# --- service complaints (售后投诉, seed 003 卖家售后投诉处理制度) ------------------------------------

ServiceChannelName = Literal["phone", "email", "online", "chat", "social_media"]
ServiceCategoryName = Literal["quality", "not_as_described", "damaged", "missing", "service", "other"]


class ServiceComplaintIn(_In):
    """A buyer files (channel online, chat, e-mail, social media…); an agent enters one taken by
    phone on the buyer's behalf (`buyer_id` and, to register it at once, `category`)."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "order_id": "TB20261111000123",
                    "channel": "online",
                    "description": "客服三天不回消息，答应补发的配件也没发",
                },
                {
                    "buyer_id": "buyer-wang",
                    "order_id": "TB20261111000123",
                    "channel": "phone",
                    "category": "service",
                    "description": "来电：卖家售后态度恶劣，拒绝处理",
                },
            ]
        },
    )
    description: Annotated[str, Field(min_length=1, max_length=2000)]
    channel: ServiceChannelName = "online"
    order_id: Identifier | None = None
    case_id: WholeNumber | None = Field(default=None, ge=1)
    shop_id: Identifier | None = Field(default=None, description="Needed only when there is no order.")
    buyer_id: Identifier | None = Field(default=None, description="Agents only: the buyer they enter it for.")
    category: ServiceCategoryName | None = Field(default=None, description="Agents only: register it at once.")


class ServiceComplaintActIn(_In):
    """One move of a service complaint (domain.service_complaints.TABLE); what each needs:
    register → category; propose_remedy → remedy and promised_by; report_done → result;
    resolve → note; rate → rating (1–5) and an optional comment."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {"action": "register", "category": "service"},
                {"action": "forward"},
                {"action": "contact", "note": "已电话联系买家并致歉"},
                {"action": "propose_remedy", "remedy": "补发配件并赠送优惠券", "promised_by": "2026-10-12T10:00:00Z"},
                {"action": "report_done", "result": "配件已补发，单号 SF123"},
                {"action": "rate", "rating": 5, "comment": "处理及时"},
            ]
        },
    )
    action: Literal[
        "register", "forward", "contact", "propose_remedy", "report_done", "resolve", "dismiss", "rate", "withdraw"
    ]
    category: ServiceCategoryName | None = None
    note: Annotated[str, Field(max_length=2000)] | None = None
    remedy: Annotated[str, Field(min_length=1, max_length=2000)] | None = None
    promised_by: UTCInstant | None = None
    result: Annotated[str, Field(min_length=1, max_length=2000)] | None = None
    rating: WholeNumber | None = Field(default=None, ge=1, le=5)
    comment: Annotated[str, Field(max_length=1000)] | None = None
