"""sync: keys, trust, cursors, pending bundles, conflicts, possible duplicates

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_key",
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("ed_public", sa.String(length=64), nullable=False),
        sa.Column("x_public", sa.String(length=64), nullable=False),
        sa.Column("sealed_private", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.Column("previous_key_id", sa.String(length=16), nullable=True),
        sa.Column("rotation_sig", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_sync_key")),
    )
    op.create_table(
        "sync_key_wrap",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("kdf", sa.JSON(), nullable=False),
        sa.Column("wrapped", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_sync_key_wrap")),
    )
    op.create_table(
        "sync_trusted_key",
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("station_id", sa.String(length=36), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("ed_public", sa.String(length=64), nullable=False),
        sa.Column("x_public", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=40), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(), nullable=False),
        sa.Column("enrolled_by", sa.String(length=120), nullable=False),
        sa.Column("revoked_from", sa.DateTime(), nullable=True),
        sa.Column("revoked_reason", sa.String(length=300), nullable=False),
        sa.Column("replaced_by", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_sync_trusted_key")),
    )
    with op.batch_alter_table("sync_trusted_key", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sync_trusted_key_unit_code"), ["unit_code"], unique=False
        )
    op.create_table(
        "sync_origin",
        sa.Column("station_id", sa.String(length=36), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("seen_upto", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("station_id", name=op.f("pk_sync_origin")),
    )
    op.create_table(
        "sync_cursor",
        sa.Column("recipient_unit", sa.String(length=64), nullable=False),
        sa.Column("origin_station", sa.String(length=36), nullable=False),
        sa.Column("sent_upto", sa.Integer(), nullable=False),
        sa.Column("acked_upto", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("recipient_unit", "origin_station", name=op.f("pk_sync_cursor")),
    )
    op.create_table(
        "sync_bundle_log",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("direction", sa.String(length=4), nullable=False),
        sa.Column("peer_unit", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("ranges", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_sync_bundle_log")),
    )
    op.create_table(
        "sync_pending",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("producer_unit", sa.String(length=64), nullable=False),
        sa.Column("waiting_for", sa.String(length=500), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_sync_pending")),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("kept_value", sa.JSON(), nullable=False),
        sa.Column("kept_hlc", sa.String(length=64), nullable=False),
        sa.Column("lost_value", sa.JSON(), nullable=False),
        sa.Column("lost_hlc", sa.String(length=64), nullable=False),
        sa.Column("lost_station", sa.String(length=36), nullable=False),
        sa.Column("detected_at", sa.DateTime(), nullable=False),
        sa.Column("bundle", sa.String(length=255), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
    )
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sync_conflict_record_id"), ["record_id"], unique=False
        )
    op.create_table(
        "sync_duplicate",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("household_a", sa.String(length=36), nullable=False),
        sa.Column("household_b", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("found_at", sa.DateTime(), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=True),
        sa.Column("decided_by", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_duplicate")),
    )
    with op.batch_alter_table("sync_duplicate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sync_duplicate_household_a"), ["household_a"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sync_duplicate_household_b"), ["household_b"], unique=False
        )


def downgrade() -> None:
    for table in (
        "sync_duplicate",
        "sync_conflict",
        "sync_pending",
        "sync_bundle_log",
        "sync_cursor",
        "sync_origin",
        "sync_trusted_key",
        "sync_key_wrap",
        "sync_key",
    ):
        op.drop_table(table)
