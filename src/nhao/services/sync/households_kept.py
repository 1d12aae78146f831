"""A household deleted on this laptop whose support case the commune goes on with.

The hamlet withdrew its proposal and deleted the household (both allowed on its laptop)
after the commune had reviewed or approved the case. The commune refused both: the
case, its payments and the programme's counts stand on the household. When the
commune's steps come down, the case is live again here; so is its household, or the
case would hang on a household missing from the hamlet's list, and the team leader
could not follow its construction. The household comes back as this station's own
change, audited and said in the import report.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from nhao.domain.enums import ENDED_WITHOUT_SUPPORT
from nhao.models import Household, SupportCase
from nhao.models.labels import step_label
from nhao.services.unit_of_work import UnitOfWork
from nhao.sync.pg_copy import in_batches

_ENDED = [status.value for status in ENDED_WITHOUT_SUPPORT]


def bring_back_households(
    uow: UnitOfWork, session: Session, case_ids: list[str], decided_by: str
) -> tuple[list[str], list[str]]:
    """Undelete the households of these cases that are live: (one sentence for each,
    their ids, to look for duplicates: the team may have entered the family again)."""
    said: list[str] = []
    seen: set[uuid.UUID] = set()
    connection = session.connection()
    for condition in in_batches(connection, SupportCase.id, sorted(case_ids)):
        rows = session.execute(
            select(Household, SupportCase.status)
            .join(SupportCase, SupportCase.household_id == Household.id)
            .where(
                condition,
                SupportCase.deleted_at.is_(None),
                SupportCase.status.not_in(_ENDED),
                Household.deleted_at.is_not(None),
            )
            .order_by(Household.id, SupportCase.created_at.desc())  # its latest case named
        ).all()
        for household, status in rows:
            if household.id in seen:
                continue
            seen.add(household.id)
            reason = household.deleted_reason
            uow.update(
                household,
                {"deleted_at": None, "deleted_reason": ""},
                summary=(
                    f"Đưa hộ {household.head_name} lại vào danh sách: {decided_by} vẫn tiếp "
                    "tục hồ sơ hỗ trợ của hộ"
                )[:300],  # the audit's column
            )
            said.append(
                f"Hộ {household.head_name} ({household.id}) được đưa lại vào danh sách ở máy "
                f"này: {decided_by} vẫn tiếp tục hồ sơ hỗ trợ của hộ (bước "
                f"“{step_label(status)}”), nên không nhận việc xóa hộ (“{reason}”)."
            )
    return said, [str(household_id) for household_id in seen]
