"""models.bulk_sql: multi-row INSERTs on SQLite store exactly what executemany of the
same rows stores, in a few statements, and fail as SQLAlchemy would."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine
from sqlalchemy.exc import IntegrityError

from nhao.models import bulk_sql

METADATA = MetaData()
PROBE = Table(
    "probe",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("name", String),
    Column("amount", Integer),
)


def _rows(count: int) -> list[tuple[object, ...]]:
    odd = ["", None, "Nguyễn Thị Ánh", 'quote " and \\', "😀", "x" * 3000]
    return [(n, odd[n % len(odd)], None if n % 7 == 0 else n * 1_000_003) for n in range(count)]


def _connection(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE probe (id INTEGER PRIMARY KEY, name TEXT, amount INTEGER)")
    connection.execute("CREATE TABLE plain (id INTEGER PRIMARY KEY, name TEXT, amount INTEGER)")
    return connection


@pytest.mark.parametrize("variable_limit", [None, 10])
def test_same_rows_as_executemany_in_few_statements(tmp_path: Path, variable_limit) -> None:  # type: ignore[no-untyped-def]
    dialect = create_engine("sqlite://").dialect
    sql, order = bulk_sql.insert_statement(dialect, PROBE, ("id", "name", "amount"))
    assert order is None
    connection = _connection(tmp_path / "probe.sqlite")
    if variable_limit:
        connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, variable_limit)
    rows = _rows(3 * bulk_sql.ROWS_PER_STATEMENT + 7)
    statements: list[str] = []
    connection.set_trace_callback(statements.append)
    bulk_sql.execute_rows(connection.cursor(), dialect, sql, rows)
    connection.set_trace_callback(None)
    connection.executemany("INSERT INTO plain VALUES (?, ?, ?)", rows)

    per_statement = 3 if variable_limit else bulk_sql.ROWS_PER_STATEMENT
    inserts = [s for s in statements if s.startswith("INSERT")]
    assert len(inserts) == -(-len(rows) // per_statement)
    stored = "SELECT id, name, amount, typeof(name), typeof(amount) FROM {} ORDER BY id"
    assert (
        connection.execute(stored.format("probe")).fetchall()
        == connection.execute(stored.format("plain")).fetchall()
    )
    assert len(connection.execute(stored.format("probe")).fetchall()) == len(rows)


def test_a_failing_row_raises_as_sqlalchemy_would(tmp_path: Path) -> None:
    dialect = create_engine("sqlite://").dialect
    sql, _ = bulk_sql.insert_statement(dialect, PROBE, ("id", "name", "amount"))
    connection = _connection(tmp_path / "probe.sqlite")
    rows = _rows(1200)
    rows[1100] = (5, "the id of row 5 again", 1)
    with pytest.raises(IntegrityError, match="UNIQUE constraint failed: probe.id"):
        bulk_sql.execute_rows(connection.cursor(), dialect, sql, rows)
    connection.rollback()
    assert connection.execute("SELECT count(*) FROM probe").fetchone() == (0,)


def test_rows_of_different_lengths_are_refused(tmp_path: Path) -> None:
    dialect = create_engine("sqlite://").dialect
    sql, _ = bulk_sql.insert_statement(dialect, PROBE, ("id", "name", "amount"))
    connection = _connection(tmp_path / "probe.sqlite")
    # Same number of values in all, so only the length check can catch the shift.
    rows = [(1, "a", 1), (2, "b"), (3, "c", 3, "extra")]
    with pytest.raises(ValueError, match="different lengths"):
        bulk_sql.execute_rows(connection.cursor(), dialect, sql, rows)
    assert connection.execute("SELECT count(*) FROM probe").fetchone() == (0,)
