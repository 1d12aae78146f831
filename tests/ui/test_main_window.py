"""The main window on a real database: sign-in, status bar, idle lock, About."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from nhao.ui.main_window import MainWindow
from nhao.ui.settings_page import SettingsPage
from nhao.ui.sign_in import SignInDialog


def test_sign_in_refuses_a_wrong_password_then_accepts(qtbot, ui_db) -> None:
    dialog = SignInDialog(ui_db, default_user="admin", unit_name="Xã Bình Gia")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.password, "sai")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.actor is None
    assert dialog.message.text() != ""
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, "demo")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.actor is not None and dialog.actor.username == "admin"
    assert dialog.result() == SignInDialog.DialogCode.Accepted


def test_status_bar_names_unit_and_user_and_about_names_the_data_folder(qtbot, ctx) -> None:
    window = MainWindow(ctx, [SettingsPage])
    qtbot.addWidget(window)
    assert "Xã Bình Gia" in window.unit_label.text()
    assert "admin" in window.user_label.text()
    assert window.unexported_label.text().endswith(tuple("0123456789"))
    window.show_about()
    kind, _, text = ctx.prompts.shown[-1]
    assert kind == "info" and str(ctx.db.location.folder) in text


def test_idle_lock_hides_the_data_until_the_password_is_given(qtbot, ctx) -> None:
    window = MainWindow(ctx, [SettingsPage], idle_minutes=10)
    qtbot.addWidget(window)
    window.show()
    window.lock()
    dialog = window._lock_dialog
    assert not window.centralWidget().isVisible()
    assert dialog.username.text() == "admin" and dialog.username.isReadOnly()
    dialog.password.setText("wrong")
    dialog.try_sign_in()
    assert not window.centralWidget().isVisible()
    dialog.password.setText("demo")
    dialog.try_sign_in()
    assert window.centralWidget().isVisible()


def test_idle_watcher_fires_after_the_set_time(qtbot, ctx) -> None:
    window = MainWindow(ctx, [SettingsPage], idle_minutes=0.001)  # 60 ms
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: getattr(window, "_lock_dialog", None) is not None, timeout=3000)
    window._lock_dialog.password.setText("demo")
    window._lock_dialog.try_sign_in()


def test_viewer_cannot_change_settings(qtbot, viewer_ctx) -> None:
    page = SettingsPage(viewer_ctx)
    qtbot.addWidget(page)
    assert not page.save_button.isEnabled() and not page.max_rows.isEnabled()


def test_a_restored_data_file_is_told_once_in_the_people_s_language(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from nhao.ui import i18n

    reason = "dữ liệu được khôi phục từ bản sao lưu cũ hơn"  # as the sync service says it
    assert i18n.install("vi")
    try:
        window = MainWindow(ctx, [SettingsPage])
        qtbot.addWidget(window)
        window.tell_new_epoch(reason)
    finally:
        i18n.install("en")
    kind, title, text = ctx.prompts.shown[-1]
    assert (kind, title) == ("info", "Dữ liệu khôi phục hoặc sao chép")
    assert text.startswith(f"Tệp dữ liệu này bắt đầu một danh tính đồng bộ mới: {reason}.")
    assert "cấp trên giữ cả hai phiếu" in text


def test_the_import_size_limit_is_a_setting_the_administrator_changes(qtbot, ctx) -> None:
    from nhao.services.household_import import import_limits

    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    assert page.max_rows.value() == import_limits(ctx.db).max_rows
    page.max_rows.setValue(300_000)
    page.max_megabytes.setValue(80)
    page.save_button.click()
    assert ctx.prompts.errors() == []
    limits = import_limits(ctx.db)
    assert (limits.max_rows, limits.max_megabytes) == (300_000, 80)
    assert SettingsPage(ctx).max_rows.value() == 300_000


def test_an_unexpected_error_is_one_sentence_and_a_log_with_the_details(qapp) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from nhao.ui.task_runner import describe_failure

    def a_fault_of_nhaos_own() -> None:
        {}["thon"]

    try:
        a_fault_of_nhaos_own()
    except KeyError as error:
        text = describe_failure(error)
    assert text.startswith("nhao met an unexpected error (KeyError).")
    log = Path(text.split(" are in ", 1)[1].rsplit(": send", 1)[0])
    assert log.is_file() and log.parent.name == "logs"
    assert "a_fault_of_nhaos_own" in log.read_text(encoding="utf-8")


def test_a_server_database_is_not_said_to_lack_a_backup(qtbot, empty_server_url) -> None:  # type: ignore[no-untyped-def]
    """nhao backs up database files only: a province office on PostgreSQL read "Last
    backup: never" for ever, as if something had gone wrong, with no way to make one."""
    from nhao.config import resolve_database
    from nhao.models.database import Database
    from nhao.services import setup

    from .conftest import make_ctx

    server = Database(resolve_database(empty_server_url))
    try:
        server.open()
        setup.initialize(server, unit_code="20", admin_username="tinh", admin_password="demo")
        window = MainWindow(make_ctx(server, "tinh"), [SettingsPage])
        qtbot.addWidget(window)
        assert window.backup_label.text() == "Backups: by the database server"
        assert "pg_dump" in window.backup_label.toolTip()
    finally:
        server.dispose()


# 1366×768 at Windows' 125 %: 1093×614 logical pixels, less a 40-pixel taskbar and a
# 32-pixel title bar. A window whose minimum is larger cannot be made to fit: maximized,
# its right or bottom edge lies beyond the screen, with the buttons there.
SMALL_SCREEN = (1093, 614 - 40 - 32)


def test_the_window_fits_a_1366_laptop_at_125_percent(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from nhao.ui import i18n
    from nhao.ui.registry import default_pages

    assert i18n.install("vi")  # the longer words, as the clerks see them
    try:
        window = MainWindow(ctx, default_pages())
        qtbot.addWidget(window)
        window.show()
        hint = window.minimumSizeHint().expandedTo(window.minimumSize())
    finally:
        i18n.install("en")
    assert hint.width() <= SMALL_SCREEN[0] and hint.height() <= SMALL_SCREEN[1], hint


def test_the_lock_covers_dialogs_left_open_and_keeps_what_they_hold(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """Locked, the window hid its pages, but a household's detail and a half-typed form
    stayed on the screen of the shared laptop, names and citizen IDs in view."""
    from nhao.services import households as hh
    from nhao.ui.household_detail import HouseholdDetailDialog
    from nhao.ui.households.page import HouseholdsPage

    window = MainWindow(ctx, [HouseholdsPage, SettingsPage], idle_minutes=10)
    qtbot.addWidget(window)
    window.show()
    first = hh.list_households(ctx.db, ctx.actor, hh.HouseholdQuery())[0]
    detail = HouseholdDetailDialog(ctx, first.id, parent=window)
    qtbot.addWidget(detail)
    detail.show()
    detail.form_button.click()
    form = detail.form_dialog
    form.phone.setText("0912345678")
    qtbot.waitExposed(form)
    window.lock()

    def covers(dialog: QWidget) -> list[QWidget]:
        only = Qt.FindChildOption.FindDirectChildrenOnly
        found = dialog.findChildren(QWidget, "lock_cover", only)
        return [c for c in found if c.isVisible()]

    for dialog in (detail, form):
        assert covers(dialog) and covers(dialog)[0].geometry() == dialog.rect(), dialog
        assert dialog.childAt(dialog.rect().center()) is covers(dialog)[0]
    titled = detail.windowTitle()
    assert first.head_name not in titled and first.head_name not in form.windowTitle()
    window._lock_dialog.password.setText("demo")
    window._lock_dialog.try_sign_in()
    assert form.isVisible() and form.phone.text() == "0912345678"  # nothing lost
    assert first.head_name in detail.windowTitle() and first.head_name in form.windowTitle()
    qtbot.waitUntil(lambda: not covers(form) and not covers(detail))
