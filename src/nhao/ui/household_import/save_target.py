"""Where an xlsx chosen in a save dialog goes: named .xlsx, replacing a file only when
the person said so, and never the list being imported."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from nhao.ui.prompts import Prompts


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.samefile(other)
    except OSError:  # one of them is not there
        return False


def xlsx_target(
    prompts: Prompts,
    parent: QWidget | None,
    title: str,
    chosen: Path,
    *,
    source: Path | None = None,
) -> Path | None:
    """The file to write, or None when the person declined or it is the ``source``.
    A name typed without .xlsx gets it; the dialog asked about replacing the name as
    typed, so a file of the name with .xlsx is asked about here."""
    path = chosen
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
        question = QCoreApplication.translate("SaveTarget", "%1 already exists. Replace it?")
        if path.exists() and not prompts.confirm(parent, title, question.replace("%1", path.name)):
            return None
    if source is not None and _same_file(path, source):
        prompts.error(
            parent,
            title,
            QCoreApplication.translate(
                "SaveTarget",
                "%1 is the list being imported; choose another name for the report.",
            ).replace("%1", path.name),
        )
        return None
    return path
