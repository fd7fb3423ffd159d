"""Every (state × action) pair of the case state machine, through the HTTP API.

For each state a case can rest in, a case is driven there with the fewest API calls; then each
HTTP-exposed action is tried with a valid body and the header of the party that normally takes
it. What should happen is read from the one table (`peifu.domain.case_machine.TABLE`):

* allowed → 200, the target state (and any follow-up the table prescribes, taken by `system`),
  one new timeline event per move naming who acted, the action and from → to, and the deadline
  of the new state;
* not in the table for this state → 409 `action_not_allowed`; in the table but not for this
  party → 403 `actor_not_allowed`; a guard not yet satisfied → 409 `too_early` — and in all
  three cases the case and its order read exactly the same before and after.

So that the matrix cannot pass by reading the table wrongly in the same way as the engine,
`KEY_EXPECTATIONS` spells out a set of outcomes by hand; each is checked against both the
table-derived expectation and the API.

Speed: a refused move changes nothing (that is what is asserted), so every refused move in a
state is tried on one shared "resting" case per scenario; only allowed moves get a fresh case.
The shared cases live in a module-scoped environment on the session's database (see `Env`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from peifu.adapters.api.app import create_app
from peifu.adapters.api.routes import ACTIONS
from peifu.adapters.runtime import Runtime
from peifu.db.models import Order
from peifu.domain.case_machine import DEADLINE_ACTIONS, STATE_DEADLINES, TABLE, CaseFacts, Transition, candidate_rows
from peifu.domain.clock import ManualClock
from peifu.domain.vocabulary import CaseAction as A
from peifu.domain.vocabulary import CaseState as S
from peifu.domain.vocabulary import CaseType as T
from peifu.domain.vocabulary import Role as R
from peifu.services.deadlines import run_due
from tests.conftest import PLATFORM, START, _empty, as_buyer, as_seller, order_body

API = "/api/v1"

HEADERS: dict[R, dict[str, str]] = {
    R.buyer: as_buyer(),
    R.seller: as_seller(),
    R.courier: {"X-Peifu-Actor": "courier:SF"},
}
BUYER, SELLER, COURIER, SYS = "buyer:buyer-1", "seller:shop-1", "courier:SF", "system"
ACTOR_NAMES: dict[R, str] = {R.buyer: BUYER, R.seller: SELLER, R.courier: COURIER}

# The HTTP actions of the case machine, each with the party that normally takes it.
PARTY: dict[A, R] = {
    A.agree: R.seller,
    A.refuse: R.seller,
    A.propose: R.seller,
    A.accept_proposal: R.buyer,
    A.modify: R.buyer,
    A.withdraw: R.buyer,
    A.ship_return: R.buyer,
    A.return_signed: R.courier,
    A.escalate: R.buyer,
    A.confirm_return: R.seller,
    A.reject_return: R.seller,
    A.ship_replacement: R.seller,
    A.confirm_replacement: R.buyer,
}

REASONS: dict[T, str] = {
    T.refund_only: "ordered_by_mistake",  # on a paid, unshipped order
    T.return_and_refund: "quality_problem",
    T.exchange: "quality_problem",
    T.reship: "missing_items",
}

TIMEOUT = "timeout"  # a build step: let the buyer's response clock run out and fire the worker


def body_for(action: A, case_type: T) -> dict[str, Any] | None:
    """A valid body for the action on a case of this type (None: the action takes no body)."""
    money = case_type.moves_money
    bodies: dict[A, dict[str, Any] | None] = {
        A.agree: {"note": "同意退款"},
        A.refuse: {"reason": "商品已拆封影响二次销售"},
        A.propose: {"refund_amount_fen": 20000} if money else {"case_type": "refund_only", "refund_amount_fen": 20000},
        A.accept_proposal: None,
        A.modify: {"refund_amount_fen": 30000, "description": "补充说明"} if money else {"description": "补充说明"},
        A.withdraw: {"note": "不需要了"},
        A.ship_return: {"courier": "YTO", "tracking_no": "YT9876543210"},
        A.return_signed: None,
        A.escalate: {"note": "协商无果"},
        A.confirm_return: None,
        A.reject_return: {"reason": "退回商品有明显使用痕迹"},
        A.ship_replacement: {"courier": "SF", "tracking_no": "SF1234567890"},
        A.confirm_replacement: None,
    }
    return bodies[action]


# --- states and how to reach them ------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    state: S
    case_type: T
    steps: tuple[A | str, ...]  # each by its usual party with its usual body; or TIMEOUT

    @property
    def name(self) -> str:
        return f"{self.state}-{self.case_type}"


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(S.requested, T.refund_only, ()),
    Scenario(S.requested, T.return_and_refund, ()),
    Scenario(S.requested, T.exchange, ()),
    Scenario(S.requested, T.reship, ()),
    Scenario(S.proposed, T.refund_only, (A.propose,)),
    Scenario(S.proposed, T.return_and_refund, (A.propose,)),
    Scenario(S.refused, T.refund_only, (A.refuse,)),
    Scenario(S.awaiting_return, T.return_and_refund, (A.agree,)),
    Scenario(S.awaiting_return, T.exchange, (A.agree,)),
    Scenario(S.return_shipped, T.return_and_refund, (A.agree, A.ship_return)),
    Scenario(S.return_shipped, T.exchange, (A.agree, A.ship_return)),
    Scenario(S.return_rejected, T.return_and_refund, (A.agree, A.ship_return, A.reject_return)),
    Scenario(S.awaiting_replacement, T.reship, (A.agree,)),
    Scenario(S.awaiting_replacement, T.exchange, (A.agree, A.ship_return, A.confirm_return)),
    Scenario(S.replacement_shipped, T.reship, (A.agree, A.ship_replacement)),
    Scenario(S.in_intervention, T.refund_only, (A.refuse, A.escalate)),
    Scenario(S.in_intervention, T.return_and_refund, (A.refuse, A.escalate)),
    Scenario(S.refunded, T.refund_only, (A.agree,)),
    Scenario(S.resolved, T.reship, (A.agree, A.ship_replacement, A.confirm_replacement)),
    Scenario(S.withdrawn, T.refund_only, (A.withdraw,)),
    Scenario(S.closed, T.refund_only, (A.refuse, TIMEOUT)),
)
BY_NAME = {sc.name: sc for sc in SCENARIOS}


def post_action(
    client: TestClient,
    case_id: int,
    action: A,
    role: R,
    body: dict[str, Any] | None,
    headers: dict[str, str] | None = None,
) -> Any:
    url = f"{API}/cases/{case_id}/{action.replace('_', '-')}"
    return client.post(url, json=body, headers=headers or HEADERS[role])


def get_case(client: TestClient, case_id: int) -> dict[str, Any]:
    response = client.get(f"{API}/cases/{case_id}", headers=as_buyer())
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def get_order(client: TestClient, order_id: str) -> dict[str, Any]:
    response = client.get(f"{API}/orders/{order_id}")
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def build(client: TestClient, rt: Runtime, sc: Scenario, order_id: str = "T1") -> tuple[int, dict[str, Any]]:
    """A fresh case in the scenario's state on a new order (paid; also shipped unless refund_only).

    Returns the case id and the case as GET answers it.
    """
    assert client.post(f"{API}/orders", json=order_body(order_id)).status_code == 201
    assert client.post(f"{API}/orders/{order_id}/events", json={"kind": "paid"}).status_code == 200
    if sc.case_type is not T.refund_only:
        shipped = {"kind": "shipped", "courier": "ZTO", "tracking_no": "ZT100"}
        assert client.post(f"{API}/orders/{order_id}/events", json=shipped).status_code == 200
    opened = client.post(
        f"{API}/cases",
        json={
            "order_id": order_id,
            "lines": [{"line_no": 1}],
            "case_type": sc.case_type,
            "reason": REASONS[sc.case_type],
        },
        headers=as_buyer(),
    )
    assert opened.status_code == 201, opened.text
    case_id: int = opened.json()["id"]
    for step in sc.steps:
        if step == TIMEOUT:
            assert isinstance(rt.clock, ManualClock)
            rt.clock.advance(timedelta(days=rt.policies.current.deadlines.buyer_response_days.value, seconds=1))
            report = run_due(rt, owner="t")
            assert report.fired == 1, report
            continue
        action = A(step)
        done = post_action(client, case_id, action, PARTY[action], body_for(action, sc.case_type))
        assert done.status_code == 200, (action, done.text)
    case = get_case(client, case_id)
    assert case["state"] == sc.state, case["timeline"]
    assert case["case_type"] == sc.case_type
    return case_id, case


# --- what the table says should happen -------------------------------------------------------------

Event = tuple[str, str, str, str]  # who, action, from, to


@dataclass(frozen=True)
class Outcome:
    status: int
    code: str | None = None
    events: tuple[Event, ...] = ()

    @property
    def target(self) -> str:
        return self.events[-1][3]


def expected(case: dict[str, Any], action: A, role: R, now: datetime, rt: Runtime) -> Outcome:
    """The outcome of `role` taking `action` on this case, read from the table alone."""
    state, case_type = S(case["state"]), T(case["case_type"])
    rows = candidate_rows(state, action, case_type)
    if not rows:
        return Outcome(409, "action_not_allowed")
    mine = [row for row in rows if role in row.actors]
    if not mine:
        return Outcome(403, "actor_not_allowed")
    opened_at = datetime.fromisoformat(case["opened_at"]["utc"])
    facts = CaseFacts(state=state, case_type=case_type, opened_at=opened_at, state_entered_at=opened_at)
    policy = rt.policies.current
    passing = [row for row in mine if row.guard is None or row.guard(facts, now, policy) is None]
    if not passing:
        return Outcome(409, "too_early")
    row: Transition = passing[0]
    events: list[Event] = [(ACTOR_NAMES[role], str(action), str(state), str(row.target))]
    if action is A.accept_proposal:  # the proposal's terms become the request's before the agreement
        case_type = T(case["proposal"]["case_type"])
    while row.then is not None:
        follow = [r for r in candidate_rows(row.target, row.then, case_type) if R.system in r.actors]
        assert len(follow) == 1, (row, follow)
        events.append((SYS, str(row.then), str(row.target), str(follow[0].target)))
        row = follow[0]
    return Outcome(200, None, tuple(events))


def _ok(*moves: Event) -> Outcome:
    return Outcome(200, None, moves)


# Written out by hand from the rules, independently of the table.
KEY_EXPECTATIONS: dict[tuple[str, str], Outcome] = {
    ("requested-refund_only", "agree"): _ok(
        (SELLER, "agree", "requested", "refunding"), (SYS, "execute_refund", "refunding", "refunded")
    ),
    ("requested-return_and_refund", "agree"): _ok((SELLER, "agree", "requested", "awaiting_return")),
    ("requested-exchange", "agree"): _ok((SELLER, "agree", "requested", "awaiting_return")),
    ("requested-reship", "agree"): _ok((SELLER, "agree", "requested", "awaiting_replacement")),
    ("requested-refund_only", "refuse"): _ok((SELLER, "refuse", "requested", "refused")),
    ("requested-refund_only", "propose"): _ok((SELLER, "propose", "requested", "proposed")),
    ("requested-refund_only", "modify"): _ok((BUYER, "modify", "requested", "requested")),
    ("requested-refund_only", "withdraw"): _ok((BUYER, "withdraw", "requested", "withdrawn")),
    ("requested-refund_only", "escalate"): Outcome(409, "too_early"),
    ("requested-refund_only", "escalate_by_seller"): Outcome(409, "too_early"),
    ("requested-refund_only", "ship_return"): Outcome(409, "action_not_allowed"),
    ("requested-refund_only", "accept_proposal"): Outcome(409, "action_not_allowed"),
    ("requested-return_and_refund", "confirm_return"): Outcome(409, "action_not_allowed"),
    ("proposed-refund_only", "accept_proposal"): _ok(
        (BUYER, "accept_proposal", "proposed", "requested"),
        (SYS, "agree", "requested", "refunding"),
        (SYS, "execute_refund", "refunding", "refunded"),
    ),
    ("proposed-return_and_refund", "accept_proposal"): _ok(
        (BUYER, "accept_proposal", "proposed", "requested"), (SYS, "agree", "requested", "awaiting_return")
    ),
    ("proposed-refund_only", "modify"): _ok((BUYER, "modify", "proposed", "requested")),
    ("proposed-refund_only", "propose"): Outcome(409, "action_not_allowed"),
    ("refused-refund_only", "escalate"): _ok((BUYER, "escalate", "refused", "in_intervention")),
    ("refused-refund_only", "escalate_by_seller"): Outcome(403, "actor_not_allowed"),
    ("refused-refund_only", "refuse"): Outcome(409, "action_not_allowed"),
    ("refused-refund_only", "modify"): _ok((BUYER, "modify", "refused", "requested")),
    ("awaiting_return-return_and_refund", "ship_return"): _ok(
        (BUYER, "ship_return", "awaiting_return", "return_shipped")
    ),
    ("awaiting_return-return_and_refund", "agree"): Outcome(409, "action_not_allowed"),
    ("awaiting_return-return_and_refund", "confirm_return"): Outcome(409, "action_not_allowed"),
    ("awaiting_return-return_and_refund", "escalate"): Outcome(409, "too_early"),
    ("return_shipped-return_and_refund", "return_signed"): _ok(
        (COURIER, "return_signed", "return_shipped", "return_shipped")
    ),
    ("return_shipped-return_and_refund", "confirm_return"): _ok(
        (SELLER, "confirm_return", "return_shipped", "refunding"), (SYS, "execute_refund", "refunding", "refunded")
    ),
    ("return_shipped-exchange", "confirm_return"): _ok(
        (SELLER, "confirm_return", "return_shipped", "awaiting_replacement")
    ),
    ("return_shipped-return_and_refund", "reject_return"): _ok(
        (SELLER, "reject_return", "return_shipped", "return_rejected")
    ),
    ("return_shipped-return_and_refund", "withdraw"): Outcome(409, "action_not_allowed"),
    ("return_rejected-return_and_refund", "escalate"): _ok((BUYER, "escalate", "return_rejected", "in_intervention")),
    ("return_rejected-return_and_refund", "escalate_by_seller"): Outcome(403, "actor_not_allowed"),
    ("return_rejected-return_and_refund", "withdraw"): _ok((BUYER, "withdraw", "return_rejected", "withdrawn")),
    ("awaiting_replacement-reship", "ship_replacement"): _ok(
        (SELLER, "ship_replacement", "awaiting_replacement", "replacement_shipped")
    ),
    ("awaiting_replacement-reship", "escalate_by_seller"): Outcome(403, "actor_not_allowed"),
    ("awaiting_replacement-reship", "withdraw"): Outcome(409, "action_not_allowed"),
    ("replacement_shipped-reship", "confirm_replacement"): _ok(
        (BUYER, "confirm_replacement", "replacement_shipped", "resolved")
    ),
    ("replacement_shipped-reship", "ship_replacement"): Outcome(409, "action_not_allowed"),
    ("in_intervention-refund_only", "agree"): _ok(
        (SELLER, "agree", "in_intervention", "refunding"), (SYS, "execute_refund", "refunding", "refunded")
    ),
    ("in_intervention-return_and_refund", "agree"): _ok((SELLER, "agree", "in_intervention", "awaiting_return")),
    ("in_intervention-refund_only", "escalate"): Outcome(409, "action_not_allowed"),
    ("in_intervention-refund_only", "withdraw"): _ok((BUYER, "withdraw", "in_intervention", "withdrawn")),
    ("in_intervention-refund_only", "refuse"): Outcome(409, "action_not_allowed"),
    ("refunded-refund_only", "withdraw"): Outcome(409, "action_not_allowed"),
    ("refunded-refund_only", "agree"): Outcome(409, "action_not_allowed"),
    ("resolved-reship", "escalate"): Outcome(409, "action_not_allowed"),
    ("withdrawn-refund_only", "modify"): Outcome(409, "action_not_allowed"),
    ("closed-refund_only", "escalate"): Outcome(409, "action_not_allowed"),
    ("closed-refund_only", "modify"): Outcome(409, "action_not_allowed"),
}


# --- the moves tried in every state -----------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    name: str
    action: A
    role: R


MOVES: tuple[Move, ...] = (
    *(Move(str(action), action, role) for action, role in PARTY.items()),
    Move("escalate_by_seller", A.escalate, R.seller),
)


def _error(response: Any, status: int, code: str | None) -> None:
    assert response.status_code == status, response.text
    payload = response.json()
    assert set(payload) == {"error"}
    assert payload["error"]["code"] == code
    assert payload["error"]["message"]


def _unchanged(before: dict[str, Any], after: dict[str, Any]) -> None:
    for key in ("state", "case_type", "refund_amount_fen", "lines", "deadlines", "proposal", "resolved_at"):
        assert after[key] == before[key], key
    assert len(after["timeline"]) == len(before["timeline"])
    assert after == before


def state_clocks(case: dict[str, Any]) -> list[str]:
    """The case's pending deadlines that belong to its state (other modules, e.g. disputes, add their own)."""
    return [d["kind"] for d in case["deadlines"] if d["kind"] in set(STATE_DEADLINES.values())]


@dataclass
class Snapshot:
    """A case and its order as GET answered them."""

    case_id: int
    order_id: str
    case: dict[str, Any]
    order: dict[str, Any]


def check_move(
    client: TestClient,
    before: Snapshot,
    action: A,
    role: R,
    outcome: Outcome,
    *,
    headers: dict[str, str] | None = None,
) -> tuple[Any, dict[str, Any]]:
    """Take the move and check the API did exactly what `outcome` says; returns the response and the case after."""
    body = body_for(action, T(before.case["case_type"]))
    response = post_action(client, before.case_id, action, role, body, headers)
    after, order_after = get_case(client, before.case_id), get_order(client, before.order_id)
    if outcome.status != 200:
        _error(response, outcome.status, outcome.code)
        _unchanged(before.case, after)
        assert order_after == before.order
        return response, after

    assert response.status_code == 200, response.text
    assert response.json() == after
    old = before.case["timeline"]
    new = after["timeline"][len(old) :]
    assert [(e["actor"], e["action"], e["from_state"], e["to_state"]) for e in new] == list(outcome.events)
    assert after["timeline"][: len(old)] == old
    assert [e["seq"] for e in after["timeline"]] == list(range(1, len(after["timeline"]) + 1))
    assert len({e["at"]["utc"] for e in new}) == 1  # one unit of work, one moment
    assert after["state"] == outcome.target
    target = S(outcome.target)
    assert target is not S.refunding  # transient: never seen outside the unit of work
    assert state_clocks(after) == ([STATE_DEADLINES[target]] if target in STATE_DEADLINES else [])
    assert (after["resolved_at"] is not None) == target.is_final

    refunded_before = [line["refunded_fen"] for line in before.order["lines"]]
    refunded_after = [line["refunded_fen"] for line in order_after["lines"]]
    if target is S.refunded:
        assert refunded_after == [refunded_before[0] + after["refund_amount_fen"], *refunded_before[1:]]
        assert after["timeline"][-1]["data"]["refund_amount_fen"] == after["refund_amount_fen"]
    else:
        assert refunded_after == refunded_before
    return response, after


# --- a module-wide environment of cases ---------------------------------------------------------------


@dataclass
class Env:
    """Cases on the session's database, at a clock that does not move while they are in use.

    The `closed` case is built first (its clock must run out before any other case exists, or the
    worker would fire their deadlines too); every other case is built afterwards at one fixed time.
    A test using the function-scoped `rt` fixture empties the database and replaces the clock; the
    next test here notices and rebuilds from scratch.
    """

    rt: Runtime
    client: TestClient = field(init=False)
    clock: ManualClock | None = None
    resting: dict[str, Snapshot] = field(default_factory=dict)
    orders: int = 0

    def ensure(self) -> None:
        if self.clock is not None and self.rt.clock is self.clock and self._still_ours():
            return
        _empty(self.rt)
        self.clock = ManualClock(START)
        self.rt.clock = self.clock
        self.resting.clear()
        self.orders = 0
        self.rest(BY_NAME["closed-refund_only"])

    def _still_ours(self) -> bool:
        with self.rt.uow() as ctx:
            return ctx.session.get(Order, "M1") is not None

    def now(self) -> datetime:
        assert self.clock is not None
        return self.clock.now()

    def fresh(self, sc: Scenario) -> Snapshot:
        """A new case in the scenario's state, for a move that changes it."""
        assert TIMEOUT not in sc.steps or not self.resting, "the clock may not move once cases rest"
        self.orders += 1
        order_id = f"M{self.orders}"
        case_id, case = build(self.client, self.rt, sc, order_id)
        return Snapshot(case_id, order_id, case, get_order(self.client, order_id))

    @contextmanager
    def shared(self, name: str) -> Iterator[None]:
        """Around a move on a shared case: if a check fails the case may have changed, so forget it."""
        try:
            yield
        except BaseException:
            self.resting.pop(name, None)
            raise

    def rest(self, sc: Scenario) -> Snapshot:
        """The shared case in the scenario's state, for moves that must change nothing."""
        if sc.name not in self.resting:
            self.resting[sc.name] = self.fresh(sc)
        return self.resting[sc.name]


@pytest.fixture(scope="module")
def module_env(runtime: Runtime) -> Iterator[Env]:
    yield Env(runtime)
    _empty(runtime)  # leave the database and clock as the `rt` fixture would
    runtime.clock = ManualClock(START)


@pytest.fixture
def env(module_env: Env) -> Iterator[Env]:
    """The module's cases, through a new app and client per test, as the `client` fixture does (so
    requests without their own actor come from the marketplace's integration)."""
    with TestClient(create_app(module_env.rt), raise_server_exceptions=False, headers=PLATFORM) as client:
        module_env.client = client
        module_env.ensure()
        yield module_env


# --- the matrix -------------------------------------------------------------------------------------


@pytest.mark.parametrize("move", MOVES, ids=lambda m: m.name)
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda sc: sc.name)
def test_state_action(env: Env, scenario: Scenario, move: Move) -> None:
    rest = env.rest(scenario)
    outcome = expected(rest.case, move.action, move.role, env.now(), env.rt)
    by_hand = KEY_EXPECTATIONS.get((scenario.name, move.name))
    if by_hand is not None:
        assert outcome == by_hand, "the table disagrees with the rule written out by hand"
    if outcome.status != 200:
        with env.shared(scenario.name):
            check_move(env.client, rest, move.action, move.role, outcome)
        return

    before = env.fresh(scenario)
    assert expected(before.case, move.action, move.role, env.now(), env.rt) == outcome
    _, after = check_move(env.client, before, move.action, move.role, outcome)
    # what the body said to change, changed
    if move.action is A.modify and scenario.case_type.moves_money:
        assert after["refund_amount_fen"] == 30000
    if move.action in (A.modify, A.accept_proposal):
        assert after["proposal"] is None
    if move.action is A.propose:
        assert after["proposal"]["refund_amount_fen"] == 20000
        assert after["refund_amount_fen"] == before.case["refund_amount_fen"]  # only a proposal so far
    if move.action is A.accept_proposal:
        assert after["refund_amount_fen"] == before.case["proposal"]["refund_amount_fen"]
        assert after["case_type"] == before.case["proposal"]["case_type"]
    if move.action in (A.refuse, A.reject_return):
        assert after["refuse_reason"] == (body_for(move.action, scenario.case_type) or {})["reason"]
    if move.action is A.ship_return:
        assert after["return_shipment"]["tracking_no"] == "YT9876543210"
    if move.action is A.ship_replacement:
        assert after["replacement_shipment"]["tracking_no"] == "SF1234567890"
    if move.action is A.return_signed:
        assert after["return_shipment"]["signed_at"] is not None
    if move.action in (A.agree, A.withdraw, A.escalate):  # the note is kept on the event
        note = (body_for(move.action, scenario.case_type) or {})["note"]
        assert after["timeline"][len(before.case["timeline"])]["data"]["note"] == note


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda sc: sc.name)
def test_allowed_actions_match_the_matrix(env: Env, scenario: Scenario) -> None:
    """What GET offers each party is exactly what the matrix lets them do."""
    rest = env.rest(scenario)
    for role in (R.buyer, R.seller, R.courier):
        offered = set(rest.case["allowed_actions"].get(str(role), [])) & set(PARTY)
        allowed = {str(a) for a in PARTY if expected(rest.case, a, role, env.now(), env.rt).status == 200}
        assert offered == allowed, role


# --- the matrix itself is not vacuous ---------------------------------------------------------------


def test_every_restable_state_and_every_http_action_is_covered() -> None:
    assert {sc.state for sc in SCENARIOS} == set(S) - {S.refunding}
    assert set(PARTY) <= {action for action, *_ in ACTIONS}  # all exposed over HTTP
    assert set(PARTY) | {A.execute_refund, A.timeout_close} <= set(A)
    names = {m.name for m in MOVES}
    for scenario_name, move_name in KEY_EXPECTATIONS:
        assert scenario_name in BY_NAME and move_name in names
    # the by-hand list reaches every kind of outcome
    assert {o.status for o in KEY_EXPECTATIONS.values()} == {200, 403, 409}
    assert {o.code for o in KEY_EXPECTATIONS.values()} == {None, "action_not_allowed", "actor_not_allowed", "too_early"}


def test_refunding_is_transient_in_the_table() -> None:
    """`refunding` is entered only with an execute_refund follow-up, and left only by the system."""
    leaving = [row for row in TABLE if row.source is S.refunding]
    assert [(row.action, row.target, row.actors) for row in leaving] == [
        (A.execute_refund, S.refunded, frozenset({R.system}))
    ]
    entering = [row for row in TABLE if row.target is S.refunding]
    assert entering
    assert all(row.then is A.execute_refund for row in entering)


@pytest.mark.parametrize("scenario", [sc for sc in SCENARIOS if sc.state in STATE_DEADLINES], ids=lambda sc: sc.name)
def test_every_state_clock_can_act_by_itself(scenario: Scenario) -> None:
    """The deadline a state waits on names a move the system may take there, with no guard to stop it."""
    action = DEADLINE_ACTIONS[STATE_DEADLINES[scenario.state]]
    rows = [r for r in candidate_rows(scenario.state, action, scenario.case_type) if R.system in r.actors]
    assert rows and rows[0].guard is None


def test_final_states_have_no_way_out_for_the_parties() -> None:
    """Only the platform (an agent reviewing an appeal) may reopen a finished case."""
    parties = {R.buyer, R.seller, R.courier}
    assert [row for row in TABLE if row.source.is_final and (row.actors & parties or row.action in PARTY)] == []


# --- the wrong party ----------------------------------------------------------------------------------


def _allowed_somewhere(move: Move) -> Scenario:
    """The first scenario in which the usual party may take this move (without a guard if possible)."""
    for unguarded_only in (True, False):
        for scenario in SCENARIOS:
            rows = candidate_rows(scenario.state, move.action, scenario.case_type)
            if any(move.role in row.actors and (row.guard is None or not unguarded_only) for row in rows):
                return scenario
    raise AssertionError(f"no scenario allows {move.name}")


PARTY_MOVES = [m for m in MOVES if m.role in (R.buyer, R.seller)]


@pytest.mark.parametrize("move", PARTY_MOVES, ids=lambda m: m.name)
def test_stranger_gets_404(env: Env, move: Move) -> None:
    """Another shop's seller, or another buyer, cannot even see the case — even where the move is allowed."""
    scenario = _allowed_somewhere(move)
    rest = env.rest(scenario)
    stranger = as_seller("shop-2") if move.role is R.seller else as_buyer("buyer-2")
    if env.client.get(f"{API}/orders/X2").status_code == 404:  # the strangers exist, with orders of their own
        other = order_body("X2", shop={"id": "shop-2", "name": "别家店"}, buyer={"id": "buyer-2"})
        assert env.client.post(f"{API}/orders", json=other).status_code == 201
    _error(env.client.get(f"{API}/cases/{rest.case_id}", headers=stranger), 404, "case_not_found")
    assert expected(rest.case, move.action, move.role, env.now(), env.rt).code != "action_not_allowed"
    with env.shared(scenario.name):
        check_move(env.client, rest, move.action, move.role, Outcome(404, "case_not_found"), headers=stranger)


@pytest.mark.parametrize("move", [m for m in PARTY_MOVES if m.action is not A.escalate], ids=lambda m: m.name)
def test_other_party_of_the_case_gets_403(env: Env, move: Move) -> None:
    """The case's buyer trying a seller's move (and the other way round) where the state allows it: 403."""
    scenario = _allowed_somewhere(move)
    rest = env.rest(scenario)
    assert expected(rest.case, move.action, move.role, env.now(), env.rt).status == 200
    other_role = R.buyer if move.role is R.seller else R.seller
    outcome = expected(rest.case, move.action, other_role, env.now(), env.rt)
    assert outcome == Outcome(403, "actor_not_allowed")
    with env.shared(scenario.name):
        check_move(env.client, rest, move.action, other_role, outcome)


@pytest.mark.parametrize("action", [A.agree, A.withdraw, A.escalate], ids=str)
def test_courier_cannot_take_a_party_move(env: Env, action: A) -> None:
    rest = env.rest(BY_NAME["refused-refund_only"])
    with env.shared("refused-refund_only"):
        check_move(env.client, rest, action, R.courier, Outcome(403, "actor_not_allowed"))


# --- escalation waits for the policy's 72 hours, except after a refusal -----------------------------


def test_escalate_from_refused_is_allowed_at_once(env: Env) -> None:
    before = env.fresh(BY_NAME["refused-refund_only"])
    assert before.case["deadlines"][0]["kind"] == "buyer_response"
    assert "escalate" in before.case["allowed_actions"]["buyer"]
    _, after = check_move(
        env.client, before, A.escalate, R.buyer, _ok((BUYER, "escalate", "refused", "in_intervention"))
    )
    assert not state_clocks(after)


def test_too_early_says_why(env: Env) -> None:
    rest = env.rest(BY_NAME["requested-refund_only"])
    with env.shared("requested-refund_only"):
        response, _ = check_move(env.client, rest, A.escalate, R.buyer, Outcome(409, "too_early"))
    error = response.json()["error"]
    assert error["details"] == {"state": "requested", "action": "escalate"}
    assert "72 h" in error["message"]


# These move the clock, so each gets the function-scoped database and clock of its own.


def test_escalate_from_requested_waits_72_hours(client: TestClient, rt: Runtime, clock: ManualClock) -> None:
    case_id, case = build(client, rt, BY_NAME["requested-refund_only"])
    snap = Snapshot(case_id, "T1", case, get_order(client, "T1"))
    assert "escalate" not in case["allowed_actions"].get("buyer", [])
    check_move(client, snap, A.escalate, R.buyer, Outcome(409, "too_early"))

    clock.advance(timedelta(hours=72) - timedelta(seconds=1))
    snap.case = get_case(client, case_id)
    check_move(client, snap, A.escalate, R.buyer, Outcome(409, "too_early"))

    clock.advance(timedelta(seconds=1))
    snap.case = get_case(client, case_id)
    assert "escalate" in snap.case["allowed_actions"]["buyer"]
    assert "escalate" in snap.case["allowed_actions"]["seller"]
    _, after = check_move(client, snap, A.escalate, R.buyer, _ok((BUYER, "escalate", "requested", "in_intervention")))
    assert not state_clocks(after)


GUARDED = [sc for sc in SCENARIOS if any(row.guard for row in candidate_rows(sc.state, A.escalate, sc.case_type))]


@pytest.mark.parametrize(
    ("scenario", "role"),
    [(sc, R.buyer) for sc in GUARDED] + [(BY_NAME["requested-refund_only"], R.seller)],
    ids=lambda v: v.name if isinstance(v, Scenario) else str(v),
)
def test_escalate_after_72_hours(
    client: TestClient, rt: Runtime, clock: ManualClock, scenario: Scenario, role: R
) -> None:
    """Once the wait is over every guarded escalation opens; who may escalate still follows the table."""
    case_id, _ = build(client, rt, scenario)
    clock.advance(timedelta(hours=72))
    snap = Snapshot(case_id, "T1", get_case(client, case_id), get_order(client, "T1"))
    outcome = expected(snap.case, A.escalate, role, clock.now(), rt)
    assert outcome == _ok((ACTOR_NAMES[role], "escalate", str(scenario.state), "in_intervention"))
    for party in (R.buyer, R.seller):
        may = expected(snap.case, A.escalate, party, clock.now(), rt).status == 200
        assert may == ("escalate" in snap.case["allowed_actions"].get(str(party), []))
    check_move(client, snap, A.escalate, role, outcome)
