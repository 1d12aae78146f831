"""What the tabs of the Sync page share: who may do what, unit names, times,
entity names, the password prompt and the look of their tables."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QFocusEvent, QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nhao.domain import hlc
from nhao.domain.errors import DomainError
from nhao.domain.text import fold
from nhao.services import units
from nhao.services.actor import Actor, Permission

KEY_SUFFIX = ".nhaokey"
ACK_SUFFIX = ".nhaoack"
_CONTEXT = "SyncEntities"

# Every entity a bundle may carry (the change log's names), as people call them.
ENTITY_NAMES = {
    "unit": QT_TRANSLATE_NOOP("SyncEntities", "Administrative units"),
    "target": QT_TRANSLATE_NOOP("SyncEntities", "Yearly targets"),
    "app_user": QT_TRANSLATE_NOOP("SyncEntities", "Users"),
    "household": QT_TRANSLATE_NOOP("SyncEntities", "Households"),
    "household_pair_review": QT_TRANSLATE_NOOP("SyncEntities", "Possible duplicates reviewed"),
    "inspection": QT_TRANSLATE_NOOP("SyncEntities", "Inspections"),
    "attachment": QT_TRANSLATE_NOOP("SyncEntities", "Photos and documents"),
    "support_case": QT_TRANSLATE_NOOP("SyncEntities", "Support cases"),
    "case_support": QT_TRANSLATE_NOOP("SyncEntities", "Support by source"),
    "case_status_event": QT_TRANSLATE_NOOP("SyncEntities", "Case steps"),
    "donor": QT_TRANSLATE_NOOP("SyncEntities", "Donors"),
    "pledge": QT_TRANSLATE_NOOP("SyncEntities", "Pledges"),
    "receipt": QT_TRANSLATE_NOOP("SyncEntities", "Receipt vouchers"),
    "payment": QT_TRANSLATE_NOOP("SyncEntities", "Payment vouchers"),
    "bank_statement_line": QT_TRANSLATE_NOOP("SyncEntities", "Bank statement lines"),
    "period_close": QT_TRANSLATE_NOOP("SyncEntities", "Period closes"),
}

# Asks the signed-in person's password (it unlocks the signing key); None: cancelled.
AskPassword = Callable[[str], "str | None"]


def entity_name(entity: str) -> str:
    text = ENTITY_NAMES.get(entity)
    return QCoreApplication.translate(_CONTEXT, text) if text else entity


def unit_file_stem(unit: units.UnitView) -> str:
    """"Thôn Nà Pàn" (06112-c2a19c18) → thon-na-pan-06112-c2a19c18: the bundles and
    key files of ten hamlets are told apart by name in a folder, in letters every file
    system takes; the code keeps two hamlets of one name apart."""
    return file_stem(unit.name, unit.code)


def file_stem(name: str, code: str) -> str:
    """A unit's name and code as unit_file_stem writes them, from the two alone."""
    words = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:40].strip("-")
    return f"{words}-{code}" if words else code


def may_exchange(actor: Actor) -> bool:
    """Exporting and importing need someone who writes records; viewers only read.
    (Export also needs the signing grant, which the service checks with the password.)"""
    return actor.can(Permission.write_households) or actor.can(Permission.write_fund)


def may_review(actor: Actor) -> bool:
    """Marking possible duplicates: the service requires this. (Resolving a conflict
    needs what editing its record needs: sync.may_resolve.)"""
    return actor.can(Permission.write_households)


def may_manage_keys(actor: Actor) -> bool:
    return actor.can(Permission.manage_users)


class UnitNames:
    """Unit code → "Name (code)", from this station's tree and the official list."""

    def __init__(self, db: object) -> None:
        self._names: dict[str, str] = {}
        try:
            info = units.station_info(db)  # type: ignore[arg-type]
            for view in (info.unit, info.commune, info.province):
                if view is not None:
                    self._names[view.code] = view.name
            self._names.update(units.hamlet_names(db))  # type: ignore[arg-type]
        except DomainError:
            pass

    def name(self, code: str | None) -> str:
        if not code:
            return ""
        if code not in self._names:
            try:
                self._names[code] = units.official_unit(code).name
            except DomainError:
                self._names[code] = ""
        return self._names[code]

    def label(self, code: str | None) -> str:
        name = self.name(code)
        return f"{name} ({code})" if name else (code or "")


def local_time_text(at: datetime | None) -> str:
    """Stored times are naive UTC; people read them in the laptop's own time, dd/mm/yyyy."""
    if at is None:
        return ""
    aware = at if at.tzinfo else at.replace(tzinfo=UTC)
    return aware.astimezone().strftime("%d/%m/%Y %H:%M")


def stamp_time_text(stamp: str) -> str:
    """The wall-clock part of a hybrid logical clock stamp, as a local time."""
    try:
        wall_ms = hlc.HLC.parse(stamp).wall_ms
    except (ValueError, AttributeError):
        return stamp
    return local_time_text(datetime.fromtimestamp(wall_ms / 1000, UTC))


def monospace(point_factor: float = 1.0, bold: bool = False) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    if point_factor != 1.0 and font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * point_factor)
    font.setBold(bold)
    return font


class RowTable(QTableView):
    """Reached with the keyboard, a table chooses its current row (else the first), so
    the buttons that act on the chosen row come alive without the touchpad."""

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        keyboard = event.reason() in (
            Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason,
            Qt.FocusReason.ShortcutFocusReason,
        )
        if keyboard and not self.selectionModel().hasSelection() and self.model().rowCount():
            self.selectRow(max(self.currentIndex().row(), 0))


def make_table(model, parent: QWidget | None = None, *, many: bool = False) -> QTableView:  # type: ignore[no-untyped-def]
    """A read-only table of whole rows, the same look on every tab; `many`: rows are
    chosen with Shift and Ctrl as in Explorer, for what acts on many at once."""
    table = RowTable(parent)
    table.setTabKeyNavigation(False)  # Tab moves on; the arrow keys move inside
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if many else QAbstractItemView.SelectionMode.SingleSelection
    )  # fmt: skip
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.horizontalHeader().setHighlightSections(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def set_widths(table: QTableView, widths: tuple[int, ...]) -> None:
    """Column widths that fit 1366×768, never narrower than the header's own text."""
    header = table.horizontalHeader()
    metrics = header.fontMetrics()
    model = table.model()
    for column, width in enumerate(widths):
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        header.resizeSection(column, max(width, metrics.horizontalAdvance(title) + 24))


def selected_row(table: QTableView) -> int:
    """The chosen row, or the top one of those chosen; -1 when none is."""
    rows = selected_rows(table)
    return rows[0] if rows else -1


def selected_rows(table: QTableView) -> list[int]:
    """The rows chosen, top to bottom (not in the order they were clicked)."""
    return sorted(index.row() for index in table.selectionModel().selectedRows())


Place = tuple[object, int]  # the chosen row's key and its position, or (None, -1)


def current_place(table: QTableView, key: Callable[[object], object]) -> Place:
    row = selected_row(table)
    return (key(table.model().item(row)), row) if row >= 0 else (None, -1)


def restore_place(table: QTableView, place: Place, key: Callable[[object], object]) -> None:
    """After the rows are read again (a pair marked, a conflict resolved): the same row
    if it is still listed, else the one that took its place, the next one to review.
    A province has thousands: going back to nothing chosen at the top lost the place."""
    chosen, row = place
    model = table.model()
    if row < 0 or model.rowCount() == 0:
        return
    rows = [i for i in range(model.rowCount()) if key(model.item(i)) == chosen]
    row = rows[0] if rows else min(row, model.rowCount() - 1)
    table.selectRow(row)
    table.scrollTo(model.index(row, 0))


class PasswordDialog(QDialog):
    """Asks the signed-in person's password again: it unlocks the station's key."""

    def __init__(self, title: str, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.label = QLabel(label)
        self.label.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        # OK on an empty field went the way of Cancel, saying nothing: it waits for a letter.
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(False)
        self.password.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text)))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.setMinimumWidth(360)  # room for the title bar's words
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.password)
        layout.addWidget(buttons)
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, label: str) -> str | None:
        dialog = cls(title, label, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted and dialog.password.text():
                return dialog.password.text()
            return None
        finally:
            dialog.password.clear()
            dialog.deleteLater()
