"""The columns page: what each column of the file holds, filled in from its header
and correctable, one combo box per column; optionally remembered for next time."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from nhao.domain.enums import UnitLevel
from nhao.services import units
from nhao.services.household_import import (
    FIELD_LABELS,
    IGNORED,
    Layout,
    column_letter,
    year_mapped_twice,
)
from nhao.ui.household_import.base import ERROR_COLOUR, NOTE_COLOUR, WizardPage, message_label
from nhao.ui.household_import.models import cell_text

EXAMPLES = 3  # values shown under each header
HEADER_WIDTH = 260


class ColumnChoice(QComboBox):
    """A column's field, left to the wheel of the page around it: turned to scroll down
    a list of many columns, it changed each choice it passed over, nothing said."""

    def __init__(self) -> None:
        super().__init__()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel gives it no focus

    def wheelEvent(self, event: QWheelEvent) -> None:
        event.ignore()  # on to the scroll area


class MappingPage(WizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Columns"))
        self.setSubTitle(
            self.tr(
                "What each column of the file holds, worked out from its header. "
                "Correct any that is wrong; columns set to “not imported” are left out."
            )
        )
        self.combos: dict[int, QComboBox] = {}
        self._built_for: tuple[object, str, Layout] | None = None
        self.grid_box = QWidget()
        self.grid = QGridLayout(self.grid_box)
        self.grid.setColumnStretch(3, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.StyledPanel)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the columns inside
        scroll.setWidget(self.grid_box)
        self.hamlet = QComboBox()
        self.remember = QCheckBox(self.tr("Remember this mapping for the next file"))
        self.remember.setToolTip(
            self.tr("Columns with the same header will be read the same way next time.")
        )
        self.problem_label = message_label(ERROR_COLOUR)
        self.note_label = message_label(NOTE_COLOUR)
        self.hamlet.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.hamlet.currentIndexChanged.connect(lambda _i: self._validate())
        hamlet = QHBoxLayout()
        hamlet.addWidget(self.hamlet)
        hamlet.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("Hamlet of rows that name none:"), hamlet)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.note_label)
        layout.addLayout(form)
        layout.addWidget(self.remember)

    # -- building ----------------------------------------------------------------

    def initializePage(self) -> None:
        look = self.w.look
        if look is None or look.layout is None:
            return
        key = (self.w.file, look.sheet, look.layout)
        if key != self._built_for:  # keep corrections when only going back and forth
            self._built_for = key
            # Another file, sheet or header row: its row numbers are other households.
            self.w.choices.row_actions.clear()
            self._build(look.layout, look.households)
            self._fill_hamlets()
        self._validate()

    def _build(self, layout: Layout, data: list[list[object]]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.combos.clear()
        for column, text in enumerate(
            (self.tr("Column"), self.tr("Header in the file"), self.tr("Holds"),
             self.tr("Examples"))
        ):
            title = QLabel(f"<b>{text}</b>")
            self.grid.addWidget(title, 0, column)
        for line, (column, header) in enumerate(sorted(layout.headers.items()), start=1):
            letter = QLabel(column_letter(column))
            letter.setAlignment(Qt.AlignmentFlag.AlignCenter)
            name = QLabel(header)
            name.setWordWrap(True)
            name.setMaximumWidth(HEADER_WIDTH)
            examples = [cell_text(cells[column]) for cells in data if column < len(cells)]
            shown = "; ".join([e for e in examples if e][:EXAMPLES])
            example = QLabel(shown)
            example.setStyleSheet(f"color: {NOTE_COLOUR}")
            example.setToolTip(shown)
            combo = ColumnChoice()
            combo.addItem(self.tr("— not imported —"), IGNORED)
            for field, label in FIELD_LABELS.items():
                combo.addItem(label, field)
            combo.setCurrentIndex(max(combo.findData(layout.mapping.get(column, IGNORED)), 0))
            combo.currentIndexChanged.connect(lambda _i: self._validate())
            combo.setAccessibleName(self.tr("Column %1").replace("%1", column_letter(column)))
            self.combos[column] = combo
            for position, widget in enumerate((letter, name, combo, example)):
                self.grid.addWidget(widget, line, position)
        self.grid.setRowStretch(len(layout.headers) + 1, 1)
        # Made after the boxes below them: Tab goes down the page, not from its foot up.
        chain = [*self.combos.values(), self.hamlet, self.remember]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _own_hamlet(self) -> str | None:
        """The one hamlet the rows can be of: a team leader's, or a hamlet laptop's."""
        ctx = self.w.ctx
        station = ctx.station.unit
        return ctx.actor.hamlet_code or (
            station.code if station.level is UnitLevel.hamlet else None
        )

    def _fill_hamlets(self) -> None:
        ctx = self.w.ctx
        self.hamlet.clear()
        if own := self._own_hamlet():  # the rows that name none are of it, always
            names = units.hamlet_names(ctx.db)  # type: ignore[arg-type]
            self.hamlet.addItem(names.get(own, ""), None)
            self.hamlet.setEnabled(False)
            return
        self.hamlet.addItem(self.tr("(none chosen)"), None)
        for hamlet in units.list_hamlets(ctx.db):  # type: ignore[arg-type]
            self.hamlet.addItem(hamlet.name, hamlet.name)
        if self.w.choices.hamlet:
            self.hamlet.setCurrentIndex(max(self.hamlet.findData(self.w.choices.hamlet), 0))

    # -- checking ----------------------------------------------------------------

    def mapping(self) -> dict[int, str]:
        return {c: combo.currentData() for c, combo in self.combos.items() if combo.currentData()}

    def problems(self) -> list[str]:
        chosen = self.mapping()
        found: list[str] = []
        if "head_name" not in chosen.values():
            found.append(
                self.tr("Choose the column that holds the name of the head of household.")
            )
        by_field: dict[str, list[str]] = {}
        for column, field in sorted(chosen.items()):
            by_field.setdefault(field, []).append(column_letter(column))
        for field, letters in by_field.items():
            if len(letters) > 1:
                found.append(
                    self.tr("“%1” is chosen for more than one column: %2.")
                    .replace("%1", FIELD_LABELS[field])
                    .replace("%2", ", ".join(letters))
                )
        if year_mapped_twice(chosen):
            found.append(
                self.tr(
                    "The birth year is chosen both as one column and as the columns by sex "
                    "(men, women): choose one way."
                )
            )
        return found

    def _validate(self) -> None:
        problems = self.problems()
        self.problem_label.setText("\n".join(problems))
        self.problem_label.setVisible(bool(problems))
        mapping = self.mapping()
        notes = []
        look = self.w.look
        named = look.named_hamlet if look is not None else None
        address = next((c for c, f in mapping.items() if f == "address"), None)
        if "hamlet" not in mapping.values() and address is not None:
            # As the check will: each row's hamlet is the one its address names.
            said = self.tr(
                "No column holds the hamlet: each row takes the hamlet its address names "
                "(column %1); a row whose address names none takes the hamlet chosen below."
            )
            notes.append(said.replace("%1", column_letter(address)))
        hamlet_free = self.hamlet.currentData() is None and not self._own_hamlet()
        if "hamlet" in mapping.values() and named and hamlet_free:
            # As the check will: a blank hamlet cell is the title's or the sheet's hamlet.
            said = self.tr(
                "Rows whose hamlet cell is empty go to %1 (%2), unless another hamlet is "
                "chosen below."
            )
            notes.append(said.replace("%1", named[0]).replace("%2", named[1]))
        if "hamlet" not in mapping.values() and not self._own_hamlet():
            if named and self.hamlet.currentData() is None:
                # As the check will say: the sheet's name or the title gives the hamlet.
                said = self.tr(
                    "No column holds the hamlet: the rows that name none go to %1 (%2), "
                    "unless another hamlet is chosen below."
                )
                notes.append(said.replace("%1", named[0]).replace("%2", named[1]))
            elif address is None:
                notes.append(
                    self.tr(
                        "No column holds the hamlet: choose the hamlet of the whole file "
                        "below, unless the list names hamlets in group title rows."
                    )
                )
        if look is not None and look.layout is not None:
            # A column shown as not imported may still be read ("Số CMND" where "Số
            # CCCD" is empty): said as the import will, for the columns as chosen now.
            layout = look.layout
            chosen = replace(
                layout,
                mapping=mapping,
                shadowed={c: f for c, f in layout.shadowed.items() if c not in mapping},
            )
            notes += chosen.shadowed_notes()
        self.note_label.setText("\n".join(notes))
        self.note_label.setVisible(bool(notes))
        self.completeChanged.emit()

    def ready(self) -> bool:
        return bool(self.combos) and not self.problems()

    def validatePage(self) -> bool:
        choices = self.w.choices
        mapping = self.mapping()
        if mapping != choices.mapping or self.hamlet.currentData() != choices.hamlet:
            choices.row_actions.clear()  # rows may now match other households
        choices.mapping = mapping
        choices.hamlet = self.hamlet.currentData()
        choices.remember = self.remember.isChecked()  # saved with the check that follows
        return True
