"""The household form (new or edit), checked as you type by the same rules the
services apply; each message sits under its field, in the services' Vietnamese."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nhao.domain.enums import Category, Role, Sex
from nhao.domain.errors import DomainError, ValidationError
from nhao.domain.ethnicities import ETHNICITIES
from nhao.services import households as hh
from nhao.services import units
from nhao.services.actor import Permission
from nhao.ui.context import AppContext
from nhao.ui.households.messages import FieldMessages
from nhao.ui.task_runner import describe_failure

PERSON_COLUMN_WIDTH = 400  # the whole form still fits a 1366×768 screen
LAND_FIELDS = ("lawful_land_use", "land_certificate", "land_dispute", "hazard_zone")


def _year(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


class HouseholdFormDialog(QDialog):
    """Add a household (``existing`` None) or change one."""

    def __init__(
        self,
        ctx: AppContext,
        existing: hh.HouseholdView | None,
        parent: QWidget | None = None,
        *,
        hamlet_code: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.existing = existing
        self.saved: hh.HouseholdView | None = None
        # A deleted household is shown, not changed (the service refuses it anyway).
        self.read_only = not ctx.actor.can(Permission.write_households) or (
            existing is not None and existing.deleted_at is not None
        )
        self._saving = False
        self.messages = FieldMessages()
        self.setWindowTitle(
            self.tr("New household") if existing is None
            else self.tr("Household of %1").replace("%1", existing.head_name)
        )
        self._build_fields()
        self._build_layout()
        self._fill(existing, hamlet_code)
        self._as_opened = self.form_input()  # what Esc or Cancel would throw away is the rest
        self._connect()
        if existing is not None:
            self.messages.touch_all()  # a stored household shows what is wrong with it at once
        if self.read_only:
            for widget in self._editors():
                widget.setEnabled(False)
        self.revalidate()
        self.head_name.setFocus()

    # ---- Building -----------------------------------------------------------------

    def _build_fields(self) -> None:
        self.hamlet = QComboBox()
        self.hamlet.setPlaceholderText(self.tr("Choose a hamlet"))
        # Read-only: lists already printed name the household by it, and an import finds
        # it again by it; a code typed by hand could be another household's.
        self.household_code = QLabel()
        self._code = ""
        self.household_code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.head_name = QLineEdit()
        self.head_name.setMaxLength(200)
        self.citizen_id = QLineEdit()
        self.citizen_id.setMaxLength(20)
        self.citizen_id.setPlaceholderText(self.tr("12 digits"))
        year = QRegularExpressionValidator(r"[0-9]{0,4}")
        self.birth_year = QLineEdit()
        self.birth_year.setValidator(year)
        self.birth_year.setPlaceholderText(self.tr("e.g. 1968"))
        self.sex = QComboBox()
        self.sex.addItem(self.tr("Not given"), None)
        for sex in Sex:
            self.sex.addItem(sex.label_vi, sex.value)
        self.ethnicity = QComboBox()
        self.ethnicity.setEditable(True)
        self.ethnicity.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.ethnicity.addItems(list(ETHNICITIES))
        self.ethnicity.setMaxVisibleItems(15)
        self.phone = QLineEdit()
        self.phone.setMaxLength(20)
        self.phone.setPlaceholderText(self.tr("e.g. 0912345678"))
        self.address = QLineEdit()
        self.address.setMaxLength(300)
        self.categories = {c: QCheckBox(c.label_vi) for c in Category}
        self.poverty_list_year = QLineEdit()
        self.poverty_list_year.setValidator(QRegularExpressionValidator(r"[0-9]{0,4}"))
        self.poverty_list_year.setPlaceholderText(str(date.today().year))
        self.members = QSpinBox()
        # Wider than the rules allow, so the service's own message explains the limit.
        self.members.setRange(0, 99)
        self.lawful_land_use = QCheckBox(self.tr("Land used lawfully"))
        self.land_certificate = QCheckBox(self.tr("Has a land-use certificate"))
        self.land_dispute = QCheckBox(self.tr("Land under dispute"))
        self.hazard_zone = QCheckBox(self.tr("In a landslide or flood hazard zone"))
        self.certified_able_to_build = QCheckBox(
            self.tr("Certified able to build (labour or family support)")
        )
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(64)

    def _build_layout(self) -> None:
        m = self.messages
        person = QGroupBox(self.tr("Head of household"))
        left = QFormLayout(person)
        left.addRow(self.tr("Hamlet *"), m.under(self.hamlet, "hamlet_code"))
        left.addRow(self.tr("Full name *"), m.under(self.head_name, "head_name"))
        left.addRow(self.tr("Citizen ID"), m.under(self.citizen_id, "citizen_id"))
        left.addRow(self.tr("Birth year"), m.under(self.birth_year, "birth_year"))
        left.addRow(self.tr("Sex"), self.sex)
        left.addRow(self.tr("Ethnicity"), m.under(self.ethnicity, "ethnicity"))
        left.addRow(self.tr("Phone"), m.under(self.phone, "phone"))
        left.addRow(self.tr("Address"), m.under(self.address, "address"))
        situation = QGroupBox(self.tr("Situation"))
        right = QFormLayout(situation)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        for i, box in enumerate(self.categories.values()):
            grid.addWidget(box, i, 0)
        right.addRow(self.tr("Categories"), m.under(None, "categories", layout=grid))
        right.addRow(
            self.tr("Poverty-list year"),
            m.under(self.poverty_list_year, "poverty_list_year"),
        )
        right.addRow(self.tr("Members *"), m.under(self.members, "members"))
        land = QGridLayout()
        land.setContentsMargins(0, 0, 0, 0)
        for i, box in enumerate(self._land_boxes()):
            land.addWidget(box, i, 0)
        right.addRow(self.tr("Land"), m.under(None, *LAND_FIELDS, layout=land))
        right.addRow("", self.certified_able_to_build)
        columns = QHBoxLayout()
        columns.addWidget(person, 1)
        columns.addWidget(situation, 1)
        notes = QFormLayout()
        notes.addRow(self.tr("Notes"), m.under(self.notes, "notes"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("Save"))
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(self.tr("Close") if self.read_only else self.tr("Cancel"))
        self.save_button.setVisible(not self.read_only)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(self.tr("* required")))
        bottom.addSpacing(24)
        # Beside the buttons, not a row of the person's column: the form fits a 768 px
        # screen, and one row more there left a message under a field no room.
        bottom.addWidget(QLabel(self.tr("Household code:")))
        bottom.addWidget(self.household_code)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addLayout(notes)
        layout.addLayout(bottom)
        # No fixed minimum width for the dialog: a set minimum stops the layout from
        # widening it, and the Vietnamese labels need more than English ones. The
        # person's column gets room of its own for a full name and the messages under
        # the fields, which would otherwise wrap into lines the form cannot show.
        person.setMinimumWidth(PERSON_COLUMN_WIDTH)

    def _land_boxes(self) -> tuple[QCheckBox, ...]:
        return (self.lawful_land_use, self.land_certificate, self.land_dispute, self.hazard_zone)

    def _editors(self) -> list[QWidget]:
        """Every input in tab order."""
        return [
            self.hamlet, self.head_name, self.citizen_id, self.birth_year, self.sex,
            self.ethnicity, self.phone, self.address, *self.categories.values(),
            self.poverty_list_year, self.members, *self._land_boxes(),
            self.certified_able_to_build, self.notes,
        ]

    def _fill(self, existing: hh.HouseholdView | None, hamlet_code: str | None) -> None:
        try:
            hamlets = units.list_hamlets(self.ctx.db)
        except DomainError:
            hamlets = []
        actor = self.ctx.actor
        if actor.role is Role.team_leader:
            hamlets = [h for h in hamlets if h.code == actor.hamlet_code]
        for hamlet in hamlets:
            self.hamlet.addItem(hamlet.name, hamlet.code)
        if not hamlets:  # a commune set up anew: say where hamlets are made
            self.messages.refuse("hamlet_code", self.tr(
                "The commune has no hamlet yet: an administrator adds them under "
                "Settings → Add hamlet."
            ))
        data = existing.as_input() if existing else hh.HouseholdInput(
            hamlet_code=hamlet_code or (hamlets[0].code if len(hamlets) == 1 else ""),
            head_name="",
        )
        self.hamlet.setCurrentIndex(self.hamlet.findData(data.hamlet_code))
        self._code = data.household_code  # kept as it is on saving
        self.household_code.setText(data.household_code or self.tr("given when saved"))
        self.head_name.setText(data.head_name)
        self.citizen_id.setText(data.citizen_id)
        self.birth_year.setText(str(data.birth_year) if data.birth_year else "")
        self.sex.setCurrentIndex(max(0, self.sex.findData(data.sex.value if data.sex else None)))
        self.ethnicity.setCurrentIndex(-1)
        self.ethnicity.setEditText(data.ethnicity)
        self.phone.setText(data.phone)
        self.address.setText(data.address)
        for category, box in self.categories.items():
            box.setChecked(category in data.categories)
        year = data.poverty_list_year
        self.poverty_list_year.setText(str(year) if year else "")
        self.members.setValue(data.members)
        for name in LAND_FIELDS + ("certified_able_to_build",):
            getattr(self, name).setChecked(getattr(data, name))
        self.notes.setPlainText(data.notes)

    def _connect(self) -> None:
        def touch(*fields: str):  # type: ignore[no-untyped-def]
            return lambda *_args: self._edited(fields)

        self.hamlet.currentIndexChanged.connect(touch("hamlet_code"))
        self.head_name.textChanged.connect(touch("head_name"))
        self.citizen_id.textChanged.connect(touch("citizen_id"))
        # The citizen ID is checked against birth year and sex, so those touch it too.
        self.birth_year.textChanged.connect(touch("birth_year", "citizen_id"))
        self.sex.currentIndexChanged.connect(touch("citizen_id"))
        self.ethnicity.editTextChanged.connect(touch("ethnicity"))
        self.phone.textChanged.connect(touch("phone"))
        self.address.textChanged.connect(touch("address"))
        for box in self.categories.values():
            box.toggled.connect(touch("categories"))
        self.poverty_list_year.textChanged.connect(touch("poverty_list_year"))
        self.members.valueChanged.connect(touch("members"))
        for box in self._land_boxes():
            box.toggled.connect(touch(*LAND_FIELDS))
        self.certified_able_to_build.toggled.connect(touch())
        self.notes.textChanged.connect(touch("notes"))
        editors = self._editors()
        for first, second in zip(editors, editors[1:], strict=False):
            QWidget.setTabOrder(first, second)
        QWidget.setTabOrder(editors[-1], self.save_button)
        QWidget.setTabOrder(self.save_button, self.cancel_button)

    # ---- Checking -----------------------------------------------------------------

    def form_input(self) -> hh.HouseholdInput:
        sex = self.sex.currentData()
        return hh.HouseholdInput(
            hamlet_code=self.hamlet.currentData() or "",
            head_name=self.head_name.text(),
            citizen_id=self.citizen_id.text().strip(),
            birth_year=_year(self.birth_year.text()),
            sex=Sex(sex) if sex else None,
            ethnicity=self.ethnicity.currentText().strip(),
            phone=self.phone.text().strip(),
            address=self.address.text(),
            categories=frozenset(c for c, box in self.categories.items() if box.isChecked()),
            poverty_list_year=_year(self.poverty_list_year.text()),
            members=self.members.value(),
            lawful_land_use=self.lawful_land_use.isChecked(),
            land_certificate=self.land_certificate.isChecked(),
            land_dispute=self.land_dispute.isChecked(),
            hazard_zone=self.hazard_zone.isChecked(),
            certified_able_to_build=self.certified_able_to_build.isChecked(),
            notes=self.notes.toPlainText(),
            household_code=self._code,
        )

    def _edited(self, fields: tuple[str, ...]) -> None:
        self.messages.touch(*fields)
        self.revalidate()

    def revalidate(self) -> hh.FormCheck:
        """Put each touched field's messages under it; Save only while nothing is wrong."""
        check = hh.check_household(self.form_input())
        errors = self.messages.show(check.errors, check.warnings)
        self.save_button.setEnabled(not errors and not self._saving and not self.read_only)
        return check

    def message(self, field: str) -> str:
        return self.messages.text(field)

    def reject(self) -> None:
        if self._saving:  # the save in flight reports back to this dialog
            return
        typed = not self.read_only and self.form_input() != self._as_opened
        if self.ctx.prompts.may_discard(self, typed):
            super().reject()

    # ---- Saving -------------------------------------------------------------------

    def save(self) -> None:
        if self.read_only or self._saving:
            return
        data = self.form_input()
        if not hh.check_household(data).ok:
            self.messages.touch_all()  # a stored household shows what is wrong with it at once
            self.revalidate()
            return
        self._saving = True
        self.revalidate()
        db, actor = self.ctx.db, self.ctx.actor
        existing_id = self.existing.id if self.existing else None

        def work(_progress, _cancel) -> hh.HouseholdView:  # type: ignore[no-untyped-def]
            if existing_id is None:
                return hh.create_household(db, actor, data)
            return hh.update_household(db, actor, existing_id, data)

        self.ctx.runner.run(
            work, parent=self, title=self.tr("Saving the household"),
            on_success=self._saved, on_failure=self._failed,
        )

    def _saved(self, view: hh.HouseholdView) -> None:
        self._saving = False
        self.saved = view
        self.ctx.changed("household")
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._saving = False
        shown = isinstance(error, ValidationError) and self.messages.refuse(
            error.field or "", error.message
        )
        self.revalidate()
        if not shown:
            self.ctx.prompts.error(self, self.windowTitle(), describe_failure(error))
