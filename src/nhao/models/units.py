"""Administrative units: province, (legacy) district, commune, hamlet — data, not code."""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nhao.models.base import Base, Record


class Unit(Record, Base):
    """One administrative unit. `unit_code` (from Record) is the unit that owns the
    row, which for a unit is its parent (or itself for the top unit of a station)."""

    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("code"),)

    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    level: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(String(64), index=True, default=None)


class Target(Record, Base):
    """Yearly target of new builds and repairs for a unit (chỉ tiêu năm)."""

    __tablename__ = "target"
    __table_args__ = (UniqueConstraint("unit_code", "year"),)

    year: Mapped[int]
    new_builds: Mapped[int] = mapped_column(default=0)
    repairs: Mapped[int] = mapped_column(default=0)
