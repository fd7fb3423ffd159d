"""peifu.db.raw: statements compiled once, run as bare driver calls on the session's connection.

What the hot path relies on, on SQLite and PostgreSQL: values go in and come back as the ORM's
own statements write and read them (aware UTC datetimes, JSON, booleans); the driver's errors
surface as SQLAlchemy's; the statements are part of the session's transaction and savepoints.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError

from peifu.adapters.runtime import Runtime
from peifu.db import bulk, raw
from peifu.db.models import EventRow

EVENTS = bulk.table_of(EventRow)
COLUMNS = (
    "event_id",
    "type",
    "schema_version",
    "occurred_at",
    "shop_id",
    "subject",
    "subject_id",
    "ordering_key",
    "data",
)
INSERT = raw.Raw(lambda d: insert(EVENTS).values({n: bindparam(n) for n in COLUMNS}))
READ = raw.Raw(
    lambda d: select(EVENTS.c.occurred_at, EVENTS.c.data, EVENTS.c.schema_version).where(
        EVENTS.c.event_id == bindparam("event_id")
    )
)


def _event(event_id: str, at: datetime) -> dict[str, object]:
    return {
        "event_id": event_id,
        "type": "case.agreed",
        "schema_version": 1,
        "occurred_at": at,
        "shop_id": None,
        "subject": "case",
        "subject_id": "1",
        "ordering_key": "case:1",
        "data": {"说明": "同意", "n": 3, "nested": [True, None]},
    }


def test_values_go_in_and_come_back_as_through_the_orm(rt: Runtime) -> None:
    at = datetime(2026, 12, 4, 20, 30, 15, 123456, tzinfo=timezone(timedelta(hours=8)))
    with rt.uow() as ctx:
        link = raw.Link(ctx.session)
        link.run_many(INSERT, [_event("e-1", at), _event("e-2", at)])
        with link.pipeline():
            sent = link.send(READ, {"event_id": "e-1"})
            ((occurred, data, version),) = sent.rows()
    assert occurred == at and occurred.tzinfo is not None and occurred.utcoffset() == timedelta(0)
    assert data == {"说明": "同意", "n": 3, "nested": [True, None]} and version == 1
    with rt.uow() as ctx:
        row = ctx.session.scalars(select(EventRow).where(EventRow.event_id == "e-2")).one()
        assert (row.occurred_at, row.data) == (at.astimezone(UTC), data)


def test_a_refused_statement_raises_sqlalchemys_error_and_a_savepoint_takes_the_rows_back(rt: Runtime) -> None:
    at = datetime(2026, 12, 4, tzinfo=UTC)
    with rt.uow() as ctx:
        link = raw.Link(ctx.session)
        link.run(INSERT, _event("e-1", at))
        savepoint = ctx.session.begin_nested()
        raw.Link(ctx.session).run(INSERT, _event("e-2", at))
        savepoint.rollback()
        with pytest.raises(IntegrityError), ctx.session.begin_nested():  # event_id is unique
            inner = raw.Link(ctx.session)
            with inner.pipeline():
                inner.send(INSERT, _event("e-1", at))
    with rt.uow() as ctx:
        assert list(ctx.session.scalars(select(EventRow.event_id).order_by(EventRow.event_id))) == ["e-1"]
