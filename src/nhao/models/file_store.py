"""The content-addressed file store beside the database: <folder>/<sha[:2]>/<sha256>.

Files are written to a temporary name, flushed to disk and renamed into place, so
a power cut never leaves a half-written file under a real name. The store's files are
staged in one folder of their own, <folder>/.staging: what a process killed while
staging leaves there is found in one place and swept away later (sweep_staging).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import time
from pathlib import Path

from nhao.files import put_in_place

SHA256 = re.compile(r"[0-9a-f]{64}")
STAGING = ".staging"
# A staged file is renamed into place moments after it is written; one untouched for
# this long belongs to a process that died (another may be staging right now).
STALE_AFTER_S = 3600


class BadBlobName(ValueError):
    """A hash that is not 64 lower-case hex digits (it may have come from a bundle)."""


def blob_path(folder: Path, sha256: str) -> Path:
    # The hash may come from a bundle: never let it name a path outside the store.
    if not SHA256.fullmatch(sha256):
        raise BadBlobName(f"Mã tệp “{sha256}” không hợp lệ.")
    return folder / sha256[:2] / sha256


def staging_dir(folder: Path) -> Path:
    return folder / STAGING


def stage(target: Path, data: bytes, *, into: Path | None = None) -> Path:
    """`data` written and flushed under a temporary name in `into` (a folder on the
    same drive; by default beside `target`); the caller puts it in place with
    `os.replace(staged, target)` or removes it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    where = into or target.parent
    where.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=where, prefix=target.name[:16], suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def sync_folder(folder: Path) -> None:
    """A rename must survive a power cut too (Windows cannot fsync a folder)."""
    if os.name != "nt":
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def sweep_staging(folder: Path) -> list[str]:
    """Removes the files a killed process left half-staged in the store: those in the
    staging folder untouched for STALE_AFTER_S. Returns their names."""
    staging = staging_dir(folder)
    if not staging.is_dir():
        return []
    swept = []
    before = time.time() - STALE_AFTER_S
    for entry in os.scandir(staging):
        with contextlib.suppress(OSError):  # gone meanwhile, or still open on Windows
            if entry.is_file() and entry.stat().st_mtime < before:
                os.unlink(entry.path)
                swept.append(entry.name)
    return swept


def write_atomically(target: Path, data: bytes, *, staging: Path | None = None) -> None:
    staged = stage(target, data, into=staging)
    try:
        put_in_place(staged, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(staged)
        raise
    sync_folder(target.parent)


def store_bytes(folder: Path, data: bytes) -> str:
    """Keep `data` once, under its sha256; returns the hash."""
    sha = hashlib.sha256(data).hexdigest()
    target = blob_path(folder, sha)
    if not (target.is_file() and target.stat().st_size == len(data)):
        write_atomically(target, data, staging=staging_dir(folder))
    return sha
