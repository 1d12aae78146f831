"""Settings: language and screen lock for this station (admins only may change them), a
backup put back (admins), and the accounts of this computer."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nhao.domain.dates import format_date
from nhao.domain.enums import UnitLevel
from nhao.services import backup, household_import, preferences
from nhao.services.actor import Permission
from nhao.ui import i18n
from nhao.ui.accounts_box import AccountsBox, MyAccountBox, may_manage_accounts
from nhao.ui.context import AppContext
from nhao.ui.hamlets_box import HamletsBox
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
            if not editable:  # a greyed field says why
                widget.setToolTip(self._admin_only())
        if not editable:  # the note on changing the language is moot here
            self.note.setText(self._admin_only())
        self.backups = self._backups_box()
        self.my_account = MyAccountBox(ctx)
        self.accounts = AccountsBox(ctx) if may_manage_accounts(ctx) else None
        # Hamlets are the commune's: made here, beside this computer's settings.
        self.hamlets = (
            HamletsBox(ctx)
            if editable and ctx.station.commune is not None
            and ctx.station.unit.level is UnitLevel.commune
            else None
        )
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(box, 1)
        if self.hamlets is not None:
            top.addWidget(self.hamlets)
        layout.addLayout(top)
        if self.backups is not None:
            layout.addWidget(self.backups)
        layout.addWidget(self.my_account)
        if self.accounts is not None:
            layout.addWidget(self.accounts, 1)
        else:
            layout.addStretch(1)

    def on_data_changed(self, entities: frozenset) -> None:
        if "unit" in entities and self.hamlets is not None:  # hamlets an import made
            self.hamlets.refresh()

    def _admin_only(self) -> str:
        return self.tr("Only an administrator can change the settings of this computer.")

    def _backups_box(self) -> QGroupBox | None:
        """Putting a backup back: an administrator's, on a data file of this computer."""
        folder = backup.backup_folder(self.ctx.db)  # type: ignore[arg-type]
        if folder is None or not self.ctx.actor.can(Permission.manage_users):
            return None
        box = QGroupBox(self.tr("Backups"))
        note = QLabel(
            self.tr(
                "nhao backs this computer's data up every day, in %1. Putting a backup back "
                "takes out everything entered after it was made; the data replaced is kept "
                "as one more backup."
            ).replace("%1", str(folder))
        )
        note.setWordWrap(True)
        self.restore_button = QPushButton(self.tr("Restore from a backup…"))
        self.restore_button.clicked.connect(self.restore)
        column = QVBoxLayout(box)
        column.addWidget(note)
        row = QHBoxLayout()
        row.addWidget(self.restore_button)
        row.addStretch(1)
        column.addLayout(row)
        return box

    def restore(self) -> None:
        ctx = self.ctx
        title = self.tr("Restore from a backup")
        chosen = ctx.prompts.open_files(
            self, title, self.tr("nhao backups (*.sqlite)"),
            start=backup.backup_folder(ctx.db),  # type: ignore[arg-type]
        )  # fmt: skip
        if not chosen:
            return
        made = datetime.fromtimestamp(chosen[0].stat().st_mtime)
        question = self.tr(
            "Put back the data of %1, made on %2 at %3?\n\nEverything entered after that "
            "is taken out of the data in use (it is kept as one more backup). nhao then "
            "closes: open it again to go on."
        )
        question = (
            question.replace("%1", chosen[0].name)
            .replace("%2", format_date(made.date()))
            .replace("%3", f"{made:%H:%M}")
        )
        if not ctx.prompts.confirm(self, title, question):
            return
        ctx.runner.run(
            lambda _progress, _cancel: backup.restore_backup(
                ctx.db, ctx.actor, chosen[0]  # type: ignore[arg-type]
            ),
            parent=self,
            title=self.tr("Putting the backup back…"),
            on_success=self._restored,
            on_failure=lambda error: ctx.prompts.error(self, title, describe_failure(error)),
        )

    def _restored(self, restored: backup.Restored) -> None:
        self.ctx.prompts.info(
            self,
            self.tr("Restore from a backup"),
            self.tr(
                "The data of %1 is back. The data it replaced is kept in %2. nhao closes "
                "now; open it again to go on. If bundles were exported after the backup was "
                "made, the next export starts a new numbering of changes by itself."
            )
            .replace("%1", restored.backup.name)
            .replace("%2", str(restored.kept)),
        )
        self.window().close()  # every page holds what it read of the data replaced

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
