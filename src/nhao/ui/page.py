"""Base of every page in the left navigation."""

from __future__ import annotations

from PySide6.QtCore import QMetaObject
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QWidget

from nhao.ui.context import AppContext


class Page(QWidget):
    """A page knows its title and icon, and undoes its connections when it goes."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._connections: list[QMetaObject.Connection] = []
        self._connections.append(ctx.hub.sig_changed.connect(self.on_data_changed))

    def title(self) -> str:
        raise NotImplementedError

    def icon(self) -> QIcon:
        return QIcon()

    def on_data_changed(self, entities: frozenset) -> None:
        """Refresh what depends on these entities; pages override."""

    def shown(self) -> None:
        """Called when the page becomes visible."""

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.disconnect_all()
        super().closeEvent(event)

    def disconnect_all(self) -> None:
        for connection in self._connections:
            self.ctx.hub.sig_changed.disconnect(connection)
        self._connections.clear()
