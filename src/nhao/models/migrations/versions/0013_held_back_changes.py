"""changes held back for a value beyond the forms: listed per record and station

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-24

A change refused alone for a value beyond the forms (a laptop whose clock ran ahead)
is held with its station's later changes of the record until a fix comes. Once the
day it named had come, nothing but a later change of that very record brought it in:
the station's other bundles, a full one too, left it out for ever. They are listed
now, so each bundle of the station takes those that have come within the forms.
Changes held before this revision are not listed: they come with the station's next
change of their record, as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_held_back",
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("station_id", sa.String(length=36), nullable=False),
        sa.Column("first_seq", sa.Integer(), nullable=False),
        sa.Column("held_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint(
            "entity", "record_id", "station_id", name=op.f("pk_sync_held_back")
        ),
    )
    with op.batch_alter_table("sync_held_back") as batch:
        batch.create_index(batch.f("ix_sync_held_back_station_id"), ["station_id"])


def downgrade() -> None:
    with op.batch_alter_table("sync_held_back") as batch:
        batch.drop_index(batch.f("ix_sync_held_back_station_id"))
    op.drop_table("sync_held_back")
