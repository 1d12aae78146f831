"""What the status bar shows: last backup, changes not yet exported."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from nhao.models import ChangeLogEntry, Unit
from nhao.models.database import Database
from nhao.models.sync import SyncCursor
from nhao.services.sync import positions
from nhao.services.sync.export import origin_units
from nhao.services.unit_of_work import self_station
from nhao.sync.scope import UnitTree


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
    """Changes not yet exported: the changes that the next bundle to the unit above
    (the default recipient of an export) would still carry: this computer's own and
    those of the units below that it relays (a commune's hamlets: counting its own
    alone said 0 while their bundles waited to go up). A unit with none above (a
    province) sends down to the units it trusts, so there it counts its own changes
    no bundle has carried yet."""
    with db.session() as session:
        station = self_station(session)
        above = session.scalar(select(Unit.parent_code).where(Unit.code == station.unit_code))
        if above is None:
            exported = session.scalar(
                select(func.max(SyncCursor.sent_upto)).where(
                    SyncCursor.origin_station == station.id
                )
            )
            return StationStatus(
                last_backup(db),
                _after(session, station.id, exported or 0),
                db.location.path is not None,
            )
        tree = UnitTree(session)
        sent = positions.starts(session, above, positions.receivers(session, above))
        pending = sum(
            _after(session, origin, sent.get(origin) or 0)
            for origin, unit in origin_units(session, station).items()
            if tree.within(unit, station.unit_code)  # what came from above is not sent up
        )
    return StationStatus(last_backup(db), pending, db.location.path is not None)


def _after(session: Session, origin: str, seq: int) -> int:
    return session.scalar(
        select(func.count())
        .select_from(ChangeLogEntry)
        .where(ChangeLogEntry.station_id == origin, ChangeLogEntry.seq > seq)
    ) or 0
