"""Schemathesis against the app's own OpenAPI schema, in-process (ASGI).

For every operation, a bounded number of generated requests — valid and invalid, as different
parties, sometimes aimed at objects that exist — must never get a 5xx, every 4xx must be the
documented error shape `{"error": {"code", "message", "details"}}`, and every answer must conform
to the OpenAPI document (Schemathesis' status-code, content-type, header and schema checks).

Budget: `MAX_EXAMPLES` per operation (`PEIFU_FUZZ_EXAMPLES` overrides it), so the whole run
stays around a minute on SQLite.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from peifu.adapters.api.app import create_app
from peifu.adapters.runtime import Runtime
from tests.conftest import as_buyer, as_seller, order_body

pytestmark = pytest.mark.slow  # not in `make test-fast`; always in `make test`

# The marketplace's own integration: requests that name no other party come from it.
PLATFORM = {"X-Peifu-Actor": "platform:platform"}

MAX_EXAMPLES = int(os.environ.get("PEIFU_FUZZ_EXAMPLES", "25"))

# Who the generated requests come from: a party named by the trusted gateway's X-Peifu-Actor
# header, a real Bearer credential (filled in by the fixture), a bad one, or — None — whatever
# Schemathesis generated for the documented Authorization and X-Peifu-Actor headers.
ACTORS = ["buyer:buyer-1", "buyer:buyer-2", "seller:shop-1", "agent:xiaoer-01", "platform:platform", "courier:SF"]
BEARERS = ["platform-key", "shop-key", "buyer-session", "agent-session", "pk_nope.bad", "not-a-token"]
CREDENTIALS: list[tuple[str, str] | None] = [
    *(("actor", a) for a in ACTORS),
    *(("bearer", b) for b in BEARERS),
    None,
]

# Path parameters that name seeded objects, used for some examples so that not every request is
# a 404 for an object that does not exist.
SEEDED = {
    "order_id": "T1",
    "case_id": 1,
    "dispute_id": 1,
    "complaint_id": 1,
    "evidence_id": 1,
    "shop_id": "shop-1",
}


def _issue_credentials(rt: Runtime) -> dict[str, str]:
    """Real Bearer credentials: API keys for the platform and shop-1, session tokens for a buyer and an agent."""
    from peifu.services import auth

    with rt.uow() as ctx:
        now = ctx.now()
        tokens = {
            "platform-key": auth.create_api_key(ctx.session, "platform", "fuzz", now).key,
            "shop-key": auth.create_api_key(ctx.session, "shop:shop-1", "fuzz", now).key,
        }
        auth.create_user(ctx.session, "fuzz-buyer", "buyer", "fuzz-password", now, party_id="buyer-1")
        auth.create_user(ctx.session, "fuzz-agent", "agent", "fuzz-password", now)
        tokens["buyer-session"] = auth.login(ctx.session, "fuzz-buyer", "fuzz-password", now)[0]
        tokens["agent-session"] = auth.login(ctx.session, "fuzz-agent", "fuzz-password", now)[0]
    return tokens


def _seed(client: TestClient) -> None:
    """Two paid orders (one shipped) and an open refund case on the first."""
    for order_id in ("T1", "T2"):
        assert client.post("/api/v1/orders", json=order_body(order_id)).status_code == 201
        assert client.post(f"/api/v1/orders/{order_id}/events", json={"kind": "paid"}).status_code == 200
    shipped = {"kind": "shipped", "courier": "SF", "tracking_no": "SF1"}
    assert client.post("/api/v1/orders/T2/events", json=shipped).status_code == 200
    opened = client.post(
        "/api/v1/cases",
        json={"order_id": "T1", "lines": [{"line_no": 1}], "case_type": "refund_only", "reason": "ordered_by_mistake"},
        headers=as_buyer(),
    )
    assert opened.status_code == 201, opened.text
    refused = client.post(
        f"/api/v1/cases/{opened.json()['id']}/refuse",
        json={"reason": "already_shipped", "note": "fuzz seed"},
        headers=as_seller(),
    )
    assert refused.status_code in {200, 422}, refused.text  # either way case 1 exists


@dataclass
class Target:
    schema: Any  # the Schemathesis OpenAPI schema, bound to the ASGI app
    tokens: dict[str, str]  # BEARERS name -> real credential


@pytest.fixture
def target(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[Target]:
    # Thousands of requests from a handful of parties: the rate limit has its own tests.
    monkeypatch.setattr(rt, "settings", replace(rt.settings, rate_limit_per_minute=0))
    app = create_app(rt)
    with TestClient(app, raise_server_exceptions=False, headers=PLATFORM) as client:
        _seed(client)
    yield Target(schemathesis.openapi.from_asgi("/openapi.json", app), _issue_credentials(rt))


def error_envelope(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx is JSON `{"error": {"code", "message", "details"}}` with a non-empty string code."""
    if not 400 <= response.status_code < 500:
        return None
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    assert content_type.startswith("application/json"), f"{response.status_code} answered as {content_type!r}"
    body = response.json()
    assert isinstance(body, dict) and isinstance(body.get("error"), dict), f"not an error envelope: {body!r}"
    error = body["error"]
    assert isinstance(error.get("code"), str) and error["code"], f"error without a code: {body!r}"
    assert isinstance(error.get("message"), str), f"error without a message: {body!r}"
    assert isinstance(error.get("details"), dict), f"error without details: {body!r}"
    return True


# Besides "never a 5xx" and the error envelope, every answer must be what the OpenAPI document
# says: a documented status, a documented content type, the documented headers, and a body that
# matches the documented schema.
CHECKS = [
    not_a_server_error,
    error_envelope,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _fuzz(operation: Any, tokens: dict[str, str]) -> None:
    """Run MAX_EXAMPLES generated requests (valid and invalid) against one operation."""
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,  # the same requests every run: a failure here is reproducible
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases, credential=st.sampled_from(CREDENTIALS), aim_at_seeded=st.booleans())
    def run(case: Any, credential: tuple[str, str] | None, aim_at_seeded: bool) -> None:
        if aim_at_seeded and case.path_parameters:
            for name in case.path_parameters:
                if name in SEEDED:
                    case.path_parameters[name] = SEEDED[name]
        if credential is not None:
            kind, value = credential
            if kind == "actor":
                case.headers.pop("Authorization", None)  # a Bearer credential would win over the header
                case.headers["X-Peifu-Actor"] = value
            else:
                case.headers["Authorization"] = f"Bearer {tokens.get(value, value)}"
        case.call_and_validate(checks=CHECKS)

    run()


def test_api_answers_every_request_without_a_server_error(target: Target, subtests: pytest.Subtests) -> None:
    # Schemathesis's own pytest integration (`from_fixture` + `parametrize`) does not run under
    # this pytest, so each operation is a subtest driven by its Hypothesis strategy directly.
    operations = [result.ok() for result in target.schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:
        with subtests.test(msg=operation.label):
            _fuzz(operation, target.tokens)


@pytest.mark.parametrize("big", [2**31, 2**63, 2**64])
@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/api/v1/disputes/{id}"),
        ("POST", "/api/v1/complaints/{id}/appeal"),
        ("GET", "/api/v1/complaints/{id}"),
        ("GET", "/api/v1/evidence/{id}/content"),
        ("GET", "/api/v1/cases/{id}"),
    ],
)
def test_ids_too_large_for_the_database_are_refused_not_a_crash(
    client: TestClient, method: str, path: str, big: int
) -> None:
    # Found by the fuzzer: ids past 32 bits were a 500 on PostgreSQL (DataError), past 64 bits a
    # 500 on SQLite (OverflowError).
    response = client.request(method, path.format(id=big), json={"reason": "不合理的处罚"}, headers=as_buyer())
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["error"]["code"]
