"""A freshly initialised commune station on a real SQLite file."""

from __future__ import annotations

import pytest

from nhao.models.database import Database
from nhao.services import setup, units, users
from nhao.services.actor import Actor

COMMUNE = "06112"  # Xã Bình Gia, Lạng Sơn


@pytest.fixture
def admin(db: Database) -> Actor:
    setup.initialize(db, unit_code=COMMUNE, admin_username="admin", admin_password="demo")
    actor = users.authenticate(db, "admin", "demo")
    units.add_hamlets(db, actor, ["Thôn Nà Pàn"])
    return actor


@pytest.fixture
def hamlet(db: Database, admin: Actor) -> units.UnitView:
    return units.list_hamlets(db)[0]
