"""Export the household register to an xlsx that imports back unchanged: where to
save it, whether to hide citizen IDs, then the export as a long task."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from nhao.domain.text import fold
from nhao.services.actor import Permission
from nhao.services.household_export import ExportResult, export_register
from nhao.ui.context import AppContext
from nhao.ui.household_import.save_target import xlsx_target
from nhao.ui.task_runner import describe_failure

_NOT_SLUG = re.compile(r"[^0-9a-z]+")


def suggested_name(ctx: AppContext, today: date | None = None) -> str:
    """so-ho-<unit>-<dd-mm-yyyy>.xlsx, e.g. so-ho-xa-binh-gia-05-02-2025.xlsx."""
    unit = ctx.station.commune or ctx.station.unit
    slug = _NOT_SLUG.sub("-", fold(unit.name)).strip("-") or "nhao"
    return f"so-ho-{slug}-{(today or date.today()).strftime('%d-%m-%Y')}.xlsx"


def export_register_dialog(ctx: AppContext, parent: QWidget | None = None) -> None:
    title = QCoreApplication.translate("RegisterExport", "Export the household register")
    chosen = ctx.prompts.save_file(
        parent,
        title,
        suggested_name(ctx),
        QCoreApplication.translate("RegisterExport", "Excel workbook (*.xlsx)"),
    )
    path = chosen and xlsx_target(ctx.prompts, parent, title, chosen)
    if path is None:
        return
    # Hidden unless the person says otherwise (DESIGN §9), for an account that cannot
    # import the file back (a viewer, the accountant): the full numbers serve no import.
    mask = ctx.prompts.confirm(
        parent,
        QCoreApplication.translate("RegisterExport", "Hide citizen IDs?"),
        QCoreApplication.translate(
            "RegisterExport",
            "Show only the last 4 digits of citizen IDs (for a list that leaves the commune "
            "office)?\nA file imported back to update households needs the full numbers.",
        ),
        default=not ctx.actor.can(Permission.write_households),
    )
    db, actor = ctx.db, ctx.actor

    def work(progress, cancel) -> ExportResult:  # type: ignore[no-untyped-def]
        return export_register(db, actor, Path(path), mask_ids=mask,  # type: ignore[arg-type]
                               progress=progress, cancel=cancel)

    def done(result: ExportResult) -> None:
        # A plain name for the count: lupdate skips a translate() whose count is an
        # attribute, and the sentence stayed English. (Given a name, it is collected
        # as a plain message; translate() still puts the count for %n.)
        count = result.households
        text = QCoreApplication.translate(
            "RegisterExport", "%n household(s) exported to %1.", "", count
        )
        ctx.prompts.info(parent, title, text.replace("%1", str(result.path)))

    ctx.runner.run(
        work,
        parent=parent,
        title=QCoreApplication.translate("RegisterExport", "Exporting the register"),
        on_success=done,
        on_failure=lambda error: ctx.prompts.error(parent, title, describe_failure(error)),
    )
