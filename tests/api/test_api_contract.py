"""The OpenAPI document says what the server answers (issue 21, item 11).

Found by Schemathesis: a 405 lost its `Allow` header; the login answers 401 but documented none;
evidence downloads were documented as JSON. The fuzz test (tests/test_fuzz_api.py) now runs
Schemathesis' response-conformance checks over every operation; these are the direct cases.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from peifu.domain.intervention import EVIDENCE_LIMITS
from tests.conftest import order_body


def _operation(client: TestClient, path: str, method: str) -> dict[str, Any]:
    operation: dict[str, Any] = client.get("/openapi.json").json()["paths"][path][method]
    return operation


def test_a_405_names_the_methods_allowed(client: TestClient) -> None:
    assert client.post("/api/v1/orders", json=order_body("T1")).status_code == 201
    for method, path, allowed in [
        ("DELETE", "/api/v1/orders/T1", {"GET"}),
        ("PUT", "/api/v1/orders", {"POST"}),
        ("PATCH", "/api/v1/policy", {"GET"}),
    ]:
        answer = client.request(method, path)
        assert answer.status_code == 405, answer.text
        assert answer.json()["error"]["code"] == "method_not_allowed"
        assert {m.strip() for m in answer.headers["allow"].split(",")} == allowed, (path, answer.headers)


def test_the_login_documents_its_refusals(client: TestClient) -> None:
    answers = _operation(client, "/api/v1/auth/login", "post")["responses"]
    assert {"200", "401", "422", "429", "503"} <= set(answers)
    assert "Retry-After" in answers["429"]["headers"] and "Retry-After" in answers["503"]["headers"]
    refused = client.post("/api/v1/auth/login", json={"username": "nobody", "password": "wrong-password"})
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "invalid_credentials"


def test_operations_document_the_answers_of_the_layers_around_them(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            answers = set(operation["responses"])
            assert {"429", "503"} <= answers, (method, path)
            if "requestBody" in operation:
                assert "413" in answers, (method, path)
            if any(p["name"].lower() == "authorization" for p in operation.get("parameters", [])):
                assert "401" in answers, (method, path)
    assert "401" not in spec["paths"]["/api/v1/policy"]["get"]["responses"]  # public: no credentials to refuse


def test_evidence_content_is_documented_as_the_files_it_serves(client: TestClient) -> None:
    content = _operation(client, "/api/v1/evidence/{evidence_id}/content", "get")["responses"]["200"]["content"]
    stored = {media for allowed, _ in EVIDENCE_LIMITS.values() for media in allowed}
    assert stored <= set(content)
    assert all(body["schema"] == {"type": "string", "format": "binary"} for body in content.values())
