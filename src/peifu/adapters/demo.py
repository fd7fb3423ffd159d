"""Demo data: shops, buyers and orders with cases in every state, built through the real services.

Each scenario replays its steps on a manual clock that starts in the past and ends shortly
before now, so the timelines look real and no deadline is overdue when the demo starts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from peifu.adapters.runtime import Runtime
from peifu.adapters.simulation import SimConfig, Simulator, already_run
from peifu.db.engine import unit_of_work
from peifu.db.models import Case, Order, Shop
from peifu.domain.actors import Actor
from peifu.domain.clock import ManualClock
from peifu.domain.vocabulary import CaseAction, CaseType, OrderEventKind, Reason, Role
from peifu.services import abuse, accounts, auth, auto_handling, cases, orders, service_complaints
from peifu.services.context import Ctx, Wiring
from peifu.services.inputs import (
    AutoRuleIn,
    CaseIn,
    CaseLineIn,
    ModifyIn,
    OrderEventIn,
    OrderIn,
    ProposeIn,
    RefuseIn,
    RejectReturnIn,
    ServiceComplaintActIn,
    ServiceComplaintIn,
    ShipmentIn,
)

SHOPS = [
    ("shop-lining", "李宁官方旗舰店", "shoes"),
    ("shop-xiaomi", "小米官方旗舰店", "electronics"),
    ("shop-sanzhisongshu", "三只松鼠旗舰店", "food"),
    ("shop-uniqlo", "优衣库官方旗舰店", "apparel"),
]
BUYERS = [("buyer-wang", "王小明"), ("buyer-li", "李华"), ("buyer-zhang", "张伟"), ("buyer-chen", "陈静")]
GOODS = {
    "shoes": ("RUN-42", "超轻跑步鞋 42码", 39900),
    "electronics": ("BAND-8", "智能手环 8", 24900),
    "food": ("NUTS-1KG", "每日坚果礼盒 1kg", 12900),
    "apparel": ("DOWN-M", "轻型羽绒服 M", 49900),
}

Step = Callable[[Ctx, dict[str, int]], None]


@dataclass
class Scenario:
    """An order and what happens to it; `steps` are (hours after the previous step, action)."""

    name: str
    shop: int
    buyer: int
    steps: list[tuple[float, Step]]
    perishable: bool = False


def _event(order_id: str, kind: OrderEventKind, **extra: str) -> Step:
    def step(ctx: Ctx, _: dict[str, int]) -> None:
        orders.record_event(ctx, order_id, OrderEventIn(kind=kind, **extra))

    return step


def _open(order_id: str, buyer: str, case_type: CaseType, reason: Reason, desc: str, amount: int | None = None) -> Step:
    def step(ctx: Ctx, ids: dict[str, int]) -> None:
        body = CaseIn(
            order_id=order_id,
            lines=[CaseLineIn(line_no=1, refund_amount_fen=amount)],
            case_type=case_type,
            reason=reason,
            description=desc,
        )
        ids["case"] = cases.open_case(ctx, body, Actor(Role.buyer, buyer)).id

    return step


def _act(action: CaseAction, role: Role, who: str, body: object = None) -> Step:
    def step(ctx: Ctx, ids: dict[str, int]) -> None:
        cases.act(ctx, ids["case"], action, Actor(role, who), body)  # type: ignore[arg-type]

    return step


def scenarios() -> list[Scenario]:
    result: list[Scenario] = []
    plans: list[tuple[str, list[str]]] = [
        ("awaiting_payment", []),
        ("paid", ["paid"]),
        ("shipped", ["paid", "shipped"]),
        ("completed", ["paid", "shipped", "signed", "confirmed"]),
        ("case_requested", ["paid", "open_refund_unshipped"]),
        ("case_refunded", ["paid", "open_refund_unshipped", "agree"]),
        ("case_refused", ["paid", "shipped", "signed", "open_quality", "refuse"]),
        ("case_proposed", ["paid", "shipped", "signed", "open_quality", "propose"]),
        ("case_modified", ["paid", "shipped", "signed", "open_quality", "refuse", "modify"]),
        ("case_awaiting_return", ["paid", "shipped", "signed", "open_seven_day", "agree"]),
        ("case_return_shipped", ["paid", "shipped", "signed", "open_seven_day", "agree", "ship_return"]),
        ("case_return_refunded", ["paid", "shipped", "signed", "open_seven_day", "agree", "ship_return", "confirm"]),
        ("case_return_rejected", ["paid", "shipped", "signed", "open_seven_day", "agree", "ship_return", "reject"]),
        ("case_in_intervention", ["paid", "shipped", "signed", "open_quality", "refuse", "escalate"]),
        ("case_withdrawn", ["paid", "shipped", "signed", "open_quality", "withdraw"]),
        ("case_exchange_waiting", ["paid", "shipped", "signed", "open_exchange", "agree", "ship_return", "confirm"]),
        (
            "case_exchange_shipped",
            ["paid", "shipped", "signed", "open_exchange", "agree", "ship_return", "confirm", "ship_replacement"],
        ),
        (
            "case_reship_resolved",
            ["paid", "shipped", "signed", "open_reship", "agree", "ship_replacement", "confirm_replacement"],
        ),
    ]
    for n, (name, plan) in enumerate(plans, start=1):
        shop = n % len(SHOPS)
        if "open_seven_day" in plan and SHOPS[shop][2] == "food":
            shop = (shop + 1) % len(SHOPS)  # perishable food cannot be returned without a reason
        buyer = n % len(BUYERS)
        order_id = f"DEMO{n:04d}"
        buyer_id = BUYERS[buyer][0]
        shop_id = SHOPS[shop][0]
        steps: list[tuple[float, Step]] = []
        for word in plan:
            steps.append(_plan_step(word, order_id, buyer_id, shop_id))
        result.append(Scenario(name=name, shop=shop, buyer=buyer, steps=steps))
    # buyer-wang's orders at 李宁 with no request yet: something to open a request on in the buyer
    # console (delivered: a quality problem the seller may refuse; paid: a quick refund).
    for name, plan in [("wang_delivered", ["paid", "shipped", "signed"]), ("wang_paid", ["paid"])]:
        order_id = f"DEMO{len(result) + 1:04d}"
        steps = [_plan_step(word, order_id, BUYERS[0][0], SHOPS[0][0]) for word in plan]
        result.append(Scenario(name=name, shop=0, buyer=0, steps=steps))
    # 李宁's after-sale queue (the seller workbench): requests from other buyers still waiting for the
    # seller, opened long enough ago that the time left shows every colour (72 h to answer).
    queue: list[tuple[str, int, CaseType, Reason, str, bool, float]] = [
        ("lining_queue_urgent", 1, CaseType.refund_only, Reason.no_longer_wanted, "不想要了", False, 64),
        ("lining_queue_soon", 2, CaseType.return_and_refund, Reason.quality_problem, "鞋底开胶", True, 52),
        ("lining_queue_calm", 3, CaseType.refund_only, Reason.ordered_by_mistake, "拍错尺码了", False, 10),
        ("lining_queue_out_of_stock", 1, CaseType.refund_only, Reason.out_of_stock, "客服说没货了", False, 30),
    ]
    for name, buyer, case_type, reason, text, delivered, waited in queue:
        order_id = f"DEMO{len(result) + 1:04d}"
        words = ["paid", "shipped", "signed"] if delivered else ["paid"]
        steps = [_plan_step(word, order_id, BUYERS[buyer][0], SHOPS[0][0]) for word in words]
        steps += [(2, _open(order_id, BUYERS[buyer][0], case_type, reason, text)), (waited, _wait)]
        result.append(Scenario(name=name, shop=0, buyer=buyer, steps=steps))
    return result


def _wait(ctx: Ctx, ids: dict[str, int]) -> None:
    """Time passes; nobody acts."""


def _plan_step(word: str, order_id: str, buyer: str, shop: str) -> tuple[float, Step]:
    seller = (Role.seller, shop)
    table: dict[str, tuple[float, Step]] = {
        "paid": (0.2, _event(order_id, OrderEventKind.paid)),
        "shipped": (20, _event(order_id, OrderEventKind.shipped, courier="SF", tracking_no=f"SF{order_id}")),
        "signed": (40, _event(order_id, OrderEventKind.signed)),
        "confirmed": (10, _event(order_id, OrderEventKind.confirmed)),
        "open_refund_unshipped": (
            2,
            _open(order_id, buyer, CaseType.refund_only, Reason.ordered_by_mistake, "拍错了尺码，不要了"),
        ),
        "open_quality": (
            6,
            _open(
                order_id,
                buyer,
                CaseType.return_and_refund,
                Reason.quality_problem,
                "收到的鞋子开胶了，和图片颜色也不一样",
            ),
        ),
        "open_seven_day": (
            8,
            _open(order_id, buyer, CaseType.return_and_refund, Reason.seven_day_no_reason, "不喜欢，七天无理由退货"),
        ),
        "open_exchange": (5, _open(order_id, buyer, CaseType.exchange, Reason.quality_problem, "尺码偏小，想换大一码")),
        "open_reship": (3, _open(order_id, buyer, CaseType.reship, Reason.missing_items, "少发了一件赠品")),
        "agree": (4, _act(CaseAction.agree, *seller)),
        "refuse": (5, _act(CaseAction.refuse, *seller, RefuseIn(reason="商品出库前已质检，无质量问题"))),
        "propose": (
            3,
            _act(
                CaseAction.propose,
                *seller,
                ProposeIn(refund_amount_fen=5000, case_type=CaseType.partial_refund, note="补偿50元，不用退货"),
            ),
        ),
        "modify": (6, _act(CaseAction.modify, Role.buyer, buyer, ModifyIn(reason=Reason.not_as_described))),
        "escalate": (2, _act(CaseAction.escalate, Role.buyer, buyer)),
        "withdraw": (1, _act(CaseAction.withdraw, Role.buyer, buyer)),
        "ship_return": (
            20,
            _act(CaseAction.ship_return, Role.buyer, buyer, ShipmentIn(courier="YTO", tracking_no=f"YT{order_id}")),
        ),
        "confirm": (30, _act(CaseAction.confirm_return, *seller)),
        "reject": (30, _act(CaseAction.reject_return, *seller, RejectReturnIn(reason="退回商品有明显穿着痕迹"))),
        "ship_replacement": (
            10,
            _act(CaseAction.ship_replacement, *seller, ShipmentIn(courier="SF", tracking_no=f"SFR{order_id}")),
        ),
        "confirm_replacement": (30, _act(CaseAction.confirm_replacement, Role.buyer, buyer)),
    }
    return table[word]


def seed_if_empty(rt: Runtime) -> str | None:
    """Seed the demo marketplace unless the database already holds orders."""
    with unit_of_work(rt.factory) as session:
        if session.scalar(select(func.count(Order.id))):
            return None
    real_now = rt.clock.now()
    created = 0
    for index, scenario in enumerate(scenarios(), start=1):
        span = sum(hours for hours, _ in scenario.steps)
        clock = ManualClock(real_now - timedelta(hours=span + 1, minutes=index))
        shop_id, shop_name, category = SHOPS[scenario.shop]
        buyer_id, buyer_name = BUYERS[scenario.buyer]
        sku, title, price = GOODS[category]
        order_id = f"DEMO{index:04d}"
        units = Wiring(rt.factory, clock, rt.policies, rt.reactions)
        with units.uow() as ctx:
            orders.ingest_order(
                ctx,
                OrderIn.model_validate(
                    {
                        "id": order_id,
                        "shop": {"id": shop_id, "name": shop_name, "category": category},
                        "buyer": {
                            "id": buyer_id,
                            "name": buyer_name,
                            "phone": f"1380013{index:04d}",
                            "address": "浙江省杭州市余杭区文一西路969号",
                        },
                        "lines": [
                            {
                                "sku": sku,
                                "title": title,
                                "category": category,
                                "unit_price_fen": price,
                                "quantity": 1,
                                "perishable": category == "food",
                                "food": category == "food",
                            }
                        ],
                        "free_shipping": True,
                        "shipping_insurance": index % 2 == 0,
                        "invoice_promised": True,
                    }
                ),
            )
        ids: dict[str, int] = {}
        for hours, step in scenario.steps:
            clock.advance(timedelta(hours=hours))
            with units.uow() as ctx:
                step(ctx, ids)
        created += 1
    _seller_rules(rt)
    _service_complaints(rt)
    users = create_demo_users(rt)
    return (
        f"{len(SHOPS)} shops, {len(BUYERS)} buyers, {created} orders with cases in every state; "
        f"{users} users (password '{DEMO_PASSWORD}')"
    )


def _seller_rules(rt: Runtime) -> None:
    """李宁's fast-refund rule for promotions, switched off (the shop turns it on on /seller/rules)."""

    staff = Actor(Role.seller, SHOPS[0][0], user=f"{SHOPS[0][0]}-staff")
    body = AutoRuleIn(
        name="大促极速退款：拍错/不想要，300元以下，未发货",
        priority=10,
        enabled=False,
        case_types=[CaseType.refund_only],
        reasons=[Reason.ordered_by_mistake, Reason.no_longer_wanted],
        order_stages=["not_shipped"],
        max_amount_fen=30000,
        action="agree",
        message="已为您极速退款",
    )
    with rt.uow() as ctx:
        auto_handling.create_rule(ctx, staff, staff.id or "", body)


def _service_complaints(rt: Runtime) -> None:
    """Two 售后投诉: one waiting for an agent to classify, one forwarded to the shop (its countdown runs)."""

    agent = Actor(Role.agent, AGENTS[0][0])
    with rt.uow() as ctx:
        for n, (order_id, text) in enumerate(
            (("DEMO0001", "客服一直不回复，说好的补发配件也没有发"), ("DEMO0002", "售后态度很差，挂我电话"))
        ):
            order = ctx.session.get(Order, order_id)
            if order is None:
                continue
            body = ServiceComplaintIn(order_id=order_id, channel="online" if n else "chat", description=text)
            complaint = service_complaints.file(ctx, Actor(Role.buyer, order.buyer_id), body)
            if n == 0:
                service_complaints.act(
                    ctx, complaint.id, agent, ServiceComplaintActIn(action="register", category="service")
                )
                service_complaints.act(ctx, complaint.id, agent, ServiceComplaintActIn(action="forward"))


DEMO_PASSWORD = "peifu-demo"
AGENTS = [("xiaoer-01", "小二 01"), ("xiaoer-02", "小二 02")]


def create_demo_users(rt: Runtime) -> int:
    """Log-ins for every demo party: each buyer, one staff member per shop, two agents, an admin."""

    people: list[tuple[str, str, str | None, str]] = [(b, "buyer", b, name) for b, name in BUYERS]
    people += [(f"{shop}-staff", "seller", shop, f"{name} 售后") for shop, name, _ in SHOPS]
    people += [(agent, "agent", None, name) for agent, name in AGENTS]
    people.append(("admin", "admin", None, "平台管理员"))
    with unit_of_work(rt.factory) as session:
        for user_id, role, party, name in people:
            auth.create_user(session, user_id, role, DEMO_PASSWORD, rt.clock.now(), party_id=party, display_name=name)
    return len(people)


# The month `peifu serve --simulate` (and so `make serve`) fills an empty database with: two shops in
# each of the simulator's seven categories, 500 orders over 30 days ending today, 5 % abusive buyers;
# then the agents mark the busiest abusive buyers and the fund and deposits are paid in. Sized to be
# ready in well under a minute on a 2-core machine: about 17 s of CPU for the month, 22 s with the
# migrations and the scripted demo (the full `peifu simulate` default is 2,000 orders).
DEMO_MONTH_SHOPS = 14
DEMO_MONTH_ORDERS = 500


def simulate_month(rt: Runtime) -> str | None:
    """Run the simulated month into this database unless it is already there; say what it made."""

    config = SimConfig(shops=DEMO_MONTH_SHOPS, orders=DEMO_MONTH_ORDERS, days=30)
    if already_run(rt, config):
        return None
    started, cpu = time.perf_counter(), time.process_time()
    simulator = Simulator(rt, config)
    summary = simulator.run()
    marked = _mark_abusive_buyers(rt, [b.id for b in simulator.buyers if b.abusive])
    _fund_the_marketplace(rt)
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    totals, rates, money = summary.totals, summary.rates, summary.money_fen
    return (
        f"a simulated month in {took:.1f} s ({cpu:.1f} s of CPU): {totals.get('orders', 0)} orders, {totals.get('cases', 0)} cases, "
        f"refund rate {rates.get('refund_rate', 0.0):.1%}, {totals.get('disputes', 0)} disputes, "
        f"compensation ¥{money.get('compensation_total', 0) / 100:,.2f}, {totals.get('complaints', 0)} complaints, "
        f"{totals.get('service_complaints', 0)} service complaints "
        f"({totals.get('service_complaint_shop_misses', 0)} shop steps missed), "
        f"{marked} abusive buyer(s) marked (云标签)"
    )


DEMO_FUND_FEN = 50_000_000  # ¥500,000 in the platform's compensation fund (先行赔付)
DEMO_DEPOSIT_FEN = 1_000_000  # ¥10,000 deposit per shop; a debt from the month is settled first


def _fund_the_marketplace(rt: Runtime) -> None:
    """What a live marketplace holds: a compensation fund, and a deposit from every shop."""

    with rt.uow() as ctx:
        accounts.fund_top_up(ctx, DEMO_FUND_FEN)
        for shop_id in ctx.session.scalars(select(Shop.id).order_by(Shop.id)).all():
            if accounts.shop_money(ctx, shop_id).deposit_fen == 0:
                accounts.top_up(ctx, shop_id, DEMO_DEPOSIT_FEN)


DEMO_MARKED_BUYERS = 5  # the agents mark this many of the month's abusive buyers (云标签), the busiest first


def _mark_abusive_buyers(rt: Runtime, abusive: list[str]) -> int:
    """An agent marks the abusive buyers with the most claims this month: their claims leave the
    shops' metrics, and the abuse-signal pages show the mark."""

    with rt.uow() as ctx:
        counts = dict(
            ctx.session.execute(
                select(Case.buyer_id, func.count()).where(Case.buyer_id.in_(abusive)).group_by(Case.buyer_id)
            ).all()
        )
        busiest = sorted(counts, key=lambda buyer: (-counts[buyer], buyer))[:DEMO_MARKED_BUYERS]
        agent = Actor(Role.agent, AGENTS[0][0])
        for buyer_id in busiest:
            if abuse.standing_mark(ctx, buyer_id) is None:
                abuse.mark_buyer(ctx, buyer_id, agent, reason="多次无凭证索赔、拒绝后改理由再申请（模拟）")
    return len(busiest)
