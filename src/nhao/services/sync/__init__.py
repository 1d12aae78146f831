"""What the command line and the window call for sync: export, import, receipts,
pending bundles, conflicts and possible duplicates. The work is in sync_*.py."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from nhao.domain.official_units import official_name
from nhao.models import RECORD_MODELS, ChangeLogEntry, Household, HouseholdPairReview
from nhao.models.database import Database
from nhao.models.households import pair_review_id
from nhao.models.labels import ENTITY_LABELS
from nhao.models.snapshot import canonical_value
from nhao.models.sync import Conflict, DuplicateCandidate, PendingBundle
from nhao.reports.bundle_report_xlsx import FileRow, write_bundle_report
from nhao.services.actor import Actor, Permission
from nhao.services.errors import NotFound, PermissionDenied
from nhao.services.sync.ack import import_ack, write_ack
from nhao.services.sync.clock import clock_warning
from nhao.services.sync.epoch import check_station_instance, start_new_epoch
from nhao.services.sync.export import ExportResult, export_bundle, received_bundle_at
from nhao.services.sync.importing import apply_pending, import_bundles
from nhao.services.unit_of_work import self_station, unit_of_work, utcnow
from nhao.sync.merge import from_canonical
from nhao.sync.results import COUNT_KEYS
from nhao.sync.rules import rule_for
from nhao.sync.scope import UnitTree

__all__ = [
    "COUNT_KEYS",
    "ConflictView",
    "DuplicateView",
    "ExportResult",
    "PendingView",
    "STATUS_LABELS",
    "ReportNames",
    "apply_pending",
    "check_station_instance",
    "clock_warning",
    "entities_in_order",
    "export_bundle",
    "received_bundle_at",
    "import_ack",
    "import_bundles",
    "list_conflicts",
    "list_duplicates",
    "list_pending",
    "mark_duplicate",
    "may_resolve",
    "resolve_conflict",
    "start_new_epoch",
    "report_names",
    "write_ack",
    "write_import_report",
]


@dataclass(frozen=True)
class PendingView:
    sha256: str
    file_name: str
    producer_unit: str
    waiting_for: str
    received_at: datetime


@dataclass(frozen=True)
class ConflictView:
    id: str
    entity: str
    record_id: str
    unit_code: str
    field: str
    kept_value: object
    lost_value: object
    kept_hlc: str
    lost_hlc: str
    bundle: str
    resolved_at: datetime | None


@dataclass(frozen=True)
class DuplicateView:
    id: str
    household_a: str
    household_b: str
    reason: str
    decision: str | None


def list_pending(db: Database) -> list[PendingView]:
    # The columns only: the held bundles themselves (photos and all) stay in the database.
    columns = (
        PendingBundle.sha256,
        PendingBundle.file_name,
        PendingBundle.producer_unit,
        PendingBundle.waiting_for,
        PendingBundle.received_at,
    )
    with db.session() as session:
        rows = session.execute(select(*columns).order_by(PendingBundle.received_at))
        return [PendingView(*row) for row in rows]


def _conflict_view(c: Conflict, standing: dict[uuid.UUID, object] | None = None) -> ConflictView:
    return ConflictView(
        str(c.id),
        c.entity,
        c.record_id,
        c.unit_code,
        c.field,
        standing[c.id] if standing and c.id in standing else c.kept_value.get("v"),
        c.lost_value.get("v"),
        c.kept_hlc,
        c.lost_hlc,
        c.bundle,
        c.resolved_at,
    )


def list_conflicts(db: Database, *, open_only: bool = True) -> list[ConflictView]:
    with db.session() as session:
        query = select(Conflict).order_by(Conflict.detected_at)
        if open_only:
            query = query.where(Conflict.resolved_at.is_(None))
        conflicts = list(session.scalars(query))
        standing = _standing_values(session, [c for c in conflicts if c.resolved_at is None])
        return [_conflict_view(c, standing) for c in conflicts]


def _standing_values(session: Session, conflicts: list[Conflict]) -> dict[uuid.UUID, object]:
    """The value each open conflict's field has now: a later change (another conflict
    on the same field, say) may have replaced the value that stood when it was found,
    and keeping "the value that stands" must not bring the older one back."""
    wanted: dict[str, set[uuid.UUID]] = defaultdict(set)
    for c in conflicts:
        wanted[c.entity].add(uuid.UUID(c.record_id))
    rows: dict[tuple[str, str], object] = {}
    for entity, ids in wanted.items():
        model = RECORD_MODELS[entity]
        chunk = sorted(ids)
        for start in range(0, len(chunk), 500):
            query = select(model).where(model.id.in_(chunk[start : start + 500]))
            rows.update(((entity, str(r.id)), r) for r in session.scalars(query))
    return {
        c.id: canonical_value(getattr(rows[(c.entity, c.record_id)], c.field))
        for c in conflicts
        if (c.entity, c.record_id) in rows
    }


# Choosing a value is an edit of the record: it needs what editing it by hand needs.
_FUND = Permission.write_fund
_CASES = Permission.manage_cases
RESOLVE_PERMISSIONS: dict[str, Permission] = {
    "unit": Permission.manage_units,
    "target": Permission.manage_units,
    "household": Permission.write_households,
    "inspection": Permission.write_households,
    "attachment": Permission.write_households,
    "support_case": _CASES,
    "case_support": Permission.approve_cases,  # amounts: written only by an approval
    "case_status_event": _CASES,
    "donor": _FUND,
    "pledge": _FUND,
    "receipt": _FUND,
    "payment": _FUND,
    "bank_statement_line": _FUND,
    "period_close": _FUND,
}


def _resolve_needs(entity: str, field: str) -> list[Permission]:
    needs = [RESOLVE_PERMISSIONS.get(entity, Permission.manage_units)]
    rule = rule_for(entity)
    # A decision's or an acceptance's own field; and a case's status, whose conflicts
    # are between steps neither of which lies forward of the other (approved against
    # rejected, say): choosing one is the commune's decision.
    if field in rule.guarded_fields or field in rule.guarded_moves:
        needs.append(Permission.approve_cases)
    return needs


def may_resolve(actor: Actor, entity: str, field: str, unit_code: str | None = None) -> bool:
    """Whether `actor` may choose the value of a conflict over this field of a record
    of `unit_code` (a team leader: their own hamlet's records only)."""
    if not all(actor.can(p) for p in _resolve_needs(entity, field)):
        return False
    try:
        if unit_code is not None:
            actor.require_unit(unit_code)
    except PermissionDenied:
        return False
    return True


def resolve_conflict(db: Database, actor: Actor, conflict_id: str, value: object) -> ConflictView:
    """Set the field to the chosen value (canonical form: the kept or the lost one).
    The resolution is a change like any other, marked `resolve` so that it also
    travels down to the stations below, where it closes the same conflict."""
    with unit_of_work(db, actor) as uow:
        conflict = uow.session.get(Conflict, uuid.UUID(conflict_id))
        if conflict is None:
            raise NotFound(f"Không có xung đột {conflict_id}.")
        for permission in _resolve_needs(conflict.entity, conflict.field):
            actor.require(permission)
        model = RECORD_MODELS[conflict.entity]
        row = uow.session.get(model, uuid.UUID(conflict.record_id))
        if row is None:
            raise NotFound(f"Không còn bản ghi {conflict.entity} {conflict.record_id}.")
        actor.require_unit(row.unit_code)  # a team leader: their own hamlet's records only
        last = uow.station.last_seq
        values = {conflict.field: from_canonical(model, conflict.field, value)}
        if conflict.field == "deleted_at":  # the reason goes with the delete, or goes
            values["deleted_reason"] = (
                None if value is None else row.deleted_reason or conflict.lost_value.get("reason")
            )
        changed = uow.update(row, values, summary=f"Giải quyết xung đột trường {conflict.field}")
        if not changed:
            # The value already stands: still send a resolution so others close theirs.
            uow.update(row, {"updated_at": uow.now}, summary="Xác nhận giá trị sau xung đột")
        uow.session.flush()
        for entry in uow.session.scalars(
            select(ChangeLogEntry).where(
                ChangeLogEntry.station_id == uow.station.id,
                ChangeLogEntry.seq > last,
            )
        ):
            entry.op = "resolve"
            if not changed:
                confirmed = {conflict.field: [value, value]}
                if conflict.field == "deleted_at":  # deletes or brings back elsewhere too
                    reason = row.deleted_reason
                    confirmed["deleted_reason"] = [reason, reason]
                entry.changes = dict(entry.changes, **confirmed)
        for other in uow.session.scalars(
            select(Conflict).where(
                Conflict.entity == conflict.entity,
                Conflict.record_id == conflict.record_id,
                Conflict.field == conflict.field,
                Conflict.resolved_at.is_(None),
            )
        ):
            other.resolved_at = uow.now
            other.resolved_by = actor.username
        uow.session.flush()
        return _conflict_view(conflict)


def list_duplicates(db: Database, *, undecided_only: bool = True) -> list[DuplicateView]:
    """The pairs sharing a citizen ID first: at a province they are a few among
    thousands that only share a common name and a birth year."""
    pair = DuplicateCandidate
    strong_first = case((pair.reason == "citizen_id", 0), else_=1)
    with db.session() as session:
        # The columns, not ORM objects: a province lists thousands, on the GUI thread.
        query = select(
            pair.id, pair.household_a, pair.household_b, pair.reason, pair.decision
        ).order_by(strong_first, pair.found_at, pair.household_a, pair.id)
        if undecided_only:
            query = query.where(DuplicateCandidate.decision.is_(None))
        return [DuplicateView(str(row[0]), *row[1:]) for row in session.execute(query)]


def mark_duplicate(db: Database, actor: Actor, duplicate_id: str, same: bool) -> None:
    """A person's review: "same household" or "different". Nothing is merged. The
    finding is a record of its own (audited, sent up with the next bundles), so the
    units above do not ask again about a pair reviewed here."""
    actor.require(Permission.write_households)
    decision = "same" if same else "different"
    with unit_of_work(db, actor) as uow:
        session = uow.session
        row = session.get(DuplicateCandidate, uuid.UUID(duplicate_id))
        if row is None:
            raise NotFound(f"Không có cặp hộ nghi trùng {duplicate_id}.")
        units = []
        for household_id in (row.household_a, row.household_b):
            house = session.get(Household, uuid.UUID(household_id))
            if house is None:
                raise NotFound(f"Không còn hộ {household_id} của cặp nghi trùng này.")
            actor.require_unit(house.unit_code)  # a team leader: within their own hamlet
            units.append(house.unit_code)
        words = "cùng một hộ" if same else "hai hộ khác nhau"
        summary = f"Đánh dấu cặp hộ nghi trùng là {words}"
        review = session.get(HouseholdPairReview, pair_review_id(row.household_a, row.household_b))
        fields = {"decision": decision, "evidence": row.reason, "reviewed_by": actor.username}
        if review is None:
            uow.insert(
                HouseholdPairReview(
                    id=pair_review_id(row.household_a, row.household_b),
                    unit_code=UnitTree(session).common(*units),
                    household_a=row.household_a,
                    household_b=row.household_b,
                    **fields,
                ),
                summary=summary,
            )
        elif review.decision != decision or review.evidence != row.reason:
            uow.update(review, fields, summary=summary)
        row.decision, row.decided_by = decision, actor.username


# The report is read by people: statuses and entities in their words, as the window shows them.
STATUS_LABELS = {
    "dry-run": "Đã kiểm tra trước (chưa ghi)",
    "applied": "Đã nhập",
    "skipped": "Đã nhập từ trước",
    "pending": "Gói chờ (thiếu gói trước)",
    "refused": "Từ chối",
}
_REPORT_LISTS = (
    ("Thay đổi bị từ chối", "refused_changes"),
    ("Thay đổi đang chờ", "held_changes"),  # came before their record; applied with it
    ("Phiếu trùng số", "number_clashes"),  # both vouchers kept, one to be voided
)


_ORDER = {name: n for n, name in enumerate(RECORD_MODELS)}


def entities_in_order(report: dict) -> list[tuple[str, dict]]:
    """A report's counts per kind of record: households and what follows them first, as
    the programme's steps go; the units a bundle describes last."""
    found = (report.get("entities") or {}).items()
    return sorted(found, key=lambda item: (item[0] == "unit", _ORDER.get(item[0], len(_ORDER))))


@dataclass(frozen=True)
class ReportNames:
    """How an import report names units: "Xã Bình Gia (06112)"."""

    here: str | None  # the station that imported
    label: Callable[[str], str]


def _official_label(code: str) -> str:
    name = official_name(code)
    return f"{name} ({code})" if name else code


def report_names(db: Database | None = None) -> ReportNames:
    """From the database's units when there is one, else from the official list."""
    if db is None:
        return ReportNames(None, _official_label)
    with db.session() as session:
        tree = UnitTree(session)
        return ReportNames(tree.label(self_station(session).unit_code), tree.label)


def write_import_report(reports: list[dict], path: Path, names: ReportNames | None = None) -> Path:
    """The import report as an xlsx people keep and print: one row per file and kind of
    record, then the changes refused, held and the vouchers numbered twice."""
    names = names or report_names()
    label, here = names.label, names.here
    made = datetime.now()  # the laptop's own time, as people read it
    checked_only = bool(reports) and all(r["status"] == "dry-run" for r in reports)
    said = ", ".join(
        f"{n} {STATUS_LABELS[status].lower()}"
        for status in STATUS_LABELS
        if (n := sum(r["status"] == status for r in reports))
    )
    heading = [
        "KẾT QUẢ KIỂM TRA GÓI DỮ LIỆU (CHƯA GHI)" if checked_only else "KẾT QUẢ NHẬP GÓI DỮ LIỆU",
        " · ".join(
            part
            for part in (
                f"Nơi nhập: {here}" if here else "",
                f"Lập lúc {made:%H:%M} ngày {made:%d/%m/%Y}",
                f"{len(reports)} tệp: {said}" if said else "",
            )
            if part
        ),
    ]
    files = [
        FileRow(
            file=r["file"],
            status=r["status"],
            status_label=STATUS_LABELS.get(r["status"], r["status"]),
            sender=label(unit) if (unit := (r.get("producer") or {}).get("unit")) else "",
            reason=r.get("reason") or "",
            possible_duplicates=r.get("possible_duplicates", 0),
            entities=[
                (ENTITY_LABELS.get(entity, entity), [counts.get(k, 0) for k in COUNT_KEYS])
                for entity, counts in entities_in_order(r)
            ],
        )
        for r in reports
    ]
    lists = [
        (title, [(r["file"], reason) for r in reports for reason in r.get(key, [])])
        for title, key in _REPORT_LISTS
    ]
    write_bundle_report(path, heading=heading, files=files, lists=lists)
    return path


def now() -> datetime:
    return utcnow()
