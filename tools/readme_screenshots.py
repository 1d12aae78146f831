"""Open the real window on a demo database for the README's screenshots.

    nhao --db demo.sqlite demo --no-gui
    ../shared/tools/screenshot docs/screenshots/households.png 12 -- \
        .venv/bin/python tools/readme_screenshots.py demo.sqlite households
    ../shared/tools/screenshot docs/screenshots/inspection.png 12 -- \
        .venv/bin/python tools/readme_screenshots.py demo.sqlite inspection
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from nhao.config import resolve_database
from nhao.models.database import Database
from nhao.services import households as hh
from nhao.services import units, users
from nhao.ui import i18n
from nhao.ui.context import AppContext
from nhao.ui.household_detail import HouseholdDetailDialog
from nhao.ui.main_window import MainWindow
from nhao.ui.registry import default_pages
from nhao.ui.task_runner import TaskRunner


def main(db_path: str, what: str) -> int:
    app = QApplication(sys.argv[:1])
    i18n.install("vi")
    db = Database(resolve_database(Path(db_path)))
    db.open()
    actor = users.authenticate(db, "admin", "demo")
    ctx = AppContext(db=db, actor=actor, station=units.station_info(db), runner=TaskRunner())
    window = MainWindow(ctx, default_pages())
    if what == "households":
        # Xvfb has no window manager to maximise; fill the screen by hand.
        window.setGeometry(app.primaryScreen().availableGeometry())
        window.show()
    else:
        # The form on its own: without a window manager Xvfb cannot stack dialogs.
        household = hh.list_households(db, actor, hh.HouseholdQuery(search="Páo"))[0]
        detail = HouseholdDetailDialog(ctx, household.id)
        form = detail.inspections.open_form()
        rows = form.structures.rows
        rows["foundation"].durable.click()
        rows["foundation"].sound.click()
        rows["foundation"].material.setCurrentText("đất nện")
        rows["frame_walls"].not_durable.click()
        rows["frame_walls"].sound.click()
        rows["frame_walls"].material.setCurrentText("tre nứa")
        rows["roof"].not_durable.click()
        rows["roof"].damaged.click()
        rows["roof"].material.setCurrentText("lá")
        form.area.setText("18,5")
        form.move(40, 40)
        form.show()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
