"""The policy catalogue: every number the rules use, loaded from a versioned TOML file.

Why a file and not constants: platforms differ and rules change, but a case must always be judged
under the version in force when it was opened. The engine therefore never reads a number from
code; it asks the `Policy` the case was opened under. Validation names the exact bad key so a
platform operator can fix their file without reading Python.
"""

from __future__ import annotations

import hashlib
import tomllib
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from peifu.domain.vocabulary import Reason
from peifu.domain.workdays import WorkingCalendar

T = TypeVar("T")

PayoutMethod = Literal["original_payment", "points", "coupon", "voucher"]
Payer = Literal["seller", "platform"]
LineFlag = Literal["custom_made", "perishable", "digital"]
Sanction = Literal["warning", "search_demotion", "promotion_ban", "trading_suspension"]
FindingName = Literal["order_record", "seller_consent"]
"""What, besides an agent's ruling naming the rule, establishes the facts a compensation rule pays
for (see domain.compensation.Finding). The buyer's stated reason never does: it is a claim."""
Phase = Literal["in_trade", "post_trade"]
ReturnCaseType = Literal["return_and_refund", "exchange", "repair"]

NOT_IN_OLDER_VERSIONS = " (a rule older policy versions did not state; the same applies to them)"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rule(_Strict, Generic[T]):
    """One number (or list) with the one-line note saying where it comes from."""

    value: T
    source: str = Field(min_length=3)


def since(value: T, source: str) -> Any:
    """A rule added after versions that are already stored: those still parse (cases opened under
    them keep their version) and get this value, with a source that says so."""
    return Field(default_factory=lambda: Rule[Any](value=value, source=source + NOT_IN_OLDER_VERSIONS))


class PositiveInt(_Strict):
    value: int = Field(gt=0)
    source: str = Field(min_length=3)


class NonNegativeInt(_Strict):
    value: int = Field(ge=0)
    source: str = Field(min_length=3)


class Percent(_Strict):
    value: int = Field(ge=0, le=100)
    source: str = Field(min_length=3)


class OrderRules(_Strict):
    ship_deadline_hours: PositiveInt
    promotion_ship_deadline_hours: PositiveInt
    auto_confirm_days: PositiveInt
    auto_confirm_min_days_after_case: NonNegativeInt


class WindowRules(_Strict):
    post_trade_days: PositiveInt
    seven_day_no_reason_days: PositiveInt
    seven_day_excluded_flags: Rule[list[LineFlag]]
    escalation_after_hours: NonNegativeInt


class DeadlineRules(_Strict):
    seller_response_hours: PositiveInt
    buyer_ship_return_days: PositiveInt
    seller_confirm_return_days_after_shipped: PositiveInt
    seller_confirm_return_days_after_signed: PositiveInt
    buyer_response_days: PositiveInt
    seller_ship_replacement_days: PositiveInt
    buyer_confirm_replacement_days: PositiveInt
    evidence_days: PositiveInt
    appeal_days: PositiveInt


class PercentOfPriceRule(_Strict):
    percent: Percent
    cap_fen: NonNegativeInt
    payout_method: Rule[PayoutMethod]
    payer: Rule[Payer]
    findings: Rule[list[FindingName]]


class LateShipmentRule(PercentOfPriceRule):
    findings: Rule[list[FindingName]] = since(
        ["order_record"], "seed 003: 卖家的发货时间,以快递公司系统内记录的时间为准"
    )


class OutOfStockRule(PercentOfPriceRule):
    findings: Rule[list[FindingName]] = since(
        ["seller_consent"], "seed 003: 如果买家选择的退款原因是卖家缺货…而你实际不存在这两种情况,先联系客户修改退款原因"
    )


class CounterfeitRule(_Strict):
    shop_multiple: NonNegativeInt
    statutory_multiple: NonNegativeInt
    statutory_min_fen: NonNegativeInt
    food_multiple: NonNegativeInt
    food_min_fen: NonNegativeInt
    payout_method: Rule[PayoutMethod]
    payer: Rule[Payer]
    findings: Rule[list[FindingName]] = since(
        [], "seed 004: 申请假货的退款理由,你同意退货退款后,并不代表你的产品就是假货,天猫也不会因此判定你的店铺"
    )


class AdvanceCompensationRule(_Strict):
    reasons: Rule[list[Reason]]
    payout_method: Rule[PayoutMethod]
    payer: Rule[Payer]


class CompensationRules(_Strict):
    late_shipment: LateShipmentRule
    out_of_stock: OutOfStockRule
    counterfeit: CounterfeitRule
    advance_compensation: AdvanceCompensationRule


class PenaltyPoints(_Strict):
    refused_to_sell: NonNegativeInt
    promise_not_honoured: NonNegativeInt
    promotion_terms_not_honoured: NonNegativeInt
    invoice_refused: NonNegativeInt
    severe_mismatch: NonNegativeInt
    mismatch_affecting_use: NonNegativeInt
    mismatch_minor: NonNegativeInt


class SanctionStep(_Strict):
    threshold: PositiveInt
    sanction: Sanction


class ComplaintRules(_Strict):
    window_after_close_days: PositiveInt
    period_days: PositiveInt
    points: PenaltyPoints
    sanctions: list[SanctionStep]


class MetricRules(_Strict):
    window_days: PositiveInt
    category_flag_percentile: Percent
    rated_phases: Rule[Annotated[list[Phase], Field(min_length=1)]] = since(
        ["in_trade"], "seed 003: 申请售后,即订单状态为交易成功的0-15天内…售后维权目前暂没有率的考核"
    )


class ShippingRules(_Strict):
    """谁过错，谁承担: who bears the shipping legs (domain.shipping_fees)."""

    return_postage_case_types: Rule[Annotated[list[ReturnCaseType], Field(min_length=1)]] = since(
        ["return_and_refund", "exchange", "repair"],
        "seed 001: 商品存在質量問題,如與描述不符、功能故障等,商家需承擔退換貨的運費",
    )


class SubReasonRules(_Strict):
    """Which reason of record each sub-reason the triage names is filed under (domain.triage.SubReason).
    The reason carries everything else — eligibility, who pays shipping (domain.shipping_fees), liability
    and compensation, the metrics — so a sub-reason never needs rules of its own (docs/reasons.md)."""

    used_or_refurbished: Rule[Reason] = since(Reason.not_as_described, "seed 003: 描述不符")
    gift_or_accessory: Rule[Reason] = since(Reason.missing_items, "seed 003: 附带品; 承诺的赠品")
    spoiled_or_expired: Rule[Reason] = since(Reason.quality_problem, "seed 003: 保质期")
    courier_after_dispatch: Rule[Reason] = since(Reason.not_received, "seed 003: 物流损失 先行赔付")
    price_protection: Rule[Reason] = since(Reason.other, "no seed rule: 价保 is a shop's promise")
    size_fit: Rule[Reason] = since(Reason.not_as_described, "seed 001: 與描述不符")


class InterventionRules(_Strict):
    """How the seed-004 precedents and appeals are read (domain.intervention, services.disputes)."""

    counterfeit_refused_liable: Rule[Literal["seller", "none"]] = since(
        "seller", "seed 004: 商家因为消费者不更改理由拒绝退货的话,最终的结果是【商家计入纠纷率,且判定支持到退货退款】"
    )
    appeal_correction_payer: Rule[Literal["platform_fund", "seller"]] = since(
        "platform_fund", "seed 002: 如果消费者在赔付后继续表示不满,平台应提供再次申诉的通道"
    )


EvidenceKindName = Literal["text", "chat_log", "logistics", "image", "video", "document"]


class AbuseRules(_Strict):
    """滥用信号: the thresholds of the explained abuse signals (see domain.abuse)."""

    window_days: PositiveInt
    refund_only_min_orders: PositiveInt
    refund_only_percent: Percent
    reason_switch_min: PositiveInt
    counterfeit_unproven_min: PositiveInt
    counterfeit_proof_kinds: Rule[list[EvidenceKindName]]
    quick_claim_hours: PositiveInt
    quick_claim_min_shops: PositiveInt
    fake_shipping_silent_days: PositiveInt
    fake_shipping_min_orders: PositiveInt
    late_shipment_min_orders: PositiveInt
    late_shipment_percent: Percent


class ReminderRules(_Strict):
    """deadline.approaching (domain.events.remind_at): how long before a deadline that acts by
    itself the parties are told."""

    before_hours: PositiveInt


ServiceChannel = Literal["phone", "email", "online", "chat", "social_media"]
ServiceCategory = Literal["quality", "not_as_described", "damaged", "missing", "service", "other"]


class ServiceSanctionStep(_Strict):
    """6.1: after this many missed steps within `complaints.period_days`, this existing sanction."""

    misses: PositiveInt
    sanction: Sanction


def _service_sanctions() -> Any:
    return Field(
        default_factory=lambda: [
            ServiceSanctionStep(
                misses=PositiveInt(value=3, source="seed 003 6.1: 限制店铺推广 (platform default: 3 missed steps)"),
                sanction="promotion_ban",
            ),
            ServiceSanctionStep(
                misses=PositiveInt(value=6, source="seed 003 6.1: 暂停交易 (platform default: 6 missed steps)"),
                sanction="trading_suspension",
            ),
        ]
    )


class ServiceComplaintRules(_Strict):
    """卖家售后投诉处理制度 (seed 003): the service complaint's deadlines (domain.service_complaints).
    Working days are China's (domain.workdays); `*_hours` are clock hours."""

    channels: Rule[Annotated[list[ServiceChannel], Field(min_length=1)]] = since(
        ["phone", "email", "online", "chat", "social_media"],
        "seed 003 2.1: 电商平台应在显著位置公布售后投诉电话、邮箱等联系方式; seed 002: 在线客服、社交媒体",
    )
    categories: Rule[Annotated[list[ServiceCategory], Field(min_length=1)]] = since(
        ["quality", "not_as_described", "damaged", "missing", "service", "other"],
        "seed 003 二、售后投诉范围: 商品质量问题, 商品描述不符, 收到后损坏, 收到后缺失, 售后服务问题, 其他",
    )
    platform_answer_hours: Rule[int] = since(
        24, "seed 003 2.2: 电商平台应在24小时内回应消费者的投诉，并…进行分类、登记"
    )
    forward_working_days: Rule[int] = since(
        3, "seed 003 2.3: 电商平台应在收到投诉后3个工作日内，将投诉信息转达给相关卖家"
    )
    shop_contact_working_days: Rule[int] = since(1, "seed 003 3.1: 卖家收到投诉后，应在1个工作日内与消费者取得联系")
    shop_remedy_working_days: Rule[int] = since(
        2, "seed 003 3.2: 卖家应在2个工作日内…提出明确的处理方案 (counted, like 3.1, from receiving the complaint)"
    )
    max_promise_working_days: Rule[int] = since(
        10, "seed 003 3.3: 卖家应在承诺的时限内完成投诉处理 — the longest time a shop may promise (platform default)"
    )
    satisfaction_working_days: Rule[int] = since(
        3, "seed 003 5.1: 将处理结果反馈给消费者，并征求消费者的满意度 — how long the buyer is asked (platform default)"
    )
    sanctions: list[ServiceSanctionStep] = _service_sanctions()


class WorkingDayRules(_Strict):
    """Additions to the `holidays` library's calendar of China (domain.workdays), e.g. the State
    Council's notice for a year the installed release does not have yet."""

    extra_days_off: Rule[list[date]] = since([], "国务院办公厅关于节假日安排的通知 (days off the library lacks)")
    extra_working_days: Rule[list[date]] = since(
        [], "国务院办公厅关于节假日安排的通知 (调休 working days the library lacks)"
    )


class Policy(_Strict):
    version: str = Field(min_length=1, max_length=64)
    name_zh: str
    name_en: str
    order: OrderRules
    windows: WindowRules
    deadlines: DeadlineRules
    compensation: CompensationRules
    complaints: ComplaintRules
    metrics: MetricRules
    abuse: AbuseRules
    shipping: ShippingRules = Field(default_factory=ShippingRules)
    intervention: InterventionRules = Field(default_factory=InterventionRules)
    sub_reasons: SubReasonRules = Field(default_factory=SubReasonRules)
    # optional so that versions stored before reminders existed still load; without it, no reminders
    reminders: ReminderRules | None = None
    service_complaints: ServiceComplaintRules = Field(default_factory=ServiceComplaintRules)
    working_days: WorkingDayRules = Field(default_factory=WorkingDayRules)

    # --- durations, so callers never multiply hours by hand -------------------------------------
    @property
    def ship_deadline(self) -> timedelta:
        return timedelta(hours=self.order.ship_deadline_hours.value)

    @property
    def promotion_ship_deadline(self) -> timedelta:
        return timedelta(hours=self.order.promotion_ship_deadline_hours.value)

    @property
    def auto_confirm_after_shipment(self) -> timedelta:
        return timedelta(days=self.order.auto_confirm_days.value)

    @property
    def auto_confirm_min_after_case(self) -> timedelta:
        return timedelta(days=self.order.auto_confirm_min_days_after_case.value)

    @property
    def post_trade_window(self) -> timedelta:
        return timedelta(days=self.windows.post_trade_days.value)

    @property
    def seven_day_window(self) -> timedelta:
        return timedelta(days=self.windows.seven_day_no_reason_days.value)

    @property
    def working_calendar(self) -> WorkingCalendar:
        """China's working days, with this policy's additions (domain.workdays)."""
        return WorkingCalendar(self.working_days.extra_days_off.value, self.working_days.extra_working_days.value)

    @property
    def escalation_wait(self) -> timedelta:
        return timedelta(hours=self.windows.escalation_after_hours.value)


class PolicyError(ValueError):
    """A policy file that cannot be used; the message names the offending key."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


def parse_policy(text: str) -> Policy:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"policy file is not valid TOML: {exc}") from exc
    try:
        return Policy.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        raise PolicyError(f"policy key '{key}': {first['msg']}", key=key) from exc


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def default_policy_text() -> str:
    return resources.files("peifu.policy").joinpath("default.toml").read_text(encoding="utf-8")


def read_policy_text(path: str | Path | None) -> str:
    """The text of the platform's policy file, or of the shipped default when none is set."""
    if path is None or str(path) == "":
        return default_policy_text()
    return Path(path).read_text(encoding="utf-8")


def default_policy() -> Policy:
    return parse_policy(default_policy_text())
