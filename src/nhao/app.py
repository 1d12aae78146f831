"""Composition root of the window: paths, database, sign-in, then the main window."""

from __future__ import annotations

import sys

from nhao.config import DatabaseLocation


def run_window(
    location: DatabaseLocation, *, username: str | None = None, password: str | None = None
) -> int:
    from PySide6.QtWidgets import QApplication

    from nhao.models.database import Database
    from nhao.services import setup, users
    from nhao.ui.main_window import MainWindow
    from nhao.ui.sign_in import SignInDialog

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("nhao")
    app.setOrganizationName("nhao")
    db = Database(location)
    db.open()
    try:
        if not setup.is_initialized(db):
            print(
                f"nhao: {location.path or location.url} chưa được khởi tạo; "
                "hãy chạy `nhao init` hoặc `nhao demo`.",
                file=sys.stderr,
            )
            return 1
        actor = None
        if username and password is not None:
            actor = users.authenticate(db, username, password)
        else:
            dialog = SignInDialog(db, default_user=username or users.first_admin(db) or "")
            if dialog.exec() != SignInDialog.DialogCode.Accepted:
                return 0
            actor = dialog.actor
        window = MainWindow(db, actor)
        window.show()
        return app.exec()
    finally:
        db.dispose()
