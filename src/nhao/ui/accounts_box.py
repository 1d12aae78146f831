"""The accounts of this computer, on the Settings page: everyone changes their own
password; an administrator adds accounts, resets a forgotten password and turns an
account off or on. The signing key follows the passwords in the accounts service."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nhao.domain.enums import Role
from nhao.domain.errors import DomainError
from nhao.services import accounts, units
from nhao.services.actor import Permission
from nhao.ui.account_dialogs import AddAccountDialog, PasswordDialog, RoleDialog
from nhao.ui.context import AppContext
from nhao.ui.sync_page.models import RowsModel
from nhao.ui.task_runner import describe_failure


class AccountsModel(RowsModel):
    COLUMNS = 6

    def __init__(self, hamlets: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hamlets = hamlets

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("User name"),
            self.tr("Full name"),
            self.tr("Role"),
            self.tr("Hamlet"),
            self.tr("State"),
            self.tr("Signs bundles"),
        )

    def cells(self, item: accounts.AccountView) -> tuple[str, ...]:
        user = item.user
        return (
            user.username,
            user.full_name,
            user.role.label_vi,
            self._hamlets.get(user.hamlet_code or "", user.hamlet_code or ""),
            self.tr("In use") if user.active else self.tr("Turned off"),
            self.tr("Yes") if item.may_sign else self.tr("No"),
        )


class MyAccountBox(QGroupBox):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("My account"), parent)
        self.ctx = ctx
        self.dialog: PasswordDialog | None = None
        actor = ctx.actor
        who = QLabel(
            self.tr("Signed in as %1 (%2).").replace("%1", actor.username)
            .replace("%2", actor.role.label_vi)
        )
        self.change_button = QPushButton(self.tr("Change my password…"))
        self.change_button.clicked.connect(self.change_password)
        layout = QHBoxLayout(self)
        layout.addWidget(who, 1)
        layout.addWidget(self.change_button)

    def change_password(self) -> None:
        title = self.tr("Change my password")
        dialog = PasswordDialog(
            title,
            self.tr("If you can sign bundle files, your signing key opens with the new "
                    "password from now on, and no longer with the old one."),
            own_label=self.tr("Current password"),
            own_first=True,
            submit=lambda current, new: self._change(title, current, new),
            parent=self,
        )
        _open(self, dialog)

    def _change(self, title: str, current: str, new: str) -> bool:
        try:
            accounts.change_own_password(self.ctx.db, self.ctx.actor, current, new)
        except DomainError as error:
            self.ctx.prompts.error(self, title, describe_failure(error))
            return False
        self.ctx.prompts.info(self, title, self.tr("Your password was changed."))
        return True


class AccountsBox(QGroupBox):
    """Administrators only: the list of accounts and what may be done to them."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Accounts of this computer"), parent)
        self.ctx = ctx
        self.dialog: AddAccountDialog | PasswordDialog | RoleDialog | None = None
        self._hamlets = _hamlets(ctx)
        self.model = AccountsModel(dict(self._hamlets), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.add_button = QPushButton(self.tr("Add an account…"))
        self.reset_button = QPushButton(self.tr("Reset password…"))
        self.role_button = QPushButton(self.tr("Change role…"))
        self.switch_button = QPushButton(self.tr("Turn off"))
        self.add_button.clicked.connect(self.add_account)
        self.reset_button.clicked.connect(self.reset_password)
        self.role_button.clicked.connect(self.change_role)
        self.switch_button.clicked.connect(self.switch_selected)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.reset_button, self.role_button, self.switch_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(accounts.list_accounts(self.ctx.db, self.ctx.actor))
        self._selection_changed()

    def selected(self) -> accounts.AccountView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()) if rows else None

    def select(self, username: str) -> None:
        for row, item in enumerate(self.model.items()):
            if item.user.username == username:
                self.table.selectRow(row)

    def _selection_changed(self) -> None:
        chosen = self.selected()
        others = chosen is not None and chosen.user.username != self.ctx.actor.username
        for button in (self.reset_button, self.role_button, self.switch_button):
            button.setEnabled(others)
        active = chosen is None or chosen.user.active
        self.switch_button.setText(self.tr("Turn off") if active else self.tr("Turn on"))

    # -- actions -------------------------------------------------------------------

    def add_account(self) -> None:
        title = self.tr("Add an account")
        dialog = AddAccountDialog(
            self._hamlets, submit=lambda fields: self._add(title, fields), parent=self
        )
        _open(self, dialog)

    def _add(self, title: str, fields: dict) -> bool:
        actor_password = fields.pop("actor_password")
        return self._apply(
            title,
            lambda: accounts.add_account(self.ctx.db, self.ctx.actor, actor_password, **fields),
            self.tr("The account %1 was added."),
        )

    def reset_password(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        name = chosen.user.username
        title = self.tr("Reset the password of %1").replace("%1", name)
        dialog = PasswordDialog(
            title,
            self.tr("Give the new password to %1 in person. The old one stops working, for "
                    "signing in and for the signing key. A turned-off account is turned on "
                    "again.").replace("%1", name),
            own_label=self.tr("Your own password"),
            own_first=False,
            submit=lambda own, new: self._reset(title, name, own, new),
            parent=self,
        )
        _open(self, dialog)

    def _reset(self, title: str, name: str, own: str, new: str) -> bool:
        return self._apply(
            title,
            lambda: accounts.reset_password(self.ctx.db, self.ctx.actor, own, name, new),
            self.tr("The password of %1 was reset."),
        )

    def change_role(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        user = chosen.user
        title = self.tr("Change the role of %1").replace("%1", user.username)
        dialog = RoleDialog(
            title,
            user.role,
            user.hamlet_code,
            self._hamlets,
            submit=lambda role, hamlet: self._change_role(title, user.username, role, hamlet),
            parent=self,
        )
        _open(self, dialog)

    def _change_role(self, title: str, name: str, role: Role, hamlet: str | None) -> bool:
        return self._apply(
            title,
            lambda: accounts.change_role(self.ctx.db, self.ctx.actor, name, role, hamlet),
            self.tr("The role of %1 was changed."),
        )

    def switch_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        name, turn_on = chosen.user.username, not chosen.user.active
        title = self.tr("Turn on %1") if turn_on else self.tr("Turn off %1")
        title = title.replace("%1", name)
        if not turn_on and not self.ctx.prompts.confirm(
            self,
            title,
            self.tr("%1 will no longer sign in on this computer nor sign its bundle files. "
                    "Turn the account off?").replace("%1", name),
        ):
            return
        done = self.tr("%1 was turned on.") if turn_on else self.tr("%1 was turned off.")
        self._apply(
            title, lambda: accounts.set_active(self.ctx.db, self.ctx.actor, name, turn_on), done
        )

    def _apply(
        self, title: str, change_account: Callable[[], accounts.AccountChange], text: str
    ) -> bool:
        """Run one change; say why when it is refused (False), else show what was done."""
        try:
            change = change_account()
        except DomainError as error:
            self.ctx.prompts.error(self, title, describe_failure(error))
            return False
        self.reload()
        self.select(change.account.user.username)
        message = text.replace("%1", change.account.user.username)
        if change.note:
            message = f"{message}\n\n{change.note}"
        self.ctx.prompts.info(self, title, message)
        return True


def _hamlets(ctx: AppContext) -> list[tuple[str, str]]:
    if ctx.station.commune is None:  # a province office has no hamlets
        return []
    return [(h.code, h.name) for h in units.list_hamlets(ctx.db)]


def _open(
    owner: MyAccountBox | AccountsBox, dialog: AddAccountDialog | PasswordDialog | RoleDialog
) -> None:
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.finished.connect(lambda _result: setattr(owner, "dialog", None))
    owner.dialog = dialog
    dialog.open()  # not exec(): no nested event loop, and tests can fill it in


def may_manage_accounts(ctx: AppContext) -> bool:
    return ctx.actor.can(Permission.manage_users)
