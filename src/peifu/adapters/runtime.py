"""Wiring: one place that turns settings into an engine, a clock and the policy in force.

The API, the worker, the CLI and the tests all start from a `Runtime`, so they cannot drift
apart in how they open the database or which rules they apply.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from peifu.adapters.gateway import HttpGateway, SandboxGateway
from peifu.db.engine import make_engine, make_replica_engine, make_session_factory, unit_of_work
from peifu.db.migrate import upgrade
from peifu.domain.clock import Clock, OffsetClock, SystemClock
from peifu.domain.policy import read_policy_text
from peifu.services import audit, policies, reactions, sandbox
from peifu.services.context import Ctx, Reactions
from peifu.services.payouts import PaymentGateway
from peifu.settings import Settings


class Runtime:
    def __init__(self, settings: Settings, *, clock: Clock | None = None, migrate: bool = True) -> None:
        self.settings = settings
        self.engine: Engine = make_engine(settings.database_url)
        self.factory: sessionmaker[Session] = make_session_factory(self.engine)
        # reads that may lag (metrics, dashboard, queues, the event feed): a replica when
        # PEIFU_READ_DATABASE_URL names one, else the primary's own engine and sessions
        self.read_engine: Engine = self.engine
        self.read_factory: sessionmaker[Session] = self.factory
        if settings.read_database_url and settings.read_database_url != settings.database_url:
            self.read_engine = make_replica_engine(settings.read_database_url)
            self.read_factory = make_session_factory(self.read_engine)
        if migrate:
            upgrade(settings.database_url)
        if clock is None:
            clock = OffsetClock(timedelta(0), SystemClock()) if settings.sandbox else SystemClock()
        self.clock = clock
        # every session's audit links are keyed with these keys and dated by this clock
        self.audit_keys = audit.Keyring.configured(settings.audit_key_file, settings.audit_keys)
        self.factory.configure(info={audit.KEYRING: self.audit_keys, audit.CLOCK: clock})
        self.reactions: Reactions = reactions.standard()
        with unit_of_work(self.factory) as session:
            self.refresh_clock(session)
            self.policies = policies.activate(session, read_policy_text(settings.policy_file), self.clock.now())

    @property
    def gateway(self) -> PaymentGateway:
        if self.settings.gateway_url:
            return HttpGateway(self.settings.gateway_url, self.settings.gateway_token)
        return SandboxGateway(self.factory, self.clock)

    def refresh_clock(self, session: Session) -> None:
        """In sandbox mode, pick up the shared test-clock offset (another process may have moved it)."""
        if self.settings.sandbox and isinstance(self.clock, OffsetClock):
            self.clock.offset = sandbox.load_offset(session)

    @contextmanager
    def uow(self) -> Iterator[Ctx]:
        with unit_of_work(self.factory) as session:
            self.refresh_clock(session)
            ctx = Ctx(session=session, clock=self.clock, policies=self.policies, reactions=self.reactions)
            yield ctx
            ctx.react()  # whatever the unit of work recorded and did not react to yet

    @property
    def reads_lag(self) -> bool:
        """Whether `read_uow` reads from a separate (replica) database."""
        return self.read_factory is not self.factory

    @contextmanager
    def read_uow(self) -> Iterator[Ctx]:
        """A unit of work for reads that may lag behind the primary by a replica's delay: the
        metrics, the dashboard, the work queues, the event feed. Nothing written here is kept (on
        PostgreSQL the replica's transactions are READ ONLY); anything that must see its own
        writes, or decides a case, uses `uow()` on the primary."""
        if self.read_factory is self.factory:
            with self.uow() as ctx:
                yield ctx
            return
        if self.settings.sandbox:  # the test clock lives on the primary
            with unit_of_work(self.factory) as primary:
                self.refresh_clock(primary)
        with unit_of_work(self.read_factory) as session:
            yield Ctx(session=session, clock=self.clock, policies=self.policies, reactions=self.reactions)

    def close(self) -> None:
        self.engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()
