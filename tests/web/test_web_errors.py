"""Refusals on the pages speak the page's language, and so does text translated in Python.

Every code the services (or the web layer) raise has a zh-CN sentence in
peifu.adapters.web.error_text: the codes are collected by scanning src/peifu, so a new code
without a Chinese sentence fails here.
"""

from __future__ import annotations

import ast
import re
import string
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import pytest
from fastapi import Depends
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient

import peifu
from peifu.adapters.runtime import Runtime
from peifu.adapters.web import error_text, i18n
from peifu.domain import errors
from peifu.domain.errors import Conflict, DomainError, Ineligible
from tests.web_support import World, build, login

HTMX = {"HX-Request": "true"}
SRC = Path(peifu.__file__).parent
ERROR_CLASSES = {"DomainError"} | {
    name for name, value in vars(errors).items() if isinstance(value, type) and issubclass(value, DomainError)
}
CJK = re.compile(r"[\u4e00-\u9fff]")


def raised_codes() -> dict[str, list[set[str]]]:
    """Every error code raised in src/peifu → the detail keywords each raise site passes."""
    sites: dict[str, list[set[str]]] = defaultdict(list)
    templated: list[tuple[Path, str]] = []  # f"{what}_not_found"
    party_whats: set[str] = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name == "check_party":
                party_whats |= {
                    k.value.value for k in node.keywords if k.arg == "what" and isinstance(k.value, ast.Constant)
                }
            if name not in ERROR_CLASSES and name != "Refusal":  # a lifecycle table's refusal is raised as is
                continue
            code = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "code"), None)
            keywords = {k.arg for k in node.keywords if k.arg and k.arg not in ("code", "message")}
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                sites[code.value].append(keywords)
            else:
                templated.append((path, ast.unparse(code) if code else "?"))
    for path, code in templated:
        if path.name == "lifecycle.py" and code == "self.code":  # Refusal.error: the codes its tables name
            continue
        # the one templated code: domain/actors.check_party's f"{what}_not_found", for each `what` passed
        assert code == "f'{what}_not_found'", f"{path}: a code that cannot be read from the source: {code}"
        for what in party_whats:
            sites[f"{what}_not_found"].append(set())
    return sites


def test_every_code_raised_has_a_chinese_sentence() -> None:
    sites = raised_codes()
    assert len(sites) > 80  # the scan sees the whole engine
    missing = sorted(set(sites) - set(error_text.ZH_CN))
    assert not missing, f"codes without a zh-CN sentence in adapters/web/error_text.py: {missing}"
    stale = sorted(set(error_text.ZH_CN) - set(sites))
    assert not stale, f"sentences for codes nothing raises any more: {stale}"
    for code, text in {**error_text.ZH_CN, **error_text.ZH_CN_WITH_VALUES}.items():
        assert CJK.search(text), (code, text)
    # a sentence with values names only values some raise site of its code really passes
    for code, template in error_text.ZH_CN_WITH_VALUES.items():
        assert code in error_text.ZH_CN, code  # and has a generic sentence for sites without them
        fields = {field for _, field, _, _ in string.Formatter().parse(template) if field}
        assert any(fields <= keywords for keywords in sites[code]), (code, fields, sites[code])


def test_values_go_into_the_chinese_sentence_and_unknown_codes_stay_english() -> None:
    refusal = Conflict("amount_exceeds_refundable", "At most 9900 fen can be refunded.", refundable_fen=9900)
    assert error_text.message_for(refusal, "zh_CN") == "最多可退 ¥99.00（已付金额减去已退款和其他进行中的申请）。"
    assert error_text.message_for(refusal, "en") == "At most 9900 fen can be refunded."
    # UTC stored, Shanghai shown; an ISO string works as well as a datetime
    deadline = datetime(2026, 11, 26, 16, 30, tzinfo=UTC)
    for value in (deadline, deadline.isoformat()):
        late = Ineligible("not_late", "The seller has until ... to ship.", ship_deadline=value)
        assert "2026-11-27 00:30" in error_text.message_for(late, "zh_CN")
    # a raise site without the values (or with one that does not format) gets the generic sentence
    assert error_text.message_for(Ineligible("not_late", "x"), "zh_CN") == error_text.ZH_CN["not_late"]
    odd = Ineligible("not_late", "x", ship_deadline="unknown")
    assert error_text.message_for(odd, "zh_CN") == error_text.ZH_CN["not_late"]
    assert error_text.message_for(Conflict("no_such_code_yet", "Plain English."), "zh_CN") == "Plain English."


@pytest.fixture
def world(rt: Runtime) -> World:
    return build(rt)


def test_a_refused_buyer_request_is_said_in_chinese_and_in_english_on_request(web: TestClient, world: World) -> None:
    login(web, "wang")
    form = {"case_type": "refund_only", "reason": "ordered_by_mistake", "line_no": "1", "amount": "500"}
    english = "can be refunded at most 9900 fen"
    zh = web.post("/buyer/orders/W-PLAIN/request", data=form, headers=HTMX)
    assert zh.headers["HX-Retarget"] == "#flash" and 'data-code="amount_exceeds_refundable"' in zh.text
    assert "最多可退 ¥99.00" in zh.text and english not in zh.text
    page = web.post("/buyer/orders/W-PLAIN/request", data=form)  # without htmx: the form again, with the banner
    assert page.status_code == 422 and "最多可退 ¥99.00" in page.text and english not in page.text
    en = web.post("/buyer/orders/W-PLAIN/request?lang=en", data=form, headers=HTMX)
    assert 'data-code="amount_exceeds_refundable"' in en.text and english in en.text and "最多可退" not in en.text
    en_page = web.post("/buyer/orders/W-PLAIN/request?lang=en", data=form)
    assert en_page.status_code == 422 and english in en_page.text


def test_a_refused_seller_move_is_said_in_chinese_and_in_english_on_request(web: TestClient, world: World) -> None:
    login(web, "xiaomi-staff")
    agree_again = f"/seller/cases/{world.refunded_case}/act/agree"
    zh = web.post(agree_again, data={"view": "row"}, headers=HTMX)
    assert 'data-code="action_not_allowed"' in zh.text and error_text.ZH_CN["action_not_allowed"] in zh.text
    assert "is not possible while the case is" not in zh.text
    en = web.post(f"{agree_again}?lang=en", data={"view": "row"}, headers=HTMX)
    assert 'data-code="action_not_allowed"' in en.text and "is not possible while the case is" in en.text
    # a refusal page (no htmx), in each language; the language cookie set by ?lang=en carries on
    web.cookies.delete("peifu_lang")
    foreign = web.get(f"/seller/cases/{world.disputed_case}")  # shop-lining's case
    assert foreign.status_code == 404 and error_text.ZH_CN["case_not_found"] in foreign.text
    foreign_en = web.get(f"/seller/cases/{world.disputed_case}?lang=en")
    assert foreign_en.status_code == 404 and "No such case." in foreign_en.text
    assert "No such case." in web.get(f"/seller/cases/{world.disputed_case}").text  # the cookie now says en


def test_the_login_refusal_follows_the_language(web: TestClient, world: World) -> None:
    wrong = {"username": "wang", "password": "not-the-password"}
    assert "用户名或密码错误。" in web.post("/login", data=wrong).text
    assert "Wrong user name or password." in web.post("/login?lang=en", data=wrong).text


def _word_in_a_dependency() -> str:  # a sync dependency, like page_actor: runs in a worker thread
    return i18n.gettext("Refund")


def _probe(seen: Annotated[str, Depends(_word_in_a_dependency)]) -> PlainTextResponse:  # another worker thread
    return PlainTextResponse(f"{seen}|{i18n.gettext('Refund')}")


def test_text_translated_in_python_follows_the_chosen_language(web: TestClient, world: World) -> None:
    """The language is chosen once per request, before sync dependencies and handlers run in
    their worker threads: text a handler translates itself follows ?lang=, the cookie and
    Accept-Language without the handler choosing the language again."""
    app = web.app
    app.add_api_route("/_probe/words", _probe, methods=["GET"])  # type: ignore[attr-defined]
    assert web.get("/_probe/words").text == "退款|退款"
    assert web.get("/_probe/words?lang=en").text == "Refund|Refund"
    assert web.get("/_probe/words", headers={"Accept-Language": "en-US,en;q=0.9"}).text == "Refund|Refund"
    web.cookies.set("peifu_lang", "en")
    assert web.get("/_probe/words").text == "Refund|Refund"
    assert web.get("/_probe/words?lang=zh").text == "退款|退款"
    web.cookies.delete("peifu_lang")
    # a real page: the buyer console's notice after rating is translated in the handler
    login(web, "li")
    rated = web.post(f"/buyer/cases/{world.refunded_case}/rating?lang=en", data={"score": "4"}, headers=HTMX)
    assert rated.status_code == 200 and "Thank you for your rating." in rated.text and "感谢您的评价" not in rated.text
    assert i18n.current_locale.get() == i18n.DEFAULT_LOCALE  # the request's choice did not leak out
