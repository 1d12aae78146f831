"""Households page: the register as a table, with search, filters, counts and the
actions that open, add, edit and delete a household."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nhao.domain.errors import DomainError
from nhao.services import households as hh
from nhao.services.actor import Permission
from nhao.ui.context import AppContext
from nhao.ui.households.filters import HouseholdFilterBar
from nhao.ui.households.form import HouseholdFormDialog
from nhao.ui.households.table_model import COLUMNS, HouseholdTableModel
from nhao.ui.icons import icon
from nhao.ui.page import Page
from nhao.ui.task_runner import describe_failure

REFRESH_ON = frozenset({"household", "inspection", "support_case"})
# Widths that fit a 1366×768 laptop with the navigation on the left.
COLUMN_WIDTHS = (185, 125, 68, 105, 70, 130, 72, 150, 75, 110)
# Above a commune the hamlet comes with its commune ("Thôn Nà Pàn, Xã Thất Khê").
AREA_COLUMN_WIDTHS = (170, 230, 60, 105, 62, 115, 62, 120, 70, 110)


class HouseholdsPage(Page):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.can_write = ctx.actor.can(Permission.write_households)
        self.form_dialog: HouseholdFormDialog | None = None
        self.detail_dialog: QWidget | None = None
        self._stale = False
        self.model = HouseholdTableModel(ctx.db, ctx.actor, self)
        self.filters = HouseholdFilterBar(ctx)
        self.filters.sig_changed.connect(self.apply_filters)
        # Enter or Down in the search box: to the matches, past the filters' Tab stops.
        self.filters.search.returnPressed.connect(self.go_to_matches)
        self.filters.search.installEventFilter(self)
        self._build_actions()
        self._build_table()
        self._build_layout()
        self.model.sig_total_changed.connect(self._show_count)
        self.model.modelReset.connect(self._update_actions)
        self.model.set_query(hh.HouseholdQuery())

    def title(self) -> str:
        return self.tr("Households")

    def icon(self) -> QIcon:
        return icon("households")

    # ---- Building -----------------------------------------------------------------

    def _action(self, text: str, tip: str, slot, *keys: QKeySequence) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self)
        if keys:
            action.setShortcuts(list(keys))
            tip = f"{tip} ({keys[0].toString(QKeySequence.SequenceFormat.NativeText)})"
        action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action(
            self.tr("&New household"), self.tr("Add a household"), self.new_household,
            QKeySequence("Ctrl+N"),
        )
        self.open_action = self._action(
            self.tr("&Open"), self.tr("Open the household's inspections, photos and history"),
            self.open_current, QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter),
        )
        self.edit_action = self._action(
            self.tr("&Edit"), self.tr("Change the household's details"), self.edit_current,
            QKeySequence("Ctrl+E"),
        )
        self.delete_action = self._action(
            self.tr("&Delete"), self.tr("Delete the household (it stays in the history)"),
            self.delete_current, QKeySequence(QKeySequence.StandardKey.Delete),
        )
        # Enter and Delete belong to the table, so they never steal keys from the search box.
        for action in (self.open_action, self.delete_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.find_action = self._action(
            self.tr("Find"), self.tr("Search households"), self.filters.focus_search,
            QKeySequence(QKeySequence.StandardKey.Find),
        )
        self.addAction(self.find_action)
        self.import_action = self._action(
            self.tr("Import from Excel…"),
            self.tr("Import a list of households kept in a spreadsheet"),
            self.import_households,
        )
        self.export_action = self._action(
            self.tr("Export register…"),
            self.tr("Save the household register as an Excel file"),
            self.export_households,
        )
        for action in (self.new_action, self.edit_action, self.delete_action, self.import_action):
            # The services refuse a viewer anyway; hiding keeps the window honest about it.
            action.setVisible(self.can_write)
            action.setEnabled(self.can_write)

    def _build_table(self) -> None:
        self.table = QTableView()
        self.table.setObjectName("households")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab moves on; the arrow keys move inside
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        self._set_column_widths()
        # Set the indicator before enabling sorting, which would otherwise sort (query) once more.
        header.setSortIndicator(self.model.sort_column(), Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._keep_sort_indicator)
        self.table.doubleClicked.connect(lambda _index: self.open_current())
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        for action in (self.open_action, self.edit_action, self.delete_action):
            self.table.addAction(action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def _build_layout(self) -> None:
        toolbar = QToolBar()
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.new_action, self.open_action, self.edit_action, self.delete_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.import_action)
        toolbar.addAction(self.export_action)
        self.count_label = QLabel()
        self.count_label.setObjectName("count")
        top = QHBoxLayout()
        top.addWidget(toolbar)
        top.addStretch(1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.filters)
        layout.addWidget(self.table, 1)
        # The toolbar's buttons take Tab too (Space presses them): Import and Export have
        # no shortcut, and a clerk without the touchpad could not reach them. Top to bottom.
        buttons = [toolbar.widgetForAction(action) for action in toolbar.actions()]
        chain = [b for b in buttons if isinstance(b, QToolButton)]  # not the separator
        for button in chain:
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        chain += [self.filters.search, *self.filters.combos(), self.table]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # ---- Search and filters -------------------------------------------------------

    def apply_filters(self) -> None:
        """Run the query of the filter bar now (after the typing pause, or a filter change)."""
        query = self.filters.apply_to(self.model.query())
        if query != self.model.query():
            self._reload(lambda: self.model.set_query(query))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.filters.search
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down  # type: ignore[attr-defined]
        ):
            self.go_to_matches()
            return True
        return super().eventFilter(watched, event)

    def go_to_matches(self) -> None:
        """The search now (not after the typing pause), then the table, a row chosen."""
        self.filters.timer.stop()
        self.apply_filters()
        if self.model.rowCount() == 0:
            return
        if self.current_household() is None:
            self.table.selectRow(0)
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _show_count(self, total: int) -> None:
        if total == 0 and self.filters.is_filtered():
            self.count_label.setText(self.tr("No household matches the search or filters"))
        else:
            text = self.tr("%n household(s)", "", total)
            if self.model.total_is_capped():  # "1000+ hộ"
                text = text.replace(str(total), f"{total}+", 1)
            self.count_label.setText(text)

    def _keep_sort_indicator(self, column: int, _order: Qt.SortOrder) -> None:
        """Header clicks on columns SQL cannot sort leave the indicator where it was."""
        actual = self.model.sort_column()
        if column != actual:
            header = self.table.horizontalHeader()
            order = (
                Qt.SortOrder.DescendingOrder
                if self.model.query().descending
                else Qt.SortOrder.AscendingOrder
            )
            header.blockSignals(True)
            header.setSortIndicator(actual, order)
            header.blockSignals(False)

    # ---- Refreshing ---------------------------------------------------------------

    def _set_column_widths(self) -> None:
        self._above_communes = not self.filters.commune.isHidden()
        widths = AREA_COLUMN_WIDTHS if self._above_communes else COLUMN_WIDTHS
        header = self.table.horizontalHeader()
        for column, width in enumerate(widths[: len(COLUMNS)]):
            header.resizeSection(column, width)

    def on_data_changed(self, entities: frozenset) -> None:
        if "unit" in entities:  # hamlets an import made, communes whose bundles came in
            self.filters.refresh_units()
            if self._above_communes == self.filters.commune.isHidden():
                self._set_column_widths()
        if not entities & REFRESH_ON:
            return
        if self.isVisible():
            self._reload(self.model.refresh)
        else:
            self._stale = True  # read when the page is shown, not for every change elsewhere

    def shown(self) -> None:
        if self._stale:
            self._stale = False
            self._reload(self.model.refresh)

    def _reload(self, load) -> None:  # type: ignore[no-untyped-def]
        """Reload the model and keep the same household selected when it is still there."""
        current = self.current_household()
        load()
        if current is not None:
            self.select_household(current.id)

    def select_household(self, household_id: str) -> bool:
        row = self.model.row_of(household_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def current_household(self) -> hh.HouseholdView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.household(rows[0].row()) if rows else None

    def _update_actions(self) -> None:
        selected = self.current_household() is not None
        self.open_action.setEnabled(selected)
        self.edit_action.setEnabled(selected and self.can_write)
        self.delete_action.setEnabled(selected and self.can_write)

    # ---- Actions ------------------------------------------------------------------

    def new_household(self) -> None:
        if not self.can_write:
            return
        hamlet = self.filters.hamlet.currentData() or None
        self._show_form(HouseholdFormDialog(self.ctx, None, parent=self, hamlet_code=hamlet))

    def edit_current(self) -> None:
        current = self.current_household()
        if current is not None:
            self.edit_household(current.id)

    def edit_household(self, household_id: str) -> None:
        try:
            view = hh.get_household(self.ctx.db, self.ctx.actor, household_id)
        except DomainError as error:
            self.ctx.prompts.error(self, self.tr("Household"), describe_failure(error))
            return
        self._show_form(HouseholdFormDialog(self.ctx, view, parent=self))

    def _show_form(self, dialog: HouseholdFormDialog) -> None:
        # open(), not exec(): no nested event loop, and tests can fill the form.
        self.form_dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._form_finished)
        dialog.open()

    def _form_finished(self, _result: int) -> None:
        dialog, self.form_dialog = self.form_dialog, None
        if dialog is not None and dialog.saved is not None:
            self.select_household(dialog.saved.id)  # the row just added or changed

    def _detail_finished(self) -> None:
        self.detail_dialog = None

    def open_current(self) -> None:
        current = self.current_household()
        if current is not None:
            self.open_household(current.id)

    def open_household(self, household_id: str) -> None:
        try:
            from nhao.ui.household_detail.dialog import HouseholdDetailDialog
        except ImportError:  # the detail window is not built yet: the form shows the data
            self.edit_household(household_id)
            return
        dialog = HouseholdDetailDialog(self.ctx, household_id, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.detail_dialog = dialog
        dialog.finished.connect(self._detail_finished)
        dialog.open()

    def delete_current(self) -> None:
        current = self.current_household()
        if current is None or not self.can_write:
            return
        title = self.tr("Delete household")
        refused = hh.deletion_refused(self.ctx.db, self.ctx.actor, current.id)
        if refused is not None:  # said before a reason is typed for nothing
            self.ctx.prompts.error(self, title, refused)
            return
        question = self.tr(
            "Delete the household of %1 (%2)?\n"
            "It disappears from the lists but stays in the history."
        ).replace("%1", current.head_name).replace("%2", current.hamlet_name)
        if not self.ctx.prompts.confirm(self, title, question):
            return
        reason = self.ctx.prompts.ask_text(self, title, self.tr("Why is it deleted?"))
        while reason is not None and not reason.strip():  # OK on an empty box: ask again
            reason = self.ctx.prompts.ask_text(self, title, self.tr(
                "A reason is needed; it stays in the history. Why is it deleted?"
            ))
        if reason is None:
            return
        db, actor, household_id = self.ctx.db, self.ctx.actor, current.id
        self.ctx.runner.run(
            lambda _progress, _cancel: hh.delete_household(db, actor, household_id, reason),
            parent=self,
            title=self.tr("Deleting the household"),
            on_success=lambda _result: self.ctx.changed("household"),
            on_failure=lambda error: self.ctx.prompts.error(self, title, describe_failure(error)),
        )

    def import_households(self) -> None:
        from nhao.ui.household_import import open_import_wizard

        self.import_wizard = open_import_wizard(self.ctx, self)  # None for a viewer
        if self.import_wizard is not None:
            self.import_wizard.finished.connect(lambda _r: setattr(self, "import_wizard", None))

    def export_households(self) -> None:
        from nhao.ui.household_import import export_register_dialog

        export_register_dialog(self.ctx, self)
