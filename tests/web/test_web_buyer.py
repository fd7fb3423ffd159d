"""The buyer console, through the pages with a real login (session cookie): a buyer sees only
their own orders and cases, opens a request through the form (with photos), acts on the case,
rates the outcome and files a rule complaint — all through the same services as the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from peifu.adapters.runtime import Runtime
from peifu.db.models import Case, CaseAttachment, Complaint, Evidence, SatisfactionRating
from peifu.domain.actors import Actor
from peifu.domain.clock import ManualClock
from peifu.domain.vocabulary import CaseAction, CaseType, OrderEventKind, Reason, Role
from peifu.services import auth
from peifu.services.inputs import RefuseIn
from tests import builders
from tests.conftest import as_buyer
from tests.web_support import _open

PASSWORD = "buyer-console-password"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 128
HTMX = {"HX-Request": "true"}
WANG, LI, SHOP = "buyer-wang", "buyer-li", "shop-lining"


@dataclass
class World:
    wang_open: int  # a refund request of wang's, still with the seller
    wang_refused: int  # a quality request of wang's the seller refused (escalation possible at once)
    wang_refunded: int  # a refund of wang's, agreed and refunded (final)
    li_case: int  # someone else's request


def _order(rt: Runtime, order_id: str, buyer: str, *events: OrderEventKind, price: int = 39900) -> None:
    """A pair of shoes from the shop, free shipping; its events two hours apart."""
    line = {"sku": "RUN", "title": "跑步鞋", "category": "shoes", "unit_price_fen": price, "quantity": 1}
    builders.order(
        rt,
        order_id,
        upto="awaiting_payment",
        shop=SHOP,
        shop_name="李宁官方旗舰店",
        buyer=buyer,
        buyer_name=f"买家 {buyer}",
        phone="13800138000",
        lines=[line],
        free_shipping=True,
    )
    clock = rt.clock
    assert isinstance(clock, ManualClock)
    for kind in events:
        clock.advance(timedelta(hours=2))
        builders.order_events(rt, order_id, kind)


def build(rt: Runtime) -> World:
    with rt.uow() as ctx:
        for login, role, party in [("wang", "buyer", WANG), ("li", "buyer", LI), ("staff", "seller", SHOP)]:
            auth.create_user(ctx.session, login, role, PASSWORD, ctx.now(), party_id=party)
    delivered = (OrderEventKind.paid, OrderEventKind.shipped, OrderEventKind.signed)
    seller = Actor(Role.seller, SHOP)
    _order(rt, "W-PAID", WANG, OrderEventKind.paid)
    _order(rt, "W-OPEN", WANG, OrderEventKind.paid)
    wang_open = _open(rt, "W-OPEN", WANG, CaseType.refund_only, Reason.ordered_by_mistake, "拍错了尺码")
    _order(rt, "W-QUALITY", WANG, *delivered)
    wang_refused = _open(rt, "W-QUALITY", WANG, CaseType.refund_only, Reason.not_as_described, "颜色和图片不一样")
    builders.act(rt, wang_refused, CaseAction.refuse, seller, RefuseIn(reason="出库前已质检，颜色无误"))
    _order(rt, "W-DONE", WANG, OrderEventKind.paid)
    wang_refunded = _open(rt, "W-DONE", WANG, CaseType.refund_only, Reason.no_longer_wanted, "不想要了")
    builders.act(rt, wang_refunded, CaseAction.agree, seller)
    _order(rt, "L-SECRET", LI, OrderEventKind.paid)
    li_case = _open(rt, "L-SECRET", LI, CaseType.refund_only, Reason.ordered_by_mistake, "李华的秘密描述")
    return World(wang_open, wang_refused, wang_refunded, li_case)


@pytest.fixture
def world(rt: Runtime) -> World:
    return build(rt)


def login(client: TestClient, user: str) -> None:
    client.cookies.clear()
    resp = client.post("/login", data={"username": user, "password": PASSWORD})
    assert resp.status_code == 303, resp.text
    assert client.cookies.get("peifu_session")


def case_row(rt: Runtime, case_id: int) -> Case:
    with rt.uow() as ctx:
        case = ctx.session.get(Case, case_id)
        assert case is not None
        ctx.session.expunge(case)
        return case


def count(rt: Runtime, model: type) -> int:
    with rt.uow() as ctx:
        return int(ctx.session.scalar(select(func.count()).select_from(model)) or 0)


# --- seeing only one's own ----------------------------------------------------------------------------


def test_the_buyer_sees_only_their_own_orders(web: TestClient, world: World) -> None:
    login(web, "wang")
    assert web.get("/").headers["location"] == "/buyer"
    page = web.get("/buyer")
    assert page.status_code == 200
    for order_id in ("W-PAID", "W-OPEN", "W-QUALITY", "W-DONE"):
        assert f'data-order-id="{order_id}"' in page.text
    assert "L-SECRET" not in page.text and "李华" not in page.text
    assert f'data-case-id="{world.wang_open}"' in page.text
    assert 'data-testid="countdown"' in web.get(f"/buyer/cases/{world.wang_open}").text


def test_another_buyers_order_and_case_are_404_and_untouched(web: TestClient, rt: Runtime, world: World) -> None:
    login(web, "wang")
    for url in ("/buyer/orders/L-SECRET", f"/buyer/cases/{world.li_case}"):
        resp = web.get(url)
        assert resp.status_code == 404, url
        assert "李华的秘密描述" not in resp.text and "L-SECRET" not in resp.text.replace(url, "")
    missing = web.get("/buyer/cases/999999")
    assert missing.status_code == 404
    assert 'data-code="case_not_found"' in missing.text
    for action in ("withdraw", "escalate"):
        resp = web.post(f"/buyer/cases/{world.li_case}/act/{action}", headers=HTMX)
        assert 'data-code="case_not_found"' in resp.text
    resp = web.post(f"/buyer/cases/{world.li_case}/act/withdraw")
    assert resp.status_code == 404
    resp = web.post("/buyer/orders/L-SECRET/request", data={"case_type": "refund_only", "reason": "other"})
    assert resp.status_code == 404 and 'data-code="order_not_found"' in resp.text
    resp = web.post(f"/buyer/cases/{world.li_case}/rating", data={"score": "1"}, headers=HTMX)
    assert 'data-code="case_not_found"' in resp.text
    assert case_row(rt, world.li_case).state == "requested"
    assert count(rt, SatisfactionRating) == 0


def test_a_seller_cannot_use_the_buyer_console(web: TestClient, world: World) -> None:
    login(web, "staff")
    assert web.get("/").headers["location"] == "/seller"
    resp = web.get("/buyer")
    assert resp.status_code == 403 and 'data-code="actor_not_allowed"' in resp.text
    resp = web.post(f"/buyer/cases/{world.wang_open}/act/withdraw")
    assert resp.status_code == 403


def test_pages_need_a_login(web: TestClient, world: World) -> None:
    for url in ("/buyer", f"/buyer/cases/{world.wang_open}", "/buyer/orders/W-PAID"):
        resp = web.get(url)
        assert resp.status_code == 303 and resp.headers["location"].startswith("/login")
    resp = web.post(f"/buyer/cases/{world.wang_open}/act/withdraw")
    assert resp.status_code == 303
    assert web.get("/buyer", headers=as_buyer(WANG)).status_code == 303  # pages take the cookie only


# --- opening a request --------------------------------------------------------------------------------


def test_the_buyer_opens_a_request_with_photos_through_the_form(web: TestClient, rt: Runtime, world: World) -> None:
    login(web, "wang")
    page = web.get("/buyer/orders/W-PAID")
    assert 'data-testid="open-request"' in page.text and 'data-testid="request-form"' in page.text
    resp = web.post(
        "/buyer/orders/W-PAID/request",
        data={
            "case_type": "refund_only",
            "reason": "ordered_by_mistake",
            "line_no": "1",
            "amount": "123.45",
            "description": "拍错了颜色",
        },
        files=[("photos", ("front.png", PNG, "image/png")), ("photos", ("back.png", PNG + b"b", "image/png"))],
    )
    assert resp.status_code == 303, resp.text
    case_id = int(resp.headers["location"].rsplit("/", 1)[1])
    case = case_row(rt, case_id)
    assert (case.order_id, case.buyer_id, case.state, case.case_type) == ("W-PAID", WANG, "requested", "refund_only")
    with rt.uow() as ctx:
        amount = ctx.session.get(Case, case_id).refund_amount_fen  # type: ignore[union-attr]
        files = list(ctx.session.scalars(select(CaseAttachment).where(CaseAttachment.case_id == case_id)))
    assert amount == 12345
    assert sorted(a.filename or "" for a in files) == ["back.png", "front.png"]

    page = web.get(f"/buyer/cases/{case_id}")
    assert page.status_code == 200
    assert 'data-fen="12345"' in page.text and "¥123.45" in page.text
    assert 'data-testid="attachments"' in page.text
    photo = web.get(f"/buyer/attachments/{files[0].id}")
    assert photo.status_code == 200 and photo.content.startswith(b"\x89PNG")
    login(web, "li")
    assert web.get(f"/buyer/attachments/{files[0].id}").status_code == 404


def test_htmx_request_redirects_to_the_new_case(web: TestClient, rt: Runtime, world: World) -> None:
    login(web, "wang")
    resp = web.post(
        "/buyer/orders/W-PAID/request",
        data={"case_type": "refund_only", "reason": "ordered_by_mistake", "line_no": "1", "amount": ""},
        headers=HTMX,
    )
    assert resp.status_code == 200 and resp.headers["HX-Redirect"].startswith("/buyer/cases/")
    case_id = int(resp.headers["HX-Redirect"].rsplit("/", 1)[1])
    with rt.uow() as ctx:
        assert ctx.session.get(Case, case_id).refund_amount_fen == 39900  # type: ignore[union-attr]


def test_an_ineligible_request_shows_the_apis_code_and_sentence(
    web: TestClient, client: TestClient, rt: Runtime, world: World
) -> None:
    before = count(rt, Case)
    api = client.post(
        "/api/v1/cases",
        json={
            "order_id": "W-PAID",
            "lines": [{"line_no": 1, "refund_amount_fen": 50000}],
            "case_type": "refund_only",
            "reason": "ordered_by_mistake",
        },
        headers=as_buyer(WANG),
    )
    assert api.status_code == 422
    error = api.json()["error"]
    login(web, "wang")
    form = {"case_type": "refund_only", "reason": "ordered_by_mistake", "line_no": "1", "amount": "500"}
    english = {"Accept-Language": "en"}  # the API's sentence is English; zh pages say it in Chinese
    htmx = web.post("/buyer/orders/W-PAID/request", data=form, headers={**HTMX, **english})
    assert htmx.status_code == 200 and htmx.headers["HX-Retarget"] == "#flash"
    assert f'data-code="{error["code"]}"' in htmx.text and error["message"] in htmx.text
    plain = web.post("/buyer/orders/W-PAID/request", data=form, headers=english)
    assert plain.status_code == 422 and error["message"] in plain.text
    assert 'value="500"' in plain.text  # the form keeps what was typed
    for amount, code in [("12.345", "amount_invalid"), ("-1", "amount_invalid"), ("abc", "amount_invalid")]:
        resp = web.post("/buyer/orders/W-PAID/request", data={**form, "amount": amount}, headers=HTMX)
        assert f'data-code="{code}"' in resp.text, amount
    resp = web.post("/buyer/orders/W-PAID/request", data={**form, "amount": "", "reason": "bogus"}, headers=HTMX)
    assert 'data-code="validation_error"' in resp.text
    resp = web.post(
        "/buyer/orders/W-PAID/request",
        data={**form, "amount": ""},
        files=[("photos", ("virus.exe", b"MZ", "application/x-msdownload"))],
        headers=HTMX,
    )
    assert 'data-code="unsupported_media_type"' in resp.text
    assert count(rt, Case) == before  # nothing was opened, not even with the photo refused after the case
    assert count(rt, CaseAttachment) == 0


# --- acting on the case -------------------------------------------------------------------------------


def test_the_buyer_withdraws_with_htmx(web: TestClient, rt: Runtime, world: World) -> None:
    login(web, "wang")
    page = web.get(f"/buyer/cases/{world.wang_open}")
    assert 'data-testid="withdraw"' in page.text
    assert 'data-testid="escalate"' not in page.text  # the wait for intervention has not passed
    resp = web.post(f"/buyer/cases/{world.wang_open}/act/withdraw", data={"note": "不需要了"}, headers=HTMX)
    assert resp.status_code == 200
    assert resp.text.lstrip().startswith('<div id="flash" hx-swap-oob="true">')
    assert 'data-state="withdrawn"' in resp.text and 'data-testid="rating-form"' in resp.text
    assert case_row(rt, world.wang_open).state == "withdrawn"
    again = web.post(f"/buyer/cases/{world.wang_open}/act/withdraw", headers=HTMX)
    assert 'data-code="action_not_allowed"' in again.text and again.headers["HX-Retarget"] == "#flash"


def test_the_buyer_escalates_a_refusal_and_the_photos_go_to_the_dispute(
    web: TestClient, rt: Runtime, world: World
) -> None:
    login(web, "wang")
    upload = web.post(
        f"/buyer/cases/{world.wang_refused}/evidence",
        data={"kind": "image"},
        files={"file": ("colour.png", PNG + b"colour", "image/png")},
        headers=HTMX,
    )
    assert upload.status_code == 200 and 'data-testid="attachments"' in upload.text
    page = web.get(f"/buyer/cases/{world.wang_refused}")
    assert 'data-testid="escalate"' in page.text and 'data-testid="complaint-link"' in page.text
    resp = web.post(f"/buyer/cases/{world.wang_refused}/act/escalate", data={"note": "颜色明显不符"}, headers=HTMX)
    assert resp.status_code == 200 and 'data-state="in_intervention"' in resp.text
    assert 'data-testid="dispute"' in resp.text and 'data-kind="evidence_due"' in resp.text
    with rt.uow() as ctx:
        carried = list(ctx.session.scalars(select(Evidence).where(Evidence.party == "buyer")))
    assert [e.filename for e in carried] == ["colour.png"]
    statement = web.post(
        f"/buyer/cases/{world.wang_refused}/evidence", data={"text": "与商品详情页对比图见附件"}, headers=HTMX
    )
    assert statement.status_code == 200 and "与商品详情页对比图见附件" in statement.text
    assert case_row(rt, world.wang_refused).state == "in_intervention"


def test_ship_the_return_and_modify(web: TestClient, rt: Runtime, world: World) -> None:
    seller = Actor(Role.seller, SHOP)
    _order(rt, "W-RET", WANG, OrderEventKind.paid, OrderEventKind.shipped, OrderEventKind.signed)
    case_id = _open(rt, "W-RET", WANG, CaseType.return_and_refund, Reason.seven_day_no_reason, "不喜欢")
    login(web, "wang")
    modified = web.post(f"/buyer/cases/{case_id}/act/modify", data={"amount": "300"}, headers=HTMX)
    assert 'data-fen="30000"' in modified.text
    builders.act(rt, case_id, CaseAction.agree, seller)
    page = web.get(f"/buyer/cases/{case_id}")
    assert 'data-testid="ship-return"' in page.text
    bad = web.post(f"/buyer/cases/{case_id}/act/ship-return", data={"courier": "SF", "tracking_no": ""}, headers=HTMX)
    assert 'data-code="validation_error"' in bad.text
    resp = web.post(
        f"/buyer/cases/{case_id}/act/ship-return",
        data={"courier": "YTO", "tracking_no": "YT123456", "shipping_fee": "12"},
        headers=HTMX,
    )
    assert 'data-state="return_shipped"' in resp.text
    case = case_row(rt, case_id)
    assert (case.return_courier, case.return_tracking_no, case.return_shipping_fee_fen) == ("YTO", "YT123456", 1200)
    unknown = web.post(f"/buyer/cases/{case_id}/act/agree", headers=HTMX)
    assert 'data-code="action_not_found"' in unknown.text


# --- rating and complaints ----------------------------------------------------------------------------


def test_the_buyer_rates_a_finished_case_once_on_the_page(web: TestClient, rt: Runtime, world: World) -> None:
    login(web, "wang")
    running = web.get(f"/buyer/cases/{world.wang_open}")
    assert 'data-testid="rate-submit"' not in running.text
    early = web.post(f"/buyer/cases/{world.wang_open}/rating", data={"score": "5"}, headers=HTMX)
    assert 'data-code="case_not_final"' in early.text
    page = web.get(f"/buyer/cases/{world.wang_refunded}")
    assert 'data-testid="rate-submit"' in page.text and 'data-testid="refunded"' in page.text
    bad = web.post(f"/buyer/cases/{world.wang_refunded}/rating", data={"score": "9"}, headers=HTMX)
    assert 'data-code="rating_out_of_range"' in bad.text
    none = web.post(f"/buyer/cases/{world.wang_refunded}/rating", data={"score": ""}, headers=HTMX)
    assert 'data-code="rating_out_of_range"' in none.text
    resp = web.post(f"/buyer/cases/{world.wang_refunded}/rating", data={"score": "4", "comment": "挺快"}, headers=HTMX)
    assert resp.status_code == 200 and 'data-score="4"' in resp.text
    assert 'data-testid="rate-submit"' not in resp.text
    again = web.post(f"/buyer/cases/{world.wang_refunded}/rating", data={"score": "1"}, headers=HTMX)
    assert 'data-code="rating_exists"' in again.text
    with rt.uow() as ctx:
        rows = list(ctx.session.scalars(select(SatisfactionRating)))
    assert [(r.case_id, r.score, r.comment, r.outcome) for r in rows] == [(world.wang_refunded, 4, "挺快", "refunded")]


def test_the_buyer_files_a_rule_complaint_from_a_case(web: TestClient, rt: Runtime, world: World) -> None:
    login(web, "wang")
    page = web.get(f"/buyer/orders/W-QUALITY?case_id={world.wang_refused}")
    assert 'data-testid="file-complaint"' in page.text
    assert f'<option value="{world.wang_refused}" selected>' in page.text
    short = web.post(
        "/buyer/orders/W-QUALITY/complaint",
        data={"violation": "mismatch_affecting_use", "description": "x", "case_id": str(world.wang_refused)},
        headers=HTMX,
    )
    assert 'data-code="validation_error"' in short.text
    resp = web.post(
        "/buyer/orders/W-QUALITY/complaint",
        data={
            "violation": "mismatch_affecting_use",
            "description": "颜色与描述不符，影响使用",
            "case_id": str(world.wang_refused),
        },
    )
    assert resp.status_code == 303
    with rt.uow() as ctx:
        complaint = ctx.session.scalars(select(Complaint)).one()
        assert (complaint.order_id, complaint.case_id, complaint.status) == ("W-QUALITY", world.wang_refused, "open")
    page = web.get("/buyer/orders/W-QUALITY")
    assert 'data-testid="complaint-status"' in page.text and 'data-testid="withdraw-complaint"' in page.text
    twice = web.post(
        "/buyer/orders/W-QUALITY/complaint",
        data={"violation": "mismatch_minor", "description": "再投诉一次"},
        headers=HTMX,
    )
    assert 'data-code="complaint_exists"' in twice.text
    assert count(rt, Complaint) == 1


# --- language and phone -------------------------------------------------------------------------------


def test_chinese_by_default_and_english_on_request(web: TestClient, world: World) -> None:
    login(web, "wang")
    zh = web.get(f"/buyer/cases/{world.wang_refused}")
    assert "我的订单" in zh.text and "申请平台介入" in zh.text and "卖家拒绝" in zh.text
    en = web.get(f"/buyer/cases/{world.wang_refused}?lang=en")
    assert "My orders" in en.text and "Ask the platform to step in" in en.text and "Seller refused" in en.text
    assert "申请平台介入" not in en.text
    assert web.cookies.get("peifu_lang") == "en"
    assert "My orders" in web.get("/buyer").text  # the choice sticks
    assert 'name="viewport"' in en.text


def test_purging_personal_data_takes_the_photos_and_the_rating_comment(
    web: TestClient, rt: Runtime, world: World
) -> None:
    from peifu.db.models import EvidenceBlob
    from peifu.services import privacy

    login(web, "wang")
    resp = web.post(
        "/buyer/orders/W-PAID/request",
        data={"case_type": "refund_only", "reason": "ordered_by_mistake", "line_no": "1"},
        files=[("photos", ("me.png", PNG + b"me", "image/png"))],
    )
    case_id = int(resp.headers["location"].rsplit("/", 1)[1])
    assert web.post(f"/buyer/cases/{case_id}/act/withdraw").status_code == 303
    assert (
        web.post(f"/buyer/cases/{case_id}/rating", data={"score": "2", "comment": "我的手机 13800138000"}).status_code
        == 303
    )
    clock = rt.clock
    assert isinstance(clock, ManualClock)
    clock.advance(timedelta(days=400))
    with rt.uow() as ctx:
        privacy.purge(ctx, retention_days=365)
    with rt.uow() as ctx:
        assert ctx.session.scalars(select(CaseAttachment).where(CaseAttachment.case_id == case_id)).first() is None
        rating = ctx.session.scalars(select(SatisfactionRating).where(SatisfactionRating.case_id == case_id)).one()
        assert (rating.score, rating.comment) == (2, "")
        assert ctx.session.scalars(select(EvidenceBlob)).first() is None
