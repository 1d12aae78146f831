"""Support cases: proposal, the commune's decisions, construction, acceptance, handover.

A case only moves along the domain's ALLOWED_TRANSITIONS. Every move appends a
CaseStatusEvent (who, when, why) and updates the case through the unit of work, so
the audit trail and the change log see it; a step back is never an edit.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from nhao.domain.acceptance import check_acceptance
from nhao.domain.dates import FIRST_PLANNED_YEAR, PLANNED_YEARS_AHEAD, format_date
from nhao.domain.enums import (
    ENDED_WITHOUT_SUPPORT,
    CaseStatus,
    FundSource,
    Role,
    SupportKind,
    can_transition,
    commune_decides,
)
from nhao.domain.errors import ValidationError
from nhao.domain.settings import ProgrammeSettings
from nhao.domain.text import nfc
from nhao.models import CaseStatusEvent, CaseSupport, Household, SupportCase
from nhao.models.database import Database
from nhao.services.actor import Actor, Permission
from nhao.services.errors import NotFound
from nhao.services.households import load_household
from nhao.services.settings import programme_settings
from nhao.services.unit_of_work import UnitOfWork, unit_of_work

S = CaseStatus
NEEDS_REASON = frozenset({S.rejected, S.cancelled})


class AcceptanceRefused(ValidationError):
    """The house does not meet the acceptance rules; `failures` lists each one."""

    def __init__(self, failures: tuple[str, ...]):
        super().__init__(
            message="Chưa nghiệm thu được: " + " ".join(failures), field="acceptance"
        )
        self.failures = failures


@dataclass(frozen=True)
class CaseInput:
    household_id: str
    kind: SupportKind
    planned_year: int
    design_model: str = ""


@dataclass(frozen=True)
class AcceptanceInput:
    """What the acceptance team (tổ nghiệm thu) records on site."""

    usable_area_m2: float
    foundation_durable: bool
    frame_walls_durable: bool
    roof_durable: bool
    expected_lifespan_years: int
    team: str = ""


@dataclass(frozen=True)
class CaseEventView:
    from_status: CaseStatus | None
    to_status: CaseStatus
    happened_on: date
    recorded_at: datetime
    actor_name: str
    reason: str
    decision_no: str


@dataclass(frozen=True)
class CaseView:
    id: str
    household_id: str
    household_name: str
    hamlet_code: str
    kind: SupportKind
    planned_year: int
    status: CaseStatus
    status_reason: str
    decision_no: str
    decision_date: date | None
    design_model: str
    labour_days: int
    materials_given: str
    started_on: date | None
    completed_on: date | None
    accepted_on: date | None
    acceptance: AcceptanceInput | None
    handed_over_on: date | None
    support: Mapping[FundSource, int]
    created_at: datetime
    updated_at: datetime
    events: tuple[CaseEventView, ...] = ()  # filled by get_case only

    @property
    def total_support(self) -> int:
        return sum(self.support.values())


# -- views --------------------------------------------------------------------


def _supports(session: Session, case_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict]:
    found: dict[uuid.UUID, dict[FundSource, int]] = {k: {} for k in case_ids}
    if case_ids:
        rows = session.execute(
            select(CaseSupport.case_id, CaseSupport.source, CaseSupport.amount).where(
                CaseSupport.case_id.in_(case_ids), CaseSupport.deleted_at.is_(None)
            )
        )
        for case_id, source, amount in rows:
            found[case_id][FundSource(source)] = amount
    return found


def _acceptance(row: SupportCase) -> AcceptanceInput | None:
    if row.accepted_area_m2 is None:
        return None
    return AcceptanceInput(
        usable_area_m2=row.accepted_area_m2,
        foundation_durable=bool(row.accepted_foundation_durable),
        frame_walls_durable=bool(row.accepted_frame_walls_durable),
        roof_durable=bool(row.accepted_roof_durable),
        expected_lifespan_years=row.expected_lifespan_years or 0,
        team=row.acceptance_team,
    )


def _view(row: SupportCase, household_name: str, support: dict, events=()) -> CaseView:  # type: ignore[no-untyped-def]
    return CaseView(
        id=str(row.id),
        household_id=str(row.household_id),
        household_name=household_name,
        hamlet_code=row.unit_code,
        kind=SupportKind(row.kind),
        planned_year=row.planned_year,
        status=CaseStatus(row.status),
        status_reason=row.status_reason,
        decision_no=row.decision_no,
        decision_date=row.decision_date,
        design_model=row.design_model,
        labour_days=row.labour_days,
        materials_given=row.materials_given,
        started_on=row.started_on,
        completed_on=row.completed_on,
        accepted_on=row.accepted_on,
        acceptance=_acceptance(row),
        handed_over_on=row.handed_over_on,
        support=support,
        created_at=row.created_at,
        updated_at=row.updated_at,
        events=tuple(events),
    )


def _events(session: Session, case_id: uuid.UUID) -> list[CaseEventView]:
    rows = session.scalars(
        select(CaseStatusEvent)
        .where(CaseStatusEvent.case_id == case_id, CaseStatusEvent.deleted_at.is_(None))
        .order_by(CaseStatusEvent.happened_on, CaseStatusEvent.created_at, CaseStatusEvent.id)
    )
    return [
        CaseEventView(
            from_status=CaseStatus(e.from_status) if e.from_status else None,
            to_status=CaseStatus(e.to_status),
            happened_on=e.happened_on,
            recorded_at=e.recorded_at,
            actor_name=e.actor_name,
            reason=e.reason,
            decision_no=e.decision_no,
        )
        for e in rows
    ]


def _full_view(session: Session, row: SupportCase) -> CaseView:
    name = session.scalar(select(Household.head_name).where(Household.id == row.household_id))
    return _view(row, name or "", _supports(session, [row.id])[row.id], _events(session, row.id))


def load_case(session: Session, case_id: str, actor: Actor) -> SupportCase:
    try:
        key = uuid.UUID(str(case_id))
    except ValueError:
        raise NotFound(f"Không tìm thấy hồ sơ hỗ trợ {case_id}.") from None
    row = session.get(SupportCase, key)
    if row is None or row.deleted_at is not None:
        raise NotFound(f"Không tìm thấy hồ sơ hỗ trợ {case_id}.")
    actor.require_unit(row.unit_code)
    return row


# -- proposing ----------------------------------------------------------------


def _event(uow: UnitOfWork, case: SupportCase, before: S | None, to: S, on: date, **extra) -> None:  # type: ignore[no-untyped-def]
    uow.insert(
        CaseStatusEvent(
            unit_code=case.unit_code,
            case_id=case.id,
            from_status=before.value if before else None,
            to_status=to.value,
            happened_on=on,
            recorded_at=uow.now,
            actor_name=uow.actor.label,
            **extra,
        ),
        summary=f"Hồ sơ hỗ trợ: {to.label_vi}",
    )


def insert_case(
    uow: UnitOfWork, data: CaseInput, on: date, *, today: date | None = None
) -> SupportCase:
    """Propose inside an open unit of work (the demo batches many of these)."""
    actor = uow.actor
    actor.require(Permission.manage_cases)
    kind = SupportKind(data.kind)
    if on > (today or date.today()):
        raise ValidationError(message="Ngày đề xuất không được sau hôm nay.", field="on")
    last_year = on.year + PLANNED_YEARS_AHEAD
    if not FIRST_PLANNED_YEAR <= data.planned_year <= last_year:
        raise ValidationError(
            message=f"Năm kế hoạch phải từ {FIRST_PLANNED_YEAR} đến {last_year}.",
            field="planned_year",
        )
    household = load_household(uow.session, data.household_id, actor)
    if household.deleted_at is not None:
        raise ValidationError(message="Hộ này đã bị xóa, không lập hồ sơ được.", field=None)
    live = uow.session.scalar(
        select(SupportCase.status).where(
            SupportCase.household_id == household.id,
            SupportCase.kind == kind.value,
            SupportCase.deleted_at.is_(None),
            SupportCase.status.not_in([s.value for s in ENDED_WITHOUT_SUPPORT]),
        )
    )
    if live is not None:
        raise ValidationError(
            message=f"Hộ {household.head_name} đã có hồ sơ {kind.label_vi.lower()} "
            f"({CaseStatus(live).label_vi.lower()}); không hỗ trợ trùng lặp đối tượng.",
            field="kind",
        )
    case = uow.insert(
        SupportCase(
            unit_code=household.unit_code,
            household_id=household.id,
            kind=kind.value,
            planned_year=data.planned_year,
            status=S.proposed.value,
            design_model=nfc(data.design_model),
        ),
        summary=f"Đề xuất {kind.label_vi.lower()} nhà cho hộ {household.head_name}",
    )
    _event(uow, case, None, S.proposed, on)
    return case


def propose_case(
    db: Database,
    actor: Actor,
    household_id: str,
    kind: SupportKind,
    planned_year: int,
    design_model: str = "",
    *,
    on: date | None = None,
) -> CaseView:
    with unit_of_work(db, actor) as uow:
        case = insert_case(
            uow, CaseInput(household_id, kind, planned_year, design_model), on or date.today()
        )
        return _full_view(uow.session, case)


# -- moving along -------------------------------------------------------------


def _require_may_move(actor: Actor, current: S, to: S) -> None:
    if commune_decides(current, to):  # the same rule refuses it in a bundle (sync.rules)
        actor.require(Permission.approve_cases)
    else:
        actor.require(Permission.manage_cases)


def _support_rows(support: Mapping[FundSource, int] | None) -> dict[FundSource, int]:
    if not support:
        raise ValidationError(
            message="Hãy ghi số tiền hỗ trợ được duyệt của ít nhất một nguồn.", field="support"
        )
    clean: dict[FundSource, int] = {}
    for source, amount in support.items():
        try:
            key = FundSource(source)
        except ValueError:
            message = f"Không có nguồn vốn “{source}”."
            raise ValidationError(message=message, field="support") from None
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise ValidationError(
                message=f"Số tiền của nguồn {key.label_vi} phải là số nguyên đồng lớn hơn 0.",
                field="support",
            )
        clean[key] = amount
    return clean


def _check_dates(session: Session, case: SupportCase, on: date, today: date) -> None:
    if on > today:
        raise ValidationError(message="Ngày chuyển bước không được sau hôm nay.", field="on")
    last = session.scalar(
        select(CaseStatusEvent.happened_on)
        .where(CaseStatusEvent.case_id == case.id, CaseStatusEvent.deleted_at.is_(None))
        .order_by(CaseStatusEvent.happened_on.desc())
        .limit(1)
    )
    if last is not None and on < last:
        raise ValidationError(
            message=f"Ngày chuyển bước không được trước ngày của bước trước ({format_date(last)}).",
            field="on",
        )


def _refuse_household_gone(session: Session, case: SupportCase, to: CaseStatus) -> Household:
    """A case goes on only while its household is on the register. Here it cannot be
    deleted under a live case, but a case can arrive by bundle for a household deleted
    here meanwhile: it is ended, never approved or paid for a household gone."""
    household = session.get(Household, case.household_id)
    if household is not None and household.deleted_at is None:
        return household
    name = household.head_name if household is not None else str(case.household_id)
    raise ValidationError(
        message=f"Hộ {name} đã bị xóa khỏi danh sách, nên hồ sơ không chuyển sang "
        f"“{to.label_vi.lower()}” được; hãy kết thúc hồ sơ (hủy hoặc không duyệt).",
        field="status",
    )


def _refuse_support_twice(session: Session, case: SupportCase, household: Household) -> None:
    """Two live cases of one purpose for one household: none is proposed here beside
    another, but bundles can bring one (a hamlet proposes again after the commune reviewed
    the first, whose withdrawal the commune then refuses). Neither goes on until one ends."""
    other = session.scalar(
        select(SupportCase.status)
        .where(
            SupportCase.household_id == case.household_id,
            SupportCase.kind == case.kind,
            SupportCase.id != case.id,
            SupportCase.deleted_at.is_(None),
            SupportCase.status.not_in([s.value for s in ENDED_WITHOUT_SUPPORT]),
        )
        .limit(1)
    )
    if other is None:
        return
    raise ValidationError(
        message=f"Hộ {household.head_name} còn một hồ sơ "
        f"{SupportKind(case.kind).label_vi.lower()} khác ở bước "
        f"“{CaseStatus(other).label_vi.lower()}”; không hỗ trợ trùng lặp đối tượng. Hãy kết "
        "thúc một trong hai hồ sơ (hủy hoặc không duyệt) trước.",
        field="status",
    )


def apply_transition(
    uow: UnitOfWork,
    case: SupportCase,
    to: CaseStatus,
    *,
    on: date,
    reason: str = "",
    decision_no: str = "",
    decision_date: date | None = None,
    acceptance: AcceptanceInput | None = None,
    support: Mapping[FundSource, int] | None = None,
    settings: ProgrammeSettings | None = None,
    today: date | None = None,
) -> None:
    """Move `case` to `to` inside an open unit of work; refuses anything off the path."""
    actor = uow.actor
    to, current = CaseStatus(to), CaseStatus(case.status)
    actor.require_unit(case.unit_code)
    _require_may_move(actor, current, to)
    if not can_transition(current, to):
        raise ValidationError(
            message=f"Hồ sơ đang ở bước “{current.label_vi}”, không chuyển sang "
            f"“{to.label_vi}” được.",
            field="status",
        )
    _check_dates(uow.session, case, on, today or date.today())
    if to not in ENDED_WITHOUT_SUPPORT:
        household = _refuse_household_gone(uow.session, case, to)
        _refuse_support_twice(uow.session, case, household)
    reason, decision_no = nfc(reason), nfc(decision_no)
    if to in NEEDS_REASON and not reason:
        raise ValidationError(message=f"Hãy ghi lý do {to.label_vi.lower()}.", field="reason")
    changes: dict[str, object] = {"status": to.value}
    if to in NEEDS_REASON:
        changes["status_reason"] = reason
    if to is S.approved:
        if not decision_no or decision_date is None:
            raise ValidationError(
                message="Phê duyệt cần số và ngày của quyết định.", field="decision_no"
            )
        if decision_date > on:
            raise ValidationError(
                message="Ngày quyết định không được sau ngày phê duyệt.", field="decision_date"
            )
        amounts = _support_rows(support)
        changes |= {"decision_no": decision_no, "decision_date": decision_date}
        for source, amount in amounts.items():
            uow.insert(
                CaseSupport(
                    unit_code=case.unit_code, case_id=case.id, source=source.value, amount=amount
                ),
                summary=f"Duyệt hỗ trợ từ {source.label_vi}",
            )
    elif to is S.accepted:
        if acceptance is None:
            raise ValidationError(message="Hãy nhập kết quả nghiệm thu.", field="acceptance")
        result = check_acceptance(
            acceptance.usable_area_m2,
            acceptance.foundation_durable,
            acceptance.frame_walls_durable,
            acceptance.roof_durable,
            acceptance.expected_lifespan_years,
            settings,
        )
        if not result.passed:
            raise AcceptanceRefused(result.failures)
        changes |= {
            "accepted_on": on,
            "accepted_area_m2": float(acceptance.usable_area_m2),
            "accepted_foundation_durable": acceptance.foundation_durable,
            "accepted_frame_walls_durable": acceptance.frame_walls_durable,
            "accepted_roof_durable": acceptance.roof_durable,
            "expected_lifespan_years": acceptance.expected_lifespan_years,
            "acceptance_team": nfc(acceptance.team),
        }
    else:
        date_column = {
            S.started: "started_on", S.completed: "completed_on", S.handed_over: "handed_over_on"
        }.get(to)
        if date_column:
            changes[date_column] = on
    uow.update(case, changes, summary=f"Hồ sơ hỗ trợ: {current.label_vi} → {to.label_vi}")
    _event(uow, case, current, to, on, reason=reason, decision_no=decision_no)


def transition(
    db: Database,
    actor: Actor,
    case_id: str,
    to: CaseStatus,
    *,
    on: date,
    reason: str = "",
    decision_no: str = "",
    decision_date: date | None = None,
    acceptance: AcceptanceInput | None = None,
    support: dict[FundSource, int] | None = None,
) -> CaseView:
    # Read before the transaction: SQLite has one connection, a nested session would wait.
    settings = programme_settings(db) if CaseStatus(to) is S.accepted else None
    with unit_of_work(db, actor) as uow:
        case = load_case(uow.session, case_id, actor)
        apply_transition(
            uow,
            case,
            to,
            on=on,
            reason=reason,
            decision_no=decision_no,
            decision_date=decision_date,
            acceptance=acceptance,
            support=support,
            settings=settings,
        )
        return _full_view(uow.session, case)


# -- reading ------------------------------------------------------------------


def get_case(db: Database, actor: Actor, case_id: str) -> CaseView:
    actor.require(Permission.read_households)
    with db.session() as session:
        return _full_view(session, load_case(session, case_id, actor))


def _listed(session: Session, stmt) -> list[CaseView]:  # type: ignore[no-untyped-def]
    rows = session.execute(stmt.order_by(Household.head_name_key, SupportCase.created_at)).all()
    supports = _supports(session, [case.id for case, _ in rows])
    return [_view(case, name, supports[case.id]) for case, name in rows]


def _base(actor: Actor):  # type: ignore[no-untyped-def]
    stmt = (
        select(SupportCase, Household.head_name)
        .join(Household, Household.id == SupportCase.household_id)
        .where(SupportCase.deleted_at.is_(None))
    )
    if actor.role is Role.team_leader:
        stmt = stmt.where(SupportCase.unit_code == actor.hamlet_code)
    return stmt


def list_cases(
    db: Database, actor: Actor, status: CaseStatus | None = None, *, hamlet_code: str | None = None
) -> list[CaseView]:
    """Cases by household name; a team leader sees only the own hamlet's."""
    actor.require(Permission.read_households)
    stmt = _base(actor)
    if status is not None:
        stmt = stmt.where(SupportCase.status == CaseStatus(status).value)
    if hamlet_code:
        stmt = stmt.where(SupportCase.unit_code == hamlet_code)
    with db.session() as session:
        return _listed(session, stmt)


def cases_of_household(db: Database, actor: Actor, household_id: str) -> list[CaseView]:
    actor.require(Permission.read_households)
    with db.session() as session:
        household = load_household(session, household_id, actor)
        return _listed(session, _base(actor).where(SupportCase.household_id == household.id))
