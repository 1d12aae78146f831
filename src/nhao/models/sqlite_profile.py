"""How nhao opens SQLite: explicit transactions, FULL sync, the journal mode the
SQLite version can be trusted with, and one connection (the write lane)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from nhao.domain.errors import DomainError

# The WAL-reset bug (two connections writing or checkpointing one WAL file) was fixed
# in 3.51.3 and back-ported to 3.50.7 and 3.44.6. Older builds use a rollback journal.
WAL_FIXED_RELEASES = ((3, 51, 3), (3, 50, 7), (3, 44, 6))
MINIMUM_SQLITE = (3, 35, 0)  # RETURNING, DROP COLUMN for batch migrations
# How long a write waits for another process's: a form's save waits this long for a
# window's or a command's import to finish before it says so.
BUSY_TIMEOUT_MS = 5000


class WriteNotPossible(DomainError):
    """The computer could not take a write just now, whatever was written: try again
    once the cause is gone."""


class DatabaseBusy(WriteNotPossible):
    """Another process (a second window, a command) kept the database's write lock for
    longer than BUSY_TIMEOUT_MS: said in a sentence, nothing written."""


class DamagedFile(DomainError):
    """The database file is damaged, or another file took its name."""


class ReadOnlyFile(WriteNotPossible):
    """The database file (or its folder) may not be written by this user."""


class DiskFull(WriteNotPossible):
    """The drive holding the database has no room left: said in a sentence (an old
    laptop's small drive fills up), nothing written."""


def wal_is_safe(version: tuple[int, int, int]) -> bool:
    major_minor = version[:2]
    for fixed in WAL_FIXED_RELEASES:
        if major_minor == fixed[:2]:
            return version >= fixed
    return version >= WAL_FIXED_RELEASES[0]


def chosen_journal_mode(version: tuple[int, int, int] | None = None) -> str:
    return "wal" if wal_is_safe(version or sqlite3.sqlite_version_info) else "delete"


def install(engine: Engine, journal_mode: str, name: str = "", backups: str = "") -> None:
    """Hook the pysqlite driver so SQLAlchemy, not the driver, owns transactions.

    Python's sqlite3 in its legacy mode commits DDL on its own and begins
    transactions late; with isolation_level=None and our own BEGIN IMMEDIATE,
    a migration or an import that fails half-way rolls back completely.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA journal_mode = {journal_mode}")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA trusted_schema = OFF")
        cursor.execute("PRAGMA secure_delete = ON")
        # 32 MB of page cache: searches of a 100k-household register stay in memory.
        cursor.execute("PRAGMA cache_size = -32768")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine, "handle_error")
    def _in_words(context: Any) -> None:
        said = in_words(getattr(context.sqlalchemy_exception, "orig", None), name, backups)
        if said is not None:
            raise said from None


def in_words(error: BaseException | None, name: str, backups: str = "") -> DomainError | None:
    """What people can do something about, in a sentence, for a driver error of the
    file `name` (its backups in the folder `backups`): the statement (and with it the
    transaction) failed, so nothing of it was written. None for the rest."""
    primary = getattr(error, "sqlite_errorcode", -1) & 0xFF  # Python 3.11+
    data = f"Dữ liệu {name}" if name else "Dữ liệu"
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return DatabaseBusy(
            f"{data} đang được một cửa sổ hoặc lệnh nhao khác ghi (đang nhập danh sách hay "
            "gói dữ liệu, hoặc sao lưu). Hãy chờ việc đó xong rồi làm lại; lần này chưa có "
            "gì được ghi."
        )
    if primary == sqlite3.SQLITE_FULL:
        return DiskFull(
            f"Ổ đĩa chứa {data[0].lower()}{data[1:]} đã đầy nên không ghi được. Hãy dọn bớt "
            "tệp trên ổ đĩa đó (thùng rác, thư mục Tải về, ảnh, video) rồi làm lại; lần này "
            "chưa có gì được ghi."
        )
    kept = f" trong {backups}" if backups else ""
    # nhao restore signs in first, which a file without its header cannot let it do.
    copy_back = (
        f"chép bản sao lưu mới nhất{kept} vào chỗ tệp này (để tệp hỏng sang chỗ khác) rồi "
        "mở lại nhao"
    )
    if primary == sqlite3.SQLITE_NOTADB:
        return DamagedFile(
            f"{data} không phải tệp dữ liệu của nhao, hoặc phần đầu tệp đã hỏng. Hãy {copy_back}."
        )
    if primary == sqlite3.SQLITE_CORRUPT:
        return DamagedFile(
            f"{data} bị hỏng ({error}). Hãy khôi phục từ bản sao lưu{kept} bằng lệnh nhao "
            f"restore TỆP_SAO_LƯU; nếu lệnh đó không mở được tệp, hãy {copy_back}."
        )
    if primary == sqlite3.SQLITE_READONLY:
        return ReadOnlyFile(
            f"{data} chỉ cho đọc, không ghi được: tệp có thuộc tính Read-only (thường gặp "
            "khi chép từ đĩa CD hay từ máy khác), hoặc thư mục của nó không cho người dùng "
            "này ghi. Hãy bỏ dấu Read-only trong Properties của tệp (hoặc hỏi cán bộ kỹ "
            "thuật) rồi làm lại; lần này chưa có gì được ghi."
        )
    return None


def backup_in_words(error: BaseException, name: str, folder: Path) -> DomainError | None:
    """A backup of the data file `name` into `folder` that failed, in a sentence: the
    backup's own drive or folder would not take it (the data file is as it was), or the
    data file itself could not be read (in_words). None for the rest."""
    primary = getattr(error, "sqlite_errorcode", -1) & 0xFF
    if primary == sqlite3.SQLITE_FULL:
        return DiskFull(
            f"Không sao lưu được dữ liệu {name}: ổ đĩa chứa thư mục sao lưu {folder} đã đầy. "
            "Hãy dọn bớt tệp trên ổ đĩa đó (thùng rác, thư mục Tải về, ảnh, video) rồi làm "
            "lại; dữ liệu vẫn nguyên như trước."
        )
    if primary in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY) or isinstance(
        error, PermissionError
    ):
        return ReadOnlyFile(
            f"Không sao lưu được dữ liệu {name}: không ghi được vào thư mục sao lưu {folder} "
            "(thư mục chỉ cho đọc, hoặc người dùng này không được ghi vào đó). Hãy bỏ dấu "
            "Read-only của thư mục (hoặc hỏi cán bộ kỹ thuật) rồi làm lại; dữ liệu vẫn "
            "nguyên như trước."
        )
    if primary == sqlite3.SQLITE_IOERR:  # a drive past its size limit, or failing
        return WriteNotPossible(
            f"Không sao lưu được dữ liệu {name} vào thư mục {folder}: lỗi đọc ghi ổ đĩa "
            f"({error}). Ổ đĩa có thể đã đầy hoặc bị lỗi; hãy dọn bớt tệp hoặc kiểm tra ổ "
            "đĩa rồi làm lại; dữ liệu vẫn nguyên như trước."
        )
    return in_words(error, name, str(folder))


def file_name(connection: sqlite3.Connection) -> str:
    """The name of the file a driver connection has open, for a sentence."""
    for _number, schema, path in connection.execute("PRAGMA database_list"):
        if schema == "main":
            return Path(path).name if path else ""
    return ""
