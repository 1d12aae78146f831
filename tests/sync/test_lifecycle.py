"""Station keys, receipts and epochs over the life of a station: backups put back,
keys rotated and revoked, users who may export."""

from __future__ import annotations

import shutil

import pytest

from nhao.services import households as hh

from .conftest import Node, Tree


def _names(node: Node) -> list[str]:
    return sorted(v.head_name for v in hh.list_households(node.db, node.actor, hh.HouseholdQuery()))


def _restore(node: Node, backup) -> None:  # type: ignore[no-untyped-def]
    """The database file put back from a backup (the note beside it stays)."""
    node.db.dispose()
    shutil.copyfile(backup, node.db.location.path)


def test_the_same_backup_put_back_twice_reuses_no_number(tree: Tree, backend: str) -> None:
    """The second time, the note beside the file is of the epoch the first restore
    started, which the file has never heard of: the changes made since the second
    restore still carry numbers the commune had from before the first."""
    if backend != "sqlite":
        pytest.skip("backups are SQLite files: a laptop restores one, a server does not")
    tree.a.add_household("Hộ Một")
    tree.commune.take(tree.a.export())
    backup = tree.a.db.backup(reason="test")
    tree.a.add_household("Hộ Hai")
    assert tree.commune.take(tree.a.export())[0]["status"] == "applied"

    _restore(tree.a, backup)
    tree.a.add_household("Hộ Ba")
    assert tree.commune.take(tree.a.export())[0]["status"] == "applied"

    _restore(tree.a, backup)
    tree.a.add_household("Hộ Bốn")
    report = tree.commune.take(tree.a.export())[0]
    assert report["status"] == "applied", report.get("reason")
    assert _names(tree.commune) == ["Hộ Ba", "Hộ Bốn", "Hộ Hai", "Hộ Một"]
    tree.a.verify_clean()
    tree.commune.verify_clean()
