"""Settings: language and screen lock for this station (admins only may change them), and
the accounts of this computer."""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nhao.services import household_import, preferences
from nhao.services.actor import Permission
from nhao.ui import i18n
from nhao.ui.accounts_box import AccountsBox, MyAccountBox, may_manage_accounts
from nhao.ui.context import AppContext
from nhao.ui.icons import icon
from nhao.ui.page import Page
from nhao.ui.task_runner import describe_failure


class SettingsPage(Page):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        prefs = preferences.load(ctx.db)
        self.language = QComboBox()
        for code, name in i18n.LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(prefs.language)))
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(1, 240)
        self.idle_minutes.setValue(prefs.idle_lock_minutes)
        self.idle_minutes.setSuffix(self.tr(" minutes"))
        limits = household_import.import_limits(ctx.db)
        self.max_rows = QSpinBox()
        self.max_rows.setRange(1_000, 5_000_000)
        self.max_rows.setSingleStep(10_000)
        self.max_rows.setGroupSeparatorShown(True)
        self.max_rows.setValue(limits.max_rows)
        self.max_rows.setSuffix(self.tr(" rows"))
        self.max_megabytes = QSpinBox()
        self.max_megabytes.setRange(1, 500)  # a workbook is read whole: an old laptop's memory
        self.max_megabytes.setValue(limits.max_megabytes)
        self.max_megabytes.setSuffix(" MB")
        self.save_button = QPushButton(self.tr("Save settings"))
        self.save_button.clicked.connect(self.save)
        self.note = QLabel(self.tr("A new language takes effect the next time nhao starts."))
        self.note.setWordWrap(True)
        box = QGroupBox(self.tr("This computer"))
        form = QFormLayout(box)
        form.addRow(self.tr("Language"), self.language)
        form.addRow("", self.note)
        form.addRow(self.tr("Lock the screen after"), self.idle_minutes)
        form.addRow(self.tr("Largest list to import"), self.max_rows)
        form.addRow("", self.max_megabytes)
        form.addRow("", self.save_button)
        editable = ctx.actor.can(Permission.manage_units)
        for widget in (
            self.language,
            self.idle_minutes,
            self.max_rows,
            self.max_megabytes,
            self.save_button,
        ):
            widget.setEnabled(editable)
        self.my_account = MyAccountBox(ctx)
        self.accounts = AccountsBox(ctx) if may_manage_accounts(ctx) else None
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(self.my_account)
        if self.accounts is not None:
            layout.addWidget(self.accounts, 1)
        else:
            layout.addStretch(1)

    def title(self) -> str:
        return self.tr("Settings")

    def icon(self) -> QIcon:
        return icon("settings")

    def save(self) -> None:
        prefs = preferences.Preferences(
            language=self.language.currentData(), idle_lock_minutes=self.idle_minutes.value()
        )
        limits = household_import.Limits(
            max_rows=self.max_rows.value(), max_megabytes=self.max_megabytes.value()
        )
        try:
            preferences.save(self.ctx.db, self.ctx.actor, prefs)
            household_import.save_import_limits(self.ctx.db, self.ctx.actor, limits)
        except Exception as error:  # noqa: BLE001 - shown to the person, not swallowed
            self.ctx.prompts.error(self, self.tr("Settings"), describe_failure(error))
            return
        window = self.window()
        if hasattr(window, "idle"):
            window.idle.set_minutes(prefs.idle_lock_minutes)
        self.ctx.prompts.info(self, self.tr("Settings"), self.tr("Settings saved."))
