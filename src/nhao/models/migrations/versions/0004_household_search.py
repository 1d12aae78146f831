"""household search index: FTS5 trigrams of the folded name and the citizen ID

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24

SQLite: `household_search`, an FTS5 table with the trigram tokenizer over
(head_name_key, citizen_id), holding the household id in an UNINDEXED column.
`household_search_row` maps each household id to the index's rowid, so one entry
is found without scanning the index; the household's own rowid is never used
(VACUUM may renumber the rowids of a table whose key is not an INTEGER PRIMARY KEY).

nhao opens SQLite with trusted_schema OFF, which forbids a trigger in the file to
write a virtual table. So the triggers only queue the id of every household that
is inserted, renamed (name or citizen ID) or deleted in `household_search_pending`,
a plain table; the households service folds the queue into the index before it
reads the index. Every writer, bulk inserts and sync merges included, goes through
the triggers. Soft deletes change neither column: the index keeps those households
and the list filters on deleted_at.

PostgreSQL: GIN trigram indexes when the pg_trgm extension is there or may be
created; otherwise nothing (the list then searches with LIKE alone).

A later migration that rebuilds `household` (batch_alter_table on SQLite) drops
its triggers with it and must create them again (SQLITE_TRIGGERS below).
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy.exc import DBAPIError

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUEUE = "INSERT OR IGNORE INTO household_search_pending (household_id) VALUES ({}.id);"
SQLITE_TRIGGERS = {
    "household_search_insert": ("AFTER INSERT ON household", QUEUE.format("new")),
    "household_search_update": (
        "AFTER UPDATE OF id, head_name_key, citizen_id ON household",
        QUEUE.format("old") + " " + QUEUE.format("new"),
    ),
    "household_search_delete": ("AFTER DELETE ON household", QUEUE.format("old")),
}
PG_INDEXES = {
    "household_search_head_name_key": "head_name_key",
    "household_search_citizen_id": "citizen_id",
}


def _sqlite_has_fts5_trigram() -> bool:
    bind = op.get_bind()
    try:
        with bind.begin_nested():
            bind.exec_driver_sql(
                "CREATE VIRTUAL TABLE temp.nhao_fts5_probe USING fts5(x, tokenize='trigram')"
            )
            bind.exec_driver_sql("DROP TABLE temp.nhao_fts5_probe")
    except DBAPIError:
        return False  # an SQLite built without FTS5: the list searches with LIKE
    return True


def _upgrade_sqlite() -> None:
    if not _sqlite_has_fts5_trigram():
        return
    op.execute(
        "CREATE TABLE household_search_row ("
        "fts_rowid INTEGER PRIMARY KEY, household_id CHAR(32) NOT NULL UNIQUE)"
    )
    op.execute(
        "CREATE TABLE household_search_pending ("
        "household_id CHAR(32) NOT NULL PRIMARY KEY) WITHOUT ROWID"
    )
    op.execute(
        "CREATE VIRTUAL TABLE household_search USING fts5("
        "household_id UNINDEXED, head_name_key, citizen_id, tokenize='trigram')"
    )
    # Backfill: every household already in the file, deleted ones too.
    op.execute("INSERT INTO household_search_row (household_id) SELECT id FROM household")
    op.execute(
        "INSERT INTO household_search (rowid, household_id, head_name_key, citizen_id) "
        "SELECT r.fts_rowid, h.id, h.head_name_key, h.citizen_id "
        "FROM household_search_row r JOIN household h ON h.id = r.household_id"
    )
    for name, (when, body) in SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} BEGIN {body} END")


def _pg_trgm_available() -> bool:
    bind = op.get_bind()
    if bind.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").first():
        return True
    try:
        with bind.begin_nested():  # creating an extension may need rights we lack
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DBAPIError:
        return False
    return True


def _upgrade_postgresql() -> None:
    if not _pg_trgm_available():
        return
    for name, column in PG_INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON household USING gin ({column} gin_trgm_ops)")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _upgrade_sqlite()
    elif dialect == "postgresql":
        _upgrade_postgresql()


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS household_search")
        op.execute("DROP TABLE IF EXISTS household_search_pending")
        op.execute("DROP TABLE IF EXISTS household_search_row")
    elif dialect == "postgresql":
        for name in PG_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
