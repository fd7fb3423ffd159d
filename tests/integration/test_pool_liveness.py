"""The engine's pool hands out live connections without a round trip per checkout (issue 15).

`db.engine.make_engine` no longer pings every connection it hands out (`pool_pre_ping`: one more
round trip per unit of work); it pings one only when there is a reason to doubt it: its socket has
something to read (the server closed it) or it sat unused for longer than `PING_IDLE_AFTER`. These
tests kill a pooled connection's server process (`pg_terminate_backend`) and check that the next
unit of work still succeeds, on a fresh connection, as it did with `pool_pre_ping`.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import Engine, text

from peifu.db import engine as db_engine
from peifu.db.engine import make_engine

pytestmark = pytest.mark.postgres_only


def _backend(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _pings(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the pool's pings (the real ping still runs)."""
    pings: list[int] = []
    real = engine.dialect.do_ping

    def counted(dbapi_connection: Any) -> bool:
        pings.append(1)
        return real(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    return pings


def _terminate(database_url: str, pid: int) -> None:
    other = make_engine(database_url, pool_pre_ping=False)
    with other.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
    other.dispose()
    time.sleep(0.2)  # the server has closed the socket


def test_a_pooled_connection_is_reused_without_a_ping(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(database_url, pool_size=1)
    pings = _pings(engine, monkeypatch)
    first = _backend(engine)
    assert [_backend(engine) for _ in range(5)] == [first] * 5
    assert pings == []
    engine.dispose()


def test_a_connection_the_server_closed_is_replaced_before_use(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(database_url, pool_size=1)
    pings = _pings(engine, monkeypatch)
    killed = _backend(engine)
    _terminate(database_url, killed)
    replaced = _backend(engine)  # no error: the dead connection never reaches the caller
    assert replaced != killed
    assert len(pings) == 1
    assert _backend(engine) == replaced
    engine.dispose()


def test_a_connection_idle_for_long_is_pinged(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(database_url, pool_size=1)
    pings = _pings(engine, monkeypatch)
    first = _backend(engine)
    monkeypatch.setattr(db_engine, "PING_IDLE_AFTER", 0.0)
    time.sleep(0.01)
    assert _backend(engine) == first  # alive: pinged and kept
    assert len(pings) == 1
    engine.dispose()
