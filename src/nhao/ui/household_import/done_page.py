"""The last page: what the import did, and the report to save (every row, its
status and what to do about it) for the rows that still need correcting."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from nhao.imports.report import ImportReport
from nhao.services.household_import import write_report
from nhao.ui.household_import.base import NOTE_COLOUR, WizardPage, message_label
from nhao.ui.household_import.models import summary_text
from nhao.ui.household_import.save_target import xlsx_target


def report_name(report: ImportReport) -> str:
    """Beside the source file: ket-qua-kiem-tra-<file>.xlsx or ket-qua-nhap-<file>.xlsx."""
    source = Path(report.file)
    kind = "kiem-tra" if report.dry_run else "nhap"
    return str(source.with_name(f"ket-qua-{kind}-{source.stem}.xlsx"))


def save_report(page: WizardPage, report: ImportReport) -> None:
    """Ask where, then write the report (through the runner); the page says where it went."""
    w = page.w
    title = QCoreApplication.translate("ImportWizard", "Save the import report")
    chosen = w.ctx.prompts.save_file(
        page,
        title,
        report_name(report),
        QCoreApplication.translate("ImportWizard", "Excel workbook (*.xlsx)"),
    )
    path = chosen and xlsx_target(w.ctx.prompts, page, title, chosen, source=Path(report.file))
    if path is None:
        return

    def work(_progress, _cancel) -> Path:  # type: ignore[no-untyped-def]
        write_report(report, path)
        return path

    def saved(where: Path) -> None:
        text = QCoreApplication.translate("ImportWizard", "The report was saved to %1.")
        w.ctx.prompts.info(
            page,
            QCoreApplication.translate("ImportWizard", "Report saved"),
            text.replace("%1", str(where)),
        )

    w.run(work, QCoreApplication.translate("ImportWizard", "Saving the report"), saved)


class DonePage(WizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Households imported"))
        self.setFinalPage(True)
        self.result_label = message_label()
        font = self.result_label.font()
        font.setBold(True)
        self.result_label.setFont(font)
        self.summary_label = message_label()
        self.hamlets_label = message_label()
        self.errors_label = message_label(NOTE_COLOUR)
        self.report_button = QPushButton(self.tr("Save report…"))
        self.report_button.clicked.connect(
            lambda: save_report(self, self.w.result) if self.w.result else None
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.report_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        for label in (self.result_label, self.summary_label, self.hamlets_label,
                      self.errors_label):
            layout.addWidget(label)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def initializePage(self) -> None:
        report = self.w.result
        if report is None:
            return
        counts = report.summary()
        added = report.imported - report.updated
        said = []  # an update is not one household more
        if added or not report.updated:
            said.append(self.tr("%n household(s) added.", "", added))
        if report.updated:
            said.append(self.tr("%n household(s) updated.", "", report.updated))
        self.result_label.setText(" ".join(said))
        self.summary_label.setText(summary_text(counts, len(report.rows)))
        self.hamlets_label.setText(
            self.tr("New hamlets: %1.").replace("%1", ", ".join(report.created_hamlets))
        )
        self.hamlets_label.setVisible(bool(report.created_hamlets))
        self.errors_label.setText(
            self.tr(
                "%n row(s) with errors were not imported. Save the report, correct those rows "
                "in the file and import it again: the rows already imported are found as "
                "duplicates and skipped, unless you choose otherwise.", "", counts["error"],
            )
        )
        self.errors_label.setVisible(counts["error"] > 0)
