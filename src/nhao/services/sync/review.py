"""What an import leaves for people to look at: bundles waiting for an earlier one,
conflicts to resolve and possible duplicate households to review."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from nhao.models import RECORD_MODELS, ChangeLogEntry, Household, HouseholdPairReview
from nhao.models.database import Database
from nhao.models.households import pair_review_id
from nhao.models.snapshot import canonical_value
from nhao.models.sync import Conflict, DuplicateCandidate, PendingBundle
from nhao.services.actor import Actor, Permission
from nhao.services.bulk_writer import BulkInserter
from nhao.services.errors import NotFound, PermissionDenied
from nhao.services.unit_of_work import UnitOfWork, unit_of_work
from nhao.sync.merge import from_canonical
from nhao.sync.rules import rule_for
from nhao.sync.scope import UnitTree
from nhao.tasks import NULL_PROGRESS, CancelToken, Progress, check_cancelled

T = TypeVar("T")


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
    chosen: dict | None = None  # {"v": value} the resolution chose, once resolved


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
        c.chosen_value,
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
        found = _rows_by_id(session, RECORD_MODELS[entity], sorted(ids))
        rows.update(((entity, str(record_id)), r) for record_id, r in found.items())
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
        conflict = _conflict(uow, conflict_id)
        _resolve(uow, actor, conflict, value)
        return _conflict_view(conflict)


def resolve_conflicts(
    db: Database,
    actor: Actor,
    choices: Sequence[tuple[str, object]],
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken | None = None,
) -> int:
    """Many conflicts resolved at once, each to its chosen value, in one transaction:
    all of them or, on the first one this person may not resolve, none. A conflict
    closed already (by an earlier choice on the same field, or in another window) is
    left as it was. Returns how many were resolved here."""
    resolved = 0
    with unit_of_work(db, actor) as uow:
        for number, (conflict_id, value) in enumerate(choices):
            check_cancelled(cancel)
            progress.update(number, len(choices), "Đang giải quyết các xung đột đã chọn")
            conflict = _conflict(uow, conflict_id)
            if conflict.resolved_at is None:
                _resolve(uow, actor, conflict, value)
                resolved += 1
        progress.update(len(choices), len(choices), "Đã giải quyết xong")
    return resolved


def _conflict(uow: UnitOfWork, conflict_id: str) -> Conflict:
    conflict = uow.session.get(Conflict, uuid.UUID(conflict_id))
    if conflict is None:
        raise NotFound(f"Không có xung đột {conflict_id}.")
    return conflict


def _resolve(uow: UnitOfWork, actor: Actor, conflict: Conflict, value: object) -> None:
    for permission in _resolve_needs(conflict.entity, conflict.field):
        actor.require(permission)
    model = RECORD_MODELS[conflict.entity]
    row = uow.session.get(model, uuid.UUID(conflict.record_id))
    if row is None:
        raise NotFound(f"Không còn bản ghi {conflict.entity} {conflict.record_id}.")
    actor.require_unit(row.unit_code)  # a team leader: their own hamlet's records only
    last = uow.station.last_seq
    values = {conflict.field: from_canonical(model, conflict.field, value)}
    for name, (source, make) in rule_for(conflict.entity).derived.items():
        if conflict.field in (name, source):  # the name's search key goes with the name
            values[name] = make(values.get(source, getattr(row, source)))
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
        other.chosen_value = {"v": value}
    uow.session.flush()


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
    mark_duplicates(db, actor, [duplicate_id], same)


# What two households had in common, the stronger first: a review made on a shared
# citizen ID is not asked again; one made on a name and birth year is, once they share one.
_EVIDENCE_ORDER = ("citizen_id", "name_birth_year")
_CHUNK = 500  # ids in one IN (…): well under every database's limit on parameters


def mark_duplicates(
    db: Database,
    actor: Actor,
    duplicate_ids: Sequence[str],
    same: bool,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken | None = None,
) -> int:
    """Many pairs marked alike in one go, in one transaction: a province's officer
    goes through a commune's hundreds of pairs that share only a common name and a
    birth year. All or none: a pair this person may not review refuses the lot.
    Returns how many pairs were marked."""
    actor.require(Permission.write_households)
    decision = "same" if same else "different"
    words = "cùng một hộ" if same else "hai hộ khác nhau"
    summary = f"Đánh dấu cặp hộ nghi trùng là {words}"
    wanted = list(dict.fromkeys(uuid.UUID(i) for i in duplicate_ids))
    with unit_of_work(db, actor) as uow:
        session = uow.session
        pairs = _rows_by_id(session, DuplicateCandidate, wanted)
        if missing := [i for i in wanted if i not in pairs]:
            raise NotFound(f"Không có cặp hộ nghi trùng {missing[0]}.")
        households = {h for p in pairs.values() for h in (p.household_a, p.household_b)}
        units = _unit_codes(session, households)
        tree = UnitTree(session)
        planned: dict[uuid.UUID, dict[str, str]] = {}
        for pair in (pairs[i] for i in wanted):
            for household_id in (pair.household_a, pair.household_b):
                if household_id not in units:
                    raise NotFound(f"Không còn hộ {household_id} của cặp nghi trùng này.")
                actor.require_unit(units[household_id])  # a team leader: their own hamlet
            review_id = pair_review_id(pair.household_a, pair.household_b)
            evidence = pair.reason
            if review_id in planned:  # the same two households, found twice
                evidence = min(
                    (evidence, planned[review_id]["evidence"]), key=_EVIDENCE_ORDER.index
                )
            planned[review_id] = {
                "household_a": pair.household_a,
                "household_b": pair.household_b,
                "unit_code": tree.common(units[pair.household_a], units[pair.household_b]),
                "decision": decision,
                "evidence": evidence,
                "reviewed_by": actor.username,
            }
        reviews = _rows_by_id(session, HouseholdPairReview, list(planned))
        # Edits of earlier reviews go first, on the unit of work's own path; the new
        # reviews then go in batches, as an import's households do.
        for review_id, review in reviews.items():
            fields = {k: planned[review_id][k] for k in ("decision", "evidence", "reviewed_by")}
            if (review.decision, review.evidence) != (decision, fields["evidence"]):
                uow.update(review, fields, summary=summary)
        writer = BulkInserter(uow, HouseholdPairReview)
        for number, (review_id, fields) in enumerate(planned.items()):
            if number % 200 == 0:
                check_cancelled(cancel)
                progress.update(number, len(planned), "Đang ghi nhận các cặp hộ đã chọn")
            if review_id not in reviews:
                writer.add({"id": review_id, **fields}, summary)
        writer.flush()
        for pair in pairs.values():
            pair.decision, pair.decided_by = decision, actor.username
        progress.update(len(planned), len(planned), "Đã ghi nhận xong")
    return len(pairs)


def _rows_by_id(session: Session, model: type[T], ids: list[uuid.UUID]) -> dict[uuid.UUID, T]:
    found: dict[uuid.UUID, T] = {}
    for start in range(0, len(ids), _CHUNK):
        query = select(model).where(model.id.in_(ids[start : start + _CHUNK]))  # type: ignore[attr-defined]
        found.update((row.id, row) for row in session.scalars(query))  # type: ignore[attr-defined]
    return found


def _unit_codes(session: Session, household_ids: set[str]) -> dict[str, str]:
    """Each household's hamlet, deleted ones too (a pair may outlive a delete)."""
    ids = sorted(uuid.UUID(h) for h in household_ids)
    codes: dict[str, str] = {}
    for start in range(0, len(ids), _CHUNK):
        query = select(Household.id, Household.unit_code).where(
            Household.id.in_(ids[start : start + _CHUNK])
        )
        codes.update((str(hid), code) for hid, code in session.execute(query))
    return codes
