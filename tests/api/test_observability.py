"""Structured JSON logs with personal data masked, request ids, and the Prometheus endpoint."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from peifu.adapters.api.app import create_app
from peifu.adapters.logs import JsonFormatter, PiiFilter, make_handler, mask
from peifu.adapters.runtime import Runtime
from peifu.adapters.worker import Worker
from peifu.db.models import Deadline
from peifu.domain.clock import ManualClock
from tests.conftest import as_buyer, as_seller, order_body

# --- masking ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "call 13812345678 now",
        "tel:+8613812345678",
        "tel 86-13912345678",
        "手机号15900001111，请回电",
        "138 1234 5678",
        "138-1234-5678",
        "id=19912345678&x=1",
    ],
)
def test_mobile_numbers_are_masked(text: str) -> None:
    masked = mask(text)
    assert "[phone]" in masked
    assert not re.search(r"1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}", masked)


@pytest.mark.parametrize(
    "text",
    ["wang.xiaoming@example.com", "mail: a+b@mail.example.com.cn.", "联系 buyer_1@qq.com 谢谢"],
)
def test_email_addresses_are_masked(text: str) -> None:
    masked = mask(text)
    assert "[email]" in masked
    assert "@" not in masked


@pytest.mark.parametrize(
    "text",
    [
        "order 12345678901",  # starts 12: not a mobile number
        "amount 138123456789 fen",  # 12 digits
        "case 42 moved to refunded",
        "2026-11-11T02:00:00Z",
        "e9a87804130a4ebca789c8525b97a384",
    ],
)
def test_other_text_is_left_alone(text: str) -> None:
    assert mask(text) == text


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Everything logged under `peifu` while the test runs, as the JSON handler writes it."""
    stream = io.StringIO()
    handler = make_handler(stream)
    logger = logging.getLogger("peifu")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


def _lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_a_log_line_is_one_json_object_with_masked_message_args_extras_and_traceback(
    log_lines: io.StringIO,
) -> None:
    log = logging.getLogger("peifu.test")
    log.info(
        "buyer %s asked to be called on %s", "wang@example.com", "13812345678", extra={"note": "alt 139-0000-1111"}
    )
    try:
        raise ValueError("no such buyer 15912345678")
    except ValueError:
        log.exception("lookup failed for %s", "li@example.org")
    first, second = _lines(log_lines)
    assert set(first) >= {"ts", "level", "logger", "msg", "request_id"}
    assert first["level"] == "INFO" and first["logger"] == "peifu.test" and first["request_id"] is None
    assert first["msg"] == "buyer [email] asked to be called on [phone]"
    assert first["note"] == "alt [phone]"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", first["ts"])
    assert second["level"] == "ERROR" and second["msg"] == "lookup failed for [email]"
    assert "ValueError: no such buyer [phone]" in second["exc"]
    text = log_lines.getvalue()
    for secret in ("13812345678", "13900001111", "15912345678", "wang@example.com", "li@example.org"):
        assert secret not in text


def test_the_filter_works_with_any_formatter() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "mail %s", ("a@b.cn",), None)
    assert PiiFilter().filter(record) is True
    assert record.getMessage() == "mail [email]"
    assert json.loads(JsonFormatter().format(record))["msg"] == "mail [email]"


def test_setup_logging_writes_json_for_every_logger() -> None:
    from peifu.adapters.logs import setup_logging

    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    stream = io.StringIO()
    try:
        setup_logging("INFO", stream)
        logging.getLogger("uvicorn.error").info("started on 13812345678")
        logging.getLogger("some.library").debug("not at INFO")
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved_handlers:
            root.addHandler(handler)
        root.setLevel(saved_level)
    (line,) = _lines(stream)
    assert line["logger"] == "uvicorn.error" and line["msg"] == "started on [phone]"


# --- request log lines and request ids ----------------------------------------------------------


def _request_lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [line for line in _lines(stream) if line["logger"] == "peifu.http"]


def test_request_line_has_the_fields_and_nothing_private(client: TestClient, log_lines: io.StringIO) -> None:
    assert client.post("/api/v1/orders", json=order_body()).status_code == 201
    response = client.get(
        "/api/v1/orders/T1?phone=13812345678&email=wang@example.com",
        headers={
            "X-Request-ID": "trace-42",
            "Authorization": "Bearer tok-very-secret",
            "Cookie": "session=cookie-very-secret",
            "X-Peifu-Actor": "buyer:buyer-1",
        },
    )
    assert response.headers["X-Request-ID"] == "trace-42"
    line = _request_lines(log_lines)[-1]
    assert line["request_id"] == "trace-42"
    assert line["method"] == "GET"
    assert line["path"] == "/api/v1/orders/T1"
    assert line["route"] == "/api/v1/orders/{order_id}"
    assert line["status"] == response.status_code
    assert isinstance(line["duration_ms"], float)
    text = log_lines.getvalue()
    for private in ("tok-very-secret", "cookie-very-secret", "13812345678", "wang@example.com", "phone=", "王小明"):
        assert private not in text


def test_personal_data_in_a_path_is_masked(client: TestClient, log_lines: io.StringIO) -> None:
    client.get("/api/v1/orders/13812345678")
    line = _request_lines(log_lines)[-1]
    assert line["path"] == "/api/v1/orders/[phone]"
    assert "13812345678" not in log_lines.getvalue()


def test_request_id_is_generated_when_missing_or_unfit(client: TestClient) -> None:
    generated = client.get("/healthz").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert client.get("/healthz").headers["X-Request-ID"] != generated
    for unfit in ("13812345678", "has space", "x" * 129, "<script>"):
        echoed = client.get("/healthz", headers={"X-Request-ID": unfit}).headers["X-Request-ID"]
        assert echoed != unfit and re.fullmatch(r"[0-9a-f]{32}", echoed)


def test_unexpected_errors_are_logged_with_the_request_id(rt: Runtime, log_lines: io.StringIO) -> None:
    app = create_app(rt)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("exploded for 13812345678")

    with TestClient(app, raise_server_exceptions=False) as c:
        response = c.get("/boom", headers={"X-Request-ID": "boom-1"})
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    lines = [line for line in _lines(log_lines) if line["request_id"] == "boom-1"]
    error = next(line for line in lines if line["logger"] == "peifu.api")
    assert "RuntimeError: exploded for [phone]" in error["exc"]
    request = next(line for line in lines if line["logger"] == "peifu.http")
    assert request["status"] == 500 and request["level"] == "ERROR"
    assert "13812345678" not in log_lines.getvalue()


def _ship(client: TestClient, order_id: str) -> None:
    assert client.post("/api/v1/orders", json=order_body(order_id)).status_code == 201
    assert client.post(f"/api/v1/orders/{order_id}/events", json={"kind": "paid"}).status_code == 200
    shipped = {"kind": "shipped", "courier": "SF", "tracking_no": "SF1"}
    answer = client.post(f"/api/v1/orders/{order_id}/events", json=shipped)
    assert answer.status_code == 200, answer.text


# --- metrics ------------------------------------------------------------------------------------


def _samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def _value(text: str, name: str, **labels: str) -> float | None:
    return _samples(text).get((name, frozenset(labels.items())))


@pytest.mark.fresh_app  # counts this app's requests
def test_metrics_endpoint_counts_requests_by_route_template(client: TestClient) -> None:
    client.post("/api/v1/orders", json=order_body())
    client.get("/api/v1/orders/T1")
    client.get("/api/v1/orders/T1")
    client.get("/api/v1/orders/NOPE")
    client.get("/no/such/path")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    route = "/api/v1/orders/{order_id}"
    assert _value(text, "peifu_http_requests_total", method="GET", route=route, status="200") == 2
    assert _value(text, "peifu_http_requests_total", method="GET", route=route, status="404") == 1
    assert _value(text, "peifu_http_requests_total", method="POST", route="/api/v1/orders", status="201") == 1
    assert _value(text, "peifu_http_requests_total", method="GET", route="unmatched", status="404") == 1
    assert _value(text, "peifu_http_request_duration_seconds_count", method="GET", route=route) == 3
    assert "T1" not in text and "NOPE" not in text
    assert _value(text, "peifu_database_up") == 1


def test_metrics_is_not_in_the_openapi_schema(client: TestClient) -> None:
    assert "/metrics" not in client.get("/openapi.json").json()["paths"]


def test_deadline_lag_is_how_late_the_oldest_due_deadline_is(client: TestClient, rt: Runtime) -> None:
    clock = rt.clock
    assert isinstance(clock, ManualClock)
    text = client.get("/metrics").text
    assert _value(text, "peifu_deadline_lag_seconds") == 0
    assert _value(text, "peifu_deadlines_due") == 0
    _ship(client, "T1")
    with rt.uow() as ctx:
        due_at = ctx.session.scalar(select(func.min(Deadline.due_at)).where(Deadline.status == "pending"))
    assert due_at is not None
    assert _value(client.get("/metrics").text, "peifu_deadline_lag_seconds") == 0  # not yet due
    clock.set(due_at + timedelta(minutes=90))
    text = client.get("/metrics").text
    assert _value(text, "peifu_deadline_lag_seconds") == 90 * 60
    assert (_value(text, "peifu_deadlines_due") or 0) >= 1


def test_worker_counters_and_outbox_backlog(client: TestClient, rt: Runtime) -> None:
    def counter(name: str) -> float:
        return REGISTRY.get_sample_value(name) or 0.0

    fired, sent = counter("peifu_deadlines_fired_total"), counter("peifu_payouts_sent_total")
    _ship(client, "T2")  # an auto-confirm deadline
    client.post("/api/v1/orders", json=order_body())
    client.post("/api/v1/orders/T1/events", json={"kind": "paid"})
    opened = client.post(
        "/api/v1/cases",
        json={"order_id": "T1", "lines": [{"line_no": 1}], "case_type": "refund_only", "reason": "ordered_by_mistake"},
        headers=as_buyer(),
    )
    assert opened.status_code == 201, opened.text
    agreed = client.post(f"/api/v1/cases/{opened.json()['id']}/agree", headers=as_seller())
    assert agreed.status_code == 200, agreed.text
    assert (_value(client.get("/metrics").text, "peifu_outbox_backlog") or 0) >= 1

    clock = rt.clock
    assert isinstance(clock, ManualClock)
    clock.advance(timedelta(days=30))  # every deadline is due: T2's auto-confirm at least
    report = Worker(rt, owner="metrics-test").run_once()
    assert report.fired >= 1 and report.payouts_sent >= 1
    assert counter("peifu_deadlines_fired_total") - fired == report.fired
    assert counter("peifu_payouts_sent_total") - sent == report.payouts_sent
    text = client.get("/metrics").text
    assert _value(text, "peifu_outbox_backlog") == 0
    assert _value(text, "peifu_deadlines_fired_total") == counter("peifu_deadlines_fired_total")
