"""The policy catalogue: a file that is validated key by key, stored per version, never changed
under a version, disclosed in plain words — and a case is always judged under the version in
force when it was opened.
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
from peifu.domain.policy import PolicyError, default_policy, default_policy_text, parse_policy
from peifu.services import policies
from peifu.services.deadlines import run_due
from peifu.settings import Settings
from tests import builders
from tests.conftest import START, as_buyer, as_seller

API = "/api/v1"
DEFAULT = default_policy()
TEXT = default_policy_text()
NEW_VERSION = "test-policy-2026.2-short-response"


def edit(old: str, new: str, text: str = TEXT) -> str:
    assert text.count(old) == 1, f"{old!r} is not unique in the policy file"
    return text.replace(old, new)


def bad_key(text: str) -> PolicyError:
    with pytest.raises(PolicyError) as refused:
        parse_policy(text)
    return refused.value


# --- validation names the bad key ---------------------------------------------------------------


def test_the_shipped_default_is_valid() -> None:
    assert DEFAULT.version == "tmall-2026.2"
    assert DEFAULT.deadlines.seller_response_hours.value == 72
    assert DEFAULT.compensation.late_shipment.cap_fen.value == 50_000


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        # a missing key
        (
            'ship_deadline_hours = { value = 72, source = "seed 003: 天猫的发货时间：普通信息72小时内发货" }\n',
            "",
            "order.ship_deadline_hours",
        ),
        ("[metrics]\n", "[metrics_renamed]\n", "metrics"),
        # a negative number, a zero where positive is needed, a percent above 100
        (
            "seller_response_hours = { value = 72",
            "seller_response_hours = { value = -1",
            "deadlines.seller_response_hours.value",
        ),
        (
            'cap_fen = { value = 50000, source = "seed 003: 上限500元" }',
            'cap_fen = { value = -50000, source = "seed 003: 上限500元" }',
            "compensation.late_shipment.cap_fen.value",
        ),
        ("evidence_days = { value = 3", "evidence_days = { value = 0", "deadlines.evidence_days.value"),
        (
            'percent = { value = 30, source = "seed 003: 未按约定',
            'percent = { value = 130, source = "seed 003: 未按约定',
            "compensation.late_shipment.percent.value",
        ),
        # an unknown payout method, payer, reason, line flag
        (
            'payout_method = { value = "points", source = "seed 003: 该违约金',
            'payout_method = { value = "cash", source = "seed 003: 该违约金',
            "compensation.late_shipment.payout_method.value",
        ),
        (
            'payer = { value = "platform"',
            'payer = { value = "courier"',
            "compensation.advance_compensation.payer.value",
        ),
        (
            'value = ["not_received", "missing_items", "wrong_item"]',
            'value = ["not_received", "lost_in_space"]',
            "compensation.advance_compensation.reasons.value.1",
        ),
        (
            'value = ["custom_made", "perishable", "digital"]',
            'value = ["custom_made", "fragile"]',
            "windows.seven_day_excluded_flags.value.1",
        ),
        # an extra key, in a section and at the top
        ("[order]\n", '[order]\nfree_lunch = { value = 1, source = "nowhere at all" }\n', "order.free_lunch"),
        ('name_en = "', 'colour = "orange"\nname_en = "', "colour"),
        # a wrong type, a rule without its source
        ("auto_confirm_days = { value = 10,", 'auto_confirm_days = { value = "ten",', "order.auto_confirm_days.value"),
        (
            'post_trade_days = { value = 15, source = "seed 003: 申请售后，即订单状态为交易成功的0-15天内，可以申请售后" }',
            "post_trade_days = { value = 15 }",
            "windows.post_trade_days.source",
        ),
        ('sanction = "promotion_ban"', 'sanction = "public_shaming"', "complaints.sanctions.1.sanction"),
    ],
)
def test_validation_names_the_bad_key(old: str, new: str, key: str) -> None:
    error = bad_key(edit(old, new))
    assert error.key == key
    assert f"'{key}'" in str(error)


def test_a_missing_version_is_named() -> None:
    error = bad_key(edit('version = "tmall-2026.2"\n', ""))
    assert error.key == "version"


def test_bad_toml_is_refused_with_the_parser_message() -> None:
    error = bad_key(TEXT + "\n[order\n")
    assert error.key is None
    assert "not valid TOML" in str(error)
    assert "line" in str(error)


def test_a_bad_policy_file_stops_the_runtime(tmp_path: Path, database_url: str, rt: Runtime) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(edit("seller_response_hours = { value = 72", "seller_response_hours = { value = -72"))
    with pytest.raises(PolicyError) as refused:
        Runtime(Settings(database_url=database_url, policy_file=str(path)), clock=ManualClock(START), migrate=False)
    assert refused.value.key == "deadlines.seller_response_hours.value"


def test_a_version_stored_before_later_rules_still_parses() -> None:
    """Versions are stored and never changed, and cases opened under one keep it: a version written
    before the rules of issue 21 (findings, rated phases, return postage, intervention) parses,
    with the seeds' reading of those rules and a source that says they were not stated."""
    older = re.sub(r"^(findings|rated_phases) = .*\n", "", TEXT, flags=re.M)
    older = re.sub(r"^\[(shipping|intervention)\]\n(.*\n)*?\n", "", older, flags=re.M)
    for key in ("findings", "rated_phases", "[shipping]", "[intervention]"):
        assert key not in older
    policy = parse_policy(older.replace(f'version = "{DEFAULT.version}"', 'version = "older-2026.1"'))
    assert policy.compensation.counterfeit.findings.value == []
    assert policy.compensation.out_of_stock.findings.value == ["seller_consent"]
    assert policy.compensation.late_shipment.findings.value == ["order_record"]
    assert policy.metrics.rated_phases.value == ["in_trade"]
    assert policy.shipping.return_postage_case_types.value == ["return_and_refund", "exchange", "repair"]
    assert policy.intervention.appeal_correction_payer.value == "platform_fund"
    assert "older policy versions did not state" in policy.compensation.counterfeit.findings.source


# --- versions are immutable ---------------------------------------------------------------------


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


# --- a new version goes into force; old cases keep theirs ---------------------------------------


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


# --- disclosure: every number, in Chinese and English, with its source ---------------------------


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
