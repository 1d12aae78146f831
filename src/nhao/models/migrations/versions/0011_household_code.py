"""household code ("Mã hộ"): what a list names a household by

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24

A household without a citizen ID was found again on import by its name, birth year and
hamlet only, so a register corrected in Excel came back as second households. Each
household now has a code: a list's own, or the one derived from its id
(nhao.domain.household_code).

Existing households are not given theirs here: the audit trail pins every record's
content, and a code written outside it would make `nhao verify` report each of them
as changed outside nhao (and every station would send them all again). They keep
None, which the snapshot leaves out (models.snapshot.without_late_nones), and show,
export and match by the derived code, the same on every station; a later edit stores
it. Plain ALTER TABLE, not a batch rebuild: a rebuild drops the search triggers (0004).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("household", sa.Column("household_code", sa.String(length=40), nullable=True))
    op.create_index(
        op.f("ix_household_household_code"), "household", ["household_code"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_household_household_code"), table_name="household")
    # SQLite 3.35 and later drop a column in place, keeping the triggers (0004).
    op.execute("ALTER TABLE household DROP COLUMN household_code")
