"""The bulk work of a merge on PostgreSQL, done the way PostgreSQL does it fast.

A province office aggregates hundreds of thousands of records per import, so three
things matter there that do not on a laptop's SQLite file:

* New rows go in by COPY, as text this module formats itself: psycopg's row writer
  looks up a dumper per value and SQLAlchemy wraps every JSON value first, which
  cost more than the server's own work. The text is what the INSERT path binds
  (the same JSON serializer, the columns' bind processors), so the rows read back
  the same.
* A set of ids is one `= ANY(array)` condition, not IN lists of 500 bound values:
  one statement, one plan, one round trip whatever the size.
* Exact matches on household names and citizen ids must use the b-tree indexes.
  The search's trigram (GIN) indexes on the same columns also answer `=`, and the
  planner likes them for it, but a 12-digit id shares its trigrams with most other
  ids: each probe reads long posting lists, tens of milliseconds at 10k households
  and worse with every import.
"""

from __future__ import annotations

import json
import math
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    String,
    Table,
    Text,
    Uuid,
    any_,
    bindparam,
    cast,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.elements import ColumnElement

from nhao.models import Household
from nhao.models.json_codec import JsonText

BLOCK = 2000  # rows per write: the server parses one block while the next is built
IN_BATCH = 500  # ids per IN list where there are no arrays (SQLite)


def is_postgresql(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


# -- sets of ids --------------------------------------------------------------------


def in_batches(
    connection: Connection, column: Any, values: Sequence[Any]
) -> Iterator[ColumnElement[bool]]:
    """`column` is one of `values` (for a UUID column, UUIDs or their text), in as
    few conditions as the database allows: one on PostgreSQL, IN lists of 500 elsewhere."""
    if not values:
        return
    if is_postgresql(connection):
        yield any_of(column, values)
        return
    if isinstance(column.type, Uuid):
        values = [v if isinstance(v, uuid.UUID) else uuid.UUID(v) for v in values]
    for i in range(0, len(values), IN_BATCH):
        yield column.in_(values[i : i + IN_BATCH])


def any_of(column: Any, values: Sequence[Any]) -> ColumnElement[bool]:
    """`column = ANY(array)` on PostgreSQL. The array travels as one text parameter
    that the server splits (and casts): psycopg's list adapter works per element
    in Python, slower than the lookups themselves."""
    texts = [str(v) for v in values]
    joined = _SEPARATOR.join(texts)
    if None in values or "" in texts or joined.count(_SEPARATOR) != len(texts) - 1:
        array: Any = bindparam(None, list(values), type_=ARRAY(column.type), unique=True)
    else:
        array = func.string_to_array(bindparam(None, joined, type_=Text, unique=True), _SEPARATOR)
        if not isinstance(column.type, String):  # text compares with varchar as it is
            array = cast(array, ARRAY(column.type))
    return column == any_(array)  # type: ignore[no-any-return]


_SEPARATOR = "\x1f"  # the unit separator: not in ids; a value holding it goes as a list


@contextmanager
def btree_lookups(connection: Connection) -> Iterator[None]:
    """Bitmap scans off inside the block: GIN indexes answer only through bitmap
    scans, so equality goes to the b-tree indexes. Local to the transaction, so a
    failure (which rolls it back) needs no restoring."""
    before = connection.exec_driver_sql("SELECT current_setting('enable_bitmapscan')").scalar()
    connection.exec_driver_sql("SELECT set_config('enable_bitmapscan', 'off', true)")
    yield
    connection.exec_driver_sql("SELECT set_config('enable_bitmapscan', %(v)s, true)", {"v": before})


def household_matches(
    connection: Connection, household_ids: list[str]
) -> tuple[list[Any], dict[str, set], dict[tuple, set]]:
    """For bulk.find_duplicates: the live households among `household_ids` (id,
    citizen_id, head_name_key, birth_year, unit_code), and every live household by
    citizen id and, as (id, unit_code), by (folded name, birth year) of theirs. Three
    lookups."""
    h = Household.__table__.c  # type: ignore[attr-defined]
    live = h.deleted_at.is_(None)
    by_cid: dict[str, set] = defaultdict(set)
    by_name: dict[tuple, set] = defaultdict(set)
    if not household_ids:
        return [], by_cid, by_name
    with btree_lookups(connection):
        mine = connection.execute(
            select(h.id, h.citizen_id, h.head_name_key, h.birth_year, h.unit_code).where(
                any_of(h.id, household_ids), live
            )
        ).all()
        cids = sorted({r.citizen_id for r in mine if r.citizen_id})
        if cids:
            query = select(h.id, h.citizen_id).where(any_of(h.citizen_id, cids), live)
            for hid, cid in connection.execute(query):
                by_cid[cid].add(hid)
        names = sorted({(r.head_name_key, r.birth_year) for r in mine if r.birth_year is not None})
        if names:
            # Pairs as two arrays unnested side by side, joined on the name index.
            wanted = connection.exec_driver_sql(
                "SELECT h.id, h.head_name_key, h.birth_year, h.unit_code FROM household AS h"
                " JOIN unnest(%(keys)s::text[], %(years)s::int[]) AS w(k, y)"
                " ON h.head_name_key = w.k AND h.birth_year = w.y"
                " WHERE h.deleted_at IS NULL",
                {"keys": [k for k, _ in names], "years": [y for _, y in names]},
            )
            for hid, key, year, unit in wanted:
                by_name[(key, year)].add((hid, unit))
    return mine, by_cid, by_name


# -- COPY -----------------------------------------------------------------------------
# Column by column: a column's values become text in one pass (mostly C-level map and
# join calls), then the rows are joined from those columns. Per value and per row in
# Python, this was slower than the server's own work.

_NULL = "\\N"
_SPECIAL = ("\\", "\t", "\n", "\r")  # what COPY's text format escapes


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _float(value: float) -> str:
    if math.isfinite(value):
        return repr(value)  # the shortest text that reads back as the same double
    return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")


_TEXT: dict[type, Callable[[Any], str]] = {
    str: str.__str__,  # escaped by _strings, the column at once
    bool: lambda v: "t" if v else "f",
    int: int.__repr__,
    float: _float,
    uuid.UUID: uuid.UUID.__str__,
    datetime: datetime.isoformat,  # "T" between date and time: PostgreSQL reads it
    date: date.isoformat,
    time: time.isoformat,
    Decimal: Decimal.__str__,
    bytes: lambda v: "\\x" + v.hex(),  # bytea's hex input
}
_NONE = type(None)
_JSON_KINDS = frozenset({dict, list, str, int, float, bool, _NONE, JsonText})
_Format = Callable[[Sequence[Any]], list[str]]


def _strings(values: Sequence[str | None]) -> list[str]:
    """Escaped, None as NULL. Most columns hold nothing to escape: one probe says so."""
    probe = "\x00".join(filter(None, values))
    out: list[Any] = list(values)
    if any(c in probe for c in _SPECIAL):
        out = [None if v is None else _escape(v) for v in out]
    return [_NULL if v is None else v for v in out] if None in out else out


def _plain(kind: type) -> _Format:
    convert = _TEXT[kind]

    def text(values: Sequence[Any]) -> list[str]:
        return _strings([None if v is None else convert(v) for v in values])

    return text


def _mixed(values: Sequence[Any]) -> list[str]:
    return _strings([None if v is None else _TEXT[type(v)](v) for v in values])


def _json(dumps: Callable[[Any], str | bytes]) -> _Format:
    def text(values: Sequence[Any]) -> list[str]:
        out = [d.decode() if isinstance(d, bytes) else d for d in map(dumps, values)]
        return _strings(out)

    return text


def _prepare(
    kind: Any, dialect: Any, values: Sequence[Any], dumps: Callable[[Any], str | bytes]
) -> tuple[Sequence[Any], _Format] | None:
    """One column: its values as bound (through the type's bind processor) and how
    they are written; None when some value is of a kind left to psycopg."""
    kinds = set(map(type, values))
    if isinstance(kind, JSON):
        # As SQLAlchemy binds it: None is the JSON null unless none_as_null; SQL
        # expressions and sentinels (JSON.NULL, null()) go the slow way.
        if kind.none_as_null or not kinds <= _JSON_KINDS:
            return None
        return values, _json(dumps)
    if not (isinstance(kind, Boolean) and kinds <= {bool, _NONE}):  # bools bind as they are
        processor = kind.dialect_impl(dialect).bind_processor(dialect)
        if processor is not None:
            values = list(map(processor, values))
            kinds = set(map(type, values))
    kinds.discard(_NONE)
    if not kinds <= _TEXT.keys():
        return None
    if (datetime in kinds or time in kinds) and {
        v.tzinfo for v in values if isinstance(v, datetime | time)
    } != {None}:
        return None  # psycopg sends aware ones as timestamptz, which the server converts
    if kinds == {str}:
        return values, _strings
    if len(kinds) == 1:
        return values, _plain(kinds.pop())
    return values, _mixed


def copy_rows(connection: Connection, table: Table, columns: list[str], rows: list) -> None:
    """fresh.insert_rows on PostgreSQL: the rows by one COPY, written as the INSERT
    path binds them (the columns' bind processors, the engine's JSON serializer)."""
    if not rows:
        return
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    statement = (
        f"COPY {dialect.identifier_preparer.format_table(table)} "
        f"({', '.join(quote(c) for c in columns)}) FROM STDIN"
    )
    dumps = dialect._json_serializer or json.dumps  # type: ignore[attr-defined]
    prepared = [
        _prepare(table.c[name].type, dialect, values, dumps)
        for name, values in zip(columns, zip(*rows, strict=True), strict=True)
    ]
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor, cursor.copy(statement) as copy:
        if any(p is None for p in prepared):  # decided before any row is sent
            _write_rows(copy, dialect, table, columns, rows)
            return
        ready: list[tuple[Sequence[Any], _Format]] = prepared  # type: ignore[assignment]
        for start in range(0, len(rows), BLOCK):  # sent now, parsed while we go on
            end = start + BLOCK
            texts = [text(values[start:end]) for values, text in ready]
            copy.write("\n".join(map("\t".join, zip(*texts, strict=True))) + "\n")


def _write_rows(copy: Any, dialect: Any, table: Table, columns: list[str], rows: list) -> None:
    """psycopg's own row writer: a dumper per value, for kinds not written here."""
    processors = [table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
    for row in rows:
        copy.write_row([v if p is None else p(v) for v, p in zip(row, processors, strict=True)])
