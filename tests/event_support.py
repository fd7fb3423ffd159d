"""A small marketplace for the event tests: orders, requests and moves through the real API and
services, and what the engine told the world about them (the `events` table)."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from peifu.adapters.gateway import SandboxGateway
from peifu.adapters.runtime import Runtime
from peifu.db.models import Dispute, EventRow
from peifu.domain.clock import ManualClock
from peifu.domain.events import DomainEvent
from peifu.services import deadlines, feed, payouts
from peifu.services.deadlines import FireReport

API = "/api/v1"
AGENT = {"X-Peifu-Actor": "agent:xiaoer-1"}
OTHER_AGENT = {"X-Peifu-Actor": "agent:xiaoer-2"}
COURIER = {"X-Peifu-Actor": "courier:SF"}


def buyer(buyer_id: str = "buyer-1") -> dict[str, str]:
    return {"X-Peifu-Actor": f"buyer:{buyer_id}"}


def seller(shop_id: str = "shop-1") -> dict[str, str]:
    return {"X-Peifu-Actor": f"seller:{shop_id}"}


def ok(resp: Any, status: int = 200) -> Any:
    assert resp.status_code == status, resp.text
    return resp.json()


class DownGateway:
    """A payment service that is down."""

    def pay(self, idempotency_key: str, payee: str, amount_fen: int, memo: str) -> str:
        raise payouts.GatewayError("gateway unavailable")


@dataclass
class Market:
    client: TestClient
    rt: Runtime
    clock: ManualClock

    # --- orders ---------------------------------------------------------------------------------

    def order(
        self,
        order_id: str,
        *,
        stage: str = "paid",
        shop: str = "shop-1",
        buyer_id: str = "buyer-1",
        prices: tuple[int, ...] = (39900, 2000),
    ) -> str:
        """An order of one line per price, taken to `stage`: paid, shipped, signed or completed."""
        body = {
            "id": order_id,
            "shop": {"id": shop, "name": "测试店铺", "category": "shoes", "kind": "tmall"},
            "buyer": {"id": buyer_id, "name": "王小明"},
            "lines": [
                {"sku": f"SKU-{n}", "title": "商品", "category": "shoes", "unit_price_fen": price, "quantity": 1}
                for n, price in enumerate(prices, start=1)
            ],
        }
        ok(self.client.post(f"{API}/orders", json=body), 201)
        steps: list[dict[str, Any]] = [{"kind": "paid"}]
        if stage in ("shipped", "signed", "completed"):
            steps.append({"kind": "shipped", "courier": "ZTO", "tracking_no": f"ZT{order_id}"})
        if stage in ("signed", "completed"):
            steps.append({"kind": "signed"})
        if stage == "completed":
            steps.append({"kind": "confirmed"})
        for step in steps:
            ok(self.client.post(f"{API}/orders/{order_id}/events", json=step))
        return order_id

    # --- requests and moves -----------------------------------------------------------------------

    def open(
        self,
        order_id: str,
        case_type: str = "refund_only",
        reason: str = "ordered_by_mistake",
        *,
        lines: tuple[int, ...] = (1,),
        buyer_id: str = "buyer-1",
    ) -> int:
        body = {
            "order_id": order_id,
            "lines": [{"line_no": n} for n in lines],
            "case_type": case_type,
            "reason": reason,
            "description": "买家说明",
        }
        case_id: int = ok(self.client.post(f"{API}/cases", json=body, headers=buyer(buyer_id)), 201)["id"]
        return case_id

    def act(self, case_id: int, action: str, who: dict[str, str], body: dict[str, Any] | None = None) -> Any:
        path = f"{API}/cases/{case_id}/{action.replace('_', '-')}"
        return ok(self.client.post(path, json=body, headers=who))

    def case(self, case_id: int) -> Any:
        return ok(self.client.get(f"{API}/cases/{case_id}"))

    def dispute(self, case_id: int) -> Any:
        return ok(self.client.get(f"{API}/cases/{case_id}/dispute", headers=AGENT))

    def refused_and_escalated(self, order_id: str, reason: str = "quality_problem", **kw: Any) -> int:
        case_id = self.open(order_id, "refund_only", reason, **kw)
        self.act(case_id, "refuse", seller(), {"reason": "商品没有问题"})
        self.act(case_id, "escalate", buyer())
        return case_id

    def rule(self, dispute_id: int, outcome: str, liable: str, **extra: Any) -> Any:
        body = {"outcome": outcome, "liable_party": liable, "reasoning": "依据双方举证判定", "compensations": []}
        return ok(self.client.post(f"{API}/disputes/{dispute_id}/ruling", json=body | extra, headers=AGENT))

    def dispute_row(self, dispute_id: int) -> Dispute:
        with self.rt.uow() as ctx:
            found = ctx.session.get(Dispute, dispute_id)
            assert found is not None
            return found

    # --- time --------------------------------------------------------------------------------------

    def advance(self, delta: timedelta) -> None:
        self.clock.advance(delta)

    def fire(self) -> FireReport:
        return deadlines.run_due(self.rt, owner="test")

    def remind(self) -> int:
        return deadlines.send_reminders(self.rt)

    def pay_out(self, *, down: bool = False) -> payouts.DispatchReport:
        gateway = DownGateway() if down else SandboxGateway(self.rt.factory, self.rt.clock)
        return payouts.dispatch_due(self.rt, gateway, owner="test")

    # --- what was told -------------------------------------------------------------------------------

    def last_event(self) -> int:
        with self.rt.uow() as ctx:
            return int(ctx.session.scalar(select(func.max(EventRow.id))) or 0)

    def events_after(self, last: int) -> list[EventRow]:
        with self.rt.uow() as ctx:
            stmt = select(EventRow).where(EventRow.id > last).order_by(EventRow.id)
            return list(ctx.session.scalars(stmt))

    def sequence(self) -> int:
        with self.rt.uow() as ctx:
            return feed.sequence_all(ctx)


def types_of(rows: list[EventRow] | list[DomainEvent]) -> list[str]:
    return [str(r.type) for r in rows]


AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"


def _rabbit_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5672), timeout=1):
            return True
    except OSError:
        return False
