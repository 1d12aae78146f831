"""Locks against changes from below: an approved case keeps its plan and decision
(only the construction's progress still comes from the hamlet), a case not ended or
a payment made keeps its household (a delete from below is refused), and nothing dated
in a closed fund period changes or is added any more. A locked change is refused on
its own and listed in the import report; the rest of the bundle applies."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from nhao.domain.enums import ENDED_WITHOUT_SUPPORT, commune_decides
from nhao.domain.periods import Period
from nhao.models import Household, Payment, PeriodClose, Record, SupportCase
from nhao.models.labels import ENTITY_LABELS, fields_named, step_label
from nhao.models.snapshot import canonical_value
from nhao.sync.rules import (
    CASE_PROGRESS_FIELDS,
    CASE_PROGRESS_STATUSES,
    LOCKED_CASE_STATUSES,
    EntityRule,
)
from nhao.sync.scope import UnitTree

BOOKKEEPING = frozenset(Record.BOOKKEEPING)
# The locks that may refuse a new record, not only a change to one held here.
LOCKS_ON_NEW_RECORDS = frozenset({"closed_period", "approved_case_child", "approved_case_event"})
# The day and the book (PeriodClose.account) of each dated fund record.
_DATED = {
    "receipt": ("received_on", "method"),
    "payment": ("paid_on", "method"),
    "bank_statement_line": ("line_date", None),  # bank lines belong to the bank book
}


def _decided_above(case_named: str, status: str, step: str) -> str:
    """A withdrawal that reaches a case the commune has reviewed meanwhile: from where
    the case stands here, cancelling it undoes the commune's step (commune_decides)."""
    return (
        f"{case_named} ở đây đã ở bước “{step_label(status)}”: chuyển sang "
        f"“{step_label(step)}” lúc này là việc của xã, không nhận từ cấp dưới."
    )


class Locks:
    def __init__(
        self, session: Session, tree: UnitTree, origin_units: dict[str, str], rows: dict
    ) -> None:
        self.session = session
        self.tree = tree
        self.origin_units = origin_units
        self.rows = rows  # the merge's rows by (entity, id): cases of this bundle
        self._closes: dict[tuple[str, str], list[tuple[Period, str]]] = {}

    def forget_closes(self) -> None:
        """A period close arrived or changed: read them again when next needed."""
        self._closes.clear()

    def check(self, e: dict, rule: EntityRule, row: Record | None) -> str | None:
        """Why this change may not apply (None: it may). `row` is None for an insert."""
        if rule.lock is None:
            return None
        if rule.lock == "household_of_live_case":  # before the costly part: every household
            deleting = (e["changes"].get("deleted_at") or [None, None])[1] is not None
            if row is None or row.deleted_at is not None or not deleting:
                return None
            return self._household_kept(row) if self._from_below(e) else None
        changed = {
            n: new
            for n, (_old, new) in e["changes"].items()
            if n not in BOOKKEEPING and (row is None or canonical_value(getattr(row, n)) != new)
        }
        if not changed:
            return None
        below = self._from_below(e)
        if rule.lock == "closed_period":
            return self._closed_period(e, row)
        if not below:
            return None
        if rule.lock == "approved_case" and row is not None:
            if row.status in LOCKED_CASE_STATUSES:  # type: ignore[attr-defined]
                locked = set(changed) - CASE_PROGRESS_FIELDS
                if "status" in changed and changed["status"] not in CASE_PROGRESS_STATUSES:
                    locked.add("status")  # a cancellation undoes the commune's decision
                if locked:
                    return (
                        f"{self.case_named(row)} đã phê duyệt: không nhận thay đổi "
                        f"{fields_named('support_case', sorted(locked))} từ cấp dưới."
                    )
            elif "status" in changed and commune_decides(row.status, changed["status"]):  # type: ignore[attr-defined]
                return _decided_above(self.case_named(row), row.status, changed["status"])  # type: ignore[attr-defined]
            return None
        case = self._case(self._value(e, row, "case_id"))
        step = changed.get("to_status")
        if (
            case is not None
            and rule.lock == "approved_case_event"
            and row is None
            and case.status not in LOCKED_CASE_STATUSES
            and step != case.status
            and commune_decides(case.status, step)
        ):
            return _decided_above(self.case_named(case), case.status, step)
        if case is None or case.status not in LOCKED_CASE_STATUSES:
            return None
        if rule.lock == "approved_case_child":
            return (
                f"{self.case_named(case)} đã phê duyệt: không nhận thay đổi mức hỗ trợ từ "
                "cấp dưới."
            )
        if (
            rule.lock == "approved_case_event"
            and row is None
            and step not in CASE_PROGRESS_STATUSES
        ):
            return (
                f"{self.case_named(case)} đã phê duyệt: không nhận bước “{step_label(step)}” "
                "từ cấp dưới."
            )
        return None

    def case_named(self, case: Any) -> str:
        """A case as the commune knows it, by its household, with its id to find it."""
        household = self.rows.get(("household", str(case.household_id)))
        if household is None:
            household = self.session.get(Household, uuid.UUID(str(case.household_id)))
        whose = f" của hộ {household.head_name}" if household is not None else ""
        return f"Hồ sơ hỗ trợ{whose} ({case.id})"

    def _from_below(self, e: dict) -> bool:
        return self.tree.rank(self.origin_units[e["station"]]) < 1

    def _household_kept(self, row: Record) -> str | None:
        """A delete from below of a household with a case not ended here: the case, its
        payments and the programme's counts stand on the household. Not only an approved
        case: one the commune reviewed meanwhile refuses the hamlet's withdrawal, and
        would be left live on a household gone (services refuse the same delete). A case
        ended after the fund paid some of it keeps the household too: the money went to it."""
        # Cases and payments of this merge first (new ones are not in the database yet).
        statuses: dict[str, str] = {}
        paid_here: list[tuple[str, str]] = []  # (case, voucher number) not voided
        for (entity, record_id), kept in self.rows.items():
            if kept is None or kept.deleted_at is not None:
                continue
            if entity == "support_case" and str(kept.household_id) == str(row.id):  # type: ignore[attr-defined]
                statuses[record_id] = kept.status  # type: ignore[attr-defined]
            elif entity == "payment" and kept.voided_at is None:  # type: ignore[attr-defined]
                paid_here.append((str(kept.case_id), kept.voucher_no))  # type: ignore[attr-defined]
        for case_id, status in self.session.execute(
            select(SupportCase.id, SupportCase.status).where(
                SupportCase.household_id == row.id, SupportCase.deleted_at.is_(None)
            )
        ):
            statuses.setdefault(str(case_id), status)
        status = next((s for s in statuses.values() if s not in ENDED_WITHOUT_SUPPORT), None)
        name = f"Hộ {row.head_name} ({row.id})"  # type: ignore[attr-defined]
        if status is not None:
            return (
                f"{name} có hồ sơ hỗ trợ ở bước “{step_label(status)}”: "
                "không nhận việc xóa hộ từ cấp dưới."
            )
        if not statuses:
            return None
        voucher = next((v for case, v in paid_here if case in statuses), None)
        if voucher is None:
            voucher = self.session.scalar(
                select(Payment.voucher_no)
                .where(
                    Payment.case_id.in_([uuid.UUID(x) for x in statuses]),
                    Payment.voided_at.is_(None),
                    Payment.deleted_at.is_(None),
                )
                .limit(1)
            )
        if voucher is None:
            return None
        return (
            f"{name} đã nhận tiền của Quỹ theo phiếu chi {voucher}: không nhận việc xóa hộ "
            "từ cấp dưới."
        )

    @staticmethod
    def _value(e: dict, row: Record | None, name: str) -> Any:
        """A field as canonical JSON: the change's new value, else the row's."""
        if name in e["changes"]:
            return e["changes"][name][1]
        return canonical_value(getattr(row, name, None)) if row is not None else None

    def _case(self, case_id: Any) -> SupportCase | None:
        if not case_id:
            return None
        found = self.rows.get(("support_case", str(case_id)))
        if found is not None:
            return found  # type: ignore[no-any-return]
        return self.session.get(SupportCase, uuid.UUID(str(case_id)))

    def _closed_period(self, e: dict, row: Record | None) -> str | None:
        day_field, book_field = _DATED.get(e["entity"], (None, None))
        if day_field is None:
            return None
        day = self._value(e, row, day_field)
        book = self._value(e, row, book_field) if book_field else "bank"
        unit = self._value(e, row, "unit_code") or e["unit"]
        if not day or not book:
            return None
        on = date.fromisoformat(str(day))
        for period, key in self._periods(str(unit), str(book)):
            if period.contains(on):
                record = row.id if row is not None else e["id"]
                label = ENTITY_LABELS.get(e["entity"], e["entity"])
                return f"{label} {record}: kỳ {key} đã khóa sổ, không nhận thay đổi."
        return None

    def _periods(self, unit: str, book: str) -> list[tuple[Period, str]]:
        # One query per unit and book per merge, not one per voucher.
        cached = self._closes.get((unit, book))
        if cached is None:
            keys = self.session.scalars(
                select(PeriodClose.period_key).where(
                    PeriodClose.unit_code == unit,
                    PeriodClose.account == book,
                    PeriodClose.deleted_at.is_(None),
                )
            )
            cached = [(Period.parse(k), k) for k in keys]
            self._closes[(unit, book)] = cached
        return cached
