"""Every kind of record by the name people know it (GLOSSARY.md): the history, the
sync reports and the refusals of a bundle name records so."""

from __future__ import annotations

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
