"""New inspection: the three structures, area and members, with the classification
and the need worked out live by the same rules the service saves with."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QDate, QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nhao.domain.classification import Classification
from nhao.domain.enums import HouseClass, Need
from nhao.domain.errors import DomainError
from nhao.services.households import MAX_MEMBERS, HouseholdView
from nhao.services.inspections import InspectionInput, InspectionView, add_inspection, assess
from nhao.services.settings import programme_settings
from nhao.ui.context import AppContext
from nhao.ui.household_detail.formats import parse_area
from nhao.ui.household_detail.structure_editor import STRUCTURE_FIELDS, StructureEditor
from nhao.ui.task_runner import describe_failure

# Red for houses the programme replaces, amber for repairs, green when adequate.
CLASS_COLOURS = {
    HouseClass.no_house: "#b00020",
    HouseClass.temporary: "#b00020",
    HouseClass.deficient_area: "#b00020",
    HouseClass.dilapidated: "#a15c00",
    HouseClass.adequate: "#2e7d32",
}
ERROR_COLOUR = "#b00020"
NOTES_HEIGHT = 60


class InspectionForm(QDialog):
    """Save stays disabled until the form can be classified and any change of the
    suggested need is explained; the service checks the same again."""

    def __init__(
        self, ctx: AppContext, household: HouseholdView, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._household = household
        self._settings = programme_settings(ctx.db)
        self._ready: InspectionInput | None = None
        self._saving = False
        self.saved: InspectionView | None = None
        self.setWindowTitle(self.tr("New inspection – %1").replace("%1", household.head_name))

        self.inspected_on = QDateEdit(QDate.currentDate())
        self.inspected_on.setDisplayFormat("dd/MM/yyyy")
        self.inspected_on.setCalendarPopup(True)
        self.inspected_on.setMaximumDate(QDate.currentDate())  # not in the future
        self.inspected_on.setMaximumWidth(160)
        self.inspector = QLineEdit(ctx.actor.label)
        self.inspector.setMaximumWidth(320)
        self.has_house = QCheckBox(self.tr("The household has a house"))
        self.has_house.setChecked(True)
        self.structures = StructureEditor()
        self.area = QLineEdit()
        # Both separators: people type "25,5" but the numeric keypad gives "25.5".
        self.area.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"[0-9]{0,4}([.,][0-9]{0,2})?"))
        )
        self.area.setPlaceholderText(self.tr("e.g. 25,5"))
        self.area.setMaximumWidth(120)
        self.members = QSpinBox()
        self.members.setRange(1, MAX_MEMBERS)
        self.members.setValue(max(1, household.members))
        self.members.setMaximumWidth(120)
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(NOTES_HEIGHT)
        self.notes.setTabChangesFocus(True)

        self.class_label = QLabel()
        font = self.class_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.class_label.setFont(font)
        self.need_label = QLabel()
        self.reasons_label = QLabel()
        self.reasons_label.setWordWrap(True)
        self.override = QCheckBox(self.tr("Choose another need"))
        self.override_need = QComboBox()
        for need in Need:
            self.override_need.addItem(need.label_vi, need.value)
        self.override_reason = QLineEdit()
        self.override_reason.setPlaceholderText(self.tr("Reason (required)"))
        self.override_box = QWidget()
        override_form = QFormLayout(self.override_box)
        override_form.setContentsMargins(0, 0, 0, 0)
        override_form.addRow(self.tr("Need"), self.override_need)
        override_form.addRow(self.tr("Reason"), self.override_reason)
        self.override_box.setVisible(False)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(f"color: {ERROR_COLOUR}")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("Save inspection"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        self._connect()
        self.refresh_assessment()
        self._as_opened = self._typed()

    def _lay_out(self) -> None:
        facts = QFormLayout()
        facts.addRow(self.tr("Inspection date"), self.inspected_on)
        facts.addRow(self.tr("Inspector"), self.inspector)
        facts.addRow("", self.has_house)
        sizes = QFormLayout()
        area_row = QHBoxLayout()
        area_row.addWidget(self.area)
        area_row.addWidget(QLabel("m²"))
        area_row.addStretch(1)
        sizes.addRow(self.tr("Usable area"), area_row)
        sizes.addRow(self.tr("Members"), self.members)
        sizes.addRow(self.tr("Notes"), self.notes)
        left = QVBoxLayout()
        left.addLayout(facts)
        left.addWidget(self.structures)
        left.addLayout(sizes)
        left.addStretch(1)

        result = QGroupBox(self.tr("Classification"))
        result.setMinimumWidth(280)
        result.setMaximumWidth(340)
        right = QVBoxLayout(result)
        right.addWidget(self.class_label)
        right.addWidget(self.need_label)
        right.addWidget(self.reasons_label)
        right.addSpacing(12)
        right.addWidget(self.override)
        right.addWidget(self.override_box)
        right.addStretch(1)
        right.addWidget(self.problem_label)

        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(result)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(self.buttons)

    def _connect(self) -> None:
        refresh = self.refresh_assessment
        self.has_house.toggled.connect(refresh)
        self.structures.sig_changed.connect(refresh)
        self.area.textChanged.connect(refresh)
        self.members.valueChanged.connect(refresh)
        self.override.toggled.connect(self._override_toggled)
        self.override_need.currentIndexChanged.connect(refresh)
        self.override_reason.textChanged.connect(refresh)

    def _override_toggled(self, on: bool) -> None:
        self.override_box.setVisible(on)
        if on:
            self.override_reason.setFocus()
        self.refresh_assessment()

    def _read(self) -> InspectionInput:
        """The form as the service's input; ValueError when the area is not a number."""
        has_house = self.has_house.isChecked()
        structures = {f: self.structures.value(f) if has_house else None for f in STRUCTURE_FIELDS}
        overriding = self.override.isChecked()
        return InspectionInput(
            inspected_on=self.inspected_on.date().toPython(),
            inspector=self.inspector.text(),
            has_house=has_house,
            usable_area_m2=parse_area(self.area.text()) if has_house else None,
            members=self.members.value(),
            notes=self.notes.toPlainText(),
            need_override=Need(self.override_need.currentData()) if overriding else None,
            need_override_reason=self.override_reason.text() if overriding else "",
            **structures,
        )

    def refresh_assessment(self) -> None:
        """Classify what is on the form now, and say what still blocks saving."""
        has_house = self.has_house.isChecked()
        self.structures.setEnabled(has_house)
        self.area.setEnabled(has_house)
        self._ready = None
        problem = ""
        try:
            data = self._read()
        except ValueError:
            data = None
            problem = self.tr("Usable area must be a number of square metres, e.g. 25,5.")
            self._show_unclassified(problem)
        if data is not None:
            suggested_input = replace(data, need_override=None, need_override_reason="")
            try:
                suggestion = assess(suggested_input, self._settings).classification
            except DomainError as error:  # e.g. a structure not assessed yet
                self._show_unclassified(str(error))
            else:
                self._show_classification(suggestion, data.need_override or suggestion.need)
                try:
                    assess(data, self._settings)  # refuses a changed need without a reason
                    self._ready = data
                except DomainError as error:
                    problem = str(error)
        self.problem_label.setText(problem)
        self.save_button.setEnabled(self._ready is not None and not self._saving)

    def _show_unclassified(self, why: str) -> None:
        self.class_label.setText(self.tr("Not classified yet"))
        self.class_label.setStyleSheet("")
        self.need_label.setText("")
        self.reasons_label.setText(why)

    def _show_classification(self, suggestion: Classification, need: Need) -> None:
        self.class_label.setText(suggestion.house_class.label_vi)
        self.class_label.setStyleSheet(f"color: {CLASS_COLOURS[suggestion.house_class]}")
        text = self.tr("Need: %1").replace("%1", need.label_vi)
        if need != suggestion.need:
            text += " " + self.tr("(suggested: %1)").replace("%1", suggestion.need.label_vi)
        self.need_label.setText(text)
        self.reasons_label.setText("\n".join(suggestion.reasons))

    def save(self) -> None:
        self.refresh_assessment()  # date, inspector and notes change without a refresh
        data = self._ready
        if data is None or self._saving:
            return
        self._saving = True
        self.save_button.setEnabled(False)
        ctx, household_id = self._ctx, self._household.id

        def work(progress, cancel):  # type: ignore[no-untyped-def]
            return add_inspection(ctx.db, ctx.actor, household_id, data)

        ctx.runner.run(
            work,
            parent=self,
            title=self.tr("Saving the inspection"),
            on_success=self._saved,
            on_failure=self._failed,
        )

    def _saved(self, view: InspectionView) -> None:
        self.saved = view
        self._saving = False
        self._ctx.changed("inspection", "household")
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._saving = False
        self.refresh_assessment()
        self._ctx.prompts.error(self, self.tr("Inspection not saved"), describe_failure(error))

    def _typed(self) -> tuple:  # type: ignore[type-arg]
        """Everything on the form, whether or not it reads as an inspection yet."""
        return (
            self.inspected_on.date(), self.inspector.text(), self.has_house.isChecked(),
            tuple(self.structures.value(f) for f in STRUCTURE_FIELDS), self.area.text(),
            self.members.value(), self.notes.toPlainText(), self.override.isChecked(),
            self.override_need.currentIndex(), self.override_reason.text(),
        )

    def reject(self) -> None:
        if self._saving:  # the save in flight reports back to this dialog
            return
        if self._ctx.prompts.may_discard(self, self._typed() != self._as_opened):
            super().reject()

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        # Enter in a field must not save a half-read form; Save is a deliberate click.
        # Accepted here, or the key would travel on to the detail dialog and close it.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)
