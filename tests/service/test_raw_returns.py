"""The return flow's raw paths (services.raw_returns) write what the single door's ORM path writes.

Each example builds the same situation twice, as twin orders A-… and B-…, and takes each twin's
case through the same steps of the return flow — the seller's agreement, the buyer's ship-return,
the return signed for, the seller's confirmation — step for step in turns, through `cases.act`:
B as it is (the raw paths where they apply), A with the raw paths switched off (the ORM way only).
Then every row either way is compared, ids in their place (tests/service/test_batch_refunds.py's
snapshot: cases, timelines, order lines, orders and their events, ledger, payouts, deadlines,
metric rows, domain events, balances), and the cases' versions and audit links (kind and row,
in chain order); and the audit chain verifies. A step one way refuses, the other refuses too, with
the same error. tests/service/test_hot_path_rows.py holds the same moves to the golden rows.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from peifu.adapters.runtime import Runtime
from peifu.db.models import AuditLink, Case, Deadline
from peifu.domain.actors import SYSTEM, Actor
from peifu.domain.errors import DomainError
from peifu.domain.vocabulary import CaseAction, CaseType, DeadlineKind, OrderEventKind, Reason, Role
from peifu.services import audit, cases, deadlines, metrics, orders, raw_returns
from peifu.services.inputs import (
    AgreeIn,
    CaseIn,
    CaseLineIn,
    OrderEventIn,
    OrderIn,
    ProposeIn,
    ShipmentIn,
    SignedIn,
)
from tests.service.test_batch_refunds import _row_counts, assert_same, snapshot

COUNTER = itertools.count()

situation = st.fixed_dictionaries(
    {
        "case_type": st.sampled_from([CaseType.return_and_refund, CaseType.exchange, CaseType.repair]),
        "reason": st.sampled_from([Reason.seven_day_no_reason, Reason.quality_problem, Reason.not_as_described]),
        "delivered": st.booleans(),  # signed for (post-delivery) or only shipped
        "shipping": st.sampled_from(["free", "fee"]),
        "price": st.integers(1, 50_000),
        "part": st.sampled_from([None, 2]),  # the whole line, or half of it
        "note": st.sampled_from(["", "同意退货"]),
        "return_fee": st.sampled_from([0, 1200]),
        "signer": st.sampled_from([Role.platform, Role.courier]),
        "signed_late": st.sampled_from([None, -1, 1]),  # hours after shipping back the parcel is reported signed
        "proposal": st.booleans(),  # the seller proposes first (the agreement clears it)
        "abusive": st.booleans(),
        "steps": st.sampled_from([1, 3, 4, 4]),
    }
)


def _order(rt: Runtime, order_id: str, shop: str, s: dict[str, Any]) -> None:
    body = {
        "id": order_id,
        "shop": {"id": shop, "name": "孪生店", "category": "shoes"},
        "buyer": {"id": f"{shop}-buyer"},
        "lines": [{"sku": "SKU-1", "title": "商品", "category": "shoes", "unit_price_fen": s["price"], "quantity": 1}],
        "free_shipping": s["shipping"] == "free",
        "shipping_fee_fen": 800 if s["shipping"] == "fee" else 0,
    }
    with rt.uow() as ctx:
        orders.ingest_order(ctx, OrderIn.model_validate(body))
        orders.record_event(ctx, order_id, OrderEventIn(kind=OrderEventKind.paid))
        shipped = {"kind": "shipped", "courier": "SF", "tracking_no": "SF" + order_id.split("-", 1)[1].replace("-", "")}
        orders.record_event(ctx, order_id, OrderEventIn.model_validate(shipped))
        if s["delivered"]:
            orders.record_event(ctx, order_id, OrderEventIn(kind=OrderEventKind.signed))


def _open(rt: Runtime, order_id: str, shop: str, s: dict[str, Any]) -> int | None:
    amount = None if s["part"] is None or not s["case_type"].moves_money else max(1, s["price"] // s["part"])
    body = CaseIn(
        order_id=order_id,
        lines=[CaseLineIn(line_no=1, refund_amount_fen=amount)],
        case_type=s["case_type"],
        reason=s["reason"],
    )
    try:
        with rt.uow() as ctx:
            case_id = cases.open_case(ctx, body, Actor(Role.buyer, f"{shop}-buyer")).id
    except DomainError:
        return None
    if s["abusive"]:
        with rt.uow() as ctx:
            metrics.mark_abusive(ctx, case_id, Actor(Role.agent, "xiaoer-1"), note="职业索赔")
    if s["proposal"]:
        try:
            with rt.uow() as ctx:
                cases.act(
                    ctx,
                    case_id,
                    CaseAction.propose,
                    Actor(Role.seller, shop),
                    ProposeIn(reason=Reason.other, note="换个方案"),
                )
        except DomainError:
            pass  # refused for the twin too
    return case_id


def _steps(rt: Runtime, shop: str, s: dict[str, Any]) -> list[tuple[CaseAction, Actor, Any]]:
    seller, buyer = Actor(Role.seller, shop), Actor(Role.buyer, f"{shop}-buyer")
    signed = None if s["signed_late"] is None else SignedIn(at=rt.clock.now() + timedelta(hours=s["signed_late"]))
    return [
        (CaseAction.agree, seller, AgreeIn(note=s["note"]) if s["note"] else None),
        (CaseAction.ship_return, buyer, ShipmentIn(courier="SF", tracking_no="R1", shipping_fee_fen=s["return_fee"])),
        (CaseAction.return_signed, Actor(s["signer"], "sf-express"), signed),
        (CaseAction.confirm_return, SYSTEM if s.get("by_deadline") else seller, None),
    ][: s["steps"]]


def _take(rt: Runtime, case_id: int, step: tuple[CaseAction, Actor, Any]) -> str | None:
    action, actor, body = step
    try:
        with rt.uow() as ctx:
            if actor.role is Role.system:  # the seller's silence: the deadline worker confirms
                due = ctx.session.scalars(
                    select(Deadline).where(Deadline.case_id == case_id, Deadline.status == "pending")
                ).all()
                assert [d.kind for d in due] == [DeadlineKind.seller_confirm_return]
                due[0].lease_owner = "w"
                ctx.session.flush()
                assert deadlines.fire_one(ctx, due[0].id, "w") is not None
                return None
            cases.act(ctx, case_id, action, actor, body)
    except DomainError as exc:
        return exc.code
    return None


def _audit_links(rt: Runtime, case_id: int) -> list[tuple[str, str]]:
    """The case's audit links in chain order, as (kind, row) with the case's id in its place."""
    with rt.uow() as ctx:
        chain = audit.chain_of(f"case:{case_id}")
        links = ctx.session.scalars(select(AuditLink).where(AuditLink.chain == chain).order_by(AuditLink.seq))
        mine = [(link.kind, link.ref) for link in links if link.ref.split(":")[0] == str(case_id)]
    return [(kind, ref.replace(str(case_id), "C", 1)) for kind, ref in mine if kind != "ledger"]


def _twins(rt: Runtime, s: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    run = next(COUNTER)
    opened: dict[str, int | None] = {}
    for twin in ("A", "B"):
        shop = f"{twin}-shop{run}"
        _order(rt, f"{twin}-{run}-0", shop, s)
        opened[twin] = _open(rt, f"{twin}-{run}-0", shop, s)
    assert (opened["A"] is None) == (opened["B"] is None)
    if opened["A"] is not None and opened["B"] is not None:
        rt.clock.advance(timedelta(hours=1))  # type: ignore[attr-defined]
        steps = {twin: _steps(rt, f"{twin}-shop{run}", s) for twin in ("A", "B")}
        fast: Callable[..., Any] = raw_returns.act_one
        for n in range(s["steps"]):
            if n == 3 and s.get("by_deadline"):
                rt.clock.advance(timedelta(days=30))  # type: ignore[attr-defined]
            counts = _row_counts(rt)
            got_b = _take(rt, opened["B"], steps["B"][n])
            middle = _row_counts(rt)
            raw_returns.act_one = lambda *args, **kwargs: None  # type: ignore[assignment]  # the ORM path only
            try:
                got_a = _take(rt, opened["A"], steps["A"][n])
            finally:
                raw_returns.act_one = fast  # type: ignore[assignment]
            after = _row_counts(rt)
            assert got_a == got_b, f"step {n}: the ORM path answered {got_a}, the raw path {got_b}"
            # the same tables written, the same number of rows, step for step
            assert {t: middle[t] - counts[t] for t in counts} == {t: after[t] - middle[t] for t in counts}, n
            rt.clock.advance(timedelta(hours=2))  # type: ignore[attr-defined]
    with rt.uow() as ctx:
        a = snapshot(ctx.session, f"A-{run}")
        b = snapshot(ctx.session, f"B-{run}")
        versions = {
            twin: ctx.session.scalar(select(Case.version).where(Case.id == opened[twin]))
            for twin in ("A", "B")
            if opened[twin] is not None
        }
    assert versions.get("A") == versions.get("B")
    if opened["A"] is not None and opened["B"] is not None:
        assert a["cases"] and a["events"], "the snapshot holds the twins' rows"
        assert _audit_links(rt, opened["A"]) == _audit_links(rt, opened["B"])
    for shot, twin in ((a, "A"), (b, "B")):
        text = repr(shot).replace(f"{twin}-shop{run}", "SHOP").replace(f"X-shop{run}", "SHOP")
        shot.clear()
        shot["all"] = text
    return a, b


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(s=situation)
def test_the_return_flows_raw_paths_write_what_the_orm_path_writes(rt: Runtime, s: dict[str, Any]) -> None:
    a, b = _twins(rt, s)
    assert_same(a, b)
    with rt.uow() as ctx:
        assert audit.verify(ctx.session) is None


def test_medusa_benchs_flow_takes_the_raw_paths(rt: Runtime, monkeypatch: Any) -> None:
    """The benchmarked flow (benchmarks/medusa_bench.py): its plain moves are written by the raw
    paths, not handed back to the ORM path — and end as the ORM path ends them (above)."""
    taken: list[str] = []
    act_one = raw_returns.act_one

    def counting(ctx: Any, case_id: int, action: CaseAction, *args: Any) -> Any:
        written = act_one(ctx, case_id, action, *args)
        if written is not None:
            taken.append(str(action))
        return written

    monkeypatch.setattr(raw_returns, "act_one", counting)
    s = {
        "case_type": CaseType.return_and_refund,
        "reason": Reason.seven_day_no_reason,
        "delivered": True,
        "shipping": "free",
        "price": 39_900,
        "part": None,
        "note": "",
        "return_fee": 0,
        "signer": Role.platform,
        "signed_late": None,
        "proposal": False,
        "abusive": False,
        "steps": 4,
    }
    a, b = _twins(rt, s)
    assert_same(a, b)
    assert taken == ["agree", "ship_return", "return_signed", "confirm_return"]


@pytest.mark.parametrize(
    ("delivered", "shipping", "part", "abusive", "note"),
    [
        (True, "free", None, False, "deadline"),  # the seller stays silent: the worker confirms
        (True, "fee", None, True, ""),
        (True, "fee", 2, False, "同意退货"),
        (False, "fee", None, False, ""),  # in trade: no_longer_wanted (seven days run from delivery)
        (False, "free", 2, True, "同意退货"),  # in trade, part of it: the auto-confirm timer resumes (ORM path)
    ],
)
def test_a_confirmed_return_is_refunded_as_the_orm_path_refunds_it(
    rt: Runtime, delivered: bool, shipping: str, part: int | None, abusive: bool, note: str
) -> None:
    """The whole flow to the refund (the order closed or left open, escrow released or not, a mark
    of abuse), its confirm-return taken by the raw path (planned as batch_refunds plans a refund)."""
    s = {
        "case_type": CaseType.return_and_refund,
        "reason": Reason.seven_day_no_reason if delivered else Reason.no_longer_wanted,
        "delivered": delivered,
        "shipping": shipping,
        "price": 12_345,
        "part": part,
        "note": "" if note == "deadline" else note,
        "by_deadline": note == "deadline",
        "return_fee": 0,
        "signer": Role.courier,
        "signed_late": None,
        "proposal": False,
        "abusive": abusive,
        "steps": 4,
    }
    a, b = _twins(rt, s)
    assert_same(a, b)
    assert "'state': 'refunded'" in a["all"]
    with rt.uow() as ctx:
        assert audit.verify(ctx.session) is None
