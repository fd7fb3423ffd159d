"""A small marketplace for the console tests, built through the real services, and page log-ins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from fastapi.testclient import TestClient

from peifu.adapters.runtime import Runtime
from peifu.domain.actors import Actor
from peifu.domain.clock import ManualClock
from peifu.domain.vocabulary import CaseAction, CaseType, OrderEventKind, Reason, Role
from peifu.services import auth, orders
from peifu.services import cases as case_service
from peifu.services.inputs import CaseIn, CaseLineIn, OrderEventIn, OrderIn, RefuseIn

PASSWORD = "peifu-test-password"
USERS = [  # login, role, party
    ("wang", "buyer", "buyer-wang"),
    ("li", "buyer", "buyer-li"),
    ("lining-staff", "seller", "shop-lining"),
    ("xiaomi-staff", "seller", "shop-xiaomi"),
    ("xiaoer-01", "agent", None),
    ("xiaoer-02", "agent", None),
    ("boss", "admin", None),
]


@dataclass
class World:
    disputed_case: int  # quality problem, refused, escalated: a dispute
    open_case: int  # a request still waiting for the seller: no dispute
    refunded_case: int  # agreed and refunded by the seller
    dispute_id: int


def make_users(rt: Runtime) -> None:
    with rt.uow() as ctx:
        for login, role, party in USERS:
            auth.create_user(ctx.session, login, role, PASSWORD, ctx.now(), party_id=party, display_name=login)


def login(client: TestClient, user: str) -> None:
    client.cookies.clear()
    resp = client.post("/login", data={"username": user, "password": PASSWORD}, follow_redirects=False)
    assert resp.status_code == 303, resp.text


def _order(rt: Runtime, order_id: str, shop: str, buyer: str, category: str, price: int) -> None:
    with rt.uow() as ctx:
        orders.ingest_order(
            ctx,
            OrderIn.model_validate(
                {
                    "id": order_id,
                    "shop": {"id": shop, "name": shop, "category": category},
                    "buyer": {"id": buyer, "name": "王小明", "phone": "13800138000"},
                    "lines": [
                        {"sku": "S1", "title": "跑步鞋", "category": category, "unit_price_fen": price, "quantity": 1}
                    ],
                    "free_shipping": True,
                }
            ),
        )


def _events(rt: Runtime, clock: ManualClock, order_id: str, *kinds: OrderEventKind) -> None:
    for kind in kinds:
        clock.advance(timedelta(hours=6))
        extra = {"courier": "SF", "tracking_no": f"SF{order_id}"} if kind is OrderEventKind.shipped else {}
        with rt.uow() as ctx:
            orders.record_event(ctx, order_id, OrderEventIn(kind=kind, **extra))


def _open(rt: Runtime, order_id: str, buyer: str, case_type: CaseType, reason: Reason, text: str) -> int:
    with rt.uow() as ctx:
        body = CaseIn(
            order_id=order_id, lines=[CaseLineIn(line_no=1)], case_type=case_type, reason=reason, description=text
        )
        return case_service.open_case(ctx, body, Actor(Role.buyer, buyer)).id


def _act(rt: Runtime, case_id: int, action: CaseAction, actor: Actor, body: object = None) -> None:
    with rt.uow() as ctx:
        case_service.act(ctx, case_id, action, actor, body)  # type: ignore[arg-type]


def build(rt: Runtime) -> World:
    clock = rt.clock
    assert isinstance(clock, ManualClock)
    make_users(rt)
    delivered = (OrderEventKind.paid, OrderEventKind.shipped, OrderEventKind.signed)
    _order(rt, "W-DISPUTE", "shop-lining", "buyer-wang", "shoes", 39900)
    _events(rt, clock, "W-DISPUTE", *delivered)
    disputed = _open(
        rt, "W-DISPUTE", "buyer-wang", CaseType.refund_only, Reason.quality_problem, "鞋子开胶了，和图片颜色也不一样"
    )
    seller = Actor(Role.seller, "shop-lining")
    _act(rt, disputed, CaseAction.refuse, seller, RefuseIn(reason="出库前已质检，无质量问题"))
    _act(rt, disputed, CaseAction.escalate, Actor(Role.buyer, "buyer-wang"))

    _order(rt, "W-OPEN", "shop-lining", "buyer-li", "shoes", 19900)
    _events(rt, clock, "W-OPEN", OrderEventKind.paid)
    pending = _open(rt, "W-OPEN", "buyer-li", CaseType.refund_only, Reason.ordered_by_mistake, "拍错了")

    _order(rt, "W-REFUND", "shop-xiaomi", "buyer-li", "electronics", 24900)
    _events(rt, clock, "W-REFUND", OrderEventKind.paid)
    refunded = _open(rt, "W-REFUND", "buyer-li", CaseType.refund_only, Reason.no_longer_wanted, "不想要了")
    _act(rt, refunded, CaseAction.agree, Actor(Role.seller, "shop-xiaomi"))

    _order(rt, "W-PLAIN", "shop-xiaomi", "buyer-wang", "electronics", 9900)
    _events(rt, clock, "W-PLAIN", OrderEventKind.paid)

    from peifu.services import disputes

    with rt.uow() as ctx:
        dispute = disputes.for_case(ctx, disputed)
        assert dispute is not None
        dispute_id = dispute.id
    return World(disputed, pending, refunded, dispute_id)
