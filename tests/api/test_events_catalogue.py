"""Every catalogued event is emitted by the change that should emit it, and by nothing else.

One table: each row sets a marketplace up (whatever that emits is not looked at), takes one
action, and names exactly the events the action must emit, in order. The union of the rows is the
whole catalogue (`test_the_table_covers_the_catalogue`). Every event emitted is checked against
its payload model in the OpenAPI document, and names the shop and buyer it concerns. Then: a unit
of work that rolls back emits nothing; a refused action emits nothing; a rolled-back savepoint
(an auto-handling rule the policy refuses) takes its events back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from peifu.adapters.api.event_routes import event_json
from peifu.adapters.api.event_schemas import payload_model
from peifu.adapters.runtime import Runtime
from peifu.domain.actors import Actor
from peifu.domain.clock import ManualClock
from peifu.domain.events import CATALOGUE, EventType
from peifu.domain.vocabulary import CaseAction, Role
from peifu.services import cases
from tests.event_support import AGENT, API, COURIER, OTHER_AGENT, Market, buyer, ok, seller, types_of

S = dict[str, Any]  # what a row's setup hands its action


@dataclass(frozen=True)
class Row:
    name: str
    setup: Callable[[Market], S]
    action: Callable[[Market, S], object]
    expected: tuple[str, ...]


def _nothing(m: Market) -> S:
    return {}


def _requested(m: Market, **kw: Any) -> S:
    m.order("O1", stage=kw.pop("stage", "paid"))
    return {"case": m.open("O1", **kw)}


def _refused(m: Market, **kw: Any) -> S:
    s = _requested(m, **kw)
    m.act(s["case"], "refuse", seller(), {"reason": "不同意"})
    return s


def _proposed(m: Market) -> S:
    s = _requested(m)
    m.act(s["case"], "propose", seller(), {"refund_amount_fen": 20000, "note": "退一半"})
    return s


def _return_agreed(m: Market, case_type: str = "return_and_refund") -> S:
    s = _requested(m, stage="shipped", case_type=case_type, reason="quality_problem")
    m.act(s["case"], "agree", seller())
    return s


def _return_shipped(m: Market, case_type: str = "return_and_refund") -> S:
    s = _return_agreed(m, case_type)
    m.act(s["case"], "ship_return", buyer(), {"courier": "SF", "tracking_no": "SF1", "shipping_fee_fen": 1200})
    return s


def _awaiting_replacement(m: Market) -> S:
    s = _return_shipped(m, "exchange")
    m.act(s["case"], "confirm_return", seller())
    return s


def _in_dispute(m: Market) -> S:
    m.order("O1", stage="shipped")
    case_id = m.refused_and_escalated("O1")
    return {"case": case_id, "dispute": m.dispute(case_id)["id"]}


def _ruled_for_buyer(m: Market) -> S:
    s = _in_dispute(m)
    m.rule(s["dispute"], "support_buyer", "seller")
    return s


def _ruled_for_seller(m: Market) -> S:
    s = _in_dispute(m)
    m.rule(s["dispute"], "support_seller", "buyer")
    return s


def _appealed(m: Market) -> S:
    s = _ruled_for_seller(m)
    body = {"reason": "有新证据", "evidence_text": "质检报告编号 QC-1"}
    ok(m.client.post(f"{API}/disputes/{s['dispute']}/appeal", json=body, headers=buyer()), 201)
    return s


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _photo(m: Market, dispute_id: int, who: dict[str, str]) -> None:
    files = {"file": ("photo.png", PNG + str(who).encode(), "image/png")}
    ok(
        m.client.post(f"{API}/disputes/{dispute_id}/evidence/files", data={"kind": "image"}, files=files, headers=who),
        201,
    )


def _completed(m: Market) -> S:
    return {"order": m.order("O1", stage="completed")}


def _complaint(m: Market, violation: str = "severe_mismatch") -> S:
    s = _completed(m)
    body = {"order_id": "O1", "violation": violation, "description": "收到的与描述严重不符"}
    s["complaint"] = ok(m.client.post(f"{API}/complaints", json=body, headers=buyer()), 201)["id"]
    return s


def _upheld(m: Market) -> S:
    s = _complaint(m)
    decide = {"upheld": True, "reasoning": "核实属实"}
    ok(m.client.post(f"{API}/complaints/{s['complaint']}/decision", json=decide, headers=AGENT))
    return s


def _penalty_appealed(m: Market) -> S:
    s = _upheld(m)
    ok(m.client.post(f"{API}/complaints/{s['complaint']}/appeal", json={"reason": "有误"}, headers=seller()))
    return s


def _marked(m: Market) -> S:
    s = _requested(m)
    body = {"reason": "职业索赔", "scope": "all"}
    ok(m.client.post(f"{API}/buyers/buyer-1/abuse-mark", json=body, headers=AGENT), 201)
    return s


def _ended(m: Market) -> S:
    s = _requested(m)
    m.act(s["case"], "agree", seller())
    return s


def _payout_waiting(m: Market) -> S:
    return _ended(m)


def _rule_for_requests(m: Market) -> S:
    m.order("O1")
    rule = {"name": "拍错极速退", "reasons": ["ordered_by_mistake"], "max_amount_fen": 100_000, "action": "agree"}
    ok(m.client.post(f"{API}/shops/shop-1/auto-rules", json=rule, headers=seller()), 201)
    return {}


def _due(m: Market, kind: str, s: S) -> S:
    """Move the clock to the deadline of `kind` the case waits on."""
    from datetime import datetime

    case = m.case(s["case"])
    due = next(d for d in case["deadlines"] if d["kind"] == kind and d["status"] == "pending")
    m.clock.set(datetime.fromisoformat(due["due_at"]["utc"]))
    return s


CASE_CLOSED = ("case.closed",)
ROWS = [
    Row("the marketplace pushes an order and its events: nothing to tell", _nothing, lambda m, s: m.order("O9"), ()),
    Row("a buyer opens a request", lambda m: {"order": m.order("O1")}, lambda m, s: m.open("O1"), ("case.opened",)),
    Row(
        "the shop's auto-handling rule answers a new request in the same unit of work",
        _rule_for_requests,
        lambda m, s: m.open("O1"),
        ("case.opened", "case.agreed", "case.refunded", *CASE_CLOSED),
    ),
    Row(
        "the seller agrees to a refund of one line",
        _requested,
        lambda m, s: m.act(s["case"], "agree", seller()),
        ("case.agreed", "case.refunded", *CASE_CLOSED),
    ),
    Row(
        "the seller agrees to a refund of the whole order: it closes",
        lambda m: _requested(m, lines=(1, 2)),
        lambda m, s: m.act(s["case"], "agree", seller()),
        ("case.agreed", "order.closed", "case.refunded", *CASE_CLOSED),
    ),
    Row(
        "the seller stays silent: the deadline agrees (the set-based path)",
        lambda m: _due(m, "seller_response", _requested(m, lines=(1, 2))),
        lambda m, s: m.fire(),
        ("case.agreed", "order.closed", "case.refunded", *CASE_CLOSED),
    ),
    Row(
        "the seller refuses",
        _requested,
        lambda m, s: m.act(s["case"], "refuse", seller(), {"reason": "不同意"}),
        ("case.refused",),
    ),
    Row(
        "the buyer changes the refused request",
        _refused,
        lambda m, s: m.act(s["case"], "modify", buyer(), {"reason": "no_longer_wanted"}),
        ("case.modified",),
    ),
    Row(
        "the seller proposes other terms",
        _requested,
        lambda m, s: m.act(s["case"], "propose", seller(), {"refund_amount_fen": 20000}),
        ("case.proposed",),
    ),
    Row(
        "the buyer accepts the proposal: agreed and refunded",
        _proposed,
        lambda m, s: m.act(s["case"], "accept_proposal", buyer()),
        ("case.proposal_accepted", "case.agreed", "case.refunded", *CASE_CLOSED),
    ),
    Row(
        "the buyer withdraws",
        _requested,
        lambda m, s: m.act(s["case"], "withdraw", buyer()),
        ("case.withdrawn", *CASE_CLOSED),
    ),
    Row(
        "the buyer asks the platform to step in: a dispute opens",
        _refused,
        lambda m, s: m.act(s["case"], "escalate", buyer()),
        ("case.escalated", "dispute.evidence_requested"),
    ),
    Row(
        "the seller agrees to a return",
        lambda m: _requested(m, stage="shipped", case_type="return_and_refund", reason="quality_problem"),
        lambda m, s: m.act(s["case"], "agree", seller()),
        ("case.agreed",),
    ),
    Row(
        "the buyer ships the goods back",
        _return_agreed,
        lambda m, s: m.act(s["case"], "ship_return", buyer(), {"courier": "SF", "tracking_no": "SF1"}),
        ("case.return_shipped",),
    ),
    Row(
        "the courier reports the return signed for",
        _return_shipped,
        lambda m, s: m.act(s["case"], "return_signed", COURIER, {}),
        ("case.return_signed",),
    ),
    Row(
        "the seller confirms the return: refunded",
        _return_shipped,
        lambda m, s: m.act(s["case"], "confirm_return", seller()),
        ("case.return_confirmed", "case.refunded", *CASE_CLOSED),
    ),
    Row(
        "the seller rejects what came back",
        _return_shipped,
        lambda m, s: m.act(s["case"], "reject_return", seller(), {"reason": "包装破损"}),
        ("case.return_rejected",),
    ),
    Row(
        "the seller ships the exchange",
        _awaiting_replacement,
        lambda m, s: m.act(s["case"], "ship_replacement", seller(), {"courier": "SF", "tracking_no": "SF2"}),
        ("case.replacement_shipped",),
    ),
    Row(
        "the buyer confirms the exchange",
        lambda m: (
            s := _awaiting_replacement(m),
            m.act(s["case"], "ship_replacement", seller(), {"courier": "SF", "tracking_no": "SF2"}),
        )[0],
        lambda m, s: m.act(s["case"], "confirm_replacement", buyer()),
        ("case.replacement_confirmed", *CASE_CLOSED),
    ),
    Row(
        "the seller never ships the exchange: the deadline escalates",
        lambda m: _due(m, "seller_ship_replacement", _awaiting_replacement(m)),
        lambda m, s: m.fire(),
        ("case.escalated", "dispute.evidence_requested"),
    ),
    Row(
        "the buyer lets the refusal stand: the request expires",
        lambda m: _due(m, "buyer_response", _refused(m)),
        lambda m, s: m.fire(),
        ("case.expired", *CASE_CLOSED),
    ),
    Row(
        "先行赔付: an agent pays a parcel the courier lost from the platform fund",
        lambda m: (
            s := _requested(m, stage="shipped", reason="not_received"),
            m.act(s["case"], "refuse", seller(), {"reason": "已发货"}),
            m.act(s["case"], "escalate", buyer()),
        )[0],
        lambda m, s: m.act(s["case"], "advance_compensation", AGENT),
        ("compensation.paid", "case.refunded", *CASE_CLOSED),
    ),
    Row(
        "a party submits evidence",
        _in_dispute,
        lambda m, s: ok(
            m.client.post(
                f"{API}/disputes/{s['dispute']}/evidence", json={"kind": "text", "text": "聊天记录"}, headers=seller()
            ),
            201,
        ),
        ("dispute.evidence_submitted",),
    ),
    Row(
        "the evidence deadline passes with the proof on file: ready for an agent",
        lambda m: (
            s := _in_dispute(m),
            _photo(m, s["dispute"], buyer()),
            _photo(m, s["dispute"], seller()),
            m.clock.set(m.dispute_row(s["dispute"]).evidence_deadline),
        )[0],
        lambda m, s: m.fire(),
        ("dispute.ready_for_review",),
    ),
    Row(
        "the evidence deadline passes without the seller's proof: ruled for the buyer by default",
        lambda m: (
            s := _in_dispute(m),
            _photo(m, s["dispute"], buyer()),
            m.clock.set(m.dispute_row(s["dispute"]).evidence_deadline),
        )[0],
        lambda m, s: m.fire(),
        ("case.ruled", "case.refunded", *CASE_CLOSED, "dispute.ruled"),
    ),
    Row(
        "an agent rules for the seller",
        _in_dispute,
        lambda m, s: m.rule(s["dispute"], "support_seller", "buyer"),
        ("case.ruled", *CASE_CLOSED, "dispute.ruled"),
    ),
    Row(
        "the buyer withdraws in intervention; the evidence deadline then finds it settled",
        lambda m: (
            s := _in_dispute(m),
            m.act(s["case"], "withdraw", buyer()),
            m.clock.set(m.dispute_row(s["dispute"]).evidence_deadline),
        )[0],
        lambda m, s: m.fire(),
        ("dispute.final",),
    ),
    Row(
        "the losing party appeals",
        _ruled_for_seller,
        lambda m, s: ok(
            m.client.post(
                f"{API}/disputes/{s['dispute']}/appeal",
                json={"reason": "有新证据", "evidence_text": "质检报告"},
                headers=buyer(),
            ),
            201,
        ),
        ("dispute.evidence_submitted", "dispute.appealed"),
    ),
    Row(
        "a second agent upholds the ruling",
        _appealed,
        lambda m, s: ok(
            m.client.post(
                f"{API}/disputes/{s['dispute']}/appeal/decision",
                json={"decision": "upheld", "reasoning": "维持原判"},
                headers=OTHER_AGENT,
            )
        ),
        ("appeal.decided", "dispute.final"),
    ),
    Row(
        "a second agent replaces the ruling: the buyer is refunded",
        _appealed,
        lambda m, s: ok(
            m.client.post(
                f"{API}/disputes/{s['dispute']}/appeal/decision",
                json={
                    "decision": "replaced",
                    "reasoning": "改判",
                    "ruling": {"outcome": "support_buyer", "liable_party": "seller", "reasoning": "质检报告有效"},
                },
                headers=OTHER_AGENT,
            )
        ),
        ("case.ruled", "case.refunded", *CASE_CLOSED, "dispute.ruled", "appeal.decided", "dispute.final"),
    ),
    Row(
        "the appeal window closes: the ruling is final",
        lambda m: (s := _ruled_for_buyer(m), m.clock.set(m.dispute_row(s["dispute"]).appeal_deadline))[0],
        lambda m, s: m.fire(),
        ("dispute.final",),
    ),
    Row("the payment service pays a refund out", _payout_waiting, lambda m, s: m.pay_out(), ("payout.sent",)),
    Row(
        "the payment service fails a payout",
        _payout_waiting,
        lambda m, s: m.pay_out(down=True),
        ("payout.failed",),
    ),
    Row(
        "nobody confirms receipt: the engine does",
        lambda m: (
            m.order("O1", stage="shipped"),
            m.clock.advance(timedelta(days=m.rt.policies.current.order.auto_confirm_days.value)),
        ),
        lambda m, s: m.fire(),
        ("order.confirmed",),
    ),
    Row(
        "the buyer rates the outcome",
        _ended,
        lambda m, s: ok(
            m.client.post(f"{API}/cases/{s['case']}/rating", json={"score": 5, "comment": "快"}, headers=buyer()),
            201,
        ),
        ("case.rated",),
    ),
    Row(
        "a buyer files a rule complaint",
        _completed,
        lambda m, s: ok(
            m.client.post(
                f"{API}/complaints",
                json={"order_id": "O1", "violation": "promise_not_honoured", "description": "赠品没给"},
                headers=buyer(),
            ),
            201,
        ),
        ("complaint.filed",),
    ),
    Row(
        "the buyer withdraws the complaint",
        _complaint,
        lambda m, s: ok(m.client.post(f"{API}/complaints/{s['complaint']}/withdraw", headers=buyer())),
        ("complaint.withdrawn",),
    ),
    Row(
        "an agent rejects the complaint",
        _complaint,
        lambda m, s: ok(
            m.client.post(
                f"{API}/complaints/{s['complaint']}/decision",
                json={"upheld": False, "reasoning": "证据不足"},
                headers=AGENT,
            )
        ),
        ("complaint.decided",),
    ),
    Row(
        "an agent upholds a 12-point complaint: points taken, a sanction follows",
        _complaint,
        lambda m, s: ok(
            m.client.post(
                f"{API}/complaints/{s['complaint']}/decision",
                json={"upheld": True, "reasoning": "核实属实"},
                headers=AGENT,
            )
        ),
        ("complaint.decided", "penalty.applied", "sanction.applied"),
    ),
    Row(
        "the shop appeals its penalty",
        _upheld,
        lambda m, s: ok(
            m.client.post(f"{API}/complaints/{s['complaint']}/appeal", json={"reason": "有误"}, headers=seller())
        ),
        ("complaint.appealed",),
    ),
    Row(
        "a second agent overturns the penalty: points back, sanction lifted",
        _penalty_appealed,
        lambda m, s: ok(
            m.client.post(
                f"{API}/complaints/{s['complaint']}/appeal/decision",
                json={"overturn": True, "reasoning": "撤销"},
                headers=OTHER_AGENT,
            )
        ),
        ("complaint.appeal_decided", "penalty.revoked", "sanction.lifted"),
    ),
    Row(
        "a second agent upholds the penalty",
        _penalty_appealed,
        lambda m, s: ok(
            m.client.post(
                f"{API}/complaints/{s['complaint']}/appeal/decision",
                json={"overturn": False, "reasoning": "维持"},
                headers=OTHER_AGENT,
            )
        ),
        ("complaint.appeal_decided",),
    ),
    Row(
        "the penalty leaves the period: the sanction lifts by itself",
        lambda m: (
            _upheld(m),
            m.clock.advance(timedelta(days=m.rt.policies.current.complaints.period_days.value, seconds=2)),
        )[0],
        lambda m, s: m.fire(),
        ("sanction.lifted",),
    ),
    Row(
        "an agent marks a buyer's claims as abusive",
        _requested,
        lambda m, s: ok(
            m.client.post(
                f"{API}/buyers/buyer-1/abuse-mark", json={"reason": "职业索赔", "scope": "all"}, headers=AGENT
            ),
            201,
        ),
        ("buyer.marked",),
    ),
    Row(
        "an agent lifts the mark",
        _marked,
        lambda m, s: ok(m.client.post(f"{API}/buyers/buyer-1/abuse-mark/lift", json={"reason": "误标"}, headers=AGENT)),
        ("buyer.mark_lifted",),
    ),
    Row(
        "a day before the seller's silence agrees: a reminder",
        lambda m: (
            _requested(m),
            m.clock.advance(timedelta(hours=m.rt.policies.current.deadlines.seller_response_hours.value - 24)),
        )[0],
        lambda m, s: m.remind(),
        ("deadline.approaching",),
    ),
]


# --- service complaints (售后投诉): one row per move ---------------------------------------------------


def _svc_move(m: Market, s: S, action: str, who: dict[str, str], **body: Any) -> Any:
    return ok(
        m.client.post(f"{API}/service-complaints/{s['svc']}/actions", json={"action": action, **body}, headers=who)
    )


def _svc_filed(m: Market) -> S:
    m.order("O1")
    body = {"order_id": "O1", "channel": "online", "description": "客服不回消息"}
    return {"svc": ok(m.client.post(f"{API}/service-complaints", json=body, headers=buyer()), 201)["id"]}


def _svc_registered(m: Market) -> S:
    s = _svc_filed(m)
    _svc_move(m, s, "register", AGENT, category="service")
    return s


def _svc_forwarded(m: Market) -> S:
    s = _svc_registered(m)
    _svc_move(m, s, "forward", AGENT)
    return s


def _svc_contacted(m: Market) -> S:
    s = _svc_forwarded(m)
    _svc_move(m, s, "contact", seller())
    return s


def _svc_proposed(m: Market) -> S:
    s = _svc_contacted(m)
    promised = (m.clock.now() + timedelta(days=2)).isoformat()
    _svc_move(m, s, "propose_remedy", seller(), remedy="补发配件", promised_by=promised)
    return s


def _svc_escalated(m: Market) -> S:
    s = _svc_forwarded(m)
    m.advance(timedelta(days=3))
    m.fire()
    return s


def _svc_reported(m: Market) -> S:
    s = _svc_proposed(m)
    _svc_move(m, s, "report_done", seller(), result="已补发")
    return s


ROWS += [
    Row(
        "a buyer files a service complaint",
        _nothing,
        lambda m, s: _svc_filed(m),
        ("service_complaint.filed",),
    ),
    Row(
        "an agent classifies and registers it",
        _svc_filed,
        lambda m, s: _svc_move(m, s, "register", AGENT, category="service"),
        ("service_complaint.registered",),
    ),
    Row(
        "an agent forwards it to the shop",
        _svc_registered,
        lambda m, s: _svc_move(m, s, "forward", AGENT),
        ("service_complaint.forwarded",),
    ),
    Row(
        "the shop contacts the buyer",
        _svc_forwarded,
        lambda m, s: _svc_move(m, s, "contact", seller()),
        ("service_complaint.contacted",),
    ),
    Row(
        "the shop proposes a remedy",
        _svc_contacted,
        lambda m, s: _svc_move(
            m, s, "propose_remedy", seller(), remedy="补发", promised_by=(m.clock.now() + timedelta(days=2)).isoformat()
        ),
        ("service_complaint.remedy_proposed",),
    ),
    Row(
        "the shop reports the remedy done",
        _svc_proposed,
        lambda m, s: _svc_move(m, s, "report_done", seller(), result="已补发"),
        ("service_complaint.remedy_reported",),
    ),
    Row(
        "the shop never contacts the buyer: the miss, then an agent",
        _svc_forwarded,
        lambda m, s: (m.advance(timedelta(days=3)), m.fire()),
        ("service_complaint.step_missed", "service_complaint.escalated"),
    ),
    Row(
        "an agent settles an escalated complaint",
        _svc_escalated,
        lambda m, s: _svc_move(m, s, "resolve", AGENT, note="小二协调解决"),
        ("service_complaint.resolved",),
    ),
    Row(
        "the buyer rates how it was handled",
        _svc_reported,
        lambda m, s: _svc_move(m, s, "rate", buyer(), rating=4),
        ("service_complaint.rated", "service_complaint.closed"),
    ),
]


@pytest.fixture
def market(client: TestClient, rt: Runtime, clock: ManualClock) -> Market:
    return Market(client, rt, clock)


@pytest.mark.parametrize("row", ROWS, ids=[r.name for r in ROWS])
def test_each_change_emits_exactly_its_events(market: Market, row: Row) -> None:
    state = row.setup(market)
    before = market.last_event()
    row.action(market, state)
    emitted = market.events_after(before)
    assert types_of(emitted) == list(row.expected)
    for event in emitted:
        spec = CATALOGUE[EventType(event.type)]
        assert event.subject == spec.subject
        payload = event_json(event)
        payload_model(EventType(event.type)).model_validate(payload)  # what the OpenAPI document promises
        if event.type.startswith(("case.", "dispute.", "compensation.", "complaint.", "order.")):
            assert (event.shop_id, event.buyer_id) == ("shop-1", "buyer-1"), event.type
        if event.type.startswith(("penalty.", "sanction.")):
            assert (event.shop_id, event.buyer_id) == ("shop-1", None)
        if event.case_id is not None:
            assert event.ordering_key == f"case:{event.case_id}"


def test_the_table_covers_the_catalogue() -> None:
    covered = {t for row in ROWS for t in row.expected}
    assert covered == {str(t) for t in EventType}, sorted({str(t) for t in EventType} - covered)


def test_case_events_carry_the_case_as_it_stands_after_the_move(market: Market) -> None:
    state = _requested(market, lines=(1, 2))
    before = market.last_event()
    market.act(state["case"], "agree", seller(), {"note": "同意"})
    agreed, closed_order, refunded, ended = market.events_after(before)
    assert agreed.data["case"]["state"] == "refunding"
    assert agreed.data["action"] == {
        "name": "agree",
        "actor": {"role": "seller", "id": "shop-1"},
        "from_state": "requested",
        "to_state": "refunding",
        "seq": 2,
        "data": {"note": "同意"},
    }
    assert refunded.data["case"]["state"] == ended.data["case"]["state"] == "refunded"
    assert refunded.data["action"]["data"]["refund_amount_fen"] == 39900 + 2000
    assert closed_order.data["order"]["state"] == "closed"
    assert closed_order.data["because"] == {"reason": "fully_refunded", "case_id": state["case"]}
    assert len({e.event_id for e in (agreed, closed_order, refunded, ended)}) == 4


def test_a_new_request_shows_the_deadline_that_acts_by_itself(market: Market, clock: ManualClock) -> None:
    market.order("O1")
    before = market.last_event()
    market.open("O1")
    (opened,) = market.events_after(before)
    hours = market.rt.policies.current.deadlines.seller_response_hours.value
    assert opened.data["case"]["deadline"] == {
        "kind": "seller_response",
        "due_at": (clock.now() + timedelta(hours=hours)).isoformat().replace("+00:00", "Z"),
    }


# --- nothing is told that did not happen ------------------------------------------------------------


class Boom(Exception):
    pass


def test_a_unit_of_work_that_rolls_back_emits_nothing(market: Market) -> None:
    state = _requested(market, lines=(1, 2))
    before = market.last_event()
    with pytest.raises(Boom), market.rt.uow() as ctx:
        cases.act(ctx, state["case"], CaseAction.agree, Actor(Role.seller, "shop-1"))
        assert ctx.pending == []  # reacted to; the rows go with the transaction
        raise Boom
    assert market.events_after(before) == []
    assert market.case(state["case"])["state"] == "requested"


def test_a_refused_action_emits_nothing(market: Market) -> None:
    state = _requested(market)
    before = market.last_event()
    resp = market.client.post(f"{API}/cases/{state['case']}/confirm-return", headers=seller())
    assert resp.status_code == 409
    assert market.events_after(before) == []


def test_a_rule_the_policy_refuses_takes_its_events_back_with_its_savepoint(market: Market) -> None:
    """The shop's rule would propose a reason the order is not eligible for: the savepoint around the
    rule's move rolls back, and with it every event the move recorded; the request waits."""
    market.order("O1")
    rule = {
        "name": "请改成七天无理由",
        "reasons": ["ordered_by_mistake"],
        "action": "ask_to_modify_reason",
        "suggested_reason": "seven_day_no_reason",
    }
    ok(market.client.post(f"{API}/shops/shop-1/auto-rules", json=rule, headers=seller()), 201)
    before = market.last_event()
    case_id = market.open("O1")
    assert types_of(market.events_after(before)) == ["case.opened"]
    assert market.case(case_id)["state"] == "requested"


def test_every_event_type_is_in_the_openapi_webhook_section(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert set(spec["webhooks"]) == {str(t) for t in EventType}
    for name, entry in spec["webhooks"].items():
        assert CATALOGUE[EventType(name)].zh in entry["post"]["summary"]
        assert entry["post"]["requestBody"]["content"]["application/json"]["schema"]
