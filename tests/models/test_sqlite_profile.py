"""How SQLite is opened: pragmas read back, journal mode by version, integer money."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, StatementError

from nhao.config import resolve_database
from nhao.models import Donor, Pledge, sqlite_profile
from nhao.models.base import new_id
from nhao.models.database import Database
from nhao.models.sqlite_profile import DatabaseBusy, chosen_journal_mode, wal_is_safe


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = Database(resolve_database(tmp_path / "p.sqlite"))
    database.open()
    yield database
    database.dispose()


def test_wal_only_on_releases_with_the_wal_reset_fix() -> None:
    assert not wal_is_safe((3, 40, 1))
    assert not wal_is_safe((3, 51, 2))
    assert wal_is_safe((3, 51, 3))
    assert wal_is_safe((3, 52, 0))
    assert not wal_is_safe((3, 50, 6))
    assert wal_is_safe((3, 50, 7))
    assert wal_is_safe((3, 44, 6))
    assert not wal_is_safe((3, 44, 5))
    assert chosen_journal_mode((3, 40, 1)) == "delete"


def test_pragmas_are_in_force(db: Database) -> None:
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == db.journal_mode
        assert db.journal_mode == chosen_journal_mode(sqlite3.sqlite_version_info)
        assert raw.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert raw.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert raw.isolation_level is None  # SQLAlchemy, not the driver, begins


def test_one_connection_is_the_only_lane(db: Database) -> None:
    assert db.engine.pool.size() == 1
    assert db.engine.pool._max_overflow == 0  # noqa: SLF001 - the guarantee under test


def _donor(session) -> Donor:  # type: ignore[no-untyped-def]
    donor = Donor(
        unit_code="06112",
        name="Công ty A",
        name_key="cong ty a",
        created_at=date(2025, 1, 1),
        updated_at=date(2025, 1, 1),
        origin_station="s",
        changed_by="s",
        hlc="h",
    )
    session.add(donor)
    session.flush()
    return donor


def test_money_refuses_a_float_before_the_database(db: Database) -> None:
    with pytest.raises(StatementError, match="integer number of VND"), db.transaction() as session:
        donor = _donor(session)
        session.add(
            Pledge(
                unit_code="06112",
                donor_id=donor.id,
                amount=1.5,
                pledged_on=date(2025, 1, 1),
                created_at=date(2025, 1, 1),
                updated_at=date(2025, 1, 1),
                origin_station="s",
                changed_by="s",
                hlc="h",
            )
        )
        session.flush()


def test_money_column_refuses_text_and_reals_in_sqlite_itself(db: Database) -> None:
    with db.transaction() as session:
        donor_id = _donor(session).id
    for bad in ("'1.500.000'", "1500000.5"):
        with pytest.raises(IntegrityError, match="CHECK"), db.transaction() as session:
            session.execute(
                text(
                    "INSERT INTO pledge (id, unit_code, donor_id, amount, pledged_on, note,"
                    " created_at, updated_at, origin_station, changed_by, hlc)"
                    f" VALUES (:id, '06112', :donor, {bad}, '2025-01-01', '',"
                    " '2025-01-01', '2025-01-01', 's', 's', 'h')"
                ),
                {"id": new_id().hex, "donor": donor_id.hex},
            )


def test_backup_is_a_checked_copy_of_committed_data(db: Database) -> None:
    with db.transaction() as session:
        _donor(session)
    copy = db.backup(reason="test")
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT name FROM donor").fetchall() == [("Công ty A",)]
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    assert not list(copy.parent.glob("*.partial"))


def test_the_database_is_the_file_named_whatever_its_folder_is_called(tmp_path: Path) -> None:
    # A path becomes an SQLAlchemy URL, whose database part is percent-decoded: a folder
    # named "Hoàn thành 100%2025" was opened as "Hoàn thành 100 25" (%20 is a space),
    # beside the backups and photos that went to the real folder.
    folder = tmp_path / "Nguyễn Văn A" / "Hoàn thành 100%2025"
    location = resolve_database(folder / "nhao.sqlite")
    database = Database(location)
    database.open()
    try:
        database.backup(reason="manual")
    finally:
        database.dispose()
    assert location.path == folder / "nhao.sqlite"
    assert location.path.is_file()
    assert sorted(p.name for p in tmp_path.joinpath("Nguyễn Văn A").iterdir()) == [folder.name]


def test_a_sqlite_url_given_by_hand_keeps_its_backups_beside_the_file_it_opens(
    tmp_path: Path,
) -> None:
    # `--db sqlite:///…` (or NHAO_DB): SQLAlchemy opens the percent-decoded file and
    # drops the "?…" options, so the backups, photos and station note go beside that
    # file too, not beside a folder literally named "100%25" that does not exist.
    folder = tmp_path / "Hoàn thành 100%"
    url = "sqlite:///" + (folder / "nhao.sqlite").as_posix().replace("%", "%25") + "?timeout=30"
    location = resolve_database(url)
    assert location.path == folder / "nhao.sqlite"
    database = Database(location)
    database.open()
    try:
        made = database.backup(reason="manual")
    finally:
        database.dispose()
    assert location.path.is_file() and made.parent == folder / "nhao-backups"
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder.name]


def test_a_write_kept_waiting_by_another_process_says_so_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second window, or a command importing a province's bundles, kept the write lock
    past the wait: it was "lỗi không mong đợi (OperationalError: database is locked)"
    and a crash log, for a person who only had to wait."""
    path = tmp_path / "du-lieu.sqlite"
    Database(resolve_database(path)).open()
    monkeypatch.setattr(sqlite_profile, "BUSY_TIMEOUT_MS", 100)  # not the 5 s people wait
    db = Database(resolve_database(path))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseBusy) as refused, db.transaction() as session:
            session.execute(text("CREATE TABLE kept_out (x INTEGER)"))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert str(refused.value).startswith("Dữ liệu du-lieu.sqlite đang được một cửa sổ hoặc")
    assert str(refused.value).endswith("lần này chưa có gì được ghi.")
    with db.transaction() as session:  # once the other is done, the same write goes in
        session.execute(text("CREATE TABLE kept_out (x INTEGER)"))
    db.dispose()


def test_a_database_that_may_not_be_written_says_so(db: Database) -> None:
    """A data folder copied from a CD keeps Windows' Read-only mark: every save was
    'lỗi không mong đợi (attempt to write a readonly database)'. SQLite is told to
    write nothing, as such a file tells it."""
    with db.engine.connect() as conn:  # the one pooled connection
        conn.connection.driver_connection.execute("PRAGMA query_only = ON")
    with pytest.raises(sqlite_profile.ReadOnlyFile) as refused, db.transaction() as session:
        session.execute(text("CREATE TABLE kept_out (x INTEGER)"))
    assert str(refused.value).startswith("Dữ liệu p.sqlite chỉ cho đọc, không ghi được")


def test_a_file_that_is_no_database_says_what_to_do(tmp_path: Path) -> None:
    """A data file whose first page is gone (or another file under its name): it was
    'lỗi không mong đợi (DatabaseError: file is not a database)' and a crash log.
    nhao restore cannot help here (it signs in from that file first): the backup is
    copied in its place."""
    path = tmp_path / "nhao.sqlite"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(sqlite_profile.DamagedFile) as damaged:
        Database(resolve_database(path)).open()
    said = str(damaged.value)
    assert said.startswith("Dữ liệu nhao.sqlite không phải tệp dữ liệu của nhao, hoặc phần đầu")
    assert f"chép bản sao lưu mới nhất trong {tmp_path / 'nhao-backups'} vào chỗ" in said
