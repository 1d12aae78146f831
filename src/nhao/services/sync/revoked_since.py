"""What a computer whose key is revoked from a day gone by had already brought in since
that day.

A stolen laptop is often reported days later. Revoking its key from the day it went
missing refuses what it signs from then on, but bundles taken in meanwhile are in the
data already, as genuine. The changes it made since that day (by its own clock, the
only one there is) are listed, so that a person looks at them again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from nhao.models import ChangeLogEntry, Household
from nhao.models.database import Database
from nhao.models.sync import TrustedKey

NAMES_SHOWN = 5
NAMES_LOOKED_UP = 500  # the names shown are of the first of these, by name


@dataclass(frozen=True)
class TakenSince:
    since: datetime  # UTC, as stored
    changes: int
    households: int  # households it changed
    names: tuple[str, ...]  # heads of a few of them


def taken_since_revocation(db: Database, key_id: str) -> TakenSince | None:
    """The changes of the key's computer stamped from its revocation on, already here;
    None when there are none (or the key is not revoked)."""
    with db.session() as session:
        row = session.get(TrustedKey, key_id.strip().lower())
        if row is None or row.revoked_from is None:
            return None
        since = row.revoked_from
        # A stamp starts with its wall time in milliseconds, fixed width: compared as text.
        wall_ms = int(since.replace(tzinfo=UTC).timestamp() * 1000)
        made_since = (
            ChangeLogEntry.station_id == row.station_id,
            ChangeLogEntry.hlc >= f"{wall_ms:015d}",
        )
        changes = session.scalar(select(func.count()).where(*made_since)) or 0
        if not changes:
            return None
        household_ids = session.scalars(
            select(ChangeLogEntry.record_id)
            .where(*made_since, ChangeLogEntry.entity == "household")
            .distinct()
        ).all()
        some = [uuid.UUID(i) for i in household_ids[:NAMES_LOOKED_UP]]
        names = session.scalars(
            select(Household.head_name)
            .where(Household.id.in_(some))
            .order_by(Household.head_name)
            .limit(NAMES_SHOWN)
        ).all()
    return TakenSince(since, changes, len(household_ids), tuple(names))
