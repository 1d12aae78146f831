"""Every message box and file dialog goes through here, so tests can answer them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget


def documents_folder() -> Path:
    """Where file dialogs start: the person's Documents (their home when it has none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()


def cannot_start(text: str) -> None:
    """The window could not open its data: said in a box as well. Started from its
    shortcut, nhao has no console a person could read (Windows closes it with the
    program), so the sentence printed there was a window that never came."""
    title = QCoreApplication.translate("Prompts", "nhao cannot open its data")
    QMessageBox(QMessageBox.Icon.Critical, title, text).exec()


class Prompts:
    """The real dialogs. Pages call these instead of QMessageBox/QFileDialog directly.

    Qt opens a dialog given no folder (or a bare file name) in the working directory:
    on Windows, started from its shortcut, the program's own folder, where nobody may
    save. They start in the folder last chosen instead, else in Documents."""

    def __init__(self) -> None:
        self._last_folder: Path | None = None

    def _start(self) -> Path:
        return self._last_folder or documents_folder()

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.critical(parent, title, text)

    def confirm(
        self, parent: QWidget | None, title: str, text: str, *, default: bool = False
    ) -> bool:
        """Yes or No; `default`, what Enter answers (No unless said: most questions
        guard a step that cannot be undone)."""
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        answer = QMessageBox.question(parent, title, text, yes | no, yes if default else no)
        return answer == yes

    def may_discard(self, form: QWidget, typed: bool) -> bool:
        """Closing a form with something typed in it asks first: Esc is one key away from
        the fields, and a household or an inspection written down at the house was lost
        to it without a word."""
        return not typed or self.confirm(form, form.windowTitle(), QCoreApplication.translate(
            "Prompts", "Close without saving? What you typed here will be lost."
        ))

    def ask_text(self, parent: QWidget | None, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(parent, title, label)
        return text if ok else None

    def ask_password(self, parent: QWidget | None, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Password)
        return text if ok and text else None

    def open_files(
        self, parent: QWidget | None, title: str, filters: str, start: Path | None = None
    ) -> list[Path]:
        folder = start if start is not None and start.is_dir() else self._start()
        names, _ = QFileDialog.getOpenFileNames(parent, title, str(folder), filters)
        paths = [Path(n) for n in names]
        if paths:
            self._last_folder = paths[0].parent
        return paths

    def save_file(
        self, parent: QWidget | None, title: str, suggested: str, filters: str
    ) -> Path | None:
        where = Path(suggested)
        if not where.is_absolute():
            where = self._start() / where
        name, _ = QFileDialog.getSaveFileName(parent, title, str(where), filters)
        if not name:
            return None
        self._last_folder = Path(name).parent
        return Path(name)


class ScriptedPrompts(Prompts):
    """For tests: answers come from queues, and everything shown is recorded."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[tuple[str, str, str]] = []
        self.confirm_answers: list[bool] = []
        self.text_answers: list[str | None] = []
        self.file_answers: list[list[Path]] = []
        self.save_answers: list[Path | None] = []
        self.password_answers: list[str | None] = []
        self.started_in: Path | None = None  # the folder the last file dialog was given
        self.on_show: Callable[[str, str, str], None] | None = None

    def _record(self, kind: str, title: str, text: str) -> None:
        self.shown.append((kind, title, text))
        if self.on_show:
            self.on_show(kind, title, text)

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        self._record("info", title, text)

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        self._record("error", title, text)

    def confirm(
        self, parent: QWidget | None, title: str, text: str, *, default: bool = False
    ) -> bool:
        self._record("confirm", title, text)
        return self.confirm_answers.pop(0) if self.confirm_answers else default

    def ask_text(self, parent: QWidget | None, title: str, label: str) -> str | None:
        self._record("ask_text", title, label)
        return self.text_answers.pop(0) if self.text_answers else None

    def ask_password(self, parent: QWidget | None, title: str, label: str) -> str | None:
        self._record("ask_password", title, label)
        return self.password_answers.pop(0) if self.password_answers else None

    def open_files(
        self, parent: QWidget | None, title: str, filters: str, start: Path | None = None
    ) -> list[Path]:
        self._record("open_files", title, filters)
        self.started_in = start
        return self.file_answers.pop(0) if self.file_answers else []

    def save_file(
        self, parent: QWidget | None, title: str, suggested: str, filters: str
    ) -> Path | None:
        self._record("save_file", title, suggested)
        return self.save_answers.pop(0) if self.save_answers else None

    def errors(self) -> list[str]:
        return [text for kind, _, text in self.shown if kind == "error"]
