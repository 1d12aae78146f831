"""Support cases: the path from proposal to handover, with every step recorded."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, ForeignKey, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from nhao.models.base import Base, MoneyType, Record, money_check


class SupportCase(Record, Base):
    __tablename__ = "support_case"

    household_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("household.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    planned_year: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), index=True)
    status_reason: Mapped[str] = mapped_column(String(500), default="")
    decision_no: Mapped[str] = mapped_column(String(100), default="")
    decision_date: Mapped[date | None] = mapped_column(Date, default=None)
    design_model: Mapped[str] = mapped_column(String(200), default="")
    labour_days: Mapped[int] = mapped_column(default=0)
    materials_given: Mapped[str] = mapped_column(Text, default="")
    started_on: Mapped[date | None] = mapped_column(Date, default=None)
    completed_on: Mapped[date | None] = mapped_column(Date, default=None)
    accepted_on: Mapped[date | None] = mapped_column(Date, default=None)
    accepted_area_m2: Mapped[float | None] = mapped_column(Float, default=None)
    accepted_foundation_durable: Mapped[bool | None] = mapped_column(default=None)
    accepted_frame_walls_durable: Mapped[bool | None] = mapped_column(default=None)
    accepted_roof_durable: Mapped[bool | None] = mapped_column(default=None)
    expected_lifespan_years: Mapped[int | None] = mapped_column(default=None)
    acceptance_team: Mapped[str] = mapped_column(Text, default="")
    handed_over_on: Mapped[date | None] = mapped_column(Date, default=None)


class CaseSupport(Record, Base):
    """Approved support for one case from one source (integer VND)."""

    __tablename__ = "case_support"
    __table_args__ = (UniqueConstraint("case_id", "source"), money_check("amount"))

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("support_case.id"))
    source: Mapped[str] = mapped_column(String(40))
    amount: Mapped[int] = mapped_column(MoneyType)


class CaseStatusEvent(Record, Base):
    """A transition of a case: who moved it, when, why. Append-only."""

    __tablename__ = "case_status_event"

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("support_case.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20), default=None)
    to_status: Mapped[str] = mapped_column(String(20))
    happened_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    actor_name: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(String(500), default="")
    decision_no: Mapped[str] = mapped_column(String(100), default="")
