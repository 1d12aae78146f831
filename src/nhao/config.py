"""Where nhao keeps its files, and how a database is named on the command line.

Paths come from platformdirs so Windows gets %LOCALAPPDATA%\\nhao and Linux
~/.local/share/nhao; NHAO_HOME overrides the folder (tests, portable use).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePath

import platformdirs

APP_NAME = "nhao"
DB_FILENAME = "nhao.sqlite"


def data_dir() -> Path:
    override = os.environ.get("NHAO_HOME")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME


@dataclass(frozen=True)
class DatabaseLocation:
    """A database given by path or by SQLAlchemy URL."""

    url: str
    path: Path | None  # the SQLite file, None for a server database

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None or self.url.startswith("sqlite")

    @property
    def shown(self) -> str:
        """The database as told to people: the file, or the URL without its password."""
        if self.path is not None:
            return str(self.path)
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string(hide_password=True)

    @property
    def folder(self) -> Path:
        """Folder for the files beside the database: backups, attachments."""
        if self.path is not None:
            return self.path.parent
        return data_dir()

    @property
    def backup_dir(self) -> Path:
        stem = self.path.stem if self.path is not None else "server"
        return self.folder / f"{stem}-backups"

    @property
    def attachment_dir(self) -> Path:
        stem = self.path.stem if self.path is not None else "server"
        return self.folder / f"{stem}-files"


# Where Windows says OneDrive keeps the person's files in sync (personal, work or school).
ONEDRIVE_VARIABLES = ("OneDrive", "OneDriveConsumer", "OneDriveCommercial")


def unsafe_place(path: PurePath) -> str | None:
    """Why a database file may not be made at `path` (DESIGN.md §9), or None. OneDrive
    copies the file while SQLite writes it and leaves conflict copies beside it; on a
    network share (\\\\server\\share or a drive mapped to one) SQLite's locks do not
    hold between computers, and a connection lost mid-write spoils the file."""
    for variable in ONEDRIVE_VARIABLES:
        synced = os.environ.get(variable)
        if synced and path.is_relative_to(synced):
            return f"thư mục OneDrive {synced}"
    try:  # a mapped drive (Z:) resolves to the share's name
        real = path.resolve() if isinstance(path, Path) else path
    except OSError:
        real = path
    if real.drive.startswith(("\\\\", "//")):
        return f"thư mục mạng {real.drive}"
    return None


def sqlite_url(path: Path) -> str:
    """The URL of a database file. SQLAlchemy percent-decodes a URL's database part
    and ends it at "?": a folder named "100%2025" must not become "100 25"."""
    return "sqlite:///" + path.as_posix().replace("%", "%25").replace("?", "%3F")


def resolve_database(value: str | os.PathLike[str] | None) -> DatabaseLocation:
    """Turn `--db` / NHAO_DB (a file path or a URL) into a location."""
    raw = value if value is not None else os.environ.get("NHAO_DB")
    if raw is None or str(raw) == "":
        path = default_db_path()
        return DatabaseLocation(url=sqlite_url(path), path=path)
    text = str(raw)
    if "://" in text:
        if text.startswith("sqlite:///"):
            from sqlalchemy.engine import make_url

            # The file SQLAlchemy opens: percent-decoded, without the "?…" options.
            path = Path(make_url(text).database or "")
            return DatabaseLocation(url=text, path=path)
        return DatabaseLocation(url=text, path=None)
    path = Path(text).expanduser().absolute()
    return DatabaseLocation(url=sqlite_url(path), path=path)
