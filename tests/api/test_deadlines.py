"""Every deadline fires on time, not a second before, and exactly once.

The pattern for each deadline: move the clock to one second before it is due and run the worker —
nothing in the database may change; move one more second and run again — the effect happens, the
timeline shows it as done by `system`, and a further run (by any worker) fires nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from peifu.adapters.runtime import Runtime
from peifu.db.models import Deadline
from peifu.domain.case_machine import CaseFacts, deadline_for
from peifu.domain.clock import ManualClock
from peifu.domain.policy import default_policy, default_policy_text
from peifu.domain.vocabulary import CaseState, CaseType, DeadlineKind
from peifu.services import policies
from peifu.services.deadlines import FireReport, run_due
from tests import builders
from tests.conftest import START, as_buyer, as_seller, order_body

API = "/api/v1"
SECOND = timedelta(seconds=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
COURIER = {"X-Peifu-Actor": "courier:SF"}


# --- helpers ----------------------------------------------------------------------------------------


def act(
    client: TestClient, case_id: int, action: str, headers: dict[str, str], body: dict[str, Any] | None = None
) -> dict[str, Any]:
    answer = client.post(f"{API}/cases/{case_id}/{action.replace('_', '-')}", json=body, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def utc(instant: dict[str, Any] | None) -> datetime:
    assert instant is not None
    return datetime.fromisoformat(instant["utc"])


def only_deadline(case: dict[str, Any]) -> tuple[str, datetime]:
    assert len(case["deadlines"]) == 1, case["deadlines"]
    deadline = case["deadlines"][0]
    return deadline["kind"], utc(deadline["due_at"])


def fire(rt: Runtime, owner: str = "worker-a") -> FireReport:
    return run_due(rt, owner=owner)


def assert_fires_exactly_at(rt: Runtime, clock: ManualClock, due: datetime) -> FireReport:
    """One second early: nothing happens. On time: one deadline fires. Again: nothing fires."""
    assert clock.now() < due, "the test must start before the deadline"
    clock.advance(due - SECOND - clock.now())
    before = builders.db_snapshot(rt)
    early = fire(rt)
    assert (early.fired, early.failed) == (0, 0), early
    assert builders.db_snapshot(rt) == before, "a run one second early changed the database"
    clock.advance(SECOND)
    report = fire(rt)
    assert (report.fired, report.failed) == (1, 0), report
    for owner in ("worker-a", "worker-b"):
        again = fire(rt, owner)
        assert (again.fired, again.failed) == (0, 0), again
    return report


def system_entries(case: dict[str, Any], since: int) -> list[tuple[str, str, str | None, str]]:
    return [(e["actor"], e["action"], e["from_state"], e["to_state"]) for e in case["timeline"][since:]]


def deadline_rows(rt: Runtime, **where: Any) -> list[Deadline]:
    with rt.factory() as session:
        stmt = select(Deadline).order_by(Deadline.id)
        for column, value in where.items():
            stmt = stmt.where(getattr(Deadline, column) == value)
        return list(session.scalars(stmt))


# --- seller_response: silence is consent --------------------------------------------------------------


def test_seller_silence_auto_agrees_refund_only_and_executes_the_refund(
    client: TestClient, rt: Runtime, clock: ManualClock
) -> None:
    builders.order(client)
    case = builders.opened_case(client, case_type="refund_only", reason="ordered_by_mistake")
    assert only_deadline(case) == ("seller_response", START + 72 * HOUR)

    report = assert_fires_exactly_at(rt, clock, START + 72 * HOUR)
    assert report.outcomes == [f"case {case['id']}: agree → refunded"]

    after = builders.case_answer(client, case["id"])
    assert after["state"] == "refunded"
    assert after["deadlines"] == []
    assert system_entries(after, 1) == [
        ("system", "agree", "requested", "refunding"),
        ("system", "execute_refund", "refunding", "refunded"),
    ]
    assert all(utc(e["at"]) == START + 72 * HOUR for e in after["timeline"][1:])
    order = builders.order_answer(client)
    assert [line["refunded_fen"] for line in order["lines"]] == [39900, 0]
    assert order["state"] == "paid"
    fired = deadline_rows(rt, kind="seller_response")
    assert [(d.status, d.fired_at) for d in fired] == [("fired", START + 72 * HOUR)]


@pytest.mark.parametrize(
    ("case_type", "reason", "state_after", "next_deadline", "next_due"),
    [
        ("partial_refund", "damaged", "refunded", None, None),
        ("return_and_refund", "quality_problem", "awaiting_return", "buyer_ship_return", 7 * DAY),
        ("exchange", "wrong_item", "awaiting_return", "buyer_ship_return", 7 * DAY),
        ("repair", "quality_problem", "awaiting_return", "buyer_ship_return", 7 * DAY),
        ("reship", "missing_items", "awaiting_replacement", "seller_ship_replacement", 7 * DAY),
    ],
)
def test_seller_silence_auto_agrees_every_case_type(
    client: TestClient,
    rt: Runtime,
    clock: ManualClock,
    case_type: str,
    reason: str,
    state_after: str,
    next_deadline: str | None,
    next_due: timedelta | None,
) -> None:
    builders.order(client, upto="shipped")
    case = builders.opened_case(client, case_type=case_type, reason=reason)
    due = START + 72 * HOUR
    assert only_deadline(case) == ("seller_response", due)

    assert_fires_exactly_at(rt, clock, due)

    after = builders.case_answer(client, case["id"])
    assert after["state"] == state_after
    assert system_entries(after, 1)[0] == ("system", "agree", "requested", after["timeline"][1]["to_state"])
    if next_deadline is None:
        assert after["deadlines"] == []
    else:
        assert next_due is not None
        assert only_deadline(after) == (next_deadline, due + next_due)


def test_modify_restarts_the_seller_clock(client: TestClient, rt: Runtime, clock: ManualClock) -> None:
    builders.order(client)
    case = builders.opened_case(client, case_type="refund_only", reason="ordered_by_mistake")
    clock.advance(48 * HOUR)
    modified = act(client, case["id"], "modify", as_buyer(), {"refund_amount_fen": 30000})
    assert modified["state"] == "requested"
    new_due = START + 48 * HOUR + 72 * HOUR
    assert only_deadline(modified) == ("seller_response", new_due)

    # The original 72 h pass: the old deadline was cancelled, so nothing fires.
    clock.advance(24 * HOUR)
    assert fire(rt).fired == 0
    assert builders.case_answer(client, case["id"])["state"] == "requested"
    statuses = [d.status for d in deadline_rows(rt, case_id=case["id"])]
    assert statuses == ["cancelled", "pending"]

    assert_fires_exactly_at(rt, clock, new_due)
    after = builders.case_answer(client, case["id"])
    assert after["state"] == "refunded"
    assert after["refund_amount_fen"] == 30000
    assert builders.order_answer(client)["lines"][0]["refunded_fen"] == 30000


@pytest.mark.parametrize(
    ("action", "headers", "body", "state_after"),
    [
        ("refuse", as_seller(), {"reason": "商品已发出"}, "refused"),
        ("propose", as_seller(), {"refund_amount_fen": 10000, "note": "退100元"}, "proposed"),
        ("agree", as_seller(), None, "refunded"),
        ("withdraw", as_buyer(), None, "withdrawn"),
    ],
)
def test_a_move_cancels_the_old_deadline_for_good(
    client: TestClient,
    rt: Runtime,
    clock: ManualClock,
    action: str,
    headers: dict[str, str],
    body: dict[str, Any] | None,
    state_after: str,
) -> None:
    builders.order(client)
    case = builders.opened_case(client, case_type="refund_only", reason="ordered_by_mistake")
    clock.advance(HOUR)
    moved = act(client, case["id"], action, headers, body)
    assert moved["state"] == state_after
    timeline = moved["timeline"]

    clock.advance(72 * HOUR)  # long past the seller_response deadline
    report = fire(rt)
    assert report.fired == 0
    after = builders.case_answer(client, case["id"])
    assert after["state"] == state_after
    assert after["timeline"] == timeline
    seller_response = deadline_rows(rt, case_id=case["id"], kind="seller_response")
    assert [d.status for d in seller_response] == ["cancelled"]
    assert seller_response[0].fired_at is None


# --- buyer_response: a refused or countered buyer who stays silent ------------------------------------


def _to_refused(client: TestClient) -> dict[str, Any]:
    builders.order(client)
    case = builders.opened_case(client, case_type="refund_only", reason="ordered_by_mistake")
    return act(client, case["id"], "refuse", as_seller(), {"reason": "已经发货了"})


def _to_proposed(client: TestClient) -> dict[str, Any]:
    builders.order(client)
    case = builders.opened_case(client, case_type="refund_only", reason="ordered_by_mistake")
    return act(client, case["id"], "propose", as_seller(), {"refund_amount_fen": 20000})


def _to_return_rejected(client: TestClient) -> dict[str, Any]:
    builders.order(client, upto="shipped")
    case = builders.opened_case(client, case_type="return_and_refund", reason="quality_problem")
    act(client, case["id"], "agree", as_seller())
    act(client, case["id"], "ship_return", as_buyer(), {"courier": "YTO", "tracking_no": "YT1"})
    return act(client, case["id"], "reject_return", as_seller(), {"reason": "退回商品有使用痕迹"})


@pytest.mark.parametrize("reach", [_to_refused, _to_proposed, _to_return_rejected], ids=lambda f: f.__name__[4:])
def test_buyer_silence_after_refusal_proposal_or_rejected_return_closes(
    client: TestClient, rt: Runtime, clock: ManualClock, reach: Any
) -> None:
    clock.advance(5 * HOUR)
    case = reach(client)
    source = case["state"]
    assert source in {"refused", "proposed", "return_rejected"}
    due = clock.now() + 7 * DAY
    assert only_deadline(case) == ("buyer_response", due)
    seen = len(case["timeline"])

    report = assert_fires_exactly_at(rt, clock, due)
    assert report.outcomes == [f"case {case['id']}: timeout_close → closed"]

    after = builders.case_answer(client, case["id"])
    assert after["state"] == "closed"
    assert after["deadlines"] == []
    assert utc(after["resolved_at"]) == due
    assert system_entries(after, seen) == [("system", "timeout_close", source, "closed")]
    assert all(line["refunded_fen"] == 0 for line in builders.order_answer(client)["lines"])


# --- returns ------------------------------------------------------------------------------------------


def test_buyer_who_never_ships_the_return_is_closed_after_7_days(
    client: TestClient, rt: Runtime, clock: ManualClock
) -> None:
    builders.order(client, upto="shipped")
    case = builders.opened_case(client, case_type="return_and_refund", reason="quality_problem")
    clock.advance(3 * HOUR)
    agreed = act(client, case["id"], "agree", as_seller())
    due = START + 3 * HOUR + 7 * DAY
    assert only_deadline(agreed) == ("buyer_ship_return", due)

    assert_fires_exactly_at(rt, clock, due)
    after = builders.case_answer(client, case["id"])
    assert after["state"] == "closed"
    assert system_entries(after, len(agreed["timeline"])) == [("system", "timeout_close", "awaiting_return", "closed")]
    assert builders.order_answer(client)["lines"][0]["refunded_fen"] == 0


def _shipped_return(client: TestClient, clock: ManualClock, case_type: str = "return_and_refund") -> dict[str, Any]:
    builders.order(client, upto="shipped")
    case = builders.opened_case(client, case_type=case_type, reason="quality_problem")
    clock.advance(HOUR)
    act(client, case["id"], "agree", as_seller())
    clock.advance(DAY)
    return act(client, case["id"], "ship_return", as_buyer(), {"courier": "YTO", "tracking_no": "YT1"})


def test_seller_who_never_confirms_the_return_is_auto_refunded_10_days_after_shipment(
    client: TestClient, rt: Runtime, clock: ManualClock
) -> None:
    case = _shipped_return(client, clock)
    shipped_at = clock.now()
    due = shipped_at + 10 * DAY
    assert only_deadline(case) == ("seller_confirm_return", due)

    assert_fires_exactly_at(rt, clock, due)
    after = builders.case_answer(client, case["id"])
    assert after["state"] == "refunded"
    assert system_entries(after, len(case["timeline"])) == [
        ("system", "confirm_return", "return_shipped", "refunding"),
        ("system", "execute_refund", "refunding", "refunded"),
    ]
    assert builders.order_answer(client)["lines"][0]["refunded_fen"] == 39900


def test_exchange_return_auto_confirmed_waits_for_the_replacement(
    client: TestClient, rt: Runtime, clock: ManualClock
) -> None:
    case = _shipped_return(client, clock, "exchange")
    due = clock.now() + 10 * DAY
    assert only_deadline(case) == ("seller_confirm_return", due)

    assert_fires_exactly_at(rt, clock, due)
    after = builders.case_answer(client, case["id"])
    assert after["state"] == "awaiting_replacement"
    assert system_entries(after, len(case["timeline"])) == [
        ("system", "confirm_return", "return_shipped", "awaiting_replacement")
    ]
    assert only_deadline(after) == ("seller_ship_replacement", due + 7 * DAY)
    assert builders.order_answer(client)["lines"][0]["refunded_fen"] == 0


@pytest.mark.parametrize("signed_after", [timedelta(0), 2 * DAY, 9 * DAY + 23 * HOUR])
def test_courier_signature_never_pushes_the_confirm_deadline_later(
    client: TestClient, rt: Runtime, clock: ManualClock, signed_after: timedelta
) -> None:
    """Under the default policy both clocks are 10 days, and a return is signed after it was
    shipped, so the earlier of the two is always shipped + 10 d."""
    case = _shipped_return(client, clock)
    shipped_at = clock.now()
    clock.advance(signed_after)
    signed = act(client, case["id"], "return_signed", COURIER)
    assert signed["state"] == "return_shipped"
    assert signed["timeline"][-1]["actor"] == "courier:SF"
    assert signed["return_shipment"]["signed_at"] is not None
    due = shipped_at + 10 * DAY
    assert only_deadline(signed) == ("seller_confirm_return", due)

    assert_fires_exactly_at(rt, clock, due)
    assert builders.case_answer(client, case["id"])["state"] == "refunded"
    rows = deadline_rows(rt, case_id=case["id"], kind="seller_confirm_return")
    assert sorted(d.status for d in rows) == ["cancelled", "fired"]


def test_a_signed_return_that_was_delivered_earlier_fires_on_the_signed_clock(
    client: TestClient, rt: Runtime, clock: ManualClock
) -> None:
    """The courier reports the signature later, with the time it happened."""
    case = _shipped_return(client, clock)
    shipped_at = clock.now()
    clock.advance(5 * DAY)
    signed_at = shipped_at + DAY
    signed = act(client, case["id"], "return_signed", COURIER, {"at": signed_at.isoformat()})
    assert signed["return_shipment"]["signed_at"] == signed_at.isoformat()
    assert only_deadline(signed) == ("seller_confirm_return", shipped_at + 10 * DAY)
    assert_fires_exactly_at(rt, clock, shipped_at + 10 * DAY)


@pytest.fixture
def short_signed_clock(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A policy in which the seller has 10 days from shipment but only 3 from the signature."""
    policy_text = (
        default_policy_text()
        .replace('version = "tmall-2026.2"', 'version = "test-signed-3d"', 1)
        .replace(
            "seller_confirm_return_days_after_signed = { value = 10,",
            "seller_confirm_return_days_after_signed = { value = 3,",
            1,
        )
    )
    with rt.uow() as ctx:
        book = policies.activate(ctx.session, policy_text, ctx.now())
    assert book.current.deadlines.seller_confirm_return_days_after_signed.value == 3
    monkeypatch.setattr(rt, "policies", book)
    yield


@pytest.mark.usefixtures("short_signed_clock")
@pytest.mark.parametrize(
    ("signed_after", "due_after_shipment"),
    [
        (DAY, 4 * DAY),  # signed + 3 d comes first
        (7 * DAY, 10 * DAY),  # signed + 3 d would be day 10 too: equal
        (8 * DAY, 10 * DAY),  # shipped + 10 d comes first
    ],
)
def test_the_earlier_of_the_shipped_and_signed_clocks_applies(
    client: TestClient, rt: Runtime, clock: ManualClock, signed_after: timedelta, due_after_shipment: timedelta
) -> None:
    case = _shipped_return(client, clock)
    assert case["policy_version"] == "test-signed-3d"
    shipped_at = clock.now()
    due = shipped_at + 10 * DAY
    assert only_deadline(case) == ("seller_confirm_return", due)

    clock.advance(signed_after)
    signed = act(client, case["id"], "return_signed", COURIER)
    due = shipped_at + due_after_shipment
    assert only_deadline(signed) == ("seller_confirm_return", due)

    assert_fires_exactly_at(rt, clock, due)
    after = builders.case_answer(client, case["id"])
    assert after["state"] == "refunded"
    assert system_entries(after, len(signed["timeline"]))[0] == (
        "system",
        "confirm_return",
        "return_shipped",
        "refunding",
    )


def test_deadline_for_takes_the_earlier_return_clock() -> None:
    policy = default_policy()
    shipped = START
    facts = CaseFacts(
        state=CaseState.return_shipped,
        case_type=CaseType.return_and_refund,
        opened_at=START - DAY,
        state_entered_at=shipped,
        return_shipped_at=shipped,
    )
    assert deadline_for(facts, policy) == (DeadlineKind.seller_confirm_return, shipped + 10 * DAY)
    signed = replace(facts, return_signed_at=shipped + 2 * DAY)
    assert deadline_for(signed, policy) == (DeadlineKind.seller_confirm_return, shipped + 10 * DAY)
    short = policy.model_copy(
        update={
            "deadlines": policy.deadlines.model_copy(
                update={
                    "seller_confirm_return_days_after_signed": policy.deadlines.seller_confirm_return_days_after_signed.model_copy(
                        update={"value": 3}
                    )
                }
            )
        }
    )
    assert deadline_for(signed, short) == (DeadlineKind.seller_confirm_return, shipped + 5 * DAY)


# --- replacements -------------------------------------------------------------------------------------


def test_seller_who_never_ships_the_replacement_goes_to_intervention(
    client: TestClient, rt: Runtime, clock: ManualClock
) -> None:
    builders.order(client, upto="shipped")
    case = builders.opened_case(client, case_type="reship", reason="missing_items")
    clock.advance(2 * HOUR)
    agreed = act(client, case["id"], "agree", as_seller())
    assert agreed["state"] == "awaiting_replacement"
    due = START + 2 * HOUR + 7 * DAY
    assert only_deadline(agreed) == ("seller_ship_replacement", due)

    assert_fires_exactly_at(rt, clock, due)
    after = builders.case_answer(client, case["id"])
    assert after["state"] == "in_intervention"
    assert "seller_ship_replacement" not in [d["kind"] for d in after["deadlines"]]
    assert system_entries(after, len(agreed["timeline"])) == [
        ("system", "escalate", "awaiting_replacement", "in_intervention")
    ]


def test_buyer_who_never_confirms_the_replacement_is_deemed_to_have_it(
    client: TestClient, rt: Runtime, clock: ManualClock
) -> None:
    builders.order(client, upto="shipped")
    case = builders.opened_case(client, case_type="reship", reason="missing_items")
    act(client, case["id"], "agree", as_seller())
    clock.advance(DAY)
    shipped = act(client, case["id"], "ship_replacement", as_seller(), {"courier": "SF", "tracking_no": "SF200"})
    assert shipped["state"] == "replacement_shipped"
    due = START + DAY + 10 * DAY
    assert only_deadline(shipped) == ("buyer_confirm_replacement", due)

    assert_fires_exactly_at(rt, clock, due)
    after = builders.case_answer(client, case["id"])
    assert after["state"] == "resolved"
    assert utc(after["resolved_at"]) == due
    assert system_entries(after, len(shipped["timeline"])) == [
        ("system", "confirm_replacement", "replacement_shipped", "resolved")
    ]


# --- the order's auto-confirm of receipt --------------------------------------------------------------


def keep_open_until(client: TestClient, rt: Runtime, clock: ManualClock, until: datetime, *case_ids: int) -> None:
    """Let time pass with the cases open: the buyer keeps modifying (restarting the seller's clock),
    and at every step the worker runs and finds nothing due — the order's timer is paused."""
    while clock.now() < until:
        clock.advance(min(2 * DAY, until - clock.now()))
        assert fire(rt).fired == 0
        assert builders.order_answer(client)["state"] == "shipped"
        for case_id in case_ids:
            note = f"还在等 {clock.now().isoformat()}"
            assert act(client, case_id, "modify", as_buyer(), {"description": note})["state"] == "requested"


def test_shipped_order_auto_confirms_10_days_after_shipment(
    client: TestClient, rt: Runtime, clock: ManualClock
) -> None:
    builders.order(client)
    clock.advance(5 * HOUR)
    builders.order_events(client, "T1", "shipped")
    order = builders.order_answer(client)
    due = START + 5 * HOUR + 10 * DAY
    assert utc(order["auto_confirm_at"]) == due

    report = assert_fires_exactly_at(rt, clock, due)
    assert report.outcomes == ["order T1: auto-confirmed"]
    after = builders.order_answer(client)
    assert after["state"] == "completed"
    assert utc(after["completed_at"]) == due
    last = after["events"][-1]
    assert (last["kind"], last["from_state"], last["to_state"], last["data"].get("actor")) == (
        "confirmed",
        "shipped",
        "completed",
        "system",
    )
    assert utc(last["at"]) == due


def test_buyer_confirming_first_cancels_the_auto_confirm(client: TestClient, rt: Runtime, clock: ManualClock) -> None:
    builders.order(client, upto="shipped")
    clock.advance(DAY)
    confirmed = client.post(f"{API}/orders/T1/events", json={"kind": "confirmed"}).json()
    assert confirmed["state"] == "completed"
    last = confirmed["events"][-1]  # the timeline names the state the order came from
    assert (last["kind"], last["from_state"], last["to_state"]) == ("confirmed", "shipped", "completed")
    clock.advance(10 * DAY)
    assert fire(rt).fired == 0
    assert utc(builders.order_answer(client)["completed_at"]) == START + DAY
    assert [d.status for d in deadline_rows(rt, order_id="T1")] == ["cancelled"]


@pytest.mark.parametrize(
    ("case_ends_after", "rearmed_after"),
    [
        (2 * DAY, 10 * DAY),  # 8 days left: the original time stands
        (7 * DAY, 10 * DAY),  # exactly 3 days left
        (8 * DAY, 11 * DAY),  # 2 days left: extended to 3 days from the end of the case
        (12 * DAY, 15 * DAY),  # the original time passed while paused
    ],
)
def test_auto_confirm_pauses_while_an_in_trade_case_is_open(
    client: TestClient, rt: Runtime, clock: ManualClock, case_ends_after: timedelta, rearmed_after: timedelta
) -> None:
    builders.order(client, upto="shipped")
    shipped_at = START
    clock.advance(DAY)
    case = builders.opened_case(client, case_type="return_and_refund", reason="quality_problem")
    assert [d.status for d in deadline_rows(rt, order_id="T1")] == ["cancelled"]

    keep_open_until(client, rt, clock, shipped_at + case_ends_after, case["id"])  # past 10 days too: paused
    act(client, case["id"], "withdraw", as_buyer())
    due = shipped_at + rearmed_after
    order = builders.order_answer(client)
    assert utc(order["auto_confirm_at"]) == due
    assert [d.due_at for d in deadline_rows(rt, order_id="T1", status="pending")] == [due]

    assert_fires_exactly_at(rt, clock, due)
    assert builders.order_answer(client)["state"] == "completed"


def test_auto_confirm_waits_for_every_in_trade_case(client: TestClient, rt: Runtime, clock: ManualClock) -> None:
    builders.order(client, upto="shipped")
    first = builders.opened_case(client, case_type="refund_only", reason="not_received", lines=[{"line_no": 1}])
    second = builders.opened_case(client, case_type="refund_only", reason="not_received", lines=[{"line_no": 2}])
    keep_open_until(client, rt, clock, START + 9 * DAY, first["id"], second["id"])
    act(client, first["id"], "withdraw", as_buyer())
    assert deadline_rows(rt, order_id="T1", status="pending") == []  # the second case still pauses it
    keep_open_until(client, rt, clock, START + 11 * DAY, second["id"])
    act(client, second["id"], "withdraw", as_buyer())
    due = START + 11 * DAY + 3 * DAY
    assert utc(builders.order_answer(client)["auto_confirm_at"]) == due
    assert_fires_exactly_at(rt, clock, due)
    assert builders.order_answer(client)["state"] == "completed"


def test_case_opened_before_shipment_pauses_the_auto_confirm_armed_later(
    client: TestClient, rt: Runtime, clock: ManualClock
) -> None:
    builders.order(client)
    case = builders.opened_case(client, case_type="refund_only", reason="ordered_by_mistake", lines=[{"line_no": 2}])
    refused = act(client, case["id"], "refuse", as_seller(), {"reason": "已经发货了"})
    clock.advance(HOUR)
    builders.order_events(client, "T1", "shipped")
    order = builders.order_answer(client)
    assert utc(order["auto_confirm_at"]) == START + HOUR + 10 * DAY
    assert deadline_rows(rt, order_id="T1") == []
    # The refused case closes by itself after 7 days; then the order's timer resumes.
    assert only_deadline(refused) == ("buyer_response", START + 7 * DAY)
    assert_fires_exactly_at(rt, clock, START + 7 * DAY)
    assert builders.case_answer(client, case["id"])["state"] == "closed"
    due = START + HOUR + 10 * DAY
    assert [d.due_at for d in deadline_rows(rt, order_id="T1", status="pending")] == [due]
    assert_fires_exactly_at(rt, clock, due)
    assert builders.order_answer(client)["state"] == "completed"


def test_post_trade_case_does_not_touch_auto_confirm(client: TestClient, rt: Runtime, clock: ManualClock) -> None:
    builders.order(client, upto="shipped")
    assert_fires_exactly_at(rt, clock, START + 10 * DAY)
    case = builders.opened_case(client, case_type="return_and_refund", reason="quality_problem")
    assert case["phase"] == "post_trade"
    assert [d.status for d in deadline_rows(rt, order_id="T1")] == ["fired"]


# --- the ship deadline (stored on the order; compensation for lateness is elsewhere) ------------------


def test_ship_deadline_is_72_hours_after_payment(client: TestClient, clock: ManualClock) -> None:
    clock.advance(HOUR)
    builders.order(client)
    order = builders.order_answer(client)
    assert utc(order["ship_deadline"]) == START + HOUR + 72 * HOUR


def test_ship_deadline_counts_from_the_reported_payment_time(client: TestClient, clock: ManualClock) -> None:
    assert client.post(f"{API}/orders", json=order_body()).status_code == 201
    clock.advance(DAY)
    paid = client.post(f"{API}/orders/T1/events", json={"kind": "paid", "at": (START + HOUR).isoformat()})
    assert paid.status_code == 200, paid.text
    assert utc(paid.json()["ship_deadline"]) == START + HOUR + 72 * HOUR


def test_promotion_ship_deadline_is_168_hours(client: TestClient) -> None:
    builders.order(client, promotion="juhuasuan")
    order = builders.order_answer(client)
    assert utc(order["ship_deadline"]) == START + 168 * HOUR


@pytest.mark.parametrize(
    ("ship_by", "expected"),
    [
        (START + 20 * DAY, START + 20 * DAY),  # the listing's promised date
        (START + DAY, START + 72 * HOUR),  # never shorter than the ordinary deadline
    ],
)
def test_presale_ship_deadline_is_the_listing_date(client: TestClient, ship_by: datetime, expected: datetime) -> None:
    builders.order(client, presale_ship_by=ship_by.isoformat())
    order = builders.order_answer(client)
    assert utc(order["presale_ship_by"]) == ship_by
    assert utc(order["ship_deadline"]) == expected


def test_presale_beats_promotion(client: TestClient) -> None:
    ship_by = START + 30 * DAY
    builders.order(client, presale_ship_by=ship_by.isoformat(), promotion="juhuasuan")
    order = builders.order_answer(client)
    assert utc(order["ship_deadline"]) == ship_by


def test_no_deadline_row_is_left_pending_for_a_final_case(client: TestClient, rt: Runtime, clock: ManualClock) -> None:
    """Whatever ends a case, its deadlines are all fired or cancelled."""
    builders.order(client, upto="shipped")
    case = builders.opened_case(client, case_type="return_and_refund", reason="quality_problem")
    for _ in range(4):
        clock.advance(10 * DAY)
        fire(rt)
    after = builders.case_answer(client, case["id"])
    assert after["state"] == "closed"  # auto-agreed, then the buyer never shipped the return
    with rt.engine.connect() as conn:
        pending = conn.execute(
            text("SELECT count(*) FROM deadlines WHERE case_id = :c AND status = 'pending'"), {"c": case["id"]}
        ).scalar()
    assert pending == 0
