"""Closed vocabularies of the programme, each with its Vietnamese label.

Values are English snake_case because they are stored and travel in bundles;
``label_vi`` is what the window and documents show (see GLOSSARY.md).
"""

from __future__ import annotations

from enum import StrEnum


class _Labelled(StrEnum):
    """StrEnum whose members know their Vietnamese label."""

    @property
    def label_vi(self) -> str:
        # Looked up per class: Need.new_build and SupportKind.new_build are equal
        # strings, so a single dict keyed by member would mix them up.
        return _LABELS_VI[type(self)][self.value]


class Category(_Labelled):
    poor = "poor"
    near_poor = "near_poor"
    revolutionary_merit = "revolutionary_merit"
    policy_family = "policy_family"
    disaster_hit = "disaster_hit"
    other_hardship = "other_hardship"


class Sex(_Labelled):
    male = "male"
    female = "female"


class HouseClass(_Labelled):
    no_house = "no_house"
    temporary = "temporary"
    deficient_area = "deficient_area"
    dilapidated = "dilapidated"
    adequate = "adequate"


class Need(_Labelled):
    new_build = "new_build"
    repair = "repair"
    none = "none"


class SupportKind(_Labelled):
    new_build = "new_build"
    repair = "repair"


class CaseStatus(_Labelled):
    proposed = "proposed"
    reviewed = "reviewed"
    approved = "approved"
    started = "started"
    completed = "completed"
    accepted = "accepted"
    handed_over = "handed_over"
    rejected = "rejected"
    cancelled = "cancelled"

    @property
    def is_final(self) -> bool:
        return not ALLOWED_TRANSITIONS[self]


class Role(_Labelled):
    admin = "admin"
    team_leader = "team_leader"
    accountant = "accountant"
    viewer = "viewer"


class UnitLevel(_Labelled):
    province = "province"
    district = "district"
    commune = "commune"
    hamlet = "hamlet"


class FundSource(_Labelled):
    state_budget = "state_budget"
    target_programme_poverty = "target_programme_poverty"
    target_programme_ethnic = "target_programme_ethnic"
    fund = "fund"
    household = "household"
    recurrent_savings = "recurrent_savings"
    policy_bank_loan = "policy_bank_loan"
    other = "other"


class PaymentMethod(_Labelled):
    cash = "cash"
    bank = "bank"
    in_kind = "in_kind"


class Instalment(_Labelled):
    advance = "advance"
    final = "final"


class DonorKind(_Labelled):
    person = "person"
    company = "company"
    organisation = "organisation"


_S = CaseStatus
# The forward chain of a support case; rejection only before approval, and a case
# may be cancelled at any point until it reaches a final state.
ALLOWED_TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    _S.proposed: frozenset({_S.reviewed, _S.rejected, _S.cancelled}),
    _S.reviewed: frozenset({_S.approved, _S.rejected, _S.cancelled}),
    _S.approved: frozenset({_S.started, _S.cancelled}),
    _S.started: frozenset({_S.completed, _S.cancelled}),
    _S.completed: frozenset({_S.accepted, _S.cancelled}),
    _S.accepted: frozenset({_S.handed_over, _S.cancelled}),
    _S.handed_over: frozenset(),
    _S.rejected: frozenset(),
    _S.cancelled: frozenset(),
}

# Cases that ended with no support: nothing of the household hangs on them any more.
ENDED_WITHOUT_SUPPORT = frozenset({_S.rejected, _S.cancelled})


# Decisions of the commune steering committee; the rest is the hamlet team's work.
COMMUNE_DECISIONS = frozenset({_S.reviewed, _S.approved, _S.rejected, _S.accepted, _S.handed_over})


def commune_decides(current: str | None, to: str) -> bool:
    """Whether moving a case from `current` to `to` is the commune's to do: its
    decisions, and cancelling a case past its proposal (that undoes a decision).
    Withdrawing a proposal is the hamlet team's own business."""
    return to in COMMUNE_DECISIONS or (to == _S.cancelled and current != _S.proposed)


def can_transition(a: CaseStatus, b: CaseStatus) -> bool:
    """Whether a support case may move from status ``a`` to status ``b``."""
    return CaseStatus(b) in ALLOWED_TRANSITIONS[CaseStatus(a)]


_LABELS_VI: dict[type[_Labelled], dict[str, str]] = {
    Category: {
        "poor": "Hộ nghèo",
        "near_poor": "Hộ cận nghèo",
        "revolutionary_merit": "Người có công với cách mạng",
        "policy_family": "Gia đình chính sách",
        "disaster_hit": "Hộ bị ảnh hưởng bởi thiên tai, biến đổi khí hậu",
        "other_hardship": "Hộ có hoàn cảnh khó khăn khác",
    },
    Sex: {"male": "Nam", "female": "Nữ"},
    HouseClass: {
        "no_house": "Chưa có nhà ở",
        "temporary": "Nhà tạm",
        "deficient_area": "Thiếu diện tích nhà ở",
        "dilapidated": "Nhà dột nát",
        "adequate": "Nhà ở bảo đảm",
    },
    Need: {"new_build": "Xây mới", "repair": "Sửa chữa", "none": "Không"},
    SupportKind: {"new_build": "Xây mới", "repair": "Sửa chữa"},
    CaseStatus: {
        "proposed": "Đề xuất",
        "reviewed": "Đã bình xét",
        "approved": "Đã phê duyệt",
        "started": "Đã khởi công",
        "completed": "Đã hoàn thành",
        "accepted": "Đã nghiệm thu",
        "handed_over": "Đã bàn giao",
        "rejected": "Không được duyệt",
        "cancelled": "Đã hủy",
    },
    Role: {
        "admin": "Quản trị",
        "team_leader": "Tổ trưởng tổ công tác",
        "accountant": "Kế toán",
        "viewer": "Người xem",
    },
    UnitLevel: {
        "province": "Tỉnh / thành phố",
        "district": "Huyện",
        "commune": "Xã / phường / đặc khu",
        "hamlet": "Thôn / xóm / bản / ấp / tổ dân phố",
    },
    FundSource: {
        "state_budget": "Ngân sách nhà nước",
        "target_programme_poverty": "Chương trình MTQG giảm nghèo bền vững",
        "target_programme_ethnic": (
            "Chương trình MTQG phát triển kinh tế – xã hội vùng đồng bào dân tộc thiểu số"
            " và miền núi"
        ),
        "fund": "Quỹ “Vì người nghèo”",
        "household": "Hộ gia đình, dòng họ",
        "recurrent_savings": "Tiết kiệm chi thường xuyên",
        "policy_bank_loan": "Vay Ngân hàng Chính sách xã hội",
        "other": "Nguồn khác",
    },
    PaymentMethod: {"cash": "Tiền mặt", "bank": "Chuyển khoản", "in_kind": "Hiện vật"},
    Instalment: {"advance": "Tạm ứng", "final": "Thanh toán cuối"},
    DonorKind: {"person": "Cá nhân", "company": "Doanh nghiệp", "organisation": "Cơ quan, tổ chức"},
}
