"""What every page of the import wizard has: its wizard, and a page is complete only
while no job of the wizard is running."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWizardPage

if TYPE_CHECKING:
    from nhao.ui.household_import.wizard import ImportWizard

ERROR_COLOUR = "#b00020"
NOTE_COLOUR = "#555555"


class WizardPage(QWizardPage):
    @property
    def w(self) -> ImportWizard:
        return cast("ImportWizard", self.wizard())

    def ready(self) -> bool:
        """Whether the page has what the next step needs (jobs aside)."""
        return True

    def isComplete(self) -> bool:
        wizard = self.wizard()
        return wizard is not None and not self.w.busy and self.ready()


def message_label(colour: str = "") -> QLabel:
    """A wrapped, selectable label; coloured for problems and notes."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if colour:
        label.setStyleSheet(f"color: {colour}")
    return label
