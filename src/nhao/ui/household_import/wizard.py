"""The import wizard: file → sheet and header row → columns → check → import → done.

The pages share one ImportWizard, which holds the opened file and what the person
chose; every step that reads the file or the database runs through ctx.runner,
off the GUI thread, with progress and Cancel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget, QWizard

from nhao.imports.report import ImportReport
from nhao.services.actor import Permission
from nhao.services.household_import import ImportFile, ImportOptions
from nhao.tasks import Cancelled, CancelToken, Progress
from nhao.ui.context import AppContext
from nhao.ui.household_import.done_page import DonePage
from nhao.ui.household_import.file_pages import FilePage, LayoutPage
from nhao.ui.household_import.mapping_page import MappingPage
from nhao.ui.household_import.preview_page import PreviewPage
from nhao.ui.household_import.state import CANCELLED, Choices, SheetLook
from nhao.ui.task_runner import describe_failure

PREFERRED_SIZE = (1000, 660)  # inside 1366×768 with the taskbar
SCREEN_MARGIN = 40


class ImportWizard(QWizard):
    FILE, LAYOUT, MAPPING, PREVIEW, DONE = range(5)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.file: ImportFile | None = None
        self.look: SheetLook | None = None
        self.choices = Choices()
        self.preview: ImportReport | None = None  # the latest check (dry run)
        self.result: ImportReport | None = None  # the import itself
        self._jobs = 0
        self.setWindowTitle(self.tr("Import households from a spreadsheet"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< &Back"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Next >"))
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Import"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Close"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Cancel"))
        self.file_page = FilePage(self)
        self.layout_page = LayoutPage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.done_page = DonePage(self)
        for number, page in enumerate(
            (self.file_page, self.layout_page, self.mapping_page, self.preview_page,
             self.done_page)
        ):
            self.setPage(number, page)
        self.setStartId(self.FILE)
        self.currentIdChanged.connect(self._page_shown)
        self._fit_to_screen()

    # Import writes every row: it is pressed (a click, its Alt letter, Enter or Space on
    # it), not reached by a second Enter from the columns page or one meant for a list
    # box of the check. A button with focus takes its own Enter before this.
    def _page_shown(self, page_id: int) -> None:
        self.setOption(QWizard.WizardOption.NoDefaultButton, page_id == self.PREVIEW)
        if page_id == self.PREVIEW:
            # Focus on the rows (QWizard gave it to "Duplicate rows", where the Down
            # arrow meant for the rows chose "Update the existing household").
            self.preview_page.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and self.currentId() == self.PREVIEW:
            event.accept()  # not passed on to QDialog, which would press the default
            return
        super().keyPressEvent(event)

    def _fit_to_screen(self) -> None:
        width, height = PREFERRED_SIZE
        screen = self.screen()
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, available.width() - SCREEN_MARGIN)
            height = min(height, available.height() - SCREEN_MARGIN)
        self.resize(width, height)

    # -- shared state ------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._jobs > 0

    @property
    def path(self) -> Path | None:
        return self.file.path if self.file else None

    def options(self) -> ImportOptions:
        look, c = self.look, self.choices
        assert look is not None and look.layout is not None
        return ImportOptions(
            sheet=look.sheet,
            header_row=look.layout.header_row,
            mapping=dict(c.mapping),
            hamlet=c.hamlet,
            create_hamlets=c.create_hamlets,
            on_duplicate=c.on_duplicate,
            row_actions=dict(c.row_actions),
        )

    def set_file(self, file: ImportFile, look: SheetLook) -> None:
        self.close_file()
        self.file, self.look = file, look
        self.choices = Choices(hamlet=self.choices.hamlet)
        self.preview = None

    def close_file(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None

    # -- long work ---------------------------------------------------------------

    def run(
        self,
        work: Callable[[Progress, CancelToken], Any],
        title: str,
        on_success: Callable[[Any], None],
        on_failure: Callable[[str], None] | None = None,
        on_cancel: Callable[[], None] | None = None,
    ) -> None:
        """ctx.runner.run, keeping count of running jobs so pages wait for them.
        A cancelled job comes back as CANCELLED (the runner would drop it silently)."""

        def guarded(progress: Progress, cancel: CancelToken) -> Any:
            try:
                return work(progress, cancel)
            except Cancelled:
                return CANCELLED

        def done(result: Any) -> None:
            self._finished()
            if result is CANCELLED:
                if on_cancel:
                    on_cancel()
            else:
                on_success(result)

        def failed(error: BaseException) -> None:
            self._finished()
            message = describe_failure(error)
            if on_failure:
                on_failure(message)
            else:
                self.ctx.prompts.error(self, title, message)

        self._jobs += 1
        self._page_changed()
        self.ctx.runner.run(guarded, parent=self, title=title, on_success=done, on_failure=failed)

    def _finished(self) -> None:
        self._jobs -= 1
        self._page_changed()

    def _page_changed(self) -> None:
        page = self.currentPage()
        if page is not None:
            page.completeChanged.emit()  # QWizard sets its buttons again from this
        if self.busy:  # no going back under a running job
            self.button(QWizard.WizardButton.BackButton).setEnabled(False)

    def done(self, result: int) -> None:
        if self.busy:  # the progress dialog's Cancel stops the job; then close
            return
        super().done(result)
        self.close_file()


def open_import_wizard(ctx: AppContext, parent: QWidget | None = None) -> ImportWizard | None:
    """The wizard, opened (window-modal, deleted when closed); a viewer is refused."""
    if not ctx.actor.can(Permission.write_households):
        ctx.prompts.error(
            parent,
            QCoreApplication.translate("ImportWizard", "Import households"),
            QCoreApplication.translate(
                "ImportWizard", "Your account can only view households; it cannot import them."
            ),
        )
        return None
    wizard = ImportWizard(ctx, parent)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.open()
    return wizard
