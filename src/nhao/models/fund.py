"""The "Vì người nghèo" fund: donors, pledges, vouchers, bank lines, period closes.

Vouchers are immutable once issued: a wrong one is voided or reversed, never
edited or deleted, so the fund merges upward as an append-only ledger.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from nhao.models.base import Base, MoneyType, Record, money_check


class Donor(Record, Base):
    __tablename__ = "donor"

    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="person")
    phone: Mapped[str] = mapped_column(String(20), default="")
    address: Mapped[str] = mapped_column(String(300), default="")


class Pledge(Record, Base):
    __tablename__ = "pledge"
    __table_args__ = (money_check("amount"),)

    donor_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("donor.id"), index=True)
    amount: Mapped[int] = mapped_column(MoneyType)
    pledged_on: Mapped[date] = mapped_column(Date)
    designated_case_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("support_case.id"), default=None
    )
    note: Mapped[str] = mapped_column(String(500), default="")


class Receipt(Record, Base):
    """Phiếu thu (form C40-BB). Number PT-YYYY-NNNN, gapless per book and year."""

    __tablename__ = "receipt"
    __table_args__ = (
        # Not unique: see migration 0006. The station that issues numbers keeps them
        # gapless and single through its VoucherCounter.
        Index("ix_receipt_voucher_number", "unit_code", "voucher_year", "voucher_seq"),
        Index("ix_receipt_received_on", "received_on"),
        money_check("amount"),
    )

    voucher_no: Mapped[str] = mapped_column(String(20))
    voucher_year: Mapped[int]
    voucher_seq: Mapped[int]
    received_on: Mapped[date] = mapped_column(Date)
    donor_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("donor.id"), index=True)
    method: Mapped[str] = mapped_column(String(10))
    amount: Mapped[int] = mapped_column(MoneyType)
    in_kind_description: Mapped[str] = mapped_column(Text, default="")
    bank_reference: Mapped[str] = mapped_column(String(100), default="")
    pledge_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("pledge.id"), default=None)
    designated_case_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("support_case.id"), index=True, default=None
    )
    voided_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    void_reason: Mapped[str] = mapped_column(String(500), default="")


class Payment(Record, Base):
    """Phiếu chi (form C41-BB) paying one instalment of a case's fund support."""

    __tablename__ = "payment"
    __table_args__ = (
        Index("ix_payment_voucher_number", "unit_code", "voucher_year", "voucher_seq"),
        Index("ix_payment_paid_on", "paid_on"),
        money_check("amount"),
    )

    voucher_no: Mapped[str] = mapped_column(String(20))
    voucher_year: Mapped[int]
    voucher_seq: Mapped[int]
    paid_on: Mapped[date] = mapped_column(Date)
    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("support_case.id"), index=True)
    instalment: Mapped[str] = mapped_column(String(10))
    method: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(40), default="fund")
    amount: Mapped[int] = mapped_column(MoneyType)
    payee: Mapped[str] = mapped_column(String(200), default="")
    voided_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    void_reason: Mapped[str] = mapped_column(String(500), default="")


class VoucherCounter(Base):
    """Last number issued per book and year; bumped in the voucher's own transaction."""

    __tablename__ = "voucher_counter"

    unit_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    book: Mapped[str] = mapped_column(String(4), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)


class BankStatementLine(Record, Base):
    __tablename__ = "bank_statement_line"
    __table_args__ = (money_check("amount"),)

    account: Mapped[str] = mapped_column(String(60))
    line_date: Mapped[date] = mapped_column(Date, index=True)
    description: Mapped[str] = mapped_column(String(500), default="")
    reference: Mapped[str] = mapped_column(String(100), default="")
    amount: Mapped[int] = mapped_column(MoneyType)  # credit positive, debit negative
    receipt_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("receipt.id"), default=None
    )
    payment_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("payment.id"), default=None
    )


class PeriodClose(Record, Base):
    """Khóa sổ: a reconciled period of one account; nothing dated in it changes again."""

    __tablename__ = "period_close"
    __table_args__ = (
        UniqueConstraint("unit_code", "account", "period_key"),
        money_check("statement_balance"),
        money_check("book_balance"),
    )

    account: Mapped[str] = mapped_column(String(10))
    period_key: Mapped[str] = mapped_column(String(10))
    statement_balance: Mapped[int] = mapped_column(MoneyType)
    book_balance: Mapped[int] = mapped_column(MoneyType)
    closed_by: Mapped[str] = mapped_column(String(120))
