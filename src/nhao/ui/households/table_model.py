"""The household table: one page of rows at a time, filtered and sorted in SQL.

The model holds frozen ``HouseholdView`` objects only. Rows arrive in pages of
``PAGE_SIZE`` as the view scrolls (``canFetchMore``/``fetchMore``); sorting and
filtering re-query instead of sorting what happens to be loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from nhao.domain.enums import Category
from nhao.services import households as hh
from nhao.services.actor import Actor

PAGE_SIZE = 200
# A search stops counting here, so a keystroke that matches most of the commune stays
# quick; the label then reads "1000+ households".
COUNT_CAP = 1000
# lupdate reads the context only from a literal, so "HouseholdTableModel" is spelled out.
_CONTEXT = "HouseholdTableModel"
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    title: str  # English source text, translated when shown
    sort_key: str | None  # a key of households.SORTABLE, or None when SQL cannot sort it
    numeric: bool = False


COLUMNS: tuple[Column, ...] = (
    Column(QT_TRANSLATE_NOOP("HouseholdTableModel", "Head of household"), "head_name"),
    Column(QT_TRANSLATE_NOOP("HouseholdTableModel", "Hamlet"), "hamlet"),
    Column(QT_TRANSLATE_NOOP("HouseholdTableModel", "Born"), "birth_year", numeric=True),
    Column(QT_TRANSLATE_NOOP("HouseholdTableModel", "Citizen ID"), "citizen_id"),
    Column(QT_TRANSLATE_NOOP("HouseholdTableModel", "Ethnicity"), "ethnicity"),
    Column(QT_TRANSLATE_NOOP("HouseholdTableModel", "Categories"), None),
    Column(QT_TRANSLATE_NOOP("HouseholdTableModel", "Members"), "members", numeric=True),
    Column(QT_TRANSLATE_NOOP("HouseholdTableModel", "House"), "house_class"),
    Column(QT_TRANSLATE_NOOP("HouseholdTableModel", "Need"), "need"),
    Column(QT_TRANSLATE_NOOP("HouseholdTableModel", "Support case"), "case_status"),
)
(COL_NAME, COL_HAMLET, COL_BIRTH, COL_ID, COL_ETHNICITY, COL_CATEGORIES, COL_MEMBERS,
 COL_HOUSE, COL_NEED, COL_CASE) = range(len(COLUMNS))

# Short forms keep the column narrow; the tooltip shows the full Vietnamese label.
CATEGORY_SHORT: dict[Category, str] = {
    Category.poor: QT_TRANSLATE_NOOP("HouseholdTableModel", "Poor"),
    Category.near_poor: QT_TRANSLATE_NOOP("HouseholdTableModel", "Near-poor"),
    Category.revolutionary_merit: QT_TRANSLATE_NOOP("HouseholdTableModel", "Merit"),
    Category.policy_family: QT_TRANSLATE_NOOP("HouseholdTableModel", "Policy"),
    Category.disaster_hit: QT_TRANSLATE_NOOP("HouseholdTableModel", "Disaster"),
    Category.other_hardship: QT_TRANSLATE_NOOP("HouseholdTableModel", "Hardship"),
}
CATEGORY_ORDER = tuple(Category)
NUMERIC = frozenset(i for i, c in enumerate(COLUMNS) if c.numeric)

# data() runs for every role of every visible cell on each paint; comparing plain
# ints is ten times cheaper than comparing PySide enum members.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


def is_sortable(column: int) -> bool:
    """Only columns the service can order by in SQL; the others ignore header clicks."""
    key = COLUMNS[column].sort_key
    return key is not None and key in hh.SORTABLE


def _translate(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def display_cells(views: list[hh.HouseholdView]) -> list[tuple[str, ...]]:
    """The text of every cell, worked out once per page rather than on every paint."""
    short = {c: _translate(text) for c, text in CATEGORY_SHORT.items()}
    return [
        (
            v.head_name,
            f"{v.hamlet_name}, {v.commune_name}" if v.commune_name else v.hamlet_name,
            str(v.birth_year) if v.birth_year else "",
            v.citizen_id,
            v.ethnicity,
            ", ".join(short[c] for c in CATEGORY_ORDER if c in v.categories),
            str(v.members),
            v.house_class.label_vi if v.house_class else "",
            v.need.label_vi if v.need else "",
            v.case_status.label_vi if v.case_status else "",
        )
        for v in views
    ]


class HouseholdTableModel(QAbstractTableModel):
    """Households matching a ``HouseholdQuery``, loaded a page at a time."""

    RowRole = int(Qt.ItemDataRole.UserRole) + 1  # the row's HouseholdView
    IdRole = int(Qt.ItemDataRole.UserRole) + 2  # the household id (str)

    sig_total_changed = Signal(int)
    """The number of households matching the query (not only those loaded)."""

    def __init__(self, db: object, actor: Actor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._query = hh.HouseholdQuery()
        self._rows: list[hh.HouseholdView] = []
        self._cells: list[tuple[str, ...]] = []
        self._total = 0
        self._capped = False
        self._exhausted = True

    # ---- Public API -------------------------------------------------------------

    def query(self) -> hh.HouseholdQuery:
        return self._query

    def total(self) -> int:
        return self._total

    def total_is_capped(self) -> bool:
        """The search matches more than ``total()`` households (COUNT_CAP); not all
        were counted."""
        return self._capped

    def set_query(self, query: hh.HouseholdQuery) -> None:
        """Show the first page of a new query (search, filters or order changed)."""
        self._query = query
        self._reload(PAGE_SIZE)

    def refresh(self) -> None:
        """Re-read after a change, keeping as many rows loaded as before."""
        self._reload(max(PAGE_SIZE, len(self._rows)))

    def household(self, row: int) -> hh.HouseholdView:
        return self._rows[row]

    def row_of(self, household_id: str) -> int:
        """The row of a loaded household, or -1."""
        return next((i for i, v in enumerate(self._rows) if v.id == household_id), -1)

    def sort_column(self) -> int:
        return next(
            (i for i, c in enumerate(COLUMNS) if c.sort_key == self._query.order_by), COL_NAME
        )

    # ---- Loading ----------------------------------------------------------------

    def _reload(self, limit: int) -> None:
        rows = hh.list_households(self._db, self._actor, self._query, offset=0, limit=limit)
        # A short first page is the whole answer, so the count query can be skipped;
        # that keeps searches that find a few households to a single query.
        capped = False
        if len(rows) < limit:
            total = len(rows)
        else:
            cap = COUNT_CAP if self._query.search.strip() else None
            total = hh.count_households(self._db, self._actor, self._query, cap=cap)
            if cap is not None and total > cap:
                total, capped = cap, True
        self.beginResetModel()
        self._rows = rows
        self._cells = display_cells(rows)
        self._exhausted = len(rows) < limit
        self._total = total
        self._capped = capped
        self.endResetModel()
        self.sig_total_changed.emit(total)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        start = len(self._rows)
        more = hh.list_households(
            self._db, self._actor, self._query, offset=start, limit=PAGE_SIZE
        )
        self._exhausted = len(more) < PAGE_SIZE
        if more:
            self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
            self._rows.extend(more)
            self._cells.extend(display_cells(more))
            self.endInsertRows()

    # ---- QAbstractTableModel ----------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == _DISPLAY:
            return _translate(COLUMNS[section].title)
        if role == _TOOLTIP and not is_sortable(section):
            return QCoreApplication.translate("HouseholdTableModel", "This column cannot be sorted")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: Index, role: int = _DISPLAY) -> object:
        row = index.row()  # -1 for an invalid index
        if not 0 <= row < len(self._rows):
            return None
        if role == _DISPLAY:
            return self._cells[row][index.column()]
        if role == _ALIGNMENT:
            return _RIGHT if index.column() in NUMERIC else None
        if role == _TOOLTIP:
            return self._tooltip(self._rows[row], index.column())
        if role == self.RowRole:
            return self._rows[row]
        if role == self.IdRole:
            return self._rows[row].id
        return None

    @staticmethod
    def _tooltip(view: hh.HouseholdView, column: int) -> str | None:
        if column == COL_CATEGORIES and view.categories:
            return "\n".join(c.label_vi for c in CATEGORY_ORDER if c in view.categories)
        if column == COL_ID and view.citizen_id_kind == "cmnd":
            return QCoreApplication.translate("HouseholdTableModel", "Old 9-digit ID card (CMND)")
        if column == COL_NAME and view.address:
            return view.address
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Re-query in the new order; columns SQL cannot order by are left as they are."""
        if not 0 <= column < len(COLUMNS) or not is_sortable(column):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        key = COLUMNS[column].sort_key
        if key == self._query.order_by and descending == self._query.descending and self._rows:
            return
        self.set_query(replace(self._query, order_by=key or "head_name", descending=descending))
