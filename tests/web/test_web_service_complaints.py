"""售后投诉 pages: the buyer files and rates, the agent registers a phone complaint and forwards,
the shop answers with its working-day countdown — each through the same service as the API; a
shop never sees another shop's complaint."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from peifu.adapters.api.app import create_app
from peifu.adapters.runtime import Runtime
from peifu.domain.clock import ManualClock
from peifu.domain.vocabulary import OrderEventKind
from peifu.services import auth
from tests.web_support import PASSWORD, USERS, _events, _order, login


@pytest.fixture
def web(rt: Runtime) -> TestClient:
    with rt.uow() as ctx:
        for name, role, party in USERS:
            auth.create_user(ctx.session, name, role, PASSWORD, ctx.now(), party_id=party, display_name=name)
    assert isinstance(rt.clock, ManualClock)
    _order(rt, "W1", "shop-lining", "buyer-wang", "shoes", 39900)
    _events(rt, rt.clock, "W1", OrderEventKind.paid)
    return TestClient(create_app(rt), raise_server_exceptions=False)


def ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'id="svc-(\d+)"', html)]


def test_the_whole_process_in_the_pages(web: TestClient) -> None:
    login(web, "wang")
    page = web.get("/buyer/service-complaints")
    assert page.status_code == 200 and "售后投诉" in page.text and "W1" in page.text
    r = web.post(
        "/buyer/service-complaints",
        data={"order_id": "W1", "channel": "online", "description": "客服一直不回复"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    [cid] = ids(web.get("/buyer/service-complaints").text)

    login(web, "lining-staff")
    assert ids(web.get("/seller/service-complaints").text) == []  # not forwarded yet

    login(web, "xiaoer-01")
    queue = web.get("/agent/service-complaints?state=filed").text
    assert ids(queue) == [cid] and "分诊建议分类" in queue
    act = f"/agent/service-complaints/{cid}/act"
    assert web.post(act, data={"action": "register", "category": "service"}, follow_redirects=False).status_code == 303
    assert web.post(act, data={"action": "forward"}, follow_redirects=False).status_code == 303

    login(web, "lining-staff")
    page = web.get("/seller/service-complaints").text
    assert ids(page) == [cid] and "个工作日" in page and 'data-testid="svc-stats"' in page
    act = f"/seller/service-complaints/{cid}/act"
    assert web.post(act, data={"action": "contact", "note": "已致电"}, follow_redirects=False).status_code == 303
    r = web.post(
        act,
        data={"action": "propose_remedy", "remedy": "补发配件", "promised_by": "2026-11-13T18:00"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert web.post(act, data={"action": "report_done", "result": "已补发"}, follow_redirects=False).status_code == 303

    login(web, "xiaomi-staff")
    assert ids(web.get("/seller/service-complaints").text) == []
    r = web.post(f"/seller/service-complaints/{cid}/act", data={"action": "contact"}, follow_redirects=False)
    assert r.status_code == 404

    login(web, "wang")
    r = web.post(f"/buyer/service-complaints/{cid}/act", data={"action": "rate", "rating": "5"}, follow_redirects=False)
    assert r.status_code == 303
    assert 'data-state="closed"' in web.get("/buyer/service-complaints").text


def test_an_agent_enters_a_phone_complaint_and_bad_input_is_a_banner(web: TestClient) -> None:
    login(web, "xiaoer-01")
    r = web.post(
        "/agent/service-complaints",
        data={
            "buyer_id": "buyer-wang",
            "order_id": "W1",
            "channel": "phone",
            "category": "quality",
            "description": "来电",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = web.get("/agent/service-complaints?lang=en").text
    assert "Phone" in page and "Registered" in page
    r = web.post("/agent/service-complaints", data={"channel": "phone", "description": "x"})
    assert r.status_code == 422 and "buyer_required" in r.text
    login(web, "wang")
    assert web.get("/agent/service-complaints").status_code == 403


def test_the_dashboard_lists_the_shops_complained_about(web: TestClient) -> None:
    login(web, "wang")
    web.post("/buyer/service-complaints", data={"order_id": "W1", "channel": "chat", "description": "态度差"})
    login(web, "boss")
    data = web.get("/dashboard/data.json").json()
    [row] = data["service_complaints"]
    assert (row["shop_id"], row["complaints"], row["per_1000_orders"]) == ("shop-lining", 1, 1000.0)
    assert web.get("/dashboard").status_code == 200
