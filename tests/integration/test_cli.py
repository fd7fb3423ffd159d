"""The `peifu` command line: db upgrade, demo, worker --once (in-process, on a temp SQLite file)
and serve (a real process on a free port, asked over HTTP)."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from peifu.adapters.cli import app
from peifu.adapters.runtime import Runtime
from peifu.db.models import Case, Deadline, Order
from peifu.domain.actors import Actor
from peifu.domain.clock import ManualClock
from peifu.domain.vocabulary import CaseType, OrderEventKind, Reason, Role
from peifu.services import cases, orders
from peifu.services.inputs import CaseIn, CaseLineIn, OrderEventIn, OrderIn
from peifu.settings import Settings
from tests.conftest import order_body
from tests.server_support import _peifu_command

SERVE_TIMEOUT = 30.0


@pytest.fixture(autouse=True)
def _clean_env_and_logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No PEIFU_* settings from the outer environment; the commands' logging set-up is undone after."""
    for name in list(os.environ):
        if name.startswith("PEIFU_"):
            monkeypatch.delenv(name)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def _peifu(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _count(url: str, model: type) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(model)) or 0)
    finally:
        engine.dispose()


def test_db_upgrade_creates_the_schema_and_is_idempotent(db_url: str) -> None:
    assert "database at head" in _peifu("db", "upgrade", "--database-url", db_url)
    engine = create_engine(db_url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"orders", "cases", "case_events", "deadlines", "sandbox_clock", "alembic_version"} <= tables
    assert "database at head" in _peifu("db", "upgrade", "--database-url", db_url)


def test_demo_seeds_an_empty_database_once(db_url: str) -> None:
    first = _peifu("demo", "--database-url", db_url)
    assert first.startswith("demo data: "), first
    seeded_orders, seeded_cases = _count(db_url, Order), _count(db_url, Case)
    assert seeded_orders > 0 and seeded_cases > 0

    second = _peifu("demo", "--database-url", db_url)
    assert "nothing seeded" in second
    assert (_count(db_url, Order), _count(db_url, Case)) == (seeded_orders, seeded_cases)


def test_worker_once_fires_what_is_due_and_exits(db_url: str) -> None:
    _peifu("db", "upgrade", "--database-url", db_url)
    # A refund request opened four days ago: the seller's 72 hours to answer are over.
    rt = Runtime(Settings(database_url=db_url), clock=ManualClock(datetime.now(UTC) - timedelta(days=4)))
    try:
        with rt.uow() as ctx:
            orders.ingest_order(ctx, OrderIn.model_validate(order_body("T1")))
            orders.record_event(ctx, "T1", OrderEventIn(kind=OrderEventKind.paid))
            body = CaseIn(
                order_id="T1",
                lines=[CaseLineIn(line_no=1)],
                case_type=CaseType.refund_only,
                reason=Reason.ordered_by_mistake,
            )
            case_id = cases.open_case(ctx, body, Actor(Role.buyer, "buyer-1")).id
    finally:
        rt.close()

    output = _peifu("worker", "--once", "--database-url", db_url)
    assert "fired 1, skipped 0, failed 0" in output, output

    engine = create_engine(db_url)
    try:
        with Session(engine) as session:
            case = session.get(Case, case_id)
            assert case is not None and case.state == "refunded"
            assert set(session.scalars(select(Deadline.status))) == {"fired"}
    finally:
        engine.dispose()

    # Nothing is due any more: a second run fires nothing and still exits.
    assert "fired 0, skipped 0, failed 0" in _peifu("worker", "--once", "--database-url", db_url)


# --- peifu serve, as a real process ----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_serve_answers_over_http(tmp_path: Path) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "serve.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEIFU_")}
    command = [
        *_peifu_command(),
        "serve",
        "--port",
        str(port),
        "--database-url",
        f"sqlite:///{tmp_path / 'serve.db'}",
        "--no-demo",
    ]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
    try:
        started = time.monotonic()
        health: tuple[int, bytes] | None = None
        while time.monotonic() - started < SERVE_TIMEOUT:
            assert proc.poll() is None, f"peifu serve exited with {proc.returncode}:\n{log_path.read_text()}"
            try:
                health = _get(f"{base}/healthz")
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                health = None
            if health and health[0] == 200:
                break
            time.sleep(0.25)
        assert health and health[0] == 200, f"no answer in {SERVE_TIMEOUT:.0f} s:\n{log_path.read_text()}"
        assert json.loads(health[1])["status"] == "ok"
        assert json.loads(health[1])["database"] == "sqlite"

        docs_status, docs = _get(f"{base}/docs")
        assert docs_status == 200
        assert b"swagger" in docs.lower()
        spec_status, spec = _get(f"{base}/openapi.json")
        assert spec_status == 200
        assert "/api/v1/cases" in json.loads(spec)["paths"]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
