"""The tables of the Sync page. Each model holds frozen rows (service views or the
import report's dicts) and the text of every cell, worked out once per load."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from nhao.services import sync
from nhao.services.sync import ConflictView, DuplicateView, PendingView
from nhao.services.sync.keys import TrustedKeyView
from nhao.ui.sync_page.common import UnitNames, entity_name, local_time_text, stamp_time_text

AnyIndex = QModelIndex | QPersistentModelIndex
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


class RowsModel(QAbstractTableModel):
    """Read-only rows; subclasses give the headers and the cells of one row."""

    RowRole = int(Qt.ItemDataRole.UserRole) + 1  # the row's frozen object
    COLUMNS = 0
    NUMERIC: frozenset[int] = frozenset()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple = ()
        self._cells: list[tuple[str, ...]] = []
        self._units: UnitNames | None = None

    def headers(self) -> tuple[str, ...]:
        raise NotImplementedError

    def cells(self, item) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
        raise NotImplementedError

    def tooltip(self, item, column: int) -> str | None:  # type: ignore[no-untyped-def]
        return None

    def set_rows(self, rows: Sequence, units: UnitNames | None = None) -> None:  # type: ignore[type-arg]
        """New rows; `units` replaces the unit names (units arrive with bundles)."""
        self.beginResetModel()
        if units is not None:
            self._units = units
        self._rows = tuple(rows)
        self._cells = [self.cells(item) for item in self._rows]
        self.endResetModel()

    def item(self, row: int):  # type: ignore[no-untyped-def]
        return self._rows[row]

    def items(self) -> tuple:  # type: ignore[type-arg]
        return self._rows

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def header_tooltip(self, section: int) -> str | None:
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.COLUMNS:
            return None
        if role == _DISPLAY:
            return self.headers()[section]
        if role == _TOOLTIP:
            return self.header_tooltip(section)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> object:
        row, column = index.row(), index.column()
        if not index.isValid() or not 0 <= row < len(self._rows):
            return None
        if role == _DISPLAY:
            return self._cells[row][column]
        if role == _ALIGNMENT:
            return _RIGHT if column in self.NUMERIC else None
        if role == _TOOLTIP:
            return self.tooltip(self._rows[row], column) or self._cells[row][column] or None
        if role == self.RowRole:
            return self._rows[row]
        return None


@dataclass(frozen=True)
class ReportRow:
    """One line of the import report: a bundle file and one kind of data in it."""

    report: dict
    entity: str
    counts: dict

    @property
    def status(self) -> str:
        return str(self.report["status"])


def report_rows(reports: Sequence[dict]) -> list[ReportRow]:
    rows = []
    for report in reports:
        entities = sync.entities_in_order(report) or [("", {})]
        rows.extend(ReportRow(report, entity, counts) for entity, counts in entities)
    return rows


class ImportReportModel(RowsModel):
    FILE, STATUS, SENDER, ENTITY = range(4)
    NEW, UPDATED, UNCHANGED, CONFLICTS, REFUSED, DUPLICATES, REASON = range(4, 11)
    COLUMNS = 11
    NUMERIC = frozenset(range(4, 10))

    def __init__(self, unit_names: UnitNames, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._units = unit_names

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("File"), self.tr("Result"), self.tr("From"), self.tr("Data"),
            self.tr("New"), self.tr("Updated"), self.tr("Unchanged"), self.tr("Conflicts"),
            self.tr("Refused"), self.tr("Duplicates"), self.tr("Reason"),
        )

    def header_tooltip(self, section: int) -> str | None:
        if section == self.DUPLICATES:
            return self.tr("Households that look like the same people listed in two places")
        return None

    def report_status_text(self, report: dict) -> str:
        """A bundle seen for the first time with nothing new for this computer (one from
        above with nothing for it, an export of no change) was "already imported"."""
        if report.get("nothing_new"):
            if report["status"] == "skipped":
                return self.tr("Nothing new for this computer")
            if report["status"] == "dry-run":
                return self.tr("Checked: nothing new here")
        return self.status_text(str(report["status"]))

    def status_text(self, status: str) -> str:
        return {
            "dry-run": self.tr("Checked, nothing written"),
            "applied": self.tr("Imported"),
            "skipped": self.tr("Already imported"),
            "pending": self.tr("Waiting for an earlier bundle"),
            "refused": self.tr("Refused"),
        }.get(status, status)

    def cells(self, item: ReportRow) -> tuple[str, ...]:
        report = item.report
        counts = [str(item.counts.get(k, 0)) if item.entity else "" for k in sync.COUNT_KEYS]
        return (
            str(report["file"]),
            self.report_status_text(report),
            self._sender(report),
            entity_name(item.entity) if item.entity else "",
            *counts,
            # A refused or waiting file was not read: blank like its other counts, not 0.
            # The pairs are the bundle's, of its households: said once, on that row; on
            # each of its seven rows the column read as seven times as many.
            str(report.get("possible_duplicates", 0)) if item.entity == "household" else "",
            str(report.get("reason", "")) or self._clashes(report),
        )

    def _sender(self, report: dict) -> str:
        """The sender's name; its code (the tooltip's) would cut the name short."""
        code = (report.get("producer") or {}).get("unit")
        return self._units.name(code) or code or ""

    def _clashes(self, report: dict) -> str:
        """Voucher numbers given out twice have no count column: said where a reason goes."""
        clashes = len(report.get("number_clashes", []))
        if not clashes:
            return ""
        return self.tr("%1 voucher number(s) given out twice: see the details").replace(
            "%1", str(clashes)
        )

    def tooltip(self, item: ReportRow, column: int) -> str | None:
        report = item.report
        if column == self.SENDER:
            return self._units.label((report.get("producer") or {}).get("unit")) or None
        lines = [str(report.get("reason", ""))]
        lines += [
            *report.get("refused_changes", []),
            *report.get("number_clashes", []),
            *report.get("payments_to_review", []),
            *report.get("steps_given_way", []),
        ]
        return "\n".join(line for line in lines if line) or None


class PendingModel(RowsModel):
    FILE, SENDER, WAITING, RECEIVED = range(4)
    COLUMNS = 4

    def __init__(self, unit_names: UnitNames, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._units = unit_names

    def headers(self) -> tuple[str, ...]:
        return (self.tr("File"), self.tr("From"), self.tr("Waiting for"), self.tr("Received"))

    def cells(self, item: PendingView) -> tuple[str, ...]:
        return (
            item.file_name,
            self._units.label(item.producer_unit),
            item.waiting_for,
            local_time_text(item.received_at),
        )


@dataclass(frozen=True)
class ConflictRow:
    view: ConflictView
    record: str  # the record as people know it, with its place ("name — hamlet")
    field: str  # the field's label
    kept: str  # the values as people read them
    other: str
    chosen: str = ""  # the value the resolution chose, once resolved (when known)


class ConflictsModel(RowsModel):
    # No unit column: the record names its place, and at 1366 pixels a column of its
    # own pushed the bundle and the choice made off the screen.
    ENTITY, RECORD, FIELD, KEPT, OTHER, KEPT_AT, OTHER_AT, BUNDLE, RESOLVED = range(9)
    COLUMNS = 9

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Data"), self.tr("Record"), self.tr("Field"), self.tr("Value kept"),
            self.tr("Other value"), self.tr("When (kept)"), self.tr("When (other)"),
            self.tr("Bundle"), self.tr("Resolved"),
        )

    def header_tooltip(self, section: int) -> str | None:
        if section in (self.KEPT_AT, self.OTHER_AT):
            return self.tr("When the value was entered, on the computer where it was entered")
        return None

    def cells(self, item: ConflictRow) -> tuple[str, ...]:
        view = item.view
        return (
            entity_name(view.entity),
            item.record,
            item.field,
            item.kept,
            item.other,
            stamp_time_text(view.kept_hlc),
            stamp_time_text(view.lost_hlc),
            view.bundle,
            self._resolved_text(item),
        )

    def _resolved_text(self, item: ConflictRow) -> str:
        """To what, and when: the two values alone do not say which one was chosen. The
        value first: at 1366 pixels the column shows some twenty letters."""
        when = local_time_text(item.view.resolved_at)
        if not when or item.view.chosen is None:
            return when
        return self.tr("“%1”, chosen %2").replace("%1", item.chosen).replace("%2", when)


@dataclass(frozen=True)
class DuplicateRow:
    view: DuplicateView
    first: str
    second: str
    first_details: str
    second_details: str
    reachable: bool = True  # both households are ones this person may mark
    communes: frozenset[str] = frozenset()  # the communes of its two households


class DuplicatesModel(RowsModel):
    FIRST, SECOND, REASON, DECISION = range(4)
    COLUMNS = 4

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Household"), self.tr("Looks like"), self.tr("Why"), self.tr("Decision"),
        )

    def cells(self, item: DuplicateRow) -> tuple[str, ...]:
        reason = {
            "citizen_id": self.tr("Same citizen ID"),
            "name_birth_year": self.tr("Same name and birth year"),
        }.get(item.view.reason, item.view.reason)
        decision = {
            "same": self.tr("Same household"),
            "different": self.tr("Different households"),
        }.get(item.view.decision or "", self.tr("Not reviewed yet"))
        return (item.first, item.second, reason, decision)

    def tooltip(self, item: DuplicateRow, column: int) -> str | None:
        if column == self.FIRST:
            return item.first_details
        if column == self.SECOND:
            return item.second_details
        return None


class TrustedKeysModel(RowsModel):
    UNIT, ROLE, KEY_ID, FINGERPRINT, ENROLLED, REVOKED = range(6)
    COLUMNS = 6

    def __init__(self, unit_names: UnitNames, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._units = unit_names

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Unit"), self.tr("Role"), self.tr("Key ID"), self.tr("Fingerprint"),
            self.tr("Trusted since"), self.tr("Revoked from"),
        )

    def cells(self, item: TrustedKeyView) -> tuple[str, ...]:
        role = {"child": self.tr("Unit below"), "parent": self.tr("Unit above")}
        revoked = local_time_text(item.revoked_from)
        if not revoked and item.replaced_by:
            revoked = self.tr("Replaced by a new key")
        return (
            self._units.label(item.unit_code),
            role.get(item.role, item.role),
            item.key_id,
            item.fingerprint,
            local_time_text(item.enrolled_at),
            revoked,
        )

    def tooltip(self, item: TrustedKeyView, column: int) -> str | None:
        """Which key replaced this one, and why it was revoked: the cell has room for
        neither."""
        if column != self.REVOKED:
            return None
        said = []
        if item.replaced_by:
            said.append(self.tr("Replaced by the key %1.").replace("%1", item.replaced_by))
        if item.revoked_from is not None:
            revoked = self.tr("Revoked from %1.").replace("%1", local_time_text(item.revoked_from))
            if item.revoked_reason:
                revoked += " " + self.tr("Reason: %1").replace("%1", item.revoked_reason)
            said.append(revoked)
        return "\n".join(said) or None
