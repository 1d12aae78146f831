"""What a commune makes twice through two of its stations (a database restored from
an older backup, or copied to a second laptop) reaches its parents without stopping
the commune's bundles: voucher numbers given out twice keep both vouchers and are
listed; a record the unit holds one of (a closed period, a case's support from one
source) stays as it first arrived and the copy is listed as refused."""

from __future__ import annotations

import shutil
import uuid
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from nhao.domain.enums import CaseStatus, FundSource, PaymentMethod, SupportKind
from nhao.models import CaseSupport, PeriodClose, Receipt
from nhao.services import cases, fund, sync

from .conftest import COMMUNE, Node, Tree, close_period, trust


def _receipt(node: Node, amount: int, on: date) -> str:
    donor = fund.add_donor(node.db, node.actor, f"Nhà hảo tâm {amount}")
    view = fund.record_receipt(node.db, node.actor, donor.id, amount, on, PaymentMethod.cash)
    return view.voucher_no


def _count(node: Node, model, **where) -> int:  # type: ignore[no-untyped-def]
    with node.db.session() as s:
        query = select(func.count()).select_from(model).filter_by(**where)
        return int(s.scalar(query) or 0)


def test_second_station_of_a_commune_gives_out_the_same_numbers(
    tree: Tree, make_node, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    # A copy of the commune's database on the accountant's second laptop: a station
    # of its own, enrolled at the province like the first.
    second = make_node("commune-2", COMMUNE)
    trust(tree.province, second, "child")
    trust(second, tree.province, "parent")
    assert _receipt(tree.commune, 2_000_000, date(2026, 3, 2)) == "PT-2026-0001"
    assert _receipt(second, 3_500_000, date(2026, 3, 3)) == "PT-2026-0001"
    close_period(tree.commune, "2026-01")
    close_period(second, "2026-01")
    assert tree.province.take(tree.commune.export())[0]["status"] == "applied"

    bundle = second.export()
    tried = tree.province.take(bundle, dry_run=True)[0]
    assert tried["status"] == "dry-run", tried
    assert len(tried.get("number_clashes", [])) == 1, repr(tried)
    assert _count(tree.province, Receipt) == 1  # the dry run wrote nothing

    report = tree.province.take(bundle)[0]
    assert report["status"] == "applied", report
    (clash,) = report["number_clashes"]
    for shown in ("PT-2026-0001", COMMUNE, "03/03/2026", "3.500.000", "02/03/2026", "2.000.000"):
        assert shown in clash
    assert report["entities"]["receipt"]["new"] == 1
    assert _count(tree.province, Receipt, voucher_no="PT-2026-0001") == 2  # real money, both

    assert report["entities"]["period_close"] == {
        "new": 0, "updated": 0, "unchanged": 0, "conflicts": 0, "refused": 1
    }
    (refusal,) = report["refused_changes"]
    assert refusal.startswith("period_close ") and "2026-01" in refusal
    assert _count(tree.province, PeriodClose) == 1
    tree.province.verify_clean()

    out = sync.write_import_report([report], tmp_path / "report.xlsx")
    sheet = load_workbook(out)["Phiếu trùng số"]
    assert [c.value for c in sheet[2]] == [bundle.name, clash]

    # Nothing is stuck: the second station's next bundle goes in, and re-importing
    # the clashing one changes nothing.
    assert _receipt(second, 700_000, date(2026, 4, 1)) == "PT-2026-0002"
    assert tree.province.take(second.export())[0]["status"] == "applied"
    assert tree.province.take(bundle)[0]["status"] == "skipped"
    assert _count(tree.province, Receipt) == 3


def test_restored_commune_makes_again_what_it_had_sent(tree: Tree, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("backups are SQLite files: a laptop restores one, a server does not")
    commune = tree.commune
    hid = tree.a.add_household("Lò Văn Páo")
    commune.take(tree.a.export())
    case = _approved_case(commune, hid, backup_before_approval=True)
    assert _receipt(commune, 5_000_000, date(2026, 3, 2)) == "PT-2026-0001"
    assert tree.province.take(commune.export())[0]["status"] == "applied"

    # The laptop dies; the accountant restores last week's backup (before the
    # approval and the receipt) and enters both again from the paper files.
    commune.db.dispose()
    shutil.copyfile(case["backup"], commune.db.location.path)
    _approve(commune, case["id"])
    assert _receipt(commune, 5_000_000, date(2026, 3, 2)) == "PT-2026-0001"
    report = tree.province.take(commune.export())[0]
    assert report["status"] == "applied", report
    assert len(report["number_clashes"]) == 1
    assert report["entities"]["case_support"]["refused"] >= 1
    assert all(r.startswith("case_support ") for r in report["refused_changes"])
    with tree.province.db.session() as s:
        query = select(CaseSupport.source).where(CaseSupport.case_id == case["uuid"])
        assert sorted(s.scalars(query)) == ["fund", "state_budget"]  # one row each, as before
    tree.province.verify_clean()
    commune.verify_clean()

    commune.edit_household(hid, phone="0912345678")
    assert tree.province.take(commune.export())[0]["status"] == "applied"
    assert tree.province.household(hid).phone == "0912345678"


def _approved_case(node: Node, household_id: str, *, backup_before_approval: bool) -> dict:
    case = cases.propose_case(
        node.db, node.actor, household_id, SupportKind.new_build, 2026, on=date(2026, 2, 1)
    )
    cases.transition(node.db, node.actor, case.id, CaseStatus.reviewed, on=date(2026, 2, 10))
    backup = node.db.backup(reason="test") if backup_before_approval else None
    _approve(node, case.id)
    return {"id": case.id, "uuid": uuid.UUID(case.id), "backup": backup}


def _approve(node: Node, case_id: str) -> None:
    cases.transition(
        node.db, node.actor, case_id, CaseStatus.approved, on=date(2026, 2, 21),
        decision_no="12/QĐ-UBND", decision_date=date(2026, 2, 20),
        support={FundSource.state_budget: 40_000_000, FundSource.fund: 20_000_000},
    )
