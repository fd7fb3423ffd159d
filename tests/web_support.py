"""A small marketplace for the console tests, built through the real services, and page log-ins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from fastapi.testclient import TestClient

from peifu.adapters.runtime import Runtime
from peifu.domain.actors import Actor
from peifu.domain.clock import ManualClock
from peifu.domain.vocabulary import CaseAction, CaseType, OrderEventKind, Reason, Role
from peifu.services import auth
from peifu.services.inputs import RefuseIn
from tests import builders

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
    """A checkout of one pair of shoes (or whatever `category` sells), free shipping, not paid yet."""
    line = {"sku": "S1", "title": "跑步鞋", "category": category, "unit_price_fen": price, "quantity": 1}
    builders.order(
        rt,
        order_id,
        upto="awaiting_payment",
        shop=shop,
        shop_name=shop,
        buyer=buyer,
        phone="13800138000",
        category=category,
        lines=[line],
        free_shipping=True,
    )


def _events(rt: Runtime, clock: ManualClock, order_id: str, *kinds: OrderEventKind) -> None:
    """The order's events, six hours apart."""
    for kind in kinds:
        clock.advance(timedelta(hours=6))
        builders.order_events(rt, order_id, kind)


def _open(rt: Runtime, order_id: str, buyer: str, case_type: CaseType, reason: Reason, text: str) -> int:
    return builders.open_case(rt, order_id, case_type=case_type, reason=reason, buyer=buyer, description=text)


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
    builders.act(rt, disputed, CaseAction.refuse, seller, RefuseIn(reason="出库前已质检，无质量问题"))
    builders.act(rt, disputed, CaseAction.escalate, Actor(Role.buyer, "buyer-wang"))

    _order(rt, "W-OPEN", "shop-lining", "buyer-li", "shoes", 19900)
    _events(rt, clock, "W-OPEN", OrderEventKind.paid)
    pending = _open(rt, "W-OPEN", "buyer-li", CaseType.refund_only, Reason.ordered_by_mistake, "拍错了")

    _order(rt, "W-REFUND", "shop-xiaomi", "buyer-li", "electronics", 24900)
    _events(rt, clock, "W-REFUND", OrderEventKind.paid)
    refunded = _open(rt, "W-REFUND", "buyer-li", CaseType.refund_only, Reason.no_longer_wanted, "不想要了")
    builders.act(rt, refunded, CaseAction.agree, Actor(Role.seller, "shop-xiaomi"))

    _order(rt, "W-PLAIN", "shop-xiaomi", "buyer-wang", "electronics", 9900)
    _events(rt, clock, "W-PLAIN", OrderEventKind.paid)

    from peifu.services import disputes

    with rt.uow() as ctx:
        dispute = disputes.for_case(ctx, disputed)
        assert dispute is not None
        dispute_id = dispute.id
    return World(disputed, pending, refunded, dispute_id)
