"""The lifecycle tables besides the case's (domain.dispute_machine, complaint_machine, appeal_machine,
payout_machine, webhook_machine, service_complaints): random walks never leave the states the enum names, refusals
are 409/403 and change nothing, and a finished lifecycle accepts nothing. Plain Python, no database."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peifu.domain import appeal_machine, complaint_machine, dispute_machine, payout_machine, webhook_machine
from peifu.domain import service_complaints as svc
from peifu.domain.dispute_machine import Submission
from peifu.domain.errors import Conflict, DomainError, Forbidden
from peifu.domain.lifecycle import Machine
from peifu.domain.vocabulary import (
    AppealState,
    ComplaintStatus,
    DeadlineKind,
    DeliveryStatus,
    DisputeAction,
    DisputeStatus,
    EndpointAction,
    EndpointStatus,
    PayoutStatus,
    Role,
)
from peifu.services.deadlines import HANDLERS

MACHINES: dict[str, Machine[Any, Any]] = {
    "dispute": dispute_machine.MACHINE,
    "complaint": complaint_machine.MACHINE,
    "ruling_appeal": appeal_machine.RULINGS,
    "penalty_appeal": appeal_machine.PENALTIES,
    "payout": payout_machine.MACHINE,
    "webhook_endpoint": webhook_machine.ENDPOINTS,
    "webhook_delivery": webhook_machine.DELIVERIES,
}
REOPENERS = {"dispute": {DisputeAction.open}}  # a final dispute reopens when its case escalates again

ROLES = st.sampled_from(list(Role))
FACTS = st.builds(Submission, for_appeal=st.booleans())


def walk(machine: Machine[Any, Any], steps: list[tuple[StrEnum, Role, Submission]]) -> list[StrEnum]:
    state = machine.initial
    seen = [state]
    for action, actor, facts in steps:
        try:
            row = machine.decide(state, action, actor, facts)
        except (Conflict, Forbidden) as refused:
            assert refused.code  # a machine code, never a crash
            continue  # a refusal changes nothing
        assert row.source == state and row.action == action and actor in row.actors
        state = row.target
        seen.append(state)
    return seen


@pytest.mark.parametrize("name", sorted(MACHINES))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_random_moves_stay_inside_the_enum(name: str, data: st.DataObject) -> None:
    machine = MACHINES[name]
    steps = data.draw(
        st.lists(st.tuples(st.sampled_from(list(machine.actions)), ROLES, FACTS), max_size=25), label="moves"
    )
    for state in walk(machine, steps):
        assert isinstance(state, machine.states) and state in machine.reachable()


@pytest.mark.parametrize("name", sorted(name for name, machine in MACHINES.items() if machine.final))
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_a_finished_lifecycle_accepts_nothing(name: str, data: st.DataObject) -> None:
    machine = MACHINES[name]
    state = data.draw(st.sampled_from(sorted(machine.final)))
    action = data.draw(st.sampled_from([a for a in machine.actions if a not in REOPENERS.get(name, set())]))
    actor, facts = data.draw(ROLES), data.draw(FACTS)
    assert not machine.allows(state, action)
    with pytest.raises(Conflict):
        machine.decide(state, action, actor, facts)
    reopeners = list(REOPENERS.get(name, []))
    assert all(acts == reopeners for acts in machine.allowed_actions(state, facts).values())


@pytest.mark.parametrize("name", sorted(MACHINES))
def test_every_state_is_reachable_and_every_open_one_can_end(name: str) -> None:
    machine = MACHINES[name]
    named = {row.source for row in machine.table} | {row.target for row in machine.table} | {machine.initial}
    assert machine.reachable() == frozenset(named), "a state in the table that no move leads to"
    for state in machine.reachable() - machine.final:
        assert any(row.source == state for row in machine.table), f"{state} is a dead end"
    for row in machine.table:
        assert row.actors, f"nobody may {row.action} from {row.source}"


@pytest.mark.parametrize("name", sorted(MACHINES))
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_the_wrong_actor_is_forbidden_and_a_missing_row_conflicts(name: str, data: st.DataObject) -> None:
    machine = MACHINES[name]
    state = data.draw(st.sampled_from(list(machine.states)))
    action = data.draw(st.sampled_from(list(machine.actions)))
    actor, facts = data.draw(ROLES), data.draw(FACTS)
    rows = machine.rows(state, action)
    try:
        row = machine.decide(state, action, actor, facts)
    except Forbidden:
        assert rows and all(actor not in r.actors for r in rows)
    except Conflict:
        assert not rows or any(actor in r.actors and r.guard is not None for r in rows)
    else:
        assert row in rows


def test_disputes_keep_the_codes_the_api_answered_with() -> None:
    decide = dispute_machine.decide
    with pytest.raises(Conflict) as final:
        decide(DisputeStatus.final, dispute_machine.A.submit_evidence, Role.buyer, Submission())
    assert final.value.code == "dispute_final"
    with pytest.raises(Conflict) as ruled:
        decide(DisputeStatus.ruled, dispute_machine.A.submit_evidence, Role.buyer, Submission(for_appeal=False))
    assert ruled.value.code == "dispute_ruled"
    assert decide(DisputeStatus.ruled, dispute_machine.A.submit_evidence, Role.seller, Submission(True))
    assert decide(DisputeStatus.ruled, dispute_machine.A.submit_evidence, Role.agent, Submission())
    with pytest.raises(Conflict) as again:
        decide(DisputeStatus.ruled, dispute_machine.A.rule, Role.agent)
    assert again.value.code == "dispute_already_ruled"
    with pytest.raises(Conflict) as decided:
        complaint_machine.decide(ComplaintStatus.rejected, complaint_machine.A.withdraw, Role.buyer)
    assert decided.value.code == "complaint_decided" and "rejected" in decided.value.message


def test_appeals_are_once_only_and_stored_as_their_decision() -> None:
    assert appeal_machine.state_of(False, None) is AppealState.none
    assert appeal_machine.state_of(True, None) is AppealState.pending
    assert appeal_machine.state_of(True, "replaced") is AppealState.replaced
    for machine in (appeal_machine.RULINGS, appeal_machine.PENALTIES):
        with pytest.raises(Conflict) as twice:
            machine.decide(AppealState.pending, appeal_machine.A.file, Role.seller)
        assert twice.value.code == "already_appealed"
    assert appeal_machine.PENALTIES.allowed_actions(AppealState.none) == {Role.seller: [appeal_machine.A.file]}


def test_stored_values_are_the_strings_they_always_were() -> None:
    assert [str(s) for s in DisputeStatus] == ["evidence", "review", "ruled", "appealed", "final"]
    assert {str(s) for s in ComplaintStatus} == {"open", "upheld", "rejected", "withdrawn", "overturned"}
    assert [str(s) for s in PayoutStatus] == ["pending", "sent"]
    assert dispute_machine.MACHINE.initial == "evidence" and complaint_machine.MACHINE.initial == "open"
    assert payout_machine.QUEUED == "pending"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(list(svc.Action)), ROLES), max_size=25))
def test_service_complaint_walks_stay_inside_the_enum_and_end_for_good(steps: list[tuple[svc.Action, Role]]) -> None:
    state = svc.State.filed
    for action, actor in steps:
        if state.is_final:
            with pytest.raises(DomainError):
                svc.decide(state, action, actor)
            continue
        try:
            state = svc.decide(state, action, actor).target
        except DomainError:
            continue
        assert isinstance(state, svc.State)


def test_every_deadline_kind_has_one_handler() -> None:
    assert set(HANDLERS) == set(DeadlineKind)


def test_webhook_endpoints_fail_and_resume_by_the_engine_and_are_switched_by_their_owner() -> None:
    machine = webhook_machine.ENDPOINTS
    assert not machine.final, "an endpoint never ends: a disabled one can be enabled again"
    for state in EndpointStatus:
        for action in (EndpointAction.enable, EndpointAction.disable, EndpointAction.recover):
            assert machine.decide(state, action, Role.seller).target is not None
            with pytest.raises(Forbidden):
                machine.decide(state, action, Role.buyer)
    assert machine.target(EndpointStatus.active, EndpointAction.fail, Role.system) is EndpointStatus.failing
    assert machine.target(EndpointStatus.failing, EndpointAction.resume, Role.system) is EndpointStatus.active
    with pytest.raises(Forbidden):
        machine.decide(EndpointStatus.active, EndpointAction.fail, Role.platform)  # only the engine marks failing
    for engine_move in (EndpointAction.fail, EndpointAction.probe, EndpointAction.resume):
        with pytest.raises(Conflict):  # a disabled endpoint stays disabled whatever its probes do
            machine.decide(EndpointStatus.disabled, engine_move, Role.system)
    for state, offered in webhook_machine.OFFERED.items():  # the pages' buttons are moves of the table
        assert all(machine.allows(state, action) for action in offered)
    assert set(webhook_machine.OFFERED) == set(EndpointStatus)


def test_a_delivery_is_waiting_until_delivered_and_then_final() -> None:
    machine = webhook_machine.DELIVERIES
    assert machine.target(DeliveryStatus.pending, machine.actions.deliver, Role.system) is DeliveryStatus.delivered
    with pytest.raises(Conflict):
        machine.decide(DeliveryStatus.delivered, machine.actions.fail, Role.system)


def test_webhook_statuses_are_the_strings_the_api_always_named() -> None:
    assert [str(s) for s in EndpointStatus] == ["active", "failing", "disabled"]
    assert [str(s) for s in DeliveryStatus] == ["pending", "delivered"]
    assert webhook_machine.ENDPOINTS.initial == "active" and webhook_machine.QUEUED == "pending"
