"""Engines and sessions: SQLite by default, PostgreSQL at scale, with the same behaviour.

SQLite runs in WAL mode and every write transaction starts with BEGIN IMMEDIATE, so two writers
never interleave read-then-write: the second waits (busy timeout) instead of failing half-way.
PostgreSQL uses READ COMMITTED plus explicit row locks taken by the services.
"""

from __future__ import annotations

import select
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, InterfaceError, InvalidatePoolError, OperationalError
from sqlalchemy.orm import Session, sessionmaker


def normalise_url(url: str) -> str:
    """Accept the usual `postgresql://` spelling and use psycopg 3 for it."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def make_engine(url: str, **kwargs: Any) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
        _make_sqlite_serialisable(engine)
        return engine
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 20)
    if "pool_pre_ping" in kwargs:  # the caller chose SQLAlchemy's ping on every checkout (or none)
        return create_engine(url, **kwargs)
    engine = create_engine(url, **kwargs)
    _ping_when_in_doubt(engine)
    return engine


PING_IDLE_AFTER = 30.0  # seconds: a pooled connection unused for longer is pinged before use


def _ping_when_in_doubt(engine: Engine) -> None:
    """Hand out only live connections, without a round trip on every checkout.

    SQLAlchemy's `pool_pre_ping` sends `SELECT 1` each time a connection leaves the pool: one more
    round trip for every unit of work. Instead a connection is pinged only when there is a reason
    to doubt it: its socket has something to read (an idle connection is sent nothing, so that is
    the server closing it — a restart, `pg_terminate_backend`, `idle_session_timeout` — or a
    notice), or it sat unused for more than PING_IDLE_AFTER seconds (a firewall or NAT may have
    dropped it without a word). Checking the socket is a system call, no round trip. A failed
    ping invalidates the whole pool and hands out a fresh connection, exactly as `pool_pre_ping`
    does; a connection that dies after the check fails its unit of work, which the callers
    already treat as the database being away (`database_away`: the API answers 503 and the
    workers retry) — the same window `pool_pre_ping` leaves between its ping and the work."""
    dialect = engine.dialect

    @event.listens_for(engine, "checkout")
    def _check(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        now = time.monotonic()
        last = record.info.get("peifu_used_at")
        record.info["peifu_used_at"] = now
        if last is None:  # just connected
            return
        if now - last <= PING_IDLE_AFTER and not _readable(dbapi_connection):
            return
        try:
            alive = dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as exc:
            if not dialect.is_disconnect(exc, dbapi_connection, None):
                raise
            alive = False
        if not alive:
            raise InvalidatePoolError("the connection is gone")


def _readable(dbapi_connection: Any) -> bool:
    """Whether an idle connection's socket has anything to read (or is closed): no round trip."""
    if getattr(dbapi_connection, "closed", False):
        return True
    try:
        fd = dbapi_connection.fileno()
    except Exception:  # a connection that cannot say is in doubt: pinged
        return True
    readable, _, _ = select.select([fd], [], [], 0)
    return bool(readable)


def make_replica_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for reads that may lag (PEIFU_READ_DATABASE_URL): on PostgreSQL every transaction
    is READ ONLY, so a route that wrongly writes there fails instead of writing to a replica."""
    engine = make_engine(url, **kwargs)
    if is_postgres(engine):
        return engine.execution_options(postgresql_readonly=True)
    return engine


def _make_sqlite_serialisable(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let us issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False, autoflush=True)


def holds_changes(session: Session) -> bool:
    """Whether the session holds any change not yet flushed (an object added, changed or deleted).
    A bare driver statement on the session's connection would not see it, so the raw fast paths
    (locking, the event feed, webhooks) run only on a clean session and leave the rest to the ORM,
    whose autoflush sends the changes first."""
    return bool(session.new or session.dirty or session.deleted)


def unflushed(session: Session, *models: type[Any]) -> bool:
    """Whether the session holds unflushed changes to rows of these models: a Core statement on
    the session's connection that reads or writes only their tables needs a flush first only then
    (the session's other changes go with its next flush, as they would after an autoflush)."""
    return any(isinstance(obj, models) for obj in (*session.new, *session.dirty, *session.deleted))


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: committed if the block ends normally, rolled back on any exception."""
    session = factory()
    try:
        with session.begin():
            yield session
    finally:
        session.close()


def database_away(exc: BaseException) -> bool:
    """Whether `exc` means the database could not be reached or dropped the connection (a restart,
    a failover, a network cut) rather than refusing a statement: retry later, do not give up on
    the work."""
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)
