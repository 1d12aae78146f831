"""A hamlet laptop with a fault (or edited) attaching its new records to another
hamlet's household: the record says it is the sender's own, so scope let it through.
Each such record is refused on its own and listed, as an edit of another hamlet's
household is (test_entry_values); the rest of the bundle applies, so the sender's
later bundles are not stopped. Applied, hamlet A's case on hamlet B's household kept
that household from being deleted by B, and showed B's household in A's case list."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from nhao.domain.enums import SupportKind
from nhao.models import ChangeLogEntry
from nhao.services import cases, inspections

from .conftest import Tree


def _aimed_at(tree: Tree, entity: str, theirs: str) -> None:
    """At hamlet A, a new record of `entity` for A's own household, its change-log line
    then pointed at `theirs`."""
    own = tree.a.add_household("Hộ Của Thôn A")
    if entity == "support_case":
        cases.propose_case(tree.a.db, tree.a.actor, own, SupportKind.new_build, 2026)
    else:
        inspections.add_inspection(
            tree.a.db, tree.a.actor, own,
            inspections.InspectionInput(inspected_on=date(2026, 3, 2), inspector="Lò Văn Tư",
                                        has_house=False),
        )  # fmt: skip
    with tree.a.db.transaction() as s:
        line = s.scalars(
            select(ChangeLogEntry).where(
                ChangeLogEntry.entity == entity, ChangeLogEntry.op == "insert"
            )
        ).one()
        line.changes = {**line.changes, "household_id": [None, theirs]}


@pytest.mark.parametrize("entity", ["support_case", "inspection"])
def test_a_new_record_for_another_hamlets_household_is_refused_alone(
    tree: Tree, entity: str
) -> None:
    theirs = tree.b.add_household("Hộ Của Thôn B")
    tree.commune.take(tree.b.export())
    _aimed_at(tree, entity, theirs)
    report = tree.commune.take(tree.a.export())[0]
    assert report["status"] == "applied", report.get("reason")
    assert report["entities"]["household"]["new"] == 1  # A's own household came
    assert report["entities"][entity]["refused"] == 1
    assert any(
        f"nằm ngoài phạm vi của máy đơn vị {tree.a.unit}" in line and theirs in line
        for line in report["refused_changes"]
    ), report["refused_changes"]
    if entity == "support_case":
        assert cases.cases_of_household(tree.commune.db, tree.commune.actor, theirs) == []
    else:
        shown = inspections.list_inspections(tree.commune.db, tree.commune.actor, theirs)
        assert shown == []
    tree.commune.verify_clean()
    # A's later bundles still apply, and what the commune refused is refused above too.
    tree.a.add_household("Hộ Sau Của Thôn A")
    later = tree.commune.take(tree.a.export())[0]
    assert later["status"] == "applied" and later["entities"]["household"]["new"] == 1
    up = tree.province.take(tree.commune.export())[0]
    assert up["status"] == "applied", up.get("reason")
    assert up["entities"][entity]["refused"] == 1
    tree.province.verify_clean()


def test_a_case_for_another_hamlets_household_is_refused_when_its_year_is_fixed(
    tree: Tree,
) -> None:
    """Refused first for its planned year, beyond the forms, a case kept to be taken with
    its fix (merge._pending) was checked without the household it points at, which
    only that earlier bundle named: fixed in the next bundle, hamlet A's case on hamlet
    B's household was taken."""
    from nhao.domain.enums import CaseStatus

    theirs = tree.b.add_household("Hộ Của Thôn B")
    tree.commune.take(tree.b.export())
    _aimed_at(tree, "support_case", theirs)
    year = date.today().year
    with tree.a.db.transaction() as s:
        case_line = select(ChangeLogEntry).where(ChangeLogEntry.entity == "support_case")
        line = s.scalars(case_line).one()
        line.changes = {**line.changes, "planned_year": [None, year + 30]}
        case = line.record_id
    report = tree.commune.take(tree.a.export())[0]
    assert report["entities"]["support_case"]["refused"] == 1, report["entities"]
    cases.transition(tree.a.db, tree.a.actor, case, CaseStatus.cancelled, on=date.today(),
                     reason="Hộ chuyển đi")  # fmt: skip
    with tree.a.db.transaction() as s:
        line = s.scalars(
            select(ChangeLogEntry).where(
                ChangeLogEntry.entity == "support_case", ChangeLogEntry.op == "update"
            )
        ).one()
        line.changes = {**line.changes, "planned_year": [year + 30, year]}
    report = tree.commune.take(tree.a.export())[0]
    assert report["status"] == "applied", report.get("reason")
    assert report["entities"]["support_case"]["refused"] == 1, report["entities"]
    assert any(
        "nằm ngoài phạm vi của máy" in line and theirs in line and tree.a.unit in line
        for line in report["refused_changes"]
    ), report["refused_changes"]
    assert cases.cases_of_household(tree.commune.db, tree.commune.actor, theirs) == []
    tree.commune.verify_clean()
