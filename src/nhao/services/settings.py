"""Station settings kept in the database (programme thresholds and the like)."""

from __future__ import annotations

import json

from nhao.domain.settings import ProgrammeSettings
from nhao.models import Setting
from nhao.models.database import Database
from nhao.services.actor import Actor, Permission

PROGRAMME_KEY = "programme"


def programme_settings(db: Database) -> ProgrammeSettings:
    with db.session() as session:
        row = session.get(Setting, PROGRAMME_KEY)
        if row is None:
            return ProgrammeSettings()
        return ProgrammeSettings.from_dict(json.loads(row.value))


def save_programme_settings(db: Database, actor: Actor, settings: ProgrammeSettings) -> None:
    actor.require(Permission.manage_units)
    with db.transaction() as session:
        session.merge(Setting(key=PROGRAMME_KEY, value=json.dumps(settings.to_dict())))
