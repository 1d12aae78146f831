"""household pair reviews: a person's finding on a possible duplicate travels up

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23

Until now "same household" / "different" was kept only in the station's own list of
possible duplicates, so the district and province asked again about every pair a
commune had reviewed. The finding is now a record like any other (audited, in the
change log, in bundles). Decisions made before this revision stay in the local list
only: who made them is not known well enough to sign them into the chain now.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "household_pair_review",
        sa.Column("household_a", sa.String(length=36), nullable=False),
        sa.Column("household_b", sa.String(length=36), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("evidence", sa.String(length=20), nullable=False),
        sa.Column("reviewed_by", sa.String(length=120), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("origin_station", sa.String(length=36), nullable=False),
        sa.Column("changed_by", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_reason", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_pair_review")),
    )
    with op.batch_alter_table("household_pair_review", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_household_pair_review_household_a"), ["household_a"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_household_pair_review_unit_code"), ["unit_code"], unique=False
        )


def downgrade() -> None:
    op.drop_table("household_pair_review")
