"""Every failure leaves as JSON `{"error": {"code", "message", "details"}}` with a 4xx status.

Domain refusals map by kind; validation errors name the field; malformed JSON is a 400; a lost
race on the same case is a 409 the client can retry. Anything unexpected is logged and answered
500 with the same shape — and is a bug to fix.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from peifu.domain.errors import DomainError, ErrorKind
from peifu.domain.policy import PolicyError
from peifu.services.inputs import problem_text

log = logging.getLogger("peifu.api")

STATUS_BY_KIND = {
    ErrorKind.not_found: 404,
    ErrorKind.invalid: 422,
    ErrorKind.ineligible: 422,
    ErrorKind.conflict: 409,
    ErrorKind.forbidden: 403,
    ErrorKind.unauthenticated: 401,
    ErrorKind.too_large: 413,
    ErrorKind.unsupported_type: 415,
    ErrorKind.too_many_attempts: 429,
    ErrorKind.busy: 503,
}

HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
}


OUT_OF_RANGE = "A value in the request is out of range (an id or a number too large, or a text too long)."


def error_response(status: int, code: str, message: str, details: dict[str, Any] | None = None) -> JSONResponse:
    return JSONResponse(
        status_code=status, content={"error": {"code": code, "message": message, "details": details or {}}}
    )


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return str(value)


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        response = error_response(STATUS_BY_KIND[exc.kind], exc.code, exc.message, exc.details)
        retry = exc.details.get("retry_after_seconds")
        if isinstance(retry, int):  # 429 and 503 say when to come back
            response.headers["Retry-After"] = str(retry)
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response(400, "malformed_json", "The request body is not valid JSON.")
        problems = [
            {"field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"), "problem": problem_text(e)}
            for e in errors
        ]
        first = problems[0] if problems else {"field": "", "problem": "invalid"}
        where = f"'{first['field']}'" if first["field"] else "the request"
        return error_response(
            422,
            "validation_error",
            f"{where}: {first['problem']}",
            {"problems": [{k: _jsonable(v) for k, v in p.items()} for p in problems]},
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = HTTP_CODES.get(exc.status_code, "http_error")
        if isinstance(exc.detail, dict) and "code" in exc.detail:
            response = error_response(exc.status_code, exc.detail["code"], exc.detail.get("message", ""))
        else:
            response = error_response(exc.status_code, code, str(exc.detail))
        for name, value in (exc.headers or {}).items():  # e.g. the Allow header of a 405
            response.headers[name] = value
        return response

    @app.exception_handler(StaleDataError)
    async def _stale(_: Request, exc: StaleDataError) -> JSONResponse:
        return error_response(409, "concurrent_modification", "The case changed while you acted; reload and retry.")

    @app.exception_handler(IntegrityError)
    async def _integrity(_: Request, exc: IntegrityError) -> JSONResponse:
        log.warning("integrity error: %s", exc.orig)
        return error_response(409, "conflict", "The request conflicts with data already stored; nothing changed.")

    @app.exception_handler(DataError)
    async def _data(_: Request, exc: DataError) -> JSONResponse:
        # PostgreSQL refusing a value for its column: an id past 32 bits, a text past its length.
        log.warning("value refused by the database: %s", exc.orig)
        return error_response(422, "value_out_of_range", OUT_OF_RANGE)

    @app.exception_handler(OverflowError)
    async def _overflow(_: Request, exc: OverflowError) -> JSONResponse:
        # A number too large for the driver (SQLite's 64-bit integers) or for date arithmetic.
        log.warning("value overflowed: %s", exc)
        return error_response(422, "value_out_of_range", OUT_OF_RANGE)

    @app.exception_handler(OperationalError)
    async def _operational(_: Request, exc: OperationalError) -> JSONResponse:
        log.error("database unavailable: %s", exc.orig)
        return error_response(503, "database_unavailable", "The database is busy or unreachable; retry shortly.")

    @app.exception_handler(PolicyError)
    async def _policy(_: Request, exc: PolicyError) -> JSONResponse:
        return error_response(422, "policy_invalid", str(exc), {"key": exc.key})

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return error_response(500, "internal_error", "Something went wrong on our side; nothing was changed.")
