"""Seller auto-handling rules (自动化处理规则) and bulk agree.

Domain: the first matching enabled rule by priority decides, every refusal is explained, and a rule
never agrees to more than its maximum amount (Hypothesis). Service: a matching request is answered
at once as the shop — the refund reaches the ledger and the metrics count a seller response; a
request no rule matches waits; disabled rules are ignored; a rule's move the policy refuses leaves
the request untouched. API: the shop's staff and admins manage rules; bulk agree reports per case.

Here: the rules alone, no database (through the database: tests/api/test_auto_handling.py).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peifu.domain import auto_handling as rules
from peifu.domain.errors import Invalid
from peifu.domain.vocabulary import CaseAction, CaseType, OrderState, Reason
from peifu.services.inputs import AutoRuleIn
from tests.conftest import START


def rule(
    rule_id: int = 1,
    priority: int = 10,
    action: rules.RuleAction = rules.RuleAction.agree,
    *,
    case_types: set[CaseType] | None = None,
    reasons: set[Reason] | None = None,
    stages: set[rules.OrderStage] | None = None,
    max_amount_fen: int | None = None,
    suggested_reason: Reason | None = None,
    enabled: bool = True,
) -> rules.Rule:
    return rules.Rule(
        id=rule_id,
        name=f"rule {rule_id}",
        priority=priority,
        action=action,
        conditions=rules.Conditions(
            case_types=frozenset(case_types or ()),
            reasons=frozenset(reasons or ()),
            order_stages=frozenset(stages or ()),
            max_amount_fen=max_amount_fen,
        ),
        suggested_reason=suggested_reason,
        enabled=enabled,
    )


FAST_REFUND = rule(
    case_types={CaseType.refund_only},
    reasons={Reason.ordered_by_mistake, Reason.no_longer_wanted},
    stages={rules.OrderStage.not_shipped},
    max_amount_fen=10000,
)


def request(
    case_type: CaseType = CaseType.refund_only,
    reason: Reason = Reason.ordered_by_mistake,
    amount: int = 5000,
    stage: rules.OrderStage = rules.OrderStage.not_shipped,
) -> rules.Request:
    return rules.Request(case_type, reason, amount, stage)


def test_each_condition_is_checked_and_explained() -> None:
    assert rules.check(FAST_REFUND, request()).matched
    assert rules.check(FAST_REFUND, request(amount=10000)).matched  # the maximum itself is allowed
    cases = {
        "amount": request(amount=10001),
        "reason": request(reason=Reason.quality_problem),
        "case_type": request(case_type=CaseType.return_and_refund),
        "order_stage": request(stage=rules.OrderStage.in_transit),
    }
    for failed, req in cases.items():
        result = rules.check(FAST_REFUND, req)
        assert not result.matched and result.failed == failed, (failed, result)
        assert result.why
    off = rules.check(rule(enabled=False), request())
    assert off.failed == "disabled"
    marked = rules.Request(CaseType.refund_only, Reason.ordered_by_mistake, 5000, rules.OrderStage.not_shipped, True)
    assert rules.check(FAST_REFUND, marked).failed == "marked_abusive"


def test_first_matching_rule_by_priority_then_age() -> None:
    broad = rule(1, priority=50)
    narrow = rule(2, priority=5, reasons={Reason.no_longer_wanted})
    tie = rule(3, priority=50)
    assert rules.first_match([tie, broad, narrow], request(reason=Reason.no_longer_wanted)) == narrow
    assert rules.first_match([tie, broad, narrow], request()) == broad  # same priority: the older (lower id)
    assert rules.first_match([rule(1, enabled=False)], request()) is None
    explained = rules.explain([tie, broad, narrow], request())
    assert [c.rule.id for c in explained] == [2, 1, 3]
    assert [c.failed for c in explained] == ["reason", None, None]


def test_order_stages() -> None:
    stage = rules.order_stage
    assert stage(OrderState.paid, signed_at=None, refused_delivery_at=None) is rules.OrderStage.not_shipped
    assert stage(OrderState.shipped, signed_at=None, refused_delivery_at=None) is rules.OrderStage.in_transit
    assert stage(OrderState.shipped, signed_at=START, refused_delivery_at=None) is rules.OrderStage.delivered
    assert stage(OrderState.shipped, signed_at=START, refused_delivery_at=START) is rules.OrderStage.in_transit
    assert stage(OrderState.completed, signed_at=START, refused_delivery_at=None) is rules.OrderStage.completed


def test_each_action_is_a_move_of_the_state_machine() -> None:
    assert rules.move_for(rule()) == rules.Move(CaseAction.agree)
    after_sign = rule(action=rules.RuleAction.agree_after_return_signed, case_types={CaseType.return_and_refund})
    assert rules.move_for(after_sign) == rules.Move(CaseAction.agree, confirm_return_on_sign=True)
    ask = rule(
        action=rules.RuleAction.ask_to_modify_reason,
        reasons={Reason.out_of_stock},
        suggested_reason=Reason.no_longer_wanted,
    )
    assert rules.move_for(ask) == rules.Move(CaseAction.propose, proposed_reason=Reason.no_longer_wanted)
    assert "#1" in rules.note_for(ask)


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        (rule(action=rules.RuleAction.agree_after_return_signed), "rule_case_types_invalid"),
        (
            rule(action=rules.RuleAction.agree_after_return_signed, case_types={CaseType.refund_only}),
            "rule_case_types_invalid",
        ),
        (rule(action=rules.RuleAction.ask_to_modify_reason, reasons={Reason.other}), "rule_suggested_reason_required"),
        (
            rule(action=rules.RuleAction.ask_to_modify_reason, suggested_reason=Reason.no_longer_wanted),
            "rule_reasons_required",
        ),
        (
            rule(
                action=rules.RuleAction.ask_to_modify_reason,
                reasons={Reason.no_longer_wanted},
                suggested_reason=Reason.no_longer_wanted,
            ),
            "rule_suggested_reason_invalid",
        ),
        (rule(suggested_reason=Reason.other), "rule_suggested_reason_invalid"),
        (rule(priority=-1), "rule_priority_invalid"),
        (rule(max_amount_fen=-1), "rule_amount_invalid"),
    ],
)
def test_rules_the_engine_could_not_carry_out_are_refused(bad: rules.Rule, code: str) -> None:
    with pytest.raises(Invalid) as refused:
        rules.validate(bad)
    assert refused.value.code == code


rule_strategy = st.builds(
    rule,
    rule_id=st.integers(1, 10_000),
    priority=st.integers(0, 100),
    case_types=st.sets(st.sampled_from(CaseType), max_size=3),
    reasons=st.sets(st.sampled_from(Reason), max_size=4),
    stages=st.sets(st.sampled_from(rules.OrderStage), max_size=2),
    max_amount_fen=st.none() | st.integers(0, 100_000),
    enabled=st.booleans(),
)
request_strategy = st.builds(
    rules.Request,
    case_type=st.sampled_from(CaseType),
    reason=st.sampled_from(Reason),
    amount_fen=st.integers(0, 200_000),
    order_stage=st.sampled_from(rules.OrderStage),
    marked_abusive=st.booleans(),
)


@given(st.lists(rule_strategy, max_size=8, unique_by=lambda r: r.id), request_strategy)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_the_first_matching_rule_decides_and_never_above_its_maximum(
    shop_rules: list[rules.Rule], req: rules.Request
) -> None:
    chosen = rules.first_match(shop_rules, req)
    matching = [r for r in shop_rules if rules.check(r, req).matched]
    if chosen is None:
        assert matching == []
        return
    # first by (priority, id) among the matching ones, and enabled
    assert chosen.enabled
    assert chosen.order_key == min(r.order_key for r in matching)
    assert all(not rules.check(r, req).matched for r in shop_rules if r.order_key < chosen.order_key)
    assert not req.marked_abusive  # a claim marked abusive is never answered by a rule
    # never agrees (or asks) above its maximum, nor outside its conditions
    limit = chosen.conditions.max_amount_fen
    assert limit is None or req.amount_fen <= limit
    c = chosen.conditions
    assert not c.case_types or req.case_type in c.case_types
    assert not c.reasons or req.reason in c.reasons
    assert not c.order_stages or req.order_stage in c.order_stages
    # the explanation agrees with the decision
    verdicts = rules.explain(shop_rules, req)
    assert next(v.rule for v in verdicts if v.matched) == chosen


def test_rule_input_model_examples_are_valid() -> None:
    extra = AutoRuleIn.model_config.get("json_schema_extra")
    assert isinstance(extra, dict) and isinstance(extra["examples"], list)
    for example in extra["examples"]:
        body = AutoRuleIn.model_validate(example)
        candidate = rules.Rule(
            id=1,
            name=body.name,
            priority=body.priority,
            action=rules.RuleAction(body.action),
            conditions=rules.Conditions(
                frozenset(body.case_types),
                frozenset(body.reasons),
                frozenset(rules.OrderStage(s) for s in body.order_stages),
                body.max_amount_fen,
            ),
            suggested_reason=body.suggested_reason,
        )
        rules.validate(candidate)
