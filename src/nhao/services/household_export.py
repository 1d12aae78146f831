"""`nhao households export OUT.xlsx`: the household register, with the headers the
import reads, so the file goes back in unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from uuid import UUID

from sqlalchemy import case, func, literal, select

from nhao.domain.citizen_id import mask_citizen_id
from nhao.domain.enums import Category, Role, Sex
from nhao.domain.errors import ValidationError
from nhao.domain.household_code import derived_household_code
from nhao.imports.headers import FIELD_LABELS
from nhao.models import Household, Unit
from nhao.models.database import Database
from nhao.reports.register_xlsx import Column, fit, write_register
from nhao.services import units
from nhao.services.actor import Actor, Permission
from nhao.services.households import CATEGORY_COLUMNS, household_code_of
from nhao.services.unit_of_work import UnitOfWork, unit_of_work
from nhao.tasks import CancelToken, Progress, check_cancelled

# (field, kind); headers are imports.headers.FIELD_LABELS, which the import maps back.
REGISTER: tuple[tuple[str, str], ...] = (
    ("row_no", "number"),
    # A text cell, as a list's own codes may be digits with a leading zero ("0412").
    ("household_code", "digits"),
    ("head_name", "text"),
    ("birth_year", "number"),
    ("sex", "text"),
    ("ethnicity", "text"),
    ("citizen_id", "digits"),
    ("phone", "digits"),
    ("hamlet", "text"),
    ("address", "text"),
    ("categories", "text"),
    ("poverty_list_year", "number"),
    ("members", "number"),
    ("lawful_land_use", "mark"),
    ("land_certificate", "mark"),
    ("land_dispute", "mark"),
    ("hazard_zone", "mark"),
    ("certified_able_to_build", "mark"),
    ("notes", "text"),
)
NIL = UUID(int=0)
MARK = "x"
CATEGORY_SEPARATOR = "; "
# The widest the free-text columns are made: longer text wraps inside them. The print
# is fitted to the page's width, and a column as wide as its longest address or note
# made every letter of the page smaller. The address wraps at 18, not 26, to make room
# for "Mã hộ" (the demo's register still prints at 70 % or more).
_WIDEST = {
    "household_code": 16, "address": 18, "categories": 22, "notes": 18, "hamlet": 18,
    "head_name": 24,
}
_FIXED_WIDTHS = {"row_no": 4, "birth_year": 4, "sex": 3, "citizen_id": 12, "phone": 12}
_MEASURED = ("household_code", "head_name", "ethnicity", "address", "notes")


@dataclass(frozen=True)
class ExportResult:
    path: Path
    households: int


def _scope(actor: Actor):  # type: ignore[no-untyped-def]
    stmt = (
        select(Household, Unit.name)
        .join(Unit, Unit.code == Household.unit_code)
        .where(Household.deleted_at.is_(None))
    )
    if actor.role is Role.team_leader and actor.hamlet_code:
        stmt = stmt.where(Household.unit_code == actor.hamlet_code)
    return stmt


def _widths(db: Database, actor: Actor) -> dict[str, int]:
    """The longest value of each free-text column, measured in SQL before writing."""
    lengths = [func.max(func.length(getattr(Household, name))) for name in _MEASURED]
    hamlet_length = func.max(func.length(Unit.name))
    # The categories' text is joined in Python: its length, label by label, in SQL.
    categories_length = func.max(
        sum(
            (
                case((getattr(Household, column), len(category.label_vi) + len(CATEGORY_SEPARATOR)),
                     else_=0)
                for category, column in CATEGORY_COLUMNS.items()
            ),
            start=literal(0),
        )
    )
    scope = _scope(actor).with_only_columns(*lengths, hamlet_length, categories_length)
    with db.session() as session:
        measured = session.execute(scope).one()
    widths = dict(zip(_MEASURED, (m or 0 for m in measured[:-2]), strict=True))
    categories = max((measured[-1] or 0) - len(CATEGORY_SEPARATOR), 0)
    widths.update(_FIXED_WIDTHS, hamlet=measured[-2] or 0, categories=categories)
    # A household made before codes were kept has the derived one, not stored: as long.
    widths["household_code"] = max(widths["household_code"], len(derived_household_code(NIL)))
    return {name: min(width, _WIDEST.get(name, width)) for name, width in widths.items()}


def _cells(number: int, row: Household, hamlet: str, mask_ids: bool) -> list[object]:
    categories = [c for c in Category if getattr(row, CATEGORY_COLUMNS[c])]
    citizen_id = row.citizen_id or ""
    return [
        number,
        household_code_of(row),
        row.head_name,
        row.birth_year,
        Sex(row.sex).label_vi if row.sex else "",
        row.ethnicity,
        mask_citizen_id(citizen_id) if mask_ids and citizen_id else citizen_id,
        row.phone,
        hamlet,
        row.address,
        CATEGORY_SEPARATOR.join(c.label_vi for c in categories),
        row.poverty_list_year,
        row.members,
        MARK if row.lawful_land_use else "",
        MARK if row.land_certificate else "",
        MARK if row.land_dispute else "",
        MARK if row.hazard_zone else "",
        MARK if row.certified_able_to_build else "",
        row.notes,
    ]


def export_register(
    db: Database,
    actor: Actor,
    path: Path | str,
    *,
    mask_ids: bool = False,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> ExportResult:
    """Write every live household (a team leader: their hamlet's) to an xlsx register."""
    actor.require(Permission.read_households)
    path = Path(path)
    if not path.parent.is_dir():  # before the rows are read: a USB stick taken out
        raise ValidationError(
            field="path", message=f"Không có thư mục {path.parent} để ghi tệp {path.name}."
        )
    info = units.station_info(db)
    place = info.commune or info.unit
    widths = _widths(db, actor)
    columns = [
        Column(
            FIELD_LABELS[name],
            kind,
            fit(FIELD_LABELS[name], widths.get(name, 2)),
        )
        for name, kind in REGISTER
    ]
    progress = progress or Progress()
    # The audit event and the file stand together: the event is written first (a
    # database that cannot take it stops the export before the file is touched) and
    # commits only once the file is in place; a failed or cancelled export leaves
    # neither (write_register replaces the file only when it is whole).
    with unit_of_work(db, actor) as uow:
        session = uow.session
        total = session.scalar(_scope(actor).with_only_columns(func.count())) or 0
        _log_export(uow, path, total, mask_ids=mask_ids)
        session.flush()
        stmt = _scope(actor).order_by(Unit.name_key, Household.head_name_key, Household.id)

        def rows() -> Iterator[list[object]]:
            for number, (row, hamlet) in enumerate(
                session.execute(stmt).yield_per(2000), 1
            ):
                if number % 1000 == 0:
                    check_cancelled(cancel)
                    progress.update(number, total, "Đang xuất danh sách hộ")
                yield _cells(number, row, hamlet, mask_ids)

        count = write_register(
            path,
            title=f"DANH SÁCH HỘ GIA ĐÌNH – {place.name.upper()}",
            sheet_name="Danh sách hộ",
            columns=columns,
            rows=rows(),
            exported_on=date.today(),
        )
    progress.update(count, count, "Đã xuất xong")
    return ExportResult(path, count)


def _log_export(uow: UnitOfWork, path: Path, count: int, *, mask_ids: bool) -> None:
    """Citizen IDs and ethnicity are personal data: every register that leaves nhao is
    in the audit chain, with who wrote it, where, and whether the IDs were masked."""
    ids = "che số CCCD" if mask_ids else "đủ số CCCD"
    uow.append_audit(
        action="export",
        entity="register",
        record_id=path.name[:64],
        summary=f"Xuất danh sách {count} hộ ra tệp {path.name} ({ids})"[:300],
        before=None,
        after={"file": str(path), "households": count, "citizen_ids_masked": mask_ids},
        record_hash=None,
    )

