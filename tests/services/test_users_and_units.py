"""Users and sign-in; the station's units and hamlets."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from nhao.domain.enums import Role, UnitLevel
from nhao.domain.errors import ValidationError
from nhao.models import User
from nhao.services import setup, units, users
from nhao.services.errors import AuthenticationFailed, NotFound, PermissionDenied


def test_authenticate_with_argon2(db, admin) -> None:
    assert admin.role is Role.admin
    with pytest.raises(AuthenticationFailed, match="không đúng"):
        users.authenticate(db, "admin", "wrong")
    with pytest.raises(AuthenticationFailed, match="không đúng"):
        users.authenticate(db, "nobody", "demo")
    with db.session() as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "admin"))
    assert stored.startswith("$argon2id$") and "demo" not in stored


def test_only_admins_manage_users_and_leaders_need_a_hamlet(db, admin, hamlet) -> None:
    with pytest.raises(ValidationError, match="thôn"):
        users.create_user(db, admin, username="tt", password="demo", role=Role.team_leader)
    users.create_user(db, admin, username="xem", password="demo", role=Role.viewer)
    viewer = users.authenticate(db, "xem", "demo")
    with pytest.raises(PermissionDenied):
        users.create_user(db, viewer, username="x2", password="demo", role=Role.admin)
    with pytest.raises(ValidationError, match="đã có"):
        users.create_user(db, admin, username="xem", password="demo", role=Role.viewer)


def test_station_knows_its_commune_and_province(db, admin) -> None:
    info = units.station_info(db)
    assert (info.unit.code, info.unit.name) == ("06112", "Xã Bình Gia")
    assert info.province is not None and info.province.code == "20"


def test_init_refuses_unknown_codes_and_leaves_nothing(db) -> None:
    with pytest.raises(ValidationError, match="99999"):
        setup.initialize(db, unit_code="99999", admin_username="a", admin_password="demo")
    with pytest.raises(ValidationError, match="Mật khẩu"):
        setup.initialize(db, unit_code="06112", admin_username="a", admin_password="x")
    assert not setup.is_initialized(db)


def test_hamlet_laptop_and_province_office(tmp_path) -> None:
    from nhao.config import resolve_database
    from nhao.models.database import Database

    hamlet_db = Database(resolve_database(tmp_path / "h.sqlite"))
    hamlet_db.open()
    setup.initialize(
        hamlet_db, unit_code="06112", hamlet_name="Thôn Nà Pàn", admin_username="a",
        admin_password="demo",
    )
    info = units.station_info(hamlet_db)
    assert info.unit.level is UnitLevel.hamlet and info.commune.code == "06112"
    hamlet_db.dispose()
    province_db = Database(resolve_database(tmp_path / "p.sqlite"))
    province_db.open()
    setup.initialize(province_db, unit_code="20", admin_username="a", admin_password="demo")
    assert units.station_info(province_db).unit.level is UnitLevel.province
    province_db.dispose()


def test_hamlets_add_rename_and_refuse_duplicates(db, admin, hamlet) -> None:
    units.add_hamlets(db, admin, ["Bản Khuổi Hẩu", "Pác Làng"])
    with pytest.raises(ValidationError, match="đã có"):
        units.add_hamlets(db, admin, ["ban khuoi hau"])
    renamed = units.rename_hamlet(db, admin, "pac lang", "Thôn Pác Làng")
    assert renamed.name == "Thôn Pác Làng"
    names = [h.name for h in units.list_hamlets(db)]
    assert names == ["Bản Khuổi Hẩu", "Thôn Nà Pàn", "Thôn Pác Làng"]
    with pytest.raises(NotFound, match="Thôn Nà Pàn"):
        units.rename_hamlet(db, admin, "Không Có", "X")
    # Named as `init --hamlet` and `bundle export --to` take it, without its "Thôn".
    assert units.rename_hamlet(db, admin, "Nà Pàn", "Thôn Nà Pàn Trên").name == "Thôn Nà Pàn Trên"
