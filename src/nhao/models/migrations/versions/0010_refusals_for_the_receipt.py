"""a bundle taken in keeps the changes it refused one by one, for its receipt

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24

A receipt said "applied" for a bundle some of whose changes a lock had refused (a
household deleted below whose case the commune had approved): the sender never
learnt. Bundles taken in before this revision have none kept: their receipts say none.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_bundle_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("refused", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_bundle_log", schema=None) as batch_op:
        batch_op.drop_column("refused")
