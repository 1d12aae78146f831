"""The "Vì người nghèo" fund: donors, pledges, receipt and payment vouchers, balances.

Vouchers are numbered PT-/PC-YYYY-NNNN without gaps per (unit, book, year): the
counter row is bumped in the voucher's own transaction, after every check, so a
refused voucher uses no number. A wrong voucher is voided (number kept), never
deleted. Money is split into two pools — cash and bank together (the accountant
moves money between them), and goods given in kind — because cement cannot be
paid out as cash. Money designated to a case is only spent on that case.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from nhao.domain.enums import CaseStatus, DonorKind, FundSource, Instalment, PaymentMethod
from nhao.domain.errors import ValidationError
from nhao.domain.money import format_vnd
from nhao.domain.periods import Period
from nhao.domain.text import fold, nfc
from nhao.domain.vouchers import VoucherBook, format_voucher_number
from nhao.models import (
    CaseSupport,
    Donor,
    Household,
    Payment,
    PeriodClose,
    Pledge,
    Receipt,
    SupportCase,
    VoucherCounter,
)
from nhao.models.database import Database
from nhao.services.actor import Actor, Permission
from nhao.services.errors import NotFound
from nhao.services.unit_of_work import UnitOfWork, unit_of_work

MONEY, IN_KIND = "money", "in_kind"
PAYABLE = frozenset(
    {CaseStatus.approved, CaseStatus.started, CaseStatus.completed, CaseStatus.accepted,
     CaseStatus.handed_over}
)
NOT_DESIGNATABLE = frozenset({CaseStatus.rejected, CaseStatus.cancelled})


@dataclass(frozen=True)
class DonorView:
    id: str
    name: str
    kind: DonorKind
    phone: str
    address: str


@dataclass(frozen=True)
class PledgeView:
    id: str
    donor_id: str
    amount: int
    pledged_on: date
    designated_case_id: str | None
    note: str


@dataclass(frozen=True)
class ReceiptView:
    id: str
    voucher_no: str
    received_on: date
    donor_id: str
    method: PaymentMethod
    amount: int
    in_kind_description: str
    bank_reference: str
    pledge_id: str | None
    designated_case_id: str | None
    voided_at: datetime | None
    void_reason: str


@dataclass(frozen=True)
class PaymentView:
    id: str
    voucher_no: str
    paid_on: date
    case_id: str
    instalment: Instalment
    method: PaymentMethod
    amount: int
    payee: str
    voided_at: datetime | None
    void_reason: str


@dataclass(frozen=True)
class FundBalance:
    received: int
    paid: int
    received_by_method: Mapping[PaymentMethod, int]
    money_balance: int  # cash and bank
    in_kind_balance: int  # goods received and not yet handed out
    designated_unspent: int  # held for the cases donors named

    @property
    def balance(self) -> int:
        return self.received - self.paid

    @property
    def free(self) -> int:
        return self.balance - self.designated_unspent


@dataclass(frozen=True)
class PledgeBalance:
    pledge_id: str
    donor_id: str
    donor_name: str
    pledged_on: date
    amount: int
    received: int
    designated_case_id: str | None

    @property
    def outstanding(self) -> int:
        return self.amount - self.received


def _sid(value: uuid.UUID | None) -> str | None:
    return str(value) if value is not None else None


def _receipt_view(r: Receipt) -> ReceiptView:
    return ReceiptView(
        str(r.id), r.voucher_no, r.received_on, str(r.donor_id), PaymentMethod(r.method),
        r.amount, r.in_kind_description, r.bank_reference, _sid(r.pledge_id),
        _sid(r.designated_case_id), r.voided_at, r.void_reason,
    )


def _payment_view(p: Payment) -> PaymentView:
    return PaymentView(
        str(p.id), p.voucher_no, p.paid_on, str(p.case_id), Instalment(p.instalment),
        PaymentMethod(p.method), p.amount, p.payee, p.voided_at, p.void_reason,
    )


# -- checks shared by every voucher ---------------------------------------------


def _amount(amount: int) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationError(message="Số tiền phải là số nguyên đồng lớn hơn 0.", field="amount")
    return amount


def _get(session: Session, model, record_id, what: str):  # type: ignore[no-untyped-def]
    try:
        row = session.get(model, uuid.UUID(str(record_id)))
    except ValueError:
        row = None
    if row is None or row.deleted_at is not None:
        raise NotFound(f"Không tìm thấy {what} {record_id}.")
    return row


def _check_day(on: date, today: date | None) -> None:
    if on > (today or date.today()):
        raise ValidationError(message="Ngày của phiếu không được sau hôm nay.", field="on")


def _refuse_closed(session: Session, unit_code: str, method: str, on: date) -> None:
    """A closed period of the cash or bank book is never written into again."""
    if method == PaymentMethod.in_kind.value:
        return
    keys = session.scalars(
        select(PeriodClose.period_key).where(
            PeriodClose.unit_code == unit_code,
            PeriodClose.account == method,
            PeriodClose.deleted_at.is_(None),
        )
    )
    for key in keys:
        period = Period.parse(key)
        if period.contains(on):
            raise ValidationError(
                message=f"{period.label_vi} của sổ {PaymentMethod(method).label_vi.lower()} "
                "đã khóa sổ; không ghi thêm hay hủy phiếu trong kỳ này được.",
                field="on",
            )


def _designated(session: Session, case_id) -> uuid.UUID | None:  # type: ignore[no-untyped-def]
    if case_id is None:
        return None
    case = _get(session, SupportCase, case_id, "hồ sơ hỗ trợ")
    if CaseStatus(case.status) in NOT_DESIGNATABLE:
        raise ValidationError(
            message="Hồ sơ này đã hủy hoặc không được duyệt; không ủng hộ trực tiếp cho hộ được.",
            field="designated_case_id",
        )
    return case.id


def _counter(session: Session, unit: str, book: VoucherBook, year: int) -> VoucherCounter:
    # VoucherCounter is station bookkeeping, not a travelling record: a plain row.
    counter = session.get(VoucherCounter, (unit, book.prefix, year))
    if counter is None:
        counter = VoucherCounter(unit_code=unit, book=book.prefix, year=year, last_seq=0)
        session.add(counter)
    return counter


def _next_number(uow: UnitOfWork, book: VoucherBook, year: int) -> tuple[int, str]:
    counter = _counter(uow.session, uow.station.unit_code, book, year)
    counter.last_seq += 1
    return counter.last_seq, format_voucher_number(book, year, counter.last_seq)


def move_counter_past(session: Session, unit: str, book: VoucherBook, year: int, seq: int) -> None:
    """A number of this unit given out by another of its stations: the next one given
    out here comes after it instead of repeating it."""
    counter = _counter(session, unit, book, year)
    counter.last_seq = max(counter.last_seq or 0, seq)


# -- ledger -----------------------------------------------------------------------


def _pool(method: str) -> str:
    return IN_KIND if method == PaymentMethod.in_kind.value else MONEY


@dataclass
class _Ledger:
    undesignated: dict[str, int]
    designated: dict[tuple[str, uuid.UUID], int]
    paid: dict[tuple[str, uuid.UUID], int]

    def available(self, pool: str, case_id: uuid.UUID) -> int:
        """Undesignated money left after other cases overspent their own, plus this
        case's unspent designated money."""
        overflow = sum(
            max(0, spent - self.designated.get(key, 0))
            for key, spent in self.paid.items()
            if key[0] == pool
        )
        key = (pool, case_id)
        own = max(0, self.designated.get(key, 0) - self.paid.get(key, 0))
        return self.undesignated[pool] - overflow + own


def _ledger(session: Session) -> _Ledger:
    ledger = _Ledger(defaultdict(int), defaultdict(int), defaultdict(int))
    receipts = session.execute(
        select(Receipt.method, Receipt.designated_case_id, func.sum(Receipt.amount))
        .where(Receipt.voided_at.is_(None), Receipt.deleted_at.is_(None))
        .group_by(Receipt.method, Receipt.designated_case_id)
    )
    for method, case_id, total in receipts:
        if case_id is None:
            ledger.undesignated[_pool(method)] += total
        else:
            ledger.designated[(_pool(method), case_id)] += total
    payments = session.execute(
        select(Payment.method, Payment.case_id, func.sum(Payment.amount))
        .where(Payment.voided_at.is_(None), Payment.deleted_at.is_(None))
        .group_by(Payment.method, Payment.case_id)
    )
    for method, case_id, total in payments:
        ledger.paid[(_pool(method), case_id)] += total
    return ledger


# -- donors and pledges -------------------------------------------------------------


def insert_donor(
    uow: UnitOfWork, name: str, kind: DonorKind = DonorKind.person, phone: str = "",
    address: str = "",
) -> Donor:
    uow.actor.require(Permission.write_fund)
    name = nfc(name)
    if not name:
        raise ValidationError(message="Hãy nhập tên nhà tài trợ.", field="name")
    return uow.insert(
        Donor(unit_code=uow.station.unit_code, name=name, name_key=fold(name),
              kind=DonorKind(kind).value, phone=nfc(phone), address=nfc(address)),
        summary=f"Thêm nhà tài trợ {name}",
    )


def add_donor(
    db: Database, actor: Actor, name: str, kind: DonorKind = DonorKind.person, phone: str = "",
    address: str = "",
) -> DonorView:
    with unit_of_work(db, actor) as uow:
        d = insert_donor(uow, name, kind, phone, address)
        return DonorView(str(d.id), d.name, DonorKind(d.kind), d.phone, d.address)


def insert_pledge(
    uow: UnitOfWork, donor_id, amount: int, on: date, designated_case_id=None, note: str = "",  # type: ignore[no-untyped-def]
    *, today: date | None = None,
) -> Pledge:
    uow.actor.require(Permission.write_fund)
    _amount(amount)
    _check_day(on, today)
    donor = _get(uow.session, Donor, donor_id, "nhà tài trợ")
    return uow.insert(
        Pledge(unit_code=uow.station.unit_code, donor_id=donor.id, amount=amount, pledged_on=on,
               designated_case_id=_designated(uow.session, designated_case_id), note=nfc(note)),
        summary=f"{donor.name} đăng ký ủng hộ {format_vnd(amount)}",
    )


def add_pledge(
    db: Database, actor: Actor, donor_id: str, amount: int, on: date,
    designated_case_id: str | None = None, note: str = "",
) -> PledgeView:
    with unit_of_work(db, actor) as uow:
        p = insert_pledge(uow, donor_id, amount, on, designated_case_id, note)
        return PledgeView(str(p.id), str(p.donor_id), p.amount, p.pledged_on,
                          _sid(p.designated_case_id), p.note)


# -- receipts -------------------------------------------------------------------------


def issue_receipt(
    uow: UnitOfWork, donor_id, amount: int, on: date, method: PaymentMethod,  # type: ignore[no-untyped-def]
    in_kind_description: str = "", bank_reference: str = "", pledge_id=None,
    designated_case_id=None, *, today: date | None = None,
) -> Receipt:
    """Phiếu thu inside an open unit of work; every check runs before the number is taken."""
    uow.actor.require(Permission.write_fund)
    session = uow.session
    method = PaymentMethod(method)
    _amount(amount)
    _check_day(on, today)
    description = nfc(in_kind_description)
    if method is PaymentMethod.in_kind and not description:
        raise ValidationError(
            message="Ủng hộ bằng hiện vật cần ghi rõ hiện vật (loại, số lượng).",
            field="in_kind_description",
        )
    donor = _get(session, Donor, donor_id, "nhà tài trợ")
    designated = _designated(session, designated_case_id)
    pledge = _get(session, Pledge, pledge_id, "đăng ký ủng hộ") if pledge_id else None
    if pledge is not None:
        if pledge.donor_id != donor.id:
            raise ValidationError(message="Đăng ký ủng hộ này của nhà tài trợ khác.",
                                  field="pledge_id")
        if designated is None:
            designated = pledge.designated_case_id  # the donor's wish carries over
        elif pledge.designated_case_id not in (None, designated):
            raise ValidationError(message="Đăng ký ủng hộ này dành cho hộ khác.",
                                  field="designated_case_id")
    _refuse_closed(session, uow.station.unit_code, method.value, on)
    seq, number = _next_number(uow, VoucherBook.receipt, on.year)
    return uow.insert(
        Receipt(
            unit_code=uow.station.unit_code, voucher_no=number, voucher_year=on.year,
            voucher_seq=seq, received_on=on, donor_id=donor.id, method=method.value,
            amount=amount,
            in_kind_description=description if method is PaymentMethod.in_kind else "",
            bank_reference=nfc(bank_reference), pledge_id=pledge.id if pledge else None,
            designated_case_id=designated,
        ),
        summary=f"Phiếu thu {number}: {donor.name}, {format_vnd(amount)}",
    )


def record_receipt(
    db: Database, actor: Actor, donor_id: str, amount: int, on: date, method: PaymentMethod,
    in_kind_description: str = "", bank_reference: str = "", pledge_id: str | None = None,
    designated_case_id: str | None = None,
) -> ReceiptView:
    with unit_of_work(db, actor) as uow:
        return _receipt_view(issue_receipt(
            uow, donor_id, amount, on, method, in_kind_description, bank_reference, pledge_id,
            designated_case_id,
        ))


# -- payments ---------------------------------------------------------------------------


def issue_payment(
    uow: UnitOfWork, case_id, amount: int, on: date, instalment: Instalment,  # type: ignore[no-untyped-def]
    method: PaymentMethod, payee: str = "", *, today: date | None = None,
) -> Payment:
    """Phiếu chi of the case's fund support, inside an open unit of work."""
    uow.actor.require(Permission.write_fund)
    session = uow.session
    method, instalment = PaymentMethod(method), Instalment(instalment)
    _amount(amount)
    _check_day(on, today)
    case = _get(session, SupportCase, case_id, "hồ sơ hỗ trợ")
    if CaseStatus(case.status) not in PAYABLE:
        raise ValidationError(
            message=f"Hồ sơ đang ở bước “{CaseStatus(case.status).label_vi}”; chỉ chi cho hồ sơ "
            "đã phê duyệt.", field="case_id")
    if case.decision_date is not None and on < case.decision_date:
        raise ValidationError(message="Ngày chi không được trước ngày quyết định phê duyệt.",
                              field="on")
    approved = session.scalar(select(CaseSupport.amount).where(
        CaseSupport.case_id == case.id, CaseSupport.source == FundSource.fund.value,
        CaseSupport.deleted_at.is_(None)))
    if not approved:
        raise ValidationError(message="Hồ sơ không được duyệt hỗ trợ từ Quỹ.", field="case_id")
    live = select(Payment).where(Payment.case_id == case.id, Payment.voided_at.is_(None),
                                 Payment.deleted_at.is_(None))
    paid = sum(p.amount for p in session.scalars(live))
    if session.scalar(live.where(Payment.instalment == Instalment.final.value)) is not None:
        raise ValidationError(message="Hồ sơ đã chi đợt cuối; không chi thêm được.",
                              field="instalment")
    if paid + amount > approved:
        raise ValidationError(
            message=f"Vượt mức hỗ trợ từ Quỹ đã duyệt ({format_vnd(approved)}): đã chi "
            f"{format_vnd(paid)}, còn được chi {format_vnd(approved - paid)}.", field="amount")
    pool = _pool(method.value)
    available = _ledger(session).available(pool, case.id)
    if amount > available:
        what = "hiện vật" if pool == IN_KIND else "tiền"
        raise ValidationError(
            message=f"Quỹ không đủ {what}: còn dùng được {format_vnd(max(available, 0))} cho hồ "
            "sơ này (tiền ủng hộ trực tiếp cho hộ khác không được dùng).", field="amount")
    _refuse_closed(session, uow.station.unit_code, method.value, on)
    if not nfc(payee):
        payee = session.scalar(select(Household.head_name).where(
            Household.id == case.household_id)) or ""
    seq, number = _next_number(uow, VoucherBook.payment, on.year)
    return uow.insert(
        Payment(unit_code=uow.station.unit_code, voucher_no=number, voucher_year=on.year,
                voucher_seq=seq, paid_on=on, case_id=case.id, instalment=instalment.value,
                method=method.value, source=FundSource.fund.value, amount=amount,
                payee=nfc(payee)),
        summary=f"Phiếu chi {number}: {nfc(payee)}, {format_vnd(amount)}",
    )


def record_payment(
    db: Database, actor: Actor, case_id: str, amount: int, on: date, instalment: Instalment,
    method: PaymentMethod, payee: str = "",
) -> PaymentView:
    with unit_of_work(db, actor) as uow:
        return _payment_view(issue_payment(uow, case_id, amount, on, instalment, method, payee))


# -- voiding -------------------------------------------------------------------------------


def void_voucher(uow: UnitOfWork, row: Receipt | Payment, reason: str) -> None:
    """Hủy phiếu: marked void with the reason; the number stays used."""
    uow.actor.require(Permission.write_fund)
    reason = nfc(reason)
    if not reason:
        raise ValidationError(message="Hãy ghi lý do hủy phiếu.", field="reason")
    if row.voided_at is not None:
        raise ValidationError(message=f"Phiếu {row.voucher_no} đã hủy từ trước.", field=None)
    day = row.received_on if isinstance(row, Receipt) else row.paid_on
    _refuse_closed(uow.session, row.unit_code, row.method, day)
    uow.update(row, {"voided_at": uow.now, "void_reason": reason},
               summary=f"Hủy phiếu {row.voucher_no}: {reason}")


def void_receipt(db: Database, actor: Actor, receipt_id: str, reason: str) -> ReceiptView:
    with unit_of_work(db, actor) as uow:
        row = _get(uow.session, Receipt, receipt_id, "phiếu thu")
        void_voucher(uow, row, reason)
        return _receipt_view(row)


def void_payment(db: Database, actor: Actor, payment_id: str, reason: str) -> PaymentView:
    with unit_of_work(db, actor) as uow:
        row = _get(uow.session, Payment, payment_id, "phiếu chi")
        void_voucher(uow, row, reason)
        return _payment_view(row)


# -- reading -----------------------------------------------------------------------------


def fund_balance(db: Database, actor: Actor) -> FundBalance:
    actor.require(Permission.read_fund)
    with db.session() as session:
        ledger = _ledger(session)
        by_method = session.execute(
            select(Receipt.method, func.sum(Receipt.amount))
            .where(Receipt.voided_at.is_(None), Receipt.deleted_at.is_(None))
            .group_by(Receipt.method)
        ).all()
    received = {PaymentMethod(m): total for m, total in by_method}
    pool_in = {MONEY: 0, IN_KIND: 0}
    for pool, total in ledger.undesignated.items():
        pool_in[pool] += total
    for (pool, _), total in ledger.designated.items():
        pool_in[pool] += total
    pool_out = {MONEY: 0, IN_KIND: 0}
    for (pool, _), total in ledger.paid.items():
        pool_out[pool] += total
    held = sum(max(0, total - ledger.paid.get(key, 0)) for key, total in ledger.designated.items())
    return FundBalance(
        received=sum(received.values()), paid=sum(pool_out.values()),
        received_by_method=received, money_balance=pool_in[MONEY] - pool_out[MONEY],
        in_kind_balance=pool_in[IN_KIND] - pool_out[IN_KIND], designated_unspent=held,
    )


def outstanding_pledges(db: Database, actor: Actor) -> list[PledgeBalance]:
    """Pledges not fully transferred yet (pledged − received), oldest first: to chase."""
    actor.require(Permission.read_fund)
    received = (
        select(Receipt.pledge_id, func.sum(Receipt.amount).label("total"))
        .where(Receipt.voided_at.is_(None), Receipt.deleted_at.is_(None),
               Receipt.pledge_id.is_not(None))
        .group_by(Receipt.pledge_id)
        .subquery()
    )
    stmt = (
        select(Pledge, Donor.name, func.coalesce(received.c.total, 0))
        .join(Donor, Donor.id == Pledge.donor_id)
        .outerjoin(received, received.c.pledge_id == Pledge.id)
        .where(Pledge.deleted_at.is_(None))
        .order_by(Pledge.pledged_on, Pledge.id)
    )
    with db.session() as session:
        rows = [
            PledgeBalance(str(p.id), str(p.donor_id), name, p.pledged_on, p.amount, got,
                          _sid(p.designated_case_id))
            for p, name, got in session.execute(stmt)
        ]
    return [r for r in rows if r.outstanding > 0]


def list_receipts(db: Database, actor: Actor, year: int | None = None) -> list[ReceiptView]:
    actor.require(Permission.read_fund)
    stmt = select(Receipt).where(Receipt.deleted_at.is_(None))
    if year is not None:
        stmt = stmt.where(Receipt.voucher_year == year)
    with db.session() as session:
        rows = session.scalars(stmt.order_by(Receipt.voucher_year, Receipt.voucher_seq))
        return [_receipt_view(r) for r in rows]


def list_payments(db: Database, actor: Actor, case_id: str | None = None) -> list[PaymentView]:
    actor.require(Permission.read_fund)
    stmt = select(Payment).where(Payment.deleted_at.is_(None))
    if case_id is not None:
        stmt = stmt.where(Payment.case_id == uuid.UUID(str(case_id)))
    with db.session() as session:
        rows = session.scalars(stmt.order_by(Payment.voucher_year, Payment.voucher_seq))
        return [_payment_view(r) for r in rows]
