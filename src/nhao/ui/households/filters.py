"""The row above the household table: a search box that waits for a pause in
typing, and one combo box per filter."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QToolBar, QWidget

from nhao.domain.enums import CaseStatus, Category, HouseClass, Need, Role
from nhao.domain.errors import DomainError
from nhao.services import households as hh
from nhao.services import units
from nhao.ui.context import AppContext

SEARCH_DELAY_MS = 250  # long enough to skip the queries of a word being typed
COMBO_LETTERS = 8


class FilterCombo(QComboBox):
    """A filter box narrower than its entries; its list opens as wide as they are.
    (Qt's Windows style opens the list only as wide as the box, the names cut short.)"""

    def showPopup(self) -> None:
        view = self.view()
        view.setMinimumWidth(
            view.sizeHintForColumn(0) + view.verticalScrollBar().sizeHint().width()
            + 2 * view.frameWidth()
        )
        super().showPopup()


class HouseholdFilterBar(QWidget):
    sig_changed = Signal()
    """The search text (after the pause) or a filter changed."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Name, citizen ID or household code (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Search households"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(190)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.sig_changed)
        self.search.textChanged.connect(self.timer.start)
        self._build_combos(ctx)
        self.clear_action = QAction(self.tr("Clear filters"), self)
        self.clear_action.setToolTip(self.tr("Show every household again"))
        self.clear_action.triggered.connect(self.clear)
        clear = QToolBar()
        clear.addAction(self.clear_action)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search, 2)
        for combo in self.combos():
            layout.addWidget(combo, 1)
            if combo is not self.commune:
                combo.currentIndexChanged.connect(self._combo_changed)
        self.commune.currentIndexChanged.connect(self._commune_changed)
        layout.addWidget(clear)
        chain = (self.search, *self.combos())
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self.refresh_units()

    def _combo(self, all_text: str, tip: str, items: list[tuple[str, str]]) -> QComboBox:
        combo = FilterCombo()
        combo.addItem(all_text, None)
        for text, value in items:
            combo.addItem(text, value)
        combo.setToolTip(tip)
        combo.setAccessibleName(tip)
        # Sized to a few letters, not to the longest entry: six combos as wide as their
        # Vietnamese entries made the window wider than 1366×768 at 125 %. They grow with
        # the room there is; the list that opens shows every entry whole.
        combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        combo.setMinimumContentsLength(COMBO_LETTERS)
        combo.setMaximumWidth(200)
        return combo

    def _build_combos(self, ctx: AppContext) -> None:
        self._db = ctx.db
        self._own_hamlet = ctx.actor.hamlet_code if ctx.actor.role is Role.team_leader else None
        # Filled by refresh_units once in the row (a combo shown before it has a parent
        # would open as a window of its own).
        self.commune = self._combo(self.tr("All communes"), self.tr("Commune"), [])
        self.hamlet = self._combo(self.tr("All hamlets"), self.tr("Hamlet"), [])
        self.category = self._combo(
            self.tr("All categories"), self.tr("Category"),
            [(c.label_vi, c.value) for c in Category],
        )
        self.house = self._combo(
            self.tr("All houses"), self.tr("House classification"),
            [(c.label_vi, c.value) for c in HouseClass],
        )
        self.need = self._combo(
            self.tr("All needs"), self.tr("Need"), [(n.label_vi, n.value) for n in Need]
        )
        self.case = self._combo(
            self.tr("All case statuses"), self.tr("Support case status"),
            [(s.label_vi, s.value) for s in CaseStatus],
        )

    # ---- Public API -------------------------------------------------------------

    def combos(self) -> tuple[QComboBox, ...]:
        return (self.commune, self.hamlet, self.category, self.house, self.need, self.case)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def apply_to(self, query: hh.HouseholdQuery) -> hh.HouseholdQuery:
        """The query with this bar's search and filters (its order kept)."""
        return replace(
            query,
            search=self.search.text().strip(),
            commune_code=self.commune.currentData() or None,
            hamlet_code=self.hamlet.currentData() or None,
            category=_enum(self.category, Category),
            house_class=_enum(self.house, HouseClass),
            need=_enum(self.need, Need),
            case_status=_enum(self.case, CaseStatus),
        )

    def is_filtered(self) -> bool:
        """Whether a person narrowed the list (a team leader's fixed hamlet does not count)."""
        chosen = [c for c in self.combos() if c.isEnabled() and c.currentIndex() > 0]
        return bool(self.search.text().strip() or chosen)

    def clear(self) -> None:
        for combo in self.combos():
            if combo.isEnabled():  # a team leader's hamlet stays chosen
                combo.blockSignals(True)  # one query at the end, not one per combo
                combo.setCurrentIndex(0)
                combo.blockSignals(False)
        self._fill_hamlets()
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._combo_changed()

    def _combo_changed(self) -> None:
        self.timer.stop()  # the typed text goes with this query, no need to wait
        self.sig_changed.emit()

    def _commune_changed(self) -> None:
        self._fill_hamlets()
        self._combo_changed()

    def refresh_units(self) -> None:
        """The communes offered (at a district or province office: those whose bundles
        came in; every commune has its "Thôn 1", so the hamlets offered are the chosen
        commune's) and the hamlets, read again when units arrive or are made."""
        communes = units.list_communes(self._db)
        _refill(self.commune, [(c.name, c.code) for c in communes])
        self.commune.setHidden(not communes)
        self._fill_hamlets()

    def _fill_hamlets(self) -> None:
        if not self.commune.isHidden():
            commune = self.commune.currentData()
            hamlets = units.list_hamlets(self._db, commune) if commune else []
        else:
            try:
                hamlets = units.list_hamlets(self._db)
            except DomainError:  # a district or province station has no hamlets of its own
                hamlets = []
        if self._own_hamlet:
            hamlets = [h for h in hamlets if h.code == self._own_hamlet]
        _refill(self.hamlet, [(h.name, h.code) for h in hamlets])
        if self._own_hamlet and hamlets:
            # A team leader only ever sees their own hamlet: say so instead of offering "All".
            self.hamlet.setCurrentIndex(1)
            self.hamlet.setEnabled(False)
            self.hamlet.setToolTip(  # a greyed filter says why
                self.tr("Your account works on the households of %1 only.").replace(
                    "%1", hamlets[0].name
                )
            )


def _refill(combo: QComboBox, items: list[tuple[str, str]]) -> None:
    """The items after the first ("All …"), the one chosen kept when still there."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    while combo.count() > 1:
        combo.removeItem(1)
    for text, value in items:
        combo.addItem(text, value)
    combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen else 0)
    combo.blockSignals(False)


def _enum(combo: QComboBox, kind):  # type: ignore[no-untyped-def]
    # Combos hand enum data back as plain str; turn it into the enum again.
    data = combo.currentData()
    return kind(data) if data else None
