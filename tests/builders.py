"""Shared builders: orders, requests and case actions made through the real services (no HTTP round
trip), the API's answer for what was built (for tests that assert on it), and the one way to check
that an HTTP answer refused something.

A test whose subject is the API calls the API for that subject and builds everything before it
here, so a builder is written once and the suite does not pay an HTTP request for each step of the
setup. Every builder goes through the same services, rules and access checks the API uses.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient
from pydantic import BaseModel

from peifu.adapters.api.routes import ACTIONS
from peifu.adapters.runtime import Runtime
from peifu.db.models import Base
from peifu.domain.actors import Actor
from peifu.domain.vocabulary import CaseAction, Role
from peifu.services import cases, orders
from peifu.services.inputs import CaseIn, OrderEventIn, OrderIn
from tests.conftest import order_body

# How far an order is taken, and the order events that take it there.
STEPS: dict[str, tuple[str, ...]] = {
    "awaiting_payment": (),
    "closed": ("closed",),
    "paid": ("paid",),
    "shipped": ("paid", "shipped"),
    "signed": ("paid", "shipped", "signed"),
    "completed": ("paid", "shipped", "signed", "confirmed"),
}


def runtime_of(where: Runtime | TestClient) -> Runtime:
    """The runtime itself, or the one behind a test client's app."""
    if isinstance(where, Runtime):
        return where
    rt: Runtime = where.app.state.runtime  # type: ignore[attr-defined]
    return rt


def order(
    where: Runtime | TestClient,
    order_id: str = "T1",
    *,
    upto: str = "paid",
    shop: str = "shop-1",
    shop_name: str | None = None,
    shop_kind: str | None = None,
    buyer: str = "buyer-1",
    buyer_name: str | None = None,
    phone: str | None = None,
    category: str | None = "shoes",
    price: int | None = None,
    at: datetime | None = None,
    **fields: Any,
) -> None:
    """An order of `shop` and `buyer` (the two lines of `order_body` unless `lines=` says otherwise),
    taken to `upto` — one of STEPS — now, or with every event at `at`; `price` is the first line's;
    `category=None`: a shop the marketplace gives no category; `phone`: the buyer's, for the pages; `shop_kind`: e.g. tmall."""
    rt = runtime_of(where)
    body = order_body(order_id, **fields)
    body["shop"] = {**body["shop"], "id": shop, "name": shop_name or body["shop"]["name"], "category": category}
    if shop_kind is not None:
        body["shop"]["kind"] = shop_kind
    body["buyer"] = {**body["buyer"], "id": buyer, "name": buyer_name or body["buyer"]["name"]}
    if phone is not None:
        body["buyer"]["phone"] = phone
    if price is not None:
        body["lines"][0]["unit_price_fen"] = price
    with rt.uow() as ctx:
        orders.ingest_order(ctx, OrderIn.model_validate(body))
    order_events(rt, order_id, *STEPS[upto], at=at)


def order_events(where: Runtime | TestClient, order_id: str, *kinds: str, at: datetime | None = None) -> None:
    """The marketplace's events for an existing order, in turn (`shipped` by SF), now or at `at`."""
    for kind in kinds:
        extra: dict[str, Any] = {"courier": "SF", "tracking_no": f"SF{order_id}"} if kind == "shipped" else {}
        if at is not None:
            extra["at"] = at
        with runtime_of(where).uow() as ctx:
            orders.record_event(ctx, order_id, OrderEventIn.model_validate({"kind": kind, **extra}))


def open_case(
    where: Runtime | TestClient,
    order_id: str = "T1",
    *,
    case_type: str = "refund_only",
    reason: str = "ordered_by_mistake",
    lines: list[dict[str, Any]] | None = None,
    buyer: str = "buyer-1",
    **fields: Any,
) -> int:
    """A request opened by `buyer` on `order_id` (its first line, in full, unless `lines` says)."""
    body = {"order_id": order_id, "lines": lines or [{"line_no": 1}], "case_type": case_type, "reason": reason}
    with runtime_of(where).uow() as ctx:
        return cases.open_case(ctx, CaseIn.model_validate({**body, **fields}), Actor(Role.buyer, buyer)).id


BODIES: dict[CaseAction, type[BaseModel]] = {action: model for action, model, *_ in ACTIONS}


def act(
    where: Runtime | TestClient,
    case_id: int,
    action: str,
    actor: Actor,
    body: BaseModel | dict[str, Any] | None = None,
) -> None:
    """One case action by `actor`, through the case machine's single door; a dict body is read as the
    API reads that action's body."""
    if isinstance(body, dict):
        body = BODIES[CaseAction(action)].model_validate(body)
    with runtime_of(where).uow() as ctx:
        cases.act(ctx, case_id, CaseAction(action), actor, body)


def case_answer(client: TestClient, case_id: int, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """The case as the API shows it (`GET /api/v1/cases/{id}`, as the client's default caller)."""
    answer = client.get(f"/api/v1/cases/{case_id}", headers=headers)
    assert answer.status_code == 200, answer.text
    shown: dict[str, Any] = answer.json()
    return shown


def opened_case(client: TestClient, order_id: str = "T1", **request: Any) -> dict[str, Any]:
    """`open_case`, answered with the new case as the API shows it."""
    return case_answer(client, open_case(client, order_id, **request))


def order_answer(client: TestClient, order_id: str = "T1", headers: dict[str, str] | None = None) -> dict[str, Any]:
    """The order as the API shows it (`GET /api/v1/orders/{id}`, as the client's default caller)."""
    answer = client.get(f"/api/v1/orders/{order_id}", headers=headers)
    assert answer.status_code == 200, answer.text
    shown: dict[str, Any] = answer.json()
    return shown


def refused(answer: Any, code: str, status: int = 422) -> dict[str, Any]:
    """The HTTP answer refused with `status` and the machine-readable `code`, and said why in words."""
    assert answer.status_code == status, answer.text
    error: dict[str, Any] = answer.json()["error"]
    assert error["code"] == code, error
    assert error["message"]
    return error


def db_snapshot(rt: Runtime) -> dict[str, tuple[int, str]]:
    """Row count and a hash of the contents of every table in the schema."""
    result = {}
    with rt.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(table.select().order_by(*table.primary_key.columns)).all()
            digest = hashlib.sha256(repr([tuple(row) for row in rows]).encode()).hexdigest()
            result[table.name] = (len(rows), digest)
    return result


@contextmanager
def nothing_changes(rt: Runtime) -> Iterator[None]:
    before = db_snapshot(rt)
    yield
    after = db_snapshot(rt)
    changed = sorted(name for name in before if before[name] != after.get(name))
    assert not changed, f"bad input changed {changed}"


def assert_clear_error(answer: Any, status: int, code: str) -> dict[str, Any]:
    assert answer.status_code == status, f"{answer.status_code}: {answer.text}"
    body = answer.json()
    assert set(body) == {"error"}, body
    error: dict[str, Any] = body["error"]
    assert set(error) == {"code", "message", "details"}, error
    assert error["code"] == code, error
    assert isinstance(error["message"], str) and len(error["message"]) >= 5, error
    assert isinstance(error["details"], dict), error
    return error
