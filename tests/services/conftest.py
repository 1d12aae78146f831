"""A freshly initialised commune station on a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nhao.config import resolve_database
from nhao.models.database import Database
from nhao.services import setup, units, users
from nhao.services.actor import Actor

COMMUNE = "06112"  # Xã Bình Gia, Lạng Sơn


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(resolve_database(tmp_path / "nhao.sqlite"))
    database.open()
    yield database
    database.dispose()


@pytest.fixture
def admin(db: Database) -> Actor:
    setup.initialize(db, unit_code=COMMUNE, admin_username="admin", admin_password="demo")
    actor = users.authenticate(db, "admin", "demo")
    units.add_hamlets(db, actor, ["Thôn Nà Pàn"])
    return actor


@pytest.fixture
def hamlet(db: Database, admin: Actor) -> units.UnitView:
    return units.list_hamlets(db)[0]
