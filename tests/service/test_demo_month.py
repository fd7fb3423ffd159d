"""`make serve` (`peifu serve --simulate`) greets an evaluator with a month of a marketplace.

The month is the simulator's (`peifu simulate`, tests/test_simulator.py checks its workings); here a
smaller month than the demo's (the demo's 700 orders take half a minute) shows what the demo is
made of: shops across categories, a refund rate a marketplace would recognise, disputes ruled,
compensation paid, complaints, claims marked abusive — next to the scripted demo's users — and that
a second start does not simulate it again.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from peifu.adapters import demo
from peifu.adapters.runtime import Runtime
from peifu.db.models import (
    BuyerAbuseMark,
    Case,
    Compensation,
    Complaint,
    Dispute,
    Order,
    ServiceComplaint,
    Shop,
)
from peifu.services import accounts, service_complaints

pytestmark = pytest.mark.slow  # not in `make test-fast`; always in `make test`


def test_the_demo_month_looks_like_a_marketplace(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "DEMO_MONTH_ORDERS", 160)
    assert demo.seed_if_empty(rt)
    said = demo.simulate_month(rt)
    assert said is not None and "a simulated month in" in said and "refund rate" in said
    assert "abusive buyer(s) marked" in said and "service complaints" in said
    with rt.uow() as ctx:
        s = ctx.session
        categories = s.scalar(select(func.count(func.distinct(Shop.category))))
        sim_orders = s.scalar(select(func.count()).select_from(Order).where(Order.id.like("SIM%")))
        sim_cases = s.scalars(select(Case.state).where(Case.order_id.like("SIM%"))).all()
        refunded = sum(1 for state in sim_cases if state == "refunded")
        ruled = s.scalar(select(func.count()).select_from(Dispute).where(Dispute.status == "final"))
        paid = s.scalar(select(func.coalesce(func.sum(Compensation.amount_fen), 0)))
        complaints = s.scalar(select(func.count()).select_from(Complaint))
        sim_service = select(ServiceComplaint).where(ServiceComplaint.order_id.like("SIM%"))
        service = [c.state for c in s.scalars(sim_service)]
        complained = {c.shop_id for c in s.scalars(sim_service)}
        overview = {row.shop_id: row.complaints for row in service_complaints.shops_overview(ctx)}
        abusive = s.scalar(select(func.count()).select_from(Case).where(Case.abusive.is_(True)))
        marks = s.scalar(select(func.count()).select_from(BuyerAbuseMark))
        fund = accounts.fund_balance(ctx)
        deposits = [accounts.shop_money(ctx, shop).deposit_fen for shop in s.scalars(select(Shop.id)).all()]
    assert categories is not None and categories >= 7
    assert sim_orders == 160
    assert 0.05 <= refunded / sim_orders <= 0.35, refunded  # not the scripted demo's 78 %
    assert ruled and paid and complaints, (ruled, paid, complaints)
    assert marks and abusive and abusive >= marks, (marks, abusive)  # 云标签 on the busiest abusive buyers
    assert 1 <= len(service) <= 0.08 * sim_orders, service  # 售后投诉: a few per hundred orders
    assert any(state in ("closed", "dismissed") for state in service), service
    assert complained <= set(overview), (complained, overview)  # on the dashboard's statistics
    assert fund > 0 and all(d > 0 for d in deposits), (fund, deposits)  # the fund and every shop's deposit
    assert demo.simulate_month(rt) is None  # once per database
