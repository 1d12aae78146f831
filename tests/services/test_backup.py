"""Automatic backups: made when due, checked copies, rotated, upgrade backups kept."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from nhao.services.backup import automatic_backups, backup_if_due


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
