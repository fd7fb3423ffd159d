"""What every operation can answer besides its own results, written into the OpenAPI document.

Some answers come from the layers around the routes rather than from the routes themselves: the
credentials check (401 on every operation that needs a caller), the rate limit (429 with
`Retry-After`), the body-size limit (413 on operations that take a body) and a database that is
away (503). They are the same for every operation, so they are added here, once, after FastAPI
has built the document — and a contract test (Schemathesis' conformance checks in
tests/api/test_fuzz_api.py) holds the server to it.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

ERROR_BODY = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again.", "schema": {"type": "integer"}}}
UNAUTHENTICATED = {
    "description": "No valid credentials: missing, unknown, expired or revoked (`unauthenticated`, "
    "`session_expired`, `invalid_api_key`, `actor_header_not_trusted`)",
    "content": ERROR_BODY,
}
RATE_LIMITED = {
    "description": "Too many requests from this caller (`rate_limited`)",
    "content": ERROR_BODY,
    "headers": RETRY_AFTER,
}
TOO_LARGE = {"description": "The request body is over its size limit (`payload_too_large`)", "content": ERROR_BODY}
UNAVAILABLE = {
    "description": "The database is busy or unreachable; retry shortly (`database_unavailable`)",
    "content": ERROR_BODY,
}


def _authenticated(operation: dict[str, Any]) -> bool:
    """Operations that take a caller declare its credentials (the `Authorization` header)."""
    return any(
        p.get("in") == "header" and str(p.get("name", "")).lower() == "authorization"
        for p in operation.get("parameters", [])
    )


def document_common_answers(app: FastAPI) -> None:
    """Make `app.openapi()` list the answers above on every operation they apply to."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        for item in schema.get("paths", {}).values():
            for method, operation in item.items():
                if method not in ("get", "post", "put", "patch", "delete"):
                    continue
                answers = operation.setdefault("responses", {})
                if _authenticated(operation):
                    answers.setdefault("401", UNAUTHENTICATED)
                if "requestBody" in operation:
                    answers.setdefault("413", TOO_LARGE)
                answers.setdefault("429", RATE_LIMITED)
                answers.setdefault("503", UNAVAILABLE)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
