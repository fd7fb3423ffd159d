"""The inputs services accept, validated at the edge.

These Pydantic models double as the API's request bodies so there is one definition of each
input; their examples appear in the OpenAPI docs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from peifu.domain.clock import ensure_utc
from peifu.domain.money import MAX_FEN
from peifu.domain.vocabulary import CaseType, OrderEventKind, Reason

Identifier = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$")]
Fen = Annotated[int, Field(ge=0, le=MAX_FEN, description="Amount in fen (1/100 yuan), an integer.")]
UTCInstant = Annotated[datetime, AfterValidator(ensure_utc)]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ShopIn(_In):
    id: Identifier
    name: ShortText
    category: Identifier | None = None


class BuyerIn(_In):
    id: Identifier
    name: Annotated[str, Field(max_length=200)] | None = None


class OrderLineIn(_In):
    sku: Identifier
    title: Annotated[str, Field(min_length=1, max_length=300)]
    category: Identifier
    unit_price_fen: Fen
    quantity: Annotated[int, Field(ge=1, le=100_000)]
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
    line_no: Annotated[int, Field(ge=1, le=10_000)]
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
        json_schema_extra={"examples": [{"refund_amount_fen": 10000, "note": "补偿100元，商品不用退回"}]},
    )
    refund_amount_fen: Fen | None = None
    case_type: CaseType | None = None
    note: Annotated[str, Field(max_length=1000)] = ""

    @model_validator(mode="after")
    def _something_proposed(self) -> ProposeIn:
        if self.refund_amount_fen is None and self.case_type is None:
            raise ValueError("propose a refund_amount_fen, a case_type, or both")
        return self


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
    shipping_fee_fen: Fen = Field(
        0, le=100_000, description="What the sender paid the courier; for returns, reimbursed by whoever is at fault."
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
    advance_seconds: Annotated[int, Field(ge=0, le=10 * 365 * 86400)] | None = None
    set_to: UTCInstant | None = None
    fire_due: bool = Field(True, description="Fire every deadline that is now due before answering.")

    @model_validator(mode="after")
    def _one_of(self) -> ClockAdvanceIn:
        if (self.advance_seconds is None) == (self.set_to is None):
            raise ValueError("give exactly one of advance_seconds and set_to")
        return self


class AmountIn(_In):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"amount_fen": 1000000}]})
    amount_fen: Annotated[int, Field(gt=0, le=MAX_FEN, description="Amount in fen, more than 0.")]
