"""Composition root of the window: database, language, sign-in, then the main window."""

from __future__ import annotations

import sys

from nhao.config import DatabaseLocation


def run_window(
    location: DatabaseLocation, *, username: str | None = None, password: str | None = None
) -> int:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from nhao.domain.errors import DomainError
    from nhao.models.database import Database, DatabaseError
    from nhao.services import backup, preferences, setup, sync, units, users
    from nhao.ui import i18n
    from nhao.ui.context import AppContext
    from nhao.ui.icons import icon
    from nhao.ui.main_window import MainWindow
    from nhao.ui.prompts import cannot_start
    from nhao.ui.registry import default_pages
    from nhao.ui.sign_in import SignInDialog
    from nhao.ui.task_runner import TaskRunner, describe_failure

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("nhao")
    app.setOrganizationName("nhao")
    app.setWindowIcon(icon("app"))
    i18n.install(preferences.Preferences().language)  # the station's own, once it is read
    db: Database | None = None
    try:
        db = Database(location)
        db.open()
        if not setup.is_initialized(db):
            said = f"{location.shown} chưa được khởi tạo; hãy chạy `nhao init` hoặc `nhao demo`."
            print(f"nhao: {said}", file=sys.stderr)
            cannot_start(said)
            return 1
        new_epoch = sync.check_station_instance(db)  # a restored or copied file
        prefs = preferences.load(db)
        i18n.install(prefs.language)
        station = units.station_info(db)
        if username and password is not None:
            actor = users.authenticate(db, username, password)
        else:
            dialog = SignInDialog(db, default_user=username or "", unit_name=station.unit.name)
            if dialog.exec() != SignInDialog.DialogCode.Accepted or dialog.actor is None:
                return 0
            actor = dialog.actor
        ctx = AppContext(db=db, actor=actor, station=station, runner=TaskRunner())
        window = MainWindow(ctx, default_pages(), idle_minutes=prefs.idle_lock_minutes)
        screen = app.primaryScreen().availableGeometry()
        if screen.width() < 1500 or screen.height() < 850:  # old laptops: use every pixel
            window.showMaximized()
        else:
            window.show()
        if new_epoch:
            window.tell_new_epoch(new_epoch)
        ctx.runner.run(
            lambda _progress, _cancel: backup.backup_if_due(db),
            parent=window,
            title=QCoreApplication.translate("MainWindow", "Backing up"),
            on_success=lambda _path: window.refresh_status(),
            on_failure=lambda error: window.statusBar().showMessage(
                QCoreApplication.translate("MainWindow", "Automatic backup failed: %1").replace(
                    "%1", describe_failure(error)
                )
            ),
        )
        return app.exec()
    except (DatabaseError, DomainError) as error:  # damaged, busy, read-only, …
        cannot_start(str(error))
        raise
    finally:
        if db is not None:
            db.dispose()
