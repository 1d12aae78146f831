"""A laptop whose clock once ran ahead: its stamps from then on lie in the future.

Stamps only move forward, so one change made while the clock said next month makes
every later change of that laptop next month too, and every recipient refuses them
(a stamp from the future would win every conflict). Only a person can tell which
clock was wrong, the one then or the one now; once they say the clock is right now,
the changes stamped in the future are stamped again from now, under a new epoch (a
recipient may have seen their numbers), and the records and the audit trail follow.
An export only warns: a clock that is behind now looks the same from here, and its
bundles are accepted as they always were.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from nhao.domain import hlc
from nhao.domain.dates import format_date
from nhao.models import RECORD_MODELS, ChangeLogEntry
from nhao.models.database import Database
from nhao.models.snapshot import record_snapshot, snapshot_hash
from nhao.services.actor import Actor, Permission
from nhao.services.sync.epoch import start_new_epoch
from nhao.services.unit_of_work import self_station, unit_of_work
from nhao.sync.authority import MAX_AHEAD_MS


@dataclass(frozen=True)
class Restamped:
    changes: int
    records: int


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def clock_ahead_to(db: Database) -> datetime | None:
    """When this station's last stamp lies further ahead than a recipient accepts: the
    time it lies at. Either the clock ran ahead then or it is behind now; only a person
    can tell, so this only warns (a clock behind exports as it always did)."""
    with db.session() as session:
        last = self_station(session).last_hlc
    if not last:
        return None
    ahead_to = hlc.HLC.parse(last).wall_ms
    if ahead_to <= _now_ms() + MAX_AHEAD_MS:
        return None
    return datetime.fromtimestamp(ahead_to / 1000, UTC).replace(tzinfo=None)


def clock_warning(ahead_to: datetime) -> str:
    return (
        f"Lưu ý: thời điểm ghi của máy này đã tới {format_date(ahead_to.date())}, quá ngày giờ "
        "máy đang chỉ: đồng hồ máy từng chạy nhanh, hoặc nay đang chậm. Nếu nơi nhận từ chối "
        "gói vì thời điểm vượt quá đồng hồ, hãy chỉnh ngày giờ cho đúng rồi xuất lại với lựa "
        "chọn “Đánh dấu lại thời gian” (nhao bundle export --restamp)."
    )


def restamp_future(db: Database, actor: Actor) -> Restamped:
    """Stamp again, from now, every change and record this laptop stamped in the future."""
    actor.require(Permission.exchange_bundles)
    now_ms = _now_ms()
    future = f"{now_ms + 1:015d}:"  # a stamp text above this lies after now
    with db.session() as session:
        station_row = self_station(session)
        old = station_row.id
        if (station_row.last_hlc or "") < future:
            return Restamped(0, 0)  # nothing ahead: no new epoch for nothing
    # The changes move to a new station id first: their numbers may have been seen.
    start_new_epoch(db, {"station": old, "seq": 0, "hlc": future})
    renamed: dict[str, str] = {}
    with unit_of_work(db, actor) as uow:
        session = uow.session
        station = self_station(session)
        last: str | None = None

        def fresh() -> str:
            nonlocal last
            last = str(hlc.tick(last, now_ms, station.id))
            return last

        moved = session.scalars(
            select(ChangeLogEntry)
            .where(ChangeLogEntry.station_id == station.id, ChangeLogEntry.hlc >= future)
            .order_by(ChangeLogEntry.id)
        ).all()
        for entry in moved:
            renamed[entry.hlc] = stamp = fresh()
            changes = dict(entry.changes)
            if "hlc" in changes:
                before = changes["hlc"][0]
                changes["hlc"] = [renamed.get(before, before), stamp]
            if "changed_by" in changes:
                changes["changed_by"] = [changes["changed_by"][0], station.id]
            entry.hlc, entry.changes = stamp, changes
        records = 0
        for entity, model in RECORD_MODELS.items():
            for row in session.scalars(select(model).where(model.hlc >= future)):
                before = row.hlc
                row.hlc = renamed.get(before) or fresh()
                if row.changed_by == old:
                    row.changed_by = station.id
                session.flush()
                uow.append_audit(
                    action="update",
                    entity=entity,
                    record_id=str(row.id),
                    summary="Đánh dấu lại thời gian: đồng hồ máy từng chạy nhanh",
                    before={"hlc": before},
                    after={"hlc": row.hlc},
                    record_hash=snapshot_hash(record_snapshot(row)),
                )
                records += 1
        station.last_hlc = max(filter(None, (last, str(hlc.HLC(now_ms, 0, station.id)))))
    return Restamped(len(renamed), records)
