"""What every page needs: the database handle (opaque here), the signed-in actor,
the task runner, the prompts, and one signal that says what data changed."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from nhao.services.actor import Actor
from nhao.services.units import StationInfo
from nhao.ui.prompts import Prompts
from nhao.ui.task_runner import TaskRunner


class ChangeHub(QObject):
    """Pages refresh from this instead of reloading everything (Anki's OpChanges)."""

    sig_changed = Signal(frozenset)  # names of the entities that changed


@dataclass
class AppContext:
    db: object  # a nhao Database; the window never touches it except through services
    actor: Actor
    station: StationInfo
    runner: TaskRunner
    prompts: Prompts = field(default_factory=Prompts)
    hub: ChangeHub = field(default_factory=ChangeHub)

    def changed(self, *entities: str) -> None:
        self.hub.sig_changed.emit(frozenset(entities))
