"""The Sync page (Đồng bộ): export, import with its dry-run report, bundles waiting,
conflicts, possible duplicates and keys, each on a tab."""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from nhao.ui.context import AppContext
from nhao.ui.icons import icon
from nhao.ui.page import Page
from nhao.ui.sync_page.common import PasswordDialog
from nhao.ui.sync_page.export_tab import ExportTab
from nhao.ui.sync_page.import_tab import ImportTab
from nhao.ui.sync_page.keys_tab import KeysTab
from nhao.ui.sync_page.review_tabs import (
    NAMING_FIELDS,
    RESOLVED,
    ConflictsTab,
    DuplicatesTab,
    PendingTab,
)

# Imports change records, conflicts and duplicates; a household edit renames a row.
REFRESH_ON = frozenset({"sync", "household", "unit"})


class SyncPage(Page):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)

        def ask(title: str) -> str | None:
            return self.ask_password(title)  # looked up on each call: tests replace it

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.export_tab = ExportTab(ctx, ask)
        self.import_tab = ImportTab(ctx, ask)
        self.pending_tab = PendingTab(ctx, ask)
        self.conflicts_tab = ConflictsTab(ctx)
        self.duplicates_tab = DuplicatesTab(ctx)
        self.keys_tab = KeysTab(ctx, ask)
        for tab in (
            self.export_tab, self.import_tab, self.pending_tab,
            self.conflicts_tab, self.duplicates_tab, self.keys_tab,
        ):
            self.tabs.addTab(tab, "")
        # Imports and resolutions announce themselves with ctx.changed(…, "sync"), which
        # refreshes the tabs below; a pair marked updates its own tab and the titles;
        # trusting a key changes only the recipients.
        self.keys_tab.sig_trust_changed.connect(self.export_tab.refresh)
        # The pairs are read off the GUI thread: the title counts them once they are in.
        self.duplicates_tab.sig_counted.connect(self._set_titles)
        self.conflicts_tab.sig_resolved.connect(self._conflict_resolved)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.addWidget(self.tabs)
        self.refresh()

    def title(self) -> str:
        return self.tr("Sync")

    def icon(self) -> QIcon:
        return icon("sync")

    def ask_password(self, title: str) -> str | None:
        """The signed-in person's password, asked for each step: it unlocks the signing key."""
        label = self.tr("Password of %1 (it unlocks this computer's signing key):").replace(
            "%1", self.ctx.actor.username
        )
        ask = getattr(self.ctx.prompts, "ask_password", None)
        if callable(ask):
            return ask(self, title, label)
        return PasswordDialog.ask(self, title, label)

    # ---- Refreshing ---------------------------------------------------------------

    def refresh(self) -> None:
        self.export_tab.refresh()
        self.keys_tab.refresh()
        self.pending_tab.refresh()
        self.conflicts_tab.refresh()
        self.duplicates_tab.refresh()
        self._set_titles()

    def _set_titles(self) -> None:
        pending, conflicts = self.pending_tab.count(), self.conflicts_tab.count()
        duplicates = self.duplicates_tab.count()
        titles = (
            self.tr("Export"),
            self.tr("Import"),
            self.tr("Waiting (%1)").replace("%1", str(pending)) if pending else self.tr("Waiting"),
            self.tr("Conflicts (%1)").replace("%1", str(conflicts))
            if conflicts else self.tr("Conflicts"),
            self.tr("Possible duplicates (%1)").replace("%1", str(duplicates))
            if duplicates else self.tr("Possible duplicates"),
            self.tr("Keys"),
        )
        for index, text in enumerate(titles):
            self.tabs.setTabText(index, text)

    def _conflict_resolved(self, touched: frozenset[tuple[str, str]]) -> None:
        self.conflicts_tab.refresh()
        if any(entity == "household" and field in NAMING_FIELDS for entity, field in touched):
            self.duplicates_tab.refresh()  # its rows name the household
        self._set_titles()

    def on_data_changed(self, entities: frozenset) -> None:
        if not entities & REFRESH_ON or RESOLVED in entities:
            return  # a conflict resolved here: _conflict_resolved did what it changed
        if self.isVisible():
            self.refresh()  # a hidden page re-reads when it is shown

    def shown(self) -> None:
        # Small queries: always re-read, since keys and bundles change from the command line too.
        self.refresh()
