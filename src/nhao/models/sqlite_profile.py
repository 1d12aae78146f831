"""How nhao opens SQLite: explicit transactions, FULL sync, the journal mode the
SQLite version can be trusted with, and one connection (the write lane)."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Engine, event

# The WAL-reset bug (two connections writing or checkpointing one WAL file) was fixed
# in 3.51.3 and back-ported to 3.50.7 and 3.44.6. Older builds use a rollback journal.
WAL_FIXED_RELEASES = ((3, 51, 3), (3, 50, 7), (3, 44, 6))
MINIMUM_SQLITE = (3, 35, 0)  # RETURNING, DROP COLUMN for batch migrations


def wal_is_safe(version: tuple[int, int, int]) -> bool:
    major_minor = version[:2]
    for fixed in WAL_FIXED_RELEASES:
        if major_minor == fixed[:2]:
            return version >= fixed
    return version >= WAL_FIXED_RELEASES[0]


def chosen_journal_mode(version: tuple[int, int, int] | None = None) -> str:
    return "wal" if wal_is_safe(version or sqlite3.sqlite_version_info) else "delete"


def install(engine: Engine, journal_mode: str) -> None:
    """Hook the pysqlite driver so SQLAlchemy, not the driver, owns transactions.

    Python's sqlite3 in its legacy mode commits DDL on its own and begins
    transactions late; with isolation_level=None and our own BEGIN IMMEDIATE,
    a migration or an import that fails half-way rolls back completely.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA journal_mode = {journal_mode}")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA busy_timeout = 5000")
        cursor.execute("PRAGMA trusted_schema = OFF")
        cursor.execute("PRAGMA secure_delete = ON")
        # 32 MB of page cache: searches of a 100k-household register stay in memory.
        cursor.execute("PRAGMA cache_size = -32768")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
