"""A marketplace simulator that drives the real engine through simulated time.

Shops in categories, buyers (a share of them abusive), orders that are paid, shipped and
delivered through courier events, after-sale requests of every type and reason, sellers who
answer, refuse, propose, answer late or never ship, buyers who return goods, switch reasons,
escalate or give up, agents who rule disputes, decide appeals and rule complaints, and mark
abusive claims; a few buyers in a hundred file a service complaint (售后投诉) that the platform
registers and forwards and the shop mostly handles in time, sometimes not (a miss, an agent) — every step through the services (`cases.act`, `disputes.rule`, …), every timer
through the deadline worker (`deadlines.run_due`) on a `ManualClock` that only moves forward.

It is a discrete-event simulation: each planned step is (time, what); before a step runs, every
deadline due by then fires at its own due time, so "silence is consent" and the other timers
act exactly when the policy says. A step the rules refuse (a seller answering after the timer
already agreed, a claim outside its window) is counted, not fatal: the engine's refusal is part
of what is being simulated. For one seed the run is deterministic (same steps, same summary).

Used by `peifu simulate`, as the demo data generator (`peifu demo --simulate`) and as a load
source for the benchmarks.
"""

from __future__ import annotations

import heapq
import itertools
import random
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from peifu.adapters.db.engine import unit_of_work
from peifu.adapters.db.models import (
    Case,
    CaseEvent,
    Compensation,
    Complaint,
    Deadline,
    Dispute,
    Order,
    OrderLine,
    ServiceComplaint,
    ServiceComplaintMiss,
)
from peifu.adapters.runtime import Runtime
from peifu.domain.actors import Actor
from peifu.domain.clock import ManualClock
from peifu.domain.errors import DomainError
from peifu.domain.intervention import EvidenceKind
from peifu.domain.metrics import MetricName
from peifu.domain.service_complaints import State as SvcState
from peifu.domain.vocabulary import (
    CaseAction,
    CaseState,
    CaseType,
    ComplaintStatus,
    DeadlineStatus,
    DisputeStatus,
    OrderEventKind,
    OrderState,
    Reason,
    Role,
)
from peifu.services import cases, complaints, deadlines, disputes, metrics, orders, service_complaints
from peifu.services.commands import (
    AppealDecisionIn,
    AppealIn,
    CaseIn,
    CaseLineIn,
    ComplaintDecisionIn,
    ComplaintIn,
    ModifyIn,
    OrderEventIn,
    OrderIn,
    ProposeIn,
    RefuseIn,
    RejectReturnIn,
    RulingIn,
    ServiceComplaintActIn,
    ServiceComplaintIn,
    ShipmentIn,
    SignedIn,
)
from peifu.services.context import Ctx, Wiring

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)

# category → goods (sku, title, unit price in fen, flags)
CATEGORIES: dict[str, list[tuple[str, str, int, dict[str, bool]]]] = {
    "shoes": [("RUN", "跑步鞋", 39900, {}), ("BOOT", "马丁靴", 59900, {}), ("SLIP", "拖鞋", 3900, {})],
    "apparel": [("DOWN", "羽绒服", 49900, {}), ("TEE", "纯棉T恤", 7900, {}), ("JEAN", "牛仔裤", 19900, {})],
    "electronics": [("BAND", "智能手环", 24900, {}), ("BUDS", "蓝牙耳机", 39900, {}), ("CABLE", "数据线", 2900, {})],
    "food": [
        ("NUTS", "每日坚果礼盒", 12900, {"perishable": True, "food": True}),
        ("TEA", "龙井茶 250g", 26800, {"food": True}),
    ],
    "beauty": [("CREAM", "面霜", 32900, {}), ("MASK", "面膜 10片", 9900, {})],
    "furniture": [("SOFA", "定制布艺沙发", 299900, {"custom_made": True}), ("LAMP", "台灯", 15900, {})],
    "digital": [
        ("EBOOK", "电子书会员年卡", 19800, {"digital": True}),
        ("GAMECARD", "游戏点卡", 10000, {"digital": True}),
    ],
}
SHOP_WORDS = ["旗舰店", "专营店", "官方店", "小铺", "工厂店"]
COURIERS = ["SF", "YTO", "ZTO", "STO", "YUNDA", "JD"]
AGENTS = [f"xiaoer-{n:02d}" for n in range(1, 7)]

# Service complaints: a few per hundred delivered orders, more at shops that answer less.
SVC_BASE, SVC_SLOPPY = 0.02, 0.04
SVC_CHANNELS = ["online", "email", "chat", "phone", "social_media"]
SVC_TEXTS = [
    "客服三天不回消息，问题一直没人处理",
    "答应补发的配件到现在也没发",
    "商品有质量问题，联系卖家被推来推去",
    "收到的东西和描述不符，卖家态度很差",
    "包裹里少了一件，客服说会查但没有下文",
    "收到时外包装破损，商品也坏了，卖家不理",
    "售后服务太慢，退换货流程没人跟进",
]
SVC_REMEDIES = ["补发配件并赠送优惠券", "退差价并致歉", "上门换新", "补发缺失商品", "部分退款作为补偿"]

# What a buyer with goods in hand asks for, by reason: (case type, weight).
RECEIVED_PLANS: dict[Reason, list[tuple[CaseType, int]]] = {
    Reason.quality_problem: [
        (CaseType.return_and_refund, 5),
        (CaseType.exchange, 2),
        (CaseType.repair, 1),
        (CaseType.partial_refund, 2),
    ],
    Reason.not_as_described: [(CaseType.return_and_refund, 4), (CaseType.refund_only, 1), (CaseType.partial_refund, 2)],
    Reason.counterfeit: [(CaseType.return_and_refund, 2), (CaseType.refund_only, 1)],
    Reason.missing_items: [(CaseType.reship, 3), (CaseType.partial_refund, 2), (CaseType.refund_only, 1)],
    Reason.wrong_item: [(CaseType.exchange, 2), (CaseType.return_and_refund, 2)],
    Reason.damaged: [
        (CaseType.return_and_refund, 3),
        (CaseType.exchange, 1),
        (CaseType.reship, 1),
        (CaseType.partial_refund, 1),
    ],
    Reason.seven_day_no_reason: [(CaseType.return_and_refund, 4), (CaseType.exchange, 1)],
    Reason.invoice_problem: [(CaseType.partial_refund, 1)],
    Reason.other: [(CaseType.refund_only, 1), (CaseType.partial_refund, 1)],
}
RECEIVED_WEIGHTS: dict[Reason, int] = {
    Reason.quality_problem: 8,
    Reason.not_as_described: 5,
    Reason.counterfeit: 1,
    Reason.missing_items: 2,
    Reason.wrong_item: 2,
    Reason.damaged: 3,
    Reason.seven_day_no_reason: 8,
    Reason.invoice_problem: 1,
    Reason.other: 1,
}
DESCRIPTIONS: dict[Reason, str] = {
    Reason.out_of_stock: "卖家说没货了",
    Reason.late_shipment: "超过72小时还没发货",
    Reason.ordered_by_mistake: "拍错了尺码",
    Reason.no_longer_wanted: "不想要了",
    Reason.not_received: "物流一直没有更新，没收到货",
    Reason.quality_problem: "收到的鞋子开胶了",
    Reason.not_as_described: "和图片颜色不一样",
    Reason.counterfeit: "怀疑是假货，防伪码查不到",
    Reason.missing_items: "少发了一件赠品",
    Reason.wrong_item: "发错了型号",
    Reason.damaged: "外包装破损，商品压坏了",
    Reason.invoice_problem: "承诺的发票一直没开",
    Reason.seven_day_no_reason: "不喜欢，七天无理由退货",
    Reason.other: "其他问题",
}


@dataclass(frozen=True)
class SimConfig:
    shops: int = 20
    orders: int = 2000
    days: int = 30
    seed: int = 1
    abusive_share: float = 0.05  # share of buyers who file abusive claims
    start: datetime | None = None  # the simulated first day (UTC midnight); default: `days` before today


def sim_shop_id(seed: int, n: int) -> str:
    return f"sim{seed}-shop-{n + 1:04d}"


def sim_order_id(seed: int, n: int) -> str:
    return f"SIM{seed}-{n + 1:07d}"


def already_run(rt: Runtime, config: SimConfig) -> bool:
    """Whether this seed's marketplace is already in the database (its order ids would collide)."""
    with unit_of_work(rt.factory) as session:
        return session.get(Order, sim_order_id(config.seed, 0)) is not None


@dataclass(frozen=True)
class ShopProfile:
    id: str
    name: str
    category: str
    kind: str
    answers: float  # chance the seller answers a request before the timer does
    refuses: float  # chance an answer is a refusal
    proposes: float  # chance an answer is another offer
    late_ships: float  # chance an order ships after the ship deadline
    out_of_stock: float  # chance an order never ships
    ships_replacement: float  # chance an agreed exchange/repair/reship is shipped


@dataclass(frozen=True)
class BuyerProfile:
    id: str
    abusive: bool


@dataclass(order=True)
class Step:
    at: datetime
    seq: int
    run: Callable[[Ctx], None] = field(compare=False)


@dataclass
class Summary:
    """What the run produced: counts and rates from simulated time only (same seed → same summary)."""

    config: dict[str, Any]
    totals: dict[str, int]
    rates: dict[str, float]
    hours: dict[str, float]
    money_fen: dict[str, int]
    case_types: dict[str, int]  # as requested
    reasons: dict[str, int]  # as first given
    case_states: dict[str, int]
    engine: dict[str, int]  # steps run, refused by the rules (by code), deadlines fired (by kind)
    categories: list[dict[str, Any]]
    worst_shops: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class Simulator:
    def __init__(self, rt: Runtime, config: SimConfig, *, on_day: Callable[[int], None] | None = None) -> None:
        self.rt = rt
        self.config = config
        self.rnd = random.Random(config.seed)
        today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        self.start = config.start or today - timedelta(days=config.days)
        self.end = self.start + timedelta(days=config.days)
        self.clock = ManualClock(self.start)
        self.units = Wiring(rt.factory, self.clock, rt.policies, rt.reactions)
        self.on_day = on_day
        self.queue: list[Step] = []
        self.seq = itertools.count()
        self.stats: Counter[str] = Counter()
        self.shops = self._make_shops()
        self.buyers = self._make_buyers()
        self.case_of: dict[str, int] = {}  # order id → its case
        self.buyer_of_case: dict[int, BuyerProfile] = {}
        self.shop_of_case: dict[int, ShopProfile] = {}
        self.polls: Counter[int] = Counter()
        self.flags_of: dict[str, bool] = {}  # order id → its goods are custom-made, perishable or digital
        # Rare paths forced early in the run, so that even a small run meets every type and reason.
        self.quota: Counter[str] = Counter({"out_of_stock": 2, "late": 2, "lost": 2})
        self.to_cover: list[tuple[Reason, CaseType]] = [(r, t) for r, plans in RECEIVED_PLANS.items() for t, _ in plans]
        self.next_due: datetime | None = None
        # Service complaints draw from their own stream, so that adding them left the rest of a
        # seed's marketplace as it was.
        self.svc_rnd = random.Random(config.seed * 1_000_003 + 19)
        self.svc_shop: dict[int, ShopProfile] = {}
        self.svc_buyer: dict[int, BuyerProfile] = {}

    # --- the cast ---------------------------------------------------------------------------------

    def _make_shops(self) -> list[ShopProfile]:
        rnd = self.rnd
        names = sorted(CATEGORIES)
        shops = []
        for n in range(self.config.shops):
            category = names[n % len(names)]
            sloppy = rnd.random() < 0.3  # some shops are bad at after-sales
            shops.append(
                ShopProfile(
                    id=sim_shop_id(self.config.seed, n),
                    name=f"模拟{category}{SHOP_WORDS[n % len(SHOP_WORDS)]}{n + 1}",
                    category=category,
                    kind="tmall" if rnd.random() < 0.3 else "taobao",
                    answers=rnd.uniform(0.4, 0.7) if sloppy else rnd.uniform(0.8, 0.97),
                    refuses=rnd.uniform(0.4, 0.7) if sloppy else rnd.uniform(0.1, 0.3),
                    proposes=rnd.uniform(0.05, 0.15),
                    late_ships=rnd.uniform(0.1, 0.3) if sloppy else rnd.uniform(0.0, 0.05),
                    out_of_stock=rnd.uniform(0.01, 0.04) if sloppy else rnd.uniform(0.0, 0.01),
                    ships_replacement=rnd.uniform(0.6, 0.85) if sloppy else rnd.uniform(0.9, 1.0),
                )
            )
        return shops

    def _make_buyers(self) -> list[BuyerProfile]:
        count = max(10, self.config.orders // 3)
        return [
            BuyerProfile(
                id=f"sim{self.config.seed}-buyer-{n + 1:06d}", abusive=self.rnd.random() < self.config.abusive_share
            )
            for n in range(count)
        ]

    # --- the loop ---------------------------------------------------------------------------------

    def at(self, when: datetime, run: Callable[[Ctx], None]) -> None:
        heapq.heappush(self.queue, Step(max(when, self.clock.now()), next(self.seq), run))

    def run(self) -> Summary:
        self._plan_orders()
        day = 0
        while self.queue:
            step = heapq.heappop(self.queue)
            if step.at >= self.end:
                break
            self._fire_deadlines_until(step.at)
            while self.on_day is not None and step.at >= self.start + (day + 1) * DAY:
                day += 1
                self.on_day(day)
            self.clock.set(max(step.at, self.clock.now()))
            self._do(step.run)
        self._fire_deadlines_until(self.end)
        self.clock.set(max(self.end, self.clock.now()))
        while self.on_day is not None and day < self.config.days:
            day += 1
            self.on_day(day)
        return self.summary()

    def _do(self, run: Callable[[Ctx], None]) -> None:
        self.stats["steps"] += 1
        try:
            with self.units.uow() as ctx:
                run(ctx)
        except DomainError as exc:
            self.stats[f"refused:{exc.code}"] += 1
        self.next_due = None  # the step may have armed or cancelled timers

    def _fire_deadlines_until(self, until: datetime) -> None:
        while True:
            if self.next_due is None:
                with unit_of_work(self.rt.factory) as session:
                    self.next_due = session.scalar(
                        select(func.min(Deadline.due_at)).where(Deadline.status == DeadlineStatus.pending)
                    )
                if self.next_due is None:
                    return
            due = self.next_due if self.next_due.tzinfo else self.next_due.replace(tzinfo=UTC)
            if due > until:
                return
            self.clock.set(max(due, self.clock.now()))
            report = deadlines.run_due(self.units, owner="simulator", batch=500)
            for outcome in report.outcomes:
                self.stats["deadline:" + _outcome_kind(outcome)] += 1
            self.stats["deadlines_failed"] += report.failed
            self.next_due = None

    # --- orders -----------------------------------------------------------------------------------

    def _plan_orders(self) -> None:
        rnd = self.rnd
        weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(self.shops))]  # a few big shops, a long tail
        span = self.config.days * 86400 * 0.9
        for n in range(self.config.orders):
            shop = rnd.choices(self.shops, weights=weights)[0]
            buyer = rnd.choice(self.buyers)
            created = self.start + timedelta(seconds=int(rnd.random() * span))
            self.at(created, self._create_order(sim_order_id(self.config.seed, n), shop, buyer))

    def _create_order(self, order_id: str, shop: ShopProfile, buyer: BuyerProfile) -> Callable[[Ctx], None]:
        rnd = self.rnd
        sku, title, price, flags = rnd.choice(CATEGORIES[shop.category])
        quantity = 1 if price > 20000 or rnd.random() < 0.7 else rnd.randint(2, 3)
        free = rnd.random() < 0.8
        body = OrderIn.model_validate(
            {
                "id": order_id,
                "shop": {"id": shop.id, "name": shop.name, "category": shop.category, "kind": shop.kind},
                "buyer": {"id": buyer.id, "name": f"买家{buyer.id[-4:]}"},
                "lines": [
                    {
                        "sku": sku,
                        "title": title,
                        "category": shop.category,
                        "unit_price_fen": price,
                        "quantity": quantity,
                        **flags,
                    }
                ],
                "free_shipping": free,
                "shipping_fee_fen": 0 if free else 1000,
                "shipping_insurance": rnd.random() < 0.3,
                "invoice_promised": rnd.random() < 0.2,
            }
        )
        pays = rnd.random() < 0.96
        self.flags_of[order_id] = any(flags.get(f) for f in ("custom_made", "perishable", "digital"))

        def run(ctx: Ctx) -> None:
            orders.ingest_order(ctx, body)
            self.stats["orders"] += 1
            if pays:
                self.at(ctx.now() + timedelta(minutes=rnd.randint(1, 90)), self._paid(order_id, shop, buyer))
            else:
                self.at(ctx.now() + DAY, self._event(order_id, OrderEventKind.closed))

        return run

    def _event(self, order_id: str, kind: OrderEventKind, **extra: Any) -> Callable[[Ctx], None]:
        def run(ctx: Ctx) -> None:
            orders.record_event(ctx, order_id, OrderEventIn(kind=kind, **extra))

        return run

    def _paid(self, order_id: str, shop: ShopProfile, buyer: BuyerProfile) -> Callable[[Ctx], None]:
        rnd = self.rnd

        def run(ctx: Ctx) -> None:
            orders.record_event(ctx, order_id, OrderEventIn(kind=OrderEventKind.paid))
            now = ctx.now()
            if (
                self._take("out_of_stock") or rnd.random() < shop.out_of_stock
            ):  # never ships; the buyer asks for the money back
                self._open_at(now + timedelta(hours=rnd.uniform(20, 60)), order_id, buyer, shop, "out_of_stock")
                return
            forced_late = self._take("late")
            late = forced_late or rnd.random() < shop.late_ships
            ship_after = timedelta(hours=rnd.uniform(74, 120) if late else rnd.uniform(2, 48))
            self.at(now + ship_after, self._shipped(order_id, shop, buyer))
            claim = self._case_chance(buyer) * 0.25
            if late and (forced_late or rnd.random() < 0.3):
                self._open_at(now + timedelta(hours=rnd.uniform(72.5, 73.5)), order_id, buyer, shop, "late_shipment")
            elif rnd.random() < claim:
                self._open_at(now + ship_after * rnd.uniform(0.1, 0.9), order_id, buyer, shop, "before_shipment")

        return run

    def _shipped(self, order_id: str, shop: ShopProfile, buyer: BuyerProfile) -> Callable[[Ctx], None]:
        rnd = self.rnd

        def run(ctx: Ctx) -> None:
            order = ctx.session.get(Order, order_id)
            if order is None or order.state != OrderState.paid:
                return  # refunded and closed before it shipped
            courier = rnd.choice(COURIERS)
            body = OrderEventIn(kind=OrderEventKind.shipped, courier=courier, tracking_no=f"{courier}{order_id[3:]}")
            orders.record_event(ctx, order_id, body)
            now = ctx.now()
            if self._take("lost") or rnd.random() < 0.02:  # lost by the courier
                self._open_at(now + timedelta(days=rnd.uniform(5, 8)), order_id, buyer, shop, "in_transit")
                return
            signed = now + timedelta(hours=rnd.uniform(20, 96))
            self.at(signed, self._signed(order_id, shop, buyer))

        return run

    def _signed(self, order_id: str, shop: ShopProfile, buyer: BuyerProfile) -> Callable[[Ctx], None]:
        rnd = self.rnd

        def run(ctx: Ctx) -> None:
            order = ctx.session.get(Order, order_id)
            if order is None or order.state != OrderState.shipped:
                return
            orders.record_event(ctx, order_id, OrderEventIn(kind=OrderEventKind.signed))
            now = ctx.now()
            chance = self._case_chance(buyer)
            if order_id not in self.case_of and rnd.random() < chance:
                if buyer.abusive and rnd.random() < 0.3:  # "never arrived" although the courier has a signature
                    self._open_at(now + timedelta(hours=rnd.uniform(1, 12)), order_id, buyer, shop, "in_transit")
                else:
                    soon = rnd.uniform(1, 12) if buyer.abusive else rnd.uniform(6, 140)
                    self._open_at(now + timedelta(hours=soon), order_id, buyer, shop, "received")
            elif rnd.random() < 0.05:
                self._open_at(now + timedelta(days=rnd.uniform(11, 20)), order_id, buyer, shop, "post_trade")
            if rnd.random() < 0.55:  # the buyer confirms; the others are confirmed by the timer
                self.at(now + timedelta(hours=rnd.uniform(4, 96)), self._confirm(order_id, buyer, shop))
            if self.svc_rnd.random() < SVC_BASE + SVC_SLOPPY * (1 - shop.answers):  # a sloppy shop draws more
                when = now + timedelta(hours=self.svc_rnd.uniform(6, 120))
                self.at(when, self._file_service_complaint(order_id, buyer, shop))

        return run

    def _confirm(self, order_id: str, buyer: BuyerProfile, shop: ShopProfile) -> Callable[[Ctx], None]:
        rnd = self.rnd

        def run(ctx: Ctx) -> None:
            order = ctx.session.get(Order, order_id)
            if order is None or order.state != OrderState.shipped:
                return
            if orders.open_case_count(ctx.session, order_id, in_trade_only=True):
                return  # a buyer does not confirm receipt while asking for a refund
            orders.record_event(ctx, order_id, OrderEventIn(kind=OrderEventKind.confirmed))
            if rnd.random() < 0.012:  # a rule complaint about a broken promise
                violation = rnd.choice(["promise_not_honoured", "invoice_refused", "promotion_terms_not_honoured"])
                self.at(ctx.now() + timedelta(days=rnd.uniform(1, 10)), self._complain(order_id, buyer, violation))

        return run

    def _take(self, what: str) -> bool:
        if self.quota[what] > 0:
            self.quota[what] -= 1
            return True
        return False

    def _case_chance(self, buyer: BuyerProfile) -> float:
        return 0.6 if buyer.abusive else 0.16

    # --- after-sale requests ----------------------------------------------------------------------

    def _open_at(self, when: datetime, order_id: str, buyer: BuyerProfile, shop: ShopProfile, stage: str) -> None:
        rnd = self.rnd
        amount: int | None = None
        covering: tuple[Reason, CaseType] | None = None
        if stage == "received" and not buyer.abusive:
            seven_day_ok = not self.flags_of.get(order_id)
            covering = next((c for c in self.to_cover if seven_day_ok or c[0] is not Reason.seven_day_no_reason), None)
            if covering is not None:
                self.to_cover.remove(covering)
        if covering is not None:
            reason, case_type = covering
        elif stage == "out_of_stock":
            case_type, reason = CaseType.refund_only, Reason.out_of_stock
        elif stage == "late_shipment":
            case_type, reason = CaseType.refund_only, Reason.late_shipment
        elif stage == "before_shipment":
            case_type = CaseType.refund_only
            reason = rnd.choices([Reason.ordered_by_mistake, Reason.no_longer_wanted, Reason.other], [3, 3, 1])[0]
        elif stage == "in_transit":
            case_type, reason = CaseType.refund_only, Reason.not_received
        else:
            if stage == "post_trade":
                reason = rnd.choice([Reason.quality_problem, Reason.damaged, Reason.not_as_described])
            elif buyer.abusive:
                reason = rnd.choices(
                    [Reason.counterfeit, Reason.quality_problem, Reason.not_as_described, Reason.seven_day_no_reason],
                    [4, 3, 2, 1],
                )[0]
            else:
                reasons = list(RECEIVED_WEIGHTS)
                reason = rnd.choices(reasons, [RECEIVED_WEIGHTS[r] for r in reasons])[0]
            plans = RECEIVED_PLANS[reason]
            case_type = rnd.choices([t for t, _ in plans], [w for _, w in plans])[0]
            if buyer.abusive and case_type is not CaseType.partial_refund and rnd.random() < 0.5:
                case_type = CaseType.refund_only  # money, and keep the goods
                if reason is Reason.seven_day_no_reason:
                    reason = Reason.not_as_described
        share = rnd.uniform(0.1, 0.4)

        def run(ctx: Ctx) -> None:
            if order_id in self.case_of:
                return
            order = ctx.session.get(Order, order_id)
            assert order is not None
            nonlocal amount
            if case_type is CaseType.partial_refund:
                amount = max(100, int(order.lines[0].paid_fen * share))
            body = CaseIn(
                order_id=order_id,
                lines=[CaseLineIn(line_no=1, refund_amount_fen=amount)],
                case_type=case_type,
                reason=reason,
                description=DESCRIPTIONS[reason],
            )
            try:
                case = cases.open_case(ctx, body, Actor(Role.buyer, buyer.id))
            except DomainError:
                if covering is not None:
                    self.to_cover.append(covering)
                raise
            self.case_of[order_id] = case.id
            self.buyer_of_case[case.id] = buyer
            self.shop_of_case[case.id] = shop
            self.stats["cases"] += 1
            self._poll_at(ctx.now() + timedelta(hours=rnd.uniform(1, 80)), case.id)
            if reason in (Reason.not_as_described, Reason.invoice_problem) and rnd.random() < 0.25:
                violation = "invoice_refused" if reason is Reason.invoice_problem else "mismatch_minor"
                if reason is Reason.not_as_described:
                    violation = rnd.choice(["severe_mismatch", "mismatch_affecting_use", "mismatch_minor"])
                later = ctx.now() + timedelta(days=rnd.uniform(0.5, 5))
                self.at(later, self._complain(order_id, buyer, violation, case.id))

        self.at(when, run)

    def _poll_at(self, when: datetime, case_id: int) -> None:
        self.at(when, lambda ctx: self._poll(ctx, case_id))

    def _after_timer(self, ctx: Ctx, case_id: int) -> None:
        """The party stays silent: look again just after the case's timer has acted."""
        due = ctx.session.scalar(
            select(func.min(Deadline.due_at)).where(
                Deadline.case_id == case_id, Deadline.status == DeadlineStatus.pending
            )
        )
        when = (due.replace(tzinfo=due.tzinfo or UTC) if due else ctx.now() + 2 * DAY) + timedelta(minutes=5)
        self._poll_at(when, case_id)

    def _poll(self, ctx: Ctx, case_id: int) -> None:
        """Whoever's move it is on the case makes it (or stays silent), and the next look is planned."""
        rnd = self.rnd
        self.polls[case_id] += 1
        if self.polls[case_id] > 40:
            return
        case = ctx.session.get(Case, case_id)
        assert case is not None
        state = CaseState(case.state)
        if state.is_final:
            return
        buyer, shop = self.buyer_of_case[case_id], self.shop_of_case[case_id]
        as_buyer, as_seller = Actor(Role.buyer, buyer.id), Actor(Role.seller, shop.id)
        now = ctx.now()

        def soon(low: float, high: float) -> None:
            self._poll_at(now + timedelta(hours=rnd.uniform(low, high)), case_id)

        def act(action: CaseAction, actor: Actor, body: Any = None) -> None:
            cases.act(ctx, case_id, action, actor, body)
            self.stats[f"action:{action}"] += 1

        if state is CaseState.requested:
            if rnd.random() > shop.answers:
                self.stats["seller_silent"] += 1
                self._after_timer(ctx, case_id)
                return
            roll = rnd.random()
            refuses = shop.refuses * (2.5 if buyer.abusive else 1)
            if roll < refuses:
                act(CaseAction.refuse, as_seller, RefuseIn(reason="商品出库前已质检，不支持该申请"))
            elif roll < refuses + shop.proposes and case.refund_amount_fen > 200:
                offer = max(100, case.refund_amount_fen // 2)
                act(
                    CaseAction.propose,
                    as_seller,
                    ProposeIn(
                        refund_amount_fen=offer, case_type=CaseType.partial_refund, note="补偿部分金额，不用退货"
                    ),
                )
            else:
                act(CaseAction.agree, as_seller)
            soon(2, 60)
        elif state in (CaseState.refused, CaseState.proposed, CaseState.return_rejected):
            roll = rnd.random()
            if state is CaseState.proposed and roll < 0.6:
                act(CaseAction.accept_proposal, as_buyer)
            elif state is not CaseState.return_rejected and roll < (0.85 if buyer.abusive else 0.72):
                # 拒绝后改理由再申请: switch the reason (abusive buyers do it most) or just ask again
                switched = any(e.action == CaseAction.modify for e in case.events)
                if state is CaseState.refused and not switched and (buyer.abusive or rnd.random() < 0.3):
                    act(CaseAction.modify, as_buyer, ModifyIn(reason=self._switched_reason(case)))
                else:
                    self._escalate(ctx, case, as_buyer)
            elif roll < 0.88:
                self._escalate(ctx, case, as_buyer)
            elif roll < 0.94:
                act(CaseAction.withdraw, as_buyer)
            else:
                self._after_timer(ctx, case_id)
                return
            soon(2, 48)
        elif state is CaseState.awaiting_return:
            if rnd.random() < 0.9:
                courier = rnd.choice(COURIERS)
                ship = ShipmentIn(courier=courier, tracking_no=f"R{courier}{case_id:08d}", shipping_fee_fen=1200)
                act(CaseAction.ship_return, as_buyer, ship)
                self._poll_at(now + timedelta(hours=rnd.uniform(24, 72)), case_id)
            else:
                self._after_timer(ctx, case_id)
        elif state is CaseState.return_shipped:
            if case.return_signed_at is None:
                act(CaseAction.return_signed, Actor(Role.courier), SignedIn())
                soon(4, 72)
                return
            roll = rnd.random()
            if roll < shop.answers * 0.85:
                act(CaseAction.confirm_return, as_seller)
                soon(24, 96)
            elif roll < shop.answers:
                act(CaseAction.reject_return, as_seller, RejectReturnIn(reason="退回商品有明显使用痕迹"))
                soon(2, 48)
            else:
                self._after_timer(ctx, case_id)
        elif state is CaseState.awaiting_replacement:
            if rnd.random() < shop.ships_replacement:
                courier = rnd.choice(COURIERS)
                act(CaseAction.ship_replacement, as_seller, ShipmentIn(courier=courier, tracking_no=f"X{case_id:09d}"))
                soon(30, 120)
            else:
                self._after_timer(ctx, case_id)
        elif state is CaseState.replacement_shipped:
            if rnd.random() < 0.6:
                act(CaseAction.confirm_replacement, as_buyer)
            else:
                self._after_timer(ctx, case_id)
        elif state is CaseState.in_intervention:
            self._dispute_steps(ctx, case)
        else:  # refunding never outlives its unit of work
            self.stats[f"unexpected_state:{state}"] += 1

    def _switched_reason(self, case: Case) -> Reason:
        current = Reason(case.reason)
        if not _goods_received(case):
            return Reason.no_longer_wanted if current is not Reason.no_longer_wanted else Reason.other
        options = [r for r in (Reason.not_as_described, Reason.quality_problem, Reason.damaged) if r is not current]
        return self.rnd.choice(options)

    def _escalate(self, ctx: Ctx, case: Case, actor: Actor) -> None:
        try:
            with ctx.session.begin_nested():
                cases.act(ctx, case.id, CaseAction.escalate, actor)
            self.stats["action:escalate"] += 1
        except DomainError as exc:  # too early: the wait after opening has not passed; try again then
            self.stats[f"refused:{exc.code}"] += 1
            opens = case.opened_at.replace(tzinfo=case.opened_at.tzinfo or UTC)
            opens_at = opens + ctx.policies.current.escalation_wait + timedelta(minutes=10)
            self._poll_at(max(opens_at, ctx.now() + HOUR), case.id)
            self.polls[case.id] -= 1

    # --- disputes ---------------------------------------------------------------------------------

    def _dispute_steps(self, ctx: Ctx, case: Case) -> None:
        """A case just went to intervention: the parties send proof (or not), an agent rules."""
        rnd = self.rnd
        dispute = disputes.for_case(ctx, case.id)
        assert dispute is not None
        buyer, shop = self.buyer_of_case[case.id], self.shop_of_case[case.id]
        now = ctx.now()
        deadline = dispute.evidence_deadline.replace(tzinfo=dispute.evidence_deadline.tzinfo or UTC)
        if rnd.random() < (0.3 if buyer.abusive else 0.85):
            self.at(now + (deadline - now) * rnd.uniform(0.1, 0.8), self._evidence(dispute.id, Role.buyer, buyer.id))
        if rnd.random() < 0.75:
            self.at(now + (deadline - now) * rnd.uniform(0.1, 0.9), self._evidence(dispute.id, Role.seller, shop.id))
        if case.reason == Reason.counterfeit and not buyer.abusive and rnd.random() < 0.5:
            self.at(now + (deadline - now) * rnd.uniform(0.1, 0.8), self._appraisal(dispute.id, buyer.id))
        if case.reason in (Reason.not_received, Reason.missing_items) and rnd.random() < 0.3:
            self.at(now + timedelta(hours=rnd.uniform(2, 20)), self._advance(case.id))
        self.at(deadline + timedelta(hours=rnd.uniform(1, 30)), self._rule(dispute.id, case.id))

    def _evidence(self, dispute_id: int, role: Role, party: str) -> Callable[[Ctx], None]:
        text = "订单截图与聊天记录" if role is Role.buyer else "发货单、质检报告与物流签收记录"

        def run(ctx: Ctx) -> None:
            disputes.add_evidence(ctx, dispute_id, Actor(role, party), EvidenceKind.chat_log, text=text)
            self.stats["evidence"] += 1

        return run

    def _appraisal(self, dispute_id: int, buyer_id: str) -> Callable[[Ctx], None]:
        """A brand appraisal report: the proof of counterfeit the dispute asks for (seed 004)."""
        report = b"%PDF-1.4\n% brand appraisal report: not genuine\n%%EOF\n"

        def run(ctx: Ctx) -> None:
            buyer = Actor(Role.buyer, buyer_id)
            disputes.add_evidence(
                ctx, dispute_id, buyer, EvidenceKind.document, content=report, content_type="application/pdf"
            )
            self.stats["evidence"] += 1

        return run

    def _advance(self, case_id: int) -> Callable[[Ctx], None]:
        def run(ctx: Ctx) -> None:
            case = ctx.session.get(Case, case_id)
            if case is None or case.state != CaseState.in_intervention:
                return
            cases.act(ctx, case_id, CaseAction.advance_compensation, Actor(Role.agent, self.rnd.choice(AGENTS)))
            self.stats["action:advance_compensation"] += 1

        return run

    def _rule(self, dispute_id: int, case_id: int) -> Callable[[Ctx], None]:
        rnd = self.rnd

        def run(ctx: Ctx) -> None:
            dispute = disputes.get(ctx, dispute_id)
            case = ctx.session.get(Case, case_id)
            assert case is not None
            if (
                dispute.status in (DisputeStatus.evidence, DisputeStatus.review)
                and case.state == CaseState.in_intervention
            ):
                self._agent_rules(ctx, dispute, case)
            elif self.buyer_of_case[case_id].abusive and not case.abusive and rnd.random() < 0.6:
                # ruled by default (no proof): the agent reviewing it still recognises the pattern
                metrics.mark_abusive(ctx, case_id, Actor(Role.agent, rnd.choice(AGENTS)), note="无凭证索赔")
                self.stats["marked_abusive"] += 1
            if dispute.status == DisputeStatus.ruled and rnd.random() < 0.08:
                self.at(ctx.now() + timedelta(days=rnd.uniform(1, 5)), self._appeal(dispute_id, case_id))
            self._poll_at(ctx.now() + timedelta(hours=rnd.uniform(2, 48)), case_id)  # e.g. ruled to return goods

        return run

    def _agent_rules(self, ctx: Ctx, dispute: Dispute, case: Case) -> None:
        rnd = self.rnd
        buyer = self.buyer_of_case[case.id]
        agent = Actor(Role.agent, rnd.choice(AGENTS))
        guidance = disputes.current_guidance(ctx, dispute)
        if buyer.abusive and rnd.random() < 0.75:
            body = RulingIn(
                outcome="support_seller", liable_party="buyer", reasoning="买家无法提供有效凭证，驳回申请。"
            )
            if rnd.random() < 0.7:  # the agent recognises the pattern and takes the claim out of the metrics
                metrics.mark_abusive(ctx, case.id, agent, note="多次无凭证索赔")
                self.stats["marked_abusive"] += 1
        elif rnd.random() < 0.8 and guidance.get("outcome"):
            outcome = guidance["outcome"]
            case_type = guidance.get("case_type") if outcome != "support_seller" else None
            amount = None
            if outcome == "split":
                amount = max(100, self._refundable(ctx, case) // 2)
            comps = []
            # The agent finds what the evidence shows, not what the reason claims: counterfeit only
            # on the proof the guidance follows (seed 004: 同意退货退款后，并不代表你的产品就是假货).
            if outcome == "support_buyer" and case.reason in ("late_shipment", "out_of_stock"):
                comps = [case.reason]
            elif outcome == "support_buyer" and case.reason == "counterfeit" and guidance.get("proof_evidence"):
                comps = ["counterfeit"]
            body = RulingIn(
                outcome=outcome,
                case_type=CaseType(case_type) if case_type else None,
                refund_amount_fen=amount,
                liable_party=str(guidance.get("liable_party") or ("seller" if outcome != "support_seller" else "none")),
                compensations=comps,
                reasoning="依据举证责任与双方证据作出判定。",
            )
        else:
            amount = max(100, self._refundable(ctx, case) * 3 // 10)
            body = RulingIn(
                outcome="split",
                case_type=CaseType.partial_refund,
                refund_amount_fen=amount,
                liable_party="none",
                reasoning="双方各有责任，部分退款。",
            )
        try:
            with ctx.session.begin_nested():
                disputes.rule(ctx, dispute.id, agent, body)
        except DomainError as exc:  # e.g. a compensation that does not apply: rule without it
            self.stats[f"refused:{exc.code}"] += 1
            plain = body.model_copy(update={"compensations": []})
            disputes.rule(ctx, dispute.id, agent, plain)
        self.stats[f"ruling:{body.outcome}"] += 1

    def _refundable(self, ctx: Ctx, case: Case) -> int:
        line = ctx.session.get(OrderLine, case.lines[0].order_line_id)
        assert line is not None
        return max(0, line.paid_fen - line.refunded_fen)

    def _appeal(self, dispute_id: int, case_id: int) -> Callable[[Ctx], None]:
        rnd = self.rnd

        def run(ctx: Ctx) -> None:
            dispute = disputes.get(ctx, dispute_id)
            if dispute.status != DisputeStatus.ruled or not dispute.rulings:
                return
            ruling = dispute.rulings[-1]
            party = Role.buyer if ruling.outcome == "support_seller" else Role.seller
            who = dispute.buyer_id if party is Role.buyer else dispute.shop_id
            disputes.appeal(ctx, dispute_id, Actor(party, who), AppealIn(reason="有新的证据", evidence_text="补充凭证"))
            self.stats["appeals"] += 1
            self.at(ctx.now() + timedelta(days=rnd.uniform(1, 4)), self._decide_appeal(dispute_id, case_id))

        return run

    def _decide_appeal(self, dispute_id: int, case_id: int) -> Callable[[Ctx], None]:
        rnd = self.rnd

        def run(ctx: Ctx) -> None:
            dispute = disputes.get(ctx, dispute_id)
            first = dispute.rulings[-1]
            reviewer = Actor(Role.agent, next(a for a in AGENTS if a != first.agent_id))
            if rnd.random() < 0.75:
                body = AppealDecisionIn(decision="upheld", reasoning="新证据不足以推翻原判定")
            else:
                body = AppealDecisionIn(
                    decision="replaced",
                    reasoning="复核后改判",
                    ruling=RulingIn(outcome="support_seller", liable_party="none", reasoning="复核：证据不足，驳回"),
                )
                if first.outcome == "support_seller":
                    ruling = RulingIn(outcome="support_buyer", liable_party="seller", reasoning="复核：支持买家")
                    body = body.model_copy(update={"ruling": ruling})
            disputes.decide_appeal(ctx, dispute_id, reviewer, body)
            self.stats[f"appeal:{body.decision}"] += 1
            self._poll_at(ctx.now() + timedelta(hours=rnd.uniform(2, 48)), case_id)

        return run

    # --- rule complaints --------------------------------------------------------------------------

    def _complain(
        self, order_id: str, buyer: BuyerProfile, violation: str, case_id: int | None = None
    ) -> Callable[[Ctx], None]:
        rnd = self.rnd

        def run(ctx: Ctx) -> None:
            body = ComplaintIn(order_id=order_id, violation=violation, description="卖家未履行承诺", case_id=case_id)
            complaint = complaints.file(ctx, Actor(Role.buyer, buyer.id), body)
            self.stats["complaints"] += 1
            self.at(ctx.now() + timedelta(days=rnd.uniform(1, 3)), self._decide_complaint(complaint.id))

        return run

    def _decide_complaint(self, complaint_id: int) -> Callable[[Ctx], None]:
        rnd = self.rnd

        def run(ctx: Ctx) -> None:
            upheld = rnd.random() < 0.6
            body = ComplaintDecisionIn(upheld=upheld, reasoning="核实后作出处理" if upheld else "证据不足，不予支持")
            complaints.decide(ctx, complaint_id, Actor(Role.agent, rnd.choice(AGENTS)), body)
            self.stats["complaints_upheld" if upheld else "complaints_rejected"] += 1

        return run

    # --- service complaints (售后投诉) ------------------------------------------------------------

    def _file_service_complaint(self, order_id: str, buyer: BuyerProfile, shop: ShopProfile) -> Callable[[Ctx], None]:
        rnd = self.svc_rnd

        def run(ctx: Ctx) -> None:
            channel = rnd.choices(SVC_CHANNELS, weights=[5, 1, 3, 3, 1])[0]
            body = ServiceComplaintIn(order_id=order_id, channel=channel, description=rnd.choice(SVC_TEXTS))
            complaint = service_complaints.file(ctx, Actor(Role.buyer, buyer.id), body)
            self.stats["service_complaints"] += 1
            self.svc_shop[complaint.id], self.svc_buyer[complaint.id] = shop, buyer
            if rnd.random() < 0.95:  # the platform answers in time; now and then the 24 h timer does
                self._svc_poll_at(ctx.now() + timedelta(hours=rnd.uniform(0.5, 20)), complaint.id)
            else:
                self._svc_after_deadline(ctx, complaint)

        return run

    def _svc_poll_at(self, when: datetime, complaint_id: int) -> None:
        self.at(when, lambda ctx: self._svc_poll(ctx, complaint_id))

    def _svc_after_deadline(self, ctx: Ctx, complaint: ServiceComplaint) -> None:
        """Nobody acts in time: look again a while after the deadline has acted."""
        due = service_complaints.deadline_of(complaint, service_complaints.policy_of(ctx, complaint))
        if due is not None:
            self._svc_poll_at(_utc(due[1]) + timedelta(hours=self.svc_rnd.uniform(1, 20)), complaint.id)

    def _svc_in_time(self, ctx: Ctx, complaint: ServiceComplaint) -> datetime:
        """A moment comfortably before the current step's deadline."""
        now = ctx.now()
        due = service_complaints.deadline_of(complaint, service_complaints.policy_of(ctx, complaint))
        if due is None:
            return now + timedelta(hours=self.svc_rnd.uniform(1, 8))
        return now + (_utc(due[1]) - now) * self.svc_rnd.uniform(0.05, 0.6)

    def _svc_poll(self, ctx: Ctx, complaint_id: int) -> None:
        """Whoever the complaint waits on takes their step — the shop mostly in time, by its diligence."""
        rnd = self.svc_rnd
        complaint = ctx.session.get(ServiceComplaint, complaint_id)
        if complaint is None:
            return
        state, shop, buyer = SvcState(complaint.state), self.svc_shop[complaint_id], self.svc_buyer[complaint_id]
        agent, seller = Actor(Role.agent, rnd.choice(AGENTS)), Actor(Role.seller, shop.id)
        diligent = rnd.random() < 0.55 + 0.45 * shop.answers  # a sloppy shop misses more steps

        def act(actor: Actor, action: str, **body: Any) -> None:
            service_complaints.act(ctx, complaint_id, actor, ServiceComplaintActIn(action=action, **body))

        def later(low: float, high: float) -> None:
            self._svc_poll_at(ctx.now() + timedelta(hours=rnd.uniform(low, high)), complaint_id)

        if state is SvcState.filed:
            if rnd.random() < 0.04:  # not a service complaint at all
                act(agent, "dismiss", note="经核实不属于售后投诉范围")
                return
            act(agent, "register", category=complaint.suggested_category or "service")
            later(1, 30)
        elif state is SvcState.registered:
            act(agent, "forward")
            self._svc_poll_at(self._svc_in_time(ctx, complaint), complaint_id)
        elif state in (SvcState.forwarded, SvcState.contacted) and not diligent:
            self._svc_after_deadline(ctx, complaint)  # the shop lets it slide: a miss, an agent
        elif state is SvcState.forwarded:
            act(seller, "contact", note="已联系买家并致歉")
            self._svc_poll_at(self._svc_in_time(ctx, complaint), complaint_id)
        elif state is SvcState.contacted:
            promised = ctx.now() + timedelta(hours=rnd.uniform(12, 72))
            act(seller, "propose_remedy", remedy=rnd.choice(SVC_REMEDIES), promised_by=promised)
            if rnd.random() < 0.55 + 0.45 * shop.answers:  # and carries it out by the time it promised
                self._svc_poll_at(ctx.now() + (promised - ctx.now()) * rnd.uniform(0.2, 0.9), complaint_id)
            else:
                self._svc_after_deadline(ctx, complaint)
        elif state is SvcState.remedy_proposed:
            act(seller, "report_done", result="已按方案处理完毕")
            later(2, 48)
        elif state is SvcState.escalated:
            act(agent, "resolve", note="小二介入协调，已督促卖家处理")
            later(2, 48)
        elif state is SvcState.awaiting_rating and rnd.random() < 0.75:  # the others never rate
            missed = ctx.session.scalar(
                select(func.count(ServiceComplaintMiss.id)).where(ServiceComplaintMiss.complaint_id == complaint_id)
            )
            rating = rnd.choice([1, 2, 3, 3, 4]) if missed else rnd.choice([3, 4, 4, 5, 5, 5])
            act(Actor(Role.buyer, buyer.id), "rate", rating=rating)
            self.stats["service_complaints_rated"] += 1

    # --- the summary ------------------------------------------------------------------------------

    def summary(self) -> Summary:
        return summarise(self.rt, self.config, self.start, self.end, self.stats)


def _goods_received(case: Case) -> bool:
    return case.phase == "post_trade" or Reason(case.reason) not in (
        Reason.out_of_stock,
        Reason.late_shipment,
        Reason.ordered_by_mistake,
        Reason.no_longer_wanted,
        Reason.not_received,
        Reason.other,
    )


def _outcome_kind(outcome: str) -> str:
    """'case 12: agree → refunded' → 'agree'; 'order X: auto-confirmed' → 'auto-confirmed'."""
    tail = outcome.split(": ", 1)[-1]
    return tail.split(" → ")[0].split(" ")[0] if "→" in tail else tail.split(" (")[0]


def _hours(seconds: list[float]) -> tuple[float, float]:
    if not seconds:
        return 0.0, 0.0
    ordered = sorted(seconds)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    return round(statistics.median(ordered) / 3600, 2), round(p90 / 3600, 2)


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def summarise(rt: Runtime, config: SimConfig, start: datetime, end: datetime, stats: Counter[str]) -> Summary:
    """Figures of the simulated marketplace, read back from the database."""
    from peifu.services import metrics as metric_service

    shop_ids = [sim_shop_id(config.seed, n) for n in range(config.shops)]
    with unit_of_work(rt.factory) as session:
        order_rows = session.execute(
            select(Order.id, Order.shop_id, Order.state, Order.paid_at).where(Order.shop_id.in_(shop_ids))
        ).all()
        case_rows = session.execute(
            select(
                Case.id,
                Case.shop_id,
                Case.order_id,
                Case.case_type,
                Case.reason,
                Case.state,
                Case.opened_at,
                Case.resolved_at,
                Case.escalated_at,
                Case.abusive,
            ).where(Case.shop_id.in_(shop_ids))
        ).all()
        case_ids = [r.id for r in case_rows]
        asked = [  # what each buyer asked for when opening (rulings and proposals may change the type)
            data
            for (data,) in session.execute(
                select(CaseEvent.data).where(CaseEvent.case_id.in_(case_ids), CaseEvent.action == "open")
            )
        ]
        first_answer: dict[int, datetime] = {}
        for case_id, at in session.execute(
            select(CaseEvent.case_id, func.min(CaseEvent.at))
            .where(CaseEvent.case_id.in_(case_ids), CaseEvent.actor_role == "seller")
            .group_by(CaseEvent.case_id)
        ):
            first_answer[case_id] = _utc(at)
        refunded: dict[int, int] = {}
        for case_id, amount in session.execute(
            select(Case.id, func.sum(OrderLine.paid_fen))
            .join(OrderLine, OrderLine.order_id == Case.order_id)
            .where(Case.id.in_(case_ids), Case.state == CaseState.refunded)
            .group_by(Case.id)
        ):
            refunded[case_id] = int(amount or 0)
        comp_rows = session.execute(
            select(Case.shop_id, Compensation.rule, Compensation.amount_fen)
            .join(Case, Case.id == Compensation.case_id)
            .where(Case.shop_id.in_(shop_ids))
        ).all()
        complaint_rows = session.execute(select(Complaint.status).where(Complaint.shop_id.in_(shop_ids))).all()
        svc_rows = session.execute(select(ServiceComplaint.state).where(ServiceComplaint.shop_id.in_(shop_ids))).all()
        svc_misses = dict(
            session.execute(
                select(ServiceComplaintMiss.party, func.count())
                .where(ServiceComplaintMiss.shop_id.in_(shop_ids))
                .group_by(ServiceComplaintMiss.party)
            ).all()
        )
        rulings = session.execute(
            select(Dispute.status, func.count()).where(Dispute.shop_id.in_(shop_ids)).group_by(Dispute.status)
        ).all()
        ctx = Ctx(session=session, clock=ManualClock(end), policies=rt.policies, reactions=rt.reactions)
        window = metric_service.window_for(ctx, days=None, start=start.date(), end=(end - timedelta(seconds=1)).date())
        category_rows: list[dict[str, Any]] = []
        worst: list[dict[str, Any]] = []
        for category in sorted({sorted(CATEGORIES)[n % len(CATEGORIES)] for n in range(config.shops)}):
            try:
                report = metric_service.category_metrics(ctx, category, window)
            except DomainError:
                continue
            totals = report.totals
            category_rows.append(
                {
                    "category": category,
                    "shops": len(report.shops),
                    "paid_orders": totals.paid_orders,
                    "refund_rate": round(totals.refund_orders / totals.paid_orders, 4) if totals.paid_orders else 0.0,
                    "dispute_rate": round(totals.lost_dispute_orders / totals.paid_orders, 4)
                    if totals.paid_orders
                    else 0.0,
                    "resolution_median_h": _hours([float(s) for s in totals.resolution_seconds])[0],
                    "compensation_fen": sum(a for shop, _, a in comp_rows if shop in {r.shop_id for r in report.shops}),
                }
            )
            for rank, shop in enumerate(report.shops[:2], start=1):
                figures = shop.score.figures
                worst.append(
                    {
                        "category": category,
                        "rank": rank,
                        "shop": shop.shop_id,
                        "paid_orders": shop.score.counts.paid_orders,
                        "refund_rate": round(figures[MetricName.refund_rate].value or 0.0, 4),
                        "dispute_rate": round(figures[MetricName.dispute_rate].value or 0.0, 4),
                        "flags": [str(f) for f in shop.score.flags],
                    }
                )
    paid = [r for r in order_rows if r.paid_at is not None]
    refund_orders = {r.order_id for r in case_rows if r.state == CaseState.refunded}
    escalated = [r for r in case_rows if r.escalated_at is not None]
    resolution = [(_utc(r.resolved_at) - _utc(r.opened_at)).total_seconds() for r in case_rows if r.resolved_at]
    response = [(first_answer[r.id] - _utc(r.opened_at)).total_seconds() for r in case_rows if r.id in first_answer]
    comp_by_rule: Counter[str] = Counter()
    for _, rule, amount in comp_rows:
        comp_by_rule[rule] += amount
    res_median, res_p90 = _hours(resolution)
    resp_median, resp_p90 = _hours(response)
    engine = {k: v for k, v in sorted(stats.items())}
    return Summary(
        config={"shops": config.shops, "orders": config.orders, "days": config.days, "seed": config.seed},
        totals={
            "orders": len(order_rows),
            "paid_orders": len(paid),
            "completed_orders": sum(1 for r in order_rows if r.state == OrderState.completed),
            "closed_orders": sum(1 for r in order_rows if r.state == OrderState.closed),
            "cases": len(case_rows),
            "open_cases": sum(1 for r in case_rows if not CaseState(r.state).is_final),
            "disputes": len(escalated),
            "disputes_final": sum(n for status, n in rulings if status == DisputeStatus.final),
            "abusive_marked": sum(1 for r in case_rows if r.abusive),
            "complaints": len(complaint_rows),
            "complaints_upheld": sum(1 for (status,) in complaint_rows if status == ComplaintStatus.upheld),
            "service_complaints": len(svc_rows),
            "service_complaints_closed": sum(1 for (state,) in svc_rows if SvcState(state).is_final),
            "service_complaint_shop_misses": int(svc_misses.get("shop", 0)),
            "service_complaint_platform_misses": int(svc_misses.get("platform", 0)),
        },
        rates={
            "refund_rate": round(len(refund_orders) / len(paid), 4) if paid else 0.0,
            "case_rate": round(len(case_rows) / len(paid), 4) if paid else 0.0,
            "dispute_rate": round(len(escalated) / len(case_rows), 4) if case_rows else 0.0,
        },
        hours={
            "resolution_median": res_median,
            "resolution_p90": res_p90,
            "seller_response_median": resp_median,
            "seller_response_p90": resp_p90,
        },
        money_fen={
            "refunded_order_value": sum(refunded.values()),
            "compensation_total": sum(comp_by_rule.values()),
            **{f"compensation_{rule}": amount for rule, amount in sorted(comp_by_rule.items())},
        },
        case_types=dict(sorted(Counter(str(d["case_type"]) for d in asked).items())),
        reasons=dict(sorted(Counter(str(d["reason"]) for d in asked).items())),
        case_states=dict(sorted(Counter(r.state for r in case_rows).items())),
        engine=engine,
        categories=category_rows,
        worst_shops=worst,
    )


# --- the command line's face ------------------------------------------------------------------------


def run_with_progress(rt: Runtime, config: SimConfig, console: Any = None) -> Summary:
    """Run with a rich progress bar over the simulated days, then print the summary tables."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = console or Console()
    with Progress(
        TextColumn("simulated day"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[steps]:>8} steps"),
        TimeElapsedColumn(),
        console=console,
    ) as bar:
        task = bar.add_task("days", total=config.days, steps=0)
        simulator = Simulator(rt, config)
        simulator.on_day = lambda day: bar.update(task, completed=day, steps=simulator.stats["steps"])
        summary = simulator.run()
    print_summary(summary, console)
    return summary


def print_summary(summary: Summary, console: Any) -> None:
    from rich.table import Table

    def fen(value: int) -> str:
        return f"¥{value / 100:,.2f}"

    head = Table(title="simulated marketplace", show_header=False)
    head.add_column("figure")
    head.add_column("value", justify="right")
    for name, value in summary.totals.items():
        head.add_row(name.replace("_", " "), f"{value:,}")
    for name, rate in summary.rates.items():
        head.add_row(name.replace("_", " "), f"{rate:.2%}")
    for name, hours in summary.hours.items():
        head.add_row(f"{name.replace('_', ' ')} (h)", f"{hours:.1f}")
    for name, amount in summary.money_fen.items():
        head.add_row(name.replace("_", " "), fen(amount))
    console.print(head)

    mix = Table(title="requests by type, reason and state")
    for column in ("type", "n", "reason", "n ", "state", "n  "):
        mix.add_column(column, justify="right" if column.startswith("n") else "left")
    rows = [list(summary.case_types.items()), list(summary.reasons.items()), list(summary.case_states.items())]
    for i in range(max(len(r) for r in rows)):
        cells: list[str] = []
        for part in rows:
            name, count = part[i] if i < len(part) else ("", "")
            cells += [str(name), str(count)]
        mix.add_row(*cells)
    console.print(mix)

    cats = Table(title="per category (the after-sale metrics of the whole run)")
    for column in ("category", "shops", "paid orders", "refund rate", "lost disputes", "resolution p50 h", "comp."):
        cats.add_column(column, justify="left" if column == "category" else "right")
    for row in summary.categories:
        cats.add_row(
            row["category"],
            str(row["shops"]),
            f"{row['paid_orders']:,}",
            f"{row['refund_rate']:.2%}",
            f"{row['dispute_rate']:.2%}",
            f"{row['resolution_median_h']:.1f}",
            fen(row["compensation_fen"]),
        )
    console.print(cats)

    worst = Table(title="worst shops per category")
    for column in ("category", "rank", "shop", "paid orders", "refund rate", "lost disputes", "flags"):
        worst.add_column(column)
    for row in summary.worst_shops:
        worst.add_row(
            row["category"],
            str(row["rank"]),
            row["shop"],
            str(row["paid_orders"]),
            f"{row['refund_rate']:.2%}",
            f"{row['dispute_rate']:.2%}",
            ", ".join(row["flags"]),
        )
    console.print(worst)
    refused = {k.split(":", 1)[1]: v for k, v in summary.engine.items() if k.startswith("refused:")}
    fired = {k.split(":", 1)[1]: v for k, v in summary.engine.items() if k.startswith("deadline:")}
    console.print(f"steps {summary.engine.get('steps', 0):,}; deadlines fired {fired}; refused by the rules {refused}")
