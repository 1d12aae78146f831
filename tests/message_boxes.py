"""Answering a real message box that a test's code opens modally (QMessageBox.exec),
as a person would: read it, then close it. Without an answer the test would wait for
ever, the box open on no screen."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox


def answer_the_box(seen: list[tuple[str, str]]) -> None:
    """The next message box that comes up is read into `seen` (title, text) and closed."""

    def look() -> None:
        windows = QApplication.topLevelWidgets()
        shown = [w for w in windows if isinstance(w, QMessageBox) and w.isVisible()]
        if not shown:
            QTimer.singleShot(20, look)
            return
        box = shown[0]
        seen.append((box.windowTitle(), box.text()))
        box.accept()

    QTimer.singleShot(20, look)
