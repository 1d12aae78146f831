"""Sign-in dialog: user name and password, checked by the users service."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from nhao.services import users
from nhao.services.actor import Actor
from nhao.services.errors import AuthenticationFailed


class SignInDialog(QDialog):
    def __init__(self, db: object, default_user: str = "", parent: object = None) -> None:
        super().__init__(parent)
        self._db = db
        self.actor: Actor | None = None
        self.setWindowTitle(self.tr("Sign in to nhao"))
        self.username = QLineEdit(default_user)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        buttons.accepted.connect(self._try_sign_in)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        (self.password if default_user else self.username).setFocus()

    def _try_sign_in(self) -> None:
        try:
            self.actor = users.authenticate(self._db, self.username.text(), self.password.text())
        except AuthenticationFailed as error:
            self.message.setText(str(error))
            self.password.selectAll()
            self.password.setFocus()
            return
        self.accept()
