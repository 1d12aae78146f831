"""Opening a database: version gate, integrity check, backup, migration to head."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from nhao.config import DatabaseLocation
from nhao.files import put_in_place
from nhao.models import sqlite_profile
from nhao.models.json_codec import json_text, json_value

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


# Made by raw SQL in migration 0004, with no model: the household search index
# (SQLite: an FTS5 table, its shadow tables, the id map and the queue; PostgreSQL:
# trigram indexes). Comparing the models with the migrations leaves them out.
SEARCH_INDEX_PREFIX = "household_search"


def include_in_model_comparison(  # type: ignore[no-untyped-def]
    obj, name: str | None, type_: str, reflected: bool, compare_to
) -> bool:
    """Alembic's include_object hook (env.py and the models-vs-migrations test)."""
    return not (
        reflected
        and compare_to is None
        and type_ in {"table", "index"}
        and (name or "").startswith(SEARCH_INDEX_PREFIX)
    )


# pg_advisory_xact_lock key of the write lane: "nhao" in ASCII.
WRITE_LANE_KEY = 0x6E68616F


def hold_write_lane(session: Session) -> bool:
    """On a server database, wait until no other computer (or window) writes, and keep
    the lane until this transaction ends: the audit chain and this station's change
    numbers are read, then continued, by one writer at a time, as SQLite's single
    writer does on a laptop. True when the lane was taken (a server database)."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LANE_KEY})
    return True


class DatabaseError(Exception):
    """The database cannot be opened or upgraded; the message says why, in Vietnamese."""


def alembic_config(extra_version_dir: Path | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if extra_version_dir is not None:
        # Tests add a deliberately failing migration from a folder of their own.
        cfg.set_main_option(
            "version_locations", f"{MIGRATIONS_DIR / 'versions'} {extra_version_dir}"
        )
        cfg.set_main_option("path_separator", "space")
    return cfg


class Database:
    """One database, SQLite file or server URL. SQLite gets a single connection:
    every read and write goes through one lane, so no two connections ever write."""

    def __init__(self, location: DatabaseLocation, *, extra_version_dir: Path | None = None):
        self.location = location
        self._alembic = alembic_config(extra_version_dir)
        self.journal_mode = "wal"
        if location.is_sqlite:
            if sqlite3.sqlite_version_info < sqlite_profile.MINIMUM_SQLITE:
                raise DatabaseError(
                    f"SQLite {sqlite3.sqlite_version} quá cũ; nhao cần bản 3.35 trở lên."
                )
            self.journal_mode = sqlite_profile.chosen_journal_mode()
            if location.path is not None:
                location.path.parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(
                location.url,
                poolclass=QueuePool,
                pool_size=1,
                max_overflow=0,
                connect_args={"check_same_thread": False},
                json_serializer=json_text,
                json_deserializer=json_value,
            )
            shown = location.path.name if location.path is not None else ""
            backups = str(location.backup_dir) if location.path is not None else ""
            sqlite_profile.install(self.engine, self.journal_mode, shown, backups)
        else:
            self.engine = create_engine(
                location.url,
                pool_pre_ping=True,
                json_serializer=json_text,
                json_deserializer=json_value,
            )
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    # -- sessions -------------------------------------------------------------

    def session(self) -> Session:
        return self._sessions()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any error."""
        with self._sessions() as session, session.begin():
            yield session

    # -- revisions ------------------------------------------------------------

    def head_revision(self) -> str:
        heads = ScriptDirectory.from_config(self._alembic).get_heads()
        if len(heads) != 1:
            raise DatabaseError("Chuỗi nâng cấp cơ sở dữ liệu bị rẽ nhánh.")
        return heads[0]

    def knows_revision(self, revision: str) -> bool:
        """A schema this nhao can open: its own or an older one it upgrades."""
        script = ScriptDirectory.from_config(self._alembic)
        return revision in {r.revision for r in script.walk_revisions()}

    def current_revision(self) -> str | None:
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def is_empty(self) -> bool:
        with self.engine.connect() as conn:
            return not conn.dialect.get_table_names(conn)

    # -- opening --------------------------------------------------------------

    def open(self, *, check: bool = True) -> Path | None:
        """Bring the database to the current schema. Returns the backup made
        before a database file's upgrade, if one was needed."""
        try:
            current = self.current_revision()
        except OperationalError as error:  # a server that is down, a name mistyped
            if self.location.is_sqlite:
                raise
            why = " ".join(str(error.orig).split())
            raise DatabaseError(
                f"Không kết nối được cơ sở dữ liệu {self.location.shown} ({why}); hãy kiểm "
                "tra máy chủ đang chạy và địa chỉ, tên, mật khẩu trong --db."
            ) from None
        head = self.head_revision()
        if current is not None and not self.knows_revision(current):
            raise DatabaseError(
                "Cơ sở dữ liệu này do phiên bản nhao mới hơn tạo ra; hãy cập nhật nhao."
            )
        if check and current is not None:
            self.quick_check()
        backup = None
        if current != head:
            # A server database is backed up by its server (pg_dump), not by nhao; its
            # upgrade runs in one transaction, so a failed one leaves it as it was.
            on_file = self.location.path is not None
            if on_file and (current is not None or not self.is_empty()):
                backup = self.backup(reason=f"before-upgrade-{current or 'unversioned'}")
            self.upgrade("head")
        return backup

    def upgrade(self, revision: str = "head") -> None:
        with self.engine.connect() as conn:
            self._run_migration(conn, lambda cfg: command.upgrade(cfg, revision))

    def downgrade(self, revision: str) -> None:
        with self.engine.connect() as conn:
            self._run_migration(conn, lambda cfg: command.downgrade(cfg, revision))

    def _run_migration(self, conn: Connection, step) -> None:  # type: ignore[no-untyped-def]
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds tables; foreign keys must be off for that, and the
            # pragma only takes effect outside a transaction.
            conn.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                self._alembic.attributes["connection"] = conn
                try:
                    step(self._alembic)
                finally:
                    self._alembic.attributes.pop("connection", None)
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise DatabaseError(
                            f"Nâng cấp làm hỏng liên kết dữ liệu ở bảng {broken[0][0]}."
                        )
        finally:
            if sqlite:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys = ON")

    # -- checks and backups ---------------------------------------------------

    def quick_check(self) -> None:
        if not self.location.is_sqlite:
            return
        with self.engine.connect() as conn:
            try:
                result = conn.connection.driver_connection.execute("PRAGMA quick_check").fetchall()
            except sqlite3.OperationalError:  # locked, not damaged
                raise
            except sqlite3.DatabaseError as error:  # a page too spoilt for the check to go on
                result = [(str(error),)]
        if [row[0] for row in result] != ["ok"]:
            raise DatabaseError(
                f"Tệp dữ liệu bị hỏng ({result[0][0]}); hãy khôi phục từ bản sao lưu "
                f"trong {self.location.backup_dir} bằng lệnh nhao restore TỆP_SAO_LƯU."
            )

    def integrity_problems(self) -> list[str]:
        """Full integrity and foreign key check; empty when all is well."""
        if not self.location.is_sqlite:
            return []
        with self.engine.connect() as conn:
            raw = conn.connection.driver_connection
            problems = [r[0] for r in raw.execute("PRAGMA integrity_check").fetchall()]
            problems = [p for p in problems if p != "ok"]
            for table, rowid, parent, _ in raw.execute("PRAGMA foreign_key_check").fetchall():
                problems.append(f"bảng {table} dòng {rowid} trỏ tới {parent} không tồn tại")
        return problems

    def backup(self, *, reason: str = "manual", folder: Path | None = None) -> Path:
        """Copy the live database with VACUUM INTO (never a file copy), check the copy,
        then rename it into place so a half-written backup never looks finished."""
        if self.location.path is None:
            raise DatabaseError("Chỉ sao lưu được cơ sở dữ liệu SQLite trên máy này.")
        target_dir = folder or self.location.backup_dir
        name = self.location.path.name
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        final = target_dir / f"{self.location.path.stem}-{stamp}-{reason}.sqlite"
        partial = final.with_suffix(".partial")
        try:
            target_dir.mkdir(parents=True, exist_ok=True)
            partial.unlink(missing_ok=True)
            with self.engine.connect() as conn:
                conn.connection.driver_connection.execute("VACUUM INTO ?", (str(partial),))
            checker = sqlite3.connect(partial)
            try:
                verdict = checker.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                checker.close()
        except BaseException as error:  # a damaged page, a full disk: no half-made file left
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
            said = sqlite_profile.backup_in_words(error, name, target_dir)
            if said is not None:  # the drive, the folder: said as what to do, not a trace
                raise said from None
            raise
        if verdict != "ok":
            partial.unlink(missing_ok=True)
            raise DatabaseError(f"Bản sao lưu không đạt kiểm tra ({verdict}).")
        put_in_place(partial, final)
        return final

    def dispose(self) -> None:
        self.engine.dispose()
