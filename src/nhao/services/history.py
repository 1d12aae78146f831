"""A household's history, read from the audit trail and written for people.

The audit trail stores every change as canonical JSON (field → value). This module
gathers the events of the household and of everything hanging off it (inspections,
attachments, support cases with their support and status events, soft-deleted ones
included) and turns field names and values into Vietnamese: "Hộ nghèo: Không → Có".
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Float, and_, or_, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from nhao.domain.dates import format_date
from nhao.domain.enums import CaseStatus, FundSource, HouseClass, Need, Sex, SupportKind
from nhao.domain.money import format_vnd
from nhao.models import (
    RECORD_MODELS,
    Attachment,
    AuditEvent,
    CaseStatusEvent,
    CaseSupport,
    Inspection,
    Record,
    SupportCase,
    Unit,
    User,
)
from nhao.models.base import MoneyType
from nhao.models.database import Database
from nhao.models.labels import ENTITY_LABELS, field_label
from nhao.services.actor import Actor, Permission
from nhao.services.attachments import KINDS as ATTACHMENT_KINDS
from nhao.services.households import load_household

EMPTY = "—"
ACTION_LABELS = {
    "insert": "Thêm",
    "update": "Sửa",
    "delete": "Xóa",
    "export": "Xuất tệp",
}

_ENUM_FIELDS: dict[str, type[StrEnum]] = {
    "sex": Sex,
    "latest_house_class": HouseClass,
    "latest_need": Need,
    "house_class": HouseClass,
    "suggested_need": Need,
    "need": Need,
    "status": CaseStatus,
    "from_status": CaseStatus,
    "to_status": CaseStatus,
    "source": FundSource,
}
_CHOICES: dict[tuple[str, str], dict[str, str]] = {
    ("support_case", "kind"): {k.value: k.label_vi for k in SupportKind},
    ("attachment", "kind"): ATTACHMENT_KINDS,
}
# Bookkeeping and derived fields: not "what changed" for people.
_HIDDEN = frozenset(
    {
        *Record.BOOKKEEPING,
        "id",
        "deleted_at",
        "head_name_key",
        "citizen_id_kind",
        "sha256",
        "media_type",
        "recorded_at",
    }
)
# On insert these only repeat what the entry already says (whose record it is).
_HIDDEN_ON_INSERT = frozenset({"unit_code", "household_id", "case_id"})


@dataclass(frozen=True)
class FieldChange:
    field: str
    label_vi: str
    old_text: str
    new_text: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime  # naive UTC, as stored
    user_name: str
    who: str  # as people know them: "Hoàng Văn Quý (admin)", the username when unknown
    action: str  # insert | update | delete
    entity: str
    entity_label_vi: str
    record_id: str
    summary: str
    changes: tuple[FieldChange, ...]

    @property
    def action_label_vi(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


def _size_text(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1048576:.1f} MB".replace(".", ",")
    return f"{max(1, round(n / 1024))} KB"


def _number_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x).replace(".", ",")


@cache
def _column_types(entity: str) -> dict[str, Any]:
    model = RECORD_MODELS.get(entity)
    if model is None:
        return {}
    return {c.key: c.columns[0].type for c in sa_inspect(model).column_attrs}


@cache
def _false_by_default(entity: str) -> frozenset[str]:
    model = RECORD_MODELS.get(entity)
    if model is None:
        return frozenset()
    return frozenset(
        c.key
        for c in sa_inspect(model).column_attrs
        if c.columns[0].default is not None and c.columns[0].default.arg is False
    )


def value_text(entity: str, field: str, value: Any, hamlets: dict[str, str] | None = None) -> str:
    """One stored (canonical JSON) value as a person reads it."""
    if value is None or value == "":
        return EMPTY
    if field == "unit_code" and hamlets and value in hamlets:
        return hamlets[value]
    if (entity, field) in _CHOICES:
        return _CHOICES[entity, field].get(value, str(value))
    if field in _ENUM_FIELDS:
        try:
            return _ENUM_FIELDS[field](value).label_vi  # type: ignore[attr-defined]
        except ValueError:
            return str(value)
    kind = _column_types(entity).get(field)
    if isinstance(value, bool) or isinstance(kind, Boolean):
        return "Có" if value else "Không"
    if field == "size_bytes" and isinstance(value, int):
        return _size_text(value)
    if isinstance(kind, MoneyType) and isinstance(value, int):
        return format_vnd(value)
    try:
        if isinstance(kind, DateTime):
            return datetime.fromisoformat(value).strftime("%d/%m/%Y %H:%M")
        if isinstance(kind, Date):
            return format_date(date.fromisoformat(value))
    except (TypeError, ValueError):
        return str(value)
    if isinstance(kind, Float) or isinstance(value, float):
        return _number_text(value)
    if field == "reasons":
        return "; ".join(line for line in str(value).splitlines() if line)
    return str(value)


def _changes(event: AuditEvent, hamlets: dict[str, str]) -> tuple[FieldChange, ...]:
    before = event.before or {}
    after = event.after or {}
    order = list(_column_types(event.entity)) or sorted(set(before) | set(after))
    # A flag that defaults to False (is_poor) is noise on insert; a tri-state one
    # (foundation_durable: None / True / False) says something when False.
    unset = _false_by_default(event.entity)
    out = []
    for name in order:
        if name not in before and name not in after:
            continue
        if name in _HIDDEN or (event.action == "insert" and name in _HIDDEN_ON_INSERT):
            continue
        new = after.get(name)
        if event.action == "insert" and (new in (None, "") or (new is False and name in unset)):
            continue  # a new record's empty fields say nothing
        out.append(
            FieldChange(
                field=name,
                label_vi=field_label(event.entity, name),
                old_text=value_text(event.entity, name, before.get(name), hamlets)
                if event.action != "insert"
                else "",
                new_text=value_text(event.entity, name, new, hamlets),
            )
        )
    return tuple(out)


def _ids(session, column, key: uuid.UUID | list[uuid.UUID]) -> list[str]:  # type: ignore[no-untyped-def]
    model = column.class_
    keys = key if isinstance(key, list) else [key]
    if not keys:
        return []
    return [str(i) for i in session.scalars(select(model.id).where(column.in_(keys)))]


def household_history(db: Database, actor: Actor, household_id: str) -> list[HistoryEntry]:
    """Every recorded change of the household and its records, newest first."""
    actor.require(Permission.read_households)
    with db.session() as session:
        household = load_household(session, household_id, actor)
        case_keys = list(
            session.scalars(select(SupportCase.id).where(SupportCase.household_id == household.id))
        )
        records: dict[str, set[str]] = {
            "household": {str(household.id)},
            "inspection": set(_ids(session, Inspection.household_id, household.id)),
            "attachment": set(_ids(session, Attachment.household_id, household.id))
            | set(_ids(session, Attachment.case_id, case_keys)),
            "support_case": {str(k) for k in case_keys},
            "case_support": set(_ids(session, CaseSupport.case_id, case_keys)),
            "case_status_event": set(_ids(session, CaseStatusEvent.case_id, case_keys)),
        }
        wanted = [
            and_(AuditEvent.entity == entity, AuditEvent.record_id.in_(sorted(ids)))
            for entity, ids in records.items()
            if ids
        ]
        events = list(
            session.scalars(select(AuditEvent).where(or_(*wanted)).order_by(AuditEvent.seq.desc()))
        )
        # A household moved to another hamlet shows hamlet names, not codes.
        codes = {
            side.get("unit_code")
            for e in events
            if e.action == "update"
            for side in (e.before or {}, e.after or {})
        } - {None}
        hamlets = dict(
            session.execute(select(Unit.code, Unit.name).where(Unit.code.in_(codes))).all()
            if codes
            else []
        )
        # The accounts of this computer by id (a username may be taken again later, or
        # be another person's on another computer); others keep their username.
        full_names = _full_names(session, {e.user_id for e in events if e.user_id})
        return [
            HistoryEntry(
                at=e.at,
                user_name=e.user_name,
                who=f"{full_names[e.user_id]} ({e.user_name})"
                if full_names.get(e.user_id or "") else e.user_name,
                action=e.action,
                entity=e.entity,
                entity_label_vi=ENTITY_LABELS.get(e.entity, e.entity),
                record_id=e.record_id,
                summary=e.summary,
                changes=_changes(e, hamlets),
            )
            for e in events
        ]


def _full_names(session: Session, user_ids: set[str]) -> dict[str, str]:
    if not user_ids:
        return {}
    keys = [uuid.UUID(i) for i in user_ids]
    rows = session.execute(select(User.id, User.full_name).where(User.id.in_(keys)))
    return {str(user_id): name for user_id, name in rows if name}
