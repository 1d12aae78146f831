"""Writing a bundle (or a receipt) file where Windows refuses to put it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nhao import files
from nhao.sync import bundle


def test_a_bundle_that_cannot_replace_the_old_one_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Windows will not replace a file another program holds open (the last bundle of
    # that name, attached in Zalo or opened in 7-Zip): the rename raises
    # PermissionError. The old file stays as it was, and no "X.nhao.partial" is left
    # on the USB stick beside it.
    out = tmp_path / "nhao-06112.nhao"
    out.write_bytes(b"old bundle")

    def refuse(source: Path, target: Path) -> None:
        raise PermissionError(13, "The process cannot access the file", str(source))

    monkeypatch.setattr(os, "replace", refuse)
    monkeypatch.setattr(files.time, "sleep", lambda _: None)  # tried again, held for good
    with pytest.raises(PermissionError):
        bundle.write_atomically(out, b"new bundle")
    assert out.read_bytes() == b"old bundle"
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]
