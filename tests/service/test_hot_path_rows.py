"""Characterisation of the single door's writes (issue 15, "the hot path near the floor").

A scripted scenario drives `cases.act` (and the deadline worker) through the moves the hot path
touches — open, agree with the refund executed and the order closed, refuse, modify, a return
shipped and confirmed, a partial refund that leaves the order open, escalation, a seller's silence
fired as a deadline — then dumps every row of every table. The dump was captured before the hot
path was optimised and is committed (tests/golden/hot_path_rows.json, the same on SQLite and PostgreSQL): an optimisation
of the single door must write exactly the same rows — same ids, same values, same audit links
(whose HMACs cover the records) — or this test names the first table and row that differ.

Regenerate only for an intended change of what an action writes:
    PEIFU_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_hot_path_rows.py -n 0
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from peifu.adapters.runtime import Runtime
from peifu.db.models import Base, Deadline
from peifu.domain.actors import Actor
from peifu.domain.clock import ManualClock
from peifu.domain.vocabulary import CaseAction, CaseType, DeadlineKind, OrderEventKind, Reason, Role
from peifu.services import cases, deadlines, orders
from peifu.services.inputs import (
    AgreeIn,
    CaseIn,
    CaseLineIn,
    ModifyIn,
    OrderEventIn,
    OrderIn,
    RefuseIn,
    ShipmentIn,
)
from peifu.settings import Settings
from tests.conftest import START, _postgres_database

GOLDEN = Path(__file__).parents[1] / "golden"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# columns whose values are random by design (event ids, delivery tokens), not decided by the action
RANDOM = {"event_id", "token", "secret", "nonce"}
SHOP, BUYER = "shop-hp", "buyer-hp"


def _order(rt: Runtime, order_id: str, *, shipped: bool = False, lines: int = 2) -> None:
    body = {
        "id": order_id,
        "shop": {"id": SHOP, "name": "热路径店", "category": "shoes"},
        "buyer": {"id": BUYER, "name": "买家"},
        "lines": [
            {"sku": f"SKU-{i}", "title": "商品", "category": "shoes", "unit_price_fen": 10_000 * i, "quantity": 1}
            for i in range(1, lines + 1)
        ],
        "shipping_fee_fen": 800,
    }
    with rt.uow() as ctx:
        orders.ingest_order(ctx, OrderIn.model_validate(body))
        orders.record_event(ctx, order_id, OrderEventIn(kind=OrderEventKind.paid))
        if shipped:
            orders.record_event(
                ctx, order_id, OrderEventIn.model_validate({"kind": "shipped", "courier": "SF", "tracking_no": "SF1"})
            )


def _open(rt: Runtime, order_id: str, case_type: CaseType, reason: Reason, lines: dict[int, int | None]) -> int:
    body = CaseIn(
        order_id=order_id,
        lines=[CaseLineIn(line_no=no, refund_amount_fen=amount) for no, amount in lines.items()],
        case_type=case_type,
        reason=reason,
    )
    with rt.uow() as ctx:
        return cases.open_case(ctx, body, Actor(Role.buyer, BUYER)).id


def _act(rt: Runtime, case_id: int, action: CaseAction, role: Role, body: Any = None) -> None:
    who = SHOP if role is Role.seller else BUYER
    with rt.uow() as ctx:
        cases.act(ctx, case_id, action, Actor(role, who), body)


def scenario(rt: Runtime, clock: ManualClock) -> None:
    # 1. refund_only, seller agrees: refund executed, payout queued, order closed
    _order(rt, "HP-1", lines=1)
    c1 = _open(rt, "HP-1", CaseType.refund_only, Reason.no_longer_wanted, {1: None})
    clock.advance(timedelta(minutes=7))
    _act(rt, c1, CaseAction.agree, Role.seller, AgreeIn(note="同意"))

    # 2. partial refund on one line of two: the order stays open
    _order(rt, "HP-2")
    c2 = _open(rt, "HP-2", CaseType.refund_only, Reason.ordered_by_mistake, {1: 4_000})
    clock.advance(timedelta(minutes=3))
    _act(rt, c2, CaseAction.agree, Role.seller)

    # 3. refused, modified by the buyer, escalated after the refusal
    _order(rt, "HP-3", shipped=True)
    c3 = _open(rt, "HP-3", CaseType.refund_only, Reason.quality_problem, {2: None})
    clock.advance(timedelta(hours=2))
    _act(rt, c3, CaseAction.refuse, Role.seller, RefuseIn(reason="商品无质量问题"))
    clock.advance(timedelta(hours=1))
    _act(rt, c3, CaseAction.modify, Role.buyer, ModifyIn(case_type=CaseType.return_and_refund))
    clock.advance(timedelta(hours=1))
    _act(rt, c3, CaseAction.refuse, Role.seller, RefuseIn(reason="仍不同意"))
    clock.advance(timedelta(minutes=30))
    _act(rt, c3, CaseAction.escalate, Role.buyer)

    # 4. return_and_refund on a shipped order: agree, ship back, seller confirms → refund
    _order(rt, "HP-4", shipped=True, lines=1)
    c4 = _open(rt, "HP-4", CaseType.return_and_refund, Reason.quality_problem, {1: None})
    clock.advance(timedelta(hours=5))
    _act(rt, c4, CaseAction.agree, Role.seller)
    clock.advance(timedelta(days=1))
    _act(rt, c4, CaseAction.ship_return, Role.buyer, ShipmentIn(courier="SF", tracking_no="SF4", shipping_fee_fen=1200))
    clock.advance(timedelta(days=2))
    _act(rt, c4, CaseAction.confirm_return, Role.seller)

    # 5. the seller stays silent: the deadline worker agrees on their behalf
    _order(rt, "HP-5", lines=1)
    c5 = _open(rt, "HP-5", CaseType.refund_only, Reason.no_longer_wanted, {1: None})
    clock.advance(timedelta(days=3, hours=1))
    with rt.uow() as ctx:
        due = ctx.session.scalars(
            select(Deadline.id).where(
                Deadline.case_id == c5, Deadline.kind == DeadlineKind.seller_response, Deadline.status == "pending"
            )
        ).all()
    assert due
    report = deadlines.run_due(rt, owner="hp", batch=10)
    assert report.fired >= 1


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return UUID.sub("<uuid>", value)
    if isinstance(value, bytes):
        return value.hex()
    return value


def dump(rt: Runtime) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table (the kept policy versions aside), in primary-key order."""
    out: dict[str, list[dict[str, Any]]] = {}
    with rt.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name in ("policy_versions",):
                continue
            order = list(table.primary_key.columns) or list(table.columns)
            rows = conn.execute(select(table).order_by(*order)).mappings().all()
            if rows:
                out[table.name] = [
                    {k: ("<random>" if k in RANDOM else _plain(v)) for k, v in row.items()} for row in rows
                ]
    return out


def _first_difference(got: dict[str, Any], want: dict[str, Any]) -> str | None:
    for table in sorted(set(got) | set(want)):
        a, b = got.get(table, []), want.get(table, [])
        if len(a) != len(b):
            return f"{table}: {len(a)} rows written, {len(b)} expected"
        for i, (ra, rb) in enumerate(zip(a, b, strict=True)):
            # columns added to the schema after the capture (e.g. 0016's distribution keys) are
            # not part of the characterisation; every column it has must match
            ra = {k: v for k, v in ra.items() if k in rb}
            if ra != rb:
                keys = sorted(k for k in set(ra) | set(rb) if k not in ra or k not in rb or ra[k] != rb[k])
                return f"{table} row {i}: " + "; ".join(f"{k}: {ra.get(k)!r} != {rb.get(k)!r}" for k in keys)
    return None


@pytest.fixture
def fresh_rt(database_url: str) -> Iterator[Runtime]:
    """A database of its own, as migrated: the shared one keeps the policy versions other tests
    published (and their audit links), which would move every link of the scenario's chains."""
    if database_url.startswith("postgres"):
        server = os.environ["PEIFU_TEST_DATABASE_URL"]
        for url in _postgres_database(server):
            rt = Runtime(Settings(database_url=url, sandbox=False), clock=ManualClock(START))
            yield rt
            rt.close()
    else:
        with tempfile.TemporaryDirectory() as tmp:
            rt = Runtime(Settings(database_url=f"sqlite:///{tmp}/hot-path.db", sandbox=False), clock=ManualClock(START))
            yield rt
            rt.close()


def test_single_door_writes_the_characterised_rows(fresh_rt: Runtime) -> None:
    rt = fresh_rt
    assert isinstance(rt.clock, ManualClock)
    scenario(rt, rt.clock)
    got = json.loads(json.dumps(dump(rt), ensure_ascii=False, sort_keys=True))
    path = GOLDEN / "hot_path_rows.json"  # the same rows on SQLite and PostgreSQL
    if os.environ.get("PEIFU_UPDATE_GOLDEN") or not path.exists():
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(json.dumps(got, ensure_ascii=False, sort_keys=True, indent=1) + "\n", encoding="utf-8")
    want = json.loads(path.read_text(encoding="utf-8"))
    assert _first_difference(got, want) is None, _first_difference(got, want)
    assert {"cases", "case_events", "ledger_entries", "audit_links", "outbox", "metric_cases"} <= set(got)
