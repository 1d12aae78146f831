"""The three main structures of a house, each durable or not, sound or damaged, with
its material: the heart of an inspection (DESIGN.md §2)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QRadioButton,
    QWidget,
)

from nhao.services.inspections import StructureInput

STRUCTURE_FIELDS = ("foundation", "frame_walls", "roof")
# Suggestions only: inspectors write what they see, so the combo stays editable.
# These are the words of the programme's own forms, stored as typed, never translated.
COMMON_MATERIALS = (
    "bê tông",
    "bê tông cốt thép",
    "gạch",
    "đá",
    "gỗ",
    "tre nứa",
    "đất",
    "tôn",
    "ngói",
    "fibro xi măng",
    "lá",
    "bạt, nilon",
)


def structure_label(field: str) -> str:
    """The structure's name in the window's language (nền – móng, khung – tường, mái)."""
    names = {
        "foundation": QCoreApplication.translate("Structures", "Foundation"),
        "frame_walls": QCoreApplication.translate("Structures", "Frame and walls"),
        "roof": QCoreApplication.translate("Structures", "Roof"),
    }
    return names[field]


def structure_text(structure: StructureInput | None) -> str:
    """“not durable, damaged, tôn” — for lists and tooltips."""
    if structure is None:
        return QCoreApplication.translate("Structures", "not assessed")
    parts = [
        QCoreApplication.translate("Structures", "durable")
        if structure.durable
        else QCoreApplication.translate("Structures", "not durable"),
        QCoreApplication.translate("Structures", "damaged")
        if structure.damaged
        else QCoreApplication.translate("Structures", "sound"),
    ]
    if structure.material:
        parts.append(structure.material)
    return ", ".join(parts)


@dataclass(frozen=True)
class StructureRow:
    """The widgets of one structure; tests reach them by field name."""

    durable: QRadioButton
    not_durable: QRadioButton
    sound: QRadioButton
    damaged: QRadioButton
    material: QComboBox
    durability: QButtonGroup
    condition: QButtonGroup


class StructureEditor(QGroupBox):
    """Durability starts unanswered on purpose: the inspector must decide each one."""

    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Main structures"), parent)
        grid = QGridLayout(self)
        grid.setHorizontalSpacing(12)
        headings = (  # (text, column, columns spanned)
            (self.tr("Structure"), 0, 1),
            (self.tr("Durability"), 1, 2),
            (self.tr("Condition"), 3, 2),
            (self.tr("Material"), 5, 1),
        )
        for text, column, span in headings:
            heading = QLabel(text)
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            grid.addWidget(heading, 0, column, 1, span)
        self.rows: dict[str, StructureRow] = {}
        for line, field in enumerate(STRUCTURE_FIELDS, start=1):
            row = self._make_row()
            self.rows[field] = row
            name = QLabel(structure_label(field))
            name.setBuddy(row.durable)
            grid.addWidget(name, line, 0)
            grid.addWidget(row.durable, line, 1)
            grid.addWidget(row.not_durable, line, 2)
            grid.addWidget(row.sound, line, 3)
            grid.addWidget(row.damaged, line, 4)
            grid.addWidget(row.material, line, 5)
        grid.setColumnStretch(5, 1)

    def _make_row(self) -> StructureRow:
        durable = QRadioButton(self.tr("Durable"))
        not_durable = QRadioButton(self.tr("Not durable"))
        sound = QRadioButton(self.tr("Sound"))
        damaged = QRadioButton(self.tr("Damaged (leaks, cracks)"))
        sound.setChecked(True)
        # One group per question and row, or all radio buttons of the box would be
        # mutually exclusive (they share a parent).
        durability, condition = QButtonGroup(self), QButtonGroup(self)
        durability.addButton(durable)
        durability.addButton(not_durable)
        condition.addButton(sound)
        condition.addButton(damaged)
        material = QComboBox()
        material.setEditable(True)
        material.addItems(COMMON_MATERIALS)
        material.setCurrentIndex(-1)
        material.lineEdit().setPlaceholderText(self.tr("e.g. tôn, gạch"))
        material.setMinimumContentsLength(12)
        for group in (durability, condition):
            group.buttonToggled.connect(lambda *_: self.sig_changed.emit())
        material.currentTextChanged.connect(lambda *_: self.sig_changed.emit())
        return StructureRow(durable, not_durable, sound, damaged, material, durability, condition)

    def value(self, field: str) -> StructureInput | None:
        """None until the inspector has said whether the structure is durable."""
        row = self.rows[field]
        if not (row.durable.isChecked() or row.not_durable.isChecked()):
            return None
        return StructureInput(
            durable=row.durable.isChecked(),
            damaged=row.damaged.isChecked(),
            material=row.material.currentText().strip(),
        )

    def set_value(self, field: str, structure: StructureInput) -> None:
        row = self.rows[field]
        (row.durable if structure.durable else row.not_durable).setChecked(True)
        (row.damaged if structure.damaged else row.sound).setChecked(True)
        row.material.setCurrentText(structure.material)
