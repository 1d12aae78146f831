"""The household's photos and documents as a list model with lazily loaded thumbnails."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QStyle, QWidget

from nhao.domain.dates import format_date
from nhao.services.attachments import AttachmentView
from nhao.ui.household_detail.formats import size_text

AnyIndex = QModelIndex | QPersistentModelIndex
ThumbnailLoader = Callable[[str], bytes | None]
THUMBNAIL_PX = 160


class AttachmentsModel(QAbstractListModel):
    """Rows are frozen AttachmentViews. A thumbnail is made only when the view first
    asks for it, then one per event-loop turn, so a household with a hundred photos
    opens at once and the window stays responsive while they fill in."""

    def __init__(self, load_thumbnail: ThumbnailLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._load_thumbnail = load_thumbnail
        self._rows: tuple[AttachmentView, ...] = ()
        self._icons: dict[str, QIcon] = {}  # by sha256: identical content, one thumbnail
        self._pending: list[AttachmentView] = []
        self._placeholder: QIcon | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._load_next)

    def set_attachments(self, rows: Sequence[AttachmentView]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self._pending.clear()
        self.endResetModel()

    def attachment(self, row: int) -> AttachmentView:
        return self._rows[row]

    def row_of(self, attachment_id: str) -> int:
        return next((i for i, a in enumerate(self._rows) if a.id == attachment_id), -1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return item.caption or item.filename
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.describe(item)
        return None

    def has_thumbnail(self, row: int) -> bool:
        return self._rows[row].sha256 in self._icons

    def describe(self, item: AttachmentView) -> str:
        lines = [item.filename, item.kind_label_vi, size_text(item.size_bytes)]
        if item.taken_at is not None:
            # The camera's own clock, already local time: shown as it is.
            lines.append(
                self.tr("Taken %1").replace("%1", item.taken_at.strftime("%d/%m/%Y %H:%M"))
            )
        lines.append(self.tr("Added %1").replace("%1", format_date(item.created_at.date())))
        if item.caption:
            lines.append(item.caption)
        return "\n".join(lines)

    def _icon(self, item: AttachmentView) -> QIcon | None:
        icon = self._icons.get(item.sha256)
        if icon is not None:
            return icon
        if item not in self._pending:
            self._pending.append(item)
            self._timer.start()
        return self._waiting_icon()

    def _waiting_icon(self) -> QIcon:
        """A blank picture of the thumbnail's size until the thumbnail is made: the view
        measures every item like the first one (uniform sizes), once, and an item with
        no picture would stay a line of text with its thumbnail squeezed into it."""
        if self._placeholder is None:
            blank = QPixmap(THUMBNAIL_PX, THUMBNAIL_PX)
            blank.fill(Qt.GlobalColor.transparent)
            self._placeholder = QIcon(blank)
        return self._placeholder

    def _load_next(self) -> None:
        if not self._pending:
            return
        item = self._pending.pop(0)
        self._icons[item.sha256] = self._make_icon(item)
        for row, other in enumerate(self._rows):
            if other.sha256 == item.sha256:
                index = self.index(row, 0)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])
        if self._pending:
            self._timer.start()

    def _make_icon(self, item: AttachmentView) -> QIcon:
        data = None
        try:
            data = self._load_thumbnail(item.id) if item.is_image else None
        except Exception:  # noqa: BLE001 - a missing thumbnail must not break the list
            data = None
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            return QIcon(pixmap)
        # A PDF, or a photo whose content has not arrived yet (a bundle without files).
        return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
