"""The main window: left navigation, pages, status bar, menus, idle lock."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QScrollArea,
    QStackedWidget,
    QWidget,
)

from nhao import __version__
from nhao.domain.dates import format_date
from nhao.services import status
from nhao.ui.context import AppContext
from nhao.ui.icons import icon
from nhao.ui.idle_lock import IdleWatcher, LockCover
from nhao.ui.page import Page
from nhao.ui.sign_in import SignInDialog

PageFactory = Callable[[AppContext], Page]


class MainWindow(QMainWindow):
    def __init__(
        self, ctx: AppContext, pages: list[PageFactory], idle_minutes: float = 10
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(f"nhao — {ctx.station.unit.name}")
        self.setWindowIcon(icon("app"))
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setFixedWidth(190)
        self.nav.setSpacing(2)
        self.stack = QStackedWidget()
        self.pages: list[Page] = []
        for factory in pages:
            self.add_page(factory(ctx))
        self.nav.currentRowChanged.connect(self._show_page)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self._build_status_bar()
        ctx.hub.sig_changed.connect(lambda _entities: self.refresh_status())
        self.idle = IdleWatcher(idle_minutes, self)
        self.idle.sig_idle.connect(self.lock)
        self._covers: list[LockCover] = []  # over the windows left open while locked
        QApplication.instance().installEventFilter(self.idle)
        if self.pages:
            self.nav.setCurrentRow(0)
        self.resize(1280, 720)

    # -- pages --------------------------------------------------------------------

    def add_page(self, page: Page) -> None:
        self.pages.append(page)
        # In a scroll area: a page taller or wider than the screen leaves (the Settings
        # page at 1366×768 and 125 %) scrolls, rather than the window growing past the
        # screen's edge with the page's last buttons and the status bar beyond it.
        holder = QScrollArea()
        holder.setWidgetResizable(True)
        holder.setFrameShape(QFrame.Shape.NoFrame)
        holder.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no extra Tab stop around the page
        holder.setWidget(page)
        self.stack.addWidget(holder)
        QListWidgetItem(page.icon(), page.title(), self.nav)

    def page(self, kind: type[Page]) -> Page:
        return next(p for p in self.pages if isinstance(p, kind))

    def show_page(self, kind: type[Page]) -> Page:
        page = self.page(kind)
        self.nav.setCurrentRow(self.pages.index(page))
        return page

    def _show_page(self, row: int) -> None:
        if 0 <= row < len(self.pages):
            self.stack.setCurrentIndex(row)
            self.pages[row].shown()

    # -- menus and status ---------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        lock = QAction(self.tr("&Lock screen"), self)
        lock.setShortcut(QKeySequence("Ctrl+L"))
        lock.triggered.connect(self.lock)
        file_menu.addAction(lock)
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About nhao"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _build_status_bar(self) -> None:
        actor = self.ctx.actor
        self.unit_label = QLabel(
            self.tr("Unit: %1").replace("%1", self.ctx.station.unit.name)
        )
        self.user_label = QLabel(
            self.tr("User: %1 (%2)").replace("%1", actor.label).replace("%2", actor.role.label_vi)
        )
        self.backup_label = QLabel()
        self.unexported_label = QLabel()
        for label in (self.unit_label, self.user_label, self.backup_label, self.unexported_label):
            label.setContentsMargins(8, 0, 8, 0)
            self.statusBar().addWidget(label)
        self.refresh_status()

    def refresh_status(self) -> None:
        state = status.station_status(self.ctx.db)
        if not state.backs_up:  # a server database: nhao makes no backup of it
            self.backup_label.setText(self.tr("Backups: by the database server"))
            self.backup_label.setToolTip(
                self.tr(
                    "nhao backs up data files on this computer only. Back up this server "
                    "database on the server (pg_dump)."
                )
            )
        else:
            when = format_date(state.last_backup.date()) if state.last_backup else self.tr("never")
            self.backup_label.setText(self.tr("Last backup: %1").replace("%1", when))
        self.unexported_label.setText(
            self.tr("Changes not yet exported: %1").replace("%1", str(state.unexported_changes))
        )

    def tell_new_epoch(self, reason: str) -> None:
        """Said once, at start, when this data file turned out to be restored or copied."""
        self.ctx.prompts.info(
            self,
            self.tr("Restored or copied data"),
            self.tr(
                "This data file starts a new sync identity: %1.\n\nAnything entered after "
                "this data was backed up or copied, and already sent to the unit above, is "
                "there but not here. "
                "A receipt or payment entered again here may take a number given out "
                "before; the unit above keeps both and lists them when it imports this "
                "computer's next bundle."
            ).replace("%1", reason),
        )

    def show_about(self) -> None:
        folder = self.ctx.db.location.folder  # type: ignore[attr-defined]
        self.ctx.prompts.info(
            self,
            self.tr("About nhao"),
            self.tr(
                "nhao %1\nRecords of the programme that replaces temporary and dilapidated "
                "houses.\n\nData folder: %2"
            )
            .replace("%1", __version__)
            .replace("%2", str(folder)),
        )

    # -- idle lock ----------------------------------------------------------------

    def lock(self) -> None:
        self.idle.stop()
        self.centralWidget().setVisible(False)
        # The pages are hidden; so must be what the windows still open over them show.
        self._covers = [
            LockCover(widget) for widget in QApplication.topLevelWidgets()
            if widget is not self and widget.isVisible()
        ]
        dialog = SignInDialog(
            self.ctx.db, parent=self, locked_user=self.ctx.actor.username,
            unit_name=self.ctx.station.unit.name,
        )
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        self._lock_dialog = dialog
        dialog.accepted.connect(self._unlocked)
        dialog.rejected.connect(self.close)
        dialog.open()

    def _unlocked(self) -> None:
        self.centralWidget().setVisible(True)
        for cover in self._covers:
            # Its window may have closed while locked (a task's progress), and it with it.
            with contextlib.suppress(RuntimeError):
                cover.remove()
        self._covers = []
        self._lock_dialog = None
        self.idle.restart()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        QApplication.instance().removeEventFilter(self.idle)
        for page in self.pages:
            page.disconnect_all()
        self.ctx.runner.wait(10000)
        super().closeEvent(event)
