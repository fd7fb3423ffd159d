"""Statements run as bare driver calls on the session's own connection (issue 15's hot path).

Why: through SQLAlchemy every execution builds, caches and compiles its statement again and runs
the parameters through the type system (≈ 0.2 ms of CPU a statement, against ≈ 0.035 ms for a bare
psycopg call). A `Raw` is a Core statement compiled **once per dialect**: its SQL string, the
order of its parameters, the values it carries itself and the column types' bind and result
processors are kept, so each execution is one DBAPI call with scalar parameters, and the rows come
back as plain tuples converted exactly as SQLAlchemy converts them (aware UTC datetimes, JSON,
booleans on SQLite). The statement runs on the session's own DBAPI connection, inside its
transaction (and savepoints); the session is not told: the caller flushes first when the session
may hold unflushed changes to the rows, and expires the objects it may hold of rows it wrote.

Only for fixed-shape statements: no `in_` of a list (rendered per execution by SQLAlchemy; spell a
constant one as `or_` of comparisons). `executed` counts the calls, for the benchmarks' statement counts
(SQLAlchemy's cursor events do not see them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

executed = 0  # raw statements run in this process (benchmarks count them with SQLAlchemy's)

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # the parameters in the order the driver takes them (positional styles)
    positional: bool
    defaults: dict[str, Any]  # values the statement carries itself (literals, `in_` of a constant)
    binds: dict[str, Callable[[Any], Any]]  # name → bind processor (only those that have one)
    results: tuple[Processor, ...]  # per result column; all None → rows are returned as fetched
    returns_rows: bool


class Raw:
    """A statement built by `build(dialect)` (so it may differ per dialect, e.g. FOR UPDATE),
    compiled once per dialect and run as one driver call (`run`, `run_many`)."""

    def __init__(self, build: Callable[[Dialect], Executable]) -> None:
        self._build = build
        self._by_dialect: dict[tuple[str, str], _Compiled] = {}

    def compiled(self, dialect: Dialect) -> _Compiled:
        key = (dialect.name, str(dialect.paramstyle))
        found = self._by_dialect.get(key)
        if found is None:
            found = self._by_dialect[key] = _compile(self._build(dialect), dialect)
        return found


def _compile(stmt: Executable, dialect: Dialect) -> _Compiled:
    compiled: Any = cast(Any, stmt).compile(dialect=dialect)
    if "POSTCOMPILE" in compiled.string:
        raise ValueError("a raw statement takes no `in_` of a list: spell it as or_(... == ...)")
    positional = bool(compiled.positional)
    names = tuple(compiled.positiontup) if positional else tuple(dict.fromkeys(compiled.bind_names.values()))
    defaults = {k: v for k, v in compiled.construct_params(_check=False).items() if v is not None}
    binds = {k: p for k, p in (compiled._bind_processors or {}).items() if p is not None}
    columns = list(getattr(compiled, "_result_columns", None) or [])
    results = tuple(entry.type._cached_result_processor(dialect, None) for entry in columns)
    return _Compiled(compiled.string, names, positional, defaults, binds, results, bool(columns))


def _params(c: _Compiled, given: Mapping[str, Any]) -> Any:
    values = {**c.defaults, **given} if c.defaults else given
    out = {name: values.get(name) for name in c.names}
    for name, process in c.binds.items():
        if name in out:
            out[name] = process(out[name])
    return tuple(out[name] for name in c.names) if c.positional else out


def _driver(session: Session) -> tuple[Any, Dialect]:
    conn = session.connection()  # begins the session's transaction if it has not begun
    return conn.connection.driver_connection, conn.dialect


def run(session: Session, stmt: Raw, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
    """Execute once; the rows it returns (SELECT, RETURNING) as tuples, else []."""
    global executed
    driver, dialect = _driver(session)
    c = stmt.compiled(dialect)
    cursor = driver.execute(c.sql, _params(c, params or {}))
    executed += 1
    if not c.returns_rows:
        return []
    rows = cursor.fetchall()
    if not any(c.results):
        return [tuple(row) for row in rows]
    processors = c.results
    return [tuple(p(v) if p is not None else v for p, v in zip(processors, row, strict=True)) for row in rows]


def run_many(session: Session, stmt: Raw, rows: Sequence[Mapping[str, Any]]) -> None:
    """Execute once per parameter set, as one executemany (psycopg pipelines it: one round trip)."""
    global executed
    if not rows:
        return
    driver, dialect = _driver(session)
    c = stmt.compiled(dialect)
    params = [_params(c, row) for row in rows]
    if len(params) == 1:
        driver.execute(c.sql, params[0])
    else:
        cursor = driver.cursor()
        try:
            cursor.executemany(c.sql, params)
        finally:
            cursor.close()
    executed += 1
