"""Locks against changes from below (an approved case, a closed fund period), stamps
from a clock running ahead, and an edit that reaches a station before the record
it changes. Data is made through the services, as the people using nhao would.
"""

from __future__ import annotations

import json
import types
import uuid
import zipfile
from datetime import date
from pathlib import Path

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
from nhao.models import (
    AuditEvent,
    BankStatementLine,
    CaseStatusEvent,
    ChangeLogEntry,
    Household,
    Receipt,
    SupportCase,
)
from nhao.models.sync import PendingBundle, SyncOrigin
from nhao.services import cases, fund, sync, units, users
from nhao.services import households as hh
from nhao.services import unit_of_work as uow_module
from nhao.services.errors import PermissionDenied
from nhao.services.sync import clock as sync_clock
from nhao.services.unit_of_work import unit_of_work

from .conftest import COMMUNE, PASSWORD, Node, Tree, close_period, trust

DAY_MS = 24 * 3600 * 1000


def state(node: Node) -> list[int]:
    with node.db.session() as s:
        return [
            s.scalar(select(func.count()).select_from(m)) or 0
            for m in (Household, SupportCase, AuditEvent, ChangeLogEntry, SyncOrigin, PendingBundle)
        ]


def steps(node: Node) -> int:
    with node.db.session() as s:
        return s.scalar(select(func.count()).select_from(CaseStatusEvent)) or 0


def case_row(node: Node, case_id: str) -> SupportCase:
    with node.db.session() as s:
        row = s.get(SupportCase, uuid.UUID(case_id))
        assert row is not None
        return row


def origins(bundle: Path) -> dict[str, dict]:
    with zipfile.ZipFile(bundle) as zf:
        return json.loads(zf.read("manifest.json"))["origins"]


# -- an approved case is locked against changes from below ---------------------------


def _approved_case(tree: Tree) -> str:
    """Hamlet A proposes, the commune reviews and approves (decision and amounts)."""
    hid = tree.a.add_household("Nguyễn Văn Ấn")
    case = cases.propose_case(tree.a.db, tree.a.actor, hid, SupportKind.new_build, 2025)
    assert tree.commune.take(tree.a.export())[0]["status"] == "applied"
    commune = tree.commune
    cases.transition(commune.db, commune.actor, case.id, CaseStatus.reviewed, on=date.today())
    cases.transition(
        commune.db,
        commune.actor,
        case.id,
        CaseStatus.approved,
        on=date.today(),
        decision_no="15/QĐ-UBND",
        decision_date=date.today(),
        support={FundSource.state_budget: 40_000_000, FundSource.fund: 10_000_000},
    )
    return case.id


def test_hamlet_edit_of_an_approved_case_is_refused_per_change(tree: Tree) -> None:
    case_id = _approved_case(tree)
    other = tree.a.add_household("Hoàng Thị Bình")
    # Hamlet A has not taken the commune's bundle down with the approval yet, and changes
    # the plan. No form edits these fields yet: this is what an edited laptop sends.
    with unit_of_work(tree.a.db, tree.a.actor) as uow:
        row = uow.session.get(SupportCase, uuid.UUID(case_id))
        uow.update(row, {"planned_year": 2026, "kind": SupportKind.repair.value})
    tree.a.edit_household(other, phone="0912345678")
    tree.a.add_household("Lương Văn Cường")

    report = tree.commune.take(tree.a.export())[0]
    assert report["status"] == "applied", report
    assert report["entities"]["support_case"]["refused"] == 1
    (reason,) = report["refused_changes"]
    assert case_id in reason and "Hồ sơ hỗ trợ của hộ Nguyễn Văn Ấn" in reason
    assert "“Năm dự kiến”" in reason and "“Loại hỗ trợ”" in reason  # as people say them
    # The rest of the bundle applies.
    assert report["entities"]["household"]["new"] == 2
    assert report["entities"]["household"]["updated"] == 0  # made and edited here: new
    assert tree.commune.household(other).phone == "0912345678"
    row = case_row(tree.commune, case_id)
    assert (row.status, row.planned_year, row.kind) == ("approved", 2025, "new_build")
    assert row.decision_no == "15/QĐ-UBND"

    # Relayed up, the refused change is refused again at the province: same case.
    up = tree.province.take(tree.commune.export())[0]
    assert up["status"] == "applied", up
    assert up["entities"]["support_case"]["refused"] == 1
    row = case_row(tree.province, case_id)
    assert (row.status, row.planned_year, row.kind) == ("approved", 2025, "new_build")
    tree.commune.verify_clean()
    tree.province.verify_clean()


def test_hamlet_withdrawal_cannot_cancel_an_approved_case(tree: Tree) -> None:
    case_id = _approved_case(tree)
    # Withdrawing its own proposal is the hamlet team's right — but the commune has
    # approved it meanwhile, and cancelling an approved case is the commune's call.
    cases.transition(
        tree.a.db, tree.a.actor, case_id, CaseStatus.cancelled, on=date.today(), reason="Tự làm"
    )
    report = tree.commune.take(tree.a.export())[0]
    assert report["status"] == "applied", report
    assert report["entities"]["support_case"]["refused"] == 1
    assert report["entities"]["case_status_event"]["refused"] == 1
    assert all(case_id in r for r in report["refused_changes"])
    assert case_row(tree.commune, case_id).status == "approved"
    with tree.commune.db.session() as s:
        events = s.scalars(
            select(CaseStatusEvent.to_status).where(CaseStatusEvent.case_id == uuid.UUID(case_id))
        ).all()
    assert sorted(events) == ["approved", "proposed", "reviewed"]
    tree.commune.verify_clean()


def test_hamlet_withdrawal_after_the_commune_reviewed_is_refused_not_applied(
    tree: Tree,
) -> None:
    # Not yet approved, so not locked; but the commune has reviewed the case, and from
    # there cancelling it undoes the commune's step. Before, the withdrawal applied as
    # a move forward and the reviewed case was cancelled with nobody asked.
    hid = tree.a.add_household("Nguyễn Văn Ấn")
    case = cases.propose_case(tree.a.db, tree.a.actor, hid, SupportKind.new_build, 2025)
    assert tree.commune.take(tree.a.export())[0]["status"] == "applied"
    commune = tree.commune
    cases.transition(commune.db, commune.actor, case.id, CaseStatus.reviewed, on=date.today())
    cases.transition(
        tree.a.db, tree.a.actor, case.id, CaseStatus.cancelled, on=date.today(), reason="Tự làm"
    )
    report = commune.take(tree.a.export())[0]
    assert report["status"] == "applied", report
    assert report["entities"]["support_case"]["refused"] == 1
    assert report["entities"]["case_status_event"]["refused"] == 1
    assert all(
        case.id in r and "“đã bình xét”" in r and "việc của xã" in r
        for r in report["refused_changes"]
    ), report["refused_changes"]
    assert case_row(commune, case.id).status == "reviewed"
    commune.verify_clean()
    # The commune, told, may cancel it itself; that travels up as the commune's step.
    cases.transition(
        commune.db, commune.actor, case.id, CaseStatus.cancelled, on=date.today(), reason="Tự làm"
    )
    assert tree.province.take(commune.export())[0]["status"] == "applied"
    assert case_row(tree.province, case.id).status == "cancelled"


def test_a_household_of_an_approved_case_is_not_deleted_from_below(tree: Tree) -> None:
    """The hamlet withdraws its proposal and deletes the household (both allowed there),
    not knowing the commune approved the case meanwhile: the commune keeps the case and
    so keeps its household. Before, the delete applied and the approved case, its
    decision and amounts, hung on a household gone from every list."""
    case_id = _approved_case(tree)
    household_id = str(case_row(tree.commune, case_id).household_id)
    cases.transition(
        tree.a.db, tree.a.actor, case_id, CaseStatus.cancelled, on=date.today(), reason="Tự làm"
    )
    hh.delete_household(tree.a.db, tree.a.actor, household_id, "Chuyển đi nơi khác")
    moved_on = tree.a.add_household("Lương Văn Cường")

    sent = tree.a.export()
    report = tree.commune.take(sent)[0]
    assert report["status"] == "applied", report
    assert report["entities"]["household"]["refused"] == 1
    assert report["entities"]["household"]["new"] == 1
    said = [r for r in report["refused_changes"] if household_id in r]
    assert len(said) == 1 and "Nguyễn Văn Ấn" in said[0] and "“đã phê duyệt”" in said[0], said
    assert tree.commune.household(household_id).deleted_at is None
    assert tree.commune.household(moved_on).head_name == "Lương Văn Cường"
    tree.commune.verify_clean()

    # The hamlet learns it from the receipt: here the household looks deleted, and the
    # case withdrawn. Before, the receipt said "applied" and nothing more.
    receipt = tree.a.folder / "bao-nhan.nhaoack"
    sync.write_ack(tree.commune.db, tree.commune.actor, PASSWORD, sent, receipt)
    read = sync.import_ack(tree.a.db, tree.a.actor, receipt)
    assert read["status"] == "applied"
    assert read["refused_count"] == len(report["refused_changes"]) == 3  # delete, case, step
    assert read["refused_changes"] == report["refused_changes"]

    # Relayed up with the commune's own approval in the same bundle: refused there too.
    up = tree.province.take(tree.commune.export())[0]
    assert up["status"] == "applied", up
    assert up["entities"]["household"]["refused"] == 1
    assert tree.province.household(household_id).deleted_at is None
    assert case_row(tree.province, case_id).status == "approved"
    tree.province.verify_clean()


def test_a_household_of_a_case_the_commune_reviewed_is_not_deleted_from_below(
    tree: Tree,
) -> None:
    """The hamlet withdraws its proposal and deletes the household, not knowing the
    commune reviewed the case meanwhile: the withdrawal is refused, so the case stays
    reviewed here, and the delete is refused with it. Before, the household went and
    the commune could go on to approve a case of a household gone from every list."""
    hid = tree.a.add_household("Nguyễn Văn Ấn")
    case = cases.propose_case(tree.a.db, tree.a.actor, hid, SupportKind.new_build, 2025)
    assert tree.commune.take(tree.a.export())[0]["status"] == "applied"
    commune = tree.commune
    cases.transition(commune.db, commune.actor, case.id, CaseStatus.reviewed, on=date.today())
    cases.transition(
        tree.a.db, tree.a.actor, case.id, CaseStatus.cancelled, on=date.today(), reason="Tự làm"
    )
    hh.delete_household(tree.a.db, tree.a.actor, hid, "Chuyển đi nơi khác")

    report = commune.take(tree.a.export())[0]
    assert report["status"] == "applied", report
    assert report["entities"]["household"]["refused"] == 1
    said = [r for r in report["refused_changes"] if hid in r]
    assert len(said) == 1 and "Nguyễn Văn Ấn" in said[0] and "“đã bình xét”" in said[0], said
    assert commune.household(hid).deleted_at is None
    assert case_row(commune, case.id).status == "reviewed"
    commune.verify_clean()


def test_a_household_paid_from_the_fund_is_not_deleted_from_below(tree: Tree) -> None:
    """The commune pays the advance, then cancels the case (the household moved away);
    the hamlet withdraws its copy and deletes the household. The payment stands on the
    household: the delete is refused at the commune and above, and listed."""
    case_id = _approved_case(tree)
    commune = tree.commune
    hid = str(case_row(commune, case_id).household_id)
    donor = fund.add_donor(commune.db, commune.actor, "Công ty Xi măng Lạng Sơn")
    today = date.today()
    fund.record_receipt(commune.db, commune.actor, donor.id, 20_000_000, today, PaymentMethod.cash)
    paid = fund.record_payment(
        commune.db, commune.actor, case_id, 7_000_000, today, Instalment.advance,
        PaymentMethod.cash,
    )
    cases.transition(
        commune.db, commune.actor, case_id, CaseStatus.cancelled, on=today, reason="Chuyển đi"
    )
    cases.transition(tree.a.db, tree.a.actor, case_id, CaseStatus.cancelled, on=today,
                     reason="Chuyển đi")
    hh.delete_household(tree.a.db, tree.a.actor, hid, "Chuyển đi nơi khác")

    report = commune.take(tree.a.export())[0]
    assert report["status"] == "applied", report
    assert report["entities"]["household"]["refused"] == 1
    said = [r for r in report["refused_changes"] if hid in r]
    assert len(said) == 1 and "Nguyễn Văn Ấn" in said[0] and paid.voucher_no in said[0], said
    assert commune.household(hid).deleted_at is None
    commune.verify_clean()

    # Relayed up beside the commune's own payment, which arrives in the same bundle.
    up = tree.province.take(commune.export())[0]
    assert up["status"] == "applied", up
    assert up["entities"]["household"]["refused"] == 1
    assert tree.province.household(hid).deleted_at is None
    tree.province.verify_clean()


def test_a_household_whose_case_is_only_proposed_may_still_be_deleted_from_below(
    tree: Tree,
) -> None:
    hid = tree.a.add_household("Nguyễn Văn Ấn")
    case = cases.propose_case(tree.a.db, tree.a.actor, hid, SupportKind.new_build, 2025)
    assert tree.commune.take(tree.a.export())[0]["status"] == "applied"
    cases.transition(
        tree.a.db, tree.a.actor, case.id, CaseStatus.cancelled, on=date.today(), reason="Tự làm"
    )
    hh.delete_household(tree.a.db, tree.a.actor, hid, "Chuyển đi nơi khác")
    report = tree.commune.take(tree.a.export())[0]
    assert report["status"] == "applied" and "refused_changes" not in report, report
    assert tree.commune.household(hid).deleted_at is not None
    assert case_row(tree.commune, case.id).status == "cancelled"


def test_a_case_that_arrived_for_a_household_deleted_here_is_not_decided(tree: Tree) -> None:
    """The commune deletes a household of hamlet A while A, offline, proposes a case for
    it: the case arrives for a household gone from every list. Before, the commune could
    review, approve and pay it; now it may only end it, and is told why."""
    hid = tree.a.add_household("Nguyễn Văn Ấn")
    assert tree.commune.take(tree.a.export())[0]["status"] == "applied"
    commune = tree.commune
    hh.delete_household(commune.db, commune.actor, hid, "Trùng với hộ đã có")
    case = cases.propose_case(tree.a.db, tree.a.actor, hid, SupportKind.new_build, 2025)
    assert commune.take(tree.a.export())[0]["status"] == "applied"

    with pytest.raises(ValidationError) as refused:
        cases.transition(commune.db, commune.actor, case.id, CaseStatus.reviewed, on=date.today())
    assert "Nguyễn Văn Ấn" in refused.value.message and "đã bị xóa" in refused.value.message
    assert case_row(commune, case.id).status == "proposed"
    cases.transition(
        commune.db, commune.actor, case.id, CaseStatus.rejected, on=date.today(),
        reason="Hộ đã bị xóa",
    )
    assert case_row(commune, case.id).status == "rejected"


def test_a_case_proposed_again_is_not_approved_beside_the_first(tree: Tree) -> None:
    """The hamlet withdraws its proposal and proposes again (another planned year), not
    knowing the commune reviewed the first meanwhile: the withdrawal is refused, so the
    commune holds two live cases of one purpose for one household. Before, it could
    approve both, support twice; now it is told to end one of them first."""
    hid = tree.a.add_household("Nguyễn Văn Ấn")
    first = cases.propose_case(tree.a.db, tree.a.actor, hid, SupportKind.new_build, 2025)
    assert tree.commune.take(tree.a.export())[0]["status"] == "applied"
    commune = tree.commune
    cases.transition(commune.db, commune.actor, first.id, CaseStatus.reviewed, on=date.today())
    cases.transition(
        tree.a.db, tree.a.actor, first.id, CaseStatus.cancelled, on=date.today(),
        reason="Đề xuất lại cho năm sau",
    )
    again = cases.propose_case(tree.a.db, tree.a.actor, hid, SupportKind.new_build, 2026)
    assert commune.take(tree.a.export())[0]["status"] == "applied"

    approval = {
        "on": date.today(), "decision_no": "15/QĐ-UBND", "decision_date": date.today(),
        "support": {FundSource.state_budget: 40_000_000},
    }
    with pytest.raises(ValidationError) as refused:
        cases.transition(commune.db, commune.actor, first.id, CaseStatus.approved, **approval)
    said = refused.value.message
    assert "Nguyễn Văn Ấn" in said and "“đề xuất”" in said and "trùng lặp" in said, said
    with pytest.raises(ValidationError, match="trùng lặp"):
        cases.transition(commune.db, commune.actor, again.id, CaseStatus.reviewed, on=date.today())
    assert (case_row(commune, first.id).status, case_row(commune, again.id).status) == (
        "reviewed", "proposed"
    )
    # The commune ends the one it does not keep; the other goes on.
    cases.transition(
        commune.db, commune.actor, again.id, CaseStatus.rejected, on=date.today(),
        reason="Trùng hồ sơ đã bình xét",
    )
    cases.transition(commune.db, commune.actor, first.id, CaseStatus.approved, **approval)
    assert case_row(commune, first.id).status == "approved"


def test_hamlet_progress_on_an_approved_case_still_applies(tree: Tree) -> None:
    """The lock leaves the construction's progress to the hamlet team."""
    case_id = _approved_case(tree)
    with unit_of_work(tree.a.db, tree.a.actor) as uow:  # the team's copy, moved on by hand
        row = uow.session.get(SupportCase, uuid.UUID(case_id))
        uow.update(row, {"labour_days": 12, "materials_given": "20 bao xi măng"})
    report = tree.commune.take(tree.a.export())[0]
    assert report["status"] == "applied" and "refused_changes" not in report, report
    row = case_row(tree.commune, case_id)
    assert (row.labour_days, row.materials_given) == (12, "20 bao xi măng")


# -- a closed fund period is locked ------------------------------------------------


def _office_and_accountant(tree: Tree, make_node):  # type: ignore[no-untyped-def]
    """The commune office and the accountant's laptop of the same commune, each trusting
    the other, and a donor recorded at the office."""
    office = tree.commune
    accountant = make_node("accountant", COMMUNE)
    trust(office, accountant, "child")
    trust(accountant, office, "child")
    donor = fund.add_donor(office.db, office.actor, "Công ty Xi măng Lạng Sơn")
    return office, accountant, donor


def test_vouchers_in_a_closed_period_are_locked(tree: Tree, make_node) -> None:  # type: ignore[no-untyped-def]
    # A hamlet may not bring vouchers at all (min_level), so the lock matters between
    # stations of the commune: the office closes December and January while the
    # accountant's laptop, which has not heard of it yet, voids a January receipt
    # and records a late December one.
    office, accountant, donor = _office_and_accountant(tree, make_node)
    jan = fund.record_receipt(
        office.db, office.actor, donor.id, 1_500_000, date(2025, 1, 15), PaymentMethod.cash
    )
    feb = fund.record_receipt(
        office.db, office.actor, donor.id, 700_000, date(2025, 2, 10), PaymentMethod.cash
    )
    assert accountant.take(office.export(to=COMMUNE))[0]["status"] == "applied"
    close_period(office, "2024-12")
    close_period(office, "2025-01")

    late = fund.record_receipt(
        accountant.db, accountant.actor, donor.id, 300_000, date(2024, 12, 28), PaymentMethod.cash
    )
    fund.void_receipt(accountant.db, accountant.actor, jan.id, "Ghi nhầm số tiền")
    fund.void_receipt(accountant.db, accountant.actor, feb.id, "Nhà tài trợ rút lại")
    fund.add_donor(accountant.db, accountant.actor, "Bà Hoàng Thị Mai")
    report = office.take(accountant.export(to=COMMUNE))[0]
    assert report["status"] == "applied", report
    assert report["entities"]["receipt"] == {
        "new": 0,
        "updated": 1,
        "unchanged": 0,
        "conflicts": 0,
        "refused": 2,
    }
    assert report["entities"]["donor"]["new"] == 1
    added, voided = report["refused_changes"]
    assert late.id in added and "2024-12" in added and "khóa sổ" in added
    assert jan.id in voided and "2025-01" in voided and "khóa sổ" in voided

    up = tree.province.take(office.export())[0]
    assert up["status"] == "applied", up
    assert up["entities"]["receipt"]["refused"] == 2
    for node in (office, tree.province):
        with node.db.session() as s:
            voided = {str(r.id): r.voided_at is not None for r in s.scalars(select(Receipt))}
        assert voided == {jan.id: False, feb.id: True}
        node.verify_clean()

    # A later change to the refused receipt is refused in turn: it does not wait for a
    # creation that will not come.
    fund.void_receipt(accountant.db, accountant.actor, late.id, "Lập trùng")
    again = office.take(accountant.export(to=COMMUNE))[0]
    assert again["status"] == "applied" and "held_changes" not in again, again
    assert again["entities"]["receipt"]["refused"] == 1
    (refused,) = again["refused_changes"]
    assert late.id in refused and "bị từ chối khi đến" in refused
    assert "held_changes" not in tree.province.take(office.export())[0]


# -- stamps from a clock running ahead --------------------------------------------------


def _clock_ahead(monkeypatch: pytest.MonkeyPatch, ms: int) -> None:
    """The sender's laptop clock set `ms` ahead: its change stamps and its own check
    of them at export see it, the recipient does not."""
    import time

    fake = types.SimpleNamespace(time_ns=lambda: time.time_ns() + ms * 1_000_000)
    monkeypatch.setattr(uow_module, "time", fake)
    monkeypatch.setattr(sync_clock, "time", fake)


def test_stamps_more_than_a_day_ahead_are_refused(
    tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as m:
        _clock_ahead(m, 2 * DAY_MS)
        tree.a.add_household("Nguyễn Văn Ấn")
        bundle = tree.a.export()  # the clock still wrong: the laptop cannot tell
    before = state(tree.commune)
    report = tree.commune.take(bundle)[0]
    assert report["status"] == "refused", report
    reason = report["reason"]
    assert bundle.name in reason and "hơn một ngày" in reason and "ngày giờ" in reason
    assert state(tree.commune) == before


def test_a_laptop_whose_clock_ran_ahead_stamps_again_once_it_is_right(
    tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One change made with the clock a month ahead made every later change a month
    ahead too: refused everywhere for a month. Once the clock is right, the export warns,
    and with the person's word (--restamp) the changes go with stamps from now."""
    first = tree.a.add_household("Hộ Trước")
    tree.commune.take(tree.a.export())
    with monkeypatch.context() as m:
        _clock_ahead(m, 30 * DAY_MS)
        tree.a.edit_household(first, members=6)
        refused_there = tree.a.export()
    assert tree.commune.take(refused_there)[0]["status"] == "refused"
    tree.a.add_household("Hộ Sau")  # the clock is right again, the stamps still ahead
    # The export warns (a clock behind now would look the same, and must still export).
    warned = sync.export_bundle(tree.a.db, tree.a.actor, PASSWORD, tree.a.folder / "lan-2.nhao")
    assert warned.clock_ahead_to is not None
    assert "--restamp" in sync.clock_warning(warned.clock_ahead_to)
    assert tree.commune.take(warned.path)[0]["status"] == "refused"
    report = tree.commune.take(tree.a.export(restamp=True))[0]
    assert report["status"] == "applied", report
    assert tree.commune.household(first).members == 6
    names = {h.head_name for h in hh.list_households(
        tree.commune.db, tree.commune.actor, hh.HouseholdQuery()
    )}  # fmt: skip
    assert names == {"Hộ Trước", "Hộ Sau"}
    tree.a.add_household("Hộ Cuối")  # and later work goes as usual
    assert tree.commune.take(tree.a.export())[0]["status"] == "applied"
    assert sync_clock.restamp_future(tree.a.db, tree.a.actor).changes == 0  # nothing ahead
    tree.a.verify_clean()
    tree.commune.verify_clean()


def test_a_clock_behind_now_still_exports(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> None:
    """A dead clock battery: the laptop's clock falls a month behind. Its bundles are
    within every recipient's clock and go as they always did, with a warning."""
    tree.a.add_household("Hộ Trước")
    tree.commune.take(tree.a.export())
    with monkeypatch.context() as m:
        _clock_ahead(m, -30 * DAY_MS)
        tree.a.add_household("Hộ Khi Đồng Hồ Chậm")
        out = tree.a.folder / "cham.nhao"
        result = sync.export_bundle(tree.a.db, tree.a.actor, PASSWORD, out)
    assert result.clock_ahead_to is not None
    assert tree.commune.take(out)[0]["status"] == "applied"


def _case_then_step(tree: Tree) -> tuple[Path, Path]:
    """The commune's bundle relaying a hamlet's new case, and its next bundle, which
    holds only the commune's own step on that case."""
    tree.province.take(tree.commune.export())
    hid = tree.a.add_household("Hộ Có Hồ Sơ")
    case = cases.propose_case(tree.a.db, tree.a.actor, hid, SupportKind.new_build, 2025)
    tree.commune.take(tree.a.export())
    with_case = tree.commune.export()
    cases.transition(
        tree.commune.db, tree.commune.actor, case.id, CaseStatus.reviewed, on=date.today()
    )
    return with_case, tree.commune.export()


def test_a_step_on_a_case_not_here_yet_waits_for_it_then_applies(tree: Tree) -> None:
    with_case, step = _case_then_step(tree)
    checked = tree.province.take(step, dry_run=True)[0]
    assert checked["status"] == "pending" and sync.list_pending(tree.province.db) == []
    first = tree.province.take(step)[0]
    assert first["status"] == "pending"
    assert "đang chờ bản ghi" in first["reason"] and "hồ sơ hỗ trợ mã" in first["reason"]
    assert [p.file_name for p in sync.list_pending(tree.province.db)] == [step.name]
    assert steps(tree.province) == 0
    reports = tree.province.take(with_case)
    assert [(r["file"], r["status"]) for r in reports] == [
        (with_case.name, "applied"),
        (step.name, "applied"),
    ]
    assert sync.list_pending(tree.province.db) == []
    assert steps(tree.province) == steps(tree.commune)
    tree.province.verify_clean()


def test_a_step_waiting_for_a_lost_bundle_is_healed_by_a_full_one(tree: Tree) -> None:
    _lost, step = _case_then_step(tree)
    assert tree.province.take(step)[0]["status"] == "pending"
    full = tree.commune.export(full=True)
    statuses = [r["status"] for r in tree.province.take(full)]
    assert statuses == ["applied", "skipped"]  # the held one: nothing in it is new now
    assert sync.list_pending(tree.province.db) == []
    assert steps(tree.province) == steps(tree.commune)
    tree.province.verify_clean()


def test_stamps_a_few_hours_ahead_are_accepted(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as m:
        _clock_ahead(m, 3 * 3600 * 1000)  # a laptop left on another time zone
        tree.a.add_household("Nguyễn Văn Ấn")
    assert tree.commune.take(tree.a.export())[0]["status"] == "applied"


# -- an edit that arrives before the record it changes ----------------------------------


def test_edit_relayed_before_its_record_waits_for_it(tree: Tree) -> None:
    """Sequence numbers are per origin: the commune's own edit (origin commune) can
    reach the province in a bundle that is complete for the commune's sequence,
    while the record, created on hamlet A (origin A), travels in an earlier bundle
    that is late or lost. The edit must wait for its record, not be dropped."""
    assert tree.province.take(tree.commune.export())[0]["status"] == "applied"
    hid = tree.a.add_household("Nguyễn Văn Ấn")
    assert tree.commune.take(tree.a.export())[0]["status"] == "applied"
    first = tree.commune.export()  # A's insert, relayed
    tree.commune.edit_household(hid, phone="0987654321", address="Bản Nà Pàn")
    second = tree.commune.export()  # the commune's own edit only
    assert set(origins(first)).isdisjoint(origins(second))

    early = tree.province.take(second)[0]
    assert early["status"] == "applied", early
    assert "household" not in early["entities"] and "refused_changes" not in early, early
    (held,) = early["held_changes"]
    assert hid in held and "chờ" in held
    with tree.province.db.session() as s:
        assert s.get(Household, uuid.UUID(hid)) is None
    late = tree.province.take(first)[0]
    assert late["status"] == "applied", late
    assert late["entities"]["household"] == {  # made, then edited: one new household
        "new": 1,
        "updated": 0,
        "unchanged": 0,
        "conflicts": 0,
        "refused": 0,
    }
    row = tree.province.household(hid)
    assert (row.phone, row.address) == ("0987654321", "Bản Nà Pàn")
    tree.province.verify_clean()
    # Re-importing both changes nothing.
    before = state(tree.province)
    assert [r["status"] for r in tree.province.take(first, second)] == ["skipped", "skipped"]
    assert state(tree.province) == before


def test_the_accountant_resolves_a_voucher_conflict_and_a_team_leader_may_not(  # type: ignore[no-untyped-def]
    tree: Tree, make_node
) -> None:
    # The office and the accountant's laptop void the same receipt, each with its own
    # reason. Choosing the reason is the accountant's work (the fund), not a household
    # editor's: it needs the right to write the fund book, as voiding by hand does.
    office = tree.commune
    laptop = make_node("accountant", COMMUNE)
    trust(office, laptop, "child")
    trust(laptop, office, "child")
    donor = fund.add_donor(office.db, office.actor, "Công ty Xi măng Lạng Sơn")
    receipt = fund.record_receipt(
        office.db, office.actor, donor.id, 1_500_000, date(2025, 3, 5), PaymentMethod.cash
    )
    assert laptop.take(office.export(to=COMMUNE))[0]["status"] == "applied"
    fund.void_receipt(office.db, office.actor, receipt.id, "Ghi nhầm số tiền")
    fund.void_receipt(laptop.db, laptop.actor, receipt.id, "Nhà tài trợ rút lại")
    report = office.take(laptop.export(to=COMMUNE))[0]
    assert report["status"] == "applied", report
    conflict = next(c for c in sync.list_conflicts(office.db) if c.field == "void_reason")

    users.create_user(
        office.db, office.actor, username="ketoan", password=PASSWORD, role=Role.accountant
    )
    (hamlet,) = units.add_hamlets(office.db, office.actor, ["Thôn Bản Chu"])
    users.create_user(
        office.db, office.actor, username="truongthon", password=PASSWORD,
        role=Role.team_leader, hamlet_code=hamlet.code,
    )  # fmt: skip
    leader = users.authenticate(office.db, "truongthon", PASSWORD)
    accountant = users.authenticate(office.db, "ketoan", PASSWORD)
    assert sync.may_resolve(accountant, "receipt", "void_reason")
    assert not sync.may_resolve(leader, "receipt", "void_reason")
    assert not sync.may_resolve(accountant, "household", "phone")
    with pytest.raises(PermissionDenied, match="ghi sổ quỹ"):
        sync.resolve_conflict(office.db, leader, conflict.id, "Nhà tài trợ rút lại")
    sync.resolve_conflict(office.db, accountant, conflict.id, "Nhà tài trợ rút lại")
    with office.db.session() as s:
        assert s.get(Receipt, uuid.UUID(receipt.id)).void_reason == "Nhà tài trợ rút lại"
    assert conflict.id not in {c.id for c in sync.list_conflicts(office.db)}
    office.verify_clean()


def test_a_case_status_conflict_is_resolved_only_by_who_may_approve(  # type: ignore[no-untyped-def]
    tree: Tree, make_node
) -> None:
    # The office approves a case that the commune's second laptop rejected meanwhile:
    # neither step lies forward of the other, so the status is a conflict. Choosing
    # "approved" or "rejected" is the steering committee's decision; a team leader of
    # the case's own hamlet, who may not approve by hand, may not choose it either.
    office = tree.commune
    laptop = make_node("laptop", COMMUNE)
    trust(office, laptop, "child")
    trust(laptop, office, "child")
    (hamlet,) = units.add_hamlets(office.db, office.actor, ["Thôn Bản Chu"])
    hid = office.add_household("Nguyễn Văn Ấn", hamlet=hamlet.code)
    case = cases.propose_case(office.db, office.actor, hid, SupportKind.new_build, 2025)
    cases.transition(office.db, office.actor, case.id, CaseStatus.reviewed, on=date.today())
    assert laptop.take(office.export(to=COMMUNE))[0]["status"] == "applied"
    cases.transition(
        office.db,
        office.actor,
        case.id,
        CaseStatus.approved,
        on=date.today(),
        decision_no="15/QĐ-UBND",
        decision_date=date.today(),
        support={FundSource.state_budget: 40_000_000},
    )
    cases.transition(
        laptop.db, laptop.actor, case.id, CaseStatus.rejected, on=date.today(), reason="Đủ nhà"
    )
    assert office.take(laptop.export(to=COMMUNE))[0]["status"] == "applied"
    conflict = next(c for c in sync.list_conflicts(office.db) if c.field == "status")
    users.create_user(
        office.db, office.actor, username="totruong", password=PASSWORD,
        role=Role.team_leader, hamlet_code=hamlet.code,
    )  # fmt: skip
    leader = users.authenticate(office.db, "totruong", PASSWORD)
    assert not sync.may_resolve(leader, "support_case", "status")
    standing = case_row(office, case.id).status
    other = conflict.lost_value if conflict.kept_value == standing else conflict.kept_value
    with pytest.raises(PermissionDenied, match="phê duyệt"):
        sync.resolve_conflict(office.db, leader, conflict.id, other)
    assert case_row(office, case.id).status == standing
    sync.resolve_conflict(office.db, office.actor, conflict.id, other)
    assert case_row(office, case.id).status == other


def test_a_case_s_support_amounts_are_chosen_only_by_who_may_approve(tree: Tree) -> None:
    # The amounts of a case are written only by its approval (cases.apply_transition):
    # choosing one in a conflict is choosing what the approval gives, not a team
    # leader's work on the case.
    office = tree.commune
    (hamlet,) = units.add_hamlets(office.db, office.actor, ["Thôn Bản Chu"])
    users.create_user(
        office.db, office.actor, username="totruong", password=PASSWORD,
        role=Role.team_leader, hamlet_code=hamlet.code,
    )  # fmt: skip
    leader = users.authenticate(office.db, "totruong", PASSWORD)
    assert sync.may_resolve(leader, "support_case", "labour_days", hamlet.code)
    assert not sync.may_resolve(leader, "case_support", "amount", hamlet.code)
    assert sync.may_resolve(office.actor, "case_support", "amount", hamlet.code)


def _bank_line(node: Node, on: date, amount: int, **links: str) -> str:
    """A line of the bank statement matched to a voucher, straight in the database (nhao
    has no statement form yet)."""
    line_id = uuid.uuid4()
    with unit_of_work(node.db, node.actor) as uow:
        uow.insert(
            BankStatementLine(
                id=line_id,
                unit_code=node.unit,
                account="bank",
                line_date=on,
                reference=f"FT{amount}",
                amount=amount,
                **{name: uuid.UUID(value) for name, value in links.items()},
            )
        )
    return str(line_id)


def test_a_bank_line_of_a_refused_voucher_is_refused_not_the_bundle(tree: Tree, make_node) -> None:  # type: ignore[no-untyped-def]
    # The office closed December; the accountant's laptop, not yet told, records a late
    # December receipt, refused at the office. In March the bank statement shows that
    # money and the accountant matches the line to the receipt. The line itself is
    # dated after the period, so no lock stops it, but the receipt it points at is not
    # at the office: before, its bundle failed on the foreign key, whole, and every
    # later bundle of the laptop after it.
    office, accountant, donor = _office_and_accountant(tree, make_node)
    assert accountant.take(office.export(to=COMMUNE))[0]["status"] == "applied"
    close_period(office, "2024-12")

    late = fund.record_receipt(
        accountant.db, accountant.actor, donor.id, 300_000, date(2024, 12, 28), PaymentMethod.cash
    )
    first = office.take(accountant.export(to=COMMUNE))[0]
    assert first["status"] == "applied" and first["entities"]["receipt"]["refused"] == 1

    line = _bank_line(accountant, date(2025, 3, 5), 300_000, receipt_id=late.id)
    # In the same bundle: another late receipt and the line matched to it.
    later = fund.record_receipt(
        accountant.db, accountant.actor, donor.id, 200_000, date(2024, 12, 30), PaymentMethod.cash
    )
    other_line = _bank_line(accountant, date(2025, 3, 6), 200_000, receipt_id=later.id)
    fund.add_donor(accountant.db, accountant.actor, "Bà Hoàng Thị Mai")
    report = office.take(accountant.export(to=COMMUNE))[0]
    assert report["status"] == "applied", report
    assert report["entities"]["donor"]["new"] == 1
    assert report["entities"]["receipt"]["refused"] == 1
    assert report["entities"]["bank_statement_line"] == {
        "new": 0,
        "updated": 0,
        "unchanged": 0,
        "conflicts": 0,
        "refused": 2,
    }
    refused = [r for r in report["refused_changes"] if "sao kê" in r]
    assert len(refused) == 2
    for line_id, receipt_id in ((line, late.id), (other_line, later.id)):
        (sentence,) = [r for r in refused if line_id in r]
        assert receipt_id in sentence and "phiếu thu" in sentence and "từ chối" in sentence

    # A later change to a refused line is refused in turn, and the channel stays open.
    with unit_of_work(accountant.db, accountant.actor) as uow:
        uow.update(
            uow.session.get(BankStatementLine, uuid.UUID(line)), {"description": "Nộp tiền"}
        )
    fund.add_donor(accountant.db, accountant.actor, "Ông Lý Văn Pao")
    again = office.take(accountant.export(to=COMMUNE))[0]
    assert again["status"] == "applied" and "held_changes" not in again, again
    assert again["entities"]["donor"]["new"] == 1
    (refused_edit,) = again["refused_changes"]
    assert line in refused_edit and "bị từ chối khi đến" in refused_edit

    # The province, which refuses the receipts for the same closed period, refuses the
    # lines after them; a re-import changes nothing.
    upward = office.export()
    up = tree.province.take(upward)[0]
    assert up["status"] == "applied", up
    assert up["entities"]["bank_statement_line"]["refused"] == 3
    assert tree.province.take(upward)[0]["status"] == "skipped"
    for node in (office, tree.province):
        with node.db.session() as s:
            assert s.scalar(select(func.count()).select_from(BankStatementLine)) == 0
            assert s.scalar(select(func.count()).select_from(Receipt)) == 0
        node.verify_clean()
