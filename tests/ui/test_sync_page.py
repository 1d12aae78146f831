"""The Sync page on real databases: a hamlet laptop's bundle checked (dry run), then
imported at the commune, re-imported as a no-op; bundles that wait; a conflict
resolved; possible duplicates reviewed; keys shown, trusted and revoked; exports."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication

from nhao.config import resolve_database
from nhao.domain.enums import Category, Role
from nhao.models.database import Database
from nhao.services import households as hh
from nhao.services import setup, sync, units, users
from nhao.services.actor import Actor
from nhao.services.errors import PermissionDenied
from nhao.services.sync import keys
from nhao.services.unit_of_work import self_station
from nhao.tasks import Cancelled, CancelToken, Progress
from nhao.ui.context import AppContext
from nhao.ui.prompts import ScriptedPrompts
from nhao.ui.sync_page.common import PasswordDialog, UnitNames, local_time_text, stamp_time_text
from nhao.ui.sync_page.models import ConflictsModel, ImportReportModel, TrustedKeysModel
from nhao.ui.sync_page.page import SyncPage
from nhao.ui.task_runner import InlineTaskRunner, TaskRunner

from .conftest import make_ctx

COMMUNE = "06112"
PASSWORD = "demo"  # the commune's admin (tests/ui/conftest.py)
HAMLET_PASSWORD = "demo-pass"
HAMLET_NAME = "Thôn Khau Ràng"


def tr(owner: QObject, text: str, *args: str) -> str:
    """The string as the window shows it, whichever language is installed."""
    shown = owner.tr(text)
    for number, arg in enumerate(args, start=1):
        shown = shown.replace(f"%{number}", arg)
    return shown


@dataclass
class Hamlet:
    """A hamlet laptop of the same commune, on its own database file."""

    db: Database
    actor: Actor
    folder: Path
    unit: str

    def add(self, name: str, **extra) -> str:  # type: ignore[no-untyped-def]
        data = hh.HouseholdInput(
            hamlet_code=self.unit, head_name=name, categories=frozenset({Category.poor}), **extra
        )
        return hh.create_household(self.db, self.actor, data).id

    def edit(self, household_id: str, **changes) -> None:  # type: ignore[no-untyped-def]
        edit(self.db, self.actor, household_id, **changes)

    def export(self, name: str) -> Path:
        out = self.folder / name
        sync.export_bundle(self.db, self.actor, HAMLET_PASSWORD, out)
        return out


def edit(db: Database, actor: Actor, household_id: str, **changes) -> None:  # type: ignore[no-untyped-def]
    view = hh.get_household(db, actor, household_id)
    hh.update_household(db, actor, household_id, replace(view.as_input(), **changes))


def key_file(db: Database, folder: Path, name: str) -> tuple[Path, str]:
    path = keys.export_public_key(db, folder / f"{name}.nhaokey")
    return path, keys.show_key(db).fingerprint


@pytest.fixture
def hamlet(tmp_path: Path) -> Iterator[Hamlet]:
    folder = tmp_path / "hamlet"
    folder.mkdir()
    db = Database(resolve_database(folder / "nhao.sqlite"))
    db.open()
    setup.initialize(
        db, unit_code=COMMUNE, admin_username="admin", admin_password=HAMLET_PASSWORD,
        hamlet_name=HAMLET_NAME,
    )
    actor = users.authenticate(db, "admin", HAMLET_PASSWORD)
    yield Hamlet(db, actor, folder, keys.show_key(db).unit_code)
    db.dispose()


@pytest.fixture
def linked(hamlet: Hamlet, ctx: AppContext, tmp_path: Path) -> Hamlet:
    """The commune trusts the hamlet as a child, the hamlet the commune as its parent."""
    path, fingerprint = key_file(hamlet.db, tmp_path, "hamlet")
    keys.trust_key(ctx.db, ctx.actor, path, fingerprint, "child")
    path, fingerprint = key_file(ctx.db, tmp_path, "commune")
    keys.trust_key(hamlet.db, hamlet.actor, path, fingerprint.replace(" ", "").lower(), "parent")
    return hamlet


def make_page(ctx: AppContext, qtbot) -> SyncPage:  # type: ignore[no-untyped-def]
    page = SyncPage(ctx)
    qtbot.addWidget(page)
    page.asked = []  # type: ignore[attr-defined]

    def ask(title: str) -> str:
        page.asked.append(title)  # type: ignore[attr-defined]
        return PASSWORD

    page.ask_password = ask  # type: ignore[method-assign]
    page.resize(1366 - 190, 768 - 90)  # the window's room beside the navigation
    page.show()
    return page


@pytest.fixture
def page(ctx: AppContext, qtbot) -> SyncPage:  # type: ignore[no-untyped-def]
    return make_page(ctx, qtbot)


def changes_seen(ctx: AppContext) -> list[frozenset]:
    seen: list[frozenset] = []
    ctx.hub.sig_changed.connect(seen.append)
    return seen


def station_id(ctx: AppContext) -> str:
    with ctx.db.session() as session:
        return self_station(session).id


def count(ctx: AppContext) -> int:
    return hh.count_households(ctx.db, ctx.actor, hh.HouseholdQuery())


def choose(page: SyncPage, ctx: AppContext, *paths: Path) -> list[str]:
    """Pick files on the Import tab (which runs the dry run); the statuses shown."""
    ctx.prompts.file_answers.append(list(paths))  # type: ignore[attr-defined]
    page.import_tab.choose_button.click()
    return [r["status"] for r in page.import_tab.reports]


def test_dry_run_then_import_then_reimport_is_skipped(
    page: SyncPage, ctx: AppContext, linked: Hamlet, tmp_path: Path, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    for name in ("Lương Văn Thắng", "Hà Thị Sáu", "Vi Văn Nhất"):
        linked.add(name)
    bundle = linked.export("thon.nhao")
    before = count(ctx)
    seen = changes_seen(ctx)

    tab = page.import_tab
    assert choose(page, ctx, bundle) == ["dry-run"]
    model = tab.model
    rows = {model.item(r).entity: model.item(r) for r in range(model.rowCount())}
    assert rows["household"].counts["new"] == 3 and rows["household"].status == "dry-run"
    household_row = next(r for r in range(model.rowCount()) if model.item(r).entity == "household")
    assert model.index(household_row, ImportReportModel.STATUS).data() == tr(
        model, "Checked, nothing written"
    )
    assert model.index(household_row, ImportReportModel.NEW).data() == "3"
    # The hamlet is not known here before the import: its code stands for it.
    assert model.index(household_row, ImportReportModel.SENDER).data() == linked.unit
    assert count(ctx) == before  # a dry run writes nothing
    assert seen == [] and page.asked == [tr(tab, "Check bundles")]  # type: ignore[attr-defined]
    assert tab.apply_button.isEnabled() and not tab.ack_button.isEnabled()
    qtmodeltester.check(model)

    tab.apply_button.click()
    assert [r["status"] for r in tab.reports] == ["applied"]
    assert count(ctx) == before + 3
    # The import that follows the check takes the password typed for the check.
    assert page.asked == [tr(tab, "Check bundles")]  # type: ignore[attr-defined]
    assert any("household" in entities for entities in seen)
    sender = model.index(0, ImportReportModel.SENDER)
    # Its name; the code (in the tooltip) would cut the name short at 1366×768.
    assert sender.data() == HAMLET_NAME
    assert sender.data(Qt.ItemDataRole.ToolTipRole) == f"{HAMLET_NAME} ({linked.unit})"
    assert not tab.apply_button.isEnabled()

    report = tmp_path / "report"
    ctx.prompts.save_answers.append(report)  # type: ignore[attr-defined]
    tab.save_button.click()
    sheet = load_workbook(tmp_path / "report.xlsx").active
    assert sheet["A2"].value.startswith("Nơi nhập: Xã Bình Gia (06112) · Lập lúc ")
    assert [c.value for c in next(sheet.iter_rows(min_row=5))][:2] == ["thon.nhao", "Đã nhập"]
    assert ctx.runner.ran[-1] == tr(tab, "Save the import report")  # off the GUI thread

    tab.table.selectRow(0)  # a receipt for the hamlet: what the commune now has
    ctx.prompts.save_answers.append(tmp_path / "thon.nhaoack")  # type: ignore[attr-defined]
    tab.ack_button.click()
    receipt = sync.import_ack(linked.db, linked.actor, tmp_path / "thon.nhaoack")
    assert receipt["status"] == "applied"

    # The check says so already: it said "checked, nothing written", with empty counts.
    assert choose(page, ctx, bundle) == ["skipped"]
    assert model.index(0, ImportReportModel.STATUS).data() == tr(model, "Already imported")
    assert not tab.apply_button.isEnabled()  # nothing to write: not offered
    assert tr(tab, "Press Import to write them.") not in tab.summary.text()
    # The hamlet resent it for want of a receipt: one can be written without importing.
    ctx.prompts.save_answers.append(tmp_path / "lai.nhaoack")  # type: ignore[attr-defined]
    tab.ack_button.click()
    assert sync.import_ack(linked.db, linked.actor, tmp_path / "lai.nhaoack")["status"]
    tab.apply_button.click()
    assert [r["status"] for r in tab.reports] == ["skipped"]
    assert count(ctx) == before + 3
    assert ctx.prompts.errors() == []  # type: ignore[attr-defined]
    # Receipts and checks of new files ask again; a password serves one import only.
    check, receipt = tr(tab, "Check bundles"), tr(tab, "Write acknowledgement")
    assert page.asked == [check, receipt, check, receipt]  # type: ignore[attr-defined]


def test_import_runs_off_the_gui_thread(ctx: AppContext, linked: Hamlet, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx.runner = TaskRunner()
    page = make_page(ctx, qtbot)
    linked.add("Lương Văn Thắng")
    before = count(ctx)
    ctx.prompts.file_answers.append([linked.export("thon.nhao")])  # type: ignore[attr-defined]
    page.import_tab.choose_button.click()
    qtbot.waitUntil(lambda: page.import_tab.reports != [], timeout=10000)
    assert page.import_tab.reports[0]["status"] == "dry-run"
    page.import_tab.apply_button.click()
    qtbot.waitUntil(lambda: page.import_tab.applied, timeout=10000)
    assert page.import_tab.reports[0]["status"] == "applied"
    assert ctx.runner.wait(10000) and count(ctx) == before + 1


def test_import_pressed_twice_imports_once_and_reports_it(
    ctx: AppContext, linked: Hamlet, qtbot  # type: ignore[no-untyped-def]
) -> None:
    ctx.runner = TaskRunner()
    page = make_page(ctx, qtbot)
    tab = page.import_tab
    linked.add("Lương Văn Thắng")
    before = count(ctx)
    ctx.prompts.file_answers.append([linked.export("thon.nhao")])  # type: ignore[attr-defined]
    tab.choose_button.click()
    qtbot.waitUntil(lambda: tab.reports != [], timeout=10000)
    tab.apply_button.click()
    assert not tab.apply_button.isEnabled() and not tab.check_button.isEnabled()
    tab.apply_button.click()  # an impatient second press, before the dialog shows
    qtbot.waitUntil(lambda: tab.applied, timeout=10000)
    assert ctx.runner.wait(10000)
    qtbot.wait(50)
    assert [r["status"] for r in tab.reports] == ["applied"]  # not "already imported"
    assert page.asked == [tr(tab, "Check bundles")]  # type: ignore[attr-defined]
    assert count(ctx) == before + 1
    assert tab.choose_button.isEnabled() and tab.save_button.isEnabled()


def test_a_bundle_that_comes_early_waits_then_applies(
    page: SyncPage, ctx: AppContext, linked: Hamlet
) -> None:
    linked.add("Lương Văn Thắng")
    first = linked.export("first.nhao")
    linked.add("Hà Thị Sáu")
    second = linked.export("second.nhao")
    before = count(ctx)

    assert choose(page, ctx, second) == ["pending"]
    page.import_tab.apply_button.click()
    assert [r["status"] for r in page.import_tab.reports] == ["pending"]
    pending = page.pending_tab.model
    assert pending.rowCount() == 1
    assert pending.index(0, 0).data() == "second.nhao"
    assert "đang chờ" in pending.index(0, pending.WAITING).data()
    assert page.tabs.tabText(2) == tr(page, "Waiting (%1)", "1")

    choose(page, ctx, first)
    page.import_tab.apply_button.click()
    assert [(r["file"], r["status"]) for r in page.import_tab.reports] == [
        ("first.nhao", "applied"), ("second.nhao", "applied"),
    ]
    assert count(ctx) == before + 2
    assert pending.rowCount() == 0 and page.tabs.tabText(2) == tr(page, "Waiting")


class CancelAfterFirst(InlineTaskRunner):
    """Runs inline, and the person presses Cancel while the first file is checked."""

    def run(self, work, *, parent, title, on_success=None, on_failure=None):  # type: ignore[no-untyped-def,override]
        cancel = CancelToken()

        def seen(done: int, total: int, _text: str) -> None:
            if done == 0 and total > 1:
                cancel.cancel()

        result = work(Progress(seen, interval=0), cancel)
        if on_success:
            on_success(result)
        return cancel


def test_a_cancelled_check_imports_only_what_was_checked(
    page: SyncPage, ctx: AppContext, linked: Hamlet
) -> None:
    linked.add("Lương Văn Thắng")
    first = linked.export("first.nhao")
    linked.add("Hà Thị Sáu")
    second = linked.export("second.nhao")
    before = count(ctx)
    ctx.runner = CancelAfterFirst()
    assert choose(page, ctx, first, second) == ["dry-run"]  # the second was never checked
    ctx.runner = InlineTaskRunner()
    page.import_tab.apply_button.click()
    # Only the checked bundle is written: the other was not seen by anyone.
    assert [r["file"] for r in page.import_tab.reports] == ["first.nhao"]
    assert count(ctx) == before + 1


def test_a_file_changed_after_the_check_is_not_imported_unseen(
    page: SyncPage, ctx: AppContext, linked: Hamlet, tmp_path: Path
) -> None:
    linked.add("Lương Văn Thắng")
    bundle = linked.export("thon.nhao")
    before = count(ctx)
    assert choose(page, ctx, bundle) == ["dry-run"]
    # Between the check and the import the file is replaced by a later, bigger export.
    for name in ("Hà Thị Sáu", "Vi Văn Nhất"):
        linked.add(name)
    sync.export_bundle(linked.db, linked.actor, "demo-pass", bundle, full=True)
    page.import_tab.apply_button.click()
    [report] = page.import_tab.reports
    assert report["status"] == "refused"
    assert "thon.nhao" in report["reason"] and "kiểm tra" in report["reason"]
    assert count(ctx) == before

    bundle.unlink()  # deleted: refused too, in one Vietnamese sentence naming the file
    page.import_tab.check_button.click()
    [report] = page.import_tab.reports
    assert report["status"] == "refused"
    assert report["reason"] == (
        "Không còn thấy tệp thon.nhao (đã bị xóa, đổi tên, hay USB đã bị rút ra?); "
        "hãy chọn lại tệp."
    )


def test_the_saved_report_speaks_vietnamese(
    page: SyncPage, ctx: AppContext, linked: Hamlet, tmp_path: Path
) -> None:
    linked.add("Lương Văn Thắng")
    bundle = linked.export("thon.nhao")
    choose(page, ctx, bundle)
    ctx.prompts.save_answers.append(tmp_path / "kiem-tra")  # type: ignore[attr-defined]
    page.import_tab.save_button.click()
    sheet = load_workbook(tmp_path / "kiem-tra.xlsx").active
    assert sheet["A1"].value == "KẾT QUẢ KIỂM TRA GÓI DỮ LIỆU (CHƯA GHI)"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
    statuses = {row[1] for row in rows}
    entities = {row[3] for row in rows}
    assert statuses == {"Đã kiểm tra trước (chưa ghi)"}
    assert "Hộ gia đình" in entities and "household" not in entities


def test_the_waiting_list_does_not_read_the_held_bundles(
    page: SyncPage, ctx: AppContext, linked: Hamlet
) -> None:
    """The Waiting tab is read on the GUI thread each time the page is shown: it reads
    names and reasons, never the held bundles themselves (photos: megabytes each)."""
    from sqlalchemy import event

    linked.add("Lương Văn Thắng")
    linked.export("first.nhao")
    linked.add("Hà Thị Sáu")
    assert choose(page, ctx, linked.export("second.nhao")) == ["pending"]
    page.import_tab.apply_button.click()
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(ctx.db.engine, "before_cursor_execute", seen)
    try:
        page.shown()
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", seen)
    assert page.pending_tab.count() == 1
    reading = [s for s in statements if "sync_pending" in s]
    assert reading and not any("content" in s for s in reading)


def test_a_refused_file_stays_in_the_report_after_the_others_are_imported(
    page: SyncPage, ctx: AppContext, linked: Hamlet, tmp_path: Path
) -> None:
    linked.add("Lương Văn Thắng")
    good = linked.export("thon.nhao")
    broken = tmp_path / "hong.nhao"
    broken.write_bytes(b"not a bundle")
    before = count(ctx)
    assert choose(page, ctx, good, broken) == ["dry-run", "refused"]
    tab = page.import_tab
    tab.apply_button.click()
    assert count(ctx) == before + 1  # the others go in
    # The refused one is still listed, with its reason, and counted.
    assert [(r["file"], r["status"]) for r in tab.reports] == [
        ("thon.nhao", "applied"), ("hong.nhao", "refused"),
    ]
    assert tab.summary.text() == tr(
        tab, "Imported: %1. Already imported before: %2. Waiting for an earlier "
        "bundle: %3. Refused: %4.", "1", "0", "0", "1",
    )
    ctx.prompts.save_answers.append(tmp_path / "bao-cao.xlsx")  # type: ignore[attr-defined]
    tab.save_button.click()
    sheet = load_workbook(tmp_path / "bao-cao.xlsx").active
    files = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "hong.nhao" in files


def test_files_imported_before_stay_in_the_report_and_a_refused_one_keeps_its_receipt(
    page: SyncPage, ctx: AppContext, linked: Hamlet, tmp_path: Path
) -> None:
    """Four files chosen, one of them imported before: after Import the table listed
    three and said "Already imported before: 0"; and the refused bundle, whose reason
    says to write its sender a receipt, could no longer have one (the button went grey)."""
    linked.add("Lương Văn Thắng")
    first = linked.export("first.nhao")
    sync.import_bundles(ctx.db, ctx.actor, [first], password=PASSWORD)
    linked.add("Hà Thị Sáu")
    second = linked.export("second.nhao")
    folder = tmp_path / "stranger"
    folder.mkdir()
    stranger = Database(resolve_database(folder / "nhao.sqlite"))
    stranger.open()
    setup.initialize(
        stranger, unit_code=COMMUNE, admin_username="admin", admin_password=HAMLET_PASSWORD,
        hamlet_name="Thôn Lạ",
    )
    unknown = folder / "la.nhao"  # signed by a key the commune never trusted
    sync.export_bundle(
        stranger, users.authenticate(stranger, "admin", HAMLET_PASSWORD), HAMLET_PASSWORD, unknown
    )
    stranger.dispose()
    assert choose(page, ctx, first, second, unknown) == ["skipped", "dry-run", "refused"]
    tab = page.import_tab
    tab.apply_button.click()
    assert sorted((r["file"], r["status"]) for r in tab.reports) == [
        ("first.nhao", "skipped"), ("la.nhao", "refused"), ("second.nhao", "applied"),
    ]
    assert tab.summary.text() == tr(
        tab, "Imported: %1. Already imported before: %2. Waiting for an earlier "
        "bundle: %3. Refused: %4.", "1", "1", "0", "1",
    )
    rows = range(tab.model.rowCount())
    tab.table.selectRow(next(r for r in rows if tab.model.item(r).report["file"] == "la.nhao"))
    assert tab.ack_button.isEnabled()
    ctx.prompts.save_answers.append(tmp_path / "la.nhaoack")  # type: ignore[attr-defined]
    tab.ack_button.click()
    assert ctx.prompts.errors() == []  # type: ignore[attr-defined]
    assert json.loads((tmp_path / "la.nhaoack").read_text("utf-8"))["ack"]["status"] == "refused"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_bundles_of_one_hamlet_can_be_told_apart_in_the_report(
    ctx: AppContext, linked: Hamlet, qtbot, language: str  # type: ignore[no-untyped-def]
) -> None:
    """The names the Export tab suggests differ only at their end (the time): at
    1366×768 the File column shows that end, and Result its words whole."""
    from PySide6.QtWidgets import QStyleOptionViewItem

    from nhao.ui import i18n
    from nhao.ui.sync_page.export_tab import suggested_bundle_name

    names = [
        suggested_bundle_name(units.station_info(linked.db).unit, datetime(2026, 11, 23, hour, 30))
        for hour in (9, 10)
    ]
    linked.add("Lương Văn Thắng")
    first = linked.export(names[0])
    linked.add("Hà Thị Sáu")
    second = linked.export(names[1])
    i18n.install(language)
    try:
        page = make_page(ctx, qtbot)
        page.tabs.setCurrentWidget(page.import_tab)
        choose(page, ctx, first, second)
    finally:
        i18n.install("en")
    table = page.import_tab.table
    room = table.columnWidth(ImportReportModel.FILE) - 12  # the cell's margins
    metrics = table.fontMetrics()
    middle = table.itemDelegateForColumn(ImportReportModel.FILE)
    option = QStyleOptionViewItem()
    middle.initStyleOption(option, table.model().index(0, ImportReportModel.FILE))
    shown = [metrics.elidedText(n, option.textElideMode, room) for n in names]
    assert "0930" in shown[0] and "1030" in shown[1], shown
    for whole in (ImportReportModel.STATUS, ImportReportModel.SENDER, ImportReportModel.ENTITY):
        assert table.columnWidth(whole) >= table.sizeHintForColumn(whole), whole
    # All of it in the window's width, no scrolling sideways; the reason (also shown
    # in full below the table) keeps a little room.
    qtbot.wait(50)  # the scroll bars follow the layout
    widths = [table.columnWidth(c) for c in range(ImportReportModel.COLUMNS)]
    assert sum(widths) <= table.viewport().width(), widths
    assert not table.horizontalScrollBar().isVisible()


def test_a_wrong_password_on_retry_keeps_the_waiting_bundle_and_says_so(
    page: SyncPage, ctx: AppContext, linked: Hamlet
) -> None:
    linked.add("Lương Văn Thắng")
    first = linked.export("first.nhao")
    linked.add("Hà Thị Sáu")
    second = linked.export("second.nhao")  # sealed to the commune, like every bundle up
    assert choose(page, ctx, second) == ["pending"]
    page.import_tab.apply_button.click()
    assert page.pending_tab.count() == 1

    page.ask_password = lambda title: "not-the-password"  # type: ignore[method-assign]
    page.pending_tab.retry_button.click()
    assert page.pending_tab.count() == 1
    # What it waits for has not come: it is not opened, and that is what is said.
    assert ctx.prompts.errors() == []  # type: ignore[attr-defined]
    assert "not arrived" in ctx.prompts.shown[-1][2]  # type: ignore[attr-defined]

    # The missing one came by another way (the command line): now it is opened.
    from nhao.services.sync.importing import import_data

    taken = import_data(ctx.db, ctx.actor, first.read_bytes(), first.name, password=PASSWORD)
    assert taken["status"] == "applied"
    page.pending_tab.retry_button.click()
    assert page.pending_tab.count() == 1  # a typo does not throw the bundle away
    [error] = ctx.prompts.errors()  # type: ignore[attr-defined]
    assert "second.nhao" in error

    page.ask_password = lambda title: PASSWORD  # type: ignore[method-assign]
    page.pending_tab.retry_button.click()
    assert page.pending_tab.count() == 0


def test_a_waiting_bundle_applied_by_try_again_is_said(
    page: SyncPage, ctx: AppContext, linked: Hamlet
) -> None:
    """The missing bundle came in by another way than this page (the command line on
    this computer, which applies what waits at its next import): Try again applies
    the waiting one and says so; the row only vanished before."""
    from nhao.services.sync.importing import import_data

    linked.add("Lương Văn Thắng")
    first = linked.export("first.nhao")
    linked.add("Hà Thị Sáu")
    assert choose(page, ctx, linked.export("second.nhao")) == ["pending"]
    page.import_tab.apply_button.click()
    assert page.pending_tab.count() == 1
    taken = import_data(ctx.db, ctx.actor, first.read_bytes(), first.name, password=PASSWORD)
    assert taken["status"] == "applied"

    page.pending_tab.retry_button.click()
    assert page.pending_tab.count() == 0
    assert ctx.prompts.shown[-1][2] == page.pending_tab.tr(  # type: ignore[attr-defined]
        "%n waiting bundle(s) applied.", "", 1
    )


def test_the_review_tabs_read_their_households_at_once(
    page: SyncPage, ctx: AppContext, linked: Hamlet
) -> None:
    """Conflicts and possible duplicates are listed on the GUI thread each time the page
    is shown: a province has thousands, so their households are read in one go, not
    one query (three) per household."""
    from sqlalchemy import event

    from .conftest import PEOPLE

    for name, _ethnicity, year, *_rest in PEOPLE:  # every one also at the commune
        linked.add(name, birth_year=year)
    choose(page, ctx, linked.export("dup.nhao"))
    page.import_tab.apply_button.click()
    assert page.import_tab.reports[0]["possible_duplicates"] == len(PEOPLE)
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(ctx.db.engine, "before_cursor_execute", seen)
    try:
        page.duplicates_tab.refresh()
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", seen)
    assert page.duplicates_tab.model.rowCount() == len(PEOPLE)
    first = page.duplicates_tab.model.index(0, 0).data()
    assert " — " in first and first.split(" — ")[0] in {p[0] for p in PEOPLE}
    reading = [s for s in statements if "FROM household" in s]
    assert len(reading) <= 2, len(reading)


def test_conflict_listed_then_resolved(
    page: SyncPage, ctx: AppContext, linked: Hamlet, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    household_id = linked.add("Nguyễn Văn Ấn")
    sync.import_bundles(ctx.db, ctx.actor, [linked.export("one.nhao")], password=PASSWORD)
    linked.edit(household_id, phone="0911111111")
    edit(ctx.db, ctx.actor, household_id, phone="0922222222")  # later stamp: stands
    choose(page, ctx, linked.export("two.nhao"))
    page.import_tab.apply_button.click()
    assert page.import_tab.reports[0]["entities"]["household"]["conflicts"] == 1

    tab = page.conflicts_tab
    model = tab.model
    assert model.rowCount() == 1
    cells = [model.index(0, c).data() for c in range(model.columnCount())]
    assert cells[ConflictsModel.RECORD] == f"Nguyễn Văn Ấn — {HAMLET_NAME}"
    assert cells[ConflictsModel.FIELD] == "Số điện thoại"
    assert (cells[ConflictsModel.KEPT], cells[ConflictsModel.OTHER]) == ("0922222222", "0911111111")
    assert cells[ConflictsModel.BUNDLE] == "two.nhao" and cells[ConflictsModel.RESOLVED] == ""
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", cells[ConflictsModel.OTHER_AT])
    assert page.tabs.tabText(3) == tr(page, "Conflicts (%1)", "1")
    qtmodeltester.check(model)
    assert not tab.other_button.isEnabled()  # nothing chosen yet
    assert tab.table.isColumnHidden(ConflictsModel.RESOLVED)  # its room goes to the values
    # The household's name and hamlet read whole at 1366 px ("Thôn Khau Ràn…").
    metrics, margin = tab.table.fontMetrics(), 12
    shown = tab.model.index(0, ConflictsModel.RECORD).data()
    assert tab.table.columnWidth(ConflictsModel.RECORD) >= metrics.horizontalAdvance(shown) + margin
    assert tab.table.isColumnHidden(ConflictsModel.ENTITY)  # households alone: said once

    tab.table.selectRow(0)
    tab.other_button.click()
    assert sync.list_conflicts(ctx.db) == []
    assert model.rowCount() == 0
    assert tab.done_label.text() == tr(
        tab, "%1 of %2: “%3” chosen; the choice goes with the next bundle."
    ).replace("%1", "Số điện thoại").replace("%2", f"Nguyễn Văn Ấn — {HAMLET_NAME}").replace(
        "%3", "0911111111"
    )
    assert hh.get_household(ctx.db, ctx.actor, household_id).phone == "0911111111"
    tab.show_resolved.setChecked(True)
    assert model.rowCount() == 1
    resolved = model.index(0, ConflictsModel.RESOLVED).data()  # when, and to which value
    assert resolved.startswith(tr(model, "“%1”, chosen %2", "0911111111")[:14]), resolved
    assert not tab.table.isColumnHidden(ConflictsModel.RESOLVED)
    # On the screen at 1366 px with the rest, not behind a scroll bar: the bundle, and
    # the chosen value at the start of the column.
    page.tabs.setCurrentWidget(tab)
    QApplication.processEvents()  # laid out at the page's size
    right_edge = tab.table.viewport().width()
    resolved_at = tab.table.columnViewportPosition(ConflictsModel.RESOLVED)
    assert tab.table.columnViewportPosition(ConflictsModel.BUNDLE) + 90 <= right_edge
    assert resolved_at + metrics.horizontalAdvance("“0911111111”") + margin <= right_edge
    tab.table.selectRow(0)
    assert not tab.keep_button.isEnabled()  # a resolved conflict cannot be resolved again


def phones_in_conflict(
    page: SyncPage, ctx: AppContext, linked: Hamlet, names: tuple[str, ...]
) -> list[str]:
    """Households of the hamlet whose phone was changed there and, later, here: one
    conflict each once the hamlet's bundle is imported on the page."""
    ids = [linked.add(name) for name in names]
    sync.import_bundles(ctx.db, ctx.actor, [linked.export("one.nhao")], password=PASSWORD)
    for n, household_id in enumerate(ids):
        linked.edit(household_id, phone=f"091111111{n}")
        edit(ctx.db, ctx.actor, household_id, phone=f"092222222{n}")
    choose(page, ctx, linked.export("two.nhao"))
    page.import_tab.apply_button.click()
    return ids


def test_after_a_conflict_is_resolved_the_next_one_is_chosen(
    page: SyncPage, ctx: AppContext, linked: Hamlet
) -> None:
    """Each choice read the list again and chose nothing: with hundreds of conflicts
    the person went back to the top and looked for where they were."""
    names = ("Nguyễn Văn Ấn", "Lý Thị Mẩy", "Giàng A Dình")
    phones_in_conflict(page, ctx, linked, names)
    tab = page.conflicts_tab
    records = [tab.model.item(r).record for r in range(tab.model.rowCount())]
    assert len(records) == 3
    tab.table.selectRow(1)
    tab.keep_button.click()
    assert [tab.model.item(r).record for r in range(tab.model.rowCount())] == [
        records[0], records[2]
    ]
    assert [i.row() for i in tab.table.selectionModel().selectedRows()] == [1]
    assert tab.keep_button.isEnabled() and tab.other_button.isEnabled()


def test_the_second_half_of_a_double_click_does_not_decide_the_next_row(
    page: SyncPage, ctx: AppContext, linked: Hamlet, qtbot
) -> None:  # type: ignore[no-untyped-def]
    """After a decision the next row is chosen, so that hundreds are gone through in
    order; a double-click on Use the other value then decided that next row too, one
    nobody had looked at. A click that soon after, the row untouched, is ignored."""
    ids = phones_in_conflict(page, ctx, linked, ("Nguyễn Văn Ấn", "Lý Thị Mẩy"))
    tab = page.conflicts_tab
    tab.table.selectRow(0)
    first = tab.model.item(0).view.record_id
    tab.other_button.click()
    tab.other_button.click()  # the double-click's second press, on the row chosen next
    assert [c.record_id for c in sync.list_conflicts(ctx.db)] == [r for r in ids if r != first]
    # A second look later (past a double-click's time) decides the row chosen, as meant.
    qtbot.wait(QApplication.doubleClickInterval() + 100)
    tab.other_button.click()
    assert sync.list_conflicts(ctx.db) == []
    assert {hh.get_household(ctx.db, ctx.actor, h).phone[:4] for h in ids} == {"0911"}


def test_several_conflicts_chosen_are_resolved_at_once(
    page: SyncPage, ctx: AppContext, linked: Hamlet, qtbot
) -> None:  # type: ignore[no-untyped-def]
    """A hamlet that retyped its phone numbers brings a conflict for each household the
    commune also edited: one click each, hundreds of times, was the only way."""
    from PySide6.QtCore import QItemSelectionModel

    names = ("Nguyễn Văn Ấn", "Lý Thị Mẩy", "Giàng A Dình", "Hà Thị Sáu")
    ids = phones_in_conflict(page, ctx, linked, names)
    tab, prompts = page.conflicts_tab, ctx.prompts
    assert tab.model.rowCount() == 4
    picked = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    tab.table.selectRow(0)
    tab.table.selectionModel().select(tab.model.index(2, 0), picked)  # Ctrl+click
    chosen = {tab.model.item(r).view.record_id for r in (0, 2)}
    assert tab.other_button.isEnabled()

    prompts.confirm_answers.append(False)  # type: ignore[attr-defined]
    tab.other_button.click()  # asked first: two at once is not a slip of the mouse
    assert prompts.shown[-1][0] == "confirm"  # type: ignore[attr-defined]
    assert prompts.shown[-1][2] == tab.tr(  # type: ignore[attr-defined]
        "Use the other value in the %n chosen conflict(s)?", "", 2
    )
    assert len(sync.list_conflicts(ctx.db)) == 4

    prompts.confirm_answers.append(True)  # type: ignore[attr-defined]
    tab.other_button.click()
    assert tab.model.rowCount() == 2 and len(sync.list_conflicts(ctx.db)) == 2
    for n, household_id in enumerate(ids):
        phone = hh.get_household(ctx.db, ctx.actor, household_id).phone
        assert phone == (f"091111111{n}" if household_id in chosen else f"092222222{n}")
    assert tab.done_label.text() == tab.tr(
        "%n conflict(s) resolved; the choices go with the next bundle.", "", 2
    )
    assert page.tabs.tabText(3) == tr(page, "Conflicts (%1)", "2")

    # Every row chosen (what Ctrl+A does: a key click with Ctrl would leave the test
    # application's Ctrl held for the tests after it); the value that stands is kept.
    tab.table.selectAll()
    assert len(tab.chosen()) == 2
    prompts.confirm_answers.append(True)  # type: ignore[attr-defined]
    tab.keep_button.click()
    assert tab.model.rowCount() == 0 and sync.list_conflicts(ctx.db) == []
    assert page.tabs.tabText(3) == tr(page, "Conflicts")
    # Each choice went as a change, down to the hamlet that made the other edits.
    sync.import_bundles(
        linked.db, linked.actor, [page_export(ctx, linked)], password=HAMLET_PASSWORD
    )
    for household_id in ids:
        assert hh.get_household(linked.db, linked.actor, household_id).phone == (
            hh.get_household(ctx.db, ctx.actor, household_id).phone
        )


def test_a_cancelled_resolution_writes_nothing_and_leaves_the_buttons_alive(
    page: SyncPage, ctx: AppContext, linked: Hamlet
) -> None:
    """Cancel in the progress window ended the job without a word back: the buttons
    stayed greyed until the page was opened again."""
    ids = phones_in_conflict(page, ctx, linked, ("Nguyễn Văn Ấn", "Lý Thị Mẩy"))
    tab = page.conflicts_tab
    ctx.runner = CancellingRunner()
    tab.table.selectAll()
    ctx.prompts.confirm_answers.append(True)  # type: ignore[attr-defined]
    tab.other_button.click()
    assert ctx.runner.ran == [tr(tab, "Resolve conflict")]  # type: ignore[attr-defined]
    assert len(sync.list_conflicts(ctx.db)) == 2 and tab.model.rowCount() == 2
    assert tab.keep_button.isEnabled() and tab.other_button.isEnabled()
    for household_id in ids:
        assert hh.get_household(ctx.db, ctx.actor, household_id).phone.startswith("0922")


def page_export(ctx: AppContext, linked: Hamlet) -> Path:
    """The commune's bundle for the hamlet, as the Export tab makes it."""
    out = linked.folder / "xuong.nhao"
    sync.export_bundle(ctx.db, ctx.actor, PASSWORD, out, to=linked.unit)
    return out


def test_a_resolved_conflict_rereads_the_duplicates_only_when_it_renames_a_household(
    page: SyncPage, ctx: AppContext, linked: Hamlet, qtbot
) -> None:  # type: ignore[no-untyped-def]
    """Each conflict resolved re-read every tab of the page, the possible duplicates
    too: at a province of 22,000 pairs a second's wait after each of the conflicts."""
    hid = linked.add("Hoàng Văn Páo", birth_year=1975)  # also in Thôn Nà Pàn here
    sync.import_bundles(ctx.db, ctx.actor, [linked.export("one.nhao")], password=PASSWORD)
    linked.edit(hid, phone="0911111111", head_name="Hoàng Văn Pao")
    edit(ctx.db, ctx.actor, hid, phone="0922222222", head_name="Hoàng Văn Bảo")  # stands
    choose(page, ctx, linked.export("two.nhao"))
    page.import_tab.apply_button.click()
    tab, pairs = page.conflicts_tab, page.duplicates_tab
    assert tab.model.rowCount() == 2 and pairs.model.rowCount() == 1
    reading = tr(pairs, "Reading the possible duplicates")
    runner: InlineTaskRunner = ctx.runner  # type: ignore[assignment]
    read = runner.ran.count(reading)
    fields = [tab.model.item(r).view.field for r in range(2)]

    tab.table.selectRow(fields.index("phone"))
    tab.keep_button.click()
    assert runner.ran.count(reading) == read  # the pairs do not show a phone
    assert tab.model.rowCount() == 1 and page.tabs.tabText(3) == tr(page, "Conflicts (%1)", "1")

    # The row left, chosen by the tab, clicked on by the person (not the second half of a
    # double-click on Keep, which the tab ignores), then the other value used.
    left = tab.table.visualRect(tab.model.index(0, ConflictsModel.RECORD)).center()
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=left)
    tab.other_button.click()  # the hamlet's spelling: the pair's row says it now
    assert runner.ran.count(reading) == read + 1
    assert tab.model.rowCount() == 0 and page.tabs.tabText(3) == tr(page, "Conflicts")
    shown = {pairs.model.index(0, c).data().split(" — ")[0] for c in (0, 1)}
    assert shown == {"Hoàng Văn Páo", "Hoàng Văn Pao"}


def _deleted_there_edited_here(ctx: AppContext, linked: Hamlet) -> str:
    household_id = linked.add("Nguyễn Văn Ấn")
    sync.import_bundles(ctx.db, ctx.actor, [linked.export("one.nhao")], password=PASSWORD)
    hh.delete_household(linked.db, linked.actor, household_id, "Chuyển đi nơi khác")
    edit(ctx.db, ctx.actor, household_id, phone="0922222222")  # later: the household stays
    sync.import_bundles(ctx.db, ctx.actor, [linked.export("two.nhao")], password=PASSWORD)
    return household_id


def test_a_conflict_over_a_delete_is_said_in_words(
    page: SyncPage, ctx: AppContext, linked: Hamlet
) -> None:
    _deleted_there_edited_here(ctx, linked)
    page.conflicts_tab.refresh()
    model = page.conflicts_tab.model
    # Not the column's name: the empty value kept is the household not deleted.
    assert model.index(0, ConflictsModel.FIELD).data() == "Thời điểm xóa"
    assert model.index(0, ConflictsModel.KEPT).data() == "—"


def test_a_team_leader_cannot_resolve_another_hamlets_conflict(
    page: SyncPage, ctx: AppContext, linked: Hamlet, qtbot
) -> None:  # type: ignore[no-untyped-def]
    household_id = _deleted_there_edited_here(ctx, linked)
    leader = make_ctx(ctx.db, "totruong")  # team leader of Thôn Nà Pàn, not Khau Ràng
    tab = make_page(leader, qtbot).conflicts_tab
    tab.refresh()
    tab.table.selectRow(0)
    # The buttons say so before a click: the other value would delete the household.
    assert not tab.keep_button.isEnabled() and not tab.other_button.isEnabled()
    assert tab.other_button.toolTip() == tab.tr(
        "Your account may not change the records of some chosen rows."
    )
    (conflict,) = sync.list_conflicts(ctx.db)
    with pytest.raises(PermissionDenied, match="thôn mình"):
        sync.resolve_conflict(ctx.db, leader.actor, conflict.id, conflict.lost_value)
    assert len(sync.list_conflicts(ctx.db)) == 1
    assert hh.get_household(ctx.db, ctx.actor, household_id).deleted_at is None


def test_the_resolve_buttons_follow_who_may_edit_the_record(
    page: SyncPage, ctx: AppContext, linked: Hamlet, qtbot
) -> None:  # type: ignore[no-untyped-def]
    _deleted_there_edited_here(ctx, linked)
    users.create_user(ctx.db, ctx.actor, username="ketoan", password="demo", role=Role.accountant)
    for who, allowed in (("admin", True), ("ketoan", False)):  # a household: not the fund's
        tab = make_page(make_ctx(ctx.db, who), qtbot).conflicts_tab
        tab.refresh()
        tab.table.selectRow(0)
        assert tab.keep_button.isEnabled() is allowed, who
        assert tab.other_button.isEnabled() is allowed, who


def test_possible_duplicates_reviewed(page: SyncPage, ctx: AppContext, linked: Hamlet) -> None:
    hid = linked.add("Hoàng Văn Páo", birth_year=1975)  # also in Thôn Nà Pàn at the commune
    choose(page, ctx, linked.export("dup.nhao"))
    page.import_tab.apply_button.click()
    assert page.import_tab.reports[0]["possible_duplicates"] == 1

    tab = page.duplicates_tab
    assert tab.model.rowCount() == 1
    pair = {tab.model.index(0, 0).data(), tab.model.index(0, 1).data()}
    assert pair == {"Hoàng Văn Páo — Thôn Nà Pàn", f"Hoàng Văn Páo — {HAMLET_NAME}"}
    assert tab.model.index(0, 2).data() == tr(tab.model, "Same name and birth year")
    tab.table.selectRow(0)
    tab.same_button.click()
    assert sync.list_duplicates(ctx.db) == [] and tab.model.rowCount() == 0
    said = tab.done_label.text()  # the pair left the list; what was done is said
    assert said.startswith(tr(tab, "Marked as the same household: %1 and %2.")[:20])
    assert all(name in said for name in pair), said
    assert sync.list_duplicates(ctx.db, undecided_only=False)[0].decision == "same"

    # An edit of that household comes later: the pair was decided, nothing to review.
    linked.edit(hid, phone="0912345678")
    choose(page, ctx, linked.export("edit.nhao"))
    page.import_tab.apply_button.click()
    assert page.import_tab.reports[0]["entities"]["household"]["updated"] == 1
    assert page.import_tab.reports[0]["possible_duplicates"] == 0


def test_keys_tab_fingerprint_trust_and_revoke(
    page: SyncPage, ctx: AppContext, hamlet: Hamlet, tmp_path: Path, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    tab = page.keys_tab
    own = keys.show_key(ctx.db)
    assert tab.fingerprint.text() == own.fingerprint
    assert re.fullmatch(r"([A-Z2-7]{4} ){5}[A-Z2-7]{4}", tab.fingerprint.text())
    assert tab.key_id.text() == own.key_id
    assert tab.station_id.text() == own.station_id  # the fingerprint covers it
    ctx.prompts.save_answers.append(tmp_path / "mine")  # type: ignore[attr-defined]
    tab.export_button.click()
    assert keys.read_key_file(tmp_path / "mine.nhaokey")["fingerprint"] == own.fingerprint

    path, fingerprint = key_file(hamlet.db, tmp_path, "hamlet")
    ctx.prompts.file_answers.append([path])  # type: ignore[attr-defined]
    tab.trust_button.click()
    dialog = tab.trust_dialog
    assert dialog is not None and dialog.role() == "child"
    wrong = "AAAA" + fingerprint[4:]
    dialog.fingerprint.setText(wrong)
    dialog.ok_button.click()
    assert "không khớp" in ctx.prompts.errors()[-1]  # type: ignore[attr-defined]
    assert keys.list_trusted(ctx.db) == [] and dialog.isVisible()  # still open to fix it

    dialog.fingerprint.setText(fingerprint.lower().replace(" ", ""))
    dialog.ok_button.click()
    assert dialog.trusted and tab.trust_dialog is None
    [trusted] = keys.list_trusted(ctx.db)
    assert (trusted.unit_code, trusted.role) == (hamlet.unit, "child")
    assert tab.model.index(0, 0).data() == hamlet.unit  # its name arrives with its first bundle
    assert page.export_tab.recipient.findData(hamlet.unit) >= 0  # a recipient now
    qtmodeltester.check(tab.model)
    assert ctx.prompts.shown[-1][2] == tr(  # type: ignore[attr-defined]
        tab, "The key of %1 is now trusted.", hamlet.unit
    )
    # The same key file trusted again: said as it is, not "now trusted" once more.
    ctx.prompts.file_answers.append([path])  # type: ignore[attr-defined]
    tab.trust_button.click()
    tab.trust_dialog.fingerprint.setText(fingerprint)
    tab.trust_dialog.ok_button.click()
    said = ctx.prompts.shown[-1][2]  # type: ignore[attr-defined]
    already = tr(tab, "The key of %1 was trusted already, since %2.", hamlet.unit)
    assert said.startswith(already[: already.index("%2")]), said
    assert len(keys.list_trusted(ctx.db)) == 1

    tab.table.selectRow(0)
    ctx.prompts.confirm_answers.append(True)  # type: ignore[attr-defined]
    ctx.prompts.text_answers.append("Máy bị mất")  # type: ignore[attr-defined]
    ctx.prompts.text_answers.append("")  # type: ignore[attr-defined]  # from now
    tab.revoke_button.click()
    assert keys.list_trusted(ctx.db)[0].revoked_from is not None
    assert tab.model.index(0, tab.model.REVOKED).data() != ""
    assert page.export_tab.recipient.findData(hamlet.unit) < 0


class CancellingRunner(InlineTaskRunner):
    """Runs inline; the person presses Cancel once the progress says `when` (at once
    when it is empty). As the real runner does, a cancelled job calls neither callback."""

    def __init__(self, when: str = "") -> None:
        super().__init__()
        self.when = when

    def run(self, work, *, parent, title, on_success=None, on_failure=None):  # type: ignore[no-untyped-def,override]
        self.ran.append(title)
        cancel = CancelToken()
        if not self.when:
            cancel.cancel()

        def seen(_done: int, _total: int, text: str) -> None:
            if self.when and text.startswith(self.when):
                cancel.cancel()

        try:
            result = work(Progress(seen, interval=0), cancel)
        except Cancelled:
            return cancel
        if on_success:
            on_success(result)
        return cancel


def test_a_cancelled_export_leaves_no_bundle_and_sends_the_changes_next_time(
    page: SyncPage, ctx: AppContext, tmp_path: Path
) -> None:
    tab = page.export_tab
    ctx.runner = CancellingRunner(when="Đang ghi")  # the bundle being written
    ctx.prompts.save_answers.append(tmp_path / "huy.nhao")  # type: ignore[attr-defined]
    tab.export_button.click()
    assert tab.last_result is None and not (tmp_path / "huy.nhao").exists()
    assert list(tmp_path.glob("huy.nhao*")) == []  # no half-written file either
    ctx.runner = InlineTaskRunner()
    ctx.prompts.save_answers.append(tmp_path / "lai.nhao")  # type: ignore[attr-defined]
    tab.export_button.click()
    # The cancelled bundle counted for nothing: the next one carries every change.
    assert tab.last_result is not None and tab.last_result.changes > 0
    assert tab.last_result.origins and all(
        span["from"] == 1 for span in tab.last_result.origins.values()
    )


def test_export_says_which_photos_are_not_on_this_computer(
    page: SyncPage, ctx: AppContext, tmp_path: Path
) -> None:
    from PIL import Image

    from nhao.services import attachments

    source = tmp_path / "Nhà ông Páo.jpg"
    Image.new("RGB", (40, 30), (120, 80, 30)).save(source, "JPEG")
    household = hh.list_households(ctx.db, ctx.actor, hh.HouseholdQuery())[0].id
    [view] = attachments.add_attachments(ctx.db, ctx.actor, household, [source])
    view.path.unlink()
    ctx.prompts.save_answers.append(tmp_path / "up.nhao")  # type: ignore[attr-defined]
    page.export_tab.export_button.click()
    result = page.export_tab.last_result
    assert result is not None and result.missing_files == ("Nhà ông Páo.jpg",)
    text = page.export_tab.result_label.text()
    assert "Nhà ông Páo.jpg" in text and str(result.path) in text
    assert ctx.prompts.errors() == []  # type: ignore[attr-defined]


def test_an_export_is_not_written_over_a_bundle_a_hamlet_sent(
    page: SyncPage, ctx: AppContext, hamlet: Hamlet, tmp_path: Path
) -> None:
    received = hamlet.export("tu-thon.nhao")  # saved from the chat, not yet imported
    sent = received.read_bytes()
    ctx.prompts.save_answers.append(received)  # type: ignore[attr-defined]
    page.export_tab.export_button.click()
    [said] = ctx.prompts.errors()  # type: ignore[attr-defined]
    assert said.startswith(tr(page.export_tab, "%1 is a bundle %2 sent here", "tu-thon.nhao",
                              hamlet.unit)[:20])  # fmt: skip
    assert hamlet.unit in said and received.read_bytes() == sent
    assert page.export_tab.last_result is None and page.asked == []  # type: ignore[attr-defined]


def test_the_sealing_note_takes_the_room_of_its_lines(
    ctx: AppContext, linked: Hamlet, qtbot  # type: ignore[no-untyped-def]
) -> None:
    """The "Không niêm phong…" note, one line across the wide window, stood in the
    height of five lines: about 60 px empty above "What to put in"."""
    from nhao.ui import i18n

    assert i18n.install("vi")
    try:
        page = make_page(ctx, qtbot)
        page.tabs.setCurrentWidget(page.export_tab)
        page.shown()
        tab = page.export_tab
        for code in ("20", linked.unit):  # not sealed; sealed, with what goes down
            tab.recipient.setCurrentIndex(tab.recipient.findData(code))
            qtbot.wait(10)  # the layout settles
            note = tab.sealing
            assert note.height() == note.heightForWidth(note.width()), code
            gap = tab.incremental.geometry().top() - note.geometry().bottom()
            assert gap < 15, (code, gap)
    finally:
        i18n.install("en")


def test_export_to_the_unit_above_then_sealed_to_a_trusted_hamlet(
    page: SyncPage, ctx: AppContext, linked: Hamlet, tmp_path: Path
) -> None:
    tab = page.export_tab
    assert tab.recipient.findData(linked.unit) < 0  # trusted after the page was made
    page.shown()
    assert tab.recipient.currentData() == "20"  # the province above the commune
    ctx.prompts.save_answers.append(tmp_path / "up")  # type: ignore[attr-defined]
    tab.export_button.click()
    kind, _title, suggested = ctx.prompts.shown[0]  # type: ignore[attr-defined]
    # Named after the commune, in letters any file system takes, and its code.
    assert kind == "save_file" and re.fullmatch(
        r"nhao-xa-[a-z-]+-06112-\d{8}-\d{4}\.nhao", suggested
    ), suggested
    result = tab.last_result
    assert result is not None and result.path == tmp_path / "up.nhao" and result.path.exists()
    assert result.changes > 0 and not result.sealed and str(result.path) in tab.result_label.text()
    nothing_new = tr(tab, "Nothing was changed here since the last bundle to this recipient: "
                     "this one carries no change and need not be sent, unless this computer "
                     "just made a new key signed by the old one (the bundle carries it).")
    assert nothing_new not in tab.result_label.text()
    ctx.prompts.save_answers.append(tmp_path / "nothing-new.nhao")  # type: ignore[attr-defined]
    tab.export_button.click()  # straight again: nothing new for the province
    assert tab.last_result is not None and tab.last_result.changes == 0
    assert nothing_new in tab.result_label.text()

    tab.recipient.setCurrentIndex(tab.recipient.findData(linked.unit))
    tab.full.setChecked(True)
    ctx.prompts.save_answers.append(tmp_path / "down.nhao")  # type: ignore[attr-defined]
    tab.export_button.click()
    assert tab.last_result is not None and tab.last_result.sealed and tab.last_result.full
    # A full bundle heals a gap once; the next export is the usual one again.
    assert tab.incremental.isChecked() and not tab.full.isChecked()
    reports = sync.import_bundles(
        linked.db, linked.actor, [tmp_path / "down.nhao"], password=HAMLET_PASSWORD
    )
    # Opened with the hamlet's key; nothing the commune has here travels down yet.
    assert reports[0]["status"] in {"applied", "skipped"}, reports

    # Once, after a recipient refused a bundle of this laptop put back from a copy.
    assert tab.new_epoch.text() == tr(
        tab, "Start numbering afresh (this laptop's data was put back from a copy)"
    )
    before = station_id(ctx)
    tab.new_epoch.setChecked(True)
    ctx.prompts.save_answers.append(tmp_path / "afresh.nhao")  # type: ignore[attr-defined]
    tab.export_button.click()
    assert tab.last_result is not None and tab.last_result.path.name == "afresh.nhao"
    assert station_id(ctx) != before and not tab.new_epoch.isChecked()

    # A clock that once ran a month ahead: the export warns; stamping again asks first.
    with ctx.db.transaction() as session:
        station = self_station(session)
        ahead = int(datetime.now().timestamp() * 1000) + 30 * 24 * 3600 * 1000
        station.last_hlc = f"{ahead:015d}:00000:{station.id}"
    ctx.prompts.save_answers.append(tmp_path / "warned.nhao")  # type: ignore[attr-defined]
    tab.export_button.click()
    assert "Lưu ý: thời điểm ghi của máy này" in tab.result_label.text()
    tab.restamp.setChecked(True)
    ctx.prompts.save_answers.append(tmp_path / "ahead.nhao")  # type: ignore[attr-defined]
    ctx.prompts.confirm_answers.append(False)  # type: ignore[attr-defined]
    tab.export_button.click()
    assert not (tmp_path / "ahead.nhao").exists() and tab.restamp.isChecked()
    ctx.prompts.save_answers.append(tmp_path / "ahead.nhao")  # type: ignore[attr-defined]
    ctx.prompts.confirm_answers.append(True)  # type: ignore[attr-defined]
    tab.export_button.click()
    assert (tmp_path / "ahead.nhao").exists() and not tab.restamp.isChecked()
    assert "Lưu ý" not in tab.result_label.text()
    with ctx.db.session() as session:
        assert self_station(session).last_hlc < f"{ahead:015d}"

    page.ask_password = lambda _title: "sai mật khẩu"  # type: ignore[method-assign]
    ctx.prompts.save_answers.append(tmp_path / "again.nhao")  # type: ignore[attr-defined]
    tab.export_button.click()
    assert "Mật khẩu" in ctx.prompts.errors()[-1]  # type: ignore[attr-defined]
    assert not (tmp_path / "again.nhao").exists()


def test_viewer_sees_but_cannot_change(viewer_ctx: AppContext, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = make_page(viewer_ctx, qtbot)
    assert page.keys_tab.fingerprint.text() != ""
    assert page.keys_tab.export_button.isEnabled()  # a public key is public
    for button in (
        page.export_tab.export_button, page.import_tab.choose_button,
        page.keys_tab.trust_button, page.keys_tab.revoke_button,
        page.conflicts_tab.keep_button, page.duplicates_tab.same_button,
    ):
        assert not button.isEnabled()
    page.export_tab.export()  # refused even when called directly
    assert viewer_ctx.prompts.shown == []  # type: ignore[attr-defined]


def test_fits_a_small_laptop_and_helpers(page: SyncPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    for index in range(page.tabs.count()):
        page.tabs.setCurrentIndex(index)
        hint = page.minimumSizeHint()
        assert hint.width() <= 1366 - 190 and hint.height() <= 768 - 90, (index, hint)
    assert page.title() == tr(page, "Sync")
    assert stamp_time_text("001735689600000:00000:x")[:10] in {"01/01/2025", "31/12/2024"}
    dialog = PasswordDialog("t", "l")
    qtbot.addWidget(dialog)
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password
    assert not dialog.ok_button.isEnabled()  # OK on nothing did what Cancel does, silently
    qtbot.keyClicks(dialog.password, "demo")
    assert dialog.ok_button.isEnabled()


def test_keys_tab_prints_the_certificate(qtbot, ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    from nhao.services.sync import keys
    from nhao.ui.sync_page.page import SyncPage

    page = SyncPage(ctx)
    qtbot.addWidget(page)
    out = tmp_path / "cert.pdf"
    ctx.prompts.save_answers.append(out)
    page.keys_tab.print_certificate()
    text = PdfReader(out).pages[0].extract_text()
    assert keys.show_key(ctx.db).fingerprint.split()[0] in text
    assert ctx.runner.ran[-1] == page.keys_tab.tr("Print key certificate")  # not on the GUI thread
    assert str(out) in ctx.prompts.shown[-1][2]

    ctx.prompts.save_answers.append(tmp_path / "khoa")  # the suffix is added
    page.keys_tab.export_public_key()
    assert keys.read_key_file(tmp_path / "khoa.nhaokey")["key_id"] == keys.show_key(ctx.db).key_id
    assert ctx.runner.ran[-1] == page.keys_tab.tr("Export public key")


def test_a_hamlet_certificate_goes_to_the_commune_to_be_stamped(
    linked: Hamlet, qtbot, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """A team leader's laptop: the box said "Print it, sign it and stamp it"; a thôn
    has no seal, the commune certifies its certificate."""
    from pypdf import PdfReader

    tab = hamlet_export_tab(linked, qtbot).window().keys_tab
    out = tmp_path / "thon.pdf"
    tab.ctx.prompts.save_answers.append(out)
    tab.print_certificate()
    assert tab.ctx.prompts.shown[-1][2] == tr(
        tab, "Certificate saved to %1. Print it and sign it, then ask the commune to certify "
        "it, sign it and stamp it.", str(out)
    )
    assert "XÁC NHẬN CỦA" in PdfReader(out).pages[0].extract_text()


def accountant_laptop(ctx: AppContext, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The accountant's laptop of the same commune, enrolled as a child of the office:
    its folder, database and signed-in account."""
    folder = tmp_path / "ke-toan"
    folder.mkdir()
    laptop = Database(resolve_database(folder / "nhao.sqlite"))
    laptop.open()
    setup.initialize(laptop, unit_code=COMMUNE, admin_username="ketoan",
                     admin_password=HAMLET_PASSWORD)  # fmt: skip
    accountant = users.authenticate(laptop, "ketoan", HAMLET_PASSWORD)
    path, fingerprint = key_file(laptop, tmp_path, "ke-toan")
    keys.trust_key(ctx.db, ctx.actor, path, fingerprint, "child")
    return folder, laptop, accountant


def test_voucher_number_given_out_twice_shown_in_the_details(
    page: SyncPage, ctx: AppContext, tmp_path: Path
) -> None:
    from datetime import date

    from nhao.domain.enums import PaymentMethod
    from nhao.services import fund

    folder, laptop, accountant = accountant_laptop(ctx, tmp_path)
    for db, actor, amount in ((ctx.db, ctx.actor, 2_000_000), (laptop, accountant, 3_500_000)):
        donor = fund.add_donor(db, actor, "Công ty Hoàng Long")
        fund.record_receipt(db, actor, donor.id, amount, date(2026, 3, 2), PaymentMethod.cash)
    bundle = folder / "ke-toan.nhao"
    sync.export_bundle(laptop, accountant, HAMLET_PASSWORD, bundle)
    laptop.dispose()

    tab = page.import_tab
    assert choose(page, ctx, bundle) == ["dry-run"]
    receipt_row = next(r for r in range(tab.model.rowCount())
                       if tab.model.item(r).entity == "receipt")  # fmt: skip
    tab.table.selectRow(receipt_row)
    shown = tab.details.toPlainText().splitlines()
    title = tr(tab, "Voucher numbers given out twice (both vouchers kept):")
    clash = shown[shown.index(title) + 1]
    assert clash.startswith("• Số phiếu PT-2026-0001 của Xã Bình Gia (06112) bị cấp 2 lần")
    assert "02/03/2026, 2.000.000 ₫; 02/03/2026, 3.500.000 ₫ — vừa nhận" in clash
    said = tr(tab.model, "%1 voucher number(s) given out twice: see the details", "1")
    assert tab.model.index(receipt_row, ImportReportModel.REASON).data() == said
    tooltip = tab.model.tooltip(tab.model.item(receipt_row), 0)
    assert tooltip is not None and "PT-2026-0001" in tooltip


def test_a_payment_to_look_at_again_is_shown_in_the_details(
    page: SyncPage, ctx: AppContext, tmp_path: Path
) -> None:
    """The accountant's laptop paid an advance, then the case was cancelled there: the
    office is told to look at that payment again."""
    from datetime import date

    from nhao.domain.enums import CaseStatus, FundSource, Instalment, PaymentMethod, SupportKind
    from nhao.services import cases, fund

    folder, laptop, accountant = accountant_laptop(ctx, tmp_path)
    [hamlet] = units.add_hamlets(laptop, accountant, ["Thôn Khau Ràng"])
    household = hh.create_household(laptop, accountant, hh.HouseholdInput(hamlet.code, "Vi Văn Tư"))
    case = cases.propose_case(laptop, accountant, household.id, SupportKind.repair, 2026,
                              on=date(2026, 2, 1))  # fmt: skip
    cases.transition(laptop, accountant, case.id, CaseStatus.reviewed, on=date(2026, 2, 10))
    cases.transition(laptop, accountant, case.id, CaseStatus.approved, on=date(2026, 2, 20),
                     decision_no="9/QĐ-UBND", decision_date=date(2026, 2, 20),
                     support={FundSource.fund: 10_000_000})  # fmt: skip
    donor = fund.add_donor(laptop, accountant, "Công ty Hoàng Long")
    fund.record_receipt(laptop, accountant, donor.id, 10_000_000, date(2026, 2, 25),
                        PaymentMethod.cash)  # fmt: skip
    paid = fund.record_payment(laptop, accountant, case.id, 5_000_000, date(2026, 3, 1),
                               Instalment.advance, PaymentMethod.cash)  # fmt: skip
    cases.transition(laptop, accountant, case.id, CaseStatus.cancelled, on=date(2026, 3, 5),
                     reason="Hộ tự làm nhà")  # fmt: skip
    bundle = folder / "ke-toan.nhao"
    sync.export_bundle(laptop, accountant, HAMLET_PASSWORD, bundle)
    laptop.dispose()

    tab = page.import_tab
    assert choose(page, ctx, bundle) == ["dry-run"]
    tab.table.selectRow(0)
    shown = tab.details.toPlainText().splitlines()
    title = tr(tab, "Payments to look at again (all kept):")
    assert shown[shown.index(title) + 1] == (
        f"• Phiếu chi {paid.voucher_no} (5.000.000 ₫) chi cho hồ sơ hỗ trợ của hộ Vi Văn Tư, "
        "mà hồ sơ ấy ở đây đã ở bước “đã hủy”: hãy xem lại, hủy phiếu nếu đã chi nhầm."
    )
    tooltip = tab.model.tooltip(tab.model.item(0), 0)
    assert tooltip is not None and paid.voucher_no in tooltip


def test_keys_tab_rotates_the_key_and_replaces_a_lost_one(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from nhao.services.sync import keys
    from nhao.ui.sync_page.page import SyncPage

    page = SyncPage(ctx)
    qtbot.addWidget(page)
    tab = page.keys_tab
    first = keys.show_key(ctx.db)
    ctx.prompts.confirm_answers.append(False)
    tab.rotate_button.click()
    assert keys.show_key(ctx.db).key_id == first.key_id  # said no: nothing made

    ctx.prompts.confirm_answers.append(True)
    ctx.prompts.password_answers.append(PASSWORD)
    tab.rotate_button.click()
    rotated = keys.show_key(ctx.db)
    assert rotated.key_id != first.key_id and tab.fingerprint.text() == rotated.fingerprint
    assert ctx.runner.ran[-1] == tab.tr("New key")  # the key derivation off the GUI thread
    assert rotated.fingerprint in ctx.prompts.shown[-1][2]

    # The admin still opens the key: replacing it is refused, rotating is the way.
    ctx.prompts.confirm_answers.append(True)
    ctx.prompts.password_answers.append(PASSWORD)
    tab.replace_button.click()
    assert "rotate" in ctx.prompts.errors()[-1]
    assert keys.show_key(ctx.db).key_id == rotated.key_id
    # In the window, the way is named as the official sees it: the button, in Vietnamese.
    from nhao.ui import i18n

    assert i18n.install("vi")
    try:
        button = tab.tr("New key, signed by this one…")
    finally:
        i18n.install("en")
    assert f"“{button}”" in ctx.prompts.errors()[-1]


def test_every_kind_of_record_a_bundle_carries_has_a_name_in_the_window() -> None:
    from nhao.models import RECORD_MODELS
    from nhao.ui.sync_page.common import ENTITY_NAMES

    assert set(ENTITY_NAMES) == set(RECORD_MODELS)


def test_the_status_bar_counts_down_once_the_changes_are_exported(
    ctx: AppContext, qtbot, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    from nhao.ui.main_window import MainWindow

    window = MainWindow(ctx, [SyncPage])
    qtbot.addWidget(window)
    page = window.show_page(SyncPage)
    page.ask_password = lambda _title: PASSWORD  # type: ignore[method-assign]
    label = window.unexported_label
    assert label.text() != tr(window, "Changes not yet exported: %1", "0")
    ctx.prompts.save_answers.append(tmp_path / "up.nhao")  # type: ignore[attr-defined]
    page.export_tab.export_button.click()  # to the unit above, the default
    assert page.export_tab.last_result is not None
    assert label.text() == tr(window, "Changes not yet exported: %1", "0")

    household = hh.list_households(ctx.db, ctx.actor, hh.HouseholdQuery())[0].id
    edit(ctx.db, ctx.actor, household, phone="0912345678")
    ctx.changed("household")
    assert label.text() == tr(window, "Changes not yet exported: %1", "1")


def test_the_dialogs_buttons_speak_vietnamese(
    page: SyncPage, ctx: AppContext, hamlet: Hamlet, tmp_path: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

    from nhao.ui import i18n

    path, _fingerprint = key_file(hamlet.db, tmp_path, "hamlet")
    assert i18n.install("vi")
    try:
        ctx.prompts.file_answers.append([path])  # type: ignore[attr-defined]
        page.keys_tab.trust_button.click()
        dialog = page.keys_tab.trust_dialog
        assert dialog is not None
        cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert cancel.text() == "Hủy"
        dialog.reject()
        # The questions of revoking or making a new key (Prompts.confirm) and the password
        # prompt (Prompts.ask_password) take Qt's standard buttons too.
        box = QMessageBox(
            QMessageBox.Icon.Question, "", "",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
            | QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
        )
        qtbot.addWidget(box)
        texts = {box.button(b).text().replace("&", "") for b in (
            QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Ok, QMessageBox.StandardButton.Cancel,
        )}
        assert texts == {"Có", "Không", "Đồng ý", "Hủy"}
    finally:
        i18n.install("en")


def test_a_team_leader_cannot_review_a_pair_reaching_another_hamlet(
    page: SyncPage, ctx: AppContext, linked: Hamlet, qtbot
) -> None:  # type: ignore[no-untyped-def]
    linked.add("Hoàng Văn Páo", birth_year=1975)  # also in Thôn Nà Pàn at the commune
    choose(page, ctx, linked.export("dup.nhao"))
    page.import_tab.apply_button.click()
    for who, allowed in (("admin", True), ("totruong", False)):  # Thôn Nà Pàn's leader
        tab = make_page(make_ctx(ctx.db, who), qtbot).duplicates_tab
        assert tab.model.rowCount() == 1
        tab.table.selectRow(0)
        # Said before a click: marking it would be refused for the other hamlet's household.
        assert tab.same_button.isEnabled() is allowed, who
        assert tab.different_button.isEnabled() is allowed, who
        # …and why, on the greyed button (Ctrl+A may have taken in such a pair).
        assert bool(tab.same_button.toolTip()) is not allowed, who


def test_export_pressed_twice_writes_one_bundle_and_keeps_its_changes(
    ctx: AppContext, qtbot, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    ctx.runner = TaskRunner()
    page = make_page(ctx, qtbot)
    tab = page.export_tab
    out = tmp_path / "up.nhao"
    # The same name twice: the save dialog proposes the same one within the minute.
    ctx.prompts.save_answers.extend([out, out])  # type: ignore[attr-defined]
    tab.export_button.click()
    assert not tab.export_button.isEnabled()  # waits for the bundle being written
    tab.export_button.click()  # an impatient second press, before the dialog shows
    qtbot.waitUntil(lambda: tab.last_result is not None, timeout=10000)
    assert ctx.runner.wait(10000)
    qtbot.wait(50)
    assert page.asked.count(tr(tab, "Export bundle")) == 1  # type: ignore[attr-defined]
    assert tab.last_result.changes > 0 and tab.export_button.isEnabled()
    with zipfile.ZipFile(out) as bundle:  # the file holds the changes, not an empty one
        assert sum(json.loads(bundle.read("manifest.json"))["counts"].values()) > 0


def test_a_bundle_of_the_commune_made_for_the_unit_above_says_so_at_the_hamlet(
    ctx: AppContext, linked: Hamlet, tmp_path: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    # The commune's first choice of recipient is the province: carried down by mistake.
    up = tmp_path / "xa.nhao"
    sync.export_bundle(ctx.db, ctx.actor, PASSWORD, up)
    hamlet_ctx = AppContext(
        db=linked.db, actor=linked.actor, station=units.station_info(linked.db),
        runner=InlineTaskRunner(), prompts=ScriptedPrompts(),
    )
    page = make_page(hamlet_ctx, qtbot)
    page.ask_password = lambda _title: HAMLET_PASSWORD  # type: ignore[method-assign]
    assert choose(page, hamlet_ctx, up) == ["refused"]
    reason = page.import_tab.reports[0]["reason"]
    assert "Tỉnh Lạng Sơn (20)" in reason and f"{HAMLET_NAME} ({linked.unit})" in reason
    assert "Gửi cho" in reason and "unit" not in reason.replace(linked.unit, "")


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("Thôn Nà Pàn", "thon-na-pan-06112-c2a19c18"),
        ("Khu Đồng Đăng: tổ 3/4 “mới”", "khu-dong-dang-to-3-4-moi-06112-c2a19c18"),
        ("CON", "con-06112-c2a19c18"),  # a name Windows keeps for itself, made safe by the code
        ("???", "06112-c2a19c18"),
    ],
)
def test_a_file_is_named_after_its_unit_in_letters_any_file_system_takes(
    name: str, stem: str
) -> None:
    from nhao.domain.enums import UnitLevel
    from nhao.ui.sync_page.common import unit_file_stem

    unit = units.UnitView(code="06112-c2a19c18", name=name, level=UnitLevel.hamlet,
                          parent_code="06112")
    assert unit_file_stem(unit) == stem


def test_one_bundle_runs_the_bar_busy_and_several_count_by_file(
    ctx: AppContext, linked: Hamlet, qtbot  # type: ignore[no-untyped-def]
) -> None:
    """One bundle gave the bar 0 of 1 steps: it stood still while a province merged a
    commune's whole year."""
    updates: list[tuple[int, int]] = []

    class Recording(InlineTaskRunner):
        def run(self, work, *, parent, title, on_success=None, on_failure=None):  # type: ignore[no-untyped-def,override]
            on_success(work(Progress(lambda d, t, _x: updates.append((d, t))), CancelToken()))

    ctx.runner = Recording()
    page = make_page(ctx, qtbot)
    linked.add("Lương Văn Thắng")
    first = linked.export("mot.nhao")
    assert choose(page, ctx, first) == ["dry-run"]
    assert updates[0] == (0, 0)  # a busy bar: no steps to count
    updates.clear()
    linked.add("Hà Thị Sáu")
    assert len(choose(page, ctx, first, linked.export("hai.nhao"))) == 2
    assert updates[0] == (0, 2)


def test_a_waiting_bundle_names_the_hamlet_it_waits_for_and_counts_nothing(
    page: SyncPage, ctx: AppContext, linked: Hamlet
) -> None:
    linked.add("Lương Văn Thắng")
    sync.import_bundles(ctx.db, ctx.actor, [linked.export("first.nhao")], password=PASSWORD)
    linked.add("Hà Thị Sáu")
    linked.export("second.nhao")  # lost on the way
    linked.add("Vi Văn Nhất")
    assert choose(page, ctx, linked.export("third.nhao")) == ["pending"]
    model = page.import_tab.model
    # The hamlet is known here by now: its name, not its code alone ("máy đơn vị 06112-…").
    reason = model.index(0, ImportReportModel.REASON).data()
    assert f"của máy {HAMLET_NAME} ({linked.unit})" in reason, reason
    assert "–" not in reason.split("chờ gói còn thiếu:")[1].split("của máy")[0], reason
    # Nothing was read from it: no count, as in the other count columns, not "0".
    assert model.index(0, ImportReportModel.NEW).data() == ""
    assert model.index(0, ImportReportModel.DUPLICATES).data() == ""
    # On the Waiting tab the column cuts that sentence before the hamlet: said in full below.
    page.import_tab.apply_button.click()
    page.tabs.setCurrentWidget(page.pending_tab)
    assert page.pending_tab.details.text() == reason
    assert page.pending_tab.details.isVisible() and page.pending_tab.details.wordWrap()


def test_a_bundles_possible_duplicates_are_counted_once_in_the_report(
    page: SyncPage, ctx: AppContext, linked: Hamlet
) -> None:
    """A commune's bundle is a row per kind of record (seven at the bench's province)
    and its possible duplicates stood on every one: a column adding up to seven times
    the pairs there were. Said once, on the households row."""
    from datetime import date

    from nhao.services.inspections import InspectionInput, StructureInput, add_inspection

    hid = linked.add("Hoàng Văn Páo", birth_year=1975)  # also at the commune
    durable = StructureInput(durable=True, material="bê tông")
    add_inspection(linked.db, linked.actor, hid, InspectionInput(
        date(2025, 5, 2), "A", True, durable, durable, durable, 25.5, 4,
    ))
    choose(page, ctx, linked.export("dup.nhao"))
    page.import_tab.apply_button.click()
    model = page.import_tab.model
    assert model.rowCount() >= 2
    counts = {
        model.item(r).entity: model.index(r, ImportReportModel.DUPLICATES).data()
        for r in range(model.rowCount())
    }
    assert counts.pop("household") == "1"
    assert set(counts.values()) == {""}, counts


def test_after_an_import_the_summary_says_what_is_left_to_review(
    page: SyncPage, ctx: AppContext, linked: Hamlet
) -> None:
    """A conflict or a possible duplicate was only a "1" deep in the table's columns:
    the line above it said "Đã nhập: 1." and nothing more."""
    from nhao.ui import i18n

    household_id = linked.add("Nguyễn Văn Ấn")
    sync.import_bundles(ctx.db, ctx.actor, [linked.export("one.nhao")], password=PASSWORD)
    linked.edit(household_id, phone="0911111111")
    edit(ctx.db, ctx.actor, household_id, phone="0922222222")
    linked.add("Hoàng Văn Páo", birth_year=1975)  # also in Thôn Nà Pàn at the commune
    assert i18n.install("vi")
    try:
        choose(page, ctx, linked.export("two.nhao"))
        assert "xung đột" not in page.import_tab.summary.text()  # checked, not yet imported
        page.import_tab.apply_button.click()
        said = page.import_tab.summary.text()
    finally:
        i18n.install("en")
    assert "Có 1 xung đột dữ liệu cần chọn giá trị: xem thẻ Xung đột." in said, said
    assert "Có 1 cặp hộ có thể trùng cần xem xét: xem thẻ Có thể trùng." in said, said


def test_the_keys_table_shows_a_long_hamlet_name_whole(
    ctx: AppContext, tmp_path: Path, qtbot  # type: ignore[no-untyped-def]
) -> None:
    folder = tmp_path / "ban"
    folder.mkdir()
    db = Database(resolve_database(folder / "nhao.sqlite"))
    db.open()
    try:
        setup.initialize(
            db, unit_code=COMMUNE, admin_username="admin", admin_password=HAMLET_PASSWORD,
            hamlet_name="Thôn Khau Ràng Trên",
        )
        actor = users.authenticate(db, "admin", HAMLET_PASSWORD)
        path, fingerprint = key_file(db, tmp_path, "ban")
        keys.trust_key(ctx.db, ctx.actor, path, fingerprint, "child")
        sync.export_bundle(db, actor, HAMLET_PASSWORD, folder / "ban.nhao")
        sync.import_bundles(ctx.db, ctx.actor, [folder / "ban.nhao"], password=PASSWORD)
    finally:
        db.dispose()
    page = make_page(ctx, qtbot)  # 1366×768: the room beside the navigation
    page.tabs.setCurrentWidget(page.keys_tab)
    table = page.keys_tab.table
    assert page.keys_tab.model.index(0, 0).data().startswith("Thôn Khau Ràng Trên (06112-")
    assert table.columnWidth(0) >= table.sizeHintForColumn(0)


def test_the_keys_table_shows_a_wide_fingerprint_whole(
    ctx: AppContext, linked: Hamlet, qtbot  # type: ignore[no-untyped-def]
) -> None:
    """The fingerprint, what a person compares with the signed paper, was cut short
    ("KYE4 GMOO SMA5 WUQA EHPD BP…") at 1366×768 when its letters were wide ones, while
    "Trusted since" took the room left."""
    from nhao.models.sync import TrustedKey

    wide = "WWMW MWWM WMWW WWWM MWMW WMWM"  # base32 letters, the widest there are
    with ctx.db.transaction() as session:
        for row in session.query(TrustedKey):
            row.fingerprint = wide
    page = make_page(ctx, qtbot)  # 1366×768: the room beside the navigation
    page.tabs.setCurrentWidget(page.keys_tab)
    table, column = page.keys_tab.table, TrustedKeysModel.FINGERPRINT
    assert page.keys_tab.model.index(0, column).data() == wide
    assert table.columnWidth(column) >= table.sizeHintForColumn(column)
    right = table.columnViewportPosition(column) + table.columnWidth(column)
    assert right <= table.viewport().width()  # on the screen, not behind a scroll bar


def test_the_conflicts_times_do_not_read_as_import_times(page: SyncPage) -> None:
    """On this page "nhập" is the Import tab: "Lúc nhập (kia)" read as when a bundle was
    imported, not when the value was changed on the other computer."""
    from nhao.ui import i18n

    model = page.conflicts_tab.model
    assert i18n.install("vi")
    try:
        imported = page.tr("Import").lower()
        headers = [model.headers()[c] for c in (ConflictsModel.KEPT_AT, ConflictsModel.OTHER_AT)]
        tooltip = model.header_tooltip(ConflictsModel.KEPT_AT) or ""
    finally:
        i18n.install("en")
    assert imported == "nhập"
    assert all(imported not in text.lower() for text in (*headers, tooltip)), headers


def test_a_conflict_is_resolved_with_the_keyboard_alone(  # type: ignore[no-untyped-def]
    page: SyncPage, ctx: AppContext, linked: Hamlet, qtbot
) -> None:
    """Tab walked the tables cell by cell (nine columns a conflict, a press each), and a
    table reached with Tab had no row chosen, so Keep and Use stayed greyed: a clerk
    without the touchpad could not resolve a conflict. Tab now enters the table with
    its row chosen and leaves it at the next press."""
    household_id = linked.add("Nguyễn Văn Ấn")
    sync.import_bundles(ctx.db, ctx.actor, [linked.export("one.nhao")], password=PASSWORD)
    linked.edit(household_id, phone="0911111111")
    edit(ctx.db, ctx.actor, household_id, phone="0922222222")
    choose(page, ctx, linked.export("two.nhao"))
    page.import_tab.apply_button.click()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.tabs.setCurrentIndex(3)
    tab = page.conflicts_tab
    tab.show_resolved.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(tab.show_resolved, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is tab.table and tab.current() is not None
    qtbot.keyClick(tab.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not tab.table  # out at once, not cell by cell
    tab.table.setFocus(Qt.FocusReason.TabFocusReason)
    for _ in range(2):  # back up to the buttons above it
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is tab.other_button and tab.other_button.isEnabled()
    qtbot.keyClick(tab.other_button, Qt.Key.Key_Space)
    assert sync.list_conflicts(ctx.db) == []
    assert hh.get_household(ctx.db, ctx.actor, household_id).phone == "0911111111"


def test_a_revoked_key_is_seen_revoked_on_a_1366_screen_at_125_percent(  # type: ignore[no-untyped-def]
    ctx: AppContext, hamlet: Hamlet, tmp_path: Path, qtbot
) -> None:
    """At 1366×768 and 125 % (1093 logical pixels, the Sync page 903 of them) "Revoked
    from" was the sixth column, past the table's right edge: the key of a stolen laptop,
    revoked, read as trusted like any other unless the clerk scrolled sideways."""
    from nhao.ui import i18n

    path, fingerprint = key_file(hamlet.db, tmp_path, "hamlet")
    keys.trust_key(ctx.db, ctx.actor, path, fingerprint, "child")
    [trusted] = keys.list_trusted(ctx.db)
    keys.revoke_key(ctx.db, ctx.actor, trusted.key_id, reason="Máy bị mất")
    assert i18n.install("vi")
    try:
        page = make_page(ctx, qtbot)
        page.resize(1093 - 190, 768 * 4 // 5 - 90)
        page.tabs.setCurrentWidget(page.keys_tab)
        QApplication.processEvents()
    finally:
        i18n.install("en")
    table, model = page.keys_tab.table, page.keys_tab.model
    revoked = model.index(0, model.REVOKED)
    assert revoked.data()
    shown = table.visualRect(revoked)
    assert shown.isValid() and table.viewport().rect().contains(shown), shown


def test_bundles_to_two_recipients_are_offered_two_names(
    page: SyncPage, ctx: AppContext, linked: Hamlet
) -> None:
    """The commune sends up to the province and down to a hamlet in the same minute:
    the second file was offered the first one's name (and written over it once the
    person said yes to replacing it), and the two could only be told apart by the
    minute. One for a unit below names it; the one for the unit above stays short."""
    linked.add("Lương Văn Thắng")  # the hamlet's first bundle: its name is known here
    sync.import_bundles(ctx.db, ctx.actor, [linked.export("one.nhao")], password=PASSWORD)
    tab = page.export_tab
    page.shown()
    offered = []
    for code in ("20", linked.unit):
        tab.recipient.setCurrentIndex(tab.recipient.findData(code))
        tab.export_button.click()  # the save dialog is cancelled: nothing is written
        offered.append(ctx.prompts.shown[-1][2])  # type: ignore[attr-defined]
    up, down = offered
    assert re.fullmatch(r"nhao-xa-[a-z-]+-06112-\d{8}-\d{4}\.nhao", up), up
    assert re.fullmatch(
        rf"nhao-xa-[a-z-]+-06112-cho-thon-khau-rang-{linked.unit}-\d{{8}}-\d{{4}}\.nhao", down
    ), down



def hamlet_export_tab(linked: Hamlet, qtbot):  # type: ignore[no-untyped-def]
    """The hamlet laptop's own Export tab, where it reads the commune's receipts."""
    at_hamlet = AppContext(
        db=linked.db, actor=linked.actor, station=units.station_info(linked.db),
        runner=InlineTaskRunner(), prompts=ScriptedPrompts(),
    )
    return make_page(at_hamlet, qtbot).export_tab


def read_receipt(tab, receipt: Path) -> str:  # type: ignore[no-untyped-def]
    """What the box says once the person has chosen `receipt` to read."""
    prompts: ScriptedPrompts = tab.ctx.prompts
    prompts.file_answers.append([receipt])
    tab.ack_button.click()
    return str(prompts.shown[-1][2])


def test_a_read_acknowledgement_says_what_became_of_the_bundle(
    ctx: AppContext, linked: Hamlet, qtbot, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """The commune holds the hamlet's second bundle, waiting for the first: the hamlet
    read its receipt as "the next bundle starts from what they have" and nothing more,
    as it did an older receipt read after a newer one, which changed nothing."""
    waiting, older = tmp_path / "waiting.nhaoack", tmp_path / "older.nhaoack"
    linked.add("Lương Văn Thắng")
    first = linked.export("first.nhao")
    sync.import_bundles(ctx.db, ctx.actor, [first], password=PASSWORD)
    sync.write_ack(ctx.db, ctx.actor, PASSWORD, first, older)
    linked.add("Hà Thị Sáu")
    linked.export("lost.nhao")  # lost on the way
    linked.add("Vi Văn Nhất")
    second = linked.export("second.nhao")
    (report,) = sync.import_bundles(ctx.db, ctx.actor, [second], password=PASSWORD)
    assert report["status"] == "pending"
    sync.write_ack(ctx.db, ctx.actor, PASSWORD, second, waiting)
    tab = hamlet_export_tab(linked, qtbot)
    commune = UnitNames(linked.db).label(COMMUNE)
    said = read_receipt(tab, waiting)
    assert tr(tab, "%1 holds %2 until an earlier bundle comes; the next bundle sends what "
              "it lacks.", commune, "second.nhao") in said, said
    said = read_receipt(tab, older)
    assert said == tr(tab, "%1 is older than an acknowledgement already read from %2: "
                      "nothing changed.", "older.nhaoack", commune), said


def test_a_receipt_read_twice_says_it_was_read_before(
    ctx: AppContext, linked: Hamlet, qtbot, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """The chat brought the same receipt twice: read again, it said the commune had
    imported the bundle, and set the next export back to what the receipt saw."""
    receipt = tmp_path / "bao-nhan.nhaoack"
    linked.add("Lương Văn Thắng")
    first = linked.export("first.nhao")
    sync.import_bundles(ctx.db, ctx.actor, [first], password=PASSWORD)
    sync.write_ack(ctx.db, ctx.actor, PASSWORD, first, receipt)
    tab = hamlet_export_tab(linked, qtbot)
    read_receipt(tab, receipt)
    said = read_receipt(tab, receipt)
    # Only that: it also said first that the next bundle starts from what they have.
    assert said == tr(tab, "%1 was read before: nothing changed.", "bao-nhan.nhaoack"), said


def test_a_read_receipt_says_the_bundle_before_never_came(
    ctx: AppContext, linked: Hamlet, qtbot, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """A bundle lost on the way: the receipt of the next one says the recipient lacks
    the one made before it, and the next export sends again what it did not confirm."""
    linked.add("Lương Văn Thắng")
    first = linked.export("first.nhao")
    sync.import_bundles(ctx.db, ctx.actor, [first], password=PASSWORD)
    linked.add("Hà Thị Sáu")
    linked.export("lost.nhao")  # never delivered
    linked.add("Lò Văn Bảy")
    second = linked.export("second.nhao")
    (report,) = sync.import_bundles(ctx.db, ctx.actor, [second], password=PASSWORD)
    assert report["status"] == "pending"  # it waits for the lost one's changes
    receipt = tmp_path / "second.nhaoack"
    sync.write_ack(ctx.db, ctx.actor, PASSWORD, second, receipt)
    tab = hamlet_export_tab(linked, qtbot)
    said = read_receipt(tab, receipt)
    assert tr(tab, "It does not have the bundle made for it before that one (not sent, or "
              "lost on the way): the next bundle sends again everything it has not "
              "acknowledged.") in said, said


def test_a_read_receipt_of_a_refused_bundle_says_why(
    ctx: AppContext, linked: Hamlet, qtbot, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """The hamlet read "refused" and nothing more: that its key had been revoked, and
    why, stayed at the commune."""
    linked.add("Lương Văn Thắng")
    sync.import_bundles(ctx.db, ctx.actor, [linked.export("one.nhao")], password=PASSWORD)
    keys.revoke_key(ctx.db, ctx.actor, keys.show_key(linked.db).key_id, reason="Máy bị mất cắp")
    linked.add("Hà Thị Sáu")
    sent = linked.export("two.nhao")
    (report,) = sync.import_bundles(ctx.db, ctx.actor, [sent], password=PASSWORD)
    assert report["status"] == "refused"
    receipt = tmp_path / "tu-choi.nhaoack"
    sync.write_ack(ctx.db, ctx.actor, PASSWORD, sent, receipt)
    tab = hamlet_export_tab(linked, qtbot)
    said = read_receipt(tab, receipt)
    assert tr(tab, "Its reason: %1", report["reason"]) in said, said
    assert "Máy bị mất cắp" in said


def test_a_read_receipt_names_the_changes_the_commune_would_not_take(
    ctx: AppContext, linked: Hamlet, qtbot, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """The bundle was "imported", but the household the hamlet deleted stays at the
    commune, which had approved its case: the hamlet was told only "imported"."""
    from datetime import date

    from nhao.domain.enums import CaseStatus, FundSource, SupportKind
    from nhao.services import cases

    household = linked.add("Lương Văn Thắng")
    case = cases.propose_case(linked.db, linked.actor, household, SupportKind.repair, 2026)
    sync.import_bundles(ctx.db, ctx.actor, [linked.export("one.nhao")], password=PASSWORD)
    today = date.today()
    cases.transition(ctx.db, ctx.actor, case.id, CaseStatus.reviewed, on=today)
    cases.transition(ctx.db, ctx.actor, case.id, CaseStatus.approved, on=today,
                     decision_no="7/QĐ-UBND", decision_date=today,
                     support={FundSource.state_budget: 30_000_000})  # fmt: skip
    cases.transition(linked.db, linked.actor, case.id, CaseStatus.cancelled, on=today,
                     reason="Tự làm")  # fmt: skip
    hh.delete_household(linked.db, linked.actor, household, "Chuyển đi nơi khác")
    sent = linked.export("two.nhao")
    (report,) = sync.import_bundles(ctx.db, ctx.actor, [sent], password=PASSWORD)
    assert report["status"] == "applied" and len(report["refused_changes"]) == 3
    receipt = tmp_path / "hai.nhaoack"
    sync.write_ack(ctx.db, ctx.actor, PASSWORD, sent, receipt)
    tab = hamlet_export_tab(linked, qtbot)
    said = read_receipt(tab, receipt)
    counted = QApplication.translate("ExportTab", "%n of its changes were not taken there:", "", 3)
    assert counted in said and "%n" not in counted, said
    for refusal in report["refused_changes"]:
        assert f"• {refusal}" in said
    assert "Lương Văn Thắng" in said and "xóa hộ" in said


def test_a_check_of_bundles_imported_before_says_why_there_is_nothing_to_import(
    page: SyncPage, ctx: AppContext, linked: Hamlet
) -> None:
    """Files chosen again (to write a receipt, or by mistake): the line above the table
    said "checked 1 bundle; nothing has been written yet" and Import stood greyed out."""
    linked.add("Lương Văn Thắng")
    bundle = linked.export("thon.nhao")
    sync.import_bundles(ctx.db, ctx.actor, [bundle], password=PASSWORD)
    tab = page.import_tab
    assert choose(page, ctx, bundle) == ["skipped"]
    assert not tab.apply_button.isEnabled()
    assert tab.tr("%n bundle(s) imported here before, with nothing new in them.", "", 1) in (
        tab.summary.text()
    ), tab.summary.text()


def test_a_bundle_with_nothing_new_is_not_said_to_be_imported_before(
    page: SyncPage, ctx: AppContext, linked: Hamlet, tmp_path: Path
) -> None:
    """A bundle seen here for the first time that brings nothing new (a downward one
    with nothing for this computer, an export made with no change) was reported
    "Already imported", after a check that offered to import it."""
    linked.add("Lương Văn Thắng")
    sync.import_bundles(ctx.db, ctx.actor, [linked.export("one.nhao")], password=PASSWORD)
    empty = linked.export("empty.nhao")
    tab, model = page.import_tab, page.import_tab.model
    assert choose(page, ctx, empty) == ["dry-run"]
    status = model.index(0, ImportReportModel.STATUS).data()
    assert status == tr(model, "Checked: nothing new here"), status
    tab.apply_button.click()  # it still counts: the sender's next bundle starts after it
    assert [r["status"] for r in tab.reports] == ["skipped"]
    status = model.index(0, ImportReportModel.STATUS).data()
    assert status == tr(model, "Nothing new for this computer"), status
    said = tab.summary.text()
    assert tr(tab, "Imported: %1. Already imported before: %2. Waiting for an earlier "
              "bundle: %3. Refused: %4.", "0", "0", "0", "0") in said, said
    assert tab.tr("%n bundle(s) had nothing new for this computer.", "", 1) in said, said
    # The command line and the saved report say it in the same words.
    assert sync.status_label(tab.reports[0]) == "Không có gì mới cho máy này"
    sync.write_import_report(tab.reports, tmp_path / "report.xlsx")
    sheet = load_workbook(tmp_path / "report.xlsx").active
    assert sheet["A2"].value.endswith(" · 1 tệp: 1 không có gì mới cho máy này"), sheet["A2"].value
    # Chosen again, it says the same.
    choose(page, ctx, empty)
    status = model.index(0, ImportReportModel.STATUS).data()
    assert status == tr(model, "Checked: nothing new here"), status


def test_a_receipt_can_be_written_for_a_refused_bundle(
    page: SyncPage, ctx: AppContext, linked: Hamlet, tmp_path: Path
) -> None:
    """The hamlet's key was revoked (a laptop reported stolen, then found): its bundle
    is refused, and the refusal says to send the hamlet a receipt for it once its new
    key is trusted, so its next bundle carries those changes again. The check is all
    there is for a refused bundle (Import stays grey): the receipt is written from it."""
    linked.add("Lương Văn Thắng")
    sync.import_bundles(ctx.db, ctx.actor, [linked.export("first.nhao")], password=PASSWORD)
    keys.revoke_key(ctx.db, ctx.actor, keys.show_key(linked.db).key_id, reason="mất máy")
    linked.add("Hà Thị Sáu")
    refused = linked.export("refused.nhao")
    tab = page.import_tab
    assert choose(page, ctx, refused) == ["refused"]
    assert not tab.apply_button.isEnabled()
    tab.table.selectRow(0)
    assert tab.ack_button.isEnabled()
    ctx.prompts.save_answers.append(tmp_path / "refused.nhaoack")  # type: ignore[attr-defined]
    tab.ack_button.click()
    assert ctx.prompts.errors() == []  # type: ignore[attr-defined]
    receipt = sync.import_ack(linked.db, linked.actor, tmp_path / "refused.nhaoack")
    assert receipt["status"] == "refused"


def test_a_key_is_revoked_from_the_day_the_laptop_went_missing(
    page: SyncPage, ctx: AppContext, linked: Hamlet
) -> None:
    """The commune hears days later that the hamlet laptop was stolen: what the thief
    signed since the day it went missing is refused too, as `keys revoke --from` does;
    what it brought in since that day before anyone knew is said, to be looked at again."""
    linked.add("Lò Thị Giả")
    sync.import_bundles(ctx.db, ctx.actor, [linked.export("gia.nhao")], password=PASSWORD)
    tab = page.keys_tab
    tab.refresh()
    tab.table.selectRow(0)
    prompts: ScriptedPrompts = ctx.prompts  # type: ignore[assignment]
    prompts.confirm_answers.append(True)
    prompts.text_answers += ["Máy bị mất cắp", "31/02/2026"]
    tab.revoke_button.click()
    assert "31/02/2026" in prompts.errors()[-1]  # no such day: said, nothing revoked
    assert keys.list_trusted(ctx.db)[0].revoked_from is None
    prompts.confirm_answers.append(True)
    prompts.text_answers += ["Máy bị mất cắp", "20/11/2026"]
    tab.revoke_button.click()
    [row] = [k for k in keys.list_trusted(ctx.db) if k.role == "child"]
    assert row.revoked_from == datetime(2026, 11, 19, 17, 0)  # midnight in Vietnam
    kind, _title, said = prompts.shown[-1]
    assert kind == "info" and "Lò Thị Giả" in said, said
    assert local_time_text(row.revoked_from) in said  # the day given, in the laptop's time


def test_the_keys_tab_shows_whole_what_became_of_a_key(
    page: SyncPage, ctx: AppContext, linked: Hamlet
) -> None:
    """The hamlet rotated twice and the commune then revoked its key: the column said
    "Đã thay bằng khó…" at 1366 px, and neither which key nor why."""
    linked.add("Lương Văn Thắng")
    first = keys.show_key(linked.db).key_id
    keys.rotate_key(linked.db, linked.actor, HAMLET_PASSWORD)
    second = keys.show_key(linked.db).key_id
    sync.import_bundles(ctx.db, ctx.actor, [linked.export("b.nhao")], password=PASSWORD)
    tab = page.keys_tab
    tab.refresh()
    model, column = tab.model, TrustedKeysModel.REVOKED
    rows = {model.item(r).key_id: r for r in range(model.rowCount())}
    assert tab.table.columnWidth(column) >= tab.table.sizeHintForColumn(column)
    assert second in model.index(rows[first], column).data(Qt.ItemDataRole.ToolTipRole)
    keys.revoke_key(ctx.db, ctx.actor, second, reason="Máy bị mất cắp")
    tab.refresh()
    assert "Máy bị mất cắp" in model.index(rows[second], column).data(Qt.ItemDataRole.ToolTipRole)


def test_revoking_a_key_replaced_since_names_the_one_in_use(
    page: SyncPage, ctx: AppContext, linked: Hamlet
) -> None:
    """The first row is the key on the paper certificate; the laptop has rotated since.
    Revoking that row alone leaves the stolen laptop trusted: the question says so."""
    first = keys.show_key(linked.db).key_id
    keys.rotate_key(linked.db, linked.actor, HAMLET_PASSWORD)
    current = keys.show_key(linked.db).key_id
    linked.add("Lương Văn Thắng")
    sync.import_bundles(ctx.db, ctx.actor, [linked.export("b.nhao")], password=PASSWORD)
    tab = page.keys_tab
    tab.refresh()
    rows = {tab.model.item(r).key_id: r for r in range(tab.model.rowCount())}
    tab.table.selectRow(rows[first])
    prompts: ScriptedPrompts = ctx.prompts  # type: ignore[assignment]
    prompts.confirm_answers.append(False)
    tab.revoke_button.click()
    assert current in prompts.shown[-1][2], prompts.shown[-1][2]
    tab.table.selectRow(rows[current])
    prompts.confirm_answers.append(False)
    tab.revoke_button.click()
    assert first not in prompts.shown[-1][2]


def test_a_new_key_signed_by_the_old_says_who_needs_a_certificate(
    page: SyncPage, ctx: AppContext
) -> None:
    """After "New key, signed by this one…" the window told the team to export it and
    print a certificate for every unit that trusts the computer, which the rotation
    spares them; only a unit that revoked the computer's key needs them."""
    prompts: ScriptedPrompts = ctx.prompts  # type: ignore[assignment]
    prompts.confirm_answers.append(True)
    page.keys_tab.rotate_button.click()
    kind, _, said = prompts.shown[-1]
    assert kind == "info", prompts.shown
    fingerprint = keys.show_key(ctx.db).fingerprint
    assert said == tr(page.keys_tab, "This computer's new key: %1. The units that trust it take "
                      "it with the next bundle they get from it; a unit that revoked this "
                      "computer's key trusts the new one only from its file and a new "
                      "certificate.", fingerprint)  # fmt: skip


def test_the_communes_approval_taken_in_at_the_hamlet_shows_in_its_list(
    ctx: AppContext, linked: Hamlet, qtbot, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """The hamlet's team leader takes the commune's bundle on the Sync page: the details
    say the withdrawal made here gave way, and the household list says "approved", as
    the commune's does, instead of "proposed" (or "cancelled") for ever."""
    from datetime import date

    from nhao.domain.enums import CaseStatus, FundSource, SupportKind
    from nhao.services import cases
    from nhao.ui.households.page import HouseholdsPage
    from nhao.ui.households.table_model import COL_CASE

    household = linked.add("Lương Văn Thắng")
    case = cases.propose_case(linked.db, linked.actor, household, SupportKind.new_build, 2026)
    sync.import_bundles(ctx.db, ctx.actor, [linked.export("len.nhao")], password=PASSWORD)
    cases.transition(ctx.db, ctx.actor, case.id, CaseStatus.reviewed, on=date.today())
    cases.transition(
        ctx.db, ctx.actor, case.id, CaseStatus.approved, on=date.today(),
        decision_no="15/QĐ-UBND", decision_date=date.today(),
        support={FundSource.state_budget: 40_000_000},
    )  # fmt: skip
    # Meanwhile the team leader withdrew it, not knowing: the commune's step stands.
    cases.transition(
        linked.db, linked.actor, case.id, CaseStatus.cancelled, on=date.today(), reason="Tự làm"
    )
    down = tmp_path / "xuong.nhao"
    sync.export_bundle(ctx.db, ctx.actor, PASSWORD, down, to=linked.unit)
    # The commune's Export tab says what a bundle down carries, when one goes down.
    export = make_page(ctx, qtbot).export_tab
    hint = tr(
        export, "Down to a unit below go the targets set for it and the steps taken here on "
        "its support cases (review, approval, acceptance…), not households."
    )  # fmt: skip
    export.recipient.setCurrentIndex(export.recipient.findData(linked.unit))
    assert hint in export.sealing.text()
    export.recipient.setCurrentIndex(0)  # the unit above
    assert export.recipient.currentData() != linked.unit and hint not in export.sealing.text()

    at_hamlet = AppContext(
        db=linked.db, actor=linked.actor, station=units.station_info(linked.db),
        runner=InlineTaskRunner(), prompts=ScriptedPrompts(),
    )  # fmt: skip
    page = make_page(at_hamlet, qtbot)
    page.ask_password = lambda title: HAMLET_PASSWORD  # type: ignore[method-assign]
    at_hamlet.prompts.file_answers.append([down])  # type: ignore[attr-defined]
    page.import_tab.choose_button.click()
    [checked] = page.import_tab.reports
    assert checked["status"] == "dry-run", checked.get("reason")
    assert checked["entities"]["support_case"]["updated"] == 1
    page.import_tab.apply_button.click()
    qtbot.waitUntil(lambda: page.import_tab.applied, timeout=10000)
    assert page.import_tab.reports[0]["status"] == "applied"
    page.import_tab.table.selectRow(0)
    details = page.import_tab.details.toPlainText()
    assert tr(page.import_tab, "Steps of the unit above that replaced one taken here:") in details
    assert "Lương Văn Thắng" in details and "“đã hủy” làm ở máy này" in details

    households = HouseholdsPage(at_hamlet)
    qtbot.addWidget(households)
    households.show()
    qtbot.waitUntil(lambda: households.model.rowCount() == 1, timeout=5000)
    shown = households.model.index(0, COL_CASE).data()
    assert shown == CaseStatus.approved.label_vi
