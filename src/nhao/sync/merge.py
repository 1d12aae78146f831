"""The merge: apply changes from other stations, generic over every entity.

Per field: a current value equal to the change's old value takes the new one; a
value that differs from both was edited on both sides, so the later hybrid
logical clock stamp stands (ties fall to the station id inside the stamp) and a
Conflict keeps the other value. Entity rules (nhao.sync.rules) add forward-only
statuses, append-only rows, natural keys and locks against changes from below.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, Uuid, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from nhao.domain.periods import Period
from nhao.models import RECORD_MODELS, ChangeLogEntry, PeriodClose, Record, SupportCase
from nhao.models.snapshot import canonical_value
from nhao.models.sync import Conflict
from nhao.sync.rules import (
    CASE_PROGRESS_FIELDS,
    IMMUTABLE_FIELDS,
    LOCKED_CASE_STATUSES,
    EntityRule,
    reachable,
    rule_for,
)
from nhao.sync.scope import UnitTree

BOOKKEEPING = frozenset(Record.BOOKKEEPING)
TOMBSTONE = ("deleted_at", "deleted_reason")
BATCH = 500


@dataclass
class Counts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    refused: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class MergeResult:
    counts: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    touched: dict[tuple[str, str], tuple[str, dict]] = field(default_factory=dict)
    refusals: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    new_households: set[str] = field(default_factory=set)


def from_canonical(model: type, name: str, value: Any) -> Any:
    """A value of a change (canonical JSON) back to the column's Python type."""
    if value is None:
        return None
    column = sa_inspect(model).columns[name]
    kind = column.type
    if isinstance(kind, Uuid):
        return uuid.UUID(value)
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    return value


class Merger:
    def __init__(
        self,
        session: Session,
        *,
        tree: UnitTree,
        origin_units: dict[str, str],
        bundle: str,
        now: datetime,
    ) -> None:
        self.session = session
        self.tree = tree
        self.origin_units = origin_units
        self.bundle = bundle
        self.now = now
        self.rows: dict[tuple[str, str], Record | None] = {}
        self.result = MergeResult()

    # -- loading --------------------------------------------------------------

    def prefetch(self, entries: list[dict]) -> None:
        wanted: dict[str, set[str]] = defaultdict(set)
        for e in entries:
            wanted[e["entity"]].add(e["id"])
        for entity, ids in wanted.items():
            model = RECORD_MODELS[entity]
            ordered = sorted(ids)
            for i in range(0, len(ordered), BATCH):
                chunk = [uuid.UUID(x) for x in ordered[i : i + BATCH]]
                for row in self.session.scalars(select(model).where(model.id.in_(chunk))):
                    self.rows[(entity, str(row.id))] = row
            for x in ordered:
                self.rows.setdefault((entity, x), None)

    # -- applying -------------------------------------------------------------

    def apply(self, entries: list[dict]) -> MergeResult:
        self.prefetch(entries)
        for entry in entries:
            self._apply_one(entry)
            if entry["op"] == "resolve":
                self._close_conflicts(entry)
            self.session.add(
                ChangeLogEntry(
                    station_id=entry["station"],
                    epoch=entry["epoch"],
                    seq=entry["seq"],
                    hlc=entry["hlc"],
                    entity=entry["entity"],
                    record_id=entry["id"],
                    unit_code=entry["unit"],
                    op=entry["op"],
                    changes=entry["changes"],
                )
            )
        return self.result

    def _apply_one(self, e: dict) -> None:
        entity, key = e["entity"], (e["entity"], e["id"])
        counts = self.result.counts[entity]
        rule = rule_for(entity)
        row = self.rows.get(key)
        if row is None:
            if e["op"] != "insert":
                counts.refused += 1
                self.result.refusals.append(
                    f"{entity} {e['id']}: thay đổi đến trước khi có bản ghi gốc nên chưa áp dụng."
                )
                return
            self._insert(e, rule, counts)
            return
        refusal = self._locked(e, rule, row)
        if refusal:
            counts.refused += 1
            self.result.refusals.append(refusal)
            return
        applied: dict[str, Any] = {}
        conflicted = False
        for name, (old, new) in e["changes"].items():
            if name in BOOKKEEPING or name in IMMUTABLE_FIELDS or name in TOMBSTONE:
                continue
            current = canonical_value(getattr(row, name))
            if current == new:
                continue
            if rule.append_only and name not in rule.mutable:
                counts.refused += 1
                self.result.refusals.append(
                    f"{entity} {e['id']}: bản ghi chỉ được thêm, không được sửa ({name})."
                )
                return
            winner, clash = self._decide(e, rule, row, name, current, old, new)
            conflicted |= clash
            if winner is not None:
                applied[name] = new
        conflicted |= self._tombstone(e, row, applied)
        if not applied:
            if conflicted:
                counts.conflicts += 1
            else:
                counts.unchanged += 1
            return
        model = type(row)
        for name, value in applied.items():
            setattr(row, name, from_canonical(model, name, value))
        if e["hlc"] > row.hlc:
            row.hlc = e["hlc"]
            row.changed_by = e["station"]
            updated = e["changes"].get("updated_at")
            if updated and updated[1]:
                row.updated_at = datetime.fromisoformat(updated[1])
        if conflicted:
            counts.conflicts += 1
        else:
            counts.updated += 1
        self._touch(key, "sync-update" if e["op"] != "delete" else "sync-delete", applied)

    def _insert(self, e: dict, rule: EntityRule, counts: Counts) -> None:
        entity = e["entity"]
        model = RECORD_MODELS[entity]
        values = {name: change[1] for name, change in e["changes"].items()}
        if rule.natural_key:
            where = [getattr(model, k) == values.get(k) for k in rule.natural_key]
            if self.session.scalar(select(model.id).where(*where)) is not None:
                counts.unchanged += 1
                return
        columns = {c.key for c in sa_inspect(model).column_attrs}
        row = model(**{k: from_canonical(model, k, v) for k, v in values.items() if k in columns})
        self.session.add(row)
        self.rows[(entity, e["id"])] = row
        counts.new += 1
        if entity == "household":
            self.result.new_households.add(e["id"])
        self._touch((entity, e["id"]), "sync-insert", values)

    def _touch(self, key: tuple[str, str], action: str, fields: dict) -> None:
        previous = self.result.touched.get(key)
        merged = dict(previous[1]) if previous else {}
        merged.update(fields)
        first = previous[0] if previous else action
        self.result.touched[key] = (first if first == "sync-insert" else action, merged)

    def _close_conflicts(self, e: dict) -> None:
        """A resolution made elsewhere closes the same conflict here."""
        fields = [n for n in e["changes"] if n not in BOOKKEEPING]
        for conflict in self.session.scalars(
            select(Conflict).where(
                Conflict.entity == e["entity"],
                Conflict.record_id == e["id"],
                Conflict.field.in_(fields),
                Conflict.resolved_at.is_(None),
            )
        ):
            conflict.resolved_at = self.now
            conflict.resolved_by = f"máy đơn vị {self.origin_units.get(e['station'], '')}"

    # -- deciding ---------------------------------------------------------------

    def _decide(self, e, rule, row, name, current, old, new):  # type: ignore[no-untyped-def]
        """(value to apply or None, whether a conflict was recorded)."""
        transitions = rule.forward_only.get(name)
        if current == old:
            return new, False
        if transitions is not None:
            if reachable(transitions, current, new):
                return new, False
            if reachable(transitions, new, current):
                return None, False
        local = self.field_stamp(e["entity"], e["id"], name, exclude=e)
        if e["hlc"] > local:
            self._conflict(e, row, name, kept=(new, e["hlc"]), lost=(current, local))
            return new, True
        self._conflict(
            e, row, name, kept=(current, local), lost=(new, e["hlc"]), loser=e["station"]
        )
        return None, True

    def _tombstone(self, e: dict, row: Record, applied: dict) -> bool:
        """Edit against delete, delete against edit: never a silent loss or resurrection."""
        changes = e["changes"]
        incoming = changes.get("deleted_at")
        if incoming is not None and incoming[0] == incoming[1]:
            incoming = None
        deleted_here = row.deleted_at is not None
        if incoming is not None and incoming[1] is not None:  # a delete arrives
            if deleted_here:
                return False
            base = (changes.get("hlc") or [None, None])[0] or ""
            local = self.stamp_since(e["entity"], e["id"], base, exclude=e)
            if local is None:
                applied.update({k: changes[k][1] for k in TOMBSTONE if k in changes})
                return False
            if e["hlc"] > local:
                applied.update({k: changes[k][1] for k in TOMBSTONE if k in changes})
                self._conflict(
                    e, row, "deleted_at", kept=(incoming[1], e["hlc"]), lost=(None, local)
                )
            else:
                self._conflict(
                    e,
                    row,
                    "deleted_at",
                    kept=(None, local),
                    lost=(incoming[1], e["hlc"]),
                    loser=e["station"],
                )
            return True
        if incoming is not None:  # an explicit undelete
            if deleted_here:
                applied.update({k: changes[k][1] for k in TOMBSTONE if k in changes})
            return False
        if deleted_here and applied:  # an edit arrives for a record deleted here
            local = self.field_stamp(e["entity"], e["id"], "deleted_at", exclude=e)
            deleted = canonical_value(row.deleted_at)
            if e["hlc"] > local:
                applied.update({"deleted_at": None, "deleted_reason": None})
                self._conflict(e, row, "deleted_at", kept=(None, e["hlc"]), lost=(deleted, local))
            else:
                self._conflict(
                    e,
                    row,
                    "deleted_at",
                    kept=(deleted, local),
                    lost=(None, e["hlc"]),
                    loser=e["station"],
                )
            return True
        return False

    def _conflict(self, e, row, name, *, kept, lost, loser=None) -> None:  # type: ignore[no-untyped-def]
        stamp_station = lost[1].split(":", 2)[-1] if lost[1] else ""
        conflict = Conflict(
            id=uuid.uuid4(),
            entity=e["entity"],
            record_id=e["id"],
            unit_code=row.unit_code,
            field=name,
            kept_value={"v": kept[0]},
            kept_hlc=kept[1],
            lost_value={"v": lost[0]},
            lost_hlc=lost[1] or "",
            lost_station=loser or stamp_station,
            detected_at=self.now,
            bundle=self.bundle,
        )
        self.session.add(conflict)
        self.result.conflicts.append(conflict)

    # -- stamps -----------------------------------------------------------------

    def _log(self, entity: str, record_id: str) -> list[ChangeLogEntry]:
        return list(
            self.session.scalars(
                select(ChangeLogEntry).where(
                    ChangeLogEntry.entity == entity, ChangeLogEntry.record_id == record_id
                )
            )
        )

    def field_stamp(self, entity: str, record_id: str, name: str, *, exclude: dict) -> str:
        """The latest stamp of a change to this field here (its last-writer stamp)."""
        stamps = [
            c.hlc
            for c in self._log(entity, record_id)
            if name in c.changes and c.hlc != exclude["hlc"]
        ]
        return max(stamps, default="")

    def stamp_since(self, entity: str, record_id: str, base: str, *, exclude: dict) -> str | None:
        """The latest change to the record after `base` that the sender had not seen."""
        stamps = [
            c.hlc for c in self._log(entity, record_id) if c.hlc > base and c.hlc != exclude["hlc"]
        ]
        return max(stamps, default=None)

    # -- locks against changes from below ------------------------------------------

    def _locked(self, e: dict, rule: EntityRule, row: Record) -> str | None:
        if rule.lock is None:
            return None
        origin_rank = self.tree.rank(self.origin_units[e["station"]])
        changed = {
            n
            for n, (old, new) in e["changes"].items()
            if n not in BOOKKEEPING and canonical_value(getattr(row, n, None)) != new
        }
        if not changed:
            return None
        if rule.lock == "approved_case" and origin_rank < 1 and row.status in LOCKED_CASE_STATUSES:
            locked = sorted(changed - CASE_PROGRESS_FIELDS)
            if locked:
                return (
                    f"Hồ sơ {row.id} đã phê duyệt: không nhận thay đổi {', '.join(locked)} "
                    "từ cấp dưới."
                )
        if rule.lock == "approved_case_child" and origin_rank < 1:
            case = self.session.get(SupportCase, row.case_id)
            if case is not None and case.status in LOCKED_CASE_STATUSES:
                return f"Hồ sơ {case.id} đã phê duyệt: không nhận thay đổi mức hỗ trợ từ cấp dưới."
        if rule.lock == "closed_period":
            return self._closed_period(e, row)
        return None

    def _closed_period(self, e: dict, row: Record) -> str | None:
        on = getattr(row, "received_on", None) or getattr(row, "paid_on", None)
        method = getattr(row, "method", None)
        if on is None or method is None:
            return None
        keys = self.session.scalars(
            select(PeriodClose.period_key).where(
                PeriodClose.unit_code == row.unit_code,
                PeriodClose.account == method,
                PeriodClose.deleted_at.is_(None),
            )
        )
        for key in keys:
            if Period.parse(key).contains(on):
                return f"{e['entity']} {row.id}: kỳ {key} đã khóa sổ, không nhận thay đổi."
        return None
