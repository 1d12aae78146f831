"""The dialogs of the accounts on the Settings page: a new account, and a password
(one's own change, or an administrator's reset). Each stays open until the service
accepts what was typed, so a mistake is fixed without typing everything again."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from nhao.domain.enums import Role


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMinimumWidth(240)
    return field


class _SubmitDialog(QDialog):
    """OK runs `submit`; the dialog closes only when it returns True."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.done_ok = False
        self.form = QFormLayout()
        self.mismatch = QLabel()
        self.mismatch.setStyleSheet("color: #b3261e;")
        self.mismatch.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)

    def finish_layout(self, intro: str = "") -> None:
        layout = QVBoxLayout(self)
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addLayout(self.form)
        layout.addWidget(self.mismatch)
        layout.addWidget(self.buttons)

    def submit(self) -> bool:
        raise NotImplementedError

    def try_accept(self) -> None:
        if self.submit():
            self.done_ok = True
            self.accept()


class NewPasswordFields:
    """A new password typed twice; says as you type when the two differ."""

    def __init__(self, dialog: _SubmitDialog, label: str) -> None:
        self.first = _password_field()
        self.second = _password_field()
        dialog.form.addRow(label, self.first)
        again = QCoreApplication.translate("NewPasswordFields", "Type it again")
        dialog.form.addRow(again, self.second)
        self._dialog = dialog
        for field in (self.first, self.second):
            field.textChanged.connect(self._check)

    def _check(self, *, submitted: bool = False) -> None:
        # While typing, an empty second field is not yet a mismatch; on OK it is.
        differ = (submitted or bool(self.second.text())) and (
            self.first.text() != self.second.text()
        )
        text = QCoreApplication.translate("NewPasswordFields", "The two passwords differ.")
        self._dialog.mismatch.setText(text if differ else "")

    def value(self) -> str | None:
        """The new password, or None (and the fields say why) when the two differ."""
        if self.first.text() != self.second.text():
            self._check(submitted=True)
            return None
        return self.first.text()


Change = Callable[[str, str], bool]  # (current or own password, new password) -> done?


class PasswordDialog(_SubmitDialog):
    """One's own change (current password, new twice) or an administrator's reset of
    another account (new twice, then the administrator's own password)."""

    def __init__(
        self,
        title: str,
        intro: str,
        *,
        own_label: str,
        own_first: bool,
        submit: Change,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, parent)
        self._submit = submit
        self.own = _password_field()
        if own_first:
            self.form.addRow(own_label, self.own)
        self.new = NewPasswordFields(self, self.tr("New password"))
        if not own_first:
            self.form.addRow(own_label, self.own)
        self.finish_layout(intro)

    def submit(self) -> bool:
        new = self.new.value()
        return new is not None and self._submit(self.own.text(), new)


AddAccount = Callable[[dict], bool]


class AddAccountDialog(_SubmitDialog):
    def __init__(
        self,
        hamlets: list[tuple[str, str]],  # (code, name)
        *,
        submit: AddAccount,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Add an account"), parent)
        self._submit = submit
        self.username = QLineEdit()
        self.full_name = QLineEdit()
        self.role = QComboBox()
        for role in (Role.team_leader, Role.accountant, Role.viewer, Role.admin):
            self.role.addItem(role.label_vi, role.value)  # the programme's own words, as elsewhere
        self.hamlet = QComboBox()
        for code, name in hamlets:
            self.hamlet.addItem(name, code)
        self.password = NewPasswordFields(self, self.tr("Password"))
        self.own = _password_field()
        self.form.insertRow(0, self.tr("User name"), self.username)
        self.form.insertRow(1, self.tr("Full name"), self.full_name)
        self.form.insertRow(2, self.tr("Role"), self.role)
        self.form.insertRow(3, self.tr("Hamlet"), self.hamlet)
        self.form.addRow(self.tr("Your own password"), self.own)
        self.role.currentIndexChanged.connect(self._role_changed)
        self._role_changed()
        self.username.setFocus()
        self.finish_layout(
            self.tr("A team leader or an accountant can also sign the bundle files of this "
                    "computer: your own password hands the signing key over to them.")
        )

    def _role_changed(self) -> None:
        self.hamlet.setEnabled(self.role.currentData() == Role.team_leader.value)

    def submit(self) -> bool:
        password = self.password.value()
        if password is None:
            return False
        role = Role(self.role.currentData())
        return self._submit(
            {
                "username": self.username.text(),
                "full_name": self.full_name.text(),
                "role": role,
                "hamlet_code": self.hamlet.currentData() if role is Role.team_leader else None,
                "password": password,
                "actor_password": self.own.text(),
            }
        )


ChangeRole = Callable[[Role, str | None], bool]


class RoleDialog(_SubmitDialog):
    """Another role for an account, or another hamlet for a team leader."""

    def __init__(
        self,
        title: str,
        role: Role,
        hamlet_code: str | None,
        hamlets: list[tuple[str, str]],
        *,
        submit: ChangeRole,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, parent)
        self._submit = submit
        self.role = QComboBox()
        for each in (Role.team_leader, Role.accountant, Role.viewer, Role.admin):
            self.role.addItem(each.label_vi, each.value)
        self.role.setCurrentIndex(self.role.findData(role.value))
        self.hamlet = QComboBox()
        for code, name in hamlets:
            self.hamlet.addItem(name, code)
        if hamlet_code is not None:
            self.hamlet.setCurrentIndex(max(0, self.hamlet.findData(hamlet_code)))
        self.form.addRow(self.tr("Role"), self.role)
        self.form.addRow(self.tr("Hamlet"), self.hamlet)
        self.role.currentIndexChanged.connect(self._role_changed)
        self._role_changed()
        self.finish_layout(
            self.tr("The person keeps their user name and password. A role that signs "
                    "bundle files gets the signing key at the next password reset.")
        )

    def _role_changed(self) -> None:
        self.hamlet.setEnabled(self.role.currentData() == Role.team_leader.value)

    def submit(self) -> bool:
        role = Role(self.role.currentData())
        return self._submit(role, self.hamlet.currentData() if role is Role.team_leader else None)
