"""Bundles that carry many scanned papers and photos are written one file at a time:
a commune's year of attachments is gigabytes, and the laptops have 4 GB."""

from __future__ import annotations

import os
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from nhao.services import attachments

from .conftest import Tree

SCANS, SCAN_BYTES = 16, 4 * 1024 * 1024
ALL_SCANS = SCANS * SCAN_BYTES  # 64 MB


def _peak(work: Callable[[], object]) -> int:
    """The most memory Python held at once while `work` ran, above what it held before."""
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        work()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - before


def _scans(tree: Tree, tmp_path: Path) -> str:
    """A household with SCANS scanned papers (random bytes: nothing to compress)."""
    household = tree.a.add_household("Nguyễn Văn Ấn")
    tmp_path.mkdir(exist_ok=True)
    files = []
    for number in range(SCANS):
        scan = tmp_path / f"Quyết định {number}.pdf"
        scan.write_bytes(b"%PDF-1.4\n" + os.urandom(SCAN_BYTES) + b"%%EOF\n")
        files.append(scan)
    attachments.add_attachments(tree.a.db, tree.a.actor, household, files, kind="document")
    return household


def test_a_bundle_of_many_scans_is_written_one_scan_at_a_time(
    tree: Tree, tmp_path: Path
) -> None:
    household = _scans(tree, tmp_path)
    for seal in (True, False):
        out: list[Path] = []
        held = _peak(lambda: out.append(tree.a.export(full=True, seal=seal)))  # noqa: B023
        # A scan's worth, a few times over (read, compressed, sealed), whatever their number.
        assert held < ALL_SCANS / 2, f"export held {held / 2**20:.0f} MB at once"
        assert tree.commune.take(out[0])[0]["status"] in ("applied", "skipped")
    shown = attachments.list_attachments(tree.commune.db, tree.commune.actor, household)
    assert len(shown) == SCANS
    assert {s.path.read_bytes() for s in shown} == {
        s.path.read_bytes()
        for s in attachments.list_attachments(tree.a.db, tree.a.actor, household)
    }


@pytest.mark.parametrize("seal", [True, False], ids=["sealed", "open"])
def test_a_bundle_of_many_scans_is_read_one_scan_at_a_time(
    tree: Tree, tmp_path: Path, seal: bool
) -> None:
    household = _scans(tree, tmp_path)
    bundle = tree.a.export(seal=seal)
    reports: list[dict] = []
    held = _peak(lambda: reports.extend(tree.commune.take(bundle)))
    assert reports[0]["status"] == "applied"
    # The file's bytes, and a scan's worth a few times over (read, opened, inflated).
    size = bundle.stat().st_size
    assert held < size + ALL_SCANS / 2, f"import held {held / 2**20:.0f} MB at once"
    shown = attachments.list_attachments(tree.commune.db, tree.commune.actor, household)
    assert len(shown) == SCANS and all(s.path.is_file() for s in shown)


def test_bundles_held_for_a_missing_one_are_applied_one_at_a_time(
    tree: Tree, tmp_path: Path
) -> None:
    """A week's bundle lost on the way: the hamlet's later bundles, each with its scans,
    wait at the commune; when the lost one comes, they are read from the database and
    applied one after the other, not all taken into memory together."""
    first = tree.a.export()  # the household list alone; lost on the way at first
    later = []
    for week in range(3):
        _scans(tree, tmp_path / f"week-{week}")
        later.append(tree.a.export())
    for bundle in reversed(later):
        assert tree.commune.take(bundle)[0]["status"] == "pending"
    biggest = max(bundle.stat().st_size for bundle in later)
    reports: list[dict] = []
    held = _peak(lambda: reports.extend(tree.commune.take(first)))
    assert [r["status"] for r in reports] == ["applied"] * 4
    # One held bundle's bytes, and a scan's worth a few times over.
    assert held < biggest + ALL_SCANS / 2, f"applying held {held / 2**20:.0f} MB at once"
