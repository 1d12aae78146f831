"""The household detail dialog: key facts, inspections, photos and documents, history."""

from nhao.ui.household_detail.dialog import HouseholdDetailDialog

__all__ = ["HouseholdDetailDialog"]
