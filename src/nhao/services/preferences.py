"""Preferences of this station that are not programme rules: language, idle lock."""

from __future__ import annotations

from dataclasses import dataclass

from nhao.domain.errors import ValidationError
from nhao.models import Setting
from nhao.models.database import Database
from nhao.services.actor import Actor, Permission

LANGUAGE_KEY = "language"
IDLE_KEY = "idle_lock_minutes"
LANGUAGES = ("vi", "en")


@dataclass(frozen=True)
class Preferences:
    language: str = "vi"
    idle_lock_minutes: int = 10


def load(db: Database) -> Preferences:
    with db.session() as session:
        language = session.get(Setting, LANGUAGE_KEY)
        idle = session.get(Setting, IDLE_KEY)
        return Preferences(
            language=language.value if language else "vi",
            idle_lock_minutes=int(idle.value) if idle else 10,
        )


def save(db: Database, actor: Actor, prefs: Preferences) -> None:
    actor.require(Permission.manage_units)
    if prefs.language not in LANGUAGES:
        raise ValidationError(message="Ngôn ngữ không được hỗ trợ.", field="language")
    if not 1 <= prefs.idle_lock_minutes <= 240:
        raise ValidationError(
            message="Thời gian khóa màn hình phải từ 1 đến 240 phút.", field="idle_lock_minutes"
        )
    with db.transaction() as session:
        session.merge(Setting(key=LANGUAGE_KEY, value=prefs.language))
        session.merge(Setting(key=IDLE_KEY, value=str(prefs.idle_lock_minutes)))
