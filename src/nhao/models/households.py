"""Households, their inspections and attachments."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from nhao.models.base import Base, Record


class Household(Record, Base):
    __tablename__ = "household"
    __table_args__ = (
        Index("ix_household_unit_live", "unit_code", "deleted_at"),
        Index("ix_household_need", "latest_need"),
        Index("ix_household_house_class", "latest_house_class"),
    )
    # Left out of the record's snapshot while None (models.snapshot): the audit trail
    # pinned the content of households made before the column without it.
    SNAPSHOT_SKIPS_NONE = ("household_code",)

    head_name: Mapped[str] = mapped_column(String(200))
    head_name_key: Mapped[str] = mapped_column(String(200), index=True)
    # "Mã hộ" (nhao.domain.household_code): a list's own code, or the one derived from
    # the id. None only on households made before the column (migration 0011): they
    # show, export and match by the derived code, and their pinned content stands.
    household_code: Mapped[str | None] = mapped_column(String(40), index=True, default=None)
    citizen_id: Mapped[str | None] = mapped_column(String(12), index=True, default=None)
    citizen_id_kind: Mapped[str | None] = mapped_column(String(8), default=None)
    birth_year: Mapped[int | None] = mapped_column(default=None)
    sex: Mapped[str | None] = mapped_column(String(8), default=None)
    ethnicity: Mapped[str] = mapped_column(String(60), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    is_poor: Mapped[bool] = mapped_column(default=False)
    is_near_poor: Mapped[bool] = mapped_column(default=False)
    is_revolutionary_merit: Mapped[bool] = mapped_column(default=False)
    is_policy_family: Mapped[bool] = mapped_column(default=False)
    is_disaster_hit: Mapped[bool] = mapped_column(default=False)
    is_other_hardship: Mapped[bool] = mapped_column(default=False)
    poverty_list_year: Mapped[int | None] = mapped_column(default=None)
    members: Mapped[int] = mapped_column(default=1)
    lawful_land_use: Mapped[bool] = mapped_column(default=True)
    land_certificate: Mapped[bool] = mapped_column(default=False)
    land_dispute: Mapped[bool] = mapped_column(default=False)
    hazard_zone: Mapped[bool] = mapped_column(default=False)
    certified_able_to_build: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Copied from the latest inspection so lists filter in SQL without a join.
    latest_house_class: Mapped[str | None] = mapped_column(String(20), default=None)
    latest_need: Mapped[str | None] = mapped_column(String(20), default=None)


class Inspection(Record, Base):
    """One inspection of a household's house; every one is kept, the latest counts."""

    __tablename__ = "inspection"
    __table_args__ = (Index("ix_inspection_household_date", "household_id", "inspected_on"),)

    household_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("household.id"))
    inspected_on: Mapped[date] = mapped_column(Date)
    inspector: Mapped[str] = mapped_column(String(200), default="")
    has_house: Mapped[bool] = mapped_column(default=True)
    foundation_durable: Mapped[bool | None] = mapped_column(default=None)
    foundation_damaged: Mapped[bool] = mapped_column(default=False)
    foundation_material: Mapped[str] = mapped_column(String(120), default="")
    frame_walls_durable: Mapped[bool | None] = mapped_column(default=None)
    frame_walls_damaged: Mapped[bool] = mapped_column(default=False)
    frame_walls_material: Mapped[str] = mapped_column(String(120), default="")
    roof_durable: Mapped[bool | None] = mapped_column(default=None)
    roof_damaged: Mapped[bool] = mapped_column(default=False)
    roof_material: Mapped[str] = mapped_column(String(120), default="")
    usable_area_m2: Mapped[float | None] = mapped_column(Float, default=None)
    members: Mapped[int] = mapped_column(default=1)
    notes: Mapped[str] = mapped_column(Text, default="")
    house_class: Mapped[str] = mapped_column(String(20))
    suggested_need: Mapped[str] = mapped_column(String(20))
    need: Mapped[str] = mapped_column(String(20))
    need_override_reason: Mapped[str] = mapped_column(String(500), default="")
    reasons: Mapped[str] = mapped_column(Text, default="")


class Attachment(Record, Base):
    """A content-addressed file (sha256) in the data folder: photos, scanned papers."""

    __tablename__ = "attachment"

    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    kind: Mapped[str] = mapped_column(String(30), default="other")
    caption: Mapped[str] = mapped_column(String(500), default="")
    household_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("household.id"), index=True, default=None
    )
    case_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("support_case.id"), index=True, default=None
    )
    taken_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    latitude: Mapped[float | None] = mapped_column(Float, default=None)
    longitude: Mapped[float | None] = mapped_column(Float, default=None)


# Fixed for good: review ids are made from it.
_PAIR_REVIEW_IDS = uuid.UUID("0c7e5b2a-4d1f-4e8a-9b63-2f5d8a1c7e40")


def pair_review_id(household_a: str, household_b: str) -> uuid.UUID:
    """Every station that reviews a pair makes the same record, so two reviews of one
    pair merge as edits of it (the later stands) instead of standing side by side."""
    return uuid.uuid5(_PAIR_REVIEW_IDS, f"{household_a}/{household_b}")


class HouseholdPairReview(Record, Base):
    """A person's finding on two households that looked like the same people (same
    citizen ID, or same name and birth year): one household listed twice, or two.
    Nothing is merged. It travels up with the bundles, so a pair the commune reviewed
    is not asked again at the district and province. One record per pair: its id is
    made from the two household ids, and a second review of the pair is an edit."""

    __tablename__ = "household_pair_review"

    household_a: Mapped[str] = mapped_column(String(36), index=True)  # the lower id
    household_b: Mapped[str] = mapped_column(String(36))
    decision: Mapped[str] = mapped_column(String(10))  # same | different
    # What the two had in common when reviewed: a "different" found on name and
    # birth year is asked again once they share a citizen ID.
    evidence: Mapped[str] = mapped_column(String(20))  # citizen_id | name_birth_year
    reviewed_by: Mapped[str] = mapped_column(String(120), default="")
