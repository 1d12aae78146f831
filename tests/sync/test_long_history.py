"""A station with a long history (a province's change log holds every commune's
changes, hundreds of thousands) exports what is new without reading the rest."""

from __future__ import annotations

import tracemalloc
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event

from nhao.models import ChangeLogEntry
from nhao.services import sync, units
from nhao.services.household_import import ImportOptions, import_file
from nhao.sync import bundle

from .conftest import Node, Tree


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


def _household_list(path: Path, rows: int, hamlet: str, list_no: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("STT,Họ và tên chủ hộ,Năm sinh,Thôn,Diện,Số nhân khẩu,Ghi chú\n")
        for i in range(rows):
            name = f"Nguyễn Văn Số {list_no}-{i}"
            out.write(f"{i + 1},{name},{1940 + i % 60},{hamlet},HN,{1 + i % 7},nhà tạm {i}\n")
    return path


def _full_export_peak(node: Node) -> tuple[int, int, int]:
    """What a full bundle held at most while written, its changes and their plain size."""
    out: list[Path] = []
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        out.append(node.export(full=True, seal=False))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    with zipfile.ZipFile(out[0]) as zf:
        info = zf.getinfo(bundle.CHANGES)
        count = zf.read(bundle.CHANGES).count(b"\n")
    return peak - before, count, info.file_size


def test_a_full_bundle_does_not_hold_its_changes_in_memory(
    tree: Tree, tmp_path: Path
) -> None:
    """A province's full bundle carries every commune's changes (hundreds of thousands,
    a gigabyte of lines): they go to the file as they are read, not held until the end."""
    hamlet = units.station_info(tree.a.db).unit.name
    sizes = (1500, 3000)  # a wide gap: a peak moves by a megabyte or so from run to run
    lists = [_household_list(tmp_path / f"ds-{n}.csv", k, hamlet, n) for n, k in enumerate(sizes)]
    peaks = []
    for path in lists:
        report = import_file(tree.a.db, tree.a.actor, path, ImportOptions())
        assert report.summary()["error"] == 0
        peaks.append(_full_export_peak(tree.a))
    (small, few, _), (large, many, size) = peaks
    per_change = (large - small) / (many - few)
    line = size / many
    # Held, each line was kept twice (the list and the joined member) beside its change
    # as an object: several times the line. On PostgreSQL a peak once rose by 900 bytes a
    # change between two runs of 1,500 changes with nothing held.
    assert per_change < line, f"{per_change:.0f} bytes held per change of {line:.0f}"
