"""Long work off the GUI thread: a plain function run(progress, cancel) on a
QThreadPool, a progress dialog that appears only after 600 ms and always has
Cancel, and success/failure callbacks delivered on the GUI thread."""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QProgressDialog, QWidget

from nhao.domain.errors import DomainError
from nhao.services.crash_log import write_crash_log
from nhao.tasks import Cancelled, CancelToken, Progress

Work = Callable[[Progress, CancelToken], Any]
PROGRESS_DELAY_MS = 600


def unless_cancelled(work: Work) -> Work:
    """`work`, giving None when the person cancels it: the runner calls neither
    callback for a cancelled job, and a tab waiting for one kept its buttons off."""

    def run(progress: Progress, cancel: CancelToken) -> Any:
        try:
            return work(progress, cancel)
        except Cancelled:
            return None

    return run


class _Relay(QObject):
    """Carries a worker's events to the GUI thread (queued connections)."""

    sig_progress = Signal(int, int, str)
    sig_done = Signal(object)
    sig_failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Work, relay: _Relay, cancel: CancelToken) -> None:
        super().__init__()
        self._work, self._relay, self._cancel = work, relay, cancel

    def run(self) -> None:
        progress = Progress(
            lambda done, total, text: self._relay.sig_progress.emit(done, total, text)
        )
        try:
            result = self._work(progress, self._cancel)
        except BaseException as error:  # noqa: BLE001 - every failure is shown, none lost
            self._relay.sig_failed.emit(error)
        else:
            self._relay.sig_done.emit(result)


class TaskRunner(QObject):
    """One lane: jobs run one after another, since the database has one connection."""

    sig_busy = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._running = 0

    def run(
        self,
        work: Work,
        *,
        parent: QWidget | None,
        title: str,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> CancelToken:
        cancel = CancelToken()
        relay = _Relay()
        dialog = QProgressDialog(title, self.tr("Cancel"), 0, 0, parent)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.hide()
        dialog.canceled.connect(cancel.cancel)
        timer = QTimer(dialog)
        timer.setSingleShot(True)
        timer.timeout.connect(lambda: dialog.show() if not cancel.cancelled else None)
        timer.start(PROGRESS_DELAY_MS)

        def on_progress(done: int, total: int, text: str) -> None:
            # The label first: setValue of a modal dialog paints at once, and the bar
            # would stand beside the previous step's words.
            if text:
                dialog.setLabelText(text)
            dialog.setMaximum(max(total, 0))
            dialog.setValue(min(done, total) if total else 0)

        def finish() -> None:
            timer.stop()
            dialog.close()
            dialog.deleteLater()
            self._running -= 1
            self.sig_busy.emit(self._running > 0)

        def done(result: Any) -> None:
            finish()
            if on_success:
                on_success(result)

        def failed(error: BaseException) -> None:
            finish()
            if isinstance(error, Cancelled):
                return
            if on_failure:
                on_failure(error)

        relay.sig_progress.connect(on_progress)
        relay.sig_done.connect(done)
        relay.sig_failed.connect(failed)
        self._running += 1
        self.sig_busy.emit(True)
        job = _Job(work, relay, cancel)
        relay.setParent(None)
        job.setAutoDelete(True)
        self._relays = getattr(self, "_relays", set())
        self._relays.add(relay)
        relay.sig_done.connect(lambda *_: self._relays.discard(relay))
        relay.sig_failed.connect(lambda *_: self._relays.discard(relay))
        self._pool.start(job)
        return cancel

    def wait(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)


class InlineTaskRunner(TaskRunner):
    """Runs the job at once on the calling thread; tests use it for determinism, and
    read in `ran` the titles of the jobs that went through it (not the GUI thread)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ran: list[str] = []

    def run(self, work, *, parent, title, on_success=None, on_failure=None):  # type: ignore[no-untyped-def,override]
        self.ran.append(title)
        cancel = CancelToken()
        try:
            result = work(Progress(), cancel)
        except Cancelled:
            return cancel
        except Exception as error:  # noqa: BLE001
            if on_failure:
                on_failure(error)
            return cancel
        if on_success:
            on_success(result)
        return cancel


def describe_failure(error: BaseException) -> str:
    """People see the service's own sentence; a file that could not be written or read
    gets one in their words (a USB stick pulled out, a file open in Excel); anything
    else a short generic one."""
    if isinstance(error, DomainError):
        return str(error)
    if isinstance(error, OSError):
        return _file_problem(error)
    # A fault of nhao's own: the details go to a log for whoever supports it.
    log = write_crash_log(error, "cửa sổ nhao")
    text = QCoreApplication.translate(
        "TaskRunner",
        "nhao met an unexpected error (%1). The step that failed was not saved. The "
        "details are in %2: send that file to whoever supports nhao.",
    ).replace("%1", type(error).__name__)
    return text.replace("%2", str(log) if log else "logs")


def _file_problem(error: OSError) -> str:
    # The file written is often a temporary one beside the target: name the target.
    name = Path(str(error.filename or "")).name.removesuffix(".partial").lstrip(".")
    translate = QCoreApplication.translate
    if isinstance(error, FileNotFoundError):
        text = translate(
            "TaskRunner",
            "The file or folder of %1 is not there any more (was a USB stick taken out?). "
            "Choose another place and try again.",
        )
    elif isinstance(error, PermissionError):
        text = translate(
            "TaskRunner",
            "nhao may not write %1: the file may be open in another program such as Excel, "
            "or the folder may be read-only. Close it or choose another place.",
        )
    elif getattr(error, "errno", None) == errno.ENOSPC:
        text = translate("TaskRunner", "The disk is full: %1 could not be written.")
    else:
        text = translate("TaskRunner", "Could not read or write %1 (%2).").replace(
            "%2", error.strerror or type(error).__name__
        )
    return text.replace("%1", name or "?")
