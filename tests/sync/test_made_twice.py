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

from nhao.cli import main
from nhao.domain.enums import CaseStatus, FundSource, Instalment, PaymentMethod, SupportKind
from nhao.models import CaseSupport, PeriodClose, Receipt
from nhao.services import cases, fund, sync

from .conftest import COMMUNE, PASSWORD, Node, Tree, close_period, trust


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
    for shown in ("PT-2026-0001", COMMUNE, "bị cấp 2 lần", "02/03/2026, 2.000.000 ₫;"):
        assert shown in clash
    assert "03/03/2026, 3.500.000 ₫ — vừa nhận" in clash and clash.count("vừa nhận") == 1
    assert report["entities"]["receipt"]["new"] == 1
    assert _count(tree.province, Receipt, voucher_no="PT-2026-0001") == 2  # real money, both

    assert report["entities"]["period_close"] == {
        "new": 0, "updated": 0, "unchanged": 0, "conflicts": 0, "refused": 1
    }
    (refusal,) = report["refused_changes"]
    assert refusal.startswith("khóa sổ ") and "2026-01" in refusal  # as people call it
    assert _count(tree.province, PeriodClose) == 1
    tree.province.verify_clean()

    out = sync.write_import_report([report], tmp_path / "report.xlsx")
    rows = [list(r) for r in load_workbook(out)["Phiếu trùng số"].iter_rows(values_only=True)]
    assert rows[rows.index(["Tệp", "Lý do"]) + 1 :] == [[bundle.name, clash]]

    # Nothing is stuck: the second station's next bundle goes in, and re-importing
    # the clashing one changes nothing.
    assert _receipt(second, 700_000, date(2026, 4, 1)) == "PT-2026-0002"
    assert tree.province.take(second.export())[0]["status"] == "applied"
    assert tree.province.take(bundle)[0]["status"] == "skipped"
    assert _count(tree.province, Receipt) == 3


def test_office_and_accountant_laptop_give_out_numbers_then_keep_apart(
    tree: Tree, make_node, backend: str, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    office = tree.commune
    accountant = make_node("accountant", COMMUNE)
    trust(office, accountant, "child")
    trust(accountant, office, "child")
    assert _receipt(office, 1_000_000, date(2026, 5, 4)) == "PT-2026-0001"
    issued = [_receipt(accountant, 100_000 * n, date(2026, 5, n)) for n in (1, 2, 3)]
    assert issued == ["PT-2026-0001", "PT-2026-0002", "PT-2026-0003"]

    report = office.take(accountant.export(to=COMMUNE))[0]
    assert report["status"] == "applied", report
    (clash,) = report["number_clashes"]
    assert "PT-2026-0001" in clash and "01/05/2026, 100.000 ₫ — vừa nhận" in clash
    # The office has seen numbers up to 0003 of its unit: it goes on from there.
    assert _receipt(office, 250_000, date(2026, 5, 6)) == "PT-2026-0004"

    # At the province both vouchers of the clash are new, from one bundle: one line.
    bundle = office.export()
    if backend == "sqlite":  # the command line says it too, not only its --json
        monkeypatch.setenv("NHAO_PASSWORD", PASSWORD)
        capsys.readouterr()
        assert main(["--db", str(tree.province.db.location.path), "bundle", "import",
                     str(bundle)]) == 0  # fmt: skip
        printed = capsys.readouterr().out.splitlines()
        assert printed[0] == f"{bundle.name}: Đã nhập"
        at = printed.index("  Số phiếu bị cấp trùng, đã giữ cả các phiếu (1):")  # after the counts
        assert printed[at + 1].startswith("  - Số phiếu PT-2026-0001 ")
        assert printed[at + 1].count("vừa nhận") == 2
    else:
        up = tree.province.take(bundle)[0]
        assert up["status"] == "applied", up
        (clash,) = up["number_clashes"]
        assert "PT-2026-0001" in clash and clash.count("vừa nhận") == 2
    assert _count(tree.province, Receipt) == 5


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
    _approve(commune, case["id"], budget=45_000_000)  # one amount entered otherwise
    assert _receipt(commune, 5_000_000, date(2026, 3, 2)) == "PT-2026-0001"
    report = tree.province.take(commune.export())[0]
    assert report["status"] == "applied", report
    assert len(report["number_clashes"]) == 1
    assert report["entities"]["case_support"]["refused"] == 2
    budget, fund_copy = sorted(report["refused_changes"], key=lambda r: "45000000" not in r)
    assert budget.startswith("kinh phí hỗ trợ theo nguồn ") and fund_copy.startswith("kinh phí")
    assert "source = state_budget" in budget
    assert "amount = 45000000 (bản đã có: 40000000)" in budget
    assert "source = fund" in fund_copy and "ghi khác" not in fund_copy
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


def _approve(node: Node, case_id: str, budget: int = 40_000_000) -> None:
    cases.transition(
        node.db, node.actor, case_id, CaseStatus.approved, on=date(2026, 2, 21),
        decision_no="12/QĐ-UBND", decision_date=date(2026, 2, 20),
        support={FundSource.state_budget: budget, FundSource.fund: 20_000_000},
    )


def _paid_case(tree: Tree) -> tuple[Node, dict]:
    """The commune approves a case (20,000,000 ₫ from the fund), has the money, and
    backs up; the advance is paid after that backup."""
    commune = tree.commune
    hid = tree.a.add_household("Lò Văn Páo")
    commune.take(tree.a.export())
    case = _approved_case(commune, hid, backup_before_approval=False)
    _receipt(commune, 30_000_000, date(2026, 2, 25))
    case["backup"] = commune.db.backup(reason="test")
    return commune, case


def _advance(node: Node, case_id: str) -> str:
    paid = fund.record_payment(node.db, node.actor, case_id, 15_000_000, date(2026, 3, 1),
                               Instalment.advance, PaymentMethod.cash)  # fmt: skip
    return paid.voucher_no


def test_an_advance_paid_again_by_a_restored_commune_is_listed_to_look_at(
    tree: Tree, backend: str, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """The laptop restored from the backup pays the advance again from the paper file:
    both payments are real vouchers, kept, and together beyond what was approved."""
    if backend != "sqlite":
        pytest.skip("backups are SQLite files: a laptop restores one, a server does not")
    commune, case = _paid_case(tree)
    assert _advance(commune, case["id"]) == "PC-2026-0001"
    first = tree.province.take(commune.export())[0]
    assert first["status"] == "applied" and "payments_to_review" not in first, first
    commune.db.dispose()
    shutil.copyfile(case["backup"], commune.db.location.path)
    assert _advance(commune, case["id"]) == "PC-2026-0001"
    bundle = commune.export()
    report = tree.province.take(bundle)[0]
    assert report["status"] == "applied", report
    (said,) = report["payments_to_review"]
    assert said.startswith("Hồ sơ hỗ trợ của hộ Lò Văn Páo: các phiếu chi PC-2026-0001, "
                           "PC-2026-0001 cộng lại 30.000.000"), said  # fmt: skip
    assert "vượt mức hỗ trợ từ Quỹ đã duyệt 20.000.000" in said
    assert report["entities"]["payment"]["new"] == 1  # kept: real money
    out = sync.write_import_report([report], tmp_path / "report.xlsx")
    sheet = load_workbook(out)["Phiếu chi cần xem lại"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[rows.index(["Tệp", "Lý do"]) + 1 :] == [[bundle.name, said]]
    tree.province.verify_clean()


def test_an_advance_for_a_case_cancelled_since_the_backup_is_listed_to_look_at(
    tree: Tree, backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("backups are SQLite files: a laptop restores one, a server does not")
    commune, case = _paid_case(tree)
    cases.transition(commune.db, commune.actor, case["id"], CaseStatus.cancelled,
                     on=date(2026, 3, 5), reason="Hộ chuyển đi nơi khác")  # fmt: skip
    assert tree.province.take(commune.export())[0]["status"] == "applied"
    commune.db.dispose()
    shutil.copyfile(case["backup"], commune.db.location.path)
    number = _advance(commune, case["id"])
    report = tree.province.take(commune.export())[0]
    assert report["status"] == "applied", report
    (said,) = report["payments_to_review"]
    assert said == (
        f"Phiếu chi {number} (15.000.000 ₫) chi cho hồ sơ hỗ trợ của hộ Lò Văn Páo, mà hồ sơ "
        "ấy ở đây đã ở bước “đã hủy”: hãy xem lại, hủy phiếu nếu đã chi nhầm."
    )
