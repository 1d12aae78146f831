"""Automatic backups: made when due, checked copies, rotated, upgrade backups kept;
a backup put back, the data it replaces kept, and what is not this station's refused."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from nhao.domain.enums import Role
from nhao.models import sqlite_profile
from nhao.models.database import Database
from nhao.services import backup as backup_module
from nhao.services import households, setup, sync, units, users
from nhao.services.actor import Actor
from nhao.services.backup import BackupRefused, automatic_backups, backup_if_due, restore_backup
from nhao.services.errors import PermissionDenied
from nhao.services.sync import keys
from nhao.services.verify import verify


def test_backup_when_due_and_not_twice_a_day(db, admin) -> None:
    first = backup_if_due(db)
    assert first is not None and first.exists()
    assert sqlite3.connect(first).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert backup_if_due(db) is None
    later = datetime.now() + timedelta(days=1)
    assert backup_if_due(db, now=later) is not None


def test_rotation_keeps_the_newest_automatic_backups_only(db, admin) -> None:
    manual = db.backup(reason="before-upgrade-0001")
    made = []
    for day in range(5):
        made.append(backup_if_due(db, now=datetime.now() + timedelta(days=day + 1), keep=3))
    kept = automatic_backups(db)
    assert len(kept) == 3 and kept[-1] == made[-1]
    assert manual.exists()


def test_an_old_backup_held_open_does_not_fail_the_new_one(db, admin, monkeypatch) -> None:
    # Windows will not delete a file another program has open (an old backup being
    # copied to a USB stick in Explorer, or opened in DB Browser): the new backup was
    # made and checked, yet the window said "Automatic backup failed".
    for day in range(3):
        backup_if_due(db, now=datetime.now() + timedelta(days=day + 1), keep=2)
    held = automatic_backups(db)[0]
    real_unlink = Path.unlink

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self == held:
            raise PermissionError(13, "The process cannot access the file", str(self))
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    made = backup_if_due(db, now=datetime.now() + timedelta(days=5), keep=2)
    assert made is not None and made.exists()
    kept = automatic_backups(db)
    assert held in kept and kept[-1] == made and len(kept) == 3  # tried again next time


def _names(db: Database, actor: Actor) -> list[str]:
    query = households.HouseholdQuery()
    return sorted(h.head_name for h in households.list_households(db, actor, query))


def _add(db: Database, actor: Actor, name: str) -> None:
    code = units.list_hamlets(db)[0].code
    households.create_household(
        db, actor, households.HouseholdInput(hamlet_code=code, head_name=name)
    )


def test_a_backup_put_back_keeps_the_data_it_replaces(db, admin, tmp_path: Path) -> None:
    _add(db, admin, "Hoàng Văn Páo")
    backup = db.backup(reason="auto")
    _add(db, admin, "Lý Thị Mẩy")  # after the backup: gone once it is put back
    restored = restore_backup(db, admin, backup)
    assert _names(db, admin) == ["Hoàng Văn Páo"]
    assert verify(db) == []  # the audit chain is the backup's, whole
    kept = sqlite3.connect(restored.kept)
    assert sorted(r[0] for r in kept.execute("SELECT head_name FROM household")) == [
        "Hoàng Văn Páo", "Lý Thị Mẩy"
    ]  # fmt: skip
    kept.close()
    assert restored.kept.parent == db.location.backup_dir and restored.unit == "Xã Bình Gia"


def test_the_next_export_after_a_restore_starts_a_new_epoch(db, admin, tmp_path: Path) -> None:
    keys.ensure_station_key(db, admin, "demo")
    _add(db, admin, "Hoàng Văn Páo")
    backup = db.backup(reason="auto")
    _add(db, admin, "Lý Thị Mẩy")
    sync.export_bundle(db, admin, "demo", tmp_path / "lan-1.nhao")
    first = units.station_info(db).station_id
    restore_backup(db, admin, backup)
    assert units.station_info(db).station_id == first  # the backup's own station
    sync.export_bundle(db, admin, "demo", tmp_path / "lan-2.nhao")
    assert units.station_info(db).station_id != first  # a new epoch: no number sent twice


@pytest.mark.parametrize("case", ["other unit", "not a database", "not nhao's", "newer nhao"])
def test_what_is_not_a_sound_backup_of_this_station_is_refused_and_nothing_changes(
    db, admin, tmp_path: Path, fresh_sqlite, case: str
) -> None:
    _add(db, admin, "Hoàng Văn Páo")
    if case == "other unit":
        other = fresh_sqlite(tmp_path / "khac" / "nhao.sqlite")
        setup.initialize(other, unit_code="06040", admin_username="a", admin_password="demo")
        other.dispose()
        backup, said = other.location.path, "không phải của Xã Bình Gia"
    elif case == "not a database":
        backup = tmp_path / "ds.sqlite"
        backup.write_bytes(b"PK\x03\x04 an xlsx renamed")
        said = "hỏng hoặc không phải tệp cơ sở dữ liệu"
    elif case == "not nhao's":
        backup = tmp_path / "khac.sqlite"
        sqlite3.connect(backup).execute("CREATE TABLE t (x)").connection.close()
        said = "không phải bản sao lưu dữ liệu nhao"
    else:
        backup = db.backup(reason="auto")
        with sqlite3.connect(backup) as raw:
            raw.execute("UPDATE alembic_version SET version_num = 'from-a-later-nhao'")
        said = "phiên bản nhao mới hơn"
    before = sorted(db.location.backup_dir.glob("*")) if db.location.backup_dir.exists() else []
    with pytest.raises(BackupRefused, match=said):
        restore_backup(db, admin, backup)
    assert _names(db, admin) == ["Hoàng Văn Páo"]
    after = sorted(db.location.backup_dir.glob("*")) if db.location.backup_dir.exists() else []
    assert after == before  # refused before anything was written


@pytest.mark.parametrize("other_window", ["writing", "reading"])
def test_a_database_another_window_holds_is_not_restored_over(
    db, admin, monkeypatch, other_window: str
) -> None:
    _add(db, admin, "Hoàng Văn Páo")
    backup = db.backup(reason="auto")
    _add(db, admin, "Lý Thị Mẩy")
    # Not the 10 s and 5 s a person waits for the other window to finish.
    monkeypatch.setattr(backup_module, "LOCK_WAIT_S", 0.3)
    with db.engine.connect() as conn:
        conn.connection.driver_connection.execute("PRAGMA busy_timeout = 200")
    other = sqlite3.connect(db.location.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE" if other_window == "writing" else "BEGIN")
    other.execute("SELECT count(*) FROM household").fetchone()
    # A reader keeps the writer out of a file in rollback-journal mode, not in WAL mode.
    held = other_window == "writing" or db.journal_mode != "wal"
    try:
        if held:
            with pytest.raises(BackupRefused, match="đang được dùng ở một cửa sổ"):
                restore_backup(db, admin, backup)
        else:
            restore_backup(db, admin, backup)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert _names(db, admin) == (
        ["Hoàng Văn Páo", "Lý Thị Mẩy"] if held else ["Hoàng Văn Páo"]
    )


def test_the_database_itself_is_not_a_backup_of_it(db, admin) -> None:
    with pytest.raises(BackupRefused, match="chính tệp dữ liệu đang dùng"):
        restore_backup(db, admin, db.location.path)


def test_a_backup_in_a_shared_folder_is_opened_by_an_address_sqlite_takes(
    db, admin, tmp_path: Path
) -> None:
    """A backup picked from \\\\may-van-phong\\sao-luu (a shared folder, no drive letter)
    became file://may-van-phong/…, whose host SQLite refuses: the backup was called
    damaged. An empty host and the path after it is an address SQLite opens (the path
    itself, //may-van-phong/…, Windows opens as the share; not shown here)."""
    from pathlib import PureWindowsPath

    unc = PureWindowsPath(r"\\may-van-phong\sao-luu\nhao-20251130-auto.sqlite")
    uri = backup_module._read_only_uri(unc)
    assert uri == "file:////may-van-phong/sao-luu/nhao-20251130-auto.sqlite?mode=ro"
    with pytest.raises(sqlite3.OperationalError, match="authority"):
        sqlite3.connect(f"{unc.as_uri()}?mode=ro", uri=True)
    made = db.backup(reason="thu")  # this machine's path in the same four-slash form
    local = "file:////" + made.absolute().as_uri().removeprefix("file:///") + "?mode=ro"
    opened = sqlite3.connect(local, uri=True)
    try:
        assert opened.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        opened.close()


def test_only_an_administrator_restores(db, admin) -> None:
    users.create_user(db, admin, username="ketoan", password="demo-demo", role=Role.accountant)
    backup = db.backup(reason="auto")
    with pytest.raises(PermissionDenied):
        restore_backup(db, users.authenticate(db, "ketoan", "demo-demo"), backup)


def test_a_backup_of_the_unit_s_other_computer_is_refused(
    db, admin, tmp_path: Path, fresh_sqlite
) -> None:
    # The office and the accountant's laptop of one commune: one unit, two stations, and
    # their backups named alike on the same USB stick. The laptop's put back here would
    # replace the office's data with the laptop's and make the office that station.
    _add(db, admin, "Hoàng Văn Páo")
    other = fresh_sqlite(tmp_path / "ketoan" / "nhao.sqlite")
    unit = units.station_info(db).unit.code
    setup.initialize(other, unit_code=unit, admin_username="a", admin_password="demo")
    backup = other.backup(reason="auto")
    other.dispose()
    with pytest.raises(BackupRefused, match="máy khác"):
        restore_backup(db, admin, backup)
    assert _names(db, admin) == ["Hoàng Văn Páo"]
    assert not any(db.location.backup_dir.glob(f"*-{backup_module.BEFORE_RESTORE_REASON}.sqlite"))


def test_a_backup_of_this_file_from_before_a_new_epoch_is_put_back(
    db, admin, tmp_path: Path
) -> None:
    # The same station after a new epoch (a restore, a copy) is still this file's own.
    _add(db, admin, "Hoàng Văn Páo")
    backup = db.backup(reason="auto")
    sync.start_new_epoch(db)
    _add(db, admin, "Lý Thị Mẩy")
    restore_backup(db, admin, backup)
    assert _names(db, admin) == ["Hoàng Văn Páo"]


def test_a_new_laptop_set_up_anew_takes_the_old_one_s_backup(
    db, admin, tmp_path: Path, fresh_sqlite
) -> None:
    # The old laptop died; the new one is set up for the same unit, holds nothing yet,
    # and the backup from the USB stick is put back on it.
    _add(db, admin, "Hoàng Văn Páo")
    backup = db.backup(reason="auto")
    new = fresh_sqlite(tmp_path / "may-moi" / "nhao.sqlite")
    unit = units.station_info(db).unit.code
    setup.initialize(new, unit_code=unit, admin_username="a", admin_password="demo")
    try:
        restore_backup(new, users.authenticate(new, "a", "demo"), backup)
        assert _names(new, admin) == ["Hoàng Văn Páo"]
    finally:
        new.dispose()


def test_a_new_laptop_that_took_the_old_one_s_backup_is_told_so_at_its_first_export(
    db, admin, tmp_path: Path, fresh_sqlite
) -> None:
    # The dead laptop had sent bundles before its last backup: the new one starts a new
    # epoch at its first export, and says why in words that fit what happened. It asked
    # whether the data had been copied across by hand ("bị chép sang?").
    keys.ensure_station_key(db, admin, "demo")
    _add(db, admin, "Hoàng Văn Páo")
    sync.export_bundle(db, admin, "demo", tmp_path / "lan-1.nhao")
    backup = db.backup(reason="auto")
    new = fresh_sqlite(tmp_path / "may-moi" / "nhao.sqlite")
    setup.initialize(
        new, unit_code=units.station_info(db).unit.code, admin_username="a", admin_password="demo"
    )
    try:
        restore_backup(new, users.authenticate(new, "a", "demo"), backup)
        reason = sync.check_station_instance(new)
        assert reason is not None and "khôi phục từ bản sao lưu" in reason, reason
        assert "chép sang?" not in reason
    finally:
        new.dispose()


_BACKUP_ON_A_SMALL_DRIVE = """
import resource, signal, sys
from pathlib import Path
from nhao.config import resolve_database
from nhao.models.database import Database
db = Database(resolve_database(Path(sys.argv[1])))
db.open()
# A drive that takes no file past 64 kB: the backup's copy outgrows it.
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, resource.RLIM_INFINITY))
try:
    db.backup(folder=Path(sys.argv[2]))
except Exception as error:
    print(type(error).__name__, error)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="a file size limit is POSIX's")
def test_a_backup_the_drive_cannot_take_is_said_and_leaves_nothing(
    db, admin, tmp_path: Path
) -> None:
    """It was "sqlite3.OperationalError: disk I/O error" (or "database or disk is full")
    in the status bar, and a traceback when the backup before an upgrade failed."""
    for n in range(40):  # a file well past the limit
        households.create_household(db, admin, households.HouseholdInput(
            hamlet_code=units.list_hamlets(db)[0].code, head_name=f"Lò Văn {n}",
            address="Bản Nà Pàn, " * 20,
        ))  # fmt: skip
    folder = tmp_path / "sao-luu"
    out = subprocess.run(
        [sys.executable, "-c", _BACKUP_ON_A_SMALL_DRIVE, str(db.location.path), str(folder)],
        capture_output=True, text=True, timeout=120, check=True,
    )
    said = out.stdout.strip()
    assert said.startswith("WriteNotPossible Không sao lưu được dữ liệu nhao.sqlite"), said
    assert str(folder) in said and "dữ liệu vẫn nguyên như trước" in said
    assert list(folder.iterdir()) == []  # no half-written copy left
    assert verify(db) == []


def test_a_full_drive_or_a_closed_folder_is_said_for_a_backup(tmp_path: Path) -> None:
    full_drive = sqlite3.connect(tmp_path / "day.sqlite")
    full_drive.execute("CREATE TABLE t (x BLOB)")
    full_drive.execute("PRAGMA max_page_count = 3")
    with pytest.raises(sqlite3.OperationalError) as full:
        full_drive.execute("INSERT INTO t VALUES (zeroblob(100000))")
    full_drive.close()
    said = sqlite_profile.backup_in_words(full.value, "nhao.sqlite", tmp_path / "sao-luu")
    assert isinstance(said, sqlite_profile.DiskFull)
    assert str(said).startswith(
        f"Không sao lưu được dữ liệu nhao.sqlite: ổ đĩa chứa thư mục sao lưu {tmp_path / 'sao-luu'}"
    )
    # A folder sqlite cannot make its file in (a file took the folder's name).
    (tmp_path / "khong-phai-thu-muc").write_text("")
    source = sqlite3.connect(tmp_path / "nguon.sqlite")
    with pytest.raises(sqlite3.OperationalError) as closed:
        source.execute("VACUUM INTO ?", (str(tmp_path / "khong-phai-thu-muc" / "x.sqlite"),))
    source.close()
    said = sqlite_profile.backup_in_words(closed.value, "nhao.sqlite", tmp_path)
    assert isinstance(said, sqlite_profile.ReadOnlyFile)
    assert "không ghi được vào thư mục sao lưu" in str(said)
