"""A household's history: every change of it and its records, in Vietnamese, newest first."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from nhao.domain.enums import Category, Role
from nhao.models import CaseStatusEvent, Household, SupportCase
from nhao.services import attachments as att
from nhao.services import history, units, users
from nhao.services import households as hh
from nhao.services import inspections as ins
from nhao.services.errors import PermissionDenied
from nhao.services.unit_of_work import unit_of_work

S = ins.StructureInput


def changes(entry: history.HistoryEntry) -> dict[str, tuple[str, str]]:
    return {c.label_vi: (c.old_text, c.new_text) for c in entry.changes}


@pytest.fixture
def story(db, admin, hamlet, tmp_path: Path) -> hh.HouseholdView:
    """Create, edit, inspect, photograph: the usual first week of a household."""
    form = hh.HouseholdInput(hamlet_code=hamlet.code, head_name="Hoàng Thị Slao", members=1)
    h = hh.create_household(db, admin, form)
    hh.update_household(
        db,
        admin,
        h.id,
        replace(form, members=4, categories=frozenset({Category.poor}), notes="Mẹ già ốm"),
    )
    ins.add_inspection(
        db,
        admin,
        h.id,
        ins.InspectionInput(
            inspected_on=date(2025, 3, 1),
            inspector="Lò Văn Minh",
            foundation=S(False, material="đất"),
            frame_walls=S(False, material="tre"),
            roof=S(True, material="tôn"),
            usable_area_m2=25.5,
            members=4,
        ),
    )
    Image.new("RGB", (300, 200), (90, 90, 90)).save(tmp_path / "nha.jpg")
    att.add_attachments(db, admin, h.id, [tmp_path / "nha.jpg"], caption="Nhà trước")
    return h


def test_history_is_newest_first_with_vietnamese_labels(db, admin, story) -> None:
    entries = history.household_history(db, admin, story.id)
    assert [(e.entity_label_vi, e.action_label_vi) for e in entries] == [
        ("Ảnh, tài liệu", "Thêm"),
        ("Hộ gia đình", "Sửa"),  # latest house class and need from the inspection
        ("Khảo sát", "Thêm"),
        ("Hộ gia đình", "Sửa"),
        ("Hộ gia đình", "Thêm"),
    ]
    assert all(e.user_name == "admin" for e in entries)
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)

    photo, derived, inspection, edit, created = entries
    assert changes(photo)["Chú thích"] == ("", "Nhà trước")
    assert changes(photo)["Loại tệp"] == ("", "Ảnh nhà trước khi hỗ trợ")
    assert "Mã tệp" not in changes(photo) and "sha256" not in changes(photo)

    assert changes(derived) == {
        "Hiện trạng nhà": ("—", "Nhà tạm"),
        "Nhu cầu": ("—", "Xây mới"),
    }
    seen = changes(inspection)
    assert seen["Ngày khảo sát"] == ("", "01/03/2025")
    assert seen["Diện tích sử dụng (m²)"] == ("", "25,5")
    assert seen["Nền – móng bền chắc"] == ("", "Không")  # tri-state: False is news
    assert "Nền – móng hư hỏng" not in seen  # False by default: noise on insert
    assert seen["Mái bền chắc"] == ("", "Có")
    assert seen["Nhu cầu"] == ("", "Xây mới")

    assert changes(edit) == {
        "Hộ nghèo": ("Không", "Có"),
        "Số nhân khẩu": ("1", "4"),
        "Ghi chú": ("—", "Mẹ già ốm"),
    }
    assert edit.summary == "Sửa hộ Hoàng Thị Slao"

    labels = changes(created)
    assert labels["Họ tên chủ hộ"] == ("", "Hoàng Thị Slao")
    assert labels["Số nhân khẩu"] == ("", "1")
    for hidden in (
        "created_at",
        "updated_at",
        "hlc",
        "head_name_key",
        "id",
        "unit_code",
        "Thôn, xóm",
        "origin_station",
        "changed_by",
    ):
        assert hidden not in labels


def test_removed_records_and_support_cases_stay_in_the_history(db, admin, story) -> None:
    [photo] = att.list_attachments(db, admin, story.id)
    att.remove_attachment(db, admin, photo.id, "Chụp nhầm")
    with unit_of_work(db, admin) as uow:
        household = uow.session.get(Household, uuid.UUID(story.id))
        case = uow.insert(
            SupportCase(
                unit_code=household.unit_code,
                household_id=household.id,
                kind="new_build",
                planned_year=2025,
                status="proposed",
            ),
            summary="Đề xuất hỗ trợ",
        )
        uow.insert(
            CaseStatusEvent(
                unit_code=household.unit_code,
                case_id=case.id,
                to_status="proposed",
                happened_on=date(2025, 3, 2),
                recorded_at=uow.now,
                actor_name="admin",
            ),
        )
    entries = history.household_history(db, admin, story.id)
    event, proposed, removed = entries[:3]
    assert (event.entity_label_vi, changes(event)["Sang bước"]) == (
        "Chuyển bước hồ sơ",
        ("", "Đề xuất"),
    )
    assert changes(event)["Ngày"] == ("", "02/03/2025")
    assert proposed.entity_label_vi == "Hồ sơ hỗ trợ"
    assert changes(proposed)["Loại hỗ trợ"] == ("", "Xây mới")
    assert changes(proposed)["Trạng thái"] == ("", "Đề xuất")
    assert (removed.action, removed.entity_label_vi) == ("delete", "Ảnh, tài liệu")
    assert changes(removed) == {"Lý do xóa": ("—", "Chụp nhầm")}


def test_moving_to_another_hamlet_shows_hamlet_names(db, admin, hamlet) -> None:
    other = units.add_hamlets(db, admin, ["Bản Chu"])[0]
    form = hh.HouseholdInput(hamlet_code=hamlet.code, head_name="Vi Văn Thắng")
    h = hh.create_household(db, admin, form)
    hh.update_household(db, admin, h.id, replace(form, hamlet_code=other.code))
    [moved, _] = history.household_history(db, admin, h.id)
    assert changes(moved) == {"Thôn, xóm": (hamlet.name, "Bản Chu")}


def test_history_needs_read_permission_and_hamlet_scope(db, admin, story) -> None:
    other = units.add_hamlets(db, admin, ["Bản Khuổi"])[0]
    users.create_user(
        db, admin, username="tt", password="demo", role=Role.team_leader, hamlet_code=other.code
    )
    users.create_user(db, admin, username="xem", password="demo", role=Role.viewer)
    with pytest.raises(PermissionDenied):
        history.household_history(db, users.authenticate(db, "tt", "demo"), story.id)
    assert history.household_history(db, users.authenticate(db, "xem", "demo"), story.id)


def test_values_read_like_people_write_them() -> None:
    v = history.value_text
    assert v("household", "is_poor", True) == "Có"
    assert v("household", "sex", "female") == "Nữ"
    assert v("household", "notes", None) == "—"
    assert v("inspection", "inspected_on", "2025-02-05") == "05/02/2025"
    assert v("attachment", "size_bytes", 2_621_440) == "2,5 MB"
    assert v("attachment", "taken_at", "2025-02-05T14:30:00.000000") == "05/02/2025 14:30"
    assert v("case_support", "amount", 60_000_000) == "60.000.000 ₫"
    assert v("inspection", "reasons", "Nền móng không bền\nMái dột") == (
        "Nền móng không bền; Mái dột"
    )
    assert v("household", "latest_need", "unknown") == "unknown"


def test_history_names_people_as_they_are_known(db, admin, story) -> None:  # type: ignore[no-untyped-def]
    """"Who" gave the username alone ("chutich"): the commune reads the full name."""
    from dataclasses import replace

    from nhao.domain.enums import Role

    users.create_user(
        db, admin, username="chutich", password="mat-khau-dai", role=Role.admin,
        full_name="Hoàng Văn Quý",
    )
    chairman = users.authenticate(db, "chutich", "mat-khau-dai")
    view = hh.get_household(db, chairman, story.id)
    hh.update_household(db, chairman, story.id, replace(view.as_input(), members=6))
    newest, *older = history.household_history(db, admin, story.id)
    assert newest.who == "Hoàng Văn Quý (chutich)"
    assert {e.who for e in older} == {"admin"}  # an account without a full name
