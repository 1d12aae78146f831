"""A station with a long history (a province's change log holds every commune's
changes, hundreds of thousands) exports what is new without reading the rest."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from nhao.models import ChangeLogEntry
from nhao.services import sync

from .conftest import Tree


@contextmanager
def _loaded_entries() -> Iterator[list[int]]:
    """The change-log rows read out of the database while the block runs."""
    seen: list[int] = []

    def loaded(entry: ChangeLogEntry, _context: object) -> None:
        seen.append(entry.seq)

    event.listen(ChangeLogEntry, "load", loaded)
    try:
        yield seen
    finally:
        event.remove(ChangeLogEntry, "load", loaded)


def test_an_export_reads_only_the_changes_after_the_last_bundle(tree: Tree) -> None:
    for number in range(60):
        tree.a.add_household(f"Nguyễn Văn {number}")
    first = tree.a.export()
    assert tree.commune.take(first)[0]["status"] == "applied"
    tree.a.add_household("Hoàng Thị Mới")
    with _loaded_entries() as read:
        second = tree.a.export()
    assert len(read) <= 3, f"{len(read)} changes read for one new household"
    [report] = tree.commune.take(second)
    assert report["status"] == "applied" and report["entities"]["household"]["new"] == 1
    with _loaded_entries() as read:  # the whole history still goes in a full bundle
        full = tree.a.export(full=True)
    assert len(read) > 60
    assert tree.commune.take(full)[0]["status"] == "skipped"
    assert sync.list_pending(tree.commune.db) == []
