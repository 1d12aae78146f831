"""Support cases: the forward-only path, the commune's decisions, acceptance, roles."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from nhao.domain.enums import (
    CaseStatus,
    FundSource,
    Instalment,
    PaymentMethod,
    Role,
    SupportKind,
)
from nhao.domain.errors import ValidationError
from nhao.models import AuditEvent, CaseStatusEvent, CaseSupport, ChangeLogEntry
from nhao.models.database import Database
from nhao.services import cases, fund, households, units, users
from nhao.services.actor import Actor
from nhao.services.cases import AcceptanceInput, AcceptanceRefused
from nhao.services.errors import PermissionDenied

S = CaseStatus
SUPPORT = {FundSource.state_budget: 40_000_000, FundSource.fund: 20_000_000}
GOOD_HOUSE = AcceptanceInput(45.0, True, True, True, 30, "Tổ nghiệm thu xã")


def make_household(db: Database, actor: Actor, hamlet_code: str,
                   name: str = "Hoàng Văn Páo") -> str:
    data = households.HouseholdInput(hamlet_code=hamlet_code, head_name=name, members=4)
    return households.create_household(db, actor, data).id


def make_user(db: Database, admin: Actor, username: str, role: Role, hamlet: str | None = None):
    users.create_user(db, admin, username=username, password="demo", role=role,
                      hamlet_code=hamlet)
    return users.authenticate(db, username, "demo")


@pytest.fixture
def household(db: Database, admin: Actor, hamlet: units.UnitView) -> str:
    return make_household(db, admin, hamlet.code)


def approved_case(db: Database, admin: Actor, household_id: str) -> cases.CaseView:
    case = cases.propose_case(db, admin, household_id, SupportKind.new_build, 2025,
                              on=date(2025, 2, 1))
    cases.transition(db, admin, case.id, S.reviewed, on=date(2025, 2, 15))
    return cases.transition(db, admin, case.id, S.approved, on=date(2025, 3, 1),
                            decision_no="35/QĐ-UBND", decision_date=date(2025, 3, 1),
                            support=SUPPORT)


def test_full_path_records_every_step(db: Database, admin: Actor, household: str) -> None:
    case = approved_case(db, admin, household)
    assert case.decision_no == "35/QĐ-UBND" and case.support == SUPPORT
    assert case.total_support == 60_000_000
    for status, day in ((S.started, date(2025, 4, 1)), (S.completed, date(2025, 7, 1))):
        case = cases.transition(db, admin, case.id, status, on=day)
    case = cases.transition(db, admin, case.id, S.accepted, on=date(2025, 7, 10),
                            acceptance=GOOD_HOUSE)
    case = cases.transition(db, admin, case.id, S.handed_over, on=date(2025, 7, 15))

    assert case.status is S.handed_over
    assert (case.started_on, case.completed_on, case.accepted_on, case.handed_over_on) == (
        date(2025, 4, 1), date(2025, 7, 1), date(2025, 7, 10), date(2025, 7, 15))
    assert case.acceptance == GOOD_HOUSE
    steps = [(e.from_status, e.to_status) for e in cases.get_case(db, admin, case.id).events]
    assert steps == [(None, S.proposed), (S.proposed, S.reviewed), (S.reviewed, S.approved),
                     (S.approved, S.started), (S.started, S.completed),
                     (S.completed, S.accepted), (S.accepted, S.handed_over)]
    with db.session() as session:
        # Each event and support row went through the unit of work: audited, logged.
        for entity in (CaseStatusEvent.__tablename__, CaseSupport.__tablename__):
            audited = session.scalar(select(func.count()).select_from(AuditEvent)
                                     .where(AuditEvent.entity == entity))
            logged = session.scalar(select(func.count()).select_from(ChangeLogEntry)
                                    .where(ChangeLogEntry.entity == entity))
            assert audited == logged == (7 if entity == "case_status_event" else 2)


@pytest.mark.parametrize("to", [S.approved, S.started, S.completed, S.accepted, S.handed_over])
def test_jumps_are_refused(db: Database, admin: Actor, household: str, to: CaseStatus) -> None:
    case = cases.propose_case(db, admin, household, SupportKind.repair, 2025, on=date(2025, 2, 1))
    with pytest.raises(ValidationError) as refused:
        cases.transition(db, admin, case.id, to, on=date(2025, 3, 1), decision_no="1/QĐ",
                         decision_date=date(2025, 3, 1), support=SUPPORT, acceptance=GOOD_HOUSE)
    assert refused.value.field == "status"
    assert cases.get_case(db, admin, case.id).status is S.proposed


def test_no_step_back_and_final_states_stay(db: Database, admin: Actor, household: str) -> None:
    case = approved_case(db, admin, household)
    with pytest.raises(ValidationError, match="không chuyển sang"):
        cases.transition(db, admin, case.id, S.reviewed, on=date(2025, 3, 2))
    with pytest.raises(ValidationError):  # rejection is only possible before approval
        cases.transition(db, admin, case.id, S.rejected, on=date(2025, 3, 2), reason="x")
    cases.transition(db, admin, case.id, S.cancelled, on=date(2025, 3, 2), reason="Hộ chuyển đi")
    with pytest.raises(ValidationError):
        cases.transition(db, admin, case.id, S.started, on=date(2025, 3, 3))


def test_approval_needs_decision_and_support(db: Database, admin: Actor, household: str) -> None:
    case = cases.propose_case(db, admin, household, SupportKind.new_build, 2025,
                              on=date(2025, 2, 1))
    cases.transition(db, admin, case.id, S.reviewed, on=date(2025, 2, 15))
    day = date(2025, 3, 1)
    with pytest.raises(ValidationError, match="quyết định"):
        cases.transition(db, admin, case.id, S.approved, on=day, support=SUPPORT)
    with pytest.raises(ValidationError, match="quyết định"):
        cases.transition(db, admin, case.id, S.approved, on=day, decision_no="35/QĐ-UBND",
                         support=SUPPORT)
    for support in (None, {}, {FundSource.fund: 0}, {FundSource.fund: 20_000_000.0},
                    {FundSource.fund: True}, {"nowhere": 1}):
        with pytest.raises(ValidationError) as refused:
            cases.transition(db, admin, case.id, S.approved, on=day, decision_no="35/QĐ-UBND",
                             decision_date=day, support=support)  # type: ignore[arg-type]
        assert refused.value.field == "support"
    assert cases.get_case(db, admin, case.id).status is S.reviewed


def test_reject_and_cancel_need_a_reason(db: Database, admin: Actor, household: str) -> None:
    case = cases.propose_case(db, admin, household, SupportKind.new_build, 2025,
                              on=date(2025, 2, 1))
    for to in (S.rejected, S.cancelled):
        with pytest.raises(ValidationError, match="lý do"):
            cases.transition(db, admin, case.id, to, on=date(2025, 2, 2), reason="  ")
    case = cases.transition(db, admin, case.id, S.rejected, on=date(2025, 2, 2),
                            reason="Hộ đã được hỗ trợ năm 2012")
    assert case.status_reason == "Hộ đã được hỗ trợ năm 2012"
    assert case.events[-1].reason == "Hộ đã được hỗ trợ năm 2012"


def test_acceptance_refused_lists_every_failure(db: Database, admin: Actor, household: str) -> None:
    case = approved_case(db, admin, household)
    cases.transition(db, admin, case.id, S.started, on=date(2025, 4, 1))
    cases.transition(db, admin, case.id, S.completed, on=date(2025, 7, 1))
    with pytest.raises(ValidationError, match="nghiệm thu"):
        cases.transition(db, admin, case.id, S.accepted, on=date(2025, 7, 10))
    with pytest.raises(AcceptanceRefused) as refused:
        cases.transition(db, admin, case.id, S.accepted, on=date(2025, 7, 10),
                         acceptance=AcceptanceInput(29.5, True, True, False, 15))
    assert len(refused.value.failures) == 3
    assert "29,5 m²" in refused.value.message and "30 m²" in refused.value.message
    assert "Mái" in refused.value.message and "20 năm" in refused.value.message
    assert cases.get_case(db, admin, case.id).status is S.completed
    # Exactly 30 m² is enough.
    case = cases.transition(db, admin, case.id, S.accepted, on=date(2025, 7, 10),
                            acceptance=AcceptanceInput(30.0, True, True, True, 20))
    assert case.status is S.accepted and case.acceptance.usable_area_m2 == 30.0  # type: ignore[union-attr]


def test_dates_never_run_backwards(db: Database, admin: Actor, household: str) -> None:
    case = cases.propose_case(db, admin, household, SupportKind.repair, 2025, on=date(2025, 3, 1))
    with pytest.raises(ValidationError, match="01/03/2025"):
        cases.transition(db, admin, case.id, S.reviewed, on=date(2025, 2, 1))
    with pytest.raises(ValidationError, match="sau hôm nay"):
        cases.transition(db, admin, case.id, S.reviewed, on=date(2999, 1, 1))


def test_no_second_live_case_for_the_same_purpose(
    db: Database, admin: Actor, household: str
) -> None:
    first = cases.propose_case(db, admin, household, SupportKind.new_build, 2025,
                               on=date(2025, 2, 1))
    with pytest.raises(ValidationError, match="trùng lặp"):
        cases.propose_case(db, admin, household, SupportKind.new_build, 2026, on=date(2025, 2, 2))
    repair = cases.propose_case(db, admin, household, SupportKind.repair, 2025,
                                on=date(2025, 2, 2))
    cases.transition(db, admin, first.id, S.cancelled, on=date(2025, 2, 3), reason="Đề xuất lại")
    again = cases.propose_case(db, admin, household, SupportKind.new_build, 2026,
                               on=date(2025, 2, 4))
    listed = {c.id for c in cases.cases_of_household(db, admin, household)}
    assert listed == {first.id, repair.id, again.id}


def test_roles(db: Database, admin: Actor, hamlet: units.UnitView, household: str) -> None:
    other = units.add_hamlets(db, admin, ["Bản Chu"])[0]
    elsewhere = make_household(db, admin, other.code, "Lý Thị Mẩy")
    leader = make_user(db, admin, "totruong", Role.team_leader, hamlet.code)
    accountant = make_user(db, admin, "ketoan", Role.accountant)
    viewer = make_user(db, admin, "xem", Role.viewer)
    for actor in (viewer, accountant):
        with pytest.raises(PermissionDenied):
            cases.propose_case(db, actor, household, SupportKind.new_build, 2025)
    with pytest.raises(PermissionDenied):  # only the own hamlet
        cases.propose_case(db, leader, elsewhere, SupportKind.new_build, 2025)

    case = cases.propose_case(db, leader, household, SupportKind.new_build, 2025,
                              on=date(2025, 2, 1))
    for to in (S.reviewed, S.rejected):
        with pytest.raises(PermissionDenied):
            cases.transition(db, leader, case.id, to, on=date(2025, 2, 2), reason="x")
    cases.transition(db, admin, case.id, S.reviewed, on=date(2025, 2, 2))
    with pytest.raises(PermissionDenied):
        cases.transition(db, leader, case.id, S.approved, on=date(2025, 3, 1), decision_no="1",
                         decision_date=date(2025, 3, 1), support=SUPPORT)
    cases.transition(db, admin, case.id, S.approved, on=date(2025, 3, 1), decision_no="1",
                     decision_date=date(2025, 3, 1), support=SUPPORT)
    # Building is the hamlet team's work; cancelling an approved case is not.
    assert cases.transition(db, leader, case.id, S.started, on=date(2025, 4, 1)).status is S.started
    with pytest.raises(PermissionDenied):
        cases.transition(db, leader, case.id, S.cancelled, on=date(2025, 4, 2), reason="x")

    theirs = cases.propose_case(db, admin, elsewhere, SupportKind.repair, 2025,
                                on=date(2025, 2, 1))
    assert [c.id for c in cases.list_cases(db, leader)] == [case.id]
    assert {c.id for c in cases.list_cases(db, admin)} == {case.id, theirs.id}
    assert [c.id for c in cases.list_cases(db, admin, S.proposed)] == [theirs.id]
    with pytest.raises(PermissionDenied):
        cases.get_case(db, leader, theirs.id)


def test_a_household_with_a_case_under_way_or_done_cannot_be_deleted(
    db: Database, admin: Actor, household: str
) -> None:
    case = approved_case(db, admin, household)
    with pytest.raises(ValidationError) as refused:
        households.delete_household(db, admin, household, "Chuyển đi nơi khác")
    assert "“đã phê duyệt”" in refused.value.message
    assert "hủy hồ sơ trước" in refused.value.message
    assert households.get_household(db, admin, household).deleted_at is None

    for status, day in ((S.started, date(2025, 4, 1)), (S.completed, date(2025, 7, 1))):
        cases.transition(db, admin, case.id, status, on=day)
    cases.transition(db, admin, case.id, S.accepted, on=date(2025, 7, 10), acceptance=GOOD_HOUSE)
    cases.transition(db, admin, case.id, S.handed_over, on=date(2025, 7, 15))
    with pytest.raises(ValidationError) as refused:
        households.delete_household(db, admin, household, "Chuyển đi nơi khác")
    # A house handed over cannot be cancelled: the household stays with its result.
    assert "“đã bàn giao”" in refused.value.message
    assert "hủy hồ sơ" not in refused.value.message
    assert households.get_household(db, admin, household).deleted_at is None


def test_a_household_whose_case_was_cancelled_or_rejected_can_be_deleted(
    db: Database, admin: Actor, hamlet: units.UnitView
) -> None:
    for name, end in (("Lò Văn Ba", S.cancelled), ("Lò Thị Bốn", S.rejected)):
        household = make_household(db, admin, hamlet.code, name)
        case = cases.propose_case(db, admin, household, SupportKind.repair, 2025,
                                  on=date(2025, 2, 1))
        if end is S.rejected:
            cases.transition(db, admin, case.id, S.reviewed, on=date(2025, 2, 15))
        cases.transition(db, admin, case.id, end, on=date(2025, 3, 1), reason="Không đủ điều kiện")
        households.delete_household(db, admin, household, "Chuyển đi nơi khác")
        assert households.get_household(db, admin, household).deleted_at is not None


def test_a_household_paid_from_the_fund_stays_after_its_case_is_cancelled(
    db: Database, admin: Actor, household: str
) -> None:
    """The commune pays the advance, then cancels the case (the household moved away):
    the payment stands on the household, which stays on the register until it is voided."""
    case = approved_case(db, admin, household)
    donor = fund.add_donor(db, admin, "Công ty Xi măng Lạng Sơn")
    fund.record_receipt(db, admin, donor.id, 30_000_000, date(2025, 3, 2), PaymentMethod.cash)
    paid = fund.record_payment(db, admin, case.id, 14_000_000, date(2025, 3, 5),
                               Instalment.advance, PaymentMethod.cash)
    cases.transition(db, admin, case.id, S.cancelled, on=date(2025, 3, 10), reason="Chuyển đi")
    assert households.deletion_refused(db, admin, household) is not None
    with pytest.raises(ValidationError) as refused:
        households.delete_household(db, admin, household, "Chuyển đi nơi khác")
    said = refused.value.message
    assert "Hoàng Văn Páo" in said and paid.voucher_no in said, said
    assert households.get_household(db, admin, household).deleted_at is None

    fund.void_payment(db, admin, paid.id, "Hộ đã hoàn lại tiền tạm ứng")
    households.delete_household(db, admin, household, "Chuyển đi nơi khác")
    assert households.get_household(db, admin, household).deleted_at is not None


def test_a_household_moved_to_another_hamlet_takes_its_cases_along(
    db: Database, admin: Actor, hamlet: units.UnitView, household: str
) -> None:
    """The commune corrects the hamlet of a household whose case it approved: the case
    is listed, filtered and reached by the team where the household now is, not left
    under the old hamlet. The events stay: they record where each step was taken."""
    units.add_hamlets(db, admin, ["Xóm Cốc Lùng"])
    other = next(h for h in units.list_hamlets(db) if h.code != hamlet.code)
    case = approved_case(db, admin, household)
    cancelled = cases.propose_case(db, admin, household, SupportKind.repair, 2025,
                                   on=date(2025, 2, 1))
    cases.transition(db, admin, cancelled.id, S.cancelled, on=date(2025, 2, 2), reason="Trùng")
    moved = households.get_household(db, admin, household).as_input()
    households.update_household(db, admin, household, replace(moved, hamlet_code=other.code))

    assert {c.hamlet_code for c in cases.cases_of_household(db, admin, household)} == {
        other.code
    }
    assert [c.id for c in cases.list_cases(db, admin, hamlet_code=other.code)] == [
        case.id, cancelled.id
    ]  # fmt: skip
    assert cases.list_cases(db, admin, hamlet_code=hamlet.code) == []
    there = make_user(db, admin, "totruong2", Role.team_leader, other.code)
    assert {c.id for c in cases.cases_of_household(db, there, household)} == {
        case.id, cancelled.id
    }  # fmt: skip
    cases.transition(db, there, case.id, S.started, on=date(2025, 4, 1))
    before = make_user(db, admin, "totruong1", Role.team_leader, hamlet.code)
    assert cases.list_cases(db, before) == []
    with db.session() as session:
        events = session.scalars(select(CaseStatusEvent.unit_code)
                                 .order_by(CaseStatusEvent.happened_on)).all()
        assert events[:-1] == [hamlet.code] * (len(events) - 1) and events[-1] == other.code
        # The move is in the change log, so it travels to the commune's parents.
        logged = session.scalars(select(ChangeLogEntry.changes).where(
            ChangeLogEntry.entity == "support_case", ChangeLogEntry.op == "update")).all()
        assert sum("unit_code" in str(c) for c in logged) == 2
