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
