"""A trusted commune laptop with a fault, signing fund records whose values nhao reads
back later by their form: each is refused whole, with a sentence naming the record
and the field, and the commune's later bundles still apply."""

from __future__ import annotations

import json
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from nhao.domain.enums import PaymentMethod
from nhao.models import BankStatementLine, Record, Target
from nhao.services import fund
from nhao.sync import bundle

from .conftest import Node, Tree, trust
from .test_adversarial import refused
from .test_faulty_station import FaultyStation, _fund_templates


@pytest.fixture
def faulty(tree: Tree, make_node, tmp_path: Path) -> FaultyStation:  # type: ignore[no-untyped-def]
    """The accountant's second laptop, trusted at the province."""
    templates = _fund_templates(tree)
    second = make_node("commune-2", tree.commune.unit)
    trust(tree.province, second, "child")
    return FaultyStation(second, tree.province, templates, tmp_path)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("period_key", "2026-13"),  # no thirteenth month
        ("period_key", "tháng 12"),
        ("period_key", "2026-q1"),  # read as 2026-Q1, but not the key nhao writes
        ("account", "tiền mặt"),  # the books are "cash" and "bank"
    ],
)
def test_a_period_close_nhao_cannot_read_is_refused(
    tree: Tree, faulty: FaultyStation, field: str, value: str
) -> None:
    """Applied, a close of a period nhao cannot read made every later import of the
    commune's cash vouchers at the province fail as an unexpected error."""
    lines = faulty.entries([("new", "account", "cash"), ("new", field, value)], "period_close")
    refused(tree.province, faulty.write(lines), f"trường {field}", "không có gì được ghi")
    commune = tree.commune
    donor = fund.add_donor(commune.db, commune.actor, "Ông Hoàng Văn Ba")
    fund.record_receipt(
        commune.db, commune.actor, donor.id, 1_000_000, date.today(), PaymentMethod.cash
    )
    later = tree.province.take(commune.export())[0]
    assert later["status"] == "applied", later.get("reason")
    tree.province.verify_clean()


def test_a_donor_of_a_kind_nhao_never_writes_is_refused(tree: Tree, faulty: FaultyStation) -> None:
    lines = faulty.entries([("new", "kind", "xyz")], "donor")
    refused(tree.province, faulty.write(lines), "trường kind", "không có gì được ghi")


@pytest.mark.parametrize(
    ("entity", "field"), [("receipt", "received_on"), ("payment", "paid_on"),
                          ("pledge", "pledged_on")]
)  # fmt: skip
def test_a_voucher_dated_in_the_year_3000_is_refused(
    tree: Tree, faulty: FaultyStation, entity: str, field: str
) -> None:
    """The form takes no voucher dated after today; one of the year 3000 stood in the
    fund's books and balances at the province. Refused alone, and listed."""
    lines = faulty.entries([("new", field, "3000-01-01")], entity)
    report = tree.province.take(faulty.write(lines))
    assert report[0]["status"] == "applied", report[0].get("reason")
    assert report[0]["entities"][entity]["refused"] == 1, report[0]["entities"]
    [said] = report[0]["refused_changes"]
    assert f"trường {field} không được sau ngày" in said and "đang là 01/01/3000" in said, said


def test_a_voucher_dated_by_a_clock_years_ahead_is_refused_alone(tree: Tree) -> None:
    """A commune laptop whose clock ran years ahead took receipts dated on the day its
    clock said, as the form does; once the clock is right (and its stamps restamped), its
    bundles are nhao's own. Such a receipt is refused alone and listed; the rest applies,
    and the laptop's later bundles too: refused whole, it went again in every one."""
    from nhao.services.unit_of_work import unit_of_work

    ahead = date(date.today().year + 3, 6, 1)
    commune = tree.commune
    donor = fund.add_donor(commune.db, commune.actor, "Công ty Phú Thành")
    with unit_of_work(commune.db, commune.actor) as uow:
        fund.issue_receipt(uow, donor.id, 500_000, ahead, PaymentMethod.cash, today=ahead)
    report = tree.province.take(commune.export())[0]
    assert report["status"] == "applied", report.get("reason")
    assert report["entities"]["donor"]["new"] == 1, report["entities"]
    assert report["entities"]["receipt"]["refused"] == 1, report["entities"]
    [said] = report["refused_changes"]
    assert "trường received_on không được sau ngày" in said, said
    assert f"đang là 01/06/{ahead.year}" in said and "đồng hồ" in said, said
    fund.add_donor(commune.db, commune.actor, "Bà Nông Thị Ấn")
    later = tree.province.take(commune.export())[0]
    assert later["status"] == "applied", later.get("reason")
    assert later["entities"]["donor"]["new"] == 1, later["entities"]
    tree.province.verify_clean()


def _sent_insert(sender: Node, receiver: Node, record: Record, to: str | None = None) -> dict:
    """`record` written at `sender` as its nhao writes it, sent to and taken at
    `receiver`: the line of its creation, a template for FaultyStation."""
    from nhao.services.unit_of_work import unit_of_work

    with unit_of_work(sender.db, sender.actor) as uow:
        uow.insert(record)
    sent = sender.export(to, seal=False)
    assert receiver.take(sent)[0]["status"] == "applied"
    with zipfile.ZipFile(sent) as zf:
        lines = [json.loads(x) for x in zf.read(bundle.CHANGES).splitlines()]
    return next(x for x in lines if x["op"] == "insert" and x["entity"] == record.__tablename__)


def test_a_bank_line_or_a_target_beyond_what_the_forms_take_is_refused(
    tree: Tree, tmp_path: Path
) -> None:
    """A bank statement's line dated in the year 3000, a target for the year 3000: they
    had no ceiling, unlike every other date and year, and stood in the books' matching
    and the province's plans. Each is refused alone and listed, as the other dates are;
    a line dated a little ahead, a target five years ahead (as far as a case is planned)
    are still taken."""
    year, commune = date.today().year, tree.commune
    line = BankStatementLine(unit_code=commune.unit, account="Agribank 8301",
                             line_date=date.today(), amount=2_000_000)  # fmt: skip
    target = Target(unit_code=commune.unit, year=year, new_builds=3, repairs=2)
    sent = [
        (FaultyStation(commune, tree.province, {"bank_statement_line": _sent_insert(
            commune, tree.province, line)}, tmp_path / "up"), "line_date"),
        (FaultyStation(tree.province, commune, {"target": _sent_insert(
            tree.province, commune, target, to=commune.unit)}, tmp_path / "down"), "year"),
    ]  # fmt: skip
    ahead = (date.today() + timedelta(days=300)).isoformat()
    for faulty, field in sent:
        (entity,) = faulty.templates
        faulty.folder.mkdir()
        far = "3000-01-01" if field == "line_date" else 3000
        words = "không được sau ngày" if field == "line_date" else f"phải từ {year + 6} trở"
        report = faulty.parent.take(faulty.write(faulty.entries([("new", field, far)], entity)))
        assert report[0]["status"] == "applied", report[0].get("reason")
        assert report[0]["entities"][entity]["refused"] == 1, report[0]["entities"]
        [said] = report[0]["refused_changes"]
        assert f"trường {field} {words}" in said and "không được nhận" in said, said
        if field == "year":  # fixed to a year of a target held here: that one is kept
            (insert,) = faulty.entries([("new", field, far)], entity)
            fixes = [faulty._later(insert, insert["id"], {field: [far, year]})]
            again = faulty.entries([("new", field, far)], entity)
            fixes += [*again, faulty._later(again[0], again[0]["id"], {field: [far, year + 1]})]
            report = faulty.parent.take(faulty.write([insert, *fixes]))[0]
            assert report["status"] == "applied", report.get("reason")
            assert report["entities"][entity] == {**report["entities"][entity], "new": 1,
                                                  "refused": 3}  # fmt: skip
            assert "đã có bản ghi" in report["refused_changes"][1], report["refused_changes"]
        near = ahead if field == "line_date" else year + 5
        report = faulty.parent.take(faulty.write(faulty.entries([("new", field, near)], entity)))
        assert report[0]["status"] == "applied", report[0].get("reason")
        assert report[0]["entities"][entity]["new"] == 1, report[0]["entities"]
        faulty.parent.verify_clean()


def test_a_target_for_a_year_before_any_plan_is_refused(tree: Tree, tmp_path: Path) -> None:
    """A target had a ceiling (five years ahead) but no floor, unlike a case's planned
    year (from 2000): a target for the year 0 or 1999 stood in the commune's plans.
    Refused whole, as a case planned for such a year is; a target of 2000 is taken."""
    commune, province = tree.commune, tree.province
    target = Target(unit_code=commune.unit, year=date.today().year, new_builds=3, repairs=2)
    template = _sent_insert(province, commune, target, to=commune.unit)
    faulty = FaultyStation(province, commune, {"target": template}, tmp_path)
    for year in (0, 1999):
        sent = faulty.write(faulty.entries([("new", "year", year)], "target"))
        refused(commune, sent, "trường year phải từ 2000 trở lên", "không có gì được ghi")
    report = commune.take(faulty.write(faulty.entries([("new", "year", 2000)], "target")))[0]
    assert report["status"] == "applied", report.get("reason")
    assert report["entities"]["target"]["new"] == 1, report["entities"]
    commune.verify_clean()
