"""Photos and documents of the household: add (many at once, as a long task with
progress and Cancel), caption, open in the system viewer, remove with a reason."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, QSize, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nhao.services import attachments
from nhao.services.actor import Permission
from nhao.services.attachments import AttachmentView
from nhao.services.households import HouseholdView
from nhao.ui.context import AppContext
from nhao.ui.household_detail.attachments_model import THUMBNAIL_PX, AttachmentsModel
from nhao.ui.household_detail.locks import read_only_reason
from nhao.ui.task_runner import Work, describe_failure

PANEL_WIDTH = 260
# What Windows refuses in a file name; a name made on another system travels in bundles.
_NOT_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_DEVICE_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{d}{n}" for d in ("COM", "LPT") for n in range(1, 10)}
)


# In the temporary folder a name this long keeps a Windows path under 260 characters,
# and it is under the 255 bytes Linux allows however many tone marks it has.
MAX_NAME_BYTES = 120


def portable_name(filename: str) -> str:
    """`filename` as a plain name that Windows, macOS and Linux all take: no folder
    part, none of <>:"/\\|?*, no trailing dot or space, no device name (CON, NUL…),
    at most MAX_NAME_BYTES in UTF-8 (its extension kept)."""
    name = _NOT_IN_NAMES.sub("_", filename).strip().rstrip(". ")
    if len(name.encode()) > MAX_NAME_BYTES:
        suffix = Path(name).suffix if len(Path(name).suffix) <= 8 else ""
        room = MAX_NAME_BYTES - len(suffix.encode())
        stem = name.removesuffix(suffix).encode()[:room].decode(errors="ignore")
        name = stem.rstrip(". ") + suffix
    if name.split(".", 1)[0].upper() in _DEVICE_NAMES:
        name = "_" + name
    return name


MEDIA_SUFFIX = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}


class AttachmentsTab(QWidget):
    sig_count_changed = Signal(int)

    def __init__(
        self,
        ctx: AppContext,
        household: Callable[[], HouseholdView | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._household = household
        # Replaceable so tests do not launch a real viewer.
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self.model = AttachmentsModel(lambda a_id: attachments.thumbnail(ctx.db, a_id), self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setIconSize(QSize(THUMBNAIL_PX, THUMBNAIL_PX))
        self.view.setGridSize(QSize(THUMBNAIL_PX + 24, THUMBNAIL_PX + 48))
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setUniformItemSizes(True)
        self.view.setWordWrap(True)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.activated.connect(lambda index: self.open_selected())
        self.view.selectionModel().currentChanged.connect(self._show_selected)

        self.kind = QComboBox()
        for code, label in attachments.KINDS.items():
            self.kind.addItem(label, code)
        self.add_button = QPushButton(self.tr("Add files…"))
        self.add_button.clicked.connect(self.add_files)
        self.file_label = QLabel()
        self.file_label.setWordWrap(True)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.caption = QLineEdit()
        self.caption.setPlaceholderText(self.tr("What the photo shows"))
        self.caption.setMaxLength(attachments.MAX_CAPTION)
        self.caption.returnPressed.connect(self.save_caption)
        self.caption.textChanged.connect(lambda *_: self._update_buttons())
        self.caption_button = QPushButton(self.tr("Save caption"))
        self.caption_button.clicked.connect(self.save_caption)
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button = QPushButton(self.tr("Remove…"))
        self.remove_button.clicked.connect(self.remove_selected)
        self._lay_out()
        self._update_buttons()

    def _lay_out(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addWidget(QLabel(self.tr("as")))
        bar.addWidget(self.kind)
        bar.addStretch(1)
        panel = QGroupBox(self.tr("Selected file"))
        panel.setFixedWidth(PANEL_WIDTH)
        side = QVBoxLayout(panel)
        side.addWidget(self.file_label)
        form = QFormLayout()
        form.addRow(self.tr("Caption"), self.caption)
        side.addLayout(form)
        side.addWidget(self.caption_button)
        side.addSpacing(8)
        side.addWidget(self.open_button)
        side.addWidget(self.remove_button)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.view, 1)
        body.addWidget(panel)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(body, 1)

    # -- reading ---------------------------------------------------------------

    def refresh(self) -> None:
        household = self._household()
        current = self.selected()
        rows = (
            attachments.list_attachments(self._ctx.db, self._ctx.actor, household.id)
            if household
            else []
        )
        self.model.set_attachments(rows)
        row = self.model.row_of(current.id) if current else -1
        if row >= 0 or rows:
            self.view.setCurrentIndex(self.model.index(row if row >= 0 else len(rows) - 1, 0))
        self._show_selected()
        self.sig_count_changed.emit(len(rows))

    def selected(self) -> AttachmentView | None:
        index = self.view.currentIndex()
        return self.model.attachment(index.row()) if index.isValid() else None

    def _can_write(self) -> bool:
        household = self._household()
        return (
            household is not None
            and household.deleted_at is None
            and self._ctx.actor.can(Permission.write_households)
        )

    def _show_selected(self, *_: QModelIndex) -> None:
        item = self.selected()
        if item is None:
            self.file_label.setText(
                self.tr("No file selected. Photos of the house and scanned papers go here.")
            )
            self.caption.clear()
        else:
            self.file_label.setText(self.model.describe(item))
            self.caption.setText(item.caption)
        self._update_buttons()

    def _update_buttons(self) -> None:
        item, writable = self.selected(), self._can_write()
        self.add_button.setEnabled(writable)
        self.kind.setEnabled(writable)
        self.caption.setReadOnly(not writable)
        self.caption_button.setEnabled(
            writable and item is not None and self.caption.text().strip() != item.caption
        )
        self.open_button.setEnabled(item is not None)
        self.remove_button.setEnabled(writable and item is not None)
        # A greyed button says why (the caption is read-only for the same reason).
        why_not = read_only_reason(self._ctx.actor, self._household())
        for widget in (self.add_button, self.kind, self.caption, self.caption_button):
            widget.setToolTip(why_not)
        self.remove_button.setToolTip(why_not)

    # -- changing --------------------------------------------------------------

    def _run(self, work: Work, title: str, failure_title: str) -> None:
        def failed(error: BaseException) -> None:
            self._ctx.prompts.error(self, failure_title, describe_failure(error))

        self._ctx.runner.run(
            work,
            parent=self.window(),
            title=title,
            on_success=lambda _result: self._ctx.changed("attachment"),
            on_failure=failed,
        )

    def add_files(self) -> None:
        household = self._household()
        if household is None or not self._can_write():
            return
        files = self._ctx.prompts.open_files(
            self,
            self.tr("Add photos and documents"),
            self.tr("Images, documents (*.jpg *.jpeg *.png *.pdf)"),
        )
        if not files:
            return
        ctx, kind = self._ctx, self.kind.currentData()

        def work(progress, cancel):  # type: ignore[no-untyped-def]
            return attachments.add_attachments(
                ctx.db, ctx.actor, household.id, files, kind=kind, progress=progress, cancel=cancel
            )

        # Shrinking many phone photos takes a while: this is the long-task pattern,
        # with progress after 600 ms and a Cancel that leaves nothing half-added.
        self._run(
            work,
            self.tr("Adding %1 files").replace("%1", str(len(files))),
            self.tr("Files not added"),
        )

    def save_caption(self) -> None:
        item, text = self.selected(), self.caption.text()
        if item is None or not self._can_write() or text.strip() == item.caption:
            return
        ctx = self._ctx

        def work(progress, cancel):  # type: ignore[no-untyped-def]
            return attachments.update_caption(ctx.db, ctx.actor, item.id, text)

        self._run(work, self.tr("Saving the caption"), self.tr("Caption not saved"))

    def remove_selected(self) -> None:
        item = self.selected()
        if item is None or not self._can_write():
            return
        reason = self._ctx.prompts.ask_text(
            self,
            self.tr("Remove file"),
            self.tr("Why remove “%1”? The removal is kept in the history.").replace(
                "%1", item.filename
            ),
        )
        if reason is None:
            return
        ctx = self._ctx

        def work(progress, cancel):  # type: ignore[no-untyped-def]
            attachments.remove_attachment(ctx.db, ctx.actor, item.id, reason)

        self._run(work, self.tr("Removing the file"), self.tr("File not removed"))

    def open_selected(self) -> None:
        item = self.selected()
        if item is None:
            return
        if not item.path.is_file():
            self._ctx.prompts.error(
                self,
                self.tr("Cannot open the file"),
                self.tr("The content of “%1” is not on this computer yet.").replace(
                    "%1", item.filename
                ),
            )
            return
        try:
            copy = self._viewer_copy(item)
        except OSError as error:
            self._ctx.prompts.error(self, self.tr("Cannot open the file"), str(error))
            return
        if not self.open_url(QUrl.fromLocalFile(str(copy))):
            self._ctx.prompts.error(
                self,
                self.tr("Cannot open the file"),
                self.tr("No program on this computer opens “%1”.").replace("%1", item.filename),
            )

    @staticmethod
    def _viewer_copy(item: AttachmentView) -> Path:
        """Stored files are named by their hash, without an extension, so Windows would
        not know what opens them: the viewer gets a copy under the original name."""
        temp = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.TempLocation))
        # Only the name part: a filename from a bundle must not point elsewhere.
        name = portable_name(item.filename) or item.sha256
        if Path(name).suffix.lower() not in {*MEDIA_SUFFIX.values(), ".jpeg"}:
            name += MEDIA_SUFFIX.get(item.media_type, "")
        target = temp / "nhao-open" / item.sha256[:16] / name
        if not (target.is_file() and target.stat().st_size == item.size_bytes):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(item.path, target)
        return target
