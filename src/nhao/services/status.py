"""What the status bar shows: last backup, changes not yet exported."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from nhao.models import ChangeLogEntry, Unit
from nhao.models.database import Database
from nhao.models.sync import SyncCursor
from nhao.services.unit_of_work import self_station


@dataclass(frozen=True)
class StationStatus:
    last_backup: datetime | None  # local time of the newest backup file
    unexported_changes: int
    backs_up: bool = True  # nhao backs this database up (a file); a server's is its own


def last_backup(db: Database) -> datetime | None:
    folder = db.location.backup_dir
    if not folder.is_dir():
        return None
    stamps = [p.stat().st_mtime for p in folder.glob("*.sqlite")]
    if not stamps:
        return None
    return datetime.fromtimestamp(max(stamps), UTC).astimezone().replace(tzinfo=None)


def station_status(db: Database) -> StationStatus:
    """Changes not yet exported: this computer's own changes that the next bundle to
    the unit above (the default recipient of an export) would still carry. A unit with
    none above (a province) sends down to the units it trusts, so there it counts the
    changes no bundle has carried yet."""
    with db.session() as session:
        station = self_station(session)
        above = session.scalar(select(Unit.parent_code).where(Unit.code == station.unit_code))
        sent = select(func.max(SyncCursor.sent_upto)).where(
            SyncCursor.origin_station == station.id
        )
        if above is not None:
            sent = sent.where(SyncCursor.recipient_unit == above)
        exported = session.scalar(sent) or 0
        pending = session.scalar(
            select(func.count())
            .select_from(ChangeLogEntry)
            .where(ChangeLogEntry.station_id == station.id, ChangeLogEntry.seq > exported)
        )
    return StationStatus(last_backup(db), pending or 0, db.location.path is not None)
