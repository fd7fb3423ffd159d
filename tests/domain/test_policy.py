"""The policy catalogue: a file that is validated key by key, stored per version, never changed
under a version, disclosed in plain words — and a case is always judged under the version in
force when it was opened.

Here: the rules alone, no database (through the database: tests/api/test_policy.py).
"""

from __future__ import annotations

import re

import pytest

from peifu.domain.policy import PolicyError, default_policy, default_policy_text, parse_policy

DEFAULT = default_policy()
TEXT = default_policy_text()


def edit(old: str, new: str, text: str = TEXT) -> str:
    assert text.count(old) == 1, f"{old!r} is not unique in the policy file"
    return text.replace(old, new)


def bad_key(text: str) -> PolicyError:
    with pytest.raises(PolicyError) as refused:
        parse_policy(text)
    return refused.value


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
