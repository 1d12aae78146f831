"""What an import leaves for people to look at: bundles waiting for an earlier one,
conflicts to resolve and possible duplicate households to review."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from nhao.models import RECORD_MODELS, ChangeLogEntry, Household, HouseholdPairReview
from nhao.models.database import Database
from nhao.models.households import pair_review_id
from nhao.models.snapshot import canonical_value
from nhao.models.sync import Conflict, DuplicateCandidate, PendingBundle
from nhao.services.actor import Actor, Permission
from nhao.services.errors import NotFound, PermissionDenied
from nhao.services.unit_of_work import unit_of_work
from nhao.sync.merge import from_canonical
from nhao.sync.rules import rule_for
from nhao.sync.scope import UnitTree


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
