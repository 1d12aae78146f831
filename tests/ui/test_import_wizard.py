"""The import wizard driven page by page on a messy commune list, on a real
database: header found, columns mapped, every row's outcome, duplicates chosen per
row, hamlets created, the import written; the register export; what a viewer gets."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QCoreApplication, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QKeySequence, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QScrollArea,
    QWidget,
    QWizard,
)
from sqlalchemy import select

from nhao.imports.headers import header_key
from nhao.imports.report import RowStatus
from nhao.models import Household
from nhao.services import households as hh
from nhao.services import setup, units
from nhao.services.household_import import DuplicateAction, saved_mapping
from nhao.services.verify import verify
from nhao.tasks import Cancelled
from nhao.ui.context import AppContext
from nhao.ui.household_import import ImportWizard, export_register_dialog, open_import_wizard
from nhao.ui.household_import import preview_page as preview_module
from nhao.ui.household_import.export_dialog import suggested_name
from nhao.ui.household_import.models import OutcomesModel, cell_text
from nhao.ui.task_runner import TaskRunner, describe_failure

from .conftest import make_ctx

# What a commune clerk's list looks like: title lines, a two-row header with merged
# group titles, IDs typed as numbers, hamlets spelt every way, a totals row.
MESSY = [
    ["UỶ BAN NHÂN DÂN XÃ BÌNH GIA"],
    ["DANH SÁCH HỘ NGHÈO, CẬN NGHÈO CẦN HỖ TRỢ NHÀ Ở NĂM 2025"],
    [],
    ["STT", "Chủ hộ", "", "CCCD/CMND", "Thôn/xóm", "Diện hộ", "", "Số NK", "Ghi chú"],
    ["", "Họ tên chủ hộ", "Năm sinh", "", "", "Nghèo", "Cận nghèo", "", ""],
    [1, "Hoàng Văn Páo", 1975, None, "Nà Pàn", "x", "", 5, "nhà dột"],  # in the database
    [2, "Lò Văn Sình", 1980, 20080000123, "Na Pan", "x", "", 4, ""],  # 11 digits, no accents
    [3, "Vàng Thị Dua", 1985, "020185000456", "Bản Khuổi Hẩu", "", "x", 3, ""],
    [4, "Triệu Văn Lình", 1970, "020 070 000 789", "khuoi hau", "x", "", 6, ""],
    [5, "Lý Thị Mẩy", 1982, None, "Thôn Nà Pàn", "", "x", 2, ""],  # in the database
    [6, "Hà Văn Xòn", 2040, None, "Pác Làng", "x", "", 3, ""],  # the bad row
    [7, "Ma Thị Nhất", 1992, "020.192.000.321", "Khau Pì", "x", "", 4, ""],  # new hamlet
    [8, "Nông Văn Sáu", 1966, "", "Thôn Pác Làng", "", "x", 5, ""],
    [9, "Lò Văn Sình", 1980, "020080000123", "Nà Pàn", "x", "", 4, ""],  # row 7 again
    ["Tổng cộng", "", "", "", "", 6, 3, 36],
]
MAPPING = {0: "row_no", 1: "head_name", 2: "birth_year", 3: "citizen_id", 4: "hamlet",
           5: "cat:poor", 6: "cat:near_poor", 7: "members", 8: "notes"}
FIRST_CHECK = [(6, "skipped"), (7, "warning"), (8, "ok"), (9, "ok"), (10, "skipped"),
               (11, "error"), (12, "error"), (13, "ok"), (14, "skipped"), (15, "skipped")]
FINAL_CHECK = [(6, "duplicate"), (7, "warning"), (8, "ok"), (9, "ok"), (10, "skipped"),
               (11, "error"), (12, "warning"), (13, "ok"), (14, "skipped"), (15, "skipped")]


def tr(owner: QObject, text: str, *args: str, n: int = -1) -> str:
    shown = owner.tr(text, "", n)
    for number, arg in enumerate(args, start=1):
        shown = shown.replace(f"%{number}", arg)
    return shown


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "DS hộ"
    for row in MESSY:
        sheet.append(row)
    for cells in ("A1:I1", "A2:I2", "B4:C4", "F4:G4"):
        sheet.merge_cells(cells)
    old = book.create_sheet("Danh sách cũ")
    old.sheet_state = "hidden"
    old.append(["Họ và tên chủ hộ", "Năm sinh", "Thôn"])
    path = tmp_path / "ho-ngheo-2025.xlsx"
    book.save(path)
    return path


@pytest.fixture
def wizard(ctx: AppContext, qtbot) -> ImportWizard:  # type: ignore[no-untyped-def]
    opened = open_import_wizard(ctx, None)
    assert opened is not None
    opened.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    qtbot.addWidget(opened)
    return opened


def statuses(wizard: ImportWizard) -> list[tuple[int, str]]:
    model = wizard.preview_page.model
    return [(model.outcome(r).row, model.outcome(r).status.value) for r in range(model.rowCount())]


def next_enabled(wizard: ImportWizard) -> bool:
    return wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def open_messy(wizard: ImportWizard, ctx: AppContext, path: Path) -> None:
    ctx.prompts.file_answers.append([path])  # type: ignore[attr-defined]
    wizard.file_page.choose_button.click()
    assert wizard.file is not None and next_enabled(wizard)


def to_the_check(wizard: ImportWizard, ctx: AppContext, path: Path) -> None:
    """The file opened, its sheet and columns taken as found: the check's page."""
    open_messy(wizard, ctx, path)
    wizard.next()
    wizard.next()
    wizard.next()


def test_the_wizard_imports_a_messy_list(  # type: ignore[no-untyped-def]
    ctx: AppContext, wizard: ImportWizard, messy: Path, qtbot, qtmodeltester, tmp_path: Path
) -> None:
    changes: list[frozenset] = []
    ctx.hub.sig_changed.connect(changes.append)
    assert wizard.currentId() == ImportWizard.FILE and not next_enabled(wizard)
    open_messy(wizard, ctx, messy)
    assert ctx.prompts.shown[-1][2] == tr(  # type: ignore[attr-defined]
        wizard.file_page, "Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv)"
    )
    assert messy.name in wizard.file_page.file_label.text()

    # Sheet and header row: the hidden sheet is marked, the two-row header found.
    wizard.next()
    page = wizard.layout_page
    assert wizard.currentId() == ImportWizard.LAYOUT
    assert [page.sheet.itemText(i) for i in range(page.sheet.count())] == [
        "DS hộ", tr(page, "%1 (hidden)", "Danh sách cũ")
    ]
    assert page.header_row.value() == 4 and page.model.header_rows() == range(4, 6)
    assert page.model.rowCount() == 15 and page.model.columnCount() == 9
    assert page.model.index(3, 1).data() == "Chủ hộ"
    assert page.model.index(3, 1).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert page.model.index(6, 3).data() == "20080000123"  # not 2.008e10
    assert page.model.index(6, 3).data(Qt.ItemDataRole.BackgroundRole) is None
    qtmodeltester.check(page.model)
    page.sheet.setCurrentIndex(1)
    page.sheet.activated.emit(1)  # the hidden sheet, as if picked with the mouse
    assert wizard.look.sheet == "Danh sách cũ" and page.model.rowCount() == 1
    page.sheet.setCurrentIndex(0)
    page.sheet.activated.emit(0)
    assert wizard.look.sheet == "DS hộ" and page.header_row.value() == 4
    page.header_row.setValue(6)  # a data row: read as a header, it recognises little
    assert wizard.look.layout.header_row == 6 and page.model.header_rows() == range(6, 7)
    assert page.found_label.text().startswith(tr(page, "Chosen: %1.", tr(page, "row %1", "6")))
    page.header_row.setValue(4)
    assert wizard.look.layout.header_rows == 2 and page.model.header_rows() == range(4, 6)

    # Columns: all recognised; a wrong correction is refused, a right one kept.
    wizard.next()
    mapping = wizard.mapping_page
    assert mapping.mapping() == MAPPING
    combos = mapping.combos
    combos[2].setCurrentIndex(combos[2].findData("head_name"))
    assert not next_enabled(wizard) and "B, C" in mapping.problem_label.text()
    combos[2].setCurrentIndex(combos[2].findData("birth_year"))
    combos[8].setCurrentIndex(combos[8].findData("birth_year:female"))  # a second year
    assert not next_enabled(wizard)
    assert tr(
        mapping,
        "The birth year is chosen both as one column and as the columns by sex "
        "(men, women): choose one way.",
    ) in mapping.problem_label.text()
    combos[8].setCurrentIndex(combos[8].findData(""))  # "Ghi chú": not imported
    assert next_enabled(wizard)
    mapping.remember.setChecked(True)

    # The check: every row's outcome, exactly; nothing written yet.
    wizard.next()
    preview = wizard.preview_page
    assert wizard.currentId() == ImportWizard.PREVIEW
    assert statuses(wizard) == FIRST_CHECK
    assert saved_mapping(ctx.db)[header_key("Ghi chú")] == ""  # remembered
    qtmodeltester.check(preview.model)
    model = preview.model
    assert model.outcome(model.row_of(7)).messages[0].startswith("Cột D “CCCD/CMND”: Số CCCD")
    assert "Năm sinh" in model.index(model.row_of(11), OutcomesModel.MESSAGES).data()
    assert preview.create_hamlets.isVisibleTo(wizard) and preview.new_hamlets.text() == "Khau Pì"
    preview.set_filter(RowStatus.error)
    assert statuses(wizard) == [(11, "error"), (12, "error")]
    preview.set_filter(None)
    assert hh.count_households(ctx.db, ctx.actor, hh.HouseholdQuery()) == 5

    # Row 6 updates the household it matches; the hamlet Khau Pì will be created.
    index = model.index(model.row_of(6), OutcomesModel.ACTION)
    assert model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(model.row_of(7), OutcomesModel.ACTION)) & (
        Qt.ItemFlag.ItemIsEditable
    )
    assert model.setData(index, "update")
    assert not next_enabled(wizard)  # the check is out of date until run again
    qtbot.waitUntil(lambda: wizard.preview is not None)
    preview.create_hamlets.setChecked(True)
    qtbot.waitUntil(lambda: wizard.preview is not None)
    assert statuses(wizard) == FINAL_CHECK
    assert "Sẽ cập nhật hộ đã có: Số nhân khẩu 4 → 5." in model.outcome(0).messages
    assert wizard.preview.summary()["imported"] == 0
    assert hh.count_households(ctx.db, ctx.actor, hh.HouseholdQuery()) == 5

    # Import: the one row with an error is confirmed away, the rest goes in.
    ctx.prompts.confirm_answers.append(True)  # type: ignore[attr-defined]
    wizard.next()
    assert wizard.currentId() == ImportWizard.DONE
    assert wizard.result is not None and wizard.result.summary() == {
        "ok": 3, "warning": 2, "error": 1, "duplicate": 1, "skipped": 3, "imported": 6,
        "unchanged": 0,
    }
    done = wizard.done_page
    assert wizard.result.updated == 1  # row 6: an update is not one household more
    assert done.result_label.text() == " ".join(
        (tr(done, "%n household(s) added.", n=5), tr(done, "%n household(s) updated.", n=1))
    )
    assert "Khau Pì" in done.hamlets_label.text()
    assert frozenset({"household", "unit"}) in changes

    names = {v.head_name: v for v in hh.list_households(ctx.db, ctx.actor, hh.HouseholdQuery())}
    assert hh.count_households(ctx.db, ctx.actor, hh.HouseholdQuery()) == 10
    assert {"Lò Văn Sình", "Vàng Thị Dua", "Triệu Văn Lình", "Ma Thị Nhất", "Nông Văn Sáu"} < set(
        names
    )
    assert "Hà Văn Xòn" not in names
    assert names["Hoàng Văn Páo"].members == 5  # updated from the file
    assert names["Lò Văn Sình"].citizen_id == "020080000123"
    assert names["Lò Văn Sình"].hamlet_name == "Thôn Nà Pàn"
    assert names["Triệu Văn Lình"].hamlet_name == "Bản Khuổi Hẩu"
    assert names["Ma Thị Nhất"].hamlet_name == "Khau Pì"
    assert "Khau Pì" in [h.name for h in units.list_hamlets(ctx.db)]
    assert verify(ctx.db) == []

    report = tmp_path / "ket-qua.xlsx"
    ctx.prompts.save_answers.append(report)  # type: ignore[attr-defined]
    done.report_button.click()
    assert ctx.prompts.shown[-2][2].endswith("ket-qua-nhap-ho-ngheo-2025.xlsx")  # type: ignore[attr-defined]
    assert report.is_file() and openpyxl.load_workbook(report).active.max_row >= 10
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.file is None  # closed with the wizard


def test_a_file_that_is_not_a_spreadsheet(  # type: ignore[no-untyped-def]
    ctx: AppContext, wizard: ImportWizard, tmp_path: Path
) -> None:
    fake = tmp_path / "danh-sach.xlsx"
    fake.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")  # a PDF, renamed
    ctx.prompts.file_answers.append([fake])  # type: ignore[attr-defined]
    wizard.file_page.choose_button.click()
    problem = wizard.file_page.problem_label
    assert problem.isVisibleTo(wizard) and "danh-sach.xlsx" in problem.text()
    assert "không phải là bảng tính" in problem.text()  # the service's one sentence
    assert wizard.file is None and not next_enabled(wizard)
    assert ctx.prompts.errors() == []  # type: ignore[attr-defined]  # on the page, no box


def test_no_header_found_then_chosen_by_hand(  # type: ignore[no-untyped-def]
    ctx: AppContext, wizard: ImportWizard, tmp_path: Path, monkeypatch
) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Người đại diện", "Sinh năm", "Thôn"])
    book.active.append(["Bàn Văn Tâm", 1960, "Pác Làng"])
    path = tmp_path / "la.xlsx"
    book.save(path)
    open_messy(wizard, ctx, path)
    wizard.next()
    page = wizard.layout_page
    assert "Không tìm thấy dòng tiêu đề" in page.problem_label.text() and not next_enabled(wizard)
    assert page.header_row.text() == "—"
    page.header_row.setValue(1)
    assert wizard.look.layout.header_row == 1 and next_enabled(wizard)
    wizard.next()
    mapping = wizard.mapping_page
    assert not next_enabled(wizard)  # no column holds the head of household yet
    mapping.combos[0].setCurrentIndex(mapping.combos[0].findData("head_name"))
    assert next_enabled(wizard)

    def cancelled(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise Cancelled()

    monkeypatch.setattr(preview_module, "run_import", cancelled)
    wizard.next()
    assert wizard.preview is None and not next_enabled(wizard)
    assert wizard.preview_page.problem_label.isVisibleTo(wizard)
    monkeypatch.undo()
    wizard.preview_page.check_button.click()
    assert statuses(wizard) == [(2, "ok")]  # no category column: said once, for the file
    assert "Tệp không có cột diện hộ" in wizard.preview_page.summary_label.text()


def test_a_header_below_the_rows_shown_can_be_chosen(  # type: ignore[no-untyped-def]
    ctx: AppContext, wizard: ImportWizard, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    for n in range(1, 34):  # a decision quoted in full above the table
        book.active.append([f"Điều {n}. Căn cứ văn bản số {n}/UBND về hỗ trợ nhà ở"])
    book.active.append(["Họ và tên chủ hộ", "Năm sinh", "Thôn, xóm", "Diện"])
    book.active.append(["Bàn Văn Tâm", 1960, "Thôn Pác Làng", "HN"])
    path = tmp_path / "dai.xlsx"
    book.save(path)
    open_messy(wizard, ctx, path)
    wizard.next()
    page = wizard.layout_page
    page.header_row.setValue(34)
    assert page.header_row.value() == 34 and wizard.look.layout.header_row == 34
    wizard.next()
    wizard.next()
    assert statuses(wizard) == [(35, "ok")]


def _book(path: Path, rows: list[list], sheet: str = "Sheet") -> Path:
    book = openpyxl.Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _at_the_columns(  # type: ignore[no-untyped-def]
    ctx: AppContext, qtbot, path: Path, rows: list[list], sheet: str = "Sheet"
) -> ImportWizard:
    """A wizard opened on a list of these rows, at its columns page."""
    _book(path, rows, sheet)
    wizard = open_import_wizard(ctx, None)
    assert wizard is not None
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    qtbot.addWidget(wizard)
    open_messy(wizard, ctx, path)
    wizard.next()
    wizard.next()
    return wizard


def test_a_team_leader_imports_into_their_hamlet(  # type: ignore[no-untyped-def]
    ui_db, qapp, qtbot, tmp_path: Path
) -> None:
    rows = [["Họ tên chủ hộ", "Năm sinh", "Thôn", "Diện"], ["Sầm Văn Tư", 1977, "", "HN"],
            ["Lục Thị Năm", 1981, "Khau Pì", "HCN"]]  # fmt: skip
    wizard = _at_the_columns(make_ctx(ui_db, "totruong"), qtbot, tmp_path / "to-truong.xlsx", rows)
    hamlet = wizard.mapping_page.hamlet
    assert hamlet.currentText() == "Thôn Nà Pàn" and not hamlet.isEnabled()
    wizard.next()
    assert statuses(wizard) == [(2, "ok"), (3, "error")]
    assert not wizard.preview_page.create_hamlets.isVisibleTo(wizard)  # only for admins


def test_a_hamlet_laptops_administrator_imports_into_the_laptops_hamlet(  # type: ignore[no-untyped-def]
    qapp, qtbot, tmp_path: Path, fresh_sqlite
) -> None:
    db = fresh_sqlite(tmp_path / "thon.sqlite")
    setup.initialize(
        db, unit_code="06112", admin_username="admin", admin_password="demo",
        hamlet_name="Thôn Nà Pàn",
    )  # fmt: skip
    rows = [["Họ tên chủ hộ", "Năm sinh", "Diện"], ["Sầm Văn Tư", 1977, "HN"]]
    wizard = _at_the_columns(make_ctx(db), qtbot, tmp_path / "thon.xlsx", rows)
    mapping = wizard.mapping_page
    assert mapping.hamlet.currentText() == "Thôn Nà Pàn" and not mapping.hamlet.isEnabled()
    assert not mapping.note_label.isVisibleTo(wizard)  # no "choose the hamlet" to heed
    wizard.next()
    assert statuses(wizard) == [(2, "ok")]


def test_a_hamlet_laptop_offers_no_new_hamlet_for_another_hamlet_s_rows(  # type: ignore[no-untyped-def]
    qapp, qtbot, tmp_path: Path, fresh_sqlite
) -> None:
    """The commune's list on the hamlet's laptop: its administrator was offered "Create
    the hamlets the commune does not have yet", and the households of the hamlet made
    that way lie outside the laptop's hamlet, so the commune refused its bundles whole."""
    db = fresh_sqlite(tmp_path / "thon.sqlite")
    setup.initialize(
        db, unit_code="06112", admin_username="admin", admin_password="demo",
        hamlet_name="Thôn Nà Pàn",
    )  # fmt: skip
    rows = [["Họ tên chủ hộ", "Năm sinh", "Thôn", "Diện"], ["Sầm Văn Tư", 1977, "Nà Pàn", "HN"],
            ["Lục Thị Năm", 1981, "Khau Pì", "HCN"]]  # fmt: skip
    wizard = _at_the_columns(make_ctx(db), qtbot, tmp_path / "xa.xlsx", rows)
    wizard.next()
    assert statuses(wizard) == [(2, "ok"), (3, "error")]
    assert not wizard.preview_page.create_hamlets.isVisibleTo(wizard)


def test_a_viewer_gets_no_wizard(viewer_ctx: AppContext) -> None:
    assert open_import_wizard(viewer_ctx, None) is None
    assert len(viewer_ctx.prompts.errors()) == 1  # type: ignore[attr-defined]


def test_export_register(ctx: AppContext, tmp_path: Path) -> None:
    name = suggested_name(ctx)
    assert name.startswith("so-ho-") and name.endswith(".xlsx")
    assert name.count("-") >= 5 and " " not in name
    target = tmp_path / "so-ho"
    ctx.prompts.save_answers.append(target)  # type: ignore[attr-defined]
    ctx.prompts.confirm_answers.append(True)  # type: ignore[attr-defined]
    export_register_dialog(ctx, None)
    kind, _title, text = ctx.prompts.shown[-1]  # type: ignore[attr-defined]
    assert kind == "info" and "5" in text
    book = openpyxl.load_workbook(tmp_path / "so-ho.xlsx")
    names = [c.value for row in book.active.iter_rows() for c in row]
    assert "Hoàng Văn Páo" in names


def test_citizen_ids_are_hidden_unless_asked_for_by_one_who_cannot_import_back(
    viewer_ctx: AppContext, ctx: AppContext, tmp_path: Path
) -> None:
    """Lists that leave the commune hide citizen IDs unless a person chooses otherwise
    (DESIGN.md §9). Enter on the question took No for everyone, and a viewer's list,
    which no import takes back, went out with every number whole."""
    first = hh.list_households(ctx.db, ctx.actor, hh.HouseholdQuery())[0]
    listed = hh.get_household(ctx.db, ctx.actor, first.id)
    hh.update_household(
        ctx.db, ctx.actor, listed.id, replace(listed.as_input(), citizen_id="020175000123")
    )
    for who, name, hidden in ((viewer_ctx, "xem.xlsx", True), (ctx, "quan-tri.xlsx", False)):
        who.prompts.save_answers.append(tmp_path / name)  # type: ignore[attr-defined]
        export_register_dialog(who, None)  # the question answered as Enter answers it
        rows = list(openpyxl.load_workbook(tmp_path / name).active.iter_rows(values_only=True))
        header = next(r for r in rows if "Họ và tên chủ hộ" in r)
        column = next(i for i, title in enumerate(header) if title and "CCCD" in title)
        ids = [r[column] for r in rows[rows.index(header) + 1 :] if r[column]]
        assert ids, rows[:5]
        assert all(c.startswith("*") for c in ids) is hidden, ids


def test_export_register_says_it_in_vietnamese(ctx: AppContext, tmp_path: Path) -> None:
    from nhao.ui import i18n

    ctx.prompts.save_answers.append(tmp_path / "so-ho.xlsx")  # type: ignore[attr-defined]
    ctx.prompts.confirm_answers.append(False)  # type: ignore[attr-defined]
    assert i18n.install("vi")
    try:
        export_register_dialog(ctx, None)
    finally:
        i18n.install("en")
    kind, _title, text = ctx.prompts.shown[-1]  # type: ignore[attr-defined]
    assert (kind, text) == ("info", f"Đã xuất 5 hộ ra tệp {tmp_path / 'so-ho.xlsx'}.")


def test_export_into_a_folder_that_is_gone_says_so_in_words(
    ctx: AppContext, tmp_path: Path
) -> None:
    ctx.prompts.save_answers.append(tmp_path / "usb-da-rut" / "so-ho.xlsx")  # type: ignore[attr-defined]
    ctx.prompts.confirm_answers.append(False)  # type: ignore[attr-defined]
    export_register_dialog(ctx, None)
    kind, _title, text = ctx.prompts.shown[-1]  # type: ignore[attr-defined]
    assert kind == "error"
    assert text == f"Không có thư mục {tmp_path / 'usb-da-rut'} để ghi tệp so-ho.xlsx."
    # Taken out while it was written: the same words, not Python's.
    failure = FileNotFoundError(2, "No such file", str(tmp_path / ".so-ho.xlsx.partial"))
    assert describe_failure(failure) == QCoreApplication.translate(
        "TaskRunner",
        "The file or folder of %1 is not there any more (was a USB stick taken out?). "
        "Choose another place and try again.",
    ).replace("%1", "so-ho.xlsx")
    assert "FileNotFoundError" not in text and ".partial" not in text


def test_cells_shown_as_the_spreadsheet_shows_them() -> None:
    from datetime import date, datetime

    assert cell_text(20080000123.0) == "20080000123"
    assert cell_text(25.5) == "25,5"
    assert cell_text(date(2025, 2, 5)) == "05/02/2025"
    assert cell_text(datetime(2025, 2, 5, 7, 30)) == "05/02/2025 07:30"
    assert cell_text("  Nà   Pàn ") == "Nà Pàn"
    assert cell_text(None) == ""


def test_in_the_background_as_in_the_window(  # type: ignore[no-untyped-def]
    ctx: AppContext, wizard: ImportWizard, messy: Path, qtbot
) -> None:
    """With the real runner every step runs on the thread pool; pages wait for it."""
    ctx.runner = TaskRunner()
    ctx.prompts.file_answers.append([messy])  # type: ignore[attr-defined]
    wizard.file_page.choose_button.click()
    qtbot.waitUntil(lambda: wizard.file is not None and next_enabled(wizard))
    wizard.next()
    wizard.layout_page.header_row.setValue(5)
    assert not next_enabled(wizard)  # busy reading
    qtbot.waitUntil(lambda: next_enabled(wizard))
    wizard.layout_page.header_row.setValue(4)
    qtbot.waitUntil(lambda: next_enabled(wizard) and wizard.look.layout.header_row == 4)
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preview is not None)
    assert statuses(wizard) == FIRST_CHECK
    ctx.prompts.confirm_answers.append(True)  # type: ignore[attr-defined]
    wizard.next()
    assert wizard.currentId() == ImportWizard.PREVIEW  # until the import has run
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.DONE, timeout=10000)
    assert wizard.result is not None and wizard.result.imported == 4
    assert hh.count_households(ctx.db, ctx.actor, hh.HouseholdQuery()) == 9


def test_fits_a_small_laptop_screen(wizard: ImportWizard) -> None:
    for page_id in wizard.pageIds():
        hint = wizard.page(page_id).minimumSizeHint()
        assert hint.width() <= 1300 and hint.height() <= 600, (page_id, hint)
    hint = wizard.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 728


def test_a_row_choice_does_not_follow_the_person_to_another_sheet(  # type: ignore[no-untyped-def]
    ctx: AppContext, wizard: ImportWizard, qtbot, tmp_path: Path
) -> None:
    head = ["Họ và tên chủ hộ", "Năm sinh", "Thôn, xóm", "Ghi chú"]
    book = openpyxl.Workbook()
    book.active.title = "Tờ 1"
    book.active.append(head)
    book.active.append(["Hoàng Văn Páo", 1975, "Thôn Nà Pàn", "tờ 1"])  # a household we have
    other = book.create_sheet("Tờ 2")
    other.append(head)
    other.append(["Lý Thị Mẩy", 1982, "Thôn Nà Pàn", "tờ 2"])  # another one we have
    path = tmp_path / "hai-to.xlsx"
    book.save(path)
    to_the_check(wizard, ctx, path)
    model = wizard.preview_page.model
    assert statuses(wizard) == [(2, "skipped")]
    assert model.setData(model.index(0, OutcomesModel.ACTION), "update")
    qtbot.waitUntil(lambda: wizard.preview is not None and statuses(wizard) == [(2, "duplicate")])
    wizard.back()
    wizard.back()
    wizard.layout_page.sheet.setCurrentIndex(1)
    wizard.layout_page.sheet.activated.emit(1)
    assert wizard.look.sheet == "Tờ 2"
    wizard.next()
    wizard.next()
    assert wizard.choices.row_actions == {}
    assert statuses(wizard) == [(2, "skipped")]  # row 2 of this sheet is someone else
    ctx.prompts.confirm_answers.append(True)  # type: ignore[attr-defined]
    wizard.next()
    found = hh.list_households(ctx.db, ctx.actor, hh.HouseholdQuery())
    assert {h.head_name: h.notes for h in found}["Lý Thị Mẩy"] == ""


def test_a_file_changed_after_the_check_is_not_imported_unseen(  # type: ignore[no-untyped-def]
    ctx: AppContext, wizard: ImportWizard, tmp_path: Path
) -> None:
    """The check showed two rows; the list saved again in Excel meanwhile has three,
    and the choices made row by row would fall on other households: the import
    refuses and says so, and nothing is written."""
    path = tmp_path / "ds.csv"
    head = "Họ và tên chủ hộ,Năm sinh,Thôn\n"
    path.write_text(head + "Bàn Văn Tâm,1960,Thôn Nà Pàn\nLò Thị Pụ,1971,Thôn Nà Pàn\n",
                    encoding="utf-8")
    to_the_check(wizard, ctx, path)
    assert [row for row, _ in statuses(wizard)] == [2, 3]
    path.write_text(head + "Hoàng Văn Páo,1975,Thôn Nà Pàn\nBàn Văn Tâm,1960,Thôn Nà Pàn\n"
                    "Lò Thị Pụ,1971,Thôn Nà Pàn\n", encoding="utf-8")
    wizard.next()
    assert wizard.currentId() == ImportWizard.PREVIEW and wizard.result is None
    [error] = ctx.prompts.errors()  # type: ignore[attr-defined]
    assert "ds.csv" in error and "đã thay đổi" in error
    assert hh.count_households(ctx.db, ctx.actor, hh.HouseholdQuery()) == 5


def test_the_report_is_not_saved_over_the_list_being_imported(  # type: ignore[no-untyped-def]
    ctx: AppContext, wizard: ImportWizard, messy: Path
) -> None:
    before = messy.read_bytes()
    to_the_check(wizard, ctx, messy)
    assert wizard.preview is not None
    for answer in (messy, messy.with_suffix("")):  # chosen in the dialog, or typed bare
        ctx.prompts.save_answers.append(answer)  # type: ignore[attr-defined]
        ctx.prompts.confirm_answers.append(True)  # type: ignore[attr-defined]  # "replace?"
        wizard.preview_page.report_button.click()
        assert ctx.prompts.shown[-1][0] == "error" and messy.name in ctx.prompts.shown[-1][2]
        assert messy.read_bytes() == before
    ctx.prompts.confirm_answers.clear()  # type: ignore[attr-defined]
    # The list still imports as it was checked.
    ctx.prompts.confirm_answers.append(True)  # type: ignore[attr-defined]
    wizard.next()
    assert wizard.currentId() == ImportWizard.DONE


def test_a_name_typed_without_xlsx_does_not_replace_a_file_unasked(
    ctx: AppContext, tmp_path: Path
) -> None:
    kept = tmp_path / "so-ho.xlsx"
    kept.write_bytes(b"last month's register")
    ctx.prompts.save_answers.append(tmp_path / "so-ho")  # type: ignore[attr-defined]
    ctx.prompts.confirm_answers.append(False)  # type: ignore[attr-defined]  # do not replace
    export_register_dialog(ctx, None)
    kind, _title, text = ctx.prompts.shown[-1]  # type: ignore[attr-defined]
    assert kind == "confirm" and "so-ho.xlsx" in text
    assert kept.read_bytes() == b"last month's register"
    ctx.prompts.save_answers.append(tmp_path / "so-ho")  # type: ignore[attr-defined]
    ctx.prompts.confirm_answers.extend([True, False])  # type: ignore[attr-defined]  # replace; full IDs
    export_register_dialog(ctx, None)
    assert ctx.prompts.shown[-1][0] == "info"  # type: ignore[attr-defined]
    assert "Hoàng Văn Páo" in [c.value for row in openpyxl.load_workbook(kept).active.iter_rows()
                               for c in row]


def test_arrow_keys_through_the_duplicate_column_change_no_choice(  # type: ignore[no-untyped-def]
    ctx: AppContext, wizard: ImportWizard, messy: Path, qtbot
) -> None:
    """Walking the table with the arrow keys, a clerk passed through "If duplicate" of
    row 6 (skip): the chooser opened as the cell became current, and the next Down
    arrow set it to "Update the existing household", overwriting that household with
    the file's row on import. Now arrows only move; a click or F2 opens the chooser."""
    wizard.show()
    qtbot.waitExposed(wizard)
    to_the_check(wizard, ctx, messy)
    preview = wizard.preview_page
    table, model = preview.table, preview.model
    table.setFocus()
    table.setCurrentIndex(model.index(model.row_of(6), OutcomesModel.NAME))
    qtbot.keyClick(table, Qt.Key.Key_Right)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert wizard.choices.row_actions == {}
    assert table.currentIndex().row() == model.row_of(7)
    assert statuses(wizard) == FIRST_CHECK

    action = model.index(model.row_of(6), OutcomesModel.ACTION)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(action).center())
    assert table.state() == QAbstractItemView.State.EditingState
    assert isinstance(QApplication.focusWidget(), QComboBox)


def test_one_click_on_the_selected_rows_choice_opens_it_once(  # type: ignore[no-untyped-def]
    ctx: AppContext, wizard: ImportWizard, messy: Path, qtbot, qtlog
) -> None:
    """A click on the choice of the row already selected: the click's own opening and
    Qt's "selected clicked" one both tried, the second after the double-click wait,
    which said "edit: editing failed" and left the chooser to open late."""
    wizard.show()
    qtbot.waitExposed(wizard)
    to_the_check(wizard, ctx, messy)
    table, model = wizard.preview_page.table, wizard.preview_page.model
    action = model.index(model.row_of(6), OutcomesModel.ACTION)
    table.setCurrentIndex(action)  # selected before the click
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(action).center())  # fmt: skip
    assert table.state() == QAbstractItemView.State.EditingState
    qtbot.wait(QApplication.doubleClickInterval() + 100)
    assert table.state() == QAbstractItemView.State.EditingState
    assert [m.message for m in qtlog.records if "editing failed" in m.message] == []


def test_many_new_hamlets_keep_the_wizard_on_a_small_screen(  # type: ignore[no-untyped-def]
    ctx: AppContext, wizard: ImportWizard, tmp_path: Path
) -> None:
    """The first list imported on a station whose hamlets are not entered yet names
    them all; offered in one unwrapped check box, their names widened the wizard past
    a 1366-pixel screen, and Import and Cancel went off its edge."""
    hamlets = ["Thôn Nà Lẹng", "Thôn Khuổi Luông", "Thôn Pò Mã", "Bản Nặm Thuồm",
               "Thôn Cốc Lùng", "Thôn Hồng Phong", "Thôn Tân Sơn", "Bản Pắc Cáp",
               "Thôn Nà Khau", "Thôn Bó Khiếc", "Thôn Kéo Nọi", "Thôn Bản Chang"]
    book = openpyxl.Workbook()
    book.active.append(["Họ và tên chủ hộ", "Năm sinh", "Thôn"])
    for number, hamlet in enumerate(hamlets):
        book.active.append([f"Lò Văn {number}", 1960 + number, hamlet])
    path = tmp_path / "thon-moi.xlsx"
    book.save(path)
    to_the_check(wizard, ctx, path)
    preview = wizard.preview_page
    assert preview.create_hamlets.isVisibleTo(wizard)
    shown = preview.create_hamlets.text() + preview.new_hamlets.text()
    assert all(hamlet in shown for hamlet in hamlets)
    assert preview.minimumSizeHint().width() <= 1300
    assert wizard.minimumSizeHint().width() <= 1366


def tab_through(qtbot, count: int) -> list[QWidget]:  # type: ignore[no-untyped-def]
    seen = [QApplication.focusWidget()]
    for _ in range(count):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    return seen


def test_the_columns_page_is_tabbed_through_top_to_bottom(  # type: ignore[no-untyped-def]
    ctx: AppContext, wizard: ImportWizard, messy: Path, qtbot
) -> None:
    """Tab went from the frame around the columns to the hamlet box and the "Remember"
    check box at the foot of the page, and only then up to column A's choice."""
    wizard.show()
    qtbot.waitExposed(wizard)
    open_messy(wizard, ctx, messy)
    wizard.next()
    wizard.next()
    page = wizard.mapping_page
    combos = [page.combos[column] for column in sorted(page.combos)]
    seen = tab_through(qtbot, len(combos) + 1)
    assert seen == [*combos, page.hamlet, page.remember]


def test_tab_leaves_the_tables_instead_of_walking_their_cells(  # type: ignore[no-untyped-def]
    ctx: AppContext, wizard: ImportWizard, messy: Path, qtbot
) -> None:
    """Tab walked the sheet's rows and the check's rows cell by cell: on a list of 3,000
    households, 15,000 presses before the buttons under the table."""
    wizard.show()
    qtbot.waitExposed(wizard)
    open_messy(wizard, ctx, messy)
    wizard.next()
    grid = wizard.layout_page.grid
    grid.setFocus()
    assert tab_through(qtbot, 1)[-1] is not grid
    wizard.next()
    wizard.next()
    table = wizard.preview_page.table
    table.setFocus()
    assert tab_through(qtbot, 1)[-1] is not table


def test_the_examples_beside_each_column_leave_the_totals_row_out(  # type: ignore[no-untyped-def]
    ctx: AppContext, wizard: ImportWizard, tmp_path: Path
) -> None:
    """ "x; 1" beside "Cận nghèo": the 1 was the totals row's count, not a household's."""
    book = openpyxl.Workbook()
    for row in (
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Nghèo", "Cận nghèo"],
        [1, "Hoàng Văn Páo", 1975, "Nà Pàn", "x", ""],
        [2, "Lò Văn Sình", 1980, "Nà Pàn", "", "x"],
        ["Tổng cộng", "", "", "", 1, 1],
    ):
        book.active.append(row)
    path = tmp_path / "co-dong-tong.xlsx"
    book.save(path)
    open_messy(wizard, ctx, path)
    wizard.next()
    wizard.next()
    page = wizard.mapping_page

    def examples(column: int) -> str:
        return page.grid.itemAtPosition(column + 1, 3).widget().text()

    assert (examples(0), examples(4), examples(5)) == ("1; 2", "x", "x")


def test_a_list_pasted_below_in_another_column_order_is_said_and_left_out_of_the_examples(  # type: ignore[no-untyped-def]
    ctx: AppContext, qtbot, tmp_path: Path
) -> None:
    """The columns page shows the first header's columns, with examples from its rows:
    the hamlets and years of the list below (its own header, columns in another order)
    stood beside the wrong headers. The check says the rows below that header are read
    by it, not by the columns chosen here."""
    rows = [["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Số CCCD"],
            [1, "Sầm Văn Tư", 1975, "Nà Pàn", ""],
            ["STT", "Họ và tên", "Thôn/xóm", "Số CCCD", "Năm sinh"],
            [1, "Lục Thị Năm", "Nà Pàn", "", 1980]]  # fmt: skip
    wizard = _at_the_columns(ctx, qtbot, tmp_path / "hai-ds.xlsx", rows)
    page = wizard.mapping_page

    def examples(column: int) -> str:
        return page.grid.itemAtPosition(column + 1, 3).widget().text()

    assert (examples(1), examples(2), examples(3)) == ("Sầm Văn Tư", "1975", "Nà Pàn")
    wizard.next()
    assert statuses(wizard) == [(2, "ok"), (3, "skipped"), (4, "ok")]
    said = "Dòng 3 là tiêu đề cột của một danh sách khác, các cột xếp khác"
    assert said in wizard.preview_page.summary_label.text()


def test_a_list_pasted_below_under_a_remembered_spelling_is_left_out_of_the_examples(  # type: ignore[no-untyped-def]
    ctx: AppContext, qtbot, tmp_path: Path
) -> None:
    """The import knows the header of a list pasted below by the spellings people
    corrected ("Người đại diện" for the head); the columns page read its sample without
    them, and showed the list below's cells as examples of the first list's columns."""
    from nhao.services.household_import import detect_layout, open_import, save_mapping

    first = [["Người đại diện", "Năm sinh", "Thôn"], ["Bàn Văn Tâm", 1960, "Nà Pàn"]]
    with open_import(ctx.db, _book(tmp_path / "dai-dien.xlsx", first)) as file:
        layout = detect_layout(ctx.db, file, header_row=1)
    save_mapping(ctx.db, ctx.actor, layout, {0: "head_name", 1: "birth_year", 2: "hamlet"})
    rows = [*first, ["Thôn", "Người đại diện", "Năm sinh"], ["Cốc Lùng", "Lò Thị Bé", 1975]]
    wizard = _at_the_columns(ctx, qtbot, tmp_path / "hai-ds.xlsx", rows)
    page = wizard.mapping_page
    shown = [page.grid.itemAtPosition(column + 1, 3).widget().text() for column in range(3)]
    assert shown == ["Bàn Văn Tâm", "1960", "Nà Pàn"]


def test_the_list_is_found_on_the_sheet_after_the_instructions(  # type: ignore[no-untyped-def]
    ctx: AppContext, wizard: ImportWizard, tmp_path: Path
) -> None:
    """A workbook opening with a sheet of instructions: the wizard showed that sheet and
    "no header row found", the command line refused the file."""
    from nhao.services.household_import import ImportOptions, import_file

    book = openpyxl.Workbook()
    book.active.title = "Hướng dẫn"
    book.active.append(["Điền danh sách vào trang “Tổng hợp”."])
    sheet = book.create_sheet("Tổng hợp")
    for row in (["BẢNG TỔNG HỢP"], ["TT", "Họ tên chủ hộ", "Năm sinh", "Diện hộ"],
                ["I", "Thôn Nà Pàn"], [1, "Lương Văn Quý", 1958, "HN"],
                ["II", "Bản Khuổi Hẩu"], [2, "Đinh Văn Tư", 1950, "HCN"]):
        sheet.append(row)
    path = tmp_path / "tong-hop.xlsx"
    book.save(path)

    open_messy(wizard, ctx, path)
    wizard.next()
    assert wizard.look is not None and wizard.look.sheet == "Tổng hợp"
    assert wizard.layout_page.header_row.value() == 2 and next_enabled(wizard)
    report = import_file(ctx.db, ctx.actor, path, ImportOptions(), dry_run=True)
    assert report.sheet == "Tổng hợp" and report.summary()["ok"] == 2


def test_a_list_typed_in_tcvn3_is_shown_and_checked_in_unicode(  # type: ignore[no-untyped-def]
    ctx: AppContext, wizard: ImportWizard, tmp_path: Path
) -> None:
    """A list kept in a .VnTime font: the preview showed "Hä vµ tªn" and found no header."""
    book = openpyxl.Workbook()
    for row in (["DANH S¸CH Hé NGHÌO"], ["TT", "Hä vµ tªn chñ hé", "N¨m sinh", "Th«n"],
                [1, "NguyÔn V¨n Lùc", 1961, "Th«n Nµ Pµn"], [2, "Lß ThÞ BÐ", 1975, "Nµ Pµn"]):
        book.active.append(row)
    path = tmp_path / "ds-abc.xlsx"
    book.save(path)

    open_messy(wizard, ctx, path)
    wizard.next()
    page = wizard.layout_page
    assert page.header_row.value() == 2 and next_enabled(wizard)
    assert page.model.index(1, 1).data() == "Họ và tên chủ hộ"
    assert page.model.index(2, 1).data() == "Nguyễn Văn Lực"
    note = tr(page, "The text was typed in the old %1 encoding (fonts such as %2); it is read "
              "as Unicode. Check a few names in the preview.", "TCVN3 (ABC)", ".VnTime, .VnArial")
    assert page.found_label.text().endswith("\n" + note)
    wizard.next()  # the columns
    wizard.next()  # the check
    assert statuses(wizard) == [(3, "ok"), (4, "ok")]
    assert "TCVN3 (ABC)" in wizard.preview_page.summary_label.text()


def active(wizard: ImportWizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)


def test_enter_goes_on_once_the_file_is_chosen(  # type: ignore[no-untyped-def]
    ctx: AppContext, wizard: ImportWizard, messy: Path, qtbot
) -> None:
    """Space on "Choose a file…" opened the file, and focus stayed on that button: the
    Enter a clerk pressed next to go on opened the file chooser again, every time."""
    active(wizard, qtbot)
    assert QApplication.focusWidget() is wizard.file_page.choose_button
    ctx.prompts.file_answers.append([messy])  # type: ignore[attr-defined]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert wizard.file is not None
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert wizard.currentId() == ImportWizard.LAYOUT
    assert [kind for kind, _t, _x in ctx.prompts.shown] == ["open_files"]  # type: ignore[attr-defined]


def test_enter_on_the_check_page_does_not_import(  # type: ignore[no-untyped-def]
    ctx: AppContext, qtbot, tmp_path: Path
) -> None:
    """Import was the default button of the check: Enter to go on from the columns and
    a second Enter wrote every household, the check unread. Import is pressed (a click,
    its Alt letter, or Tab to it), never reached by an Enter meant for a list box."""
    rows = [["Họ tên chủ hộ", "Năm sinh", "Thôn"], ["Sầm Văn Tư", 1977, "Thôn Nà Pàn"],
            ["Lục Thị Năm", 1981, "Thôn Pác Làng"]]  # fmt: skip
    wizard = _at_the_columns(ctx, qtbot, tmp_path / "sach.xlsx", rows)
    active(wizard, qtbot)
    before = hh.count_households(ctx.db, ctx.actor, hh.HouseholdQuery())
    wizard.mapping_page.combos[0].setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert wizard.currentId() == ImportWizard.PREVIEW and statuses(wizard) == [(2, "ok"), (3, "ok")]
    commit = wizard.button(QWizard.WizardButton.CommitButton)
    assert commit.isEnabled() and not commit.isDefault()
    for widget in (QApplication.focusWidget(), wizard.preview_page.duplicates,
                   wizard.preview_page.table):
        widget.setFocus()
        qtbot.keyClick(widget, Qt.Key.Key_Return)
        assert wizard.currentId() == ImportWizard.PREVIEW
    commit.setFocus()  # a button with focus takes Enter (it is the default meanwhile)...
    wizard.preview_page.duplicates.setFocus(Qt.FocusReason.BacktabFocusReason)  # ...then left
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert wizard.currentId() == ImportWizard.PREVIEW
    assert hh.count_households(ctx.db, ctx.actor, hh.HouseholdQuery()) == before

    qtbot.keyClick(wizard.preview_page.table, QKeySequence.mnemonic(commit.text())[0].key(),
                   Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.DONE)  # a mnemonic animates
    assert hh.count_households(ctx.db, ctx.actor, hh.HouseholdQuery()) == before + 2


def test_a_long_row_report_scrolls_and_leaves_the_table_its_rows(  # type: ignore[no-untyped-def]
    ctx: AppContext, wizard: ImportWizard, qtbot, tmp_path: Path
) -> None:
    """A merged commune has dozens of hamlets, and a row whose hamlet is unknown names
    them all. At 1366×768 and 125 % (the wizard 1000×536) the details under the table
    took its rows away (one and a half were left) and were cut off at the bottom: the
    row's other faults (year of birth, citizen ID, phone) could not be read at all."""
    units.add_hamlets(ctx.db, ctx.actor, [f"Thôn Khuổi Nà Lẹng Số {n}" for n in range(1, 61)])
    book = openpyxl.Workbook()
    book.active.append(["Họ và tên chủ hộ", "Năm sinh", "Số CCCD", "Thôn", "Điện thoại"])
    book.active.append(["Lò Văn A", 2090, "12345", "Bản Không Có", "12"])
    for number in range(30):
        book.active.append([f"Lò Văn {number}", 1960, "", "Thôn Nà Pàn", ""])
    path = tmp_path / "thon-la.xlsx"
    book.save(path)
    wizard.resize(1000, 536)
    wizard.show()
    qtbot.waitExposed(wizard)
    to_the_check(wizard, ctx, path)
    preview = wizard.preview_page
    assert preview.select_row(2)
    QApplication.processEvents()
    details = preview.details
    messages = preview.model.outcome(0).messages
    assert len(messages) >= 4 and all(m in details.text() for m in messages)
    assert wizard.size().height() <= 536  # the wizard kept to the screen
    # Every line reachable (scrolled to, if need be), not clipped by the page's edge.
    assert details.height() >= details.heightForWidth(details.width())
    assert preview.table.viewport().height() >= 5 * preview.table.verticalHeader().sectionSize(0)


def test_the_arrow_keys_on_arriving_at_the_check_move_through_its_rows(  # type: ignore[no-untyped-def]
    ctx: AppContext, wizard: ImportWizard, messy: Path, qtbot
) -> None:
    """The check opened with focus in "Duplicate rows" (Skip): the Down arrow a clerk
    pressed to look through the rows set it to "Update the existing household", and
    the import then wrote the file's rows over the households they matched."""
    active(wizard, qtbot)
    open_messy(wizard, ctx, messy)
    wizard.next()
    wizard.next()
    wizard.mapping_page.combos[0].setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    preview = wizard.preview_page
    assert wizard.currentId() == ImportWizard.PREVIEW
    for _ in range(2):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert wizard.choices.on_duplicate.value == "skip" and statuses(wizard) == FIRST_CHECK
    assert QApplication.focusWidget() is preview.table
    assert preview.details.text().startswith(tr(preview, "Row %1", "8"))  # the third row


def test_a_list_s_household_code_is_offered_and_found(  # type: ignore[no-untyped-def]
    ctx: AppContext, qtbot, tmp_path: Path
) -> None:
    """"Mã HGĐ" is the household's code: found, and a field any column may be given."""
    rows = [["STT", "Mã HGĐ", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện"],
            [1, "BG-0012", "Hoàng Văn Tằng", 1975, "Nà Pàn", "HN"]]  # fmt: skip
    wizard = _at_the_columns(ctx, qtbot, tmp_path / "ma-ho.xlsx", rows)
    combos = wizard.mapping_page.combos
    assert combos[1].currentData() == "household_code" and combos[1].currentText() == "Mã hộ"
    assert combos[5].findData("household_code") >= 0
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preview is not None)
    assert statuses(wizard) == [(2, "ok")]


def test_a_name_over_two_columns_is_mapped_and_imported_whole(  # type: ignore[no-untyped-def]
    ctx: AppContext, qtbot, tmp_path: Path
) -> None:
    rows = [["STT", "Họ và tên đệm", "Tên", "Năm sinh", "Thôn", "Diện"],
            [1, "Hoàng Văn", "Tằng", 1975, "Nà Pàn", "HN"],
            [2, "Lò Thị", "Sình", 1980, "Nà Pàn", "HCN"]]  # fmt: skip
    wizard = _at_the_columns(ctx, qtbot, tmp_path / "ten-rieng.xlsx", rows)
    assert wizard.mapping_page.combos[1].currentData() == "head_name"
    assert wizard.mapping_page.combos[2].currentData() == "given_name"
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preview is not None)
    assert statuses(wizard) == [(2, "ok"), (3, "ok")]
    wizard.next()
    assert wizard.currentId() == ImportWizard.DONE
    found = hh.list_households(ctx.db, ctx.actor, hh.HouseholdQuery())
    assert {"Hoàng Văn Tằng", "Lò Thị Sình"} <= {v.head_name for v in found}


def test_the_columns_page_says_the_old_id_column_is_read_where_the_new_one_is_empty(  # type: ignore[no-untyped-def]
    ctx: AppContext, qtbot, tmp_path: Path
) -> None:
    """ "Số CMND" beside "Số CCCD" showed "— not imported —", under a subtitle saying such
    columns are left out, while the import reads it on the rows with no CCCD."""
    rows = [["Họ và tên chủ hộ", "Năm sinh", "Số CMND", "Số CCCD", "Thôn"],
            ["Lò Thị Bé", 1975, "121234568", "", "Nà Pàn"]]  # fmt: skip
    wizard = _at_the_columns(ctx, qtbot, tmp_path / "cmnd-cccd.xlsx", rows)
    page = wizard.mapping_page
    assert page.combos[2].currentData() == "" and page.combos[3].currentData() == "citizen_id"
    said = (
        "Cột C “Số CMND” cũng là “Số CCCD” như cột D; lấy số ở cột D, số ở cột C chỉ "
        "được nhập khi cột D để trống."
    )
    assert page.note_label.isVisibleTo(wizard) and said in page.note_label.text()
    page.combos[3].setCurrentIndex(page.combos[3].findData(""))  # no ID column then
    assert said not in page.note_label.text()


def test_the_duplicates_skipped_are_found_under_their_own_name(  # type: ignore[no-untyped-def]
    ctx: AppContext, wizard: ImportWizard, messy: Path
) -> None:
    """With "Skip" for duplicate rows (the default), the check said "0 duplicates" and
    "Show: Duplicate (0)" listed none: the rows matching a household already entered were
    among the skipped ones, with the titles, the column numbers and the totals, for a
    clerk who wants to choose row by row to find by scrolling."""
    to_the_check(wizard, ctx, messy)
    preview = wizard.preview_page
    assert statuses(wizard) == FIRST_CHECK
    shown = preview.show_filter
    index = shown.findData(RowStatus.duplicate.value)
    assert shown.itemText(index).endswith("(3)")
    preview.set_filter(RowStatus.duplicate)
    assert statuses(wizard) == [(6, "skipped"), (10, "skipped"), (14, "skipped")]
    said = tr(preview, "%n of the skipped rows match a household already entered or an "
              "earlier row of the file (Show: Duplicate).", n=3)
    assert said in preview.summary_label.text()


def test_the_mouse_wheel_scrolls_the_columns_not_their_choices(  # type: ignore[no-untyped-def]
    ctx: AppContext, qtbot, tmp_path: Path
) -> None:
    """A list of many columns (the register nhao exports has 18) scrolls on the columns
    page of a 1366×768 laptop, and the wheel turned under the pointer changed the choice
    of each column it passed over instead of scrolling: "Số CCCD" read as the phone,
    the birth year as the hamlet, nothing said until the check."""
    headers = ["STT", "Họ và tên chủ hộ", "Năm sinh", "Giới tính", "Dân tộc", "Số CCCD",
               "Số điện thoại", "Thôn, xóm", "Địa chỉ", "Diện hộ", "Số nhân khẩu", "Ghi chú"]
    rows = [headers, [1, "Lò Văn Sình", 1980, "Nam", "Tày", "", "", "Nà Pàn", "", "HN", 4, ""]]
    wizard = _at_the_columns(ctx, qtbot, tmp_path / "nhieu-cot.xlsx", rows)
    wizard.resize(1000, 536)
    wizard.show()
    qtbot.waitExposed(wizard)
    page = wizard.mapping_page
    before = page.mapping()
    scroll = page.findChild(QScrollArea)
    combo = page.combos[5]
    assert scroll.verticalScrollBar().maximum() > 0  # the columns do not all show
    centre = combo.rect().center()
    wheel = QWheelEvent(
        QPointF(centre), QPointF(combo.mapToGlobal(centre)), QPoint(0, 0), QPoint(0, -120),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(combo, wheel)
    assert page.mapping() == before
    # Left for the page around it: Qt hands a wheel the mouse turned (not one sent, as
    # here) on to the parents until one takes it, the scroll area.
    assert not wheel.isAccepted()


def test_the_duplicate_column_is_shown_only_for_duplicates_and_as_wide_as_its_choices(  # type: ignore[no-untyped-def]
    ctx: AppContext, wizard: ImportWizard, messy: Path, tmp_path: Path, qtbot
) -> None:
    """ "If duplicate" took 190 pixels of the check page, empty on every row of a list
    with no duplicate and on most rows of the others, while what was found, the column
    people read, was cut. It is hidden when no row matched another household, and as
    wide as its longest choice otherwise."""
    wizard.show()
    qtbot.waitExposed(wizard)
    rows = [["Họ và tên chủ hộ", "Năm sinh", "Thôn"], ["Lò Văn Mới", 1960, "Nà Pàn"]]
    open_messy(wizard, ctx, _book(tmp_path / "khong-trung.xlsx", rows))
    wizard.next()
    wizard.next()
    wizard.next()
    table = wizard.preview_page.table
    assert table.isColumnHidden(OutcomesModel.ACTION)
    wizard.back()
    wizard.back()
    wizard.back()
    to_the_check(wizard, ctx, messy)
    assert not table.isColumnHidden(OutcomesModel.ACTION)
    metrics = table.fontMetrics()
    labels = [wizard.preview_page.model.headerData(OutcomesModel.ACTION, Qt.Orientation.Horizontal)]
    labels += [preview_module.action_label(action) for action in preview_module.DuplicateAction]
    widest = max(metrics.horizontalAdvance(label) for label in labels)
    assert widest < table.columnWidth(OutcomesModel.ACTION) <= widest + 60


NAMED_HAMLET = (
    "No column holds the hamlet: the rows that name none go to %1 (%2), unless another hamlet "
    "is chosen below."
)
NO_HAMLET = (
    "No column holds the hamlet: choose the hamlet of the whole file below, unless the list "
    "names hamlets in group title rows."
)


def test_the_hamlet_and_category_a_title_names_are_said_at_the_check(  # type: ignore[no-untyped-def]
    ctx: AppContext, qtbot, tmp_path: Path
) -> None:
    """A list kept per hamlet and per category says both in its title alone: the check
    says what the rows are given, as for a sheet named after its hamlet."""
    title = "DANH SÁCH HỘ CẬN NGHÈO THÔN NÀ PÀN NĂM 2025"
    rows = [[title], ["STT", "Họ và tên chủ hộ", "Năm sinh"], [1, "Sầm Văn Tư", 1975]]
    wizard = _at_the_columns(ctx, qtbot, tmp_path / "hcn-na-pan.xlsx", rows)
    page = wizard.mapping_page
    said = tr(page, NAMED_HAMLET, "Thôn Nà Pàn", f"theo tiêu đề “{title}”")
    assert page.note_label.text() == said
    page.hamlet.setCurrentIndex(page.hamlet.findData("Thôn Nà Pàn"))  # chosen: said so no more
    assert page.note_label.text() == tr(page, NO_HAMLET)
    page.hamlet.setCurrentIndex(0)
    wizard.next()
    assert statuses(wizard) == [(3, "ok")]
    said = wizard.preview_page.summary_label.text()
    assert (
        f"Diện hộ lấy từ tiêu đề “{title}”: các hộ không ghi diện được xếp vào diện Hộ cận nghèo."
    ) in said
    assert f"các hộ được ghi vào Thôn Nà Pàn theo tiêu đề “{title}”." in said


BLANK_HAMLET = (
    "Rows whose hamlet cell is empty go to %1 (%2), unless another hamlet is chosen below."
)


def test_the_hamlet_a_title_gives_blank_hamlet_cells_is_said_on_the_columns_page(  # type: ignore[no-untyped-def]
    ctx: AppContext, qtbot, tmp_path: Path
) -> None:
    """A hamlet's list with a hamlet column left blank where the title says it: the
    columns page says where those rows go, as the check then does."""
    title = "DANH SÁCH HỘ NGHÈO THÔN NÀ PÀN"
    rows = [
        [title], ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn"], [1, "Sầm Văn Tư", 1975, ""],
        [2, "Bàn Văn Tâm", 1960, "Thôn Pác Làng"],
    ]  # fmt: skip
    wizard = _at_the_columns(ctx, qtbot, tmp_path / "na-pan.xlsx", rows)
    page = wizard.mapping_page
    said = tr(page, BLANK_HAMLET, "Thôn Nà Pàn", f"theo tiêu đề “{title}”")
    assert page.note_label.text() == said
    page.hamlet.setCurrentIndex(page.hamlet.findData("Thôn Nà Pàn"))  # chosen: said so no more
    assert not page.note_label.isVisibleTo(wizard)
    page.hamlet.setCurrentIndex(0)
    wizard.next()
    assert statuses(wizard) == [(3, "ok"), (4, "ok")]
    said = wizard.preview_page.summary_label.text()
    assert f"1 hộ để trống ô thôn, xóm được ghi vào Thôn Nà Pàn theo tiêu đề “{title}”." in said


def test_the_hamlet_a_sheet_is_named_after_is_said_on_the_columns_page(  # type: ignore[no-untyped-def]
    ctx: AppContext, qtbot, tmp_path: Path
) -> None:
    rows = [["STT", "Họ và tên chủ hộ", "Năm sinh", "Diện"], [1, "Sầm Văn Tư", 1975, "HN"]]
    wizard = _at_the_columns(ctx, qtbot, tmp_path / "theo-thon.xlsx", rows, sheet="Nà Pàn")
    page = wizard.mapping_page
    assert page.note_label.text() == tr(
        page, NAMED_HAMLET, "Thôn Nà Pàn", "theo tên trang tính “Nà Pàn”"
    )
    wizard.next()
    assert statuses(wizard) == [(2, "ok")]


BY_ADDRESS = (
    "No column holds the hamlet: each row takes the hamlet its address names (column %1); a "
    "row whose address names none takes the hamlet chosen below."
)


def test_the_hamlet_an_address_names_is_said_on_the_columns_page(  # type: ignore[no-untyped-def]
    ctx: AppContext, qtbot, tmp_path: Path
) -> None:
    """A list with only "Địa chỉ": the columns page says the addresses give the hamlets,
    not "choose the hamlet of the whole file", and the check places each row by it."""
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Địa chỉ"],
        [1, "Sầm Văn Tư", 1975, "Thôn Nà Pàn, xã Bình Gia"],
        [2, "Lò Thị Năm", 1980, "Bình Gia"],
    ]
    wizard = _at_the_columns(ctx, qtbot, tmp_path / "dia-chi.xlsx", rows)
    page = wizard.mapping_page
    assert page.note_label.text() == tr(page, BY_ADDRESS, "D")
    wizard.next()
    assert statuses(wizard) == [(2, "ok"), (3, "error")]
    assert "thôn của mỗi hộ lấy theo địa chỉ ở cột D “Địa chỉ”" in (
        wizard.preview_page.summary_label.text()
    )


def test_the_register_imported_back_is_no_list_of_duplicates_to_choose_for(  # type: ignore[no-untyped-def]
    ctx: AppContext, wizard: ImportWizard, tmp_path: Path
) -> None:
    """The register exported and opened again in the wizard: "5 of the skipped rows
    match a household already entered (Show: Duplicate)", and "Duplicate (5)" listed
    every household, each to choose for, when each is on the register just as the row
    says. Said as such; a row the clerk corrected is the one duplicate left to choose for."""
    from nhao.services.household_export import export_register

    path = tmp_path / "so-ho.xlsx"
    export_register(ctx.db, ctx.actor, path)
    book = openpyxl.load_workbook(path)
    book.active.cell(3, 13, 5)  # the first household: 5 members, not 4
    book.save(path)
    to_the_check(wizard, ctx, path)
    preview = wizard.preview_page
    shown = preview.show_filter
    assert shown.itemText(shown.findData(RowStatus.duplicate.value)).endswith("(1)")
    preview.set_filter(RowStatus.duplicate)
    assert statuses(wizard) == [(3, "skipped")]
    text = preview.summary_label.text()
    assert tr(preview, "%n of the skipped rows match a household already entered or an "
              "earlier row of the file (Show: Duplicate).", n=1) in text
    assert tr(preview, "%n row(s) are households already entered just as the file has "
              "them: nothing to import.", n=4) in text


def test_update_can_be_chosen_for_a_row_of_a_new_head_when_the_file_says_update(  # type: ignore[no-untyped-def]
    ctx: AppContext, wizard: ImportWizard, qtbot, tmp_path: Path
) -> None:
    """A household whose head died: its "Mã hộ" on a row naming the widow. With "Update"
    for the file's duplicates, the row is held back and says to choose "Update the
    existing household" for it alone; its chooser showed that already (the file's
    choice), and picking it changed nothing, the row stayed an error: no way forward
    but picking another choice and then this one. Picked, it is now the row's choice."""
    with ctx.db.session() as session:
        code = next(
            hh.household_code_of(h) for h in session.scalars(select(Household))
            if h.head_name == "Hoàng Văn Páo"
        )
    book = openpyxl.Workbook()
    book.active.append(["Mã hộ", "Họ và tên chủ hộ", "Năm sinh", "Thôn, xóm"])
    book.active.append([code, "Hoàng Thị Mai", 1978, "Thôn Nà Pàn"])
    path = tmp_path / "chu-ho-moi.xlsx"
    book.save(path)
    wizard.show()
    qtbot.waitExposed(wizard)
    to_the_check(wizard, ctx, path)
    preview = wizard.preview_page
    preview.duplicates.setCurrentIndex(preview.duplicates.findData("update"))
    preview.duplicates.activated.emit(preview.duplicates.currentIndex())
    qtbot.waitUntil(lambda: wizard.preview is not None and statuses(wizard) == [(2, "error")])
    table, model = preview.table, preview.model
    action = model.index(0, OutcomesModel.ACTION)
    table.setFocus()
    table.clearSelection()  # on the selected row, a click waits to see if it is a double click
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(action).center())
    assert table.state() == QAbstractItemView.State.EditingState
    [combo] = table.viewport().findChildren(QComboBox)
    assert combo.currentData() == "update"
    combo.activated.emit(combo.currentIndex())  # the clerk picks "Update the existing household"
    qtbot.waitUntil(lambda: wizard.preview is not None and statuses(wizard) == [(2, "duplicate")])
    assert wizard.choices.row_actions == {2: DuplicateAction.update}
    ctx.prompts.confirm_answers.append(True)  # type: ignore[attr-defined]
    wizard.next()
    names = {h.head_name for h in hh.list_households(ctx.db, ctx.actor, hh.HouseholdQuery())}
    assert "Hoàng Thị Mai" in names and "Hoàng Văn Páo" not in names
