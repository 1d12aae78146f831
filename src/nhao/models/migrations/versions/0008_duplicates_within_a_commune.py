"""possible duplicates by name and birth year: within one commune only

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24

Pairs that share only a folded name and a birth year are now listed when both
households lie in one commune (DESIGN.md §5, "neighbouring units"); a citizen ID is
still compared everywhere. A district or province listed such pairs across all its
communes, by the thousands. Those still waiting for a person's decision are taken
off the list here; pairs already decided stay, with their decision. Going back
lists nothing again: the next import that touches those households finds them.
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CHUNK = 500
_pairs = sa.table(
    "sync_duplicate",
    sa.column("id", sa.Uuid()),
    sa.column("household_a", sa.String()),
    sa.column("household_b", sa.String()),
    sa.column("reason", sa.String()),
    sa.column("decision", sa.String()),
)
_households = sa.table("household", sa.column("id", sa.Uuid()), sa.column("unit_code", sa.String()))


def _commune(unit_code: str) -> str:
    # As sync.scope.commune_of: a migration keeps its own, as the code stood when written.
    return unit_code.split("-", 1)[0]


def upgrade() -> None:
    bind = op.get_bind()
    waiting = bind.execute(
        sa.select(_pairs.c.id, _pairs.c.household_a, _pairs.c.household_b).where(
            _pairs.c.reason == "name_birth_year", _pairs.c.decision.is_(None)
        )
    ).all()
    ids = sorted({h for _, a, b in waiting for h in (a, b)})
    units: dict[str, str] = {}
    for start in range(0, len(ids), _CHUNK):
        query = sa.select(_households.c.id, _households.c.unit_code).where(
            _households.c.id.in_([uuid.UUID(h) for h in ids[start : start + _CHUNK]])
        )
        units.update((str(hid), unit) for hid, unit in bind.execute(query))
    across = [
        pair_id
        for pair_id, a, b in waiting
        if a in units and b in units and _commune(units[a]) != _commune(units[b])
    ]
    for start in range(0, len(across), _CHUNK):
        bind.execute(sa.delete(_pairs).where(_pairs.c.id.in_(across[start : start + _CHUNK])))


def downgrade() -> None:
    pass
