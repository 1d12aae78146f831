"""Sequence numbers never repeat: a station restored from a backup or copied to
another laptop starts a new epoch before it exports again.

Nothing inside a database can tell a restored or copied file from the original,
so a small note beside it (`<name>.station.json`) records, at each export, the
station id, the machine, and the last sequence number and stamp that left this
laptop. A database whose own change log no longer holds that exact entry (it was
restored from before the export), that lives on another machine than the note
says (it was copied), or that has exported before but has no note, is a new
incarnation: it gets a new station id (epoch + 1), and changes it wrote since the
last export are moved to the new id, so the commune sees them as new changes of a
new origin — neither refused as a replay nor taken for the ones it already has.
"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
import uuid
from pathlib import Path

from sqlalchemy import func, make_url, select
from sqlalchemy.orm import Session
from uuid6 import uuid7

from nhao.files import put_in_place
from nhao.models import ChangeLogEntry, Station
from nhao.models.database import Database, hold_write_lane
from nhao.models.sync import SyncBundleLog, SyncCursor
from nhao.services.unit_of_work import self_station, utcnow

MARKS = ("machine", "installation")
LINUX_MACHINE_ID_FILES = (Path("/etc/machine-id"), Path("/var/lib/dbus/machine-id"))


def machine_marks() -> dict[str, str]:
    """What tells this computer from another, each after its name: its network card
    ("machine") and its operating system's installation id. Either alone can change
    under a laptop that stayed put (Windows picks another network adapter once a
    dongle or a VPN adapter comes along; a reinstall), so a note matching either is
    taken for this computer."""
    node = uuid.getnode()
    # When no network card can be read, getnode() makes up a random number (with the
    # multicast bit set); a made-up number would look like a new machine every run.
    card = "" if node & 0x010000000000 else f"{node:012x}"
    return {
        "machine": f"{platform.node()}|{card}",
        "installation": f"{platform.node()}|{installation_id()}",
    }


def installation_id() -> str:
    """The id the operating system gave itself when installed ("" when unreadable)."""
    if sys.platform == "win32":
        import winreg

        try:
            with winreg.OpenKey(
                winreg.HKEY_LOCAL_MACHINE,
                r"SOFTWARE\Microsoft\Cryptography",
                0,
                winreg.KEY_READ | winreg.KEY_WOW64_64KEY,  # a 32-bit Python sees it too
            ) as key:
                return str(winreg.QueryValueEx(key, "MachineGuid")[0]).strip()
        except OSError:
            return ""
    for place in LINUX_MACHINE_ID_FILES:
        try:
            return place.read_text(encoding="ascii").strip()
        except (OSError, ValueError):
            continue
    return ""


def same_machine(note: dict) -> bool:
    here = machine_marks()
    told = [
        key
        for key in MARKS
        if here.get(key, "").partition("|")[2] and str(note.get(key, "")).partition("|")[2]
    ]
    if told:
        return any(note[key] == here[key] for key in told)
    return note.get("machine") == here.get("machine")  # neither could be read: the name


def note_path(db: Database) -> Path:
    if db.location.path is not None:
        return note_beside(db.location.path)
    # One note per server database this computer opens: one's is no restore of another.
    url = make_url(db.location.url).render_as_string(hide_password=True)
    digest = hashlib.sha256(url.encode()).hexdigest()[:12]
    return db.location.folder / f"server-{digest}.station.json"


def note_beside(database_file: Path) -> Path:
    """The note of a database file; a file made anew in its place takes it away too,
    or the new file would be taken for the old one restored."""
    return database_file.with_name(f"{database_file.stem}.station.json")


def _read_note(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_note(path: Path, note: dict) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(note, indent=2), encoding="utf-8")
    put_in_place(partial, path)


def check_station_instance(db: Database) -> str | None:
    """Call at start and before every export or import. Returns a message (for the
    log or the status bar) when a new epoch had to start, else None."""
    path = note_path(db)
    note = _read_note(path)
    with db.session() as session:
        station = self_station(session)
        exported = session.scalar(
            select(SyncBundleLog.sha256).where(SyncBundleLog.direction == "out").limit(1)
        )
        server = db.location.path is None
        reason = _why_new_epoch(session, station, note, exported is not None, server=server)
        noted = note is not None and note.get("station") == station.id
    if reason is None:
        if not noted:
            remember_export(db)
        return None
    start_new_epoch(db, note)
    return reason


def _why_new_epoch(
    session: Session, station: Station, note: dict | None, exported: bool, *, server: bool
) -> str | None:
    """A server database is opened from several computers, each with a note of its
    own in its own data folder: one without a note yet, or whose note names an epoch
    another computer has moved on from, is neither a copy nor a restore."""
    if note is None:
        return (
            # A new laptop that took the dead one's backup, as often as a copy by hand.
            "dữ liệu đã từng xuất gói nhưng máy này chưa có ghi chú trạm của nó (dữ liệu được "
            "khôi phục từ bản sao lưu, hoặc chép sang từ máy khác)"
            if exported and not server
            else None
        )
    if not server and not same_machine(note):
        return "dữ liệu được chép từ máy khác"
    if note.get("station") != station.id:
        if server and session.get(Station, str(note.get("station"))) is not None:
            return None
        return "dữ liệu được khôi phục từ bản sao lưu cũ hơn"
    seq = note.get("seq", 0)
    if seq:
        entry = session.scalar(
            select(ChangeLogEntry).where(
                ChangeLogEntry.station_id == station.id, ChangeLogEntry.seq == seq
            )
        )
        if entry is None or entry.hlc != note.get("hlc"):
            return "dữ liệu được khôi phục từ bản sao lưu cũ hơn"
    return None


def start_new_epoch(db: Database, note: dict | None = None) -> str:
    """New station id (epoch + 1). Changes written after the last export recorded in
    `note` move to the new id; the old id stays as a non-self station row. A note of
    another station (an epoch this file, put back from a backup, never knew) or none
    tells nothing of when this station last sent: its changes numbered after the last
    one this file knows it sent move (a recipient that has one applies it no more)."""
    with db.transaction() as session:
        hold_write_lane(session)  # another office computer's changes are numbered first
        old = self_station(session)
        new = Station(
            id=str(uuid7()),
            unit_code=old.unit_code,
            is_self=True,
            epoch=old.epoch + 1,
            last_seq=0,
            last_hlc=old.last_hlc,
            created_at=utcnow(),
        )
        old.is_self = False
        session.flush()
        session.add(new)
        if (note or {}).get("station") == old.id:
            # Written since the restore: their sequence numbers were already used once.
            after = ChangeLogEntry.hlc > ((note or {}).get("hlc") or "")
        else:
            sent = select(func.max(SyncCursor.sent_upto)).where(
                SyncCursor.origin_station == old.id
            )
            after = ChangeLogEntry.seq > (session.scalar(sent) or 0)
        moved = session.scalars(
            select(ChangeLogEntry)
            .where(ChangeLogEntry.station_id == old.id, after)
            .order_by(ChangeLogEntry.id)
        ).all()
        for entry in moved:
            new.last_seq += 1
            entry.station_id = new.id
            entry.epoch = new.epoch
            entry.seq = new.last_seq
        old.last_seq -= len(moved)
        session.flush()
        new_id = new.id
    remember_export(db)
    return new_id


def start_epoch_after_copy(db: Database) -> str:
    """The person says this laptop's data folder was put back from a copy, note and all
    (a recipient refused its bundle: numbers it had seen, other changes). Which of its
    changes left the laptop before is unknown, so all of them go again under a new
    station id; a recipient that has one already applies it no more (merge: logged)."""
    with db.session() as session:
        station = self_station(session).id
    return start_new_epoch(db, {"station": station, "seq": 0, "hlc": ""})


def remember_export(db: Database) -> None:
    """Write the note: the last sequence number that may have left this laptop."""
    with db.session() as session:
        station = self_station(session)
        last = session.scalar(
            select(ChangeLogEntry)
            .where(ChangeLogEntry.station_id == station.id)
            .order_by(ChangeLogEntry.seq.desc())
            .limit(1)
        )
        note = {
            "station": station.id,
            **machine_marks(),
            "seq": last.seq if last else 0,
            "hlc": last.hlc if last else "",
        }
    path = note_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_note(path, note)
