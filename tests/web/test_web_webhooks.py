"""The webhook console (seller workbench and admins) and reminders in the buyer and seller consoles."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from peifu.adapters.api.app import create_app
from peifu.adapters.runtime import Runtime
from peifu.db.models import Deadline, WebhookEndpoint
from peifu.domain.clock import ManualClock
from peifu.services import deadlines
from peifu.settings import Settings
from tests.conftest import START
from tests.web_support import build, login


@pytest.fixture
def web_rt(rt: Runtime, database_url: str) -> Iterator[Runtime]:
    """A deployment that authenticates pages for real and lets webhooks go to loopback (tests)."""
    settings = Settings(database_url=database_url, webhook_allow_private=True)
    wrt = Runtime(settings, clock=ManualClock(START), migrate=False)
    yield wrt
    wrt.close()


@pytest.fixture
def web(web_rt: Runtime) -> Iterator[TestClient]:
    build(web_rt)
    with TestClient(create_app(web_rt), raise_server_exceptions=False) as client:
        yield client


def endpoints(rt: Runtime) -> list[WebhookEndpoint]:
    with rt.uow() as ctx:
        return list(ctx.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.created_at)))


def test_a_seller_adds_an_endpoint_sees_its_secret_once_and_manages_it(web: TestClient, web_rt: Runtime) -> None:
    login(web, "lining-staff")
    page = web.get("/seller/webhooks")
    assert page.status_code == 200 and 'data-testid="hook-form"' in page.text
    assert "buyer.marked" not in page.text, "a shop cannot subscribe to the platform's own events"
    made = web.post(
        "/seller/webhooks",
        data={"url": "http://127.0.0.1:9/erp", "event_types": ["case.opened", "deadline.approaching"]},
    )
    assert made.status_code == 200
    (endpoint,) = endpoints(web_rt)
    assert (endpoint.shop_id, endpoint.event_types) == ("shop-lining", ["case.opened", "deadline.approaching"])
    assert endpoint.secret in made.text and 'data-testid="hook-secret"' in made.text
    again = web.get("/seller/webhooks")
    assert endpoint.secret not in again.text, "the secret is shown once"
    assert web.post(f"/seller/webhooks/{endpoint.id}/disable", follow_redirects=False).status_code == 303
    assert endpoints(web_rt)[0].status == "disabled"
    web.post(f"/seller/webhooks/{endpoint.id}/enable")
    rotated = web.post(f"/seller/webhooks/{endpoint.id}/rotate")
    (after,) = endpoints(web_rt)
    assert after.secret != endpoint.secret and after.secret in rotated.text
    assert web.post(f"/seller/webhooks/{endpoint.id}/replay", data={"hours": "24"}).status_code in (200, 303)


def test_another_shop_cannot_see_or_touch_the_endpoint(web: TestClient, web_rt: Runtime) -> None:
    login(web, "lining-staff")
    web.post("/seller/webhooks", data={"url": "http://127.0.0.1:9/erp"})
    (endpoint,) = endpoints(web_rt)
    login(web, "xiaomi-staff")
    assert endpoint.url not in web.get("/seller/webhooks").text
    refused = web.post(f"/seller/webhooks/{endpoint.id}/disable")
    assert refused.status_code == 404
    assert endpoints(web_rt)[0].status == "active"
    login(web, "wang")
    assert web.get("/seller/webhooks").status_code == 403


def test_a_refused_form_says_why_in_the_pages_language(web: TestClient) -> None:
    login(web, "lining-staff")
    refused = web.post("/seller/webhooks", data={"url": "ftp://example.com/x"}, headers={"HX-Request": "true"})
    assert re.search(r'data-code="url_scheme"', refused.text)
    assert "http:// 或 https://" in refused.text


def test_admins_see_every_endpoint_and_its_failures(web: TestClient, web_rt: Runtime) -> None:
    login(web, "lining-staff")
    web.post("/seller/webhooks", data={"url": "http://127.0.0.1:9/lining"})
    login(web, "boss")
    web.post("/admin/webhooks", data={"url": "http://127.0.0.1:9/platform"})
    page = web.get("/admin/webhooks")
    assert page.status_code == 200
    assert page.text.count('data-testid="hook-row"') == 2
    assert "buyer.marked" in page.text, "the platform may subscribe to every event"
    assert web.get("/seller/webhooks", follow_redirects=False).status_code in (200, 303)


def test_reminders_show_in_the_buyer_and_seller_consoles(web: TestClient, web_rt: Runtime) -> None:
    clock = web_rt.clock
    assert isinstance(clock, ManualClock)
    with web_rt.uow() as ctx:
        due = ctx.session.scalars(
            select(Deadline.due_at).where(Deadline.kind == "seller_response", Deadline.status == "pending")
        ).one()
    clock.set(due - timedelta(hours=2))
    assert deadlines.send_reminders(web_rt) >= 1
    login(web, "lining-staff")
    queue = web.get("/seller")
    assert 'data-testid="reminders"' in queue.text and 'data-kind="seller_response"' in queue.text
    assert "卖家未处理将视为同意" in queue.text
    login(web, "li")  # the buyer waits for the seller: nothing for them to do on that request
    assert 'data-kind="seller_response"' not in web.get("/buyer").text
