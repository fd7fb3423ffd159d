"""The integration guide's worked example, with the generated Python client (clients/python).

    .venv/bin/peifu serve --sandbox &                        # API + worker, the sandbox clock enabled
    export PEIFU_KEY=$(.venv/bin/peifu apikey create --scope platform)
    .venv/bin/python examples/quickstart.py

It pushes an order the way a marketplace's order system would (created, paid), lets the buyer ask
for a refund, then — the seller staying silent — moves the sandbox clock past the seller's 72-hour
answer deadline: the engine agrees on the seller's behalf, refunds through the ledger and pays out
through the payment gateway. Finally it reads the event feed, the same events webhooks and RabbitMQ
deliver. Run it as often as you like: each run uses a new order id.
"""

from __future__ import annotations

import os
import sys
import uuid

from peifu_client import AuthenticatedClient
from peifu_client.api.auth import login_api_v1_auth_login_post as login
from peifu_client.api.cases import create_case_api_v1_cases_post as create_case
from peifu_client.api.cases import get_case_api_v1_cases_case_id_get as get_case
from peifu_client.api.events import list_events_api_v1_events_get as list_events
from peifu_client.api.orders import create_order_api_v1_orders_post as create_order
from peifu_client.api.orders import post_order_event_api_v1_orders_order_id_events_post as order_event
from peifu_client.api.sandbox import move_clock_api_v1_sandbox_clock_post as move_clock
from peifu_client.models import (
    CaseIn,
    CaseOut,
    ClockAdvanceIn,
    ClockOut,
    FeedPage,
    LoginIn,
    LoginOut,
    OrderEventIn,
    OrderIn,
    OrderOut,
)

BASE = os.environ.get("PEIFU_URL", "http://127.0.0.1:8000")
KEY = os.environ["PEIFU_KEY"]  # a platform-scoped API key: `peifu apikey create --scope platform`
BUYER, PASSWORD = os.environ.get("PEIFU_BUYER", "buyer-wang"), os.environ.get("PEIFU_PASSWORD", "peifu-demo")


def main() -> int:
    platform = AuthenticatedClient(base_url=BASE, token=KEY)
    order_id = f"QS{uuid.uuid4().hex[:12].upper()}"

    # 1. the marketplace's order system pushes the order and its payment
    order = create_order.sync(
        client=platform,
        body=OrderIn.from_dict(
            {
                "id": order_id,
                "shop": {"id": "shop-quickstart", "name": "快速上手旗舰店", "category": "shoes"},
                "buyer": {"id": BUYER},
                "lines": [
                    {
                        "sku": "RUN-42",
                        "title": "超轻跑步鞋 42码",
                        "category": "shoes",
                        "unit_price_fen": 39900,
                        "quantity": 1,
                    }
                ],
            }
        ),
    )
    assert isinstance(order, OrderOut), order
    paid = order_event.sync(order_id, client=platform, body=OrderEventIn.from_dict({"kind": "paid"}))
    assert isinstance(paid, OrderOut), paid
    print(f"order {order_id}: {paid.state}")

    # 2. the buyer (a person: a session token) asks for a refund before the order ships
    session = login.sync(client=platform, body=LoginIn(username=BUYER, password=PASSWORD))
    assert isinstance(session, LoginOut), session
    buyer = AuthenticatedClient(base_url=BASE, token=session.token)
    case = create_case.sync(
        client=buyer,
        body=CaseIn.from_dict(
            {
                "order_id": order_id,
                "lines": [{"line_no": 1}],
                "case_type": "refund_only",
                "reason": "ordered_by_mistake",
                "description": "拍错了尺码",
            }
        ),
    )
    assert isinstance(case, CaseOut), case
    print(f"case {case.id}: {case.state}")

    # 3. the seller stays silent: 73 hours later the deadline agrees on the seller's behalf
    clock = move_clock.sync(client=platform, body=ClockAdvanceIn.from_dict({"advance_seconds": 73 * 3600}))
    assert isinstance(clock, ClockOut), clock
    print(f"sandbox clock moved to {clock.now.local} (Asia/Shanghai); deadlines fired: {clock.fired}")
    case = get_case.sync(case.id, client=platform)  # the buyer's session expired with the 73 hours
    assert isinstance(case, CaseOut), case
    print(f"case {case.id}: {case.state}")

    # 4. what your systems hear: the event feed (webhooks and RabbitMQ carry the same events)
    seen: list[str] = []
    after = None
    while True:
        page = list_events.sync(client=platform, types="case.opened,case.agreed,case.refunded", after=after, limit=500)
        assert isinstance(page, FeedPage), page
        seen += [e["type"] for e in page.events if str(e["subject"]["id"]) == str(case.id)]
        if not page.has_more:
            break
        after = page.next_cursor
    print("events:", ", ".join(seen))
    return 0 if case.state == "refunded" and seen[-1:] == ["case.refunded"] else 1


if __name__ == "__main__":
    sys.exit(main())
