"""household search index: new households found by a mark, not an insert trigger

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25

Any trigger on `household` makes SQLite keep a statement journal for every row an
INSERT writes: with the insert trigger of 0004, importing 100,000 households took
about four times as long as the rows themselves. Inserts are what imports and
merges do in bulk, so the insert trigger goes; the update and delete triggers stay.

New households are found instead through `household_search_mark`: the rowid of the
last household the index has taken in, with that household's id. Rows past it are
new. The id guards against the mark going stale — VACUUM may renumber the rowids of
a table without an INTEGER PRIMARY KEY, and the marked household may be deleted
for good — in which case the households service looks for every household the
index lacks (slower, and rare).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INSERT_TRIGGER = "household_search_insert"
MARK = "household_search_mark"


def _has_search_index() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return False
    found = bind.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'household_search_pending'"
    ).first()
    return found is not None


def upgrade() -> None:
    if not _has_search_index():
        return
    op.execute(f"DROP TRIGGER IF EXISTS {INSERT_TRIGGER}")
    op.execute(
        f"CREATE TABLE {MARK} ("
        "id INTEGER PRIMARY KEY CHECK (id = 1), upto INTEGER NOT NULL, household_id CHAR(32))"
    )
    # Every household there now is indexed or queued already.
    op.execute(
        f"INSERT INTO {MARK} (id, upto, household_id) "
        "SELECT 1, coalesce(max(rowid), 0), "
        "(SELECT id FROM household ORDER BY rowid DESC LIMIT 1) FROM household"
    )


def downgrade() -> None:
    if not _has_search_index():
        return
    op.execute(
        "INSERT OR IGNORE INTO household_search_pending (household_id) "
        "SELECT id FROM household WHERE id NOT IN (SELECT household_id FROM household_search_row)"
    )
    op.execute(f"DROP TABLE IF EXISTS {MARK}")
    op.execute(
        f"CREATE TRIGGER {INSERT_TRIGGER} AFTER INSERT ON household BEGIN "
        "INSERT OR IGNORE INTO household_search_pending (household_id) VALUES (new.id); END"
    )
