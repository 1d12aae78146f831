"""The household detail dialog on a real database: inspections with the live
classification, photos with thumbnails, the readable history, and what a viewer may do."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QCoreApplication, QDate, QObject, Qt, QUrl
from PySide6.QtWidgets import QProgressDialog, QPushButton

from nhao.domain.enums import HouseClass, Need
from nhao.services import attachments
from nhao.services import households as hh
from nhao.services.inspections import InspectionInput, StructureInput, add_inspection
from nhao.ui.context import AppContext
from nhao.ui.household_detail import HouseholdDetailDialog
from nhao.ui.household_detail.attachments_model import AttachmentsModel
from nhao.ui.household_detail.formats import area_text, local_time_text, parse_area
from nhao.ui.household_detail.history_tab import HistoryModel
from nhao.ui.household_detail.inspection_form import InspectionForm
from nhao.ui.household_detail.inspections_tab import InspectionsModel
from nhao.ui.task_runner import TaskRunner

DURABLE = StructureInput(durable=True, material="bê tông")


def tr(owner: QObject, text: str, *args: str) -> str:
    """The string as the window shows it, whichever language is installed."""
    shown = owner.tr(text)
    for number, arg in enumerate(args, start=1):
        shown = shown.replace(f"%{number}", arg)
    return shown


def first_household(ctx: AppContext) -> hh.HouseholdView:
    return hh.list_households(ctx.db, ctx.actor, hh.HouseholdQuery(search="Hoàng Văn Páo"))[0]


@pytest.fixture
def dialog(ctx: AppContext, qtbot) -> HouseholdDetailDialog:  # type: ignore[no-untyped-def]
    widget = HouseholdDetailDialog(ctx, first_household(ctx).id)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def jpeg(path: Path, colour: tuple[int, int, int] = (180, 120, 60)) -> Path:
    Image.new("RGB", (640, 480), colour).save(path, "JPEG")
    return path


def fill_temporary_house(form: InspectionForm) -> None:
    """Frame, walls and roof of bamboo and tarpaulin on a concrete floor."""
    rows = form.structures.rows
    rows["foundation"].durable.click()
    rows["foundation"].material.setCurrentText("bê tông")
    rows["frame_walls"].not_durable.click()
    rows["frame_walls"].material.setCurrentText("tre nứa")
    rows["roof"].not_durable.click()
    rows["roof"].damaged.click()
    rows["roof"].material.setCurrentText("bạt, nilon")
    form.area.setText("18,5")


def test_header_shows_the_household(dialog: HouseholdDetailDialog) -> None:
    assert dialog.name_label.text() == "Hoàng Văn Páo"
    assert dialog.facts["hamlet"].text() == "Thôn Nà Pàn"
    assert dialog.facts["categories"].text() == "Hộ nghèo"
    assert dialog.facts["members"].text() == "4"
    assert dialog.facts["household_code"].text() == dialog.household.household_code != ""
    assert dialog.inspections.new_button.isEnabled()
    assert dialog.tabs.tabText(0) == tr(dialog, "Inspections (%1)", "0")
    assert dialog.tabs.tabText(1) == tr(dialog, "Photos and documents (%1)", "0")


def test_live_classification_then_save(dialog: HouseholdDetailDialog, ctx: AppContext) -> None:
    form = dialog.inspections.open_form()
    assert form is not None
    assert not form.save_button.isEnabled()  # nothing assessed yet
    assert form.class_label.text() == tr(form, "Not classified yet")
    fill_temporary_house(form)

    # Shown before anything is saved, by the same rules the service uses.
    assert form.class_label.text() == HouseClass.temporary.label_vi == "Nhà tạm"
    assert form.need_label.text() == tr(form, "Need: %1", Need.new_build.label_vi)
    assert Need.new_build.label_vi == "Xây mới"
    assert form.reasons_label.text().startswith("Nhà tạm: 2/3 kết cấu không bền chắc")
    assert form.save_button.isEnabled()

    form.inspector.setText("Hoàng Thị Lan")
    form.save_button.click()
    assert form.result() == form.DialogCode.Accepted
    assert form.saved is not None and form.saved.usable_area_m2 == 18.5

    model = dialog.inspections.model
    assert model.rowCount() == 1
    assert model.index(0, InspectionsModel.HOUSE_CLASS).data() == "Nhà tạm"
    assert model.index(0, InspectionsModel.NEED).data() == "Xây mới"
    assert model.index(0, InspectionsModel.AREA).data() == "18,5 m²"
    assert model.index(0, InspectionsModel.INSPECTOR).data() == "Hoàng Thị Lan"
    assert "tre nứa" in dialog.inspections.details.text()
    assert dialog.facts["house_class"].text() == "Nhà tạm"  # the header followed the hub
    assert dialog.facts["need"].text() == "Xây mới"
    assert dialog.tabs.tabText(0) == tr(dialog, "Inspections (%1)", "1")


def test_newest_inspection_first(dialog: HouseholdDetailDialog, ctx: AppContext) -> None:
    household_id = dialog.household_id
    for day, roof in ((date(2025, 3, 1), DURABLE), (date(2025, 6, 1), StructureInput(False))):
        add_inspection(
            ctx.db,
            ctx.actor,
            household_id,
            InspectionInput(day, "A", True, DURABLE, DURABLE, roof, 40.0, 4),
        )
    ctx.changed("inspection")
    model = dialog.inspections.model
    assert [model.index(r, 0).data() for r in range(2)] == ["01/06/2025", "01/03/2025"]
    assert model.index(0, InspectionsModel.HOUSE_CLASS).data() == "Nhà dột nát"


def test_changed_need_needs_a_reason(dialog: HouseholdDetailDialog, ctx: AppContext) -> None:
    form = dialog.inspections.open_form()
    assert form is not None
    fill_temporary_house(form)
    assert not form.override_reason.isVisibleTo(form)
    form.override.click()
    assert form.override_reason.isVisibleTo(form)  # the reason field appears
    form.override_need.setCurrentIndex(form.override_need.findData(Need.repair.value))
    assert form.need_label.text() == (
        tr(form, "Need: %1", "Sửa chữa") + " " + tr(form, "(suggested: %1)", "Xây mới")
    )
    assert not form.save_button.isEnabled()
    assert form.problem_label.text() == "Hãy ghi lý do khi thay đổi nhu cầu so với đề xuất."
    form.save()  # refused even when called directly
    assert form.saved is None

    form.override_reason.setText("Khung nhà còn chắc, chỉ cần thay mái")
    assert form.save_button.isEnabled()
    form.save_button.click()
    assert form.saved is not None and form.saved.need is Need.repair
    model = dialog.inspections.model
    assert model.index(0, InspectionsModel.NEED).data() == tr(model, "%1 (changed)", "Sửa chữa")


def test_form_rules(ctx: AppContext, qtbot) -> None:  # type: ignore[no-untyped-def]
    form = InspectionForm(ctx, first_household(ctx))
    qtbot.addWidget(form)
    assert form.inspected_on.displayFormat() == "dd/MM/yyyy"
    assert form.inspected_on.maximumDate() == QDate.currentDate()  # never in the future
    for field in ("foundation", "frame_walls", "roof"):
        form.structures.rows[field].durable.click()
    form.area.setText("12,5")  # 4 people: deficient area
    assert form.class_label.text() == "Thiếu diện tích nhà ở"
    form.area.setText("45")
    assert form.class_label.text() == "Nhà ở bảo đảm"
    assert form.need_label.text() == tr(form, "Need: %1", "Không")
    form.has_house.click()
    assert form.class_label.text() == "Chưa có nhà ở"
    assert not form.structures.isEnabled() and form.save_button.isEnabled()


def test_thumbnails_get_their_room_in_the_grid(
    dialog: HouseholdDetailDialog,
    ctx: AppContext,
    tmp_path: Path,
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    """The list sizes every item like the first (uniform sizes), measured before its
    thumbnail is made: without a stand-in picture of the thumbnail's size each photo
    showed as a 14-pixel strip, its name hidden, even once the thumbnail was there."""
    ctx.prompts.file_answers.append([jpeg(tmp_path / "mai-nha.jpg")])  # type: ignore[attr-defined]
    dialog.tabs.setCurrentWidget(dialog.attachments)
    tab = dialog.attachments
    tab.add_files()
    qtbot.waitUntil(lambda: tab.model.has_thumbnail(0))
    qtbot.wait(20)
    rect = tab.view.visualRect(tab.model.index(0, 0))
    assert rect.height() >= 160 + tab.view.fontMetrics().height(), rect
    assert rect.width() >= 160, rect


def test_attach_photos_shows_thumbnails(
    dialog: HouseholdDetailDialog,
    ctx: AppContext,
    tmp_path: Path,
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    photos = [jpeg(tmp_path / "mai-nha.jpg"), jpeg(tmp_path / "tuong.jpg", (20, 90, 160))]
    ctx.prompts.file_answers.append(photos)  # type: ignore[attr-defined]
    tab = dialog.attachments
    tab.add_files()
    kind, _title, filters = ctx.prompts.shown[-1]  # type: ignore[attr-defined]
    assert kind == "open_files" and "*.jpg *.jpeg *.png *.pdf" in filters

    model = tab.model
    assert model.rowCount() == 2
    assert dialog.tabs.tabText(1) == tr(dialog, "Photos and documents (%1)", "2")
    tab.view.viewport().update()
    for row in range(2):
        model.index(row, 0).data(Qt.ItemDataRole.DecorationRole)  # what the view asks
    qtbot.waitUntil(lambda: model.has_thumbnail(0) and model.has_thumbnail(1))
    icon = model.index(0, 0).data(Qt.ItemDataRole.DecorationRole)
    assert not icon.isNull() and icon.availableSizes()[0].width() == 160

    tab.view.setCurrentIndex(model.index(0, 0))
    tab.caption.setText("Mái tôn thủng")
    tab.caption_button.click()
    assert model.index(0, 0).data() == "Mái tôn thủng"

    opened: list[QUrl] = []
    tab.open_url = lambda url: opened.append(url) or True
    tab.open_selected()
    assert Path(opened[0].toLocalFile()).name == "mai-nha.jpg"
    assert Path(opened[0].toLocalFile()).read_bytes() == model.attachment(0).path.read_bytes()

    ctx.prompts.text_answers.append("Ảnh chụp nhầm")  # type: ignore[attr-defined]
    tab.view.setCurrentIndex(model.index(1, 0))
    tab.remove_selected()
    assert model.rowCount() == 1
    assert ctx.prompts.errors() == []  # type: ignore[attr-defined]


def test_many_photos_run_off_the_gui_thread_with_progress_and_cancel(
    dialog: HouseholdDetailDialog,
    ctx: AppContext,
    tmp_path: Path,
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    runner = TaskRunner()
    ctx.runner = runner
    busy: list[bool] = []
    runner.sig_busy.connect(busy.append)
    photos = [jpeg(tmp_path / f"anh-{i}.jpg", (i * 40, 100, 50)) for i in range(6)]

    # Hold the single lane so the attach job is still waiting when Cancel is pressed.
    gate = threading.Event()
    runner.run(lambda progress, cancel: gate.wait(10), parent=None, title="gate")
    ctx.prompts.file_answers.append(photos)  # type: ignore[attr-defined]
    dialog.attachments.add_files()

    def progress_dialog() -> QProgressDialog | None:
        shown = [w for w in dialog.findChildren(QProgressDialog) if w.isVisible()]
        return shown[0] if shown else None

    qtbot.waitUntil(lambda: progress_dialog() is not None, timeout=3000)  # after 600 ms
    progress = progress_dialog()
    assert progress is not None and progress.labelText() == tr(
        dialog.attachments, "Adding %1 files", "6"
    )
    cancel_button = progress.findChild(QPushButton)
    assert cancel_button.text() == tr(runner, "Cancel")
    cancel_button.click()
    gate.set()
    qtbot.waitUntil(lambda: busy and busy[-1] is False, timeout=10000)
    assert dialog.attachments.model.rowCount() == 0  # cancelled: nothing half-added
    assert ctx.prompts.errors() == []  # type: ignore[attr-defined]

    ctx.prompts.file_answers.append(photos)  # type: ignore[attr-defined]
    dialog.attachments.add_files()
    qtbot.waitUntil(lambda: dialog.attachments.model.rowCount() == 6, timeout=10000)
    assert runner.wait(5000)


def test_attach_refusal_is_shown(
    dialog: HouseholdDetailDialog, ctx: AppContext, tmp_path: Path
) -> None:
    fake = tmp_path / "khong-phai-anh.jpg"
    fake.write_bytes(b"not a photo at all")
    ctx.prompts.file_answers.append([fake])  # type: ignore[attr-defined]
    dialog.attachments.add_files()
    assert dialog.attachments.model.rowCount() == 0
    assert "khong-phai-anh.jpg" in ctx.prompts.errors()[0]  # type: ignore[attr-defined]


def test_history_shows_inspection_and_attachment(
    dialog: HouseholdDetailDialog, ctx: AppContext, tmp_path: Path
) -> None:
    form = dialog.inspections.open_form()
    assert form is not None
    fill_temporary_house(form)
    form.save_button.click()
    ctx.prompts.file_answers.append([jpeg(tmp_path / "nha.jpg")])  # type: ignore[attr-defined]
    dialog.attachments.add_files()
    hh.update_household(
        ctx.db,
        ctx.actor,
        dialog.household_id,
        replace(dialog.household.as_input(), members=5),  # type: ignore[union-attr]
    )
    ctx.changed("household")

    model = dialog.history.model
    whats = [model.index(r, HistoryModel.WHAT).data() for r in range(model.rowCount())]
    assert any(w.startswith("Khảo sát: ") for w in whats)
    assert any(w.startswith("Ảnh, tài liệu: ") and "nha.jpg" in w for w in whats)
    newest = model.index(0, HistoryModel.CHANGES).data()
    assert "Số nhân khẩu: 4 → 5" in newest
    assert model.index(0, HistoryModel.WHO).data() == model.entry(0).who
    assert model.index(0, HistoryModel.WHEN).data() == local_time_text(model.entry(0).at)
    assert "Số nhân khẩu: 4 → 5" in dialog.history.details.toPlainText()


def test_viewer_cannot_change_anything(viewer_ctx: AppContext, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = HouseholdDetailDialog(viewer_ctx, first_household(viewer_ctx).id)
    qtbot.addWidget(dialog)
    assert dialog.name_label.text() == "Hoàng Văn Páo"
    assert not dialog.inspections.new_button.isEnabled()
    assert not dialog.attachments.add_button.isEnabled()
    assert dialog.history.model.rowCount() >= 1  # the household's creation


def _locked(text: str) -> str:
    """A reason as locks.read_only_reason says it, whichever language an earlier test
    left installed."""
    return QCoreApplication.translate("HouseholdDetail", text)


def test_greyed_buttons_say_why(viewer_ctx: AppContext, ctx: AppContext, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A greyed button with no word left a viewer, or someone on a deleted household,
    guessing whether something was broken."""
    viewer = HouseholdDetailDialog(viewer_ctx, first_household(viewer_ctx).id)
    qtbot.addWidget(viewer)
    tab = viewer.attachments
    for button in (viewer.inspections.new_button, tab.add_button, tab.remove_button):
        assert not button.isEnabled()
        assert _locked("Your account may only view households.") in button.toolTip()
    household = first_household(ctx)
    hh.delete_household(ctx.db, ctx.actor, household.id, "Chuyển đi nơi khác")
    deleted = HouseholdDetailDialog(ctx, household.id)
    qtbot.addWidget(deleted)
    tab = deleted.attachments
    for button in (deleted.inspections.new_button, tab.add_button):
        assert not button.isEnabled()
        assert _locked("The household is deleted: nothing can be added or changed.") in (
            button.toolTip()
        )


def test_esc_on_a_filled_inspection_asks_first(
    dialog: HouseholdDetailDialog, ctx: AppContext, qtbot  # type: ignore[no-untyped-def]
) -> None:
    """Esc threw away an inspection written down at the house without a word."""
    form = dialog.inspections.open_form()
    assert form is not None
    qtbot.addWidget(form)
    form.show()
    fill_temporary_house(form)
    ctx.prompts.confirm_answers.append(False)  # type: ignore[attr-defined]
    qtbot.keyClick(form.area, Qt.Key.Key_Escape)
    assert form.isVisible() and form.save_button.isEnabled()
    assert ctx.prompts.shown[-1][0] == "confirm"  # type: ignore[attr-defined]
    ctx.prompts.confirm_answers.append(True)  # type: ignore[attr-defined]
    qtbot.keyClick(form.area, Qt.Key.Key_Escape)
    assert not form.isVisible() and form.saved is None
    untouched = dialog.inspections.open_form()
    qtbot.addWidget(untouched)
    untouched.show()
    asked = len(ctx.prompts.shown)  # type: ignore[attr-defined]
    qtbot.keyClick(untouched.area, Qt.Key.Key_Escape)
    assert not untouched.isVisible() and len(ctx.prompts.shown) == asked  # type: ignore[attr-defined]


def test_a_viewer_reads_the_whole_household_and_a_writer_edits_it_from_here(
    viewer_ctx: AppContext, ctx: AppContext, qtbot  # type: ignore[no-untyped-def]
) -> None:
    """Phone, address, land and notes are only on the household's form, which a viewer
    could never open (the page has no Edit for them): now a button of the detail."""
    household = first_household(ctx)
    hh.update_household(
        ctx.db, ctx.actor, household.id,
        replace(household.as_input(), phone="0912345678", notes="Nhà gần suối"),
    )
    viewer = HouseholdDetailDialog(viewer_ctx, household.id)
    qtbot.addWidget(viewer)
    viewer.show()
    viewer.form_button.click()
    form = viewer.form_dialog
    assert form is not None and form.read_only and not form.save_button.isVisible()
    assert form.phone.text() == "0912345678" and form.notes.toPlainText() == "Nhà gần suối"
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert viewer.form_dialog is None and viewer_ctx.prompts.shown == []  # type: ignore[attr-defined]

    dialog = HouseholdDetailDialog(ctx, household.id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.form_button.click()
    form = dialog.form_dialog
    assert form is not None and not form.read_only
    form.members.setValue(7)
    form.save_button.click()
    assert dialog.facts["members"].text() == "7"


def test_escape_closes_and_stops_listening(dialog: HouseholdDetailDialog, ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog._connection is None
    ctx.changed("household")  # must not touch the closed dialog


def test_models_pass_the_model_tester(
    dialog: HouseholdDetailDialog,
    ctx: AppContext,
    tmp_path: Path,
    qtmodeltester,  # type: ignore[no-untyped-def]
) -> None:
    add_inspection(
        ctx.db,
        ctx.actor,
        dialog.household_id,
        InspectionInput(date(2025, 5, 2), "A", True, DURABLE, DURABLE, DURABLE, 25.5, 4),
    )
    attachments.add_attachments(ctx.db, ctx.actor, dialog.household_id, [jpeg(tmp_path / "a.jpg")])
    ctx.changed("inspection", "attachment")
    assert dialog.inspections.model.rowCount() == 1
    qtmodeltester.check(dialog.inspections.model)
    qtmodeltester.check(dialog.attachments.model)
    qtmodeltester.check(dialog.history.model)
    empty = AttachmentsModel(lambda _id: None)
    qtmodeltester.check(empty)


def test_formats() -> None:
    assert area_text(25.5) == "25,5 m²" and area_text(None) == ""
    assert parse_area("25,5") == parse_area("25.5") == 25.5
    assert parse_area(" ") is None
    for bad in ("1,2,3", "-3", "abc"):
        with pytest.raises(ValueError):
            parse_area(bad)


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("Nhà ông Ấn: trước?.jpg", "Nhà ông Ấn_ trước_.jpg"),  # named on a Linux laptop
        ('a<b>"c|d*.jpg', "a_b__c_d_.jpg"),
        ("CON.jpg", "_CON.jpg"),  # a device name on Windows
        ("biên bản. ", "biên bản.pdf"),  # Windows drops trailing dots and spaces
        ("..\\..\\evil.pdf", ".._.._evil.pdf"),
    ],
)
def test_a_photo_from_a_bundle_opens_under_a_name_windows_takes(
    ctx: AppContext, tmp_path: Path, filename: str, expected: str
) -> None:
    """The viewer gets a copy under the photo's own name; a name made on another
    system (it travels in bundles) must still be a name Windows can write."""
    from nhao.ui.household_detail.attachments_tab import AttachmentsTab

    household = first_household(ctx).id
    pdf = tmp_path / "giay.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    [view] = attachments.add_attachments(ctx.db, ctx.actor, household, [pdf], kind="document")
    copy = AttachmentsTab._viewer_copy(replace(view, filename=filename))
    assert copy.name == expected
    assert copy.read_bytes() == view.path.read_bytes()


def test_a_document_with_a_long_vietnamese_name_opens_all_the_same(
    ctx: AppContext, tmp_path: Path
) -> None:
    """240 letters is a name Windows allows (255 per name), and nhao keeps it; under the
    temporary folder it would pass Windows' 260-character path limit, and in UTF-8 it
    is more than the 255 bytes Linux allows a name. The viewer's copy is named shorter."""
    from nhao.ui.household_detail.attachments_tab import AttachmentsTab

    household = first_household(ctx).id
    pdf = tmp_path / "giay.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    [view] = attachments.add_attachments(ctx.db, ctx.actor, household, [pdf], kind="document")
    long_name = "Biên bản nghiệm thu nhà ở hộ ông Nguyễn Văn Ấn " * 5 + ".pdf"
    copy = AttachmentsTab._viewer_copy(replace(view, filename=long_name))
    assert copy.read_bytes() == view.path.read_bytes()
    assert copy.name.startswith("Biên bản nghiệm thu") and copy.suffix == ".pdf"
    assert len(copy.name.encode()) <= 120 and not copy.stem.endswith((" ", "."))


def test_enter_in_the_detail_opens_no_new_inspection(
    dialog: HouseholdDetailDialog, qtbot  # type: ignore[no-untyped-def]
) -> None:
    """Enter on the household's detail pressed "New inspection…", the first button the
    dialog found, and a blank inspection form opened over it."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    opened: list[str] = []

    def close_what_opened() -> None:  # a form that did open must not hang the test
        modal = QApplication.activeModalWidget()
        if modal is not None and modal is not dialog:
            opened.append(modal.windowTitle())
            modal.reject()

    QTimer.singleShot(300, close_what_opened)
    dialog.activateWindow()
    dialog.tabs.setCurrentWidget(dialog.inspections)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.wait(400)
    assert opened == [] and dialog.isVisible()
