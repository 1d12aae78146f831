"""The station's place in the administrative tree: official units from
vietnam-provinces, hamlets that users name themselves."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from vietnam_provinces import Province, ProvinceCode, Ward, WardCode

from nhao.domain.enums import UnitLevel
from nhao.domain.errors import ValidationError
from nhao.domain.hamlet_names import HamletIndex
from nhao.domain.official_units import official_name, province_name
from nhao.domain.text import fold, natural_key, nfc
from nhao.models import Unit
from nhao.models.database import Database
from nhao.models.sync import TrustedKey
from nhao.services.actor import Actor, Permission
from nhao.services.errors import NotFound
from nhao.services.unit_of_work import UnitOfWork, self_station, unit_of_work


@dataclass(frozen=True)
class OfficialUnit:
    code: str
    name: str
    level: UnitLevel
    parent_code: str | None
    parent_name: str | None


@dataclass(frozen=True)
class UnitView:
    code: str
    name: str
    level: UnitLevel
    parent_code: str | None


@dataclass(frozen=True)
class StationInfo:
    station_id: str
    unit: UnitView
    commune: UnitView | None
    province: UnitView | None


def official_unit(code: str) -> OfficialUnit:
    """A province (2 digits) or commune/ward (5 digits) code of Decision 19/2025/QĐ-TTg."""
    text = code.strip()
    if not text.isdigit() or len(text) not in (2, 5):
        raise ValidationError(
            field="unit",
            message=f"Mã đơn vị {code!r} không hợp lệ: cần mã tỉnh 2 chữ số hoặc mã xã 5 chữ số.",
        )
    try:
        if len(text) == 2:
            province = Province.from_code(ProvinceCode(int(text)))
            return OfficialUnit(text, province_name(province), UnitLevel.province, None, None)
        ward = Ward.from_code(WardCode(int(text)))
    except ValueError:
        raise ValidationError(
            field="unit", message=f"Không có đơn vị hành chính nào mang mã {text}."
        ) from None
    province = Province.from_code(ward.province_code)
    return OfficialUnit(
        text,
        ward.name,
        UnitLevel.commune,
        f"{int(ward.province_code):02d}",
        province_name(province),
    )


def _view(unit: Unit) -> UnitView:
    return UnitView(unit.code, unit.name, UnitLevel(unit.level), unit.parent_code)


# Fixed for good: unit ids are made from it.
_UNIT_IDS = uuid.UUID("5e1f4d0e-6b1c-4c1e-9a57-2f0c3b7a9d11")


def unit_id(code: str) -> uuid.UUID:
    """Every station that makes a unit (the commune office listing a hamlet, the
    hamlet's own laptop) makes the same record, so edits to it merge as edits."""
    return uuid.uuid5(_UNIT_IDS, code)


def add_unit(
    uow: UnitOfWork, code: str, name: str, level: UnitLevel, parent_code: str | None
) -> Unit:
    return uow.insert(
        Unit(
            id=unit_id(code),
            unit_code=parent_code or code,
            code=code,
            name=nfc(name),
            name_key=fold(name),
            level=level.value,
            parent_code=parent_code,
        ),
        summary=f"Thêm đơn vị {nfc(name)}",
    )


def station_info(db: Database) -> StationInfo:
    with db.session() as session:
        station = self_station(session)
        units = {u.code: u for u in session.scalars(select(Unit).where(Unit.deleted_at.is_(None)))}
        unit = units[station.unit_code]
        chain = [unit]
        while chain[-1].parent_code in units:
            chain.append(units[chain[-1].parent_code])
        by_level = {UnitLevel(u.level): _view(u) for u in chain}
        return StationInfo(
            station_id=station.id,
            unit=_view(unit),
            commune=by_level.get(UnitLevel.commune),
            province=by_level.get(UnitLevel.province),
        )


def commune_code(db: Database) -> str:
    info = station_info(db)
    if info.commune is None:
        raise ValidationError(
            field="unit", message="Máy này không thuộc một xã nên không có thôn, xóm."
        )
    return info.commune.code


def list_hamlets(db: Database, commune: str | None = None) -> list[UnitView]:
    """The hamlets of this station's commune, or of `commune` (a district or province
    office lists those of the commune chosen)."""
    commune = commune or commune_code(db)
    with db.session() as session:
        rows = session.scalars(
            select(Unit)
            .where(
                Unit.parent_code == commune,
                Unit.level == UnitLevel.hamlet.value,
                Unit.deleted_at.is_(None),
            )
        )
        return sorted((_view(u) for u in rows), key=lambda u: natural_key(u.name))


def list_communes(db: Database) -> list[UnitView]:
    """The communes this station knows of, below it (a district or province office: those
    whose bundles came in)."""
    info = station_info(db)
    if info.unit.level not in (UnitLevel.district, UnitLevel.province):
        return []
    with db.session() as session:
        rows = session.scalars(
            select(Unit)
            .where(Unit.level == UnitLevel.commune.value, Unit.deleted_at.is_(None))
            .order_by(Unit.name_key)
        )
        return [_view(u) for u in rows]


def hamlet_named(db: Database, name: str) -> UnitView:
    """The commune's hamlet called `name` (case, diacritics and "Thôn" aside, as an
    imported list finds it) or coded `name`."""
    hamlets = {h.code: h for h in list_hamlets(db)}
    index = HamletIndex((code, h.name) for code, h in hamlets.items())
    code = name.strip() if name.strip() in hamlets else index.find(name)
    if code is not None:
        return hamlets[code]
    known = ", ".join(h.name for h in hamlets.values()) or "chưa có thôn, xóm nào"
    raise ValidationError(
        field="hamlet", message=f"Xã không có thôn, xóm “{nfc(name)}” (các thôn, xóm: {known})."
    )


def unit_code_named(db: Database, text: str) -> str:
    """The unit coded `text`, or a unit whose key is trusted here named so, or else this
    commune's hamlet called so: a hamlet has no official code for people to type
    (`bundle export --to`)."""
    with db.session() as session:
        if known_unit(session, text.strip()):
            return text.strip()
        # The units whose keys are trusted here: the parent, and the children a bundle
        # goes down to. People write them as they know them ("Tỉnh Lạng Sơn").
        trusted = session.scalars(
            select(TrustedKey.unit_code).where(TrustedKey.revoked_from.is_(None)).distinct()
        )
        recipients = {
            code: session.scalar(select(Unit.name).where(Unit.code == code))
            or official_name(code)
            or code
            for code in trusted
        }
    info = station_info(db)
    if info.unit.level is UnitLevel.hamlet and info.commune is not None:
        # The hamlets this laptop knows are its own: a list of them answers nothing.
        raise ValidationError(
            field="to",
            message=f"Máy này là máy của {info.unit.name}: gói chỉ gửi lên {info.commune.name} "
            f"(--to {info.commune.code}), không gửi đến “{nfc(text)}”.",
        )
    # The level word dropped from the unit's name, not from what was typed: "Tịnh Khê"
    # typed alone begins as "tỉnh" does, and is the name of "Xã Tịnh Khê", not "Xã Khê".
    wanted = fold(text)
    named = [code for code, name in recipients.items() if wanted in _named_as(name)]
    if len(named) > 1:  # "Xã Sơn Hà" and "Xã Sơn Hạ" fold alike: the marks typed tell
        written = _marked(text)
        named = [c for c in named if written in _named_as(recipients[c], key=_marked)] or named
    if len(named) == 1 and info.unit.level is UnitLevel.commune:
        # A hamlet of the commune may bear the province's name ("Thôn Lạng Sơn"): a
        # bundle meant for it went up, sealed to the province, unsaid.
        try:
            hamlet = hamlet_named(db, text)
        except ValidationError:
            hamlet = None
        if hamlet is not None and hamlet.code != named[0]:
            raise ValidationError(
                field="to",
                message=f"“{nfc(text)}” là tên của cả {recipients[named[0]]} (--to {named[0]}) "
                f"và {hamlet.name} (--to {hamlet.code}); hãy ghi mã đơn vị.",
            )
    if len(named) == 1:
        return named[0]
    if info.unit.level is not UnitLevel.commune:
        if named:
            alike = ", ".join(f"{recipients[code]} (--to {code})" for code in sorted(named))
            raise ValidationError(
                field="to",
                message=f"Có {len(named)} đơn vị nhận tên “{nfc(text)}”: {alike}; hãy ghi mã "
                "đơn vị.",
            )
        sendable = ", ".join(f"{name} (--to {code})" for code, name in sorted(recipients.items()))
        raise ValidationError(
            field="to",
            message=f"Không có đơn vị nhận “{nfc(text)}”: máy này gửi gói được cho "
            f"{sendable or 'đơn vị đã tin cậy khóa (nhao keys trust)'}; hãy ghi mã đơn vị.",
        )
    try:
        return hamlet_named(db, text).code
    except ValidationError as error:
        above = ", ".join(  # the hamlets are in the message already
            f"{name} (--to {code})"
            for code, name in sorted(recipients.items())
            if not code.startswith(f"{info.unit.code}-")
        )
        if not above:
            raise
        raise ValidationError(
            field="to", message=f"{error.message[:-1]}; hoặc gửi lên {above}."
        ) from None


_LEVEL_WORDS = ("thanh pho ", "thi tran ", "thi xa ", "dac khu ", "xa ", "phuong ", "tinh ")


def _named_as(name: str, key: Callable[[str], str] = fold) -> set[str]:
    """ "Xã Bình Gia" as people type it: "xa binh gia", or "binh gia" without the level
    (by `key`, "xã bình gia" or "bình gia" with _marked)."""
    keyed = key(name)
    level = next((len(w) for w in _LEVEL_WORDS if fold(keyed).startswith(w)), 0)
    return {keyed, keyed[level:]}


def _marked(name: str) -> str:
    """Lower case and single spaces, the marks kept: "Sơn Hà" is not "Sơn Hạ"."""
    return " ".join(nfc(name).lower().split())


def known_unit(session: Session, code: str) -> bool:
    """Listed here, or named by a trusted key: a province trusts a commune's key before
    any bundle of it brings the commune's row."""
    if session.scalar(select(Unit.code).where(Unit.code == code)) is not None:
        return True
    return session.scalar(select(TrustedKey.key_id).where(TrustedKey.unit_code == code)) is not None


def new_hamlet_code(session: Session, commune: str, name: str) -> str:
    """Hamlets have no national code. The code is made from the commune and the folded
    name, so the commune office listing "Thôn Nà Pàn" and the hamlet's own laptop set
    up as "thon na pan" name the same hamlet, and its records meet at the commune
    instead of under two hamlets of one name. A code taken already (the name was
    given to another hamlet, since renamed) gets a random one instead."""
    derived = f"{commune}-{hashlib.sha256(fold(name).encode()).hexdigest()[:8]}"
    if session.scalar(select(Unit.id).where(Unit.code == derived)) is None:
        return derived
    return f"{commune}-{uuid.uuid4().hex[:8]}"


HAMLET_NAME_LIMIT = Unit.__table__.c.name.type.length  # type: ignore[attr-defined]


def hamlet_name_problem(name: str) -> str | None:
    """Why a hamlet cannot be called ``name`` (NFC), or None."""
    if not name:
        return "Tên thôn, xóm không được để trống."
    if len(name) > HAMLET_NAME_LIMIT:
        return f"Tên thôn, xóm dài quá {HAMLET_NAME_LIMIT} ký tự (đang có {len(name)})."
    return None


def add_hamlet(uow: UnitOfWork, commune: str, name: str) -> Unit:
    """A new hamlet of the commune, under the code new_hamlet_code gives its name."""
    return add_unit(
        uow, new_hamlet_code(uow.session, commune, name), name, UnitLevel.hamlet, commune
    )


def add_hamlets(db: Database, actor: Actor, names: list[str]) -> list[UnitView]:
    actor.require(Permission.manage_units)
    refuse_on_hamlet_laptop(db)
    commune = commune_code(db)
    clean = [nfc(n) for n in names]
    for name in clean:
        if problem := hamlet_name_problem(name):
            raise ValidationError(field="name", message=problem)
    with unit_of_work(db, actor) as uow:
        existing = set(
            uow.session.scalars(
                select(Unit.name_key).where(Unit.parent_code == commune, Unit.deleted_at.is_(None))
            )
        )
        added = []
        for name in clean:
            if fold(name) in existing:
                raise ValidationError(field="name", message=f"Xã đã có thôn, xóm tên {name}.")
            existing.add(fold(name))
            unit = add_hamlet(uow, commune, name)
            added.append(_view(unit))
        return added


# Said after "Máy này là máy của Thôn …" (refuse_on_hamlet_laptop).
_NEW_HAMLETS = ", chỉ giữ hộ của thôn đó: thôn, xóm mới do văn phòng xã thêm ở máy của xã."
# Names are the commune's to set: the commune refuses a rename from below, and the
# laptop would show a name no one else uses.
_RENAMES = (
    ": tên thôn, xóm do văn phòng xã đặt ở máy của xã, máy của thôn không đổi được; nếu "
    "tên cần sửa, hãy báo xã."
)


def refuse_on_hamlet_laptop(db: Database, why: str = _NEW_HAMLETS) -> None:
    """A hamlet's laptop keeps that hamlet alone: another hamlet made there, and its
    households, lie outside what the commune takes from it, and every bundle of the
    laptop that carries them is refused whole. ``why``: what the commune does instead."""
    unit = station_info(db).unit
    if unit.level is UnitLevel.hamlet:
        raise ValidationError(field="name", message=f"Máy này là máy của {unit.name}{why}")


def find_hamlet(session, commune: str, name: str) -> Unit | None:  # type: ignore[no-untyped-def]
    return session.scalar(
        select(Unit).where(
            Unit.parent_code == commune,
            Unit.level == UnitLevel.hamlet.value,
            Unit.name_key == fold(name),
            Unit.deleted_at.is_(None),
        )
    )


def rename_hamlet(db: Database, actor: Actor, old: str, new: str) -> UnitView:
    actor.require(Permission.manage_units)
    refuse_on_hamlet_laptop(db, _RENAMES)
    commune = commune_code(db)
    new = nfc(new)
    if not new:
        raise ValidationError(field="name", message="Tên thôn, xóm mới không được để trống.")
    if problem := hamlet_name_problem(new):
        raise ValidationError(field="name", message=problem)
    try:  # named as everywhere else: "Nà Pàn" for "Thôn Nà Pàn", or by its code
        code = hamlet_named(db, old).code
    except ValidationError as error:
        raise NotFound(error.message) from None
    with unit_of_work(db, actor) as uow:
        unit = uow.session.scalars(select(Unit).where(Unit.code == code)).one()
        clash = find_hamlet(uow.session, commune, new)
        if clash is not None and clash.id != unit.id:
            raise ValidationError(field="name", message=f"Xã đã có thôn, xóm tên {new}.")
        uow.update(unit, {"name": new, "name_key": fold(new)}, summary=f"Đổi tên {old} → {new}")
        return _view(unit)


def hamlet_names(db: Database) -> dict[str, str]:
    """Hamlet code → name, for display."""
    with db.session() as session:
        rows = session.execute(
            select(Unit.code, Unit.name).where(Unit.level == UnitLevel.hamlet.value)
        )
        return {code: name for code, name in rows}
