"""Sign-in dialog (also the lock screen): user name and password, checked by the users service."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from nhao.services import users
from nhao.services.actor import Actor
from nhao.services.errors import AuthenticationFailed


class SignInDialog(QDialog):
    def __init__(
        self,
        db: object,
        default_user: str = "",
        parent: QWidget | None = None,
        *,
        locked_user: str | None = None,
        unit_name: str = "",
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._locked_user = locked_user
        self.actor: Actor | None = None
        self.setWindowTitle(self.tr("Screen locked") if locked_user else self.tr("Sign in to nhao"))
        heading = QLabel(
            self.tr("Enter your password to continue.")
            if locked_user
            else self.tr("Sign in to work on %1.").replace("%1", unit_name or "nhao")
        )
        heading.setWordWrap(True)
        self.username = QLineEdit(locked_user or default_user)
        self.username.setReadOnly(locked_user is not None)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("error")
        self.message.setStyleSheet("color: #b00020")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            self.tr("Unlock") if locked_user else self.tr("Sign in")
        )
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            self.tr("Sign out") if locked_user else self.tr("Cancel")
        )
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(360)
        (self.password if (locked_user or default_user) else self.username).setFocus()

    def try_sign_in(self) -> None:
        try:
            actor = users.authenticate(self._db, self.username.text(), self.password.text())
        except AuthenticationFailed:
            self.message.setText(self.tr("Wrong user name or password."))
            self.password.selectAll()
            self.password.setFocus()
            return
        self.actor = actor
        self.accept()
