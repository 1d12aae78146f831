"""More ways the commune's decisions come down to a hamlet: steps crossing, bundles
out of order, full bundles, checks, receipts, and the hamlet's bundles up after."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import select

from nhao.domain.enums import CaseStatus, FundSource, SupportKind
from nhao.models import CaseStatusEvent, SupportCase
from nhao.models.sync import PendingBundle
from nhao.services import cases

from .conftest import Tree
from .test_decisions_down import approve, case_of, counted, proposed_and_sent_up, withdraw

TODAY = date.today()


def proposed_and_approved(tree: Tree, name: str = "Nguyễn Văn Ấn") -> str:
    hid = tree.a.add_household(name)
    case = cases.propose_case(tree.a.db, tree.a.actor, hid, SupportKind.new_build, 2026)
    tree.commune.take(tree.a.export())
    approve(tree.commune, case.id)
    [down] = tree.a.take(tree.commune.export(to=tree.a.unit))
    assert down["status"] == "applied", down.get("reason")
    return case.id


def approved_days_ago(tree: Tree, days: int) -> str:
    """A case proposed and approved some days ago, the approval taken in at the hamlet:
    a start can then be dated between them."""
    earlier = TODAY - timedelta(days=days)
    hid = tree.a.add_household("Nguyễn Văn Ấn")
    case_id = cases.propose_case(
        tree.a.db, tree.a.actor, hid, SupportKind.new_build, 2026, on=earlier
    ).id
    tree.commune.take(tree.a.export())
    cases.transition(tree.commune.db, tree.commune.actor, case_id, CaseStatus.reviewed, on=earlier)
    cases.transition(
        tree.commune.db, tree.commune.actor, case_id, CaseStatus.approved, on=earlier,
        decision_no="15/QĐ-UBND", decision_date=earlier, support={FundSource.fund: 10_000_000},
    )  # fmt: skip
    [down] = tree.a.take(tree.commune.export(to=tree.a.unit))
    assert down["status"] == "applied", down.get("reason")
    return case_id


def test_the_communes_late_step_does_not_take_the_hamlets_case_back(tree: Tree) -> None:
    """The commune notes the start the hamlet phoned in; the hamlet itself recorded the
    start and then the completion. The commune's "started" reaching the hamlet after
    its completion does not take the case back to "started": both say completed."""
    case_id = proposed_and_approved(tree)
    cases.transition(tree.commune.db, tree.commune.actor, case_id, CaseStatus.started, on=TODAY)
    cases.transition(tree.a.db, tree.a.actor, case_id, CaseStatus.started, on=TODAY)
    cases.transition(tree.a.db, tree.a.actor, case_id, CaseStatus.completed, on=TODAY)
    [up] = tree.commune.take(tree.a.export())
    assert up["status"] == "applied" and "refused_changes" not in up, up
    assert case_of(tree.commune, case_id).status == "completed"  # type: ignore[union-attr]

    [down] = tree.a.take(tree.commune.export(to=tree.a.unit))
    assert down["status"] == "applied", down.get("reason")
    assert case_of(tree.a, case_id).status == "completed"  # type: ignore[union-attr]
    tree.a.verify_clean()


def test_decisions_in_two_bundles_taken_out_of_order(tree: Tree) -> None:
    _, case_id = proposed_and_sent_up(tree, "Nguyễn Văn Ấn")
    cases.transition(tree.commune.db, tree.commune.actor, case_id, CaseStatus.reviewed, on=TODAY)
    first = tree.commune.export(to=tree.a.unit)
    cases.transition(
        tree.commune.db, tree.commune.actor, case_id, CaseStatus.approved, on=TODAY,
        decision_no="15/QĐ-UBND", decision_date=TODAY, support={FundSource.fund: 10_000_000},
    )  # fmt: skip
    second = tree.commune.export(to=tree.a.unit)
    [held] = tree.a.take(second)
    assert held["status"] == "pending", held
    reports = tree.a.take(first)
    assert [r["status"] for r in reports] == ["applied", "applied"], reports
    assert case_of(tree.a, case_id).status == "approved"  # type: ignore[union-attr]
    assert counted(tree.a, PendingBundle) == 0
    tree.a.verify_clean()
    # Taken again: nothing.
    again = tree.a.take(first, second)
    assert all(r["status"] == "skipped" for r in again), again
    # A full bundle down after: nothing new, no conflict.
    [full] = tree.a.take(tree.commune.export(to=tree.a.unit, full=True))
    assert full["status"] == "skipped", full
    tree.a.verify_clean()


def test_a_dry_run_of_decisions_writes_nothing(tree: Tree) -> None:
    _, case_id = proposed_and_sent_up(tree, "Nguyễn Văn Ấn")
    approve(tree.commune, case_id)
    down = tree.commune.export(to=tree.a.unit)
    [dry] = tree.a.take(down, dry_run=True)
    assert dry["status"] == "dry-run", dry
    assert dry["entities"]["support_case"]["updated"] == 1
    assert case_of(tree.a, case_id).status == "proposed"  # type: ignore[union-attr]
    [real] = tree.a.take(down)
    assert real["status"] == "applied", real
    assert case_of(tree.a, case_id).status == "approved"  # type: ignore[union-attr]


def test_a_full_bundle_down_brings_decisions_once(tree: Tree) -> None:
    case_id = proposed_and_approved(tree)
    [full] = tree.a.take(tree.commune.export(to=tree.a.unit, full=True))
    assert full["status"] == "skipped", full
    # A fresh hamlet laptop of another hamlet gets nothing of it, in full.
    [other] = tree.b.take(tree.commune.export(to=tree.b.unit, full=True))
    assert other["status"] == "skipped", other
    assert case_of(tree.b, case_id) is None
    tree.a.verify_clean()
    tree.b.verify_clean()


def test_the_commune_rejects_while_the_hamlet_withdraws(tree: Tree) -> None:
    _, case_id = proposed_and_sent_up(tree, "Nguyễn Văn Ấn")
    cases.transition(
        tree.commune.db, tree.commune.actor, case_id, CaseStatus.rejected, on=TODAY,
        reason="Không đủ điều kiện",
    )  # fmt: skip
    withdraw(tree.a, case_id, "Tự làm")
    up = tree.commune.take(tree.a.export())
    down = tree.a.take(tree.commune.export(to=tree.a.unit))
    assert down[0]["status"] == "applied", down
    assert down[0]["entities"]["support_case"]["conflicts"] == 0, down
    c, a = case_of(tree.commune, case_id), case_of(tree.a, case_id)
    assert (c.status, c.status_reason) == (a.status, a.status_reason), up  # type: ignore[union-attr]
    # The commune's rejection and its reason, not the withdrawal's "Tự làm" on both.
    assert (a.status, a.status_reason) == ("rejected", "Không đủ điều kiện")  # type: ignore[union-attr]
    tree.a.verify_clean()
    tree.commune.verify_clean()


def test_the_commune_cancels_an_approved_case_the_hamlet_started(tree: Tree) -> None:
    case_id = proposed_and_approved(tree)
    cases.transition(
        tree.commune.db, tree.commune.actor, case_id, CaseStatus.cancelled, on=TODAY,
        reason="Hộ chuyển đi",
    )  # fmt: skip
    cases.transition(tree.a.db, tree.a.actor, case_id, CaseStatus.started, on=TODAY)
    [up] = tree.commune.take(tree.a.export())
    [down] = tree.a.take(tree.commune.export(to=tree.a.unit))
    assert down["status"] == "applied", down
    c, a = case_of(tree.commune, case_id), case_of(tree.a, case_id)
    assert (c.status, c.status_reason) == (a.status, a.status_reason), up  # type: ignore[union-attr]
    assert a.status == "cancelled"  # type: ignore[union-attr]
    tree.a.verify_clean()
    # The hamlet's next bundle up: nothing of the commune's goes back, nothing refused.
    [again] = tree.commune.take(tree.a.export())
    assert again["status"] == "skipped" and "refused_changes" not in again, again
    tree.commune.verify_clean()


def test_a_receipt_after_a_bundle_down(tree: Tree) -> None:
    from nhao.services import sync

    case_id = proposed_and_approved(tree)
    cases.transition(tree.commune.db, tree.commune.actor, case_id, CaseStatus.started, on=TODAY)
    down = tree.commune.export(to=tree.a.unit)
    tree.a.take(down)
    ack = tree.a.folder / "ack.nhaoack"
    sync.write_ack(tree.a.db, tree.a.actor, "demo-pass", down, ack)
    read = sync.import_ack(tree.commune.db, tree.commune.actor, ack)
    assert not read.get("new_epoch"), read
    with tree.a.db.session() as s:
        steps = s.scalars(
            select(CaseStatusEvent.to_status).where(CaseStatusEvent.case_id == uuid.UUID(case_id))
        ).all()
    assert steps.count("started") == 1
    assert counted(tree.a, SupportCase) == 1


def test_a_case_moved_to_another_hamlet_at_the_commune_then_approved(tree: Tree) -> None:
    hid, case_id = proposed_and_sent_up(tree, "Nguyễn Văn Ấn")
    tree.commune.take(tree.b.export())  # the commune knows hamlet B
    tree.commune.edit_household(hid, hamlet_code=tree.b.unit)
    approve(tree.commune, case_id)
    [to_a] = tree.a.take(tree.commune.export(to=tree.a.unit))
    [to_b] = tree.b.take(tree.commune.export(to=tree.b.unit))
    assert to_a["status"] == "skipped", to_a
    assert to_b["status"] == "skipped", to_b
    assert "held_changes" not in to_a and "held_changes" not in to_b
    assert counted(tree.a, PendingBundle) == counted(tree.b, PendingBundle) == 0
    assert case_of(tree.b, case_id) is None
    # Hamlet A never hears of the move (households do not come down): see the report.
    assert case_of(tree.a, case_id).status == "proposed"  # type: ignore[union-attr]
    tree.a.verify_clean()
    tree.b.verify_clean()


def test_a_conflict_on_the_start_day_resolved_at_the_commune(tree: Tree) -> None:
    from nhao.services import sync

    case_id = approved_days_ago(tree, 5)
    cases.transition(
        tree.commune.db, tree.commune.actor, case_id, CaseStatus.started,
        on=TODAY - timedelta(days=2),
    )  # fmt: skip
    cases.transition(tree.a.db, tree.a.actor, case_id, CaseStatus.started, on=TODAY)
    [up] = tree.commune.take(tree.a.export())
    assert up["status"] == "applied", up
    open_here = sync.list_conflicts(tree.commune.db)
    assert [c.field for c in open_here] == ["started_on"], open_here
    sync.resolve_conflict(
        tree.commune.db, tree.commune.actor, open_here[0].id,
        (TODAY - timedelta(days=2)).isoformat(),
    )  # fmt: skip
    [down] = tree.a.take(tree.commune.export(to=tree.a.unit))
    assert down["status"] == "applied", down
    assert sync.list_conflicts(tree.a.db) == []
    assert case_of(tree.a, case_id).started_on == TODAY - timedelta(days=2)  # type: ignore[union-attr]
    tree.a.verify_clean()
    [again] = tree.commune.take(tree.a.export())
    assert again["status"] == "skipped" and "refused_changes" not in again, again
    assert sync.list_conflicts(tree.commune.db) == []
    tree.commune.verify_clean()


def test_decisions_passed_over_in_two_bundles_hold_nothing(tree: Tree, make_node) -> None:  # type: ignore[no-untyped-def]
    from .conftest import COMMUNE, trust

    deputy = make_node("hamlet-a2", COMMUNE, "Thôn Nà Pàn")
    trust(tree.commune, deputy, "child")
    trust(deputy, tree.commune, "parent")
    hid = deputy.add_household("Lương Văn Cường")
    case = cases.propose_case(deputy.db, deputy.actor, hid, SupportKind.new_build, 2026)
    tree.commune.take(deputy.export())
    cases.transition(tree.commune.db, tree.commune.actor, case.id, CaseStatus.reviewed, on=TODAY)
    first = tree.commune.export(to=tree.a.unit)
    approve_rest = dict(decision_no="15/QĐ-UBND", decision_date=TODAY)
    cases.transition(
        tree.commune.db, tree.commune.actor, case.id, CaseStatus.approved, on=TODAY,
        support={FundSource.fund: 10_000_000}, **approve_rest,
    )  # fmt: skip
    second = tree.commune.export(to=tree.a.unit)
    reports = tree.a.take(first, second)
    assert [r["status"] for r in reports] == ["skipped", "skipped"], reports
    assert counted(tree.a, PendingBundle) == 0
    [held] = deputy.take(second)
    assert held["status"] == "pending", held
    reports = deputy.take(first)
    assert [r["status"] for r in reports] == ["applied", "applied"], reports
    assert case_of(deputy, case.id).status == "approved"  # type: ignore[union-attr]
    deputy.verify_clean()
    tree.a.verify_clean()


def test_a_province_bundle_down_brings_the_commune_none_of_its_own_decisions(
    tree: Tree,
) -> None:
    case_id = proposed_and_approved(tree)
    [up] = tree.province.take(tree.commune.export())
    assert up["status"] == "applied", up
    for full in (False, True):
        [down] = tree.commune.take(tree.province.export(to=tree.commune.unit, full=full))
        assert down["status"] == "skipped", down
        assert "refused_changes" not in down and "held_changes" not in down, down
    assert case_of(tree.commune, case_id).status == "approved"  # type: ignore[union-attr]
    tree.commune.verify_clean()
    # The commune's next bundle down to the hamlet: nothing new for it.
    [again] = tree.a.take(tree.commune.export(to=tree.a.unit))
    assert again["status"] == "skipped", again


def test_a_withdrawal_refused_above_after_the_hamlet_proposed_again(tree: Tree) -> None:
    """The hamlet withdrew its first proposal and made a second; the commune had approved
    the first, and refused the withdrawal. Both laptops hold two live cases: the hamlet
    ends the second itself (a proposal's withdrawal is its own)."""
    hid = tree.a.add_household("Nguyễn Văn Ấn")
    first = cases.propose_case(tree.a.db, tree.a.actor, hid, SupportKind.new_build, 2026)
    tree.commune.take(tree.a.export())
    approve(tree.commune, first.id)
    cases.transition(
        tree.a.db, tree.a.actor, first.id, CaseStatus.cancelled, on=TODAY, reason="Nhầm"
    )
    second = cases.propose_case(tree.a.db, tree.a.actor, hid, SupportKind.new_build, 2026)
    tree.commune.take(tree.a.export())
    [down] = tree.a.take(tree.commune.export(to=tree.a.unit))
    assert down["status"] == "applied", down
    assert case_of(tree.a, first.id).status == "approved"  # type: ignore[union-attr]
    tree.a.verify_clean()
    cases.transition(
        tree.a.db, tree.a.actor, second.id, CaseStatus.cancelled, on=TODAY, reason="Trùng"
    )
    [up] = tree.commune.take(tree.a.export())
    assert up["status"] == "applied" and "refused_changes" not in up, up
    assert case_of(tree.commune, second.id).status == "cancelled"  # type: ignore[union-attr]
    # With the second ended, the first goes on: its start reaches the commune.
    cases.transition(tree.a.db, tree.a.actor, first.id, CaseStatus.started, on=TODAY)
    [started] = tree.commune.take(tree.a.export())
    assert started["status"] == "applied" and "refused_changes" not in started, started
    assert case_of(tree.commune, first.id).status == "started"  # type: ignore[union-attr]
    tree.commune.verify_clean()


def test_a_bundle_passed_over_whole_lets_the_next_one_held_for_it_apply(
    tree: Tree, make_node
) -> None:  # type: ignore[no-untyped-def]
    """The commune's first bundle to the hamlet decides on the deputy's case alone, its
    second approves the team leader's. Taken second first, the second waits for the
    first; the first, passed over whole on the leader's laptop, lets it apply."""
    from .conftest import COMMUNE, trust

    deputy = make_node("hamlet-a2", COMMUNE, "Thôn Nà Pàn")
    trust(tree.commune, deputy, "child")
    trust(deputy, tree.commune, "parent")
    theirs = cases.propose_case(
        deputy.db, deputy.actor, deputy.add_household("Lương Văn Cường"),
        SupportKind.new_build, 2026,
    )  # fmt: skip
    ours = cases.propose_case(
        tree.a.db, tree.a.actor, tree.a.add_household("Nguyễn Văn Ấn"),
        SupportKind.new_build, 2026,
    )  # fmt: skip
    tree.commune.take(deputy.export(), tree.a.export())
    cases.transition(tree.commune.db, tree.commune.actor, theirs.id, CaseStatus.reviewed, on=TODAY)
    first = tree.commune.export(to=tree.a.unit)
    cases.transition(tree.commune.db, tree.commune.actor, ours.id, CaseStatus.reviewed, on=TODAY)
    second = tree.commune.export(to=tree.a.unit)

    [held] = tree.a.take(second)
    assert held["status"] == "pending", held
    reports = tree.a.take(first)
    assert [r["status"] for r in reports] == ["skipped", "applied"], reports
    assert counted(tree.a, PendingBundle) == 0
    assert case_of(tree.a, ours.id).status == "reviewed"  # type: ignore[union-attr]
    tree.a.verify_clean()


def test_the_hamlet_withdraws_a_case_the_commune_proposed(tree: Tree) -> None:
    hid = tree.a.add_household("Hoàng Thị Bình")
    tree.commune.take(tree.a.export())
    case = cases.propose_case(tree.commune.db, tree.commune.actor, hid, SupportKind.repair, 2026)
    [down] = tree.a.take(tree.commune.export(to=tree.a.unit))
    assert down["status"] == "applied", down
    withdraw(tree.a, case.id, "Tự làm")
    [up] = tree.commune.take(tree.a.export())
    assert up["status"] == "applied" and "refused_changes" not in up, up
    assert up["entities"]["support_case"]["conflicts"] == 0, up
    assert case_of(tree.commune, case.id).status == "cancelled"  # type: ignore[union-attr]
    [again] = tree.a.take(tree.commune.export(to=tree.a.unit))
    assert again["status"] == "skipped", again
    tree.commune.verify_clean()
    tree.a.verify_clean()


def test_a_conflict_on_the_start_day_resolved_at_the_hamlet(tree: Tree) -> None:
    from nhao.services import sync

    case_id = approved_days_ago(tree, 5)
    day = TODAY - timedelta(days=2)
    cases.transition(tree.commune.db, tree.commune.actor, case_id, CaseStatus.started, on=day)
    cases.transition(tree.a.db, tree.a.actor, case_id, CaseStatus.started, on=TODAY)
    tree.commune.take(tree.a.export())
    [down] = tree.a.take(tree.commune.export(to=tree.a.unit))
    assert down["status"] == "applied", down
    [conflict] = sync.list_conflicts(tree.a.db)
    sync.resolve_conflict(tree.a.db, tree.a.actor, conflict.id, day.isoformat())
    [up] = tree.commune.take(tree.a.export())
    assert up["status"] == "applied" and "refused_changes" not in up, up
    assert sync.list_conflicts(tree.commune.db) == []
    assert case_of(tree.commune, case_id).started_on == day  # type: ignore[union-attr]
    [again] = tree.a.take(tree.commune.export(to=tree.a.unit))
    assert again["status"] == "skipped", again
    assert sync.list_conflicts(tree.a.db) == []
    assert case_of(tree.a, case_id).started_on == day  # type: ignore[union-attr]
    tree.a.verify_clean()
    tree.commune.verify_clean()


def test_a_step_the_province_took_comes_down_through_the_commune(tree: Tree) -> None:
    _, case_id = proposed_and_sent_up(tree, "Nguyễn Văn Ấn")
    tree.province.take(tree.commune.export())
    cases.transition(
        tree.province.db, tree.province.actor, case_id, CaseStatus.reviewed, on=TODAY
    )
    [mid] = tree.commune.take(tree.province.export(to=tree.commune.unit))
    assert mid["status"] == "applied", mid
    assert case_of(tree.commune, case_id).status == "reviewed"  # type: ignore[union-attr]
    approve_rest = dict(decision_no="15/QĐ-UBND", decision_date=TODAY)
    cases.transition(
        tree.commune.db, tree.commune.actor, case_id, CaseStatus.approved, on=TODAY,
        support={FundSource.fund: 10_000_000}, **approve_rest,
    )  # fmt: skip
    [down] = tree.a.take(tree.commune.export(to=tree.a.unit))
    assert down["status"] == "applied", down
    assert case_of(tree.a, case_id).status == "approved"  # type: ignore[union-attr]
    [up] = tree.province.take(tree.commune.export())
    assert up["status"] == "applied" and "refused_changes" not in up, up
    assert case_of(tree.province, case_id).status == "approved"  # type: ignore[union-attr]
    for node in (tree.a, tree.commune, tree.province):
        node.verify_clean()
