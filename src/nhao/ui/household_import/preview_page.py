"""The check page: a dry run of the import shows what would happen to every row,
with the choices that change it (duplicates, new hamlets); Import runs the same
pass for real, in one transaction."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nhao.domain.text import fold
from nhao.imports.report import ImportReport, RowStatus
from nhao.services.actor import Permission
from nhao.services.household_import import DuplicateAction, run_import, save_mapping
from nhao.ui.household_import.base import ERROR_COLOUR, WizardPage, message_label
from nhao.ui.household_import.done_page import save_report
from nhao.ui.household_import.models import (
    ActionDelegate,
    OutcomesModel,
    action_label,
    status_label,
    summary_text,
)

# Row, status, name; the action is as wide as its choices (_action_width), the
# messages take the rest.
COLUMN_WIDTHS = (50, 90, 170)
ACTION_PADDING = 40  # the chooser's arrow and the cell's margins
DETAIL_LINES = 3
DETAIL_MAX_LINES = 7


class DetailsArea(QScrollArea):
    """As tall as its wrapped text (within the bounds set on it), scrolled beyond."""

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        shown = self.widget()
        if shown is not None and shown.hasHeightForWidth():
            width = max(self.viewport().width(), 1)
            hint.setHeight(shown.heightForWidth(width) + 2 * self.frameWidth())
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # wrapped to the new width, the text's height changes


class PreviewPage(WizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Check before importing"))
        self.setSubTitle(
            self.tr(
                "Nothing is written yet. Rows with errors are not imported; correct them in "
                "the file and import it again later, or import the others now."
            )
        )
        self.setCommitPage(True)
        self._importing = False
        self._recheck = QTimer(self)
        self._recheck.setSingleShot(True)
        self._recheck.setInterval(0)
        self._recheck.timeout.connect(self.check)

        self.summary_label = message_label()
        self.problem_label = message_label(ERROR_COLOUR)
        self.problem_label.hide()
        self.duplicates = QComboBox()
        self.duplicates.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for action in DuplicateAction:
            self.duplicates.addItem(action_label(action), action.value)
        self.duplicates.activated.connect(lambda _i: self._duplicates_chosen())
        self.create_hamlets = QCheckBox()
        self.create_hamlets.toggled.connect(self._create_hamlets_toggled)
        self.create_hamlets.hide()
        # Their names wrap beside the check box: a check box does not wrap, and a list
        # naming every hamlet of the commune widened the wizard past the screen.
        self.new_hamlets = message_label()
        self.new_hamlets.hide()
        self.show_filter = QComboBox()
        self.show_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.show_filter.activated.connect(lambda _i: self._filter_chosen())
        self.check_button = QPushButton(self.tr("Check again"))
        self.check_button.clicked.connect(self.check)
        self.report_button = QPushButton(self.tr("Save report…"))
        self.report_button.clicked.connect(
            lambda: save_report(self, self.w.preview) if self.w.preview else None
        )

        self.model = OutcomesModel(self)
        self.model.sig_action_chosen.connect(self._row_action_chosen)
        self.table = QTableView()
        self.table.setObjectName("outcomes")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(OutcomesModel.ACTION, ActionDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Not on CurrentChanged: the chooser would open as the arrow keys pass through
        # the column, and the next Down would change the row's choice instead of moving.
        # Not on SelectedClicked either: a click opens it (_cell_clicked), and Qt's own
        # opening after the double-click wait then failed on the chooser already open.
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.table.clicked.connect(self._cell_clicked)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab moves on; the arrow keys move inside
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in enumerate(COLUMN_WIDTHS):
            header.resizeSection(column, width)
        header.resizeSection(OutcomesModel.ACTION, self._action_width())
        self.table.setColumnHidden(OutcomesModel.ACTION, True)  # until a row is a duplicate
        self.table.selectionModel().currentRowChanged.connect(self._show_details)
        self.details = message_label()
        # Scrolled within a few lines: a row naming every hamlet of a merged commune
        # took the table's rows and was cut off at the foot of a 1366×768 (125 %) screen.
        self.details_area = DetailsArea()
        self.details_area.setWidgetResizable(True)
        self.details_area.setFrameShape(QFrame.Shape.NoFrame)
        self.details_area.setWidget(self.details)
        line = self.fontMetrics().lineSpacing()
        self.details_area.setMinimumHeight(line * DETAIL_LINES)
        self.details_area.setMaximumHeight(line * DETAIL_MAX_LINES)
        self._lay_out()

    def _action_width(self) -> int:
        """As wide as the column's title and its longest choice, with the chooser's arrow."""
        metrics = self.table.fontMetrics()
        title = self.model.headerData(OutcomesModel.ACTION, Qt.Orientation.Horizontal)
        labels = [str(title), *(action_label(action) for action in DuplicateAction)]
        return max(metrics.horizontalAdvance(label) for label in labels) + ACTION_PADDING

    def _lay_out(self) -> None:
        choices = QHBoxLayout()
        choices.addWidget(QLabel(self.tr("Duplicate rows:")))
        choices.addWidget(self.duplicates)
        choices.addStretch(1)
        hamlets = QHBoxLayout()  # on a line of its own; hidden, it takes no room
        hamlets.addWidget(self.create_hamlets)
        hamlets.addWidget(self.new_hamlets, 1)
        tools = QHBoxLayout()
        tools.addWidget(QLabel(self.tr("Show:")))
        tools.addWidget(self.show_filter)
        tools.addStretch(1)
        tools.addWidget(self.check_button)
        tools.addWidget(self.report_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.problem_label)
        layout.addLayout(choices)
        layout.addLayout(hamlets)
        layout.addLayout(tools)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details_area)

    # -- checking ----------------------------------------------------------------

    def initializePage(self) -> None:
        choices = self.w.choices
        self.duplicates.setCurrentIndex(self.duplicates.findData(choices.on_duplicate.value))
        self.create_hamlets.blockSignals(True)
        self.create_hamlets.setChecked(choices.create_hamlets)
        self.create_hamlets.blockSignals(False)
        self.check()

    def cleanupPage(self) -> None:
        self._recheck.stop()

    def ready(self) -> bool:
        return self.w.preview is not None and not self._recheck.isActive()

    def check(self) -> None:
        """The dry run, with the choices as they are now."""
        self._recheck.stop()
        w = self.w
        if w.file is None or w.look is None or w.look.layout is None:
            return
        ctx, file, options, layout = w.ctx, w.file, w.options(), w.look.layout
        remember = w.choices.remember

        def work(progress, cancel) -> ImportReport:  # type: ignore[no-untyped-def]
            if remember:
                save_mapping(ctx.db, ctx.actor, layout, options.mapping or {})  # type: ignore[arg-type]
            return run_import(ctx.db, ctx.actor, file, options, dry_run=True,  # type: ignore[arg-type]
                              progress=progress, cancel=cancel)

        w.preview = None
        self.summary_label.setText(self.tr("Checking every row…"))
        self.problem_label.hide()
        w.run(work, self.tr("Checking the rows"), self._checked, self._failed, self._cancelled)

    def _checked(self, report: ImportReport) -> None:
        w = self.w
        w.preview = report
        w.choices.remember = False  # saved with this check
        selected = self._selected_row()
        self.model.set_outcomes(report.rows, w.choices.on_duplicate, w.choices.row_actions)
        # Empty on every row of a list without duplicates: the room goes to the messages.
        self.table.setColumnHidden(OutcomesModel.ACTION, not any(o.duplicate for o in report.rows))
        self._fill_filter(report)
        self.summary_label.setText(self._summary(report))
        self._offer_hamlets(report)
        self.report_button.setEnabled(True)
        # The row read before, else the first: the arrow keys go on from it, its report shown.
        if (selected is None or not self.select_row(selected)) and self.model.rowCount():
            self.select_row(self.model.outcome(0).row)
        self._show_details()
        self.completeChanged.emit()

    def _failed(self, message: str) -> None:
        self.w.preview = None
        self.model.set_outcomes([], self.w.choices.on_duplicate, {})
        self.table.setColumnHidden(OutcomesModel.ACTION, True)
        self.summary_label.setText(self.tr("The rows could not be checked."))
        self.problem_label.setText(message)
        self.problem_label.show()
        self.report_button.setEnabled(False)
        self.completeChanged.emit()

    def _cancelled(self) -> None:
        self._failed(self.tr("The check was cancelled. Press “Check again” to run it."))

    def _summary(self, report: ImportReport) -> str:
        counts = report.summary()
        text = summary_text(counts, len(report.rows))
        going = counts["ok"] + counts["warning"] + counts["duplicate"]
        lines = [text, self.tr("Import will add or update up to %1 households.")]
        lines[1] = lines[1].replace("%1", str(going))
        # Counted as skipped, they are the rows to choose for: said where to find them.
        to_choose = (o for o in report.rows if o.duplicate and not o.unchanged)
        if skipped := sum(o.status is RowStatus.skipped for o in to_choose):
            lines.append(self.tr(
                "%n of the skipped rows match a household already entered or an earlier "
                "row of the file (Show: Duplicate).", "", skipped,
            ))
        # The register imported back: no row to choose for, but none to look for either.
        if unchanged := counts["unchanged"]:
            lines.append(self.tr(
                "%n row(s) are households already entered just as the file has them: "
                "nothing to import.", "", unchanged,
            ))
        # What holds for the whole file (no category column, the hamlet taken from the
        # sheet's name, a column left out), said once here rather than on every row.
        return "\n".join(lines + report.notes)

    def _offer_hamlets(self, report: ImportReport) -> None:
        names: dict[str, str] = {}
        for name in report.unknown_hamlets + report.created_hamlets:
            names.setdefault(fold(name), name)
        allowed = self.w.ctx.actor.can(Permission.manage_units)
        self.create_hamlets.setVisible(bool(names) and allowed)
        self.new_hamlets.setVisible(bool(names) and allowed)
        if names:
            self.create_hamlets.setText(
                self.tr("Create the hamlets the commune does not have yet:")
            )
            self.new_hamlets.setText(", ".join(names.values()))

    # -- choices -----------------------------------------------------------------

    def _changed(self) -> None:
        """A choice changed what the import would do: check again (once, soon)."""
        self.w.preview = None
        self._recheck.start()
        self.completeChanged.emit()

    def _duplicates_chosen(self) -> None:
        action = DuplicateAction(self.duplicates.currentData())
        if action != self.w.choices.on_duplicate:
            self.w.choices.on_duplicate = action
            self._changed()

    def _row_action_chosen(self, row: int, value: str) -> None:
        self.w.choices.row_actions[row] = DuplicateAction(value)
        self._changed()

    def _create_hamlets_toggled(self, on: bool) -> None:
        if on != self.w.choices.create_hamlets:
            self.w.choices.create_hamlets = on
            self._changed()

    # -- the table -----------------------------------------------------------------

    def _fill_filter(self, report: ImportReport) -> None:
        counts = report.summary()
        current = self.show_filter.currentData()
        self.show_filter.clear()
        self.show_filter.addItem(self.tr("All rows (%1)").replace("%1", str(len(report.rows))),
                                 None)
        # As the filter shows them: the rows to choose for.
        counts["duplicate"] = sum(o.duplicate and not o.unchanged for o in report.rows)
        for status in RowStatus:
            self.show_filter.addItem(f"{status_label(status)} ({counts[status.value]})",
                                     status.value)
        self.show_filter.setCurrentIndex(max(self.show_filter.findData(current), 0))
        self._filter_chosen()

    def _filter_chosen(self) -> None:
        value = self.show_filter.currentData()
        self.model.set_filter(RowStatus(value) if value else None)

    def set_filter(self, status: RowStatus | None) -> None:
        self.show_filter.setCurrentIndex(
            max(self.show_filter.findData(status.value if status else None), 0)
        )
        self._filter_chosen()

    def _cell_clicked(self, index: QModelIndex) -> None:
        """One click on a duplicate row's choice opens the chooser, as its tooltip says."""
        if self.model.flags(index) & Qt.ItemFlag.ItemIsEditable:
            self.table.edit(index)

    def _selected_row(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.outcome(index.row()).row if index.isValid() else None

    def select_row(self, excel_row: int) -> bool:
        row = self.model.row_of(excel_row)
        if row < 0:
            return False
        index = self.model.index(row, OutcomesModel.ROW)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def _show_details(self, *_: QModelIndex) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            self.details.setText(self.tr("Select a row to read all it says."))
        else:
            outcome = self.model.outcome(index.row())
            lines = [self.tr("Row %1").replace("%1", str(outcome.row)) + ": "
                     + status_label(outcome.status)]
            self.details.setText("\n".join(lines + list(outcome.messages)))
        self.details_area.updateGeometry()  # its height follows the text's

    # -- importing -----------------------------------------------------------------

    def validatePage(self) -> bool:
        """Import for real. Returns at once while the job runs; its end moves on."""
        w = self.w
        if w.result is not None:
            return True
        if w.busy or w.preview is None or self._recheck.isActive():
            return False
        title = self.tr("Import households")
        counts = w.preview.summary()
        if counts["ok"] + counts["warning"] + counts["duplicate"] == 0:
            w.ctx.prompts.info(self, title, self.tr(
                "No row can be imported: every row has an error or is skipped."
            ))
            return False
        if counts["error"] and not w.ctx.prompts.confirm(
            self,
            title,
            self.tr("%n row(s) with errors will not be imported. Import the other rows?", "",
                    counts["error"]),
        ):
            return False
        ctx, file, options = w.ctx, w.file, w.options()

        def work(progress, cancel) -> ImportReport:  # type: ignore[no-untyped-def]
            return run_import(ctx.db, ctx.actor, file, options,  # type: ignore[arg-type]
                              progress=progress, cancel=cancel)

        self._importing = True
        try:
            w.run(work, self.tr("Importing households"), self._imported,
                  lambda message: ctx.prompts.error(self, self.tr("Nothing was imported"), message),
                  lambda: ctx.prompts.info(self, title, self.tr(
                      "The import was cancelled; nothing was written."
                  )))
        finally:
            self._importing = False
        return w.result is not None

    def _imported(self, report: ImportReport) -> None:
        w = self.w
        w.result = report
        w.ctx.changed(*(("household", "unit") if report.created_hamlets else ("household",)))
        if not self._importing and w.currentPage() is self:  # ran in the background
            w.next()
