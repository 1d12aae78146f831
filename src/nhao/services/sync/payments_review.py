"""Payments a bundle brought that the accountant should look at again.

A payment checked on the computer that issued it can be wrong once it meets the
others: a commune database restored from an older backup pays an advance already
paid, or pays a case that was cancelled after that backup. Both vouchers are real
money and were made in good faith, so the merge keeps them (vouchers are never
refused for their amount) and the import report names them, for the accountant to
void what was paid twice.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from nhao.domain.enums import ENDED_WITHOUT_SUPPORT, FundSource
from nhao.domain.money import format_vnd
from nhao.models import CaseSupport, Household, Payment, SupportCase
from nhao.models.labels import step_label
from nhao.sync.pg_copy import in_batches

Touched = dict[tuple[str, str], tuple[str, dict]]  # MergeResult.touched


def find_payments_to_review(session: Session, touched: Touched) -> list[str]:
    """One sentence per case that a new payment leaves paid beyond its approved fund
    support, and per new payment of a case that ended without support."""
    new = {
        uuid.UUID(record_id)
        for (entity, record_id), (action, _fields) in touched.items()
        if entity == "payment" and action == "sync-insert"
    }
    if not new:
        return []
    session.flush()
    connection = session.connection()
    cases: set[uuid.UUID] = set()
    for condition in in_batches(connection, Payment.id, sorted(new)):
        cases.update(session.scalars(select(Payment.case_id).where(condition)))
    ordered = sorted(cases)
    paid: dict[uuid.UUID, list[tuple[uuid.UUID, str, int]]] = defaultdict(list)
    approved: dict[uuid.UUID, int] = {}
    named: list[tuple[uuid.UUID, str, object, str]] = []
    for condition in in_batches(connection, Payment.case_id, ordered):
        for payment_id, case_id, number, amount in session.execute(
            select(Payment.id, Payment.case_id, Payment.voucher_no, Payment.amount)
            .where(condition, Payment.voided_at.is_(None), Payment.deleted_at.is_(None))
            .order_by(Payment.voucher_year, Payment.voucher_seq, Payment.id)
        ):
            paid[case_id].append((payment_id, number, amount))
    for condition in in_batches(connection, CaseSupport.case_id, ordered):
        approved.update(
            session.execute(
                select(CaseSupport.case_id, CaseSupport.amount).where(
                    condition,
                    CaseSupport.source == FundSource.fund.value,
                    CaseSupport.deleted_at.is_(None),
                )
            ).all()
        )
    for condition in in_batches(connection, SupportCase.id, ordered):
        named.extend(
            session.execute(
                select(
                    SupportCase.id, SupportCase.status, SupportCase.deleted_at, Household.head_name
                )
                .join(Household, Household.id == SupportCase.household_id)
                .where(condition)
            ).all()
        )
    sentences: list[str] = []
    for case_id, status, deleted_at, name in sorted(named, key=lambda c: (c[3], c[0])):
        payments = paid.get(case_id, [])
        if status in ENDED_WITHOUT_SUPPORT or deleted_at is not None:
            step = "đã xóa" if deleted_at is not None else step_label(status)
            sentences.extend(
                f"Phiếu chi {number} ({format_vnd(amount)}) chi cho hồ sơ hỗ trợ của hộ {name}, "
                f"mà hồ sơ ấy ở đây đã ở bước “{step}”: hãy xem lại, hủy phiếu nếu đã chi nhầm."
                for payment_id, number, amount in payments
                if payment_id in new
            )
            continue
        total, allowed = sum(amount for _, _, amount in payments), approved.get(case_id, 0)
        if total > allowed:
            numbers = ", ".join(number for _, number, _ in payments)
            sentences.append(
                f"Hồ sơ hỗ trợ của hộ {name}: các phiếu chi {numbers} cộng lại "
                f"{format_vnd(total)}, vượt mức hỗ trợ từ Quỹ đã duyệt {format_vnd(allowed)}: "
                "hãy xem lại, hủy phiếu chi thừa."
            )
    return sentences
