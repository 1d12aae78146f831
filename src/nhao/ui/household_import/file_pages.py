"""The first two pages: choose the file, then the sheet and the header row (found
automatically, shown highlighted in the sheet's first rows, changeable)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from nhao.services.household_import import FIELD_LABELS, ImportFile, list_sheet, open_import
from nhao.ui.household_import.base import ERROR_COLOUR, NOTE_COLOUR, WizardPage, message_label
from nhao.ui.household_import.models import SampleModel
from nhao.ui.household_import.state import MAX_HEADER_ROW, SheetLook, look_at

PREVIEW_COLUMN_WIDTH = 110


class FilePage(WizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Choose the file"))
        self.setSubTitle(
            self.tr(
                "The list of households as the commune keeps it: Excel (.xlsx, .xlsm, .xls), "
                "LibreOffice (.ods) or CSV. Title lines, merged cells, empty rows and totals "
                "rows may stay where they are."
            )
        )
        self.choose_button = QPushButton(self.tr("Choose a file…"))
        self.choose_button.clicked.connect(self.choose)
        self.file_label = message_label()
        self.file_label.setText(self.tr("No file chosen yet."))
        self.problem_label = message_label(ERROR_COLOUR)
        self.problem_label.hide()
        row = QHBoxLayout()
        row.addWidget(self.choose_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.file_label)
        layout.addWidget(self.problem_label)
        layout.addStretch(1)

    def ready(self) -> bool:
        return self.w.file is not None

    def choose(self) -> None:
        files = self.w.ctx.prompts.open_files(
            self,
            self.tr("Choose the list of households"),
            self.tr("Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv)"),
        )
        if files:
            self.open_file(files[0])

    def open_file(self, path: Path) -> None:
        db = self.w.ctx.db

        def work(_progress, _cancel) -> tuple[ImportFile, SheetLook]:  # type: ignore[no-untyped-def]
            file = open_import(db, path)  # type: ignore[arg-type]
            try:
                return file, look_at(db, file, list_sheet(db, file))  # type: ignore[arg-type]
            except BaseException:
                file.close()
                raise

        self.problem_label.hide()
        self.file_label.setText(self.tr("Opening %1…").replace("%1", path.name))
        self.w.run(
            work, self.tr("Opening the file"), self._opened, self._refused, self._cancelled
        )

    def _opened(self, result: tuple[ImportFile, SheetLook]) -> None:
        file, look = result
        self.w.set_file(file, look)
        sheets = file.sheets
        text = self.tr("%1 – %n sheet(s)", "", len(sheets)).replace("%1", file.path.name)
        hidden = sum(1 for s in sheets if s.hidden)
        if hidden:
            text += "\n" + self.tr("%n hidden sheet(s), shown as (hidden) on the next page.", "",
                                   hidden)
        self.file_label.setText(text)
        self.completeChanged.emit()
        # Enter goes on from here; left on "Choose a file…", it opened the chooser again.
        next_button = self.w.button(QWizard.WizardButton.NextButton)
        if self.w.currentPage() is self and next_button.isEnabled():
            next_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _refused(self, message: str) -> None:
        self.w.close_file()
        self.file_label.setText(self.tr("No file opened."))
        self.problem_label.setText(message)
        self.problem_label.show()
        self.completeChanged.emit()

    def _cancelled(self) -> None:
        self.file_label.setText(
            self.tr("No file opened.") if self.w.file is None else self.w.file.path.name
        )


class LayoutPage(WizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Sheet and header row"))
        self.setSubTitle(
            self.tr(
                "The row with the column names is found automatically and highlighted. "
                "If it is not the right one, choose another row (or double-click it)."
            )
        )
        self.sheet = QComboBox()
        self.sheet.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.sheet.activated.connect(lambda _i: self._sheet_chosen())
        self.header_row = QSpinBox()
        self.header_row.setRange(1, MAX_HEADER_ROW)
        self.header_row.setKeyboardTracking(False)
        self.header_row.valueChanged.connect(self._row_chosen)
        self.found_label = message_label(NOTE_COLOUR)
        self.problem_label = message_label(ERROR_COLOUR)
        self.problem_label.hide()
        self.model = SampleModel(self)
        self.grid = QTableView()
        self.grid.setObjectName("sample")
        self.grid.setModel(self.model)
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setWordWrap(False)
        self.grid.setTabKeyNavigation(False)  # Tab moves on; the arrow keys move inside
        self.grid.horizontalHeader().setDefaultSectionSize(PREVIEW_COLUMN_WIDTH)
        rows = self.grid.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.grid.doubleClicked.connect(self._row_clicked)

        form = QFormLayout()
        sheet = QHBoxLayout()
        sheet.addWidget(self.sheet)
        sheet.addStretch(1)
        form.addRow(self.tr("Sheet:"), sheet)
        header = QHBoxLayout()
        header.addWidget(self.header_row)
        header.addWidget(self.found_label, 1)
        form.addRow(self.tr("Header row:"), header)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.grid, 1)

    def ready(self) -> bool:
        look = self.w.look
        return look is not None and look.layout is not None

    def initializePage(self) -> None:
        file, look = self.w.file, self.w.look
        if file is None or look is None:
            return
        self.sheet.clear()
        for info in file.sheets:
            text = self.tr("%1 (hidden)").replace("%1", info.name) if info.hidden else info.name
            self.sheet.addItem(text, info.name)
            if info.hidden:
                self.sheet.setItemData(
                    self.sheet.count() - 1,
                    self.tr("This sheet is hidden in the spreadsheet."),
                    Qt.ItemDataRole.ToolTipRole,
                )
        self.show_look(look)

    # -- choosing ----------------------------------------------------------------

    def _sheet_chosen(self) -> None:
        sheet = self.sheet.currentData()
        look = self.w.look
        if look is None or sheet == look.sheet:
            return
        self._look_again(sheet, None)

    def _row_chosen(self, number: int) -> None:
        look = self.w.look
        if look is None or number < 1 or (look.layout and look.layout.header_row == number):
            return
        self._look_again(look.sheet, number)

    def _row_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.header_row.setValue(self.model.number(index.row()))

    def _look_again(self, sheet: str, header_row: int | None) -> None:
        file, db = self.w.file, self.w.ctx.db
        if file is None:
            return

        def work(_progress, _cancel) -> SheetLook:  # type: ignore[no-untyped-def]
            return look_at(db, file, sheet, header_row)

        self.w.run(work, self.tr("Reading the sheet"), self._looked, self._failed,
                   lambda: self.show_look(self.w.look))

    def _looked(self, look: SheetLook) -> None:
        self.w.look = look
        self.w.preview = None
        self.show_look(look)

    def _failed(self, message: str) -> None:
        self.problem_label.setText(message)
        self.problem_label.show()
        if self.w.look is not None:
            self.show_look(self.w.look, keep_problem=True)

    # -- showing -----------------------------------------------------------------

    def show_look(self, look: SheetLook | None, keep_problem: bool = False) -> None:
        if look is None:
            return
        self.sheet.setCurrentIndex(max(self.sheet.findData(look.sheet), 0))
        self.model.set_sample(look.sample)
        last = max((number for number, _ in look.sample), default=1)
        self.header_row.blockSignals(True)
        layout = look.layout
        # No header yet: "—", so that any row chosen, row 1 too, is a change.
        # Below the rows shown too: a long preamble (a decision quoted in full) happens.
        self.header_row.setRange(0 if layout is None else 1, max(last, MAX_HEADER_ROW))
        self.header_row.setSpecialValueText("—" if layout is None else "")
        if layout is None:
            self.header_row.setValue(0)
            self.model.set_header(0, 0)
            self.found_label.setText(
                self.tr("Choose the row that holds the column names.") + self._font_note(look)
            )
            if not keep_problem:
                self.problem_label.setText(look.problem)
                self.problem_label.setVisible(bool(look.problem))
        else:
            self.header_row.setValue(layout.header_row)
            self.model.set_header(layout.header_row, layout.header_rows)
            self.found_label.setText(self._describe(look) + self._font_note(look))
            if not keep_problem:
                self.problem_label.hide()
            row = self.model.row_of(layout.header_row)
            if row >= 0:
                self.grid.scrollTo(self.model.index(row, 0),
                                   QAbstractItemView.ScrollHint.PositionAtTop)
        self.header_row.blockSignals(False)
        self.completeChanged.emit()

    def _font_note(self, look: SheetLook) -> str:
        if look.legacy_font is None:
            return ""
        encoding, fonts = look.legacy_font
        return "\n" + self.tr(
            "The text was typed in the old %1 encoding (fonts such as %2); it is read as "
            "Unicode. Check a few names in the preview."
        ).replace("%1", encoding).replace("%2", fonts)

    def _describe(self, look: SheetLook) -> str:
        layout = look.layout
        assert layout is not None
        if layout.header_rows > 1:
            rows = self.tr("rows %1–%2").replace("%1", str(layout.header_row)).replace(
                "%2", str(layout.header_row + layout.header_rows - 1)
            )
        else:
            rows = self.tr("row %1").replace("%1", str(layout.header_row))
        how = self.tr("Found automatically: %1.") if look.automatic else self.tr("Chosen: %1.")
        known = sum(1 for f in layout.mapping.values() if f in FIELD_LABELS)
        columns = self.tr("%1 of %2 columns recognised.").replace("%1", str(known)).replace(
            "%2", str(len(layout.headers))
        )
        return how.replace("%1", rows) + " " + columns
