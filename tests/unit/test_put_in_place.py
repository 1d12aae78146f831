"""A finished file is put in place even while Windows briefly says it is in use (an
antivirus or the search indexer looking at a file just written); a real refusal still
reaches the person, after a moment. Root on Linux is never refused, so the refusals
are staged on os.replace."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nhao import files
from nhao.files import RETRY_DELAYS, put_in_place


def _refuse_first(monkeypatch: pytest.MonkeyPatch, times: int) -> list[float]:
    real_replace = os.replace
    calls = {"n": 0}
    slept: list[float] = []

    def busy(src, dst):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] <= times:
            raise PermissionError(13, "The process cannot access the file", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", busy)
    monkeypatch.setattr(files.time, "sleep", slept.append)
    return slept


def test_a_file_held_for_a_moment_is_put_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "thon-2026-11-23.nhao"
    target.write_bytes(b"cu")
    finished = tmp_path / "thon-2026-11-23.nhao.partial"
    finished.write_bytes(b"moi")
    slept = _refuse_first(monkeypatch, 2)
    put_in_place(finished, target)
    assert target.read_bytes() == b"moi" and not finished.exists()
    assert slept == list(RETRY_DELAYS[:2])


def test_a_file_held_for_good_is_refused_after_the_last_try(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target, finished = tmp_path / "so-ho.xlsx", tmp_path / "so-ho.xlsx.partial"
    finished.write_bytes(b"moi")
    slept = _refuse_first(monkeypatch, 100)
    with pytest.raises(PermissionError):
        put_in_place(finished, target)
    assert slept == list(RETRY_DELAYS)
    assert finished.exists() and not target.exists()


def test_a_bundle_export_gets_past_a_scan_of_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nhao.sync import bundle, crypto

    _refuse_first(monkeypatch, 1)
    out = tmp_path / "goi.nhao"
    content = bundle.BundleContent({"bundle_id": "x"}, [b"{}"])
    bundle.write_bundle(out, content, signer=crypto.KeyPair.generate())
    assert bundle.peek_manifest(out) is not None
    assert list(tmp_path.iterdir()) == [out]
