"""One household in detail: its key facts on top, then inspections, photos and
documents, and history in tabs."""

from __future__ import annotations

from PySide6.QtCore import QMetaObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nhao.domain.errors import DomainError
from nhao.services.households import HouseholdView, get_household
from nhao.ui.context import AppContext
from nhao.ui.household_detail.attachments_tab import AttachmentsTab
from nhao.ui.household_detail.history_tab import HistoryTab
from nhao.ui.household_detail.inspection_form import CLASS_COLOURS, ERROR_COLOUR
from nhao.ui.household_detail.inspections_tab import InspectionsTab
from nhao.ui.households.form import HouseholdFormDialog

# Room for the form and a grid of thumbnails, yet inside a 1366×768 screen.
PREFERRED_SIZE = (1040, 660)
SCREEN_MARGIN = 40
# What the dialog shows, by the entity names pages pass to ctx.changed().
HEADER_ENTITIES = frozenset({"household", "inspection"})
INSPECTION_ENTITIES = frozenset({"household", "inspection"})
ATTACHMENT_ENTITIES = frozenset({"household", "attachment"})
# Everything the history service gathers for a household (services/history.py).
HISTORY_ENTITIES = frozenset(
    {"household", "inspection", "attachment", "case", "support_case", "case_support"}
)


class HouseholdDetailDialog(QDialog):
    """Esc closes (QDialog's own reject). Every tab follows ctx.hub, so a change made
    here or in another window shows without reopening."""

    def __init__(self, ctx: AppContext, household_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.household_id = household_id
        self.household: HouseholdView | None = None
        self.setWindowTitle(self.tr("Household"))

        self.name_label = QLabel()
        font = self.name_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.name_label.setFont(font)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts: dict[str, QLabel] = {}
        facts = QGridLayout()
        facts.setHorizontalSpacing(16)
        labels = (
            ("hamlet", self.tr("Hamlet")),
            ("citizen_id", self.tr("Citizen ID")),
            ("household_code", self.tr("Household code")),
            ("categories", self.tr("Categories")),
            ("members", self.tr("Members")),
            ("house_class", self.tr("House")),
            ("need", self.tr("Need")),
        )
        for i, (key, text) in enumerate(labels):
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            self.facts[key] = value
            caption = QLabel(text + ":")
            caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            facts.addWidget(caption, i // 2, (i % 2) * 2)
            facts.addWidget(value, i // 2, (i % 2) * 2 + 1)
        facts.setColumnStretch(1, 1)
        facts.setColumnStretch(3, 1)

        self.inspections = InspectionsTab(ctx, lambda: self.household)
        self.attachments = AttachmentsTab(ctx, lambda: self.household)
        self.history = HistoryTab(ctx, lambda: self.household)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.inspections, self.tr("Inspections"))
        self.tabs.addTab(self.attachments, self.tr("Photos and documents"))
        self.tabs.addTab(self.history, self.tr("History"))
        self.inspections.sig_count_changed.connect(
            lambda n: self._count_tab(self.inspections, self.tr("Inspections (%1)"), n)
        )
        self.attachments.sig_count_changed.connect(
            lambda n: self._count_tab(self.attachments, self.tr("Photos and documents (%1)"), n)
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        # Phone, address, land and notes are on the household's form only: a viewer, who
        # has no Edit on the page, reads them here (the form is then read-only).
        self.form_button = buttons.addButton(
            self.tr("Household details…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.form_button.clicked.connect(self.open_form)
        self.form_dialog: HouseholdFormDialog | None = None

        layout = QVBoxLayout(self)
        layout.addWidget(self.name_label)
        layout.addLayout(facts)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        # Enter (after a search, on a row of a table) pressed the first button a dialog
        # finds, "New inspection…", and opened a form nobody asked for.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
        self._fit_to_screen()
        self._connection: QMetaObject.Connection | None = ctx.hub.sig_changed.connect(
            self.on_data_changed
        )
        self.reload()

    def _fit_to_screen(self) -> None:
        width, height = PREFERRED_SIZE
        screen = self.screen()
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, available.width() - SCREEN_MARGIN)
            height = min(height, available.height() - SCREEN_MARGIN)
        self.resize(width, height)

    def open_form(self) -> None:
        """The household's form over this dialog (open(), so tests can fill it in)."""
        if self.household is None:
            return
        self.form_dialog = HouseholdFormDialog(self.ctx, self.household, parent=self)
        self.form_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.form_dialog.finished.connect(lambda _result: setattr(self, "form_dialog", None))
        self.form_dialog.open()

    def _count_tab(self, tab: QWidget, text: str, count: int) -> None:
        self.tabs.setTabText(self.tabs.indexOf(tab), text.replace("%1", str(count)))

    # -- data ------------------------------------------------------------------

    def reload(self) -> None:
        """Everything afresh: on opening, and when the household itself changed."""
        self._load_header()
        self.inspections.refresh()
        self.attachments.refresh()
        self.history.refresh()

    def on_data_changed(self, entities: frozenset) -> None:
        # The hub names kinds of record, not which household: anything of these kinds
        # may concern this one, and a refetch of one household is cheap.
        if entities & HEADER_ENTITIES:
            self._load_header()
        if entities & INSPECTION_ENTITIES:
            self.inspections.refresh()
        if entities & ATTACHMENT_ENTITIES:
            self.attachments.refresh()
        if entities & HISTORY_ENTITIES:
            self.history.refresh()

    def _load_header(self) -> None:
        try:
            household = get_household(self.ctx.db, self.ctx.actor, self.household_id)
        except DomainError as error:  # removed elsewhere, or out of this account's reach
            self.household = None
            self.form_button.setEnabled(False)
            self.name_label.setText(str(error))
            self.name_label.setStyleSheet(f"color: {ERROR_COLOUR}")
            for value in self.facts.values():
                value.clear()
            return
        self.household = household
        self.form_button.setEnabled(True)
        self.setWindowTitle(self.tr("Household – %1").replace("%1", household.head_name))
        name = household.head_name
        if household.deleted_at is not None:
            name += " " + self.tr("(deleted)")
        self.name_label.setText(name)
        self.name_label.setStyleSheet("")
        categories = sorted(c.label_vi for c in household.categories)
        house_class = household.house_class
        self.facts["hamlet"].setText(household.hamlet_name)
        self.facts["citizen_id"].setText(household.citizen_id or self.tr("not recorded"))
        self.facts["household_code"].setText(household.household_code)
        self.facts["categories"].setText(", ".join(categories) or self.tr("none"))
        self.facts["members"].setText(str(household.members))
        self.facts["house_class"].setText(
            house_class.label_vi if house_class else self.tr("not inspected yet")
        )
        self.facts["house_class"].setStyleSheet(
            f"color: {CLASS_COLOURS[house_class]}; font-weight: bold" if house_class else ""
        )
        self.facts["need"].setText(household.need.label_vi if household.need else "—")

    def done(self, result: int) -> None:
        # A closed dialog that is not yet deleted must stop refreshing from the hub.
        if self._connection is not None:
            self.ctx.hub.sig_changed.disconnect(self._connection)
            self._connection = None
        super().done(result)
