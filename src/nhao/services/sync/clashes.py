"""Numbers given out twice: vouchers of one unit that came from two of its stations
with the same number.

A commune database restored from an older backup, or copied to a second laptop, is
a new station that gives out again the numbers given out after that backup. Both
vouchers are real money and neither station did wrong, so the merge keeps both and
the import report says which ones clash, for the unit's accountant to void one and
issue it again under a new number (vouchers are never renumbered).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import Date, and_, select
from sqlalchemy.orm import Session, aliased

from nhao.domain.dates import format_date
from nhao.domain.money import format_vnd
from nhao.models import RECORD_MODELS, Record
from nhao.sync.rules import rule_for

BATCH = 500


def find_number_clashes(session: Session, inserted: Iterable[tuple[str, str]]) -> list[str]:
    """One sentence per (new row, row already here) pair sharing a number, for the
    rows of numbered entities among `inserted` ((entity, record id) pairs)."""
    by_entity: dict[str, list[uuid.UUID]] = defaultdict(list)
    for entity, record_id in inserted:
        if rule_for(entity).numbered:
            by_entity[entity].append(uuid.UUID(record_id))
    if not by_entity:
        return []
    session.flush()
    sentences = []
    for entity, ids in sorted(by_entity.items()):
        model = RECORD_MODELS[entity]
        other = aliased(model)
        same_number = and_(
            *(getattr(other, name) == getattr(model, name) for name in rule_for(entity).numbered),
            other.id != model.id,
        )
        for start in range(0, len(ids), BATCH):
            query = (
                select(model, other)
                .join(other, same_number)
                .where(model.id.in_(ids[start : start + BATCH]))
                .order_by(model.id, other.id)
            )
            for new, old in session.execute(query):
                sentences.append(_sentence(new, old))
    return sentences


def _sentence(new: Record, old: Record) -> str:
    number = getattr(new, "voucher_no", "")
    return (
        f"Số phiếu {number} của đơn vị {new.unit_code} bị cấp hai lần: phiếu vừa nhận "
        f"({_describe(new)}) và phiếu đã có ({_describe(old)}) đến từ hai máy của cùng đơn "
        "vị (một máy khôi phục từ bản sao lưu cũ hoặc chép sang máy khác). Đã giữ cả hai; "
        "kế toán đơn vị cần hủy một phiếu và lập lại phiếu đó với số mới."
    )


def _describe(row: Record) -> str:
    day = day_of(row)
    parts = [day] if day else []
    amount = getattr(row, "amount", None)
    if isinstance(amount, int):
        parts.append(format_vnd(amount))
    if getattr(row, "voided_at", None) is not None:
        parts.append("đã hủy")
    return ", ".join(parts) or str(row.id)


def day_of(row: Record) -> str:
    """The row's own date (a voucher's day), shown dd/mm/yyyy; "" when it has none."""
    for column in row.__table__.columns:  # type: ignore[attr-defined]
        if isinstance(column.type, Date):
            value = getattr(row, column.key)
            if isinstance(value, date):
                return format_date(value)
    return ""
