"""A real window on a real database file, offscreen, with scripted dialogs and an
inline task runner so tests are deterministic."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nhao.domain.enums import Category, Role, Sex
from nhao.models.database import Database
from nhao.services import households as hh
from nhao.services import setup, units, users
from nhao.ui.context import AppContext
from nhao.ui.prompts import ScriptedPrompts
from nhao.ui.task_runner import InlineTaskRunner

COMMUNE = "06112"
HAMLETS = ["Thôn Nà Pàn", "Bản Khuổi Hẩu", "Thôn Pác Làng"]
PEOPLE = [
    ("Hoàng Văn Páo", "Tày", 1975, Sex.male, Category.poor, 0),
    ("Lý Thị Mẩy", "Dao", 1982, Sex.female, Category.near_poor, 0),
    ("Giàng A Dình", "Mông", 1990, Sex.male, Category.poor, 1),
    ("Nguyễn Văn Ấn", "Kinh", 1968, Sex.male, Category.revolutionary_merit, 2),
    ("Nông Thị Hoa", "Nùng", 1979, Sex.female, Category.poor, 2),
]


@pytest.fixture
def ui_db(tmp_path: Path, fresh_sqlite) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    database = fresh_sqlite(tmp_path / "ui.sqlite")
    setup.initialize(database, unit_code=COMMUNE, admin_username="admin", admin_password="demo")
    admin = users.authenticate(database, "admin", "demo")
    hamlets = units.add_hamlets(database, admin, HAMLETS)
    users.create_user(
        database, admin, username="totruong", password="demo", role=Role.team_leader,
        hamlet_code=hamlets[0].code,
    )
    users.create_user(database, admin, username="xem", password="demo", role=Role.viewer)
    for name, ethnicity, year, sex, category, hamlet_index in PEOPLE:
        hh.create_household(
            database,
            admin,
            hh.HouseholdInput(
                hamlet_code=hamlets[hamlet_index].code,
                head_name=name,
                ethnicity=ethnicity,
                birth_year=year,
                sex=sex,
                categories=frozenset({category}),
                members=4,
            ),
        )
    yield database
    database.dispose()


def make_ctx(db: Database, username: str = "admin") -> AppContext:
    return AppContext(
        db=db,
        actor=users.authenticate(db, username, "demo"),
        station=units.station_info(db),
        runner=InlineTaskRunner(),
        prompts=ScriptedPrompts(),
    )


@pytest.fixture
def ctx(ui_db: Database, qapp) -> AppContext:  # type: ignore[no-untyped-def]
    return make_ctx(ui_db)


@pytest.fixture
def viewer_ctx(ui_db: Database, qapp) -> AppContext:  # type: ignore[no-untyped-def]
    return make_ctx(ui_db, "xem")
