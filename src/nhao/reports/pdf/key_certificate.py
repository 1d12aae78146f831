"""The station key certificate (giấy chứng nhận khóa): one signed and stamped A4 page
that carries a station's key fingerprint to the units that will trust its bundles.

The .nhaokey file can travel by USB stick or e-mail and be swapped on the way; the
paper travels by the official post, signed and stamped, and the receiving unit types
the fingerprint from it. nhao accepts the key only when the two agree. The
fingerprint covers the unit code and the station id as well as the keys, so the paper
prints them beside it: a file edited to name another unit does not match."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table

from nhao.domain.dates import format_date

from .blocks import Letterhead, Signer, signature_block
from .fonts import MONO_BOLD, SERIF, SERIF_BOLD, register_fonts
from .layout import AdministrativeDocument
from .styles import BODY_SIZE, TEXT_WIDTH, table_style, text

TITLE = "Giấy chứng nhận khóa ký gói dữ liệu"
GROUPS_PER_LINE = 3  # 24 characters print as two lines of "ABCD EFGH IJKL"


def fingerprint_lines(fingerprint: str) -> list[str]:
    """Groups of 4 characters, three groups a line, whatever spacing it came with, so
    a reader can keep their place while comparing it with the screen."""
    bare = "".join(ch for ch in fingerprint.upper() if ch.isalnum())
    groups = [bare[i : i + 4] for i in range(0, len(bare), 4)]
    step = GROUPS_PER_LINE
    return [" ".join(groups[i : i + step]) for i in range(0, len(groups), step)]


def _details(rows: list[tuple[str, str]]) -> Table:
    label = ParagraphStyle("label", fontName=SERIF, fontSize=BODY_SIZE, leading=18)
    value = ParagraphStyle("value", parent=label, fontName=SERIF_BOLD)
    data = [[Paragraph(text(k), label), Paragraph(text(v), value)] for k, v in rows]
    table = Table(data, colWidths=[62 * mm, TEXT_WIDTH - 62 * mm])
    table.setStyle(
        table_style(
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (0, -1), 10 * mm),  # the body's paragraph indent
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        )
    )
    return table


def _fingerprint_box(fingerprint: str) -> Table:
    # Monospace bold at 28 pt: every group lines up under the one above and
    # B/8-like confusions cannot arise (the alphabet has no 0, 1, 8 or 9 anyway).
    big = ParagraphStyle(
        "fingerprint", fontName=MONO_BOLD, fontSize=28, leading=38, alignment=TA_CENTER
    )
    lines = "<br/>".join(text(line) for line in fingerprint_lines(fingerprint))
    box = Table([[Paragraph(lines, big)]], colWidths=[115 * mm], hAlign="CENTER")
    box.setStyle(
        table_style(
            ("BOX", (0, 0), (-1, -1), 1.2, "black"),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
            font=MONO_BOLD,
            size=28,
        )
    )
    return box


def write_key_certificate(
    out: Path,
    *,
    unit_name: str,
    unit_code: str,
    parent_unit_name: str | None,
    place: str,
    station_id: str,
    key_id: str,
    fingerprint: str,
    created: date,
    issued: date,
    number: str = "",
    certified_by: str | None = None,
) -> Path:
    """Write the one-page certificate to `out` (atomically) and return `out`.

    unit_name is the issuing unit as it heads its documents ("Ủy ban nhân dân xã
    Bình Gia"); number is left blank for the clerk to write in unless given.
    certified_by: the unit that certifies a station whose own unit has no seal (a
    hamlet's team leader's laptop: "UBND xã Bình Gia"); the team leader signs, and
    that unit signs and stamps beside them."""
    register_fonts()
    head = Letterhead(
        unit=unit_name, place=place, on=issued, parent_unit=parent_unit_name, number=number
    )
    doc = AdministrativeDocument(head, TITLE)
    if certified_by:
        doc.paragraph(
            "Khóa dưới đây là khóa ký gói dữ liệu (tệp .nhao) của máy trạm nhao do tổ "
            "trưởng tổ công tác ký tên dưới đây quản lý và sử dụng, có xác nhận của "
            f"{certified_by}:"
        )
    else:
        doc.paragraph(
            f"{unit_name} chứng nhận khóa dưới đây là khóa ký gói dữ liệu (tệp .nhao) "
            "của máy trạm nhao do đơn vị quản lý và sử dụng:"
        )
    doc.add(
        _details(
            [
                ("Đơn vị:", unit_name),
                ("Mã đơn vị hành chính:", unit_code),
                ("Mã máy trạm:", station_id),
                ("Mã khóa:", key_id),
                ("Ngày tạo khóa:", format_date(created)),
            ]
        ),
        Spacer(1, 8),
    )
    doc.paragraph(
        "Mã nhận dạng khóa (tính từ khóa, mã đơn vị hành chính và mã máy trạm nêu trên):",
        "body",
    )
    doc.add(_fingerprint_box(fingerprint), Spacer(1, 10))
    doc.paragraph(
        "Khi đăng ký tin cậy tệp khóa (.nhaokey) của máy trạm này, đơn vị nhận gói dữ liệu "
        "nhập mã nhận dạng khóa in trên giấy này; nhao chỉ tin cậy khóa khi mã đã nhập khớp "
        "với khóa, mã đơn vị hành chính và mã máy trạm ghi trong tệp. Nếu không khớp, không "
        "tin cậy tệp khóa đó và báo ngay cho đơn vị cấp giấy."
    )
    doc.paragraph(
        "Giấy này gửi theo đường văn bản, riêng với tệp khóa (không gửi kèm trên cùng "
        "USB hay cùng thư điện tử). Đơn vị nhận lưu giữ giấy này cùng hồ sơ; giấy chỉ có "
        "giá trị với mã khóa ghi trên đây."
    )
    stamped = "(Ký, ghi rõ họ tên, đóng dấu)"
    signers = (
        # A thôn has no seal: the one who holds the laptop signs, the commune stamps.
        [
            Signer("Tổ trưởng tổ công tác"),
            Signer(certified_by, note=stamped, on_behalf="Xác nhận của"),
        ]
        if certified_by
        else [Signer("Người lập"), Signer("Thủ trưởng đơn vị", note=stamped)]
    )
    doc.add(signature_block(signers, space=26 * mm))
    return doc.save(out)
