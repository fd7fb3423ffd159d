"""After-sale metrics: hand-computed figures on a small marketplace, abusive claims left out,
category percentiles and the 90 % flag, window edges, CSV, access control and bad input; the
pure formulas by property; the incremental rollups against a rebuild from the raw tables.

The marketplace (clock starts at START = 2026-11-11 02:00 UTC; "+1h" is 03:00 that day):

shoes
  shop-a  10 orders paid at START, and G1 paid 2026-11-10 23:59:59 (before the default window)
          A1 opened +1h, seller agrees +3h               → refunded; response 7200, resolution 7200
          A2 opened +1h, seller refuses +2h, buyer withdraws +5h → response 3600, resolution 14400
          A3 opened +1h, seller refuses +1h30, escalated, ruled for the buyer (seller liable)
             at +1d+1h                                    → response 1800, resolution 86400, lost
          A4 opened +1h, seller silent, system auto-agrees at +3d+1h → response/resolution 259200
  shop-b  4 orders; B1 agreed +1h10 (600/600); B2 refused +1h20, escalated, ruled for the seller
          (buyer liable) at +1d+1h → response 1200, resolution 86400, disputed but not lost
  shop-c  5 orders; C1 agreed +2h (3600/3600); C2 marked abusive (its order counts nowhere);
          C3 still waiting for the seller
toys
  shop-d  2 orders; D1 agreed +1h30 (1800/1800)
  shop-e  1 order, no case
  shop-f  no category of its own: one paid order with lines toys, toys, shoes → ranked in toys;
          a second order never paid

"Today" is then set to 2026-12-10 12:00, so the default 30-day window is 2026-11-11..2026-12-10.

Here: through the HTTP API on a real database (the rules alone: tests/domain/test_metrics.py).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from peifu.adapters.runtime import Runtime
from peifu.domain import metrics as rules
from peifu.domain.actors import SYSTEM, Actor
from peifu.domain.clock import ManualClock
from peifu.domain.policy import default_policy_text
from peifu.domain.vocabulary import CaseAction, Role
from peifu.services import cases as case_service
from peifu.services import metrics as metric_service
from peifu.services import policies
from tests import builders
from tests.conftest import START, as_buyer, as_seller
from tests.domain.test_metrics import H

API = "/api/v1"
AGENT = {"X-Peifu-Actor": "agent:xiaoer-1"}
AGENT_2 = {"X-Peifu-Actor": "agent:xiaoer-2"}
TODAY = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)


def _line(category: str, price: int = 10000) -> dict[str, Any]:
    return {"sku": f"SKU-{category}", "title": category, "category": category, "unit_price_fen": price, "quantity": 1}


def paid_order(
    client: TestClient,
    order_id: str,
    shop: str,
    category: str | None,
    lines: list[str] | None = None,
    *,
    paid_at: datetime | None = None,
    pay: bool = True,
) -> None:
    """An order of `shop` (named after it) by `buyer-<order_id>`, one line per category, paid now or
    at `paid_at` (checked out an hour before), or not paid at all."""
    builders.order(
        client,
        order_id,
        upto="paid" if pay else "awaiting_payment",
        shop=shop,
        shop_name=shop,
        category=category,
        buyer=f"buyer-{order_id}",
        at=paid_at,
        lines=[_line(c) for c in (lines or [category or "misc"])],
        **({"created_at": (paid_at - H).isoformat()} if paid_at is not None else {}),
    )


def seller_of(shop: str) -> dict[str, str]:
    return as_seller(shop)


def rule(client: TestClient, case_id: int, outcome: str, liable: str) -> None:
    dispute = client.get(f"{API}/cases/{case_id}/dispute", headers=AGENT)
    assert dispute.status_code == 200, dispute.text
    body = {"outcome": outcome, "liable_party": liable, "reasoning": "判定理由 / reasons"}
    answer = client.post(f"{API}/disputes/{dispute.json()['id']}/ruling", json=body, headers=AGENT)
    assert answer.status_code == 200, answer.text


@pytest.fixture
def world(client: TestClient, clock: ManualClock, rt: Runtime) -> dict[str, int]:
    for n in range(1, 11):
        paid_order(client, f"A{n}", "shop-a", "shoes")
    paid_order(client, "G1", "shop-a", "shoes", paid_at=datetime(2026, 11, 10, 23, 59, 59, tzinfo=UTC))
    for n in range(1, 5):
        paid_order(client, f"B{n}", "shop-b", "shoes")
    for n in range(1, 6):
        paid_order(client, f"C{n}", "shop-c", "shoes")
    paid_order(client, "D1", "shop-d", "toys")
    paid_order(client, "D2", "shop-d", "toys")
    paid_order(client, "E1", "shop-e", "toys")
    paid_order(client, "F1", "shop-f", None, ["toys", "toys", "shoes"])
    paid_order(client, "F2", "shop-f", None, ["shoes", "shoes"], pay=False)

    clock.set(START + H)
    names = ("A1", "A2", "A3", "A4", "B1", "B2", "C1", "C2", "C3", "D1")
    ids = {name: builders.open_case(client, name, buyer=f"buyer-{name}") for name in names}
    marked = client.post(f"{API}/cases/{ids['C2']}/mark-abusive", json={"note": "职业索赔"}, headers=AGENT)
    assert marked.status_code == 200, marked.text

    clock.set(START + H + timedelta(minutes=10))
    builders.act(client, ids["B1"], "agree", Actor(Role.seller, "shop-b"))
    clock.set(START + H + timedelta(minutes=20))
    builders.act(client, ids["B2"], "refuse", Actor(Role.seller, "shop-b"), {"reason": "不同意"})
    builders.act(client, ids["B2"], "escalate", Actor(Role.buyer, "buyer-B2"))
    clock.set(START + H + timedelta(minutes=30))
    builders.act(client, ids["A3"], "refuse", Actor(Role.seller, "shop-a"), {"reason": "不同意"})
    builders.act(client, ids["A3"], "escalate", Actor(Role.buyer, "buyer-A3"))
    builders.act(client, ids["D1"], "agree", Actor(Role.seller, "shop-d"))
    clock.set(START + 2 * H)
    builders.act(client, ids["A2"], "refuse", Actor(Role.seller, "shop-a"), {"reason": "不同意"})
    builders.act(client, ids["C1"], "agree", Actor(Role.seller, "shop-c"))
    builders.act(client, ids["C2"], "agree", Actor(Role.seller, "shop-c"))
    clock.set(START + 3 * H)
    builders.act(client, ids["A1"], "agree", Actor(Role.seller, "shop-a"))
    clock.set(START + 5 * H)
    builders.act(client, ids["A2"], "withdraw", Actor(Role.buyer, "buyer-A2"))
    clock.set(START + timedelta(days=1) + H)
    rule(client, ids["A3"], "support_buyer", "seller")
    rule(client, ids["B2"], "support_seller", "buyer")
    clock.set(START + timedelta(days=3) + H)
    with rt.uow() as ctx:  # what the worker does when the seller's response deadline passes
        case_service.act(ctx, ids["A4"], CaseAction.agree, SYSTEM)
    clock.set(TODAY)
    return ids


def shop(client: TestClient, shop_id: str, headers: dict[str, str] | None = None, **params: Any) -> dict[str, Any]:
    answer = client.get(f"{API}/shops/{shop_id}/metrics", params=params, headers=headers or AGENT)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def category(client: TestClient, name: str, **params: Any) -> dict[str, Any]:
    answer = client.get(f"{API}/categories/{name}/metrics", params=params, headers=AGENT)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def in_trade_only(refund_orders: int, lost_dispute_orders: int) -> dict[str, int]:
    """The per-phase counts of a shop whose requests were all made in trade."""
    return {
        "in_trade_refund_orders": refund_orders,
        "post_trade_refund_orders": 0,
        "in_trade_lost_dispute_orders": lost_dispute_orders,
        "post_trade_lost_dispute_orders": 0,
    }


def values(body: dict[str, Any]) -> dict[str, Any]:
    return {name: m["value"] for name, m in body["metrics"].items()}


def percentiles(body: dict[str, Any]) -> dict[str, Any]:
    return {name: m["category_percentile"] for name, m in body["metrics"].items()}


def test_shop_a_figures_by_hand(client: TestClient, world: dict[str, int]) -> None:
    body = shop(client, "shop-a", headers=seller_of("shop-a"))
    assert body["window"] == {"from": "2026-11-11", "to": "2026-12-10", "days": 30}
    assert (body["category"], body["category_source"], body["shops_in_category"]) == ("shoes", "shop", 3)
    assert body["counts"] == {
        "paid_orders": 10,  # G1 was paid the day before the window
        "refund_orders": 4,
        "lost_dispute_orders": 1,
        "resolved_cases": 4,
        "self_resolved_cases": 3,
        "responded_cases": 4,
        **in_trade_only(4, 1),  # every request of this world is in-trade
    }
    assert values(body) == {
        "refund_rate": 0.4,
        "dispute_rate": 0.1,
        "self_resolution_rate": 0.75,
        "resolution_time_median": (14400 + 86400) / 2,  # of 7200, 14400, 86400, 259200
        "resolution_time_p90": 207360.0,  # position 0.9 × 3 = 2.7: 86400 + 0.7 × (259200 - 86400)
        "response_time_median": (3600 + 7200) / 2,  # of 1800, 3600, 7200, 259200 (the auto-agree)
    }
    refund = body["metrics"]["refund_rate"]
    assert (refund["numerator"], refund["denominator"], refund["unit"], refund["better"]) == (4, 10, "ratio", "lower")
    resolution = body["metrics"]["resolution_time_median"]
    assert (resolution["sample"], resolution["unit"], resolution["numerator"]) == (4, "seconds", None)
    # shop-b and shop-c both had no dispute lost, and both resolved and answered faster
    assert percentiles(body) == {
        "refund_rate": 0.0,
        "dispute_rate": 100.0,
        "self_resolution_rate": 50.0,
        "resolution_time_median": 100.0,
        "resolution_time_p90": 100.0,
        "response_time_median": 100.0,
    }
    assert body["flags"] == ["dispute_rate", "resolution_time_median", "resolution_time_p90", "response_time_median"]
    assert all(m["compared_with"] == 2 for m in body["metrics"].values())


def test_shop_b_and_c_figures_by_hand(client: TestClient, world: dict[str, int]) -> None:
    b = shop(client, "shop-b")
    assert values(b) == {
        "refund_rate": 0.5,
        "dispute_rate": 0.0,  # disputed, but ruled against the buyer
        "self_resolution_rate": 0.5,
        "resolution_time_median": (600 + 86400) / 2,
        "resolution_time_p90": 77820.0,  # 600 + 0.9 × (86400 - 600)
        "response_time_median": (600 + 1200) / 2,
    }
    assert percentiles(b) == {
        "refund_rate": 50.0,  # shop-a's 0.4 is better; shop-c's equal 0.5 is not
        "dispute_rate": 0.0,
        "self_resolution_rate": 100.0,
        "resolution_time_median": 50.0,
        "resolution_time_p90": 50.0,
        "response_time_median": 0.0,
    }
    assert b["flags"] == ["self_resolution_rate"]

    c = shop(client, "shop-c", headers=seller_of("shop-c"))
    assert c["counts"] == {
        "paid_orders": 4,  # C2's order is an abusive claim: out of the denominator too
        "refund_orders": 2,  # C1, and C3 that waits for the seller
        "lost_dispute_orders": 0,
        "resolved_cases": 1,
        "self_resolved_cases": 1,
        "responded_cases": 1,
        **in_trade_only(2, 0),  # every request of this world is in-trade
    }
    assert values(c) == {
        "refund_rate": 0.5,
        "dispute_rate": 0.0,
        "self_resolution_rate": 1.0,
        "resolution_time_median": 3600.0,
        "resolution_time_p90": 3600.0,
        "response_time_median": 3600.0,
    }
    assert c["flags"] == []


def test_category_ranking_worst_first_with_totals(client: TestClient, world: dict[str, int]) -> None:
    body = category(client, "shoes")
    assert [(s["rank"], s["shop_id"], len(s["flags"])) for s in body["shops"]] == [
        (1, "shop-a", 4),
        (2, "shop-b", 1),
        (3, "shop-c", 0),
    ]
    assert body["flag_percentile"] == 90
    by_shop = {s["shop_id"]: s for s in body["shops"]}
    assert by_shop["shop-a"]["metrics"] == shop(client, "shop-a")["metrics"]
    totals = body["totals"]
    assert totals["counts"]["paid_orders"] == 18
    assert totals["counts"]["refund_orders"] == 8
    assert totals["refund_rate"] == 8 / 18
    assert totals["dispute_rate"] == 1 / 18
    assert totals["self_resolution_rate"] == 5 / 7
    assert totals["resolution_time_median"] == 14400  # of 600, 3600, 7200, 14400, 86400, 86400, 259200

    resorted = category(client, "shoes", sort="refund_rate")
    assert resorted["sort"] == "refund_rate"
    assert [s["shop_id"] for s in resorted["shops"]] == ["shop-b", "shop-c", "shop-a"]  # 50, 50 (tie: id), 0


def test_shop_without_category_is_ranked_in_its_most_common_line_category(
    client: TestClient, world: dict[str, int]
) -> None:
    f = shop(client, "shop-f")
    assert (f["category"], f["category_source"]) == ("toys", "order_lines")
    assert f["counts"]["paid_orders"] == 1  # F2 was never paid
    toys = category(client, "toys")
    assert [(s["shop_id"], s["category_source"]) for s in toys["shops"]] == [
        ("shop-d", "shop"),  # refund rate 0.5 against two shops at 0: worse than 100 % → flagged
        ("shop-e", "shop"),
        ("shop-f", "order_lines"),
    ]
    d = toys["shops"][0]
    assert d["flags"] == ["refund_rate"]
    assert d["metrics"]["refund_rate"]["category_percentile"] == 100.0
    # nobody else in toys resolved a case: nothing to compare with
    assert d["metrics"]["self_resolution_rate"] == {
        "value": 1.0,
        "unit": "ratio",
        "better": "higher",
        "numerator": 1,
        "denominator": 1,
        "sample": None,
        "category_percentile": None,
        "compared_with": 0,
        "flagged": False,
    }


def test_a_shop_that_gets_its_own_category_moves_with_its_history(
    client: TestClient, rt: Runtime, world: dict[str, int]
) -> None:
    paid_order(client, "F3", "shop-f", "shoes", ["toys"])  # the marketplace now says: shoes
    f = shop(client, "shop-f")
    assert (f["category"], f["category_source"], f["shops_in_category"]) == ("shoes", "shop", 4)
    assert f["counts"]["paid_orders"] == 2  # F1 came along
    assert [s["shop_id"] for s in category(client, "toys")["shops"]] == ["shop-d", "shop-e"]
    assert "shop-f" in [s["shop_id"] for s in category(client, "shoes")["shops"]]
    with rt.uow() as ctx:
        kept = metric_service.snapshot(ctx.session)
        metric_service.rebuild(ctx.session)
        assert metric_service.snapshot(ctx.session) == kept


def test_abusive_mark_excludes_the_order_and_can_be_removed(client: TestClient, world: dict[str, int]) -> None:
    c2 = world["C2"]
    unmark = client.post(f"{API}/cases/{c2}/mark-abusive", json={"abusive": False}, headers=AGENT_2)
    assert unmark.status_code == 200, unmark.text
    assert (unmark.json()["abusive"], unmark.json()["order_excluded"], unmark.json()["marked_by"]) == (
        False,
        False,
        "xiaoer-2",
    )
    c = shop(client, "shop-c")
    assert c["counts"]["paid_orders"] == 5
    assert c["counts"]["refund_orders"] == 3
    assert c["counts"]["resolved_cases"] == 2  # C2 was agreed at +2h, like C1
    assert c["metrics"]["refund_rate"]["value"] == 0.6

    # marking shop-a's A1 takes its order out of every figure
    marked = client.post(f"{API}/cases/{world['A1']}/mark-abusive", json={"note": "职业索赔"}, headers=AGENT)
    assert marked.status_code == 200, marked.text
    assert (marked.json()["abusive"], marked.json()["order_excluded"], marked.json()["note"]) == (
        True,
        True,
        "职业索赔",
    )
    a = shop(client, "shop-a")
    assert a["counts"] == {
        "paid_orders": 9,
        "refund_orders": 3,
        "lost_dispute_orders": 1,
        "resolved_cases": 3,
        "self_resolved_cases": 2,
        "responded_cases": 3,
        **in_trade_only(3, 1),  # every request of this world is in-trade
    }
    assert a["metrics"]["resolution_time_median"]["value"] == 86400  # of 14400, 86400, 259200


def test_a_second_case_on_an_excluded_order_is_excluded_too(
    client: TestClient, clock: ManualClock, world: dict[str, int]
) -> None:
    paid_order(client, "C9", "shop-c", "shoes", ["shoes", "shoes"])
    body = {"order_id": "C9", "lines": [{"line_no": 1}], "case_type": "refund_only", "reason": "ordered_by_mistake"}
    first = client.post(f"{API}/cases", json=body, headers=as_buyer("buyer-C9"))
    assert first.status_code == 201, first.text
    assert client.post(f"{API}/cases/{first.json()['id']}/mark-abusive", headers=AGENT).status_code == 200
    second = client.post(f"{API}/cases", json={**body, "lines": [{"line_no": 2}]}, headers=as_buyer("buyer-C9"))
    assert second.status_code == 201, second.text
    builders.act(client, second.json()["id"], "agree", Actor(Role.seller, "shop-c"))
    c = shop(client, "shop-c")
    assert (c["counts"]["paid_orders"], c["counts"]["refund_orders"], c["counts"]["resolved_cases"]) == (4, 2, 1)


def test_mark_abusive_is_for_agents(client: TestClient, world: dict[str, int]) -> None:
    case_id = world["A1"]
    for headers in (seller_of("shop-a"), as_buyer("buyer-A1")):
        answer = client.post(f"{API}/cases/{case_id}/mark-abusive", headers=headers)
        assert answer.status_code == 403, answer.text
        assert answer.json()["error"]["code"] == "actor_not_allowed"
    missing = client.post(f"{API}/cases/999999/mark-abusive", headers=AGENT)
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "case_not_found")
    bad = client.post(f"{API}/cases/{case_id}/mark-abusive", json={"abusive": "maybe"}, headers=AGENT)
    assert bad.status_code == 422


def test_window_edges_are_whole_utc_days(client: TestClient, world: dict[str, int]) -> None:
    day_before = shop(client, "shop-a", **{"from": "2026-11-10", "to": "2026-11-10"})
    assert day_before["window"] == {"from": "2026-11-10", "to": "2026-11-10", "days": 1}
    assert day_before["counts"]["paid_orders"] == 1  # G1, paid at 23:59:59
    assert day_before["metrics"]["refund_rate"]["value"] == 0.0

    both = shop(client, "shop-a", **{"from": "2026-11-10", "to": "2026-11-11"})
    assert both["counts"]["paid_orders"] == 11

    # cases resolved (and answered) on 11-14 fall outside; refunds follow the orders paid in the window
    first_days = shop(client, "shop-a", **{"from": "2026-11-11", "to": "2026-11-13"})
    assert first_days["counts"] == {
        "paid_orders": 10,
        "refund_orders": 4,
        "lost_dispute_orders": 1,
        "resolved_cases": 3,
        "self_resolved_cases": 2,
        "responded_cases": 3,
        **in_trade_only(4, 1),  # every request of this world is in-trade
    }
    assert first_days["metrics"]["resolution_time_median"]["value"] == 14400
    assert first_days["metrics"]["response_time_median"]["value"] == 3600

    later = shop(client, "shop-a", **{"from": "2026-11-14"})
    assert later["window"] == {"from": "2026-11-14", "to": "2026-12-10", "days": 27}
    assert later["counts"] == {
        "paid_orders": 0,
        "refund_orders": 0,
        "lost_dispute_orders": 0,
        "resolved_cases": 1,
        "self_resolved_cases": 1,
        "responded_cases": 1,
        **in_trade_only(0, 0),  # every request of this world is in-trade
    }
    assert later["metrics"]["refund_rate"]["value"] is None

    last_week = shop(client, "shop-a", days=7)
    assert last_week["window"] == {"from": "2026-12-04", "to": "2026-12-10", "days": 7}
    assert last_week["counts"]["paid_orders"] == 0
    assert shop(client, "shop-a", days=30)["window"]["from"] == "2026-11-11"
    assert shop(client, "shop-a", days=31)["counts"]["paid_orders"] == 11


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"days": 0}, "window_days_out_of_range"),
        ({"days": 367}, "window_days_out_of_range"),
        ({"days": -3}, "window_days_out_of_range"),
        ({"from": "2026-12-01", "to": "2026-11-01"}, "window_from_after_to"),
        ({"from": "2027-01-01"}, "window_in_future"),
        ({"from": "2025-01-01", "to": "2026-12-01"}, "window_too_long"),
        ({"days": 7, "from": "2026-12-01"}, "window_ambiguous"),
        ({"days": "a week"}, "validation_error"),
        ({"from": "2026-13-01"}, "validation_error"),
        ({"format": "xml"}, "validation_error"),
    ],
)
def test_bad_windows_are_4xx(client: TestClient, clock: ManualClock, params: dict[str, Any], code: str) -> None:
    paid_order(client, "T1", "shop-a", "shoes")
    clock.set(TODAY)
    urls = [f"{API}/shops/shop-a/metrics", f"{API}/categories/shoes/metrics"]
    if "format" not in params:
        urls += [f"{API}/shops/shop-a/metrics.csv", f"{API}/categories/shoes/metrics.csv"]
    for url in urls:
        answer = client.get(url, params=params, headers=AGENT)
        assert answer.status_code == 422, (url, answer.text)
        assert answer.json()["error"]["code"] == code


def test_bad_sort_and_path_are_4xx(client: TestClient, world: dict[str, int]) -> None:
    assert client.get(f"{API}/categories/shoes/metrics", params={"sort": "nope"}, headers=AGENT).status_code == 422
    assert client.get(f"{API}/shops/{'x' * 65}/metrics", headers=AGENT).status_code == 422
    assert client.get(f"{API}/shops/bad%20id/metrics", headers=AGENT).status_code == 422


def test_who_may_read_shop_metrics(client: TestClient, world: dict[str, int]) -> None:
    assert client.get(f"{API}/shops/shop-a/metrics", headers=seller_of("shop-a")).status_code == 200
    assert client.get(f"{API}/shops/shop-a/metrics", headers=AGENT).status_code == 200
    other = client.get(f"{API}/shops/shop-a/metrics", headers=seller_of("shop-b"))
    assert (other.status_code, other.json()["error"]["code"]) == (404, "shop_not_found")
    other_csv = client.get(f"{API}/shops/shop-a/metrics.csv", headers=seller_of("shop-b"))
    assert other_csv.status_code == 404
    buyer = client.get(f"{API}/shops/shop-a/metrics", headers=as_buyer("buyer-A1"))
    assert (buyer.status_code, buyer.json()["error"]["code"]) == (403, "actor_not_allowed")
    courier = client.get(f"{API}/shops/shop-a/metrics", headers={"X-Peifu-Actor": "courier:SF"})
    assert courier.status_code == 403
    assert client.get(f"{API}/shops/shop-a/metrics").status_code in (401, 403, 422)
    missing = client.get(f"{API}/shops/no-such-shop/metrics", headers=AGENT)
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "shop_not_found")
    # a seller asking about a shop that does not exist learns nothing more than about another's
    assert client.get(f"{API}/shops/no-such-shop/metrics", headers=seller_of("shop-b")).status_code == 404


def test_category_ranking_is_for_agents(client: TestClient, world: dict[str, int]) -> None:
    for headers in (seller_of("shop-a"), as_buyer("buyer-A1")):
        answer = client.get(f"{API}/categories/shoes/metrics", headers=headers)
        assert (answer.status_code, answer.json()["error"]["code"]) == (403, "actor_not_allowed")
        assert client.get(f"{API}/categories/shoes/metrics.csv", headers=headers).status_code == 403
    unknown = client.get(f"{API}/categories/spaceships/metrics", headers=AGENT)
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "category_not_found")


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_exports(client: TestClient, world: dict[str, int]) -> None:
    answer = client.get(f"{API}/shops/shop-a/metrics.csv", headers=seller_of("shop-a"))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    assert 'filename="metrics-shop-a-2026-11-11-2026-12-10.csv"' in answer.headers["content-disposition"]
    same = client.get(f"{API}/shops/shop-a/metrics", params={"format": "csv"}, headers=seller_of("shop-a"))
    assert same.text == answer.text
    [row] = _rows(answer.text)
    assert row["shop_id"] == "shop-a"
    assert (row["from"], row["to"], row["rank"]) == ("2026-11-11", "2026-12-10", "")
    assert (row["paid_orders"], row["refund_orders"], row["lost_dispute_orders"]) == ("10", "4", "1")
    assert float(row["refund_rate"]) == 0.4
    assert float(row["resolution_time_p90"]) == 207360
    assert (row["dispute_rate_percentile"], row["dispute_rate_flagged"]) == ("100", "true")
    assert row["refund_rate_flagged"] == "false"

    ranking = client.get(f"{API}/categories/toys/metrics.csv", headers=AGENT)
    assert ranking.status_code == 200
    rows = _rows(ranking.text)
    assert [(r["rank"], r["shop_id"], r["category_source"]) for r in rows] == [
        ("1", "shop-d", "shop"),
        ("2", "shop-e", "shop"),
        ("3", "shop-f", "order_lines"),
    ]
    assert rows[1]["self_resolution_rate"] == ""  # nothing resolved: no value, not zero
    weekly = client.get(f"{API}/categories/toys/metrics", params={"format": "csv", "days": 7}, headers=AGENT)
    assert weekly.status_code == 200
    assert _rows(weekly.text) == []  # nobody was active in the last week


def test_incremental_rollups_equal_a_rebuild_from_the_raw_tables(rt: Runtime, world: dict[str, int]) -> None:
    with rt.uow() as ctx:
        kept = metric_service.snapshot(ctx.session)
        assert len(kept["metric_cases"]) == 10
        metric_service.rebuild(ctx.session)
        rebuilt = metric_service.snapshot(ctx.session)
    assert rebuilt == kept
    with rt.uow() as ctx:
        window = rules.Window(date(2026, 11, 11), date(2026, 12, 10))
        report = metric_service.shop_metrics(ctx, "shop-a", window)
    assert report.score.counts.paid_orders == 10


def test_case_opened_on_an_order_paid_before_the_window_counts_with_its_order(
    client: TestClient, world: dict[str, int]
) -> None:
    builders.open_case(client, "G1", buyer="buyer-G1")
    before = shop(client, "shop-a", **{"from": "2026-11-10", "to": "2026-11-10"})
    assert (before["counts"]["paid_orders"], before["counts"]["refund_orders"]) == (1, 1)
    now = shop(client, "shop-a")
    assert now["counts"]["refund_orders"] == 4


def test_post_trade_requests_are_shown_apart_and_not_rated(client: TestClient, clock: ManualClock, rt: Runtime) -> None:
    """Seed 003 rates in-trade requests — 「申请退货/退款,即订单状态为买家已付款或卖家已发货状态…退款率的计算公式
    =申请退款的笔数/支付宝成交笔数…退款纠纷率的计算公式=需要客服介入的退款笔数/支付宝成交笔数」 — and not
    post-trade ones: 「申请售后,即订单状态为交易成功的0-15天内,可以申请售后,售后维权目前暂没有率的考核」.
    Of four paid orders, P1 has an in-trade request, P2 a post-trade one ruled against the seller and
    P3 a post-trade one agreed: the refund rate is 1/4 (it was 3/4), the dispute rate 0 (it was 1/4),
    and the post-trade requests are shown apart. The policy's other reading (metrics.rated_phases =
    both) rates every request."""
    for n in range(1, 5):
        paid_order(client, f"P{n}", "shop-p", "bags")
    for n in (2, 3):
        builders.order_events(client, f"P{n}", "shipped", "confirmed")
    clock.set(START + H)
    in_trade = builders.open_case(client, "P1", case_type="refund_only", reason="ordered_by_mistake", buyer="buyer-P1")
    builders.act(client, in_trade, "agree", Actor(Role.seller, "shop-p"))
    disputed = builders.open_case(client, "P2", case_type="refund_only", reason="quality_problem", buyer="buyer-P2")
    builders.act(client, disputed, "refuse", Actor(Role.seller, "shop-p"), {"reason": "不同意"})
    builders.act(client, disputed, "escalate", Actor(Role.buyer, "buyer-P2"))
    rule(client, disputed, "support_buyer", "seller")
    agreed = builders.open_case(client, "P3", case_type="refund_only", reason="quality_problem", buyer="buyer-P3")
    builders.act(client, agreed, "agree", Actor(Role.seller, "shop-p"))
    clock.set(TODAY)

    body = shop(client, "shop-p")
    assert body["rated_phases"] == ["in_trade"]
    counts = body["counts"]
    assert (counts["paid_orders"], counts["refund_orders"], counts["lost_dispute_orders"]) == (4, 1, 0)
    assert (counts["in_trade_refund_orders"], counts["post_trade_refund_orders"]) == (1, 2)
    assert (counts["in_trade_lost_dispute_orders"], counts["post_trade_lost_dispute_orders"]) == (0, 1)
    assert (values(body)["refund_rate"], values(body)["dispute_rate"]) == (0.25, 0.0)
    assert body["by_phase"] == {
        "in_trade": {"refund_rate": 0.25, "dispute_rate": 0.0, "rated": True},
        "post_trade": {"refund_rate": 0.5, "dispute_rate": 0.25, "rated": False},
    }
    rows = list(csv.DictReader(io.StringIO(client.get(f"{API}/shops/shop-p/metrics.csv", headers=AGENT).text)))
    assert (rows[0]["refund_rate"], rows[0]["post_trade_refund_orders"]) == ("0.25", "2")
    totals = category(client, "bags")["totals"]
    assert (totals["refund_rate"], totals["counts"]["post_trade_refund_orders"]) == (0.25, 2)
    with rt.uow() as ctx:
        kept = metric_service.snapshot(ctx.session)
        metric_service.rebuild(ctx.session)
        assert metric_service.snapshot(ctx.session) == kept

    both = default_policy_text().replace(
        'rated_phases = { value = ["in_trade"]', 'rated_phases = { value = ["in_trade", "post_trade"]'
    )
    both = both.replace(f'version = "{rt.policies.current.version}"', 'version = "test-rate-every-request"')
    old = rt.policies
    try:
        with rt.uow() as ctx:
            rt.policies = policies.activate(ctx.session, both, ctx.now())
        every = shop(client, "shop-p")
        assert every["rated_phases"] == ["in_trade", "post_trade"]
        assert (values(every)["refund_rate"], values(every)["dispute_rate"]) == (0.75, 0.25)
        assert every["by_phase"]["post_trade"]["rated"] is True
    finally:
        rt.policies = old
