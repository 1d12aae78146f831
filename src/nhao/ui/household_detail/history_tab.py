"""The household's audit trail, written for people: when, who, what, and each field's
old and new value ("Số nhân khẩu: 4 → 5")."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nhao.services.history import FieldChange, HistoryEntry, household_history
from nhao.services.households import HouseholdView
from nhao.ui.context import AppContext
from nhao.ui.household_detail.formats import local_time_text

AnyIndex = QModelIndex | QPersistentModelIndex
DETAILS_HEIGHT = 120


def change_text(change: FieldChange) -> str:
    """“Số nhân khẩu: 4 → 5”; a new record's field has no old value to show."""
    if change.old_text:
        return f"{change.label_vi}: {change.old_text} → {change.new_text}"
    return f"{change.label_vi}: {change.new_text}"


class HistoryModel(QAbstractTableModel):
    """Rows are frozen HistoryEntries, newest first as the service gives them."""

    WHEN, WHO, WHAT, CHANGES = range(4)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[HistoryEntry, ...] = ()

    def set_entries(self, rows: Sequence[HistoryEntry]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def entry(self, row: int) -> HistoryEntry:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        headers = (self.tr("When"), self.tr("Who"), self.tr("What"), self.tr("Changes"))
        return headers[section] if 0 <= section < len(headers) else None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == self.WHEN:
                return local_time_text(entry.at)
            if column == self.WHO:
                return entry.who
            if column == self.WHAT:
                return self.what(entry)
            return "; ".join(change_text(c) for c in entry.changes)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.describe(entry)
        return None

    @staticmethod
    def what(entry: HistoryEntry) -> str:
        return f"{entry.entity_label_vi}: {entry.summary or entry.action_label_vi}"

    def describe(self, entry: HistoryEntry) -> str:
        """The entry in full, one field change a line."""
        head = f"{local_time_text(entry.at)} · {entry.who} · {self.what(entry)}"
        return "\n".join([head, *(change_text(c) for c in entry.changes)])


class HistoryTab(QWidget):
    def __init__(
        self,
        ctx: AppContext,
        household: Callable[[], HouseholdView | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._household = household
        self.model = HistoryModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in (HistoryModel.WHEN, HistoryModel.WHO):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(HistoryModel.WHAT, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(HistoryModel.WHAT, 300)
        header.setStretchLastSection(True)
        # Long inserts (an inspection has a dozen fields) read better one per line.
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setMinimumHeight(DETAILS_HEIGHT // 2)
        self.table.selectionModel().currentRowChanged.connect(self._show_details)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def refresh(self) -> None:
        household = self._household()
        rows = household_history(self._ctx.db, self._ctx.actor, household.id) if household else []
        self.model.set_entries(rows)
        if rows:
            self.table.selectRow(0)
        else:
            self.details.setPlainText(self.tr("Nothing recorded yet."))

    def _show_details(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.details.setPlainText(self.model.describe(self.model.entry(current.row())))
