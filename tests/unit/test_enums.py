from enum import StrEnum

import pytest

from nhao.domain import enums
from nhao.domain.enums import (
    ALLOWED_TRANSITIONS,
    CaseStatus,
    Category,
    HouseClass,
    Need,
    SupportKind,
    can_transition,
)

ALL_ENUMS = [
    enums.Category, enums.Sex, enums.HouseClass, enums.Need, enums.SupportKind,
    enums.CaseStatus, enums.Role, enums.UnitLevel, enums.FundSource,
    enums.PaymentMethod, enums.Instalment,
]


@pytest.mark.parametrize("enum", ALL_ENUMS)
def test_every_member_has_a_label_and_snake_case_value(enum: type[StrEnum]) -> None:
    for member in enum:
        assert member.value == member.name
        assert member.value.islower() or "_" in member.value
        label = member.label_vi  # type: ignore[attr-defined]
        assert label and label[0].isupper()


def test_labels_from_glossary() -> None:
    assert Category.poor.label_vi == "Hộ nghèo"
    assert Category.near_poor.label_vi == "Hộ cận nghèo"
    assert HouseClass.temporary.label_vi == "Nhà tạm"
    assert HouseClass.dilapidated.label_vi == "Nhà dột nát"
    assert Need.new_build.label_vi == "Xây mới"
    assert SupportKind.repair.label_vi == "Sửa chữa"
    assert CaseStatus.approved.label_vi == "Đã phê duyệt"
    assert CaseStatus.handed_over.label_vi == "Đã bàn giao"
    assert enums.Role.team_leader.label_vi == "Tổ trưởng tổ công tác"
    assert enums.PaymentMethod.in_kind.label_vi == "Hiện vật"


def test_equal_values_of_different_enums_keep_their_own_labels() -> None:
    assert Need.none.label_vi == "Không"
    assert Need.new_build == SupportKind.new_build  # same stored string
    assert Need.new_build.label_vi == SupportKind.new_build.label_vi


def test_forward_chain() -> None:
    chain = ["proposed", "reviewed", "approved", "started", "completed", "accepted",
             "handed_over"]
    for a, b in zip(chain, chain[1:], strict=False):
        assert can_transition(CaseStatus(a), CaseStatus(b))
        assert not can_transition(CaseStatus(b), CaseStatus(a))


def test_no_skipping_steps() -> None:
    assert not can_transition(CaseStatus.proposed, CaseStatus.approved)
    assert not can_transition(CaseStatus.started, CaseStatus.handed_over)


def test_rejection_only_before_approval() -> None:
    assert can_transition(CaseStatus.proposed, CaseStatus.rejected)
    assert can_transition(CaseStatus.reviewed, CaseStatus.rejected)
    for s in (CaseStatus.approved, CaseStatus.started, CaseStatus.completed):
        assert not can_transition(s, CaseStatus.rejected)


def test_cancel_from_any_non_final_state_and_finals_are_final() -> None:
    finals = {CaseStatus.handed_over, CaseStatus.rejected, CaseStatus.cancelled}
    assert set(ALLOWED_TRANSITIONS) == set(CaseStatus)
    for s in CaseStatus:
        if s in finals:
            assert ALLOWED_TRANSITIONS[s] == frozenset()
            assert s.is_final
        else:
            assert can_transition(s, CaseStatus.cancelled)
            assert not s.is_final
        assert not can_transition(s, s)


def test_can_transition_accepts_plain_strings() -> None:
    assert can_transition("proposed", "reviewed")  # type: ignore[arg-type]
