"""The main window: who is signed in, for which unit, and the register's size."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

from nhao.services import households, units
from nhao.services.actor import Actor


class MainWindow(QMainWindow):
    def __init__(self, db: object, actor: Actor) -> None:
        super().__init__()
        self._db = db
        self.actor = actor
        info = units.station_info(db)
        self.setWindowTitle(f"nhao — {info.unit.name}")
        count = households.count_households(db, actor, households.HouseholdQuery())
        self.unit_label = QLabel(
            self.tr("Unit: %1 (%2)").replace("%1", info.unit.name).replace("%2", info.unit.code)
        )
        self.user_label = QLabel(
            self.tr("User: %1 (%2)").replace("%1", actor.label).replace("%2", actor.role.label_vi)
        )
        self.count_label = QLabel(self.tr("%n household(s)", "", count))
        central = QWidget()
        layout = QVBoxLayout(central)
        for label in (self.unit_label, self.user_label, self.count_label):
            layout.addWidget(label)
        layout.addStretch(1)
        self.setCentralWidget(central)
        self.statusBar().showMessage(f"{info.unit.name} · {actor.label}")
        self.resize(1100, 700)
