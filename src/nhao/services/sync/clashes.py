"""Numbers given out twice: vouchers of one unit that came from two of its stations
with the same number.

Two stations of one unit give out numbers each from its own counter: a commune
database restored from an older backup or copied to a second laptop, or the office
and the accountant's laptop. Both vouchers are real money and neither station did
wrong, so the merge keeps both and the import report says which ones clash, for the
unit's accountant to void the extra ones and issue them again under new numbers
(vouchers are never renumbered). A station that takes in its own unit's vouchers
moves its counter past their numbers, so it does not give them out again itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Date, and_, select
from sqlalchemy.orm import Session, aliased

from nhao.domain.dates import format_date
from nhao.domain.money import format_vnd
from nhao.domain.vouchers import VoucherBook
from nhao.models import RECORD_MODELS, Record
from nhao.services.fund import move_counter_past
from nhao.sync.rules import rule_for
from nhao.sync.scope import unit_label

BATCH = 500
Touched = dict[tuple[str, str], tuple[str, dict]]  # MergeResult.touched


def _inserted(touched: Touched) -> Iterable[tuple[str, str, dict]]:
    """(entity, record id, fields) of the numbered rows the merge inserted."""
    for (entity, record_id), (action, fields) in touched.items():
        if action == "sync-insert" and rule_for(entity).numbered:
            yield entity, record_id, fields


def find_number_clashes(session: Session, touched: Touched) -> list[str]:
    """One sentence per number that new rows share with any other row here."""
    by_entity: dict[str, list[uuid.UUID]] = {}
    for entity, record_id, _ in _inserted(touched):
        by_entity.setdefault(entity, []).append(uuid.UUID(record_id))
    if not by_entity:
        return []
    session.flush()
    sentences = []
    for entity, ids in sorted(by_entity.items()):
        model = RECORD_MODELS[entity]
        numbered = rule_for(entity).numbered
        other = aliased(model)
        same_number = and_(
            *(getattr(other, name) == getattr(model, name) for name in numbered),
            other.id != model.id,
        )
        # Number → every row holding it: two new rows sharing one come back twice.
        holders: dict[tuple[Any, ...], dict[uuid.UUID, Record]] = {}
        for start in range(0, len(ids), BATCH):
            query = (
                select(model, other)
                .join(other, same_number)
                .where(model.id.in_(ids[start : start + BATCH]))
            )
            for row in session.execute(query):
                for record in row:
                    key = tuple(getattr(record, name) for name in numbered)
                    holders.setdefault(key, {})[record.id] = record
        new = set(ids)
        for _key, rows in sorted(holders.items()):
            sentences.append(_sentence(session, sorted(rows.values(), key=_order), new))
    return sentences


def advance_own_counters(session: Session, unit_code: str, touched: Touched) -> None:
    """Move this station's counters past the numbers of its own unit it took in."""
    highest: dict[tuple[str, int], int] = {}
    for entity, _, fields in _inserted(touched):
        unit, year, seq = (fields.get(name) for name in rule_for(entity).numbered)
        if unit == unit_code and isinstance(year, int) and isinstance(seq, int):
            highest[(entity, year)] = max(highest.get((entity, year), 0), seq)
    for (entity, year), seq in sorted(highest.items()):
        move_counter_past(session, unit_code, VoucherBook(entity), year, seq)


def _order(row: Record) -> tuple:
    return (row.created_at, str(row.id))


def _sentence(session: Session, rows: list[Record], new: set[uuid.UUID]) -> str:
    first = rows[0]
    listed = "; ".join(
        _describe(row) + (" — vừa nhận" if row.id in new else "") for row in rows
    )
    return (
        f"Số phiếu {getattr(first, 'voucher_no', '')} của {unit_label(session, first.unit_code)} "
        f"bị cấp {len(rows)} lần, từ các máy khác nhau của cùng đơn vị (máy khôi phục từ bản "
        f"sao lưu cũ, được chép sang máy khác, hoặc hai máy cùng lập phiếu): {listed}. Đã giữ "
        "tất cả; kế toán đơn vị cần hủy các phiếu thừa và lập lại chúng với số mới."
    )


def _describe(row: Record) -> str:
    day = _day_of(row)
    parts = [day] if day else []
    amount = getattr(row, "amount", None)
    if isinstance(amount, int):
        parts.append(format_vnd(amount))
    if getattr(row, "voided_at", None) is not None:
        parts.append("đã hủy")
    return ", ".join(parts) or str(row.id)


def _day_of(row: Record) -> str:
    """The row's own date (a voucher's day), shown dd/mm/yyyy; "" when it has none."""
    for column in row.__table__.columns:  # type: ignore[attr-defined]
        if isinstance(column.type, Date):
            value = getattr(row, column.key)
            if isinstance(value, date):
                return format_date(value)
    return ""
