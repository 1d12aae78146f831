"""Households: validation, search with and without diacritics, filters, roles."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from nhao.domain.enums import CaseStatus, Category, HouseClass, Need, Role, Sex
from nhao.domain.errors import ValidationError
from nhao.services import households as hh
from nhao.services import inspections as ins
from nhao.services import units, users
from nhao.services.errors import PermissionDenied


def form(hamlet_code: str, name: str, **fields) -> hh.HouseholdInput:
    return hh.HouseholdInput(hamlet_code=hamlet_code, head_name=name, **fields)


def test_text_is_stored_nfc_with_a_folded_key(db, admin, hamlet) -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "  Nguyễn   Văn Ấn ")
    view = hh.create_household(db, admin, form(hamlet.code, decomposed))
    assert view.head_name == "Nguyễn Văn Ấn"
    assert unicodedata.is_normalized("NFC", view.head_name)


def test_notes_keep_their_line_breaks_and_fit_an_excel_cell(db, admin, hamlet) -> None:
    typed = "Khảo sát:\r\n- mái  dột\r\n- tường nứt\r\n"
    view = hh.create_household(db, admin, form(hamlet.code, "Lò Văn Ghi", notes=typed))
    assert view.notes == "Khảo sát:\n- mái dột\n- tường nứt"
    assert hh.create_household(db, admin, form(hamlet.code, "Dài Vừa", notes="x" * 32_767))
    with pytest.raises(ValidationError) as error:
        hh.create_household(db, admin, form(hamlet.code, "Dài Quá", notes="x" * 32_768))
    assert error.value.field == "notes"
    assert "Ghi chú dài quá 32767 ký tự" in error.value.message
    assert hh.count_households(db, admin, hh.HouseholdQuery()) == 2


@pytest.mark.parametrize("query", ["nguyen van an", "Nguyễn Văn Ấn", "VĂN ẤN", "an"])
def test_search_matches_with_or_without_diacritics(db, admin, hamlet, query) -> None:
    hh.create_household(db, admin, form(hamlet.code, "Nguyễn Văn Ấn"))
    hh.create_household(db, admin, form(hamlet.code, "Lý Thị Mẩy"))
    found = hh.list_households(db, admin, hh.HouseholdQuery(search=query))
    assert [v.head_name for v in found] == ["Nguyễn Văn Ấn"]


def test_search_by_part_of_a_citizen_id_keeps_leading_zeros(db, admin, hamlet) -> None:
    hh.create_household(
        db,
        admin,
        form(
            hamlet.code, "Hà Văn Đức", citizen_id="001 090 012 345", birth_year=1990, sex=Sex.male
        ),
    )
    [view] = hh.list_households(db, admin, hh.HouseholdQuery(search="0010900"))
    assert view.citizen_id == "001090012345"
    assert hh.count_households(db, admin, hh.HouseholdQuery(search="99999")) == 0


def test_bad_citizen_id_is_refused_and_nothing_saved(db, admin, hamlet) -> None:
    with pytest.raises(ValidationError) as error:
        hh.create_household(db, admin, form(hamlet.code, "Sai Số", citizen_id="12345678901"))
    assert error.value.field == "citizen_id"
    assert "12 chữ số" in error.value.message
    assert hh.count_households(db, admin, hh.HouseholdQuery()) == 0


def test_a_citizen_id_already_listed_is_refused_and_names_the_household(
    db, admin, hamlet
) -> None:
    """The form listed the same person twice (no support twice: "không trùng lặp đối
    tượng"); an import asks about such a row, the form said nothing."""
    first = hh.create_household(
        db, admin, form(hamlet.code, "Hà Văn Đức", citizen_id="001090012345", birth_year=1990)
    )
    with pytest.raises(ValidationError) as error:
        hh.create_household(
            db, admin, form(hamlet.code, "Hà Văn Đức", citizen_id="001 090 012 345")
        )
    assert error.value.field == "citizen_id"
    assert error.value.message == (
        f"Số CCCD này đã có ở hộ Hà Văn Đức ({hamlet.name}). Hãy mở hộ đó thay vì thêm "
        "lần nữa, hoặc kiểm tra lại số."
    )
    other = hh.create_household(db, admin, form(hamlet.code, "Lò Thị Mai"))
    with pytest.raises(ValidationError):
        hh.update_household(
            db, admin, other.id, form(hamlet.code, "Lò Thị Mai", citizen_id="001090012345")
        )
    # Saving the household itself again is no duplicate; a deleted one frees its number.
    hh.update_household(db, admin, first.id, replace(first.as_input(), members=3))
    hh.delete_household(db, admin, first.id, "Nhập nhầm")
    hh.update_household(
        db, admin, other.id, form(hamlet.code, "Lò Thị Mai", citizen_id="001090012345")
    )
    assert hh.count_households(db, admin, hh.HouseholdQuery()) == 1


def test_form_check_separates_errors_from_warnings(hamlet) -> None:
    check = hh.check_household(
        form(
            hamlet.code,
            "Ma Văn Hùng",
            citizen_id="020085001234",
            birth_year=1990,
            sex=Sex.male,
            members=0,
            phone="0912",
        )
    )
    assert set(check.errors) == {"members", "phone"}
    assert "citizen_id" in check.warnings  # birth year 1985 in the ID, 1990 stated
    assert hh.check_household(form(hamlet.code, "X", citizen_id="123456789")).warnings["citizen_id"]


def test_a_wrong_poverty_list_year_says_which_years_are_right(hamlet) -> None:
    """It said only "not valid", and the clerk could not tell what the form wanted."""
    for year in (1999, 2031):
        check = hh.check_household(
            form(hamlet.code, "Lò Văn Páo", poverty_list_year=year), today=date(2029, 6, 1)
        )
        assert check.errors["poverty_list_year"] == (
            "Năm của danh sách hộ nghèo phải từ 2000 đến 2030."
        )


def test_soft_delete_needs_a_reason_and_hides_the_household(db, admin, hamlet) -> None:
    view = hh.create_household(db, admin, form(hamlet.code, "Bàn Văn Quẩy"))
    with pytest.raises(ValidationError):
        hh.delete_household(db, admin, view.id, "  ")
    hh.delete_household(db, admin, view.id, "Chuyển đi nơi khác")
    assert hh.count_households(db, admin, hh.HouseholdQuery()) == 0
    [kept] = hh.list_households(db, admin, hh.HouseholdQuery(include_deleted=True))
    assert kept.deleted_at is not None


def test_filters_and_sorting_happen_in_sql(db, admin, hamlet) -> None:
    other = units.add_hamlets(db, admin, ["Bản Khuổi Hẩu"])[0]
    poor = hh.create_household(
        db, admin, form(hamlet.code, "Triệu Văn Sành", categories=frozenset({Category.poor}))
    )
    hh.create_household(
        db, admin, form(other.code, "Nông Thị Hoa", categories=frozenset({Category.near_poor}))
    )
    ins.add_inspection(
        db,
        admin,
        poor.id,
        ins.InspectionInput(
            inspected_on=date(2025, 4, 2),
            foundation=ins.StructureInput(False),
            frame_walls=ins.StructureInput(False),
            roof=ins.StructureInput(True),
            usable_area_m2=20,
            members=3,
        ),
    )
    q = hh.HouseholdQuery
    assert [v.head_name for v in hh.list_households(db, admin, q(category=Category.poor))] == [
        "Triệu Văn Sành"
    ]
    assert hh.count_households(db, admin, q(hamlet_code=other.code)) == 1
    assert hh.count_households(db, admin, q(house_class=HouseClass.temporary)) == 1
    assert hh.count_households(db, admin, q(need=Need.new_build)) == 1
    assert hh.count_households(db, admin, q(case_status=CaseStatus.approved)) == 0
    names = [v.head_name for v in hh.list_households(db, admin, q(order_by="head_name"))]
    assert names == ["Nông Thị Hoa", "Triệu Văn Sành"]
    names = [v.head_name for v in hh.list_households(db, admin, q(descending=True))]
    assert names == ["Triệu Văn Sành", "Nông Thị Hoa"]
    page = hh.list_households(db, admin, q(), offset=1, limit=1)
    assert [v.head_name for v in page] == ["Triệu Văn Sành"]


def test_house_and_need_sort_in_the_programme_s_order(db, admin, hamlet) -> None:
    """Sorted by the stored codes, "Nhà ở" put "adequate" before "temporary" and "no
    house" in between, and "Nhu cầu" put "none" between "new build" and "repair"."""
    houses = {  # (foundation, frame and walls, roof) durable, area
        "Nhà Tạm": (False, False, True, 20.0),
        "Nhà Tốt": (True, True, True, 60.0),
        "Nhà Dột": (True, True, False, 60.0),
    }
    for name, (foundation, walls, roof, area) in houses.items():
        view = hh.create_household(db, admin, form(hamlet.code, name, members=2))
        ins.add_inspection(db, admin, view.id, ins.InspectionInput(
            inspected_on=date(2025, 4, 2),
            foundation=ins.StructureInput(foundation),
            frame_walls=ins.StructureInput(walls),
            roof=ins.StructureInput(roof, damaged=not roof),
            usable_area_m2=area, members=2,
        ))
    no_house = hh.create_household(db, admin, form(hamlet.code, "Chưa Có Nhà", members=2))
    ins.add_inspection(db, admin, no_house.id, ins.InspectionInput(
        inspected_on=date(2025, 4, 2), has_house=False, members=2,
    ))

    def listed(order_by: str) -> list[str]:
        rows = hh.list_households(db, admin, hh.HouseholdQuery(order_by=order_by))
        return [v.head_name for v in rows]

    assert listed("house_class") == ["Chưa Có Nhà", "Nhà Tạm", "Nhà Dột", "Nhà Tốt"]
    assert listed("need")[-1] == "Nhà Tốt"  # no need last, after new builds and the repair
    assert listed("need")[-2] == "Nhà Dột"


def test_team_leader_reaches_only_their_hamlet(db, admin, hamlet) -> None:
    other = units.add_hamlets(db, admin, ["Bản Chu"])[0]
    users.create_user(
        db,
        admin,
        username="totruong",
        password="demo",
        role=Role.team_leader,
        hamlet_code=hamlet.code,
    )
    leader = users.authenticate(db, "totruong", "demo")
    hh.create_household(db, leader, form(hamlet.code, "Hộ của tôi"))
    elsewhere = hh.create_household(db, admin, form(other.code, "Hộ thôn khác"))
    with pytest.raises(PermissionDenied):
        hh.create_household(db, leader, form(other.code, "Không được"))
    with pytest.raises(PermissionDenied):
        hh.get_household(db, leader, elsewhere.id)
    with pytest.raises(PermissionDenied):
        hh.delete_household(db, leader, elsewhere.id, "thử")
    assert [v.head_name for v in hh.list_households(db, leader, hh.HouseholdQuery())] == [
        "Hộ của tôi"
    ]


@pytest.mark.parametrize("role", [Role.viewer, Role.accountant])
def test_viewer_and_accountant_cannot_change_households(db, admin, hamlet, role) -> None:
    users.create_user(db, admin, username="someone", password="demo", role=role)
    actor = users.authenticate(db, "someone", "demo")
    with pytest.raises(PermissionDenied):
        hh.create_household(db, actor, form(hamlet.code, "Không được"))
    assert hh.count_households(db, actor, hh.HouseholdQuery()) == 0
