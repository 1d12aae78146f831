"""Automatic backups: made when due, checked copies, rotated, upgrade backups kept."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

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
