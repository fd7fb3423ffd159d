"""Writing many rows of one table in one statement, where PostgreSQL and SQLite differ.

Why: an executemany of UPDATEs is one statement execution per row on the server, and
SQLAlchemy's per-row parameter handling costs more than the row itself. On PostgreSQL each column
goes instead as one array parameter (`unnest`), so a thousand rows are a single execution of a
constant, prepared statement. SQLite (one writer, in-process) keeps the plain executemany.

Values are given as Python values of the column's type: aware datetimes, dicts for JSON columns.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import JSON, Table, bindparam, insert, text, update
from sqlalchemy.orm import Session

Row = dict[str, Any]


def table_of(model: type[Any]) -> Table:
    """The Core table behind a mapped class."""
    return cast(Table, model.__table__)


def _pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _array_type(session: Session, table: Table, column: str) -> tuple[str, bool]:
    """The PostgreSQL array element type for a column, and whether it is JSON (sent as text)."""
    key = (table.name, column)
    found = _ARRAY_TYPES.get(key)
    if found is None:
        found = _ARRAY_TYPES[key] = _array_type_of(session, table, column)
    return found


_ARRAY_TYPES: dict[tuple[str, str], tuple[str, bool]] = {}  # only PostgreSQL asks


def _array_type_of(session: Session, table: Table, column: str) -> tuple[str, bool]:
    col = table.c[column]
    if isinstance(col.type, JSON) or isinstance(getattr(col.type, "impl", None), JSON):
        return "text", True
    return col.type.compile(dialect=session.get_bind().dialect), False


def _unnest(
    session: Session, table: Table, columns: Sequence[str], rows: Sequence[Row]
) -> tuple[str, dict[str, Any], dict[str, str]]:
    """`unnest(…) AS u(…)` over one array parameter per column, its parameters, and how each
    column is read back from `u` (JSON columns travel as text and are cast back)."""
    casts, params, read = [], {}, {}
    for name in columns:
        element, is_json = _array_type(session, table, name)
        values = [row[name] for row in rows]
        if is_json:
            values = [None if v is None else json.dumps(v, ensure_ascii=False) for v in values]
        elif values and any(isinstance(v, datetime) for v in values):
            values = [v.astimezone(UTC) if isinstance(v, datetime) else v for v in values]
        casts.append(f"CAST(:{name} AS {element}[])")
        params[name] = values
        read[name] = f"u.{name}::json" if is_json else f"u.{name}"
    return f"unnest({', '.join(casts)}) AS u({', '.join(columns)})", params, read


def next_ids(session: Session, table: Table, count: int) -> list[int]:
    """Ids for rows about to be inserted, ascending (PostgreSQL: from the column's sequence)."""
    if count == 0:
        return []
    sql = text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)")
    return sorted(int(i) for i in session.scalars(sql, {"t": table.name, "n": count}))


def insert_rows(session: Session, table: Table, rows: Sequence[Row], *, returning_ids: bool = False) -> list[int]:
    """Insert `rows` (all with the same keys); with `returning_ids`, their new ids in row order."""
    if not rows:
        return []
    if not _pg(session):
        if returning_ids:
            stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
            return list(session.scalars(stmt, list(rows)))
        session.execute(insert(table), list(rows))
        return []
    ids: list[int] = []
    if returning_ids:
        ids = next_ids(session, table, len(rows))
        rows = [{**row, "id": new_id} for row, new_id in zip(rows, ids, strict=True)]
    columns = list(rows[0])
    source, params, read = _unnest(session, table, columns, rows)
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) SELECT {', '.join(read.values())} FROM {source}"
    session.execute(text(sql), params)
    return ids


def update_rows(session: Session, table: Table, key: str, rows: Sequence[Row]) -> None:
    """Set each row's other columns on the table row whose `key` column equals the row's `key`."""
    if not rows:
        return
    columns = list(rows[0])
    others = [name for name in columns if name != key]
    if not _pg(session):
        stmt = (
            update(table)
            .where(table.c[key] == bindparam(f"b_{key}", type_=table.c[key].type))
            .values({name: bindparam(f"b_{name}", type_=table.c[name].type) for name in others})
        )
        session.execute(stmt, [{f"b_{name}": row[name] for name in columns} for row in rows])
        return
    source, params, read = _unnest(session, table, columns, rows)
    assignments = ", ".join(f"{name} = {read[name]}" for name in others)
    sql = f"UPDATE {table.name} SET {assignments} FROM {source} WHERE {table.name}.{key} = u.{key}"
    session.execute(text(sql), params)
