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
from functools import cache, partial
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import Boolean, Connection, Date, DateTime, Table, Uuid
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from nhao.models import ChangeLogEntry
from nhao.models.base import Base
from nhao.models.bulk_sql import bind_processors, execute_rows, insert_statement, positional_params
from nhao.models.json_codec import JsonText
from nhao.models.snapshot import canonical_value
from nhao.sync.bundle import STATION_ID
from nhao.sync.pg_copy import copy_rows


class Fresh:
    """A record new in this merge, not yet in the database (or just written). It
    keeps the canonical form the change brought (what the audit hashes and, on
    SQLite, what is written); a column's Python value is made on first use only."""

    def __init__(self, model: type, canonical: dict[str, Any]) -> None:
        self.__dict__["_model"] = model
        self.__dict__["_written"] = False
        self.__dict__["_canonical"] = canonical

    def __getattr__(self, name: str) -> Any:  # only for values not made yet
        canonical = self.__dict__["_canonical"]
        if name not in canonical:
            raise AttributeError(name)
        value = self.__dict__[name] = from_canonical(self.__dict__["_model"], name, canonical[name])
        return value

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


class UnreadableValue(ValueError):
    """A value of a change that nhao cannot store as it was meant; says which."""


def naive_datetime(text: Any) -> datetime:
    """A time of a change. nhao writes UTC times without a zone; one with a zone
    would be stored differently by SQLite, COPY and an INSERT, and would no longer
    match the hash the audit trail pins for its record, so it is refused."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is not None:
        raise UnreadableValue(f"thời điểm “{text}” ghi kèm múi giờ, mà nhao chỉ ghi giờ UTC")
    return value


def _converter(kind: Any) -> Callable[[Any], Any] | None:
    if isinstance(kind, Uuid):
        return uuid.UUID
    if isinstance(kind, DateTime):
        return naive_datetime
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
    from nhao.models.snapshot import record_snapshot, without_late_nones

    if isinstance(row, Fresh):
        return without_late_nones(row.model, dict(row.__dict__["_canonical"]))
    return record_snapshot(row)


_ORDER = {table.name: n for n, table in enumerate(Base.metadata.sorted_tables)}


class FreshBuffer:
    """New rows and change-log lines waiting to be written, in arrival order."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.rows: dict[str, list[Fresh]] = defaultdict(list)
        self.log: list[list[Any]] = []

    def new_row(self, model: type, changes: dict[str, list]) -> Fresh:
        canonical = {}
        for key, _column in columns_of(model):
            change = changes.get(key)
            canonical[key] = change[1] if change is not None else None
        row = Fresh(model, canonical)
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
            model = rows[0].model
            pairs = columns_of(model)
            keys = [key for key, _ in pairs]
            table = Base.metadata.tables[name]
            columns = [col for _, col in pairs]
            stored = _stored(rows, keys, storage(model, connection.dialect))
            insert_rows(connection, table, columns, stored, stored_form=_on_sqlite(connection))
            for r in rows:
                r.__dict__["_written"] = True
        self.rows.clear()
        self.write_log()

    def write_log(self) -> None:
        if not self.log:
            return
        # Change sets are as orjson read them from the bundle, so orjson's text of
        # them reads back as the same value: no need for json_text's check.
        for line in self.log:
            line[-1] = JsonText(orjson.dumps(line[-1]).decode())
        connection, table = self.session.connection(), ChangeLogEntry.__table__
        # On SQLite every column of the log is stored as it is.
        insert_rows(connection, table, _LOG_COLUMNS, self.log, stored_form=_on_sqlite(connection))  # type: ignore[arg-type]
        self.log = []


def _stored(rows: list[Fresh], keys: list[str], storage: tuple[Callable, ...]) -> list[list]:
    """The rows' canonical values in `keys` order, each through its storage function;
    the many columns stored as they are take no call at all."""
    in_order = itemgetter(*keys) if len(keys) > 1 else lambda values: (values[keys[0]],)
    reshaped = [(i, fn) for i, fn in enumerate(storage) if fn is not _as_is]
    out = []
    for row in rows:
        values = list(in_order(row.__dict__["_canonical"]))
        for i, fn in reshaped:
            if values[i] is not None:
                values[i] = fn(values[i])
        out.append(values)
    return out


_LOG_COLUMNS = [
    *("station_id", "epoch", "seq", "hlc", "entity", "record_id", "unit_code", "op", "changes"),
]


def insert_rows(
    connection: Connection,
    table: Table,
    columns: list[str],
    rows: list,
    *,
    stored_form: bool = False,
) -> None:
    """Plain value lists through the columns' own bind processors (UUIDs, dates, JSON,
    money) but without SQLAlchemy's per-row statement work (see models.bulk_sql).
    stored_form: the values are what the processors would give already (SQLite)."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":  # COPY, formatted in bulk: see pg_copy
        copy_rows(connection, table, columns, rows)
        return
    dialect = connection.dialect
    processors = [] if stored_form else [
        (i, processor)
        for i, processor in enumerate(bind_processors(dialect, table, columns))
        if processor is not None
    ]  # fmt: skip
    ready = rows
    if processors:
        ready = []
        for row in rows:
            values = list(row)
            for i, processor in processors:
                values[i] = processor(values[i])
            ready.append(values)
    sql, order = insert_statement(dialect, table, tuple(columns))
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        execute_rows(cursor, dialect, sql, positional_params(dialect, columns, order, ready))
    finally:
        cursor.close()


_UUID_TEXT = STATION_ID  # a UUID as str() writes it, the one pattern bundles check


@cache
def storage(model: type, dialect: Any) -> tuple[Callable[[Any], Any], ...]:
    """Per column: canonical value → what the bulk insert takes for it. UUIDs and
    times are the costly ones to make as objects, so their canonical text is checked
    (at C speed) and used instead.

    SQLite: what the column stores, as its bind processor would store the value:
    the text reshaped. PostgreSQL: what pg_copy.copy_rows takes; nhao's own
    canonical spelling is the very text the server reads, so it goes as it is, and
    any other spelling as the Python value the ORM would bind. Other columns keep
    their value there: copy_rows runs their bind processors itself."""
    sqlite = dialect.name == "sqlite"
    out: list[Callable[[Any], Any]] = []
    for attr in sa_inspect(model).column_attrs:
        kind = attr.columns[0].type
        processor = kind.dialect_impl(dialect).bind_processor(dialect)
        if isinstance(kind, Uuid):
            out.append(_uuid_stored if sqlite else _uuid_text)
        elif isinstance(kind, DateTime):
            out.append(partial(_datetime_stored, processor) if sqlite else _datetime_text)
        elif isinstance(kind, Date):
            out.append(partial(_date_stored, processor) if sqlite else _date_text)
        elif sqlite and processor is not None and not isinstance(kind, Boolean):
            out.append(processor)
        else:
            out.append(_as_is)
    return tuple(out)


def _on_sqlite(connection: Connection) -> bool:
    return connection.dialect.name == "sqlite"


def _uuid_text(text: Any) -> Any:
    if type(text) is str and _UUID_TEXT.fullmatch(text):
        return text
    return uuid.UUID(text)


def _datetime_text(text: Any) -> Any:
    value = naive_datetime(text)
    if len(text) == 26 and text[10] == "T" and text[19] == ".":
        return text
    return value


def _date_text(text: Any) -> Any:
    value = date.fromisoformat(text)
    return text if len(text) == 10 else value


def _as_is(value: Any) -> Any:
    return value


def _uuid_stored(text: Any) -> str:
    """32 lowercase hex digits, as the Uuid type stores on SQLite."""
    if type(text) is str and _UUID_TEXT.fullmatch(text):
        return text.replace("-", "")
    return uuid.UUID(text).hex  # another spelling, or not a UUID at all (raises)


def _datetime_stored(processor: Callable[[Any], Any], text: Any) -> Any:
    value = naive_datetime(text)  # checks it (and raises) at C speed
    if len(text) == 26 and text[10] in "T " and text[19] == ".":
        return f"{text[:10]} {text[11:]}"  # SQLite's 'YYYY-MM-DD HH:MM:SS.ffffff'
    return processor(value)


def _date_stored(processor: Callable[[Any], Any], text: Any) -> Any:
    value = date.fromisoformat(text)
    return text if len(text) == 10 else processor(value)
