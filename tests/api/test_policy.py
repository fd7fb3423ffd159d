"""The policy catalogue: a file that is validated key by key, stored per version, never changed
under a version, disclosed in plain words — and a case is always judged under the version in
force when it was opened.

Here: through the HTTP API on a real database (the rules alone: tests/domain/test_policy.py).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from peifu.adapters.runtime import Runtime
from peifu.domain.clock import ManualClock
from peifu.domain.money import format_yuan
from peifu.domain.policy import PolicyError
from peifu.services import policies
from peifu.services.deadlines import run_due
from peifu.settings import Settings
from tests import builders
from tests.conftest import START, as_buyer, as_seller
from tests.domain.test_policy import DEFAULT, TEXT, edit

API = "/api/v1"


NEW_VERSION = "test-policy-2026.2-short-response"


def test_a_bad_policy_file_stops_the_runtime(tmp_path: Path, database_url: str, rt: Runtime) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(edit("seller_response_hours = { value = 72", "seller_response_hours = { value = -72"))
    with pytest.raises(PolicyError) as refused:
        Runtime(Settings(database_url=database_url, policy_file=str(path)), clock=ManualClock(START), migrate=False)
    assert refused.value.key == "deadlines.seller_response_hours.value"


def test_a_changed_file_under_the_same_version_is_refused(rt: Runtime) -> None:
    changed = edit("seller_response_hours = { value = 72", "seller_response_hours = { value = 48")
    with rt.uow() as ctx, pytest.raises(PolicyError) as refused:
        policies.activate(ctx.session, changed, ctx.now())
    assert refused.value.key == "version"
    assert "tmall-2026.2" in str(refused.value)
    # the same text again is fine: activation is idempotent
    with rt.uow() as ctx:
        book = policies.activate(ctx.session, TEXT, ctx.now())
        assert book.current == DEFAULT
        assert book.get(ctx.session, DEFAULT.version) == DEFAULT


def test_an_unknown_version_is_not_found(client: TestClient) -> None:
    answer = client.get(f"{API}/policy", params={"version": "no-such-version"})
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "policy_version_not_found"


def new_version_text() -> str:
    text = edit('version = "tmall-2026.2"', f'version = "{NEW_VERSION}"')
    text = edit("seller_response_hours = { value = 72", "seller_response_hours = { value = 24", text)
    return edit(
        'percent = { value = 30, source = "seed 003: 卖家缺货',
        'percent = { value = 50, source = "seed 003: 卖家缺货',
        text,
    )


@pytest.fixture
def new_policy(rt: Runtime) -> Iterator[policies.PolicyBook]:
    """Puts NEW_VERSION in force (24 h to answer, out_of_stock 50%) for one test."""
    old = rt.policies
    with rt.uow() as ctx:
        book = policies.activate(ctx.session, new_version_text(), ctx.now())
    try:
        yield book
    finally:
        rt.policies = old


def _open_out_of_stock(client: TestClient, order_id: str) -> dict[str, Any]:
    """A paid order and an out-of-stock refund of line 1, as the API shows it."""
    builders.order(client, order_id)
    return builders.opened_case(client, order_id, reason="out_of_stock")


def _case(client: TestClient, case_id: int) -> dict[str, Any]:
    return dict(client.get(f"{API}/cases/{case_id}").json())


def _due(case: dict[str, Any]) -> str:
    (deadline,) = case["deadlines"]
    assert deadline["kind"] == "seller_response"
    return str(deadline["due_at"]["utc"])


def test_a_case_is_judged_under_the_version_it_was_opened_under(
    rt: Runtime, client: TestClient, clock: ManualClock, new_policy: policies.PolicyBook
) -> None:
    old_case = _open_out_of_stock(client, "OLD")
    assert old_case["policy_version"] == DEFAULT.version
    assert _due(old_case).startswith("2026-11-14T02:00:00")  # START + 72 h

    clock.advance(timedelta(hours=1))
    rt.policies = new_policy
    assert client.get("/healthz").json()["policy_version"] == NEW_VERSION
    new_case = _open_out_of_stock(client, "NEW")
    assert new_case["policy_version"] == NEW_VERSION
    assert _due(new_case).startswith("2026-11-12T03:00:00")  # START + 1 h + 24 h
    assert client.get(f"{API}/orders/NEW").json()["policy_version"] == NEW_VERSION

    # the old case still gets 72 h, even when its clock restarts under the new version's reign
    assert _due(_case(client, old_case["id"])).startswith("2026-11-14T02:00:00")
    clock.advance(timedelta(hours=1))
    modified = client.post(f"{API}/cases/{old_case['id']}/modify", json={"description": "还是要退"}, headers=as_buyer())
    assert modified.status_code == 200, modified.text
    assert _due(modified.json()).startswith("2026-11-14T04:00:00")  # START + 2 h + 72 h

    # 24 h in: only the new case has been auto-agreed, with the new version's 50%
    clock.set(START + timedelta(hours=25))
    assert run_due(rt, owner="test").fired == 1
    new_after = _case(client, new_case["id"])
    assert new_after["state"] == "refunded"
    (comp,) = new_after["money"]["compensations"]
    assert (comp["amount_fen"], comp["policy_version"]) == (19_950, NEW_VERSION)
    assert _case(client, old_case["id"])["state"] == "requested"

    # 72 h after its restart the old case is auto-agreed, compensated under the old version's 30%
    clock.set(START + timedelta(hours=74) - timedelta(seconds=1))
    assert run_due(rt, owner="test").fired == 0
    clock.advance(timedelta(seconds=1))
    assert run_due(rt, owner="test").fired == 1
    old_after = _case(client, old_case["id"])
    assert old_after["state"] == "refunded"
    (comp,) = old_after["money"]["compensations"]
    assert (comp["amount_fen"], comp["policy_version"]) == (11_970, DEFAULT.version)
    assert "30%" in comp["basis"]
    assert {t["policy_version"] for t in old_after["money"]["transactions"]} == {DEFAULT.version}


def test_an_explicit_answer_on_an_old_case_uses_the_old_numbers(
    rt: Runtime, client: TestClient, new_policy: policies.PolicyBook
) -> None:
    old_case = _open_out_of_stock(client, "OLD")
    rt.policies = new_policy
    agreed = client.post(f"{API}/cases/{old_case['id']}/agree", headers=as_seller())
    assert agreed.status_code == 200, agreed.text
    (comp,) = agreed.json()["money"]["compensations"]
    assert (comp["amount_fen"], comp["policy_version"]) == (11_970, DEFAULT.version)


def test_the_api_discloses_the_version_in_force_and_older_ones(
    rt: Runtime, client: TestClient, new_policy: policies.PolicyBook
) -> None:
    rt.policies = new_policy
    current = client.get(f"{API}/policy").json()
    assert (current["version"], current["in_force"]) == (NEW_VERSION, True)
    rules = {r["key"]: r for r in current["rules"]}
    assert rules["deadlines.seller_response_hours"]["value"] == 24
    assert "24 小时" in rules["deadlines.seller_response_hours"]["zh"]
    old = client.get(f"{API}/policy", params={"version": DEFAULT.version}).json()
    assert (old["version"], old["in_force"]) == (DEFAULT.version, False)
    assert {r["key"]: r for r in old["rules"]}["deadlines.seller_response_hours"]["value"] == 72


def _leaves(node: Any, prefix: str = "") -> dict[str, tuple[Any, str]]:
    """Every `{ value, source }` rule of the TOML file by dotted key; sanctions by their name."""
    found: dict[str, tuple[Any, str]] = {}
    if isinstance(node, dict):
        if "value" in node and "source" in node:
            return {prefix: (node["value"], node["source"])}
        for key, child in node.items():
            found.update(_leaves(child, f"{prefix}.{key}" if prefix else key))
    elif isinstance(node, list):
        for step in node:
            count = step.get("threshold") or step["misses"]  # service_complaints.sanctions count missed steps
            found[f"{prefix}.{step['sanction']}"] = (count["value"], count["source"])
    return found


CJK = re.compile(r"[\u4e00-\u9fff]")


def test_get_policy_lists_every_number_with_zh_en_and_source(client: TestClient) -> None:
    answer = client.get(f"{API}/policy")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["version"], body["name_zh"], body["name_en"], body["in_force"]) == (
        DEFAULT.version,
        DEFAULT.name_zh,
        DEFAULT.name_en,
        True,
    )
    expected = _leaves(tomllib.loads(TEXT))
    assert len(expected) > 40
    got = {r["key"]: r for r in body["rules"]}
    assert len(got) == len(body["rules"]), "a key is listed twice"
    assert set(got) == set(expected)
    for key, (value, source) in expected.items():
        rule = got[key]
        assert rule["value"] == value, key
        assert rule["source"] == source, key
        assert rule["section"] != "其他 Other", f"{key} has no sentence of its own"
        assert CJK.search(rule["zh"]), key
        assert not CJK.search(rule["en"]), key
        if isinstance(value, int):
            for text in (rule["zh"], rule["en"]):
                assert str(value) in text or format_yuan(value) in text, (key, text)
    # the file's order is kept: the page reads like the file
    assert [r["key"] for r in body["rules"]][:3] == [
        "order.ship_deadline_hours",
        "order.promotion_ship_deadline_hours",
        "order.auto_confirm_days",
    ]


def test_money_is_shown_in_yuan(client: TestClient) -> None:
    rules = {r["key"]: r for r in client.get(f"{API}/policy").json()["rules"]}
    assert "¥500.00" in rules["compensation.late_shipment.cap_fen"]["zh"]
    assert "¥500.00" in rules["compensation.late_shipment.cap_fen"]["en"]
    assert "¥1,000.00" in rules["compensation.counterfeit.food_min_fen"]["en"]
    assert "平台积分" in rules["compensation.out_of_stock.payout_method"]["zh"]


def test_policy_page_is_chinese_by_default_and_english_on_request(client: TestClient) -> None:
    zh = client.get("/policy")
    assert zh.status_code == 200
    assert zh.headers["content-type"].startswith("text/html")
    page = zh.text
    assert '<html lang="zh-CN">' in page
    assert DEFAULT.name_zh in page
    assert "卖家 72 小时内未处理退款申请，视为同意。" in page
    assert "延迟发货赔付每件最高 ¥500.00。" in page
    assert "依据" in page and "现行有效" in page
    assert "seed 003: 上限500元" in page  # sources are shown as written
    assert "A seller silent for" not in page

    en = client.get("/policy", params={"lang": "en"})
    assert en.status_code == 200
    page = en.text
    assert '<html lang="en">' in page
    assert DEFAULT.name_en in page
    assert "A seller silent for 72 hours is deemed to agree." in page
    assert "Late shipment compensation is at most ¥500.00 per line." in page
    assert "Source" in page and "in force" in page
    assert "视为同意" not in page

    assert client.get("/policy", params={"lang": "fr"}).status_code == 422


def test_policy_page_for_an_older_version(rt: Runtime, client: TestClient, new_policy: policies.PolicyBook) -> None:
    rt.policies = new_policy
    page = client.get("/policy", params={"lang": "en", "version": DEFAULT.version}).text
    assert "A seller silent for 72 hours is deemed to agree." in page
    assert "· in force</span>" not in page  # the version badge does not claim it
    current = client.get("/policy", params={"lang": "en"}).text
    assert "A seller silent for 24 hours is deemed to agree." in current
    assert "· in force</span>" in current
