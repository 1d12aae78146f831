"""Shared fixtures: real SQLite files in a temporary folder, never the user's data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from nhao.config import resolve_database
from nhao.models.database import Database

# Never touch the real data folder, whatever a test forgets to pass.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = tmp_path_factory.mktemp("nhao-home")
    monkeypatch.setenv("NHAO_HOME", str(home))
    monkeypatch.delenv("NHAO_DB", raising=False)
    monkeypatch.delenv("NHAO_PASSWORD", raising=False)
    return home


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """An opened, migrated, empty database file."""
    database = Database(resolve_database(tmp_path / "nhao.sqlite"))
    database.open()
    yield database
    database.dispose()
