"""滥用信号: explained abuse signals on buyers and shops, from plain facts of their recent history.

Nothing here reads a database: `services.abuse` loads a buyer's or a shop's orders and requests of
the policy window into the dataclasses below and calls `buyer_signals` / `shop_signals`. Every
number comes from the policy's `[abuse]` section. A signal fires at its threshold (at both of
them where there are two) and not below; it then says, in Chinese and English, the numbers that
made it fire, and names the cases and orders behind them so an agent can check.

Score: 50 exactly at the threshold, rising in proportion to the observed figure, 100 at twice the
threshold or more (for signals with a count and a share, the share decides). More of what a
signal counts never lowers its score.

Buyer signals (subject: the buyer):
* refund_only_frequency — orders placed in the window that got a refund-only request (仅退款),
  out of the buyer's paid orders placed in the window.
* reason_switching — 拒绝后改理由再申请: after a seller refused, the buyer asked again with another
  reason, by modifying the refused request or by opening a new request on the same order.
* counterfeit_unproven — requests with the reason `counterfeit` for which the buyer gave no proof
  of the policy's kinds (a brand appraisal or quality report document) in the dispute.
* quick_claims_many_shops — requests opened within hours of delivery, at many different shops.

Shop signals (subject: the shop):
* fake_shipping — 虚假发货: parcels marked shipped that had no courier event (nor the buyer's own
  confirmation of receipt) for the policy's number of days after shipment.
* late_shipments — orders due to ship in the window that shipped after their ship deadline (or
  had not shipped when it passed).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import Literal

from peifu.domain.policy import AbuseRules
from peifu.domain.vocabulary import CaseType, Reason

Subject = Literal["buyer", "shop"]


class SignalCode(StrEnum):
    refund_only_frequency = "refund_only_frequency"  # 仅退款频繁
    reason_switching = "reason_switching"  # 拒绝后改理由再申请
    counterfeit_unproven = "counterfeit_unproven"  # 假货申请无凭证
    quick_claims_many_shops = "quick_claims_many_shops"  # 多店铺签收即申请
    fake_shipping = "fake_shipping"  # 虚假发货
    late_shipments = "late_shipments"  # 发货超时频繁


BUYER_SIGNALS = (
    SignalCode.refund_only_frequency,
    SignalCode.reason_switching,
    SignalCode.counterfeit_unproven,
    SignalCode.quick_claims_many_shops,
)
SHOP_SIGNALS = (SignalCode.fake_shipping, SignalCode.late_shipments)


# --- the facts --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimStep:
    """One step of a request's timeline that matters here: the buyer opening or modifying it (with
    the reason and type asked for), or the seller refusing it."""

    at: datetime
    kind: Literal["open", "modify", "refuse", "accept"]  # accept: the buyer took the seller's proposal
    reason: str | None = None
    case_type: str | None = None


@dataclass(frozen=True)
class BuyerOrder:
    order_id: str
    shop_id: str
    created_at: datetime
    paid: bool


@dataclass(frozen=True)
class BuyerClaim:
    """One after-sale request of the buyer, opened in the window."""

    case_id: int
    order_id: str
    shop_id: str
    opened_at: datetime
    steps: tuple[ClaimStep, ...]  # in order; the first is the opening
    has_proof: bool = False  # the buyer gave proof of a kind the policy accepts for counterfeit claims
    received_at: datetime | None = None  # the order's delivery (signed, or the buyer's confirmation)

    @property
    def reasons(self) -> frozenset[str]:
        return frozenset(s.reason for s in self.steps if s.reason)

    @property
    def types(self) -> frozenset[str]:
        return frozenset(s.case_type for s in self.steps if s.case_type)


@dataclass(frozen=True)
class BuyerHistory:
    buyer_id: str
    now: datetime
    orders: tuple[BuyerOrder, ...] = ()  # placed in the window
    claims: tuple[BuyerClaim, ...] = ()  # opened in the window


@dataclass(frozen=True)
class ShopOrder:
    order_id: str
    created_at: datetime
    paid_at: datetime | None
    ship_deadline: datetime | None
    shipped_at: datetime | None = None
    first_movement_at: datetime | None = None  # first courier event after shipment, or the buyer's confirmation
    closed_at: datetime | None = None


@dataclass(frozen=True)
class ShopHistory:
    shop_id: str
    now: datetime
    orders: tuple[ShopOrder, ...] = ()  # placed in the window


# --- the signal -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signal:
    code: SignalCode
    subject: Subject
    subject_id: str
    score: int  # 50 at the threshold, 100 at twice it
    window_days: int
    figures: dict[str, int]  # what was observed, e.g. {"orders": 12, "refund_only_orders": 9, "percent": 75}
    thresholds: dict[str, int]  # the policy numbers it was compared with
    explanation_zh: str
    explanation_en: str
    case_ids: tuple[int, ...] = ()
    order_ids: tuple[str, ...] = field(default=())


def score_of(observed: Fraction | int, threshold: Fraction | int) -> int:
    """50 at the threshold, in proportion above it, capped at 100 (never a float)."""
    if threshold <= 0:
        return 100
    return min(100, math.floor(Fraction(50) * Fraction(observed) / Fraction(threshold)))


def percent(part: int, whole: int) -> int:
    """A share as whole percent, rounded half up, for the explanation."""
    if whole <= 0:
        return 0
    return math.floor(Fraction(100 * part, whole) + Fraction(1, 2))


def reaches(part: int, whole: int, threshold_percent: int) -> bool:
    """part / whole ≥ threshold %, exactly (no rounding)."""
    return whole > 0 and 100 * part >= threshold_percent * whole


# --- buyer signals ----------------------------------------------------------------------------------


def refund_only_frequency(history: BuyerHistory, rules: AbuseRules) -> Signal | None:
    days = rules.window_days.value
    paid = {o.order_id for o in history.orders if o.paid}
    hits = [c for c in history.claims if c.order_id in paid and str(CaseType.refund_only) in c.types]
    refund_only = sorted({c.order_id for c in hits})
    cases = sorted(c.case_id for c in hits)
    k, n = len(refund_only), len(paid)
    least, share = rules.refund_only_min_orders.value, rules.refund_only_percent.value
    if k < least or not reaches(k, n, share):
        return None
    p = percent(k, n)
    return Signal(
        SignalCode.refund_only_frequency,
        "buyer",
        history.buyer_id,
        score_of(Fraction(100 * k, n), share),
        days,
        {"orders": n, "refund_only_orders": k, "percent": p},
        {"min_orders": least, "percent": share},
        f"近{days}天 {n} 笔订单中 {k} 笔申请仅退款 ({p}%)，达到提示标准（至少 {least} 笔且不低于 {share}%）。",
        f"In the last {days} days, {k} of {n} orders ({p}%) had a refund-only request "
        f"(flagged at {least} orders and {share}%).",
        tuple(cases),
        tuple(refund_only),
    )


def reason_switches(claims: tuple[BuyerClaim, ...]) -> list[tuple[int, ...]]:
    """Every 拒绝后改理由再申请, as the cases involved: a modification with another reason after the
    seller refused the request, or a new request on the same order with another reason than a
    request the seller had refused before it was opened (each new request counts once)."""
    switches: list[tuple[int, ...]] = []
    refusals: dict[str, list[tuple[datetime, str, int]]] = defaultdict(list)  # order → (refused at, reason, case)
    for claim in sorted(claims, key=lambda c: (c.opened_at, c.case_id)):
        opening = claim.steps[0] if claim.steps else None
        if opening is not None and opening.reason:
            earlier = [
                (case_id, reason)
                for at, reason, case_id in refusals[claim.order_id]
                if at <= claim.opened_at and case_id != claim.case_id
            ]
            differing = sorted({case_id for case_id, reason in earlier if reason != opening.reason})
            if differing:
                switches.append((*differing, claim.case_id))
        reason = opening.reason if opening else None
        refused = False
        for step in claim.steps[1:]:
            if step.kind == "refuse":
                refused = True
                if reason:
                    refusals[claim.order_id].append((step.at, reason, claim.case_id))
            elif step.kind == "modify" and step.reason:
                if refused and step.reason != reason:
                    switches.append((claim.case_id,))
                reason, refused = step.reason, False
            elif step.kind == "accept" and step.reason:
                reason, refused = step.reason, False  # a reason the seller proposed is no switch
    return switches


def reason_switching(history: BuyerHistory, rules: AbuseRules) -> Signal | None:
    days, least = rules.window_days.value, rules.reason_switch_min.value
    switches = reason_switches(history.claims)
    k = len(switches)
    if k < least:
        return None
    cases = sorted({c for s in switches for c in s})
    by_id = {c.case_id: c for c in history.claims}
    orders = sorted({by_id[c].order_id for c in cases if c in by_id})
    return Signal(
        SignalCode.reason_switching,
        "buyer",
        history.buyer_id,
        score_of(k, least),
        days,
        {"switches": k, "orders": len(orders)},
        {"min_switches": least},
        f"近{days}天 卖家拒绝后改理由再申请 {k} 次（涉及 {len(orders)} 笔订单），达到提示标准（{least} 次）。",
        f"In the last {days} days, the buyer asked again with another reason after a seller's refusal {k} times "
        f"on {len(orders)} orders (flagged at {least}).",
        tuple(cases),
        tuple(orders),
    )


def counterfeit_unproven(history: BuyerHistory, rules: AbuseRules) -> Signal | None:
    days, least = rules.window_days.value, rules.counterfeit_unproven_min.value
    claimed = [c for c in history.claims if str(Reason.counterfeit) in c.reasons]
    unproven = sorted((c for c in claimed if not c.has_proof), key=lambda c: c.case_id)
    k, n = len(unproven), len(claimed)
    if k < least:
        return None
    return Signal(
        SignalCode.counterfeit_unproven,
        "buyer",
        history.buyer_id,
        score_of(k, least),
        days,
        {"counterfeit_claims": n, "unproven": k},
        {"min_unproven": least},
        f"近{days}天 {n} 笔以假货为由的申请中 {k} 笔未提供有效凭证（鉴定报告、质检报告等），"
        f"达到提示标准（{least} 笔）。",
        f"In the last {days} days, {k} of {n} counterfeit claims came without valid proof "
        f"(an appraisal or quality report; flagged at {least}).",
        tuple(c.case_id for c in unproven),
        tuple(sorted({c.order_id for c in unproven})),
    )


def quick_claims(history: BuyerHistory, rules: AbuseRules) -> list[BuyerClaim]:
    """Requests opened within the policy's hours of the order's delivery."""
    limit = timedelta(hours=rules.quick_claim_hours.value)
    return [
        c for c in history.claims if c.received_at is not None and timedelta(0) <= c.opened_at - c.received_at <= limit
    ]


def quick_claims_many_shops(history: BuyerHistory, rules: AbuseRules) -> Signal | None:
    days, hours, least = rules.window_days.value, rules.quick_claim_hours.value, rules.quick_claim_min_shops.value
    quick = sorted(quick_claims(history, rules), key=lambda c: c.case_id)
    shops = {c.shop_id for c in quick}
    s, k = len(shops), len(quick)
    if s < least:
        return None
    return Signal(
        SignalCode.quick_claims_many_shops,
        "buyer",
        history.buyer_id,
        score_of(s, least),
        days,
        {"shops": s, "claims": k, "hours": hours},
        {"min_shops": least, "hours": hours},
        f"近{days}天 在 {s} 家店铺签收后 {hours} 小时内即申请售后（共 {k} 笔），达到提示标准（{least} 家店铺）。",
        f"In the last {days} days, the buyer made {k} requests within {hours} hours of delivery at {s} different "
        f"shops (flagged at {least} shops).",
        tuple(c.case_id for c in quick),
        tuple(sorted({c.order_id for c in quick})),
    )


def buyer_signals(history: BuyerHistory, rules: AbuseRules) -> list[Signal]:
    found = [
        refund_only_frequency(history, rules),
        reason_switching(history, rules),
        counterfeit_unproven(history, rules),
        quick_claims_many_shops(history, rules),
    ]
    return [s for s in found if s is not None]


# --- shop signals -----------------------------------------------------------------------------------


def silent_parcels(history: ShopHistory, rules: AbuseRules) -> tuple[list[ShopOrder], list[ShopOrder]]:
    """(shipped orders old enough to judge, those of them without any courier event in time)."""
    quiet = timedelta(days=rules.fake_shipping_silent_days.value)
    judged = [o for o in history.orders if o.shipped_at is not None and o.shipped_at + quiet <= history.now]
    silent = [
        o
        for o in judged
        if o.shipped_at is not None and (o.first_movement_at is None or o.first_movement_at > o.shipped_at + quiet)
    ]
    return judged, silent


def fake_shipping(history: ShopHistory, rules: AbuseRules) -> Signal | None:
    days, quiet, least = (
        rules.window_days.value,
        rules.fake_shipping_silent_days.value,
        rules.fake_shipping_min_orders.value,
    )
    judged, silent = silent_parcels(history, rules)
    k, n = len(silent), len(judged)
    if k < least:
        return None
    return Signal(
        SignalCode.fake_shipping,
        "shop",
        history.shop_id,
        score_of(k, least),
        days,
        {"shipped_orders": n, "silent_orders": k, "silent_days": quiet},
        {"min_orders": least, "silent_days": quiet},
        f"近{days}天 {n} 笔已发货订单中 {k} 笔发货后 {quiet} 天仍无物流轨迹，疑似虚假发货，达到提示标准（{least} 笔）。",
        f"In the last {days} days, {k} of {n} shipped orders had no courier event {quiet} days after shipment "
        f"(possibly fake shipping; flagged at {least}).",
        (),
        tuple(sorted(o.order_id for o in silent)),
    )


def late_orders(history: ShopHistory) -> tuple[list[ShopOrder], list[ShopOrder]]:
    """(paid orders due to ship by now, those of them shipped late or still unshipped past the deadline).

    An order closed unshipped before its deadline (refunded in trade) was never due."""
    now = history.now
    due: list[ShopOrder] = []
    late: list[ShopOrder] = []
    for o in history.orders:
        deadline = o.ship_deadline
        if o.paid_at is None or deadline is None:
            continue
        if o.shipped_at is None:
            if (o.closed_at or now) <= deadline:
                continue  # not due yet, or closed before it was due
            due.append(o)
            late.append(o)
            continue
        due.append(o)
        if o.shipped_at > deadline:
            late.append(o)
    return due, late


def late_shipments(history: ShopHistory, rules: AbuseRules) -> Signal | None:
    days = rules.window_days.value
    least, share = rules.late_shipment_min_orders.value, rules.late_shipment_percent.value
    due, late = late_orders(history)
    k, n = len(late), len(due)
    if k < least or not reaches(k, n, share):
        return None
    p = percent(k, n)
    return Signal(
        SignalCode.late_shipments,
        "shop",
        history.shop_id,
        score_of(Fraction(100 * k, n), share),
        days,
        {"due_orders": n, "late_orders": k, "percent": p},
        {"min_orders": least, "percent": share},
        f"近{days}天 {n} 笔应发货订单中 {k} 笔超时发货 ({p}%)，达到提示标准（至少 {least} 笔且不低于 {share}%）。",
        f"In the last {days} days, {k} of {n} orders due to ship ({p}%) shipped late or not at all "
        f"(flagged at {least} orders and {share}%).",
        (),
        tuple(sorted(o.order_id for o in late)),
    )


def shop_signals(history: ShopHistory, rules: AbuseRules) -> list[Signal]:
    found = [fake_shipping(history, rules), late_shipments(history, rules)]
    return [s for s in found if s is not None]


# --- buyer marks (云标签) ------------------------------------------------------------------------------


MarkScope = Literal["all", "since", "cases", "none"]


@dataclass(frozen=True)
class MarkTerms:
    """A platform mark on a buyer's claims: which existing claims it covers (`scope`), and every
    claim the buyer opens while it stands; `shop_id` narrows both to one shop."""

    marked_at: datetime
    scope: MarkScope
    since: datetime | None = None
    case_ids: frozenset[int] = frozenset()
    shop_id: str | None = None


def mark_covers(terms: MarkTerms, *, case_id: int, shop_id: str, opened_at: datetime) -> bool:
    if terms.shop_id is not None and shop_id != terms.shop_id:
        return False
    if opened_at >= terms.marked_at:
        return True  # opened while the mark stands
    if terms.scope == "all":
        return True
    if terms.scope == "since":
        return terms.since is not None and opened_at >= terms.since
    if terms.scope == "cases":
        return case_id in terms.case_ids
    return False
