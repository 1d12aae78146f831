"""Automatic, rotating backups (DESIGN.md §9): a checked VACUUM INTO copy at most
once a day when the window opens, keeping the newest few."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePath

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from nhao.domain.errors import DomainError
from nhao.files import put_in_place
from nhao.models import AuditEvent, Household
from nhao.models.database import Database, DatabaseError
from nhao.models.sqlite_profile import DamagedFile, DatabaseBusy
from nhao.models.sync import SyncKey, SyncKeyWrap, TrustedKey
from nhao.services import units
from nhao.services.actor import Actor, Permission
from nhao.services.status import last_backup

AUTO_REASON = "auto"
KEEP_AUTOMATIC = 10
INTERVAL = timedelta(hours=20)


def automatic_backups(db: Database) -> list[Path]:
    folder = db.location.backup_dir
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"*-{AUTO_REASON}.sqlite"), key=lambda p: p.stat().st_mtime)


def backup_if_due(
    db: Database, *, now: datetime | None = None, keep: int = KEEP_AUTOMATIC
) -> Path | None:
    """Back up when the newest backup is older than INTERVAL; drop the oldest
    automatic ones beyond `keep` (backups made before upgrades are never dropped)."""
    if db.location.path is None:
        return None
    newest = last_backup(db)
    current = now or datetime.now()
    if newest is not None and current - newest < INTERVAL:
        return None
    made = db.backup(reason=AUTO_REASON)
    for old in automatic_backups(db)[:-keep]:
        # Windows will not delete a file another program has open (being copied to a
        # USB stick, say): the new backup is made all the same; it goes next time.
        with contextlib.suppress(OSError):
            old.unlink(missing_ok=True)
    return made


# -- restoring ---------------------------------------------------------------------------


def backup_folder(db: Database) -> Path | None:
    """Where this database's backups are; None for a server database (its server's)."""
    return db.location.backup_dir if db.location.path is not None else None

BEFORE_RESTORE_REASON = "truoc-khoi-phuc"
LOCK_WAIT_S = 10.0
SQLITE_BUSY, SQLITE_LOCKED = 5, 6  # result codes of sqlite3_backup_step
HELD = (
    "Không khôi phục được: dữ liệu đang được dùng ở một cửa sổ hoặc lệnh nhao khác. Hãy "
    "đóng nhao ở đó rồi làm lại; dữ liệu chưa thay đổi gì."
)


class BackupRefused(DomainError):
    pass


@dataclass(frozen=True)
class Restored:
    backup: Path
    kept: Path  # the data as it was before, itself a backup now
    unit: str


def restore_backup(db: Database, actor: Actor, backup: Path) -> Restored:
    """Put a backup's data in place of the database's, keeping what was there as a
    backup of its own. Only an administrator may, and only a checked backup of the
    same unit: a backup of another station's file would make this laptop that station.

    The data is copied with SQLite's backup API into the live file, in one write
    transaction, so a power cut leaves the old data or the new, and the WAL and
    locks are SQLite's own to keep right. Another window or command writing the file
    keeps it out (refused after LOCK_WAIT_S); an idle window holds no lock and is not
    seen, so the command asks for it to be closed first, and the window's own restore
    closes it. When something was exported since the backup, the next export sees the
    file restored (services.sync.epoch) and starts a new epoch, as DESIGN.md §9 asks."""
    actor.require(Permission.manage_users)
    if db.location.path is None:
        raise BackupRefused(
            "Cơ sở dữ liệu trên máy chủ được sao lưu và khôi phục bằng công cụ của máy chủ, "
            "không bằng nhao."
        )
    if backup.is_file() and db.location.path.exists() and backup.samefile(db.location.path):
        raise BackupRefused(
            f"{backup.name} là chính tệp dữ liệu đang dùng, không phải một bản sao lưu."
        )
    try:
        return _restore(db, backup)
    except DatabaseBusy:  # kept out by another window's write
        raise BackupRefused(HELD) from None


def _restore(db: Database, backup: Path) -> Restored:
    ours = units.station_info(db).unit
    code, name, first = _backup_unit(db, backup)
    if code != ours.code:
        raise BackupRefused(
            f"{backup.name} là bản sao lưu của {name}, không phải của {ours.name}: "
            "không khôi phục."
        )
    # One unit may have two computers (the office, the accountant's laptop), their
    # backups named alike. This file's own backups, of any epoch, begin its audit trail
    # with the same first event, written when the file was set up. A file set up anew
    # and holding no household yet (a new laptop after the old one died) takes any.
    with db.session() as session:
        own_first = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.seq).limit(1))
        # Households looked for only then: in a damaged file that table may be unreadable.
        other = first and own_first and first != own_first
        if other and session.scalar(select(Household.id).limit(1)) is not None:
            raise BackupRefused(
                f"{backup.name} là bản sao lưu của một máy khác của {ours.name}, không phải "
                "của máy này: không khôi phục."
            )
    kept = _keep(db)
    signing, trusted = _signing_keys(db), _trusted_keys(db)
    source = sqlite3.connect(_read_only_uri(backup), uri=True)
    try:
        with db.engine.connect() as conn:
            target = conn.connection.driver_connection
            try:
                source.backup(target, progress=_waiting_at_most(LOCK_WAIT_S), sleep=0.05)
            except (sqlite3.OperationalError, _StillHeld):  # another window keeps it open
                raise BackupRefused(HELD) from None
    finally:
        source.close()
    db.engine.dispose()  # no pooled connection keeps what it cached of the old data
    _carry_signing_keys(db, *signing)
    _carry_trust(db, trusted)
    return Restored(backup=backup, kept=kept, unit=ours.name)


def _trusted_keys(db: Database) -> list[dict]:
    """The other stations' keys trusted here, as the file about to be replaced holds
    them (none from a file too damaged to read them)."""
    try:
        with db.session() as session:
            return [_columns(row) for row in session.scalars(select(TrustedKey))]
    except (DatabaseError, SQLAlchemyError, sqlite3.DatabaseError):
        return []


def _carry_trust(db: Database, live: list[dict]) -> None:
    """Trust is not data to put back: it only grows, each step made on paper. A key
    trusted since the backup (a certificate checked, a fingerprint typed) stays trusted,
    a rotation followed since stays followed, and a revocation made since stands: put
    back with the data, a stolen laptop's bundles would be taken again without a word."""
    if not live:
        return
    with db.transaction() as session:
        for columns in live:
            row = session.get(TrustedKey, columns["key_id"])
            if row is None:
                session.add(TrustedKey(**columns))
                continue
            since = columns["revoked_from"]
            if since is not None and (row.revoked_from is None or row.revoked_from > since):
                row.revoked_from, row.revoked_reason = since, columns["revoked_reason"]
            if row.replaced_by is None and columns["replaced_by"]:
                row.replaced_by = columns["replaced_by"]


KeyRows = tuple[list[dict], list[dict]]


def _signing_keys(db: Database) -> KeyRows:
    """This station's key pairs and their wraps, as the file about to be replaced
    holds them (none from a file too damaged to read them)."""
    try:
        with db.session() as session:
            return (
                [_columns(k) for k in session.scalars(select(SyncKey))],
                [_columns(w) for w in session.scalars(select(SyncKeyWrap))],
            )
    except (DatabaseError, SQLAlchemyError, sqlite3.DatabaseError):
        return [], []


def _columns(row: SyncKey | SyncKeyWrap | TrustedKey) -> dict:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns}


def _carry_signing_keys(db: Database, live_keys: list[dict], live_wraps: list[dict]) -> None:
    """The station's keys are not data to put back: the units above and below trust
    the key it rotated to since the backup, and seal their bundles to it. Put back
    with the data, the station could open none of them, and could not rotate again
    either (they know where the old key led). Keys of another lineage (a new laptop
    taking the old one's backup) are left out: the backup's keys are the trusted ones."""
    with db.transaction() as session:
        restored = {k.key_id: k for k in session.scalars(select(SyncKey))}
        live = {k["key_id"]: k for k in live_keys}
        common = restored.keys() & live.keys()
        if not common or live.keys() <= restored.keys() and all(
            restored[k].retired_at or not live[k]["retired_at"] for k in common
        ):
            return
        if any(restored[k].sealed_private != live[k]["sealed_private"] for k in common):
            # Replaced since (keys.replace_lost_key): a new data key, which only the
            # wraps made since open.
            for row in [*restored.values(), *session.scalars(select(SyncKeyWrap))]:
                session.delete(row)
            session.flush()
            session.add_all(SyncKey(**k) for k in live_keys)
            session.add_all(SyncKeyWrap(**w) for w in live_wraps)
            return
        for key_id, columns in live.items():
            if key_id not in restored:
                session.add(SyncKey(**columns))
            elif restored[key_id].retired_at is None:
                restored[key_id].retired_at = columns["retired_at"]


def _keep(db: Database) -> Path:
    """The data about to be replaced, as a backup. A damaged file (the reason to restore,
    as often as not) cannot be copied table by table: it is kept page for page, as it
    is, for whatever can be saved from it."""
    try:
        return db.backup(reason=BEFORE_RESTORE_REASON)
    except DatabaseBusy:  # another window writing, not damage
        raise BackupRefused(HELD) from None
    except sqlite3.OperationalError:
        raise
    except (DamagedFile, DatabaseError, sqlite3.DatabaseError):
        pass
    assert db.location.path is not None
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    final = db.location.backup_dir / (
        f"{db.location.path.stem}-{stamp}-{BEFORE_RESTORE_REASON}-hong.sqlite"
    )
    partial = final.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    with db.engine.connect() as conn:
        copy = sqlite3.connect(partial)
        try:
            conn.connection.driver_connection.backup(copy)
        finally:
            copy.close()
    put_in_place(partial, final)
    return final


def _read_only_uri(path: PurePath) -> str:
    """The file opened read-only. absolute(), not resolve(): on Windows resolve() turns a
    mapped drive (Z:) into its network name, a file://server/… address SQLite refuses.
    A backup picked from a shared folder (\\\\server\\share\\…) has that name anyway: it
    goes as file:////server/share/…, an empty authority and a path Windows opens."""
    uri = (path if path.is_absolute() else Path(path).absolute()).as_uri()
    if not uri.startswith("file:///"):
        uri = "file:////" + uri.removeprefix("file://")
    return f"{uri}?mode=ro"


class _StillHeld(Exception):
    pass


def _waiting_at_most(seconds: float):  # type: ignore[no-untyped-def]
    """A progress callback for Connection.backup, which otherwise retries for ever while
    another connection holds the file: gives up after ``seconds`` of being kept out."""
    deadline = time.monotonic() + seconds

    def progress(status: int, _remaining: int, _total: int) -> None:
        if status in (SQLITE_BUSY, SQLITE_LOCKED) and time.monotonic() > deadline:
            raise _StillHeld

    return progress


def _backup_unit(db: Database, path: Path) -> tuple[str, str, str]:
    """The unit (code, name) of the station a backup file holds and the hash of its first
    audit event ("" if none); refuses what is not a sound nhao backup this nhao can open."""
    if not path.is_file():
        raise BackupRefused(f"Không có tệp {path}.")
    sound, found, first = False, None, None
    try:
        check = sqlite3.connect(_read_only_uri(path), uri=True)
        try:
            sound = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            found = check.execute(
                "SELECT s.unit_code, coalesce(u.name, s.unit_code), v.version_num "
                "FROM station s LEFT JOIN unit u ON u.code = s.unit_code, alembic_version v "
                "WHERE s.is_self = 1"
            ).fetchone()
            first = check.execute("SELECT hash FROM audit_event ORDER BY seq LIMIT 1").fetchone()
        finally:
            check.close()
    except sqlite3.DatabaseError:  # not SQLite at all, or no nhao tables in it
        pass
    if not sound:
        raise BackupRefused(f"{path.name} hỏng hoặc không phải tệp cơ sở dữ liệu: không khôi phục.")
    if found is None:
        raise BackupRefused(f"{path.name} không phải bản sao lưu dữ liệu nhao: không khôi phục.")
    if not db.knows_revision(found[2]):
        raise BackupRefused(
            f"{path.name} do phiên bản nhao mới hơn tạo ra; hãy cập nhật nhao rồi khôi phục."
        )
    return str(found[0]), str(found[1]), str(first[0]) if first else ""
