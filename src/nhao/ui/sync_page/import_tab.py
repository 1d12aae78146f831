"""Import: pick bundle files, see the dry-run report (kiểm tra trước, nothing
written), then apply; save the report as xlsx; write acknowledgements."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QVBoxLayout,
    QWidget,
)

from nhao.services import sync
from nhao.ui.context import AppContext
from nhao.ui.sync_page.common import (
    ACK_SUFFIX,
    AskPassword,
    UnitNames,
    make_table,
    may_exchange,
    selected_row,
    set_widths,
)
from nhao.ui.sync_page.models import ImportReportModel, ReportRow, report_rows
from nhao.ui.task_runner import describe_failure

Results = list[tuple[Path, list[dict]]]
COLUMN_WIDTHS = (130, 140, 120, 100, 45, 60, 60, 60, 55, 60, 60)


class _MiddleElided(QStyledItemDelegate):
    """A file name too long for its column keeps its end (the time of export)."""

    def initStyleOption(self, option, index) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle


class ImportTab(QWidget):
    sig_imported = Signal(frozenset)  # the entities that changed

    def __init__(self, ctx: AppContext, ask_password: AskPassword, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._ask_password = ask_password
        # The check and the import that follows it are one step for the person: the
        # password typed for the check serves the import once (the idle lock gives the
        # window back only to the same person).
        self._check_password: str | None = None
        self.paths: list[Path] = []
        self.reports: list[dict] = []
        self.applied = False  # the report shown is of a real import, not a dry run
        self._files: dict[str, Path] = {}
        self._checked: dict[Path, str] = {}  # file → sha256 of the bytes the check read
        self._working = False  # a check or an import is running: one at a time
        self.model = ImportReportModel(UnitNames(ctx.db), self)
        self.choose_button = QPushButton(self.tr("Choose bundles…"))
        self.choose_button.clicked.connect(self.choose_files)
        self.check_button = QPushButton(self.tr("Check again"))
        self.check_button.setToolTip(self.tr("Check the chosen bundles without writing anything"))
        self.check_button.clicked.connect(self.check)
        self.apply_button = QPushButton(self.tr("Import"))
        self.apply_button.setToolTip(self.tr("Write the checked bundles into this computer's data"))
        self.apply_button.clicked.connect(self.apply)
        self.save_button = QPushButton(self.tr("Save report…"))
        self.save_button.clicked.connect(self.save_report)
        self.ack_button = QPushButton(self.tr("Write acknowledgement…"))
        self.ack_button.setToolTip(
            self.tr("A signed note for the sender saying what this computer now has")
        )
        self.ack_button.clicked.connect(self.write_acknowledgement)
        self.summary = QLabel(self.tr("Choose the bundle files (.nhao) you received."))
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.table = make_table(self.model)
        set_widths(self.table, COLUMN_WIDTHS)
        self.table.setItemDelegateForColumn(ImportReportModel.FILE, _MiddleElided(self.table))
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.table.selectionModel().currentRowChanged.connect(self._show_details)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._build_layout()
        if not may_exchange(ctx.actor):
            self.summary.setText(self.tr("Your account may only view: it cannot import."))
        self._update_buttons()

    def _build_layout(self) -> None:
        buttons = QHBoxLayout()
        for button in (self.choose_button, self.check_button, self.apply_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.ack_button)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)

    def _update_buttons(self) -> None:
        allowed = may_exchange(self.ctx.actor) and not self._working
        checked = bool(self.reports) and not self.applied
        self.choose_button.setEnabled(allowed)
        self.check_button.setEnabled(allowed and bool(self.paths))
        self.apply_button.setEnabled(allowed and checked and bool(self._to_apply()))
        self.save_button.setEnabled(bool(self.reports))
        self.ack_button.setEnabled(allowed and self._acknowledged() is not None)

    def _acknowledged(self) -> Path | None:
        """The chosen bundle a receipt can be written for: one imported, or one the
        check found imported before (a sender resends what it had no receipt for) or
        refused (its sender then sends those changes again: a revoked key's refusal
        says to)."""
        row = selected_row(self.table)
        if row < 0:
            return None
        report = self.model.item(row).report
        if not (self.applied or report["status"] in ("skipped", "refused")):
            return None
        return self._files.get(report["file"])

    def _to_apply(self) -> list[Path]:
        """The files the check saw and did not refuse: a check cancelled half-way
        leaves the rest unchecked, and they wait for the next check. One imported
        before has nothing to write."""
        left = {r["file"] for r in self.reports if r["status"] in ("refused", "skipped")}
        return [p for p in self.paths if p in self._checked and p.name not in left]

    # ---- Dry run and import ---------------------------------------------------------

    def choose_files(self) -> None:
        paths = self.ctx.prompts.open_files(
            self, self.tr("Choose bundles"), self.tr("nhao data bundle (*.nhao)")
        )
        if not paths:
            return
        self.paths = list(paths)
        self._checked = {}
        self._check_password = None
        self._show([], applied=False)
        self.check()

    def check(self) -> None:
        """The dry run: the same checks and merge, rolled back; the report is shown."""
        self._run(self.paths, dry_run=True, title=self.tr("Check bundles"))

    def apply(self) -> None:
        paths = self._to_apply()
        if paths and not self.applied:
            self._run(paths, dry_run=False, title=self.tr("Import bundles"))

    def _run(self, paths: list[Path], *, dry_run: bool, title: str) -> None:
        if not paths or not may_exchange(self.ctx.actor) or self._working:
            return
        password = None if dry_run else self._check_password
        self._check_password = None
        password = password or self._ask_password(title)
        if not password:
            return
        if dry_run:
            self._check_password = password
        db, actor = self.ctx.db, self.ctx.actor
        # An import writes only the bytes the check read: a file replaced since is refused.
        expected = None if dry_run else dict(self._checked)

        def work(progress, cancel) -> Results:  # type: ignore[no-untyped-def]
            # File by file: Cancel stops between bundles (each one transaction), and what
            # was done before it is still reported.
            results: Results = []
            for done, path in enumerate(paths):
                if cancel.cancelled:
                    break
                # One bundle alone gives the bar no steps: it runs busy instead of
                # standing at 0 while a province merges a commune's year.
                progress.update(done, len(paths) if len(paths) > 1 else 0, path.name)
                reports = sync.import_bundles(
                    db, actor, [path], password=password, dry_run=dry_run, expected=expected
                )
                results.append((path, reports))
            progress.update(len(paths), len(paths), "")
            return results

        def failed(error: BaseException) -> None:
            self._check_password = None
            self._set_working(False)
            self.ctx.prompts.error(self, title, describe_failure(error))

        # A second press of Import before the first is done would import nothing and
        # report the bundles as imported before: the buttons wait.
        self._set_working(True)
        self.ctx.runner.run(
            work,
            parent=self,
            title=title,
            on_success=lambda results: self._done(results, applied=not dry_run),
            on_failure=failed,
        )

    def _set_working(self, working: bool) -> None:
        self._working = working
        self._update_buttons()

    def _done(self, results: Results, *, applied: bool) -> None:
        self._working = False
        # A held bundle applied because of a later file reports twice: keep its last word.
        final: dict[str, dict] = {}
        for _path, batch in results:
            for report in batch:
                final[report["file"]] = report
        if applied:  # the files the check refused or found imported before were not
            # tried again: they stay listed and counted, and a receipt can still be
            # written for them (a refusal says to send one)
            for report in self.reports:
                if report["status"] in ("refused", "skipped"):
                    final.setdefault(report["file"], report)
        reports = list(final.values())
        checked = self._files if applied else {}
        self._files = {**checked, **{path.name: path for path, _ in results}}
        if not applied:
            self._checked = {
                path: batch[0]["sha256"]
                for path, batch in results
                if batch and "sha256" in batch[0]
            }
        self._show(reports, applied=applied)
        if applied:
            entities = frozenset(
                entity
                for report in reports
                if report["status"] == "applied"
                for entity in report.get("entities", {})
            )
            self.ctx.changed(*entities, "sync")
            self.sig_imported.emit(entities)

    def _show(self, reports: list[dict], *, applied: bool) -> None:
        self.reports, self.applied = reports, applied
        self.model.set_rows(report_rows(reports), UnitNames(self.ctx.db))
        self._fit_columns()
        self.details.clear()
        self.summary.setText(self._summary_text() if reports else "")
        if reports:
            self.table.selectRow(0)
        self._update_buttons()

    def _fit_columns(self) -> None:
        """The bundles of one sender differ only at the end of their names (the time
        of export): the File column grows, and what does not fit is cut in the middle
        (see __init__); Result, From and Data show their words whole."""
        for column, most in (
            (ImportReportModel.FILE, 190),
            (ImportReportModel.STATUS, 200),
            (ImportReportModel.SENDER, 160),
            (ImportReportModel.ENTITY, 160),
        ):
            fit = self.table.sizeHintForColumn(column)
            if fit > self.table.columnWidth(column):
                self.table.setColumnWidth(column, min(fit, most))

    def _summary_text(self) -> str:
        statuses = [r["status"] for r in self.reports]
        refused = statuses.count("refused")
        if not self.applied:
            text = self.tr("Checked %n bundle(s); nothing has been written yet.", "", len(statuses))
            if refused:
                text += " " + self.tr("%n will be refused (see the reason).", "", refused)
            if skipped := statuses.count("skipped"):
                # Else Import stood greyed out with no word of why.
                text += " " + self.tr(
                    "%n bundle(s) imported here before, with nothing new in them.", "", skipped
                )
            if "pending" in statuses and len(statuses) > 1:
                text += " " + self.tr(
                    "Each file is checked on its own: one waiting for another of these files "
                    "is applied right after it."
                )
            if self._to_apply():
                text += " " + self.tr("Press Import to write them.")
            return text
        nothing_new = sum(
            1 for r in self.reports if r["status"] == "skipped" and r.get("nothing_new")
        )
        text = (
            self.tr("Imported: %1. Already imported before: %2. Waiting for an earlier "
                    "bundle: %3. Refused: %4.")
            .replace("%1", str(statuses.count("applied")))
            .replace("%2", str(statuses.count("skipped") - nothing_new))
            .replace("%3", str(statuses.count("pending")))
            .replace("%4", str(refused))
        )
        if nothing_new:
            text += " " + self.tr(
                "%n bundle(s) had nothing new for this computer.", "", nothing_new
            )
        return text + self._to_review()

    def _to_review(self) -> str:
        """What the import left for a person: a count deep in the table is easily missed."""
        applied = [r for r in self.reports if r["status"] == "applied"]
        conflicts = sum(
            counts.get("conflicts", 0)
            for r in applied
            for counts in (r.get("entities") or {}).values()
        )
        duplicates = sum(r.get("possible_duplicates", 0) for r in applied)
        text = ""
        if conflicts:
            text += " " + self.tr(
                "%n conflict(s) to settle: see the Conflicts tab.", "", conflicts
            )
        if duplicates:
            text += " " + self.tr(
                "%n pair(s) of possible duplicates to review: see the Possible duplicates tab.",
                "", duplicates,
            )
        return text

    def _show_details(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.details.clear()
            return
        row: ReportRow = self.model.item(current.row())
        report = row.report
        lines = [f"{report['file']}: {self.model.report_status_text(report)}"]
        if report.get("reason"):
            lines.append(str(report["reason"]))
        listed = (
            ("refused_changes", self.tr("Changes refused:")),
            ("number_clashes", self.tr("Voucher numbers given out twice (both vouchers kept):")),
            ("payments_to_review", self.tr("Payments to look at again (all kept):")),
            ("steps_given_way", self.tr("Steps of the unit above that replaced one taken here:")),
            ("held_changes", self.tr("Changes waiting for their record:")),
        )
        for key, title in listed:
            if report.get(key):
                lines.append(title)
                lines.extend(f"• {said}" for said in report[key])
        self.details.setPlainText("\n".join(lines))

    # ---- Report and acknowledgement -------------------------------------------------

    def save_report(self) -> None:
        if not self.reports:
            return
        title = self.tr("Save the import report")
        suggested = f"nhao-import-report-{datetime.now():%Y%m%d-%H%M}.xlsx"
        if self.paths:
            suggested = str(self.paths[0].parent / suggested)
        out = self.ctx.prompts.save_file(self, title, suggested, self.tr("Excel workbook (*.xlsx)"))
        if out is None:
            return
        if out.suffix.lower() != ".xlsx":
            out = out.with_name(out.name + ".xlsx")
        reports, db, checked_only = list(self.reports), self.ctx.db, not self.applied
        # Off the GUI thread: a province's report lists thousands of possible duplicates.
        self.ctx.runner.run(
            lambda _progress, _cancel: sync.write_import_report(
                reports, out, sync.report_names(db), checked_only=checked_only
            ),
            parent=self,
            title=title,
            on_success=lambda _out: self.ctx.prompts.info(
                self, title, self.tr("Report saved to %1.").replace("%1", str(out))
            ),
            on_failure=lambda error: self.ctx.prompts.error(self, title, describe_failure(error)),
        )

    def write_acknowledgement(self) -> None:
        bundle = self._acknowledged()
        if bundle is None:
            return
        title = self.tr("Write acknowledgement")
        out = self.ctx.prompts.save_file(
            self, title, str(bundle.with_suffix(ACK_SUFFIX)),
            self.tr("nhao acknowledgement (*%1)").replace("%1", ACK_SUFFIX),
        )
        if out is None:
            return
        password = self._ask_password(title)
        if not password:
            return
        db, actor = self.ctx.db, self.ctx.actor
        self.ctx.runner.run(
            lambda _progress, _cancel: sync.write_ack(db, actor, password, bundle, out),
            parent=self,
            title=title,
            on_success=lambda _ack: self.ctx.prompts.info(
                self, title,
                self.tr("Acknowledgement saved to %1; send it back to the sender.")
                .replace("%1", str(out)),
            ),
            on_failure=lambda error: self.ctx.prompts.error(self, title, describe_failure(error)),
        )
