"""A trusted commune laptop with a fault, signing fund records whose values nhao reads
back later by their form: each is refused whole, with a sentence naming the record
and the field, and the commune's later bundles still apply."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from nhao.domain.enums import PaymentMethod
from nhao.services import fund

from .conftest import Tree, trust
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
