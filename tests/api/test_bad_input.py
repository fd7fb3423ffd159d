"""Bad input gets a clear 4xx — a stable machine-readable code and a sentence for people — and
changes nothing: every table of the schema has the same rows before and after. Never a 500.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peifu.adapters.runtime import Runtime
from peifu.domain.clock import ManualClock
from tests.builders import assert_clear_error, db_snapshot, nothing_changes
from tests.conftest import START, as_buyer, as_seller, order_body

API = "/api/v1"
JSON = {"content-type": "application/json"}
COURIER = {"X-Peifu-Actor": "courier:SF"}


# --- the database before and after -------------------------------------------------------------------


# --- a small world to aim bad requests at ------------------------------------------------------------


@dataclass
class World:
    paid_case: int  # T1 (paid): refund_only on line 1, requested
    return_case: int  # T2 (shipped): return_and_refund on line 1, the return shipped
    ids: dict[str, Any] = field(default_factory=dict)


def _ok(answer: Any) -> dict[str, Any]:
    assert answer.status_code in (200, 201), answer.text
    body: dict[str, Any] = answer.json()
    return body


@pytest.fixture
def world(client: TestClient, clock: ManualClock) -> World:
    for order_id in ("T1", "T2", "T3"):
        _ok(client.post(f"{API}/orders", json=order_body(order_id)))
    for order_id in ("T1", "T2"):
        _ok(client.post(f"{API}/orders/{order_id}/events", json={"kind": "paid"}))
    shipped = {"kind": "shipped", "courier": "SF", "tracking_no": "SF1"}
    _ok(client.post(f"{API}/orders/T2/events", json=shipped))
    paid_case = _ok(
        client.post(
            f"{API}/cases",
            json={
                "order_id": "T1",
                "lines": [{"line_no": 1, "refund_amount_fen": 100}],
                "case_type": "refund_only",
                "reason": "ordered_by_mistake",
            },
            headers=as_buyer(),
        )
    )
    return_case = _ok(
        client.post(
            f"{API}/cases",
            json={"order_id": "T2", "lines": [{"line_no": 1}], "case_type": "return_and_refund", "reason": "damaged"},
            headers=as_buyer(),
        )
    )
    _ok(client.post(f"{API}/cases/{return_case['id']}/agree", headers=as_seller()))
    clock.advance(timedelta(hours=1))
    _ok(
        client.post(
            f"{API}/cases/{return_case['id']}/ship-return",
            json={"courier": "YTO", "tracking_no": "YT1"},
            headers=as_buyer(),
        )
    )
    clock.advance(timedelta(hours=1))
    return World(paid_case=paid_case["id"], return_case=return_case["id"])


def case_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "order_id": "T1",
        "lines": [{"line_no": 2}],
        "case_type": "refund_only",
        "reason": "ordered_by_mistake",
    }
    body.update(overrides)
    return body


@dataclass(frozen=True)
class Bad:
    """One bad request: what is sent, and the status and code it must get."""

    name: str
    method: str
    path: str
    status: int
    code: str
    json: Any = None
    content: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    anonymous: bool = False  # sent without the client's default actor


def line(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"sku": "S", "title": "鞋", "category": "shoes", "unit_price_fen": 100, "quantity": 1}
    base.update(overrides)
    return base


FUTURE = (START + timedelta(days=1)).isoformat()
BUYER = as_buyer()
SELLER = as_seller()
CASE = "{paid_case}"
RETURN = "{return_case}"

BAD: list[Bad] = [
    # unknown things
    Bad("unknown order", "GET", "/orders/NOPE", 404, "order_not_found"),
    Bad("event for unknown order", "POST", "/orders/NOPE/events", 404, "order_not_found", json={"kind": "paid"}),
    Bad(
        "case on unknown order",
        "POST",
        "/cases",
        404,
        "order_not_found",
        json=case_body(order_id="NOPE"),
        headers=BUYER,
    ),
    Bad(
        "case on someone else's order",
        "POST",
        "/cases",
        404,
        "order_not_found",
        json=case_body(),
        headers=as_buyer("buyer-2"),
    ),
    Bad("unknown case", "GET", "/cases/999999", 404, "case_not_found"),
    Bad("action on unknown case", "POST", "/cases/999999/agree", 404, "case_not_found", headers=SELLER),
    Bad("someone else's case", "POST", f"/cases/{CASE}/agree", 404, "case_not_found", headers=as_seller("shop-2")),
    Bad("case id zero", "GET", "/cases/0", 422, "validation_error"),
    Bad("case id negative", "GET", "/cases/-1", 422, "validation_error"),
    Bad("case id not a number", "GET", "/cases/abc", 422, "validation_error"),
    Bad("case id beyond 32 bits", "GET", f"/cases/{2**31}", 422, "validation_error"),
    Bad("case id beyond 64 bits", "POST", f"/cases/{2**64}/agree", 422, "validation_error", headers=SELLER),
    Bad("page beyond any case", "GET", f"/cases?before_id={2**40}", 422, "validation_error", headers=SELLER),
    Bad("order id with NUL", "GET", "/orders/T1%00", 422, "validation_error"),
    Bad("order id too long", "POST", "/orders/" + "T" * 65 + "/events", 422, "validation_error", json={"kind": "paid"}),
    Bad("filter with NUL", "GET", "/cases?shop_id=shop-1%00", 422, "validation_error", headers=SELLER),
    Bad("unknown path", "GET", "/nowhere", 404, "not_found"),
    Bad("wrong method", "DELETE", "/orders/T1", 405, "method_not_allowed"),
    # amounts
    Bad(
        "negative amount",
        "POST",
        "/cases",
        422,
        "validation_error",
        json=case_body(lines=[{"line_no": 2, "refund_amount_fen": -1}]),
        headers=BUYER,
    ),
    Bad(
        "oversized amount",
        "POST",
        "/cases",
        422,
        "validation_error",
        json=case_body(lines=[{"line_no": 2, "refund_amount_fen": 10**12 + 1}]),
        headers=BUYER,
    ),
    Bad(
        "astronomical amount",
        "POST",
        "/cases",
        422,
        "validation_error",
        json=case_body(lines=[{"line_no": 2, "refund_amount_fen": 10**40}]),
        headers=BUYER,
    ),
    Bad(
        "fractional fen",
        "POST",
        "/cases",
        422,
        "validation_error",
        json=case_body(lines=[{"line_no": 2, "refund_amount_fen": 1.5}]),
        headers=BUYER,
    ),
    Bad(
        "amount as text",
        "POST",
        "/cases",
        422,
        "validation_error",
        json=case_body(lines=[{"line_no": 2, "refund_amount_fen": "lots"}]),
        headers=BUYER,
    ),
    Bad(
        "more than was paid",
        "POST",
        "/cases",
        422,
        "amount_exceeds_refundable",
        json=case_body(lines=[{"line_no": 2, "refund_amount_fen": 6001}]),
        headers=BUYER,
    ),
    Bad(
        "negative proposal",
        "POST",
        f"/cases/{CASE}/propose",
        422,
        "validation_error",
        json={"refund_amount_fen": -5},
        headers=SELLER,
    ),
    Bad(
        "proposal above paid",
        "POST",
        f"/cases/{CASE}/propose",
        422,
        "amount_exceeds_refundable",
        json={"refund_amount_fen": 39901},
        headers=SELLER,
    ),
    Bad(
        "negative modify",
        "POST",
        f"/cases/{CASE}/modify",
        422,
        "validation_error",
        json={"refund_amount_fen": -1},
        headers=BUYER,
    ),
    Bad(
        "negative price",
        "POST",
        "/orders",
        422,
        "validation_error",
        json=order_body("T9", lines=[line(unit_price_fen=-1)]),
    ),
    Bad("zero quantity", "POST", "/orders", 422, "validation_error", json=order_body("T9", lines=[line(quantity=0)])),
    Bad(
        "line price overflow",
        "POST",
        "/orders",
        422,
        "validation_error",
        json=order_body("T9", lines=[line(unit_price_fen=10**12, quantity=2)]),
    ),
    Bad(
        "discount above price",
        "POST",
        "/orders",
        422,
        "validation_error",
        json=order_body("T9", lines=[line(discount_fen=101)]),
    ),
    Bad("no lines", "POST", "/orders", 422, "validation_error", json=order_body("T9", lines=[])),
    # malformed bodies
    Bad("malformed order JSON", "POST", "/orders", 400, "malformed_json", content=b"{bad", headers=JSON),
    Bad("malformed case JSON", "POST", "/cases", 400, "malformed_json", content=b"{bad", headers={**JSON, **BUYER}),
    Bad(
        "truncated event JSON",
        "POST",
        "/orders/T1/events",
        400,
        "malformed_json",
        content=b'{"kind": "shipped",',
        headers=JSON,
    ),
    Bad(
        "malformed action JSON",
        "POST",
        f"/cases/{CASE}/refuse",
        400,
        "malformed_json",
        content=b"{bad",
        headers={**JSON, **SELLER},
    ),
    Bad("not UTF-8", "POST", "/orders", 400, "bad_request", content=b"\xff\xfe{", headers=JSON),
    Bad("empty body", "POST", "/orders", 422, "validation_error", content=b"", headers=JSON),
    Bad("array body", "POST", "/cases", 422, "validation_error", json=[case_body()], headers=BUYER),
    Bad("string body", "POST", "/orders/T1/events", 422, "validation_error", json="paid"),
    Bad("missing required body", "POST", f"/cases/{CASE}/refuse", 422, "validation_error", headers=SELLER),
    Bad("refusal without reason", "POST", f"/cases/{CASE}/refuse", 422, "validation_error", json={}, headers=SELLER),
    Bad("empty proposal", "POST", f"/cases/{CASE}/propose", 422, "validation_error", json={}, headers=SELLER),
    Bad("empty modification", "POST", f"/cases/{CASE}/modify", 422, "validation_error", json={}, headers=BUYER),
    # vocabulary
    Bad("unknown reason", "POST", "/cases", 422, "validation_error", json=case_body(reason="bored"), headers=BUYER),
    Bad(
        "unknown case type",
        "POST",
        "/cases",
        422,
        "validation_error",
        json=case_body(case_type="refund"),
        headers=BUYER,
    ),
    Bad("unknown event", "POST", "/orders/T1/events", 422, "validation_error", json={"kind": "teleported"}),
    Bad(
        "modify to unknown reason",
        "POST",
        f"/cases/{CASE}/modify",
        422,
        "validation_error",
        json={"reason": "bored"},
        headers=BUYER,
    ),
    Bad("unknown state filter", "GET", "/cases?state=limbo", 422, "validation_error", headers=BUYER),
    Bad("bad order id", "POST", "/orders", 422, "validation_error", json=order_body("T 1")),
    Bad("new order id too long", "POST", "/orders", 422, "validation_error", json=order_body("T" * 65)),
    # extra fields
    Bad(
        "extra field on a case",
        "POST",
        "/cases",
        422,
        "validation_error",
        json=case_body(refund_everything=True),
        headers=BUYER,
    ),
    Bad(
        "extra field on a case line",
        "POST",
        "/cases",
        422,
        "validation_error",
        json=case_body(lines=[{"line_no": 2, "paid_fen": 1}]),
        headers=BUYER,
    ),
    Bad("extra field on an order", "POST", "/orders", 422, "validation_error", json=order_body("T9", state="paid")),
    Bad(
        "extra field on an order line",
        "POST",
        "/orders",
        422,
        "validation_error",
        json=order_body("T9", lines=[line(refunded_fen=0)]),
    ),
    Bad(
        "extra field on an event",
        "POST",
        "/orders/T3/events",
        422,
        "validation_error",
        json={"kind": "paid", "amount_fen": 1},
    ),
    Bad(
        "extra field on an action",
        "POST",
        f"/cases/{CASE}/refuse",
        422,
        "validation_error",
        json={"reason": "不行", "state": "closed"},
        headers=SELLER,
    ),
    # the acting party
    Bad("missing actor on a new case", "POST", "/cases", 401, "unauthenticated", json=case_body(), anonymous=True),
    Bad("missing actor on an action", "POST", f"/cases/{CASE}/agree", 401, "unauthenticated", anonymous=True),
    Bad("missing actor on a list", "GET", "/cases", 401, "unauthenticated", anonymous=True),
    Bad("missing actor on an order", "POST", "/orders", 401, "unauthenticated", json=order_body("T9"), anonymous=True),
    Bad(
        "empty actor header",
        "POST",
        "/cases",
        401,
        "actor_required",
        json=case_body(),
        headers={"X-Peifu-Actor": ""},
        anonymous=True,
    ),
    Bad(
        "buyer cannot ingest orders", "POST", "/orders", 403, "actor_not_allowed", json=order_body("T9"), headers=BUYER
    ),
    Bad(
        "seller cannot report payment",
        "POST",
        "/orders/T3/events",
        403,
        "actor_not_allowed",
        json={"kind": "paid"},
        headers=SELLER,
    ),
    Bad(
        "actor without id",
        "POST",
        "/cases",
        422,
        "actor_invalid",
        json=case_body(),
        headers={"X-Peifu-Actor": "buyer"},
    ),
    Bad(
        "actor with empty id",
        "POST",
        "/cases",
        422,
        "actor_invalid",
        json=case_body(),
        headers={"X-Peifu-Actor": "buyer:  "},
    ),
    Bad(
        "unknown role",
        "POST",
        f"/cases/{CASE}/agree",
        422,
        "actor_invalid",
        headers={"X-Peifu-Actor": "wizard:merlin"},
    ),
    Bad(
        "clients cannot act as system",
        "POST",
        f"/cases/{CASE}/agree",
        422,
        "actor_invalid",
        headers={"X-Peifu-Actor": "system:worker"},
    ),
    Bad("bad actor on a read", "GET", "/orders/T1", 422, "actor_invalid", headers={"X-Peifu-Actor": "nobody:x"}),
    Bad(
        "actor id too long",
        "POST",
        f"/cases/{RETURN}/return-signed",
        422,
        "actor_invalid",
        headers={"X-Peifu-Actor": "courier:" + "S" * 65},
    ),
    Bad(
        "actor id with spaces",
        "GET",
        "/cases",
        422,
        "actor_invalid",
        headers={"X-Peifu-Actor": "buyer:buyer 1"},
    ),
    Bad("buyer cannot agree", "POST", f"/cases/{CASE}/agree", 403, "actor_not_allowed", headers=BUYER),
    Bad("seller cannot withdraw", "POST", f"/cases/{CASE}/withdraw", 403, "actor_not_allowed", headers=SELLER),
    Bad("seller cannot open a case", "POST", "/cases", 403, "actor_not_allowed", json=case_body(), headers=SELLER),
    # order events out of order or out of time
    Bad("paid twice", "POST", "/orders/T1/events", 409, "order_event_not_allowed", json={"kind": "paid"}),
    Bad(
        "shipped before paid",
        "POST",
        "/orders/T3/events",
        409,
        "order_event_not_allowed",
        json={"kind": "shipped", "courier": "SF", "tracking_no": "SF9"},
    ),
    Bad(
        "confirmed before shipped",
        "POST",
        "/orders/T1/events",
        409,
        "order_event_not_allowed",
        json={"kind": "confirmed"},
    ),
    Bad("signed before shipped", "POST", "/orders/T1/events", 409, "order_event_not_allowed", json={"kind": "signed"}),
    Bad(
        "paid again after shipping", "POST", "/orders/T2/events", 409, "order_event_not_allowed", json={"kind": "paid"}
    ),
    Bad(
        "shipped without tracking",
        "POST",
        "/orders/T1/events",
        422,
        "validation_error",
        json={"kind": "shipped", "courier": "SF"},
    ),
    Bad("event in the future", "POST", "/orders/T3/events", 422, "time_in_future", json={"kind": "paid", "at": FUTURE}),
    Bad(
        "event before the previous one",
        "POST",
        "/orders/T2/events",
        422,
        "time_before_previous_event",
        json={"kind": "signed", "at": (START - timedelta(days=1)).isoformat()},
    ),
    Bad(
        "event time not a time",
        "POST",
        "/orders/T3/events",
        422,
        "validation_error",
        json={"kind": "paid", "at": "yesterday"},
    ),
    Bad(
        "event time out of range",
        "POST",
        "/orders/T3/events",
        422,
        "validation_error",
        json={"kind": "paid", "at": "0001-01-01T00:00:00+14:00"},
    ),
    Bad(
        "order created in the future",
        "POST",
        "/orders",
        422,
        "time_in_future",
        json=order_body("T9", created_at=FUTURE),
    ),
    Bad(
        "presale date at the end of time",
        "POST",
        "/orders",
        422,
        "validation_error",
        json=order_body("T9", presale_ship_by="9999-12-31T23:00:00Z"),
    ),
    Bad(
        "return signed in the future",
        "POST",
        f"/cases/{RETURN}/return-signed",
        422,
        "time_in_future",
        json={"at": FUTURE},
        headers=COURIER,
    ),
    Bad(
        "return signed before it was shipped",
        "POST",
        f"/cases/{RETURN}/return-signed",
        422,
        "time_before_previous_event",
        json={"at": START.isoformat()},
        headers=COURIER,
    ),
    # orders
    Bad("duplicate order id", "POST", "/orders", 409, "order_exists", json=order_body("T1")),
    Bad(
        "duplicate order id with other content",
        "POST",
        "/orders",
        409,
        "order_exists",
        json=order_body("T1", shop={"id": "shop-9", "name": "别的店"}, lines=[line()]),
    ),
    Bad(
        "free shipping with a fee",
        "POST",
        "/orders",
        422,
        "validation_error",
        json=order_body("T9", free_shipping=True, shipping_fee_fen=800),
    ),
    Bad(
        "text with NUL",
        "POST",
        "/orders",
        422,
        "validation_error",
        json=order_body("T9", shop={"id": "s", "name": "a\x00"}),
    ),
    # case lines
    Bad(
        "line not in order",
        "POST",
        "/cases",
        422,
        "line_not_in_order",
        json=case_body(lines=[{"line_no": 3}]),
        headers=BUYER,
    ),
    Bad(
        "line not in order, with amount",
        "POST",
        "/cases",
        422,
        "line_not_in_order",
        json=case_body(lines=[{"line_no": 2}, {"line_no": 7, "refund_amount_fen": 1}]),
        headers=BUYER,
    ),
    Bad("line zero", "POST", "/cases", 422, "validation_error", json=case_body(lines=[{"line_no": 0}]), headers=BUYER),
    Bad(
        "duplicate line numbers",
        "POST",
        "/cases",
        422,
        "validation_error",
        json=case_body(lines=[{"line_no": 2}, {"line_no": 2}]),
        headers=BUYER,
    ),
    Bad("no case lines", "POST", "/cases", 422, "validation_error", json=case_body(lines=[]), headers=BUYER),
    Bad(
        "line already in an open case",
        "POST",
        "/cases",
        409,
        "case_already_open",
        json=case_body(lines=[{"line_no": 1}]),
        headers=BUYER,
    ),
    Bad(
        "case description with NUL",
        "POST",
        "/cases",
        422,
        "validation_error",
        json=case_body(description="坏了\x00"),
        headers=BUYER,
    ),
    Bad("unpaid order", "POST", "/cases", 422, "order_not_paid", json=case_body(order_id="T3"), headers=BUYER),
    # case actions in the wrong state
    Bad(
        "ship a return nobody agreed to",
        "POST",
        f"/cases/{CASE}/ship-return",
        409,
        "action_not_allowed",
        json={"courier": "SF", "tracking_no": "SF2"},
        headers=BUYER,
    ),
    Bad(
        "accept a proposal never made",
        "POST",
        f"/cases/{CASE}/accept-proposal",
        409,
        "action_not_allowed",
        headers=BUYER,
    ),
    Bad("escalate too early", "POST", f"/cases/{CASE}/escalate", 409, "too_early", headers=BUYER),
    Bad("agree twice", "POST", f"/cases/{RETURN}/agree", 409, "action_not_allowed", headers=SELLER),
    Bad(
        "sandbox clock when not a sandbox",
        "POST",
        "/sandbox/clock",
        404,
        "sandbox_disabled",
        json={"advance_seconds": 1},
    ),
]


@pytest.mark.parametrize("bad", BAD, ids=[b.name for b in BAD])
def test_bad_input_is_refused_clearly_and_changes_nothing(
    client: TestClient, rt: Runtime, world: World, bad: Bad
) -> None:
    path = API + bad.path.format(paid_case=world.paid_case, return_case=world.return_case)
    kwargs: dict[str, Any] = {"headers": bad.headers}
    if bad.content is not None:
        kwargs["content"] = bad.content
    elif bad.json is not None:
        kwargs["json"] = bad.json
    with nothing_changes(rt):
        if bad.anonymous:
            with TestClient(client.app, raise_server_exceptions=False) as anonymous:
                answer = anonymous.request(bad.method, path, **kwargs)
        else:
            answer = client.request(bad.method, path, **kwargs)
    assert_clear_error(answer, bad.status, bad.code)


def test_bad_input_names_are_unique() -> None:
    names = [b.name for b in BAD]
    assert len(names) == len(set(names))


def test_validation_errors_name_the_field(client: TestClient, world: World) -> None:
    answer = client.post(
        f"{API}/cases", json=case_body(lines=[{"line_no": 2, "refund_amount_fen": -1}]), headers=as_buyer()
    )
    error = assert_clear_error(answer, 422, "validation_error")
    assert "lines.0.refund_amount_fen" in error["message"]
    assert error["details"]["problems"][0]["field"] == "lines.0.refund_amount_fen"


def test_refused_requests_leave_the_case_as_it_was(client: TestClient, world: World) -> None:
    before = client.get(f"{API}/cases/{world.paid_case}").json()
    for bad in [
        client.post(f"{API}/cases/{world.paid_case}/agree", headers=as_buyer()),
        client.post(f"{API}/cases/{world.paid_case}/propose", json={"refund_amount_fen": 39901}, headers=as_seller()),
        client.post(f"{API}/cases/{world.paid_case}/modify", json={"refund_amount_fen": 10**9}, headers=as_buyer()),
    ]:
        assert 400 <= bad.status_code < 500, bad.text
    assert client.get(f"{API}/cases/{world.paid_case}").json() == before


# --- never a 500: mutated bodies ---------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(exclude_categories=["Cs"]), max_size=80),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)

TARGETS: list[tuple[str, str, dict[str, str], dict[str, Any]]] = [
    ("POST", "/orders", {}, order_body("T9")),
    ("POST", "/orders/T1/events", {}, {"kind": "shipped", "courier": "SF", "tracking_no": "SF1"}),
    ("POST", "/cases", as_buyer(), case_body(lines=[{"line_no": 2, "refund_amount_fen": 100}])),
    ("POST", "/cases/{paid_case}/modify", as_buyer(), {"reason": "other", "refund_amount_fen": 50}),
    ("POST", "/cases/{paid_case}/propose", as_seller(), {"refund_amount_fen": 50, "case_type": "refund_only"}),
    ("POST", "/cases/{return_case}/return-signed", {"X-Peifu-Actor": "courier:SF"}, {"at": START.isoformat()}),
]


def _mutations(body: dict[str, Any]) -> st.SearchStrategy[Any]:
    """The body with one field (top-level or in its first line) replaced, removed or added."""
    keys = sorted(body)
    replace = st.tuples(st.sampled_from(keys), json_values).map(lambda kv: {**body, kv[0]: kv[1]})
    remove = st.sampled_from(keys).map(lambda k: {key: v for key, v in body.items() if key != k})
    add = st.tuples(st.text(min_size=1, max_size=10), json_values).map(lambda kv: {**body, kv[0]: kv[1]})
    strategies = [replace, remove, add, json_values]
    if isinstance(body.get("lines"), list):
        first = body["lines"][0]
        in_line = st.tuples(st.sampled_from(sorted(first)), json_values).map(
            lambda kv: {**body, "lines": [{**first, kv[0]: kv[1]}]}
        )
        strategies.append(in_line)
    return st.one_of(strategies)


@pytest.mark.slow  # Hypothesis mutates bodies for every endpoint
@pytest.mark.parametrize("target", range(len(TARGETS)), ids=[t[1] for t in TARGETS])
def test_mutated_bodies_never_crash(client: TestClient, rt: Runtime, world: World, target: int) -> None:
    method, path_template, headers, body = TARGETS[target]
    path = API + path_template.format(paid_case=world.paid_case, return_case=world.return_case)

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(mutated=_mutations(body))
    def check(mutated: Any) -> None:
        before = db_snapshot(rt)
        answer = client.request(method, path, json=mutated, headers=headers)
        assert answer.status_code < 500, f"{answer.status_code} for {mutated!r}: {answer.text}"
        if answer.status_code >= 400:
            assert_clear_error(answer, answer.status_code, answer.json()["error"]["code"])
            assert db_snapshot(rt) == before, f"refused {mutated!r} but the database changed"

    check()
