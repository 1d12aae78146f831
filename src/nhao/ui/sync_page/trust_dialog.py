"""Trusting another computer's key: the person types the fingerprint as read from the
paper certificate (never copied from the file) and says whether it is above or below."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from nhao.ui.sync_page.common import monospace

Submit = Callable[[str, str], bool]  # (typed fingerprint, role) -> trusted?


class TrustKeyDialog(QDialog):
    def __init__(
        self,
        file_name: str,
        unit_label: str,
        role: str,
        *,
        submit: Submit,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._submit = submit
        self.trusted = False
        self.setWindowTitle(self.tr("Trust a key"))
        intro = QLabel(
            self.tr("Type the fingerprint exactly as printed on the key certificate of %1, "
                    "signed and stamped by that unit. Do not copy it from the file or a message.")
            .replace("%1", unit_label)
        )
        intro.setWordWrap(True)
        self.fingerprint = QLineEdit()
        self.fingerprint.setFont(monospace(1.3))
        self.fingerprint.setPlaceholderText("XXXX XXXX XXXX XXXX XXXX XXXX")
        self.fingerprint.setMinimumWidth(360)
        self.child = QRadioButton(self.tr("A unit below this one (it sends its records up)"))
        self.parent_unit = QRadioButton(
            self.tr("The unit above this one (it sends targets and decisions down)")
        )
        group = QButtonGroup(self)
        group.addButton(self.child)
        group.addButton(self.parent_unit)
        (self.parent_unit if role == "parent" else self.child).setChecked(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Trust"))
        self.ok_button.setEnabled(False)
        self.fingerprint.textChanged.connect(
            lambda text: self.ok_button.setEnabled(bool(text.strip()))
        )
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Key file"), QLabel(file_name))
        form.addRow(self.tr("Unit"), QLabel(unit_label))
        form.addRow(self.tr("Fingerprint"), self.fingerprint)
        form.addRow(self.tr("This unit is"), self.child)
        form.addRow("", self.parent_unit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def role(self) -> str:
        return "parent" if self.parent_unit.isChecked() else "child"

    def try_accept(self) -> None:
        """Close only when the key was trusted; a mistyped fingerprint stays to be fixed."""
        text = self.fingerprint.text().strip()
        if text and self._submit(text, self.role()):
            self.trusted = True
            self.accept()
