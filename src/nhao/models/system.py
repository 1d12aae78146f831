"""Bookkeeping of the station itself: identity, change log, audit trail, settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nhao.models.base import Base


class Station(Base):
    """This installation. One row with is_self; other stations are added by sync."""

    __tablename__ = "station"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(64))
    is_self: Mapped[bool] = mapped_column(default=False)
    epoch: Mapped[int] = mapped_column(default=1)
    last_seq: Mapped[int] = mapped_column(default=0)
    last_hlc: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ChangeLogEntry(Base):
    """One committed change, written in the same transaction as the change (DESIGN.md §5).

    `changes` maps each field to [old, new] (canonical JSON values), so a merge
    can tell a concurrent edit from a plain update.
    """

    __tablename__ = "change_log"
    __table_args__ = (
        UniqueConstraint("station_id", "seq"),
        Index("ix_change_log_record", "entity", "record_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    station_id: Mapped[str] = mapped_column(String(36))
    epoch: Mapped[int]
    seq: Mapped[int]
    hlc: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(64))
    unit_code: Mapped[str] = mapped_column(String(64))
    op: Mapped[str] = mapped_column(String(10))
    changes: Mapped[dict] = mapped_column(JSON)


class AuditEvent(Base):
    """Append-only, hash-chained trail. `record_hash` pins the record's content after
    the change, so an edit behind nhao's back shows up even when the chain is intact."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_record", "entity", "record_id"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime)
    station_id: Mapped[str] = mapped_column(String(36))
    user_id: Mapped[str | None] = mapped_column(String(36), default=None)
    user_name: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(String(300), default="")
    before: Mapped[dict | None] = mapped_column(JSON, default=None)
    after: Mapped[dict | None] = mapped_column(JSON, default=None)
    record_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Setting(Base):
    """Key/value settings of the station (programme thresholds, language, ...)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
