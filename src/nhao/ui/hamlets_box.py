"""The commune's hamlets on the Settings page: an administrator adds and renames them.
A commune station set up anew has none, and no household can be added without one;
before this box only the command line (`nhao hamlets add`) or an Excel import made them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nhao.domain.errors import DomainError
from nhao.services import units
from nhao.ui.context import AppContext
from nhao.ui.task_runner import describe_failure


class HamletsBox(QGroupBox):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setTitle(self.tr("Hamlets of the commune"))
        self.list = QListWidget()
        self.list.setMinimumWidth(240)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.list.itemDoubleClicked.connect(lambda _item: self.rename())
        self.empty_note = QLabel(
            self.tr("The commune has no hamlet yet: add them before its households.")
        )
        self.empty_note.setWordWrap(True)
        self.add_button = QPushButton(self.tr("Add hamlet…"))
        self.add_button.clicked.connect(self.add)
        self.rename_button = QPushButton(self.tr("Rename…"))
        self.rename_button.clicked.connect(self.rename)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.rename_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_note)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        chosen = self.list.currentItem().text() if self.list.currentItem() else None
        try:
            names = [h.name for h in units.list_hamlets(self.ctx.db)]
        except DomainError:
            names = []
        self.list.clear()
        self.list.addItems(names)
        found = self.list.findItems(chosen or "", Qt.MatchFlag.MatchExactly)
        if found:
            self.list.setCurrentItem(found[0])
        self.empty_note.setVisible(not names)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.rename_button.setEnabled(self.list.currentItem() is not None)

    def add(self) -> None:
        title = self.tr("Add hamlet")
        name = self.ctx.prompts.ask_text(
            self, title, self.tr("Name of the hamlet, as people write it (e.g. Thôn Nà Pàn):")
        )
        if name is not None and name.strip():
            db, actor = self.ctx.db, self.ctx.actor
            self._run(lambda _p, _c: units.add_hamlets(db, actor, [name]), title)

    def rename(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        old, title = item.text(), self.tr("Rename hamlet")
        new = self.ctx.prompts.ask_text(
            self, title, self.tr("New name of %1:").replace("%1", old)
        )
        if new is not None and new.strip() and new.strip() != old:
            db, actor = self.ctx.db, self.ctx.actor
            self._run(lambda _p, _c: units.rename_hamlet(db, actor, old, new), title)

    def _run(self, work, title: str) -> None:  # type: ignore[no-untyped-def]
        def done(_result: object) -> None:
            self.ctx.changed("unit")  # the households page's filter and form list them
            self.refresh()

        self.ctx.runner.run(
            work,
            parent=self,
            title=title,
            on_success=done,
            on_failure=lambda error: self.ctx.prompts.error(self, title, describe_failure(error)),
        )
