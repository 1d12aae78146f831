"""Shared fixtures: real SQLite files in a temporary folder, never the user's data."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from nhao.config import resolve_database
from nhao.models.database import Database
from nhao.services import users
from nhao.sync import crypto

# Never touch the real data folder, whatever a test forgets to pass.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True, scope="session")
def _quick_password_work() -> Iterator[None]:
    """Passwords hashed and data keys wrapped as nhao does it, at a cost meant for tests.
    The suite signs in and unlocks station keys thousands of times, and argon2id at
    19 MiB or scrypt at n=2**15 takes a tenth of a second each time. Each hash and each
    wrap carries its own parameters, so what is written here reads back alike."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(users, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024))
        patch.setattr(crypto, "DEFAULT_KDF", dict(crypto.DEFAULT_KDF, n=2**10))
        yield


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = tmp_path_factory.mktemp("nhao-home")
    monkeypatch.setenv("NHAO_HOME", str(home))
    monkeypatch.delenv("NHAO_DB", raising=False)
    monkeypatch.delenv("NHAO_PASSWORD", raising=False)
    return home


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database file at the current schema, migrated once for the whole run:
    running every migration again for each of a thousand test databases took minutes.
    It holds no station, so copies of it are as separate as freshly migrated files."""
    path = tmp_path_factory.mktemp("template") / "migrated.sqlite"
    template = Database(resolve_database(path))
    template.open()
    template.dispose()
    return path


@pytest.fixture
def fresh_sqlite(migrated_sqlite: Path) -> Callable[[Path], Database]:
    """Makes an opened database file at a path, copied from the migrated template."""

    def make(path: Path) -> Database:
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(migrated_sqlite, path)
        database = Database(resolve_database(path))
        database.open()
        return database

    return make


@pytest.fixture
def db(tmp_path: Path, fresh_sqlite: Callable[[Path], Database]) -> Iterator[Database]:
    """An opened, migrated, empty database file."""
    database = fresh_sqlite(tmp_path / "nhao.sqlite")
    yield database
    database.dispose()


@pytest.fixture
def empty_server_url() -> Iterator[str]:
    """The URL of an empty database of its own on the PostgreSQL server of
    NHAO_TEST_PG_URL, dropped afterwards; skipped, saying why, without a server."""
    import uuid

    from sqlalchemy import create_engine, text

    base = os.environ.get("NHAO_TEST_PG_URL")
    if not base:
        pytest.skip("PostgreSQL: NHAO_TEST_PG_URL is not set (run .ci/start-postgres)")
    name = f"nhao_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
