"""New records of a merge, written in bulk.

A province's first import is hundreds of thousands of new records. Building an ORM
object per record and letting the session flush them one by one costs far more
than the database work. A new record is kept here as a plain `Fresh` row instead
(every column, so no ORM default fires: the row is exactly what the sender wrote)
and all of them are written with one executemany per table (COPY on PostgreSQL),
parents before children. The merge treats a Fresh row like any other row until it
is written; after that, the merge reloads it through the session to change it.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Boolean, Connection, Date, DateTime, Table, Uuid, insert
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from nhao.models import ChangeLogEntry
from nhao.models.base import Base
from nhao.models.snapshot import canonical_value
from nhao.sync.pg_copy import copy_rows


class Fresh:
    """A record new in this merge, not yet in the database (or just written). It
    keeps its canonical form beside the values, so the audit need not rebuild it."""

    def __init__(self, model: type, values: dict[str, Any], canonical: dict[str, Any]) -> None:
        self.__dict__.update(values)
        self.__dict__["_model"] = model
        self.__dict__["_written"] = False
        self.__dict__["_canonical"] = canonical

    def __setattr__(self, name: str, value: Any) -> None:
        self.__dict__[name] = value
        self.__dict__["_canonical"][name] = canonical_value(value)

    @property
    def model(self) -> type:
        return self.__dict__["_model"]  # type: ignore[no-any-return]

    @property
    def written(self) -> bool:
        return self.__dict__["_written"]  # type: ignore[no-any-return]


@cache
def columns_of(model: type) -> tuple[tuple[str, str], ...]:
    """(attribute, column name) of every mapped column."""
    return tuple((a.key, a.columns[0].name) for a in sa_inspect(model).column_attrs)


def _converter(kind: Any) -> Callable[[Any], Any] | None:
    if isinstance(kind, Uuid):
        return uuid.UUID
    if isinstance(kind, DateTime):
        return datetime.fromisoformat
    if isinstance(kind, Date):
        return date.fromisoformat
    return None


@cache
def converters(model: type) -> dict[str, Callable[[Any], Any] | None]:
    """Per attribute: canonical JSON value → the column's Python type (None: as is)."""
    mapper = sa_inspect(model)
    return {a.key: _converter(a.columns[0].type) for a in mapper.column_attrs}


def from_canonical(model: type, name: str, value: Any) -> Any:
    """A value of a change (canonical JSON) back to the column's Python type."""
    if value is None:
        return None
    convert = converters(model)[name]
    return value if convert is None else convert(value)


def snapshot(row: Any) -> dict[str, Any]:
    """What models.snapshot.record_snapshot gives for the row once it is written."""
    if isinstance(row, Fresh):
        return dict(row.__dict__["_canonical"])
    from nhao.models.snapshot import record_snapshot

    return record_snapshot(row)


_ORDER = {table.name: n for n, table in enumerate(Base.metadata.sorted_tables)}


class FreshBuffer:
    """New rows and change-log lines waiting to be written, in arrival order."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.rows: dict[str, list[Fresh]] = defaultdict(list)
        self.log: list[list[Any]] = []

    def new_row(self, model: type, changes: dict[str, list]) -> Fresh:
        convert = converters(model)
        values, canonical = {}, {}
        for key, _column in columns_of(model):
            change = changes.get(key)
            value = canonical[key] = change[1] if change is not None else None
            fn = convert[key]
            values[key] = value if value is None or fn is None else fn(value)
        row = Fresh(model, values, canonical)
        self.rows[model.__tablename__].append(row)  # type: ignore[attr-defined]
        return row

    def add_log(self, entry: dict) -> None:
        self.log.append(
            [
                entry["station"],
                entry["epoch"],
                entry["seq"],
                entry["hlc"],
                entry["entity"],
                entry["id"],
                entry["unit"],
                entry["op"],
                entry["changes"],
            ]
        )

    def write(self) -> None:
        """Rows parents first (the tables' foreign-key order), then the log lines."""
        connection = self.session.connection()
        for name in sorted(self.rows, key=_ORDER.__getitem__):
            rows = self.rows[name]
            if not rows:
                continue
            pairs = columns_of(rows[0].model)
            keys = [key for key, _ in pairs]
            insert_rows(
                connection,
                Base.metadata.tables[name],
                [col for _, col in pairs],
                [[r.__dict__[k] for k in keys] for r in rows],
            )
            for r in rows:
                r.__dict__["_written"] = True
        self.rows.clear()
        self.write_log()

    def write_log(self) -> None:
        if self.log:
            table = ChangeLogEntry.__table__
            insert_rows(self.session.connection(), table, _LOG_COLUMNS, self.log)  # type: ignore[arg-type]
            self.log = []


_LOG_COLUMNS = [
    *("station_id", "epoch", "seq", "hlc", "entity", "record_id", "unit_code", "op", "changes"),
]


def insert_rows(connection: Connection, table: Table, columns: list[str], rows: list) -> None:
    """One executemany of plain value lists, through the columns' own bind processors
    (UUIDs, dates, JSON, money) but without SQLAlchemy's per-row statement work."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":  # COPY, formatted in bulk: see pg_copy
        copy_rows(connection, table, columns, rows)
        return
    dialect = connection.dialect
    compiled = insert(table).compile(dialect=dialect, column_keys=columns)
    processors = [
        (i, processor)
        for i, processor in enumerate(_processors(dialect, table, columns))
        if processor is not None
    ]
    ready = []
    for row in rows:
        values = list(row)
        for i, processor in processors:
            values[i] = processor(values[i])
        ready.append(tuple(values))
    if compiled.positional:
        order = [columns.index(name) for name in compiled.positiontup or ()]
        identity = order == list(range(len(columns)))
        params: list[Any] = ready if identity else [tuple(r[i] for i in order) for r in ready]
    else:
        params = [dict(zip(columns, r, strict=True)) for r in ready]
    connection.exec_driver_sql(str(compiled), params)


def _processors(
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
