"""Inspections of a household's house: classification, suggested and final need."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from nhao.domain.classification import (
    Classification,
    HouseFacts,
    NeedOverride,
    Structure,
    apply_override,
    classify,
)
from nhao.domain.enums import HouseClass, Need
from nhao.domain.errors import ValidationError
from nhao.domain.settings import ProgrammeSettings
from nhao.domain.text import nfc, nfc_lines
from nhao.models import Household, Inspection
from nhao.models.database import Database
from nhao.services.actor import Actor, Permission
from nhao.services.households import load_household
from nhao.services.settings import programme_settings
from nhao.services.unit_of_work import UnitOfWork, unit_of_work

REASON_SEPARATOR = "\n"


@dataclass(frozen=True)
class StructureInput:
    durable: bool
    damaged: bool = False
    material: str = ""


@dataclass(frozen=True)
class InspectionInput:
    inspected_on: date
    inspector: str = ""
    has_house: bool = True
    foundation: StructureInput | None = None
    frame_walls: StructureInput | None = None
    roof: StructureInput | None = None
    usable_area_m2: float | None = None
    members: int = 1
    notes: str = ""
    need_override: Need | None = None
    need_override_reason: str = ""

    def facts(self) -> HouseFacts:
        def structure(s: StructureInput | None) -> Structure | None:
            return Structure(s.durable, s.damaged, nfc(s.material)) if s else None

        return HouseFacts(
            has_house=self.has_house,
            foundation=structure(self.foundation),
            frame_walls=structure(self.frame_walls),
            roof=structure(self.roof),
            usable_area_m2=self.usable_area_m2,
            members=self.members,
        )


@dataclass(frozen=True)
class InspectionView:
    id: str
    household_id: str
    inspected_on: date
    inspector: str
    has_house: bool
    foundation: StructureInput | None
    frame_walls: StructureInput | None
    roof: StructureInput | None
    usable_area_m2: float | None
    members: int
    notes: str
    house_class: HouseClass
    suggested_need: Need
    need: Need
    need_override_reason: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    classification: Classification
    need: Need


def assess(data: InspectionInput, settings: ProgrammeSettings | None = None) -> Assessment:
    """Classification and final need, as the form shows them live."""
    result = classify(data.facts(), settings)
    override = None
    if data.need_override is not None and data.need_override != result.need:
        override = NeedOverride(data.need_override, nfc(data.need_override_reason))
    return Assessment(result, apply_override(result, override))


def _structure(row: Inspection, name: str) -> StructureInput | None:
    durable = getattr(row, f"{name}_durable")
    if durable is None:
        return None
    return StructureInput(
        durable, getattr(row, f"{name}_damaged"), getattr(row, f"{name}_material")
    )


def _view(row: Inspection) -> InspectionView:
    return InspectionView(
        id=str(row.id),
        household_id=str(row.household_id),
        inspected_on=row.inspected_on,
        inspector=row.inspector,
        has_house=row.has_house,
        foundation=_structure(row, "foundation"),
        frame_walls=_structure(row, "frame_walls"),
        roof=_structure(row, "roof"),
        usable_area_m2=row.usable_area_m2,
        members=row.members,
        notes=row.notes,
        house_class=HouseClass(row.house_class),
        suggested_need=Need(row.suggested_need),
        need=Need(row.need),
        need_override_reason=row.need_override_reason,
        reasons=tuple(r for r in row.reasons.split(REASON_SEPARATOR) if r),
    )


def _structure_columns(name: str, s: StructureInput | None) -> dict[str, object]:
    return {
        f"{name}_durable": s.durable if s else None,
        f"{name}_damaged": s.damaged if s else False,
        f"{name}_material": nfc(s.material) if s else "",
    }


def insert_inspection(
    uow: UnitOfWork, household: Household, data: InspectionInput, settings: ProgrammeSettings
) -> Inspection:
    """Classify and insert inside an open unit of work; the household's latest
    classification follows the newest inspection."""
    outcome = assess(data, settings)
    overridden = outcome.need != outcome.classification.need
    row = uow.insert(
        Inspection(
            unit_code=household.unit_code,
            household_id=household.id,
            inspected_on=data.inspected_on,
            inspector=nfc(data.inspector),
            has_house=data.has_house,
            **_structure_columns("foundation", data.foundation if data.has_house else None),
            **_structure_columns("frame_walls", data.frame_walls if data.has_house else None),
            **_structure_columns("roof", data.roof if data.has_house else None),
            usable_area_m2=data.usable_area_m2 if data.has_house else None,
            members=data.members,
            notes=nfc_lines(data.notes),
            house_class=outcome.classification.house_class.value,
            suggested_need=outcome.classification.need.value,
            need=outcome.need.value,
            need_override_reason=nfc(data.need_override_reason) if overridden else "",
            reasons=REASON_SEPARATOR.join(outcome.classification.reasons),
        ),
        summary=f"Khảo sát nhà hộ {household.head_name}",
    )
    latest = uow.session.scalar(
        select(Inspection)
        .where(Inspection.household_id == household.id, Inspection.deleted_at.is_(None))
        .order_by(Inspection.inspected_on.desc(), Inspection.created_at.desc())
        .limit(1)
    )
    if latest is not None:
        uow.update(
            household,
            {"latest_house_class": latest.house_class, "latest_need": latest.need},
            summary=f"Cập nhật hiện trạng nhà hộ {household.head_name}",
        )
    return row


def add_inspection(
    db: Database, actor: Actor, household_id: str, data: InspectionInput
) -> InspectionView:
    actor.require(Permission.write_households)
    if data.inspected_on > date.today():
        raise ValidationError(message="Ngày khảo sát không được sau hôm nay.", field="inspected_on")
    settings = programme_settings(db)
    assess(data, settings)  # refuse a bad form before opening the transaction
    with unit_of_work(db, actor) as uow:
        household = load_household(uow.session, household_id, actor)
        if household.deleted_at is not None:
            raise ValidationError(message="Hộ này đã bị xóa.", field=None)
        return _view(insert_inspection(uow, household, data, settings))


def list_inspections(db: Database, actor: Actor, household_id: str) -> list[InspectionView]:
    """Every inspection of the household, newest first."""
    actor.require(Permission.read_households)
    with db.session() as session:
        household = load_household(session, household_id, actor)
        rows = session.scalars(
            select(Inspection)
            .where(Inspection.household_id == household.id, Inspection.deleted_at.is_(None))
            .order_by(Inspection.inspected_on.desc(), Inspection.created_at.desc())
        )
        return [_view(r) for r in rows]
