"""Statements run as bare driver calls on the session's own connection (issue 15's hot path).

Why: through SQLAlchemy every execution builds, caches and compiles its statement again and runs
the parameters through the type system (≈ 0.2 ms of CPU a statement, against ≈ 0.035 ms for a bare
psycopg call). A `Raw` is a Core statement compiled **once per dialect**: its SQL string, the
order of its parameters, the values it carries itself and the column types' bind and result
processors are kept, so each execution is one DBAPI call with scalar parameters, and the rows come
back as plain tuples converted exactly as SQLAlchemy converts them (aware UTC datetimes, JSON,
booleans on SQLite). The statements run on the session's own DBAPI connection (`Link`), inside
its transaction (and savepoints); the session is not told: the caller flushes first when the
session may hold unflushed changes to the rows, and expires the objects it may hold of rows it
wrote.

On PostgreSQL a `Link.pipeline()` sends the statements given inside it without waiting for each
answer (psycopg's pipeline mode): the server runs them one after the other as always, each on its
own snapshot, and the client waits once, when it first needs a result (`Pending.rows`) or at the
end of the block. A statement that fails makes the block raise, as it would have raised itself.
SQLite runs in-process: there the statements simply run as they are given.

Only for fixed-shape statements: no `in_` of a list (rendered per execution by SQLAlchemy; spell a
constant one as `or_` of comparisons). SQLAlchemy's cursor events do not see these calls: the
benchmarks count statements on the driver's cursors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # the parameters in the order the driver takes them
    defaults: dict[str, Any]  # values the statement carries itself (literals)
    binds: tuple[Processor, ...]  # per parameter, its type's bind processor
    results: tuple[Processor, ...] | None  # per result column; None when no column has one
    returns_rows: bool


class Raw:
    """A statement built by `build(dialect)` (so it may differ per dialect, e.g. FOR UPDATE),
    compiled once per dialect and run as one driver call (`Link.run`, `Link.send`)."""

    def __init__(self, build: Callable[[Dialect], Executable]) -> None:
        self._build = build
        self._by_dialect: dict[tuple[str, str], _Compiled] = {}

    def compiled(self, dialect: Dialect) -> _Compiled:
        key = (dialect.name, str(dialect.paramstyle))
        found = self._by_dialect.get(key)
        if found is None:
            found = self._by_dialect[key] = _compile(self._build(dialect), dialect)
        return found


_PYFORMAT = re.compile(r"%\(([^)]+)\)s")


def _compile(stmt: Executable, dialect: Dialect) -> _Compiled:
    plain_insert = getattr(stmt, "is_insert", False) and not getattr(stmt, "_returning", ())
    # an INSERT without RETURNING of its own: no implicit RETURNING of the new id either
    compiled: Any = cast(Any, stmt).compile(dialect=dialect, for_executemany=plain_insert)
    sql = compiled.string
    if "POSTCOMPILE" in sql:
        raise ValueError("a raw statement takes no `in_` of a list: spell it as or_(... == ...)")
    if compiled.positional:
        names = tuple(compiled.positiontup)
    else:  # pyformat (psycopg): made positional, so that each call passes a plain tuple
        names = tuple(_PYFORMAT.findall(sql))
        sql = _PYFORMAT.sub("%s", sql)
    defaults = {k: v for k, v in compiled.construct_params(_check=False).items() if v is not None}
    processors = compiled._bind_processors or {}
    binds = tuple(processors.get(name) for name in names)
    columns = list(getattr(compiled, "_result_columns", None) or [])
    results = tuple(_result_processor(entry.type, dialect) for entry in columns)
    return _Compiled(sql, names, defaults, binds, results if any(results) else None, bool(columns))


def _result_processor(type_: Any, dialect: Dialect) -> Processor:
    try:
        return cast(Processor, type_._cached_result_processor(dialect, None))
    except TypeError:  # psycopg's Float asks for the column's type code: its floats need no processing
        return None


def _params(c: _Compiled, given: Mapping[str, Any]) -> tuple[Any, ...]:
    defaults = c.defaults
    out = []
    for name, process in zip(c.names, c.binds, strict=True):
        value = given[name] if name in given else defaults.get(name)
        out.append(value if process is None else process(value))
    return tuple(out)


def _rows(c: _Compiled, fetched: Sequence[Any]) -> list[tuple[Any, ...]]:
    if c.results is None:
        return [tuple(row) for row in fetched]
    processors = c.results
    return [tuple(p(v) if p is not None else v for p, v in zip(processors, row, strict=True)) for row in fetched]


class Pending:
    """A statement sent; its rows (SELECT, RETURNING) once asked for."""

    def __init__(self, compiled: _Compiled, cursor: Any, link: Link) -> None:
        self._compiled, self._cursor, self._link = compiled, cursor, link

    def rows(self) -> list[tuple[Any, ...]]:
        if not self._compiled.returns_rows:
            return []
        with self._link.wrapped(self._compiled.sql):  # in a pipeline, the wait for the answers
            fetched = self._cursor.fetchall()
        return _rows(self._compiled, fetched)


class Link:
    """The session's DBAPI connection, for a run of raw statements in its transaction."""

    def __init__(self, session: Session) -> None:
        conn = session.connection()  # begins the session's transaction if it has not begun
        self.driver: Any = conn.connection.driver_connection
        self.dialect: Dialect = conn.dialect
        self.postgres = conn.dialect.name == "postgresql"
        self._writer: Any = None  # one cursor for the statements whose answer is not read

    def _cursor(self, returns_rows: bool) -> Any:
        if returns_rows:  # its own cursor: in a pipeline its rows are read after later statements
            return self.driver.cursor()
        if self._writer is None:
            self._writer = self.driver.cursor()
        return self._writer

    @contextmanager
    def pipeline(self) -> Iterator[None]:
        """Statements sent inside are answered together (PostgreSQL); see the module's docstring."""
        if not self.postgres:
            yield
            return
        with self.wrapped("(pipeline)"), self.driver.pipeline():
            yield

    @contextmanager
    def wrapped(self, sql: str) -> Iterator[None]:
        """The driver's errors as SQLAlchemy's (`sqlalchemy.exc.DBAPIError` and its kinds), as the
        session's own statements raise them: callers tell a refused statement from a database
        that went away (`db.engine.database_away`) and the API maps them, whichever path ran."""
        error = self.dialect.loaded_dbapi.Error
        try:
            yield
        except error as exc:
            gone = self.dialect.is_disconnect(exc, self.driver, None)
            raise DBAPIError.instance(sql, None, exc, error, connection_invalidated=gone, dialect=self.dialect) from exc

    def send(self, stmt: Raw, params: Mapping[str, Any] | None = None) -> Pending:
        """Execute once (in a pipeline: queue it); `.rows()` waits for its answer."""
        c = stmt.compiled(self.dialect)
        cursor = self._cursor(c.returns_rows)
        with self.wrapped(c.sql):
            cursor.execute(c.sql, _params(c, params or {}))
        return Pending(c, cursor, self)

    def run(self, stmt: Raw, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Execute once; the rows it returns (SELECT, RETURNING) as tuples, else []."""
        return self.send(stmt, params).rows()

    def run_many(self, stmt: Raw, rows: Sequence[Mapping[str, Any]]) -> None:
        """Execute once per parameter set, as one executemany."""
        if not rows:
            return
        c = stmt.compiled(self.dialect)
        cursor = self._cursor(c.returns_rows)
        with self.wrapped(c.sql):
            if len(rows) == 1:
                cursor.execute(c.sql, _params(c, rows[0]))
            else:
                cursor.executemany(c.sql, [_params(c, row) for row in rows])
