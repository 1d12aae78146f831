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
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from nhao.domain.enums import ENDED_WITHOUT_SUPPORT, FundSource
from nhao.domain.money import format_vnd
from nhao.models import CaseSupport, Household, Payment, SupportCase
from nhao.models.labels import step_label

BATCH = 500
Touched = dict[tuple[str, str], tuple[str, dict]]  # MergeResult.touched


def _batches(ids: list[uuid.UUID]) -> Iterable[list[uuid.UUID]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def find_payments_to_review(session: Session, touched: Touched) -> list[str]:
    """One sentence per case that a new payment leaves paid beyond its approved fund
    support, and per new payment of a case that ended without support."""
    new = [
        uuid.UUID(record_id)
        for (entity, record_id), (action, _fields) in touched.items()
        if entity == "payment" and action == "sync-insert"
    ]
    if not new:
        return []
    session.flush()
    new_ids = set(new)
    cases: set[uuid.UUID] = set()
    for batch in _batches(new):
        cases.update(session.scalars(select(Payment.case_id).where(Payment.id.in_(batch))))
    sentences: list[str] = []
    for batch in _batches(sorted(cases)):
        paid: dict[uuid.UUID, list[tuple[uuid.UUID, str, int]]] = defaultdict(list)
        for payment_id, case_id, number, amount in session.execute(
            select(Payment.id, Payment.case_id, Payment.voucher_no, Payment.amount)
            .where(
                Payment.case_id.in_(batch),
                Payment.voided_at.is_(None),
                Payment.deleted_at.is_(None),
            )
            .order_by(Payment.voucher_year, Payment.voucher_seq, Payment.id)
        ):
            paid[case_id].append((payment_id, number, amount))
        approved = dict(
            session.execute(
                select(CaseSupport.case_id, CaseSupport.amount).where(
                    CaseSupport.case_id.in_(batch),
                    CaseSupport.source == FundSource.fund.value,
                    CaseSupport.deleted_at.is_(None),
                )
            ).all()
        )
        for case_id, status, deleted_at, name in session.execute(
            select(SupportCase.id, SupportCase.status, SupportCase.deleted_at, Household.head_name)
            .join(Household, Household.id == SupportCase.household_id)
            .where(SupportCase.id.in_(batch))
            .order_by(Household.head_name, SupportCase.id)
        ):
            payments = paid.get(case_id, [])
            whose = f"hồ sơ hỗ trợ của hộ {name}"
            if status in ENDED_WITHOUT_SUPPORT or deleted_at is not None:
                step = "đã xóa" if deleted_at is not None else step_label(status)
                sentences.extend(
                    f"Phiếu chi {number} ({format_vnd(amount)}) chi cho {whose}, mà hồ sơ ấy "
                    f"ở đây đã ở bước “{step}”: hãy xem lại, hủy phiếu nếu đã chi nhầm."
                    for payment_id, number, amount in payments
                    if payment_id in new_ids
                )
                continue
            total, allowed = sum(amount for _, _, amount in payments), approved.get(case_id, 0)
            if total > allowed:
                numbers = ", ".join(number for _, number, _ in payments)
                sentences.append(
                    f"{whose[0].upper()}{whose[1:]}: các phiếu chi {numbers} cộng lại "
                    f"{format_vnd(total)}, vượt mức hỗ trợ từ Quỹ đã duyệt "
                    f"{format_vnd(allowed)}: hãy xem lại, hủy phiếu chi thừa."
                )
    return sentences
