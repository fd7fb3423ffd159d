"""The consoles in a real browser: Playwright for Python driving Debian's Chromium (/usr/bin/chromium,
no browser download) against a real uvicorn server on a free port.

One flow, all through the pages: a buyer opens a request, the seller refuses, the buyer escalates,
the agent rules, the buyer sees the refund. Along the way a screenshot of each console is saved
under test-output/screenshots/ (zh-CN, one in English, one at phone width).

The server runs in a thread of this process on the test database (a SQLite file, or PostgreSQL
when PEIFU_TEST_DATABASE_URL says so) with the tests' manual clock, so nothing waits on real time.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from peifu.adapters.api.app import create_app
from peifu.adapters.runtime import Runtime
from peifu.db.models import Case, Dispute, LedgerTransaction
from peifu.domain.actors import Actor
from peifu.domain.clock import ManualClock
from peifu.domain.vocabulary import CaseAction, CaseType, OrderEventKind, Reason, Role
from peifu.services import accounts, auth, complaints, dashboard, metrics, orders
from peifu.services import cases as case_service
from peifu.services.inputs import CaseIn, CaseLineIn, ComplaintIn, OrderEventIn, OrderIn

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
PASSWORD = "peifu-demo"
ORDER = "BROWSER-0001"
TIMEOUT_MS = 30_000  # Chromium is slow on a busy 2-core machine

pytestmark = pytest.mark.slow

if not os.path.exists(CHROMIUM):  # pragma: no cover - depends on the machine
    pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM}", allow_module_level=True)
pytest.importorskip("playwright.sync_api")

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _order(
    rt: Runtime, order_id: str, shop: tuple[str, str, str], buyer: str, price: int, *events: OrderEventKind
) -> None:
    shop_id, name, category = shop
    with rt.uow() as ctx:
        orders.ingest_order(
            ctx,
            OrderIn.model_validate(
                {
                    "id": order_id,
                    "shop": {"id": shop_id, "name": name, "category": category},
                    "buyer": {"id": buyer, "name": "王小明", "phone": "13800138000"},
                    "lines": [
                        {
                            "sku": "SKU-1",
                            "title": TITLES[category],
                            "category": category,
                            "unit_price_fen": price,
                            "quantity": 1,
                        }
                    ],
                    "free_shipping": True,
                }
            ),
        )
    for kind in events:
        extra = {"courier": "SF", "tracking_no": f"SF{order_id}"} if kind is OrderEventKind.shipped else {}
        with rt.uow() as ctx:
            orders.record_event(ctx, order_id, OrderEventIn(kind=kind, **extra))


LINING = ("shop-lining", "李宁官方旗舰店", "shoes")
ANTA = ("shop-anta", "安踏官方旗舰店", "shoes")
XIAOMI = ("shop-xiaomi", "小米官方旗舰店", "electronics")
TITLES = {"shoes": "超轻跑步鞋 42码", "electronics": "智能手环 8"}


def _seed(rt: Runtime) -> None:
    """The demo log-ins, the order the flow is about, and a week of other trade for the dashboard."""
    clock = rt.clock
    assert isinstance(clock, ManualClock)
    with rt.uow() as ctx:
        for login, role, party in [
            ("buyer-wang", "buyer", "buyer-wang"),
            ("shop-lining-staff", "seller", "shop-lining"),
            ("xiaoer-01", "agent", None),
            ("admin", "admin", None),
        ]:
            auth.create_user(ctx.session, login, role, PASSWORD, ctx.now(), party_id=party, display_name=login)
    for day in range(6):
        for n, (shop, price) in enumerate([(LINING, 29900), (ANTA, 19900), (XIAOMI, 24900)]):
            order_id = f"BG-{day}{n}"
            _order(rt, order_id, shop, "buyer-li", price, OrderEventKind.paid)
            if (day + n) % 3 == 0:  # a third of them are refunded a few hours later
                reason = Reason.out_of_stock if (day, n) == (1, 2) else Reason.ordered_by_mistake
                with rt.uow() as ctx:
                    body = CaseIn(
                        order_id=order_id,
                        lines=[CaseLineIn(line_no=1)],
                        case_type=CaseType.refund_only,
                        reason=reason,
                        description="",
                    )
                    case_id = case_service.open_case(ctx, body, Actor(Role.buyer, "buyer-li")).id
                clock.advance(timedelta(hours=2 + day + n))
                with rt.uow() as ctx:
                    case_service.act(ctx, case_id, CaseAction.agree, Actor(Role.seller, shop[0]))
        clock.advance(timedelta(hours=20))
    delivered = (OrderEventKind.paid, OrderEventKind.shipped, OrderEventKind.signed, OrderEventKind.confirmed)
    _order(rt, "BG-INVOICE", LINING, "buyer-li", 29900, *delivered)
    with rt.uow() as ctx:
        complaint = ComplaintIn(
            order_id="BG-INVOICE", violation="invoice_refused", description="卖家拒开发票，要求我承担税点"
        )
        complaints.file(ctx, Actor(Role.buyer, "buyer-li"), complaint)
    with rt.uow() as ctx:
        accounts.top_up(ctx, "shop-lining", 300_000)
        accounts.top_up(ctx, "shop-anta", 150_000)
        accounts.top_up(ctx, "shop-xiaomi", 80_000)
        accounts.fund_top_up(ctx, 5_000_000)
    _order(rt, ORDER, LINING, "buyer-wang", 39900, OrderEventKind.paid)
    for kind in (OrderEventKind.shipped, OrderEventKind.signed):
        clock.advance(timedelta(hours=20))
        _order_event(rt, kind)
    clock.advance(timedelta(hours=5))


def _order_event(rt: Runtime, kind: OrderEventKind) -> None:
    extra = {"courier": "SF", "tracking_no": "SF1234567890"} if kind is OrderEventKind.shipped else {}
    with rt.uow() as ctx:
        orders.record_event(ctx, ORDER, OrderEventIn(kind=kind, **extra))


@pytest.fixture
def server(rt: Runtime) -> Iterator[str]:
    import uvicorn

    _seed(rt)
    port = _free_port()
    config = uvicorn.Config(create_app(rt), host="127.0.0.1", port=port, log_config=None, access_log=False)
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


# What the browser refused under the pages' Content Security Policy (console errors), per page.
CSP_REFUSALS: list[str] = []


def _login(browser: Browser, base: str, user: str, **context: Any) -> Page:
    ctx = browser.new_context(base_url=base, locale="zh-CN", **context)
    ctx.set_default_timeout(TIMEOUT_MS)
    page = ctx.new_page()
    page.on(
        "console",
        lambda msg: (
            CSP_REFUSALS.append(f"{user} {page.url}: {msg.text}") if "Content Security Policy" in msg.text else None
        ),
    )
    page.on("dialog", lambda dialog: dialog.accept())  # hx-confirm asks before rulings and escalations
    page.goto("/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/login" not in page.url, f"{user} could not log in"
    return page


def _shot(page: Page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_request_refuse_escalate_rule_refund_in_the_browser(rt: Runtime, server: str, browser: Browser) -> None:
    expect.set_options(timeout=TIMEOUT_MS)

    # 1. the buyer opens a request from the order page
    buyer = _login(browser, server, "buyer-wang", viewport={"width": 1280, "height": 900})
    assert buyer.url.endswith("/buyer")
    expect(buyer.locator(f'[data-testid=order-row][data-order-id="{ORDER}"]')).to_be_visible()
    _shot(buyer, "buyer-orders-zh")
    buyer.click(f'[data-testid=order-row][data-order-id="{ORDER}"] [data-testid=order-link]')
    expect(buyer.get_by_test_id("request-form")).to_be_visible()
    buyer.get_by_test_id("description").fill("鞋子穿了一天鞋底就开胶了，质量太差")
    hint = buyer.get_by_test_id("triage-hint")  # htmx asks for a suggestion as the buyer types
    expect(hint).to_be_visible()
    buyer.get_by_test_id("use-triage-hint").click()  # bound in static/peifu.js, not inline
    expect(buyer.get_by_test_id("reason")).to_have_value(hint.get_attribute("data-reason") or "?")
    buyer.get_by_test_id("case-type").select_option("refund_only")
    buyer.get_by_test_id("reason").select_option("quality_problem")
    buyer.get_by_test_id("open-request").click()
    case_view = buyer.get_by_test_id("case")
    expect(case_view).to_have_attribute("data-state", "requested")
    case_id = int(case_view.get_attribute("data-case-id") or 0)
    assert case_id
    expect(buyer.get_by_test_id("countdown").first).to_have_text(re.compile(r"\d+:\d\d:\d\d"))  # live countdown

    # 2. the seller refuses it from the workbench
    seller = _login(browser, server, "shop-lining-staff", viewport={"width": 1280, "height": 900})
    row = seller.locator(f'[data-testid=case-row][data-case-id="{case_id}"]')
    expect(row).to_be_visible()
    _shot(seller, "seller-workbench-zh")
    seller.get_by_test_id("select-all").check()
    expect(row.get_by_test_id("select-case")).to_be_checked()
    seller.get_by_test_id("select-all").uncheck()
    expect(row.get_by_test_id("select-case")).not_to_be_checked()
    row.get_by_test_id("refuse").click()
    row.get_by_test_id("refuse-reason").fill("出库前已质检，无质量问题")
    row.get_by_test_id("refuse-submit").click()
    expect(seller.locator(f'[data-testid=case-row][data-case-id="{case_id}"]')).to_have_attribute(
        "data-state", "refused"
    )

    seller.goto("/seller/metrics")  # its chart is drawn by static/metrics.js
    expect(seller.get_by_test_id("metric-chart").locator("canvas")).to_have_count(1)

    # 3. the buyer asks the platform to step in
    buyer.goto(f"/buyer/cases/{case_id}")
    expect(buyer.get_by_test_id("case")).to_have_attribute("data-state", "refused")
    buyer.get_by_test_id("escalate").click()
    expect(buyer.get_by_test_id("case")).to_have_attribute("data-state", "in_intervention")

    # 4. the agent finds it in the queue and rules for the buyer (refund only, seller liable)
    agent = _login(browser, server, "xiaoer-01", viewport={"width": 1280, "height": 900})
    assert agent.url.endswith("/agent")
    with rt.uow() as ctx:
        dispute = ctx.session.scalars(select(Dispute).where(Dispute.case_id == case_id)).one()
        dispute_id = dispute.id
    expect(agent.locator(f'[data-testid=dispute-row][data-dispute="{dispute_id}"]')).to_be_visible()
    _shot(agent, "agent-queue-zh")
    agent.get_by_test_id(f"open-dispute-{dispute_id}").click()
    expect(agent.get_by_test_id("case-file")).to_be_visible()
    expect(agent.get_by_test_id("burden-of-proof")).to_contain_text("商品存在所述问题")
    expect(agent.get_by_test_id("guidance")).to_contain_text("卖家无凭证拒绝")
    _shot(agent, "agent-case-file-zh")
    agent.get_by_test_id("outcome-support_buyer").check()
    agent.get_by_test_id("ruling-case-type").select_option("refund_only")
    agent.get_by_test_id("ruling-liable").select_option("seller")
    agent.get_by_test_id("ruling-reasoning").fill("卖家未能举证商品合格，支持买家仅退款。")
    agent.get_by_test_id("ruling-submit").click()
    expect(agent.get_by_test_id("dispute-status")).to_have_attribute("data-status", "ruled")
    expect(agent.locator('[data-testid=ledger-row][data-kind="refund"]')).to_be_visible()

    agent.goto("/agent/complaints")
    expect(agent.get_by_test_id("complaint-row")).to_have_count(1)
    _shot(agent, "agent-complaints-zh")

    # 5. the buyer sees the refund
    buyer.goto(f"/buyer/cases/{case_id}")
    expect(buyer.get_by_test_id("case")).to_have_attribute("data-state", "refunded")
    expect(buyer.get_by_test_id("refunded")).to_contain_text("399.00")
    _shot(buyer, "buyer-case-refunded-zh")

    # what the pages did is what the engine did
    with rt.uow() as ctx:
        case = ctx.session.get(Case, case_id)
        assert case is not None and case.state == "refunded"
        kinds = [
            t.kind for t in ctx.session.scalars(select(LedgerTransaction).where(LedgerTransaction.case_id == case_id))
        ]
        assert kinds == ["refund"]
        ruled = ctx.session.get(Dispute, dispute_id)
        assert ruled is not None and ruled.rulings[-1].agent_id == "xiaoer-01"

    # the dashboard (zh-CN and English), with its ECharts drawn from the vendored file
    admin = _login(browser, server, "admin", viewport={"width": 1280, "height": 900})
    assert admin.url.endswith("/dashboard")
    expect(admin.locator("body[data-charts-ready='true']")).to_have_count(1)
    for chart in ("rates", "resolution", "categories", "compensation", "deposits"):  # every chart has data
        expect(admin.locator(f"#chart-{chart} svg")).to_have_count(1)
    with rt.uow() as ctx:
        window = metrics.window_for(ctx, days=30, start=None, end=None)
        paid = sum(d.paid_orders for d in dashboard.daily(ctx, window))
    assert paid == 20
    expect(admin.get_by_test_id("kpi-paid")).to_have_text(str(paid))
    expect(admin.get_by_test_id("kpi-fund")).to_have_text("¥50,000.00")
    _shot(admin, "dashboard-zh")
    admin.goto("/dashboard?lang=en")
    expect(admin.locator("h1")).to_have_text("Platform dashboard")
    expect(admin.locator("body[data-charts-ready='true']")).to_have_count(1)
    _shot(admin, "dashboard-en")
    admin.set_viewport_size({"width": 390, "height": 844})
    admin.goto("/dashboard")
    expect(admin.locator("body[data-charts-ready='true']")).to_have_count(1)
    assert admin.evaluate("document.documentElement.scrollWidth") <= 400, "the dashboard scrolls sideways on a phone"
    _shot(admin, "dashboard-phone")

    # the agent's case file at phone width
    phone = _login(browser, server, "xiaoer-01", viewport={"width": 390, "height": 844}, is_mobile=True)
    phone.goto(f"/agent/disputes/{dispute_id}")
    expect(phone.get_by_test_id("case-file")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the case file scrolls sideways on a phone ({width}px)"
    _shot(phone, "agent-case-file-phone")

    # the public rules page takes its styles from a file
    phone.goto("/policy")
    assert phone.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor") == "rgb(255, 80, 0)"

    # every page worked under the Content Security Policy: the browser refused nothing
    assert not CSP_REFUSALS, "\n".join(CSP_REFUSALS)
