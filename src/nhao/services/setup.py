"""Making a new station: its unit, its identity, its first administrator."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from uuid6 import uuid7

from nhao.domain.enums import Role, UnitLevel
from nhao.domain.errors import ValidationError
from nhao.domain.hamlet_names import HamletIndex
from nhao.domain.text import nfc
from nhao.models import Station
from nhao.models.database import Database
from nhao.services import users
from nhao.services.actor import SYSTEM_ACTOR
from nhao.services.sync import keys
from nhao.services.unit_of_work import UnitOfWork, utcnow
from nhao.services.units import add_unit, new_hamlet_code, official_unit, station_info


@dataclass(frozen=True)
class InitResult:
    station_id: str
    unit_code: str
    unit_name: str
    admin: str


def is_initialized(db: Database) -> bool:
    if db.current_revision() is None:
        return False
    with db.session() as session:
        return session.scalar(select(Station.id).where(Station.is_self.is_(True))) is not None


def initialize(
    db: Database,
    *,
    unit_code: str,
    admin_username: str,
    admin_password: str,
    admin_full_name: str = "",
    hamlet_name: str | None = None,
    hamlet_code: str | None = None,
) -> InitResult:
    """Create the station for a commune (or a hamlet laptop of it) or a province office."""
    official = official_unit(unit_code)
    if hamlet_name is not None and official.level is not UnitLevel.commune:
        raise ValidationError(
            field="hamlet", message="Chỉ máy của một xã mới có thể là máy của thôn, xóm."
        )
    if is_initialized(db):
        raise ValidationError(field="unit", message="Cơ sở dữ liệu này đã được khởi tạo.")
    username = users.check_new_credentials(admin_username, admin_password)
    station_id = str(uuid7())
    if hamlet_code is not None and not (
        hamlet_name and hamlet_code.startswith(f"{official.code}-")
    ):
        raise ValidationError(
            field="hamlet", message=f"Mã thôn, xóm {hamlet_code} không thuộc xã {official.code}."
        )
    # One transaction: a refused admin leaves no half-made station behind.
    with db.transaction() as session:
        if hamlet_name and hamlet_code is None:
            hamlet_code = new_hamlet_code(session, official.code, hamlet_name)
        station = Station(
            id=station_id,
            unit_code=hamlet_code or official.code,
            is_self=True,
            created_at=utcnow(),
        )
        session.add(station)
        session.flush()
        uow = UnitOfWork(session, SYSTEM_ACTOR, station)
        if official.parent_code is not None:
            add_unit(
                uow, official.parent_code, official.parent_name or "", UnitLevel.province, None
            )
        add_unit(uow, official.code, official.name, official.level, official.parent_code)
        if hamlet_code and hamlet_name:
            add_unit(uow, hamlet_code, nfc(hamlet_name), UnitLevel.hamlet, official.code)
        users.insert_user(
            uow,
            username=username,
            password=admin_password,
            role=Role.admin,
            full_name=admin_full_name,
        )
    # The station signs its bundles from the start; the key is wrapped under the
    # administrator's password, so a copied data folder alone cannot sign.
    admin = users.authenticate(db, username, admin_password)
    keys.ensure_station_key(db, admin, admin_password)
    info = station_info(db)
    return InitResult(station_id, info.unit.code, info.unit.name, username)


def commune_hamlet(key_file: Path, commune: str, name: str) -> tuple[str, str]:
    """The hamlet `name` as the commune lists it in its key file: (code, name). A hamlet
    laptop set up with it is the same hamlet as the commune's, whatever the spelling
    ("Nà Pàn" for "Thôn Nà Pàn")."""
    doc = keys.read_key_file(key_file)
    if doc.get("unit") != commune:
        raise ValidationError(
            field="commune_key",
            message=f"Tệp khóa {key_file.name} là của đơn vị {doc.get('unit')}, "
            f"không phải của xã {commune}.",
        )
    pairs = doc.get("hamlets") if isinstance(doc.get("hamlets"), list) else []
    listed = [
        (code, name)
        for code, name in (p for p in pairs if isinstance(p, list) and len(p) == 2)
        if isinstance(code, str) and code.startswith(f"{commune}-") and isinstance(name, str)
    ]
    index = HamletIndex(listed)
    code = index.find(nfc(name))
    # The file holds the hamlets the commune had when it was written: one added since is
    # in the next file the commune writes.
    again = (
        "ở máy của xã, thêm thôn, xóm (nhao hamlets add, hoặc Cài đặt), rồi xuất lại tệp "
        "khóa (nhao keys export) và dùng tệp mới."
    )
    if code is None and not listed:
        raise ValidationError(
            field="hamlet",
            message=f"Tệp khóa {key_file.name} của xã {commune} chưa ghi thôn, xóm nào: "
            + again,
        )
    if code is None:
        raise ValidationError(
            field="hamlet",
            message=f"Tệp khóa {key_file.name} của xã {commune} không có thôn, xóm nào tên "
            f"“{name}” (các thôn có trong tệp: {index.known()}). Nếu đó là thôn mới, "
            + again,
        )
    return code, index.names[code]
