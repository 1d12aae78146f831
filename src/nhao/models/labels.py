"""Every kind of record and every field by the name people know it (GLOSSARY.md):
the history, the sync reports and the refusals of a bundle name them so."""

from __future__ import annotations

from nhao.domain.enums import CaseStatus, Category

ENTITY_LABELS = {
    "unit": "Đơn vị hành chính",
    "target": "Chỉ tiêu năm",
    "app_user": "Người dùng",
    "household": "Hộ gia đình",
    "inspection": "Khảo sát",
    "attachment": "Ảnh, tài liệu",
    "support_case": "Hồ sơ hỗ trợ",
    "case_support": "Kinh phí hỗ trợ theo nguồn",
    "case_status_event": "Chuyển bước hồ sơ",
    "donor": "Nhà tài trợ",
    "pledge": "Đăng ký ủng hộ",
    "receipt": "Phiếu thu",
    "payment": "Phiếu chi",
    "bank_statement_line": "Dòng sao kê ngân hàng",
    "period_close": "Khóa sổ",
    "household_pair_review": "Cặp hộ có thể trùng",
}


def entity_label(entity: str) -> str:
    """The label inside a sentence ("hộ gia đình"); an unknown name as it is."""
    label = ENTITY_LABELS.get(entity)
    return label[0].lower() + label[1:] if label else entity


_STRUCTURES = {"foundation": "Nền – móng", "frame_walls": "Khung – tường", "roof": "Mái"}
FIELD_LABELS: dict[str, str] = {
    # household
    "unit_code": "Thôn, xóm",
    "head_name": "Họ tên chủ hộ",
    "citizen_id": "Số CCCD",
    "birth_year": "Năm sinh",
    "sex": "Giới tính",
    "ethnicity": "Dân tộc",
    "phone": "Số điện thoại",
    "address": "Địa chỉ",
    # the categories' columns: is_poor, …
    **{f"is_{category.value}": category.label_vi for category in Category},
    "poverty_list_year": "Năm danh sách hộ nghèo",
    "members": "Số nhân khẩu",
    "lawful_land_use": "Sử dụng đất hợp pháp",
    "land_certificate": "Có Giấy chứng nhận QSDĐ",
    "land_dispute": "Đất có tranh chấp",
    "hazard_zone": "Vùng nguy cơ sạt lở",
    "certified_able_to_build": "UBND xã xác nhận đủ điều kiện xây dựng",
    "notes": "Ghi chú",
    "latest_house_class": "Hiện trạng nhà",
    "latest_need": "Nhu cầu",
    "deleted_reason": "Lý do xóa",
    "deleted_at": "Thời điểm xóa",  # hidden in histories; named in conflicts
    # inspection
    "inspected_on": "Ngày khảo sát",
    "inspector": "Người khảo sát",
    "has_house": "Có nhà ở",
    **{f"{k}_durable": f"{v} bền chắc" for k, v in _STRUCTURES.items()},
    **{f"{k}_damaged": f"{v} hư hỏng" for k, v in _STRUCTURES.items()},
    **{f"{k}_material": f"Vật liệu {v.lower()}" for k, v in _STRUCTURES.items()},
    "usable_area_m2": "Diện tích sử dụng (m²)",
    "house_class": "Hiện trạng nhà",
    "suggested_need": "Nhu cầu đề xuất",
    "need": "Nhu cầu",
    "need_override_reason": "Lý do điều chỉnh nhu cầu",
    "reasons": "Căn cứ phân loại",
    # attachment
    "filename": "Tên tệp",
    "size_bytes": "Dung lượng",
    "kind": "Loại",
    "caption": "Chú thích",
    "taken_at": "Thời điểm chụp",
    "latitude": "Vĩ độ",
    "longitude": "Kinh độ",
    # support case, its support and status events
    "planned_year": "Năm dự kiến",
    "status": "Trạng thái",
    "status_reason": "Lý do",
    "decision_no": "Số quyết định",
    "decision_date": "Ngày quyết định",
    "design_model": "Mẫu nhà",
    "labour_days": "Ngày công",
    "materials_given": "Vật liệu, vật tư",
    "started_on": "Ngày khởi công",
    "completed_on": "Ngày hoàn thành",
    "accepted_on": "Ngày nghiệm thu",
    "accepted_area_m2": "Diện tích nghiệm thu (m²)",
    **{f"accepted_{k}_durable": f"{v} cứng" for k, v in _STRUCTURES.items()},
    "expected_lifespan_years": "Tuổi thọ dự kiến (năm)",
    "acceptance_team": "Thành phần nghiệm thu",
    "handed_over_on": "Ngày bàn giao",
    "source": "Nguồn",
    "amount": "Số tiền",
    "from_status": "Từ bước",
    "to_status": "Sang bước",
    "happened_on": "Ngày",
    "actor_name": "Người thực hiện",
    "reason": "Lý do",
    # receipt, payment
    "voided_at": "Thời điểm hủy phiếu",
    "void_reason": "Lý do hủy phiếu",
}
# Where one field name means different things in different tables.
_ENTITY_FIELD_LABELS = {
    ("support_case", "kind"): "Loại hỗ trợ",
    ("attachment", "kind"): "Loại tệp",
}


def field_label(entity: str, field: str) -> str:
    return _ENTITY_FIELD_LABELS.get((entity, field)) or FIELD_LABELS.get(field, field)


def fields_named(entity: str, fields: object) -> str:
    """Field names as people read them in a sentence: “Năm dự kiến”, “Loại hỗ trợ”."""
    return ", ".join(f"“{field_label(entity, str(name))}”" for name in fields)  # type: ignore[attr-defined]


def step_label(status: object) -> str:
    """A support case's step as said in a sentence ("đã phê duyệt"); a value that is no
    step (a faulty station's) as it came."""
    try:
        return CaseStatus(str(status)).label_vi.lower()
    except ValueError:
        return str(status)
