"""Satisfaction ratings (满意度评价): the buyer rates a finished case 1–5 once; the rules, the API
and a shop's summary.

Here: through the HTTP API on a real database (the rules alone: tests/domain/test_ratings.py)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from peifu.adapters.runtime import Runtime
from peifu.db.models import SatisfactionRating
from peifu.services import ratings
from tests import builders
from tests.conftest import as_buyer, as_seller

SHOP = "shop-r"


def order(client: TestClient, order_id: str, buyer: str = "buyer-r", shop: str = SHOP, price: int = 19900) -> None:
    """A paid order of one pair of shoes."""
    line = {"sku": "S1", "title": "跑步鞋", "category": "shoes", "unit_price_fen": price, "quantity": 1}
    builders.order(client, order_id, shop=shop, shop_name="评价测试店", buyer=buyer, lines=[line])


def refunded_case(client: TestClient, order_id: str, buyer: str = "buyer-r", shop: str = SHOP) -> int:
    """A refund-only request the seller agreed to: refunded at once, a final state."""
    order(client, order_id, buyer, shop)
    case_id = builders.open_case(client, order_id, buyer=buyer)
    resp = client.post(f"/api/v1/cases/{case_id}/agree", headers=as_seller(shop))
    assert resp.status_code == 200 and resp.json()["state"] == "refunded", resp.text
    return case_id


def rate(client: TestClient, case_id: int, body: dict[str, Any], buyer: str = "buyer-r", **headers: str) -> Any:
    return client.post(f"/api/v1/cases/{case_id}/rating", json=body, headers={**as_buyer(buyer), **headers})


def code(resp: Any) -> str:
    return str(resp.json()["error"]["code"])


def stored(rt: Runtime) -> int:
    with rt.uow() as ctx:
        return int(ctx.session.scalar(select(func.count(SatisfactionRating.id))) or 0)


def test_the_buyer_rates_a_finished_case_once(client: TestClient, rt: Runtime) -> None:
    case_id = refunded_case(client, "R-1")
    resp = rate(client, case_id, {"score": 5, "comment": " 退款很快 "})
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["case_id"] == case_id and body["score"] == 5 and body["comment"] == "退款很快"
    assert body["outcome"] == "refunded" and body["shop_id"] == SHOP

    got = client.get(f"/api/v1/cases/{case_id}/rating", headers=as_buyer("buyer-r"))
    assert got.status_code == 200 and got.json()["score"] == 5
    seller_view = client.get(f"/api/v1/cases/{case_id}/rating", headers=as_seller(SHOP))
    assert seller_view.status_code == 200

    again = rate(client, case_id, {"score": 1})
    assert (again.status_code, code(again)) == (409, "rating_exists")
    assert stored(rt) == 1
    assert client.get(f"/api/v1/cases/{case_id}/rating", headers=as_buyer("buyer-r")).json()["score"] == 5


def test_a_running_case_cannot_be_rated(client: TestClient, rt: Runtime) -> None:
    order(client, "R-2")
    case_id = builders.open_case(client, "R-2", buyer="buyer-r")
    resp = rate(client, case_id, {"score": 3})
    assert (resp.status_code, code(resp)) == (409, "case_not_final")
    unrated = client.get(f"/api/v1/cases/{case_id}/rating", headers=as_buyer("buyer-r"))
    assert (unrated.status_code, code(unrated)) == (404, "rating_not_found")
    assert stored(rt) == 0


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"score": 0}, 422, "rating_out_of_range"),
        ({"score": 6}, 422, "rating_out_of_range"),
        ({"score": -3}, 422, "rating_out_of_range"),
        ({"score": 5, "comment": "长" * 501}, 422, "comment_too_long"),
        ({"score": "five"}, 422, "validation_error"),
        ({"comment": "no score"}, 422, "validation_error"),
        ({"score": 5, "extra": 1}, 422, "validation_error"),
    ],
)
def test_bad_ratings_are_a_clear_4xx_that_changes_nothing(
    client: TestClient, rt: Runtime, body: dict[str, Any], status: int, error: str
) -> None:
    case_id = refunded_case(client, "R-3")
    resp = rate(client, case_id, body)
    assert (resp.status_code, code(resp)) == (status, error), resp.text
    assert resp.json()["error"]["message"]
    assert stored(rt) == 0


def test_only_the_cases_buyer_rates(client: TestClient, rt: Runtime) -> None:
    case_id = refunded_case(client, "R-4")
    seller = client.post(f"/api/v1/cases/{case_id}/rating", json={"score": 5}, headers=as_seller(SHOP))
    assert (seller.status_code, code(seller)) == (403, "actor_not_allowed")
    platform = client.post(f"/api/v1/cases/{case_id}/rating", json={"score": 5})
    assert platform.status_code == 403
    stranger = rate(client, case_id, {"score": 1}, buyer="buyer-other")
    missing = rate(client, 999_999, {"score": 1}, buyer="buyer-other")
    assert (stranger.status_code, code(stranger)) == (404, "case_not_found")
    assert (missing.status_code, code(missing)) == (404, "case_not_found")
    other_shop = client.get(f"/api/v1/cases/{case_id}/rating", headers=as_seller("shop-other"))
    assert (other_shop.status_code, code(other_shop)) == (404, "case_not_found")
    assert stored(rt) == 0


def test_a_retried_rating_with_the_same_key_is_replayed(client: TestClient, rt: Runtime) -> None:
    case_id = refunded_case(client, "R-5")
    first = rate(client, case_id, {"score": 4}, **{"Idempotency-Key": "rate-R-5"})
    retry = rate(client, case_id, {"score": 4}, **{"Idempotency-Key": "rate-R-5"})
    assert first.status_code == retry.status_code == 201
    assert retry.headers.get("Idempotent-Replayed") == "true"
    assert retry.json() == first.json()
    assert stored(rt) == 1


def test_shop_summary_counts_and_averages(client: TestClient, rt: Runtime) -> None:
    for n, score in enumerate([5, 4, 4, 1], start=1):
        case_id = refunded_case(client, f"R-S{n}")
        assert rate(client, case_id, {"score": score}).status_code == 201
    other = refunded_case(client, "R-SX", shop="shop-other")
    assert rate(client, other, {"score": 1}).status_code == 201
    with rt.uow() as ctx:
        summary = ratings.shop_summary(ctx.session, SHOP)
    assert summary.count == 4 and summary.average == 3.5
    assert summary.distribution == {1: 1, 2: 0, 3: 0, 4: 2, 5: 1}

    resp = client.get(f"/api/v1/shops/{SHOP}/ratings", headers=as_seller(SHOP))
    assert resp.status_code == 200, resp.text
    assert resp.json() == {
        "shop_id": SHOP,
        "count": 4,
        "average": 3.5,
        "distribution": {"1": 1, "2": 0, "3": 0, "4": 2, "5": 1},
    }
    foreign = client.get(f"/api/v1/shops/{SHOP}/ratings", headers=as_seller("shop-other"))
    assert foreign.status_code == 404
    buyer = client.get(f"/api/v1/shops/{SHOP}/ratings", headers=as_buyer("buyer-r"))
    assert buyer.status_code == 403


def test_openapi_documents_the_rating(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    post = spec["paths"]["/api/v1/cases/{case_id}/rating"]["post"]
    assert {"201", "403", "404", "409", "422"} <= set(post["responses"])
    schema = spec["components"]["schemas"]["RatingIn"]
    assert schema["properties"]["score"]["minimum"] == 1 and schema["properties"]["score"]["maximum"] == 5
    assert schema["examples"]
    assert "get" in spec["paths"]["/api/v1/cases/{case_id}/rating"]
