"""The Qt binding nhao is pinned to keeps Python's True alive however many signals fly.

PySide6 6.12.0 on Python 3.11 dropped one reference to True at every signal emitted
from Python. nhao emits thousands in a session (an import's progress, a page's data
changed, a wizard page's state), and once they had used True's references up Python
freed it and the program aborted ("Fatal Python error: bool_dealloc"), in the middle
of a clerk's work or as the window closed. requirements.lock pins 6.11.3; pyproject
keeps 6.12.0 out."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWizardPage


class Sender(QObject):
    said = Signal(int)


def test_signals_do_not_use_up_the_references_to_true(qapp) -> None:  # type: ignore[no-untyped-def]
    sender, heard = Sender(), []
    sender.said.connect(heard.append)
    page = QWizardPage()  # a signal the wizard's pages emit as a person types
    before = sys.getrefcount(True)  # Python 3.12 and later: True is immortal
    for n in range(1000):
        sender.said.emit(n)
        page.completeChanged.emit()
    assert len(heard) == 1000
    assert sys.getrefcount(True) >= before - 50, "each signal dropped a reference to True"
