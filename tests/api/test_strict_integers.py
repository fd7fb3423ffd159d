"""Integer fields are strict: money, prices, quantities, ids and counts in a request body are JSON
integers. `true`, `"100"` and `1.0` are a 422 `validation_error` naming the field, and change
nothing (issue 21, item 8: `refund_amount_fen: true` used to be taken as 1 fen).

Two views: every integer field of every input model (found by walking the models, so a new field
is covered without a new test), and a few requests through the API with the database compared
before and after.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import types
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, ValidationError

import peifu.adapters.api as api_package
from peifu.adapters.api.app import create_app
from peifu.adapters.runtime import Runtime
from peifu.services import inputs
from tests.builders import assert_clear_error, nothing_changes
from tests.conftest import as_buyer, order_body

API = "/api/v1"
LAX = [True, False, "100", "7", 1.0, 100.0]
MODULES = [
    inputs,
    *(
        importlib.import_module(f"{api_package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(api_package.__path__)
    ),
]  # every API module: a new one's `…In` models are walked without a change here


def input_models() -> list[type[BaseModel]]:
    """Every request-body model: the services' inputs and the `…In` models of the API modules."""
    found: dict[str, type[BaseModel]] = {}
    for module in MODULES:
        for name, value in vars(module).items():
            ours = inspect.isclass(value) and issubclass(value, BaseModel) and value.__module__ == module.__name__
            if ours and (module is inputs or name.endswith("In")):
                found[f"{module.__name__}.{name}"] = value
    return [found[k] for k in sorted(found)]


def _has_int(annotation: Any) -> tuple[bool, bool]:
    """(holds an int, the int is inside a list)."""
    if annotation is int:
        return True, False
    origin = get_origin(annotation)
    if origin is Annotated:
        return _has_int(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        results = [_has_int(a) for a in get_args(annotation)]
        return any(r[0] for r in results), any(r[1] for r in results)
    if origin is list:
        inner, _ = _has_int(get_args(annotation)[0])
        return inner, inner
    return False, False


def int_fields() -> list[tuple[type[BaseModel], str, bool]]:
    fields = []
    for model in input_models():
        for name, info in model.model_fields.items():
            has, in_list = _has_int(info.annotation)
            if has:
                fields.append((model, name, in_list))
    return fields


FIELDS = int_fields()


def test_the_walk_finds_the_fields_that_matter() -> None:
    names = {f"{m.__name__}.{n}" for m, n, _ in FIELDS}
    assert {
        "CaseLineIn.refund_amount_fen",
        "CaseLineIn.line_no",
        "OrderLineIn.unit_price_fen",
        "OrderLineIn.quantity",
        "OrderLineIn.discount_fen",
        "OrderIn.shipping_fee_fen",
        "AmountIn.amount_fen",
        "ProposeIn.refund_amount_fen",
        "ModifyIn.refund_amount_fen",
        "RulingIn.refund_amount_fen",
        "ShipmentIn.shipping_fee_fen",
        "AutoRuleIn.max_amount_fen",
        "AutoRuleIn.priority",
        "BulkAgreeIn.case_ids",
        "RatingIn.score",
        "ComplaintIn.case_id",
        "ClockAdvanceIn.advance_seconds",
        "AbuseMarkIn.case_ids",
    } <= names, sorted(names)


@pytest.mark.parametrize("model, field, in_list", FIELDS, ids=[f"{m.__name__}.{f}" for m, f, _ in FIELDS])
@pytest.mark.parametrize("value", LAX, ids=repr)
def test_every_integer_field_refuses_booleans_strings_and_floats(
    model: type[BaseModel], field: str, in_list: bool, value: Any
) -> None:
    sent = [value] if in_list else value
    with pytest.raises(ValidationError) as refused:
        model.model_validate({field: sent})
    at_field = [e for e in refused.value.errors() if e["loc"][:1] == (field,)]
    assert at_field, f"{model.__name__}.{field} accepted {sent!r}"
    assert all(e["type"] == "int_type" for e in at_field), at_field


@pytest.mark.parametrize("model, field, in_list", FIELDS, ids=[f"{m.__name__}.{f}" for m, f, _ in FIELDS])
def test_a_real_integer_is_still_an_integer(model: type[BaseModel], field: str, in_list: bool) -> None:
    sent = [1] if in_list else 1
    try:
        model.model_validate({field: sent})
    except ValidationError as exc:
        assert not [e for e in exc.errors() if e["loc"][:1] == (field,) and e["type"] == "int_type"], exc


def test_the_openapi_document_keeps_the_integer_bounds(rt: Runtime) -> None:
    """Strictness must not cost the bounds their JSON-schema spelling (minimum/maximum)."""
    schema = create_app(rt).openapi()
    line = schema["components"]["schemas"]["CaseLineIn"]["properties"]
    assert line["line_no"] == {"type": "integer", "maximum": 10000, "minimum": 1, "title": "Line No"}
    amount = line["refund_amount_fen"]["anyOf"][0]
    assert amount["type"] == "integer" and amount["minimum"] == 0 and amount["maximum"] == 10**12

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            assert not {"ge", "le", "gt", "lt"} & set(node), node
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(schema["components"]["schemas"])


# --- through the API ---------------------------------------------------------------------------------


@pytest.fixture
def paid(client: TestClient) -> None:
    assert client.post(f"{API}/orders", json=order_body("T1")).status_code == 201
    assert client.post(f"{API}/orders/T1/events", json={"kind": "paid"}).status_code == 200


def _case(amount: Any) -> dict[str, Any]:
    return {
        "order_id": "T1",
        "lines": [{"line_no": 1, "refund_amount_fen": amount}],
        "case_type": "refund_only",
        "reason": "ordered_by_mistake",
    }


@pytest.mark.parametrize("value", [True, "100", 1.0], ids=repr)
def test_a_refund_amount_that_is_not_an_integer_is_a_clear_422(
    client: TestClient, rt: Runtime, paid: None, value: Any
) -> None:
    with nothing_changes(rt):
        answer = client.post(f"{API}/cases", json=_case(value), headers=as_buyer())
    error = assert_clear_error(answer, 422, "validation_error")
    assert error["details"]["problems"][0]["field"] == "lines.0.refund_amount_fen"
    assert "integer" in error["message"] and "lines.0.refund_amount_fen" in error["message"]
    assert client.post(f"{API}/cases", json=_case(100), headers=as_buyer()).status_code == 201


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("/platform/fund", {"amount_fen": True}, "amount_fen"),
        ("/platform/fund", {"amount_fen": "100000"}, "amount_fen"),
        ("/shops/shop-1/deposit", {"amount_fen": 100000.0}, "amount_fen"),
        ("/orders", order_body("T2", shipping_fee_fen=True), "shipping_fee_fen"),
        ("/orders", order_body("T3", lines=[{**order_body()["lines"][0], "quantity": "2"}]), "lines.0.quantity"),
        (
            "/orders",
            order_body("T4", lines=[{**order_body()["lines"][0], "unit_price_fen": 399.0}]),
            "lines.0.unit_price_fen",
        ),
    ],
)
def test_money_and_quantities_from_the_platform_are_strict(
    client: TestClient, rt: Runtime, paid: None, path: str, body: dict[str, Any], field: str
) -> None:
    with nothing_changes(rt):
        answer = client.post(API + path, json=body)
    error = assert_clear_error(answer, 422, "validation_error")
    assert error["details"]["problems"][0]["field"] == field
