"""The cast and the world of a simulated marketplace: its settings, shops and buyers, goods by
category, and what buyers ask for and say."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from peifu.adapters.runtime import Runtime
from peifu.db.engine import unit_of_work
from peifu.db.models import (
    Case,
    Order,
)
from peifu.domain.vocabulary import (
    CaseType,
    Reason,
)

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


def make_shops(rnd: random.Random, config: SimConfig) -> list[ShopProfile]:
    rnd = rnd
    names = sorted(CATEGORIES)
    shops = []
    for n in range(config.shops):
        category = names[n % len(names)]
        sloppy = rnd.random() < 0.3  # some shops are bad at after-sales
        shops.append(
            ShopProfile(
                id=sim_shop_id(config.seed, n),
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


def make_buyers(rnd: random.Random, config: SimConfig) -> list[BuyerProfile]:
    count = max(10, config.orders // 3)
    return [
        BuyerProfile(id=f"sim{config.seed}-buyer-{n + 1:06d}", abusive=rnd.random() < config.abusive_share)
        for n in range(count)
    ]


def goods_received(case: Case) -> bool:
    return case.phase == "post_trade" or Reason(case.reason) not in (
        Reason.out_of_stock,
        Reason.late_shipment,
        Reason.ordered_by_mistake,
        Reason.no_longer_wanted,
        Reason.not_received,
        Reason.other,
    )


def as_utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
