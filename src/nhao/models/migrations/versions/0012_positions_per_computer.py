"""what was sent down and acknowledged: per computer of the recipient unit

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24

The export positions were kept per recipient unit. A unit of two computers (a
hamlet's two laptops) had one: the receipt of one laptop moved it past what the other
never got, and the bundles down after that waited there for ever. Each position is
now kept per computer of the unit as well; the unit's positions so far become those
of each of its computers heard of here in a bundle, as they stood for them. A unit
none of whose computers is known keeps them for the unit as a whole
(recipient_station ""). Going back keeps, per unit and origin, the position of the
computer furthest behind.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = "recipient_unit, recipient_station, origin_station, sent_upto, acked_upto, updated_at"


def upgrade() -> None:
    with op.batch_alter_table("sync_cursor") as batch:
        batch.add_column(
            sa.Column("recipient_station", sa.String(length=36), nullable=False, server_default="")
        )
        batch.drop_constraint(op.f("pk_sync_cursor"), type_="primary")
        batch.create_primary_key(
            op.f("pk_sync_cursor"), ["recipient_unit", "recipient_station", "origin_station"]
        )
    # As positions.receivers stood when written: the stations heard of.
    op.execute(
        f"INSERT INTO sync_cursor ({_COLUMNS}) "
        "SELECT c.recipient_unit, k.station_id, c.origin_station, c.sent_upto, c.acked_upto, "
        "c.updated_at FROM sync_cursor c JOIN sync_origin k ON k.unit_code = c.recipient_unit "
        "WHERE c.recipient_station = '' AND k.station_id <> '' "
        "AND k.station_id NOT IN (SELECT id FROM station)"
    )
    op.execute(
        "DELETE FROM sync_cursor WHERE recipient_station = '' AND recipient_unit IN "
        "(SELECT recipient_unit FROM sync_cursor WHERE recipient_station <> '')"
    )
    with op.batch_alter_table("sync_cursor") as batch:
        batch.alter_column("recipient_station", server_default=None)


def downgrade() -> None:
    op.execute(
        "DELETE FROM sync_cursor WHERE recipient_station <> '' AND recipient_unit IN "
        "(SELECT recipient_unit FROM sync_cursor WHERE recipient_station = '')"
    )
    op.execute(
        f"INSERT INTO sync_cursor ({_COLUMNS}) "
        "SELECT recipient_unit, '', origin_station, min(sent_upto), min(acked_upto), "
        "max(updated_at) FROM sync_cursor WHERE recipient_station <> '' "
        "GROUP BY recipient_unit, origin_station"
    )
    op.execute("DELETE FROM sync_cursor WHERE recipient_station <> ''")
    with op.batch_alter_table("sync_cursor") as batch:
        batch.drop_constraint(op.f("pk_sync_cursor"), type_="primary")
        batch.create_primary_key(op.f("pk_sync_cursor"), ["recipient_unit", "origin_station"])
        batch.drop_column("recipient_station")
