"""Many rows into one table with few statements, below the ORM.

The bulk paths (a spreadsheet import, a merge of bundles) build their rows as plain
value tuples; this module compiles each table's INSERT once, puts the values in the
order its parameters take, runs them through the columns' own bind processors, and
sends them.

On SQLite the rows go as multi-row `INSERT … VALUES (…), (…), …` statements, not
executemany: sqlite3's executemany steps the statement and gives the GIL back and
takes it again around every single row, which costs more, and while another
thread runs Python (the window, a second import) each retake waits out the
interpreter's switch interval. One statement per few hundred rows does that once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from functools import cache
from itertools import chain
from typing import Any

from sqlalchemy import Boolean, Table, insert
from sqlalchemy.exc import DBAPIError

from nhao.models import sqlite_profile

ROWS_PER_STATEMENT = 500


@cache
def insert_statement(dialect: Any, table: Table, columns: tuple[str, ...]) -> tuple[str, Any]:
    """The INSERT's text, compiled once, and the order its positional parameters take
    from `columns` (None: as they are, or named parameters)."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
    if not compiled.positional:
        return str(compiled), None
    order = [columns.index(name) for name in compiled.positiontup or ()]
    return str(compiled), None if order == list(range(len(columns))) else order


def positional_params(dialect: Any, columns: Any, order: Any, rows: list) -> list[Any]:
    """Rows of values in `columns` order, as the statement of insert_statement takes them."""
    if not dialect.positional:
        return [dict(zip(columns, r, strict=True)) for r in rows]
    return rows if order is None else [tuple(r[i] for i in order) for r in rows]


def bind_processors(
    dialect: Any, table: Table, columns: list[str]
) -> list[Callable[[Any], Any] | None]:
    """The columns' bind processors; sqlite3 stores True/False as 1/0 by itself."""
    out = []
    for name in columns:
        kind = table.c[name].type
        if dialect.name == "sqlite" and isinstance(kind, Boolean):
            out.append(None)
        else:
            out.append(kind.dialect_impl(dialect).bind_processor(dialect))
    return out


def stored_value(dialect: Any, column: Any, value: Any) -> Any:
    """One value as the column's bind processor would send it (a value shared by a
    whole batch, such as the unit of work's time)."""
    processor = column.type.dialect_impl(dialect).bind_processor(dialect)
    return value if processor is None else processor(value)


def execute_rows(cursor: Any, dialect: Any, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    """Run the one-row INSERT `sql` (from insert_statement) for every row, on a DB-API
    cursor; a driver error comes out as SQLAlchemy would have raised it."""
    if not rows:
        return
    dbapi_error = dialect.loaded_dbapi.Error
    try:
        if dialect.name == "sqlite":
            _sqlite_rows(cursor, sql, rows)
        else:
            cursor.executemany(sql, rows)
    except dbapi_error as error:
        if dialect.name == "sqlite":  # a full drive, another window: said as SQLAlchemy's are
            said = sqlite_profile.in_words(error, sqlite_profile.file_name(cursor.connection))
            if said is not None:
                raise said from None
        raise DBAPIError.instance(
            sql, None, error, dbapi_error, hide_parameters=True, dialect=dialect
        ) from error


def _sqlite_rows(cursor: sqlite3.Cursor, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    width = len(rows[0])
    limit = cursor.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per = max(1, min(ROWS_PER_STATEMENT, limit // max(width, 1)))
    for start in range(0, len(rows), per):
        chunk = rows[start : start + per]
        if set(map(len, chunk)) != {width}:  # one short row would shift all after it
            raise ValueError(f"rows of different lengths for: {sql}")
        cursor.execute(_many_rows(sql, len(chunk)), list(chain.from_iterable(chunk)))


@cache
def _many_rows(sql: str, count: int) -> str:
    head, values, one_row = sql.partition(" VALUES ")
    if not values or not one_row.startswith("(") or not one_row.endswith(")"):
        raise ValueError(f"not a one-row INSERT … VALUES (…): {sql}")
    return head + values + ", ".join([one_row] * count)
