"""Household lists from spreadsheets in (the import wizard), and the register out."""

from nhao.ui.household_import.export_dialog import export_register_dialog
from nhao.ui.household_import.wizard import ImportWizard, open_import_wizard

__all__ = ["ImportWizard", "export_register_dialog", "open_import_wizard"]
