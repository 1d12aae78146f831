"""conflicts keep the value their resolution chose

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24

A resolved conflict, shown again with "show resolved conflicts too", still showed the
value kept when it was found and the other one, and not which of them was chosen.
Conflicts resolved before this revision have no chosen value: they show none.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chosen_value", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.drop_column("chosen_value")
