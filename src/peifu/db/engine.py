"""Engines and sessions: SQLite by default, PostgreSQL at scale, with the same behaviour.

SQLite runs in WAL mode and every write transaction starts with BEGIN IMMEDIATE, so two writers
never interleave read-then-write: the second waits (busy timeout) instead of failing half-way.
PostgreSQL uses READ COMMITTED plus explicit row locks taken by the services.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
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
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


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
