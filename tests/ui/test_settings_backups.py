"""A backup put back from the Settings page, as an administrator would: the backup
folder offered, the question saying what is lost, the window closed afterwards."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMainWindow

from nhao.services import households as hh
from nhao.services import units
from nhao.ui.settings_page import SettingsPage

from .conftest import make_ctx


def _names(ctx) -> list[str]:  # type: ignore[no-untyped-def]
    query = hh.HouseholdQuery()
    return sorted(h.head_name for h in hh.list_households(ctx.db, ctx.actor, query))


def test_an_administrator_puts_a_backup_back_and_the_window_closes(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    backup = ctx.db.backup(reason="auto")
    before = _names(ctx)
    hamlet = units.list_hamlets(ctx.db)[0].code
    hh.create_household(
        ctx.db, ctx.actor, hh.HouseholdInput(hamlet_code=hamlet, head_name="Lò Văn Mới")
    )
    window = QMainWindow()
    qtbot.addWidget(window)
    page = SettingsPage(ctx)
    window.setCentralWidget(page)
    window.show()
    ctx.prompts.file_answers.append([backup])  # type: ignore[attr-defined]
    ctx.prompts.confirm_answers.append(False)  # type: ignore[attr-defined]
    page.restore_button.click()
    assert ctx.prompts.started_in == backup.parent  # type: ignore[attr-defined]
    kind, _title, question = ctx.prompts.shown[-1]  # type: ignore[attr-defined]
    assert kind == "confirm" and backup.name in question
    assert _names(ctx) == sorted([*before, "Lò Văn Mới"])  # "No": nothing done
    ctx.prompts.file_answers.append([backup])  # type: ignore[attr-defined]
    ctx.prompts.confirm_answers.append(True)  # type: ignore[attr-defined]
    page.restore_button.click()
    kind, _title, said = ctx.prompts.shown[-1]  # type: ignore[attr-defined]
    assert kind == "info" and "truoc-khoi-phuc" in said, ctx.prompts.shown
    assert _names(ctx) == before
    assert not window.isVisible()  # its pages hold what they read of the data replaced


def test_a_refused_backup_is_said_and_the_window_stays(qtbot, ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    other = tmp_path / "ds.sqlite"
    other.write_bytes(b"not a database")
    ctx.prompts.file_answers.append([other])  # type: ignore[attr-defined]
    ctx.prompts.confirm_answers.append(True)  # type: ignore[attr-defined]
    page.restore_button.click()
    assert ctx.prompts.errors() == [  # type: ignore[attr-defined]
        "ds.sqlite hỏng hoặc không phải tệp cơ sở dữ liệu: không khôi phục."
    ]
    assert page.isVisible()


def test_only_an_administrator_is_offered_it(qtbot, ui_db, qapp) -> None:  # type: ignore[no-untyped-def]
    page = SettingsPage(make_ctx(ui_db, "totruong"))
    qtbot.addWidget(page)
    assert page.backups is None
