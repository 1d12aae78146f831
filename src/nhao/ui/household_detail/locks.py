"""Why the household's tabs are read-only, for the tooltips of their greyed buttons."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from nhao.services.actor import Actor, Permission
from nhao.services.households import HouseholdView


def read_only_reason(actor: Actor, household: HouseholdView | None) -> str:
    """Empty when the household may be changed; else the sentence that says why not."""
    if not actor.can(Permission.write_households):
        return QCoreApplication.translate(
            "HouseholdDetail", "Your account may only view households."
        )
    if household is not None and household.deleted_at is not None:
        return QCoreApplication.translate(
            "HouseholdDetail", "The household is deleted: nothing can be added or changed."
        )
    return ""
