"""Households: create, update, soft delete, look up, list with search and filters."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime

from sqlalchemy import Select, exists, func, or_, select

from nhao.domain.citizen_id import check_citizen_id
from nhao.domain.enums import CaseStatus, Category, HouseClass, Need, Sex, UnitLevel
from nhao.domain.errors import ValidationError
from nhao.domain.text import fold, nfc
from nhao.models import Household, SupportCase, Unit
from nhao.models.database import Database
from nhao.services.actor import Actor, Permission
from nhao.services.errors import NotFound
from nhao.services.unit_of_work import UnitOfWork, unit_of_work

CATEGORY_COLUMNS: dict[Category, str] = {
    Category.poor: "is_poor",
    Category.near_poor: "is_near_poor",
    Category.revolutionary_merit: "is_revolutionary_merit",
    Category.policy_family: "is_policy_family",
    Category.disaster_hit: "is_disaster_hit",
    Category.other_hardship: "is_other_hardship",
}
MAX_MEMBERS = 50
OLDEST_BIRTH_YEAR = 1900


@dataclass(frozen=True)
class HouseholdInput:
    """What a person types into the household form (or a row of a spreadsheet)."""

    hamlet_code: str
    head_name: str
    citizen_id: str = ""
    birth_year: int | None = None
    sex: Sex | None = None
    ethnicity: str = ""
    phone: str = ""
    address: str = ""
    categories: frozenset[Category] = frozenset()
    poverty_list_year: int | None = None
    members: int = 1
    lawful_land_use: bool = True
    land_certificate: bool = False
    land_dispute: bool = False
    hazard_zone: bool = False
    certified_able_to_build: bool = False
    notes: str = ""


@dataclass(frozen=True)
class FormCheck:
    """Per-field errors (block saving) and warnings (shown, saving allowed)."""

    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def check_household(data: HouseholdInput, today: date | None = None) -> FormCheck:
    """Validate a household form; the same rules whether typed or imported."""
    errors: dict[str, str] = {}
    warnings: dict[str, str] = {}
    this_year = (today or date.today()).year
    if not nfc(data.head_name):
        errors["head_name"] = "Hãy nhập họ tên chủ hộ."
    if not data.hamlet_code:
        errors["hamlet_code"] = "Hãy chọn thôn, xóm."
    if data.birth_year is not None and not OLDEST_BIRTH_YEAR <= data.birth_year <= this_year:
        errors["birth_year"] = f"Năm sinh phải từ {OLDEST_BIRTH_YEAR} đến {this_year}."
    if not 1 <= data.members <= MAX_MEMBERS:
        errors["members"] = f"Số nhân khẩu phải từ 1 đến {MAX_MEMBERS}."
    if data.poverty_list_year is not None and not 2000 <= data.poverty_list_year <= this_year + 1:
        errors["poverty_list_year"] = "Năm của danh sách hộ nghèo không hợp lệ."
    if data.citizen_id.strip():
        result = check_citizen_id(data.citizen_id, data.birth_year, data.sex)
        if result.errors:
            errors["citizen_id"] = " ".join(result.errors)
        elif result.warnings:
            warnings["citizen_id"] = " ".join(result.warnings)
    phone = "".join(ch for ch in data.phone if ch.isdigit() or ch == "+")
    if data.phone.strip() and not (
        (phone.startswith("0") and len(phone) == 10)
        or (phone.startswith("+84") and len(phone) == 12)
    ):
        errors["phone"] = "Số điện thoại phải có 10 chữ số, bắt đầu bằng 0 (hoặc +84)."
    if not data.categories:
        warnings["categories"] = "Hộ chưa thuộc diện nào (nghèo, cận nghèo, có công, ...)."
    if data.land_dispute:
        warnings["land_dispute"] = "Đất đang tranh chấp: hộ chưa đủ điều kiện hỗ trợ."
    if data.hazard_zone:
        warnings["hazard_zone"] = "Nhà ở vùng nguy cơ sạt lở: cần bố trí nơi ở khác."
    return FormCheck(errors, warnings)


@dataclass(frozen=True)
class HouseholdView:
    id: str
    hamlet_code: str
    hamlet_name: str
    head_name: str
    citizen_id: str
    citizen_id_kind: str | None
    birth_year: int | None
    sex: Sex | None
    ethnicity: str
    phone: str
    address: str
    categories: frozenset[Category]
    poverty_list_year: int | None
    members: int
    lawful_land_use: bool
    land_certificate: bool
    land_dispute: bool
    hazard_zone: bool
    certified_able_to_build: bool
    notes: str
    house_class: HouseClass | None
    need: Need | None
    case_status: CaseStatus | None
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None

    def as_input(self) -> HouseholdInput:
        names = {f.name for f in fields(HouseholdInput)} - {"hamlet_code"}
        return HouseholdInput(hamlet_code=self.hamlet_code, **{n: getattr(self, n) for n in names})


def _categories(row: Household) -> frozenset[Category]:
    return frozenset(c for c, col in CATEGORY_COLUMNS.items() if getattr(row, col))


def _view(row: Household, hamlet_name: str, case_status: str | None) -> HouseholdView:
    return HouseholdView(
        id=str(row.id),
        hamlet_code=row.unit_code,
        hamlet_name=hamlet_name,
        head_name=row.head_name,
        citizen_id=row.citizen_id or "",
        citizen_id_kind=row.citizen_id_kind,
        birth_year=row.birth_year,
        sex=Sex(row.sex) if row.sex else None,
        ethnicity=row.ethnicity,
        phone=row.phone,
        address=row.address,
        categories=_categories(row),
        poverty_list_year=row.poverty_list_year,
        members=row.members,
        lawful_land_use=row.lawful_land_use,
        land_certificate=row.land_certificate,
        land_dispute=row.land_dispute,
        hazard_zone=row.hazard_zone,
        certified_able_to_build=row.certified_able_to_build,
        notes=row.notes,
        house_class=HouseClass(row.latest_house_class) if row.latest_house_class else None,
        need=Need(row.latest_need) if row.latest_need else None,
        case_status=CaseStatus(case_status) if case_status else None,
        created_at=row.created_at,
        updated_at=row.updated_at,
        deleted_at=row.deleted_at,
    )


def household_columns(data: HouseholdInput) -> dict[str, object]:
    """Form data → column values, normalised (NFC, folded key, ID without separators)."""
    id_check = (
        check_citizen_id(data.citizen_id, data.birth_year, data.sex)
        if data.citizen_id.strip()
        else None
    )
    values: dict[str, object] = {
        "unit_code": data.hamlet_code,
        "head_name": nfc(data.head_name),
        "head_name_key": fold(data.head_name),
        "citizen_id": id_check.normalized if id_check else None,
        "citizen_id_kind": str(id_check.kind) if id_check and id_check.kind else None,
        "birth_year": data.birth_year,
        "sex": data.sex.value if data.sex else None,
        "ethnicity": nfc(data.ethnicity),
        "phone": nfc(data.phone),
        "address": nfc(data.address),
        "poverty_list_year": data.poverty_list_year,
        "members": data.members,
        "lawful_land_use": data.lawful_land_use,
        "land_certificate": data.land_certificate,
        "land_dispute": data.land_dispute,
        "hazard_zone": data.hazard_zone,
        "certified_able_to_build": data.certified_able_to_build,
        "notes": nfc(data.notes) if data.notes.strip() else "",
    }
    for category, column in CATEGORY_COLUMNS.items():
        values[column] = category in data.categories
    return values


def _require_valid(data: HouseholdInput) -> None:
    check = check_household(data)
    if check.errors:
        name, message = next(iter(check.errors.items()))
        raise ValidationError(message=message, field=name)


def _hamlet(session, code: str) -> Unit:  # type: ignore[no-untyped-def]
    hamlet = session.scalar(
        select(Unit).where(
            Unit.code == code, Unit.level == UnitLevel.hamlet.value, Unit.deleted_at.is_(None)
        )
    )
    if hamlet is None:
        raise ValidationError(message="Thôn, xóm đã chọn không có trong xã.", field="hamlet_code")
    return hamlet


def _latest_case_status():  # type: ignore[no-untyped-def]
    return (
        select(SupportCase.status)
        .where(SupportCase.household_id == Household.id, SupportCase.deleted_at.is_(None))
        .order_by(SupportCase.created_at.desc())
        .limit(1)
        .scalar_subquery()
    )


def insert_household(uow: UnitOfWork, data: HouseholdInput) -> Household:
    """Validate and insert inside an open unit of work (imports and the demo batch
    many households into one transaction)."""
    uow.actor.require(Permission.write_households)
    uow.actor.require_unit(data.hamlet_code)
    _require_valid(data)
    return uow.insert(
        Household(**household_columns(data)), summary=f"Thêm hộ {nfc(data.head_name)}"
    )


def create_household(db: Database, actor: Actor, data: HouseholdInput) -> HouseholdView:
    actor.require(Permission.write_households)
    actor.require_unit(data.hamlet_code)
    _require_valid(data)
    with unit_of_work(db, actor) as uow:
        hamlet = _hamlet(uow.session, data.hamlet_code)
        row = insert_household(uow, data)
        return _view(row, hamlet.name, None)


def load_household(session, household_id: str, actor: Actor) -> Household:  # type: ignore[no-untyped-def]
    try:
        key = uuid.UUID(str(household_id))
    except ValueError:
        raise NotFound(f"Không tìm thấy hộ {household_id}.") from None
    row = session.get(Household, key)
    if row is None:
        raise NotFound(f"Không tìm thấy hộ {household_id}.")
    actor.require_unit(row.unit_code)
    return row


def update_household(
    db: Database, actor: Actor, household_id: str, data: HouseholdInput
) -> HouseholdView:
    actor.require(Permission.write_households)
    actor.require_unit(data.hamlet_code)
    _require_valid(data)
    with unit_of_work(db, actor) as uow:
        row = load_household(uow.session, household_id, actor)
        if row.deleted_at is not None:
            raise ValidationError(message="Hộ này đã bị xóa, không sửa được.", field=None)
        hamlet = _hamlet(uow.session, data.hamlet_code)
        uow.update(row, household_columns(data), summary=f"Sửa hộ {row.head_name}")
        status = uow.session.scalar(select(_latest_case_status()).where(Household.id == row.id))
        return _view(row, hamlet.name, status)


def delete_household(db: Database, actor: Actor, household_id: str, reason: str) -> None:
    """Soft delete: the row stays, marked with when and why."""
    actor.require(Permission.write_households)
    reason = nfc(reason)
    if not reason:
        raise ValidationError(message="Hãy ghi lý do xóa hộ.", field="reason")
    with unit_of_work(db, actor) as uow:
        row = load_household(uow.session, household_id, actor)
        if row.deleted_at is None:
            uow.soft_delete(row, reason, summary=f"Xóa hộ {row.head_name}: {reason}")


def get_household(db: Database, actor: Actor, household_id: str) -> HouseholdView:
    actor.require(Permission.read_households)
    with db.session() as session:
        row = load_household(session, household_id, actor)
        name = session.scalar(select(Unit.name).where(Unit.code == row.unit_code)) or ""
        status = session.scalar(select(_latest_case_status()).where(Household.id == row.id))
        return _view(row, name, status)


# -- listing ------------------------------------------------------------------

SORTABLE = {
    "head_name": Household.head_name_key,
    "hamlet": Unit.name_key,
    "birth_year": Household.birth_year,
    "members": Household.members,
    "house_class": Household.latest_house_class,
    "need": Household.latest_need,
    "updated_at": Household.updated_at,
    "citizen_id": Household.citizen_id,
}


@dataclass(frozen=True)
class HouseholdQuery:
    search: str = ""
    hamlet_code: str | None = None
    category: Category | None = None
    house_class: HouseClass | None = None
    need: Need | None = None
    case_status: CaseStatus | None = None
    include_deleted: bool = False
    order_by: str = "head_name"
    descending: bool = False

    def with_search(self, text: str) -> HouseholdQuery:
        return replace(self, search=text)


def _filtered(actor: Actor, query: HouseholdQuery) -> Select:  # type: ignore[type-arg]
    stmt = select(Household).join(Unit, Unit.code == Household.unit_code)
    if not query.include_deleted:
        stmt = stmt.where(Household.deleted_at.is_(None))
    if actor.hamlet_code and actor.role.value == "team_leader":
        stmt = stmt.where(Household.unit_code == actor.hamlet_code)
    if query.hamlet_code:
        stmt = stmt.where(Household.unit_code == query.hamlet_code)
    if query.category:
        stmt = stmt.where(getattr(Household, CATEGORY_COLUMNS[query.category]).is_(True))
    if query.house_class:
        stmt = stmt.where(Household.latest_house_class == query.house_class.value)
    if query.need:
        stmt = stmt.where(Household.latest_need == query.need.value)
    if query.case_status:
        stmt = stmt.where(
            exists().where(
                SupportCase.household_id == Household.id,
                SupportCase.deleted_at.is_(None),
                SupportCase.status == query.case_status.value,
            )
        )
    text = query.search.strip()
    if text:
        key = fold(text)
        digits = "".join(ch for ch in text if ch.isdigit())
        conditions = [Household.head_name_key.contains(key, autoescape=True)]
        if digits and len(digits) == len(text.replace(" ", "").replace(".", "")):
            conditions.append(Household.citizen_id.contains(digits, autoescape=True))
        stmt = stmt.where(or_(*conditions))
    return stmt


def count_households(db: Database, actor: Actor, query: HouseholdQuery) -> int:
    actor.require(Permission.read_households)
    stmt = _filtered(actor, query).with_only_columns(func.count(Household.id))
    with db.session() as session:
        return session.scalar(stmt) or 0


def list_households(
    db: Database, actor: Actor, query: HouseholdQuery, *, offset: int = 0, limit: int = 200
) -> list[HouseholdView]:
    """One page of households, filtered and sorted in SQL."""
    actor.require(Permission.read_households)
    order = SORTABLE.get(query.order_by, Household.head_name_key)
    order = order.desc() if query.descending else order.asc()
    stmt = (
        _filtered(actor, query)
        .add_columns(Unit.name, _latest_case_status())
        .order_by(order, Household.id)
        .offset(offset)
        .limit(limit)
    )
    with db.session() as session:
        return [_view(row, name, status) for row, name, status in session.execute(stmt)]
