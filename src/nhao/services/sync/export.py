"""`nhao bundle export`: everything after the last export (or receipt) to a
recipient, or everything (full), signed, and sealed when the recipient's key is
enrolled."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased
from uuid6 import uuid7

from nhao.domain.errors import ValidationError
from nhao.models import AuditEvent, ChangeLogEntry, Station, Unit
from nhao.models.database import Database
from nhao.models.snapshot import canonical_value
from nhao.models.sync import SyncBundleLog, SyncOrigin, TrustedKey
from nhao.services.actor import Actor, Permission
from nhao.services.sync import keys, positions
from nhao.services.sync.clock import clock_ahead_to, restamp_future
from nhao.services.sync.epoch import (
    check_station_instance,
    remember_export,
    start_epoch_after_copy,
)
from nhao.services.unit_of_work import self_station, utcnow
from nhao.services.units import known_unit
from nhao.sync import bundle, crypto
from nhao.sync.rules import rule_for, unit_naming
from nhao.sync.scope import UnitTree
from nhao.tasks import NULL_PROGRESS, Cancelled, CancelToken, Progress, check_cancelled


@dataclass(frozen=True)
class ExportResult:
    path: Path
    sha256: str
    recipient: str | None
    full: bool
    sealed: bool
    changes: int
    origins: dict[str, dict]
    counts: dict[str, int]
    clock_ahead_to: datetime | None = None  # see clock.clock_ahead_to: a warning
    # Photos and papers whose file is not in this computer's store: their records
    # travel without them (a later full bundle brings them once the files are back).
    missing_files: tuple[str, ...] = ()
    # Why this export started a new epoch on its own (a restore, a copy): to be said.
    restarted: str | None = None


# Of the bundles made for a recipient before, the newest looked at, and of those that
# carried changes the number a bundle names besides the one just before it.
EARLIER_LOOKED_AT = 50
EARLIER_NAMED = 10


def default_recipient(session: Session, station: Station) -> str | None:
    unit = session.scalar(select(Unit).where(Unit.code == station.unit_code))
    return unit.parent_code if unit is not None else None


def origin_units(session: Session, station: Station) -> dict[str, str]:
    units = {row.station_id: row.unit_code for row in session.scalars(select(SyncOrigin))}
    for row in session.scalars(select(Station)):
        units[row.id] = row.unit_code
    return units


def _recipient_keys(session: Session, unit: str | None) -> list[TrustedKey]:
    """The keys in use of every computer of the unit (a unit may have several: the
    office and the accountant's laptop), each gets the bundle open; a key replaced by
    a newer one of its computer is not in use."""
    if unit is None:
        return []
    return list(session.scalars(
        select(TrustedKey)
        .where(
            TrustedKey.unit_code == unit,
            # A revocation from a day to come leaves the key in use until then.
            or_(TrustedKey.revoked_from.is_(None), TrustedKey.revoked_from > utcnow()),
            TrustedKey.replaced_by.is_(None),
        )
        .order_by(TrustedKey.enrolled_at, TrustedKey.key_id)
    ))  # fmt: skip


def _keys_of(session: Session, unit: str | None) -> bool:
    return unit is not None and session.scalar(
        select(TrustedKey.key_id).where(TrustedKey.unit_code == unit).limit(1)
    ) is not None


def received_bundle_at(db: Database, path: Path) -> str | None:
    """Whose bundle a file about to be written over holds, when it is another unit's:
    one received through the chat and perhaps not imported yet, which an export given
    the same name would destroy. None for anything else (this station's own bundle,
    another kind of file, no file)."""
    if not path.is_file():
        return None
    manifest = bundle.peek_manifest(path)
    producer = (manifest or {}).get("producer")
    if not isinstance(producer, dict):  # no bundle: written over, as before
        return None
    sender, station = str(producer.get("unit") or ""), str(producer.get("station") or "")
    with db.session() as session:
        own = self_station(session)
        if not sender or station == own.id:
            return None
        if sender != own.unit_code:
            return UnitTree(session).label(sender)
        # The unit's other computer (the office and the accountant's laptop exchange
        # bundles) writes bundles of this unit too: this station's own are those it logged.
        sha = bundle.file_sha256(path)
        logged = select(SyncBundleLog.sha256).where(
            SyncBundleLog.sha256 == sha, SyncBundleLog.direction == "out"
        )
        if session.scalar(logged) is not None:
            return None
        return f"một máy khác của {UnitTree(session).label(sender)}"


def export_bundle(
    db: Database,
    actor: Actor,
    password: str,
    out: Path,
    *,
    to: str | None = None,
    full: bool = False,
    seal: bool = True,
    new_epoch: bool = False,
    restamp: bool = False,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken | None = None,
) -> ExportResult:
    """`new_epoch`: the person says this laptop's data was put back from a copy (the
    recipient refused a bundle for numbers it had seen with other changes); all its
    changes go again under a new station id (epoch.start_epoch_after_copy).
    `restamp`: the person says the clock is right now, after a recipient refused a
    bundle for stamps ahead of its clock (clock.py).
    `cancel`: a bundle cancelled before its transaction ends is removed and counts
    for nothing (Cancelled is raised)."""
    actor.require(Permission.exchange_bundles)
    check_cancelled(cancel)
    if new_epoch or restamp:  # a wrong password changes nothing, epochs included
        with db.session() as session:
            keys.unlock(session, actor, password)
    restarted = check_station_instance(db)
    if restarted is None and new_epoch:
        start_epoch_after_copy(db)
    if restamp:  # the person says the clock is right now (see clock.py)
        restamp_future(db, actor)
    ahead_to = clock_ahead_to(db)
    # The change lines go to a temporary file as they are read: a province's full bundle
    # has hundreds of thousands.
    with db.transaction() as session, tempfile.TemporaryFile() as lines:
        station = self_station(session)
        signer_row, signer = keys.unlock(session, actor, password)
        recipient = to or default_recipient(session, station)
        tree = UnitTree(session)
        downward = recipient is not None and tree.strictly_above(station.unit_code, recipient)
        if recipient is not None and not downward and not tree.within(station.unit_code, recipient):
            named = tree.named(recipient)
            raise ValidationError(
                field="to",
                message=f"{named[:1].upper()}{named[1:]} không phải cấp trên hay cấp dưới của "
                "máy này.",
            )
        if downward and not known_unit(session, recipient):
            raise ValidationError(
                field="to",
                message=f"Không có đơn vị {recipient} nào dưới đơn vị của máy này (chưa có "
                "trong danh sách đơn vị, cũng chưa có khóa nào của nó được tin cậy).",
            )
        cursor_key = recipient or "*"
        computers = positions.receivers(session, cursor_key)
        units = origin_units(session, station)
        written, ranges, counts, blobs, missing = _collect(
            session,
            db,
            station,
            units,
            (cursor_key, computers),
            lines,
            full=full,
            downward=downward,
            tree=tree,
            recipient=recipient,
            cancel=cancel,
        )
        target_keys = _recipient_keys(session, recipient) if seal else []
        if seal and not target_keys and _keys_of(session, recipient):
            # Its keys are all revoked (a stolen laptop): not in the clear instead.
            raise ValidationError(
                field="to",
                message=f"Không ghi gói {out.name}: khóa của đơn vị {recipient} đã bị thu hồi "
                "nên gói không niêm phong được; hãy tin cậy khóa mới của máy đó trước.",
            )
        made_before = session.execute(
            select(SyncBundleLog.sha256, SyncBundleLog.ranges)
            .where(SyncBundleLog.direction == "out", SyncBundleLog.peer_unit == (recipient or ""))
            .order_by(SyncBundleLog.at.desc())
            .limit(EARLIER_LOOKED_AT)
        ).all()
        # The last bundles before it that carried changes: a receipt of this one says if
        # any never came (ack.write_ack). One of no change need not be sent, so is not named.
        carried = [sha for sha, ranges in made_before if ranges]
        previous = carried[0] if carried else None
        earlier = carried[1 : 1 + EARLIER_NAMED]
        audit_head = session.scalar(
            select(AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
        )
        rotations = keys.rotation_chain(session, signer_row)
        manifest = {
            "format": bundle.FORMAT,
            "format_version": bundle.FORMAT_VERSION,
            "schema": db.head_revision(),
            "bundle_id": str(uuid7()),
            "kind": "full" if full else "incremental",
            "created": canonical_value(utcnow()),
            "producer": {
                "station": station.id,
                "unit": station.unit_code,
                "key": signer_row.key_id,
                "epoch": station.epoch,
            },
            "recipient": recipient,
            "origins": ranges,
            "counts": counts,
            "previous": previous,
            "earlier": earlier,
            "audit_head": audit_head,
            # The last rotation alone, for readers from before the whole chain travelled.
            "rotation": rotations[-1] if rotations else None,
            "rotations": rotations,
        }
        content = bundle.BundleContent(manifest, blobs=blobs, changes=lines)
        check_cancelled(cancel)
        progress.update(0, 0, f"Đang ghi gói {out.name} ({written} thay đổi, {len(blobs)} tệp)…")
        sha = bundle.write_bundle(
            out,
            content,
            signer=signer,
            recipients=[(key.key_id, crypto.unb64(key.x_public)) for key in target_keys],
        )
        if cancel is not None and cancel.cancelled:  # pressed while it was written
            out.unlink(missing_ok=True)
            raise Cancelled()
        positions.note_sent(session, cursor_key, computers, ranges)
        session.merge(
            SyncBundleLog(
                sha256=sha,
                direction="out",
                peer_unit=recipient or "",
                file_name=out.name,
                status="written",
                at=utcnow(),
                ranges=ranges,
            )
        )
    remember_export(db)
    return ExportResult(
        out,
        sha,
        recipient,
        full,
        bool(target_keys),
        written,
        ranges,
        counts,
        ahead_to,
        tuple(sorted(set(missing.values()))),
        restarted,
    )


def _collect(  # type: ignore[no-untyped-def]
    session, db, station, units, sent_to, lines, *, full, downward, tree, recipient, cancel=None,
):
    """The change lines after each origin's position for `sent_to` (the recipient and
    its computers known here: the one furthest behind), in the order they arrived here
    (so an insert always travels before the edits that other stations made to it),
    written to `lines`; their number is returned first."""
    start = {} if full else positions.starts(session, *sent_to)
    written = 0
    ranges: dict[str, dict] = {}
    counts: dict[str, int] = {}
    blobs: dict[str, Path] = {}
    missing: dict[str, str] = {}  # sha256 → the file's name, of blobs not in the store
    query = select(ChangeLogEntry).order_by(ChangeLogEntry.id)
    # The units held here, by record id: a rename goes down to the unit it names.
    unit_codes = (
        {str(uid): code for uid, code in session.execute(select(Unit.id, Unit.code))}
        if downward
        else {}
    )
    if not full:
        # The changes before each origin's cursor are left in the database: a province's
        # log holds every commune's changes, and reading them all (JSON and all) to skip
        # them made each export, even one with nothing new, take half a minute. The test
        # reads the (station, seq) index alone.
        log = aliased(ChangeLogEntry)
        after = select(log.id).where(log.seq > positions.start_of(*sent_to, log.station_id))
        query = query.where(ChangeLogEntry.id.in_(after))
    # A few hundred at a time: a change with its old and new values is kilobytes as objects.
    batch = query.execution_options(yield_per=500)
    for number, entry in enumerate(session.scalars(batch)):
        if number % 500 == 0:
            check_cancelled(cancel)
        origin = entry.station_id
        if entry.seq <= start.get(origin, 0):
            continue
        origin_unit = units.get(origin, entry.unit_code)
        if not downward and not tree.within(origin_unit, station.unit_code):
            continue  # what came from above is not sent back up
        # Down, this station relays of a station above only what came down to it (its
        # resolutions and decisions on the recipient's cases, not all its changes): the
        # range starts where the last bundle to this recipient stopped, or the recipient
        # would wait for the rest for ever.
        first = start.get(origin, 0) + 1 if downward else entry.seq
        span = ranges.setdefault(origin, {"unit": origin_unit, "from": first, "to": entry.seq})
        span["from"] = min(span["from"], entry.seq)
        span["to"] = max(span["to"], entry.seq)
        rule = rule_for(entry.entity)
        if downward and not (
            # A target goes only to the subtree of the unit it is set for.
            (rule.downward and tree.within(entry.unit_code, recipient))
            # Steps decided above on the cases of the recipient's subtree (an approval,
            # an acceptance), not what the recipient's own stations did to them.
            or (
                rule.decided_above
                and entry.op != "resolve"
                and tree.within(entry.unit_code, recipient)
                and tree.strictly_above(origin_unit, recipient)
            )
            # A resolution goes only to the subtree of its record: another hamlet has no
            # business with a household's values, and held it for ever waiting for it.
            # Units are every station's own.
            or (
                entry.op == "resolve"
                and (entry.entity == "unit" or tree.within(entry.unit_code, recipient))
            )
            # A hamlet's name as the commune set or corrected it, to that hamlet's laptops.
            or (
                unit_naming(entry.entity, entry.op, entry.changes)
                and tree.strictly_above(origin_unit, recipient)
                and tree.within(unit_codes.get(entry.record_id, ""), recipient)
            )
        ):
            continue
        lines.write(
            bundle.canonical_line(
                {
                    "station": origin,
                    "epoch": entry.epoch,
                    "seq": entry.seq,
                    "hlc": entry.hlc,
                    "entity": entry.entity,
                    "id": entry.record_id,
                    "unit": entry.unit_code,
                    "op": entry.op,
                    "changes": entry.changes,
                }
            )
            + b"\n"
        )
        written += 1
        counts[entry.entity] = counts.get(entry.entity, 0) + 1
        sha = (
            (entry.changes.get("sha256") or [None, None])[1]
            if entry.entity == "attachment"
            else None
        )
        if sha:
            path = db.location.attachment_dir / sha[:2] / sha
            if path.is_file():
                blobs[sha] = path
            else:
                name = (entry.changes.get("filename") or [None, None])[1]
                missing.setdefault(sha, str(name or sha[:12]))
    for span in ranges.values():
        span["count"] = span["to"] - span["from"] + 1
    return written, ranges, counts, blobs, missing
