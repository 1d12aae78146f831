"""The commune's decisions on its hamlets' cases come down in its bundle to the hamlet:
the hamlet's list says "approved" once the commune approved, and the hamlet's own
changes neither come back to it nor go up again. Households never come down.
"""

from __future__ import annotations

import json
import uuid
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from nhao.domain.enums import CaseStatus, FundSource, SupportKind
from nhao.models import (
    AuditEvent,
    CaseStatusEvent,
    CaseSupport,
    ChangeLogEntry,
    Household,
    SupportCase,
)
from nhao.models.sync import DuplicateCandidate, PendingBundle
from nhao.services import cases
from nhao.services import households as hh
from nhao.services.sync import keys
from nhao.sync.scope import UnitTree

from .conftest import COMMUNE, Node, Tree, trust

TODAY = date.today()


def approve(commune: Node, case_id: str) -> None:
    cases.transition(commune.db, commune.actor, case_id, CaseStatus.reviewed, on=TODAY)
    cases.transition(
        commune.db,
        commune.actor,
        case_id,
        CaseStatus.approved,
        on=TODAY,
        decision_no="15/QĐ-UBND",
        decision_date=TODAY,
        support={FundSource.state_budget: 40_000_000, FundSource.fund: 10_000_000},
    )


def proposed_and_sent_up(tree: Tree, name: str = "Nguyễn Văn Ấn", **household) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """(household, case) hamlet A listed and proposed for a new build, taken in at the
    commune."""
    hid = tree.a.add_household(name, **household)
    case = cases.propose_case(tree.a.db, tree.a.actor, hid, SupportKind.new_build, 2026)
    tree.commune.take(tree.a.export())
    return hid, case.id


def withdraw(node: Node, case_id: str, reason: str) -> None:
    """The hamlet team withdraws its proposal (allowed on its laptop)."""
    cases.transition(node.db, node.actor, case_id, CaseStatus.cancelled, on=TODAY, reason=reason)


def case_of(node: Node, case_id: str) -> SupportCase | None:
    with node.db.session() as s:
        return s.get(SupportCase, uuid.UUID(case_id))


def counted(node: Node, model, **where) -> int:  # type: ignore[no-untyped-def]
    with node.db.session() as s:
        query = select(func.count()).select_from(model).filter_by(**where)
        return s.scalar(query) or 0


def origin_stations(bundle: Path) -> set[str]:
    with zipfile.ZipFile(bundle) as zf:
        return set(json.loads(zf.read("manifest.json"))["origins"])


def station_of(node: Node) -> str:
    return keys.show_key(node.db).station_id


def test_the_communes_approval_reaches_the_hamlet_and_does_not_come_back(tree: Tree) -> None:
    hid = tree.a.add_household("Nguyễn Văn Ấn")
    case = cases.propose_case(tree.a.db, tree.a.actor, hid, SupportKind.new_build, 2026)
    assert tree.commune.take(tree.a.export())[0]["status"] == "applied"
    approve(tree.commune, case.id)

    down = tree.commune.export(to=tree.a.unit)
    [report] = tree.a.take(down)
    assert report["status"] == "applied", report.get("reason")
    assert report["entities"]["support_case"]["updated"] == 1
    assert report["entities"]["case_support"]["new"] == 2
    assert report["entities"]["case_status_event"]["new"] == 2
    assert "steps_given_way" not in report  # nothing taken here gave way
    row = case_of(tree.a, case.id)
    assert row is not None
    assert (row.status, row.decision_no, row.decision_date) == ("approved", "15/QĐ-UBND", TODAY)
    view = cases.get_case(tree.a.db, tree.a.actor, case.id)
    assert view.support == {FundSource.state_budget: 40_000_000, FundSource.fund: 10_000_000}
    assert [e.to_status for e in view.events][-2:] == [CaseStatus.reviewed, CaseStatus.approved]
    assert tree.a.household(hid).case_status == CaseStatus.approved  # the list's column
    tree.a.verify_clean()

    # The other hamlet has no business with it: its bundle down carries none of it.
    [other] = tree.b.take(tree.commune.export(to=tree.b.unit))
    assert other["status"] == "skipped", other.get("reason")
    assert case_of(tree.b, case.id) is None
    assert counted(tree.b, CaseSupport) == 0

    # The hamlet records the construction's start: it goes up as its own step on the
    # approved case, and the commune takes it without a refusal or a conflict.
    cases.transition(tree.a.db, tree.a.actor, case.id, CaseStatus.started, on=TODAY)
    up = tree.a.export()
    assert origin_stations(up) == {station_of(tree.a)}  # the commune's steps stay home
    [back] = tree.commune.take(up)
    assert back["status"] == "applied", back.get("reason")
    assert back["entities"]["support_case"] == {
        "new": 0, "updated": 1, "unchanged": 0, "conflicts": 0, "refused": 0
    }  # fmt: skip
    assert "refused_changes" not in back
    assert case_of(tree.commune, case.id).status == "started"  # type: ignore[union-attr]
    tree.commune.verify_clean()

    # Nothing new for the hamlet since: the next bundle down brings nothing again.
    [again] = tree.a.take(tree.commune.export(to=tree.a.unit))
    assert again["status"] == "skipped" and again.get("nothing_new"), again


def test_a_case_the_commune_proposed_for_a_hamlets_household_comes_down(tree: Tree) -> None:
    """The commune proposes and reviews in its own office, for a household the hamlet
    listed: the hamlet gets the whole case, not a step for a case it does not have."""
    hid = tree.a.add_household("Hoàng Thị Bình")
    tree.commune.take(tree.a.export())
    case = cases.propose_case(
        tree.commune.db, tree.commune.actor, hid, SupportKind.repair, 2026
    )
    cases.transition(tree.commune.db, tree.commune.actor, case.id, CaseStatus.reviewed, on=TODAY)
    [report] = tree.a.take(tree.commune.export(to=tree.a.unit))
    assert report["status"] == "applied", report.get("reason")
    assert report["entities"]["support_case"]["new"] == 1
    row = case_of(tree.a, case.id)
    assert row is not None and (row.status, row.kind, str(row.household_id)) == (
        "reviewed", "repair", hid
    )  # fmt: skip
    tree.a.verify_clean()


def test_a_decision_on_a_case_this_laptop_never_had_is_passed_over(
    tree: Tree, make_node
) -> None:  # type: ignore[no-untyped-def]
    """Hamlet A's deputy proposed on the second laptop; the commune's bundle down to the
    hamlet opens on both. The team leader's laptop has neither the household nor the
    case (households do not come down): it passes the decision over, and holds nothing
    waiting for a record that will never come."""
    deputy = make_node("hamlet-a2", COMMUNE, "Thôn Nà Pàn")
    assert deputy.unit == tree.a.unit
    trust(tree.commune, deputy, "child")
    trust(deputy, tree.commune, "parent")
    hid = deputy.add_household("Lương Văn Cường")
    case = cases.propose_case(deputy.db, deputy.actor, hid, SupportKind.new_build, 2026)
    tree.commune.take(deputy.export())
    approve(tree.commune, case.id)
    down = tree.commune.export(to=tree.a.unit)

    [leader] = tree.a.take(down)
    assert leader["status"] == "skipped", leader.get("reason")
    assert "held_changes" not in leader
    assert case_of(tree.a, case.id) is None
    assert counted(tree.a, PendingBundle) == 0
    assert counted(tree.a, CaseSupport) == counted(tree.a, CaseStatusEvent) == 0
    assert counted(tree.a, Household) == 0
    tree.a.verify_clean()

    [own] = deputy.take(down)
    assert own["status"] == "applied", own.get("reason")
    assert case_of(deputy, case.id).status == "approved"  # type: ignore[union-attr]
    deputy.verify_clean()


def test_a_parent_bundle_relaying_a_hamlets_own_changes_is_refused(
    tree: Tree, make_node
) -> None:  # type: ignore[no-untyped-def]
    """Only what was decided above comes down. A commune's program that relayed the
    deputy's own proposal to the team leader's laptop (as if the commune had made it)
    is refused whole, and the laptop is unchanged."""
    deputy = make_node("hamlet-a2", COMMUNE, "Thôn Nà Pàn")
    trust(tree.commune, deputy, "child")
    hid = deputy.add_household("Lương Văn Cường")
    cases.propose_case(deputy.db, deputy.actor, hid, SupportKind.new_build, 2026)
    tree.commune.take(deputy.export())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(UnitTree, "strictly_above", lambda self, upper, lower: True)
        down = tree.commune.export(to=tree.a.unit)
    with tree.a.db.session() as s:
        before = s.scalar(select(func.count()).select_from(ChangeLogEntry))
    [report] = tree.a.take(down)
    assert report["status"] == "refused", report
    assert "Thôn Nà Pàn" in report["reason"] and "quyết định của cấp trên" in report["reason"]
    with tree.a.db.session() as s:
        assert s.scalar(select(func.count()).select_from(ChangeLogEntry)) == before
    assert counted(tree.a, SupportCase) == 0


def test_the_communes_step_stands_over_a_withdrawal_it_refused(tree: Tree) -> None:
    """The hamlet withdrew its proposal after the commune had reviewed it: the commune
    refused the withdrawal (its step stands there). Its bundle down then brings the
    review and the approval: the hamlet's list says approved, as the commune's does,
    not "cancelled" for a case the commune goes on with."""
    _, case_id = proposed_and_sent_up(tree, "Nguyễn Văn Ấn")
    withdraw(tree.a, case_id, "Tự làm")
    approve(tree.commune, case_id)
    assert tree.commune.take(tree.a.export())[0]["entities"]["support_case"]["refused"] == 1

    [report] = tree.a.take(tree.commune.export(to=tree.a.unit))
    assert report["status"] == "applied", report.get("reason")
    row = case_of(tree.a, case_id)
    assert row is not None and (row.status, row.decision_no) == ("approved", "15/QĐ-UBND")
    assert row.status_reason == ""  # the withdrawal's "Tự làm" went with it
    # Not only "updated": the team leader reads that the withdrawal was undone, and why.
    [said] = report["steps_given_way"]
    assert "Hồ sơ hỗ trợ của hộ Nguyễn Văn Ấn" in said and case_id in said
    assert "“đã hủy” làm ở máy này không được" in said and "“đã bình xét”" in said
    with tree.a.db.session() as s:
        steps = s.scalars(
            select(CaseStatusEvent.to_status)
            .where(CaseStatusEvent.case_id == uuid.UUID(case_id))
        ).all()
    assert sorted(steps) == ["approved", "cancelled", "proposed", "reviewed"]  # all told
    tree.a.verify_clean()
    # Both sides now agree: the hamlet's next steps go up and apply.
    cases.transition(tree.a.db, tree.a.actor, case_id, CaseStatus.started, on=TODAY)
    [up] = tree.commune.take(tree.a.export())
    assert up["status"] == "applied" and "refused_changes" not in up, up
    assert case_of(tree.commune, case_id).status == "started"  # type: ignore[union-attr]


def test_a_household_deleted_here_comes_back_with_the_case_the_commune_goes_on_with(
    tree: Tree,
) -> None:
    """The family was to move away: the team leader withdrew the proposal and deleted the
    household, both allowed on the laptop, after the commune had approved. The commune
    refused both. Its bundle down brings the approval and the household back into the
    hamlet's list, said in the report; going up again, the commune takes that quietly."""
    hid, case_id = proposed_and_sent_up(tree, "Nguyễn Văn Ấn")
    approve(tree.commune, case_id)
    withdraw(tree.a, case_id, "Chuyển đi")
    hh.delete_household(tree.a.db, tree.a.actor, hid, "Chuyển đi nơi khác")
    [up] = tree.commune.take(tree.a.export())
    assert up["entities"]["household"]["refused"] == 1, up

    [report] = tree.a.take(tree.commune.export(to=tree.a.unit))
    assert report["status"] == "applied", report.get("reason")
    assert tree.a.household(hid).deleted_at is None
    assert tree.a.household(hid).case_status == CaseStatus.approved
    back = [line for line in report["steps_given_way"] if line.startswith("Hộ Nguyễn Văn Ấn")]
    assert len(back) == 1 and "“Chuyển đi nơi khác”" in back[0] and "“đã phê duyệt”" in back[0]
    with tree.a.db.session() as s:
        said = s.scalars(
            select(AuditEvent.summary).where(AuditEvent.record_id == hid).order_by(AuditEvent.seq)
        ).all()
    assert said[-1].startswith("Đưa hộ Nguyễn Văn Ấn lại vào danh sách")
    tree.a.verify_clean()

    [again] = tree.commune.take(tree.a.export())
    assert again["status"] == "applied" and "refused_changes" not in again, again
    assert tree.commune.household(hid).deleted_at is None
    tree.commune.verify_clean()


def test_a_household_brought_back_beside_its_entry_made_again_is_listed_as_a_pair(
    tree: Tree,
) -> None:
    """The team leader withdrew the case, deleted the household and entered the family
    again (same card). The commune goes on with the first case: the first household
    comes back beside the second, and the pair is listed for review, not left as two
    live households of one citizen ID that no list shows."""
    cid = "020060000123"
    hid, case_id = proposed_and_sent_up(tree, "Nguyễn Văn Ấn", citizen_id=cid, birth_year=1960)
    approve(tree.commune, case_id)
    withdraw(tree.a, case_id, "Nhập sai")
    hh.delete_household(tree.a.db, tree.a.actor, hid, "Nhập sai, nhập lại")
    again = tree.a.add_household("Nguyễn Văn Ấn", citizen_id=cid, birth_year=1960)

    [report] = tree.a.take(tree.commune.export(to=tree.a.unit))
    assert report["status"] == "applied", report.get("reason")
    assert tree.a.household(hid).deleted_at is None
    assert report["possible_duplicates"] == 1, report
    with tree.a.db.session() as s:
        pairs = s.execute(
            select(DuplicateCandidate.household_a, DuplicateCandidate.household_b)
        ).all()
    assert [tuple(pair) for pair in pairs] == [tuple(sorted((hid, again)))]
