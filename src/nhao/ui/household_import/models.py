"""The tables of the import wizard: the first rows of a sheet with its header
highlighted, and the outcome of every row of a check or an import. Both hold
plain frozen values (cells, the service's RowOutcome) and the text of every cell,
worked out once per load."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from nhao.domain.dates import format_date
from nhao.imports.report import RowOutcome, RowStatus
from nhao.services.household_import import DuplicateAction, column_letter

AnyIndex = QModelIndex | QPersistentModelIndex
_CONTEXT = "ImportWizard"  # lupdate reads the context only from a literal
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_EDIT = int(Qt.ItemDataRole.EditRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
MAX_PREVIEW_COLUMNS = 60
HEADER_BACKGROUND = "#fff3c4"

STATUS_LABELS: dict[RowStatus, str] = {
    RowStatus.ok: QT_TRANSLATE_NOOP("ImportWizard", "OK"),
    RowStatus.warning: QT_TRANSLATE_NOOP("ImportWizard", "To check"),
    RowStatus.error: QT_TRANSLATE_NOOP("ImportWizard", "Error"),
    RowStatus.duplicate: QT_TRANSLATE_NOOP("ImportWizard", "Duplicate"),
    RowStatus.skipped: QT_TRANSLATE_NOOP("ImportWizard", "Skipped"),
}
# (text, background) of the status cell; dark enough to read, light enough to scan.
STATUS_COLOURS: dict[RowStatus, tuple[str, str]] = {
    RowStatus.ok: ("#2e7d32", "#e8f5e9"),
    RowStatus.warning: ("#8a5300", "#fff3e0"),
    RowStatus.error: ("#b00020", "#ffebee"),
    RowStatus.duplicate: ("#1565c0", "#e3f2fd"),
    RowStatus.skipped: ("#616161", "#f2f2f2"),
}
ACTION_LABELS: dict[DuplicateAction, str] = {
    DuplicateAction.skip: QT_TRANSLATE_NOOP("ImportWizard", "Skip"),
    DuplicateAction.update: QT_TRANSLATE_NOOP("ImportWizard", "Update the existing household"),
    DuplicateAction.new: QT_TRANSLATE_NOOP("ImportWizard", "Import as a new household"),
}


def translate(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def status_label(status: RowStatus) -> str:
    return translate(STATUS_LABELS[status])


def action_label(action: DuplicateAction) -> str:
    return translate(ACTION_LABELS[action])


def cell_text(value: object) -> str:
    """A cell as the spreadsheet shows it: whole numbers without ".0", dates dd/mm/yyyy."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.10g}".replace(".", ",")
    if isinstance(value, datetime):
        clock = "" if value.time() == time() else value.strftime(" %H:%M")
        return format_date(value.date()) + clock
    if isinstance(value, date):
        return format_date(value)
    return " ".join(str(value).split())


class SampleModel(QAbstractTableModel):
    """The first rows of a sheet, numbered as Excel numbers them, header rows highlighted."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._numbers: list[int] = []
        self._cells: list[list[str]] = []
        self._columns = 0
        self._header: range = range(0)

    def set_sample(self, rows: Sequence[tuple[int, Sequence[object]]]) -> None:
        self.beginResetModel()
        self._numbers = [number for number, _ in rows]
        width = max((len(cells) for _, cells in rows), default=0)
        self._columns = min(width, MAX_PREVIEW_COLUMNS)
        self._cells = [
            [cell_text(c) for c in cells[: self._columns]] + [""] * (self._columns - len(cells))
            for _, cells in rows
        ]
        self.endResetModel()

    def set_header(self, first: int, count: int) -> None:
        """Highlight Excel rows first … first+count-1 (count 0: none)."""
        self._header = range(first, first + count)
        if self._numbers and self._columns:
            last = self.index(len(self._numbers) - 1, self._columns - 1)
            self.dataChanged.emit(self.index(0, 0), last, [_BACKGROUND, _FONT])

    def header_rows(self) -> range:
        return self._header

    def row_of(self, number: int) -> int:
        return self._numbers.index(number) if number in self._numbers else -1

    def number(self, row: int) -> int:
        return self._numbers[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._numbers)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._columns

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> object:
        if role != _DISPLAY or section < 0:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return column_letter(section) if section < self._columns else None
        return str(self._numbers[section]) if section < len(self._numbers) else None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> object:
        row, column = index.row(), index.column()
        if not index.isValid() or not 0 <= row < len(self._numbers):
            return None
        if role in (_DISPLAY, _TOOLTIP):
            text = self._cells[row][column]
            return text if role == _DISPLAY or text else None
        in_header = self._numbers[row] in self._header
        if role == _BACKGROUND and in_header:
            return QBrush(QColor(HEADER_BACKGROUND))
        if role == _FONT and in_header:
            font = QFont()
            font.setBold(True)
            return font
        return None


class OutcomesModel(QAbstractTableModel):
    """Every row of the report (or those of one status). The action column of a
    duplicate row is editable: what to do with that row instead of the default."""

    ROW, STATUS, NAME, ACTION, MESSAGES = range(5)
    COLUMNS = 5
    OutcomeRole = int(Qt.ItemDataRole.UserRole) + 1
    # The action picked in the row's chooser (ActionDelegate), not only left in it.
    PickedRole = int(Qt.ItemDataRole.UserRole) + 2

    sig_action_chosen = Signal(int, str)  # Excel row, DuplicateAction value

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: tuple[RowOutcome, ...] = ()
        self._rows: tuple[RowOutcome, ...] = ()
        self._filter: RowStatus | None = None
        self._default = DuplicateAction.skip
        self._actions: dict[int, DuplicateAction] = {}

    def set_outcomes(
        self,
        outcomes: Sequence[RowOutcome],
        default: DuplicateAction,
        actions: dict[int, DuplicateAction],
    ) -> None:
        self.beginResetModel()
        self._all = tuple(outcomes)
        self._default, self._actions = default, dict(actions)
        self._apply_filter()
        self.endResetModel()

    def set_filter(self, status: RowStatus | None) -> None:
        self.beginResetModel()
        self._filter = status
        self._apply_filter()
        self.endResetModel()

    def _apply_filter(self) -> None:
        wanted = self._filter
        if wanted is None:
            self._rows = self._all
        elif wanted is RowStatus.duplicate:
            # Every row that matched, skipped too (the default): the rows to choose for; not
            # a household already entered just as the row has it (the register imported back).
            self._rows = tuple(o for o in self._all if o.duplicate and not o.unchanged)
        else:
            self._rows = tuple(o for o in self._all if o.status is wanted)

    def outcome(self, row: int) -> RowOutcome:
        return self._rows[row]

    def row_of(self, excel_row: int) -> int:
        return next((i for i, o in enumerate(self._rows) if o.row == excel_row), -1)

    def action(self, outcome: RowOutcome) -> DuplicateAction:
        return self._actions.get(outcome.row, self._default)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> object:
        if orientation != Qt.Orientation.Horizontal or role != _DISPLAY:
            return None
        titles = (self.tr("Row"), self.tr("Status"), self.tr("Head of household"),
                  self.tr("If duplicate"), self.tr("What was found"))
        return titles[section] if 0 <= section < len(titles) else None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.column() == self.ACTION and self._rows[index.row()].duplicate:
            return _FLAGS | Qt.ItemFlag.ItemIsEditable
        return _FLAGS

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> object:
        row, column = index.row(), index.column()
        if not index.isValid() or not 0 <= row < len(self._rows):
            return None
        item = self._rows[row]
        if role == _DISPLAY:
            return self._text(item, column)
        if role == _EDIT:
            return self.action(item).value if column == self.ACTION and item.duplicate else None
        if role == _TOOLTIP:
            if column == self.ACTION and item.duplicate:
                return self.tr("Click to choose what to do with this row")
            return "\n".join(item.messages) or None
        if role == self.OutcomeRole:
            return item
        if role == _ALIGNMENT and column == self.ROW:
            return _RIGHT
        if column == self.STATUS and role in (_FOREGROUND, _BACKGROUND):
            text, background = STATUS_COLOURS[item.status]
            return QBrush(QColor(text if role == _FOREGROUND else background))
        return None

    def _text(self, item: RowOutcome, column: int) -> str:
        if column == self.ROW:
            return str(item.row)
        if column == self.STATUS:
            return status_label(item.status)
        if column == self.NAME:
            return item.head_name
        if column == self.ACTION:
            return action_label(self.action(item)) if item.duplicate else ""
        return " ".join(item.messages)

    def setData(self, index: AnyIndex, value: object, role: int = _EDIT) -> bool:
        if role not in (_EDIT, self.PickedRole) or not (
            self.flags(index) & Qt.ItemFlag.ItemIsEditable
        ):
            return False
        try:
            action = DuplicateAction(str(value))
        except ValueError:
            return False
        item = self._rows[index.row()]
        # A row held back until its action is chosen for it alone (a code on the row of
        # another head) shows the file's action: picking that one is the row's choice.
        held = role == self.PickedRole and item.status is RowStatus.error
        if self.action(item) == action and not (held and item.row not in self._actions):
            return True
        self._actions[item.row] = action
        self.dataChanged.emit(index, index, [_DISPLAY, _EDIT])
        self.sig_action_chosen.emit(item.row, action.value)
        return True


class ActionDelegate(QStyledItemDelegate):
    """A combo box for the duplicate action of one row; choosing commits at once."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        combo = QComboBox(parent)
        for action in DuplicateAction:
            combo.addItem(action_label(action), action.value)
        combo.activated.connect(lambda _i: self._commit(combo))
        return combo

    def _commit(self, combo: QComboBox) -> None:
        combo.setProperty("picked", True)
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        found = editor.findData(index.data(_EDIT))
        editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        role = OutcomesModel.PickedRole if editor.property("picked") else _EDIT
        model.setData(index, editor.currentData(), role)


def summary_text(counts: dict[str, int], rows: int) -> str:
    text = QCoreApplication.translate(
        "ImportWizard",
        "%1 rows read: %2 OK, %3 to check, %4 with errors, %5 duplicates, %6 skipped.",
    )
    values = (rows, counts["ok"], counts["warning"], counts["error"], counts["duplicate"],
              counts["skipped"])
    for number, value in reversed(list(enumerate(values, start=1))):
        text = text.replace(f"%{number}", str(value))
    return text
