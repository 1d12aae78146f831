"""Inspections: the classification stored, the latest one counting, overrides explained."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from nhao.domain.enums import HouseClass, Need
from nhao.domain.errors import ValidationError
from nhao.services import households as hh
from nhao.services import inspections as ins

S = ins.StructureInput


def household(db, admin, hamlet) -> hh.HouseholdView:
    return hh.create_household(
        db, admin, hh.HouseholdInput(hamlet_code=hamlet.code, head_name="Lương Văn Tình", members=3)
    )


def test_two_non_durable_structures_make_a_temporary_house(db, admin, hamlet) -> None:
    h = household(db, admin, hamlet)
    view = ins.add_inspection(
        db, admin, h.id,
        ins.InspectionInput(
            inspected_on=date(2025, 3, 1), foundation=S(False, material="đất"),
            frame_walls=S(False, material="tre"), roof=S(True, material="tôn"),
            usable_area_m2=32, members=3,
        ),
    )
    assert (view.house_class, view.need) == (HouseClass.temporary, Need.new_build)
    assert "2/3" in view.reasons[0]
    assert hh.get_household(db, admin, h.id).house_class is HouseClass.temporary


def test_latest_inspection_counts_and_all_are_kept(db, admin, hamlet) -> None:
    h = household(db, admin, hamlet)
    old = date(2024, 5, 1)
    ins.add_inspection(db, admin, h.id, ins.InspectionInput(inspected_on=old, has_house=False))
    ins.add_inspection(
        db, admin, h.id,
        ins.InspectionInput(
            inspected_on=old + timedelta(days=200), foundation=S(True), frame_walls=S(True),
            roof=S(True, damaged=True), usable_area_m2=40, members=3,
        ),
    )
    history = ins.list_inspections(db, admin, h.id)
    assert [v.house_class for v in history] == [HouseClass.dilapidated, HouseClass.no_house]
    assert hh.get_household(db, admin, h.id).need is Need.repair


def test_override_needs_a_reason(db, admin, hamlet) -> None:
    h = household(db, admin, hamlet)
    data = ins.InspectionInput(
        inspected_on=date(2025, 1, 1), foundation=S(True), frame_walls=S(True),
        roof=S(True, damaged=True), usable_area_m2=40, members=3, need_override=Need.new_build,
    )
    with pytest.raises(ValidationError):
        ins.add_inspection(db, admin, h.id, data)
    from dataclasses import replace

    view = ins.add_inspection(
        db, admin, h.id, replace(data, need_override_reason="Mái và khung sắp sập")
    )
    assert (view.suggested_need, view.need) == (Need.repair, Need.new_build)
    assert view.need_override_reason == "Mái và khung sắp sập"


def test_inspection_in_the_future_is_refused(db, admin, hamlet) -> None:
    h = household(db, admin, hamlet)
    with pytest.raises(ValidationError, match="sau hôm nay"):
        ins.add_inspection(
            db, admin, h.id,
            ins.InspectionInput(inspected_on=date.today() + timedelta(days=1), has_house=False),
        )
