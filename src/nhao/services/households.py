"""Households: create, update, soft delete, look up, list with search and filters."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import (
    Select,
    String,
    case,
    exists,
    func,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from nhao.domain.citizen_id import CitizenIdCheck, check_citizen_id
from nhao.domain.dates import FIRST_POVERTY_LIST_YEAR, OLDEST_BIRTH_YEAR
from nhao.domain.enums import (
    ENDED_WITHOUT_SUPPORT,
    CaseStatus,
    Category,
    HouseClass,
    Need,
    Sex,
    UnitLevel,
)
from nhao.domain.errors import DomainError, ValidationError
from nhao.domain.household_code import clean_household_code, derived_household_code
from nhao.domain.text import fold, nfc, nfc_lines, visible
from nhao.models import Attachment, Household, Payment, SupportCase, Unit, new_id
from nhao.models.database import Database
from nhao.services.actor import Actor, Permission
from nhao.services.errors import NotFound
from nhao.services.household_search import Search, search_plan
from nhao.services.unit_of_work import UnitOfWork, self_station, unit_of_work
from nhao.sync.pg_copy import in_batches

CATEGORY_COLUMNS: dict[Category, str] = {
    Category.poor: "is_poor",
    Category.near_poor: "is_near_poor",
    Category.revolutionary_merit: "is_revolutionary_merit",
    Category.policy_family: "is_policy_family",
    Category.disaster_hit: "is_disaster_hit",
    Category.other_hardship: "is_other_hardship",
}
MAX_MEMBERS = 50
# The columns' own lengths: SQLite would store a longer text, PostgreSQL (a province
# merging the commune's bundles) would refuse it.
TEXT_LIMITS = {
    name: (Household.__table__.c[name].type.length, label)  # type: ignore[attr-defined]
    for name, label in (
        ("head_name", "Họ tên chủ hộ"),
        ("ethnicity", "Dân tộc"),
        ("phone", "Số điện thoại"),
        ("address", "Địa chỉ"),
        ("household_code", "Mã hộ"),
    )
}
# Notes have no column limit, but the register exports them into one Excel cell,
# which holds 32,767 characters: a longer note would come back cut.
TEXT_LIMITS["notes"] = (32_767, "Ghi chú")


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
    # "Mã hộ": blank gives a new household the code derived from its id
    # (domain.household_code) and keeps an existing one's.
    household_code: str = ""


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
    if not nfc(visible(data.head_name)):
        errors["head_name"] = "Hãy nhập họ tên chủ hộ."
    for name, (limit, label) in TEXT_LIMITS.items():
        if len(value := getattr(data, name)) > limit:
            errors[name] = f"{label} dài quá {limit} ký tự (đang có {len(value)})."
    if not data.hamlet_code:
        errors["hamlet_code"] = "Hãy chọn thôn, xóm."
    if data.birth_year is not None and not OLDEST_BIRTH_YEAR <= data.birth_year <= this_year:
        errors["birth_year"] = f"Năm sinh phải từ {OLDEST_BIRTH_YEAR} đến {this_year}."
    if not 1 <= data.members <= MAX_MEMBERS:
        errors["members"] = f"Số nhân khẩu phải từ 1 đến {MAX_MEMBERS}."
    # Next year's list is made in the autumn before it.
    listed, first_list = data.poverty_list_year, FIRST_POVERTY_LIST_YEAR
    if listed is not None and not first_list <= listed <= this_year + 1:
        errors["poverty_list_year"] = (
            f"Năm của danh sách hộ nghèo phải từ {first_list} đến {this_year + 1}."
        )
    if data.citizen_id.strip():
        result = _citizen_id_check(data.citizen_id, data.birth_year, data.sex)
        if result.errors:
            errors["citizen_id"] = " ".join(result.errors)
        elif result.warnings:
            warnings["citizen_id"] = " ".join(result.warnings)
    if data.phone.strip():
        phone = _phone_digits(data.phone)
        if not (
            (phone.startswith("0") and len(phone) == 10)
            or (phone.startswith("+84") and len(phone) == 12)
        ):
            errors["phone"] = "Số điện thoại phải có 10 chữ số, bắt đầu bằng 0 (hoặc +84)."
    if not data.categories:
        warnings["categories"] = "Hộ chưa thuộc diện nào (nghèo, cận nghèo, có công, ...)."
    elif {Category.poor, Category.near_poor} <= data.categories:  # an x too many, as a rule
        warnings["categories"] = (
            "Hộ được ghi cả hộ nghèo và hộ cận nghèo, mà mỗi hộ chỉ thuộc một trong hai danh "
            "sách: đã ghi cả hai, hãy kiểm tra lại."
        )
    if data.land_dispute:
        warnings["land_dispute"] = "Đất đang tranh chấp: hộ chưa đủ điều kiện hỗ trợ."
    if data.hazard_zone:
        warnings["hazard_zone"] = "Nhà ở vùng nguy cơ sạt lở: cần bố trí nơi ở khác."
    return FormCheck(errors, warnings)


@lru_cache(maxsize=16, typed=True)
def _citizen_id_check(
    citizen_id: str, birth_year: int | None, sex: Sex | str | None
) -> CitizenIdCheck:
    """check_citizen_id, remembered a moment: a household is checked, then stored with
    what the check found (an import does that for every row)."""
    return check_citizen_id(citizen_id, birth_year, sex)  # type: ignore[arg-type]


_NOT_PHONE_ASCII = re.compile(r"[^0-9+]")


def _phone_digits(phone: str) -> str:
    """The digits and + of a phone number."""
    if phone.isascii():  # str.isdigit accepts other scripts' digits, ASCII has only 0-9
        return _NOT_PHONE_ASCII.sub("", phone)
    return "".join(ch for ch in phone if ch.isdigit() or ch == "+")


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
    # Above a commune (a district or province office): the commune of the hamlet, since
    # every commune has its "Thôn 1". Empty where the hamlet is one of this commune's.
    commune_name: str = ""
    household_code: str = ""  # "Mã hộ" (household_code_of); empty in lists

    def as_input(self) -> HouseholdInput:
        names = {f.name for f in fields(HouseholdInput)} - {"hamlet_code"}
        return HouseholdInput(hamlet_code=self.hamlet_code, **{n: getattr(self, n) for n in names})


def _categories(row: Household) -> frozenset[Category]:
    return frozenset(c for c, col in CATEGORY_COLUMNS.items() if getattr(row, col))


def household_code_of(row: Household) -> str:
    """The household's code: its own, or (made before codes were kept) the derived one."""
    return row.household_code or derived_household_code(row.id)


def stored_input(row: Household) -> HouseholdInput:
    """A stored household as the form would show it."""
    return _view(row, "", None).as_input()


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
        household_code=household_code_of(row),
    )


def household_columns(data: HouseholdInput) -> dict[str, object]:
    """Form data → column values, normalised (NFC, folded key, ID without separators)."""
    id_check = (
        _citizen_id_check(data.citizen_id, data.birth_year, data.sex)
        if data.citizen_id.strip()
        else None
    )
    # Stored as the import reads a cell: an invisible character is the space it looks
    # like, so the register imports back unchanged and a search finds the name.
    head_name = nfc(visible(data.head_name))
    values: dict[str, object] = {
        "unit_code": data.hamlet_code,
        "head_name": head_name,
        "head_name_key": fold(head_name),
        "citizen_id": id_check.normalized if id_check else None,
        "citizen_id_kind": str(id_check.kind) if id_check and id_check.kind else None,
        "birth_year": data.birth_year,
        "sex": data.sex.value if data.sex else None,
        "ethnicity": nfc(visible(data.ethnicity)),
        "phone": nfc(visible(data.phone)),
        "address": nfc(visible(data.address)),
        "poverty_list_year": data.poverty_list_year,
        "members": data.members,
        "lawful_land_use": data.lawful_land_use,
        "land_certificate": data.land_certificate,
        "land_dispute": data.land_dispute,
        "hazard_zone": data.hazard_zone,
        "certified_able_to_build": data.certified_able_to_build,
        "notes": nfc_lines(visible(data.notes)),
        # None: not given (with_household_code).
        "household_code": clean_household_code(data.household_code) or None,
    }
    for category, column in CATEGORY_COLUMNS.items():
        values[column] = category in data.categories
    return values


def with_household_code(values: dict[str, object]) -> dict[str, object]:
    """A new household's columns with its id and code: the code given, or the one
    derived from the id (so the id is chosen here, not when the row is written)."""
    if values.get("household_code"):
        return values
    record_id = values.get("id") or new_id()
    assert isinstance(record_id, uuid.UUID)
    return {**values, "id": record_id, "household_code": derived_household_code(record_id)}


def kept_household_code(values: dict[str, object]) -> dict[str, object]:
    """An update's columns: a blank code keeps the household's own (a code is never
    taken away: the lists that named the household by it would not find it again)."""
    if values.get("household_code"):
        return values
    return {k: v for k, v in values.items() if k != "household_code"}


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
        Household(**with_household_code(household_columns(data))),
        summary=f"Thêm hộ {nfc(data.head_name)}",
    )


def _refuse_listed_citizen_id(session, data: HouseholdInput, other_than=None) -> None:  # type: ignore[no-untyped-def]
    """One person heads one household: a citizen ID already on the register is the
    household typed in again (support twice is what the programme forbids). An import
    asks about such rows itself; the form gets this refusal, under the field."""
    citizen_id = household_columns(data)["citizen_id"]
    if not citizen_id:
        return
    stmt = (
        select(Household.head_name, Unit.name)
        .join(Unit, Unit.code == Household.unit_code)
        .where(Household.citizen_id == citizen_id, Household.deleted_at.is_(None))
        .limit(1)
    )
    if other_than is not None:
        stmt = stmt.where(Household.id != other_than)
    found = session.execute(stmt).first()
    if found is not None:
        raise ValidationError(
            message=f"Số CCCD này đã có ở hộ {found[0]} ({found[1]}). Hãy mở hộ đó thay vì "
            "thêm lần nữa, hoặc kiểm tra lại số.",
            field="citizen_id",
        )


def create_household(db: Database, actor: Actor, data: HouseholdInput) -> HouseholdView:
    actor.require(Permission.write_households)
    actor.require_unit(data.hamlet_code)
    _require_valid(data)
    with unit_of_work(db, actor) as uow:
        hamlet = _hamlet(uow.session, data.hamlet_code)
        _refuse_listed_citizen_id(uow.session, data)
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
        if household_columns(data)["citizen_id"] != row.citizen_id:  # a number kept is no news
            _refuse_listed_citizen_id(uow.session, data, other_than=row.id)
        moving = row.unit_code != hamlet.code
        uow.update(
            row, kept_household_code(household_columns(data)), summary=f"Sửa hộ {row.head_name}"
        )
        if moving:
            move_records_along(uow, [row], {hamlet.code: hamlet.name})
        status = uow.session.scalar(select(_latest_case_status()).where(Household.id == row.id))
        return _view(row, hamlet.name, status)


def move_records_along(
    uow: UnitOfWork, moved: Iterable[Household], hamlet_names: Mapping[str, str]
) -> None:
    """The support cases and attached files of households just moved to another hamlet
    go with them, every case, ended or not: case lists, a team leader's hamlet and sync's
    owner of a record go by the record's own unit, and would show it under a hamlet the
    household has left, out of reach of the team now looking after it. Written in the
    household's unit of work, so the move travels by sync with it. Status events and
    inspections stay: they record where each step was taken, and are never edited.
    One query per kind of record and batch of households."""
    rows = {household.id: household for household in moved}
    connection = uow.session.connection()
    for model, what in ((SupportCase, "hồ sơ hỗ trợ"), (Attachment, "tệp đính kèm")):
        for among in in_batches(connection, model.household_id, list(rows)):
            found = uow.session.scalars(
                select(model)
                .where(among, model.deleted_at.is_(None))
                .order_by(model.created_at, model.id)
            ).all()
            for record in found:
                household = rows[record.household_id]
                if record.unit_code == household.unit_code:
                    continue
                hamlet = hamlet_names.get(household.unit_code, household.unit_code)
                uow.update(
                    record,
                    {"unit_code": household.unit_code},
                    summary=f"Chuyển {what} của hộ {household.head_name} sang {hamlet}"[:300],
                )


def delete_household(db: Database, actor: Actor, household_id: str, reason: str) -> None:
    """Soft delete: the row stays, marked with when and why."""
    actor.require(Permission.write_households)
    reason = nfc(reason)
    if not reason:
        raise ValidationError(message="Hãy ghi lý do xóa hộ.", field="reason")
    with unit_of_work(db, actor) as uow:
        row = load_household(uow.session, household_id, actor)
        if row.deleted_at is None:
            kept_by = _case_keeping(uow.session, row)
            if kept_by is not None:
                raise ValidationError(message=kept_by, field=None)
            uow.soft_delete(row, reason, summary=f"Xóa hộ {row.head_name}: {reason}")


def deletion_refused(db: Database, actor: Actor, household_id: str) -> str | None:
    """Why this household may not be deleted, said before anyone types a reason."""
    actor.require(Permission.write_households)
    with db.session() as session:
        row = load_household(session, household_id, actor)
        return None if row.deleted_at is not None else _case_keeping(session, row)


def _case_keeping(session: Session, row: Household) -> str | None:
    """A household with a support case under way or done stays on the register: its
    case, payments and the programme's counts all stand on it."""
    status = session.scalar(
        select(SupportCase.status)
        .where(
            SupportCase.household_id == row.id,
            SupportCase.deleted_at.is_(None),
            SupportCase.status.not_in([s.value for s in ENDED_WITHOUT_SUPPORT]),
        )
        .order_by(SupportCase.created_at.desc())
        .limit(1)
    )
    if status is None:
        return _payment_keeping(session, row)
    step = CaseStatus(status)
    said = f"Hộ {row.head_name} có hồ sơ hỗ trợ ở bước “{step.label_vi.lower()}”"
    said += ", nên không xóa được."
    if step.is_final:  # the house is handed over: the programme's result stands on it
        said += " Hộ được giữ trong danh sách cùng kết quả hỗ trợ."
    else:
        said += " Nếu hộ không còn được hỗ trợ, hãy hủy hồ sơ trước rồi mới xóa hộ."
    return said


def _payment_keeping(session: Session, row: Household) -> str | None:
    """A case cancelled after the fund paid some of it: the money went to this household,
    and the payment stays on the books with it until the payment is voided."""
    voucher = session.scalar(
        select(Payment.voucher_no)
        .join(SupportCase, SupportCase.id == Payment.case_id)
        .where(
            SupportCase.household_id == row.id,
            Payment.voided_at.is_(None),
            Payment.deleted_at.is_(None),
        )
        .order_by(Payment.voucher_year, Payment.voucher_seq)
        .limit(1)
    )
    if voucher is None:
        return None
    return (
        f"Hộ {row.head_name} đã nhận tiền của Quỹ theo phiếu chi {voucher} (hồ sơ đã kết thúc), "
        "nên không xóa được. Hộ được giữ trong danh sách cùng khoản đã chi."
    )


def get_household(db: Database, actor: Actor, household_id: str) -> HouseholdView:
    actor.require(Permission.read_households)
    with db.session() as session:
        row = load_household(session, household_id, actor)
        name = session.scalar(select(Unit.name).where(Unit.code == row.unit_code)) or ""
        status = session.scalar(select(_latest_case_status()).where(Household.id == row.id))
        return _view(row, name, status)


@dataclass(frozen=True)
class HouseholdBrief:
    """What names a household in a list of others' records (conflicts, duplicates)."""

    id: str
    head_name: str
    hamlet_name: str
    birth_year: int | None
    citizen_id: str
    address: str | None
    commune_code: str = ""  # the hamlet's commune
    # Above a commune every commune has its "Thôn 1": named there, empty below.
    commune_name: str = ""


def brief_households(
    db: Database, actor: Actor, household_ids: Iterable[str]
) -> dict[str, HouseholdBrief]:
    """The households the actor may see among `household_ids`, read in one query per
    500 (a province lists thousands of them); unknown or other ids are left out."""
    actor.require(Permission.read_households)
    keys: list[uuid.UUID] = []
    for value in household_ids:
        try:
            keys.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    found: dict[str, HouseholdBrief] = {}
    commune = aliased(Unit, name="commune")
    with db.session() as session:
        own = _own_commune(session)
        for start in range(0, len(keys), 500):
            # The columns, not the records: building thousands of ORM objects was most
            # of the time the Sync page stood still at a province.
            rows = session.execute(
                select(
                    Household.id, Household.unit_code, Household.head_name,
                    Household.birth_year, Household.citizen_id, Household.address,
                    Unit.name, Unit.parent_code, commune.name,
                )
                .outerjoin(Unit, Unit.code == Household.unit_code)
                .outerjoin(commune, commune.code == Unit.parent_code)
                .where(Household.id.in_(keys[start : start + 500]))
            )
            for (hid, unit_code, head_name, birth_year, citizen_id, address,
                 hamlet_name, commune_code, commune_name) in rows:  # fmt: skip
                try:
                    actor.require_unit(unit_code)
                except DomainError:
                    continue
                found[str(hid)] = HouseholdBrief(
                    str(hid), head_name, hamlet_name or "", birth_year,
                    citizen_id or "", address, commune_code or "",
                    (commune_name or "") if commune_code != own else "",
                )
    return found


# -- listing ------------------------------------------------------------------
#
# A search goes through the index of nhao.services.household_search where it can.

SORTABLE = {
    "head_name": Household.head_name_key,
    "hamlet": Unit.name_key,
    "birth_year": Household.birth_year,
    "members": Household.members,
    # By the programme's order (no house, temporary … adequate; new build, repair, none),
    # not by the stored codes, which put "adequate" first and "temporary" last.
    "house_class": case(
        {c.value: i for i, c in enumerate(HouseClass)}, value=Household.latest_house_class
    ),
    "need": case({n.value: i for i, n in enumerate(Need)}, value=Household.latest_need),
    "updated_at": Household.updated_at,
    "citizen_id": Household.citizen_id,
    "ethnicity": Household.ethnicity,
}


@dataclass(frozen=True)
class HouseholdQuery:
    search: str = ""
    commune_code: str | None = None  # its hamlets' households (at a district or province)
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


def _filtered(actor: Actor, query: HouseholdQuery, stmt: Select) -> Select:  # type: ignore[type-arg]
    """The page's filters, search aside, on a statement reading `household`."""
    if not query.include_deleted:
        stmt = stmt.where(Household.deleted_at.is_(None))
    if actor.hamlet_code and actor.role.value == "team_leader":
        stmt = stmt.where(Household.unit_code == actor.hamlet_code)
    if query.hamlet_code:
        stmt = stmt.where(Household.unit_code == query.hamlet_code)
    if query.commune_code:
        stmt = stmt.where(
            Household.unit_code.in_(select(Unit.code).where(Unit.parent_code == query.commune_code))
        )
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
    return stmt


def count_households(
    db: Database, actor: Actor, query: HouseholdQuery, *, cap: int | None = None
) -> int:
    """How many households match. With ``cap`` the counting stops early: a result
    above ``cap`` (then ``cap + 1``) means "more than cap"."""
    actor.require(Permission.read_households)
    with db.session() as session:
        known = _counted.get(_count_key(session, actor, query))
        if known is None:
            search = Search.of(query.search)
            plan = search_plan(session, search)
            streams = plan.by_index or (cap is not None and not _narrowed(actor, query))
            if search is not None and plan.indexed and streams:
                # Stream the index's candidates, stopping at the cap: cheap when they
                # are few, and when they are many but most of them match.
                stmt = search.streamed_ids()
            else:
                stmt = select(Household.id)
                if plan.condition is not None:
                    stmt = stmt.where(plan.condition)
            stmt = _filtered(actor, query, stmt)
            if cap is not None:
                stmt = stmt.limit(cap + 1)
            known = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
            if search is not None and plan.indexed and streams and plan.coded:
                known += _coded_unmatched(session, actor, query, search, plan.coded)
        return known if cap is None else min(known, cap + 1)


def _coded_unmatched(
    session: Session,
    actor: Actor,
    query: HouseholdQuery,
    search: Search,
    coded: tuple[uuid.UUID, ...],
) -> int:
    """The households found by their code that the name and ID search does not find
    (a stream of the index counts only those it does)."""
    matched = case((search.like(), 1), else_=0)
    rows = session.execute(
        _filtered(actor, query, select(matched).where(Household.id.in_(coded)))
    ).scalars()
    return sum(1 for m in rows if not m)


def _narrowed(actor: Actor, query: HouseholdQuery) -> bool:
    """Filters beside the search (and deleted_at) that may turn most households away."""
    return bool(
        (actor.hamlet_code and actor.role.value == "team_leader")
        or query.hamlet_code
        or query.commune_code
        or query.category
        or query.house_class
        or query.need
        or query.case_status
    )


# Through the index, list_households sorts every match, so it learns their number on
# the way (a window count); the table asks for that count right after the first page.
# It is kept for the same connection in the same state of the data: SQLite's
# total_changes (every row this connection wrote, triggers included) and data_version
# (commits by other connections) both move on any change.
_counted: dict[tuple, int] = {}  # type: ignore[type-arg]


def _count_key(session: Session, actor: Actor, query: HouseholdQuery) -> tuple | None:  # type: ignore[type-arg]
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return None
    # A token of this very connection (an id() could be reused by a later one).
    token = conn.connection.info.setdefault("nhao_households_count", object())
    changes = conn.connection.driver_connection.total_changes
    data_version = conn.exec_driver_sql("PRAGMA data_version").scalar_one()
    return (token, changes, data_version, actor.role, actor.hamlet_code, query)


def _remember_count(session: Session, actor: Actor, query: HouseholdQuery, count: int) -> None:
    key = _count_key(session, actor, query)
    _counted.clear()
    if key is not None:
        _counted[key] = count


# What the table shows, read as plain columns rather than ORM objects (the table's
# own Column objects: SQLAlchemy then matches a cached statement's result columns
# by identity, where ORM attributes cost a comparison each, about 1 ms a query).
_LIST_COLUMNS = (
    # The id as stored (32 hex digits on SQLite), not parsed into a UUID: see _uuid_text.
    type_coerce(Household.__table__.c.id, String),
) + tuple(
    Household.__table__.c[name]
    for name in (
        "unit_code",
        "head_name",
        "citizen_id",
        "citizen_id_kind",
        "birth_year",
        "sex",
        "ethnicity",
        "phone",
        "address",
        "poverty_list_year",
        "members",
        "lawful_land_use",
        "land_certificate",
        "land_dispute",
        "hazard_zone",
        "certified_able_to_build",
        "notes",
        "latest_house_class",
        "latest_need",
        "created_at",
        "updated_at",
        "deleted_at",
        *CATEGORY_COLUMNS.values(),
    )
)
_SEX = {s.value: s for s in Sex}
_HOUSE_CLASS = {c.value: c for c in HouseClass}
_NEED = {n.value: n for n in Need}
_CASE_STATUS = {s.value: s for s in CaseStatus}
_CATEGORIES = tuple(CATEGORY_COLUMNS)


def _uuid_text(value: object) -> str:
    """str(uuid.UUID(value)), without parsing: SQLite holds the 32 hex digits."""
    if isinstance(value, str) and len(value) == 32:
        v = value.lower()
        return f"{v[:8]}-{v[8:12]}-{v[12:16]}-{v[16:20]}-{v[20:]}"
    return str(value)


def _listed(row: tuple) -> HouseholdView:  # type: ignore[type-arg]
    """A row of list_households' statement (its columns in _LIST_COLUMNS' order, then
    the hamlet's name and the latest case status) as the view the table shows."""
    (id_, unit_code, head_name, citizen_id, citizen_id_kind, birth_year, sex, ethnicity,
     phone, address, poverty_list_year, members, lawful_land_use, land_certificate,
     land_dispute, hazard_zone, certified_able_to_build, notes, house_class, need,
     created_at, updated_at, deleted_at, *flags, hamlet_name, commune_name,
     case_status) = row  # fmt: skip
    return HouseholdView(
        commune_name=commune_name or "",
        id=_uuid_text(id_),
        hamlet_code=unit_code,
        hamlet_name=hamlet_name or "",
        head_name=head_name,
        citizen_id=citizen_id or "",
        citizen_id_kind=citizen_id_kind,
        birth_year=birth_year,
        sex=_SEX[sex] if sex else None,
        ethnicity=ethnicity,
        phone=phone,
        address=address,
        categories=frozenset(c for c, flag in zip(_CATEGORIES, flags, strict=True) if flag),
        poverty_list_year=poverty_list_year,
        members=members,
        lawful_land_use=lawful_land_use,
        land_certificate=land_certificate,
        land_dispute=land_dispute,
        hazard_zone=hazard_zone,
        certified_able_to_build=certified_able_to_build,
        notes=notes,
        house_class=_HOUSE_CLASS[house_class] if house_class else None,
        need=_NEED[need] if need else None,
        case_status=_CASE_STATUS[case_status] if case_status else None,
        created_at=created_at,
        updated_at=updated_at,
        deleted_at=deleted_at,
    )


def _unary_plus(expression):  # type: ignore[no-untyped-def]
    return UnaryExpression(expression, operator=custom_op("+"), type_=expression.type)


def _own_commune(session: Session) -> str:
    """This station's commune ("" at a district or province station)."""
    code = self_station(session).unit_code
    level, parent = session.execute(
        select(Unit.level, Unit.parent_code).where(Unit.code == code)
    ).one_or_none() or (None, None)
    if level == UnitLevel.commune.value:
        return code
    return (parent or "") if level == UnitLevel.hamlet.value else ""


def list_households(
    db: Database, actor: Actor, query: HouseholdQuery, *, offset: int = 0, limit: int = 200
) -> list[HouseholdView]:
    """One page of households, filtered and sorted in SQL."""
    actor.require(Permission.read_households)
    sort = SORTABLE.get(query.order_by, Household.head_name_key)
    with db.session() as session:
        condition, by_index, *_ = search_plan(session, Search.of(query.search))
        by_hamlet = sort is Unit.name_key
        own = _own_commune(session)
        area = aliased(Unit, name="area")
        if by_hamlet and not own:
            # Above a commune every commune has its "Thôn 1": by commune, then hamlet.
            sort = func.coalesce(area.name_key, "") + " | " + Unit.name_key
        # The page: ids only. Through the index the candidates are sorted; the unary +
        # keeps SQLite from walking the sort column's index and testing every row.
        key = _unary_plus(sort) if by_index else sort
        page = select(Household.id.label("id"), sort.label("sort_key"))
        if by_index:
            page = page.add_columns(func.count().over().label("matches"))
        if by_hamlet:
            page = page.outerjoin(Unit, Unit.code == Household.unit_code)
            if not own:
                page = page.outerjoin(area, area.code == Unit.parent_code)
        page = _filtered(actor, query, page)
        if condition is not None:
            page = page.where(condition)
        ids = (
            page.order_by(key.desc() if query.descending else key.asc(), Household.id)
            .offset(offset)
            .limit(limit)
            .subquery("page")
        )
        # Then the page's rows in full, with their hamlet and their latest case.
        status = (
            select(SupportCase.status)
            .where(SupportCase.household_id == ids.c.id, SupportCase.deleted_at.is_(None))
            .order_by(SupportCase.created_at.desc())
            .limit(1)
            .scalar_subquery()
        )
        # The hamlet's commune, named only above a commune: a hamlet's or a commune's
        # station lists its own commune's households.
        commune = aliased(Unit, name="commune")
        stmt = (
            select(*_LIST_COLUMNS, Unit.__table__.c.name, commune.name, status)
            .select_from(ids)
            .join(Household, Household.id == ids.c.id)
            .outerjoin(Unit, Unit.code == Household.unit_code)
            .outerjoin(commune, (commune.code == Unit.parent_code) & (commune.code != own))
            .order_by(ids.c.sort_key.desc() if query.descending else ids.c.sort_key, ids.c.id)
        )
        if by_index:
            stmt = stmt.add_columns(ids.c.matches)
        rows = session.connection().execute(stmt).all()
        if by_index and (rows or offset == 0):
            _remember_count(session, actor, query, rows[0][-1] if rows else 0)
            return [_listed(row[:-1]) for row in rows]
        return [_listed(row) for row in rows]
