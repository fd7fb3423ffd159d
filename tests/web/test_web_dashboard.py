"""The platform dashboard with a real admin log-in: every figure it shows matches the services
(metrics, ledger, compensation), the charts are fed from the vendored ECharts and the same JSON,
and nobody but the platform opens it."""

from __future__ import annotations

import json
import re
from datetime import UTC, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from peifu.adapters.runtime import Runtime
from peifu.db.models import Compensation, MetricCase
from peifu.domain import metrics as rules
from peifu.domain.actors import Actor
from peifu.domain.clock import ManualClock
from peifu.domain.money import format_yuan
from peifu.domain.vocabulary import CaseAction, CaseType, OrderEventKind, Reason, Role
from peifu.services import accounts, disputes, metrics
from peifu.services.inputs import RulingIn
from tests import builders
from tests.web_support import World, _events, _open, _order, build, login


@pytest.fixture
def world(rt: Runtime) -> World:
    world = build(rt)
    clock = rt.clock
    assert isinstance(clock, ManualClock)
    # money: deposits (one shop short of one), the fund, and a compensation paid on an agreed refund
    with rt.uow() as ctx:
        accounts.top_up(ctx, "shop-lining", 200_000)
        accounts.top_up(ctx, "shop-xiaomi", 50_000)
        accounts.fund_top_up(ctx, 1_000_000)
    _order(rt, "W-STOCK", "shop-xiaomi", "buyer-wang", "electronics", 24900)
    _events(rt, clock, "W-STOCK", OrderEventKind.paid)
    stock = _open(rt, "W-STOCK", "buyer-wang", CaseType.refund_only, Reason.out_of_stock, "卖家说没货了")
    builders.act(rt, stock, CaseAction.agree, Actor(Role.seller, "shop-xiaomi"))
    # the dispute is ruled against the seller a day later: it counts in the dispute rate
    clock.advance(timedelta(days=1))
    with rt.uow() as ctx:
        body = RulingIn(outcome="support_buyer", liable_party="seller", reasoning="卖家无凭证", case_type=None)
        disputes.rule(ctx, world.dispute_id, Actor(Role.agent, "xiaoer-01"), body)
    return world


def test_the_figures_match_the_services(rt: Runtime, world: World, web: TestClient) -> None:
    login(web, "boss")
    data = web.get("/dashboard/data.json").json()
    with rt.uow() as ctx:
        window = metrics.window_for(ctx, days=30, start=None, end=None)
        reports = {c: metrics.category_metrics(ctx, c, window) for c in metrics.all_categories(ctx.session)}
        money = {s: accounts.shop_money(ctx, s) for s in ("shop-lining", "shop-xiaomi")}
        fund = accounts.fund_balance(ctx)
        paid = ctx.session.execute(
            select(
                Compensation.rule, Compensation.payout_method, func.count(), func.sum(Compensation.amount_fen)
            ).group_by(Compensation.rule, Compensation.payout_method)
        ).all()
    assert data["window"] == {"start": window.start.isoformat(), "end": window.end.isoformat(), "days": 30}

    # by category: the pooled counts of each category's ranking
    assert {c["category"] for c in data["categories"]} == set(reports) == {"shoes", "electronics"}
    for row in data["categories"]:
        totals = reports[row["category"]].totals
        values = rules.values_of(totals)
        assert row["paid_orders"] == totals.paid_orders
        assert row["refund_rate"] == pytest.approx(values[rules.MetricName.refund_rate], abs=1e-6)
        assert row["dispute_rate"] == pytest.approx(values[rules.MetricName.dispute_rate], abs=1e-6)
        assert row["shops"] == len(reports[row["category"]].shops)
    shoes = next(c for c in data["categories"] if c["category"] == "shoes")
    assert (shoes["paid_orders"], shoes["refund_rate"], shoes["dispute_rate"]) == (2, 1.0, 0.5)  # by hand
    # platform totals = the categories added up; the days add up to the same
    assert data["totals"]["paid_orders"] == sum(r.totals.paid_orders for r in reports.values()) == 5
    assert data["totals"]["refund_orders"] == 4 and data["totals"]["lost_dispute_orders"] == 1
    assert data["totals"]["refund_rate"] == pytest.approx(4 / 5)
    assert sum(d["paid_orders"] for d in data["daily"]) == 5
    assert sum(d["lost_dispute_orders"] for d in data["daily"]) == 1
    assert len(data["daily"]) == 30 and data["daily"][-1]["day"] == window.end.isoformat()
    resolved = sum(d["resolved"] for d in data["daily"])
    assert resolved == sum(r.totals.resolved for r in reports.values()) == 3

    # each day's resolution times: the median and p90 of the cases resolved that day (as domain.metrics computes them)
    with rt.uow() as ctx:
        times: dict[str, list[int]] = {}
        for at, seconds in ctx.session.execute(
            select(MetricCase.resolved_at, MetricCase.resolution_seconds).where(MetricCase.resolved_at.is_not(None))
        ):
            assert at is not None and seconds is not None
            times.setdefault(at.astimezone(UTC).date().isoformat(), []).append(seconds)
    assert {d["day"]: d["resolved"] for d in data["daily"] if d["resolved"]} == {k: len(v) for k, v in times.items()}
    for d in data["daily"]:
        if d["resolved"]:
            assert d["resolution_time_median"] == pytest.approx(rules.median(times[d["day"]]), abs=1e-6)
            assert d["resolution_time_p90"] == pytest.approx(rules.p90(times[d["day"]]), abs=1e-6)

    # the worst shops: the ones with figures, worst of each category first
    assert {w["shop_id"] for w in data["worst_shops"]} == {"shop-lining", "shop-xiaomi"}

    # compensation by rule and method: the compensations table
    assert [(c["rule"], c["payout_method"], c["count"], c["amount_fen"]) for c in data["compensation"]] == [
        (rule, method, n, total) for rule, method, n, total in paid
    ]
    assert data["compensation"] and data["compensation"][0]["rule"] == "out_of_stock"
    assert data["totals"]["compensation_fen"] == sum(total for *_, total in paid)

    # balances: the ledger
    holdings = data["holdings"]
    assert holdings["platform_fund_fen"] == fund == 1_000_000
    by_shop = {s["shop_id"]: s for s in holdings["shops"]}
    for shop_id, m in money.items():
        assert (by_shop[shop_id]["deposit_fen"], by_shop[shop_id]["debt_fen"]) == (m.deposit_fen, m.debt_fen)
    assert holdings["deposits_fen"] == sum(m.deposit_fen for m in money.values())


def test_post_trade_requests_are_shown_apart_and_not_rated(rt: Runtime, world: World, web: TestClient) -> None:
    """Seed 003: 「申请售后,即订单状态为交易成功的0-15天内,可以申请售后,售后维权目前暂没有率的考核」: a request
    made after the trade completed is shown on its own line and leaves the refund rate alone."""
    clock = rt.clock
    assert isinstance(clock, ManualClock)
    _order(rt, "W-AFTER", "shop-lining", "buyer-li", "shoes", 19900)
    _events(rt, clock, "W-AFTER", OrderEventKind.paid, OrderEventKind.shipped, OrderEventKind.confirmed)
    _open(rt, "W-AFTER", "buyer-li", CaseType.refund_only, Reason.quality_problem, "用了两天就坏了")
    login(web, "boss")
    totals = web.get("/dashboard/data.json").json()["totals"]
    assert totals["rated_phases"] == ["in_trade"]
    assert (totals["paid_orders"], totals["refund_orders"], totals["post_trade_refund_orders"]) == (6, 4, 1)
    assert totals["refund_rate"] == pytest.approx(4 / 6, abs=1e-6)
    assert totals["post_trade_refund_rate"] == pytest.approx(1 / 6, abs=1e-6)
    page = web.get("/dashboard").text
    assert re.search(r'data-testid="kpi-post-trade-rate">16\.7%<', page)
    assert "不计入考核" in page and "售后维权目前暂没有率的考核" in page


def test_the_page_shows_the_same_numbers_in_tables_and_charts(rt: Runtime, world: World, web: TestClient) -> None:
    login(web, "boss")
    data = web.get("/dashboard/data.json").json()
    page = web.get("/dashboard")
    assert page.status_code == 200, page.text
    html = page.text
    assert '<script src="/static/vendor/echarts-5.6.0.min.js"' in html  # vendored, no CDN
    assert "cdn" not in html.lower()
    embedded = json.loads(re.search(r'id="dashboard-data">(.*?)</script>', html, re.S).group(1))  # type: ignore[union-attr]
    assert embedded["data"] == data
    for chart in ("chart-rates", "chart-resolution", "chart-categories", "chart-compensation", "chart-deposits"):
        assert f'id="{chart}"' in html
    kpi = dict(re.findall(r'data-testid="(kpi-[\w-]+)">([^<]*)<', html))
    assert kpi["kpi-paid"] == "5"
    assert kpi["kpi-refund-rate"] == "80.0%"
    assert kpi["kpi-fund"] == format_yuan(1_000_000)
    assert kpi["kpi-deposits"] == format_yuan(data["holdings"]["deposits_fen"])
    assert kpi["kpi-compensation"] == format_yuan(data["totals"]["compensation_fen"])
    assert re.search(r'data-category="shoes"><td>shoes</td><td class="num">1</td><td class="num">2</td>', html)
    assert 'data-rule="out_of_stock"' in html and 'data-shop="shop-lining"' in html
    assert "平台看板" in html and "退款纠纷率" in html  # zh-CN first
    english = web.get("/dashboard?lang=en&days=7")
    assert "Platform dashboard" in english.text and "Dispute rate" in english.text
    assert web.get("/dashboard/data.json?days=7").json()["window"]["days"] == 7
    assert web.get("/static/dashboard.js").status_code == 200
    assert web.get("/static/vendor/echarts-5.6.0.min.js").status_code == 200


@pytest.mark.parametrize("user", ["xiaoer-01", "wang", "lining-staff"])
def test_only_the_platform_opens_the_dashboard(world: World, web: TestClient, user: str) -> None:
    login(web, user)
    page = web.get("/dashboard")
    assert page.status_code == 403 and 'data-code="actor_not_allowed"' in page.text
    assert "¥10,000.00" not in page.text  # the fund is not shown
    data = web.get("/dashboard/data.json")
    assert data.status_code == 403 and data.json()["code"] == "actor_not_allowed"
    web.cookies.clear()
    assert web.get("/dashboard").headers["location"].startswith("/login")
