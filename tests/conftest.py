"""Test fixtures: a real database (SQLite file, or PostgreSQL when PEIFU_TEST_DATABASE_URL says so),
migrated once per session and emptied between tests; a manual clock; an API client.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from peifu.adapters.api.app import create_app
from peifu.adapters.http import logins
from peifu.adapters.runtime import Runtime
from peifu.db.engine import normalise_url, unit_of_work
from peifu.db.models import Base
from peifu.domain.clock import ManualClock, OffsetClock
from peifu.services import audit, auth
from peifu.settings import Settings

START = datetime(2026, 11, 11, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai on Singles' Day


def _postgres_database(admin_url: str) -> Iterator[str]:
    """A fresh database for this test session on the given server, dropped afterwards."""
    name = f"peifu_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(normalise_url(admin_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base, _, _ = normalise_url(admin_url).rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    server = os.environ.get("PEIFU_TEST_DATABASE_URL", "")
    if server.startswith("postgres"):
        yield from _postgres_database(server)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{Path(tmp) / 'peifu-test.db'}"


@pytest.fixture(scope="session")
def is_postgres(database_url: str) -> bool:
    return database_url.startswith("postgres")


@pytest.fixture(scope="session")
def runtime(database_url: str) -> Iterator[Runtime]:
    # The flow tests name the acting party in X-Peifu-Actor, as a trusted gateway would; the
    # security tests (test_security*.py) turn this off and authenticate for real.
    settings = Settings(database_url=database_url, sandbox=False, trust_actor_header=True)
    rt = Runtime(settings, clock=ManualClock(START))
    yield rt
    rt.close()


def _empty(rt: Runtime) -> None:
    """Every row but the policy versions gone, identities restarted. On PostgreSQL this is one round
    trip of DELETEs (children first) and sequence resets: TRUNCATE of 49 tables costs 0.5-0.6 s a
    test (a new file per table), a DELETE of a test's few rows a few milliseconds."""
    tables = [t for t in reversed(Base.metadata.sorted_tables) if t.name != "policy_versions"]
    with rt.engine.begin() as conn:
        if rt.engine.dialect.name == "postgresql":
            conn.exec_driver_sql(_postgres_emptying(conn))
        else:
            for table in tables:
                conn.execute(table.delete())
    with unit_of_work(rt.factory) as session:  # the kept policy versions get their audit links again
        audit.adopt(session, START)


_EMPTYING: dict[str, str] = {}


def _postgres_emptying(conn: Any) -> str:
    """The statements that empty this database (built once per process: the schema does not change)."""
    key = str(conn.engine.url)
    if key not in _EMPTYING:
        tables = [t.name for t in reversed(Base.metadata.sorted_tables) if t.name != "policy_versions"]
        sequences = conn.exec_driver_sql(
            "SELECT s.relname FROM pg_class s JOIN pg_depend d ON d.objid = s.oid "
            "JOIN pg_class t ON t.oid = d.refobjid WHERE s.relkind = 'S' AND t.relname <> 'policy_versions'"
        ).scalars()
        resets = ", ".join(f"setval('\"{name}\"', 1, false)" for name in sequences)
        _EMPTYING[key] = "".join(f'DELETE FROM "{name}";' for name in tables) + (f"SELECT {resets};" if resets else "")
    return _EMPTYING[key]


@pytest.fixture
def rt(runtime: Runtime) -> Iterator[Runtime]:
    """The shared runtime with an empty database and a fresh manual clock at START."""
    _empty(runtime)
    runtime.clock = ManualClock(START)
    yield runtime


CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(autouse=True)
def _cheap_password_hashing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id still, with its cheapest parameters: with the production ones (64 MiB, 3 passes) a hash
    took 0.36 s on the shared machine and the suite makes over a thousand. A test marked
    `production_password_cost` keeps the real hasher (the one that checks what is stored)."""
    if request.node.get_closest_marker("production_password_cost") is None:
        monkeypatch.setattr(auth, "_hasher", CHEAP_HASHER)


@pytest.fixture
def sandbox_rt(rt: Runtime, database_url: str) -> Iterator[Runtime]:
    """A sandbox-mode runtime on the test database (which `rt` has just emptied, clock row included):
    its clock is stored in the database, so worker processes started by a test share it."""
    srt = Runtime(Settings(database_url=database_url, sandbox=True), migrate=False)
    assert isinstance(srt.clock, OffsetClock)
    yield srt
    srt.close()


@pytest.fixture
def clock(rt: Runtime) -> ManualClock:
    assert isinstance(rt.clock, ManualClock)
    return rt.clock


_APPS: dict[tuple[int, Settings], FastAPI] = {}


@pytest.fixture
def client(rt: Runtime, request: pytest.FixtureRequest) -> Iterator[TestClient]:
    """The API (and pages) of `rt`. Requests without their own X-Peifu-Actor come from the
    marketplace's integration.

    One app per runtime and settings for the whole session: FastAPI works out a route's dependencies
    on an app's first request, about 0.15 s for its ninety routes, which was most of a short API
    test. What the app keeps between requests is reset for each test (the failed-login throttles,
    the rate limiter's buckets); the database is emptied by `rt`. A test marked `fresh_app` gets an
    app of its own (one that counts the app's own /metrics, say)."""
    if request.node.get_closest_marker("fresh_app") is not None:
        app = create_app(rt)
    else:
        key = (id(rt), rt.settings)
        if key not in _APPS:
            _APPS[key] = create_app(rt)
        app = _APPS[key]
        logins.install(app.state, rt.settings)
        if app.state.rate_limiter is not None:
            app.state.rate_limiter.clear()
    with TestClient(app, raise_server_exceptions=False, headers=PLATFORM) as c:
        yield c


# The levels (README, "Tests"). tests/domain touches no database (checked here); tests/project checks
# the repository itself (generated files, docs, layering), where a database is incidental. The
# PostgreSQL pass of `make test` (scripts/test.sh) leaves both out; every other level runs on both.
LEVELS = ("domain", "service", "api", "web", "browser", "security", "integration", "project")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_pg = os.environ.get("PEIFU_TEST_DATABASE_URL", "").startswith("postgres")
    skip = pytest.mark.skip(reason="needs PostgreSQL (PEIFU_TEST_DATABASE_URL)")
    here = Path(__file__).parent
    for item in items:
        level = item.path.relative_to(here).parts[0] if item.path.is_relative_to(here) else ""
        if level not in LEVELS:
            raise pytest.UsageError(f"{item.nodeid}: a test lives in one of tests/{{{','.join(LEVELS)}}}/")
        if level == "domain" and "database_url" in getattr(item, "fixturenames", ()):
            raise pytest.UsageError(f"{item.nodeid} uses the database: it belongs in tests/service or above")
        if "postgres_only" in item.keywords and not on_pg:
            item.add_marker(skip)
    # The long tests first (Medusa's end to end, then the ones marked slow), so that in parallel runs
    # they start at once beside the short ones instead of running alone at the end.
    items.sort(key=lambda item: 0 if "medusa" in item.keywords else 1 if "slow" in item.keywords else 2)


PLATFORM = {"X-Peifu-Actor": "platform:platform"}


def as_platform() -> dict[str, str]:
    return dict(PLATFORM)


def as_buyer(buyer_id: str = "buyer-1") -> dict[str, str]:
    return {"X-Peifu-Actor": f"buyer:{buyer_id}"}


def as_seller(shop_id: str = "shop-1") -> dict[str, str]:
    return {"X-Peifu-Actor": f"seller:{shop_id}"}


def order_body(order_id: str = "T1", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": order_id,
        "shop": {"id": "shop-1", "name": "测试店铺", "category": "shoes"},
        "buyer": {"id": "buyer-1", "name": "王小明"},
        "lines": [
            {"sku": "SKU-1", "title": "跑步鞋", "category": "shoes", "unit_price_fen": 39900, "quantity": 1},
            {"sku": "SKU-2", "title": "运动袜", "category": "apparel", "unit_price_fen": 2000, "quantity": 3},
        ],
    }
    body.update(overrides)
    return body
