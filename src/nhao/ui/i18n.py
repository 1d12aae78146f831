"""Vietnamese by default: nhao's own .qm plus Qt's translations of its dialogs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLibraryInfo, QLocale, QTranslator

TRANSLATIONS = Path(__file__).parents[1] / "resources" / "translations"
LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
DEFAULT_LANGUAGE = "vi"

_installed: list[QTranslator] = []

# Qt ships no Vietnamese for its own dialogs (there is no qtbase_vi): the standard
# buttons of the password prompt, the confirmations and the dialogs read their text
# from this context, so nhao's own .qm carries it.
STANDARD_BUTTONS = (
    QT_TRANSLATE_NOOP("QPlatformTheme", "OK"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Cancel"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "&Yes"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "&No"),
)


def qm_path(language: str) -> Path:
    return TRANSLATIONS / f"nhao_{language}.qm"


def install(language: str) -> bool:
    """Swap the application's translators; English needs none. True when loaded."""
    app = QCoreApplication.instance()
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English))
        return True
    QLocale.setDefault(QLocale(language))
    ok = False
    own = QTranslator(app)
    if own.load(str(qm_path(language))):
        app.installTranslator(own)
        _installed.append(own)
        ok = True
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    return ok
