"""Automatic, rotating backups (DESIGN.md §9): a checked VACUUM INTO copy at most
once a day when the window opens, keeping the newest few."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from pathlib import Path

from nhao.models.database import Database
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
