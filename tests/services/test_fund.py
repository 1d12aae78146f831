"""The fund: gapless vouchers, the limits on payments, voids, pledges, roles."""

from __future__ import annotations

from datetime import date

import pytest

from nhao.domain.enums import (
    CaseStatus,
    FundSource,
    Instalment,
    PaymentMethod,
    Role,
    SupportKind,
)
from nhao.domain.errors import ValidationError
from nhao.models import PeriodClose
from nhao.models.database import Database
from nhao.services import cases, fund, households, units, users
from nhao.services.actor import Actor
from nhao.services.errors import PermissionDenied
from nhao.services.unit_of_work import unit_of_work

BANK, CASH, IN_KIND = PaymentMethod.bank, PaymentMethod.cash, PaymentMethod.in_kind
ADVANCE, FINAL = Instalment.advance, Instalment.final
DAY = date(2025, 6, 1)


def make_household(db: Database, actor: Actor, hamlet_code: str,
                   name: str = "Hoàng Văn Páo") -> str:
    data = households.HouseholdInput(hamlet_code=hamlet_code, head_name=name, members=4)
    return households.create_household(db, actor, data).id


def make_user(db: Database, admin: Actor, username: str, role: Role, hamlet: str | None = None):
    users.create_user(db, admin, username=username, password="demo", role=role,
                      hamlet_code=hamlet)
    return users.authenticate(db, username, "demo")


def approved_case(db: Database, admin: Actor, household_id: str) -> cases.CaseView:
    """A new build approved with 40,000,000 ₫ from the budget and 20,000,000 ₫ from the fund."""
    case = cases.propose_case(db, admin, household_id, SupportKind.new_build, 2025,
                              on=date(2025, 2, 1))
    cases.transition(db, admin, case.id, CaseStatus.reviewed, on=date(2025, 2, 15))
    return cases.transition(db, admin, case.id, CaseStatus.approved, on=date(2025, 3, 1),
                            decision_no="35/QĐ-UBND", decision_date=date(2025, 3, 1),
                            support={FundSource.state_budget: 40_000_000,
                                     FundSource.fund: 20_000_000})


@pytest.fixture
def donor(db: Database, admin: Actor) -> str:
    return fund.add_donor(db, admin, "Công ty TNHH Hoàng Long", fund.DonorKind.company).id


@pytest.fixture
def case(db: Database, admin: Actor, hamlet: units.UnitView) -> str:
    """An approved new build with 20,000,000 ₫ from the fund."""
    return approved_case(db, admin, make_household(db, admin, hamlet.code)).id


@pytest.fixture
def other_case(db: Database, admin: Actor, hamlet: units.UnitView) -> str:
    return approved_case(db, admin, make_household(db, admin, hamlet.code, "Lý Thị Mẩy")).id


def numbers(db: Database, admin: Actor) -> tuple[list[str], list[str]]:
    return ([r.voucher_no for r in fund.list_receipts(db, admin)],
            [p.voucher_no for p in fund.list_payments(db, admin)])


def test_receipt_numbers_are_gapless_per_year(db: Database, admin: Actor, donor: str) -> None:
    for day in (date(2024, 12, 30), date(2025, 1, 2), date(2025, 1, 3)):
        fund.record_receipt(db, admin, donor, 1_000_000, day, CASH)
    with pytest.raises(ValidationError):  # refused before a number is taken
        fund.record_receipt(db, admin, donor, 1_000_000, date(2025, 1, 4), IN_KIND)
    receipt = fund.record_receipt(db, admin, donor, 4_500_000, date(2025, 1, 4), IN_KIND,
                                  in_kind_description="50 bao xi măng PCB40")
    assert receipt.in_kind_description == "50 bao xi măng PCB40"
    assert numbers(db, admin)[0] == ["PT-2024-0001", "PT-2025-0001", "PT-2025-0002",
                                     "PT-2025-0003"]


@pytest.mark.parametrize("amount", [0, -5, 1.5e6, "1000000", True])
def test_money_is_a_positive_int(db: Database, admin: Actor, donor: str, amount: object) -> None:
    with pytest.raises(ValidationError):
        fund.record_receipt(db, admin, donor, amount, DAY, CASH)  # type: ignore[arg-type]


def test_refused_payment_leaves_no_gap(db: Database, admin: Actor, donor: str, case: str) -> None:
    fund.record_receipt(db, admin, donor, 50_000_000, DAY, BANK)
    first = fund.record_payment(db, admin, case, 14_000_000, DAY, ADVANCE, BANK)
    with pytest.raises(ValidationError, match="Vượt mức hỗ trợ") as refused:
        fund.record_payment(db, admin, case, 7_000_000, DAY, FINAL, BANK)
    assert "6.000.000 ₫" in refused.value.message
    last = fund.record_payment(db, admin, case, 6_000_000, DAY, FINAL, BANK)
    assert (first.voucher_no, last.voucher_no) == ("PC-2025-0001", "PC-2025-0002")
    assert last.payee == "Hoàng Văn Páo"
    with pytest.raises(ValidationError, match="đợt cuối"):
        fund.record_payment(db, admin, case, 1, DAY, FINAL, BANK)


def test_payment_needs_an_approved_case_with_fund_support(
    db: Database, admin: Actor, hamlet: units.UnitView, donor: str
) -> None:
    fund.record_receipt(db, admin, donor, 50_000_000, DAY, BANK)
    household = make_household(db, admin, hamlet.code)
    proposed = cases.propose_case(db, admin, household, SupportKind.repair, 2025,
                                  on=date(2025, 2, 1))
    with pytest.raises(ValidationError, match="đã phê duyệt"):
        fund.record_payment(db, admin, proposed.id, 1_000_000, DAY, ADVANCE, BANK)
    cases.transition(db, admin, proposed.id, CaseStatus.reviewed, on=date(2025, 2, 2))
    cases.transition(db, admin, proposed.id, CaseStatus.approved, on=date(2025, 2, 3),
                     decision_no="2/QĐ-UBND", decision_date=date(2025, 2, 3),
                     support={"state_budget": 30_000_000})  # type: ignore[dict-item]
    with pytest.raises(ValidationError, match="từ Quỹ"):
        fund.record_payment(db, admin, proposed.id, 1_000_000, DAY, ADVANCE, BANK)
    assert numbers(db, admin)[1] == []


def test_designated_money_only_for_its_case(
    db: Database, admin: Actor, donor: str, case: str, other_case: str
) -> None:
    fund.record_receipt(db, admin, donor, 15_000_000, DAY, BANK, designated_case_id=case)
    fund.record_receipt(db, admin, donor, 5_000_000, DAY, CASH)
    with pytest.raises(ValidationError, match="không đủ tiền") as refused:
        fund.record_payment(db, admin, other_case, 6_000_000, DAY, ADVANCE, BANK)
    assert "5.000.000 ₫" in refused.value.message
    fund.record_payment(db, admin, case, 14_000_000, DAY, ADVANCE, BANK)
    # The case spent 14 of its own 15 million; 1 million stays held for it.
    fund.record_payment(db, admin, other_case, 5_000_000, DAY, ADVANCE, CASH)
    balance = fund.fund_balance(db, admin)
    assert (balance.received, balance.paid, balance.designated_unspent, balance.free) == (
        20_000_000, 19_000_000, 1_000_000, 0)
    fund.record_payment(db, admin, case, 1_000_000, DAY, FINAL, BANK)
    with pytest.raises(ValidationError, match="không đủ tiền"):
        fund.record_payment(db, admin, other_case, 1, DAY, FINAL, BANK)


def test_goods_are_not_cash(db: Database, admin: Actor, donor: str, case: str) -> None:
    fund.record_receipt(db, admin, donor, 50_000_000, DAY, IN_KIND,
                        in_kind_description="1,5 tấn thép phi 10")
    with pytest.raises(ValidationError, match="không đủ tiền"):
        fund.record_payment(db, admin, case, 1_000_000, DAY, ADVANCE, BANK)
    paid = fund.record_payment(db, admin, case, 14_000_000, DAY, ADVANCE, IN_KIND)
    balance = fund.fund_balance(db, admin)
    assert paid.method is IN_KIND
    assert (balance.in_kind_balance, balance.money_balance) == (36_000_000, 0)


def test_void_keeps_the_number(db: Database, admin: Actor, donor: str, case: str) -> None:
    wrong = fund.record_receipt(db, admin, donor, 200_000_000, DAY, BANK)
    with pytest.raises(ValidationError, match="lý do"):
        fund.void_receipt(db, admin, wrong.id, " ")
    voided = fund.void_receipt(db, admin, wrong.id, "Ghi sai số tiền")
    assert (voided.voucher_no, voided.void_reason) == ("PT-2025-0001", "Ghi sai số tiền")
    assert voided.voided_at is not None
    with pytest.raises(ValidationError, match="đã hủy"):
        fund.void_receipt(db, admin, wrong.id, "lần nữa")
    with pytest.raises(ValidationError, match="không đủ tiền"):  # voided money is gone
        fund.record_payment(db, admin, case, 14_000_000, DAY, ADVANCE, BANK)
    fund.record_receipt(db, admin, donor, 20_000_000, DAY, BANK)

    payment = fund.record_payment(db, admin, case, 14_000_000, DAY, ADVANCE, CASH)
    fund.void_payment(db, admin, payment.id, "Nhầm hình thức chi")
    again = fund.record_payment(db, admin, case, 14_000_000, DAY, ADVANCE, BANK)
    assert numbers(db, admin) == (["PT-2025-0001", "PT-2025-0002"],
                                  ["PC-2025-0001", "PC-2025-0002"])
    assert again.voucher_no == "PC-2025-0002"
    assert fund.fund_balance(db, admin).balance == 6_000_000


def test_outstanding_pledges(db: Database, admin: Actor, donor: str, case: str) -> None:
    chased = fund.add_pledge(db, admin, donor, 10_000_000, date(2025, 1, 10),
                             designated_case_id=case)
    done = fund.add_pledge(db, admin, donor, 3_000_000, date(2025, 1, 11))
    part = fund.record_receipt(db, admin, donor, 4_000_000, DAY, BANK, pledge_id=chased.id)
    assert part.designated_case_id == case  # the pledge's wish carries over
    fund.record_receipt(db, admin, donor, 3_000_000, DAY, CASH, pledge_id=done.id)
    [left] = fund.outstanding_pledges(db, admin)
    assert (left.pledge_id, left.amount, left.received, left.outstanding) == (
        chased.id, 10_000_000, 4_000_000, 6_000_000)
    other = fund.add_donor(db, admin, "Bà Lương Thị Thu").id
    with pytest.raises(ValidationError, match="nhà tài trợ khác"):
        fund.record_receipt(db, admin, other, 1_000_000, DAY, CASH, pledge_id=chased.id)


def test_closed_period_is_never_written(db: Database, admin: Actor, donor: str) -> None:
    kept = fund.record_receipt(db, admin, donor, 1_000_000, date(2025, 5, 20), CASH)
    with unit_of_work(db, admin) as uow:
        uow.insert(PeriodClose(unit_code=uow.station.unit_code, account="cash",
                               period_key="2025-05", statement_balance=1_000_000,
                               book_balance=1_000_000, closed_by="ketoan"))
    with pytest.raises(ValidationError, match="khóa sổ"):
        fund.record_receipt(db, admin, donor, 1_000_000, date(2025, 5, 21), CASH)
    with pytest.raises(ValidationError, match="khóa sổ"):
        fund.void_receipt(db, admin, kept.id, "Ghi sai")
    assert fund.record_receipt(db, admin, donor, 1, date(2025, 5, 21), BANK).voucher_no == (
        "PT-2025-0002")


def test_roles(db: Database, admin: Actor, donor: str, hamlet: units.UnitView) -> None:
    accountant = make_user(db, admin, "ketoan", Role.accountant)
    viewer = make_user(db, admin, "xem", Role.viewer)
    leader = make_user(db, admin, "totruong", Role.team_leader, hamlet.code)
    fund.record_receipt(db, accountant, donor, 1_000_000, DAY, CASH)
    for actor in (viewer, leader):
        with pytest.raises(PermissionDenied):
            fund.record_receipt(db, actor, donor, 1_000_000, DAY, CASH)
        with pytest.raises(PermissionDenied):
            fund.add_donor(db, actor, "Ông Nông Văn Chiến")
    assert fund.fund_balance(db, viewer).balance == 1_000_000
    with pytest.raises(PermissionDenied):
        fund.fund_balance(db, leader)
