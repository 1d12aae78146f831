"""The household's inspections, newest first, and the button to record a new one."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nhao.domain.dates import format_date
from nhao.services.actor import Permission
from nhao.services.households import HouseholdView
from nhao.services.inspections import InspectionView, list_inspections
from nhao.ui.context import AppContext
from nhao.ui.household_detail.formats import area_text
from nhao.ui.household_detail.inspection_form import InspectionForm
from nhao.ui.household_detail.locks import read_only_reason
from nhao.ui.household_detail.structure_editor import (
    STRUCTURE_FIELDS,
    structure_label,
    structure_text,
)

AnyIndex = QModelIndex | QPersistentModelIndex


class InspectionsModel(QAbstractTableModel):
    """Rows are frozen InspectionViews, in the order the service gives (newest first)."""

    DATE, INSPECTOR, HOUSE_CLASS, NEED, AREA, REASONS = range(6)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[InspectionView, ...] = ()

    def set_inspections(self, rows: Sequence[InspectionView]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def inspection(self, row: int) -> InspectionView:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        headers = (
            self.tr("Date"),
            self.tr("Inspector"),
            self.tr("Classification"),
            self.tr("Need"),
            self.tr("Usable area"),
            self.tr("Reasons"),
        )
        return headers[section] if 0 <= section < len(headers) else None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.describe(item)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.AREA:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, item: InspectionView, column: int) -> str:
        if column == self.DATE:
            return format_date(item.inspected_on)
        if column == self.INSPECTOR:
            return item.inspector
        if column == self.HOUSE_CLASS:
            return item.house_class.label_vi
        if column == self.NEED:
            if item.need != item.suggested_need:
                return self.tr("%1 (changed)").replace("%1", item.need.label_vi)
            return item.need.label_vi
        if column == self.AREA:
            return area_text(item.usable_area_m2)
        return "; ".join(item.reasons)

    def describe(self, item: InspectionView) -> str:
        """Everything recorded in one inspection, one fact a line."""
        lines = []
        if item.has_house:
            for field in STRUCTURE_FIELDS:
                lines.append(f"{structure_label(field)}: {structure_text(getattr(item, field))}")
        else:
            lines.append(self.tr("No house"))
        lines.append(self.tr("Members: %1").replace("%1", str(item.members)))
        if item.need != item.suggested_need:
            lines.append(
                self.tr("Suggested need %1, changed to %2 because: %3")
                .replace("%1", item.suggested_need.label_vi)
                .replace("%2", item.need.label_vi)
                .replace("%3", item.need_override_reason)
            )
        if item.notes:
            lines.append(self.tr("Notes: %1").replace("%1", item.notes))
        return "\n".join(lines)


class InspectionsTab(QWidget):
    sig_count_changed = Signal(int)

    def __init__(
        self,
        ctx: AppContext,
        household: Callable[[], HouseholdView | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._household = household  # the dialog's current view of the household
        self.model = InspectionsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(InspectionsModel.REASONS, QHeaderView.ResizeMode.Stretch)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.new_button = QPushButton(self.tr("New inspection…"))
        self.new_button.clicked.connect(self.new_inspection)
        self.new_button.setEnabled(ctx.actor.can(Permission.write_households))
        self.table.selectionModel().currentRowChanged.connect(self._show_details)

        bar = QHBoxLayout()
        bar.addWidget(self.new_button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)

    def refresh(self) -> None:
        household = self._household()
        rows = list_inspections(self._ctx.db, self._ctx.actor, household.id) if household else []
        self.model.set_inspections(rows)
        why_not = read_only_reason(self._ctx.actor, household)
        self.new_button.setEnabled(household is not None and not why_not)
        self.new_button.setToolTip(why_not)  # a greyed button says why
        if rows:
            self.table.selectRow(0)
        else:
            self.details.setText(self.tr("No inspection recorded yet."))
        self.sig_count_changed.emit(len(rows))

    def _show_details(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.details.setText(self.model.describe(self.model.inspection(current.row())))

    def open_form(self) -> InspectionForm | None:
        """The form, not yet shown (tests fill it in and save)."""
        household = self._household()
        if household is None:
            return None
        return InspectionForm(self._ctx, household, self)

    def new_inspection(self) -> None:
        form = self.open_form()
        if form is not None:
            form.exec()
            form.deleteLater()
